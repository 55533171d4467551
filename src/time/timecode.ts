import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error, warning } from '../diagnostics/diagnostic.js';
import type { ParseResult } from '../diagnostics/result.js';
import { FrameRate } from './frame-rate.js';
import { divRound, Rational, type RoundingMode } from './rational.js';
import { RationalTime } from './rational-time.js';

/**
 * What to do when a frame count falls outside one day of labels (`00:00:00:00` up to 24 h).
 *
 * - `error` (default): reject. Methods throw `RangeError` (as Temporal's `overflow: 'reject'`);
 *   `Timecode.parse` returns a diagnostic.
 * - `wrap`: reduce modulo 24 h, as timecode generators do (`23:59:59:24` + 1 → `00:00:00:00`).
 * - `signed`: keep negative counts and counts past 24 h, for offsets and durations; they print
 *   with a leading `-` and hours past 23.
 */
export type TimecodeOverflow = 'error' | 'wrap' | 'signed';

/** Subframe resolutions: Pro Tools divides a frame into 100; Nuendo, Logic and FCP into 80. */
export type SubframeBase = 80 | 100;

/** The separator written before the frames field. */
export type FrameSeparator = ':' | ';' | '.' | ',';

/** Options of {@link Timecode.parse}. */
export interface TimecodeParseOptions {
  /** The rate the label counts in; decides drop-frame (the separator only draws a warning). */
  readonly rate: FrameRate;
  /** Labels past 24 h and negative labels (default `error`). */
  readonly overflow?: TimecodeOverflow;
  /** Resolution of a trailing `.ss` subframe field (default 100, as Pro Tools writes). */
  readonly subframeBase?: SubframeBase;
  /**
   * A drop-frame label that does not exist (`00:01:00;00` at 29.97 DF): `error` (default), or
   * `next` to read it as the next label that exists (`00:01:00;02`), with a warning.
   */
  readonly droppedLabel?: 'error' | 'next';
  /** Offset of the text within a larger input, added to diagnostic offsets. */
  readonly offset?: number;
  /** Line of the text within a larger input, for diagnostics. */
  readonly line?: number;
  /** Column of the text's first character within its line (1-based), for diagnostics. */
  readonly column?: number;
}

/** Options for building a timecode from a count. */
export interface TimecodeFromFramesOptions {
  readonly overflow?: TimecodeOverflow;
  readonly subframes?: number;
  readonly subframeBase?: SubframeBase;
}

/** Options of {@link Timecode.toString}. */
export interface TimecodeFormatOptions {
  /** Separator before frames; default `;` for drop-frame, `:` otherwise. */
  readonly separator?: FrameSeparator;
  /** Write `.ss` subframes (default: only when the timecode has nonzero subframes). */
  readonly subframes?: boolean;
}

/** The fields of a label. `frames` is the frame label within its second. */
export interface TimecodeComponents {
  readonly negative: boolean;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly frames: number;
}

const EMPTY: readonly Diagnostic[] = Object.freeze([]);
const NO_OPTIONS: TimecodeFromFramesOptions = Object.freeze({});
const NO_FORMAT: TimecodeFormatOptions = Object.freeze({});
const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

function pad2(n: number): string {
  return n < 100 ? (PAD2[n] as string) : String(n);
}

function pad3(n: number): string {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n);
}

/**
 * Frame count (0 = `00:00:00:00`) of a label, drop-frame aware (timecode digest §3):
 * `frames = ((h*60 + m)*60 + s) * nominal + f − D * (tm − floor(tm/10))` with `tm = 60h + m`.
 * The label is not validated here.
 */
export function labelToFrames(h: number, m: number, s: number, f: number, rate: FrameRate): number {
  const n = ((h * 60 + m) * 60 + s) * rate.nominalFps + f;
  const d = rate.dropPerMinute;
  if (d === 0) return n;
  const tm = h * 60 + m;
  return n - d * (tm - Math.floor(tm / 10));
}

/**
 * Writes the label of a non-negative frame count into `out` as [h, m, s, f] (timecode digest §3).
 * Hours are not wrapped.
 */
