import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createClip, createMarker, createMediaSource, createTimeline, createTrack, createTransition } from '../../model/build.js';
import type { JsonValue, Timeline } from '../../model/types.js';
import { trimClip } from '../../model/edit.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { detect, parse, snapRate, write } from './index.js';

const rt = (value: number | string, rate: number | string) => `{"OTIO_SCHEMA":"RationalTime.1","rate":${rate},"value":${value}}`;
const range = (start: number | string, duration: number | string, rate: number | string) =>
  `{"OTIO_SCHEMA":"TimeRange.1","start_time":${rt(start, rate)},"duration":${rt(duration, rate)}}`;
const clip = (name: string, start: number | string, duration: number | string, rate: number | string) =>
  `{"OTIO_SCHEMA":"Clip.2","name":"${name}","metadata":{},"source_range":${range(start, duration, rate)},"effects":[],"markers":[],"enabled":true,` +
  `"media_references":{"DEFAULT_MEDIA":{"OTIO_SCHEMA":"MissingReference.1","name":"","metadata":{},"available_range":null}},"active_media_reference_key":"DEFAULT_MEDIA"}`;
const doc = (children: string, rate = 24, kind = 'Audio') =>
  `{"OTIO_SCHEMA":"Timeline.1","name":"t","metadata":{},"global_start_time":null,"tracks":{"OTIO_SCHEMA":"Stack.1","name":"tracks","children":[` +
  `{"OTIO_SCHEMA":"Track.1","name":"A1","kind":"${kind}","children":[${children}]}]}}`;

function ok(r: ReturnType<typeof parse>): Timeline {
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.value;
}

describe('OTIO rates and times', () => {
  test('NTSC doubles are the 1000/1001 rationals', () => {
    // 24000/1001 and 30000/1001 as IEEE doubles (what OTIO stores): 23.976023976023978, 29.97002997002997.
    expect(snapRate(23.976023976023978)).toEqual({ rate: Rational.of(24000, 1001), exact: true });
    expect(snapRate(29.97002997002997)).toEqual({ rate: Rational.of(30000, 1001), exact: true });
    expect(snapRate(59.94005994005994)).toEqual({ rate: Rational.of(60000, 1001), exact: true });
    // Rounded spellings that editors write stand for the same rates, flagged inexact.
    expect(snapRate(23.976)).toEqual({ rate: Rational.of(24000, 1001), exact: false });
    expect(snapRate(29.97)).toEqual({ rate: Rational.of(30000, 1001), exact: false });
    expect(snapRate(25)).toEqual({ rate: Rational.of(25), exact: true });
    expect(snapRate(0)).toBeUndefined();
  });

  test('a clip at 23.976 lands on exact frames', () => {
    const t = ok(parse(doc(clip('a', 86400, 48, 23.976023976023978) + ',' + clip('b', 10, 24, 23.976023976023978))));
    expect(t.frameRate.rate.toString()).toBe('24000/1001');
    const [a, b] = t.tracks[0]?.clips ?? [];
    // 48 frames at 24000/1001 fps = 48 * 1001/24000 s = 2.002 s (exact).
    expect(a?.duration.toString()).toBe('1001/500');
    expect(b?.start.toString()).toBe('1001/500');
    expect(a?.sourceStart).toEqual(RationalTime.fromFrames(86400, FrameRate.FPS_23_976));
  });

  test('values off the frame grid snap to samples, or are flagged', () => {
    // 10.5 frames at 24 fps = 0.4375 s = 21000 samples at 48 kHz: on the sample grid, no diagnostic.
    const t = parse(doc(clip('a', 0, 10.5, 24)));
    expect(t.diagnostics).toEqual([]);
    expect(ok(t).tracks[0]?.clips[0]?.duration.toString()).toBe('7/16');
    // 0.3333 frames at 24 fps is 666.6 samples at 48 kHz: on neither grid.
    const u = parse(doc(clip('a', 0, 0.3333, 24)));
    expect(u.diagnostics[0]).toMatchObject({ code: 'otio/off-grid', severity: 'warning' });
    expect(u.diagnostics[0]?.path).toEqual(['tracks', 'children[0]', 'children[0]', 'source_range', 'duration']);
  });

  test('a time on neither grid is written exactly at its own denominator as the rate (FCPXML 1/120000 s)', () => {
    // dawfilekit__AudioOnly.fcpxml's "Water Lake 3" starts at 10487647/120000 s: not a whole
    // number of 48 kHz samples (4195058.8) nor of frames.
    const start = RationalTime.fromSeconds(Rational.of(10487647, 120000));
    const c = createClip({ name: 'c', start, duration: RationalTime.fromFrames(24, FrameRate.FPS_24) });
    const t = createTimeline({ frameRate: FrameRate.FPS_24, tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [c] })] });
    const out = write(t);
    expect(out.diagnostics).toEqual([]);
    expect(ok(parse(out.value)).tracks[0]?.clips[0]?.start.toString()).toBe('10487647/120000');
  });

  test('a time on the sample grid but not the frame grid is written at the sample rate', () => {
    const c = createClip({ name: 'c', start: RationalTime.fromSamples(1601, 48000), duration: RationalTime.fromFrames(2, FrameRate.FPS_24) });
    const t = createTimeline({ tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [c] })] });
    const out = write(t);
    expect(out.diagnostics).toEqual([]);
    const back = ok(parse(out.value));
    expect(back.tracks[0]?.clips[0]?.start.toString()).toBe('1601/48000');
    expect(out.value).toContain('"rate": 48000,');
  });
});

