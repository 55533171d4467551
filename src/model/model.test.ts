import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FrameRate } from '../time/frame-rate.js';
import { Rational } from '../time/rational.js';
import { RationalTime } from '../time/rational-time.js';
import { TimeRange } from '../time/time-range.js';
import { clipEnd, createClip, createMediaSource, createTimeline, createTrack, createTransition, timelineEnd, trackEnd } from './build.js';
import { addMarker, addMedia, addTrack, clipsInRange, mapClips, moveClip, placeClip, removeClip, replaceClip, rippleTrack, trimClip, updateTrack } from './edit.js';
import type { Clip } from './types.js';
import { validate } from './validate.js';

const rate = FrameRate.FPS_29_97_NDF;
const f = (n: number) => RationalTime.fromFrames(n, rate);
const clip = (name: string, start: number, frames: number, extra: Partial<Clip> = {}) => createClip({ name, start: f(start), duration: f(frames), ...extra });

describe('build', () => {
  test('defaults and sorting', () => {
    const t = createTrack({ kind: 'audio', name: 'A1', clips: [clip('b', 10, 5), clip('a', 0, 5)] });
    expect(t.channels).toBe(1);
    expect(t.clips.map((c) => c.name)).toEqual(['a', 'b']);
    expect(createTrack({ kind: 'video', name: 'V1' }).channels).toBe(0);
    const tl = createTimeline({ tracks: [t] });
    expect(tl.sampleRate).toBe(48000);
    expect(tl.startTimecode.toString()).toBe('00:00:00:00');
    expect(trackEnd(t)).toEqual(f(15));
    expect(timelineEnd(tl)).toEqual(f(15));
  });
});

describe('edit', () => {
  const track = createTrack({ kind: 'audio', name: 'A1', clips: [clip('a', 0, 10), clip('b', 10, 10), clip('c', 30, 10)] });

  test('edits return new objects and leave the input alone', () => {
    const frozen = JSON.stringify(track);
    const placed = placeClip(track, clip('x', 20, 5));
    expect(placed.clips.map((c) => c.name)).toEqual(['a', 'b', 'x', 'c']);
    expect(removeClip(placed, 0).clips.map((c) => c.name)).toEqual(['b', 'x', 'c']);
    expect(replaceClip(placed, 2, clip('y', 45, 1)).clips.map((c) => c.name)).toEqual(['a', 'b', 'c', 'y']);
    expect(JSON.stringify(track)).toBe(frozen);
  });

  test('trim moves the source by the same amount (times the speed)', () => {
    // One frame at 29.97 is 1001/30000 s (SMPTE ST 12-1 rate 30000/1001).
    const c = clip('a', 100, 50, { sourceStart: f(1000) });
    const t = trimClip(c, f(1), f(2));
    expect([t.start.toString(), t.sourceStart, t.duration]).toEqual([RationalTime.fromSeconds(Rational.of(101 * 1001, 30000)).toString(), f(1001), f(47)]);
    const fast = trimClip({ ...c, speed: Rational.of(2) }, f(4));
    expect(fast.sourceStart).toEqual(f(1008));
    expect(() => trimClip(c, f(30), f(30))).toThrow(RangeError);
  });

  test('move and ripple', () => {
    expect(moveClip(track.clips[0] as Clip, f(3)).start).toEqual(f(3));
    const r = rippleTrack(track, f(10), f(5));
    expect(r.clips.map((c) => c.start)).toEqual([f(0), f(15), f(35)]);
  });

  test('clipsInRange is half-open and matches a linear scan (fast-check)', () => {
    expect(clipsInRange(track, TimeRange.of(f(10), f(20))).map((c) => c.name)).toEqual(['b']);
    expect(clipsInRange(track, TimeRange.of(f(9), f(2))).map((c) => c.name)).toEqual(['a', 'b']);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(200), fc.nat(60)), { maxLength: 30 }),
        fc.nat(260),
        fc.nat(80),
        (spans, s, d) => {
          const t = createTrack({ kind: 'audio', name: 'A', clips: spans.map(([st, du], i) => clip(`c${i}`, st, du)) });
          const range = TimeRange.of(f(s), f(d));
          // An empty range is a point query: the clips that hold the instant (start <= p < end),
          // and empty clips exactly at it.
          const expected = t.clips.filter((c) =>
            d === 0
              ? c.duration.isZero() ? c.start.equals(range.start) : c.start.compare(range.start) <= 0 && clipEnd(c).compare(range.start) > 0
              : c.duration.isZero() ? range.contains(c.start) : c.start.compare(range.endExclusive) < 0 && clipEnd(c).compare(range.start) > 0,
          );
          expect(clipsInRange(t, range)).toEqual(expected);
        },
      ),
    );
  });

  test('timeline-level edits', () => {
    let tl = createTimeline();
    tl = addTrack(tl, { kind: 'audio', name: 'A1' });
    tl = updateTrack(tl, 0, (k) => placeClip(k, clip('a', 5, 5)));
    tl = addMedia(tl, createMediaSource({ id: 'm' }));
    tl = addMedia(tl, createMediaSource({ id: 'm', name: 'renamed' }));
    tl = addMarker(tl, { name: 'late', position: f(9), metadata: {} });
    tl = addMarker(tl, { name: 'early', position: f(1), metadata: {} });
    expect(tl.media.map((m) => m.name)).toEqual(['renamed']);
    expect(tl.markers.map((m) => m.name)).toEqual(['early', 'late']);
    const moved = mapClips(tl, (c) => moveClip(c, f(-5)));
    expect(moved.tracks[0]?.clips[0]?.start).toEqual(f(0));
  });
});