export function framesToLabel(frames: number, rate: FrameRate, out: number[] = [0, 0, 0, 0]): number[] {
  let n = frames;
  const d = rate.dropPerMinute;
  const nominal = rate.nominalFps;
  if (d !== 0) {
    const p10 = rate.framesPer10Minutes;
    const tens = Math.floor(n / p10);
    const r = n - tens * p10;
    n += 9 * d * tens + (r >= d ? d * Math.floor((r - d) / rate.framesPerMinute) : 0);
  }
  const totalSeconds = Math.floor(n / nominal);
  out[3] = n - totalSeconds * nominal;
  out[2] = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  out[1] = totalMinutes % 60;
  out[0] = Math.floor(totalMinutes / 60);
  return out;
}

const LABEL = [0, 0, 0, 0];

// Formatting tables: a label is three lookups and two concatenations (the hot path of batch
// conversion). "HH:" for 0–99 hours, "MM:SS" for the 3600 seconds of an hour, and the frame
// suffix (separator + 2 or 3 digits) for each separator.
const HOUR_PREFIX: string[] = Array.from({ length: 100 }, (_, h) => pad2(h) + ':');
const MINUTE_SECOND: string[] = Array.from({ length: 3600 }, (_, i) => pad2(Math.floor(i / 60)) + ':' + pad2(i % 60));
const SEPARATORS: readonly FrameSeparator[] = [':', ';', '.', ','];
/** Indexed [separator index * 2 + (3 digits ? 1 : 0)]; separator index as in SEPARATORS. */
const FRAME_SUFFIX: string[][] = SEPARATORS.flatMap((sep) => [
  Array.from({ length: 100 }, (_, f) => sep + pad2(f)),
  Array.from({ length: 1000 }, (_, f) => sep + pad3(f)),
]);

/**
 * The label string of a frame count (`;` before frames for drop-frame unless a separator is
 * given; three frame digits above 100 fps; a leading `-` for negative counts; hours not wrapped).
 * The fast path behind {@link Timecode.toString}.
 */
