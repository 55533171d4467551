/**
 * RIFF / RF64 / BW64 chunk walker over a random-access {@link ByteSource}: lists every chunk with
 * its offset and size without reading chunk payloads (the audio is never touched).
 *
 * Rules (BWF digest §1, §5): chunks are `id[4] size:u32 data pad?`, with one pad byte after odd
 * sizes; RF64/BW64 files carry a `ds64` chunk first whose 64-bit sizes replace 32-bit fields
 * holding 0xFFFFFFFF; a plain-RIFF `data` size of 0 or 0xFFFFFFFF means "to the end of the file";
 * sizes running past the end are clamped with a diagnostic.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error, diagnostic, warning } from '../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../diagnostics/result.js';
import { readFully, readFullySync, type ByteSource, type SyncByteSource } from './byte-source.js';
import { latin1, readU32, readU64 } from './cursor.js';

/** The container kind, from the first four bytes. */
export type RiffForm = 'RIFF' | 'RF64' | 'BW64';

/** The `ds64` chunk of an RF64/BW64 file (EBU Tech 3306). */
export interface Ds64 {
  /** File length − 8, as stored. */
  readonly riffSize: bigint;
  /** Length of the `data` chunk payload in bytes. */
  readonly dataSize: bigint;
  /** Sample frames (replaces `fact`). */
  readonly sampleCount: bigint;
  /** 64-bit sizes of other chunks whose 32-bit size field is 0xFFFFFFFF. */
  readonly table: readonly { readonly id: string; readonly size: bigint }[];
}

/** One chunk found by the walker. All offsets are absolute byte offsets in the source. */
export interface RiffChunk {
  /** FourCC as Latin-1 (`fmt `, `bext`, `LIST`…), case kept. */
  readonly id: string;
  /** Offset of the 8-byte chunk header. */
  readonly offset: number;
  /** Offset of the payload (`offset + 8`). */
  readonly dataOffset: number;
  /** The 32-bit size field as stored. */
  readonly sizeField: number;
  /** The declared payload size after resolving `ds64` (may exceed what the file holds). */
  readonly declaredSize: number;
  /** Payload bytes present in the file: `declaredSize`, clamped to the end of the file. */
  readonly size: number;
  /** Offset where the next chunk starts (after the pad byte when there is one). */
  readonly end: number;
  /** True when an odd-sized payload is followed by its pad byte. */
  readonly padded: boolean;
  /** True when the declared size runs past the end of the file. */
  readonly truncated: boolean;
  /** True for a plain-RIFF `data` chunk with size 0 or 0xFFFFFFFF, read to the end of the file. */
  readonly openEnded: boolean;
  /** For `LIST`/`list` chunks: the list type (`INFO`, `adtl`). */
  readonly listType?: string;
}

/** What the walker found: the container header and the chunk list, in file order. */
export interface RiffLayout {
  readonly form: RiffForm;
  /** The form type after the size (`WAVE`). */
  readonly formType: string;
  /** The 32-bit size field of the header as stored. */
  readonly riffSizeField: number;
  /** Length of the source in bytes. */
  readonly fileSize: number;
  /** Offset where the walk stopped (the end of the last chunk, or the end of the RIFF). */
  readonly end: number;
  readonly ds64?: Ds64;
  readonly chunks: readonly RiffChunk[];
}

/** Options of {@link walkRiff}. */
export interface WalkRiffOptions {
  /** Bytes fetched per read when looking for chunk headers (default 8 KiB). */
  readonly windowBytes?: number;
  /** At most this many chunks (default 100 000): a guard against crafted files. */
  readonly maxChunks?: number;
}

const U32_MAX = 0xffffffff;

