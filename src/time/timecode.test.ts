import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FrameRate, FRAME_RATE_NAMES } from './frame-rate.js';
import { Rational } from './rational.js';
import { RationalTime } from './rational-time.js';
import { Timecode, formatFrames, framesAt, labelToFrames, framesToLabel } from './timecode.js';
import { timeReferenceToTimecode, timecodeToTimeReference } from './bwf-time.js';

// Expected values in this file are the test vectors of ../shared/spec/timecode.md §10 (numbered
// as there; cross-checked by Python `timecode`, npm smpte-timecode, TimecodeKit, Sound Devices'
// Wave Agent report and hand arithmetic, as the digest records) and its §2–§3 constants.

function rate(name: string): FrameRate {
  const r = FrameRate.parse(name);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

function frames(text: string, rateName: string): number {
  const r = Timecode.parse(text, { rate: rate(rateName) });
  if (!r.ok) throw new Error(`${text}: ${r.diagnostics[0].message}`);
  return r.value.frames;
}

function label(n: number, rateName: string): string {
  return Timecode.fromFrames(n, rate(rateName)).toString();
}

describe('timecode digest §10 vectors', () => {
  test.each([
    [1, '29.97df', '00:00:59;29', 1799],
    [2, '29.97df', '00:01:00;02', 1800],
    [3, '29.97df', '00:09:59;29', 17981],
    [5, '29.97df', '00:11:00;02', 19782],
    [6, '29.97df', '01:00:00;00', 107892],
    [7, '29.97df', '10:00:00;00', 1078920],
    [8, '29.97df', '23:59:59;29', 2589407],
    [9, '29.97df', '00:59:58;00', 107832],
    [12, '29.97ndf', '01:00:00:00', 108000],
    [13, '30', '01:00:00:00', 108000],
    [14, '23.976', '01:00:00:00', 86400],
    [15, '23.976', '00:59:58:00', 86352],
    [16, '24', '23:59:59:23', 2073599],
    [17, '25', '01:00:00:00', 90000],
    [17, '25', '00:59:58:00', 89950],
    [17, '25', '00:59:52:00', 89800],
    [18, '47.952', '01:00:00:00', 172800],
    [18, '48', '01:00:00:00', 172800],
    [19, '50', '01:00:00:00', 180000],
    [20, '59.94df', '00:00:59;59', 3599],
    [21, '59.94df', '00:01:00;04', 3600],
    [22, '59.94df', '00:10:00;00', 35964],
    [23, '59.94df', '01:00:00;00', 215784],
    [24, '59.94ndf', '01:00:00:00', 216000],
    [24, '60', '01:00:00:00', 216000],
    [25, '100', '01:00:00:00', 360000],
    [26, '119.88df', '00:01:00;008', 7200],
    [27, '119.88df', '01:00:00;000', 431568],
    [28, '120', '01:00:00:000', 432000],
  ])('#%i %s %s → frame %i', (_n, rateName, text, expected) => {
    expect(frames(text, rateName)).toBe(expected);
    // and back: the label of that frame is the same text
    expect(label(expected, rateName)).toBe(text);
  });

  test('#2 frame 1800 at 29.97 DF follows 00:00:59;29', () => {
    expect(label(1799, '29.97df')).toBe('00:00:59;29');
    expect(label(1800, '29.97df')).toBe('00:01:00;02');
  });

  test('#4 frame 17982 at 29.97 DF is 00:10:00;00', () => {
    expect(label(17982, '29.97df')).toBe('00:10:00;00');
  });

  test('#8 frame 2589408 at 29.97 DF wraps to 00:00:00;00', () => {
    const r = rate('29.97df');
    expect(Timecode.fromFrames(2589408, r, { overflow: 'wrap' }).toString()).toBe('00:00:00;00');
    expect(() => Timecode.fromFrames(2589408, r)).toThrow(RangeError);
  });

  test('#10/#11 label spans are not durations', () => {
    const span = (a: string, b: string) => frames(b, '29.97df') - frames(a, '29.97df');
    expect(span('01:00:59;00', '01:01:01;00')).toBe(58);
    expect(span('01:09:59;00', '01:10:01;00')).toBe(60);
  });

  test('#29 25 fps 23:59:59:24 + 1 frame wraps to 00:00:00:00', () => {
    const tc = Timecode.fromFrames(frames('23:59:59:24', '25'), rate('25'));
    expect(tc.plus(1, { overflow: 'wrap' }).toString()).toBe('00:00:00:00');
    expect(() => tc.plus(1)).toThrow(RangeError);
    expect(tc.plus(1, { overflow: 'signed' }).toString()).toBe('24:00:00:00');
  });

  test('#30/#31/#32 timecode → samples at 48 kHz', () => {
    const at = (text: string, r: string) => Timecode.parse(text, { rate: rate(r) });
    const t25 = at('01:00:00:00', '25');
    const t23 = at('01:00:00:00', '23.976');
    const tdf = at('01:00:00;00', '29.97df');
    if (!t25.ok || !t23.ok || !tdf.ok) throw new Error('parse');
    expect(timecodeToTimeReference(t25.value, 48000)).toBe(172_800_000n);
    expect(timecodeToTimeReference(t23.value, 48000)).toBe(172_972_800n);
    // exact 863999136/5 = 172,799,827.2 → written 172,799,827
    expect(tdf.value.toRationalTime().seconds.times(Rational.of(48000)).equals(Rational.of(863999136, 5))).toBe(true);
    expect(timecodeToTimeReference(tdf.value, 48000)).toBe(172_799_827n);
    // naive floor reads back 00:59:59;29; the sample-centre rule reads 01:00:00;00
    expect(Timecode.fromSamples(172_799_827n, { rate: rate('29.97df'), sampleRate: 48000, rounding: 'floor' }).toString()).toBe('00:59:59;29');
    expect(timeReferenceToTimecode(172_799_827n, { sampleRate: 48000, rate: rate('29.97df') }).toString()).toBe('01:00:00;00');
  });

  test.each([
    // #33: the same TimeReference means different labels at different rates
    [33, 172_800_000n, '23.976', '00:59:56:09'],
    [33, 172_800_000n, '29.97ndf', '00:59:56:12'],
    [33, 172_800_000n, '29.97df', '01:00:00;00'],
    // #34–#36: Sound Devices 702T files, 23.976 ND (Wave Agent report)
    [34, 2_190_940_753n, '23.976', '12:39:59:00'],
    [35, 2_191_709_524n, '23.976', '12:40:15:00'],
    [36, 2_191_180_996n, '23.976', '12:40:04:00'],
    [36, 2_191_661_476n, '23.976', '12:40:14:00'],
    // #37–#38: Metacorder files at 25 (floor, not round, of 1,226,257.79 frames)
    [37, 2_350_375_830n, '25', '13:36:06:04'],
    [38, 2_354_414_956n, '25', '13:37:30:07'],
    // #39: Zoom F8 at 25, exactly 2,040,250 × 1920 samples
    [39, 3_917_280_000n, '25', '22:40:10:00'],
  ])('#%i TimeReference %d @ 48 kHz at %s → %s', (_n, timeRef, r, expected) => {
    expect(timeReferenceToTimecode(timeRef, { sampleRate: 48000, rate: rate(r) }).toString()).toBe(expected);
  });

  test('#42 frame starts at 29.97 @ 48 kHz rounded to the nearest sample', () => {
    const starts = [0, 1, 2, 3, 4, 5].map((n) => RationalTime.fromFrames(n, rate('29.97ndf')).toSamples(48000, 'nearest'));
    expect(starts).toEqual([0n, 1602n, 3203n, 4805n, 6406n, 8008n]);
  });

  test('#43/#44 timecode as rational seconds (FCPXML)', () => {
    const secs = (text: string, r: string) => {
      const t = Timecode.parse(text, { rate: rate(r) });
      if (!t.ok) throw new Error('parse');
      return t.value.toRationalTime().toString();
    };
    expect(secs('01:00:00:00', '23.976')).toBe('18018/5');
    expect(secs('01:00:00:00', '29.97ndf')).toBe('18018/5');
    // 107999892/30000 reduced
    expect(Rational.parse(secs('01:00:00;00', '29.97df'))!.equals(Rational.of(107999892, 30000))).toBe(true);
  });
});

describe('digest §2–§3 constants', () => {
  test.each([
    ['23.976', 2_073_600], ['24', 2_073_600], ['25', 2_160_000], ['29.97ndf', 2_592_000], ['29.97df', 2_589_408],
    ['30', 2_592_000], ['47.952', 4_147_200], ['48', 4_147_200], ['50', 4_320_000], ['59.94ndf', 5_184_000],
    ['59.94df', 5_178_816], ['60', 5_184_000], ['100', 8_640_000], ['119.88ndf', 10_368_000],
    ['119.88df', 10_357_632], ['120', 10_368_000],
  ])('%s has %i frames in 24 h of labels', (r, n) => {
    expect(rate(r).framesPerDay).toBe(n);
  });

  test.each([
    ['29.97df', 1798, 17982, 107892],
    ['59.94df', 3596, 35964, 215784],
    ['119.88df', 7192, 71928, 431568],
  ])('%s: %i frames a minute, %i per 10 min, %i per hour', (r, m, ten, h) => {
    const fr = rate(r);
    expect([fr.framesPerMinute, fr.framesPer10Minutes, fr.framesPerHour]).toEqual([m, ten, h]);
  });
});

describe('parse', () => {
  const df = FrameRate.FPS_29_97_DF;

  test('separators : ; . , are all accepted before frames', () => {
    for (const sep of [':', ';', '.', ',']) {
      const r = Timecode.parse(`01:00:00${sep}00`, { rate: FrameRate.FPS_25 });
      expect(r.ok && r.value.frames).toBe(90000);
    }
  });

  test('a dropped DF label is an error with its code and column (digest §3)', () => {
    const r = Timecode.parse('00:01:00;00', { rate: df });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'tc/dropped-label', at: { column: 10 } });
    const r1 = Timecode.parse('00:01:00;01', { rate: df });
    expect(r1.diagnostics[0]?.code).toBe('tc/dropped-label');
    // minute 10 keeps its ;00 label
    expect(Timecode.parse('00:10:00;00', { rate: df }).ok).toBe(true);
  });

  test('a dropped label can be read as the next label that exists, with a warning', () => {
    const r = Timecode.parse('00:01:00;00', { rate: df, droppedLabel: 'next' });
    expect(r.ok && r.value.toString()).toBe('00:01:00;02');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'tc/dropped-label' });
  });

  test('fields out of range', () => {
    expect(Timecode.parse('00:60:00:00', { rate: FrameRate.FPS_25 }).diagnostics[0]).toMatchObject({ code: 'tc/field-range', at: { column: 4 } });
    expect(Timecode.parse('00:00:61:00', { rate: FrameRate.FPS_25 }).diagnostics[0]).toMatchObject({ code: 'tc/field-range', at: { column: 7 } });
    expect(Timecode.parse('00:00:00:25', { rate: FrameRate.FPS_25 }).diagnostics[0]).toMatchObject({ code: 'tc/field-range', at: { column: 10 } });
    expect(Timecode.parse('00:00:00:24', { rate: FrameRate.FPS_25 }).ok).toBe(true);
  });

  test('syntax errors name the column', () => {
    expect(Timecode.parse('01:00:00', { rate: FrameRate.FPS_25 }).diagnostics[0]).toMatchObject({ code: 'tc/syntax', at: { column: 9 } });
    expect(Timecode.parse('01:0a:00:00', { rate: FrameRate.FPS_25 }).diagnostics[0]).toMatchObject({ code: 'tc/syntax', at: { column: 4 } });
    expect(Timecode.parse('', { rate: FrameRate.FPS_25 }).diagnostics[0]?.code).toBe('tc/syntax');
    expect(Timecode.parse('01:00:00:00x', { rate: FrameRate.FPS_25 }).diagnostics[0]?.code).toBe('tc/syntax');
  });

  test('places are offset by the caller position within a larger input', () => {
    const r = Timecode.parse('00:00:00:99', { rate: FrameRate.FPS_25, line: 7, column: 30, offset: 500 });
    expect(r.diagnostics[0]).toMatchObject({ at: { line: 7, column: 39, offset: 509 } });
  });

  test('past 24 h and negative labels need an explicit overflow', () => {
    const r25 = FrameRate.FPS_25;
    expect(Timecode.parse('24:00:00:00', { rate: r25 }).diagnostics[0]?.code).toBe('tc/out-of-range');
    const wrapped = Timecode.parse('25:00:00:00', { rate: r25, overflow: 'wrap' });
    expect(wrapped.ok && wrapped.value.toString()).toBe('01:00:00:00');
    expect(Timecode.parse('-00:00:01:00', { rate: r25 }).diagnostics[0]?.code).toBe('tc/negative');
    const neg = Timecode.parse('-00:00:01:00', { rate: r25, overflow: 'signed' });
    expect(neg.ok && neg.value.frames).toBe(-25);
    expect(neg.ok && neg.value.toString()).toBe('-00:00:01:00');
  });

  test('the separator only warns when it disagrees with the rate (explicit rate wins, digest §4)', () => {
    const r = Timecode.parse('01:00:00:00', { rate: df });
    expect(r.ok && r.value.frames).toBe(107892);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'tc/separator-mismatch' });
    expect(Timecode.parse('01:00:00;00', { rate: FrameRate.FPS_29_97_NDF }).diagnostics[0]?.code).toBe('tc/separator-mismatch');
  });

  test('three frame digits above 100 fps; two up to 100', () => {
    expect(label(119, '120')).toBe('00:00:00:119');
    expect(label(99, '100')).toBe('00:00:00:99');
    expect(Timecode.parse('00:00:00:119', { rate: FrameRate.FPS_120 }).ok).toBe(true);
    expect(Timecode.parse('00:00:00:119', { rate: FrameRate.FPS_100 }).ok).toBe(false);
  });

  test('subframes: .ss in 1/100 (Pro Tools) or 1/80, converted by floor (digest §4)', () => {
    const r = Timecode.parse('01:00:00:00.50', { rate: FrameRate.FPS_25 });
    expect(r.ok && [r.value.frames, r.value.subframes, r.value.subframeBase]).toEqual([90000, 50, 100]);
    expect(r.ok && r.value.toString()).toBe('01:00:00:00.50');
    expect(r.ok && r.value.withSubframeBase(80).subframes).toBe(40);
    const r80 = Timecode.parse('01:00:00:00.79', { rate: FrameRate.FPS_25, subframeBase: 80 });
    expect(r80.ok && r80.value.withSubframeBase(100).subframes).toBe(98); // floor(79 * 100 / 80)
    expect(Timecode.parse('01:00:00:00.80', { rate: FrameRate.FPS_25, subframeBase: 80 }).diagnostics[0]?.code).toBe('tc/field-range');
    // half a frame at 25 fps is 1/50 s
    expect(r.ok && r.value.toRationalTime().seconds.equals(Rational.of(90000 * 2 + 1, 50))).toBe(true);
  });
});

