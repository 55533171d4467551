// The worked examples of spec/edl.md §11 (results confirmed there with pycmx plus hand timecode
// arithmetic), and the reader's diagnostics by code and place.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Clip, Timeline, Track } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { Timecode } from '../../time/timecode.js';
import { buildTimeline, m2SourceRange, parse, parseChannels, parseLoc, type EdlParseOptions } from './read.js';
import { readStatements } from './syntax.js';
import { corpusFiles, SHARED_DIR } from '../../../test/helpers/corpus.js';
import { write } from './write.js';

const EXAMPLE_A = `TITLE: DUB_R1_DX
FCM: NON-DROP FRAME

001  A012C003 A     C        14:22:10:05 14:22:14:17 01:00:00:00 01:00:04:12
* FROM CLIP NAME:  12A-3
* SOURCE FILE: A012C003_220314_R1AB
002  SR018    AA    C        19:11:54:10 19:11:58:18 01:00:04:12 01:00:08:20
* FROM CLIP NAME:  1-2B
003  SR018    NONE  C        19:11:54:10 19:11:58:18 01:00:04:12 01:00:08:20
AUD  3    4
* FROM CLIP NAME:  1-2B
004  BL       A     C        00:00:00:00 00:00:01:00 01:00:08:20 01:00:09:20
`;

const EXAMPLE_B = `TITLE: XFADE_TEST
FCM: NON-DROP FRAME
001  TAPE01   AA    C        10:00:00:00 10:00:10:00 01:00:00:00 01:00:10:00
* FROM CLIP NAME:  SHOT_A
002  TAPE01   AA    C        10:00:10:00 10:00:10:00 01:00:10:00 01:00:10:00
002  TAPE02   AA    D    025 20:00:05:00 20:00:15:00 01:00:10:00 01:00:20:00
EFFECTS NAME IS CROSS DISSOLVE
* FROM CLIP NAME:  SHOT_A
* TO CLIP NAME:  SHOT_B
003  TAPE02   AA    C        20:00:15:00 20:00:20:00 01:00:20:00 01:00:25:00
`;

const EXAMPLE_C = `TITLE: SPEED_TEST
FCM: NON-DROP FRAME
001  TAPE03   V     C        05:10:00:00 05:10:01:23 01:00:00:00 01:00:01:00
M2   TAPE03         048.0                05:10:00:00
* FROM CLIP NAME:  SHOT_C (48.00 FPS)
002  TAPE04   V     C        07:00:00:12 07:00:00:13 01:00:01:00 01:00:03:00
M2   TAPE04         000.0                07:00:00:12
* FROM CLIP NAME:  SHOT_D FF
* * FREEZE FRAME
003  TAPE04   AA    C        07:00:00:12 07:00:02:12 01:00:01:00 01:00:03:00
`;

// Example D as the spec prints it, with Premiere/Resolve habits: CRLF and trailing spaces.
const EXAMPLE_D = [
  'TITLE: PROMO_30_DF',
  'FCM: DROP FRAME',
  '001  AX       AA/V  C        00:59:58;00 01:00:00;00 00:59:58;00 01:00:00;00 ',
  '* FROM CLIP NAME: 2POP_LEADER.mov',
  '002  AX       AA/V  C        01:00:00;00 01:00:30;00 01:00:00;00 01:00:30;00 ',
  '* FROM CLIP NAME: PROMO_v3.mov',
  '* LOC: 01:00:10;00 YELLOW  MUSIC HIT',
  '003  BL       AA    C        00:00:00:00 00:00:02:00 01:00:30;00 01:00:32;00',
].join('\r\n') + '\r\n';

function read(text: string, rate: FrameRate): Timeline {
  const r = parse(text, { rate });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.value;
}
const trackOf = (t: Timeline, name: string): Track => t.tracks.find((x) => x.name === name) as Track;
const f = (c: { start: { toFrames(r: FrameRate, m: 'trunc'): bigint } }, rate: FrameRate): number => Number(c.start.toFrames(rate, 'trunc'));
const len = (c: Clip, rate: FrameRate): number => Number(c.duration.toFrames(rate, 'trunc'));
const label = (text: string, rate: FrameRate): number => (Timecode.parse(text, { rate }) as { value: Timecode }).value.frames;

