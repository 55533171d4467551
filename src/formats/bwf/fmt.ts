/**
 * The WAVE `fmt ` chunk (BWF digest §2): PCM, IEEE float and WAVE_FORMAT_EXTENSIBLE.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { readU16, readU32, toHex, writeU16, writeU32 } from '../../binary/cursor.js';

/** wFormatTag values dubstage names. */
export const FORMAT_PCM = 0x0001;
/** IEEE floating point samples. */
export const FORMAT_IEEE_FLOAT = 0x0003;
/** WAVE_FORMAT_EXTENSIBLE: the real format is the SubFormat GUID. */
export const FORMAT_EXTENSIBLE = 0xfffe;

/** The sample encoding a `fmt ` chunk describes, after resolving EXTENSIBLE. */
export type SampleEncoding = 'pcm' | 'float' | 'other';

/** A parsed `fmt ` chunk. Field names follow the spec. */
export interface WaveFormat {
  /** wFormatTag as stored (0xFFFE for EXTENSIBLE). */
  readonly formatTag: number;
  readonly channels: number;
  /** nSamplesPerSec in Hz (the stamped rate). */
  readonly sampleRate: number;
  readonly byteRate: number;
  /** Bytes per sample frame (all channels). */
  readonly blockAlign: number;
  /** Container bits per sample. */
  readonly bitsPerSample: number;
  /** EXTENSIBLE only: wValidBitsPerSample. */
  readonly validBitsPerSample?: number;
  /** EXTENSIBLE only: dwChannelMask (speaker bits). */
  readonly channelMask?: number;
  /** EXTENSIBLE only: SubFormat GUID in canonical text form. */
  readonly subFormat?: string;
  /** `pcm`, `float`, or `other` (A-law, MPEG…: metadata is read, samples are not decoded). */
  readonly encoding: SampleEncoding;
}

/** Speaker names of dwChannelMask bits, lowest bit first (BWF digest §2). */
export const SPEAKER_NAMES: readonly string[] = ['FL', 'FR', 'FC', 'LFE', 'BL', 'BR', 'FLC', 'FRC', 'BC', 'SL', 'SR', 'TC', 'TFL', 'TFC', 'TFR', 'TBL', 'TBC', 'TBR'];

/** The speakers of a channel mask, in channel order. */
export function speakersOfMask(mask: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < SPEAKER_NAMES.length; bit++) if (mask & (1 << bit)) out.push(SPEAKER_NAMES[bit] as string);
  return out;
}

/** GUID bytes (first three groups little-endian) in canonical text form. */
export function guidToString(b: Uint8Array): string {
  const h = toHex(b);
  const le = (s: string) => s.match(/../g)!.reverse().join('');
  return `${le(h.slice(0, 8))}-${le(h.slice(8, 12))}-${le(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The KSDATAFORMAT_SUBTYPE GUID tail shared by PCM (1) and float (3). */
const SUBTYPE_TAIL = '-0000-0010-8000-00aa00389b71';

/**
 * Parses a `fmt ` payload. A chunk longer than its tag needs is accepted (Pro Tools writes 40
 * bytes with tag 1); shorter than 16 bytes is an error.
 */
export function parseFmt(payload: Uint8Array, dataOffset: number, diagnostics: Diagnostic[]): WaveFormat | undefined {
  if (payload.byteLength < 16) {
    diagnostics.push(error('bwf/bad-fmt', `fmt holds ${payload.byteLength} bytes; it needs at least 16`, { at: { offset: dataOffset } }));
    return undefined;
  }
  const formatTag = readU16(payload, 0);
  const base: { -readonly [K in keyof WaveFormat]: WaveFormat[K] } = {
    formatTag,
    channels: readU16(payload, 2),
    sampleRate: readU32(payload, 4),
    byteRate: readU32(payload, 8),
    blockAlign: readU16(payload, 12),
    bitsPerSample: readU16(payload, 14),
    encoding: formatTag === FORMAT_PCM ? 'pcm' : formatTag === FORMAT_IEEE_FLOAT ? 'float' : 'other',
  };
  if (formatTag === FORMAT_EXTENSIBLE) {
    if (payload.byteLength < 40) {
      diagnostics.push(error('bwf/bad-fmt', `WAVE_FORMAT_EXTENSIBLE needs a 40-byte fmt chunk; this one holds ${payload.byteLength}`, { at: { offset: dataOffset } }));
    } else {
      const subFormat = guidToString(payload.subarray(24, 40));
      base.validBitsPerSample = readU16(payload, 18);
      base.channelMask = readU32(payload, 20);
      base.subFormat = subFormat;
      base.encoding = subFormat === '00000001' + SUBTYPE_TAIL ? 'pcm' : subFormat === '00000003' + SUBTYPE_TAIL ? 'float' : 'other';
    }
  }
  const encoding = base.encoding;
  if (base.channels === 0) diagnostics.push(error('bwf/bad-fmt', 'fmt says 0 channels', { at: { offset: dataOffset + 2 } }));
  if (base.sampleRate === 0) diagnostics.push(error('bwf/bad-fmt', 'fmt says a sample rate of 0 Hz', { at: { offset: dataOffset + 4 } }));
  const expectAlign = base.channels * Math.ceil(base.bitsPerSample / 8);
  if (encoding !== 'other' && base.blockAlign !== expectAlign) {
    diagnostics.push(warning('bwf/bad-block-align', `nBlockAlign is ${base.blockAlign}; ${base.channels} channels of ${base.bitsPerSample} bits need ${expectAlign}`, { at: { offset: dataOffset + 12 }, expected: String(expectAlign), received: String(base.blockAlign) }));
  }
  return base;
}

/** Options for {@link encodeFmt}. */
export interface FmtSpec {
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  readonly encoding: 'pcm' | 'float';
  /** Writes WAVE_FORMAT_EXTENSIBLE with this speaker mask (needed past 2 channels or 16 bits by Microsoft's rules; optional here). */
  readonly channelMask?: number;
}

/** Encodes a `fmt ` payload: 16 bytes, or 40 for EXTENSIBLE. */
export function encodeFmt(spec: FmtSpec): Uint8Array {
  const ext = spec.channelMask !== undefined;
  const out = new Uint8Array(ext ? 40 : 16);
  const blockAlign = spec.channels * Math.ceil(spec.bitsPerSample / 8);
  writeU16(out, 0, ext ? FORMAT_EXTENSIBLE : spec.encoding === 'float' ? FORMAT_IEEE_FLOAT : FORMAT_PCM);
  writeU16(out, 2, spec.channels);
  writeU32(out, 4, spec.sampleRate);
  writeU32(out, 8, spec.sampleRate * blockAlign);
  writeU16(out, 12, blockAlign);
  writeU16(out, 14, spec.bitsPerSample);
  if (ext) {
    writeU16(out, 16, 22);
    writeU16(out, 18, spec.bitsPerSample);
    writeU32(out, 20, spec.channelMask ?? 0);
    // SubFormat GUID 0000000X-0000-0010-8000-00AA00389B71, first three groups little-endian.
    out.set([spec.encoding === 'float' ? 3 : 1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 24);
  }
  return out;
}
