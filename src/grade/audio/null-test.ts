/**
 * Null test: do the stems sum to the printmaster? The stems are added sample by sample, channel by
 * channel, subtracted from the printmaster, and the residual's peak and RMS are reported. All files
 * stream together in blocks, so memory is one block per file.
 *
 * Levels are dBFS of the residual: peak `20·log10(max |r|)`, RMS `20·log10(sqrt(mean r²))` (a
 * full-scale sine reads −3.01 dB RMS; no AES17 +3 dB correction). A residual of exactly zero is
 * −Infinity.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { SampleBlock, SampleReader } from '../../formats/bwf/samples.js';
import { toDb } from './true-peak.js';

/** Options of {@link nullTest}. */
export interface NullTestOptions {
  /** The residual peak must be at or under this, dBFS (default −60). */
  readonly thresholdDb?: number;
  /** Frames per block (default 65 536). */
  readonly blockFrames?: number;
  /**
   * Called with every block read: `file` is 0 for the printmaster, 1… for the stems in order. Lets
   * a caller measure loudness in the same pass (each file is decoded once). The block's arrays are
   * reused for the next block of that file: copy what you keep past the call.
   */
  readonly onBlock?: (file: number, block: SampleBlock) => void;
  /** Names for messages (printmaster first, then stems). */
  readonly names?: readonly string[];
}

/** Residual of one channel. */
export interface NullChannel {
  readonly peakDb: number;
  readonly rmsDb: number;
  /** Frame of the largest residual sample. */
  readonly peakFrame: number;
}

