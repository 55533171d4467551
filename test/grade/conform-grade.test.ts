// Conform grading (spec/conform.md §10) on the bundled assignment (examples/conform: the §8
// fixture, v2 = Example 9) and on Example 10 at 29.97 DF. Student sessions are made by our own
// engine from deliberately wrong new cuts, then written as dubstage JSON. Expected scores are
// derived by hand from §10.6 (weights w = max(len, 0.5 s) × class weight, in frames at 24 fps:
// pop2 3, dlgA 74, dlgB 60, dlgC 110, fxAB.c1 12, fxAB.c2 24, fxD 40, music.c1 42, music.c2 96,
// music.c3 24, tailpop 3; Σw = 488 as in the §10.6 worked example).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { gradeConform, runConformCheck, type ConformCheck } from '../../src/grade/conform-grade.js';
import { conform } from '../../src/conform/apply.js';
import { cutFromEdl } from '../../src/conform/edl-cut.js';
import { sessionFromTimeline, timelineFromResult } from '../../src/conform/model.js';
import { readTimeline, writeTimeline } from '../../src/formats/registry.js';
import { unwrap } from '../../src/diagnostics/result.js';
import { createClip, createTimeline, createTrack } from '../../src/model/build.js';
import type { Timeline } from '../../src/model/types.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';
import type { Submission } from '../../src/grade/types.js';

const EX = join(__dirname, '../../examples/conform');
const R24 = FrameRate.FPS_24;
const files = { 'v1.edl': readFileSync(join(EX, 'v1.edl'), 'utf8'), 'v2.edl': readFileSync(join(EX, 'v2.edl'), 'utf8'), 'session.json': readFileSync(join(EX, 'session.json'), 'utf8') };
const CHECK: ConformCheck = { kind: 'conform', weight: 10, oldCut: 'v1.edl', newCut: 'v2.edl', session: 'session.json', rate: '24', pictureStart: '00:59:52:00' };
const v1Session = unwrap(readTimeline(files['session.json'], { fileName: 'session.json', rate: R24 }));
const cut = (text: string) => unwrap(cutFromEdl(text, { rate: R24, pictureStart: '00:59:52:00' }));
const V1 = cut(files['v1.edl']);

/** The student's session: the v1 session conformed by our engine to `studentCut` (a wrong v2). */
function studentFrom(studentCut: string): Timeline {
  const r = unwrap(conform(V1, cut(studentCut), sessionFromTimeline(v1Session)));
  return timelineFromResult(v1Session, r);
}
function submit(t: Timeline): Submission {
  const w = writeTimeline(t, 'json', {});
  return { name: 'student', files: [{ path: 'session.json', source: new TextEncoder().encode(w.value as string) }] };
}
const grade = (t: Timeline) => runConformCheck(CHECK, submit(t), { references: files });
const verdicts = (r: Awaited<ReturnType<typeof grade>>, prefix: string) => r.items.filter((i) => i.id.startsWith(prefix)).map((i) => [i.id.replace(/@.*/, ''), i.evidence.detail?.['verdict']]);

const HEAD = 'TITLE: STUDENT\nFCM: NON-DROP FRAME\n';

