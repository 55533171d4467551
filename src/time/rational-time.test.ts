import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FrameRate } from './frame-rate.js';
import { PULL_DOWN, pullDown, pullDownFrameRate, pullUp, pullUpFrameRate } from './pull.js';
import { Rational } from './rational.js';
import { RationalTime } from './rational-time.js';
import { TimeRange } from './time-range.js';

describe('RationalTime', () => {
  test('samples per frame (timecode digest §6 table)', () => {
    const spf = (r: FrameRate, sr: number) => RationalTime.fromFrames(1, r).seconds.times(Rational.of(sr)).toString();
    expect(spf(FrameRate.FPS_23_976, 44100)).toBe('147147/80');
    expect(spf(FrameRate.FPS_23_976, 48000)).toBe('2002');
    expect(spf(FrameRate.FPS_29_97_NDF, 48000)).toBe('8008/5');
    expect(spf(FrameRate.FPS_29_97_NDF, 44100)).toBe('147147/100');
    expect(spf(FrameRate.FPS_59_94_NDF, 48000)).toBe('4004/5');
    expect(spf(FrameRate.FPS_47_952, 44100)).toBe('147147/160'); // 919.66875
    expect(spf(FrameRate.FPS_24, 44100)).toBe('3675/2');
  });

  // The digest (§6) lists 801, 801, 800, 801, 800, which sums to 4003, not the 4004 samples of a
  // 5-frame cycle. By hand: starts 0, 800.8, 1601.6, 2402.4, 3203.2, 4004 round to 0, 801, 1602,
  // 2402, 3203, 4004, so the lengths are 801, 801, 800, 801, 801. (29.97's 1602, 1601, 1602, 1601,
  // 1602 in the same section is right.)
  test('59.94 @ 48 kHz frame lengths rounded to the nearest sample: 801, 801, 800, 801, 801', () => {
    const starts = [0, 1, 2, 3, 4, 5].map((n) => RationalTime.fromFrames(n, FrameRate.FPS_59_94_NDF).toSamples(48000, 'nearest'));
    const lengths = starts.slice(1).map((s, i) => s - (starts[i] as bigint));
    expect(lengths).toEqual([801n, 801n, 800n, 801n, 801n]);
    expect(starts[5]).toBe(4004n);
  });

  test('frames → seconds → frames is exact, and grid checks', () => {
    const t = RationalTime.fromFrames(86400, FrameRate.FPS_23_976);
    expect(t.toString()).toBe('18018/5'); // digest vector #43
    expect(t.toFrames(FrameRate.FPS_23_976, 'floor')).toBe(86400n);
    expect(t.isOnFrameGrid(FrameRate.FPS_23_976)).toBe(true);
    expect(RationalTime.fromSamples(1, 48000).isOnFrameGrid(FrameRate.FPS_24)).toBe(false);
    expect(RationalTime.fromSamples(2000, 48000).isOnFrameGrid(FrameRate.FPS_24)).toBe(true);
  });

  test('fromFrames with a number equals fromFrames with a bigint (the number fast path is exact)', () => {
    const rates = [FrameRate.FPS_23_976, FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_59_94_NDF, FrameRate.FPS_119_88_DF];
    fc.assert(fc.property(fc.constantFrom(...rates), fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (rate, n) => {
      expect(RationalTime.fromFrames(n, rate).seconds.equals(RationalTime.fromFrames(BigInt(n), rate).seconds)).toBe(true);
    }));
    expect(() => RationalTime.fromFrames(1.5, FrameRate.FPS_24)).toThrow(RangeError);
  });

  test('fromFrames and exactFrames at rates that alternate, including rates whose terms pass 2^32 (oracle: bigint frames × den / num)', () => {
    // The number paths keep the last rate's terms; every call below switches rate, and the big
    // rates must take the bigint path (their terms do not convert to doubles with room to spare).
    const rates = [FrameRate.FPS_24.rate, Rational.of(2n ** 40n + 1n, 3n), FrameRate.FPS_29_97_DF.rate, Rational.of(7n, 2n ** 33n + 5n), Rational.of(48000n)];
    const check = (rate: Rational, n: number): void => {
      const t = RationalTime.fromFrames(n, rate);
      expect(t.seconds.equals(Rational.of(BigInt(n) * rate.den, rate.num))).toBe(true);
      expect(t.exactFrames(rate)).toBe(n);
    };
    // Every ordered pair of rates once, so each switch (small → big, big → small, small → small) is taken.
    for (const a of rates) for (const b of rates) for (const [rate, n] of [[a, 1001], [b, 86_399]] as const) check(rate, n);
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(...rates), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), { minLength: 1, maxLength: 12 }), (calls) => {
      for (const [rate, n] of calls) check(rate, n);
    }));
  });

  test('exactFrames: the frame count when on the grid, undefined between frames (oracle: toFrames + isOnFrameGrid)', () => {
    const rates = [FrameRate.FPS_23_976, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_59_94_NDF];
    fc.assert(fc.property(fc.constantFrom(...rates), fc.constantFrom(...rates), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (from, to, n) => {
      const t = RationalTime.fromFrames(n, from);
      const expected = t.isOnFrameGrid(to) ? Number(t.toFrames(to, 'trunc')) : undefined;
      expect(t.exactFrames(to)).toBe(expected);
    }));
    // Past 2^53 the bigint path answers.
    const huge = RationalTime.fromFrames(2n ** 60n, FrameRate.FPS_24);
    expect(huge.exactFrames(FrameRate.FPS_24)).toBeUndefined();
    expect(RationalTime.fromFrames(2n ** 52n, FrameRate.FPS_24).exactFrames(FrameRate.FPS_24)).toBe(2 ** 52);
    expect(RationalTime.fromSamples(1, 48000).exactFrames(FrameRate.FPS_24)).toBeUndefined();
  });

  test('operators throw', () => {
    expect(() => (RationalTime.ZERO as unknown as number) < 1).toThrow(TypeError);
  });
});