describe('spec/edl.md §11 A: Avid dialogue EDL, 23.976 NDF', () => {
  const rate = FrameRate.FPS_23_976;
  const t = read(EXAMPLE_A, rate);
  test('tracks A1–A4: ev 1, 2, 4 on A1; ev 2 on A2; ev 3 (NONE + AUD 3 4) on A3 and A4', () => {
    expect(t.tracks.map((x) => [x.name, x.clips.map((c) => (c.metadata['edl'] as { event: string }).event)])).toEqual([
      ['A1', ['001', '002', '004']],
      ['A2', ['002']],
      ['A3', ['003']],
      ['A4', ['003']],
    ]);
  });
  test('record ranges 86400–86508, 86508–86612, 86612–86636 (labels at 24), from the start 01:00:00:00 = 86400', () => {
    expect(t.startTimecode.frames).toBe(86400);
    const a1 = trackOf(t, 'A1').clips;
    expect(a1.map((c) => [86400 + f(c, rate), 86400 + f(c, rate) + len(c, rate)])).toEqual([[86400, 86508], [86508, 86612], [86612, 86636]]);
  });
  test('ev 1: clip "12A-3", source file A012C003_220314_R1AB, source 14:22:10:05 from the reel\'s 00:00:00:00', () => {
    const c = trackOf(t, 'A1').clips[0] as Clip;
    expect(c.name).toBe('12A-3');
    expect(c.metadata['edl']).toMatchObject({ reel: 'A012C003', sourceFile: 'A012C003_220314_R1AB' });
    expect(Number(c.sourceStart.toFrames(rate, 'trunc'))).toBe(label('14:22:10:05', rate));
    expect(t.media.find((m) => m.id === c.media?.mediaId)?.name).toBe('A012C003');
  });
  test('ev 3 is SR018 "1-2B" on A3 and A4 over the same range as ev 2; ev 4 (BL) is silence without media', () => {
    const a3 = trackOf(t, 'A3').clips[0] as Clip;
    const a2 = trackOf(t, 'A2').clips[0] as Clip;
    expect(a3.name).toBe('1-2B');
    expect(a3.start.equals(a2.start) && a3.duration.equals(a2.duration)).toBe(true);
    const bl = trackOf(t, 'A1').clips[2] as Clip;
    expect(bl.media).toBeUndefined();
    expect(len(bl, rate)).toBe(24);
  });
});

describe('spec/edl.md §11 B: cross-fade, 25 NDF', () => {
  const rate = FrameRate.FPS_25;
  const t = read(EXAMPLE_B, rate);
  test('A1 and A2 each: SHOT_A 0–250, SHOT_B 250–500, event 3 500–625; a 25-frame cross-fade at 250', () => {
    for (const name of ['A1', 'A2']) {
      const tr = trackOf(t, name);
      expect(tr.clips.map((c) => [c.name, f(c, rate), len(c, rate)])).toEqual([['SHOT_A', 0, 250], ['SHOT_B', 250, 250], ['TAPE02', 500, 125]]);
      expect(tr.transitions).toHaveLength(1);
      const x = tr.transitions[0] as Track['transitions'][number];
      expect(x.kind).toBe('crossfade');
      expect([f(x, rate), Number(x.duration.toFrames(rate, 'trunc'))]).toEqual([250, 25]);
      // The outgoing side continues from TAPE01 10:00:10:00 (its zero-length line) during the fade.
      expect(x.metadata['edl']).toMatchObject({ effect: 'CROSS DISSOLVE', from: { reel: 'TAPE01', sourceOut: label('10:00:10:00', rate), clipName: 'SHOT_A' }, toClipName: 'SHOT_B' });
    }
  });
  test('SHOT_B plays TAPE02 from 20:00:05:00', () => {
    const b = trackOf(t, 'A1').clips[1] as Clip;
    expect(Number(b.sourceStart.toFrames(rate, 'trunc'))).toBe(label('20:00:05:00', rate));
  });
});

