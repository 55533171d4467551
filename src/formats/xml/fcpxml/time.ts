/**
 * FCPXML time values: rational seconds written `"N/Ds"` or `"Ns"` (spec/xml.md 2.3), exact.
 * @packageDocumentation
 */
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';

const TIME = /^\s*(-?\d+)(?:\/(\d+))?s\s*$/;

/** Parses `"1001/24000s"`, `"3600s"`, `"-5/2s"`; undefined for anything else (including `D = 0`). */
export function parseFcpxmlTime(text: string | undefined): RationalTime | undefined {
  if (text === undefined) return undefined;
  const m = TIME.exec(text);
  if (!m) return undefined;
  const den = m[2] !== undefined ? BigInt(m[2]) : 1n;
  if (den === 0n) return undefined;
  return RationalTime.fromSeconds(Rational.of(BigInt(m[1] as string), den));
}

/** Writes a time as FCPXML does: `"Ns"` for whole seconds, else `"N/Ds"` reduced. */
export function formatFcpxmlTime(t: RationalTime): string {
  const s = t.seconds;
  return s.den === 1n ? `${s.num}s` : `${s.num}/${s.den}s`;
}

/**
 * Writes a time over a fixed denominator (`1001/30000s` style, as FCP writes frame-aligned values):
 * `den` must divide the time exactly, otherwise the reduced form is written.
 */
export function formatFcpxmlTimeOver(t: RationalTime, den: bigint): string {
  const s = t.seconds;
  if (s.isZero()) return '0s';
  if ((den * s.num) % s.den !== 0n) return formatFcpxmlTime(t);
  const num = (den * s.num) / s.den;
  if (num % den === 0n) return `${num / den}s`;
  return `${num}/${den}s`;
}

/** Parses a gain `"-6dB"` / `"3.5dB"` to a number of dB; undefined otherwise. */
export function parseDb(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*dB\s*$/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Parses a sequence `audioRate` (`48k`, `44.1k`, `48000`) to Hz. */
export function parseAudioRate(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k?)\s*$/i.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]) * (m[2] ? 1000 : 1);
  return Number.isInteger(v) ? v : undefined;
}