describe('TimeRange', () => {
  const r = (a: number, b: number) => TimeRange.fromStartEnd(RationalTime.fromSeconds(a), RationalTime.fromSeconds(b));

  test('is half-open: the end is not inside, touching ranges do not overlap', () => {
    expect(r(0, 10).contains(RationalTime.fromSeconds(10))).toBe(false);
    expect(r(0, 10).contains(RationalTime.fromSeconds(0))).toBe(true);
    expect(r(0, 10).overlaps(r(10, 20))).toBe(false);
    expect(r(0, 10).intersection(r(5, 20))?.toString()).toBe('[5, 10)');
    expect(r(0, 10).union(r(15, 20)).toString()).toBe('[0, 20)');
    expect(() => r(10, 0)).toThrow(RangeError);
  });
});

describe('pull-up / pull-down (digest §8)', () => {
  test('48 kHz pulled down is 47,952.048 Hz; pulled up 48,048 Hz', () => {
    expect(pullDown(48000).toString()).toBe('48000000/1001');
    expect(pullUp(48000).toString()).toBe('48048');
    expect(pullUp(44100).toString()).toBe('441441/10'); // 44,144.1 Hz
    expect(PULL_DOWN.toString()).toBe('1000/1001');
  });

  test('24 → 23.976 and 30 → 29.97 keep the nominal count', () => {
    expect(pullDownFrameRate(FrameRate.FPS_24).equals(FrameRate.FPS_23_976)).toBe(true);
    expect(pullDownFrameRate(FrameRate.FPS_30).equals(FrameRate.FPS_29_97_NDF)).toBe(true);
    expect(pullUpFrameRate(FrameRate.FPS_29_97_DF).equals(FrameRate.FPS_30)).toBe(true);
  });
});

