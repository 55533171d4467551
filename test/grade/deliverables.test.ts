import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, test } from 'vitest';
import { DeliverablesCheck, runDeliverablesCheck } from '../../src/grade/deliverables.js';
import { grade } from '../../src/grade/grade.js';
import { parseRubric } from '../../src/grade/rubric.js';
import type { CheckItem, Submission } from '../../src/grade/types.js';
import { wav } from './audio-signals.js';

/*
 * A dub-mix hand-in built here, 24 fps at 48 kHz, all positions placed by this test:
 * - files start at 00:59:56:00 (TimeReference (3600 − 4) · 48000 = 172 608 000);
 * - 2-pop at 00:59:58:00 = file sample 96 000, one frame (2000 samples) of 1 kHz from phase 0;
 * - action 01:00:00:00 (sample 192 000) to the end of 01:00:04:23 (sample 432 000): a 1 kHz sine
 *   whose stereo level sums to −23 dBFS in the printmaster (EBU Tech 3341 case 1: −23.0 LUFS);
 * - tail pop at 01:00:07:00 = sample 528 000; files end at 12 s = 576 000 samples.
 * Stems are integer 24-bit samples and the printmaster is their exact integer sum, so a good hand-in
 * nulls to −∞.
 */
const SR = 48000;
const FULL = 8388608; // 2^23
const TOTAL = 12 * SR;

interface Make {
  /** Per-stem sine share of the −23 dBFS tone. */
  share: number;
  /** Pop start sample; null for no pop. */
  popAt?: number | null;
  popLength?: number;
  tailAt?: number | null;
  gain?: number;
}

function stem({ share, popAt = 96000, popLength = 2000, tailAt = 528000, gain = 1 }: Make, total = TOTAL, sampleRate = SR): Int32Array {
  const x = new Int32Array(total);
  const a = 10 ** (-23 / 20) * share * gain;
  for (let i = 192000 * (sampleRate / SR); i < 432000 * (sampleRate / SR); i++) x[i] = Math.round(a * Math.sin((2 * Math.PI * 1000 * i) / sampleRate) * FULL);
  const pop = (at: number): void => {
    for (let i = 0; i < popLength; i++) x[at + i] = Math.round(0.0316 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate) * FULL); // −30 dBFS
  };
  if (popAt !== null) pop(popAt);
  if (tailAt !== null) pop(tailAt);
  return x;
}

function sum(...xs: Int32Array[]): Int32Array {
  const out = new Int32Array(xs[0]!.length);
  for (const x of xs) for (let i = 0; i < out.length; i++) out[i] = out[i]! + x[i]!;
  return out;
}

function file(path: string, ch: Int32Array, options: { timeReference?: bigint; bits?: number; sampleRate?: number } = {}): { path: string; source: Uint8Array } {
  const bits = options.bits ?? 24;
  const scaled = bits === 24 ? ch : ch.map((v) => Math.round(v / 2 ** (24 - bits)));
  return {
    path,
    source: wav({ sampleRate: options.sampleRate ?? SR, bitsPerSample: bits, channels: [scaled, scaled], bext: { timeReference: options.timeReference ?? 172_608_000n } }),
  };
}

const RUBRIC = {
  kind: 'deliverables',
  id: 'dub',
  title: 'Dub deliverables',
  weight: 30,
  rate: '24',
  start: '00:59:56:00',
  ffoa: '01:00:00:00',
  lfoa: '01:00:04:23',
  files: [
    { pattern: '*.wav', sampleRate: 48000, bitDepth: 24, format: 'pcm', channels: 2, channelOrder: ['L', 'R'], timeReference: true, length: { tailSeconds: 3 }, twoPop: true, tailPop: true },
    { pattern: 'PM*.wav', name: 'printmaster', loudness: { integrated: { target: -23, tolerance: 0.5 }, truePeakMax: -1, lraMax: 20, range: 'action' } },
  ],
  stems: { printmaster: 'PM*.wav', stems: ['stems/*DX*.wav', 'stems/*MX*.wav', 'stems/*FX*.wav'], nullThresholdDb: -90 },
};

function decode(u: unknown): DeliverablesCheck {
  const r = DeliverablesCheck.decode(u);
  if (!isRight(r)) throw new Error('rubric entry does not decode');
  return r.right;
}