describe('§10 conform grading', () => {
  test('a correct conform scores 100', async () => {
    const r = await grade(studentFrom(files['v2.edl']));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.score).toBeCloseTo(1, 10);
    expect(verdicts(r, 'row')).toEqual([['row 1', 'APPLIED'], ['row 2', 'APPLIED']]);
    expect(r.items.filter((i) => i.id.startsWith('piece')).every((i) => i.evidence.detail?.['verdict'] === 'PASS')).toBe(true);
  });

  test('the §10.6 worked example: change 1 not applied, E001 inserted at the old C|D boundary → 36.1', async () => {
    // v1 with E001's 24 frames inserted before D (r288): from r84 on everything is +12 frames late
    const r = await grade(studentFrom(HEAD + `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:12:00 01:00:13:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:13:00 01:00:15:00
`));
    // in sync: pop2 3 + dlgA 74 + fxAB.c1 12 + music.c1 42 = 131 of 488; rows ½; hygiene ½ (removed audible)
    // 100 × (0.6 × 131/488 + 0.3 × 0.5 + 0.1 × 0.5) = 36.1
    expect(Math.round(r.score * 1000) / 10).toBe(36.1);
    expect(r.score).toBeCloseTo(0.6 * (131 / 488) + 0.15 + 0.05, 12);
    expect(verdicts(r, 'row')).toEqual([['row 1', 'NOT_APPLIED'], ['row 2', 'APPLIED']]);
    expect(r.feedback.slice(0, 4)).toEqual([
      'Change 1 (TRIM_TAIL A001, 12 frames at 01:00:03:12) was not applied:',
      "  from 01:00:03:12 on, DX1 'dlgB', DX2 'dlgC', FX1 'fxAB', FX1 'fxD', MX1 'music' are 12 frames LATE.", // §10.6 feedback verbatim
      '  The removed tail of A001 (old 01:00:03:12–01:00:04:00) is still audible on DX1, FX1, MX1.',
      'Change 2 (INSERT E001, 24 frames at 01:00:11:12) was applied correctly relative to the surrounding material.',
    ]);
    expect(r.feedback).toContain("PFX 'tailpop' is at 01:00:16:23; expected 01:00:16:11.");
    expect(r.feedback).toContain('Session hygiene: removed material is audible.');
  });

  test('change 1 applied twice (24 frames cut at the A|B join) → 41.1, diagnosed', async () => {
    // A [0,84), B loses its first 12 frames too, E001 inserted at the C|D join: from r84 on −12 frames
    const r = await grade(studentFrom(HEAD + `001  A001  V  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
002  B001  V  C  11:00:10:12 11:00:13:00 01:00:03:12 01:00:06:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:00 01:00:11:00
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:11:00 01:00:12:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`));
    // in sync 131 of 488; row 1 APPLIED_WITH_ERRORS (ε = −12 = +length), row 2 APPLIED; removed kept on lanes: hygiene 1
    expect(r.score).toBeCloseTo(0.6 * (131 / 488) + 0.3 * 0.5 + 0.1, 12);
    expect(Math.round(r.score * 1000) / 10).toBe(41.1);
    expect(verdicts(r, 'row')).toEqual([['row 1', 'APPLIED_WITH_ERRORS'], ['row 2', 'APPLIED']]);
    expect(r.feedback[0]).toBe('Change 1 (TRIM_TAIL A001, 12 frames at 01:00:03:12) was applied with errors: it was applied twice, or in the wrong direction.');
  });

  test('removed material left audible on the dialogue track → 95.0 (EDGE_LONG, hygiene ½)', async () => {
    const good = studentFrom(files['v2.edl']);
    const t: Timeline = {
      ...good,
      tracks: good.tracks.filter((x) => x.name !== 'DX1 (conform removed) 1').map((x) => (x.name !== 'DX1' ? x : {
        ...x, clips: x.clips.map((c) => (c.name === 'dlgA' ? { ...c, duration: RationalTime.fromSamples(80 * 2000, 48000) } : c)),
      })),
    };
    const r = await grade(t);
    // everything in sync (1), both changes applied (1), one hygiene check violated: 100 × (0.6 + 0.3 + 0.05)
    expect(r.score).toBeCloseTo(0.95, 12);
    expect(verdicts(r, 'piece DX1/dlgA')).toEqual([['piece DX1/dlgA', 'EDGE_LONG']]);
    expect(r.items.filter((i) => i.evidence.detail?.['verdict'] === 'REMOVED_MATERIAL_AUDIBLE').map((i) => i.evidence.actual)).toEqual(['01:00:03:12']);
  });

  test('a clip on the wrong track: half credit for dlgC (w 110) → 93.2', async () => {
    const good = studentFrom(files['v2.edl']);
    const dlgC = good.tracks.find((x) => x.name === 'DX2')?.clips[0];
    if (!dlgC) throw new Error('fixture');
    const t: Timeline = { ...good, tracks: good.tracks.map((x) => (x.name === 'DX2' ? { ...x, clips: [] } : x.name === 'DX1' ? { ...x, clips: [...x.clips, dlgC] } : x)) };
    const r = await grade(t);
    // 100 × (0.6 × (488 − 110 + 55)/488 + 0.3 + 0.1) = 93.2
    expect(r.score).toBeCloseTo(0.6 * (433 / 488) + 0.4, 12);
    expect(Math.round(r.score * 1000) / 10).toBe(93.2);
    expect(verdicts(r, 'piece DX2')).toEqual([['piece DX2/dlgC', 'WRONG_TRACK']]);
  });

  test('music re-cut by the student: strict grading gives PARTIAL, MX lenient mode (§10.6 override) full credit', async () => {
    const good = studentFrom(files['v2.edl']);
    // music.c2 (new r[84,276), w 96) shortened by 48 frames at its tail: 144 of 192 frames present
    const t: Timeline = { ...good, tracks: good.tracks.map((x) => (x.name !== 'MX1' ? x : { ...x, clips: x.clips.map((c) => (c.name === 'music.c2' ? { ...c, duration: RationalTime.fromSamples(144 * 2000, 48000) } : c)) })) };
    const strict = await grade(t);
    expect(verdicts(strict, 'piece MX1/music.c2')).toEqual([['piece MX1/music.c2', 'PARTIAL']]);
    expect(strict.score).toBeCloseTo(0.6 * ((488 - 96 * 0.25) / 488) + 0.4, 12); // credit 0.75 on w 96
    const lenient = await runConformCheck({ ...CHECK, trackKinds: { MX: { mode: 'lenient' } } }, submit(t), { references: files });
    expect(lenient.score).toBeCloseTo(1, 12); // judged by the start of each music piece only
  });

  test('bad inputs: no session in the submission, missing reference — score 0 with diagnostics, no throw', async () => {
    const a = await runConformCheck(CHECK, { name: 's', files: [] }, { references: files });
    expect(a.score).toBe(0);
    expect(a.diagnostics.map((d) => d.code)).toContain('grade/no-session');
    const b = await runConformCheck({ ...CHECK, oldCut: 'nope.edl' }, submit(v1Session), { references: files });
    expect(b.score).toBe(0);
    expect(b.diagnostics.map((d) => d.code)).toContain('grade/no-reference');
  });
});

