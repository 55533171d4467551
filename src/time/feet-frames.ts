import { error } from '../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../diagnostics/result.js';
import { divRound, Rational } from './rational.js';

/**
 * Film gauges and how many frames make a foot (timecode digest §5).
 *
 * - `35mm-4perf`: 16 frames per foot (64 perforations, 4 per frame).
 * - `35mm-3perf`: 64/3 frames per foot; feet run 21, 21, 22 frames ("short, short, long"),
 *   repeating every 3 ft = 64 frames.
 * - `35mm-2perf`: 32. `65mm-5perf`: 64/5 (64 frames per 5 ft). `vistavision`: 8.
 * - `16mm`: 40 frames per foot.
 */
export type FilmGauge = '35mm-4perf' | '35mm-3perf' | '35mm-2perf' | '65mm-5perf' | 'vistavision' | '16mm';

/** Frames per foot of each gauge, exact. */
export const FRAMES_PER_FOOT: Readonly<Record<FilmGauge, Rational>> = {
  '35mm-4perf': Rational.of(16),
  '35mm-3perf': Rational.of(64, 3),
  '35mm-2perf': Rational.of(32),
  '65mm-5perf': Rational.of(64, 5),
  vistavision: Rational.of(8),
  '16mm': Rational.of(40),
};

/** A film footage: whole feet plus frames into the foot. */
export interface FeetFrames {
  readonly negative: boolean;
  readonly feet: bigint;
  readonly frames: number;
}

/** First frame of foot `k`: `floor(k * p / q)` (so uneven feet run short first, long last). */
function footStart(k: bigint, fpf: Rational): bigint {
  return divRound(k * fpf.num, fpf.den, 'floor');
}

/**
 * The footage of a frame count from the counter's origin (frame 0 = `0+00`).
 * 1440 frames of 35 mm 4-perf is `90+00`; of 16 mm, `36+00`.
 */
export function framesToFeet(frames: bigint | number, gauge: FilmGauge): FeetFrames {
  const fpf = FRAMES_PER_FOOT[gauge];
  const n = BigInt(frames);
  const negative = n < 0n;
  const a = negative ? -n : n;
  // The foot holding frame a: the largest k with footStart(k) <= a, i.e. ceil((a+1) q / p) - 1.
  const k = divRound((a + 1n) * fpf.den, fpf.num, 'ceil') - 1n;
  return { negative, feet: k, frames: Number(a - footStart(k, fpf)) };
}

/** The frame count of a footage. */
export function feetToFrames(value: FeetFrames, gauge: FilmGauge): bigint {
  const n = footStart(value.feet, FRAMES_PER_FOOT[gauge]) + BigInt(value.frames);
  return value.negative ? -n : n;
}

/** Frames in foot `feet` of a gauge (21 or 22 for 3-perf). */
export function framesInFoot(feet: bigint, gauge: FilmGauge): number {
  const fpf = FRAMES_PER_FOOT[gauge];
  return Number(footStart(feet + 1n, fpf) - footStart(feet, fpf));
}

/** `F+FF`, as DAW feet+frames counters write it (`90+00`, `-1+15`). */
export function formatFeet(value: FeetFrames): string {
  return `${value.negative ? '-' : ''}${value.feet}+${value.frames < 10 ? '0' : ''}${value.frames}`;
}

/**
 * Parses `F+FF` (optional leading `-`). The frames field must lie within its foot.
 * Diagnostics: `feet/syntax`, `feet/field-range`.
 */
export function parseFeet(text: string, gauge: FilmGauge): ParseResult<FeetFrames> {
  const m = /^\s*(-?)(\d{1,12})\+(\d{1,2})\s*$/.exec(text);
  if (!m) {
    return fail(error('feet/syntax', `"${text}" is not feet+frames`, { expected: 'F+FF, e.g. 90+00', received: text, at: { offset: 0, column: 1 } }));
  }
  const feet = BigInt(m[2] as string);
  const frames = Number(m[3]);
  const max = framesInFoot(feet, gauge);
  if (frames >= max) {
    const col = text.indexOf('+') + 1;
    return fail(error('feet/field-range', `frame ${frames} is past the ${max} frames of foot ${feet} (${gauge})`, { received: text, at: { offset: col, column: col + 1 } }));
  }
  return ok({ negative: m[1] === '-' && (feet !== 0n || frames !== 0), feet, frames });
}