/** True when four bytes at `offset` look like a FourCC (printable ASCII). */
export function isPlausibleId(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.byteLength) return false;
  for (let i = 0; i < 4; i++) {
    const c = bytes[offset + i] as number;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** A request for bytes `[offset, offset + length)` from a step function (see {@link runSteps}). */
export interface ReadRequest {
  readonly offset: number;
  readonly length: number;
}

/**
 * A reader written once as a generator of read requests, run synchronously (bytes in memory, a
 * file descriptor) by {@link runSteps} or asynchronously (a `Blob`, a file handle) by
 * {@link runStepsAsync}.
 */
export type Steps<T> = Generator<ReadRequest, T, Uint8Array>;

/** Runs steps against a source that reads synchronously. */
export function runSteps<T>(steps: Steps<T>, source: SyncByteSource): T {
  let r = steps.next();
  while (!r.done) r = steps.next(readFullySync(source, r.value.offset, r.value.length));
  return r.value;
}

/** Runs steps against any source (reading synchronously when it can). */
export async function runStepsAsync<T>(steps: Steps<T>, source: ByteSource): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    const req = r.value;
    r = steps.next(source.readSync ? readFullySync(source as SyncByteSource, req.offset, req.length) : await readFully(source, req.offset, req.length));
  }
  return r.value;
}

/** The window before the first read (one shared empty array, not one per reader). */
const NO_BYTES = new Uint8Array(0);

/**
 * A read-through window over a source of known size: reads that fall inside the last block fetched
 * cost nothing, so a walk over a file with its metadata up front does one read.
 */
export class WindowReader {
  private base = 0;
  private block: Uint8Array = NO_BYTES;

  constructor(
    readonly size: number,
    readonly windowBytes = 8192,
  ) {}

  /** The bytes if the current window holds them (no I/O), else undefined. */
  cached(offsetBytes: number, lengthBytes: number): Uint8Array | undefined {
    if (offsetBytes >= this.base && offsetBytes + lengthBytes <= this.base + this.block.byteLength) {
      return this.block.subarray(offsetBytes - this.base, offsetBytes - this.base + lengthBytes);
    }
    // At the end of the source a window holds fewer bytes than asked: that is all there is.
    if (offsetBytes >= this.base && this.base + this.block.byteLength === this.size && offsetBytes <= this.size) {
      return this.block.subarray(offsetBytes - this.base);
    }
    return undefined;
  }

  /**
   * Where `[offset, offset + length)` starts in {@link bytes} when the window holds all of it, else
   * -1: a walk reads headers in place this way, without a view or a step per header.
   */
  indexOf(offsetBytes: number, lengthBytes: number): number {
    const i = offsetBytes - this.base;
    return i >= 0 && i + lengthBytes <= this.block.byteLength ? i : -1;
  }

  /** The bytes of the current window (the last block read). */
  get bytes(): Uint8Array {
    return this.block;
  }

  /** Step: bytes `[offset, offset + length)` (fewer at the end of the source). */
  *get(offsetBytes: number, lengthBytes: number): Steps<Uint8Array> {
    const hit = this.cached(offsetBytes, lengthBytes);
    if (hit) return hit;
    const block: Uint8Array = yield { offset: offsetBytes, length: Math.max(lengthBytes, this.windowBytes) };
    this.block = block;
    this.base = offsetBytes;
    return block.subarray(0, Math.min(lengthBytes, block.byteLength));
  }
}

/** The FourCCs real WAVE files carry, as constant strings: a header's id is looked up, not built. */
const KNOWN_IDS: ReadonlyMap<number, string> = new Map(
  ['RIFF', 'RF64', 'BW64', 'WAVE', 'ds64', 'fmt ', 'fact', 'data', 'bext', 'iXML', 'JUNK', 'junk', 'PAD ', 'pad ', 'FLLR', 'LIST', 'list', 'INFO', 'adtl', 'cue ', 'chna', 'axml', 'dbmd', 'cart', 'smpl', 'inst', 'PEAK', 'minf', 'elm1', 'regn', 'umid', 'DGDA', 'levl', 'labl', 'note', 'ltxt'].map(
    (id) => [idKey(id), id],
  ),
);

/** The four characters of a FourCC as one 32-bit key (first character in the low byte, as stored). */
function idKey(id: string): number {
  return (id.charCodeAt(0) | (id.charCodeAt(1) << 8) | (id.charCodeAt(2) << 16) | (id.charCodeAt(3) << 24)) | 0;
}

