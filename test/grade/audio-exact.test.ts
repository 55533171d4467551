/**
 * The measurement loops are written for speed (true-peak outputs skipped under exact bounds, two
 * channels K-weighted in one loop, the null test's subtractions fused, and the K-weighting and
 * true-peak range scans in WebAssembly SIMD kernels with JavaScript loops as the fallback). These
 * tests hold every path to the plain definitions, bit for bit (`toBe`, not `toBeCloseTo`), and the
 * SIMD paths to the JavaScript ones:
 *
 * - true peak: every output of every phase of the ITU-R BS.1770-4 Annex 2 filter, `Σ_k h[k]·x[n−k]`
 *   summed from k = 0, zeros before the start, the largest magnitude;
 * - loudness: the two biquads of BS.1770-4 §2.1 (transposed direct form II, coefficients from
 *   `kWeighting`) per channel, squares summed per 100 ms segment (boundaries at round(k·fs/10)),
 *   channel sums weighted and added in channel order, 400 ms blocks and 3 s windows as the mean
 *   of their segments (EBU Tech 3341 §2.2–2.3);
 * - null test: printmaster minus each stem in order, per-block sums of squares, first largest
 *   magnitude.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { openSamples, readBwf, type SampleReader } from '../../src/formats/bwf/index.js';
import { kWeighting, type Biquad } from '../../src/grade/audio/k-weighting.js';
import { pairKernel } from '../../src/grade/audio/k-weighting-simd.js';
import { energyToLufs, LoudnessMeter } from '../../src/grade/audio/loudness.js';
import { nullTest } from '../../src/grade/audio/null-test.js';
import { rangeKernel } from '../../src/grade/audio/true-peak-simd.js';
import { TRUE_PEAK_PHASES, TruePeakMeter } from '../../src/grade/audio/true-peak.js';
import { noise, wav } from './audio-signals.js';

/** Every oversampled value, nothing skipped. */
function truePeakReference(x: ArrayLike<number>): number {
  let tp = 0;
  for (let n = 0; n < x.length; n++) {
    for (const h of TRUE_PEAK_PHASES) {
      let y = 0;
      for (let k = 0; k < 12; k++) y += n - k >= 0 ? h[k]! * x[n - k]! : 0;
      tp = Math.max(tp, Math.abs(y));
    }
  }
  return tp;
}

/** First index of the largest magnitude. */
function samplePeakReference(x: ArrayLike<number>): { peak: number; at: number } {
  let peak = 0;
  let at = 0;
  for (let i = 0; i < x.length; i++) {
    if (Math.abs(x[i]!) > peak) {
      peak = Math.abs(x[i]!);
      at = i;
    }
  }
  return { peak, at };
}

/** Pushes `x` in blocks of the sizes `splits` (cycled). */
function pushSplit(meter: { push(x: Float32Array | Float64Array): void }, x: Float32Array | Float64Array, splits: readonly number[]): void {
  let at = 0;
  for (let i = 0; at < x.length; i++) {
    const n = Math.min(splits[i % splits.length]!, x.length - at);
    meter.push(x.subarray(at, at + n));
    at += n;
  }
}

/** Smooth material, where the skipping bounds are tightest: sines under a slow swell, with silent gaps. */
function smooth(n: number, hz: number, sampleRate: number, amp: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const gate = Math.sin(t * 7) > -0.6 ? 1 : 0;
    x[i] = gate * amp * (0.6 + 0.4 * Math.sin(t * 3)) * (Math.sin(2 * Math.PI * hz * t) + 0.5 * Math.sin(2 * Math.PI * hz * 1.26 * t));
  }
  return x;
}

