import { FrameRate } from './frame-rate.js';
import { Rational } from './rational.js';

/** NTSC pull-down: exactly 1000/1001 (−0.0999 %). */
export const PULL_DOWN: Rational = Rational.of(1000, 1001);
/** NTSC pull-up: exactly 1001/1000. */
export const PULL_UP: Rational = Rational.of(1001, 1000);

/** A rate (sample rate or frame rate) pulled down by 1000/1001: 48000 → 48000000/1001 (47,952.048 Hz). */
export function pullDown(rate: Rational | number): Rational {
  return (rate instanceof Rational ? rate : Rational.of(rate)).times(PULL_DOWN);
}

/** A rate pulled up by 1001/1000: 48000 → 48048 Hz. */
export function pullUp(rate: Rational | number): Rational {
  return (rate instanceof Rational ? rate : Rational.of(rate)).times(PULL_UP);
}

/**
 * A frame rate pulled down (24 → 23.976, 30 → 29.97) keeping its nominal label count. A
 * drop-frame flag is kept where drop-frame exists at the new rate, else dropped.
 */
export function pullDownFrameRate(rate: FrameRate): FrameRate {
  const r = rate.rate.times(PULL_DOWN);
  return FrameRate.of(r.num, r.den, { dropFrame: rate.dropFrame && r.den === 1001n });
}

/** A frame rate pulled up (23.976 → 24, 29.97 → 30); drop-frame does not survive (no DF at 30). */
export function pullUpFrameRate(rate: FrameRate): FrameRate {
  const r = rate.rate.times(PULL_UP);
  return FrameRate.of(r.num, r.den);
}
