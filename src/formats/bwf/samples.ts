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
  /**
   * Decode every block into the same channel arrays (default false: new arrays per block). A
   * block's arrays are then valid only until the next block is asked for; streaming consumers
   * (meters, sums) that copy what they keep set it and allocate nothing per block.
   */
  readonly reuse?: boolean;
}

/** Reads the audio of one file. */
export interface SampleReader {
  readonly format: WaveFormat;
  readonly frameCount: number;
  /** Streams blocks; memory use is one block whatever the file size. */
  blocks(options?: SampleBlockOptions): AsyncGenerator<SampleBlock>;
}

type Decode = (b: Uint8Array, view: DataView, o: number) => number;

/**
 * A source that can also read into the caller's buffer (a Node file descriptor's `pread` into it):
 * `readInto(offset, target, targetOffset, length)` reads up to `length` bytes from `offset` into
 * `target` at `targetOffset` and returns how many it read (0 at the end). When a source has it, the
 * blocks are read into one buffer kept for the whole stream instead of a new one per block.
 */
interface ReadIntoSource {
  readInto(offsetBytes: number, target: Uint8Array, targetOffset: number, lengthBytes: number): number;
}

function hasReadInto(source: unknown): source is ReadIntoSource {
  return typeof (source as Partial<ReadIntoSource>).readInto === 'function';
}

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

/** True when typed arrays use little-endian order (every platform Node and browsers run on, but checked). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Decodes `frames` interleaved frames into `out` (one array per channel, each at least `frames`
 * long): one pass over the bytes whatever the channel count. The scale is a multiplication by
 * 2^−(bits−1), which is exact (a power of two), so the values equal `decoderFor`'s division;
 * 64-bit float is narrowed by the store into the `Float32Array` (round to nearest, as
 * `Math.fround`). 16-bit and 32-bit samples are read through an aligned typed-array view when the
 * bytes allow (little-endian platform, aligned offset and block), else byte by byte.
 */
export function decodeInterleaved(b: Uint8Array, frames: number, format: WaveFormat, out: readonly Float32Array[]): void {
  const step = format.blockAlign;
  const channels = out.length;
  const bits = format.bitsPerSample;
  const bytesPer = Math.ceil(bits / 8);
  const float = format.encoding === 'float';
  // Aligned views: the block and the start are multiples of the sample size.
  if (LITTLE_ENDIAN && (bits === 16 || bits === 32) && step % bytesPer === 0 && b.byteOffset % bytesPer === 0) {
    const stride = step / bytesPer;
    const count = Math.floor(b.byteLength / bytesPer);
    if (bits === 16) {
      const v = new Int16Array(b.buffer, b.byteOffset, count);
      for (let c = 0; c < channels; c++) {
        const o = out[c] as Float32Array;
        for (let i = 0, k = c; i < frames; i++, k += stride) o[i] = (v[k] as number) * 3.0517578125e-5;
      }
    } else if (float) {
      const v = new Float32Array(b.buffer, b.byteOffset, count);
      for (let c = 0; c < channels; c++) {
        const o = out[c] as Float32Array;
        for (let i = 0, k = c; i < frames; i++, k += stride) o[i] = v[k] as number;
      }
    } else {
      const v = new Int32Array(b.buffer, b.byteOffset, count);
      for (let c = 0; c < channels; c++) {
        const o = out[c] as Float32Array;
        for (let i = 0, k = c; i < frames; i++, k += stride) o[i] = (v[k] as number) * 4.656612873077393e-10;
      }
    }
    return;
  }
  if (bits === 24 && !float) {
    if (channels === 2) {
      // Stereo, the common stem: both channels from one pass over the frames.
      const l = out[0] as Float32Array;
      const r = out[1] as Float32Array;
      let i = 0;
      if (LITTLE_ENDIAN && step === 6 && b.byteOffset % 4 === 0) {
        // Packed frames, aligned: two frames are three little-endian 32-bit words
        // (L0 = bytes 0–2, R0 = 3–5, L1 = 6–8, R1 = 9–11), read with three loads instead of twelve.
        // The shifts sign-extend each 24-bit value exactly as the byte path below does.
        const w = new Int32Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 4));
        for (let k = 0; i + 1 < frames; i += 2, k += 3) {
          const w0 = w[k] as number;
          const w1 = w[k + 1] as number;
          const w2 = w[k + 2] as number;
          l[i] = ((w0 << 8) >> 8) * 1.1920928955078125e-7;
          r[i] = (((w1 << 16) >> 8) | (w0 >>> 24)) * 1.1920928955078125e-7;
          l[i + 1] = (((w2 << 24) >> 8) | (w1 >>> 16)) * 1.1920928955078125e-7;
          r[i + 1] = (w2 >> 8) * 1.1920928955078125e-7;
        }
      }
      for (let o = i * step; i < frames; i++, o += step) {
        l[i] = ((((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16)) << 8) >> 8) * 1.1920928955078125e-7;
        r[i] = ((((b[o + 3] as number) | ((b[o + 4] as number) << 8) | ((b[o + 5] as number) << 16)) << 8) >> 8) * 1.1920928955078125e-7;
      }
      return;
    }
    for (let c = 0; c < channels; c++) {
      const x = out[c] as Float32Array;
      for (let i = 0, o = c * 3; i < frames; i++, o += step) x[i] = ((((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16)) << 8) >> 8) * 1.1920928955078125e-7;
    }
    return;
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let c = 0; c < channels; c++) {
    const x = out[c] as Float32Array;
    let o = c * bytesPer;
    if (float) {
      if (bits === 32) for (let i = 0; i < frames; i++, o += step) x[i] = view.getFloat32(o, true);
      else for (let i = 0; i < frames; i++, o += step) x[i] = view.getFloat64(o, true);
      continue;
    }
    switch (bits) {
      case 8:
        for (let i = 0; i < frames; i++, o += step) x[i] = ((b[o] as number) - 128) * 0.0078125;
        break;
      case 16:
        for (let i = 0; i < frames; i++, o += step) x[i] = ((((b[o] as number) | ((b[o + 1] as number) << 8)) << 16) >> 16) * 3.0517578125e-5;
        break;
      default:
        for (let i = 0; i < frames; i++, o += step) x[i] = view.getInt32(o, true) * 4.656612873077393e-10;
    }
  }
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
    // With `reuse`, one set of channel arrays (sized for the largest block) serves every block.
    let kept: Float32Array[] | undefined;
    const direct = hasReadInto(source) ? source : undefined;
    let buffer: Uint8Array | undefined;
    for (let f = start; f < end; f += per) {
      const n = Math.min(per, end - f);
      const offset = data!.dataOffset + f * format!.blockAlign;
      const want = n * format!.blockAlign;
      let bytes: Uint8Array;
      if (direct) {
        buffer ??= new Uint8Array(Math.min(per, end - start) * format!.blockAlign);
        let filled = 0;
        while (filled < want) {
          const k = direct.readInto(offset + filled, buffer, filled, want - filled);
          if (!(k > 0)) break;
          filled += k;
        }
        bytes = filled === buffer.byteLength ? buffer : buffer.subarray(0, filled);
      } else bytes = await readFully(source, offset, want);
      const got = Math.floor(bytes.byteLength / format!.blockAlign);
      let out: Float32Array[];
      if (options.reuse) {
        kept ??= Array.from({ length: channels }, () => new Float32Array(Math.min(per, end - start)));
        out = got === (kept[0] as Float32Array).length ? kept : kept.map((k) => k.subarray(0, got));
      } else out = Array.from({ length: channels }, () => new Float32Array(got));
      decodeInterleaved(bytes, got, format!, out);
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