describe('spec/edl.md §11 C: speed change and freeze, 24 NDF', () => {
  const rate = FrameRate.FPS_24;
  const r = parse(EXAMPLE_C, { rate });
  const t = read(EXAMPLE_C, rate);
  test('ev 1: ratio 2, 24 record frames, 47 source frames (Avid: floor(23 × 2) + 1)', () => {
    const c = trackOf(t, 'V').clips[0] as Clip;
    expect(c.speed?.equals(Rational.of(2))).toBe(true);
    expect(len(c, rate)).toBe(24);
    const m2 = (c.metadata['edl'] as { m2: { impliedSourceIn: number; impliedSourceOut: number } }).m2;
    expect(m2.impliedSourceOut - m2.impliedSourceIn).toBe(47);
    expect(m2.impliedSourceIn).toBe(label('05:10:00:00', rate));
  });
  test('ev 2: a freeze of 07:00:00:12 held 48 frames', () => {
    const c = trackOf(t, 'V').clips[1] as Clip;
    expect(c.speed?.isZero()).toBe(true);
    expect(len(c, rate)).toBe(48);
    expect(c.metadata['edl']).toMatchObject({ freeze: true, m2: { impliedSourceIn: label('07:00:00:12', rate), impliedSourceOut: label('07:00:00:12', rate) + 1 } });
  });
  test('ev 3: A1 + A2 at normal speed; no duration diagnostics anywhere', () => {
    expect(trackOf(t, 'A1').clips.map((c) => [f(c, rate), len(c, rate), c.speed])).toEqual([[24, 48, undefined]]);
    expect(trackOf(t, 'A2').clips).toHaveLength(1);
    expect(r.diagnostics.filter((d) => d.code.startsWith('edl/duration'))).toEqual([]);
  });
});

describe('spec/edl.md §11 D: drop-frame list, CRLF, trailing spaces, 29.97 DF', () => {
  const rate = FrameRate.FPS_29_97_DF;
  // Read at 29.97 without a drop flag: FCM: DROP FRAME decides.
  const t = read(EXAMPLE_D, FrameRate.FPS_29_97_NDF);
  test('the list is drop-frame by its FCM', () => {
    expect(t.frameRate.equals(rate)).toBe(true);
  });
  test('ev 1 on V, A1, A2 at frames 107832–107892; ev 2 107892–108792; ev 3 silence 60 frames', () => {
    expect(t.startTimecode.frames).toBe(107832);
    for (const name of ['V', 'A1', 'A2']) {
      const [c1, c2] = trackOf(t, name).clips as [Clip, Clip];
      expect([107832 + f(c1, rate), len(c1, rate)]).toEqual([107832, 60]);
      expect([107832 + f(c2, rate), len(c2, rate)]).toEqual([107892, 900]);
    }
    const bl = trackOf(t, 'A1').clips[2] as Clip;
    expect([bl.media, len(bl, rate)]).toEqual([undefined, 60]);
  });
  test('the locator "MUSIC HIT", yellow, at frame 108192; AX media told apart by clip name', () => {
    expect(t.markers).toHaveLength(1);
    const m = t.markers[0] as Timeline['markers'][number];
    expect([m.name, m.colour, 107832 + Number(m.position.toFrames(rate, 'trunc'))]).toEqual(['MUSIC HIT', 'YELLOW', 108192]);
    expect(t.media.map((x) => x.id)).toEqual(['AX/2POP_LEADER.mov', 'AX/PROMO_v3.mov']);
  });
});

describe('channel fields (spec/edl.md §4)', () => {
  test.each([
    ['V', true, []], ['A', false, [1]], ['A1', false, [1]], ['A2', false, [2]], ['AA', false, [1, 2]], ['B', true, [1]],
    ['A/V', true, [1]], ['A2/V', true, [2]], ['AA/V', true, [1, 2]], ['NONE', false, []], ['A7', false, [7]], ['A12', false, [12]],
  ])('%s', (field, video, audio) => {
    expect(parseChannels(field)).toEqual({ video, audio });
  });
  test('anything else is not a channel field', () => {
    expect(parseChannels('X')).toBeUndefined();
    expect(parseChannels('A0')).toBeUndefined();
  });
});