/**
 * The FourCC at `offset` as a Latin-1 string (as `latin1(bytes, offset, offset + 4)` reads it,
 * shorter at the end of `bytes`); the usual ids come from {@link KNOWN_IDS} without an allocation.
 */
export function fourCC(bytes: Uint8Array, offset: number): string {
  if (offset + 4 > bytes.byteLength) return latin1(bytes, offset, bytes.byteLength);
  const b0 = bytes[offset] as number;
  const b1 = bytes[offset + 1] as number;
  const b2 = bytes[offset + 2] as number;
  const b3 = bytes[offset + 3] as number;
  return KNOWN_IDS.get((b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) | 0) ?? String.fromCharCode(b0, b1, b2, b3);
}

/** Converts a u64 to a safe number, or undefined when it is not one. */
function safeNumber(v: bigint): number | undefined {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

/** Parses a `ds64` payload (≥ 28 bytes; 12-byte table entries follow). */
export function parseDs64(payload: Uint8Array, dataOffset: number, diagnostics: Diagnostic[]): Ds64 | undefined {
  if (payload.byteLength < 28) {
    diagnostics.push(error('riff/bad-ds64', `ds64 holds ${payload.byteLength} bytes; it needs at least 28`, { at: { offset: dataOffset } }));
    return undefined;
  }
  const count = readU32(payload, 24);
  const table: { id: string; size: bigint }[] = [];
  const fit = Math.floor((payload.byteLength - 28) / 12);
  if (count > fit) {
    diagnostics.push(warning('riff/bad-ds64', `ds64 says ${count} table entries but holds ${fit}`, { at: { offset: dataOffset + 24 } }));
  }
  for (let i = 0; i < Math.min(count, fit); i++) {
    const o = 28 + i * 12;
    table.push({ id: fourCC(payload, o), size: readU64(payload, o + 4) });
  }
  return { riffSize: readU64(payload, 0), dataSize: readU64(payload, 8), sampleCount: readU64(payload, 16), table };
}

/**
 * Walks the chunks of a RIFF, RF64 or BW64 file. Fails only when the source is not one (no
 * `RIFF`/`RF64`/`BW64` header); everything else (truncation, missing pad bytes, bad sizes) is a
 * diagnostic with a byte offset, and the walk reports what is there.
 */
export function walkRiff(source: ByteSource, options: WalkRiffOptions = {}): Promise<ParseResult<RiffLayout>> {
  return runStepsAsync(walkRiffSteps(new WindowReader(source.size, options.windowBytes), options), source);
}

/** {@link walkRiff} for sources that read synchronously (bytes in memory, a file descriptor). */
export function walkRiffSync(source: SyncByteSource, options: WalkRiffOptions = {}): ParseResult<RiffLayout> {
  return runSteps(walkRiffSteps(new WindowReader(source.size, options.windowBytes), options), source);
}

/** The walk as steps over a window (the BWF reader shares the window for payload reads). */
export function* walkRiffSteps(win: WindowReader, options: WalkRiffOptions = {}): Steps<ParseResult<RiffLayout>> {
  const diagnostics: Diagnostic[] = [];
  const maxChunks = options.maxChunks ?? 100_000;
  const fileSize = win.size;
  const head = yield* win.get(0, 12);
  if (head.byteLength < 12) {
    return fail(error('riff/not-riff', `${fileSize} bytes is too short for a RIFF header (12 bytes)`, { at: { offset: 0 } }));
  }
  const magic = fourCC(head, 0);
  if (magic !== 'RIFF' && magic !== 'RF64' && magic !== 'BW64') {
    return fail(error('riff/not-riff', `the file starts with "${printable(magic)}", not RIFF, RF64 or BW64`, { at: { offset: 0 }, expected: 'RIFF', received: printable(magic) }));
  }
  const form = magic as RiffForm;
  const riffSizeField = readU32(head, 4);
  const formType = fourCC(head, 8);
  const chunks: RiffChunk[] = [];
  let ds64: Ds64 | undefined;
  // The RIFF's own end; for RF64 it is known only after ds64.
  let limit = Math.min(fileSize, 8 + riffSizeField);
  if (form === 'RIFF' && 8 + riffSizeField !== fileSize) {
    diagnostics.push(
      8 + riffSizeField > fileSize
        ? warning('riff/truncated-file', `the RIFF header says ${8 + riffSizeField} bytes but the file holds ${fileSize}`, { at: { offset: 4 } })
        : diagnostic('info', 'riff/trailing-bytes', `${fileSize - 8 - riffSizeField} bytes follow the end of the RIFF`, { at: { offset: 8 + riffSizeField } }),
    );
  }
  if (form !== 'RIFF') limit = fileSize; // until ds64 says otherwise
  let off = 12;
  while (off + 8 <= limit) {
    if (chunks.length >= maxChunks) {
      diagnostics.push(error('riff/too-many-chunks', `more than ${maxChunks} chunks; stopped`, { at: { offset: off } }));
      break;
    }
    // The header is read in place when the window holds it (the usual case): no view, no step.
    let h = win.indexOf(off, 8);
    if (h < 0) {
      yield* win.get(off, 12);
      h = win.indexOf(off, 8); // still -1 when the source returned fewer than 8 bytes (it shrank)
    }
    const hdr = win.bytes;
    if (h < 0 || !isPlausibleId(hdr, h)) {
      diagnostics.push(error('riff/bad-chunk-id', `no chunk header at offset ${off} (bytes are not a FourCC); the rest of the file is not walked`, { at: { offset: off } }));
      break;
    }
    const id = fourCC(hdr, h);
    const sizeField = readU32(hdr, h + 4);
    const dataOffset = off + 8;
    let declared: number = sizeField;
    let openEnded = false;
    if (form !== 'RIFF' && sizeField === U32_MAX) {
      const big = id === 'data' ? ds64?.dataSize : ds64?.table.find((e) => e.id === id)?.size;
      const n = big === undefined ? undefined : safeNumber(big);
      if (n === undefined) {
        diagnostics.push(error('riff/unresolved-size', `chunk "${id}" has size 0xFFFFFFFF and ds64 gives no usable 64-bit size; read to the end`, { at: { offset: off + 4 } }));
        declared = limit - dataOffset;
        openEnded = true;
      } else declared = n;
    } else if (id === 'data' && form === 'RIFF' && (sizeField === 0 || sizeField === U32_MAX)) {
      declared = Math.max(0, limit - dataOffset);
      openEnded = true;
      diagnostics.push(warning('riff/data-size-unknown', `data chunk size is ${sizeField === 0 ? 0 : '0xFFFFFFFF'} (an unfinished or streamed recording); the audio is taken to run to the end of the file`, { at: { offset: off + 4 } }));
    }
    const size = Math.max(0, Math.min(declared, limit - dataOffset, fileSize - dataOffset));
    const truncated = size < declared;
    if (truncated) {
      diagnostics.push(warning('riff/truncated-chunk', `chunk "${id}" declares ${declared} bytes but only ${size} are in the file`, { at: { offset: off + 4 }, expected: String(declared), received: String(size) }));
    }
    let padded = false;
    const payloadEnd = dataOffset + size;
    if (size % 2 === 1 && !truncated) {
      if (payloadEnd >= limit) {
        diagnostics.push(diagnostic('info', 'riff/missing-pad-byte', `chunk "${id}" has odd size ${size} and the file ends without its pad byte`, { at: { offset: payloadEnd } }));
      } else {
        // Writers that omit the pad byte exist: believe the layout where the next header is a FourCC.
        const probe = win.cached(payloadEnd, 5) ?? (yield* win.get(payloadEnd, 5));
        const withPad = isPlausibleId(probe, 1) || payloadEnd + 1 >= limit;
        if (!withPad && isPlausibleId(probe, 0)) {
          diagnostics.push(warning('riff/missing-pad-byte', `chunk "${id}" has odd size ${size} but the next chunk follows without a pad byte`, { at: { offset: payloadEnd } }));
        } else padded = true;
      }
    }
    let listType: string | undefined;
    if ((id === 'LIST' || id === 'list') && size >= 4) {
      listType = fourCC(win.cached(dataOffset, 4) ?? (yield* win.get(dataOffset, 4)), 0);
    }
    // Built field by field: an object spread per chunk was a visible part of the walk's cost.
    const chunk: { -readonly [K in keyof RiffChunk]: RiffChunk[K] } = { id, offset: off, dataOffset, sizeField, declaredSize: declared, size, end: payloadEnd + (padded ? 1 : 0), padded, truncated, openEnded };
    if (listType !== undefined) chunk.listType = listType;
    chunks.push(chunk);
    if (id === 'ds64' && form !== 'RIFF') {
      if (chunks.length !== 1) diagnostics.push(warning('riff/ds64-not-first', 'ds64 is not the first chunk', { at: { offset: off } }));
      if (ds64 === undefined) {
        ds64 = parseDs64(yield* win.get(dataOffset, size), dataOffset, diagnostics);
        if (ds64) {
          const riffEnd = safeNumber(ds64.riffSize + 8n);
          if (riffEnd !== undefined && riffEnd !== fileSize) {
            diagnostics.push(
              riffEnd > fileSize
                ? warning('riff/truncated-file', `ds64 says the file is ${riffEnd} bytes but it holds ${fileSize}`, { at: { offset: dataOffset } })
                : diagnostic('info', 'riff/trailing-bytes', `${fileSize - riffEnd} bytes follow the end of the RIFF`, { at: { offset: riffEnd } }),
            );
          }
          if (riffEnd !== undefined) limit = Math.min(fileSize, riffEnd);
        }
      }
    }
    if (form !== 'RIFF' && chunks.length === 1 && id !== 'ds64') {
      diagnostics.push(error('riff/missing-ds64', `an ${form} file must start with a ds64 chunk; found "${id}"`, { at: { offset: off } }));
    }
    off = chunk.end;
    if (openEnded) break;
  }
  if (off < limit && off + 8 > limit && chunks.length > 0) {
    diagnostics.push(warning('riff/trailing-garbage', `${limit - off} bytes after the last chunk are too few for a chunk header`, { at: { offset: off } }));
  }
  const layout: RiffLayout = ds64 ? { form, formType, riffSizeField, fileSize, end: off, ds64, chunks } : { form, formType, riffSizeField, fileSize, end: off, chunks };
  return ok(layout, diagnostics);
}

/** A sub-chunk of a `LIST` (or any chunk-structured payload), with its payload as a view. */
export interface SubChunk {
  readonly id: string;
  /** Absolute offset of the sub-chunk header. */
  readonly offset: number;
  readonly size: number;
  readonly data: Uint8Array;
}

/**
 * Splits a chunk-structured payload (a `LIST` body after its type) into sub-chunks, with the same
 * padding rule and diagnostics as {@link walkRiff}. `baseOffset` is the absolute offset of `bytes`.
 */
export function walkSubChunks(bytes: Uint8Array, baseOffset: number, diagnostics: Diagnostic[]): SubChunk[] {
  const out: SubChunk[] = [];
  let o = 0;
  while (o + 8 <= bytes.byteLength) {
    if (!isPlausibleId(bytes, o)) {
      diagnostics.push(warning('riff/bad-chunk-id', `no sub-chunk header at offset ${baseOffset + o}`, { at: { offset: baseOffset + o } }));
      return out;
    }
    const id = fourCC(bytes, o);
    const declared = readU32(bytes, o + 4);
    const size = Math.min(declared, bytes.byteLength - o - 8);
    if (size < declared) {
      diagnostics.push(warning('riff/truncated-chunk', `sub-chunk "${id}" declares ${declared} bytes but its list holds ${size}`, { at: { offset: baseOffset + o + 4 } }));
    }
    out.push({ id, offset: baseOffset + o, size, data: bytes.subarray(o + 8, o + 8 + size) });
    let next = o + 8 + size;
    if (size % 2 === 1 && next < bytes.byteLength && !(isPlausibleId(bytes, next) && !isPlausibleId(bytes, next + 1))) next++;
    o = next;
  }
  return out;
}

function printable(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '.');
}
