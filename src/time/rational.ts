/**
 * Exact rational numbers over bigint. Every position, duration and rate in dubstage is one.
 */

/**
 * How a conversion that can fall between two integers picks one.
 *
 * - `floor`: toward −∞. `ceil`: toward +∞. `trunc`: toward 0.
 * - `nearest`: to the nearest integer, ties toward +∞ ("round half up", the rule the timecode
 *   digest recommends for frame → sample).
 * - `half-even`: to the nearest integer, ties to the even one (banker's rounding).
 */
export type RoundingMode = 'floor' | 'ceil' | 'trunc' | 'nearest' | 'half-even';

/** All rounding modes, for option parsing and property tests. */
export const ROUNDING_MODES: readonly RoundingMode[] = ['floor', 'ceil', 'trunc', 'nearest', 'half-even'];

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Floor division of bigints (`/` truncates toward zero). `d` must be positive. */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/**
 * Divides `n` by a positive `d` with the named rounding.
 * @throws RangeError when `d` is not positive (a programmer error).
 */
export function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d <= 0n) throw new RangeError('divRound: divisor must be positive');
  const f = floorDiv(n, d);
  const r = n - f * d; // 0 <= r < d
  if (r === 0n) return f;
  switch (mode) {
    case 'floor':
      return f;
    case 'ceil':
      return f + 1n;
    case 'trunc':
      return n < 0n ? f + 1n : f;
    case 'nearest':
      return 2n * r >= d ? f + 1n : f;
    case 'half-even': {
      const twice = 2n * r;
      if (twice > d) return f + 1n;
      if (twice < d) return f;
      return f % 2n === 0n ? f : f + 1n;
    }
  }
}

/** BigInts 0..4095, made once: denominators and small numerators repeat in every time value. */
const SMALL_BIGINTS: bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));

/** `BigInt(n)` for a safe integer, without allocating for 0..4095. */
function big(n: number): bigint {
  return n >= 0 && n < 4096 ? (SMALL_BIGINTS[n] as bigint) : BigInt(n);
}

function toBig(x: bigint | number, what: string): bigint {
  if (typeof x === 'bigint') return x;
  if (!Number.isSafeInteger(x)) throw new RangeError(`Rational: ${what} must be a safe integer, got ${x}`);
  return BigInt(x);
}

/**
 * An exact rational number `num/den`, always reduced, with `den > 0`.
 *
 * Immutable. Comparison operators do not work on it (`valueOf` throws) so that `a < b` can never
 * silently compare strings or floats; use {@link Rational.compare} or the methods.
 */
export class Rational {
  /** Numerator, carries the sign. */
  readonly num: bigint;
  /** Denominator, always > 0. */
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /**
   * `num/den`, reduced. Numbers must be safe integers.
   * @throws RangeError when `den` is 0 or a number is not a safe integer.
   */
  static of(num: bigint | number, den: bigint | number = 1n): Rational {
    // Number fast path: both safe integers, reduced in doubles, two BigInts made at the end
    // (the hot path of building timelines from frame counts).
    if (typeof num === 'number' && typeof den === 'number' && Number.isSafeInteger(num) && Number.isSafeInteger(den) && den !== 0) {
      return Rational.ofSafe(num, den);
    }
    let n = toBig(num, 'numerator');
    let d = toBig(den, 'denominator');
    if (d === 0n) throw new RangeError('Rational: denominator is 0');
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    if (d === 1n) return new Rational(n, 1n);
    // Fast path: while both fit in a double exactly, run Euclid on numbers (bigint division
    // allocates at every step, and reducing is the hot path of every time operation).
    if (n <= MAX_SAFE && n >= -MAX_SAFE && d <= MAX_SAFE) {
      let a = Math.abs(Number(n));
      let b = Number(d);
      while (b !== 0) {
        const t = a % b;
        a = b;
        b = t;
      }
      if (a === 1) return new Rational(n, d);
      const g = BigInt(a);
      return new Rational(n / g, d / g);
    }
    const g = gcd(n, d);
    return g === 1n ? new Rational(n, d) : new Rational(n / g, d / g);
  }

  /** `num/den` from safe integers (den ≠ 0), reduced with number arithmetic (exact below 2^53). */
  private static ofSafe(num: number, den: number): Rational {
    let n = num;
    let d = den;
    if (d < 0) {
      n = -n;
      d = -d;
    }
    let a = n < 0 ? -n : n;
    let b = d;
    while (b !== 0) {
      const t = a % b;
      a = b;
      b = t;
    }
    // a = gcd(|n|, d) ≥ 1 since d > 0; the quotients are exact integers.
    if (a !== 1) {
      n /= a;
      d /= a;
    }
    return new Rational(n < 0 ? BigInt(n) : big(n), big(d));
  }

