import { describe, expect, test } from 'vitest';
import { feetToFrames, formatFeet, framesInFoot, framesToFeet, parseFeet } from './feet-frames.js';

// Timecode digest §5 and vectors #40–#41.
describe('feet+frames', () => {
  test('#40 35 mm 4-perf: 144 / 192 / 1440 frames → 9+00 / 12+00 / 90+00', () => {
    expect([144, 192, 1440].map((n) => formatFeet(framesToFeet(n, '35mm-4perf')))).toEqual(['9+00', '12+00', '90+00']);
  });

  test('#41 16 mm: 1440 frames → 36+00', () => {
    expect(formatFeet(framesToFeet(1440, '16mm'))).toBe('36+00');
  });

  test('35 mm 3-perf feet run 21, 21, 22 frames and repeat every 64 frames', () => {
    expect([0n, 1n, 2n, 3n, 4n, 5n].map((f) => framesInFoot(f, '35mm-3perf'))).toEqual([21, 21, 22, 21, 21, 22]);
    expect(formatFeet(framesToFeet(64, '35mm-3perf'))).toBe('3+00');
    expect(formatFeet(framesToFeet(63, '35mm-3perf'))).toBe('2+21');
  });

  test('65 mm 5-perf: 64 frames per 5 ft; VistaVision 8; 2-perf 32', () => {
    expect(formatFeet(framesToFeet(64, '65mm-5perf'))).toBe('5+00');
    expect(formatFeet(framesToFeet(16, 'vistavision'))).toBe('2+00');
    expect(formatFeet(framesToFeet(33, '35mm-2perf'))).toBe('1+01');
  });

  test('parse and round trip, negative counts', () => {
    for (const gauge of ['35mm-4perf', '35mm-3perf', '16mm', '65mm-5perf'] as const) {
      for (let n = -200; n <= 200; n++) {
        const text = formatFeet(framesToFeet(n, gauge));
        const back = parseFeet(text, gauge);
        expect(back.ok && feetToFrames(back.value, gauge)).toBe(BigInt(n));
      }
    }
  });

  test('frames past the foot and bad syntax are diagnostics', () => {
    expect(parseFeet('1+16', '35mm-4perf').diagnostics[0]?.code).toBe('feet/field-range');
    expect(parseFeet('2+21', '35mm-3perf').ok).toBe(true);
    expect(parseFeet('1+21', '35mm-3perf').diagnostics[0]?.code).toBe('feet/field-range');
    expect(parseFeet('90:00', '35mm-4perf').diagnostics[0]?.code).toBe('feet/syntax');
  });
});
