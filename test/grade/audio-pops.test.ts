import { describe, expect, test } from 'vitest';
import { openSamples, readBwf } from '../../src/formats/bwf/index.js';
import { detectPop, detectPopIn, type PopOptions } from '../../src/grade/audio/pops.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { Rational } from '../../src/time/rational.js';
import { dbToGain, noise, wav } from './audio-signals.js';

const SR = 48000;

/**
 * A silent signal with a tone written into it: `length` samples of `hz` at `db` dBFS from sample
 * `at`, phase `phaseDeg` at its first sample (0 = the first sample is exactly zero, as Pro Tools'
 * signal generator starts a tone).
 */
function withTone(total: number, at: number, length: number, hz = 1000, db = -20, phaseDeg = 0): Float32Array {
  const x = new Float32Array(total);
  const a = dbToGain(db);
  for (let i = 0; i < length; i++) x[at + i] = a * Math.sin((2 * Math.PI * hz * i) / SR + (phaseDeg * Math.PI) / 180);
  return x;
}

const at24: PopOptions = { rate: FrameRate.FPS_24, expectedStart: 96000 };
const codes = (r: { problems: readonly { code: string }[] }): string[] => r.problems.map((p) => p.code);

describe('2-pop detection finds pops placed at known samples exactly', () => {
  test('one frame at 24 fps (2000 samples at 48 kHz), phase 0, at sample 96 000', () => {
    const x = withTone(4 * SR, 96000, 2000);
    const r = detectPopIn([x, x], 0, SR, at24);
    expect(codes(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.start).toBe(96000); // placed there by this test
    expect(r.duration).toBe(2000); // 48000 / 24
    expect(Math.abs(r.frequencyHz! - 1000)).toBeLessThan(1);
    expect(r.levelDb!).toBeCloseTo(-20, 1);
    expect(r.offsetSamples).toBe(0);
  });

  test('a tone starting at its crest (phase 90°) is not moved back', () => {
    const x = withTone(4 * SR, 96000, 2000, 1000, -20, 90);
    const r = detectPopIn([x], 0, SR, at24);
    expect(r.start).toBe(96000);
    expect(r.duration).toBe(2000);
    expect(r.ok).toBe(true);
  });

  test('25 fps: 1920 samples, a whole number of cycles (ends on a zero crossing)', () => {
    const x = withTone(4 * SR, 96000, 1920);
    const r = detectPopIn([x], 0, SR, { rate: FrameRate.FPS_25, expectedStart: 96000 });
    expect([r.start, r.duration]).toEqual([96000, 1920]);
    expect(r.ok).toBe(true);
  });

  test('29.97 fps: one frame is 1601.6 samples; a 1602-sample pop is one frame', () => {
    const x = withTone(4 * SR, 96000, 1602);
    const r = detectPopIn([x], 0, SR, { rate: FrameRate.FPS_29_97_NDF, expectedStart: 96000 });
    expect(r.expectedDuration.equals(Rational.of(8008, 5))).toBe(true); // 48000 · 1001 / 30000
    expect([r.start, r.duration, r.ok]).toEqual([96000, 1602, true]);
  });

  test('through a 24-bit BWF file, reading only the frames around the pop', async () => {
    const x = withTone(6 * SR, 4 * SR, 2000);
    const bytes = wav({ sampleRate: SR, bitsPerSample: 24, channels: [x, x] });
    const file = await readBwf(bytes);
    if (!file.ok) throw new Error('read failed');
    const reader = openSamples(bytes, file.value);
    if (!reader.ok) throw new Error('open failed');
    const r = await detectPop(reader.value, { rate: FrameRate.FPS_24, expectedStart: 4 * SR });
    expect([r.ok, r.start, r.duration]).toEqual([true, 4 * SR, 2000]);
  });
});

describe('near misses are rejected with the right reason', () => {
  test('wrong frequency (1200 Hz)', () => {
    const r = detectPopIn([withTone(4 * SR, 96000, 2000, 1200)], 0, SR, at24);
    expect(codes(r)).toEqual(['wrong-frequency']);
    expect(Math.abs(r.frequencyHz! - 1200)).toBeLessThan(1);
  });

  test('two frames long', () => {
    const r = detectPopIn([withTone(4 * SR, 96000, 4000)], 0, SR, at24);
    expect(codes(r)).toEqual(['wrong-duration']);
    expect(r.duration).toBe(4000);
  });

  test('late by one frame', () => {
    const r = detectPopIn([withTone(4 * SR, 98000, 2000)], 0, SR, at24);
    expect(codes(r)).toEqual(['offset']);
    expect(r.offsetSamples).toBe(2000);
    expect(r.offsetFrames!.equals(Rational.of(1))).toBe(true);
  });

  test('early by one sample is within the default tolerance; by two is not', () => {
    expect(detectPopIn([withTone(4 * SR, 95999, 2000)], 0, SR, at24).ok).toBe(true);
    const r = detectPopIn([withTone(4 * SR, 95998, 2000)], 0, SR, at24);
    expect(codes(r)).toEqual(['offset']);
    expect(r.offsetSamples).toBe(-2);
  });

  test('a noise burst in the silence before the pop', () => {
    const x = withTone(4 * SR, 96000, 2000);
    const burst = noise(480, dbToGain(-40), 3);
    x.set(burst, 96000 - 6000); // 3 frames before the pop
    const r = detectPopIn([x, withTone(4 * SR, 96000, 2000)], 0, SR, at24);
    expect(codes(r)).toEqual(['noise']);
    expect(r.start).toBe(96000);
    expect(r.surroundPeak!.sample).toBeGreaterThanOrEqual(90000);
    expect(r.surroundPeak!.sample).toBeLessThan(90480);
    expect(r.surroundPeak!.levelDb).toBeGreaterThan(-60);
  });

  test('noise in the silence on the other channel only', () => {
    const x = withTone(4 * SR, 96000, 2000);
    const other = new Float32Array(4 * SR);
    other.set(noise(100, dbToGain(-50), 9), 96000 + 2000 + 4000);
    const r = detectPopIn([x, other], 0, SR, at24);
    expect(codes(r)).toEqual(['noise']);
  });

  test('nothing there', () => {
    const r = detectPopIn([new Float32Array(4 * SR)], 0, SR, at24);
    expect(codes(r)).toEqual(['missing']);
    expect(r.ok).toBe(false);
  });

  test('a pop far from where it should be is missing, not found', () => {
    const r = detectPopIn([withTone(4 * SR, 96000 + 20 * 2000, 2000)], 0, SR, at24);
    expect(codes(r)).toEqual(['missing']);
  });

  test('a pop under the silence threshold is missing', () => {
    const r = detectPopIn([withTone(4 * SR, 96000, 2000, 1000, -70)], 0, SR, at24);
    expect(codes(r)).toEqual(['missing']);
  });
});
