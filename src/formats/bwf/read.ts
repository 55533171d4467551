/**
 * Reading a Broadcast Wave file's metadata from a random-access source without touching the audio:
 * chunk list, `fmt `, `bext`, iXML, markers, LIST/INFO and the raw bytes of every other chunk.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../diagnostics/result.js';
import { bytesSource, toByteSource, type ByteInput, type ByteSource, type SyncByteSource } from '../../binary/byte-source.js';
import { readU32 } from '../../binary/cursor.js';
import { runSteps, runStepsAsync, walkRiffSteps, WindowReader, type RiffChunk, type RiffLayout, type Steps } from '../../binary/riff.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { timeReferenceToTimecode } from '../../time/bwf-time.js';
import type { Timecode } from '../../time/timecode.js';
import { parseBext, type Bext } from './bext.js';
import { parseFmt, type WaveFormat } from './fmt.js';
import { parseChna, type Chna } from './chna.js';
import { ixmlFrameRate, parseIxml, type Ixml } from './ixml.js';
import { buildMarkers, parseAdtl, parseCue, parseInfo, type AdtlEntries, type BwfMarker, type CuePoint, type InfoTag } from './markers.js';

/** Chunk ids that only reserve space: listed, never loaded, and reused by in-place edits. */
export const FILLER_IDS: ReadonlySet<string> = new Set(['JUNK', 'junk', 'PAD ', 'pad ', 'FLLR']);

/** A chunk of the file: its place, plus its payload when it was loaded. */
export interface BwfChunk extends RiffChunk {
  /**
   * The payload (a view, not a copy, for in-memory input) for metadata chunks up to
   * `maxChunkBytes`; undefined for `data`, filler chunks and larger chunks.
   */
  readonly payload?: Uint8Array;
}

/** Everything dubstage reads from a BWF/WAV/RF64 file. */
export interface BwfFile {
  /** Container kind, sizes, ds64. */
  readonly layout: RiffLayout;
  /** Every chunk in file order. */
  readonly chunks: readonly BwfChunk[];
  readonly format?: WaveFormat;
  readonly bext?: Bext;
  readonly ixml?: Ixml;
  /** cue points joined with their adtl labels, notes and region lengths. */
  readonly markers: readonly BwfMarker[];
  /** The cue records as stored. */
  readonly cuePoints: readonly CuePoint[];
  /** LIST/INFO tags in order. */
  readonly info: readonly InfoTag[];
  /** ADM channel labels from `chna`, when present. */
  readonly chna?: Chna;
  /** The `data` chunk (the audio), when present. */
  readonly data?: RiffChunk;
  /** Whole sample frames in the `data` chunk present in the file (data size / block align). */
  readonly frameCount?: number;
  /** `fact` sample count, or ds64's for RF64, when stored. */
  readonly declaredFrameCount?: bigint;
}

