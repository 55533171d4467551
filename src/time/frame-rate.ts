import { error } from '../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../diagnostics/result.js';
import { Rational } from './rational.js';

/**
 * A picture frame rate as timecode sees it: the exact rate (`30000/1001`), the nominal count of
 * labels per second (30), and whether drop-frame labelling applies.
 *
 * Drop-frame exists only for `30000/1001`, `60000/1001` and `120000/1001` (SMPTE ST 12-1 §5.2.2,
 * ST 12-3); {@link FrameRate.of} rejects it anywhere else.
 */
export class FrameRate {
  /** Exact frames per second. */
  readonly rate: Rational;
  /** Labels per timecode second: 24, 25, 30, 48, 50, 60, 100, 120… */
  readonly nominalFps: number;
  /** Drop-frame labelling (skips `nominalFps/15` labels each minute but every tenth). */
  readonly dropFrame: boolean;
  /** Labels skipped per non-tenth minute: `nominalFps / 15` for drop-frame, else 0. */
  readonly dropPerMinute: number;
  /** Frames in 24 hours of labels (2,589,408 at 29.97 DF). */
  readonly framesPerDay: number;
  /** Frames in one hour of labels (107,892 at 29.97 DF). */
  readonly framesPerHour: number;
  /** Frames in ten minutes of labels (17,982 at 29.97 DF). */
  readonly framesPer10Minutes: number;
  /** Frames in a non-tenth minute of labels (1,798 at 29.97 DF). */
  readonly framesPerMinute: number;

  private constructor(rate: Rational, nominalFps: number, dropFrame: boolean) {
    this.rate = rate;
    this.nominalFps = nominalFps;
    this.dropFrame = dropFrame;
    const d = dropFrame ? nominalFps / 15 : 0;
    this.dropPerMinute = d;
    this.framesPer10Minutes = nominalFps * 600 - 9 * d;
    this.framesPerMinute = nominalFps * 60 - d;
    this.framesPerHour = this.framesPer10Minutes * 6;
    this.framesPerDay = this.framesPerHour * 24;
  }

  /**
   * A frame rate from its exact value. The nominal label count is the rate rounded to the nearest
   * integer (24000/1001 → 24).
   *
   * Alternate spellings seen in the wild (`1000/29970` s per frame, i.e. 29970/1000 fps) are
   * normalised to the NTSC rational they stand for.
   * @throws RangeError for a non-positive rate, or drop-frame where it cannot exist.
   */
  static of(num: bigint | number, den: bigint | number = 1, options: { dropFrame?: boolean } = {}): FrameRate {
    const r = normaliseNtsc(Rational.of(num, den));
    if (r.sign() <= 0) throw new RangeError(`FrameRate: rate must be positive, got ${r}`);
    const nominal = Number(r.round('nearest'));
    const drop = options.dropFrame ?? false;
    if (drop && !dropFrameAllowed(r)) {
      throw new RangeError(`FrameRate: drop-frame does not exist at ${r} fps`);
    }
    return new FrameRate(r, nominal, drop);
  }

  /**
   * Parses a rate name: `23.976 23.98 24 25 29.97 29.97df 29.97ndf 30 47.952 48 50 59.94
   * 59.94df 59.94ndf 60 100 119.88 119.88df 119.88ndf 120`, also `DF`/`NDF` in any case and with
   * a space, dash or underscore (`29.97 DF`, `29.97-ndf`), and exact rationals (`30000/1001`,
   * `30000/1001df`). A bare NTSC rate (`29.97`) means non-drop.
   */
  static parse(text: string): ParseResult<FrameRate> {
    const s = text.trim().toLowerCase();
    const m = /^([0-9]+(?:\.[0-9]+)?|[0-9]+\/[0-9]+)\s*[-_ ]?\s*(df|ndf|nd|d)?$/.exec(s);
    if (!m) {
      return fail(error('tc/bad-rate', `"${text}" is not a frame rate`, { received: text, expected: 'e.g. 23.976, 25, 29.97df, 30000/1001' }));
    }
    const value = Rational.parse(m[1] as string);
    if (!value || value.sign() <= 0) {
      return fail(error('tc/bad-rate', `"${text}" is not a positive frame rate`, { received: text }));
    }
    const exact = (m[1] as string).includes('/') ? normaliseNtsc(value) : ntscFromDecimal(value);
    const drop = m[2] === 'df' || m[2] === 'd';
    if (drop && !dropFrameAllowed(exact)) {
      return fail(error('tc/drop-frame-impossible', `drop-frame does not exist at ${m[1]} fps`, { received: text }));
    }
    return ok(new FrameRate(exact, Number(exact.round('nearest')), drop));
  }

