// Sample decoding against an independent reader: files are built by the `wavefile` package
// (fromScratch) and the expected values are its own decoded integers (getSamples) scaled by
// 2^(bits−1) (8-bit unsigned, offset 128) per the WAVE PCM definition, or its floats, each narrowed
// to float32 (what a Float32Array stores). Property test over every encoding, 1–8 channels, odd
// block sizes, reused and fresh arrays, and unaligned byte offsets.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WaveFile } from 'wavefile';
import { bytesSource } from '../../binary/byte-source.js';
import { readBwf } from './read.js';
import { openSamples } from './samples.js';

type Enc = { readonly depth: string; readonly bits: number; readonly float: boolean };
const ENCODINGS: readonly Enc[] = [
  { depth: '8', bits: 8, float: false },
  { depth: '16', bits: 16, float: false },
  { depth: '24', bits: 24, float: false },
  { depth: '32', bits: 32, float: false },
  { depth: '32f', bits: 32, float: true },
  { depth: '64', bits: 64, float: true },
];

/** Interleaved samples in the encoding's range (integers, or floats in [-1, 1]). */
function samplesFor(enc: Enc, count: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (enc.float) out.push(enc.bits === 32 ? Math.fround(next() * 2 - 1) : next() * 2 - 1);
    else if (enc.bits === 8) out.push(Math.floor(next() * 256));
    else {
      const max = 2 ** (enc.bits - 1);
      // The extremes included: full-scale negative and positive.
      out.push(i === 0 ? -max : i === 1 ? max - 1 : Math.floor(next() * 2 * max) - max);
    }
  }
  return out;
}

/** Reference: wavefile's decoded values, one array per channel, scaled as the WAVE definition says. */
function reference(wav: WaveFile, enc: Enc, channels: number): Float32Array[] {
  const inter = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  const frames = inter.length / channels;
  return Array.from({ length: channels }, (_, c) =>
    Float32Array.from({ length: frames }, (_, i) => {
      const v = inter[i * channels + c] as number;
      if (enc.float) return v;
      if (enc.bits === 8) return (v - 128) / 128;
      return v / 2 ** (enc.bits - 1);
    }),
  );
}

async function decodeAll(bytes: Uint8Array, blockFrames: number, reuse: boolean): Promise<{ channels: Float32Array[]; starts: number[] }> {
  const r = await readBwf(bytesSource(bytes));
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  const s = openSamples(bytes, r.value);
  if (!s.ok) throw new Error(s.diagnostics.map((d) => d.message).join('; '));
  const chans = Array.from({ length: s.value.format.channels }, () => [] as number[]);
  const starts: number[] = [];
  for await (const b of s.value.blocks({ blockFrames, reuse })) {
    starts.push(b.startFrame);
    b.channels.forEach((ch, c) => chans[c]!.push(...ch));
  }
  return { channels: chans.map((c) => Float32Array.from(c)), starts };
}

function build(enc: Enc, channels: number, frames: number, seed: number): { bytes: Uint8Array; wav: WaveFile } {
  const wav = new WaveFile();
  wav.fromScratch(channels, 48000, enc.depth, samplesFor(enc, frames * channels, seed));
  return { bytes: wav.toBuffer(), wav };
}

