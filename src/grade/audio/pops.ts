/**
 * Sync-pop detection: a "2-pop" is one frame of 1 kHz tone two seconds before the first frame of
 * action (and a tail pop two seconds after the last), with silence around it, so picture and sound
 * can be lined up by eye and ear. {@link detectPop} looks for one near where it should be and says
 * exactly where it is, how long, at what frequency, and what is wrong with it.
 *
 * Method (all in samples of the loudest channel of the window read):
 * 1. the loudest sample of the window is taken as inside the pop; the pop's core is the run around
 *    it of samples within 20 dB of that peak, bridging gaps (zero crossings) up to one period of the
 *    expected tone;
 * 2. the edges move outward over samples still above the silence threshold (at most a quarter
 *    period); the first sample moves back by one more when the sinusoid through the first two
 *    samples extrapolates to within the threshold of zero there and the sample there is silent —
 *    a tone starting at phase 0 (as Pro Tools' signal generator writes it) has a zero first sample;
 * 3. the end is the sample after the last one above the threshold;
 * 4. the frequency comes from the zero crossings inside the pop, located by linear interpolation:
 *    `(crossings − 1) / (2 · (last − first))` cycles per sample;
 * 5. silence: every sample of every channel within `silenceFrames` frames before the pop's start
 *    and after its end must be at or under the threshold.
 *
 * Positions are exact integers (samples from the file's first frame); the expected length of one
 * frame is the exact rational `sampleRate / frameRate` (1601.6 samples at 29.97 and 48 kHz).
 */