describe('§10 at 29.97 DF (spec Example 10)', () => {
  const DF = FrameRate.FPS_29_97_DF;
  const dfCut = (body: string) => unwrap(cutFromEdl('TITLE: X\nFCM: DROP FRAME\n' + body, { rate: FrameRate.FPS_29_97_NDF }));
  const OLD = dfCut(`001  A001  V  C  10:00:00;00 10:00:05;00 01:00:55;00 01:01:00;02
002  B001  V  C  11:00:00;00 11:00:10;00 01:01:00;02 01:01:10;02
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:10;02 01:01:14;02
`);
  const NEW = dfCut(`001  A001  V  C  10:00:00;00 10:00:04;20 01:00:55;00 01:00:59;20
002  B001  V  C  11:00:00;00 11:00:10;00 01:00:59;20 01:01:09;22
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:09;22 01:01:13;22
`);
  // the naive NDF arithmetic of the spec: "01:01:00;02 − 10 frames" = 01:00:59;22, 2 frames late
  const NAIVE = dfCut(`001  A001  V  C  10:00:00;00 10:00:04;22 01:00:55;00 01:00:59;22
002  B001  V  C  11:00:00;00 11:00:10;00 01:00:59;22 01:01:09;24
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:09;24 01:01:13;24
`);
  const at = (samples: number) => RationalTime.fromSamples(samples, 48000);
  // Example 10's regions: dlgAB samples [2786784, 2975773), dlgC [3408205, 3504301)
  const v1 = createTimeline({
    name: 'df', frameRate: DF, startTimecode: unwrap(Timecode.parse('01:00:00;00', { rate: DF })),
    tracks: [createTrack({ kind: 'audio', name: 'DX1', clips: [
      createClip({ name: 'dlgAB', start: at(2786784), duration: at(2975773 - 2786784), media: { mediaId: 'dlgAB' } }),
      createClip({ name: 'dlgC', start: at(3408205), duration: at(3504301 - 3408205), media: { mediaId: 'dlgC' } }),
    ] })],
  });

  test('a drop-frame arithmetic error is diagnosed: 2 frames late after the trim → 22.9', () => {
    const expected = unwrap(conform(OLD, NEW, sessionFromTimeline(v1)));
    const student = timelineFromResult(v1, unwrap(conform(OLD, NAIVE, sessionFromTimeline(v1))));
    const r = gradeConform(expected, v1, student, { weight: 1 });
    // pieces (samples): dlgAB.c1 80080 in sync; dlgAB.c2 92893 and dlgC 96096 are Δ = S(1792) − S(1790) = 3203 late.
    // rows 0/1; hygiene ½ (2 frames of A's removed tail audible): 100 × (0.6 × 80080/269069 + 0 + 0.05) = 22.9
    expect(r.score).toBeCloseTo(0.6 * (80080 / 269069) + 0.05, 12);
    expect(Math.round(r.score * 1000) / 10).toBe(22.9);
    expect(r.items.filter((i) => i.id.startsWith('piece')).map((i) => [i.evidence.detail?.['verdict'], i.evidence.delta?.value])).toEqual([['PASS', 0], ['SYNC_ERROR', 3203], ['SYNC_ERROR', 3203]]);
    expect(r.feedback[0]).toBe('Change 1 (TRIM_TAIL A001, 10 frames at 01:00:59;20) was applied with errors: it is off by 2 frames at a drop-frame minute: check your drop-frame arithmetic (labels ;00 and ;01 do not exist).');
  });
});

describe('rubric entry codec', () => {
  test('ConformCheck accepts the §10.1 entry and rejects a bad one with the JSON path', async () => {
    const { ConformCheck } = await import('../../src/grade/conform-grade.js');
    const good = ConformCheck.decode({ ...CHECK, tolerances: { syncPass: { frames: 0.5 }, coverage: 0.9 }, trackKinds: { MX: { mode: 'lenient' } } });
    expect(good._tag).toBe('Right');
    const bad = ConformCheck.decode({ ...CHECK, oldCut: 3, tolerances: { coverage: 2 } });
    expect(bad._tag).toBe('Left');
    if (bad._tag === 'Left') {
      const paths = bad.left.map((e) => e.context.map((c) => c.key).filter((k) => k !== '' && !/^\d+$/.test(k)).join('.'));
      expect(paths).toContain('oldCut');
      expect(paths).toContain('tolerances.coverage');
    }
  });
});
