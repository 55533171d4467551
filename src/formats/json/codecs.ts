/**
 * io-ts codecs of the dubstage JSON document (schema `dubstage.timeline`, version 1). The only
 * place io-ts enters the JSON format. Time values are exact rationals written `"N"` or `"N/D"`
 * seconds; rates `"30000/1001"`; bigints as decimal strings; no floats except levels in dB.
 */
import * as t from 'io-ts';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import type { JsonValue } from '../../model/types.js';

const RATIONAL_TEXT = /^-?\d+(?:\/[1-9]\d*)?$/;

/** Exact seconds as `"N"` or `"N/D"` ⇄ {@link RationalTime}. */
export const RationalTimeC = new t.Type<RationalTime, string, unknown>(
  'RationalTime',
  (u): u is RationalTime => u instanceof RationalTime,
  (u, c) => {
    if (typeof u !== 'string' || !RATIONAL_TEXT.test(u)) return t.failure(u, c, 'exact seconds written "N" or "N/D"');
    const r = RationalTime.parse(u);
    return r ? t.success(r) : t.failure(u, c, 'exact seconds written "N" or "N/D"');
  },
  (a) => a.toString(),
);

/** An exact rational `"N"` or `"N/D"` ⇄ {@link Rational}. */
export const RationalC = new t.Type<Rational, string, unknown>(
  'Rational',
  (u): u is Rational => u instanceof Rational,
  (u, c) => {
    if (typeof u !== 'string' || !RATIONAL_TEXT.test(u)) return t.failure(u, c, 'an exact rational written "N" or "N/D"');
    const r = Rational.parse(u);
    return r ? t.success(r) : t.failure(u, c, 'an exact rational written "N" or "N/D"');
  },
  (a) => a.toString(),
);

/** A bigint written as a decimal string ⇄ bigint. */
export const BigIntC = new t.Type<bigint, string, unknown>(
  'BigIntString',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) => (typeof u === 'string' && /^-?\d+$/.test(u) ? t.success(BigInt(u)) : t.failure(u, c, 'an integer written as a decimal string')),
  (a) => a.toString(),
);

/** A level in dB: a finite number, or `"-inf"` for silence. */
export const DecibelC = new t.Type<number, number | string, unknown>(
  'Decibels',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    if (typeof u === 'number' && Number.isFinite(u)) return t.success(u);
    if (u === '-inf') return t.success(Number.NEGATIVE_INFINITY);
    return t.failure(u, c, 'a level in dB (a number, or "-inf")');
  },
  (a) => (a === Number.NEGATIVE_INFINITY ? '-inf' : a),
);

function isJsonValue(u: unknown, depth: number): u is JsonValue {
  if (depth > 1000) return false;
  if (u === null || typeof u === 'string' || typeof u === 'boolean') return true;
  if (typeof u === 'number') return Number.isFinite(u);
  if (Array.isArray(u)) return u.every((x) => isJsonValue(x, depth + 1));
  if (typeof u === 'object') {
    const proto = Object.getPrototypeOf(u);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const k in u) if (!isJsonValue((u as Record<string, unknown>)[k], depth + 1)) return false;
    return true;
  }
  return false;
}

/** Any JSON value (finite numbers only). */
export const JsonValueC = new t.Type<JsonValue, JsonValue, unknown>(
  'JsonValue',
  (u): u is JsonValue => isJsonValue(u, 0),
  (u, c) => (isJsonValue(u, 0) ? t.success(u) : t.failure(u, c, 'a JSON value')),
  t.identity,
);

/** `metadata`: an object of JSON values keyed by format id. */
export const MetadataC = t.record(t.string, JsonValueC, 'Metadata');

const FadeShapeC = t.keyof(
  { linear: null, 'equal-power': null, exponential: null, logarithmic: null, 's-curve': null, constant: null },
  'FadeShape',
);

const FadeC = t.type({ duration: RationalTimeC, shape: FadeShapeC }, 'Fade');

const NonNegIntC = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInteger');
const PosIntC = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n > 0, 'PositiveInteger');

const MediaReferenceC = t.intersection([t.type({ mediaId: t.string }), t.partial({ channel: PosIntC })], 'MediaReference');