describe('true peak with skipping equals every output computed', () => {
  test('random material: loud start, quiet tail, any block split (Float32 input; SIMD range scan and JavaScript)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 700 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 8 }),
        fc.float({ min: Math.fround(0.001), max: 1, noNaN: true }),
        fc.boolean(),
        (values, splits, quiet, wasm) => {
          const x = Float32Array.from(values.map((v, i) => (i < 90 ? v : v * quiet * 0.1)));
          const meter = new TruePeakMeter({ wasm });
          pushSplit(meter, x, splits);
          expect(meter.truePeak).toBe(truePeakReference(x));
          const sp = samplePeakReference(x);
          expect(meter.samplePeak).toBe(sp.peak);
          expect(meter.samplePeakFrame).toBe(sp.at);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('smooth sines from 20 Hz to 20 kHz, 44.1 and 48 kHz, blocks of 1 to 5000 samples', () => {
    for (const sampleRate of [44100, 48000]) {
      for (const hz of [20, 97, 440, 1000, 3150, 9000, 15000, 20000]) {
        const x = smooth(12000, hz, sampleRate, 0.7);
        const reference = truePeakReference(x);
        for (const splits of [[1], [7, 3], [128], [129, 11], [5000]]) {
          const meter = new TruePeakMeter({ wasm: splits.length !== 2 });
          pushSplit(meter, x, splits);
          expect(meter.truePeak, `${hz} Hz at ${sampleRate} Hz, blocks ${splits.join('/')}`).toBe(reference);
          expect(meter.samplePeakFrame).toBe(samplePeakReference(x).at);
        }
      }
    }
  });

  test('Float64 blocks with values no Float32 holds, mixed with Float32 blocks', () => {
    const x64 = Float64Array.from(noise(9000, 0.5, 11), (v, i) => v * (1 + 1e-9 * (i % 7)) * (i > 4000 ? 0.01 : 1));
    const meter = new TruePeakMeter();
    let at = 0;
    for (let i = 0; at < x64.length; i++) {
      const n = Math.min([5, 300, 11, 2048][i % 4]!, x64.length - at);
      // Every third block as Float32 (values rounded): the reference sees the same rounding.
      if (i % 3 === 2) {
        const f = Float32Array.from(x64.subarray(at, at + n));
        x64.set(f, at);
        meter.push(f);
      } else meter.push(x64.subarray(at, at + n));
      at += n;
    }
    expect(meter.truePeak).toBe(truePeakReference(x64));
  });

  test('the SIMD range scan gives the JavaScript scan\'s peaks: long blocks, NaN, ±0 and ±∞ in float input', () => {
    expect(rangeKernel()).toBeDefined(); // Node has WebAssembly SIMD: the default meter uses the kernel
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float({ min: -1, max: 1 }), fc.constantFrom(Number.NaN, 0, -0, Infinity, -Infinity, 1e-45)), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 40000 }),
        fc.array(fc.integer({ min: 1, max: 40000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        (specials, length, splits, seed) => {
          // Noise of one level with the special values scattered in: blocks longer than one kernel call (16,384 outputs).
          const x = noise(length, 0.5, seed);
          specials.forEach((v, k) => (x[(k * 7919 + seed) % length] = v));
          const [simd, js] = [true, false].map((wasm) => {
            const m = new TruePeakMeter({ wasm });
            pushSplit(m, x, splits);
            return m;
          });
          expect(Object.is(simd!.truePeak, js!.truePeak) || simd!.truePeak === js!.truePeak).toBe(true);
          expect(simd!.samplePeak).toBe(js!.samplePeak);
          expect(simd!.samplePeakFrame).toBe(js!.samplePeakFrame);
        },
      ),
      { numRuns: 80 },
    );
    // And against every output computed, on finite material longer than one call.
    const long = noise(50000, 0.8, 3);
    const meter = new TruePeakMeter();
    pushSplit(meter, long, [33000]);
    expect(meter.truePeak).toBe(truePeakReference(long));
  });

  test('inter-sample peaks above the samples (a quarter-rate sine at 45° phase) are found exactly', () => {
    // fs/4 sine with samples at ±sin(45°): the true peak is 1/√2 times larger than the samples.
    const x = Float32Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin((Math.PI / 2) * i + Math.PI / 4));
    const meter = new TruePeakMeter();
    pushSplit(meter, x, [1000]);
    expect(meter.truePeak).toBe(truePeakReference(x));
    expect(meter.truePeak).toBeGreaterThan(meter.samplePeak * 1.3);
  });
});

/** One biquad over `x` in transposed direct form II. */
function biquad(x: Float64Array, q: Biquad): Float64Array {
  const y = new Float64Array(x.length);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = q.b0 * x[i]! + s1;
    s1 = q.b1 * x[i]! - q.a1 * v + s2;
    s2 = q.b2 * x[i]! - q.a2 * v;
    y[i] = v;
  }
  return y;
}

