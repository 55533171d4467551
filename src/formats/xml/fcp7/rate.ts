/**
 * XMEML `rate` elements (`timebase` + `ntsc`) and frame-count helpers.
 * @packageDocumentation
 */
import { FrameRate } from '../../../time/frame-rate.js';
import { child, childText, el, leaf, type XmlElement } from '../xml-tree.js';

/** A `rate` as written: integer `timebase` and the `ntsc` flag. */
export interface XmemlRate {
  readonly timebase: number;
  readonly ntsc: boolean;
}

/**
 * The exact frame rate of a `rate`: `timebase` × 1000/1001 when `ntsc` is TRUE (spec/xml.md 1.3),
 * drop-frame only when asked and only for 30 and 60 NTSC.
 */
export function frameRateOf(rate: XmemlRate, dropFrame = false): FrameRate {
  if (!rate.ntsc) return FrameRate.of(rate.timebase);
  const df = dropFrame && (rate.timebase === 30 || rate.timebase === 60);
  return FrameRate.of(rate.timebase * 1000, 1001, { dropFrame: df });
}

/** The `rate` an exact frame rate is written as (undefined when it is neither integer nor NTSC). */
export function xmemlRateOf(rate: FrameRate): XmemlRate | undefined {
  const r = rate.rate;
  if (r.den === 1n) return { timebase: Number(r.num), ntsc: false };
  if (r.den === 1001n && r.num % 1000n === 0n) return { timebase: Number(r.num / 1000n), ntsc: true };
  return undefined;
}

/** Reads the `rate` child of an element, or undefined when absent, unreadable or beyond 1000 fps. */
export function readRate(parent: XmlElement): XmemlRate | undefined {
  const r = child(parent, 'rate');
  if (!r) return undefined;
  const tb = parseInteger(childText(r, 'timebase'));
  // Real rates are 1…120 fps; anything past 1000 is damage, not a rate.
  if (tb === undefined || tb <= 0 || tb > 1000) return undefined;
  const ntsc = (childText(r, 'ntsc') ?? 'FALSE').trim().toUpperCase() === 'TRUE';
  return { timebase: tb, ntsc };
}

/** A `rate` element. */
export function rateElement(rate: XmemlRate): XmlElement {
  return el('rate', [], leaf('timebase', rate.timebase), leaf('ntsc', rate.ntsc ? 'TRUE' : 'FALSE'));
}

/**
 * A decimal integer (optionally signed; Hiero writes whole frames as `1055.0`), or undefined for
 * anything else, including blanks and fractions.
 */
export function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = text.trim();
  const m = /^([+-]?\d{1,15})(?:\.0*)?$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/** True for `TRUE` (case-insensitive); `FALSE`, absent or anything else is false. */
export function parseBool(text: string | undefined): boolean {
  return text !== undefined && text.trim().toUpperCase() === 'TRUE';
}
