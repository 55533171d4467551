import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openSamples, readBwf } from '../../src/formats/bwf/index.js';
import { kWeighting } from '../../src/grade/audio/k-weighting.js';
import { measureLoudness, measureLoudnessOf } from '../../src/grade/audio/loudness.js';
import { GAIN_BOUND, TRUE_PEAK_PHASES } from '../../src/grade/audio/true-peak.js';
import { channelLayout } from '../../src/grade/audio/channels.js';
import { HAVE_FFMPEG, copies, fade, ffmpegEbur128, noise, sineSegments, wav } from './audio-signals.js';

const SR = 48000;

describe('K-weighting filter design', () => {
  test('at 48 kHz the designed biquads are the BS.1770-4 tables', () => {
    const [shelf, hp] = kWeighting(48000);
    // ITU-R BS.1770-4 Annex 1, Table 1 (stage 1) and Table 2 (stage 2).
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 9);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 9);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 9);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 9);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 9);
    expect([hp.b0, hp.b1, hp.b2]).toEqual([1, -2, 1]);
    expect(hp.a1).toBeCloseTo(-1.99004745483398, 9);
    expect(hp.a2).toBeCloseTo(0.99007225036621, 9);
  });

  test('the true-peak filter is the BS.1770-4 Annex 2 table (phases 2, 3 mirror 1, 0)', () => {
    // Annex 2 table: phase 0 tap 6 = 0.9721679687500, phase 1 tap 6 = 0.7797851562500.
    expect(TRUE_PEAK_PHASES[0]![6]).toBe(0.97216796875);
    expect(TRUE_PEAK_PHASES[1]![6]).toBe(0.77978515625);
    expect(TRUE_PEAK_PHASES[3]![5]).toBe(0.97216796875);
    expect(TRUE_PEAK_PHASES[2]![5]).toBe(0.77978515625);
    expect(GAIN_BOUND).toBeGreaterThan(2);
  });
});

// The true-peak meter against every output computed: test/grade/audio-exact.test.ts.

// EBU Tech 3341 (2016/2023) §4 Table 1: stereo 1 kHz sine sequences, expected I = value ± 0.1 LU.
const TECH_3341_INTEGRATED: readonly [string, readonly (readonly [number, number])[], number][] = [
  ['case 1: −23 dBFS, 20 s', [[-23, 20]], -23],
  ['case 2: −33 dBFS, 20 s', [[-33, 20]], -33],
  ['case 3: −36/−23/−36 dBFS, 10/60/10 s (relative gate)', [[-36, 10], [-23, 60], [-36, 10]], -23],
  ['case 4: −72/−36/−23/−36/−72 dBFS (absolute gate)', [[-72, 10], [-36, 10], [-23, 60], [-36, 10], [-72, 10]], -23],
  ['case 5: −26/−20/−26 dBFS, 20/20.1/20 s', [[-26, 20], [-20, 20.1], [-26, 20]], -23],
];

