/**
 * PCM sample access: streams the `data` chunk as per-channel `Float32Array` blocks (for 2-pop
 * detection, loudness, null tests), and encodes samples for {@link createBwf}.
 *
 * Integer PCM is scaled by 2^(bits−1) (8-bit is unsigned with offset 128), so full scale is
 * [-1, 1); float data is passed through (64-bit narrowed to 32-bit for the blocks).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../diagnostics/result.js';
import { readFully, toByteSource, type ByteInput } from '../../binary/byte-source.js';
import type { WaveFormat } from './fmt.js';
import type { BwfFile } from './read.js';

/** A block of frames, one array per channel. */
export interface SampleBlock {
  /** Index of the block's first frame in the file. */
  readonly startFrame: number;
  readonly channels: readonly Float32Array[];
}

/** Options of {@link SampleReader.blocks}. */
export interface SampleBlockOptions {
  /** First frame (default 0). */
  readonly startFrame?: number;
  /** Frames to read (default: to the end). */
  readonly frameCount?: number;
  /** Frames per block (default 65 536). */
  readonly blockFrames?: number;
}

/** Reads the audio of one file. */
export interface SampleReader {
  readonly format: WaveFormat;
  readonly frameCount: number;
  /** Streams blocks; memory use is one block whatever the file size. */
  blocks(options?: SampleBlockOptions): AsyncGenerator<SampleBlock>;
}

type Decode = (b: Uint8Array, view: DataView, o: number) => number;

function decoderFor(format: WaveFormat): Decode | undefined {
  const bits = format.bitsPerSample;
  if (format.encoding === 'float') {
    if (bits === 32) return (_b, v, o) => v.getFloat32(o, true);
    if (bits === 64) return (_b, v, o) => v.getFloat64(o, true);
    return undefined;
  }
  if (format.encoding !== 'pcm') return undefined;
  switch (bits) {
    case 8:
      return (b, _v, o) => ((b[o] as number) - 128) / 128;
    case 16:
      return (_b, v, o) => v.getInt16(o, true) / 32768;
    case 24:
      return (b, _v, o) => ((((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16)) << 8) >> 8) / 8388608;
    case 32:
      return (_b, v, o) => v.getInt32(o, true) / 2147483648;
    default:
      return undefined;
  }
}

/**
 * One channel of `frames` interleaved frames, starting `offset` bytes into each frame. One loop per
 * encoding with the scale as a multiplication by 2^−(bits−1), which is exact (a power of two), so
 * the values equal {@link decoderFor}'s division; about 1.6x faster than a decoder call per sample.
 */
function decodeChannel(b: Uint8Array, frames: number, format: WaveFormat, offset: number): Float32Array {
  const out = new Float32Array(frames);
  const step = format.blockAlign;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let o = offset;
  if (format.encoding === 'float') {
    if (format.bitsPerSample === 32) for (let i = 0; i < frames; i++, o += step) out[i] = view.getFloat32(o, true);
    else for (let i = 0; i < frames; i++, o += step) out[i] = view.getFloat64(o, true);
    return out;
  }
  switch (format.bitsPerSample) {
    case 8:
      for (let i = 0; i < frames; i++, o += step) out[i] = ((b[o] as number) - 128) * 0.0078125;
      break;
    case 16:
      for (let i = 0; i < frames; i++, o += step) out[i] = ((((b[o] as number) | ((b[o + 1] as number) << 8)) << 16) >> 16) * 3.0517578125e-5;
      break;
    case 24:
      for (let i = 0; i < frames; i++, o += step) out[i] = ((((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16)) << 8) >> 8) * 1.1920928955078125e-7;
      break;
    default:
      for (let i = 0; i < frames; i++, o += step) out[i] = view.getInt32(o, true) * 4.656612873077393e-10;
  }
  return out;
}

/**
 * Opens the audio of a file read with `readBwf` for streaming. Fails with a diagnostic when the
 * encoding is not PCM 8/16/24/32-bit or float 32/64-bit, or the file has no `fmt `/`data`.
 */
