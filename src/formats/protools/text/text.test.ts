// Unit tests of the Session Info as Text layers. Expected values come from spec/protools.md
// (section named per test), the Mac OS Roman table (Apple ROMAN.TXT), or ptulsconv's tag grammar
// as the spec quotes it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createClip, createMarker, createTimeline, createTrack } from '../../../model/build.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { RationalTime } from '../../../time/rational-time.js';
import { Timecode } from '../../../time/timecode.js';
import { parseTags } from '../tags.js';
import { decodeMacRoman, decodeSessionText, encodeMacRoman } from './encoding.js';
import { parse } from './read.js';
import { formatSessionText, parseMarkerLines, readSessionText } from './syntax.js';
import { formatPosition, parseTimeValue, positionToSamples } from './time-values.js';
import { write, writeBytes } from './write.js';

const HEAD = 'SESSION NAME:\tS\nSAMPLE RATE:\t48000.000000\nBIT DEPTH:\t24-bit\nSESSION START TIMECODE:\t01:00:00:00\nTIMECODE FORMAT:\t25 Frame\n# OF AUDIO TRACKS:\t1\n# OF AUDIO CLIPS:\t1\n# OF AUDIO FILES:\t0\n\n\n';
const TRACK = 'T R A C K  L I S T I N G\nTRACK NAME:\tDX\nCOMMENTS:\tline one\nline two\nUSER DELAY:\t0 Samples\nSTATE: Muted \nPLUG-INS: \nCHANNEL \tEVENT   \tCLIP NAME                     \tSTART TIME    \tEND TIME      \tDURATION      \tSTATE\n';
const row = (ev: number, name: string, s: string, e: string, d: string, st = 'Unmuted'): string =>
  `1       \t${String(ev).padEnd(8)}\t${name.padEnd(30)}\t${s.padStart(14)}\t${e.padStart(14)}\t${d.padStart(14)}\t${st}\n`;

describe('encoding (spec §1.9)', () => {
  test('Mac OS Roman: 0xC9 is "…", 0xD1 "—", 0xD5 "’", 0xDB "€" (ROMAN.TXT)', () => {
    expect(decodeMacRoman(new Uint8Array([0x41, 0xc9, 0xd1, 0xd5, 0xdb]))).toBe('A…—’€');
  });
  test('encode then decode gives back every Mac OS Roman character', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const text = decodeMacRoman(all);
    expect(encodeMacRoman(text).bytes).toEqual(all);
  });
  test('characters outside Mac OS Roman become "?" and are listed', () => {
    expect(encodeMacRoman('a😀b')).toEqual({ bytes: new Uint8Array([0x61, 0x3f, 0x62]), unmappable: ['😀'] });
  });
  test('detection: BOM, then strict UTF-8, else Mac OS Roman', () => {
    expect(decodeSessionText(new Uint8Array([0xe2, 0x80, 0xa6])).encoding).toBe('utf-8');
    expect(decodeSessionText(new Uint8Array([0xc9, 0x41])).encoding).toBe('mac-roman');
    expect(decodeSessionText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ text: 'A', encoding: 'utf-8', bom: true });
    expect(decodeSessionText(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toEqual({ text: 'A', encoding: 'utf-16le', bom: true });
    // Selectable: the same UTF-8 bytes forced to Mac OS Roman.
    expect(decodeSessionText(new Uint8Array([0xe2, 0x80, 0xa6]), 'mac-roman').text).toBe('‚Ä¶');
  });
});

describe('time values (spec §1.8, §1.10 step 5)', () => {
  test('each format is recognised by its shape', () => {
    expect(parseTimeValue('01:00:12;18')).toMatchObject({ format: 'timecode', frames: 18, dropSeparator: true });
    expect(parseTimeValue('23:57:38:08.68')).toMatchObject({ format: 'timecode', subframes: 68 });
    expect(parseTimeValue('0:25')).toMatchObject({ format: 'min-secs', seconds: 25 });
    expect(parseTimeValue('1201200')).toEqual({ format: 'samples', samples: 1201200n });
    expect(parseTimeValue('58|4| 735')).toEqual({ format: 'bars-beats', bars: 58, beats: 4, ticks: 735 });
    expect(parseTimeValue('37+08.60')).toEqual({ format: 'feet-frames', feet: 37, frames: 8, subframes: 60 });
    expect(parseTimeValue('soon')).toBeUndefined();
  });
  test('timecode is absolute, samples relative (spec §1.8: 1201200 = 23:57:25:00 − 23:57:00:00 at 23.976)', () => {
    const rate = FrameRate.FPS_23_976;
    const clock = { sampleRate: 48000n, rate, startSamples: (23n * 3600n + 57n * 60n) * 24n * 2002n };
    expect(positionToSamples(parseTimeValue('23:57:25:00') as never, clock).samples).toBe(1201200n);
    expect(positionToSamples(parseTimeValue('1201200') as never, clock).samples).toBe(1201200n);
    // A label past midnight belongs to the next day.
    expect(positionToSamples(parseTimeValue('00:00:01:00') as never, clock).samples).toBe((3n * 60n + 1n) * 24n * 2002n);
    expect(formatPosition(1201200n, clock, { format: 'timecode', subframes: false })).toBe('23:57:25:00');
  });
  test('samples → timecode → samples keeps the frame (fast-check, 25 fps: 1920 samples a frame)', () => {
    const clock = { sampleRate: 48000n, rate: FrameRate.FPS_25, startSamples: 3600n * 25n * 1920n };
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 20n * 3600n * 48000n }), (s) => {
        const back = positionToSamples(parseTimeValue(formatPosition(s, clock, { format: 'timecode', subframes: false })) as never, clock).samples;
        expect(back).toBe((s / 1920n) * 1920n);
      }),
    );
  });
});

