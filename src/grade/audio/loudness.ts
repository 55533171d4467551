/**
 * Programme loudness per ITU-R BS.1770-4 and EBU R 128: integrated loudness (gated), momentary
 * (400 ms) and short-term (3 s) loudness, loudness range (EBU Tech 3342), true peak (Annex 2) and
 * sample peak, measured as the samples stream past.
 *
 * The signal of each channel goes through the K-weighting ({@link kWeighting}, designed for the
 * file's rate); squares are summed, weighted by channel ({@link channelWeight}), in 100 ms
 * segments. Four segments make a 400 ms gating block (75 % overlap: a new block every 100 ms),
 * thirty make a 3 s short-term window (also every 100 ms). Segment boundaries fall at
 * `round(k · sampleRate / 10)` samples (half up), so at 48 kHz and 44.1 kHz every segment holds
 * exactly 4800 / 4410 samples. Loudness of a mean square z is `−0.691 + 10·log10(z)` LUFS.
 *
 * Memory is one block of samples plus one number per 100 ms (block and short-term energies, kept
 * for the gating and the loudness-range percentiles): 8 bytes × 2 × 36 000 for an hour.
 */
import type { SampleReader } from '../../formats/bwf/samples.js';
import { channelWeight, rolesByCount, type ChannelRole } from './channels.js';
import { pairKernel, type PairKernel } from './k-weighting-simd.js';
import { kWeighting } from './k-weighting.js';
import { TruePeakMeter, toDb } from './true-peak.js';

/** The measurements of one programme. Levels are numbers; −Infinity means "nothing above the gate" or silence. */
export interface LoudnessResult {
  /** Integrated (programme) loudness, LUFS: gated at −70 LUFS absolute and −10 LU relative (BS.1770-4 §2.8). */
  readonly integrated: number;
  /** Loudness range, LU (EBU Tech 3342): 95th − 10th percentile of short-term loudness above −70 LUFS and −20 LU below their power mean; 0 when fewer than two values pass. */
  readonly loudnessRange: number;
  /** The 10th and 95th percentile short-term loudness that bound the range, LUFS. */
  readonly loudnessRangeLow: number;
  readonly loudnessRangeHigh: number;
  /** Largest momentary (400 ms) loudness, LUFS. */
  readonly momentaryMax: number;
  /** Largest short-term (3 s) loudness, LUFS. */
  readonly shortTermMax: number;
  /** Largest true-peak level over all channels, dBTP (undefined when true peak was not asked for). */
  readonly truePeak?: number;
  /** True peak per channel, dBTP. */
  readonly truePeakPerChannel?: readonly number[];
  /** Largest sample magnitude over all channels, dBFS. */
  readonly samplePeak: number;
  /** Sample peak per channel, dBFS. */
  readonly samplePeakPerChannel: readonly number[];
  /** Frames measured. */
  readonly frames: number;
  /** Channel weights used (BS.1770-4 Table 3). */
  readonly weights: readonly number[];
  /** Momentary loudness every 100 ms from 400 ms on (LUFS), when `series` was asked for. */
  readonly momentary?: Float64Array;
  /** Short-term loudness every 100 ms from 3 s on (LUFS), when `series` was asked for. */
  readonly shortTerm?: Float64Array;
}

/** Options of {@link LoudnessMeter} and {@link measureLoudness}. */
export interface LoudnessOptions {
  /** Channel roles (decide the weights); default by channel count (BS.775 order). */
  readonly roles?: readonly ChannelRole[];
  /** Explicit channel weights (override `roles`). */
  readonly weights?: readonly number[];
  /** Measure true peak (default true; the most expensive part). */
  readonly truePeak?: boolean;
  /** Return the momentary and short-term series (default false). */
  readonly series?: boolean;
  /**
   * K-weight float32 blocks with the WebAssembly SIMD kernel where the platform has one (default
   * true). The results are the same to the last bit either way; false keeps the JavaScript loop.
   */
  readonly wasm?: boolean;
}

/** Offset of BS.1770's loudness formula: −0.691 dB makes a 997 Hz sine at 0 dBFS in one front channel read −3.01 LUFS. */
const OFFSET = -0.691;
/** −70 LUFS as a mean square. */
const ABSOLUTE_GATE = 10 ** ((-70 - OFFSET) / 10);