export function openSamples(input: ByteInput, file: BwfFile): ParseResult<SampleReader> {
  const format = file.format;
  const data = file.data;
  if (!format || !data) return fail(error('bwf/no-audio', 'the file has no fmt or data chunk', { at: { offset: 12 } }));
  const decode = decoderFor(format);
  const bytesPer = Math.ceil(format.bitsPerSample / 8);
  if (!decode || format.blockAlign < format.channels * bytesPer || format.channels === 0) {
    return fail(
      error('bwf/unsupported-encoding', `samples of format tag 0x${format.formatTag.toString(16)} (${format.encoding}, ${format.bitsPerSample} bits) cannot be decoded; PCM 8/16/24/32-bit and float 32/64-bit can`, {
        at: { offset: 12 },
      }),
    );
  }
  const source = toByteSource(input);
  const frameCount = Math.floor(data.size / format.blockAlign);
  const channels = format.channels;
  async function* blocks(options: SampleBlockOptions = {}): AsyncGenerator<SampleBlock> {
    const start = Math.max(0, Math.min(frameCount, options.startFrame ?? 0));
    const end = Math.min(frameCount, options.frameCount === undefined ? frameCount : start + Math.max(0, options.frameCount));
    const per = Math.max(1, options.blockFrames ?? 65536);
    for (let f = start; f < end; f += per) {
      const n = Math.min(per, end - f);
      const bytes = await readFully(source, data!.dataOffset + f * format!.blockAlign, n * format!.blockAlign);
      const got = Math.floor(bytes.byteLength / format!.blockAlign);
      const out: Float32Array[] = [];
      for (let c = 0; c < channels; c++) out.push(decodeChannel(bytes, got, format!, c * bytesPer));
      yield { startFrame: f, channels: out };
      if (got < n) return;
    }
  }
  return ok({ format, frameCount, blocks });
}

/** Sample data to encode: float arrays in [-1, 1], or integer arrays already at the target bit depth. */
export type ChannelData = Float32Array | Float64Array | Int32Array;

/**
 * Interleaves and encodes channels as PCM or float. Float input to integer PCM is scaled by
 * 2^(bits−1), rounded to the nearest integer (halves toward +∞) and clamped to the range;
 * `Int32Array` input is taken as integer sample values as they are (clamped to the range).
 */
export function encodeSamples(channels: readonly ChannelData[], bitsPerSample: number, encoding: 'pcm' | 'float', diagnostics: Diagnostic[]): Uint8Array | undefined {
  const frames = channels[0]?.length ?? 0;
  if (channels.some((c) => c.length !== frames)) {
    diagnostics.push(error('bwf/bad-samples', 'every channel needs the same number of frames'));
    return undefined;
  }
  const bytesPer = bitsPerSample / 8;
  const ok = encoding === 'float' ? bitsPerSample === 32 || bitsPerSample === 64 : [8, 16, 24, 32].includes(bitsPerSample);
  if (!ok) {
    diagnostics.push(error('bwf/bad-samples', `${encoding} samples of ${bitsPerSample} bits cannot be written`));
    return undefined;
  }
  const block = bytesPer * channels.length;
  const out = new Uint8Array(frames * block);
  const view = new DataView(out.buffer);
  const max = 2 ** (bitsPerSample - 1);
  for (let c = 0; c < channels.length; c++) {
    const ch = channels[c] as ChannelData;
    const isInt = ch instanceof Int32Array;
    for (let i = 0; i < frames; i++) {
      const o = i * block + c * bytesPer;
      const x = ch[i] as number;
      if (encoding === 'float') {
        if (bitsPerSample === 32) view.setFloat32(o, x, true);
        else view.setFloat64(o, x, true);
        continue;
      }
      let v = isInt ? x : Math.floor(x * max + 0.5);
      if (v > max - 1) v = max - 1;
      if (v < -max) v = -max;
      if (bitsPerSample === 8) out[o] = v + 128;
      else if (bitsPerSample === 16) view.setInt16(o, v, true);
      else if (bitsPerSample === 32) view.setInt32(o, v, true);
      else {
        out[o] = v & 0xff;
        out[o + 1] = (v >> 8) & 0xff;
        out[o + 2] = (v >> 16) & 0xff;
      }
    }
  }
  return out;
}