// RationalTime keeps small values as two safe-integer numbers and falls back to bigints when an
// intermediate product would pass 2^53. The reference below is plain bigint Rational arithmetic
// (tested on its own in rational.test.ts): every operation must agree with it, at magnitudes on
// both sides of the 2^53 switch-over.
describe('RationalTime number representation agrees with bigint arithmetic', () => {
  const LIMIT = 1n << 60n;
  const term = fc.oneof(
    fc.bigInt({ min: -1000n, max: 1000n }),
    fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }),
    fc.bigInt({ min: -(1n << 53n) - 10n, max: -(1n << 53n) + 10n }),
    fc.bigInt({ min: (1n << 53n) - 10n, max: (1n << 53n) + 10n }),
    fc.bigInt({ min: -LIMIT, max: LIMIT }),
    // Whole seconds whose sample counts at 48/192 kHz sit at the 2^52 switch to bigint rounding.
    fc.bigInt({ min: (1n << 52n) / 192000n - 3n, max: (1n << 52n) / 192000n + 3n }),
    fc.bigInt({ min: -(1n << 52n) / 48000n - 3n, max: -(1n << 52n) / 48000n + 3n }),
  );
  const den = fc.oneof(fc.constantFrom(1n, 2n, 24n, 25n, 1001n, 30000n, 48000n, 24000n, 44100n), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.bigInt({ min: (1n << 53n) - 4n, max: (1n << 53n) + 4n }));
  const rational = fc.tuple(term, den).map(([n, d]) => Rational.of(n, d));
  const modes = fc.constantFrom('floor', 'ceil', 'trunc', 'nearest', 'half-even' as const);

  test('plus, minus, compare, equals, negate, scaledBy', () => {
    fc.assert(
      fc.property(rational, rational, rational, (a, b, f) => {
        const x = RationalTime.fromSeconds(a);
        const y = RationalTime.fromSeconds(b);
        expect(x.plus(y).seconds.equals(a.plus(b))).toBe(true);
        expect(x.minus(y).seconds.equals(a.minus(b))).toBe(true);
        expect(x.compare(y)).toBe(Rational.compare(a, b));
        expect(x.equals(y)).toBe(a.equals(b));
        expect(x.negate().seconds.equals(a.negate())).toBe(true);
        expect(x.scaledBy(f).seconds.equals(a.times(f))).toBe(true);
        expect(x.toString()).toBe(a.toString());
        // Equal values are structurally equal too (tests compare timelines with toEqual).
        expect(RationalTime.fromSeconds(a.plus(b)).minus(y)).toEqual(x);
      }),
      { numRuns: 3000 },
    );
  });

  test('frames and samples in and out, with every rounding', () => {
    const rates = fc.constantFrom(FrameRate.FPS_23_976, FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_59_94_NDF, FrameRate.of(120));
    fc.assert(
      fc.property(rational, rates, modes, fc.constantFrom(44100, 48000, 96000, 192000), (a, rate, mode, sr) => {
        const x = RationalTime.fromSeconds(a);
        const div = (n: bigint, d: bigint) => Rational.of(n, d).round(mode);
        expect(x.toFrames(rate, mode)).toBe(div(a.num * rate.rate.num, a.den * rate.rate.den));
        expect(x.toSamples(sr, mode)).toBe(div(a.num * BigInt(sr), a.den));
        expect(x.isOnSampleGrid(sr)).toBe(a.times(Rational.of(sr)).isInteger());
        expect(x.isOnFrameGrid(rate)).toBe(a.times(rate.rate).isInteger());
        const f = x.exactFrames(rate);
        const q = a.times(rate.rate);
        expect(f).toBe(q.isInteger() && q.num <= BigInt(Number.MAX_SAFE_INTEGER) && q.num >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(q.num) : undefined);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(term, rates, fc.constantFrom(44100, 48000), (n, rate, sr) => {
        expect(RationalTime.fromFrames(n, rate).seconds.equals(Rational.of(n * rate.rate.den, rate.rate.num))).toBe(true);
        expect(RationalTime.fromSamples(n, sr).seconds.equals(Rational.of(n, BigInt(sr)))).toBe(true);
        if (n >= -BigInt(Number.MAX_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(RationalTime.fromFrames(Number(n), rate)).toEqual(RationalTime.fromFrames(n, rate));
          expect(RationalTime.fromSamples(Number(n), sr)).toEqual(RationalTime.fromSamples(n, sr));
        }
      }),
      { numRuns: 3000 },
    );
  });

  test('zero is one value (no -0)', () => {
    const z = RationalTime.fromFrames(0, FrameRate.FPS_24).scaledBy(Rational.of(-1));
    expect(Object.is(z._n, 0)).toBe(true);
    expect(z).toEqual(RationalTime.ZERO);
    expect(RationalTime.fromSamples(5, 48000).minus(RationalTime.fromSamples(5, 48000))).toEqual(RationalTime.ZERO);
  });
});