/**
 * Momentary and short-term loudness per the definitions (see the file comment). A segment's sum
 * is added piece by piece as the blocks `splits` cut it (channel by channel within a piece), the
 * order a streaming meter adds in.
 */
function loudnessReference(channels: readonly Float32Array[], weights: readonly number[], sampleRate: number, splits: readonly number[]): { momentary: number[]; shortTerm: number[] } {
  const [shelf, hp] = kWeighting(sampleRate);
  const n = channels[0]!.length;
  const bound = (k: number): number => Math.round((k * sampleRate) / 10);
  const filtered = channels.map((x) => biquad(biquad(Float64Array.from(x), shelf), hp));
  const cuts = new Set<number>();
  for (let at = 0, i = 0; at < n; i++) {
    cuts.add(at);
    at += splits[i % splits.length]!;
  }
  const segments: { sum: number; count: number }[] = [];
  for (let k = 0; bound(k + 1) <= n; k++) {
    let sum = 0;
    let from = bound(k);
    while (from < bound(k + 1)) {
      let to = from + 1;
      while (to < bound(k + 1) && !cuts.has(to)) to++;
      channels.forEach((_, c) => {
        if (weights[c] === 0) return;
        let s = 0;
        for (let i = from; i < to; i++) s += filtered[c]![i]! * filtered[c]![i]!;
        sum += weights[c]! * s;
      });
      from = to;
    }
    segments.push({ sum, count: bound(k + 1) - bound(k) });
  }
  const windows = (len: number): number[] => {
    const out: number[] = [];
    for (let k = len - 1; k < segments.length; k++) {
      let s = 0;
      let c = 0;
      for (let j = k - len + 1; j <= k; j++) {
        s += segments[j]!.sum;
        c += segments[j]!.count;
      }
      out.push(energyToLufs(s / c));
    }
    return out;
  };
  return { momentary: windows(4), shortTerm: windows(30) };
}

describe('K-weighted loudness (channels filtered in pairs) equals the per-channel definition', () => {
  const cases: [string, number, Float32Array[], number[]][] = [
    ['mono', 48000, [noise(48000 * 4, 0.3, 1)], [1]],
    ['stereo', 48000, [noise(48000 * 4, 0.3, 2), smooth(48000 * 4, 440, 48000, 0.2)], [1, 1]],
    ['three channels (a pair and one alone), 44.1 kHz', 44100, [noise(44100 * 4, 0.3, 3), noise(44100 * 4, 0.1, 4), smooth(44100 * 4, 97, 44100, 0.4)], [1, 1, 1]],
    ['5.1 with a weightless LFE between measured channels', 48000, [noise(48000 * 4, 0.2, 5), noise(48000 * 4, 0.2, 6), smooth(48000 * 4, 1000, 48000, 0.3), noise(48000 * 4, 0.5, 7), noise(48000 * 4, 0.1, 8), smooth(48000 * 4, 60, 48000, 0.1)], [1, 1, 1, 0, 1.41, 1.41]],
  ];
  for (const [name, sampleRate, channels, weights] of cases) for (const wasm of [true, false]) {
    test(`${name}, ${wasm ? 'SIMD kernel' : 'JavaScript loop'}`, () => {
      const meter = new LoudnessMeter(sampleRate, channels.length, { weights, truePeak: false, series: true, wasm });
      // Blocks that cut across the 100 ms segments.
      const splits = [7, 4799, 4801, 30000, 1];
      let at = 0;
      for (let i = 0; at < channels[0]!.length; i++) {
        const n = Math.min(splits[i % splits.length]!, channels[0]!.length - at);
        meter.push(channels.map((x) => x.subarray(at, at + n)));
        at += n;
      }
      const r = meter.result();
      const ref = loudnessReference(channels, weights, sampleRate, splits);
      expect([...r.momentary!]).toEqual(ref.momentary);
      expect([...r.shortTerm!]).toEqual(ref.shortTerm);
      expect(r.momentary!.length).toBe(37);
    });
  }
});