const GainPointC = t.type({ time: RationalTimeC, gainDb: DecibelC }, 'GainPoint');

/** One clip. */
export const ClipC = t.intersection(
  [
    t.type({ name: t.string, start: RationalTimeC, duration: RationalTimeC, sourceStart: RationalTimeC }),
    t.partial({
      media: MediaReferenceC,
      gainDb: DecibelC,
      gainAutomation: t.readonlyArray(GainPointC),
      fadeIn: FadeC,
      fadeOut: FadeC,
      muted: t.boolean,
      speed: RationalC,
      metadata: MetadataC,
    }),
  ],
  'Clip',
);

const TransitionC = t.intersection(
  [
    t.type({ kind: t.keyof({ crossfade: null, dissolve: null, wipe: null, other: null }), start: RationalTimeC, duration: RationalTimeC }),
    t.partial({ shape: FadeShapeC, metadata: MetadataC }),
  ],
  'Transition',
);

const AutomationLaneC = t.intersection(
  [
    t.type({ parameter: t.string, points: t.readonlyArray(t.type({ time: RationalTimeC, value: DecibelC }, 'AutomationPoint')) }),
    t.partial({ interpolation: t.keyof({ linear: null, constant: null }) }),
  ],
  'AutomationLane',
);

/** One track. */
export const TrackC = t.intersection(
  [
    t.type({ kind: t.keyof({ audio: null, video: null }), name: t.string, channels: NonNegIntC, clips: t.readonlyArray(ClipC) }),
    t.partial({
      transitions: t.readonlyArray(TransitionC),
      muted: t.boolean,
      solo: t.boolean,
      comments: t.string,
      automation: t.readonlyArray(AutomationLaneC),
      metadata: MetadataC,
    }),
  ],
  'Track',
);

const MarkerC = t.intersection(
  [
    t.type({ name: t.string, position: RationalTimeC }),
    t.partial({ duration: RationalTimeC, comment: t.string, colour: t.string, track: t.string, metadata: MetadataC }),
  ],
  'Marker',
);

const MediaSourceC = t.intersection(
  [
    t.type({ id: t.string, name: t.string, kind: t.keyof({ audio: null, video: null, 'audio-video': null, reel: null }) }),
    t.partial({
      url: t.string,
      sampleRate: PosIntC,
      channels: NonNegIntC,
      start: RationalTimeC,
      duration: RationalTimeC,
      timeReference: BigIntC,
      umid: t.string,
      embedded: t.boolean,
      metadata: MetadataC,
    }),
  ],
  'MediaSource',
);

/** The whole version-1 document. */
export const TimelineDocumentC = t.intersection(
  [
    t.type({
      schema: t.literal('dubstage.timeline'),
      schemaVersion: t.literal(1),
      name: t.string,
      sampleRate: PosIntC,
      frameRate: RationalC,
      startTimecode: t.string,
      tracks: t.readonlyArray(TrackC),
    }),
    t.partial({
      dropFrame: t.boolean,
      bitDepth: PosIntC,
      markers: t.readonlyArray(MarkerC),
      media: t.readonlyArray(MediaSourceC),
      metadata: MetadataC,
    }),
  ],
  'DubstageTimeline',
);

/** The decoded (typed) version-1 document, before it becomes a {@link Timeline}. */
export type TimelineDocument = t.TypeOf<typeof TimelineDocumentC>;

/**
 * The JSON path of an io-ts error: `['tracks[2]', 'clips[5]', 'start']`. Intersection and
 * union members are skipped; array indices are attached to the array's key.
 */
export function errorPath(context: t.Context): string[] {
  const path: string[] = [];
  for (let i = 1; i < context.length; i++) {
    const parent = (context[i - 1] as t.ContextEntry).type;
    const entry = context[i] as t.ContextEntry;
    if (parent instanceof t.IntersectionType || parent instanceof t.UnionType || parent instanceof t.RefinementType) continue;
    if (parent instanceof t.ReadonlyArrayType || parent instanceof t.ArrayType) {
      const last = path.pop() ?? '';
      path.push(`${last}[${entry.key}]`);
    } else path.push(entry.key);
  }
  return path;
}
