// Automation and crossfades follow their material (spec/conform.md §5.2 item 6, §5.3) on the §8
// fixture with Example 5's and Example 9's new cuts. Expected values are derived by hand from the
// spec's rules and its maps (Example 5: [0,168) δ0 · insert [168,216) · [168,336)→δ+48;
// Example 9: [0,84) δ0 · r[84,96) removed · [96,288) δ−12 · insert [276,300) · [288,336) δ+12).
import { describe, expect, test } from 'vitest';
import { createClip, createTimeline, createTrack, createTransition } from '../../src/model/build.js';
import { cutFromTimeline, sessionFromTimeline, timelineFromResult } from '../../src/conform/model.js';
import { applyConformMap } from '../../src/conform/apply.js';
import { buildConformMap } from '../../src/conform/map.js';
import { unwrap } from '../../src/diagnostics/result.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';
import { F0, R24, V1, V2_EX9, edl, fixture, reg, run, s } from './fixture.js';

const EX5 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  E001  V  C  14:00:00:00 14:00:02:00 01:00:07:00 01:00:09:00
004  C001  V  C  12:00:00:00 12:00:05:00 01:00:09:00 01:00:14:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:14:00 01:00:16:00
`);

describe('§5.3 automation', () => {
  test('a track lane with a step at the insert point holds the left value over the insert, then steps (AUTOMATION_DISCONTINUITY)', () => {
    const base = fixture();
    const lane = { param: 'volume', points: [{ t: s(100), v: 0 }, { t: s(168), v: 0 }, { t: s(168), v: 6 }, { t: s(300), v: 6 }] };
    const session = { ...base, tracks: base.tracks.map((t) => (t.name === 'FX1' ? { ...t, automation: [lane] } : t)) };
    const r = run(V1, EX5, session);
    // old r168 is the insert point: 0 just before it, 6 from it; the insert [168,216) holds 0, then 6.
    expect(r.session.tracks.find((t) => t.name === 'FX1')?.automation?.[0]?.points).toEqual([{ t: s(0), v: 0 }, { t: s(216), v: 0 }, { t: s(216), v: 6 }, { t: s(384), v: 6 }]);
    expect(r.warnings.filter((w) => w.code === 'AUTOMATION_DISCONTINUITY').map((w) => [w.track, w.at])).toEqual([['FX1', F0 + 168]]);
  });

  test('clip gain automation is cut with its region: each piece gets its slice, with breakpoints at the new edges', () => {
    // music [0,336): −10 dB at r50, −2 dB at r90, 0 dB at r300 (times from the region start).
    const music = reg('R7', 'music', 0, 336, { automation: [{ t: s(50), v: -10 }, { t: s(90), v: -2 }, { t: s(300), v: 0 }] });
    const base = fixture();
    const session = { ...base, tracks: base.tracks.map((t) => (t.name === 'MX1' ? { ...t, regions: [music] } : t)) };
    const r = run(V1, V2_EX9, session);
    const mx = r.session.tracks.find((t) => t.name === 'MX1')?.regions ?? [];
    // c1 = old [0,84): v(84) = −10 + 8·34/40; c2 = old [96,288): v(96) = −2 + 2·6/210, v(288) = −2 + 2·198/210;
    // c3 = old [288,336): from v(288) to 0 at r300, flat after.
    expect(mx.map((x) => [x.name, x.automation])).toEqual([
      ['music.c1', [{ t: 0, v: -10 }, { t: s(50), v: -10 }, { t: s(84), v: -10 + (8 * 68000) / 80000 }]],
      ['music.c2', [{ t: 0, v: -2 + (2 * 12000) / 420000 }, { t: s(192), v: -2 + (2 * 396000) / 420000 }]],
      ['music.c3', [{ t: 0, v: -2 + (2 * 396000) / 420000 }, { t: s(12), v: 0 }, { t: s(48), v: 0 }]],
    ]);
    // the removed stretch r[84,96) carries its own slice on the removed lane
    const lane = r.session.tracks.find((t) => t.name === 'MX1 (conform removed) 1')?.regions[0];
    expect(lane?.automation).toEqual([{ t: 0, v: -10 + (8 * 68000) / 80000 }, { t: s(6), v: -2 }, { t: s(12), v: -2 + (2 * 12000) / 420000 }]);
  });
});

describe('§5.2 item 6 crossfades (model sessions)', () => {
  const at = (r: number) => RationalTime.fromSamples(s(r + 192), 48000); // the session starts at picture start (r −192)
  const clip = (name: string, r0: number, r1: number) => createClip({ name, start: at(r0), duration: RationalTime.fromSamples(s(r1 - r0), 48000), media: { mediaId: name } });
  const session = createTimeline({
    name: 's', frameRate: R24, startTimecode: Timecode.fromFrames(F0 - 192, R24),
    tracks: [createTrack({
      kind: 'audio', name: 'FX1',
      clips: [clip('x', 10, 44), clip('y', 36, 70), clip('p', 74, 92), clip('q', 88, 150)],
      transitions: [createTransition({ start: at(36), duration: RationalTime.fromSamples(s(8), 48000) }), createTransition({ start: at(88), duration: RationalTime.fromSamples(s(4), 48000) })],
    })],
  });

  test('a crossfade inside one stretch survives with its overlap; one across the removed tail of A001 is dropped', () => {
    const conformSession = sessionFromTimeline(session);
    // read: x|y cut at the fade middle r40, p|q at r90
    expect(conformSession.tracks[0]?.regions.map((x) => [x.name, x.start / 2000 - 192, x.end / 2000 - 192])).toEqual([['x', 10, 40], ['y', 40, 70], ['p', 74, 90], ['q', 90, 150]]);
    const r = unwrap(applyConformMap(unwrap(buildConformMap(V1, V2_EX9)), conformSession));
    expect(r.warnings.filter((w) => w.code === 'CROSSFADE_DROPPED').map((w) => [w.track, (w.at ?? 0) - F0])).toEqual([['FX1', 84]]);
    const out = timelineFromResult(session, r).tracks[0];
    const frames = (t: RationalTime) => Number(t.toSamples(48000, 'floor')) / 2000;
    // x and y overlap under the kept fade exactly as read; p loses r[84,90); q loses r[90,96) and
    // moves −12 from r96, playing from 8 frames into its file (2 under the fade + 6 removed).
    expect(out?.clips.map((c) => [c.name, frames(c.start) - 192, frames(c.start) + frames(c.duration) - 192, frames(c.sourceStart)])).toEqual([
      ['x', 10, 44, 0], ['y', 36, 70, 0], ['p', 74, 84, 0], ['q', 84, 138, 8],
    ]);
    expect(out?.transitions.map((t) => [frames(t.start) - 192, frames(t.duration)])).toEqual([[36, 8]]);
  });

  test('an audio-only model timeline has no picture events for cutFromTimeline', () => {
    expect(cutFromTimeline(session).events).toEqual([]);
  });

  test('model track automation (a constant-interpolation volume lane) follows Example 9 through the model adapters', () => {
    const withLane = {
      ...session,
      tracks: [{ ...session.tracks[0] as (typeof session.tracks)[number], automation: [{ parameter: 'volume', interpolation: 'constant' as const, points: [{ time: at(50), value: -10 }, { time: at(200), value: -3 }] }] }],
    };
    const r = unwrap(applyConformMap(unwrap(buildConformMap(V1, V2_EX9)), sessionFromTimeline(withLane)));
    const lane = timelineFromResult(withLane, r).tracks[0]?.automation?.[0];
    const frames = (t: RationalTime) => Number(t.toSamples(48000, 'floor')) / 2000 - 192;
    // held values: −10 until old r200, which lands at new r188 (δ−12); boundary points at r0 and r84
    expect(lane?.interpolation).toBe('constant');
    expect(lane?.points.map((p) => [frames(p.time), p.value])).toEqual([[0, -10], [84, -10], [188, -3], [348, -3]]);
  });
});