describe('rate conversion (digest §8)', () => {
  // 3600 s is 86313.69 frames at 24000/1001: 00:59:56:09 floored, as vector #33 has for the same
  // real time (172,800,000 samples at 48 kHz); 00:59:56:10 to the nearest frame.
  test('via real time: 01:00:00:00 at 25 is 00:59:56:09 at 23.976 (floor), :10 (nearest)', () => {
    const tc = Timecode.fromFrames(90000, FrameRate.FPS_25);
    expect(tc.convertTo(FrameRate.FPS_23_976, { via: 'time', rounding: 'floor' }).toString()).toBe('00:59:56:09');
    expect(tc.convertTo(FrameRate.FPS_23_976, { via: 'time', rounding: 'nearest' }).toString()).toBe('00:59:56:10');
    expect(tc.convertTo(FrameRate.FPS_24, { via: 'time', rounding: 'floor' }).toString()).toBe('01:00:00:00');
  });

  test('via label: 23.976 ↔ 24 keep the label; 25 → 50 doubles the frame field', () => {
    const tc = Timecode.fromFrames(86400 + 13, FrameRate.FPS_23_976);
    expect(tc.convertTo(FrameRate.FPS_24, { via: 'label', rounding: 'floor' }).toString()).toBe('01:00:00:13');
    const p = Timecode.fromFrames(90000 + 12, FrameRate.FPS_25);
    expect(p.convertTo(FrameRate.FPS_50, { via: 'label', rounding: 'floor' }).toString()).toBe('01:00:00:24');
    // a label drop-frame skips becomes the next that exists
    const ndf = Timecode.fromFrames(1800, FrameRate.FPS_29_97_NDF); // 00:01:00:00
    expect(ndf.convertTo(FrameRate.FPS_29_97_DF, { via: 'label', rounding: 'floor' }).toString()).toBe('00:01:00;02');
  });
});

