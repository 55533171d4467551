/**
 * Where the EDL writer puts its text: a few primitives (text, blanks, zero-padded numbers,
 * timecode labels, line ends) that {@link AsciiSink} turns into bytes directly, so writing a long
 * list builds no string per field or per line. The writer's output is defined by the plain
 * string forms each primitive documents (`write.test.ts` checks the sink against them).
 */
import type { FrameRate } from '../../time/frame-rate.js';
import { formatFrames, framesToLabel } from '../../time/timecode.js';

/** The text primitives the EDL writer composes its lines from. */
export interface EdlSink {
  /** `s` as it is. */
  text(s: string): void;
  /** `n` blanks (none when `n <= 0`). */
  spaces(n: number): void;
  /** `String(n).padStart(width, '0')` for a non-negative safe integer `n`. */
  zeroPadded(n: number, width: number): void;
  /** `formatFrames(frames, rate, separator)`: the label of a frame count. */
  timecode(frames: number, rate: FrameRate, separator: ':' | ';'): void;
  /** The line ending. */
  eol(): void;
  /** Everything written, as one string. */
  finish(): string;
}

const ZERO = 48;
const COLON = 58;
const SEMICOLON = 59;
const SPACE = 32;
/** The two ASCII digits of 0–99: `PAIRS[2n]`, `PAIRS[2n + 1]`. */
const PAIRS = new Uint8Array(200);
for (let n = 0; n < 100; n++) {
  PAIRS[2 * n] = ZERO + Math.floor(n / 10);
  PAIRS[2 * n + 1] = ZERO + (n % 10);
}

/**
 * An {@link EdlSink} writing into one growing byte array, one byte per character while the text
 * is ASCII (EDL lines nearly always are), decoded once at the end. Text with other characters is
 * kept as a string between the decoded byte runs, so any JavaScript string (lone surrogates too)
 * comes out exactly as it went in.
 */
export class AsciiSink implements EdlSink {
  #buf: Uint8Array;
  #len = 0;
  /** Decoded runs and non-ASCII strings before the bytes in `#buf`, in order. */
  readonly #parts: string[] = [];
  readonly #eol0: number;
  readonly #eol1: number;
  readonly #label = [0, 0, 0, 0];

  /** `capacity`: bytes to start with (the buffer doubles when full). */
  constructor(eol: '\n' | '\r\n', capacity = 1 << 16) {
    this.#buf = new Uint8Array(Math.max(64, capacity));
    this.#eol0 = eol === '\r\n' ? 13 : 10;
    this.#eol1 = eol === '\r\n' ? 10 : -1;
  }

  /** Room for `n` more bytes. */
  #room(n: number): Uint8Array {
    const need = this.#len + n;
    if (need > this.#buf.length) {
      let size = this.#buf.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    return this.#buf;
  }

  text(s: string): void {
    const n = s.length;
    const b = this.#room(n);
    let p = this.#len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: the bytes so far become a string run, then the rest of `s` as it is.
        this.#len = p;
        this.#flushBytes();
        this.#parts.push(i === 0 ? s : s.slice(i));
        return;
      }
      b[p++] = c;
    }
    this.#len = p;
  }

  spaces(n: number): void {
    if (n <= 0) return;
    const b = this.#room(n);
    let p = this.#len;
    for (let i = 0; i < n; i++) b[p++] = SPACE;
    this.#len = p;
  }

  zeroPadded(n: number, width: number): void {
    if (n < 0 || !Number.isSafeInteger(n)) {
      this.text(String(n).padStart(width, '0'));
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    const total = Math.max(width, digits);
    const b = this.#room(total);
    const start = this.#len;
    let p = start + total;
    let x = n;
    for (let i = 0; i < digits; i++) {
      const q = Math.floor(x / 10);
      b[--p] = ZERO + (x - q * 10);
      x = q;
    }
    while (p > start) b[--p] = ZERO;
    this.#len = start + total;
  }

  timecode(frames: number, rate: FrameRate, separator: ':' | ';'): void {
    if (!(frames >= 0 && frames < 0x7fffffff)) {
      this.text(formatFrames(frames, rate, separator));
      return;
    }
    const l = framesToLabel(frames, rate, this.#label);
    const h = l[0] as number;
    if (h >= 100) {
      this.text(formatFrames(frames, rate, separator));
      return;
    }
    const m = l[1] as number;
    const s = l[2] as number;
    const f = l[3] as number;
    const b = this.#room(12);
    let p = this.#len;
    b[p] = PAIRS[2 * h] as number;
    b[p + 1] = PAIRS[2 * h + 1] as number;
    b[p + 2] = COLON;
    b[p + 3] = PAIRS[2 * m] as number;
    b[p + 4] = PAIRS[2 * m + 1] as number;
    b[p + 5] = COLON;
    b[p + 6] = PAIRS[2 * s] as number;
    b[p + 7] = PAIRS[2 * s + 1] as number;
    b[p + 8] = separator === ';' ? SEMICOLON : COLON;
    p += 9;
    if (rate.nominalFps > 100) {
      // Three frame digits above 100 fps (as formatFrames writes them).
      const hundreds = (f / 100) | 0;
      b[p++] = ZERO + hundreds;
      const rest = f - hundreds * 100;
      b[p++] = PAIRS[2 * rest] as number;
      b[p++] = PAIRS[2 * rest + 1] as number;
    } else {
      b[p++] = PAIRS[2 * f] as number;
      b[p++] = PAIRS[2 * f + 1] as number;
    }
    this.#len = p;
  }

  eol(): void {
    const b = this.#room(2);
    b[this.#len++] = this.#eol0;
    if (this.#eol1 >= 0) b[this.#len++] = this.#eol1;
  }

  #flushBytes(): void {
    if (this.#len === 0) return;
    this.#parts.push(DECODER.decode(this.#buf.subarray(0, this.#len)));
    this.#len = 0;
  }

  finish(): string {
    this.#flushBytes();
    const parts = this.#parts;
    return parts.length === 1 ? (parts[0] as string) : parts.join('');
  }
}

/** ASCII bytes decode the same in every encoding; UTF-8 has the fastest decoder. */
const DECODER = new TextDecoder();
