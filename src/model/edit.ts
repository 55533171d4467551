/**
 * Editing the timeline model without mutation: every function returns a new object and shares
 * what did not change. Positions are exact; nothing rounds.
 */
import { RationalTime } from '../time/rational-time.js';
import type { TimeRange } from '../time/time-range.js';
import { clipEnd, createTrack, sortedMarkers, type TrackInit } from './build.js';
import type { Clip, Marker, MediaSource, Timeline, Track } from './types.js';

/** Index of the first clip whose start is at or after `t` (binary search; clips are sorted). */
export function lowerBound(clips: readonly Clip[], t: RationalTime): number {
  let lo = 0;
  let hi = clips.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((clips[mid] as Clip).start.compare(t) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first clip whose start is after `t`. */
function upperBound(clips: readonly Clip[], t: RationalTime): number {
  let lo = 0;
  let hi = clips.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((clips[mid] as Clip).start.compare(t) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The timeline with a track appended (or inserted at `index`). */
export function addTrack(timeline: Timeline, track: Track | TrackInit, index?: number): Timeline {
  const t = 'clips' in track && 'transitions' in track && 'metadata' in track && 'channels' in track ? (track as Track) : createTrack(track);
  const tracks = [...timeline.tracks];
  tracks.splice(index ?? tracks.length, 0, t);
  return { ...timeline, tracks };
}

/** The timeline with track `index` replaced by `update(track)`. @throws RangeError for a bad index. */
export function updateTrack(timeline: Timeline, index: number, update: (track: Track) => Track): Timeline {
  const old = timeline.tracks[index];
  if (!old) throw new RangeError(`updateTrack: no track ${index}`);
  const tracks = [...timeline.tracks];
  tracks[index] = update(old);
  return { ...timeline, tracks };
}

/** The timeline without track `index`. */
export function removeTrack(timeline: Timeline, index: number): Timeline {
  return { ...timeline, tracks: timeline.tracks.filter((_, i) => i !== index) };
}

/**
 * The track with `clip` placed at its `start` (kept sorted; after clips that start at the same
 * time). Placing over other clips is allowed; {@link validate} reports the overlap.
 */
export function placeClip(track: Track, clip: Clip): Track {
  const i = upperBound(track.clips, clip.start);
  const clips = [...track.clips];
  clips.splice(i, 0, clip);
  return { ...track, clips };
}

/** The track without clip `index`. */
export function removeClip(track: Track, index: number): Track {
  return { ...track, clips: track.clips.filter((_, i) => i !== index) };
}

/** The track with clip `index` replaced (and re-sorted when its start changed). */
export function replaceClip(track: Track, index: number, clip: Clip): Track {
  const old = track.clips[index];
  if (!old) throw new RangeError(`replaceClip: no clip ${index}`);
  if (old.start.equals(clip.start)) {
    const clips = [...track.clips];
    clips[index] = clip;
    return { ...track, clips };
  }
  return placeClip(removeClip(track, index), clip);
}

/** A clip moved by `delta` on the timeline (its source range is unchanged). */
export function moveClip(clip: Clip, delta: RationalTime): Clip {
  return { ...clip, start: clip.start.plus(delta) };
}

/**
 * A clip trimmed at its head and tail: positive `head` removes material from the start (the clip
 * starts later and plays later in its source), negative extends it; `tail` likewise at the end.
 * Source time moves by the timeline amount times the clip's speed.
 * @throws RangeError when the result would have a negative duration.
 */
export function trimClip(clip: Clip, head: RationalTime, tail: RationalTime = RationalTime.ZERO): Clip {
  const duration = clip.duration.minus(head).minus(tail);
  if (duration.isNegative()) throw new RangeError(`trimClip: trimming ${head}+${tail} s from a ${clip.duration} s clip`);
  const sourceDelta = clip.speed ? head.scaledBy(clip.speed) : head;
  return { ...clip, start: clip.start.plus(head), sourceStart: clip.sourceStart.plus(sourceDelta), duration };
}

/**
 * The track with every clip that starts at or after `from` moved by `delta` (a ripple), and the
 * transitions after `from` with them. Order is kept when `delta` does not pass earlier clips.
 */
export function rippleTrack(track: Track, from: RationalTime, delta: RationalTime): Track {
  const i = lowerBound(track.clips, from);
  const clips = track.clips.slice(0, i).concat(track.clips.slice(i).map((c) => moveClip(c, delta)));
  const transitions = track.transitions.map((t) => (t.start.compare(from) >= 0 ? { ...t, start: t.start.plus(delta) } : t));
  return createTrack({ ...track, clips, transitions });
}

/** For each clip index, the latest end among clips 0..i; cached per (immutable) clip array. */
const prefixEnds = new WeakMap<readonly Clip[], RationalTime[]>();

function prefixMaxEnds(clips: readonly Clip[]): RationalTime[] {
  let ends = prefixEnds.get(clips);
  if (!ends) {
    ends = new Array<RationalTime>(clips.length);
    let max: RationalTime | undefined;
    for (let i = 0; i < clips.length; i++) {
      const e = clipEnd(clips[i] as Clip);
      max = max === undefined || e.compare(max) > 0 ? e : max;
      ends[i] = max;
    }
    prefixEnds.set(clips, ends);
  }
  return ends;
}

/**
 * The clips of a track that share time with `range` (half-open: a clip that ends where the range
 * starts is not in it; an empty clip counts when its position lies in the range; an empty range
 * is a point query: the clips holding that instant), in track order.
 * Binary search plus a cached running maximum of clip ends, so a query costs O(log n + k) after
 * the first one on a track, even when clips overlap.
 */
export function clipsInRange(track: Track, range: TimeRange): readonly Clip[] {
  const clips = track.clips;
  const end = range.endExclusive;
  const stop = range.duration.isZero() ? upperBound(clips, end) : lowerBound(clips, end);
  const ends = prefixMaxEnds(clips);
  const out: Clip[] = [];
  for (let i = stop - 1; i >= 0; i--) {
    if ((ends[i] as RationalTime).compare(range.start) <= 0) {
      // No clip at or before i reaches past the range start, except empty clips exactly at it.
      const c = clips[i] as Clip;
      if (!(c.duration.isZero() && c.start.equals(range.start))) break;
    }
    const c = clips[i] as Clip;
    const cEnd = clipEnd(c);
    if (cEnd.compare(range.start) > 0 || (c.duration.isZero() && c.start.compare(range.start) >= 0)) out.push(c);
  }
  return out.reverse();
}

/** The timeline with a marker added (markers stay sorted by position). */
export function addMarker(timeline: Timeline, marker: Marker): Timeline {
  return { ...timeline, markers: sortedMarkers([...timeline.markers, marker]) };
}

/**
 * The timeline with a media source added, or replaced when one with the same id exists.
 */
export function addMedia(timeline: Timeline, source: MediaSource): Timeline {
  const i = timeline.media.findIndex((m) => m.id === source.id);
  if (i < 0) return { ...timeline, media: [...timeline.media, source] };
  const media = [...timeline.media];
  media[i] = source;
  return { ...timeline, media };
}

/** The media source with this id, or undefined. */
export function mediaById(timeline: Timeline, id: string): MediaSource | undefined {
  return timeline.media.find((m) => m.id === id);
}

/** The timeline with `f` applied to every clip of every track (tracks re-sorted afterwards). */
export function mapClips(timeline: Timeline, f: (clip: Clip, track: Track, index: number) => Clip): Timeline {
  return {
    ...timeline,
    tracks: timeline.tracks.map((track) => createTrack({ ...track, clips: track.clips.map((c, i) => f(c, track, i)) })),
  };
}