import type { SampleReader } from '../../formats/bwf/samples.js';
import type { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { toDb } from './true-peak.js';

/** What can be wrong with a pop. */
export type PopProblemCode = 'missing' | 'wrong-frequency' | 'wrong-duration' | 'offset' | 'noise';

/** One thing wrong with a pop, with a sentence for people. */
export interface PopProblem {
  readonly code: PopProblemCode;
  readonly message: string;
}

/** Options of {@link detectPop}. */
export interface PopOptions {
  /** The picture rate: the pop lasts one frame of it. */
  readonly rate: FrameRate;
  /** Where the pop should start, in samples from the file's first frame. */
  readonly expectedStart: number;
  /** Tone frequency (default 1000 Hz). */
  readonly frequencyHz?: number;
  /** Accepted frequency error, Hz (default 2 % of the frequency). */
  readonly frequencyToleranceHz?: number;
  /** Level at or under which a sample counts as silent, dBFS (default −60). */
  readonly silenceThresholdDb?: number;
  /** Frames of silence required on each side of the pop (default 12). */
  readonly silenceFrames?: number;
  /** How far from the expected start to look, in frames (default 6). */
  readonly searchFrames?: number;
  /** Accepted start error, samples (default 1: tools differ in rounding a frame boundary that falls between samples). */
  readonly positionToleranceSamples?: number;
  /** Accepted length error, samples (default 5 % of a frame, rounded up). */
  readonly durationToleranceSamples?: number;
}

/** What {@link detectPop} found. */
export interface PopResult {
  /** True when a pop was found and nothing is wrong with it. */
  readonly ok: boolean;
  /** Everything wrong, most basic first (`missing`, then frequency, length, position, silence). */
  readonly problems: readonly PopProblem[];
  readonly expectedStart: number;
  /** One frame in samples, exact (`sampleRate / rate`). */
  readonly expectedDuration: Rational;
  /** First sample of the tone found. */
  readonly start?: number;
  /** Samples from the first to after the last sample of the tone. */
  readonly duration?: number;
  /** Measured frequency, Hz. */
  readonly frequencyHz?: number;
  /** Peak level of the tone, dBFS. */
  readonly levelDb?: number;
  /** `start − expectedStart`, samples (positive = late). */
  readonly offsetSamples?: number;
  /** The offset in frames, exact. */
  readonly offsetFrames?: Rational;
  /** The loudest sample of the required silence around the pop: level (dBFS) and position. */
  readonly surroundPeak?: { readonly levelDb: number; readonly sample: number };
  /** The channel the tone was measured on (0-based). */
  readonly channel?: number;
}

const ceil = (x: number): number => Math.ceil(x - 1e-9);

/**
 * Detects a pop in samples held in memory: `channels` hold frames `[windowStart, windowStart +
 * length)` of the file. Used by {@link detectPop}; exposed for callers that already hold samples.
 */
export function detectPopIn(channels: readonly Float32Array[], windowStart: number, sampleRate: number, options: PopOptions): PopResult {
  const f0 = options.frequencyHz ?? 1000;
  const fTol = options.frequencyToleranceHz ?? f0 * 0.02;
  const thresholdDb = options.silenceThresholdDb ?? -60;
  const threshold = 10 ** (thresholdDb / 20);
  const frame = Rational.of(sampleRate).times(options.rate.frameDuration);
  const frameN = frame.toNumber();
  const expectedStart = options.expectedStart;
  const silenceN = ceil((options.silenceFrames ?? 12) * frameN);
  const searchN = ceil((options.searchFrames ?? 6) * frameN);
  const posTol = options.positionToleranceSamples ?? 1;
  const durTol = options.durationToleranceSamples ?? ceil(frameN * 0.05);
  const base = { expectedStart, expectedDuration: frame };
  const length = channels[0]?.length ?? 0;

  // The loudest channel, and its loudest sample within the search range.
  const lo = Math.max(0, expectedStart - searchN - windowStart);
  const hi = Math.min(length, expectedStart + ceil(frameN) + searchN - windowStart);
  let peak = 0;
  let peakAt = -1;
  let channel = 0;
  channels.forEach((x, c) => {
    for (let i = lo; i < hi; i++) {
      const a = Math.abs(x[i] as number);
      if (a > peak) {
        peak = a;
        peakAt = i;
        channel = c;
      }
    }
  });
  if (peakAt < 0 || peak <= threshold) {
    return {
      ...base,
      ok: false,
      problems: [{ code: 'missing', message: `no tone above ${thresholdDb} dBFS within ${options.searchFrames ?? 6} frames of the expected position` }],
    };
  }
  const x = channels[channel] as Float32Array;
  const period = sampleRate / f0;
  const gap = ceil(period);
  const core = peak / 10;
  let s = peakAt;
  for (let j = peakAt - 1; j >= 0 && s - j <= gap; j--) if (Math.abs(x[j] as number) >= core) s = j;
  let e = peakAt;
  for (let j = peakAt + 1; j < length && j - e <= gap; j++) if (Math.abs(x[j] as number) >= core) e = j;
  // Outward over samples still above the silence threshold, at most a quarter period.
  const reach = ceil(period / 4);
  for (let k = 0; k < reach && s > 0 && Math.abs(x[s - 1] as number) > threshold; k++) s--;
  for (let k = 0; k < reach && e + 1 < length && Math.abs(x[e + 1] as number) > threshold; k++) e++;
  const end = e + 1;

  // Frequency from interpolated zero crossings.
  let first = -1;
  let last = -1;
  let crossings = 0;
  for (let i = s; i + 1 < end; i++) {
    const a = x[i] as number;
    const b = x[i + 1] as number;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) {
      const t = i + a / (a - b);
      if (first < 0) first = t;
      last = t;
      crossings++;
    }
  }
  const frequencyHz = crossings >= 2 && last > first ? ((crossings - 1) * sampleRate) / (2 * (last - first)) : 0;

  // A tone starting at phase 0 has a zero first sample: extrapolate the sinusoid one sample back.
  if (s > 0 && s + 1 < end && frequencyHz > 0) {
    const w = (2 * Math.PI * frequencyHz) / sampleRate;
    const predicted = 2 * Math.cos(w) * (x[s] as number) - (x[s + 1] as number);
    if (Math.abs(predicted) <= threshold && Math.abs(x[s - 1] as number) <= threshold) s--;
  }
  const start = windowStart + s;
  const duration = end - s;

  // Silence on both sides, on every channel.
  let surround = 0;
  let surroundAt = -1;
  const a0 = Math.max(0, s - silenceN);
  const b1 = Math.min(length, end + silenceN);
  for (const ch of channels) {
    for (let i = a0; i < b1; i++) {
      if (i === s) i = end;
      if (i >= b1) break;
      const v = Math.abs(ch[i] as number);
      if (v > surround) {
        surround = v;
        surroundAt = i;
      }
    }
  }

  const problems: PopProblem[] = [];
  if (Math.abs(frequencyHz - f0) > fTol) problems.push({ code: 'wrong-frequency', message: `the tone is ${frequencyHz.toFixed(1)} Hz; a pop is ${f0} Hz (± ${fTol} Hz)` });
  const durationError = Rational.of(duration).minus(frame);
  if (durationError.abs().greaterThan(Rational.of(durTol))) {
    const frames = Rational.of(duration).dividedBy(frame);
    problems.push({ code: 'wrong-duration', message: `the tone lasts ${duration} samples (${frames.toNumber().toFixed(2)} frames); a pop lasts one frame, ${formatSamples(frame)} samples` });
  }
  const offsetSamples = start - expectedStart;
  const offsetFrames = Rational.of(offsetSamples).dividedBy(frame);
  if (Math.abs(offsetSamples) > posTol) {
    problems.push({ code: 'offset', message: `the pop starts ${Math.abs(offsetSamples)} samples (${offsetFrames.abs().toNumber().toFixed(2)} frames) ${offsetSamples > 0 ? 'late' : 'early'}` });
  }
  const surroundDb = toDb(surround);
  if (surround > threshold) {
    problems.push({ code: 'noise', message: `the silence around the pop is broken: ${surroundDb.toFixed(1)} dBFS at sample ${windowStart + surroundAt} (threshold ${thresholdDb} dBFS within ${options.silenceFrames ?? 12} frames)` });
  }
  return {
    ...base,
    ok: problems.length === 0,
    problems,
    start,
    duration,
    frequencyHz,
    levelDb: toDb(peak),
    offsetSamples,
    offsetFrames,
    surroundPeak: { levelDb: surroundDb, sample: surroundAt < 0 ? start : windowStart + surroundAt },
    channel,
  };
}

