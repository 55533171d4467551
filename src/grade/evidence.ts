/**
 * How grading states times and offsets: timecode labels of absolute times, tolerances in frames or
 * samples turned into exact times, and signed offsets in words ("3 frames late").
 *
 * Every time here is an exact {@link Rational} number of seconds since label midnight (the
 * timeline's `startTimecode` plus a position), so two timelines that start at different labels
 * compare on one axis. Roundings are named where a time becomes a label or a count.
 */
import type { FrameRate } from '../time/frame-rate.js';
import { Rational } from '../time/rational.js';
import { RationalTime } from '../time/rational-time.js';
import { Timecode } from '../time/timecode.js';
import type { Evidence } from './types.js';

/** A tolerance or window: a count of frames (at the picture rate), samples (at the session rate) or seconds. */
export interface Tolerance {
  readonly value: number;
  readonly unit: 'frames' | 'samples' | 'seconds';
}

/** The clock a grading step reads times on: picture rate (labels, frames) and session sample rate. */
export interface GradeClock {
  readonly rate: FrameRate;
  readonly sampleRate: number;
}

/** An exact rational from a JSON number (`0.5` is exactly 1/2: decimal text, not the double). */
export function exactNumber(x: number): Rational {
  return Rational.parse(String(x)) ?? Rational.fromNumber(x);
}

/** A tolerance as exact seconds on `clock`. */
export function toleranceSeconds(t: Tolerance, clock: GradeClock): Rational {
  const v = exactNumber(t.value);
  switch (t.unit) {
    case 'frames': return v.times(clock.rate.frameDuration);
    case 'samples': return v.dividedBy(Rational.of(clock.sampleRate));
    case 'seconds': return v;
  }
}

/**
 * The label of an absolute time (seconds since label midnight): the frame holding it (`floor`),
 * wrapped into the day, and, when the time is not on the frame grid, `+N` samples past that frame
 * (N rounded to the nearest sample) as Pro Tools' samples readout would give it.
 */
export function label(seconds: Rational, clock: GradeClock): string {
  const t = RationalTime.fromSeconds(seconds);
  const tc = Timecode.fromRationalTime(t, clock.rate, 'floor', { overflow: 'wrap' });
  if (t.isOnFrameGrid(clock.rate)) return tc.toString();
  const frameStart = RationalTime.fromFrames(t.toFrames(clock.rate, 'floor'), clock.rate);
  const extra = t.minus(frameStart).toSamples(clock.sampleRate, 'nearest');
  return `${tc.toString()}+${extra}`;
}

/** Absolute seconds (since label midnight) of a position on a timeline starting at `start`. */
export function absolute(start: Timecode, position: RationalTime): Rational {
  return start.toRationalTime().seconds.plus(position.seconds);
}

/**
 * A signed offset (actual − expected, seconds) as evidence and words: whole frames when it is a
 * whole number of frames, else samples (nearest sample, named rounding) with the frames to two
 * decimals for reading. Positive = late.
 */
export function describeOffset(delta: Rational, clock: GradeClock): { words: string; delta: NonNullable<Evidence['delta']> } {
  const frames = delta.times(clock.rate.rate);
  const late = delta.sign() > 0 ? 'late' : 'early';
  if (frames.isInteger()) {
    const n = Number(frames.abs().round('trunc'));
    return { words: `${n} frame${n === 1 ? '' : 's'} ${late}`, delta: { value: Number(frames.round('trunc')), unit: 'frames' } };
  }
  const samples = delta.times(Rational.of(clock.sampleRate)).round('nearest');
  const abs = samples < 0n ? -samples : samples;
  const approx = frames.abs().toNumber().toFixed(2);
  return { words: `${abs} sample${abs === 1n ? '' : 's'} (${approx} frames) ${late}`, delta: { value: Number(samples), unit: 'samples' } };
}

/** `|x| <= limit`. */
export function within(x: Rational, limit: Rational): boolean {
  return x.abs().compare(limit) <= 0;
}

/** A name compared loosely: case, blanks and punctuation at the ends ignored, inner blanks collapsed. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ').replace(/^[\s.,;:!?'"-]+|[\s.,;:!?'"-]+$/g, '');
}