describe('notes and M2', () => {
  test('LOC with a colour and several spaces, without text, and Resolve-style colour words', () => {
    expect(parseLoc('01:00:01:14 RED     ANIM FIX NEEDED')).toEqual({ timecode: '01:00:01:14', colour: 'RED', text: 'ANIM FIX NEEDED' });
    expect(parseLoc('01:00:15:13 GREEN')).toEqual({ timecode: '01:00:15:13', colour: 'GREEN', text: '' });
    expect(parseLoc('02:13:08:12 Green   Sc 117 INTERCUT')).toEqual({ timecode: '02:13:08:12', colour: 'Green', text: 'Sc 117 INTERCUT' });
  });
  test('reverse M2 plays backwards from its entry frame (spec/edl.md §7)', () => {
    // -25 fps at 25: ratio -1, 10 record frames play entry, entry-1, … entry-9.
    expect(m2SourceRange(1000, Rational.of(-1), 10)).toEqual({ start: 991, end: 1001 });
    expect(m2SourceRange(1000, Rational.ZERO, 10)).toEqual({ start: 1000, end: 1001 });
  });
  test('Resolve marker lines become markers, not clips', () => {
    const text = 'TITLE: Timeline 1\nFCM: NON-DROP FRAME\n\n001  001      V     C        01:00:05:00 01:00:05:01 01:00:05:00 01:00:05:01  \nSpotting note |C:ResolveColorBlue |M:Door slam |D:12\n';
    const t = read(text, FrameRate.FPS_24);
    expect(t.tracks).toEqual([]);
    expect(t.markers).toHaveLength(1);
    expect(t.markers[0]).toMatchObject({ name: 'Door slam', colour: 'Blue', comment: 'Spotting note' });
    expect(Number(t.markers[0]?.duration?.toFrames(FrameRate.FPS_24, 'trunc'))).toBe(12);
  });
  test('Premiere AUDIO LEVEL notes set the gain of the channel they name', () => {
    const text = 'TITLE: t\n001  AX       AA    C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n* FROM CLIP NAME: a.wav\n* AUDIO LEVEL AT 00:00:00:00 IS -6.00 DB  (REEL AX A2)\n';
    const t = read(text, FrameRate.FPS_25);
    expect(trackOf(t, 'A1').clips[0]?.gainDb).toBeUndefined();
    expect(trackOf(t, 'A2').clips[0]?.gainDb).toBe(-6);
  });
});

