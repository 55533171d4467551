/**
 * The five time formats of a Session Info export (spec/protools.md §1.8) and their conversion to
 * and from sample counts. Only timecode is absolute; every other format counts from the session
 * start. Facts used (checked against the corpus, EXPECTED.md "Time-format family"): frames and
 * feet are truncated to the sample position, sub-frames are hundredths of a frame rounded to the
 * nearest, feet+frames count 16 frames per foot at 24 film frames per second (not the timecode rate), min:secs is
 * real time truncated to whole seconds, bars|beats assume a constant tempo with 960 ticks per beat.
 */
import { divRound, floorDiv } from '../../../time/rational.js';
import type { FrameRate } from '../../../time/frame-rate.js';
import { framesToLabel, labelToFrames } from '../../../time/timecode.js';

/** The main time format of an export. */
export type SessionTimeFormat = 'timecode' | 'min-secs' | 'samples' | 'bars-beats' | 'feet-frames';

/** A parsed time cell. */
export type TimeValue =
  | { readonly format: 'timecode'; readonly hours: number; readonly minutes: number; readonly seconds: number; readonly frames: number; readonly subframes?: number; readonly dropSeparator: boolean }
  | { readonly format: 'min-secs'; readonly minutes: number; readonly seconds: number; readonly milliseconds?: number }
  | { readonly format: 'samples'; readonly samples: bigint }
  | { readonly format: 'bars-beats'; readonly bars: number; readonly beats: number; readonly ticks?: number }
  | { readonly format: 'feet-frames'; readonly feet: number; readonly frames: number; readonly subframes?: number };

const TC = /^(\d{1,2}):(\d{2}):(\d{2})([:;])(\d{2,3})(?:\.(\d{2,3}))?$/;
const MS = /^(\d+):(\d{2})(?:\.(\d{3}))?$/;
const SAMPLES = /^\d+$/;
const BB = /^(\d+)\|(\d+)(?:\|\s*(\d+))?$/;
const FF = /^(\d+)\+(\d{2})(?:\.(\d{2,3}))?$/;

/** Recognises a time cell by its shape (spec/protools.md §1.10 step 5); undefined when none fits. */
export function parseTimeValue(text: string): TimeValue | undefined {
  let m: RegExpExecArray | null;
  const c = text.charCodeAt(2);
  if (c === 58 && text.length === 11) {
    // HH:MM:SS:FF, the common cell: read the digits directly.
    const sep = text.charCodeAt(8);
    let digitsOk = text.charCodeAt(5) === 58 && (sep === 58 || sep === 59);
    for (let k = 0; k < 11 && digitsOk; k++) {
      if (k === 2 || k === 5 || k === 8) continue;
      const x = text.charCodeAt(k) - 48;
      digitsOk = x >= 0 && x <= 9;
    }
    if (digitsOk) {
      const d = (k: number): number => text.charCodeAt(k) - 48;
      return { format: 'timecode', hours: d(0) * 10 + d(1), minutes: d(3) * 10 + d(4), seconds: d(6) * 10 + d(7), frames: d(9) * 10 + d(10), dropSeparator: sep === 59 };
    }
  }
  m = TC.exec(text);
  if (m) {
    const v: { -readonly [K in keyof Extract<TimeValue, { format: 'timecode' }>]: Extract<TimeValue, { format: 'timecode' }>[K] } = {
      format: 'timecode',
      hours: Number(m[1]),
      minutes: Number(m[2]),
      seconds: Number(m[3]),
      frames: Number(m[5]),
      dropSeparator: m[4] === ';',
    };
    if (m[6] !== undefined) v.subframes = Number(m[6]);
    return v;
  }
  if (SAMPLES.test(text)) return { format: 'samples', samples: BigInt(text) };
  m = MS.exec(text);
  if (m) return { format: 'min-secs', minutes: Number(m[1]), seconds: Number(m[2]), ...(m[3] !== undefined ? { milliseconds: Number(m[3]) } : {}) };
  m = BB.exec(text);
  if (m) return { format: 'bars-beats', bars: Number(m[1]), beats: Number(m[2]), ...(m[3] !== undefined ? { ticks: Number(m[3]) } : {}) };
  m = FF.exec(text);
  if (m) return { format: 'feet-frames', feet: Number(m[1]), frames: Number(m[2]), ...(m[3] !== undefined ? { subframes: Number(m[3]) } : {}) };
  return undefined;
}

/** The clock a conversion needs: session sample rate, timecode rate, session start, tempo. */
export interface SessionClock {
  /** Session sample rate in Hz (an integer in every export). */
  readonly sampleRate: bigint;
  readonly rate: FrameRate;
  /** Session start timecode in samples since 00:00:00:00 (frames × samples per frame, exact). */
  readonly startSamples: bigint;
  /** Tempo for bars|beats (quarter notes per minute) as a fraction num/den; default 120. */
  readonly bpm?: readonly [bigint, bigint];
  /** Beats per bar for bars|beats; default 4. */
  readonly beatsPerBar?: number;
  /**
   * Film frames per second for feet+frames (Pro Tools' separate *feet+frames rate*); default 24,
   * which the corpus shows for a 23.976 and a 30 fps session alike.
   */
  readonly feetFramesFps?: number;
}