describe('OTIO structure', () => {
  test('gaps are space; transitions sit on the cut', () => {
    const tr = `{"OTIO_SCHEMA":"Transition.1","name":"x","transition_type":"SMPTE_Dissolve","in_offset":${rt(6, 24)},"out_offset":${rt(4, 24)}}`;
    const gap = `{"OTIO_SCHEMA":"Gap.1","name":"","source_range":${range(0, 24, 24)}}`;
    const t = ok(parse(doc([clip('a', 0, 24, 24), gap, clip('b', 0, 48, 24), tr, clip('c', 0, 24, 24)].join(','))));
    const k = t.tracks[0];
    const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_24);
    expect(k?.clips.map((c) => [c.name, c.start])).toEqual([
      ['a', f(0)],
      ['b', f(48)],
      ['c', f(96)],
    ]);
    // OTIO: a transition at the cut c covers [c - in_offset, c + out_offset).
    expect(k?.transitions[0]).toMatchObject({ kind: 'crossfade', start: f(90), duration: f(10) });
    const again = JSON.parse(write(t).value);
    expect(again.tracks.children[0].children.map((x: { OTIO_SCHEMA: string }) => x.OTIO_SCHEMA)).toEqual(['Clip.2', 'Gap.1', 'Clip.2', 'Transition.1', 'Clip.2']);
  });

  test('a dissolve that starts at the incoming clip (as an EDL gives it) is written as OTIO reads the EDL', () => {
    // EXPECTED.md, otio-cmx3600__dissolve_test.edl: items clip/transition/clip/clip; clip_A duration 9,
    // visible 19 (so out_offset 10, in_offset 0); transition 10 frames; clip_B duration 10; item 3 duration 1.
    const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_24);
    const t = createTimeline({
      tracks: [
        createTrack({
          kind: 'video',
          name: 'V',
          clips: [createClip({ name: 'clip_A', start: f(0), duration: f(9) }), createClip({ name: 'clip_B', start: f(9), duration: f(10) }), createClip({ name: 'clip_B', start: f(19), duration: f(1) })],
          transitions: [createTransition({ kind: 'dissolve', start: f(9), duration: f(10) })],
        }),
      ],
    });
    const out = write(t);
    expect(out.diagnostics).toEqual([]);
    const items = JSON.parse(out.value).tracks.children[0].children;
    expect(items.map((x: { OTIO_SCHEMA: string }) => x.OTIO_SCHEMA)).toEqual(['Clip.2', 'Transition.1', 'Clip.2', 'Clip.2']);
    expect([items[1].in_offset.value, items[1].out_offset.value, items[1].transition_type]).toEqual([0, 10, 'SMPTE_Dissolve']);
    expect(items.map((x: { source_range?: { duration: { value: number } } }) => x.source_range?.duration.value)).toEqual([9, undefined, 10, 1]);
  });

  test('overlapping clips lose their head on an OTIO track, and say so', () => {
    const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_24);
    const t = createTimeline({
      tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [createClip({ name: 'a', start: f(0), duration: f(10) }), createClip({ name: 'b', start: f(5), duration: f(10) })] })],
    });
    const out = write(t);
    expect(out.diagnostics.map((d) => d.code)).toEqual(['otio/overlap-trimmed']);
    const back = ok(parse(out.value));
    expect(back.tracks[0]?.clips[1]).toMatchObject({ start: f(10), sourceStart: f(5), duration: f(5) });
  });

  test('a clip without source_range plays its whole media, and gets a range once trimmed', () => {
    const ext = `{"OTIO_SCHEMA":"ExternalReference.1","name":"m","metadata":{},"target_url":"file:///m.wav","available_range":${range(10, 48, 24)}}`;
    const c = `{"OTIO_SCHEMA":"Clip.1","name":"whole","metadata":{},"source_range":null,"effects":[],"markers":[],"media_reference":${ext}}`;
    const t = ok(parse(doc(c)));
    const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_24);
    // OTIO: a clip's trimmed range is its source_range, else its media's available_range.
    expect(t.tracks[0]?.clips[0]).toMatchObject({ sourceStart: f(10), duration: f(48) });
    expect(JSON.parse(write(t).value).tracks.children[0].children[0].source_range).toBeNull();
    const trimmed = { ...t, tracks: [{ ...t.tracks[0]!, clips: [trimClip(t.tracks[0]!.clips[0]!, f(2))] }] };
    const items = JSON.parse(write(trimmed).value).tracks.children[0].children;
    expect(items.map((x: { OTIO_SCHEMA: string }) => x.OTIO_SCHEMA)).toEqual(['Gap.1', 'Clip.1']); // the head trim leaves 2 frames of space
    const sr = items[1].source_range;
    expect([sr.start_time.value, sr.duration.value]).toEqual([12, 46]);
  });

  test('media not used by any clip is reported as lost', () => {
    const t = createTimeline({ media: [createMediaSource({ id: 'x', name: 'x.wav' })] });
    expect(write(t).diagnostics.map((d) => d.code)).toEqual(['otio/unreferenced-media']);
  });

  test('not a timeline, bad JSON, wrong shapes: diagnostics, never exceptions', () => {
    expect(parse('{"OTIO_SCHEMA":"Clip.2"}').diagnostics[0]).toMatchObject({ code: 'otio/not-timeline' });
    expect(parse('{"OTIO_SCHEMA":"Timeline.1",\n  "name": }').diagnostics[0]).toMatchObject({ code: 'otio/syntax', at: { line: 2, column: 11 } });
    const bad = parse(doc(`{"OTIO_SCHEMA":"Clip.2","name":"a","source_range":{"start_time":3}}`));
    expect(bad.diagnostics.map((d) => d.code)).toContain('otio/bad-time');
    fc.assert(
      fc.property(fc.json(), (s) => {
        parse(s);
        parse(`{"OTIO_SCHEMA":"Timeline.1","tracks":${s}}`);
      }),
    );
  });

  test('detect', () => {
    expect(detect(new TextEncoder().encode(doc('')))).toBe(true);
    expect(detect(new TextEncoder().encode('{"schema":"dubstage.timeline"}'))).toBe(false);
  });
});