function good(): Map<string, Int32Array> {
  const dx = stem({ share: 0.6 });
  const mx = stem({ share: 0.4 });
  const fx = stem({ share: 0 });
  return new Map([['stems/DX.wav', dx], ['stems/MX.wav', mx], ['stems/FX.wav', fx], ['PM.wav', sum(dx, mx, fx)]]);
}

function submission(files: Map<string, Int32Array>, overrides: Record<string, { timeReference?: bigint; bits?: number; sampleRate?: number }> = {}): Submission {
  return { name: 'student', files: [...files].map(([p, ch]) => file(p, ch, overrides[p] ?? {})) };
}

const byId = (items: readonly CheckItem[], id: string): CheckItem => {
  const it = items.find((i) => i.id === id);
  if (!it) throw new Error(`no item ${id}: ${items.map((i) => i.id).join(', ')}`);
  return it;
};

describe('deliverables rubric entry (io-ts codec)', () => {
  test('the example entry decodes', () => {
    expect(isRight(DeliverablesCheck.decode(RUBRIC))).toBe(true);
  });
  test('bad values are rejected', () => {
    expect(isRight(DeliverablesCheck.decode({ ...RUBRIC, files: [{ pattern: '*.wav', sampleRate: -48000 }] }))).toBe(false);
    expect(isRight(DeliverablesCheck.decode({ ...RUBRIC, files: [{ sampleRate: 48000 }] }))).toBe(false);
    expect(isRight(DeliverablesCheck.decode({ ...RUBRIC, files: [{ pattern: '*.wav', format: 'mp3' }] }))).toBe(false);
  });
});