const TICKS_PER_BEAT = 960n;

const SPF = new WeakMap<SessionClock, [bigint, bigint]>();

/** Samples per frame as the fraction `sampleRate × rate.den / rate.num` (cached per clock). */
function spf(clock: SessionClock): [bigint, bigint] {
  let v = SPF.get(clock);
  if (!v) {
    const r = clock.rate.rate;
    v = [clock.sampleRate * r.den, r.num];
    SPF.set(clock, v);
  }
  return v;
}

/** `ceil(a × n / d)` for non-negative integers, in doubles when exact (the common case), else bigints. */
function mulDivCeil(a: number, n: bigint, d: bigint): bigint {
  const nn = Number(n);
  const dd = Number(d);
  const p = a * nn;
  if (Number.isSafeInteger(p) && Number.isSafeInteger(dd) && a >= 0) {
    const q = Math.floor(p / dd);
    // Correct the float quotient by the exact integer remainder.
    let r = p - q * dd;
    let qq = q;
    while (r < 0) {
      qq--;
      r += dd;
    }
    while (r >= dd) {
      qq++;
      r -= dd;
    }
    return BigInt(r === 0 ? qq : qq + 1);
  }
  return divRound(BigInt(a) * n, d, 'ceil');
}

/**
 * Samples of a timecode label since 00:00:00:00 (sub-frames in hundredths): the first sample at or
 * after the label's instant (rounded up), so that Pro Tools' truncating display of that sample
 * gives back the same label at rates whose frames are not whole samples (29.97 at 48 kHz).
 */
export function timecodeLabelToSamples(v: Extract<TimeValue, { format: 'timecode' }>, clock: SessionClock): bigint {
  const frames = labelToFrames(v.hours, v.minutes, v.seconds, v.frames, clock.rate);
  const [n, d] = spf(clock);
  if (v.subframes === undefined) return mulDivCeil(frames, n, d);
  return divRound((BigInt(frames) * 100n + BigInt(v.subframes)) * n, d * 100n, 'ceil');
}

/** Whether the value pins a sample exactly, or only to a display resolution. */
export interface SamplesResult {
  /** Samples from the session start (may be negative for timecode before the start). */
  readonly samples: bigint;
  /** False for min:secs, bars|beats and frame-resolution values that cannot pin a sample. */
  readonly exact: boolean;
}

/**
 * A position cell → samples from the session start. Timecode is absolute (a label earlier than
 * the session start by more than 12 hours is taken as the next day); everything else is relative.
 */
export function positionToSamples(v: TimeValue, clock: SessionClock): SamplesResult {
  if (v.format === 'timecode') {
    let abs = timecodeLabelToSamples(v, clock);
    if (abs < clock.startSamples) {
      // A label more than 12 hours before the start belongs to the next day.
      const day = BigInt(clock.rate.framesPerDay);
      const [n, d] = spf(clock);
      if (abs - clock.startSamples < -divRound(day * n, 2n * d, 'floor')) abs += divRound(day * n, d, 'nearest');
    }
    return { samples: abs - clock.startSamples, exact: isWholeSamples(v, clock) };
  }
  return relativeToSamples(v, clock, false);
}

/** A duration cell → samples. Durations are counts: a bars|beats duration is 0-based. */
export function durationToSamples(v: TimeValue, clock: SessionClock): SamplesResult {
  if (v.format === 'timecode') {
    return { samples: timecodeLabelToSamples(v, clock), exact: isWholeSamples(v, clock) };
  }
  return relativeToSamples(v, clock, true);
}

function isWholeSamples(v: Extract<TimeValue, { format: 'timecode' }>, clock: SessionClock): boolean {
  // A frame-resolution label is exact only in the sense of "this frame"; sub-frames are rounded.
  return v.subframes === undefined && (spf(clock)[0] % spf(clock)[1] === 0n);
}

function relativeToSamples(v: Exclude<TimeValue, { format: 'timecode' }>, clock: SessionClock, isDuration: boolean): SamplesResult {
  const sr = clock.sampleRate;
  switch (v.format) {
    case 'samples':
      return { samples: v.samples, exact: true };
    case 'min-secs': {
      const ms = BigInt(v.minutes * 60 + v.seconds) * 1000n + BigInt(v.milliseconds ?? 0);
      return { samples: divRound(ms * sr, 1000n, 'floor'), exact: false };
    }
    case 'feet-frames': {
      const fps = BigInt(clock.feetFramesFps ?? 24);
      const frames100 = (BigInt(v.feet) * 16n + BigInt(v.frames)) * 100n + BigInt(v.subframes ?? 0);
      return { samples: divRound(frames100 * sr, fps * 100n, 'nearest'), exact: false };
    }
    case 'bars-beats': {
      const [bn, bd] = clock.bpm ?? [120n, 1n];
      const perBar = BigInt(clock.beatsPerBar ?? 4);
      const base = isDuration ? 0n : 1n;
      const ticks = ((BigInt(v.bars) - base) * perBar + (BigInt(v.beats) - base)) * TICKS_PER_BEAT + BigInt(v.ticks ?? 0);
      // seconds = ticks / 960 × 60 / bpm
      return { samples: divRound(ticks * 60n * sr * bd, TICKS_PER_BEAT * bn, 'nearest'), exact: false };
    }
  }
}