/** What {@link nullTest} found. */
export interface NullTestResult {
  /** True when the files could be compared and the residual peak is at or under the threshold. */
  readonly ok: boolean;
  readonly thresholdDb: number;
  /** Largest residual over all channels, dBFS. */
  readonly residualPeakDb: number;
  /** RMS of the residual over all channels and frames, dBFS. */
  readonly residualRmsDb: number;
  /** Frame and channel of the largest residual. */
  readonly peakFrame: number;
  readonly peakChannel: number;
  readonly channels: readonly NullChannel[];
  /** Peak of the printmaster itself, dBFS (how deep the null is relative to the programme). */
  readonly printmasterPeakDb: number;
  /** Frames compared (the longest file; a shorter file counts as silence past its end). */
  readonly frames: number;
  /** Format mismatches (sample rate, channel count: not comparable), length mismatches (warnings). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Sums `stems` and compares them with `printmaster`. Files of another sample rate or channel count
 * make the test fail with an error diagnostic; files of another length are compared as if padded
 * with silence, with a warning.
 */
export async function nullTest(printmaster: SampleReader, stems: readonly SampleReader[], options: NullTestOptions = {}): Promise<NullTestResult> {
  const thresholdDb = options.thresholdDb ?? -60;
  const names = options.names ?? ['printmaster', ...stems.map((_, i) => `stem ${i + 1}`)];
  const diagnostics: Diagnostic[] = [];
  const all = [printmaster, ...stems];
  const channels = printmaster.format.channels;
  all.forEach((r, i) => {
    if (i === 0) return;
    if (r.format.sampleRate !== printmaster.format.sampleRate) {
      diagnostics.push(error('grade/null-sample-rate', `${names[i]} is ${r.format.sampleRate} Hz; ${names[0]} is ${printmaster.format.sampleRate} Hz`, { expected: String(printmaster.format.sampleRate), received: String(r.format.sampleRate) }));
    }
    if (r.format.channels !== channels) {
      diagnostics.push(error('grade/null-channels', `${names[i]} has ${r.format.channels} channels; ${names[0]} has ${channels}`, { expected: String(channels), received: String(r.format.channels) }));
    }
    if (r.frameCount !== printmaster.frameCount) {
      diagnostics.push(warning('grade/null-length', `${names[i]} is ${r.frameCount} frames long; ${names[0]} is ${printmaster.frameCount}`, { expected: String(printmaster.frameCount), received: String(r.frameCount) }));
    }
  });
  const empty: NullTestResult = {
    ok: false,
    thresholdDb,
    residualPeakDb: -Infinity,
    residualRmsDb: -Infinity,
    peakFrame: 0,
    peakChannel: 0,
    channels: [],
    printmasterPeakDb: -Infinity,
    frames: 0,
    diagnostics,
  };
  if (stems.length === 0) diagnostics.push(error('grade/null-no-stems', 'no stems to sum'));
  if (diagnostics.some((d) => d.severity === 'error')) return empty;

  const blockFrames = options.blockFrames ?? 65536;
  const iters = all.map((r) => r.blocks({ blockFrames, reuse: true }));
  const done = all.map(() => false);
  const peak = new Float64Array(channels);
  const peakAt = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  /** The printmaster's running peak (a box the pass functions update). */
  const pmPeakBox = new Float64Array(1);
  let frames = 0;
  let acc = new Float64Array(0);
  let zeros = new Float32Array(0);
  for (;;) {
    const next = await Promise.all(iters.map((it, i) => (done[i] ? Promise.resolve(undefined) : it.next())));
    const blocks: (SampleBlock | undefined)[] = next.map((n, i) => {
      if (!n || n.done) {
        done[i] = true;
        return undefined;
      }
      return n.value;
    });
    const n = Math.max(0, ...blocks.map((b) => b?.channels[0]?.length ?? 0));
    if (n === 0) break;
    blocks.forEach((b, i) => b && options.onBlock?.(i, b));
    if (acc.length < n) acc = new Float64Array(n);
    const whole = blocks.every((b) => b !== undefined && b.channels.length === channels && b.channels.every((ch) => ch.length === n));
    for (let c = 0; c < channels; c++) {
      let sq: number;
      if (whole) {
        // Every file has all n frames: the same subtractions in the same order (printmaster minus
        // each stem in turn), six stems per pass; a stem slot past the last is the zero block
        // (x − 0 is x, bit for bit). Up to six stems this is one pass and no accumulator.
        if (zeros.length < n) zeros = new Float32Array(n);
        const pm = (blocks[0] as SampleBlock).channels[c] as Float32Array;
        const stem = (k: number): Float32Array => (k < blocks.length ? ((blocks[k] as SampleBlock).channels[c] as Float32Array) : zeros);
        if (blocks.length <= 1 + FUSED) {
          sq = fusedPass(pm, stem(1), stem(2), stem(3), stem(4), stem(5), stem(6), n, c, peak, peakAt, frames, pmPeakBox);
        } else {
          copyPass(acc, pm, n, pmPeakBox);
          for (let k = 1; k < blocks.length; k += FUSED) subtractPass(acc, stem(k), stem(k + 1), stem(k + 2), stem(k + 3), stem(k + 4), stem(k + 5), n);
          sq = residualPass(acc, n, c, peak, peakAt, frames);
        }
      } else {
        const pm = blocks[0]?.channels[c];
        const pmLength = pm ? pm.length : 0;
        if (pm) copyPass(acc, pm, pmLength, pmPeakBox);
        // Past the printmaster's end (a longer stem) it counts as silence.
        if (pmLength < n) acc.fill(0, pmLength, n);
        for (let k = 1; k < blocks.length; k++) {
          const st = blocks[k]?.channels[c];
          if (!st) continue;
          for (let i = 0; i < st.length; i++) acc[i] = (acc[i] as number) - (st[i] as number);
        }
        sq = residualPass(acc, n, c, peak, peakAt, frames);
      }
      sumSq[c] = (sumSq[c] as number) + sq;
    }
    frames += n;
  }
  let maxPeak = 0;
  let maxChannel = 0;
  let totalSq = 0;
  const perChannel: NullChannel[] = [];
  for (let c = 0; c < channels; c++) {
    const p = peak[c] as number;
    if (p > maxPeak) {
      maxPeak = p;
      maxChannel = c;
    }
    totalSq += sumSq[c] as number;
    perChannel.push({ peakDb: toDb(p), rmsDb: frames > 0 ? toDb(Math.sqrt((sumSq[c] as number) / frames)) : -Infinity, peakFrame: peakAt[c] as number });
  }
  const residualPeakDb = toDb(maxPeak);
  return {
    ok: residualPeakDb <= thresholdDb,
    thresholdDb,
    residualPeakDb,
    residualRmsDb: frames > 0 ? toDb(Math.sqrt(totalSq / (frames * channels))) : -Infinity,
    peakFrame: peakAt[maxChannel] as number,
    peakChannel: maxChannel,
    channels: perChannel,
    printmasterPeakDb: toDb(pmPeakBox[0] as number),
    frames,
    diagnostics,
  };
}

/** Stems per pass of the fused null-test loops. */
const FUSED = 6;

/**
 * The residual `pm − a − b − c − d − e − f` (left to right, in double) of channel `ch` over `n`
 * frames in one pass: updates the channel's peak and its position and the printmaster's peak
 * (`pmPeakBox[0]`), returns the sum of squares.
 */
function fusedPass(pm: Float32Array, a: Float32Array, b: Float32Array, c: Float32Array, d: Float32Array, e: Float32Array, f: Float32Array, n: number, ch: number, peak: Float64Array, peakAt: Float64Array, frames: number, pmPeakBox: Float64Array): number {
  let p = peak[ch] as number;
  let pAt = peakAt[ch] as number;
  let pmPeak = pmPeakBox[0] as number;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const v = pm[i] as number;
    const m = v < 0 ? -v : v;
    if (m > pmPeak) pmPeak = m;
    const r = v - (a[i] as number) - (b[i] as number) - (c[i] as number) - (d[i] as number) - (e[i] as number) - (f[i] as number);
    sq += r * r;
    const x = r < 0 ? -r : r;
    if (x > p) {
      p = x;
      pAt = frames + i;
    }
  }
  peak[ch] = p;
  peakAt[ch] = pAt;
  pmPeakBox[0] = pmPeak;
  return sq;
}

/** `acc = pm` over `n` frames; updates the printmaster's peak (`pmPeakBox[0]`). */
function copyPass(acc: Float64Array, pm: Float32Array, n: number, pmPeakBox: Float64Array): void {
  let pmPeak = pmPeakBox[0] as number;
  for (let i = 0; i < n; i++) {
    const v = pm[i] as number;
    acc[i] = v;
    const m = v < 0 ? -v : v;
    if (m > pmPeak) pmPeak = m;
  }
  pmPeakBox[0] = pmPeak;
}

/** `acc = acc − a − … − f` over `n` frames (left to right). */
function subtractPass(acc: Float64Array, a: Float32Array, b: Float32Array, c: Float32Array, d: Float32Array, e: Float32Array, f: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) acc[i] = (acc[i] as number) - (a[i] as number) - (b[i] as number) - (c[i] as number) - (d[i] as number) - (e[i] as number) - (f[i] as number);
}

/** The residual `acc` of channel `c`: updates its peak and position, returns the sum of squares. */
function residualPass(acc: Float64Array, n: number, c: number, peak: Float64Array, peakAt: Float64Array, frames: number): number {
  let p = peak[c] as number;
  let pAt = peakAt[c] as number;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const r = acc[i] as number;
    sq += r * r;
    const a = r < 0 ? -r : r;
    if (a > p) {
      p = a;
      pAt = frames + i;
    }
  }
  peak[c] = p;
  peakAt[c] = pAt;
  return sq;
}