export function formatFrames(frames: number, rate: FrameRate, separator?: FrameSeparator): string {
  const sepIndex = separator === undefined ? (rate.dropFrame ? 1 : 0) : SEPARATORS.indexOf(separator);
  const suffix = FRAME_SUFFIX[sepIndex * 2 + (rate.nominalFps > 100 ? 1 : 0)] as string[];
  const negative = frames < 0;
  let n = negative ? -frames : frames;
  const nominal = rate.nominalFps;
  if (n < 0x7fffffff) {
    const d = rate.dropPerMinute;
    if (d !== 0) {
      const p10 = rate.framesPer10Minutes;
      const tens = (n / p10) | 0;
      const r = n - tens * p10;
      n += 9 * d * tens + (r >= d ? d * (((r - d) / rate.framesPerMinute) | 0) : 0);
    }
    const totalSeconds = (n / nominal) | 0;
    const hours = (totalSeconds / 3600) | 0;
    if (hours < 100) {
      const text = (HOUR_PREFIX[hours] as string) + (MINUTE_SECOND[totalSeconds - hours * 3600] as string) + (suffix[n - totalSeconds * nominal] as string);
      return negative ? '-' + text : text;
    }
  }
  const l = framesToLabel(negative ? -frames : frames, rate, LABEL);
  return (negative ? '-' : '') + pad2(l[0] as number) + ':' + pad2(l[1] as number) + ':' + pad2(l[2] as number) + (suffix[l[3] as number] as string);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSeparator(c: number): boolean {
  return c === 58 /* : */ || c === 59 /* ; */ || c === 46 /* . */ || c === 44 /* , */;
}

/**
 * An SMPTE timecode: a label (`HH:MM:SS:FF`) on a {@link FrameRate}. A label is not a time:
 * `frames` counts labels from `00:00:00:00`, and real time follows from the exact rate.
 *
 * Immutable. Within one day unless built with `overflow: 'signed'`.
 */
export class Timecode {
  /** The rate the label counts in. */
  readonly rate: FrameRate;
  /** Frame count from `00:00:00:00` (negative or past 24 h only for `signed` timecodes). */
  readonly frames: number;
  /** Subframes within the frame, `0 <= subframes < subframeBase`. */
  readonly subframes: number;
  /** Subframes per frame. */
  readonly subframeBase: SubframeBase;

  private constructor(rate: FrameRate, frames: number, subframes: number, subframeBase: SubframeBase) {
    this.rate = rate;
    this.frames = frames;
    this.subframes = subframes;
    this.subframeBase = subframeBase;
  }

  /**
   * The timecode of frame `frames` (0 = `00:00:00:00`).
   * @throws RangeError when `frames` is not an integer, or falls outside one day and `overflow`
   *   is `error` (the default), or subframes are out of range.
   */
  static fromFrames(frames: number | bigint, rate: FrameRate, options: TimecodeFromFramesOptions = NO_OPTIONS): Timecode {
    // Fast path: a frame within the day, default options.
    if (options === NO_OPTIONS && typeof frames === 'number' && frames >= 0 && frames < rate.framesPerDay && Number.isInteger(frames)) {
      return new Timecode(rate, frames, 0, 100);
    }
    const day = rate.framesPerDay;
    let n: number;
    if (typeof frames === 'bigint') {
      const overflow = options.overflow ?? 'error';
      const bigDay = BigInt(day);
      const reduced = overflow === 'wrap' ? ((frames % bigDay) + bigDay) % bigDay : frames;
      n = Number(reduced);
      if (!Number.isSafeInteger(n)) throw new RangeError(`Timecode: frame count ${frames} is too large`);
    } else {
      if (!Number.isSafeInteger(frames)) throw new RangeError(`Timecode: frame count ${frames} is not an integer`);
      n = frames;
    }
    n = applyOverflow(n, rate, options.overflow ?? 'error');
    const base = options.subframeBase ?? 100;
    const sub = options.subframes ?? 0;
    if (!Number.isInteger(sub) || sub < 0 || sub >= base) {
      throw new RangeError(`Timecode: subframes ${sub} outside 0..${base - 1}`);
    }
    return new Timecode(rate, n, sub, base);
  }

  /**
   * The timecode of a label given by its fields.
   * @throws RangeError for fields out of range or a dropped drop-frame label.
   */
  static fromComponents(c: Partial<TimecodeComponents>, rate: FrameRate, options: TimecodeFromFramesOptions = {}): Timecode {
    const h = c.hours ?? 0;
    const m = c.minutes ?? 0;
    const s = c.seconds ?? 0;
    const f = c.frames ?? 0;
    const problem = checkFields(h, m, s, f, rate);
    if (problem) throw new RangeError(`Timecode: ${problem.message}`);
    const n = labelToFrames(h, m, s, f, rate);
    return Timecode.fromFrames(c.negative ? -n : n, rate, options);
  }

  /**
   * Parses a label: `HH:MM:SS:FF`, with `:` `;` `.` or `,` as separators, an optional `.ss`
   * subframe field, and (with `overflow: 'signed'`) a leading `-` or `+`. Hours may have one or
   * more digits; minutes and seconds two; frames two (three above 100 fps).
   *
   * Diagnostics: `tc/syntax`, `tc/field-range`, `tc/dropped-label`, `tc/out-of-range`,
   * `tc/negative`, and the warning `tc/separator-mismatch` (`;` on a non-drop rate or `:` on a
   * drop-frame rate: the rate given wins). Offsets and columns point at the offending field.
   */
  static parse(text: string, options: TimecodeParseOptions): ParseResult<Timecode> {
    const rate = options.rate;
    const len = text.length;
    // Fast path: exactly HH:MM:SS?FF (or FFF above 100 fps) with the separator the rate expects,
    // within the day and on an existing label. Anything else takes the general path below, which
    // is the one that reports diagnostics.
    if (len === (rate.nominalFps > 100 ? 12 : 11)) {
      const fast = parseFixed(text, len, rate);
      if (fast >= 0) return { ok: true, value: new Timecode(rate, fast, 0, options.subframeBase ?? 100), diagnostics: EMPTY };
    }
    let i = 0;
    // Leading and trailing blanks are allowed.
    while (i < len && text.charCodeAt(i) <= 32) i++;
    let end = len;
    while (end > i && text.charCodeAt(end - 1) <= 32) end--;
    let negative = false;
    const signAt = i;
    const c0 = text.charCodeAt(i);
    if (c0 === 45 /* - */ || c0 === 43 /* + */) {
      negative = c0 === 45;
      i++;
    }
    const fields = [0, 0, 0, 0];
    const starts = [0, 0, 0, 0];
    let frameSep = 58;
    for (let k = 0; k < 4; k++) {
      const start = i;
      let v = 0;
      while (i < end && isDigit(text.charCodeAt(i))) {
        v = v * 10 + (text.charCodeAt(i) - 48);
        i++;
      }
      const digits = i - start;
      const valid = k === 0 ? digits >= 1 && digits <= 9 : k === 3 && rate.nominalFps > 100 ? digits === 2 || digits === 3 : digits === 2;
      if (!valid) {
        return syntaxError(text, options, start, k);
      }
      fields[k] = v;
      starts[k] = start;
      if (k < 3) {
        const c = text.charCodeAt(i);
        if (i >= end || !isSeparator(c)) return syntaxError(text, options, i, k + 1);
        if (k === 2) frameSep = c;
        i++;
      }
    }
    let subframes = 0;
    const base = options.subframeBase ?? 100;
    if (i < end) {
      const c = text.charCodeAt(i);
      if (c !== 46 /* . */ && c !== 44 /* , */) return syntaxError(text, options, i, 4);
      i++;
      const start = i;
      let v = 0;
      while (i < end && isDigit(text.charCodeAt(i))) {
        v = v * 10 + (text.charCodeAt(i) - 48);
        i++;
      }
      if (i === start || i - start > 3 || i !== end) return syntaxError(text, options, i === start ? start : i, 4);
      if (v >= base) {
        return rangeError(text, options, start, 'tc/field-range', `subframes ${v} must be below ${base}`);
      }
      subframes = v;
    }
    const h = fields[0] as number;
    const m = fields[1] as number;
    const s = fields[2] as number;
    let f = fields[3] as number;
    if (m > 59) return rangeError(text, options, starts[1] as number, 'tc/field-range', `minutes ${pad2(m)} must be below 60`);
    if (s > 59) return rangeError(text, options, starts[2] as number, 'tc/field-range', `seconds ${pad2(s)} must be below 60`);
    if (f >= rate.nominalFps) {
      return rangeError(text, options, starts[3] as number, 'tc/field-range', `frames ${f} must be below ${rate.nominalFps} at ${rate.name}`);
    }
    let diagnostics: Diagnostic[] | undefined;
    const d = rate.dropPerMinute;
    if (d !== 0 && s === 0 && f < d && m % 10 !== 0) {
      if ((options.droppedLabel ?? 'error') === 'error') {
        return rangeError(text, options, starts[3] as number, 'tc/dropped-label',
          `${text.slice(starts[0], end)} does not exist at ${rate.name}: labels ;00 to ;${pad2(d - 1)} are skipped in minutes not divisible by 10`);
      }
      diagnostics = [warning('tc/dropped-label', `${text.slice(starts[0], end)} does not exist at ${rate.name}; read as the next label ;${pad2(d)}`,
        { at: place(options, starts[3] as number) })];
      f = d;
    }
    if (d !== 0 ? frameSep === 58 : frameSep === 59) {
      (diagnostics ??= []).push(warning('tc/separator-mismatch',
        d !== 0 ? `"${text.trim()}" uses ':' before frames but the rate is ${rate.name}` : `"${text.trim()}" uses ';' before frames but the rate is ${rate.name}`,
        { at: place(options, (starts[3] as number) - 1) }));
    }
    let n = labelToFrames(h, m, s, f, rate);
    if (negative) n = -n;
    const overflow = options.overflow ?? 'error';
    if (overflow !== 'signed') {
      if (c0 === 45 || c0 === 43) {
        return rangeError(text, options, signAt, 'tc/negative', 'a signed timecode is only accepted as an offset (overflow: signed)');
      }
      if (n >= rate.framesPerDay) {
        if (overflow === 'error') {
          return rangeError(text, options, starts[0] as number, 'tc/out-of-range', `hours ${h} are past 24 h (overflow: wrap or signed to accept)`);
        }
        n %= rate.framesPerDay;
      }
    }
    return { ok: true, value: new Timecode(rate, n, subframes, base), diagnostics: diagnostics ?? EMPTY };
  }

  /** The label's fields (of the absolute value for negative timecodes). */
  get components(): TimecodeComponents {
    const l = framesToLabel(Math.abs(this.frames), this.rate);
    return { negative: this.frames < 0, hours: l[0] as number, minutes: l[1] as number, seconds: l[2] as number, frames: l[3] as number };
  }

  /**
   * `HH:MM:SS:FF` (`;` before frames for drop-frame, three frame digits above 100 fps), with
   * `.ss` subframes when nonzero, `-` for negative offsets.
   */
  toString(options: TimecodeFormatOptions = NO_FORMAT): string {
    const text = formatFrames(this.frames, this.rate, options.separator);
    if (options === NO_FORMAT && this.subframes === 0) return text;
    const withSub = options.subframes ?? this.subframes !== 0;
    return withSub ? text + '.' + pad2(this.subframes) : text;
  }

  toJSON(): string {
    return this.toString();
  }

  /** The frame count from `00:00:00:00`. */
  toFrames(): number {
    return this.frames;
  }

  /** A timecode `delta` frames later (earlier when negative), keeping subframes. */
  plus(delta: number, options: { overflow?: TimecodeOverflow } = {}): Timecode {
    if (!Number.isSafeInteger(delta)) throw new RangeError(`Timecode.plus: ${delta} is not an integer`);
    const n = applyOverflow(this.frames + delta, this.rate, options.overflow ?? 'error');
    return new Timecode(this.rate, n, this.subframes, this.subframeBase);
  }

  /** Frames from `other` to this (label arithmetic is not duration arithmetic: this is). */
  framesSince(other: Timecode): number {
    this.checkSameRate(other);
    return this.frames - other.frames;
  }

  static compare(a: Timecode, b: Timecode): -1 | 0 | 1 {
    a.checkSameRate(b);
    const x = a.frames * a.subframeBase * b.subframeBase + a.subframes * b.subframeBase;
    const y = b.frames * a.subframeBase * b.subframeBase + b.subframes * a.subframeBase;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  compare(o: Timecode): -1 | 0 | 1 {
    return Timecode.compare(this, o);
  }

  equals(o: Timecode): boolean {
    return this.rate.equals(o.rate) && this.frames === o.frames &&
      this.subframes * o.subframeBase === o.subframes * this.subframeBase;
  }

  /** The same instant with another subframe base: `sub_b = floor(sub_a * base_b / base_a)`. */
  withSubframeBase(base: SubframeBase): Timecode {
    if (base === this.subframeBase) return this;
    return new Timecode(this.rate, this.frames, Math.floor((this.subframes * base) / this.subframeBase), base);
  }

  /**
   * Exact real time since label midnight: `(frames + subframes/base) * den/num` seconds.
   * Vector 43: `01:00:00:00` at 23.976 is 18018/5 s.
   */
  toRationalTime(): RationalTime {
    const r = this.rate.rate;
    const frames = Rational.of(BigInt(this.frames) * BigInt(this.subframeBase) + BigInt(this.subframes), this.subframeBase);
    return RationalTime.fromSeconds(frames.times(Rational.of(r.den, r.num)));
  }

  /** The timecode of a real time (seconds since label midnight), frames rounded as named. */
  static fromRationalTime(time: RationalTime, rate: FrameRate, rounding: RoundingMode, options: TimecodeFromFramesOptions = {}): Timecode {
    return Timecode.fromFrames(time.toFrames(rate, rounding), rate, options);
  }

  /**
   * Samples since label midnight at `sampleRate` (the BWF TimeReference of this label), rounded as
   * named. The digest's rule for writing a timestamp is `nearest` (half up).
   */
  toSamples(sampleRate: number | bigint | Rational, rounding: RoundingMode): bigint {
    return this.toRationalTime().toSamples(sampleRate, rounding);
  }

  /**
   * The timecode of a sample count since label midnight.
   *
   * `rounding` may be a plain mode applied to the exact frame position, or `sample-centre`: the
   * frame holding the centre of the sample, `floor((2s + 1) * num / (2 * sr * den))`, which reads
   * back timestamps written with `nearest` (timecode digest §6, vector 32).
   */
  static fromSamples(
    samples: bigint | number,
    options: { rate: FrameRate; sampleRate: number | bigint | Rational; rounding: RoundingMode | 'sample-centre'; overflow?: TimecodeOverflow },
  ): Timecode {
    const { rate } = options;
    const sr = options.sampleRate instanceof Rational ? options.sampleRate : Rational.of(options.sampleRate);
    const s = BigInt(samples);
    let frames: bigint;
    if (options.rounding === 'sample-centre') {
      frames = divRound((2n * s + 1n) * rate.rate.num * sr.den, 2n * sr.num * rate.rate.den, 'floor');
    } else {
      frames = divRound(s * rate.rate.num * sr.den, sr.num * rate.rate.den, options.rounding);
    }
    return Timecode.fromFrames(frames, rate, { overflow: options.overflow ?? 'error' });
  }

  /**
   * The same moment at another rate.
   *
   * - `via: 'time'` keeps the real time (seconds since midnight) and rounds to a frame of the new
   *   rate: `01:00:00:00` at 25 is `01:00:00:00` at 24 but `00:59:56:09` at 23.976 (floored; `:10` to the nearest frame).
   * - `via: 'label'` keeps hours, minutes and seconds and scales the frame field by the nominal
   *   rates (`f * newNominal / oldNominal`, rounded as named, at most the last frame of the second):
   *   how an NDF label moves between 23.976 and 24, or between 25 and 50. A label that
   *   drop-frame skips becomes the next label that exists.
   */
  convertTo(rate: FrameRate, options: { via: 'time' | 'label'; rounding: RoundingMode; overflow?: TimecodeOverflow }): Timecode {
    const overflow = options.overflow ?? 'error';
    if (options.via === 'time') {
      return Timecode.fromRationalTime(this.toRationalTime(), rate, options.rounding, { overflow });
    }
    const c = this.components;
    let f = Number(divRound(BigInt(c.frames) * BigInt(rate.nominalFps), BigInt(this.rate.nominalFps), options.rounding));
    f = Math.min(f, rate.nominalFps - 1);
    if (rate.dropPerMinute !== 0 && c.seconds === 0 && c.minutes % 10 !== 0 && f < rate.dropPerMinute) f = rate.dropPerMinute;
    const n = labelToFrames(c.hours, c.minutes, c.seconds, f, rate);
    return Timecode.fromFrames(c.negative ? -n : n, rate, { overflow, subframes: this.subframes, subframeBase: this.subframeBase });
  }

  /** @throws TypeError: compare labels with compare(), durations with framesSince(). */
  valueOf(): never {
    throw new TypeError('Timecode: use compare()/framesSince()/toFrames() instead of operators');
  }

  private checkSameRate(o: Timecode): void {
    if (!this.rate.equals(o.rate)) {
      throw new RangeError(`Timecode: cannot compare ${this.rate.name} with ${o.rate.name}; convert first`);
    }
  }
}

/**
 * Frame count of a label written exactly `HH:MM:SS:FF` (`HH:MM:SS:FFF` above 100 fps) with the
 * separator the rate expects, or -1 when the text is anything else or not a valid label of the day.
 */
function parseFixed(text: string, len: number, rate: FrameRate): number {
  const c2 = text.charCodeAt(2);
  const c5 = text.charCodeAt(5);
  const c8 = text.charCodeAt(8);
  if (c2 !== 58 || c5 !== 58 || c8 !== (rate.dropFrame ? 59 : 58)) return -1;
  if (len !== (rate.nominalFps > 100 ? 12 : 11)) return -1;
  return fieldsAt(text, 0, rate);
}

/**
 * Frame count of the label standing exactly at `text[start, end)`: `HH:MM:SS?FF` (three frame
 * digits above 100 fps), any of the separators `:` `;` `.` `,`, within the day, on an existing
 * label. Returns -1 for anything else — then {@link Timecode.parse} says what is wrong. For
 * parsers reading labels in place from a line (EDL events) without cutting out substrings.
 */
export function framesAt(text: string, start: number, end: number, rate: FrameRate): number {
  const digits = rate.nominalFps > 100 ? 3 : 2;
  if (end - start !== 9 + digits || start < 0 || end > text.length) return -1;
  if (!isSeparator(text.charCodeAt(start + 2)) || !isSeparator(text.charCodeAt(start + 5)) || !isSeparator(text.charCodeAt(start + 8))) return -1;
  return fieldsAt(text, start, rate);
}

/** The digits of a label at `start` whose length and separators the caller has checked. */
function fieldsAt(text: string, start: number, rate: FrameRate): number {
  const digits = rate.nominalFps > 100 ? 3 : 2;
  const h0 = text.charCodeAt(start) - 48;
  const h1 = text.charCodeAt(start + 1) - 48;
  const m0 = text.charCodeAt(start + 3) - 48;
  const m1 = text.charCodeAt(start + 4) - 48;
  const s0 = text.charCodeAt(start + 6) - 48;
  const s1 = text.charCodeAt(start + 7) - 48;
  const f0 = text.charCodeAt(start + 9) - 48;
  const f1 = text.charCodeAt(start + 10) - 48;
  // (x >>> 0) > 9 rejects non-digits on both sides of '0'..'9' in one comparison.
  if ((h0 >>> 0) > 9 || (h1 >>> 0) > 9 || (m0 >>> 0) > 5 || (m1 >>> 0) > 9 || (s0 >>> 0) > 5 || (s1 >>> 0) > 9 || (f0 >>> 0) > 9 || (f1 >>> 0) > 9) return -1;
  let f = f0 * 10 + f1;
  if (digits === 3) {
    const f2 = text.charCodeAt(start + 11) - 48;
    if ((f2 >>> 0) > 9) return -1;
    f = f * 10 + f2;
  }
  const h = h0 * 10 + h1;
  const m = m0 * 10 + m1;
  const s = s0 * 10 + s1;
  if (h > 23 || f >= rate.nominalFps) return -1;
  const d = rate.dropPerMinute;
  if (d !== 0 && s === 0 && f < d && m % 10 !== 0) return -1;
  return labelToFrames(h, m, s, f, rate);
}

function applyOverflow(n: number, rate: FrameRate, overflow: TimecodeOverflow): number {
  const day = rate.framesPerDay;
  if (n >= 0 && n < day) return n;
  if (overflow === 'wrap') return ((n % day) + day) % day;
  if (overflow === 'signed') return n;
  throw new RangeError(`Timecode: frame ${n} is outside one day at ${rate.name} (0..${day - 1}); pass overflow 'wrap' or 'signed'`);
}

function checkFields(h: number, m: number, s: number, f: number, rate: FrameRate): Diagnostic | undefined {
  const ints = [h, m, s, f].every((v) => Number.isSafeInteger(v) && v >= 0);
  if (!ints) return error('tc/field-range', 'timecode fields must be non-negative integers');
  if (m > 59 || s > 59) return error('tc/field-range', 'minutes and seconds must be below 60');
  if (f >= rate.nominalFps) return error('tc/field-range', `frames ${f} must be below ${rate.nominalFps}`);
  const d = rate.dropPerMinute;
  if (d !== 0 && s === 0 && f < d && m % 10 !== 0) {
    return error('tc/dropped-label', `label ${pad2(h)}:${pad2(m)}:00;${pad2(f)} does not exist at ${rate.name}`);
  }
  return undefined;
}

function place(options: TimecodeParseOptions, index: number): { offset: number; line?: number; column: number } {
  const at: { offset: number; line?: number; column: number } = {
    offset: (options.offset ?? 0) + index,
    column: (options.column ?? 1) + index,
  };
  if (options.line !== undefined) at.line = options.line;
  return at;
}

const FIELD_NAMES = ['hours', 'minutes', 'seconds', 'frames', 'subframes'];

function syntaxError(text: string, options: TimecodeParseOptions, index: number, field: number): ParseResult<never> {
  const digits = options.rate.nominalFps > 100 ? 'FFF' : 'FF';
  return {
    ok: false,
    diagnostics: [error('tc/syntax', `"${text}" is not a timecode: expected ${FIELD_NAMES[field]} at column ${index + 1}`, {
      at: place(options, index),
      expected: `HH:MM:SS:${digits} (separators : ; . ,)`,
      received: text,
    })],
  };
}

function rangeError(text: string, options: TimecodeParseOptions, index: number, code: `tc/${string}`, message: string): ParseResult<never> {
  return { ok: false, diagnostics: [error(code, message, { at: place(options, index), received: text })] };
}
