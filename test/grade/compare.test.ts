/**
 * compare(): content matching on sync lines (spec/conform.md §10.2–§10.4). Expected values come
 * from the spec's definitions: Δ = L_actual − L_expected with L = start − fileOffset, positive =
 * late; the property tests state the laws the issue lists.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compare } from '../../src/grade/compare.js';
import { createClip, createMarker, createMediaSource, createTimeline, createTrack } from '../../src/model/build.js';
import type { Clip, Timeline, Track } from '../../src/model/types.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';

const RATES = [FrameRate.FPS_23_976, FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_30];

interface Spec {
  readonly rate: FrameRate;
  /** Per track: source clips (gap before, length, source offset, number of parts) in frames. */
  readonly tracks: readonly { gap: number; len: number; src: number; parts: number }[][];
}

const arbSpec: fc.Arbitrary<Spec> = fc.record({
  rate: fc.constantFrom(...RATES),
  tracks: fc.array(fc.array(fc.record({ gap: fc.nat(48), len: fc.integer({ min: 6, max: 200 }), src: fc.nat(10_000), parts: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
});

/** A timeline from a spec: every source clip has its own media file, cut into `parts` regions. */
function build(spec: Spec, opts: { split?: boolean; start?: number } = {}): Timeline {
  const r = spec.rate;
  const f = (n: number): RationalTime => RationalTime.fromFrames(n, r);
  const media = [];
  const tracks: Track[] = [];
  for (const [ti, list] of spec.tracks.entries()) {
    const clips: Clip[] = [];
    let pos = 0;
    for (const [ci, c] of list.entries()) {
      pos += c.gap;
      const id = `m${ti}_${ci}`;
      media.push(createMediaSource({ id, name: `${id}.wav` }));
      const parts = opts.split === false ? 1 : Math.min(c.parts, c.len);
      const cut = Math.floor(c.len / parts);
      for (let p = 0; p < parts; p++) {
        const a = p * cut;
        const b = p === parts - 1 ? c.len : (p + 1) * cut;
        clips.push(createClip({ name: `${id}.${p}`, start: f(pos + a), duration: f(b - a), sourceStart: f(c.src + a), media: { mediaId: id } }));
      }
      pos += c.len;
    }
    tracks.push(createTrack({ kind: 'audio', name: `T${ti + 1}`, clips }));
  }
  const start = opts.start ?? 86400;
  return createTimeline({ frameRate: r, startTimecode: Timecode.fromFrames(start, r), tracks, media });
}

describe('compare laws', () => {
  test('compare(t, t) is all match', () => {
    fc.assert(fc.property(arbSpec, (spec) => {
      const t = build(spec);
      const r = compare(t, t);
      expect(r.items.every((i) => i.verdict === 'match')).toBe(true);
      expect(r.credit).toBe(r.expectedCount);
    }), { numRuns: 60 });
  });

  test('splitting or joining regions keeps all match (the submission joins what the reference splits)', () => {
    fc.assert(fc.property(arbSpec, (spec) => {
      const split = build(spec);
      const joined = build(spec, { split: false });
      for (const [e, a] of [[split, joined], [joined, split]] as const) {
        const r = compare(e, a);
        expect(r.items.map((i) => i.verdict).filter((v) => v !== 'match')).toEqual([]);
      }
    }), { numRuns: 60 });
  });

  test('shifting one clip by k frames gives exactly that clip offset k', () => {
    fc.assert(fc.property(arbSpec, fc.integer({ min: 1, max: 48 }), fc.boolean(), fc.nat(), (spec, k0, early, pick) => {
      const t = build(spec, { split: false });
      const k = early ? -k0 : k0;
      const all = t.tracks.flatMap((tr, ti) => tr.clips.map((_, ci) => [ti, ci] as const));
      const [ti, ci] = all[pick % all.length] as [number, number];
      const shifted: Timeline = {
        ...t,
        tracks: t.tracks.map((tr, i) => (i !== ti ? tr : { ...tr, clips: tr.clips.map((c, j) => (j !== ci ? c : { ...c, start: c.start.plus(RationalTime.fromFrames(k, spec.rate)) })) })),
      };
      const r = compare(t, shifted);
      const off = r.items.filter((i) => i.verdict !== 'match');
      expect(off).toHaveLength(1);
      expect(off[0]).toMatchObject({ verdict: 'offset', track: `T${ti + 1}`, evidence: { delta: { value: k, unit: 'frames' } } });
      expect(off[0]?.feedback).toContain(`${k0} frame${k0 === 1 ? '' : 's'} ${early ? 'early' : 'late'}`);
    }), { numRuns: 80 });
  });

  test('a different session start with the same absolute times is all match', () => {
    fc.assert(fc.property(arbSpec, fc.integer({ min: 1, max: 500 }), (spec, d) => {
      const a = build(spec, { start: 86400 });
      const b0 = build(spec, { start: 86400 - d });
      // Same absolute times: every clip d frames later on a timeline that starts d frames earlier.
      const b: Timeline = { ...b0, tracks: b0.tracks.map((tr) => ({ ...tr, clips: tr.clips.map((c) => ({ ...c, start: c.start.plus(RationalTime.fromFrames(d, spec.rate)) })) })) };
      expect(compare(a, b).items.every((i) => i.verdict === 'match')).toBe(true);
    }), { numRuns: 40 });
  });
});

describe('compare verdicts', () => {
  const r = FrameRate.FPS_24;
  const f = (n: number): RationalTime => RationalTime.fromFrames(n, r);
  const media = ['door', 'steps', 'car'].map((id) => createMediaSource({ id, name: `${id}.wav` }));
  const clip = (id: string, start: number, len: number, src = 0): Clip => createClip({ name: id, start: f(start), duration: f(len), sourceStart: f(src), media: { mediaId: id } });
  const tl = (tracks: Record<string, Clip[]>, extra: Partial<Timeline> = {}): Timeline =>
    createTimeline({ frameRate: r, startTimecode: Timecode.fromFrames(86400, r), media, tracks: Object.entries(tracks).map(([name, clips]) => createTrack({ kind: 'audio', name, clips })), ...extra });
  const expected = tl({ FX1: [clip('door', 24, 48)], FX2: [clip('steps', 100, 24)] });

  test('a clip on the wrong track is wrong-track with half credit', () => {
    const res = compare(expected, tl({ FX1: [clip('door', 24, 48), clip('steps', 100, 24)], FX2: [] }));
    const item = res.items.find((i) => i.track === 'FX2');
    expect(item).toMatchObject({ verdict: 'wrong-track', credit: 0.5, evidence: { expected: 'FX2', actual: 'FX1' } });
  });

  test('other media in place of a clip is wrong-media; the missing one is reported by name', () => {
    const res = compare(expected, tl({ FX1: [clip('car', 24, 48)], FX2: [] }));
    expect(res.items.find((i) => i.track === 'FX1')).toMatchObject({ verdict: 'wrong-media', evidence: { expected: 'door.wav', actual: 'car.wav' } });
    expect(res.items.find((i) => i.track === 'FX2')).toMatchObject({ verdict: 'missing', credit: 0 });
    // The car clip is explained by the wrong-media verdict, not reported twice.
    expect(res.summary.extra).toBe(0);
  });

  test('unexplained material is extra, with its place', () => {
    const res = compare(expected, tl({ FX1: [clip('door', 24, 48), clip('car', 200, 24)], FX2: [clip('steps', 100, 24)] }));
    const extra = res.items.filter((i) => i.verdict === 'extra');
    expect(extra).toHaveLength(1);
    // 86400 + 200 frames at 24 fps = 01:00:08:08.
    expect(extra[0]).toMatchObject({ track: 'FX1', evidence: { actual: '01:00:08:08' } });
  });

  test('a clip half present in sync is missing with credit 0.5 (spec §10.4 PARTIAL)', () => {
    const res = compare(expected, tl({ FX1: [clip('door', 24, 24)], FX2: [clip('steps', 100, 24)] }));
    expect(res.items[0]).toMatchObject({ verdict: 'missing', credit: 0.5 });
  });

  test('a 1-frame offset earns half credit, a 2-frame offset none (syncWarn = 1 frame)', () => {
    const one = compare(expected, tl({ FX1: [clip('door', 25, 48)], FX2: [clip('steps', 100, 24)] }));
    expect(one.items[0]).toMatchObject({ verdict: 'offset', credit: 0.5, evidence: { expected: '01:00:01:00', actual: '01:00:01:01', delta: { value: 1, unit: 'frames' } } });
    const two = compare(expected, tl({ FX1: [clip('door', 22, 48)], FX2: [clip('steps', 100, 24)] }));
    expect(two.items[0]).toMatchObject({ verdict: 'offset', credit: 0, evidence: { delta: { value: -2, unit: 'frames' } } });
    expect(two.items[0]?.feedback).toBe("FX1 'door' is 2 frames early: 01:00:00:22, expected 01:00:01:00.");
  });

  test('a sub-frame offset is stated in samples (48 kHz: 1/24 s = 2000 samples)', () => {
    const half = createClip({ name: 'door', start: f(24).plus(RationalTime.fromSamples(1200, 48000)), duration: f(48), sourceStart: f(0), media: { mediaId: 'door' } });
    const res = compare(expected, tl({ FX1: [half], FX2: [clip('steps', 100, 24)] }));
    expect(res.items[0]).toMatchObject({ verdict: 'offset', evidence: { delta: { value: 1200, unit: 'samples' }, actual: '01:00:01:00+1200' } });
  });

  test('tracks map by content when names differ', () => {
    const res = compare(expected, tl({ 'Door FX': [clip('door', 24, 48)], Steps: [clip('steps', 100, 24)] }));
    expect(res.trackMap).toEqual({ FX1: 'Door FX', FX2: 'Steps' });
    expect(res.items.every((i) => i.verdict === 'match')).toBe(true);
  });

  test('markers match by position within tolerance; output is deterministic', () => {
    const m = (name: string, frame: number) => createMarker({ name, position: f(frame) });
    const e = tl({ FX1: [clip('door', 24, 48)] }, { markers: [m('door slam', 24), m('car', 96)] });
    const a = tl({ FX1: [clip('door', 24, 48)] }, { markers: [m('car', 99), m('door slam', 24), m('bird', 300)] });
    const res = compare(e, a);
    const marks = res.items.filter((i) => i.kind === 'marker');
    expect(marks.map((i) => i.verdict)).toEqual(['match', 'offset', 'extra']);
    expect(marks[1]?.feedback).toBe("Marker 'car' is 3 frames late: 01:00:04:03, expected 01:00:04:00.");
    expect(JSON.stringify(compare(e, a))).toBe(JSON.stringify(res));
  });

  test('Pro Tools text clips match by their user time stamp (spec §10.1)', () => {
    const pt = (start: number, stamp: string): Clip => createClip({ name: 'dlg', start: f(start), duration: f(24), media: { mediaId: 'door' }, metadata: { 'pt-text': { timestamp: stamp } } });
    // Two regions of one recording: the second starts 24 frames later in the file and on the timeline.
    const e = tl({ DX: [pt(0, '10:00:00:00'), pt(24, '10:00:01:00')] });
    const joined = tl({ DX: [createClip({ name: 'dlg', start: f(0), duration: f(48), media: { mediaId: 'door' }, metadata: { 'pt-text': { timestamp: '10:00:00:00' } } })] });
    expect(compare(e, joined).items.every((i) => i.verdict === 'match')).toBe(true);
    const slipped = tl({ DX: [pt(0, '10:00:00:00'), pt(24, '10:00:01:02')] });
    expect(compare(e, slipped).items[1]).toMatchObject({ verdict: 'offset', evidence: { delta: { value: -2, unit: 'frames' } } });
  });
});
