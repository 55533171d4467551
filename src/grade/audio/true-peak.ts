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
 * Speed: an interpolated value is a weighted sum of 12 input samples, so its magnitude is at most
 * `GAIN_BOUND · max |x|` over those samples (`GAIN_BOUND` = the largest sum of a phase's absolute
 * taps, 2.0229). Chunks of 128 samples whose local maximum times that bound cannot exceed the
 * true peak found so far are skipped; inside a chunk, an output is skipped when its two centre
 * taps (at most 1.245 of the two samples around the point) plus the other ten taps (at most 0.778
 * of the chunk's maximum) cannot reach it. Exact: the bounds are inequalities, not estimates (with
 * a 1e-12 relative margin for rounding); on programme material most outputs are skipped once the
 * loud passages have been seen.
 */

/** The four phases of the Annex 2 filter, 12 taps each, tap 0 applied to the newest sample. */
export const TRUE_PEAK_PHASES: readonly (readonly number[])[] = (() => {
  const p0 = [0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125];
  const p1 = [-0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625, 0.779785156250, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375];
  return [p0, p1, [...p1].reverse(), [...p0].reverse()];
})();

const [P0, P1, P2, P3] = TRUE_PEAK_PHASES.map((p) => Float64Array.from(p)) as [Float64Array, Float64Array, Float64Array, Float64Array];
const TAPS = 12;
const HISTORY = TAPS - 1;
const CHUNK = 128;

/** The largest gain any phase can apply to a signal bounded by 1 (sum of absolute taps). */
export const GAIN_BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => p.reduce((a, h) => a + Math.abs(h), 0)));
/** Largest sum of a phase's two centre taps (5 and 6) in absolute value. */
const CENTRE_BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => Math.abs(p[5] as number) + Math.abs(p[6] as number)));
/** Largest sum of a phase's other ten taps in absolute value. */
const REST_BOUND = Math.max(...TRUE_PEAK_PHASES.map((p) => p.reduce((a, h, k) => (k === 5 || k === 6 ? a : a + Math.abs(h)), 0)));
/** Margin on the bounds for the rounding of the sums they bound. */
const SAFE = 1 + 1e-12;

/**
 * Streaming true-peak and sample-peak meter for one channel. Memory: the last 11 samples plus one
 * working copy of the block pushed.
 */
export class TruePeakMeter {
  private buf = new Float64Array(HISTORY + 4096);
  /** Largest |oversampled value| so far (linear). */
  truePeak = 0;
  /** Largest |sample| so far (linear). */
  samplePeak = 0;
  /** Frame index of the sample peak (first occurrence). */
  samplePeakFrame = 0;
  private frames = 0;

  /** Feeds `count` samples of `x` from index 0. */
  push(x: Float32Array | Float64Array, count: number = x.length): void {
    if (count <= 0) return;
    if (this.buf.length < HISTORY + count) {
      const next = new Float64Array(HISTORY + count);
      next.set(this.buf.subarray(0, HISTORY));
      this.buf = next;
    }
    const buf = this.buf;
    const p0 = P0, p1 = P1, p2 = P2, p3 = P3;
    let tp = this.truePeak;
    let sp = this.samplePeak;
    let spAt = this.samplePeakFrame;
    for (let i = 0; i < count; i++) buf[HISTORY + i] = x[i] as number;
    for (let c0 = 0; c0 < count; c0 += CHUNK) {
      const c1 = Math.min(count, c0 + CHUNK);
      // The 11 samples before the chunk (they feed its first outputs), then the chunk itself (its
      // maximum is also the sample peak's candidate).
      let historyMax = 0;
      for (let j = c0; j < c0 + HISTORY; j++) {
        const v = buf[j] as number;
        const a = v < 0 ? -v : v;
        if (a > historyMax) historyMax = a;
      }
      let chunkMax = 0;
      let chunkAt = c0 + HISTORY;
      for (let j = c0 + HISTORY; j < c1 + HISTORY; j++) {
        const v = buf[j] as number;
        const a = v < 0 ? -v : v;
        if (a > chunkMax) {
          chunkMax = a;
          chunkAt = j;
        }
      }
      if (chunkMax > sp) {
        sp = chunkMax;
        spAt = this.frames + chunkAt - HISTORY;
      }
      const localMax = historyMax > chunkMax ? historyMax : chunkMax;
      if (localMax * GAIN_BOUND * SAFE <= tp) continue;
      // Per output: the two centre taps weigh the samples next to the interpolated point, the
      // other ten at most the window's maximum. Outputs that cannot reach the peak are skipped.
      const rest = REST_BOUND * localMax;
      for (let j = c0 + HISTORY; j < c1 + HISTORY; j++) {
        const a = buf[j - 5] as number;
        const b = buf[j - 6] as number;
        const aa = a < 0 ? -a : a;
        const bb = b < 0 ? -b : b;
        if ((CENTRE_BOUND * (aa > bb ? aa : bb) + rest) * SAFE <= tp) continue;
        let y0 = 0;
        let y1 = 0;
        let y2 = 0;
        let y3 = 0;
        for (let k = 0; k < TAPS; k++) {
          const v = buf[j - k] as number;
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
      }
    }
    // Keep the last 11 samples as the next block's history.
    buf.copyWithin(0, count, count + HISTORY);
    this.frames += count;
    this.truePeak = tp;
    this.samplePeak = sp;
    this.samplePeakFrame = spAt;
  }
}

/** A linear level in dB (20·log10), −Infinity for 0. */
export function toDb(linear: number): number {
  return linear > 0 ? 20 * Math.log10(linear) : -Infinity;
}