describe('openSamples decoding', () => {
  test('every encoding, 1–8 channels, odd block splits, reused or fresh arrays, aligned or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENCODINGS),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 97 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 0x7fffffff }),
        async (enc, channels, frames, blockFrames, reuse, shift, seed) => {
          const { bytes, wav } = build(enc, channels, frames, seed);
          // The same file at another byte offset in memory: unaligned views must not be used.
          const placed = new Uint8Array(bytes.byteLength + shift);
          placed.set(bytes, shift);
          const got = await decodeAll(placed.subarray(shift), blockFrames, reuse);
          const want = reference(wav, enc, channels);
          expect(got.channels.length).toBe(channels);
          for (let c = 0; c < channels; c++) expect(Array.from(got.channels[c]!)).toEqual(Array.from(want[c]!));
          expect(got.starts).toEqual(Array.from({ length: Math.ceil(frames / blockFrames) }, (_, k) => k * blockFrames));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a source with readInto (short reads of 1,001 bytes at most) decodes the same values', async () => {
    for (const enc of ENCODINGS) {
      for (const channels of [1, 2, 5]) {
        const { bytes, wav } = build(enc, channels, 777, 3 + channels);
        const calls: number[] = [];
        const source = {
          size: bytes.byteLength,
          read: (o: number, n: number) => Promise.resolve(bytes.subarray(o, o + n)),
          readInto(o: number, target: Uint8Array, at: number, n: number): number {
            const part = bytes.subarray(o, Math.min(o + n, o + 1001));
            target.set(part, at);
            calls.push(part.byteLength);
            return part.byteLength;
          },
        };
        const r = await readBwf(bytes);
        if (!r.ok) throw new Error('read');
        const s = openSamples(source, r.value);
        if (!s.ok) throw new Error('samples');
        const got = Array.from({ length: channels }, () => [] as number[]);
        for await (const b of s.value.blocks({ blockFrames: 250, reuse: true })) b.channels.forEach((ch, c) => got[c]!.push(...ch));
        const want = reference(wav, enc, channels);
        for (let c = 0; c < channels; c++) expect(got[c]).toEqual(Array.from(want[c]!));
        expect(calls.length).toBeGreaterThan(0);
      }
    }
  });

  test('24-bit stereo, the word-at-a-time path (aligned bytes) and the byte path (unaligned) give wavefile\'s values', async () => {
    // Two packed 24-bit stereo frames are three 32-bit words when the bytes sit at a multiple of
    // 4; this drives both paths with odd and even frame counts and block sizes.
    const enc = ENCODINGS[2]!;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 700 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 0x7fffffff }), async (frames, blockFrames, shift, seed) => {
        const { bytes, wav } = build(enc, 2, frames, seed);
        const placed = new Uint8Array(bytes.byteLength + shift);
        placed.set(bytes, shift);
        const want = reference(wav, enc, 2);
        const got = await decodeAll(placed.subarray(shift), blockFrames, true);
        for (let c = 0; c < 2; c++) expect(Array.from(got.channels[c]!)).toEqual(Array.from(want[c]!));
      }),
      { numRuns: 150 },
    );
  });

  test('reused blocks are the same arrays each time; fresh blocks are not', async () => {
    const { bytes } = build(ENCODINGS[2]!, 2, 1000, 7);
    const r = await readBwf(bytes);
    if (!r.ok) throw new Error('read');
    const s = openSamples(bytes, r.value);
    if (!s.ok) throw new Error('samples');
    const seen = new Set<Float32Array>();
    for await (const b of s.value.blocks({ blockFrames: 100, reuse: true })) seen.add(b.channels[0]!);
    expect(seen.size).toBe(1);
    seen.clear();
    for await (const b of s.value.blocks({ blockFrames: 100 })) seen.add(b.channels[0]!);
    expect(seen.size).toBe(10);
  });

  test('a range starting mid-file and a short last block keep their values', async () => {
    const enc = ENCODINGS[1]!;
    const { bytes, wav } = build(enc, 3, 1001, 11);
    const r = await readBwf(bytes);
    if (!r.ok) throw new Error('read');
    const s = openSamples(bytes, r.value);
    if (!s.ok) throw new Error('samples');
    const want = reference(wav, enc, 3);
    const got: number[][] = [[], [], []];
    for await (const b of s.value.blocks({ startFrame: 17, frameCount: 500, blockFrames: 64, reuse: true })) b.channels.forEach((ch, c) => got[c]!.push(...ch));
    for (let c = 0; c < 3; c++) expect(got[c]).toEqual(Array.from(want[c]!.subarray(17, 517)));
  });
});