describe('laws over the whole 24 h of every rate', () => {
  const rates = FRAME_RATE_NAMES.map(rate);

  test('framesAt reads a label in place inside a line exactly as Timecode.parse reads it alone', () => {
    // Oracle: Timecode.parse (the general path) on the label cut out of the line.
    const label = fc.tuple(fc.integer({ min: 0, max: 29 }), fc.integer({ min: 0, max: 69 }), fc.integer({ min: 0, max: 69 }), fc.integer({ min: 0, max: 130 }), fc.constantFrom(':', ';', '.', ',', '/'));
    fc.assert(fc.property(fc.constantFrom(...rates), label, fc.string({ maxLength: 5 }), (r, [h, m, s, f, sep], prefix) => {
      const p2 = (n: number) => String(n).padStart(2, '0');
      const text = `${p2(h)}:${p2(m)}:${p2(s)}${sep}${r.nominalFps > 100 ? String(f).padStart(3, '0') : p2(f % 100)}`;
      const line = `${prefix}${text} rest`;
      const parsed = Timecode.parse(text, { rate: r, droppedLabel: 'error' });
      const expected = parsed.ok && sep !== '/' ? parsed.value.frames : -1;
      expect(framesAt(line, prefix.length, prefix.length + text.length, r)).toBe(expected);
    }), { numRuns: 20_000 });
    expect(framesAt('001  AX V C 00:59:58;00 x', 12, 23, FrameRate.FPS_29_97_DF)).toBe(107832); // edl.md §11 D, event 1 record in
    expect(framesAt('00:01:00;00', 0, 11, FrameRate.FPS_29_97_DF)).toBe(-1); // a dropped label (digest §3)
    expect(framesAt('01:00:00:00', 0, 10, FrameRate.FPS_25)).toBe(-1);
  });

  test('frames → label → frames is the identity', () => {
    fc.assert(fc.property(fc.constantFrom(...rates), fc.nat(), (r, n) => {
      const f = n % r.framesPerDay;
      const text = formatFrames(f, r);
      const back = Timecode.parse(text, { rate: r });
      return back.ok && back.value.frames === f && back.diagnostics.length === 0;
    }), { numRuns: 20_000 });
  });

  test('drop-frame labels never include a dropped label', () => {
    const dfRates = rates.filter((r) => r.dropFrame);
    fc.assert(fc.property(fc.constantFrom(...dfRates), fc.nat(), (r, n) => {
      const [, m, s, f] = framesToLabel(n % r.framesPerDay, r);
      return !(s === 0 && (m as number) % 10 !== 0 && (f as number) < r.dropPerMinute);
    }), { numRuns: 20_000 });
  });

  test('consecutive frames have consecutive labels (no gaps but the dropped ones)', () => {
    fc.assert(fc.property(fc.constantFrom(...rates), fc.nat(), (r, n) => {
      const f = n % (r.framesPerDay - 1);
      const [h1, m1, s1, f1] = framesToLabel(f, r) as [number, number, number, number];
      const a = labelToFrames(h1, m1, s1, f1, r);
      const b = labelToFrames(...(framesToLabel(f + 1, r) as [number, number, number, number]), r);
      return a === f && b === f + 1;
    }), { numRuns: 20_000 });
  });

  test('every label of a day, exhaustively at 29.97 DF and 59.94 DF', () => {
    for (const r of [FrameRate.FPS_29_97_DF, FrameRate.FPS_59_94_DF]) {
      let prev = -1;
      for (let h = 0; h < 24; h++) for (let m = 0; m < 60; m++) for (let s = 0; s < 60; s++) {
        for (let f = 0; f < r.nominalFps; f++) {
          if (s === 0 && m % 10 !== 0 && f < r.dropPerMinute) continue;
          const n = labelToFrames(h, m, s, f, r);
          if (n !== prev + 1) throw new Error(`${h}:${m}:${s};${f} → ${n}, expected ${prev + 1}`);
          prev = n;
        }
      }
      expect(prev).toBe(r.framesPerDay - 1);
    }
  });

  test('sample ↔ frame round trips at integer samples-per-frame rates', () => {
    const cases: [FrameRate, number][] = [];
    for (const r of rates) {
      for (const sr of [44100, 48000, 88200, 96000, 192000]) {
        if (Rational.of(sr).times(r.frameDuration).isInteger()) cases.push([r, sr]);
      }
    }
    expect(cases.length).toBeGreaterThan(20);
    fc.assert(fc.property(fc.constantFrom(...cases), fc.nat(), ([r, sr], n) => {
      const tc = Timecode.fromFrames(n % r.framesPerDay, r);
      const samples = tc.toSamples(sr, 'floor');
      const back = Timecode.fromSamples(samples, { rate: r, sampleRate: sr, rounding: 'floor' });
      return back.frames === tc.frames && samples === tc.toSamples(sr, 'ceil');
    }), { numRuns: 10_000 });
  });

  test('timecode → TimeReference → timecode is the identity at every rate and sample rate (nearest, then sample-centre)', () => {
    fc.assert(fc.property(fc.constantFrom(...rates), fc.constantFrom(44100, 48000, 96000, 192000), fc.nat(), (r, sr, n) => {
      const tc = Timecode.fromFrames(n % r.framesPerDay, r);
      return timeReferenceToTimecode(timecodeToTimeReference(tc, sr), { sampleRate: sr, rate: r }).frames === tc.frames;
    }), { numRuns: 10_000 });
  });

  test('plus with wrap is addition modulo the day', () => {
    fc.assert(fc.property(fc.constantFrom(...rates), fc.nat(), fc.integer({ min: -1e9, max: 1e9 }), (r, n, d) => {
      const tc = Timecode.fromFrames(n % r.framesPerDay, r);
      const day = r.framesPerDay;
      return tc.plus(d, { overflow: 'wrap' }).frames === ((((n % day) + d) % day) + day) % day;
    }));
  });
});

describe('guards', () => {
  test('comparison operators throw', () => {
    const a = Timecode.fromFrames(1, FrameRate.FPS_25);
    expect(() => (a as unknown as number) < 2).toThrow(TypeError);
  });

  test('comparing timecodes of different rates is a programmer error', () => {
    expect(() => Timecode.fromFrames(1, FrameRate.FPS_25).compare(Timecode.fromFrames(1, FrameRate.FPS_24))).toThrow(RangeError);
  });

  test('fromComponents rejects dropped labels', () => {
    expect(() => Timecode.fromComponents({ minutes: 1, frames: 0 }, FrameRate.FPS_29_97_DF)).toThrow(RangeError);
    expect(Timecode.fromComponents({ hours: 1 }, FrameRate.FPS_29_97_DF).frames).toBe(107892);
  });
});
