// Worked examples of spec/conform.md §9 on the §8 fixture. Every expected number below is copied
// from the spec's tables (the spec's §13 says they were recomputed by an independent
// implementation in exact integer arithmetic).
import { describe, expect, test } from 'vitest';
import { FrameRate } from '../time/frame-rate.js';
import { cutFromEdl } from './edl-cut.js';
import { conform, frameToSample } from './apply.js';
import { buildConformMap } from './map.js';
import type { Cut, Region, Session } from './types.js';
import { unwrap } from '../diagnostics/result.js';
import { F0, R24, V1, edl, entries, fixture, reg, rows, run, s, track } from '../../test/conform/fixture.js';

describe('§9 worked examples', () => {
  test('identity (Example 11 first bullet): nothing changes (I6)', () => {
    const session = fixture();
    const r = run(V1, V1, session);
    expect(entries(r)).toEqual([['match', 0, 336, 0]]);
    expect(r.map.rows).toEqual([]);
    expect(r.removed).toEqual([]);
    expect(r.session).toEqual(session);
    for (const t of session.tracks) for (const x of t.regions) {
      expect(r.session.tracks.find((y) => y.name === t.name)?.regions).toContain(x); // same objects
    }
  });

  test('Example 1: B and C swap', () => {
    const v2 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  C001  V  C  12:00:00:00 12:00:05:00 01:00:04:00 01:00:09:00
003  B001  V  C  11:00:10:00 11:00:13:00 01:00:09:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
    const r = run(V1, v2);
    expect(entries(r)).toEqual([['match', 0, 96, 0], ['match', 96, 216, -72], ['match', 216, 288, 120], ['match', 288, 336, 0]]);
    expect(r.map.entries.map((e) => e.backbone)).toEqual([true, true, false, true]);
    expect(rows(r)).toEqual([['MOVE_FROM', 'B001', 96, -72, -72], ['MOVE_TO', 'B001', 216, 72, 0]]);
    expect(r.map.shifted).toEqual([{ key: 'C001', delta: -72 }]);
    expect(r.map.tailDelta).toBe(0);
    expect(track(r, 'DX1')).toEqual([['dlgA', 10, 90, 0], ['dlgB', 220, 280, 0]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 98, 208, 0]]);
    expect(track(r, 'FX1')).toEqual([['fxAB.c1', 80, 96, 0], ['fxAB.c2', 216, 240, 16], ['fxD', 290, 330, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 96, 0], ['music.c2', 96, 216, 168], ['music.c3', 216, 288, 96], ['music.c4', 288, 336, 288]]);
    expect(track(r, 'PFX')).toEqual([['pop2', -48, -47, 0], ['tailpop', 383, 384, 0]]);
    expect(r.removed).toEqual([]);
  });

  const v2trimHead = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:12 11:00:13:00 01:00:04:00 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:11:12 01:00:13:12
`, 'v2');

  test('Example 2: trim head', () => {
    const r = run(V1, v2trimHead, fixture(), { editPoints: { mode: 'crossfade', lengthFrames: 2 } });
    expect(entries(r)).toEqual([['match', 0, 96, 0], ['match', 96, 324, -12]]);
    expect(rows(r)).toEqual([['TRIM_HEAD', 'B001', 96, -12, -12]]);
    expect(r.map.rows[0]?.old).toEqual([F0 + 96, F0 + 108]);
    expect(r.map.shifted).toEqual([{ key: 'C001', delta: -12 }, { key: 'D001', delta: -12 }]);
    expect(r.map.new.end - r.map.new.ffoa).toBe(324);
    expect(track(r, 'DX1')).toEqual([['dlgA', 10, 90, 0], ['dlgB', 96, 148, 8]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 158, 268, 0]]);
    expect(track(r, 'FX1')).toEqual([['fxAB.c1', 80, 96, 0], ['fxAB.c2', 96, 108, 28], ['fxD', 278, 318, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 96, 0], ['music.c2', 96, 324, 108]]);
    expect(track(r, 'PFX')).toEqual([['pop2', -48, -47, 0], ['tailpop', 371, 372, 0]]);
    expect(track(r, 'DX1 (conform removed) 1')).toEqual([['dlgB (removed)', 100, 108, 0]]);
    expect(track(r, 'FX1 (conform removed) 1')).toEqual([['fxAB (removed)', 96, 108, 16]]);
    expect(track(r, 'MX1 (conform removed) 1')).toEqual([['music (removed)', 96, 108, 96]]);
    const dlgB = r.regions.find((x) => x.regionId === 'R3');
    expect(dlgB?.pieces.map((p) => [p.start, p.end, p.fileOffset])).toEqual([[192000, 296000, 16000]]);
    expect(dlgB?.removed.map((p) => [p.oldStart, p.oldEnd])).toEqual([[200000, 216000]]);
    // crossfade illustration: over new r[95,97) = samples [190000,194000)
    const xf = r.treatments.filter((t) => t.track === 'FX1' && t.kind === 'crossfade');
    expect(xf.map((t) => [t.at - t.extendA, t.at + t.extendB])).toEqual([[190000, 194000]]);
  });

  test('Example 3: trim tail', () => {
    const v2 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C  12:00:00:00 12:00:04:00 01:00:07:00 01:00:11:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:11:00 01:00:13:00
`);
    const r = run(V1, v2);
    expect(entries(r)).toEqual([['match', 0, 264, 0], ['match', 264, 312, -24]]);
    expect(rows(r)).toEqual([['TRIM_TAIL', 'C001', 264, -24, -24]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 170, 264, 0]]);
    expect(r.regions.find((x) => x.regionId === 'R4')?.op).toBe('TRIMMED');
    expect(track(r, 'FX1')).toEqual([['fxAB', 80, 120, 0], ['fxD', 266, 306, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 264, 0], ['music.c2', 264, 312, 288]]);
    expect(track(r, 'PFX')[1]).toEqual(['tailpop', 359, 360, 0]);
    expect(r.removed.map((p) => [p.regionId, p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000])).toEqual([['R4', 264, 280, 94], ['R7', 264, 288, 264]]);
  });

  test('Example 4: extract a whole shot, and the lift variant', () => {
    const ex = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  C001  V  C  12:00:00:00 12:00:05:00 01:00:04:00 01:00:09:00
003  D001  V  C  13:00:02:00 13:00:04:00 01:00:09:00 01:00:11:00
`);
    const r = run(V1, ex);
    expect(entries(r)).toEqual([['match', 0, 96, 0], ['match', 96, 264, -72]]);
    expect(rows(r)).toEqual([['DELETE', 'B001', 96, -72, -72]]);
    expect(r.regions.find((x) => x.regionId === 'R3')?.op).toBe('REMOVED');
    expect(track(r, 'DX1')).toEqual([['dlgA', 10, 90, 0]]);
    expect(track(r, 'FX1')).toEqual([['fxAB', 80, 96, 0], ['fxD', 218, 258, 0]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 98, 208, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 96, 0], ['music.c2', 96, 264, 168]]);
    expect(track(r, 'PFX')[1]).toEqual(['tailpop', 311, 312, 0]);
    const removedEx = r.removed.map((p) => [p.regionId, p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000]);
    expect(removedEx).toEqual([['R3', 100, 160, 0], ['R5', 96, 120, 16], ['R7', 96, 168, 96]]);

    const lift = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
    const l = run(V1, lift);
    expect(entries(l)).toEqual([['match', 0, 96, 0], ['gap', 96, 168, null], ['match', 168, 336, 0]]);
    expect(rows(l)).toEqual([['DELETE', 'B001', 96, -72, -72], ['GAP_OPEN', 'BL', 96, 72, 0]]);
    expect(l.map.rows.map((x) => x.group)).toEqual(['LIFT', 'LIFT']);
    expect(track(l, 'DX2')).toEqual([['dlgC', 170, 280, 0]]);
    expect(track(l, 'MX1')).toEqual([['music.c1', 0, 96, 0], ['music.c2', 168, 336, 168]]);
    expect(l.removed.map((p) => [p.regionId, p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000])).toEqual(removedEx);
  });

  test('Example 5: insert a new shot, with guide fill', () => {
    const v2 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  E001  V  C  14:00:00:00 14:00:02:00 01:00:07:00 01:00:09:00
004  C001  V  C  12:00:00:00 12:00:05:00 01:00:09:00 01:00:14:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:14:00 01:00:16:00
`);
    const guide = { file: { id: 'g', name: 'guide.wav' }, startFrame: F0 - 192, ranges: ['insert' as const] };
    const r = run(V1, v2, fixture(), { guideFill: guide });
    expect(entries(r)).toEqual([['match', 0, 168, 0], ['insert', 168, 216, null], ['match', 216, 384, 48]]);
    expect(rows(r)).toEqual([['INSERT', 'E001', 168, 48, 48]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 218, 328, 0]]);
    expect(track(r, 'FX1')).toEqual([['fxAB', 80, 120, 0], ['fxD', 338, 378, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 168, 0], ['music.c2', 216, 384, 168]]);
    expect(track(r, 'PFX')[1]).toEqual(['tailpop', 431, 432, 0]);
    expect(r.warnings.filter((w) => w.code === 'HOLE_IN_CONTINUOUS').map((w) => [w.track, (w.at ?? 0) - F0])).toEqual([['MX1', 168]]);
    const g = r.session.tracks.find((t) => t.name === 'CONFORM GUIDE');
    expect(g?.regions.map((x) => [x.start, x.end])).toEqual([[336000, 432000]]);
  });

  test('Example 6: shot replaced (REPLACE group)', () => {
    const v2 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C002  V  C  12:30:00:00 12:30:04:00 01:00:07:00 01:00:11:00
004  D001  V  C  13:02:00:00 13:04:00:00 01:00:11:00 01:00:13:00
`.replace('13:02:00:00 13:04:00:00', '13:00:02:00 13:00:04:00'));
    const r = run(V1, v2);
    expect(entries(r)).toEqual([['match', 0, 168, 0], ['insert', 168, 264, null], ['match', 264, 312, -24]]);
    expect(rows(r)).toEqual([['DELETE', 'C001', 168, -120, -120], ['INSERT', 'C002', 168, 96, -24]]);
    expect(r.map.rows.map((x) => x.group)).toEqual(['REPLACE', 'REPLACE']);
    expect(r.regions.find((x) => x.regionId === 'R4')?.op).toBe('REMOVED');
    expect(track(r, 'DX2 (conform removed) 1')).toEqual([['dlgC (removed)', 170, 280, 0]]);
    expect(track(r, 'FX1')[1]).toEqual(['fxD', 266, 306, 0]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 168, 0], ['music.c2', 264, 312, 288]]);
    expect(r.removed.filter((p) => p.regionId === 'R7').map((p) => [p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000])).toEqual([[168, 288, 168]]);
    expect(track(r, 'PFX')[1]).toEqual(['tailpop', 359, 360, 0]);
  });

  const v7a = edl(`001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C        12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
005  B001  V  C        11:00:10:00 11:00:11:12 01:00:14:00 01:00:15:12
`, 'v7a');

  test('Example 7a: reuse of the same source gives copies', () => {
    const fades = fixture();
    const dx1 = fades.tracks[1];
    const fx1 = fades.tracks[3];
    const session: Session = {
      ...fades,
      tracks: fades.tracks.map((t) => t === dx1 ? { ...t, regions: [t.regions[0] as Region, { ...(t.regions[1] as Region), fadeIn: { lengthSamples: 480 } }] }
        : t === fx1 ? { ...t, regions: [{ ...(t.regions[0] as Region), fadeOut: { lengthSamples: 960 } }, t.regions[1] as Region] } : t),
    };
    const r = run(V1, v7a, session);
    expect(entries(r)).toEqual([['match', 0, 336, 0], ['match', 336, 372, 240]]);
    expect(r.map.entries.map((e) => e.role)).toEqual(['primary', 'copy']);
    expect(rows(r)).toEqual([['COPY', 'B001', 336, 36, 36]]);
    expect(r.map.tailDelta).toBe(36);
    const dlgB = r.session.tracks[1]?.regions.find((x) => x.name === 'dlgB.copy1');
    expect([dlgB?.start, dlgB?.end, dlgB?.fileOffset, dlgB?.fadeIn?.lengthSamples]).toEqual([s(340), s(372), 0, 480]);
    const fxAB = r.session.tracks[3]?.regions.find((x) => x.name === 'fxAB.copy1');
    expect([fxAB?.start, fxAB?.end, fxAB?.fileOffset, fxAB?.fadeOut?.lengthSamples]).toEqual([s(336), s(360), s(16), 960]);
    expect(track(r, 'MX1')).toEqual([['music', 0, 336, 0], ['music.copy1', 336, 372, 96]]);
    expect(track(r, 'DX1')).toContainEqual(['dlgB', 100, 160, 0]);
    expect(track(r, 'PFX')[1]).toEqual(['tailpop', 419, 420, 0]);
    const piece = r.regions.find((x) => x.regionId === 'R3')?.pieces.find((p) => p.role === 'copy');
    expect([piece?.cutHead, piece?.cutTail]).toEqual([false, true]);
  });

  test('Example 7b: the reverse resolution deletes the reprise', () => {
    const session: Session = { ...fixture(), tracks: [
      { id: 'DX1', name: 'DX1', regions: [reg('b', 'dlgB', 100, 160), reg('bp', 'dlgBreprise', 340, 372)] },
      { id: 'MX1', name: 'MX1', regions: [reg('m', 'music', 0, 372)] },
    ] };
    const r = run(v7a, V1, session);
    expect(entries(r)).toEqual([['match', 0, 336, 0]]);
    expect(rows(r)).toEqual([['DELETE', 'B001', 336, -36, -36]]);
    expect(track(r, 'DX1')).toEqual([['dlgB', 100, 160, 0]]);
    expect(r.regions.find((x) => x.regionId === 'bp')?.op).toBe('REMOVED');
    expect(track(r, 'MX1')).toEqual([['music', 0, 336, 0]]);
    expect(r.removed.map((p) => [p.regionId, p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000])).toEqual([['bp', 340, 372, 0], ['m', 336, 372, 336]]);
  });

  const v8 = edl(`001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:12:12 01:00:04:00 01:00:06:12
003  B001  V  C        11:00:12:12 11:00:12:12 01:00:06:12 01:00:06:12
003  C001  V  D    024 11:59:59:12 12:00:05:00 01:00:06:12 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`, 'v8');
  const fxBC = (): Session => fixture({ FX1: [] , DX2: [] , DX1: [], PFX: [], MX1: [] });

  test('Example 8: dissolve normalisation and hidden ranges', () => {
    const m = unwrap(buildConformMap(v8, V1));
    const sh = m.old.shots.map((x) => [x.key, x.recIn - F0, x.recOut - F0, x.srcIn]);
    const v1s = unwrap(buildConformMap(V1, V1)).old.shots.map((x) => [x.key, x.recIn - F0, x.recOut - F0, x.srcIn]);
    expect(sh).toEqual(v1s);
    const B = m.old.shots[1];
    const C = m.old.shots[2];
    expect(B?.hiddenAfter && [B.hiddenAfter.recIn - F0, B.hiddenAfter.recOut - F0]).toEqual([168, 180]);
    expect(C?.hiddenBefore && [C.hiddenBefore.recIn - F0, C.hiddenBefore.recOut - F0]).toEqual([156, 168]);
  });

  test('Example 8a: a lengthened centred dissolve changes nothing; literal reading is wrong', () => {
    const v8a = edl(`001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:12:00 01:00:04:00 01:00:06:00
003  B001  V  C        11:00:12:00 11:00:12:00 01:00:06:00 01:00:06:00
003  C001  V  D    048 11:59:59:00 12:00:05:00 01:00:06:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
    const base = fixture();
    const session: Session = { ...base, tracks: base.tracks.map((t) => (t.name === 'FX1' ? { ...t, regions: [reg('R5', 'fxAB', 80, 120), reg('bc', 'fxBC', 150, 190), reg('R6', 'fxD', 290, 330)] } : t)) };
    const r = run(v8, v8a, session);
    expect(entries(r)).toEqual([['match', 0, 336, 0]]);
    expect(r.map.rows.map((x) => [x.type, x.anchor - F0, x.length, x.detail])).toEqual([['TRANSITION_CHANGED', 168, 0, 'D024 -> D048']]);
    expect(r.session.tracks).toEqual(session.tracks);
    const lit = run(v8, v8a, session, { transitionCut: 'start' });
    expect(rows(lit)).toEqual([['TRIM_TAIL', 'B001', 144, -12, -12], ['EXTEND_HEAD', 'C001', 144, 12, 0]]);
    expect(lit.removed.filter((p) => p.regionId === 'R3' || p.regionId === 'R7').map((p) => [p.regionId, p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000]))
      .toEqual([['R3', 144, 156, 44], ['R7', 144, 156, 144]]);
  });

  test('Example 8b: a re-aligned dissolve matches hidden material (and without it, a hole)', () => {
    const v8b = edl(`001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  B001  V  C        11:00:13:00 11:00:13:00 01:00:07:00 01:00:07:00
003  C001  V  D    024 12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
    const plain = run(v8, v8b, fxBC(), { transitionOverlapMatching: false });
    expect(entries(plain)).toEqual([['match', 0, 168, 0], ['insert', 168, 180, null], ['match', 180, 336, 0]]);
    expect(rows(plain)).toEqual([['TRIM_HEAD', 'C001', 168, -12, -12], ['EXTEND_TAIL', 'B001', 168, 12, 0]]);
    const withAudio = run(v8, v8b, fixture(), { transitionOverlapMatching: false });
    expect(track(withAudio, 'DX2')).toEqual([['dlgC', 180, 280, 10]]);
    const r = run(v8, v8b);
    expect(entries(r)).toEqual([['match', 0, 168, 0], ['match', 168, 180, 0], ['match', 180, 336, 0]]);
    expect(r.map.entries.map((e) => [e.secondary, e.backbone, e.role])).toEqual([[false, true, 'primary'], [true, true, 'primary'], [false, true, 'primary']]);
    expect(rows(r)).toEqual([['TRANSITION_REALIGNED', 'B001', 168, 0, 0]]);
    const full = run(v8, v8b, fixture());
    expect(full.session.tracks).toEqual(fixture().tracks);
  });

  const v9 = edl(`001  A001  V  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:03:12 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:11:12 01:00:12:12
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:12 01:00:14:12
`, 'v2');

  test('Example 9: two interacting changes', () => {
    const r = run(V1, v9);
    expect(entries(r)).toEqual([['match', 0, 84, 0], ['match', 84, 276, -12], ['insert', 276, 300, null], ['match', 300, 348, 12]]);
    expect(rows(r)).toEqual([['TRIM_TAIL', 'A001', 84, -12, -12], ['INSERT', 'E001', 276, 24, 12]]);
    expect(r.map.tailDelta).toBe(12);
    expect(track(r, 'DX1')).toEqual([['dlgA', 10, 84, 0], ['dlgB', 88, 148, 0]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 158, 268, 0]]);
    expect(track(r, 'FX1')).toEqual([['fxAB.c1', 80, 84, 0], ['fxAB.c2', 84, 108, 16], ['fxD', 302, 342, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 84, 0], ['music.c2', 84, 276, 96], ['music.c3', 300, 348, 288]]);
    expect(track(r, 'PFX')[1]).toEqual(['tailpop', 395, 396, 0]);
    expect(r.removed.map((p) => [p.regionId, p.oldStart / 2000, p.oldEnd / 2000, p.fileOffset / 2000, p.rowId]))
      .toEqual([['R2', 84, 90, 74, 1], ['R5', 84, 96, 4, 1], ['R7', 84, 96, 84, 1]]);
    expect(r.regions.find((x) => x.regionId === 'R2')?.op).toBe('TRIMMED');
    // I11 for every backbone entry
    for (const e of r.map.entries.filter((x) => x.backbone)) {
      expect(r.map.headDelta + r.map.rows.filter((x) => x.anchor <= e.new[0]).reduce((a, x) => a + x.length, 0)).toBe(e.delta);
    }
  });

  test('Example 10: 29.97 drop-frame across a dropped-label minute', () => {
    const df = FrameRate.of(30000, 1001, { dropFrame: true });
    const cut = (b: string) => unwrap(cutFromEdl('FCM: DROP FRAME\n' + b, { rate: FrameRate.of(30000, 1001) }));
    const old = cut(`001  A001  V  C  10:00:00;00 10:00:05;00 01:00:55;00 01:01:00;02
002  B001  V  C  11:00:00;00 11:00:10;00 01:01:00;02 01:01:10;02
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:10;02 01:01:14;02
`);
    const nu = cut(`001  A001  V  C  10:00:00;00 10:00:04;20 01:00:55;00 01:00:59;20
002  B001  V  C  11:00:00;00 11:00:10;00 01:00:59;20 01:01:09;22
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:09;22 01:01:13;22
`);
    expect(old.events.map((e) => e.recIn)).toEqual([109542, 109692, 109992]);
    expect(nu.events.map((e) => e.recIn)).toEqual([109542, 109682, 109982]);
    const start = 107892;
    const S = (f: number) => frameToSample(f, start, 48000, df);
    const session: Session = { name: 'df', sampleRate: 48000, rate: df, startFrame: start, tracks: [{ id: 'DX1', name: 'DX1', regions: [
      { id: 'ab', name: 'dlgAB', file: { id: 'ab', name: 'ab.wav' }, start: S(start + 1740), end: S(start + 1858), fileOffset: 0 },
      { id: 'c', name: 'dlgC', file: { id: 'c', name: 'c.wav' }, start: S(start + 2128), end: S(start + 2188), fileOffset: 0 },
    ] }] };
    expect(session.tracks[0]?.regions.map((x) => [x.start, x.end])).toEqual([[2786784, 2975773], [3408205, 3504301]]);
    const r = unwrap(conform(old, nu, session));
    expect(r.map.entries.map((e) => [e.new[0] - start, e.new[1] - start, e.delta])).toEqual([[1650, 1790, 0], [1790, 2210, -10]]);
    expect(r.map.rows.map((x) => [x.type, x.key, x.anchor - start, x.length])).toEqual([['TRIM_TAIL', 'A001', 1790, -10]]);
    expect(r.session.tracks[0]?.regions.map((x) => [x.name, x.start, x.end, x.fileOffset])).toEqual([
      ['dlgAB.c1', 2786784, 2866864, 0], ['dlgAB.c2', 2866864, 2959757, 96096], ['dlgC', 3392189, 3488285, 0]]);
    expect(r.removed.map((p) => [p.oldStart, p.oldEnd, p.fileOffset, p.placedStart])).toEqual([[2866864, 2882880, 80080, 2866864]]);
    expect(r.warnings.map((w) => w.code)).toContain('NONINTEGER_SPF');
  });

  test('Example 11: v2→v3 map, two-step and direct composition, round trip', () => {
    const v3 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:12:00 01:00:13:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:13:00 01:00:15:00
`, 'v3');
    const step1 = run(V1, v2trimHead);
    const step2 = run(v2trimHead, v3, step1.session);
    expect(entries(step2)).toEqual([['match', 0, 96, 0], ['insert', 96, 108, null], ['match', 108, 288, 12], ['insert', 288, 312, null], ['match', 312, 360, 36]]);
    expect(rows(step2).slice(0, 1)).toEqual([['EXTEND_HEAD', 'B001', 96, 12, 12]]);
    expect(track(step2, 'DX1')).toEqual([['dlgA', 10, 90, 0], ['dlgB', 108, 160, 8]]);
    expect(track(step2, 'FX1').slice(0, 2)).toEqual([['fxAB.c1', 80, 96, 0], ['fxAB.c2', 108, 120, 28]]);
    expect(track(step2, 'MX1').map((x) => x.slice(1))).toEqual([[0, 96, 0], [108, 288, 108], [312, 360, 288]]);
    const direct = run(V1, v3);
    expect(entries(direct)).toEqual([['match', 0, 288, 0], ['insert', 288, 312, null], ['match', 312, 360, 24]]);
    expect(track(direct, 'DX1')).toEqual([['dlgA', 10, 90, 0], ['dlgB', 100, 160, 0]]);
    expect(track(direct, 'FX1')[0]).toEqual(['fxAB', 80, 120, 0]);
    expect(track(direct, 'MX1')).toEqual([['music.c1', 0, 288, 0], ['music.c2', 312, 360, 288]]);
    const back = run(v2trimHead, V1, step1.session);
    expect(track(back, 'DX1')).toEqual([['dlgA', 10, 90, 0], ['dlgB', 108, 160, 8]]);
  });
});

