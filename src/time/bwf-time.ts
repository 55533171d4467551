import type { Rational } from './rational.js';
import type { FrameRate } from './frame-rate.js';
import { Timecode, type TimecodeOverflow } from './timecode.js';

/**
 * BWF `bext.TimeReference` (samples since timecode midnight) to the file's start timecode.
 *
 * Reading uses the digest's named rule `sample-centre` (the frame holding the centre of the first
 * sample), so a reference written with `nearest` reads back the label it came from, and a file
 * that starts mid-frame shows the frame it starts in (timecode digest §6–7). References of a day
 * or more wrap by default (`overflow: 'wrap'`), since TimeReference counts from midnight.
 */
export function timeReferenceToTimecode(
  timeReference: bigint,
  options: { sampleRate: number | bigint | Rational; rate: FrameRate; overflow?: TimecodeOverflow },
): Timecode {
  return Timecode.fromSamples(timeReference, {
    rate: options.rate,
    sampleRate: options.sampleRate,
    rounding: 'sample-centre',
    overflow: options.overflow ?? 'wrap',
  });
}

/**
 * A timecode to the BWF TimeReference that stamps it: `frames * sr * den / num`, rounded to the
 * nearest sample, halves up (timecode digest §6: 01:00:00;00 at 29.97 DF, 48 kHz → 172,799,827).
 */
export function timecodeToTimeReference(tc: Timecode, sampleRate: number | bigint | Rational): bigint {
  return tc.toSamples(sampleRate, 'nearest');
}