describe('the WebAssembly SIMD K-weighting gives the JavaScript loop\'s numbers', () => {
  test('the kernel compiles here (Node has WebAssembly SIMD), so the tests above measured it', () => {
    expect(pairKernel()).toBeDefined();
  });

  test('any channel count, rate and block split; float32 and float64 blocks mixed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        // 192 kHz: a 100 ms segment (19,200 frames) is longer than one copy into the kernel.
        fc.constantFrom(44100, 48000, 96000, 192000),
        fc.array(fc.integer({ min: 1, max: 25000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (count, sampleRate, splits, seed, mixed) => {
          const frames = Math.round(sampleRate * 0.9);
          const channels = Array.from({ length: count }, (_, c) => (c % 2 === 0 ? noise(frames, 0.4, seed + c) : smooth(frames, 50 + 400 * c, sampleRate, 0.3)));
          const meters = [true, false].map((wasm) => new LoudnessMeter(sampleRate, count, { truePeak: false, series: true, wasm }));
          for (const meter of meters) {
            let at = 0;
            for (let i = 0; at < frames; i++) {
              const n = Math.min(splits[i % splits.length]!, frames - at);
              // Every other block as float64 (the JavaScript loop) when mixed: the state passes between the two.
              meter.push(channels.map((x) => (mixed && i % 2 === 1 ? Float64Array.from(x.subarray(at, at + n)) : x.subarray(at, at + n))));
              at += n;
            }
          }
          const [simd, js] = meters.map((m) => m.result());
          expect([...simd!.momentary!]).toEqual([...js!.momentary!]);
          expect(simd!.integrated).toBe(js!.integrated);
          expect(simd!.momentary!.length).toBe(6);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('null test (fused passes) equals the residual computed sample by sample', () => {
  async function reader(chans: Float32Array[]): Promise<SampleReader> {
    const bytes = wav({ sampleRate: 48000, bitsPerSample: 32, encoding: 'float', channels: chans });
    const file = await readBwf(bytes);
    if (!file.ok) throw new Error('read failed');
    const r = openSamples(bytes, file.value);
    if (!r.ok) throw new Error('open failed');
    return r.value;
  }
  const n = 20000;
  const block = 6000;
  // Stems of different levels; the printmaster is their float32 sum plus a small error, so the
  // residual is float rounding and a known disturbance.
  const stems = Array.from({ length: 13 }, (_, k) => k + 1).map((s) => [noise(n, 0.02 * s, s), noise(n, 0.01 * s, 20 + s)]);
  // One pass holds six stems: 7 and 13 take the accumulator passes.
  for (const count of [1, 2, 3, 4, 5, 6, 7, 13]) {
    test(`${count} stem${count === 1 ? '' : 's'}, stereo, blocks of ${block}`, async () => {
      const used = stems.slice(0, count);
      const pm = [0, 1].map((c) => Float32Array.from({ length: n }, (_, i) => used.reduce((a, st) => a + st[c]![i]!, 0) + (i === 12345 && c === 1 ? 1e-3 : 0)));
      const r = await nullTest(await reader(pm), await Promise.all(used.map(reader)), { blockFrames: block, thresholdDb: -200 });
      let peak = 0;
      let peakFrame = 0;
      let peakChannel = 0;
      let total = 0;
      for (let c = 0; c < 2; c++) {
        let p = 0;
        let at = 0;
        let sumSq = 0;
        for (let b0 = 0; b0 < n; b0 += block) {
          let sq = 0;
          for (let i = b0; i < Math.min(n, b0 + block); i++) {
            let v = pm[c]![i]!;
            for (const st of used) v -= st[c]![i]!;
            sq += v * v;
            if (Math.abs(v) > p) {
              p = Math.abs(v);
              at = i;
            }
          }
          sumSq += sq;
        }
        expect(r.channels[c]!.peakDb).toBe(20 * Math.log10(p));
        expect(r.channels[c]!.peakFrame).toBe(at);
        expect(r.channels[c]!.rmsDb).toBe(20 * Math.log10(Math.sqrt(sumSq / n)));
        if (p > peak) {
          peak = p;
          peakFrame = at;
          peakChannel = c;
        }
        total += sumSq;
      }
      expect(r.residualPeakDb).toBe(20 * Math.log10(peak));
      expect([r.peakFrame, r.peakChannel]).toEqual([peakFrame, peakChannel]);
      expect(peakFrame).toBe(12345); // the disturbance
      expect(r.residualRmsDb).toBe(20 * Math.log10(Math.sqrt(total / (n * 2))));
    });
  }
});