describe('errors and automation', () => {
  test('overlapping regions and rate mismatch are typed errors, not exceptions (§2.3, §1.2)', () => {
    const bad: Session = { ...fixture(), tracks: [{ id: 'X', name: 'X', regions: [reg('a', 'a', 0, 10), reg('b', 'b', 5, 20)] }] };
    const r = conform(V1, V1, bad);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'conform/overlapping-regions', path: ['X', 'a', 'b'] });
    const r25 = conform(V1, { ...V1, rate: FrameRate.FPS_25 }, fixture());
    expect(r25.diagnostics[0]?.code).toBe('conform/rate-mismatch');
  });

  test('automation breakpoints move with their material; removed ones leave the lane (§5.3, Example 9 map)', () => {
    const v9 = edl(`001  A001  V  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:03:12 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:11:12 01:00:12:12
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:12 01:00:14:12
`);
    const base = fixture();
    const session: Session = { ...base, tracks: base.tracks.map((t) => (t.name === 'MX1' ? { ...t, automation: [{ param: 'volume', points: [{ t: s(50), v: 1 }, { t: s(90), v: 2 }, { t: s(200), v: 3 }, { t: s(300), v: 4 }] }] } : t)) };
    const r = run(V1, v9, session);
    // Example 9 map: δ0 before r84, r[84,96) removed, δ−12 on [96,288), insert [276,300), δ+12 from r288.
    // §5.3: at every entry boundary the old curve is evaluated just inside each side (linear between
    // points): v(r84) = 1 + 34/40, v(r96) = 2 + 6/110, v(r288) = 3 + 88/100; the insert holds 3.88.
    expect(r.session.tracks.find((t) => t.name === 'MX1')?.automation?.[0]?.points).toEqual([
      { t: s(0), v: 1 }, { t: s(50), v: 1 }, { t: s(84), v: 1 + 68000 / 80000 }, { t: s(84), v: 2 + 12000 / 220000 },
      { t: s(188), v: 3 }, { t: s(276), v: 3 + 176000 / 200000 }, { t: s(300), v: 3 + 176000 / 200000 }, { t: s(312), v: 4 }, { t: s(348), v: 4 },
    ]);
    expect(r.removedAutomation).toEqual([{ track: 'MX1', param: 'volume', points: [{ t: s(90), v: 2 }] }]); // r90 lies in the removed r[84,96)
    expect(r.warnings.filter((w) => w.code === 'AUTOMATION_DISCONTINUITY')).toEqual([]); // 3.88 on both sides of E001
  });
});

