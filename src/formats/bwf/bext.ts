/**
 * The Broadcast Wave `bext` chunk (EBU Tech 3285 v0, v1, v2), read and patched at the exact
 * offsets of the spec (BWF digest §3). Fixed part 602 bytes, CodingHistory after it.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { decodeLenient, fromHex, latin1, readU16, readU64, toHex, writeI16, writeU16, writeU64 } from '../../binary/cursor.js';

/** Byte offsets inside the `bext` payload (EBU Tech 3285). */
export const BEXT_LAYOUT = {
  description: [0, 256],
  originator: [256, 32],
  originatorReference: [288, 32],
  originationDate: [320, 10],
  originationTime: [330, 8],
  timeReference: [338, 8],
  version: [346, 2],
  umid: [348, 64],
  loudnessValue: [412, 2],
  loudnessRange: [414, 2],
  maxTruePeakLevel: [416, 2],
  maxMomentaryLoudness: [418, 2],
  maxShortTermLoudness: [420, 2],
  reserved: [422, 180],
  codingHistory: [602, -1],
} as const;

/** Size of the fixed part; CodingHistory follows. */
export const BEXT_FIXED_BYTES = 602;
/** Chunk size writers reserve so later edits fit in place (BWFMetaEdit, Sound Devices). */
export const BEXT_DEFAULT_BYTES = 858;
/** Loudness value meaning "not measured" (EBU Tech 3285 v2, BWFMetaEdit). */
export const LOUDNESS_NOT_SET = 0x7fff;

/** The loudness fields of bext v2, in payload order. */
export const LOUDNESS_FIELDS = ['loudnessValue', 'loudnessRange', 'maxTruePeakLevel', 'maxMomentaryLoudness', 'maxShortTermLoudness'] as const;
/** One of {@link LOUDNESS_FIELDS}. */
export type LoudnessField = (typeof LOUDNESS_FIELDS)[number];

/**
 * A parsed `bext` chunk. Strings are read up to the first NUL and decoded as UTF-8 when valid,
 * else Latin-1 (real files break the spec's ASCII rule).
 */
export interface Bext {
  readonly description: string;
  readonly originator: string;
  readonly originatorReference: string;
  /** `yyyy-mm-dd` as written (separators vary: `-`, `:`, `_`, `.`, space). */
  readonly originationDate: string;
  /** `hh:mm:ss` as written. */
  readonly originationTime: string;
  /** Samples since timecode midnight at the file's sample rate (uint64: High << 32 | Low). */
  readonly timeReference: bigint;
  readonly version: number;
  /** The 64-byte UMID as 128 lower-case hex digits; undefined in v0 (reserved) or when all zero. */
  readonly umid?: string;
  /**
   * v2 loudness fields in signed hundredths (LUFS, LU or dBTP × 100); undefined when the version is
   * below 2 or the field holds 0x7FFF ("not measured").
   */
  readonly loudnessValue?: number;
  readonly loudnessRange?: number;
  readonly maxTruePeakLevel?: number;
  readonly maxMomentaryLoudness?: number;
  readonly maxShortTermLoudness?: number;
  /** CodingHistory up to the first NUL (CR LF separated EBU R98 lines). */
  readonly codingHistory: string;
}

/**
 * A fixed-width field up to its first NUL. One pass finds the NUL and whether every byte is ASCII;
 * ASCII (the usual case) is built from char codes without a view or a decoder.
 */
