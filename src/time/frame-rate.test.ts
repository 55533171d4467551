import { describe, expect, test } from 'vitest';
import { FrameRate, FRAME_RATE_NAMES } from './frame-rate.js';

// Rates, nominal counts and where drop-frame exists: timecode digest §2 (SMPTE ST 12-1, ST 12-3).
describe('FrameRate.parse', () => {
  test.each([
    ['23.976', '24000/1001', 24, false], ['23.98', '24000/1001', 24, false], ['24', '24', 24, false],
    ['25', '25', 25, false], ['29.97', '30000/1001', 30, false], ['29.97df', '30000/1001', 30, true],
    ['29.97ndf', '30000/1001', 30, false], ['29.97 DF', '30000/1001', 30, true], ['30', '30', 30, false],
    ['47.952', '48000/1001', 48, false], ['48', '48', 48, false], ['50', '50', 50, false],
    ['59.94df', '60000/1001', 60, true], ['59.94ndf', '60000/1001', 60, false], ['60', '60', 60, false],
    ['100', '100', 100, false], ['119.88df', '120000/1001', 120, true], ['119.88ndf', '120000/1001', 120, false],
    ['120', '120', 120, false], ['30000/1001', '30000/1001', 30, false], ['30000/1001df', '30000/1001', 30, true],
    ['2997/100', '30000/1001', 30, false],
  ])('%s → %s, nominal %i, drop %s', (name, exact, nominal, drop) => {
    const r = FrameRate.parse(name);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.value.rate.toString(), r.value.nominalFps, r.value.dropFrame]).toEqual([exact, nominal, drop]);
  });

  test('every documented name parses and prints back as itself', () => {
    for (const name of FRAME_RATE_NAMES) {
      const r = FrameRate.parse(name);
      expect(r.ok && r.value.name).toBe(name);
    }
  });

  test.each(['23.976df', '24df', '25df', '30df', '60df', '120df', '50 DF'])('drop-frame where it cannot exist: %s', (name) => {
    const r = FrameRate.parse(name);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('tc/drop-frame-impossible');
  });

  test.each(['', 'fast', '0', '-25', '25/0', '29,97'])('not a rate: %j', (name) => {
    expect(FrameRate.parse(name).ok).toBe(false);
  });

  test('FrameRate.of rejects drop-frame where it cannot exist and normalises 29970/1000 (digest §11)', () => {
    expect(() => FrameRate.of(25, 1, { dropFrame: true })).toThrow(RangeError);
    expect(FrameRate.of(29970, 1000).rate.toString()).toBe('30000/1001');
    expect(FrameRate.of(24, 1).equals(FrameRate.FPS_24)).toBe(true);
  });
});