describe('diagnostics with line and column; the parse goes on', () => {
  const text = [
    'TITLE: BAD',
    'FCM: NON-DROP FRAME',
    '001  TAPE01   V     C        01:00:00:00 01:00:01:00 01:00:00:00 01:00:01:00',
    '002  TAPE01   V     C        01:00:01:00 01:00:02:24 01:00:01:00 01:00:02:00', // :24 at 24 fps
    '003  TAPE01   Q     C        01:00:02:00 01:00:03:00 01:00:02:00 01:00:03:00', // channel Q
    '004  TAPE01   V     X        01:00:03:00 01:00:04:00 01:00:03:00 01:00:04:00', // edit type X
    '005  TAPE01   V     C        01:00:04:00 01:00:05:00 01:00:05:00 01:00:04:00', // record out < in
    '006  TAPE01   V     C        01:00:05:00 01:00:06:00 01:00:05:00 01:00:06:00',
  ].join('\n');
  test('tolerant: warnings at the field, the good events are read', () => {
    const r = parse(text, { rate: FrameRate.FPS_24 });
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.at?.line, d.at?.column])).toEqual([
      ['warning', 'edl/bad-event', 6, 1],
      ['warning', 'edl/bad-timecode', 4, 51],
      ['warning', 'edl/bad-channels', 5, 15],
      ['warning', 'edl/negative-duration', 7, 66],
    ]);
    if (r.ok) expect(trackOf(r.value, 'V').clips.map((c) => (c.metadata['edl'] as { event: string }).event)).toEqual(['001', '006']);
  });
  test('strict: the same problems are errors and the parse fails', () => {
    const r = parse(text, { rate: FrameRate.FPS_24, mode: 'strict' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(r.diagnostics[0]).toMatchObject({ code: 'edl/bad-event', at: { line: 6, column: 1 } });
  });
  test('bytes in, Latin-1 notes decoded one character per byte', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('TITLE: x\n001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n* FROM CLIP NAME: caf'), 0xe9, 10]);
    const r = parse(bytes, { rate: FrameRate.FPS_25 });
    expect(r.ok && trackOf(r.value, 'V').clips[0]?.name).toBe('café');
  });
  test('a drop-frame label that does not exist: tolerant reads the next label with a warning, strict rejects it', () => {
    const df = 'TITLE: x\nFCM: DROP FRAME\n001  AX       V     C        00:01:00;00 00:01:01;00 01:00:00;00 01:00:01;00\n';
    const r = parse(df, { rate: FrameRate.FPS_29_97_DF });
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'edl/dropped-label', at: { line: 3, column: 39 } });
    // 00:01:00;02 is the first label of minute 1 at 29.97 DF (timecode digest §3): frame 1800.
    expect(r.ok && Number(trackOf(r.value, 'V').clips[0]?.sourceStart.toFrames(FrameRate.FPS_29_97_DF, 'trunc'))).toBe(1800);
    expect(parse(df, { rate: FrameRate.FPS_29_97_DF, mode: 'strict' }).ok).toBe(false);
  });
  test('empty and garbage input never throw', () => {
    expect(parse('', { rate: FrameRate.FPS_24 }).ok).toBe(true);
    const r = parse('\u0000\u0001 garbage\n123 not an event\n', { rate: FrameRate.FPS_24 });
    expect(r.ok).toBe(true);
    expect(r.diagnostics[0]).toMatchObject({ code: 'edl/bad-event', at: { line: 2, column: 1 } });
  });
});

describe('property: any input', () => {
  // Lines built from EDL-ish tokens, so the fuzzing reaches the event, M2, AUD and note paths.
  const token = fc.constantFrom('001', '002', '000123', 'AX', 'BL', 'TAPE01', 'V', 'A', 'AA/V', 'NONE', 'A7', 'C', 'D', 'W001', 'K', '025',
    '01:00:00:00', '00:59:59;29', '00:01:00;00', '99:99:99:99', 'M2', '-025.0', '000.0', 'AUD', '3', '4', '*', 'FROM CLIP NAME:', 'LOC:', 'RED',
    'FCM:', 'DROP FRAME', 'NON-DROP FRAME', 'TITLE:', '|C:ResolveColorRed', '|M:x', '|D:5', '>>>', 'SPLIT:', 'AUDIO DELAY=', 'EFFECTS NAME IS', '\t', '');
  const line = fc.array(token, { maxLength: 12 }).map((t) => t.join(' '));
  test('never throws, every diagnostic has a line and column', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(FrameRate.FPS_24, FrameRate.FPS_29_97_DF, FrameRate.FPS_25), fc.boolean(), (lines, eol, rate, strict) => {
      const r = parse(lines.join(eol), { rate, mode: strict ? 'strict' : 'tolerant' });
      for (const d of r.diagnostics) {
        expect(d.at?.line).toBeGreaterThan(0);
        expect(d.at?.column).toBeGreaterThan(0);
      }
    }), { numRuns: 300 });
  });
  test('random bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      parse(bytes, { rate: FrameRate.FPS_24 });
    }), { numRuns: 200 });
  });
});