describe('EBU Tech 3341 minimum requirements (signals built here)', () => {
  for (const [name, segments, expected] of TECH_3341_INTEGRATED) {
    test(`${name} → I = ${expected} ± 0.1 LUFS`, () => {
      const x = sineSegments(segments, SR);
      const r = measureLoudnessOf(copies(x, 2), SR, { truePeak: false });
      expect(Math.abs(r.integrated - expected)).toBeLessThanOrEqual(0.1);
    });
  }

  test('cases 1 and 2 hold at 44.1 kHz and 96 kHz (filters designed per rate)', () => {
    for (const sr of [44100, 96000]) {
      for (const [, segments, expected] of TECH_3341_INTEGRATED.slice(0, 2)) {
        const r = measureLoudnessOf(copies(sineSegments(segments, sr), 2), sr, { truePeak: false });
        expect(Math.abs(r.integrated - expected)).toBeLessThanOrEqual(0.1);
      }
    }
  });

  test('case 1: momentary and short-term read −23.0 ± 0.1 LUFS', () => {
    const r = measureLoudnessOf(copies(sineSegments([[-23, 20]], SR), 2), SR, { truePeak: false, series: true });
    for (const m of r.momentary!) expect(Math.abs(m + 23)).toBeLessThanOrEqual(0.1);
    for (const s of r.shortTerm!) expect(Math.abs(s + 23)).toBeLessThanOrEqual(0.1);
  });

  test('case 6: 5.0 channels L R −28, C −24, Ls Rs −30 dBFS → I = −23 ± 0.1 (surround weight 1.41)', () => {
    const level = [-28, -28, -24, -30, -30];
    const chans = level.map((db) => sineSegments([[db, 20]], SR));
    const r = measureLoudnessOf(chans, SR, { roles: ['L', 'R', 'C', 'Ls', 'Rs'], truePeak: false });
    expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
    // 5.1 with a silent LFE in the 4th channel (the WAVEEX variant of case 6) reads the same.
    const six = [chans[0]!, chans[1]!, chans[2]!, new Float32Array(chans[0]!.length), chans[3]!, chans[4]!];
    const r6 = measureLoudnessOf(six, SR, { truePeak: false });
    expect(Math.abs(r6.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  test('case 9: 1.34 s at −20 dBFS / 1.66 s at −30 dBFS ×5 → short-term −23 ± 0.1 after 3 s', () => {
    const segs: [number, number][] = [];
    for (let i = 0; i < 5; i++) segs.push([-20, 1.34], [-30, 1.66]);
    const r = measureLoudnessOf(copies(sineSegments(segs, SR), 2), SR, { truePeak: false, series: true });
    expect(r.shortTerm!.length).toBeGreaterThan(100);
    for (const s of r.shortTerm!) expect(Math.abs(s + 23)).toBeLessThanOrEqual(0.1);
  });

  test('case 12: 0.18 s at −20 dBFS / 0.22 s at −30 dBFS ×25 → momentary −23 ± 0.1 after 1 s', () => {
    const segs: [number, number][] = [];
    for (let i = 0; i < 25; i++) segs.push([-20, 0.18], [-30, 0.22]);
    const r = measureLoudnessOf(copies(sineSegments(segs, SR), 2), SR, { truePeak: false, series: true });
    // Momentary values are every 100 ms from 0.4 s: index 6 is the block ending at 1.0 s.
    const after1s = r.momentary!.subarray(6);
    expect(after1s.length).toBeGreaterThan(90);
    for (const m of after1s) expect(Math.abs(m + 23)).toBeLessThanOrEqual(0.1);
  });

  // Tech 3341 cases 15–19: stereo sines (frequency, peak amplitude, phase of the samples), expected
  // max true peak with tolerance +0.2 / −0.4 dB.
  const TRUE_PEAK_CASES: [string, number, number, number, number][] = [
    ['case 15: fs/4, 0.50, 0°', SR / 4, 0.5, 0, -6.0],
    ['case 16: fs/4, 0.50, 45°', SR / 4, 0.5, 45, -6.0],
    ['case 17: fs/6, 0.50, 60°', SR / 6, 0.5, 60, -6.0],
    ['case 18: fs/8, 0.50, 67.5°', SR / 8, 0.5, 67.5, -6.0],
    ['case 19: fs/4, 1.41, 45°', SR / 4, 1.41, 45, 3.0],
  ];
  for (const [name, hz, amp, phase, expected] of TRUE_PEAK_CASES) {
    test(`${name} → true peak ${expected} +0.2/−0.4 dBTP`, () => {
      // Faded in and out over 20 ms: the steady tone's peak is what the case measures, not the ringing of an abrupt start.
      const x = fade(sineSegments([[20 * Math.log10(amp), 3]], SR, hz, phase), 0.02, SR);
      const r = measureLoudnessOf(copies(x, 2), SR);
      expect(r.truePeak!).toBeGreaterThanOrEqual(expected - 0.4);
      expect(r.truePeak!).toBeLessThanOrEqual(expected + 0.2);
    });
  }
  test('case 16: the sample peak is 3 dB under the true peak (−9.0 dBFS)', () => {
    const r = measureLoudnessOf(copies(sineSegments([[20 * Math.log10(0.5), 3]], SR, SR / 4, 45), 2), SR);
    expect(r.samplePeak).toBeCloseTo(-9.03, 1); // 0.5·sin 45° = 0.354 = −9.03 dBFS
  });
});

// EBU Tech 3342 (2016) §4 Table 1: stereo 1 kHz sines, expected LRA ± 1 LU.
const TECH_3342: [string, [number, number][], number][] = [
  ['case 1: −20 then −30 dBFS, 20 s each', [[-20, 20], [-30, 20]], 10],
  ['case 2: −20 then −15 dBFS', [[-20, 20], [-15, 20]], 5],
  ['case 3: −40 then −20 dBFS', [[-40, 20], [-20, 20]], 20],
  ['case 4: −50/−35/−20/−35/−50 dBFS', [[-50, 20], [-35, 20], [-20, 20], [-35, 20], [-50, 20]], 15],
];

describe('EBU Tech 3342 loudness range (signals built here)', () => {
  for (const [name, segs, expected] of TECH_3342) {
    test(`${name} → LRA ${expected} ± 1 LU`, () => {
      const r = measureLoudnessOf(copies(sineSegments(segs, SR), 2), SR, { truePeak: false });
      expect(Math.abs(r.loudnessRange - expected)).toBeLessThanOrEqual(1);
    });
  }
});

describe('streaming over a BWF file', () => {
  test('blocks of any size give the same result as one block', async () => {
    const x = sineSegments([[-30, 3], [-18, 4]], SR, 440);
    const bytes = wav({ sampleRate: SR, bitsPerSample: 32, encoding: 'float', channels: [x, x] });
    const file = await readBwf(bytes);
    if (!file.ok) throw new Error('read failed');
    const reader = openSamples(bytes, file.value);
    if (!reader.ok) throw new Error('open failed');
    const whole = measureLoudnessOf([x, x], SR);
    const streamed = await measureLoudness(reader.value);
    expect(streamed.integrated).toBeCloseTo(whole.integrated, 9);
    expect(streamed.truePeak).toBeCloseTo(whole.truePeak!, 9);
    expect(streamed.frames).toBe(x.length);
  });

  test('channel roles come from the WAVE_FORMAT_EXTENSIBLE mask (0x60F: L R C LFE Ls Rs)', async () => {
    const z = new Float32Array(10);
    const bytes = wav({ sampleRate: SR, bitsPerSample: 24, channelMask: 0x60f, channels: [z, z, z, z, z, z] });
    const file = await readBwf(bytes);
    if (!file.ok) throw new Error('read failed');
    expect(channelLayout(file.value)).toEqual({ roles: ['L', 'R', 'C', 'LFE', 'Ls', 'Rs'], source: 'mask' });
  });

  test('silence reads −Infinity, never NaN', () => {
    const r = measureLoudnessOf([new Float32Array(SR * 2)], SR);
    expect(r.integrated).toBe(-Infinity);
    expect(r.loudnessRange).toBe(0);
    expect(r.samplePeak).toBe(-Infinity);
  });
});

describe.skipIf(!HAVE_FFMPEG)('cross-check with ffmpeg ebur128 (within 0.1 LU)', () => {
  const dir = join(tmpdir(), `dubstage-loudness-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, number, () => Float32Array[]][] = [
    ['Tech 3342 case 1, 24-bit 48 kHz stereo', 48000, () => copies(sineSegments([[-20, 20], [-30, 20]], 48000), 2)],
    ['speech-like modulated noise, 44.1 kHz stereo', 44100, () => {
      const n = 44100 * 30;
      const l = noise(n, 0.5, 7);
      const r = noise(n, 0.5, 11);
      // One-pole low pass (about 4 kHz) so the noise is band-limited like speech, then a slow envelope.
      let yl = 0;
      let yr = 0;
      for (let i = 0; i < n; i++) {
        yl += 0.45 * (l[i]! - yl);
        yr += 0.45 * (r[i]! - yr);
        const env = 0.05 + 0.95 * Math.abs(Math.sin((2 * Math.PI * i) / (44100 * 7.3))) ** 3;
        l[i] = yl * env;
        r[i] = yr * env * 0.7;
      }
      return [l, r];
    }],
    ['5.1 sines at several levels, 48 kHz', 48000, () => [-28, -28, -24, -20, -30, -33].map((db, c) => sineSegments([[db, 8], [db - 12, 8]], 48000, 500 + 100 * c))],
  ];
  for (const [name, sr, make] of cases) {
    test(name, async () => {
      const chans = make();
      const bytes = wav({ sampleRate: sr, bitsPerSample: 24, channels: chans });
      const path = join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.wav`);
      writeFileSync(path, bytes);
      const file = await readBwf(bytes);
      if (!file.ok) throw new Error('read failed');
      const reader = openSamples(bytes, file.value);
      if (!reader.ok) throw new Error('open failed');
      const ours = await measureLoudness(reader.value, { roles: channelLayout(file.value).roles });
      const theirs = ffmpegEbur128(path);
      expect(Math.abs(ours.integrated - theirs.integrated)).toBeLessThanOrEqual(0.1);
      expect(Math.abs(ours.loudnessRange - theirs.lra)).toBeLessThanOrEqual(0.1);
      // ffmpeg's true peak oversamples to 192 kHz with its own resampler, not the Annex 2 filter: compared within 0.3 dB (Tech 3341's true-peak tolerance is +0.2/−0.4 dB).
      expect(Math.abs(ours.truePeak! - theirs.truePeak)).toBeLessThanOrEqual(0.3);
    });
  }
});