function formatSamples(r: Rational): string {
  return r.isInteger() ? r.toString() : r.toNumber().toFixed(1);
}

/**
 * Looks for a pop near `options.expectedStart` in a file opened with `openSamples`, reading only
 * the frames around it (the search range plus the silence on both sides, at most a minute each
 * side). A sample rate of 0 is a programmer error (`RangeError`): check the format first.
 */
export async function detectPop(reader: SampleReader, options: PopOptions): Promise<PopResult> {
  const sampleRate = reader.format.sampleRate;
  if (!(sampleRate > 0)) throw new RangeError(`sample rate ${sampleRate} is not positive`);
  const frameN = Rational.of(sampleRate).times(options.rate.frameDuration).toNumber();
  // At most a minute each side, whatever the options ask: memory stays bounded.
  const margin = Math.min(60 * sampleRate, ceil(((options.searchFrames ?? 6) + (options.silenceFrames ?? 12) + 1) * frameN));
  const from = Math.max(0, Math.min(reader.frameCount, options.expectedStart - margin));
  const to = Math.max(from, Math.min(reader.frameCount, options.expectedStart + ceil(frameN) + margin));
  const channels = Array.from({ length: reader.format.channels }, () => new Float32Array(to - from));
  for await (const block of reader.blocks({ startFrame: from, frameCount: to - from, blockFrames: Math.max(1, to - from), reuse: true })) {
    block.channels.forEach((ch, c) => (channels[c] as Float32Array).set(ch, block.startFrame - from));
  }
  return detectPopIn(channels, from, sampleRate, options);
}