function str(p: Uint8Array, start: number, len: number): string {
  const end = Math.min(p.byteLength, start + len);
  let stop = start;
  let high = false;
  for (; stop < end; stop++) {
    const b = p[stop] as number;
    if (b === 0) break;
    if (b >= 0x80) high = true;
  }
  if (stop === start) return '';
  if (high) return decodeLenient(p.subarray(start, stop));
  return latin1(p, start, stop);
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Bytes `[start, end)` of `p` as one string when every byte is ASCII (then a byte offset is a
 * string offset), else undefined. One native decode: a non-ASCII byte either joins a multi-byte
 * character (the string comes out shorter) or is replaced by U+FFFD, so "same length and no
 * U+FFFD" means ASCII.
 */
function asciiRun(p: Uint8Array, start: number, end: number): string | undefined {
  const s = utf8.decode(p.subarray(start, end));
  return s.length === end - start && s.indexOf('\ufffd') < 0 ? s : undefined;
}

/** The field `[start, start + len)` of an ASCII run up to its first NUL (as {@link str} reads it). */
function field(run: string, start: number, len: number): string {
  const nul = run.indexOf('\0', start);
  return run.slice(start, nul >= 0 && nul < start + len ? nul : start + len);
}

/** Parses a `bext` payload. Shorter than 602 bytes: the fields present are read, with an error. */
export function parseBext(payload: Uint8Array, dataOffset: number, diagnostics: Diagnostic[]): Bext {
  const size = payload.byteLength;
  if (size < BEXT_FIXED_BYTES) {
    diagnostics.push(error('bwf/short-bext', `bext holds ${size} bytes; the fixed part is ${BEXT_FIXED_BYTES}`, { at: { offset: dataOffset } }));
  }
  const version = size >= 348 ? readU16(payload, 346) : 0;
  // The text fields (Description to OriginationTime, bytes 0–337) in one decode when they are
  // ASCII, as the spec asks; else field by field (UTF-8 when valid, else Latin-1).
  const run = size >= 338 ? asciiRun(payload, 0, 338) : undefined;
  let history = '';
  if (size > BEXT_FIXED_BYTES) {
    const h = asciiRun(payload, BEXT_FIXED_BYTES, size);
    history = h !== undefined ? field(h, 0, h.length) : str(payload, BEXT_FIXED_BYTES, size - BEXT_FIXED_BYTES);
  }
  const out: { -readonly [K in keyof Bext]: Bext[K] } = run
    ? {
        description: field(run, 0, 256),
        originator: field(run, 256, 32),
        originatorReference: field(run, 288, 32),
        originationDate: field(run, 320, 10),
        originationTime: field(run, 330, 8),
        timeReference: size >= 346 ? readU64(payload, 338) : 0n,
        version,
        codingHistory: history,
      }
    : {
        description: str(payload, 0, 256),
        originator: str(payload, 256, 32),
        originatorReference: str(payload, 288, 32),
        originationDate: str(payload, 320, 10),
        originationTime: str(payload, 330, 8),
        timeReference: size >= 346 ? readU64(payload, 338) : 0n,
        version,
        codingHistory: history,
      };
  if (version > 2) diagnostics.push(warning('bwf/unknown-bext-version', `bext version ${version} is newer than 2; v2 fields are read`, { at: { offset: dataOffset + 346 } }));
  // Reserved bytes of lower versions are never trusted (digest §3).
  if (version >= 1 && size >= 412) {
    let zero = true;
    for (let k = 348; k < 412 && zero; k++) zero = payload[k] === 0;
    if (!zero) out.umid = toHex(payload.subarray(348, 412));
  }
  if (version >= 2) {
    // One named store per field (a store keyed by a variable name was a visible part of the cost).
    const loudnessValue = loudness(payload, 0);
    const loudnessRange = loudness(payload, 1);
    const maxTruePeakLevel = loudness(payload, 2);
    const maxMomentaryLoudness = loudness(payload, 3);
    const maxShortTermLoudness = loudness(payload, 4);
    if (loudnessValue !== undefined) out.loudnessValue = loudnessValue;
    if (loudnessRange !== undefined) out.loudnessRange = loudnessRange;
    if (maxTruePeakLevel !== undefined) out.maxTruePeakLevel = maxTruePeakLevel;
    if (maxMomentaryLoudness !== undefined) out.maxMomentaryLoudness = maxMomentaryLoudness;
    if (maxShortTermLoudness !== undefined) out.maxShortTermLoudness = maxShortTermLoudness;
  }
  return out;
}

/**
 * The `i`-th v2 loudness field ({@link LOUDNESS_FIELDS} order, from byte 412) as signed hundredths;
 * undefined when it holds 0x7FFF (not measured) or the payload ends before it.
 */
function loudness(payload: Uint8Array, i: number): number | undefined {
  const o = 412 + 2 * i;
  if (payload.byteLength < o + 2) return undefined;
  const raw = readU16(payload, o);
  return raw === LOUDNESS_NOT_SET ? undefined : raw >= 0x8000 ? raw - 0x10000 : raw;
}

/** Changes to a `bext` chunk. Absent keys keep their bytes; `null` clears a field. */
export interface BextChanges {
  readonly description?: string;
  readonly originator?: string;
  readonly originatorReference?: string;
  readonly originationDate?: string;
  readonly originationTime?: string;
  readonly timeReference?: bigint;
  /** Raised to 1 when a UMID is set, to 2 when a loudness field is set (BWFMetaEdit's rule). */
  readonly version?: number;
  /** 64 bytes (or a 32-byte basic UMID) as hex; `null` zeroes it. */
  readonly umid?: string | null;
  /** Signed hundredths; `null` writes 0x7FFF (not measured). */
  readonly loudnessValue?: number | null;
  readonly loudnessRange?: number | null;
  readonly maxTruePeakLevel?: number | null;
  readonly maxMomentaryLoudness?: number | null;
  readonly maxShortTermLoudness?: number | null;
  readonly codingHistory?: string;
}

const encoder = new TextEncoder();

function putString(out: Uint8Array, start: number, width: number, text: string, field: string, diagnostics: Diagnostic[]): void {
  const bytes = encoder.encode(text);
  if (/[^\x00-\x7f]/.test(text)) {
    diagnostics.push(warning('bwf/non-ascii-text', `bext ${field} is not ASCII; written as UTF-8 (EBU Tech 3285 says ASCII)`, { path: ['bext', field] }));
  }
  if (bytes.byteLength > width) {
    diagnostics.push(error('bwf/field-too-long', `bext ${field} is ${bytes.byteLength} bytes; the field holds ${width}`, { path: ['bext', field], expected: `at most ${width} bytes`, received: String(bytes.byteLength) }));
    return;
  }
  out.fill(0, start, start + width);
  out.set(bytes, start);
}

/**
 * Applies changes to a `bext` payload, touching only the bytes of the changed fields (and the
 * version when it must rise), so everything else, reserved bytes included, is kept. Without an
 * original, starts from an empty v0 chunk of {@link BEXT_DEFAULT_BYTES}. The payload grows only
 * when a new CodingHistory does not fit; otherwise it keeps its size (NUL-padded), so it can be
 * written in place. Errors (a field too long, bad UMID hex) leave that field unchanged.
 */
export function patchBext(original: Uint8Array | undefined, changes: BextChanges, diagnostics: Diagnostic[]): Uint8Array {
  let size = original?.byteLength ?? BEXT_DEFAULT_BYTES;
  if (size < BEXT_FIXED_BYTES) size = BEXT_FIXED_BYTES;
  let history: Uint8Array | undefined;
  if (changes.codingHistory !== undefined) {
    history = encoder.encode(changes.codingHistory);
    if (BEXT_FIXED_BYTES + history.byteLength > size) size = BEXT_FIXED_BYTES + history.byteLength;
  }
  const out = new Uint8Array(size);
  if (original) out.set(original.subarray(0, Math.min(original.byteLength, size)));
  const strings = ['description', 'originator', 'originatorReference', 'originationDate', 'originationTime'] as const;
  for (const f of strings) {
    const v = changes[f];
    if (v !== undefined) putString(out, BEXT_LAYOUT[f][0], BEXT_LAYOUT[f][1], v, f, diagnostics);
  }
  if (changes.timeReference !== undefined) {
    if (changes.timeReference < 0n || changes.timeReference > 0xffffffffffffffffn) {
      diagnostics.push(error('bwf/bad-time-reference', `TimeReference ${changes.timeReference} is outside 0..2^64-1`, { path: ['bext', 'timeReference'] }));
    } else writeU64(out, 338, changes.timeReference);
  }
  let version = readU16(out, 346);
  if (changes.version !== undefined) version = changes.version;
  if (changes.umid !== undefined) {
    if (changes.umid === null) out.fill(0, 348, 412);
    else {
      const bytes = fromHex(changes.umid);
      if (!bytes || (bytes.byteLength !== 32 && bytes.byteLength !== 64)) {
        diagnostics.push(error('bwf/bad-umid', 'a UMID is 32 or 64 bytes written as hex', { path: ['bext', 'umid'], received: changes.umid }));
      } else {
        out.fill(0, 348, 412);
        out.set(bytes, 348);
        if (version < 1) version = 1;
      }
    }
  }
  const loudnessSet = LOUDNESS_FIELDS.some((f) => changes[f] !== undefined);
  if (loudnessSet) {
    const wasV2 = readU16(out, 346) >= 2;
    LOUDNESS_FIELDS.forEach((f, i) => {
      const v = changes[f];
      const o = 412 + 2 * i;
      if (v === undefined) {
        // Bytes that were reserved before v2 must read "not measured" once the chunk says v2.
        if (!wasV2) writeU16(out, o, LOUDNESS_NOT_SET);
        return;
      }
      if (v === null) writeU16(out, o, LOUDNESS_NOT_SET);
      else if (!Number.isInteger(v) || v < -32768 || v > 32766) {
        diagnostics.push(error('bwf/bad-loudness', `bext ${f} must be whole hundredths in -32768..32766 (32767 means not measured)`, { path: ['bext', f], received: String(v) }));
      } else writeI16(out, o, v);
    });
    if (!wasV2) out.fill(0, 422, 602);
    if (version < 2) version = 2;
  }
  writeU16(out, 346, version);
  if (history) {
    out.fill(0, BEXT_FIXED_BYTES);
    out.set(history, BEXT_FIXED_BYTES);
  }
  return out;
}