/** Options of {@link readBwf}. */
export interface ReadBwfOptions {
  /** Metadata chunks larger than this are listed but not loaded (default 64 MiB). */
  readonly maxChunkBytes?: number;
  /** File name for diagnostics. */
  readonly source?: string;
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Reads the metadata of a BWF/WAV/RF64/BW64 file. Fails only when the input is not a RIFF WAVE
 * at all; a truncated or odd file gives what is there plus diagnostics with byte offsets.
 */
export function readBwf(input: ByteInput, options: ReadBwfOptions = {}): Promise<ParseResult<BwfFile>> {
  const source: ByteSource = toByteSource(input);
  return runStepsAsync(readBwfSteps(source.size, options), source);
}

/**
 * {@link readBwf} without a promise, for bytes in memory or any source with `readSync` (the Node
 * file source has one). Same result, same diagnostics.
 */
export function readBwfSync(input: Uint8Array | SyncByteSource, options: ReadBwfOptions = {}): ParseResult<BwfFile> {
  const source: SyncByteSource = input instanceof Uint8Array ? (bytesSource(input) as SyncByteSource) : input;
  return runSteps(readBwfSteps(source.size, options), source);
}

function* readBwfSteps(size: number, options: ReadBwfOptions): Steps<ParseResult<BwfFile>> {
  const maxChunkBytes = options.maxChunkBytes ?? 64 * 1024 * 1024;
  const window = new WindowReader(size);
  // The walk's reads are passed on one by one and their blocks kept (up to KEPT_BLOCK_BYTES, so a
  // file of many chunks does not hold every header's window): a payload the walk has read already
  // (metadata before the audio, iXML after it) is a view into them, not a second read.
  const blocks: Block[] = [];
  let keptBytes = 0;
  const walk = walkRiffSteps(window);
  let step = walk.next();
  while (!step.done) {
    const bytes: Uint8Array = yield step.value;
    if (keptBytes + bytes.byteLength <= KEPT_BLOCK_BYTES) {
      blocks.push({ offset: step.value.offset, bytes });
      keptBytes += bytes.byteLength;
    }
    step = walk.next(bytes);
  }
  const walked = step.value;
  const withSource = (ds: readonly Diagnostic[]): Diagnostic[] => (options.source ? ds.map((d) => ({ ...d, source: options.source })) : [...ds]);
  if (!walked.ok) return fail(...(withSource(walked.diagnostics) as [Diagnostic, ...Diagnostic[]]));
  const layout = walked.value;
  const diagnostics: Diagnostic[] = [...walked.diagnostics];
  if (layout.formType !== 'WAVE') {
    return fail(error('bwf/not-wave', `the RIFF form type is "${layout.formType}", not WAVE`, { at: { offset: 8 }, ...(options.source ? { source: options.source } : {}) }), ...withSource(diagnostics));
  }
  const chunks: BwfChunk[] = [];
  let format: WaveFormat | undefined;
  let bext: Bext | undefined;
  let ixml: Ixml | undefined;
  let cuePoints: CuePoint[] = [];
  let adtl: AdtlEntries | undefined;
  const info: InfoTag[] = [];
  let data: RiffChunk | undefined;
  let fact: bigint | undefined;
  let chna: Chna | undefined;
  for (const c of layout.chunks) {
    if (c.id === 'data') {
      if (data) diagnostics.push(warning('bwf/extra-data', 'a second data chunk is ignored', { at: { offset: c.offset } }));
      else data = c;
      chunks.push(c);
      continue;
    }
    if (FILLER_IDS.has(c.id) || c.size > maxChunkBytes) {
      if (c.size > maxChunkBytes) diagnostics.push(warning('bwf/chunk-not-loaded', `chunk "${c.id}" (${c.size} bytes) is larger than maxChunkBytes and was not loaded`, { at: { offset: c.offset } }));
      chunks.push(c);
      continue;
    }
    // Usually read by the walk already: no step (and no generator) needed.
    const payload = window.cached(c.dataOffset, c.size) ?? inBlocks(blocks, c.dataOffset, c.size) ?? (yield* window.get(c.dataOffset, c.size));
    chunks.push(withPayload(c, payload));
    switch (c.id) {
      case 'fmt ':
        if (format) diagnostics.push(warning('bwf/extra-fmt', 'a second fmt chunk is ignored', { at: { offset: c.offset } }));
        else format = parseFmt(payload, c.dataOffset, diagnostics);
        break;
      case 'bext':
        if (bext) diagnostics.push(warning('bwf/extra-bext', 'a second bext chunk is ignored', { at: { offset: c.offset } }));
        else bext = parseBext(payload, c.dataOffset, diagnostics);
        break;
      case 'iXML':
        if (ixml) diagnostics.push(warning('bwf/extra-ixml', 'a second iXML chunk is ignored', { at: { offset: c.offset } }));
        else ixml = parseIxml(decoder.decode(payload), c.dataOffset, diagnostics, {}, payload);
        break;
      case 'cue ':
        cuePoints = parseCue(payload, c.dataOffset, diagnostics);
        break;
      case 'chna':
        chna = parseChna(payload, c.dataOffset, diagnostics);
        break;
      case 'fact':
        if (payload.byteLength >= 4) fact = BigInt(readU32(payload, 0));
        break;
      case 'LIST':
      case 'list':
        if (payload.byteLength < 4) break;
        if (c.listType === 'adtl') adtl = parseAdtl(payload.subarray(4), c.dataOffset + 4, diagnostics);
        else if (c.listType === 'INFO') info.push(...parseInfo(payload.subarray(4), c.dataOffset + 4, diagnostics));
        break;
    }
  }
  if (!format) diagnostics.push(error('bwf/missing-fmt', 'the file has no fmt chunk: its audio cannot be described', { at: { offset: 12 } }));
  if (!data) diagnostics.push(warning('bwf/missing-data', 'the file has no data chunk', { at: { offset: layout.end } }));
  const markers = buildMarkers(cuePoints, adtl);
  let frameCount: number | undefined;
  if (format && data && format.blockAlign > 0) {
    frameCount = Math.floor(data.size / format.blockAlign);
    if (data.size % format.blockAlign !== 0) {
      diagnostics.push(warning('bwf/partial-frame', `the data chunk ends ${data.size % format.blockAlign} bytes into a sample frame`, { at: { offset: data.dataOffset + data.size } }));
    }
  }
  const declaredFrameCount = layout.ds64 && layout.ds64.sampleCount > 0n ? layout.ds64.sampleCount : fact;
  if (format && bext && ixml) crossCheckStart(bext, ixml, format, diagnostics);
  // Absent parts are left out (not set to undefined); assigned one by one, without spread temporaries.
  const value: { -readonly [K in keyof BwfFile]: BwfFile[K] } = { layout, chunks, markers, cuePoints, info };
  if (format) value.format = format;
  if (bext) value.bext = bext;
  if (chna) value.chna = chna;
  if (ixml) value.ixml = ixml;
  if (data) value.data = data;
  if (frameCount !== undefined) value.frameCount = frameCount;
  if (declaredFrameCount !== undefined) value.declaredFrameCount = declaredFrameCount;
  return ok(value, withSource(diagnostics));
}

/** At most this many bytes of the walk's reads are kept for the payloads (32 windows of 8 KiB). */
const KEPT_BLOCK_BYTES = 256 * 1024;

/** Bytes read from the source at `offset` (fewer than asked only at its end). */
interface Block {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** `[offset, offset + length)` as a view into a block that holds all of it, or undefined. */
function inBlocks(blocks: readonly Block[], offset: number, length: number): Uint8Array | undefined {
  for (const b of blocks) {
    if (offset >= b.offset && offset + length <= b.offset + b.bytes.byteLength) return b.bytes.subarray(offset - b.offset, offset - b.offset + length);
  }
  return undefined;
}

/** A chunk with its payload, built field by field (an object spread here was the reader's slowest line). */
function withPayload(c: RiffChunk, payload: Uint8Array): BwfChunk {
  const out: { -readonly [K in keyof BwfChunk]: BwfChunk[K] } = { id: c.id, offset: c.offset, dataOffset: c.dataOffset, sizeField: c.sizeField, declaredSize: c.declaredSize, size: c.size, end: c.end, padded: c.padded, truncated: c.truncated, openEnded: c.openEnded, payload };
  if (c.listType !== undefined) out.listType = c.listType;
  return out;
}

/**
 * Compares bext TimeReference with iXML's TIMESTAMP_SAMPLES_SINCE_MIDNIGHT (scaled when iXML
 * counts at another TIMESTAMP_SAMPLE_RATE) and with iXML's BEXT mirror, and warns when they name
 * different instants.
 */
function crossCheckStart(bext: Bext, ixml: Ixml, format: WaveFormat, diagnostics: Diagnostic[]): void {
  const mirror = ixml.bextTimeReference;
  if (mirror !== undefined && mirror !== bext.timeReference) {
    diagnostics.push(
      warning('bwf/time-reference-mismatch', `bext TimeReference ${bext.timeReference} and iXML's BEXT mirror BWF_TIME_REFERENCE ${mirror} disagree; bext is used`, {
        path: ['iXML', 'BEXT', 'BWF_TIME_REFERENCE_LOW'],
        expected: String(bext.timeReference),
        received: String(mirror),
      }),
    );
  }
  const stamp = ixml.speed?.timestampSamplesSinceMidnight;
  if (stamp === undefined || format.sampleRate === 0) return;
  const stampRate = ixml.speed?.timestampSampleRate ?? format.sampleRate;
  if (stampRate <= 0) return;
  // Same instant when stamp / stampRate == timeReference / fileRate (exact integers).
  if (stamp * BigInt(format.sampleRate) !== bext.timeReference * BigInt(stampRate)) {
    diagnostics.push(
      warning('bwf/time-reference-mismatch', `bext TimeReference ${bext.timeReference} (at ${format.sampleRate} Hz) and iXML TIMESTAMP_SAMPLES_SINCE_MIDNIGHT ${stamp} (at ${stampRate} Hz) disagree; bext is used`, {
        path: ['iXML', 'SPEED', 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO'],
        expected: String(bext.timeReference),
        received: String(stamp),
      }),
    );
  }
}

/** Where a start timecode's rate came from. */
export type RateSource = 'option' | 'ixml' | 'description' | 'default';

/** The file's start as timecode. */
export interface BwfStart {
  /** Samples since midnight at the file rate (bext TimeReference, else iXML's stamp, else 0). */
  readonly timeReference: bigint;
  readonly timecode: Timecode;
  readonly rate: FrameRate;
  readonly rateSource: RateSource;
}

/**
 * The rate a recorder states in bext Description keys (`sSPEED=023.976-ND`, `dSPEED=…`,
 * `SPEED=25.000ND`, Pro Tools' `dFRAMERATE=23.976ND`), or undefined.
 */
export function descriptionFrameRate(description: string): FrameRate | undefined {
  const m = /^[a-z]?(?:SPEED|FRAMERATE)=0*(\d+(?:\.\d+)?)-?(N?D)F?\s*$/im.exec(description);
  if (!m) return undefined;
  const r = FrameRate.parse(`${m[1]}${m[2] === 'D' ? 'df' : ''}`);
  return r.ok ? r.value : undefined;
}

/**
 * The start timecode: bext TimeReference at the `fmt ` sample rate, labelled at `rate`, else
 * iXML's TIMECODE_RATE/FLAG, else (with `useDescription`) the Description's SPEED key, else 24 fps.
 * The conversion is `timeReferenceToTimecode` (the frame holding the first sample's centre,
 * wrapping at 24 h).
 */
export function startTimecode(file: BwfFile, options: { rate?: FrameRate; useDescription?: boolean } = {}): BwfStart | undefined {
  const sampleRate = file.format?.sampleRate;
  if (!sampleRate) return undefined;
  let timeReference = file.bext?.timeReference;
  if (timeReference === undefined) {
    const stamp = file.ixml?.speed?.timestampSamplesSinceMidnight;
    const stampRate = file.ixml?.speed?.timestampSampleRate ?? sampleRate;
    timeReference = stamp === undefined ? 0n : Rational.of(stamp * BigInt(sampleRate), BigInt(stampRate)).round('nearest');
  }
  let rate = options.rate;
  let rateSource: RateSource = 'option';
  if (!rate) {
    rate = ixmlFrameRate(file.ixml);
    rateSource = 'ixml';
  }
  if (!rate && options.useDescription && file.bext) {
    rate = descriptionFrameRate(file.bext.description);
    rateSource = 'description';
  }
  if (!rate) {
    rate = FrameRate.FPS_24;
    rateSource = 'default';
  }
  return { timeReference, rate, rateSource, timecode: timeReferenceToTimecode(timeReference, { sampleRate, rate }) };
}

/** The loaded payload of the first chunk with `id` (and list type), if any. */
export function chunkPayload(file: BwfFile, id: string, listType?: string): Uint8Array | undefined {
  return file.chunks.find((c) => c.id === id && (listType === undefined || c.listType === listType))?.payload;
}

/** The FourCC of every chunk in order, `LIST` ones with their type (`LIST/INFO`). */
export function chunkIds(file: BwfFile): string[] {
  return file.chunks.map((c) => (c.listType !== undefined ? `${c.id}/${c.listType}` : c.id));
}

