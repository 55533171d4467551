/**
 * True-peak level per ITU-R BS.1770-4 Annex 2: 4× oversampling with the Annex's 48-tap
 * interpolating FIR, split into four 12-tap phases, and the largest magnitude of the oversampled
 * signal.
 *
 * The filter is the Annex's own table (order 48, 4 phases; phases 2 and 3 are phases 1 and 0
 * reversed). It is defined relative to the input rate, so it oversamples 4× at any rate (176.4 kHz
 * from 44.1 kHz, 384 kHz from 96 kHz): "at least 4×" holds everywhere. No attenuation is applied
 * before interpolating (the Annex's −12.04 dB is for fixed-point arithmetic; this runs in double).
 *
 * Speed: an interpolated value is a weighted sum of 12 input samples, so it is bounded by the
 * range of those samples: with `POS` the sum of a phase's positive taps and `NEG` that of its
 * negative taps' magnitudes, an output whose inputs lie in `[lo, hi]` is at most `POS·hi − NEG·lo`
 * and at least `POS·lo − NEG·hi`. On smooth material (lo ≈ hi) that is about the DC gain (1.0016)
 * times the level; on material that swings through zero at most `GAIN_BOUND` (2.0229) times the
 * largest magnitude. Chunks of 128 outputs, then sub-blocks of 16, whose bound cannot exceed the
 * true peak found so far are skipped; inside a sub-block an output is skipped when its two centre
 * taps (at most 1.245 of the two samples around the point) plus the other ten (at most 0.778 of
 * the sub-block's largest magnitude) cannot reach it. Exact: the bounds are inequalities, not
 * estimates, with a margin of 1e-12 of the window's largest magnitude for rounding, so the result
 * is the one every output computed would give, bit for bit (test/grade/audio-exact.test.ts); on
 * programme material about 2 % of the outputs are computed. The ranges of chunks and sub-blocks
 * of float32 blocks come from a WebAssembly SIMD scan where available (true-peak-simd.ts; the same
 * ranges, so the same skips and the same result).
 */

import { RANGE_CHUNK, RANGE_STRIDE, RANGE_SUB, rangeKernel, type RangeKernel } from './true-peak-simd.js';

/** The four phases of the Annex 2 filter, 12 taps each, tap 0 applied to the newest sample. */
export const TRUE_PEAK_PHASES: readonly (readonly number[])[] = (() => {
  const p0 = [0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125];
  const p1 = [-0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625, 0.779785156250, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375];
  return [p0, p1, [...p1].reverse(), [...p0].reverse()];
})();

const [P0, P1, P2, P3] = TRUE_PEAK_PHASES.map((p) => Float64Array.from(p)) as [Float64Array, Float64Array, Float64Array, Float64Array];
const TAPS = 12;
const HISTORY = TAPS - 1;
/** Outputs per chunk (first test) and per sub-block (second test). */
const CHUNK = 128;
const SUB = 16;

/** The largest gain any phase can apply to a signal bounded by 1 (sum of absolute taps). */
export const GAIN_BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => p.reduce((a, h) => a + Math.abs(h), 0)));
/** Sum of the positive taps (`POS`) and of the negative taps' magnitudes (`NEG`) of phases 0/3 and 1/2 (a reversed phase has the same sums). */
const positive = (p: Float64Array): number => p.reduce((a, h) => (h > 0 ? a + h : a), 0);
const negative = (p: Float64Array): number => p.reduce((a, h) => (h < 0 ? a - h : a), 0);
const POS_A = positive(P0);
const NEG_A = negative(P0);
const POS_B = positive(P1);
const NEG_B = negative(P1);
/** Largest sum of a phase's two centre taps (5 and 6) in absolute value. */
const CENTRE_BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => Math.abs(p[5] as number) + Math.abs(p[6] as number)));
/** Largest sum of a phase's other ten taps in absolute value. */
const REST_BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => p.reduce((a, h, k) => (k === 5 || k === 6 ? a : a + Math.abs(h)), 0)));
/** Margin for rounding, relative to the window's largest magnitude (the sums and the bounds round by ~1e-15 of it). */
const MARGIN = 1e-12;

/**
 * The largest |y| any phase can give when its 12 inputs lie in `[lo, hi]`: a phase's output is at
 * most `POS·hi − NEG·lo` and at least `POS·lo − NEG·hi`, so on a smooth stretch (lo ≈ hi) the
 * bound is about the DC gain (1.0016) times the level, and on a signal that swings through zero at
 * most `GAIN_BOUND` times the largest magnitude. Plus the rounding margin.
 */
