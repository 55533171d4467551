import type { FrameRate } from './frame-rate.js';
import { Rational, type RoundingMode } from './rational.js';

/** Rates whose terms convert to doubles exactly, with room to spare. */
const MAX_SMALL = 1n << 32n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function rateOf(rate: FrameRate | Rational): Rational {
  return rate instanceof Rational ? rate : rate.rate;
}

function sampleRateOf(sampleRate: number | bigint | Rational): Rational {
  return sampleRate instanceof Rational ? sampleRate : Rational.of(sampleRate);
}

/**
 * An exact point or length in time: a rational number of seconds.
 *
 * Frames, samples and seconds convert in and out; conversions that can fall between two units take
 * a {@link RoundingMode}. Immutable; `valueOf` throws so `<` and `+` cannot be used by accident.
 */
export class RationalTime {
  /** Exact seconds. */
  readonly seconds: Rational;

  private constructor(seconds: Rational) {
    this.seconds = seconds;
  }

  static readonly ZERO = new RationalTime(Rational.ZERO);

  /** A time of exact seconds (a rational, an integer, or `"N/D"` text via {@link RationalTime.parse}). */
  static fromSeconds(seconds: Rational | bigint | number): RationalTime {
    return new RationalTime(seconds instanceof Rational ? seconds : Rational.of(seconds));
  }

  /** `frames` frames at `rate` (a `FrameRate` or an exact frames-per-second rational). Exact. */
  static fromFrames(frames: bigint | number, rate: FrameRate | Rational): RationalTime {
    const r = rateOf(rate);
    if (typeof frames === 'number' && Number.isSafeInteger(frames) && r.num <= MAX_SMALL && r.den <= MAX_SMALL) {
      // Number fast path: frames × den stays exact in a double (checked), reduced without bigints.
      const n = frames * Number(r.den);
      if (Number.isSafeInteger(n)) return new RationalTime(Rational.of(n, Number(r.num)));
    }
    return new RationalTime(Rational.of(BigInt(frames) * r.den, r.num));
  }

  /**
   * The frame count at `rate` as a number when this time is a whole number of frames and the
   * arithmetic stays exact in doubles; otherwise undefined (use {@link RationalTime.toFrames} with
   * a rounding). The allocation-free path writers take for every clip.
   */
  exactFrames(rate: FrameRate | Rational): number | undefined {
    const r = rateOf(rate);
    const s = this.seconds;
    // A product whose exact value passes 2^53 comes out ≥ 2^53 in doubles (rounding is monotonic),
    // so a safe product is an exact one; operands past 2^53 give unsafe products too.
    const n = Number(s.num) * Number(r.num);
    const d = Number(s.den) * Number(r.den);
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return n % d === 0 ? n / d : undefined;
    const q = s.times(r);
    return q.isInteger() && q.num <= MAX_SAFE && q.num >= -MAX_SAFE ? Number(q.num) : undefined;
  }

  /** `samples` samples at `sampleRate` Hz. Exact. */
  static fromSamples(samples: bigint | number, sampleRate: number | bigint | Rational): RationalTime {
    const sr = sampleRateOf(sampleRate);
    return new RationalTime(Rational.of(BigInt(samples) * sr.den, sr.num));
  }

  /** Parses exact seconds written `"N"` or `"N/D"` (dubstage JSON). */
  static parse(text: string): RationalTime | undefined {
    const r = Rational.parse(text);
    return r && new RationalTime(r);
  }

  plus(o: RationalTime): RationalTime {
    return new RationalTime(this.seconds.plus(o.seconds));
  }

  minus(o: RationalTime): RationalTime {
    return new RationalTime(this.seconds.minus(o.seconds));
  }

  /** This time multiplied by an exact factor (a speed change, a pull-down). */
  scaledBy(factor: Rational): RationalTime {
    return new RationalTime(this.seconds.times(factor));
  }

  negate(): RationalTime {
    return new RationalTime(this.seconds.negate());
  }

  isZero(): boolean {
    return this.seconds.isZero();
  }

  isNegative(): boolean {
    return this.seconds.sign() < 0;
  }

  /** Frame count at `rate`, with the named rounding. */
  toFrames(rate: FrameRate | Rational, rounding: RoundingMode): bigint {
    const r = rateOf(rate);
    return this.seconds.times(r).round(rounding);
  }

  /** Sample count at `sampleRate`, with the named rounding. */
  toSamples(sampleRate: number | bigint | Rational, rounding: RoundingMode): bigint {
    return this.seconds.times(sampleRateOf(sampleRate)).round(rounding);
  }

  /** This time snapped to a whole number of frames at `rate` (rounding named). */
  snappedToFrames(rate: FrameRate | Rational, rounding: RoundingMode): RationalTime {
    return RationalTime.fromFrames(this.toFrames(rate, rounding), rate);
  }

  /** This time snapped to a whole number of samples (rounding named). */
  snappedToSamples(sampleRate: number | bigint | Rational, rounding: RoundingMode): RationalTime {
    return RationalTime.fromSamples(this.toSamples(sampleRate, rounding), sampleRate);
  }

  /** True when this time is a whole number of frames at `rate`. */
  isOnFrameGrid(rate: FrameRate | Rational): boolean {
    return this.seconds.times(rateOf(rate)).isInteger();
  }

  /** True when this time is a whole number of samples at `sampleRate`. */
  isOnSampleGrid(sampleRate: number | bigint | Rational): boolean {
    return this.seconds.times(sampleRateOf(sampleRate)).isInteger();
  }

  /** Seconds as a float, for display only. */
  toSecondsNumber(): number {
    return this.seconds.toNumber();
  }

  static compare(a: RationalTime, b: RationalTime): -1 | 0 | 1 {
    return Rational.compare(a.seconds, b.seconds);
  }

  compare(o: RationalTime): -1 | 0 | 1 {
    return Rational.compare(this.seconds, o.seconds);
  }

  equals(o: RationalTime): boolean {
    return this.seconds.equals(o.seconds);
  }

  lessThan(o: RationalTime): boolean {
    return this.compare(o) < 0;
  }

  greaterThan(o: RationalTime): boolean {
    return this.compare(o) > 0;
  }

  static min(a: RationalTime, b: RationalTime): RationalTime {
    return a.compare(b) <= 0 ? a : b;
  }

  static max(a: RationalTime, b: RationalTime): RationalTime {
    return a.compare(b) >= 0 ? a : b;
  }

  /** Exact seconds as `"N"` or `"N/D"`. */
  toString(): string {
    return this.seconds.toString();
  }

  toJSON(): string {
    return this.seconds.toString();
  }

  /** @throws TypeError: use compare()/plus(). */
  valueOf(): never {
    throw new TypeError('RationalTime: use compare()/plus()/toSecondsNumber() instead of operators');
  }
}
