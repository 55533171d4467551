/**
 * fast-check arbitraries for the timeline model (issue 3), for round-trip laws.
 */
import fc from 'fast-check';
import { FrameRate } from '../../src/time/frame-rate.js';
import { Rational } from '../../src/time/rational.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';
import type { Clip, Fade, JsonValue, Marker, MediaSource, Metadata, Timeline, Track, Transition } from '../../src/model/types.js';

export const arbTime: fc.Arbitrary<RationalTime> = fc
  .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.constantFrom(1n, 24n, 25n, 30000n, 48000n, 1001n, 7n))
  .map(([n, d]) => RationalTime.fromSeconds(Rational.of(n, d)));

export const arbNonNegTime: fc.Arbitrary<RationalTime> = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.constantFrom(1n, 24n, 25n, 30000n, 48000n, 1001n))
  .map(([n, d]) => RationalTime.fromSeconds(Rational.of(n, d)));

export const arbRate: fc.Arbitrary<FrameRate> = fc.constantFrom(
  FrameRate.FPS_23_976,
  FrameRate.FPS_24,
  FrameRate.FPS_25,
  FrameRate.FPS_29_97_DF,
  FrameRate.FPS_29_97_NDF,
  FrameRate.FPS_30,
  FrameRate.FPS_59_94_DF,
  FrameRate.FPS_60,
);

const arbJson: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);

export const arbMetadata: fc.Arbitrary<Metadata> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('edl', 'otio', 'aaf', 'bwf', 'x'), arbJson, { maxKeys: 3 }) },
);

const arbShape = fc.constantFrom('linear', 'equal-power', 'exponential', 'logarithmic', 's-curve', 'constant') as fc.Arbitrary<Fade['shape']>;
const arbFade: fc.Arbitrary<Fade> = fc.record({ duration: arbNonNegTime, shape: arbShape });
// -0 dB and 0 dB are the same level, and JSON has no -0, so the generator gives +0 only.
const arbDb = fc.oneof(fc.double({ min: -144, max: 24, noNaN: true }).map((x) => (x === 0 ? 0 : x)), fc.constant(Number.NEGATIVE_INFINITY));

export const arbClip: fc.Arbitrary<Clip> = fc.record(
  {
    name: fc.string(),
    start: arbTime,
    duration: arbNonNegTime,
    sourceStart: arbTime,
    media: fc.record({ mediaId: fc.constantFrom('m1', 'm2'), channel: fc.integer({ min: 1, max: 8 }) }, { requiredKeys: ['mediaId'] }),
    gainDb: arbDb,
    gainAutomation: fc.array(fc.record({ time: arbTime, gainDb: arbDb }), { maxLength: 3 }),
    fadeIn: arbFade,
    fadeOut: arbFade,
    muted: fc.boolean(),
    speed: fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 1, max: 3 })).map(([n, d]) => Rational.of(n, d)),
    metadata: arbMetadata,
  },
  { requiredKeys: ['name', 'start', 'duration', 'sourceStart', 'metadata'] },
);

const arbTransition: fc.Arbitrary<Transition> = fc.record(
  { kind: fc.constantFrom('crossfade', 'dissolve', 'wipe', 'other') as fc.Arbitrary<Transition['kind']>, start: arbTime, duration: arbNonNegTime, shape: arbShape, metadata: arbMetadata },
  { requiredKeys: ['kind', 'start', 'duration', 'metadata'] },
);

export const arbTrack: fc.Arbitrary<Track> = fc.record(
  {
    kind: fc.constantFrom('audio', 'video') as fc.Arbitrary<Track['kind']>,
    name: fc.string(),
    channels: fc.integer({ min: 0, max: 16 }),
    clips: fc.array(arbClip, { maxLength: 5 }),
    transitions: fc.array(arbTransition, { maxLength: 2 }),
    muted: fc.boolean(),
    solo: fc.boolean(),
    comments: fc.string(),
    metadata: arbMetadata,
  },
  { requiredKeys: ['kind', 'name', 'channels', 'clips', 'transitions', 'metadata'] },
);

const arbMarker: fc.Arbitrary<Marker> = fc.record(
  { name: fc.string(), position: arbTime, duration: arbNonNegTime, comment: fc.string(), colour: fc.string(), track: fc.string(), metadata: arbMetadata },
  { requiredKeys: ['name', 'position', 'metadata'] },
);

const arbMedia: fc.Arbitrary<MediaSource> = fc.record(
  {
    id: fc.constantFrom('m1', 'm2', 'm3'),
    name: fc.string(),
    kind: fc.constantFrom('audio', 'video', 'audio-video', 'reel') as fc.Arbitrary<MediaSource['kind']>,
    url: fc.webUrl(),
    sampleRate: fc.constantFrom(44100, 48000, 96000),
    channels: fc.integer({ min: 0, max: 8 }),
    start: arbTime,
    duration: arbNonNegTime,
    timeReference: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    umid: fc.string(),
    embedded: fc.boolean(),
    metadata: arbMetadata,
  },
  { requiredKeys: ['id', 'name', 'kind', 'metadata'] },
);

export const arbTimeline: fc.Arbitrary<Timeline> = fc
  .record({
    name: fc.string(),
    sampleRate: fc.constantFrom(44100, 48000, 96000),
    bitDepth: fc.option(fc.constantFrom(16, 24, 32), { nil: undefined }),
    frameRate: arbRate,
    startFrame: fc.nat(),
    tracks: fc.array(arbTrack, { maxLength: 3 }),
    markers: fc.array(arbMarker, { maxLength: 3 }),
    media: fc.array(arbMedia, { maxLength: 3 }),
    metadata: arbMetadata,
  })
  .map(({ startFrame, bitDepth, ...t }) => ({
    ...t,
    ...(bitDepth !== undefined ? { bitDepth } : {}),
    startTimecode: Timecode.fromFrames(startFrame % t.frameRate.framesPerDay, t.frameRate),
  }));