  /** Duration of one frame in seconds (`den/num`). */
  get frameDuration(): Rational {
    return Rational.of(this.rate.den, this.rate.num);
  }

  /** True for the 1000/1001 family (23.976, 29.97, 59.94…). */
  get isNtsc(): boolean {
    return this.rate.den === 1001n;
  }

  /** The same rate with another drop-frame flag. @throws RangeError where DF cannot exist. */
  withDropFrame(dropFrame: boolean): FrameRate {
    if (dropFrame === this.dropFrame) return this;
    if (dropFrame && !dropFrameAllowed(this.rate)) {
      throw new RangeError(`FrameRate: drop-frame does not exist at ${this.rate} fps`);
    }
    return new FrameRate(this.rate, this.nominalFps, dropFrame);
  }

  equals(o: FrameRate): boolean {
    return this.dropFrame === o.dropFrame && this.rate.equals(o.rate);
  }

  /**
   * The conventional name: `23.976`, `24`, `29.97df`, `29.97ndf`, `59.94df`, `119.88ndf`, `30000/1001`
   * for rates without one. {@link FrameRate.parse} reads it back.
   */
  get name(): string {
    const r = this.rate;
    let base: string;
    if (r.den === 1n) base = r.num.toString();
    else if (r.den === 1001n && r.num % 1000n === 0n) {
      // 24000/1001 → 23.976; three decimals, trailing zeros trimmed as post tools write it.
      const milli = (r.num * 1000n + 500n) / 1001n; // nearest thousandth (half up)
      base = (Number(milli) / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
    } else base = r.toString();
    if (this.dropFrame) return `${base}df`;
    if (dropFrameAllowed(r)) return `${base}ndf`;
    return base;
  }

  toString(): string {
    return this.name;
  }

  toJSON(): string {
    return this.name;
  }

  /** @throws TypeError: frame rates are not numbers. */
  valueOf(): never {
    throw new TypeError('FrameRate: use .rate or .nominalFps');
  }

  static readonly FPS_23_976 = FrameRate.of(24000, 1001);
  static readonly FPS_24 = FrameRate.of(24);
  static readonly FPS_25 = FrameRate.of(25);
  static readonly FPS_29_97_NDF = FrameRate.of(30000, 1001);
  static readonly FPS_29_97_DF = FrameRate.of(30000, 1001, { dropFrame: true });
  static readonly FPS_30 = FrameRate.of(30);
  static readonly FPS_47_952 = FrameRate.of(48000, 1001);
  static readonly FPS_48 = FrameRate.of(48);
  static readonly FPS_50 = FrameRate.of(50);
  static readonly FPS_59_94_NDF = FrameRate.of(60000, 1001);
  static readonly FPS_59_94_DF = FrameRate.of(60000, 1001, { dropFrame: true });
  static readonly FPS_60 = FrameRate.of(60);
  static readonly FPS_100 = FrameRate.of(100);
  static readonly FPS_119_88_NDF = FrameRate.of(120000, 1001);
  static readonly FPS_119_88_DF = FrameRate.of(120000, 1001, { dropFrame: true });
  static readonly FPS_120 = FrameRate.of(120);
}

/** The rate names {@link FrameRate.parse} documents, in order. */
export const FRAME_RATE_NAMES: readonly string[] = [
  '23.976', '24', '25', '29.97df', '29.97ndf', '30', '47.952', '48', '50', '59.94df', '59.94ndf', '60',
  '100', '119.88df', '119.88ndf', '120',
];

function dropFrameAllowed(r: Rational): boolean {
  return r.den === 1001n && (r.num === 30000n || r.num === 60000n || r.num === 120000n);
}

/** 29970/1000 (a "1000/29970 s" frame duration) and friends → 30000/1001. */
function normaliseNtsc(r: Rational): Rational {
  if (r.den === 1001n || r.den === 1n) return r;
  const ntsc = Rational.of(r.round('ceil') * 1000n, 1001n);
  // Written to three decimals (29.970, 23.976, 59.940): within 0.0005 of the NTSC value.
  const diff = r.minus(ntsc).abs();
  return Rational.compare(diff, Rational.of(1, 2000)) <= 0 && !r.isInteger() ? ntsc : r;
}

/** A decimal name (`23.976`, `23.98`, `29.97`, `59.94`, `119.88`) → its exact NTSC rate. */
function ntscFromDecimal(r: Rational): Rational {
  if (r.isInteger()) return r;
  const ntsc = Rational.of(r.round('ceil') * 1000n, 1001n);
  // 23.98 is 0.0024 from 24000/1001; accept names within 0.005 (two-decimal spellings).
  const diff = r.minus(ntsc).abs();
  return Rational.compare(diff, Rational.of(1, 200)) <= 0 ? ntsc : r;
}