describe('tags (spec §1.11)', () => {
  test('$KEY=word, {KEY=text}, [FLAG], content before the first tag', () => {
    expect(parseTags('"Forget your feelings! {R=TV Cover} $QN=J1002 [TV]')).toEqual({ content: '"Forget your feelings!', fields: { R: 'TV Cover', QN: 'J1002', TV: 'TV' }, mode: 'normal' });
  });
  test('plain words after the first tag are dropped; a repeated key keeps its last value', () => {
    expect(parseTags('Line $A=1 ignored words $A=2')).toEqual({ content: 'Line', fields: { A: '2' }, mode: 'normal' });
  });
  test('clip modes @, & and ! (optionally followed by spaces)', () => {
    expect(parseTags('@ {Sc=6 Ext. Megve - Day}', true)).toEqual({ content: '', fields: { Sc: '6 Ext. Megve - Day' }, mode: 'timespan' });
    expect(parseTags('& B', true).mode).toBe('append');
    expect(parseTags('!skip', true).mode).toBe('directive');
    expect(parseTags('@ not a mode here').mode).toBe('normal');
  });
  test('a key must start with a letter: "$5" is text', () => {
    expect(parseTags('costs $5 {X=1}').fields).toEqual({ X: '1' });
    expect(parseTags('costs $5 {X=1}').content).toBe('costs $5');
  });
});

describe('document layer', () => {
  test('multi-line track comments, track state, CRLF line endings kept', () => {
    const text = (HEAD + TRACK + row(1, 'A', '01:00:00:00', '01:00:01:00', '00:00:01:00') + '\n\n').replace(/\n/g, '\r\n');
    const { document, diagnostics } = readSessionText(new TextEncoder().encode(text));
    expect(diagnostics).toEqual([]);
    expect(document.lineEnding).toBe('\r\n');
    const s = document.sections[0];
    expect(s?.kind === 'tracks' && s.tracks[0]).toMatchObject({ name: 'DX', comments: 'line one\nline two', state: ['Muted'], plugins: [] });
    const t = parse(text);
    expect(t.ok && t.value.tracks[0]?.muted).toBe(true);
    expect(t.ok && write(t.value).value).toBe(text);
  });
  test('string and bytes input read alike', () => {
    const text = HEAD + TRACK + row(1, 'A', '01:00:00:00', '01:00:01:00', '00:00:01:00');
    expect(readSessionText(text).document).toEqual(readSessionText(new TextEncoder().encode(text)).document);
  });
  test('a marker name of exactly 33 characters: the padding cue still splits name and comment (§1.7)', () => {
    const name = 'N'.repeat(33);
    const m = parseMarkerLines([`1   \t01:00:00:00  \t0                 \tSamples  \t${name}\tcomment`], 'legacy');
    expect([m.name, m.comments]).toEqual([name, 'comment']);
  });
  test('an edited row is laid out with Pro Tools padding; the rest keep their bytes', () => {
    const text = HEAD + TRACK + row(1, 'A', '01:00:00:00', '01:00:01:00', '00:00:01:00') + row(2, 'B', '01:00:02:00', '01:00:03:00', '00:00:01:00') + '\n\n';
    const { document } = readSessionText(text);
    const s = document.sections[0];
    if (s?.kind !== 'tracks') throw new Error('no tracks');
    const tr = s.tracks[0];
    if (!tr) throw new Error('no track');
    const g = tr.groups[0];
    if (!g) throw new Error('no group');
    const edited = { ...document, sections: [{ ...s, tracks: [{ ...tr, groups: [{ ...g, rows: g.rows.map((r, k) => (k === 1 && r.kind === 'event' ? { ...r, name: 'Renamed', state: 'Muted' } : r)) }] }] }] };
    expect(formatSessionText(edited)).toBe(text.replace(row(2, 'B', '01:00:02:00', '01:00:03:00', '00:00:01:00'), row(2, 'Renamed', '01:00:02:00', '01:00:03:00', '00:00:01:00', 'Muted')));
  });
});