describe('normalisation rules (§2.1, §2.2)', () => {
  test('V2 over V1: the highest video track wins frame by frame; audio events are not shots', () => {
    const c = edl(`001  A001  V   C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  X001  V2  C  20:00:00:00 20:00:01:00 01:00:01:00 01:00:02:00
003  S001  A   C  30:00:00:00 30:00:04:00 01:00:00:00 01:00:04:00
`);
    const shots = unwrap(buildConformMap(c, c)).old.shots.map((x) => [x.label, x.recIn - F0, x.recOut - F0, x.srcIn]);
    const s10 = 10 * 3600 * 24;
    expect(shots).toEqual([['A001', 0, 24, s10], ['X001', 24, 48, 20 * 3600 * 24], ['A001', 48, 96, s10 + 48]]);
  });

  test('auto key: placeholder reel AX uses the clip name; VFX versions and B-roll names match (§2.2)', () => {
    const old = edl(`001  AX  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
* FROM CLIP NAME: shot_010_v1
002  B001B  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  B001  V  C  11:00:20:00 11:00:21:00 01:00:07:00 01:00:08:00
`);
    const nu = edl(`001  AX  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
* FROM CLIP NAME: shot_010_v2
002  B001B  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  B001  V  C  11:00:20:00 11:00:21:00 01:00:07:00 01:00:08:00
`);
    const m = unwrap(buildConformMap(old, nu, { vfxVersionPatterns: [/_v\d+$/] }));
    expect(m.old.shots.map((x) => x.key)).toEqual(['shot_010', 'b001', 'b001']);
    expect(m.entries.map((e) => [e.kind, e.delta])).toEqual([['match', 0]]);
    expect(m.rows.map((r) => [r.type, r.length, r.detail])).toEqual([['VFX_VERSION_CHANGED', 0, 'shot_010_v1 -> shot_010_v2']]);
    const plain = unwrap(buildConformMap(old, nu));
    expect(plain.rows.map((r) => r.type)).toEqual(['DELETE', 'INSERT']);
  });
});