/** The model without what the OTIO reader keeps for itself (`metadata.otio`). */
function withoutOtio(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutOtio);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'metadata') {
        const { otio: _, ...rest } = x as Record<string, JsonValue>;
        o[k] = rest;
      } else o[k] = withoutOtio(x);
    }
    return o;
  }
  return v;
}

const rates = [FrameRate.FPS_23_976, FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_29_97_NDF, FrameRate.FPS_30];
const arbOtioTimeline = fc
  .record({
    rate: fc.constantFrom(...rates),
    sampleRate: fc.constantFrom(44100, 48000, 96000),
    start: fc.nat({ max: 2_000_000 }),
    tracks: fc.array(
      fc.record({
        kind: fc.constantFrom('audio' as const, 'video' as const),
        channels: fc.integer({ min: 0, max: 8 }),
        muted: fc.option(fc.boolean(), { nil: undefined }),
        clips: fc.array(
          fc.record({
            gapSamples: fc.nat({ max: 100_000 }),
            samples: fc.integer({ min: 1, max: 1_000_000 }),
            sourceSamples: fc.nat({ max: 10_000_000 }),
            gainDb: fc.option(fc.double({ min: -60, max: 12, noNaN: true }).map((x) => (x === 0 ? 0 : x)), { nil: undefined }), // JSON has no -0
            muted: fc.option(fc.boolean(), { nil: undefined }),
            speed: fc.option(fc.constantFrom(Rational.of(2), Rational.of(1, 3), Rational.ZERO), { nil: undefined }),
            media: fc.boolean(),
          }),
          { maxLength: 6 },
        ),
      }),
      { maxLength: 3 },
    ),
    markers: fc.array(fc.record({ name: fc.string(), samples: fc.nat({ max: 10_000_000 }), comment: fc.option(fc.string(), { nil: undefined }), colour: fc.option(fc.constantFrom('RED', 'GREEN'), { nil: undefined }) }), {
      maxLength: 3,
    }),
  })
  .map(({ rate, sampleRate, start, tracks, markers }) => {
    const media = [createMediaSource({ id: 'snd', name: 'snd.wav', url: 'file:///snd.wav', sampleRate: 48000, channels: 2, timeReference: 172_800_000n, duration: RationalTime.fromSeconds(3600) })];
    let used = false;
    const ts = tracks.map((k, i) => {
      let pos = 0;
      const clips = k.clips.map((c, j) => {
        pos += c.gapSamples;
        const clip = createClip({
          name: `c${i}.${j}`,
          start: RationalTime.fromSamples(pos, sampleRate),
          duration: RationalTime.fromSamples(c.samples, sampleRate),
          sourceStart: RationalTime.fromSamples(c.sourceSamples, sampleRate),
          ...(c.gainDb !== undefined ? { gainDb: c.gainDb } : {}),
          ...(c.muted ? { muted: true } : {}),
          ...(c.speed !== undefined ? { speed: c.speed } : {}),
          ...(c.media ? { media: { mediaId: 'snd', channel: 2 } } : {}),
        });
        if (c.media) used = true;
        pos += c.samples;
        return clip;
      });
      return createTrack({ kind: k.kind, name: `T${i}`, channels: k.channels, clips, ...(k.muted ? { muted: true } : {}) });
    });
    return createTimeline({
      name: 'p',
      sampleRate,
      frameRate: rate,
      startTimecode: Timecode.fromFrames(start, rate),
      tracks: ts,
      media: used ? media : [],
      markers: markers.map((m) =>
        createMarker({
          name: m.name,
          position: RationalTime.fromSamples(m.samples, sampleRate),
          ...(m.comment !== undefined ? { comment: m.comment } : {}),
          ...(m.colour !== undefined ? { colour: m.colour } : {}),
          metadata: { edl: { loc: m.name } },
        }),
      ),
    });
  });