function windowBound(hi: number, lo: number): number {
  let b = POS_A * hi - NEG_A * lo;
  let t = NEG_A * hi - POS_A * lo;
  if (t > b) b = t;
  t = POS_B * hi - NEG_B * lo;
  if (t > b) b = t;
  t = NEG_B * hi - POS_B * lo;
  if (t > b) b = t;
  const mag = hi > -lo ? hi : -lo;
  return b + MARGIN * mag;
}

/**
 * Streaming true-peak and sample-peak meter for one channel. Memory: the last 11 samples (the
 * blocks pushed are read in place).
 */
export class TruePeakMeter {
  /** The last 11 samples pushed (zeros before the start). */
  private readonly history = new Float64Array(HISTORY);
  /** Largest |oversampled value| so far (linear). */
  truePeak = 0;
  /** Largest |sample| so far (linear). */
  samplePeak = 0;
  /** Frame index of the sample peak (first occurrence). */
  samplePeakFrame = 0;
  private frames = 0;
  /** The SIMD range scan (true-peak-simd.ts), when available and not turned off. */
  private readonly kernel: RangeKernel | undefined;

  /**
   * `wasm: false` keeps the range scan in JavaScript (default: WebAssembly SIMD where the platform
   * has it, for float32 blocks). The results are the same either way.
   */
  constructor(options: { readonly wasm?: boolean } = {}) {
    this.kernel = options.wasm === false || RANGE_CHUNK !== CHUNK || RANGE_SUB !== SUB ? undefined : rangeKernel();
  }

  /** Feeds `count` samples of `x` from index 0. */
  push(x: Float32Array | Float64Array, count: number = x.length): void {
    if (count <= 0) return;
    const hist = this.history;
    // The first 11 outputs also read the history: measure them on a joined copy (of x's own type
    // when that holds the history exactly, so the loops below see one array type), the rest in
    // place.
    const head = count < HISTORY ? count : HISTORY;
    let narrow = x instanceof Float32Array;
    for (let i = 0; i < HISTORY && narrow; i++) narrow = Math.fround(hist[i] as number) === hist[i];
    const joined = narrow ? new Float32Array(HISTORY + head) : new Float64Array(HISTORY + head);
    joined.set(hist);
    for (let i = 0; i < head; i++) joined[HISTORY + i] = x[i] as number;
    this.measure(joined, HISTORY, HISTORY + head, this.frames - HISTORY);
    if (count > head) this.measure(x, HISTORY, count, this.frames);
    // Keep the last 11 samples.
    if (count >= HISTORY) for (let i = 0; i < HISTORY; i++) hist[i] = x[count - HISTORY + i] as number;
    else for (let i = 0; i < HISTORY; i++) hist[i] = joined[head + i] as number;
    this.frames += count;
  }

