import { describe, expect, test } from 'vitest';
import { openSamples, readBwf, type SampleReader } from '../../src/formats/bwf/index.js';
import { nullTest } from '../../src/grade/audio/null-test.js';
import { dbToGain, noise, sineSegments, wav } from './audio-signals.js';

const SR = 48000;

async function reader(chans: Float32Array[], bits = 24, sampleRate = SR): Promise<SampleReader> {
  const bytes = wav({ sampleRate, bitsPerSample: bits, channels: chans });
  const file = await readBwf(bytes);
  if (!file.ok) throw new Error('read failed');
  const r = openSamples(bytes, file.value);
  if (!r.ok) throw new Error('open failed');
  return r.value;
}

// Stems as integer PCM sums exactly only when each stem is quantised on its own and the
// printmaster is the sum of the quantised stems; these tests build them that way (float 32-bit
// files carry the values through unchanged, so the expected residual is exactly zero).
describe('null test: stems against a printmaster', () => {
  const n = SR * 3;
  const dx = sineSegments([[-20, 3]], SR, 220);
  const mx = noise(n, dbToGain(-26), 5);
  const fx = sineSegments([[-30, 1], [-24, 2]], SR, 1700);
  const pm = new Float32Array(n);
  for (let i = 0; i < n; i++) pm[i] = dx[i]! + mx[i]! + fx[i]!;

  test('float stems that sum to the printmaster null to rounding (under −130 dBFS)', async () => {
    const r = await nullTest(await reader([pm, pm], 32), [await reader([dx, dx], 32), await reader([mx, mx], 32), await reader([fx, fx], 32)], { thresholdDb: -90 });
    // float32 rounding of the printmaster sum can differ in the last bit: the null is below −130 dBFS.
    expect(r.residualPeakDb).toBeLessThan(-130);
    expect(r.ok).toBe(true);
    expect(r.frames).toBe(n);
    expect(r.printmasterPeakDb).toBeGreaterThan(-20);
  });

  test('a stem 1 dB too loud leaves a residual 18.3 dB under that stem', async () => {
    const louder = dx.map((v) => v * dbToGain(1));
    const r = await nullTest(await reader([pm], 32), [await reader([louder], 32), await reader([mx], 32), await reader([fx], 32)]);
    // residual = dx·(1 − 10^(1/20)) → peak 0.1 · 0.122 = −38.3 dBFS (computed by hand from the gain).
    expect(r.residualPeakDb).toBeCloseTo(20 * Math.log10(0.1 * (dbToGain(1) - 1)), 1);
    expect(r.ok).toBe(false);
    expect(r.channels[0]!.rmsDb).toBeCloseTo(r.residualPeakDb - 3.01, 1); // a sine's RMS is 3.01 dB under its peak
  });

  test('a missing stem fails with the residual at the missing stem’s peak', async () => {
    const r = await nullTest(await reader([pm], 32), [await reader([dx], 32), await reader([mx], 32)], { thresholdDb: -60 });
    expect(r.residualPeakDb).toBeCloseTo(-24, 1); // fx's loudest segment: −24 dBFS
    expect(r.ok).toBe(false);
  });

  test('24-bit stems quantised on their own, printmaster = sum of the quantised values: residual within 1 LSB per stem', async () => {
    const q = (x: Float32Array): Float32Array => x.map((v) => Math.floor(v * 8388608 + 0.5) / 8388608);
    const [a, b, c] = [q(dx), q(mx), q(fx)];
    const sum = new Float32Array(n);
    for (let i = 0; i < n; i++) sum[i] = a[i]! + b[i]! + c[i]!;
    const r = await nullTest(await reader([sum]), [await reader([a]), await reader([b]), await reader([c])]);
    expect(r.residualPeakDb).toBeLessThan(-120); // 3 LSB of 24-bit is −128.9 dBFS
  });

  test('mismatched channel count or rate is an error, not a residual', async () => {
    const r = await nullTest(await reader([pm, pm]), [await reader([pm])]);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'grade/null-channels', severity: 'error' });
    const r2 = await nullTest(await reader([pm]), [await reader([pm], 24, 44100)]);
    expect(r2.diagnostics[0]).toMatchObject({ code: 'grade/null-sample-rate' });
  });

  test('a shorter stem is a warning and counts as silence past its end', async () => {
    const r = await nullTest(await reader([dx], 32), [await reader([dx.subarray(0, SR * 2)], 32)]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'grade/null-length', severity: 'warning' });
    expect(r.frames).toBe(n);
    expect(r.peakFrame).toBeGreaterThanOrEqual(SR * 2);
    expect(r.residualPeakDb).toBeCloseTo(-20, 1);
  });

  test('small blocks give the same answer and every block reaches onBlock', async () => {
    let seen = 0;
    const r = await nullTest(await reader([pm], 32), [await reader([dx], 32), await reader([mx], 32)], { blockFrames: 1000, onBlock: (_f, b) => (seen += b.channels[0]!.length) });
    const whole = await nullTest(await reader([pm], 32), [await reader([dx], 32), await reader([mx], 32)]);
    expect(r.residualPeakDb).toBe(whole.residualPeakDb);
    expect(seen).toBe(3 * n);
  });
});