  /** An integer as a rational. */
  static fromInteger(n: bigint | number): Rational {
    return new Rational(toBig(n, 'integer'), 1n);
  }

  /**
   * Parses `"N"`, `"N/D"` or a plain decimal `"29.97"` / `"-0.5"` (exactly: `"29.97"` is
   * 2997/100). Returns undefined for anything else, including `D = 0`.
   */
  static parse(text: string): Rational | undefined {
    const s = text.trim();
    const m = /^([+-]?\d+)(?:\/(\d+)|\.(\d+))?$/.exec(s);
    if (!m) return undefined;
    const whole = BigInt(m[1] as string);
    if (m[2] !== undefined) {
      const d = BigInt(m[2]);
      return d === 0n ? undefined : Rational.of(whole, d);
    }
    if (m[3] !== undefined) {
      const scale = 10n ** BigInt(m[3].length);
      const frac = BigInt(m[3]);
      const negative = (m[1] as string).startsWith('-');
      return Rational.of(whole * scale + (negative ? -frac : frac), scale);
    }
    return new Rational(whole, 1n);
  }

  /**
   * The closest rational to a float whose denominator is at most `maxDen` (continued fractions).
   * For reading formats that store exact values as doubles (OTIO); the result is exact, the input
   * was not.
   * @throws RangeError for NaN or infinities.
   */
  static fromNumber(x: number, maxDen: bigint | number = 1_000_000n): Rational {
    if (!Number.isFinite(x)) throw new RangeError(`Rational.fromNumber: ${x} is not finite`);
    if (Number.isInteger(x) && Number.isSafeInteger(x)) return new Rational(BigInt(x), 1n);
    const limit = toBig(maxDen, 'maxDen');
    const negative = x < 0;
    let v = Math.abs(x);
    let p0 = 0n;
    let q0 = 1n;
    let p1 = 1n;
    let q1 = 0n;
    for (let i = 0; i < 64; i++) {
      const a = Math.floor(v);
      const ab = BigInt(a);
      const p2 = ab * p1 + p0;
      const q2 = ab * q1 + q0;
      if (q2 > limit) break;
      p0 = p1;
      q0 = q1;
      p1 = p2;
      q1 = q2;
      const frac = v - a;
      if (frac < 1e-15) break;
      v = 1 / frac;
    }
    if (q1 === 0n) return Rational.ZERO;
    return Rational.of(negative ? -p1 : p1, q1);
  }

  plus(o: Rational): Rational {
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }

  minus(o: Rational): Rational {
    if (this.den === o.den) return Rational.of(this.num - o.num, this.den);
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }

  times(o: Rational): Rational {
    return Rational.of(this.num * o.num, this.den * o.den);
  }

  /** @throws RangeError when dividing by zero. */
  dividedBy(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('Rational: division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }

  negate(): Rational {
    return new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? this.negate() : this;
  }

  /** -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  equals(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }

  /** -1, 0 or 1; suitable for `Array.prototype.sort`. */
  static compare(a: Rational, b: Rational): -1 | 0 | 1 {
    const l = a.num * b.den;
    const r = b.num * a.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  compare(o: Rational): -1 | 0 | 1 {
    return Rational.compare(this, o);
  }

  lessThan(o: Rational): boolean {
    return Rational.compare(this, o) < 0;
  }

  greaterThan(o: Rational): boolean {
    return Rational.compare(this, o) > 0;
  }

  static min(a: Rational, b: Rational): Rational {
    return Rational.compare(a, b) <= 0 ? a : b;
  }

  static max(a: Rational, b: Rational): Rational {
    return Rational.compare(a, b) >= 0 ? a : b;
  }

  /** This value rounded to an integer with the named rounding. */
  round(mode: RoundingMode): bigint {
    return this.den === 1n ? this.num : divRound(this.num, this.den, mode);
  }

  /** This value as an integer when it is one, else undefined. */
  toIntegerExact(): bigint | undefined {
    return this.den === 1n ? this.num : undefined;
  }

  /** A float approximation, for display and plotting only. */
  toNumber(): number {
    if (this.den === 1n) return Number(this.num);
    const n = Number(this.num);
    const d = Number(this.den);
    if (Number.isSafeInteger(n) && Number.isSafeInteger(d)) return n / d;
    // Keep precision for huge values: integer part exactly, fraction scaled.
    const whole = this.num / this.den;
    const rest = this.num - whole * this.den;
    return Number(whole) + Number((rest * 1_000_000_000_000n) / this.den) / 1e12;
  }

  /** `"N"` for integers, else `"N/D"`. Round-trips through {@link Rational.parse}. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  toJSON(): string {
    return this.toString();
  }

  /**
   * Always throws: relational operators and `+` would otherwise coerce silently.
   * @throws TypeError
   */
  valueOf(): never {
    throw new TypeError('Rational: use compare()/plus()/toNumber() instead of operators');
  }
}