describe('key events (spec/edl.md §5)', () => {
  // Two-line form as §5 describes for every transition type: line 1 the zero-length outgoing
  // side, line 2 the keyed source with its edit type and duration.
  const text = [
    'TITLE: KEY_TEST',
    'FCM: NON-DROP FRAME',
    '001  TAPE01   V     C        10:00:00:00 10:00:05:00 01:00:00:00 01:00:05:00',
    '002  TAPE01   V     C        10:00:05:00 10:00:05:00 01:00:05:00 01:00:05:00',
    '002  GFX01    V     K    000 00:00:10:00 00:00:12:00 01:00:05:00 01:00:07:00',
    '003  GFX02    V     KB       00:00:20:00 00:00:21:00 01:00:07:00 01:00:08:00',
    '004  GFX03    V     KO       00:00:30:00 00:00:31:00 01:00:08:00 01:00:09:00',
    '',
  ].join('\n');

  test('K, KB and KO are edit types; a two-line K event is a transition of kind other that writes back as K', () => {
    const doc = readStatements(text);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.statements.filter((s) => s.kind === 'event').map((s) => (s as { editType: string }).editType)).toEqual(['C', 'C', 'K', 'KB', 'KO']);
    const r = parse(text, { rate: FrameRate.FPS_24 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value.tracks[0] as Track;
    expect(v.clips.map((c) => c.name)).toEqual(['TAPE01', 'GFX01', 'GFX02', 'GFX03']);
    expect(v.transitions.map((t) => [t.kind, (t.metadata['edl'] as { editType: string }).editType, Number(t.start.toFrames(FrameRate.FPS_24, 'trunc'))])).toEqual([['other', 'K', 120]]);
    const back = write(r.value, { rate: FrameRate.FPS_24 }).value;
    expect(back).toContain('002  GFX01    V     K    000 00:00:10:00 00:00:12:00 01:00:05:00 01:00:07:00');
  });
});

/** The straightforward two-pass reading `parse` must equal: all statements, then the timeline. */
const twoPass = (input: string | Uint8Array, options: EdlParseOptions) =>
  buildTimeline(readStatements(input, { ...(options.source !== undefined ? { source: options.source } : {}), severity: 'warning' }), options);

describe('parse builds each event as it reads: the same result as the two-pass buildTimeline', () => {
  // `parse` streams statements through the grouper and builds each event at once; the two-pass
  // path (`buildTimeline(readStatements(…))`) is the straightforward reading it must equal, value
  // and diagnostics (their order too), on any list.
  const tc = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 29 }), fc.constantFrom(':', ';'))
    .map(([h, m, s, f, sep]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${sep}${String(f).padStart(2, '0')}`);
  const reel = fc.constantFrom('AX', 'BL', 'TAPE01', 'TAPE02', 'A/B', 'A', 'SR01');
  const event = fc.tuple(fc.constantFrom('001', '002', '003', '002'), reel, fc.constantFrom('V', 'A', 'A2', 'AA', 'AA/V', 'B', 'NONE', 'A7', 'X'), fc.constantFrom('C', 'C', 'D 030', 'W001 010', 'K', '015'), tc, tc, tc, tc)
    .map(([n, r, ch, et, a, b, c, d]) => `${n}  ${r.padEnd(8)} ${ch.padEnd(5)} ${et.padEnd(8)} ${a} ${b} ${c} ${d}`);
  const note = fc.tuple(fc.constantFrom('* FROM CLIP NAME: ', '* TO CLIP NAME: ', '* SOURCE FILE: ', '* LOC: 01:00:00:10 RED ', '* ', 'FROM CLIP NAME: ', '* AUDIO LEVEL AT 01:00:00:00 IS -3.00 DB (REEL AX A1)', '* PATCH TAPE01:  FROM SOURCE 1 TO RECORD 2', 'x |C:ResolveColorRed |M:m |D:5'), fc.constantFrom('a', 'b.wav', 'A/B', 'CLIP 1'))
    .map(([k, v]) => k + v);
  const other = fc.constantFrom('TITLE: T', 'FCM: DROP FRAME', 'FCM: NON-DROP FRAME', 'FCM: HALF', 'M2   TAPE01       048.0                01:00:00:00', 'M2   AX       -025.0  00:00:01:00', 'M2 X 1',
    'AUD  3    4', 'AUD', 'SPLIT:    AUDIO DELAY=  00:00:00:12', 'EFFECTS NAME IS CROSS DISSOLVE', '>>> SOURCE AX', '', '   ', 'GPI 1', '123 not an event', '* * FREEZE FRAME');
  const list = fc.array(fc.oneof({ weight: 4, arbitrary: event }, { weight: 3, arbitrary: note }, { weight: 2, arbitrary: other }), { maxLength: 40 });
  const rate = fc.constantFrom(FrameRate.FPS_24, FrameRate.FPS_29_97_DF, FrameRate.FPS_29_97_NDF, FrameRate.FPS_25);

  test('random lists, tolerant and strict, with and without a start timecode, as text and bytes', () => {
    fc.assert(fc.property(list, fc.constantFrom('\n', '\r\n'), rate, fc.boolean(), fc.boolean(), (lines, eol, r, strict, withStart) => {
      const text = lines.join(eol);
      const options: EdlParseOptions = {
        rate: r,
        mode: strict ? 'strict' : 'tolerant',
        source: 'x.edl',
        ...(withStart ? { startTimecode: Timecode.fromFrames(1000, r) } : {}),
      };
      const expected = twoPass(text, options);
      expect(parse(text, options)).toEqual(expected);
      expect(parse(new TextEncoder().encode(text), options)).toEqual(expected);
    }), { numRuns: 400 });
  });

  test('a list whose first event is not the earliest is read again in two passes, with the same result', () => {
    const text = [
      '001  TAPE01   V     C        10:00:00:00 10:00:01:00 01:00:10:00 01:00:11:00',
      '002  TAPE02   V     C        10:00:00:00 10:00:01:00 01:00:00:00 01:00:01:00',
      '* LOC: 01:00:00:12 RED EARLY',
      '',
    ].join('\n');
    const r = parse(text, { rate: FrameRate.FPS_24 });
    expect(r).toEqual(twoPass(text, { rate: FrameRate.FPS_24 }));
    // The start is the earliest record-in, 01:00:00:00; event 001 sits 10 s (240 frames at 24) later.
    expect(r.ok && r.value.startTimecode.toString()).toBe('01:00:00:00');
    expect(r.ok && Number((trackOf(r.value, 'V').clips[1] as Clip).start.toFrames(FrameRate.FPS_24, 'trunc'))).toBe(240);
  });
});

describe('parse equals the two-pass reader on real lists', () => {
  const files = corpusFiles('edl');
  test.skipIf(files.length === 0)('every file of ../shared/corpus/edl at 24, 25 and 29.97, tolerant and strict', () => {
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      for (const rate of [FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_NDF]) {
        for (const mode of ['tolerant', 'strict'] as const) expect(parse(bytes, { rate, mode }), file).toEqual(twoPass(bytes, { rate, mode }));
      }
    }
  });
  // The benchmark's generator (../shared/workloads/edl.js): cuts, dissolves, wipes, M2, AUD,
  // clip names, source files, locators and comments in record order, DF and NDF, LF and CRLF.
  const generator = join(SHARED_DIR, 'workloads', 'edl.js');
  test.skipIf(!existsSync(generator))('3,000-event lists of the benchmark generator, seeds 1–3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dubstage-edl-'));
    try {
      for (const [seed, fcm, crlf] of [[1, 'df', false], [2, 'ndf', true], [3, 'df', true]] as const) {
        const out = join(dir, `${seed}.edl`);
        execFileSync(process.execPath, [generator, '--events', '3000', '--seed', String(seed), '--fcm', fcm, '--out', out, ...(crlf ? ['--crlf'] : [])]);
        const bytes = new Uint8Array(readFileSync(out));
        const rate = FrameRate.FPS_29_97_DF;
        const r = parse(bytes, { rate });
        expect(r).toEqual(twoPass(bytes, { rate }));
        expect(r.ok && r.value.tracks.reduce((n, t) => n + t.clips.length, 0)).toBeGreaterThan(3000);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