/** LUFS of a weighted mean square. */
export function energyToLufs(z: number): number {
  return z > 0 ? OFFSET + 10 * Math.log10(z) : -Infinity;
}

/** A growable list of doubles. */
class Series {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Mean of the energies above `gate` (strictly, as BS.1770-4 §2.8 gates), and how many there were. */
function meanAbove(energies: Float64Array, gate: number): { mean: number; count: number } {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < energies.length; i++) {
    const e = energies[i] as number;
    if (e > gate) {
      sum += e;
      n++;
    }
  }
  return { mean: n === 0 ? 0 : sum / n, count: n };
}

/** The gate `relativeLu` below the power mean of the blocks above −70 LUFS, as a mean square (Infinity when none pass). */
function relativeGate(energies: Float64Array, relativeLu: number): number {
  const abs = meanAbove(energies, ABSOLUTE_GATE);
  return abs.count === 0 ? Infinity : Math.max(ABSOLUTE_GATE, abs.mean * 10 ** (relativeLu / 10));
}

/** Power-mean gating of BS.1770-4 §2.8 over block energies: the gated mean square (0 when nothing passes). */
function gatedMean(energies: Float64Array, relativeLu: number): number {
  return meanAbove(energies, relativeGate(energies, relativeLu)).mean;
}

/**
 * Loudness range per EBU Tech 3342 §3 from short-term energies: absolute gate −70 LUFS, relative
 * gate −20 LU below the power mean of what passed, then the 10th and 95th percentiles of the
 * loudness values, each the sorted value at index `round((n − 1) · p)` (counting from 0; the
 * Tech leaves the interpolation open, and at 10 values a second the choice moves LRA by
 * hundredths of an LU).
 */
function loudnessRange(energies: Float64Array): { range: number; low: number; high: number } {
  const gate = relativeGate(energies, -20);
  const kept: number[] = [];
  for (let i = 0; i < energies.length; i++) {
    const e = energies[i] as number;
    if (e > gate) kept.push(energyToLufs(e));
  }
  if (kept.length === 0) return { range: 0, low: -Infinity, high: -Infinity };
  kept.sort((a, b) => a - b);
  const at = (p: number): number => kept[Math.round((kept.length - 1) * p)] as number;
  const low = at(0.1);
  const high = at(0.95);
  return { range: high - low, low, high };
}

/**
 * Streaming BS.1770-4 meter for one programme (all channels of one file). Feed blocks with
 * {@link push}, read {@link result} at the end (or at any time).
 */
export class LoudnessMeter {
  readonly sampleRate: number;
  readonly channels: number;
  readonly weights: readonly number[];
  private readonly s1: readonly [number, number, number, number, number];
  private readonly s2a1: number;
  private readonly s2a2: number;
  /** The same coefficients for the SIMD kernel: b0 b1 b2 a1 a2 h1 h2. */
  private readonly coefficients: Float64Array;
  private readonly kernel: PairKernel | undefined;
  /** Filter state, 4 per channel (two transposed-direct-form-II biquads) and 4 spare (see {@link push}). */
  private readonly state: Float64Array;
  /** Channels with a non-zero weight (LFE is not measured), in order. */
  private readonly active: readonly number[];
  /** The two sums {@link filterPair} returns. */
  private readonly sums = new Float64Array(2);
  private readonly peaks: TruePeakMeter[];
  private readonly measureTruePeak: boolean;
  private readonly keepSeries: boolean;
  private frame = 0;
  private segment = 0;
  private segmentEnd: number;
  private segmentSum = 0;
  private readonly ringSum = new Float64Array(30);
  private readonly ringCount = new Float64Array(30);
  private readonly blocks = new Series();
  private readonly shortTerm = new Series();
  private momentaryMaxEnergy = 0;
  private shortTermMaxEnergy = 0;

