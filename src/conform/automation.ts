/**
 * Automation follows its material (spec/conform.md §5.3). A curve is a list of breakpoints with
 * linear interpolation between them, held flat before the first and after the last; two points at
 * one time are a step. Cutting a curve at a boundary evaluates it just inside each side and writes
 * a breakpoint there, so every mapped stretch keeps its exact shape wherever it lands.
 *
 * Values are levels (dB, fader positions), not times, so they are plain floats; times are integer
 * samples and never interpolated.
 */
import type { AutomationPoint } from './types.js';

/** Index of the first point with `t > x` (binary search over sorted points). */
function upper(points: readonly AutomationPoint[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if ((points[mid] as AutomationPoint).t <= x) lo = mid + 1; else hi = mid; }
  return lo;
}

/** Index of the first point with `t >= x`. */
function lower(points: readonly AutomationPoint[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if ((points[mid] as AutomationPoint).t < x) lo = mid + 1; else hi = mid; }
  return lo;
}

function lerp(a: AutomationPoint, b: AutomationPoint, x: number): number {
  return b.t === a.t ? b.v : a.v + ((b.v - a.v) * (x - a.t)) / (b.t - a.t);
}

/** Interpolation between points: `linear` (default), or `constant` (each value holds to the next point). */
export type Interpolation = 'linear' | 'constant';

/** The curve's value at `x` approached from the right (at a step, the last point at `x`). */
export function valueRight(points: readonly AutomationPoint[], x: number, mode: Interpolation = 'linear'): number {
  const i = upper(points, x);
  if (i === 0) return (points[0] as AutomationPoint).v;
  if (i === points.length || mode === 'constant') return (points[i - 1] as AutomationPoint).v;
  const a = points[i - 1] as AutomationPoint;
  return a.t === x ? a.v : lerp(a, points[i] as AutomationPoint, x);
}

/** The curve's value at `x` approached from the left (at a step, the first point at `x`). */
export function valueLeft(points: readonly AutomationPoint[], x: number, mode: Interpolation = 'linear'): number {
  const i = lower(points, x);
  if (i === 0) return (points[0] as AutomationPoint).v;
  if (i === points.length || mode === 'constant') return (points[i - 1] as AutomationPoint).v;
  return lerp(points[i - 1] as AutomationPoint, points[i] as AutomationPoint, x);
}

/**
 * The part of a curve over `[x, y)`, moved by `shift`: a breakpoint at each finite end (the value
 * just inside), and every point strictly inside. `x = -Infinity` / `y = Infinity` add no end point.
 */
export function sliceCurve(points: readonly AutomationPoint[], x: number, y: number, shift: number, mode: Interpolation = 'linear'): AutomationPoint[] {
  if (points.length === 0) return [];
  const out: AutomationPoint[] = [];
  if (Number.isFinite(x)) out.push({ t: x + shift, v: valueRight(points, x, mode) });
  for (let i = Number.isFinite(x) ? upper(points, x) : 0; i < points.length; i++) {
    const p = points[i] as AutomationPoint;
    if (p.t >= y) break;
    out.push({ t: p.t + shift, v: p.v });
  }
  if (Number.isFinite(y)) out.push({ t: y + shift, v: valueLeft(points, y, mode) });
  return out;
}

/**
 * Drops points that do not change the curve: exact repeats, and the middle of three points with
 * one value (a flat run). Steps (two points at one time with different values) stay.
 */
export function simplifyCurve(points: readonly AutomationPoint[]): AutomationPoint[] {
  const out: AutomationPoint[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last.t === p.t && last.v === p.v) continue;
    const before = out[out.length - 2];
    if (last && before && before.v === last.v && last.v === p.v) { out[out.length - 1] = p; continue; }
    out.push(p);
  }
  // A flat start or end run needs only its first / last point when it lies beyond all changes.
  return out;
}
