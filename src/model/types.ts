import type { FrameRate } from '../time/frame-rate.js';
import type { Rational } from '../time/rational.js';
import type { RationalTime } from '../time/rational-time.js';
import type { Timecode } from '../time/timecode.js';

/**
 * The timeline model every format reads into and writes from (DESIGN.md "Model").
 *
 * Plain readonly data; only time values are classes. Positions are exact {@link RationalTime}s.
 * Clips sit at absolute timeline positions: `start` is measured from the timeline's origin, whose
 * label is `startTimecode`.
 */

/** A JSON value: what `metadata.<format>` may hold so dubstage JSON can carry it. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * What a format carries beyond the model, keyed by format id (`edl`, `xmeml`, `aaf`, `otio`,
 * `pt-text`, `bwf`…), so a read-then-write of the same format loses nothing. Values are JSON.
 */
export type Metadata = { readonly [format: string]: JsonValue };

/** The curve of a fade or crossfade. */
export type FadeShape = 'linear' | 'equal-power' | 'exponential' | 'logarithmic' | 's-curve' | 'constant';

/** A fade at a clip's head or tail. */
export interface Fade {
  readonly duration: RationalTime;
  readonly shape: FadeShape;
}

/** Which source a clip plays, and which of its channels (1-based; absent = all, in order). */
export interface MediaReference {
  /** The `id` of a {@link MediaSource} in `Timeline.media`. */
  readonly mediaId: string;
  readonly channel?: number;
}

/** A point of gain automation: time relative to the clip's start, value in dB. */
export interface GainPoint {
  readonly time: RationalTime;
  readonly gainDb: number;
}

/** A region placed on a track. */
export interface Clip {
  readonly name: string;
  /** Timeline position of the first frame/sample (0 = `startTimecode`). */
  readonly start: RationalTime;
  /** Length on the timeline. */
  readonly duration: RationalTime;
  /** Position inside the source, in the source's own clock (see {@link MediaSource.start}). */
  readonly sourceStart: RationalTime;
  /** The media played; absent for clips without media (a generator, a slug, a missing reference). */
  readonly media?: MediaReference;
  /** Clip gain in dB (0 = unity). A level, not a time, so a float is exact enough. */
  readonly gainDb?: number;
  /** Volume automation over the clip. */
  readonly gainAutomation?: readonly GainPoint[];
  readonly fadeIn?: Fade;
  readonly fadeOut?: Fade;
  readonly muted?: boolean;
  /**
   * Playback speed as a ratio of source time to timeline time (1 = normal, 0 = freeze, negative =
   * reverse), exact. Absent = 1.
   */
  readonly speed?: Rational;
  readonly metadata: Metadata;
}

/** A transition between two adjacent clips of a track (crossfade, dissolve, wipe). */
export interface Transition {
  readonly kind: 'crossfade' | 'dissolve' | 'wipe' | 'other';
  /** Timeline position where the transition starts. */
  readonly start: RationalTime;
  readonly duration: RationalTime;
  readonly shape?: FadeShape;
  readonly metadata: Metadata;
}

export type TrackKind = 'audio' | 'video';

/** A breakpoint of track automation: a timeline position (same clock as clip `start`) and a value. */
export interface AutomationPoint {
  readonly time: RationalTime;
  /** In the lane's unit: dB for `volume`, −1 (left) … 0 (centre) … +1 (right) for `pan`. */
  readonly value: number;
}

/**
 * One automated parameter of a track (mixer automation, not clip gain): `volume` in dB, `pan` from
 * −1 (hard left) through 0 (centre) to +1 (hard right), other parameters as the source format
 * names them with values as stored. Points are sorted by time; between points the value follows
 * `interpolation` (default `linear`); before the first and after the last it holds. A lane with one
 * point is a constant setting.
 */
export interface AutomationLane {
  readonly parameter: 'volume' | 'pan' | (string & {});
  readonly interpolation?: 'linear' | 'constant';
  readonly points: readonly AutomationPoint[];
}

/** A track of clips at absolute positions, sorted by start, not overlapping except in transitions. */
export interface Track {
  readonly kind: TrackKind;
  readonly name: string;
  /** Channel width: 1 (mono), 2 (stereo), 6 (5.1)… Video tracks have 0. */
  readonly channels: number;
  readonly clips: readonly Clip[];
  readonly transitions: readonly Transition[];
  readonly muted?: boolean;
  readonly solo?: boolean;
  readonly comments?: string;
  /** Track (mixer) automation lanes: volume, pan… */
  readonly automation?: readonly AutomationLane[];
  readonly metadata: Metadata;
}

/** A marker (memory location, locator, spotting cue). */
export interface Marker {
  readonly name: string;
  /** Timeline position. */
  readonly position: RationalTime;
  readonly duration?: RationalTime;
  readonly comment?: string;
  /** A colour name or `#rrggbb`, as the format gives it. */
  readonly colour?: string;
  /** Name of the track it belongs to, for track markers. */
  readonly track?: string;
  readonly metadata: Metadata;
}

/** A media file or reel that clips play. */
export interface MediaSource {
  /** Unique within the timeline; clips refer to it. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'audio' | 'video' | 'audio-video' | 'reel';
  /** A URL (`file:///…`) or a path, as the format gives it. */
  readonly url?: string;
  readonly sampleRate?: number;
  readonly channels?: number;
  /** Source time of the media's first sample/frame (its clock origin); absent = 0. */
  readonly start?: RationalTime;
  /** Length of the media. */
  readonly duration?: RationalTime;
  /** BWF TimeReference: samples since midnight at `sampleRate`. */
  readonly timeReference?: bigint;
  /** SMPTE UMID as hex. */
  readonly umid?: string;
  /** True when the media is inside the interchange file (AAF embedded essence). */
  readonly embedded?: boolean;
  readonly metadata: Metadata;
}

/** A session or a picture cut. */
export interface Timeline {
  readonly name: string;
  /** Session sample rate in Hz (the audio clock), e.g. 48000. */
  readonly sampleRate: number;
  readonly bitDepth?: number;
  /** Picture rate and drop-frame flag. */
  readonly frameRate: FrameRate;
  /** The label of timeline position 0. */
  readonly startTimecode: Timecode;
  readonly tracks: readonly Track[];
  readonly markers: readonly Marker[];
  readonly media: readonly MediaSource[];
  readonly metadata: Metadata;
}