  constructor(sampleRate: number, channels: number, options: LoudnessOptions = {}) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channel count ${channels} is not a positive integer`);
    this.sampleRate = sampleRate;
    this.channels = channels;
    const roles = options.roles && options.roles.length === channels ? options.roles : rolesByCount(channels);
    this.weights = options.weights && options.weights.length === channels ? [...options.weights] : roles.map(channelWeight);
    const [shelf, hp] = kWeighting(sampleRate);
    this.s1 = [shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2];
    this.s2a1 = hp.a1;
    this.s2a2 = hp.a2;
    this.coefficients = Float64Array.of(shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2, hp.a1, hp.a2);
    this.kernel = options.wasm === false ? undefined : pairKernel();
    // Four per channel, plus a spare channel's four for an odd channel out (see push).
    this.state = new Float64Array(4 * (channels + 1));
    this.active = this.weights.flatMap((w, c) => (w !== 0 ? [c] : []));
    this.measureTruePeak = options.truePeak ?? true;
    this.keepSeries = options.series ?? false;
    this.peaks = Array.from({ length: channels }, () => new TruePeakMeter({ wasm: options.wasm !== false }));
    this.segmentEnd = this.boundary(1);
  }

  /** First frame of segment `k` (100 ms each, boundaries rounded half up). */
  private boundary(k: number): number {
    return Math.floor((k * this.sampleRate * 2 + 10) / 20);
  }

  /** Feeds `count` frames (default: the length of the first channel), one array per channel. */
  push(channels: readonly (Float32Array | Float64Array)[], count: number = channels[0]?.length ?? 0): void {
    if (channels.length !== this.channels) throw new RangeError(`expected ${this.channels} channels, got ${channels.length}`);
    const active = this.active;
    const weights = this.weights;
    const sums = this.sums;
    let i = 0;
    while (i < count) {
      const n = Math.min(count - i, this.segmentEnd - this.frame);
      // Channels two at a time: the two filters' recursions are independent, so the processor
      // overlaps them. The segment sum still adds channel by channel in order (same result).
      let k = 0;
      for (; k + 1 < active.length; k += 2) {
        const c = active[k] as number;
        const d = active[k + 1] as number;
        this.filterPair(c, channels[c] as Float32Array, d, channels[d] as Float32Array, i, i + n);
        this.segmentSum += (weights[c] as number) * (sums[0] as number);
        this.segmentSum += (weights[d] as number) * (sums[1] as number);
      }
      if (k < active.length) {
        // The last channel alone, paired with a spare state slot that nothing reads.
        const c = active[k] as number;
        const x = channels[c] as Float32Array;
        this.filterPair(c, x, this.channels, x, i, i + n);
        this.segmentSum += (weights[c] as number) * (sums[0] as number);
      }
      this.frame += n;
      i += n;
      if (this.frame === this.segmentEnd) this.closeSegment();
    }
    for (let c = 0; c < this.channels; c++) {
      const peak = this.peaks[c] as TruePeakMeter;
      if (this.measureTruePeak) peak.push(channels[c] as Float32Array, count);
      else samplePeakOnly(peak, channels[c] as Float32Array, count);
    }
  }

  /**
   * K-weights `x[from, to)` of channel `c` and `w[from, to)` of channel `d` in one loop, keeping
   * each channel's filter state; the sums of squares land in `sums[0]` and `sums[1]`. Each
   * channel's operations and their order are those of a loop over that channel alone.
   */
  private filterPair(c: number, x: Float32Array | Float64Array, d: number, w: Float32Array | Float64Array, from: number, to: number): void {
    const st = this.state;
    if (this.kernel && x instanceof Float32Array && w instanceof Float32Array) {
      // Two lanes of one SIMD loop; the same numbers (k-weighting-simd.ts).
      this.kernel.run(this.coefficients, st, 4 * c, x, st, 4 * d, w, from, to, this.sums, 0);
      return;
    }
    const o = 4 * c;
    const q = 4 * d;
    const [b0, b1, b2, a1, a2] = this.s1;
    const h1 = this.s2a1;
    const h2 = this.s2a2;
    let u1 = st[o] as number;
    let u2 = st[o + 1] as number;
    let v1 = st[o + 2] as number;
    let v2 = st[o + 3] as number;
    let p1 = st[q] as number;
    let p2 = st[q + 1] as number;
    let r1 = st[q + 2] as number;
    let r2 = st[q + 3] as number;
    let sum = 0;
    let sumB = 0;
    for (let i = from; i < to; i++) {
      const s = x[i] as number;
      const t = w[i] as number;
      const y = b0 * s + u1;
      const g = b0 * t + p1;
      u1 = b1 * s - a1 * y + u2;
      p1 = b1 * t - a1 * g + p2;
      u2 = b2 * s - a2 * y;
      p2 = b2 * t - a2 * g;
      const z = y + v1;
      const e = g + r1;
      v1 = -2 * y - h1 * z + v2;
      r1 = -2 * g - h1 * e + r2;
      v2 = y - h2 * z;
      r2 = g - h2 * e;
      sum += z * z;
      sumB += e * e;
    }
    st[o] = u1;
    st[o + 1] = u2;
    st[o + 2] = v1;
    st[o + 3] = v2;
    st[q] = p1;
    st[q + 1] = p2;
    st[q + 2] = r1;
    st[q + 3] = r2;
    this.sums[0] = sum;
    this.sums[1] = sumB;
  }

  private closeSegment(): void {
    const k = this.segment;
    const slot = k % 30;
    this.ringSum[slot] = this.segmentSum;
    this.ringCount[slot] = this.segmentEnd - this.boundary(k);
    this.segmentSum = 0;
    this.segment = k + 1;
    this.segmentEnd = this.boundary(k + 2);
    if (k >= 3) {
      const e = this.windowEnergy(k, 4);
      this.blocks.push(e);
      if (e > this.momentaryMaxEnergy) this.momentaryMaxEnergy = e;
    }
    if (k >= 29) {
      const e = this.windowEnergy(k, 30);
      this.shortTerm.push(e);
      if (e > this.shortTermMaxEnergy) this.shortTermMaxEnergy = e;
    }
  }

  /** Mean square of the `count` segments ending with segment `k`. */
  private windowEnergy(k: number, count: number): number {
    let sum = 0;
    let n = 0;
    for (let j = k - count + 1; j <= k; j++) {
      sum += this.ringSum[j % 30] as number;
      n += this.ringCount[j % 30] as number;
    }
    return n > 0 ? sum / n : 0;
  }

  /** The measurements so far. */
  result(): LoudnessResult {
    const blocks = this.blocks.view();
    const lra = loudnessRange(this.shortTerm.view());
    const sp = this.peaks.map((p) => toDb(p.samplePeak));
    const tp = this.measureTruePeak ? this.peaks.map((p) => toDb(Math.max(p.truePeak, 0))) : undefined;
    const toLufs = (s: Float64Array): Float64Array => s.map(energyToLufs);
    return {
      integrated: energyToLufs(gatedMean(blocks, -10)),
      loudnessRange: lra.range,
      loudnessRangeLow: lra.low,
      loudnessRangeHigh: lra.high,
      momentaryMax: energyToLufs(this.momentaryMaxEnergy),
      shortTermMax: energyToLufs(this.shortTermMaxEnergy),
      ...(tp ? { truePeak: Math.max(...tp), truePeakPerChannel: tp } : {}),
      samplePeak: Math.max(...sp),
      samplePeakPerChannel: sp,
      frames: this.frame,
      weights: this.weights,
      ...(this.keepSeries ? { momentary: toLufs(blocks), shortTerm: toLufs(this.shortTerm.view()) } : {}),
    };
  }
}

function samplePeakOnly(meter: TruePeakMeter, x: Float32Array | Float64Array, count: number): void {
  let sp = meter.samplePeak;
  for (let i = 0; i < count; i++) {
    const v = x[i] as number;
    const a = v < 0 ? -v : v;
    if (a > sp) sp = a;
  }
  meter.samplePeak = sp;
}

/** Options of {@link measureLoudness}: meter options plus the part of the file to measure. */
export interface MeasureLoudnessOptions extends LoudnessOptions {
  /** First frame (default 0). */
  readonly startFrame?: number;
  /** Frames to measure (default: to the end). */
  readonly frameCount?: number;
}

/**
 * Measures a whole file (or a range of it) opened with `openSamples`, streaming: memory is one
 * block of samples whatever the length.
 */
export async function measureLoudness(reader: SampleReader, options: MeasureLoudnessOptions = {}): Promise<LoudnessResult> {
  const meter = new LoudnessMeter(reader.format.sampleRate, reader.format.channels, options);
  const range = { ...(options.startFrame !== undefined ? { startFrame: options.startFrame } : {}), ...(options.frameCount !== undefined ? { frameCount: options.frameCount } : {}) };
  for await (const block of reader.blocks({ ...range, reuse: true })) meter.push(block.channels);
  return meter.result();
}

/** Measures channels held in memory (tests, generated signals). */
export function measureLoudnessOf(channels: readonly (Float32Array | Float64Array)[], sampleRate: number, options: LoudnessOptions = {}): LoudnessResult {
  const meter = new LoudnessMeter(sampleRate, channels.length, options);
  meter.push(channels);
  return meter.result();
}