describe('runDeliverablesCheck', () => {
  test('a hand-in that meets the spec scores 1 with every item a match', async () => {
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(good()));
    const failing = r.items.filter((i) => i.verdict !== 'match');
    expect(failing.map((i) => i.feedback)).toEqual([]);
    expect(r.score).toBe(1);
    // 4 files × 9 file items + 3 loudness items + the null test.
    expect(r.items.length).toBe(4 * 9 + 3 + 1);
    expect(byId(r.items, 'PM.wav/two-pop').evidence.actual).toBe('00:59:58:00');
    expect(byId(r.items, 'PM.wav/tail-pop').evidence.actual).toBe('01:00:07:00');
    expect(byId(r.items, 'stems/null-test').evidence.actual).toMatch(/^-∞ dBFS peak/);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  test('a stem at 44.1 kHz: the sample rate item says so, and the null test cannot run', async () => {
    const files = good();
    files.set('stems/DX.wav', stem({ share: 0.6, popAt: null, tailAt: null }, 12 * 44100, 44100));
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(files, { 'stems/DX.wav': { sampleRate: 44100 } }));
    const sr = byId(r.items, 'stems/DX.wav/sample-rate');
    expect(sr.verdict).toBe('wrong-value');
    expect(sr.feedback).toBe('DX.wav is 44100 Hz; the deliverable spec asks for 48000 Hz.');
    expect(byId(r.items, 'stems/null-test').verdict).toBe('fail');
    expect(r.score).toBeLessThan(1);
  });

  test('a 2-pop one frame late', async () => {
    const files = good();
    const dx = stem({ share: 0.6, popAt: 98000 });
    const mx = stem({ share: 0.4, popAt: 98000 });
    const fx = stem({ share: 0, popAt: 98000 });
    files.set('stems/DX.wav', dx).set('stems/MX.wav', mx).set('stems/FX.wav', fx).set('PM.wav', sum(dx, mx, fx));
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(files));
    const pop = byId(r.items, 'PM.wav/two-pop');
    expect(pop.verdict).toBe('offset');
    expect(pop.feedback).toBe('PM.wav: 2-pop is 1 frame late: found at 00:59:58:01, expected 00:59:58:00.');
    expect(pop.evidence.delta).toEqual({ value: 1, unit: 'frames' });
    expect(byId(r.items, 'PM.wav/tail-pop').verdict).toBe('match');
    expect(byId(r.items, 'stems/null-test').verdict).toBe('match');
  });

  test('a 2-pop two frames long, and a missing tail pop', async () => {
    const files = good();
    const dx = stem({ share: 0.6, popLength: 4000, tailAt: null });
    files.set('stems/DX.wav', dx);
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(files));
    const pop = byId(r.items, 'stems/DX.wav/two-pop');
    expect(pop.verdict).toBe('wrong-value');
    expect(pop.feedback).toMatch(/lasts 4000 samples \(2\.00 frames\)/);
    const tail = byId(r.items, 'stems/DX.wav/tail-pop');
    expect(tail.verdict).toBe('missing');
    expect(tail.feedback).toMatch(/^DX\.wav: no tail pop found near 01:00:07:00/);
  });

  test('TimeReference one frame late, 16-bit instead of 24', async () => {
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(good(), { 'stems/MX.wav': { timeReference: 172_608_000n + 2000n, bits: 16 } }));
    const tr = byId(r.items, 'stems/MX.wav/time-reference');
    expect(tr.verdict).toBe('offset');
    expect(tr.feedback).toBe('MX.wav starts 1 frame late: TimeReference 172610000 is 00:59:56:01, expected 00:59:56:00 (172608000).');
    expect(byId(r.items, 'stems/MX.wav/bit-depth').feedback).toBe('MX.wav is 16 bit; the deliverable spec asks for 24 bit.');
  });

  test('a file one frame short', async () => {
    const files = good();
    files.set('stems/FX.wav', stem({ share: 0 }, TOTAL - 2000));
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(files));
    const len = byId(r.items, 'stems/FX.wav/length');
    expect(len.verdict).toBe('wrong-value');
    expect(len.feedback).toBe('FX.wav is 1 frame short: 574000 samples, expected 576000 (00:00:12:00 of leader, picture and tail).');
    expect(len.evidence.delta).toEqual({ value: -1, unit: 'frames' });
    files.set('stems/FX.wav', stem({ share: 0 }, TOTAL + 1));
    const longer = byId((await runDeliverablesCheck(decode(RUBRIC), submission(files))).items, 'stems/FX.wav/length');
    expect(longer.feedback).toBe('FX.wav is 1 sample (0.00 frames) too long: 576001 samples, expected 576000 (00:00:12:00 of leader, picture and tail).');
  });

  test('a printmaster 3 dB too loud fails integrated loudness (−20 LUFS, Tech 3341 case-1 arithmetic) and the null test', async () => {
    const files = good();
    files.set('PM.wav', sum(stem({ share: 0.6, gain: 10 ** (3 / 20) }), stem({ share: 0.4, gain: 10 ** (3 / 20) }), stem({ share: 0 })));
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(files));
    const it = byId(r.items, 'PM.wav/integrated-loudness');
    expect(it.verdict).toBe('wrong-value');
    expect(it.feedback).toMatch(/^PM\.wav: integrated loudness is -20\.0 LUFS; the spec asks for -23 ± 0\.5 LUFS\.$/);
    expect(it.evidence.delta!.unit).toBe('LU');
    expect(it.evidence.delta!.value).toBeCloseTo(2.5, 1);
    expect(byId(r.items, 'stems/null-test').verdict).toBe('wrong-value');
    // Residual = (10^(3/20) − 1) · 10^(−23/20) = −30.7 dBFS, largest first at the tone's first crest: a quarter
    // period of 1 kHz (12 samples) after the first frame of action 01:00:00:00.
    expect(byId(r.items, 'stems/null-test').feedback).toMatch(/^The stems do not sum to PM\.wav: residual peak -30\.7 dBFS at 01:00:00:00\+12 on channel 1 \(limit -90 dBFS\)/);
  });

  test('a missing stem: its items are missing and the null test names the pattern', async () => {
    const files = good();
    files.delete('stems/FX.wav');
    const r = await runDeliverablesCheck(decode(RUBRIC), submission(files));
    const nul = byId(r.items, 'stems/null-test');
    expect(nul.verdict).toBe('missing');
    expect(nul.feedback).toBe('No stem matches "stems/*FX*.wav": the null test needs every stem.');
    // The missing file is not among *.wav, so only the null test and nothing else fails.
    expect(r.items.filter((i) => i.credit === 0).length).toBe(1);
  });

  test('a required entry with no file: one missing item per property asked', async () => {
    const check = decode({ ...RUBRIC, stems: undefined, files: [{ pattern: 'PM*.wav', name: 'printmaster', sampleRate: 48000, channels: 6 }] });
    const r = await runDeliverablesCheck(check, { name: 's', files: [] });
    expect(r.items.map((i) => [i.id, i.verdict])).toEqual([['printmaster/file', 'missing'], ['printmaster/sample-rate', 'missing'], ['printmaster/channels', 'missing']]);
    expect(r.score).toBe(0);
  });

  test('a file that is not a WAV fails with a diagnostic naming it', async () => {
    const check = decode({ ...RUBRIC, stems: undefined, files: [{ pattern: '*.wav', sampleRate: 48000 }] });
    const r = await runDeliverablesCheck(check, { name: 's', files: [{ path: 'PM.wav', source: new TextEncoder().encode('not a wave file at all') }] });
    expect(byId(r.items, 'PM.wav/file').verdict).toBe('fail');
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', source: 'PM.wav' });
  });

  test('whole-file loudness measured in the null-test pass equals a separate measurement', async () => {
    const files = good();
    const check = decode({ ...RUBRIC, files: [{ pattern: 'PM*.wav', loudness: { integrated: { target: -23, tolerance: 1 }, truePeakMax: -1 } }] });
    const r = await runDeliverablesCheck(check, submission(files));
    const alone = await runDeliverablesCheck(decode({ ...check, stems: undefined }), submission(files));
    expect(byId(r.items, 'PM.wav/integrated-loudness').evidence.actual).toBe(byId(alone.items, 'PM.wav/integrated-loudness').evidence.actual);
    expect(byId(r.items, 'PM.wav/true-peak').evidence.actual).toBe(byId(alone.items, 'PM.wav/true-peak').evidence.actual);
    // The pops add a little to the whole file: still −23 ± 1 (Tech 3341 case-1 tone over 5 of 12 s, gated).
    expect(byId(r.items, 'PM.wav/integrated-loudness').verdict).toBe('match');
  });

  test('through a rubric and grade(): the check is registered and scored by its weight', async () => {
    const rubric = parseRubric({ schema: 'dubstage.rubric/1', title: 'Dub', rate: '24', checks: [RUBRIC] });
    if (!rubric.ok) throw new Error(rubric.diagnostics.map((d) => d.message).join('; '));
    const files = good();
    files.set('stems/FX.wav', stem({ share: 0 }, TOTAL - 2000)); // one item of 40 fails: FX.wav's length
    const r = await grade(rubric.value, submission(files));
    expect(r.checks[0]).toMatchObject({ id: 'dub', kind: 'deliverables', weight: 30 });
    expect(r.checks[0]!.score).toBeCloseTo(39 / 40, 9);
    expect(r.score).toBeCloseTo(30 * (39 / 40), 2);
  });

  test('a file declaring 0 Hz fails its items without throwing', async () => {
    const f = file('PM.wav', stem({ share: 1 }, 48000));
    const b = f.source.slice();
    const fmtAt = new TextDecoder('latin1').decode(b.subarray(0, 2000)).indexOf('fmt ');
    new DataView(b.buffer).setUint32(fmtAt + 8 + 4, 0, true); // nSamplesPerSec (WAVE fmt offset 4)
    const check = decode({ ...RUBRIC, stems: undefined, files: [{ pattern: '*.wav', sampleRate: 48000, twoPop: true, loudness: { integrated: { target: -23, tolerance: 1 } } }] });
    const r = await runDeliverablesCheck(check, { name: 's', files: [{ path: 'PM.wav', source: b }] });
    expect(r.items.map((i) => i.verdict)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(r.score).toBe(0);
  });

  test('channel order from a 5.1 channel mask', async () => {
    const z = new Float32Array(100);
    const bytes = wav({ sampleRate: SR, bitsPerSample: 24, channelMask: 0x3f, channels: [z, z, z, z, z, z] });
    const sub: Submission = { name: 's', files: [{ path: 'PM_51.wav', source: bytes }] };
    const ok = await runDeliverablesCheck(decode({ kind: 'deliverables', weight: 1, files: [{ pattern: '*.wav', channelOrder: ['L', 'R', 'C', 'LFE', 'Ls', 'Rs'] }] }), sub);
    expect(ok.items[0]!.verdict).toBe('match');
    const film = await runDeliverablesCheck(decode({ kind: 'deliverables', weight: 1, files: [{ pattern: '*.wav', channelOrder: ['L', 'C', 'R', 'Ls', 'Rs', 'LFE'] }] }), sub);
    expect(film.items[0]!.feedback).toBe("PM_51.wav has channels L R C LFE Ls Rs (from the file's channel mask); the spec asks for L C R Ls Rs LFE.");
  });
});