describe('bad input never throws', () => {
  test('garbage, truncation and bad times give diagnostics with a line', () => {
    const bad = HEAD + TRACK + row(1, 'A', '99:99:99:99', '01:00:01:00', '00:00:01:00') + 'not a row\n';
    const r = parse(bad);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.at?.line])).toEqual([
      ['pt-text/bad-time', 19],
      ['pt-text/bad-event', 20],
    ]);
    for (let cut = 0; cut < bad.length; cut += 7) expect(() => parse(bad.slice(0, cut))).not.toThrow();
    expect(parse(new Uint8Array([0, 1, 2, 0xff, 10, 9, 9])).ok).toBe(true);
  });
  test('strict mode turns warnings into a failed parse', () => {
    const r = parse(HEAD.replace('25 Frame', '25 Frames'), { mode: 'strict' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'pt-text/bad-timecode-format', severity: 'error', at: { line: 5 } });
  });
  test('random text: no throw, bounded diagnostics (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('TRACK NAME:\tx', 'M A R K E R S  L I S T I N G', '1\t1\ta\t1\t2\t1\tMuted', '\t', '', 'COMMENTS:\t', 'x'), { maxLength: 60 }), (lines) => {
        const r = parse(HEAD + lines.join('\n'));
        expect(r.diagnostics.length).toBeLessThanOrEqual(1001);
      }),
    );
  });
});

describe('writer from a model timeline', () => {
  const rate = FrameRate.FPS_25;
  const t = createTimeline({
    name: 'Spot',
    sampleRate: 48000,
    frameRate: rate,
    startTimecode: Timecode.fromFrames(3600 * 25, rate),
    tracks: [
      createTrack({
        kind: 'audio',
        name: 'DX',
        clips: [createClip({ name: 'Line “one”', start: RationalTime.fromSamples(48000, 48000), duration: RationalTime.fromSamples(96000, 48000), sourceStart: RationalTime.fromSamples(10, 48000) })],
      }),
    ],
    markers: [createMarker({ name: 'Reel 1', position: RationalTime.fromSamples(0, 48000), comment: 'two\nlines' })],
  });
  test('lays the export out as Pro Tools does (spec §1.2–§1.7 widths) and reports the source offset', () => {
    const w = write(t);
    expect(w.value).toBe(
      'SESSION NAME:\tSpot\nSAMPLE RATE:\t48000.000000\nBIT DEPTH:\t24-bit\nSESSION START TIMECODE:\t01:00:00:00\nTIMECODE FORMAT:\t25 Frame\n# OF AUDIO TRACKS:\t1\n# OF AUDIO CLIPS:\t1\n# OF AUDIO FILES:\t0\n\n\n' +
        'O N L I N E  F I L E S  I N  S E S S I O N\nFilename\tLocation\n\n\nO F F L I N E  F I L E S  I N  S E S S I O N\nFilename\tLocation\n\n\n' +
        'P L U G - I N S  L I S T I N G\nMANUFACTURER            \tPLUG-IN NAME            \tVERSION         \tFORMAT          \tSTEMS                   \tNUMBER OF INSTANCES\n\n\n' +
        'T R A C K  L I S T I N G\nTRACK NAME:\tDX\nCOMMENTS:\t\nUSER DELAY:\t0 Samples\nSTATE: \nPLUG-INS: \nCHANNEL \tEVENT   \tCLIP NAME                     \tSTART TIME    \tEND TIME      \tDURATION      \tSTATE\n' +
        '1       \t1       \tLine “one”                    \t   01:00:01:00\t   01:00:03:00\t   00:00:02:00\tUnmuted\n\n\n' +
        'M A R K E R S  L I S T I N G\n#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tCOMMENTS\n' +
        '1   \t01:00:00:00  \t0                 \tSamples  \tReel 1                           \ttwo\n    \t             \t                  \t           \t                                 \tlines\n',
    );
    expect(w.diagnostics.map((d) => d.code)).toEqual(['pt-text/lossy-source-offset']);
  });
  test('Mac OS Roman by default (Pro Tools\' TextEdit option), UTF-8 on request; both read back', () => {
    const mac = writeBytes(t).value;
    expect(mac.includes(0xd2)).toBe(true); // “ is 0xD2 in Mac OS Roman
    const utf = writeBytes(t, { encoding: 'utf-8' }).value;
    for (const b of [mac, utf]) {
      const r = parse(b);
      expect(r.ok && r.value.tracks[0]?.clips[0]?.name).toBe('Line “one”');
      expect(r.ok && r.value.markers[0]?.comment).toBe('two\nlines');
    }
  });
});