  /**
   * Outputs at indices `[from, to)` of `a` (each reads `a[j − 11 … j]`, so `from ≥ 11`) in chunks
   * of {@link CHUNK}; `a[j]` is frame `base + j`. Updates the true and sample peaks.
   */
  private measure(a: Float32Array | Float64Array, from: number, to: number, base: number): void {
    if (this.kernel && a instanceof Float32Array) {
      // The ranges of chunks and sub-blocks from the SIMD scan.
      for (let r0 = from; r0 < to; r0 += this.kernel.run) {
        const r1 = r0 + this.kernel.run < to ? r0 + this.kernel.run : to;
        const rg = this.kernel.ranges(a, r0, r1);
        for (let c0 = r0, k = 0; c0 < r1; c0 += CHUNK, k += RANGE_STRIDE) {
          this.chunk(a, c0, c0 + CHUNK < r1 ? c0 + CHUNK : r1, laneMax(rg, k), laneMin(rg, k), base, rg, k + 8);
        }
      }
      return;
    }
    for (let c0 = from; c0 < to; c0 += CHUNK) {
      const c1 = c0 + CHUNK < to ? c0 + CHUNK : to;
      let hi = -Infinity;
      let lo = Infinity;
      for (let j = c0 - HISTORY; j < c1; j++) {
        const v = a[j] as number;
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
      this.chunk(a, c0, c1, hi, lo, base);
    }
  }

  /**
   * Outputs `[c0, c1)` of `a`, whose inputs (the chunk's samples and the 11 before) lie in
   * `[lo, hi]` (NaN ignored, as the comparisons do): updates the sample peak and, unless the bound
   * says the true peak cannot rise, the true peak (with the sub-blocks' ranges from `ranges` at
   * `at` when given, else scanned). The 11 samples before the chunk were measured before (or are
   * the zeros before the start), so a range above the sample peak so far has its new peak among
   * the chunk's own samples, the first of which is its frame.
   */
  private chunk(a: Float32Array | Float64Array, c0: number, c1: number, hi: number, lo: number, base: number, ranges?: Float32Array, at = 0): void {
    const mag = hi > -lo ? hi : -lo;
    if (mag > this.samplePeak) {
      this.samplePeak = mag;
      for (let j = c0; j < c1; j++) {
        const v = a[j] as number;
        if ((v < 0 ? -v : v) === mag) {
          this.samplePeakFrame = base + j;
          break;
        }
      }
    }
    if (windowBound(hi, lo) > this.truePeak) this.truePeak = subBlocks(a, c0, c1, this.truePeak, ranges, at);
  }
}

/** Outputs at indices `[from, to)` of `a` in sub-blocks of {@link SUB}, each tested against its own window first (its range from `ranges` at `at`, 8 floats per sub-block, when given; else scanned); returns the new true peak. */
function subBlocks(a: Float32Array | Float64Array, from: number, to: number, tp: number, ranges?: Float32Array, at = 0): number {
  for (let s0 = from, r = at; s0 < to; s0 += SUB, r += 8) {
    const s1 = s0 + SUB < to ? s0 + SUB : to;
    let hi = -Infinity;
    let lo = Infinity;
    if (ranges) {
      hi = laneMax(ranges, r);
      lo = laneMin(ranges, r);
    } else {
      for (let j = s0 - HISTORY; j < s1; j++) {
        const v = a[j] as number;
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
    }
    if (windowBound(hi, lo) <= tp) continue;
    // Per output: the two centre taps weigh the samples next to the interpolated point, the
    // other ten at most the window's largest magnitude.
    const mag = hi > -lo ? hi : -lo;
    const rest = REST_BOUND * mag + MARGIN * mag;
    for (let j = s0; j < s1; j++) {
      const u = a[j - 5] as number;
      const w = a[j - 6] as number;
      const uu = u < 0 ? -u : u;
      const ww = w < 0 ? -w : w;
      if (CENTRE_BOUND * (uu > ww ? uu : ww) + rest <= tp) continue;
      tp = interpolate(a, j, tp);
    }
  }
  return tp;
}

/** The largest of the four lanes' maxima at `rg[r … r+3]` (a range record of the SIMD scan). */
function laneMax(rg: Float32Array, r: number): number {
  let hi = rg[r] as number;
  for (let l = 1; l < 4; l++) if ((rg[r + l] as number) > hi) hi = rg[r + l] as number;
  return hi;
}

/** The smallest of the four lanes' minima at `rg[r+4 … r+7]`. */
function laneMin(rg: Float32Array, r: number): number {
  let lo = rg[r + 4] as number;
  for (let l = 5; l < 8; l++) if ((rg[r + l] as number) < lo) lo = rg[r + l] as number;
  return lo;
}

/** The four oversampled values at index `j` (taps over `a[j − 11 … j]`); returns the larger of `tp` and their magnitudes. */
function interpolate(a: Float32Array | Float64Array, j: number, tp: number): number {
  const p0 = P0, p1 = P1, p2 = P2, p3 = P3;
  let y0 = 0;
  let y1 = 0;
  let y2 = 0;
  let y3 = 0;
  for (let k = 0; k < TAPS; k++) {
    const v = a[j - k] as number;
    y0 += (p0[k] as number) * v;
    y1 += (p1[k] as number) * v;
    y2 += (p2[k] as number) * v;
    y3 += (p3[k] as number) * v;
  }
  if (y0 < 0) y0 = -y0;
  if (y1 < 0) y1 = -y1;
  if (y2 < 0) y2 = -y2;
  if (y3 < 0) y3 = -y3;
  if (y0 > tp) tp = y0;
  if (y1 > tp) tp = y1;
  if (y2 > tp) tp = y2;
  if (y3 > tp) tp = y3;
  return tp;
}

/** A linear level in dB (20·log10), −Infinity for 0. */
export function toDb(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : -Infinity;
}
