/**
 * Builders for the timeline model: each fills in the defaults a format would otherwise repeat
 * (empty metadata, empty lists) and returns plain readonly data. Nothing here mutates its input.
 */
import { RationalTime } from '../time/rational-time.js';
import { FrameRate } from '../time/frame-rate.js';
import { Timecode } from '../time/timecode.js';
import type { Clip, Marker, MediaSource, Metadata, Timeline, Track, TrackKind, Transition } from './types.js';

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** The empty metadata every builder defaults to (shared and frozen: a million clips, one object). */
export const NO_METADATA: Metadata = Object.freeze({});

/** What {@link createClip} needs: `sourceStart` defaults to 0, `metadata` to `{}`. */
export type ClipInit = Optional<Clip, 'metadata' | 'sourceStart'>;

/** A clip with defaults filled in. */
export function createClip(init: ClipInit): Clip {
  return { ...init, sourceStart: init.sourceStart ?? RationalTime.ZERO, metadata: init.metadata ?? NO_METADATA };
}

/** What {@link createTrack} needs: only `kind` and `name`; clips may come in any order. */
export type TrackInit = Optional<Track, 'channels' | 'clips' | 'transitions' | 'metadata'>;

/**
 * A track with defaults (audio: 1 channel, video: 0) whose clips and transitions are sorted by
 * start (stable: clips that start together keep their given order).
 */
export function createTrack(init: TrackInit): Track {
  return {
    ...init,
    channels: init.channels ?? (init.kind === 'video' ? 0 : 1),
    clips: sortedByStart(init.clips ?? []),
    transitions: sortedByStart(init.transitions ?? []),
    metadata: init.metadata ?? NO_METADATA,
  };
}

/** What {@link createTransition} needs. */
export type TransitionInit = Optional<Transition, 'kind' | 'metadata'>;

/** A transition (default kind `crossfade`). */
export function createTransition(init: TransitionInit): Transition {
  return { ...init, kind: init.kind ?? 'crossfade', metadata: init.metadata ?? NO_METADATA };
}

/** What {@link createMarker} needs. */
export type MarkerInit = Optional<Marker, 'metadata'>;

/** A marker with empty metadata by default. */
export function createMarker(init: MarkerInit): Marker {
  return { ...init, metadata: init.metadata ?? NO_METADATA };
}

/** What {@link createMediaSource} needs: `name` defaults to the id, `kind` to `audio`. */
export type MediaSourceInit = Optional<MediaSource, 'name' | 'kind' | 'metadata'>;

/** A media source with defaults filled in. */
export function createMediaSource(init: MediaSourceInit): MediaSource {
  return { ...init, name: init.name ?? init.id, kind: init.kind ?? 'audio', metadata: init.metadata ?? NO_METADATA };
}

/**
 * What {@link createTimeline} needs. Defaults: name `""`, 48000 Hz, 24 fps, start `00:00:00:00`
 * at the frame rate, no tracks, markers or media.
 */
export type TimelineInit = Partial<Timeline>;

/** A timeline with defaults; tracks are kept in the given order, markers sorted by position. */
export function createTimeline(init: TimelineInit = {}): Timeline {
  const frameRate = init.frameRate ?? FrameRate.FPS_24;
  return {
    ...init,
    name: init.name ?? '',
    sampleRate: init.sampleRate ?? 48000,
    frameRate,
    startTimecode: init.startTimecode ?? Timecode.fromFrames(0, frameRate),
    tracks: init.tracks ?? [],
    markers: sortedMarkers(init.markers ?? []),
    media: init.media ?? [],
    metadata: init.metadata ?? NO_METADATA,
  };
}

/** Items sorted by `start` (stable); returns the input itself when it is already sorted. */
export function sortedByStart<T extends { readonly start: RationalTime }>(items: readonly T[]): readonly T[] {
  for (let i = 1; i < items.length; i++) {
    if ((items[i - 1] as T).start.compare((items[i] as T).start) > 0) {
      return [...items].sort((a, b) => a.start.compare(b.start));
    }
  }
  return items;
}

/** Markers sorted by position (stable); returns the input when already sorted. */
export function sortedMarkers(markers: readonly Marker[]): readonly Marker[] {
  for (let i = 1; i < markers.length; i++) {
    if ((markers[i - 1] as Marker).position.compare((markers[i] as Marker).position) > 0) {
      return [...markers].sort((a, b) => a.position.compare(b.position));
    }
  }
  return markers;
}

/** The timeline position just after a clip: `start + duration`. */
export function clipEnd(clip: Pick<Clip, 'start' | 'duration'>): RationalTime {
  return clip.start.plus(clip.duration);
}

/** The end of the last clip (or transition) on a track; 0 for an empty track. */
export function trackEnd(track: Track): RationalTime {
  let end = RationalTime.ZERO;
  for (const c of track.clips) end = RationalTime.max(end, clipEnd(c));
  for (const t of track.transitions) end = RationalTime.max(end, t.start.plus(t.duration));
  return end;
}

/** The end of the timeline: the latest track end or marker end. */
export function timelineEnd(timeline: Timeline): RationalTime {
  let end = RationalTime.ZERO;
  for (const t of timeline.tracks) end = RationalTime.max(end, trackEnd(t));
  for (const m of timeline.markers) end = RationalTime.max(end, m.duration ? m.position.plus(m.duration) : m.position);
  return end;
}

/** The kinds a {@link Track} may have, for option parsing. */
export const TRACK_KINDS: readonly TrackKind[] = ['audio', 'video'];
