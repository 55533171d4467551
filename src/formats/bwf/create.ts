/**
 * Creating a new BWF from samples plus metadata (tests, demos, the grading toolkit).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../diagnostics/result.js';
import { concatBytes, writeLatin1, writeU32 } from '../../binary/cursor.js';
import { patchBext, type BextChanges } from './bext.js';
import { encodeFmt } from './fmt.js';
import { editIxml, EMPTY_IXML, type IxmlChanges } from './ixml.js';
import { checkMarkers, encodeAdtl, encodeCue, type MarkerSpec } from './markers.js';
import { encodeSamples, type ChannelData } from './samples.js';

/** What {@link createBwf} writes. */
export interface CreateBwfSpec {
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** 8, 16, 24 or 32 for PCM; 32 or 64 for float. */
  readonly bitsPerSample: number;
  /** `pcm` (default) or `float`. */
  readonly encoding?: 'pcm' | 'float';
  /** Writes WAVE_FORMAT_EXTENSIBLE with this speaker mask. */
  readonly channelMask?: number;
  /** One array per channel (see `encodeSamples` for scaling and rounding). */
  readonly channels: readonly ChannelData[];
  /** bext fields; a bext chunk (858 bytes) is always written. */
  readonly bext?: BextChanges;
  /** iXML fields; an iXML chunk is written only when given. */
  readonly ixml?: IxmlChanges;
  readonly markers?: readonly MarkerSpec[];
}

function chunk(id: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.byteLength + (payload.byteLength & 1));
  writeLatin1(out, 0, id);
  writeU32(out, 4, payload.byteLength);
  out.set(payload, 8);
  return out;
}

/**
 * A new BWF in memory: `JUNK` (28 bytes, the RF64 placeholder), `bext`, `iXML`, `fmt `, `data`,
 * then `cue ` and `LIST adtl` when markers are given. Errors (bad samples, fields too long) are
 * diagnostics; the bytes are still returned with those fields left out.
 */
export function createBwf(spec: CreateBwfSpec): WriteResult<Uint8Array> {
  const diagnostics: Diagnostic[] = [];
  const encoding = spec.encoding ?? 'pcm';
  const channels = spec.channels.length;
  if (channels === 0 || channels > 65535 || !Number.isInteger(spec.sampleRate) || spec.sampleRate <= 0 || spec.sampleRate > 0xffffffff) {
    diagnostics.push(error('bwf/bad-format', `cannot write ${channels} channels at ${spec.sampleRate} Hz`));
  }
  const audio = encodeSamples(spec.channels, spec.bitsPerSample, encoding, diagnostics) ?? new Uint8Array(0);
  const parts: Uint8Array[] = [chunk('JUNK', new Uint8Array(28)), chunk('bext', patchBext(undefined, spec.bext ?? {}, diagnostics))];
  if (spec.ixml) {
    const xml = editIxml(EMPTY_IXML, spec.ixml, diagnostics);
    if (xml !== undefined) parts.push(chunk('iXML', new TextEncoder().encode(xml)));
  }
  parts.push(chunk('fmt ', encodeFmt({ channels: Math.max(1, channels), sampleRate: spec.sampleRate, bitsPerSample: spec.bitsPerSample, encoding, ...(spec.channelMask !== undefined ? { channelMask: spec.channelMask } : {}) })));
  parts.push(chunk('data', audio));
  if (spec.markers && spec.markers.length > 0 && checkMarkers(spec.markers, diagnostics)) {
    parts.push(chunk('cue ', encodeCue(spec.markers)));
    const adtl = encodeAdtl(spec.markers);
    if (adtl) parts.push(chunk('LIST', adtl));
  }
  const body = concatBytes(parts);
  const header = new Uint8Array(12);
  writeLatin1(header, 0, 'RIFF');
  writeU32(header, 4, 4 + body.byteLength);
  writeLatin1(header, 8, 'WAVE');
  return { value: concatBytes([header, body]), diagnostics };
}
