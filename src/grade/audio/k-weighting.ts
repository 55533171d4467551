/**
 * The K-weighting of ITU-R BS.1770-4 (§2.1, Annex 1 Tables 1 and 2) for any sample rate.
 *
 * The Recommendation tabulates the two biquads for 48 kHz only. Both are the bilinear transforms
 * (with pre-warping) of analogue prototypes, so the coefficients for another rate come from the
 * same prototypes:
 *
 * - stage 1, a high shelf of +3.999843853973347 dB centred at 1681.974450955533 Hz, Q
 *   0.7071752369554196 (the head's acoustic effect); its band gain `Vb = Vh^0.4996667741545416`;
 * - stage 2, the "RLB" second-order high pass at 38.13547087602444 Hz, Q 0.5003270373238773.
 *
 * These prototype parameters reproduce the 48 kHz table to 1e-9 (tested); they are the values
 * libebur128 and ffmpeg's `ebur128` filter use for other rates.
 */

/** One biquad, normalised so `a0 = 1`: `y = b0 x + b1 x1 + b2 x2 − a1 y1 − a2 y2`. */
export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** The two stages of the K-weighting filter at `sampleRate` (Hz). */
export function kWeighting(sampleRate: number): readonly [Biquad, Biquad] {
  if (!(sampleRate > 0)) throw new RangeError(`sample rate ${sampleRate} is not positive`);
  // Stage 1: high shelf.
  const f1 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q1 = 0.7071752369554196;
  const k1 = Math.tan((Math.PI * f1) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  const n1 = 1 + k1 / q1 + k1 * k1;
  const shelf: Biquad = {
    b0: (vh + (vb * k1) / q1 + k1 * k1) / n1,
    b1: (2 * (k1 * k1 - vh)) / n1,
    b2: (vh - (vb * k1) / q1 + k1 * k1) / n1,
    a1: (2 * (k1 * k1 - 1)) / n1,
    a2: (1 - k1 / q1 + k1 * k1) / n1,
  };
  // Stage 2: RLB high pass. BS.1770 keeps its numerator at 1, −2, 1 (Table 2), so only the poles move.
  const f2 = 38.13547087602444;
  const q2 = 0.5003270373238773;
  const k2 = Math.tan((Math.PI * f2) / sampleRate);
  const n2 = 1 + k2 / q2 + k2 * k2;
  const highPass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k2 * k2 - 1)) / n2, a2: (1 - k2 / q2 + k2 * k2) / n2 };
  return [shelf, highPass];
}