/** How to write a time cell. */
export interface TimeFormatOptions {
  readonly format: SessionTimeFormat;
  /** Pro Tools' *show sub-frames* option. */
  readonly subframes: boolean;
}

/**
 * Samples from the session start → a position cell (absolute label for timecode). Frames, feet and
 * beats are truncated, sub-frames and ticks rounded to the nearest (Pro Tools' display, §1.8).
 */
export function formatPosition(samples: bigint, clock: SessionClock, options: TimeFormatOptions): string {
  if (options.format === 'timecode') return formatTimecodeSamples(samples + clock.startSamples, clock, options.subframes, true);
  return formatRelative(samples, clock, options, false);
}

/** Samples → a duration cell. */
export function formatDuration(samples: bigint, clock: SessionClock, options: TimeFormatOptions): string {
  if (options.format === 'timecode') return formatTimecodeSamples(samples, clock, options.subframes, false);
  return formatRelative(samples, clock, options, true);
}

function pad2(n: bigint | number): string {
  const s = String(n);
  return s.length < 2 ? '0' + s : s;
}

function splitFrames(samples: bigint, n: bigint, d: bigint): [bigint, bigint] {
  // frames = floor(samples / spf); hundredths of the remainder rounded to the nearest.
  const frames = floorDiv(samples * d, n);
  const rem = samples * d - frames * n;
  return [frames, divRound(rem * 100n, n, 'nearest')];
}

function formatTimecodeSamples(samples: bigint, clock: SessionClock, subframes: boolean, wrap: boolean): string {
  const [n, d] = spf(clock);
  let [frames, sub] = splitFrames(samples, n, d);
  if (wrap) {
    const day = BigInt(clock.rate.framesPerDay);
    frames = ((frames % day) + day) % day;
  }
  const l = framesToLabel(Number(frames), clock.rate);
  const sep = clock.rate.dropFrame ? ';' : ':';
  const ff = clock.rate.nominalFps > 100 ? String(l[3]).padStart(3, '0') : pad2(l[3] as number);
  return `${pad2(l[0] as number)}:${pad2(l[1] as number)}:${pad2(l[2] as number)}${sep}${ff}${subframes ? '.' + pad2(sub) : ''}`;
}

function formatRelative(samples: bigint, clock: SessionClock, options: TimeFormatOptions, isDuration: boolean): string {
  const sr = clock.sampleRate;
  switch (options.format) {
    case 'samples':
      return String(samples);
    case 'min-secs': {
      const ms = floorDiv(samples * 1000n, sr);
      const s = floorDiv(ms, 1000n);
      return `${s / 60n}:${pad2(s % 60n)}${options.subframes ? '.' + String(ms % 1000n).padStart(3, '0') : ''}`;
    }
    case 'feet-frames': {
      const [frames, sub] = splitFrames(samples, sr, BigInt(clock.feetFramesFps ?? 24));
      return `${frames / 16n}+${pad2(frames % 16n)}${options.subframes ? '.' + pad2(sub) : ''}`;
    }
    case 'bars-beats': {
      const [bn, bd] = clock.bpm ?? [120n, 1n];
      const perBar = BigInt(clock.beatsPerBar ?? 4);
      const ticks = divRound(samples * TICKS_PER_BEAT * bn, 60n * sr * bd, 'nearest');
      const beatsTotal = floorDiv(ticks, TICKS_PER_BEAT);
      const t = ticks - beatsTotal * TICKS_PER_BEAT;
      const base = isDuration ? 0n : 1n;
      const bar = floorDiv(beatsTotal, perBar) + base;
      const beat = beatsTotal - floorDiv(beatsTotal, perBar) * perBar + base;
      // Durations always show ticks; positions only with sub-frames (corpus, BarsBeats export).
      return `${bar}|${beat}${isDuration || options.subframes ? '|' + String(t).padStart(4, ' ') : ''}`;
    }
    default:
      return String(samples);
  }
}

/** The main time format of a list of cells: the format of the first cell that parses. */
export function detectTimeFormat(cells: Iterable<string>): { format: SessionTimeFormat; subframes: boolean } | undefined {
  for (const c of cells) {
    const v = parseTimeValue(c);
    if (!v) continue;
    const subframes =
      v.format === 'timecode' || v.format === 'feet-frames' ? v.subframes !== undefined : v.format === 'min-secs' ? v.milliseconds !== undefined : v.format === 'bars-beats' ? v.ticks !== undefined : false;
    return { format: v.format, subframes };
  }
  return undefined;
}
