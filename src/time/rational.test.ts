import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { divRound, Rational, ROUNDING_MODES } from './rational.js';

describe('Rational', () => {
  test('reduces and keeps the sign on the numerator', () => {
    expect(Rational.of(48000, 1).toString()).toBe('48000');
    expect(Rational.of(2002, -4).toString()).toBe('-1001/2');
    expect(Rational.of(107999892, 30000).toString()).toBe('8999991/2500');
  });

  test('den = 0 and unsafe numbers are programmer errors', () => {
    expect(() => Rational.of(1, 0)).toThrow(RangeError);
    expect(() => Rational.of(2 ** 53, 1)).toThrow(RangeError);
    expect(() => Rational.of(0.5)).toThrow(RangeError);
  });

  test('the number fast path of of() equals the bigint path (reduced, sign on the numerator)', () => {
    // Oracle: the same pair given as bigints, which takes the bigint gcd path.
    const safe = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    fc.assert(fc.property(safe, safe.filter((d) => d !== 0), (n, d) => {
      const viaNumbers = Rational.of(n, d);
      const viaBigints = Rational.of(BigInt(n), BigInt(d));
      expect([viaNumbers.num, viaNumbers.den]).toEqual([viaBigints.num, viaBigints.den]);
    }));
    expect(Rational.of(0, -7).toString()).toBe('0');
    expect(Rational.of(-30000, 1001).toString()).toBe('-30000/1001');
  });

  test('parse: N, N/D and exact decimals', () => {
    expect(Rational.parse('30000/1001')?.toString()).toBe('30000/1001');
    expect(Rational.parse('29.97')?.toString()).toBe('2997/100');
    expect(Rational.parse('-0.5')?.toString()).toBe('-1/2');
    expect(Rational.parse('3603.6')?.toString()).toBe('18018/5');
    for (const bad of ['', '1/0', 'abc', '1.', '.5', '1/2/3', '1e5']) expect(Rational.parse(bad)).toBeUndefined();
  });

  test('rounding modes on the worked values of the timecode digest', () => {
    // 29.97 DF 01:00:00;00 at 48 kHz: 863999136/5 = 172,799,827.2 samples
    const x = Rational.of(863999136, 5);
    expect(x.round('floor')).toBe(172799827n);
    expect(x.round('ceil')).toBe(172799828n);
    expect(x.round('nearest')).toBe(172799827n);
    // ties: nearest goes up, half-even to even, trunc toward zero
    expect(Rational.of(5, 2).round('nearest')).toBe(3n);
    expect(Rational.of(5, 2).round('half-even')).toBe(2n);
    expect(Rational.of(7, 2).round('half-even')).toBe(4n);
    expect(Rational.of(-5, 2).round('nearest')).toBe(-2n);
    expect(Rational.of(-5, 2).round('trunc')).toBe(-2n);
    expect(Rational.of(-5, 2).round('floor')).toBe(-3n);
  });

  test('fromNumber recovers NTSC rates from doubles (OTIO stores 23.976023976…)', () => {
    expect(Rational.fromNumber(24000 / 1001).toString()).toBe('24000/1001');
    expect(Rational.fromNumber(30000 / 1001).toString()).toBe('30000/1001');
    expect(Rational.fromNumber(0.1).toString()).toBe('1/10');
    expect(Rational.fromNumber(-2.5).toString()).toBe('-5/2');
  });

  test('valueOf throws so < and + cannot coerce', () => {
    expect(() => (Rational.ONE as unknown as number) + 1).toThrow(TypeError);
  });

  const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
  const rat = fc.tuple(big, fc.bigInt({ min: 1n, max: 10n ** 12n })).map(([n, d]) => Rational.of(n, d));

  test('field laws', () => {
    fc.assert(fc.property(rat, rat, rat, (a, b, c) => {
      expect(a.plus(b).plus(c).equals(a.plus(b.plus(c)))).toBe(true);
      expect(a.plus(b).minus(b).equals(a)).toBe(true);
      expect(a.times(b).equals(b.times(a))).toBe(true);
      if (!b.isZero()) expect(a.times(b).dividedBy(b).equals(a)).toBe(true);
      expect(Rational.compare(a, b)).toBe(-Rational.compare(b, a) || 0);
    }));
  });

  test('every rounding lands within one of the exact value and on the named side', () => {
    fc.assert(fc.property(big, fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.constantFrom(...ROUNDING_MODES), (n, d, mode) => {
      const q = divRound(n, d, mode);
      const exact = Rational.of(n, d);
      const diff = exact.minus(Rational.of(q));
      expect(Rational.compare(diff.abs(), Rational.ONE)).toBe(-1);
      if (mode === 'floor') expect(diff.sign()).toBeGreaterThanOrEqual(0);
      if (mode === 'ceil') expect(diff.sign()).toBeLessThanOrEqual(0);
      if (mode === 'nearest' || mode === 'half-even') expect(Rational.compare(diff.abs(), Rational.of(1, 2))).toBeLessThanOrEqual(0);
    }));
  });
});
