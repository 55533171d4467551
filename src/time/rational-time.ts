import type { FrameRate } from './frame-rate.js';
import { Rational, divRound, type RoundingMode } from './rational.js';

/** Rates whose terms convert to doubles exactly, with room to spare. */
const MAX_SMALL = 1n << 32n;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const HALF_SAFE = 2 ** 52;

function rateOf(rate: FrameRate | Rational): Rational {
  return rate instanceof Rational ? rate : rate.rate;
}

/**
 * The terms of the last rate seen as doubles (NaN when one passes 2^32): writers and readers convert
 * at one rate for a whole list, so one entry keyed by identity saves two bigint conversions per call.
 */
let smallRate: Rational | undefined;
let smallNum = NaN;
let smallDen = NaN;

function smallTermsOf(r: Rational): void {
  if (r === smallRate) return;
  const ok = r.num <= MAX_SMALL && r.den <= MAX_SMALL;
  smallNum = ok ? Number(r.num) : NaN;
  smallDen = ok ? Number(r.den) : NaN;
  smallRate = r;
}

function sampleRateOf(sampleRate: number | bigint | Rational): Rational {
  return sampleRate instanceof Rational ? sampleRate : Rational.of(sampleRate);
}

/** Greatest common divisor of two safe integers (a ≥ 0, b > 0), in doubles (exact below 2^53). */
function gcdSafe(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** n/d for integers |n|, d ≤ 2^52 (d > 0) with the named rounding (number twin of `divRound`). */
function divRoundSafe(n: number, d: number, mode: RoundingMode): number {
  // n / d in doubles can be off by one near integers when |n| is large: correct with the remainder.
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  if (r === 0) return q;
  switch (mode) {
    case 'floor':
      return q;
    case 'ceil':
      return q + 1;
    case 'trunc':
      return n < 0 ? q + 1 : q;
    case 'nearest':
      return 2 * r >= d ? q + 1 : q;
    case 'half-even': {
      const twice = 2 * r;
      if (twice > d) return q + 1;
      if (twice < d) return q;
      return q % 2 === 0 ? q : q + 1;
    }
  }
}

/**
 * An exact point or length in time: a rational number of seconds.
 *
 * Frames, samples and seconds convert in and out; conversions that can fall between two units take
 * a {@link RoundingMode}. Immutable; `valueOf` throws so `<` and `+` cannot be used by accident.
 *
 * Representation: the reduced fraction `n/d` in two safe-integer numbers whenever both fit (every
 * frame and sample position of real media does), so building, comparing and adding times allocates
 * one small object and no bigints; values beyond 2^53 keep a bigint {@link Rational}. Every
 * operation checks that its intermediate products stay below 2^53 (a double product that is safe
 * is exact) and otherwise falls back to bigint arithmetic, so results are exact either way.
 */
export class RationalTime {
  /**
   * Numerator of the reduced seconds when it is a safe integer (then `_d > 0`). Internal; plain
   * fields (not `#private`) so that structural equality in tests sees the value.
   * @internal
   */
  readonly _n: number;
  /** Denominator of the reduced seconds, > 0; 0 when the value is held in `_big`. @internal */
  readonly _d: number;
  /** The exact seconds when they do not fit safe integers (`_d` is 0), else undefined. @internal */
  readonly _big: Rational | undefined;
  /** `seconds` of a small value, made on first use. */
  #cache: Rational | undefined;

  private constructor(n: number, d: number, big: Rational | undefined) {
    this._n = n;
    this._d = d;
    this._big = big;
  }

  /** From a reduced pair of safe integers, d > 0. */
  static #small(n: number, d: number): RationalTime {
    return new RationalTime(n, d, undefined);
  }

  /** From a Rational, small when both terms are safe integers (the canonical form). */
  static #of(r: Rational): RationalTime {
    const { num, den } = r;
    if (num <= MAX_SAFE_BIG && num >= -MAX_SAFE_BIG && den <= MAX_SAFE_BIG) {
      const t = new RationalTime(Number(num), Number(den), undefined);
      t.#cache = r;
      return t;
    }
    return new RationalTime(0, 0, r);
  }

  /** `n/d` from safe integers (d ≠ 0), reduced in doubles. */
  static #reduce(n: number, d: number): RationalTime {
    if (d < 0) {
      n = -n;
      d = -d;
    }
    if (n === 0) return new RationalTime(0, 1, undefined); // never -0, and 0/d is 0/1
    if (d === 1) return new RationalTime(n, 1, undefined);
    const g = gcdSafe(n < 0 ? -n : n, d);
    return g === 1 ? new RationalTime(n, d, undefined) : new RationalTime(n / g, d / g, undefined);
  }

  /** Exact seconds. */
  get seconds(): Rational {
    return this._big ?? this.#cache ?? (this.#cache = Rational.of(this._n, this._d));
  }

  static readonly ZERO = new RationalTime(0, 1, undefined);

  /** A time of exact seconds (a rational, an integer, or `"N/D"` text via {@link RationalTime.parse}). */
  static fromSeconds(seconds: Rational | bigint | number): RationalTime {
    if (typeof seconds === 'number' && Number.isSafeInteger(seconds)) return RationalTime.#small(seconds, 1);
    return RationalTime.#of(seconds instanceof Rational ? seconds : Rational.of(seconds));
  }

  /** `frames` frames at `rate` (a `FrameRate` or an exact frames-per-second rational). Exact. */
  static fromFrames(frames: bigint | number, rate: FrameRate | Rational): RationalTime {
    const r = rateOf(rate);
    if (typeof frames === 'number' && Number.isSafeInteger(frames)) {
      smallTermsOf(r);
      // Number path: frames × den stays exact in a double (checked), reduced without bigints.
      const n = frames * smallDen;
      if (Number.isSafeInteger(n)) return RationalTime.#reduce(n, smallNum);
    }
    return RationalTime.#of(Rational.of(BigInt(frames) * r.den, r.num));
  }

  /** `samples` samples at `sampleRate` Hz. Exact. */
  static fromSamples(samples: bigint | number, sampleRate: number | bigint | Rational): RationalTime {
    if (typeof samples === 'number' && typeof sampleRate === 'number' && Number.isSafeInteger(samples) && Number.isSafeInteger(sampleRate) && sampleRate > 0) {
      return RationalTime.#reduce(samples, sampleRate);
    }
    const sr = sampleRateOf(sampleRate);
    return RationalTime.#of(Rational.of(BigInt(samples) * sr.den, sr.num));
  }

  /** Parses exact seconds written `"N"` or `"N/D"` (dubstage JSON). */
  static parse(text: string): RationalTime | undefined {
    const r = Rational.parse(text);
    return r && RationalTime.#of(r);
  }

  /**
   * The frame count at `rate` as a number when this time is a whole number of frames and the
   * arithmetic stays exact in doubles; otherwise undefined (use {@link RationalTime.toFrames} with
   * a rounding). The allocation-free path writers take for every clip.
   */
  exactFrames(rate: FrameRate | Rational): number | undefined {
    const r = rateOf(rate);
    if (this._d !== 0) {
      smallTermsOf(r);
      // A product whose exact value passes 2^53 comes out ≥ 2^53 in doubles (rounding is
      // monotonic), so a safe product is an exact one (NaN terms: not safe, the bigint path).
      const n = this._n * smallNum;
      const d = this._d * smallDen;
      if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return n % d === 0 ? n / d + 0 : undefined; // + 0: never -0
    }
    const q = this.seconds.times(r);
    return q.isInteger() && q.num <= MAX_SAFE_BIG && q.num >= -MAX_SAFE_BIG ? Number(q.num) : undefined;
  }

  /** `this ± o` in doubles when every intermediate is safe, else undefined. */
  #addSmall(o: RationalTime, sign: 1 | -1): RationalTime | undefined {
    const d1 = this._d;
    const d2 = o._d;
    if (d1 === 0 || d2 === 0) return undefined;
    if (d1 === d2) {
      const n = this._n + sign * o._n;
      if (!Number.isSafeInteger(n)) return undefined;
      return d1 === 1 ? RationalTime.#small(n, 1) : RationalTime.#reduce(n, d1);
    }
    const a = this._n * d2;
    const b = o._n * d1;
    const d = d1 * d2;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(d)) return undefined;
    const n = a + sign * b;
    return Number.isSafeInteger(n) ? RationalTime.#reduce(n, d) : undefined;
  }

  plus(o: RationalTime): RationalTime {
    return this.#addSmall(o, 1) ?? RationalTime.#of(this.seconds.plus(o.seconds));
  }

  minus(o: RationalTime): RationalTime {
    return this.#addSmall(o, -1) ?? RationalTime.#of(this.seconds.minus(o.seconds));
  }

  /** This time multiplied by an exact factor (a speed change, a pull-down). */
  scaledBy(factor: Rational): RationalTime {
    if (this._d !== 0 && factor.num <= MAX_SMALL && factor.num >= -MAX_SMALL && factor.den <= MAX_SMALL) {
      const n = this._n * Number(factor.num);
      const d = this._d * Number(factor.den);
      if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return RationalTime.#reduce(n, d);
    }
    return RationalTime.#of(this.seconds.times(factor));
  }

  negate(): RationalTime {
    return this._d !== 0 ? RationalTime.#small(this._n === 0 ? 0 : -this._n, this._d) : RationalTime.#of(this.seconds.negate());
  }

  isZero(): boolean {
    return this._d !== 0 ? this._n === 0 : this.seconds.isZero();
  }

  isNegative(): boolean {
    return this._d !== 0 ? this._n < 0 : this.seconds.sign() < 0;
  }

  /** `this × factor` rounded, in doubles when exact (a and b are the factor's terms). */
  #scaleRound(fn: bigint, fd: bigint, rounding: RoundingMode): bigint {
    if (this._d !== 0 && fn <= MAX_SMALL && fn >= -MAX_SMALL && fd <= MAX_SMALL) {
      const n = this._n * Number(fn);
      const d = this._d * Number(fd);
      // Below 2^52 the quotient correction in divRoundSafe (q × d within |n| + d) stays exact.
      if (n <= HALF_SAFE && n >= -HALF_SAFE && d <= HALF_SAFE) return BigInt(divRoundSafe(n, d, rounding));
    }
    const s = this.seconds;
    return divRound(s.num * fn, s.den * fd, rounding);
  }

  /** Frame count at `rate`, with the named rounding. */
  toFrames(rate: FrameRate | Rational, rounding: RoundingMode): bigint {
    const r = rateOf(rate);
    return this.#scaleRound(r.num, r.den, rounding);
  }

  /** Sample count at `sampleRate`, with the named rounding. */
  toSamples(sampleRate: number | bigint | Rational, rounding: RoundingMode): bigint {
    if (typeof sampleRate === 'number' && Number.isSafeInteger(sampleRate) && sampleRate > 0 && sampleRate <= 0xffffffff) {
      return this.#scaleRound(BigInt(sampleRate), 1n, rounding);
    }
    const sr = sampleRateOf(sampleRate);
    return this.#scaleRound(sr.num, sr.den, rounding);
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
    return this.exactFrames(rate) !== undefined || this.seconds.times(rateOf(rate)).isInteger();
  }

  /** True when this time is a whole number of samples at `sampleRate`. */
  isOnSampleGrid(sampleRate: number | bigint | Rational): boolean {
    if (this._d !== 0 && typeof sampleRate === 'number' && Number.isSafeInteger(sampleRate) && sampleRate > 0) {
      const n = this._n * sampleRate;
      if (Number.isSafeInteger(n)) return n % this._d === 0;
    }
    return this.seconds.times(sampleRateOf(sampleRate)).isInteger();
  }

  /** Seconds as a float, for display only. */
  toSecondsNumber(): number {
    return this._d !== 0 ? this._n / this._d : this.seconds.toNumber();
  }

  static compare(a: RationalTime, b: RationalTime): -1 | 0 | 1 {
    return a.compare(b);
  }

  compare(o: RationalTime): -1 | 0 | 1 {
    const d1 = this._d;
    const d2 = o._d;
    if (d1 !== 0 && d2 !== 0) {
      if (d1 === d2) return this._n < o._n ? -1 : this._n > o._n ? 1 : 0;
      const l = this._n * d2;
      const r = o._n * d1;
      if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r ? -1 : l > r ? 1 : 0;
    }
    return Rational.compare(this.seconds, o.seconds);
  }

  equals(o: RationalTime): boolean {
    // Both forms are canonical (reduced, small whenever the terms fit), so equal values have equal
    // terms and a small value never equals a big one.
    if (this._d !== 0 || o._d !== 0) return this._n === o._n && this._d === o._d;
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
    if (this._d === 0) return this.seconds.toString();
    return this._d === 1 ? `${this._n}` : `${this._n}/${this._d}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /** @throws TypeError: use compare()/plus(). */
  valueOf(): never {
    throw new TypeError('RationalTime: use compare()/plus()/toSecondsNumber() instead of operators');
  }
}
