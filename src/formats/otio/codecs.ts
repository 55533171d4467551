/**
 * io-ts codecs for the value types of OpenTimelineIO JSON (`RationalTime.1`, `TimeRange.1`),
 * and the conversion of OTIO's double-based times to exact ones. The only place io-ts enters
 * the OTIO format.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { isLosslessNumber } from '../json/json-text.js';

/** A `RationalTime.1` object as OTIO writes it (`rate` and `value` are doubles). */
export const OtioRationalTimeC = t.intersection([
  t.type({ rate: t.number, value: t.number }),
  t.partial({ OTIO_SCHEMA: t.literal('RationalTime.1') }),
]);

/** A `TimeRange.1` object. */
export const OtioTimeRangeC = t.intersection([
  t.type({ start_time: OtioRationalTimeC, duration: OtioRationalTimeC }),
  t.partial({ OTIO_SCHEMA: t.literal('TimeRange.1') }),
]);

/** A decoded `RationalTime.1`. */
export type OtioRationalTime = t.TypeOf<typeof OtioRationalTimeC>;
/** A decoded `TimeRange.1`. */
export type OtioTimeRange = t.TypeOf<typeof OtioTimeRangeC>;

/** Decodes a `RationalTime.1`, or undefined when `u` is not one. */
export function decodeRationalTime(u: unknown): OtioRationalTime | undefined {
  const r = OtioRationalTimeC.decode(withNumbers(u));
  return isLeft(r) ? undefined : r.right;
}

/** Decodes a `TimeRange.1`, or undefined when `u` is not one. */
export function decodeTimeRange(u: unknown): OtioTimeRange | undefined {
  if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
    const o = u as Record<string, unknown>;
    u = { ...o, start_time: withNumbers(o['start_time']), duration: withNumbers(o['duration']) };
  }
  const r = OtioTimeRangeC.decode(u);
  return isLeft(r) ? undefined : r.right;
}

/** A RationalTime whose `rate`/`value` were kept as number text (`Inf`, `NaN`, huge integers) with those turned into numbers. */
function withNumbers(u: unknown): unknown {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return u;
  const o = u as Record<string, unknown>;
  const rate = o['rate'];
  const value = o['value'];
  const special = (x: unknown): string | undefined => (isLosslessNumber(x) ? x.$number : undefined);
  if (special(rate) === undefined && special(value) === undefined) return u;
  const n = (x: unknown): unknown => {
    const text = special(x);
    return text === undefined ? x : Number(text.replace(/Inf$/, 'Infinity'));
  };
  return { ...o, rate: n(rate), value: n(value) };
}

/** NTSC-family rates (n·1000/1001) that OTIO writes as doubles, by their nominal n. */
const NTSC_NOMINALS = [24, 30, 48, 60, 120, 240, 15, 12, 6];

/**
 * The exact rate a double stands for: integers as they are; `23.976023976…`, `29.97002997…`
 * (and the 1000/1001 family, also rounded spellings `23.976`, `29.97`, `59.94`) as n·1000/1001;
 * otherwise the closest fraction with a denominator up to 1001. `exact` is false when the double
 * was not the nearest double of the fraction returned (a rounded spelling).
 */
export function snapRate(rate: number): { rate: Rational; exact: boolean } | undefined {
  if (!Number.isFinite(rate) || rate <= 0) return undefined;
  if (Number.isInteger(rate) && Number.isSafeInteger(rate)) return { rate: Rational.of(rate), exact: true };
  for (const n of NTSC_NOMINALS) {
    const ntsc = (n * 1000) / 1001;
    if (rate === ntsc) return { rate: Rational.of(n * 1000, 1001), exact: true };
    // Rounded spellings (23.976, 29.97, 59.94, 23.98) are within 0.005 of the true rate.
    if (Math.abs(rate - ntsc) < 0.0051) return { rate: Rational.of(n * 1000, 1001), exact: false };
  }
  const r = Rational.fromNumber(rate, 1001);
  return { rate: r, exact: r.toNumber() === rate };
}