describe('validate', () => {
  test('automation points out of order, NaN values and empty lanes are reported with their path', () => {
    const s = (n: number) => RationalTime.fromSeconds(n);
    const automation = [
      { parameter: 'volume', points: [{ time: s(2), value: 0 }, { time: s(1), value: -6 }] },
      { parameter: 'pan', points: [{ time: s(0), value: Number.NaN }] },
      { parameter: 'pan', points: [] },
    ];
    const t = createTimeline({ tracks: [{ ...createTrack({ kind: 'audio', name: 'A' }), automation }] });
    expect(validate(t).map((d) => [d.code, d.path?.join('/')])).toEqual([
      ['model/unsorted-automation', 'tracks[0]/automation[0]/points[1]'],
      ['model/bad-automation-value', 'tracks[0]/automation[1]/points[0]'],
      ['model/empty-automation', 'tracks[0]/automation[2]'],
    ]);
  });

  test('a consistent timeline has no diagnostics', () => {
    const m = createMediaSource({ id: 'm', channels: 2, duration: f(100) });
    const t = createTimeline({ media: [m], tracks: [createTrack({ kind: 'audio', name: 'A', clips: [clip('a', 0, 10, { media: { mediaId: 'm', channel: 2 } })] })] });
    expect(validate(t)).toEqual([]);
  });

  test('overlaps, media problems and bad values are reported with their place', () => {
    const m = createMediaSource({ id: 'm', channels: 1, duration: f(100), start: f(10) });
    const t = createTimeline({
      media: [m, createMediaSource({ id: 'm' })],
      tracks: [
        createTrack({
          kind: 'audio',
          name: 'A',
          clips: [
            clip('a', 0, 10, { media: { mediaId: 'm' }, sourceStart: f(10) }),
            clip('b', 5, 10, { media: { mediaId: 'm' }, sourceStart: f(100) }), // overlaps a; plays to 110 > 10+100? no: 100+10=110 = end, ok
            clip('c', 20, 10, { media: { mediaId: 'm', channel: 2 }, sourceStart: f(105) }), // past the end, bad channel
            clip('d', 40, 10, { media: { mediaId: 'nope' } }),
            clip('e', 60, 10, { sourceStart: f(0), media: { mediaId: 'm' } }), // before the media's start
          ],
        }),
      ],
    });
    const codes = validate(t).map((d) => [d.code, d.path?.join('/')]);
    expect(codes).toEqual([
      ['model/duplicate-media-id', 'media[1]'],
      ['model/clip-overlap', 'tracks[0]/clips[1]'],
      ['model/bad-channel', 'tracks[0]/clips[2]'],
      ['model/clip-past-media', 'tracks[0]/clips[2]'],
      ['model/unknown-media', 'tracks[0]/clips[3]'],
      ['model/clip-before-media', 'tracks[0]/clips[4]'],
    ]);
  });

  test('an overlap under a crossfade is fine', () => {
    const t = createTimeline({
      tracks: [
        createTrack({ kind: 'audio', name: 'A', clips: [clip('a', 0, 10), clip('b', 8, 10)], transitions: [createTransition({ start: f(8), duration: f(2) })] }),
      ],
    });
    expect(validate(t)).toEqual([]);
  });
});