describe('OTIO round trip', () => {
  test('model→OTIO→model keeps every model field (fast-check)', () => {
    fc.assert(
      fc.property(arbOtioTimeline, (t) => {
        const out = write(t);
        expect(out.diagnostics).toEqual([]);
        const back = ok(parse(out.value));
        expect(withoutOtio(back)).toEqual(withoutOtio(t));
      }),
      { numRuns: 150 },
    );
  });

  test('track automation survives a round trip in metadata.dubstage', () => {
    const automation = [{ parameter: 'pan', interpolation: 'linear' as const, points: [{ time: RationalTime.ZERO, value: -1 }, { time: RationalTime.fromFrames(12, FrameRate.FPS_24), value: 1 }] }];
    const t = createTimeline({ frameRate: FrameRate.FPS_24, tracks: [{ ...createTrack({ kind: 'audio', name: 'A1' }), automation }] });
    const back = ok(parse(write(t).value));
    expect(back.tracks[0]?.automation).toEqual(automation);
  });

  test('transitions survive a round trip', () => {
    const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_25);
    const t = createTimeline({
      frameRate: FrameRate.FPS_25,
      tracks: [
        createTrack({
          kind: 'audio',
          name: 'A1',
          clips: [createClip({ name: 'a', start: f(0), duration: f(50) }), createClip({ name: 'b', start: f(50), duration: f(50) })],
          transitions: [createTransition({ start: f(45), duration: f(10), shape: 'equal-power' })],
        }),
      ],
    });
    const back = ok(parse(write(t).value));
    expect(withoutOtio(back)).toEqual(withoutOtio(t));
  });
});
