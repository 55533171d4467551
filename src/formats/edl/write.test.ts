// Writer tests: the statement layer gives the input back byte for byte; timelines written as
// CMX 3600 lists match the column layout of spec/edl.md §2 and §11 (the example lines there
// are canonical CMX 3600); a fast-check property writes random timelines and reads them back.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { corpusFiles, SHARED_DIR } from '../../../test/helpers/corpus.js';
import type { Clip, Marker, MediaSource, Timeline, Track, Transition } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { formatFrames, Timecode } from '../../time/timecode.js';
import { parse } from './read.js';
import { readStatements, writeStatements } from './syntax.js';
import { AsciiSink, type EdlSink } from './text-sink.js';
import { type EdlWriteOptions, write, writeInto, writeLists } from './write.js';

describe('statements: string → statements → string', () => {
  test.each([
    ['LF', 'TITLE: a\nFCM: NON-DROP FRAME\n001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n'],
    ['CRLF with trailing spaces', 'TITLE: a \r\n\r\n001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00 \r\n* x \r\n'],
    ['lone CR (classic Mac)', 'TITLE: a\r001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\r'],
    ['BOM, no final line end', '\ufeffTITLE: a\nGPI 1\n>>> SOURCE X\n\t* tabbed note'],
    ['mixed endings', 'TITLE: a\r\nFCM: DROP FRAME\n\r\nM2   X  025.0   00:00:00:00\r'],
    ['empty', ''],
  ])('%s', (_name, text) => {
    expect(writeStatements(readStatements(text))).toBe(text);
  });

  test('kinds and line numbers', () => {
    const doc = readStatements('\ufeffTITLE:   T \r\nFCM: NON DROP FRAME\r\n001  R        AA    C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\r\nAUD  3    4\r\nM2   R       -025.0                00:00:00:00\r\nSPLIT:    AUDIO DELAY=  00:00:00:12\r\nEFFECTS NAME IS CROSS DISSOLVE\r\n*FROM CLIP NAME:  x\r\nFROM CLIP NAME: y\r\nREM z\r\n');
    expect(doc.bom).toBe(true);
    expect(doc.statements.map((s) => [s.kind, s.line])).toEqual([
      ['title', 1], ['fcm', 2], ['event', 3], ['aud', 4], ['m2', 5], ['split', 6], ['effect', 7], ['note', 8], ['note', 9], ['unknown', 10],
    ]);
    expect(doc.statements[1]).toMatchObject({ dropFrame: false });
    expect(doc.statements[3]).toMatchObject({ channels: [3, 4] });
    expect(doc.statements[4]).toMatchObject({ reel: 'R', speed: '-025.0', entry: '00:00:00:00' });
    expect(doc.statements[7]).toMatchObject({ starred: true, key: 'FROM CLIP NAME', value: 'x' });
    expect(doc.statements[8]).toMatchObject({ starred: false, key: 'FROM CLIP NAME', value: 'y' });
  });

  test('event fields by tokens: long reels with blanks, 6-digit numbers, tabs, OTIO\'s D 025 spacing', () => {
    const doc = readStatements([
      '000003  BOONE SMITH ON CAMERA           V     C        01:01:43:05 01:01:57:00 01:00:07:26 01:00:21:21 ',
      '002\tTAPE\tAA\tD\t025\t20:00:05:00\t20:00:15:00\t01:00:10:00\t01:00:20:00',
      '002  TST V     D 025    01:00:08:08 01:00:08:18 01:00:00:09 01:00:00:19',
    ].join('\n'));
    expect(doc.statements[0]).toMatchObject({ number: '000003', reel: 'BOONE SMITH ON CAMERA', channels: 'V', editType: 'C', transition: undefined });
    expect(doc.statements[1]).toMatchObject({ number: '002', reel: 'TAPE', channels: 'AA', editType: 'D', transition: '025', recordOut: '01:00:20:00' });
    expect(doc.statements[2]).toMatchObject({ reel: 'TST', editType: 'D', transition: '025', sourceIn: '01:00:08:08' });
  });
});

describe('timeline → CMX 3600 text', () => {
  const rate = FrameRate.FPS_25;
  const at = (frames: number): RationalTime => RationalTime.fromFrames(frames, rate);
  const tc = (text: string): number => (Timecode.parse(text, { rate }) as { value: Timecode }).value.frames;

  test('spec/edl.md §11 B event lines come out column for column (Avid flavour)', () => {
    const src = [
      'TITLE: XFADE_TEST',
      'FCM: NON-DROP FRAME',
      '001  TAPE01   AA    C        10:00:00:00 10:00:10:00 01:00:00:00 01:00:10:00',
      '* FROM CLIP NAME:  SHOT_A',
      '002  TAPE01   AA    C        10:00:10:00 10:00:10:00 01:00:10:00 01:00:10:00',
      '002  TAPE02   AA    D    025 20:00:05:00 20:00:15:00 01:00:10:00 01:00:20:00',
      'EFFECTS NAME IS CROSS DISSOLVE',
      '* FROM CLIP NAME:  SHOT_A',
      '* TO CLIP NAME:  SHOT_B',
      '003  TAPE02   AA    C        20:00:15:00 20:00:20:00 01:00:20:00 01:00:25:00',
    ];
    const r = parse(src.join('\n') + '\n', { rate });
    if (!r.ok) throw new Error('parse');
    const out = write(r.value, { flavour: 'avid', eol: '\n' }).value.split('\n');
    expect(out.slice(1, 10)).toEqual(src.slice(1, 10));
    // Event 3 has no clip name in the list: the reel stands in for it.
    expect(out[10]).toBe('* FROM CLIP NAME:  TAPE02');
  });

  test('spec/edl.md §11 C: M2 lines in the canonical layout', () => {
    const src = 'TITLE: SPEED_TEST\nFCM: NON-DROP FRAME\n001  TAPE03   V     C        05:10:00:00 05:10:01:23 01:00:00:00 01:00:01:00\nM2   TAPE03         048.0                05:10:00:00\n* FROM CLIP NAME: SHOT_C (48.00 FPS)\n';
    const r = parse(src, { rate: FrameRate.FPS_24 });
    if (!r.ok) throw new Error('parse');
    expect(write(r.value).value).toBe(src);
  });

  function timeline(tracks: Track[], markers: Marker[] = [], media: MediaSource[] = []): Timeline {
    return {
      name: 'T', sampleRate: 48000, frameRate: rate, startTimecode: Timecode.fromFrames(tc('01:00:00:00'), rate),
      tracks, markers, media, metadata: {},
    };
  }
  const clip = (name: string, mediaId: string | undefined, start: number, duration: number, source: number, extra: Partial<Clip> = {}): Clip => ({
    name, start: at(start), duration: at(duration), sourceStart: at(source), ...(mediaId ? { media: { mediaId } } : {}), metadata: {}, ...extra,
  });
  const reel = (id: string): MediaSource => ({ id, name: id, kind: 'reel', metadata: {} });

  test('video + 6 audio tracks: V/A1/A2 share one line, A3/A4 an AUD line, A5 and A6 lines of their own', () => {
    const c = (): Clip => clip('shot', 'R1', 0, 50, tc('10:00:00:00'));
    const tracks: Track[] = [
      { kind: 'video', name: 'V1', channels: 0, clips: [c()], transitions: [], metadata: {} },
      ...[1, 2, 3, 4, 5, 6].map((n): Track => ({ kind: 'audio', name: `A${n}`, channels: 1, clips: [c()], transitions: [], metadata: {} })),
    ];
    const w = write(timeline(tracks, [], [reel('R1')]));
    expect(w.value.split('\n')).toEqual([
      'TITLE: T',
      'FCM: NON-DROP FRAME',
      '001  R1       AA/V  C        10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00',
      'AUD  3    4',
      '* FROM CLIP NAME: shot',
      '002  R1       A5    C        10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00',
      '* FROM CLIP NAME: shot',
      '003  R1       A6    C        10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00',
      '* FROM CLIP NAME: shot',
      '',
    ]);
    expect(w.diagnostics.map((d) => d.code)).toContain('edl/channel-beyond-cmx');
    const back = parse(w.value, { rate });
    expect(back.ok && back.value.tracks.map((t) => t.name)).toEqual(['V', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
  });

  test('dissolves, fades from BL, markers as LOC, long reels truncated and reported', () => {
    const dissolve: Transition = { kind: 'dissolve', start: at(50), duration: at(10), metadata: {} };
    const fadeIn: Transition = { kind: 'dissolve', start: at(0), duration: at(5), metadata: {} };
    const v: Track = {
      kind: 'video', name: 'V1', channels: 0, transitions: [fadeIn, dissolve], metadata: {},
      clips: [clip('one', 'A001C003_220314_R1AB', 0, 50, 1000), clip('two', 'B', 50, 25, 2000)],
    };
    const marker: Marker = { name: 'HIT', position: at(60), colour: 'yellow', metadata: {} };
    const w = write(timeline([v], [marker], [reel('A001C003_220314_R1AB'), reel('B')]));
    expect(w.value.split('\n').slice(2)).toEqual([
      '001  BL       V     C        00:00:00:00 00:00:00:00 01:00:00:00 01:00:00:00',
      '001  A001C003 V     D    005 00:00:40:00 00:00:42:00 01:00:00:00 01:00:02:00',
      '* TO CLIP NAME: one',
      '002  A001C003 V     C        00:00:42:00 00:00:42:00 01:00:02:00 01:00:02:00',
      '002  B        V     D    010 00:01:20:00 00:01:21:00 01:00:02:00 01:00:03:00',
      '* TO CLIP NAME: two',
      '* LOC: 01:00:02:10 YELLOW  HIT',
      '',
    ]);
    expect(w.diagnostics.map((d) => d.code)).toContain('edl/reel-truncated');
  });

  test('what a list cannot hold is reported: fades, gain (outside Premiere), marker durations, extra video tracks', () => {
    const v1: Track = { kind: 'video', name: 'V1', channels: 0, transitions: [], metadata: {}, clips: [clip('a', 'R', 0, 10, 0, { fadeIn: { duration: at(2), shape: 'linear' } })] };
    const v2: Track = { kind: 'video', name: 'V2', channels: 0, transitions: [], metadata: {}, clips: [clip('b', 'R', 0, 10, 0)] };
    const a1: Track = { kind: 'audio', name: 'A1', channels: 1, transitions: [], metadata: {}, clips: [clip('c', 'R', 0, 10, 0, { gainDb: -6 })] };
    const t = timeline([v1, v2, a1], [{ name: 'm', position: at(1), duration: at(3), metadata: {} }], [reel('R')]);
    const codes = write(t).diagnostics.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining(['edl/one-video-track', 'edl/not-written']));
    const lists = writeLists(t);
    expect(lists).toHaveLength(2);
    expect(lists[1]?.value).toContain('001  R        V     C');
    expect(lists[1]?.value).not.toContain(' A  ');
    const premiere = write(t, { flavour: 'premiere' });
    expect(premiere.value).toContain('* AUDIO LEVEL AT 00:00:00:00 IS -6.00 DB  (REEL AX A1)');
    expect(premiere.value.includes('\r\n')).toBe(true);
  });
});

describe('property: random timelines → EDL → timeline', () => {
  const RATES = [FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_23_976, FrameRate.FPS_29_97_DF, FrameRate.FPS_29_97_NDF, FrameRate.FPS_59_94_DF];
  const REELS = ['TAPE01', 'A001C003', 'SR018', 'X9', undefined];
  const NAME = fc.stringMatching(/^[A-Za-z0-9_.][A-Za-z0-9_. ()-]{0,18}[A-Za-z0-9_.)]$/);
  const SPEEDS = [undefined, Rational.of(2), Rational.of(1, 2), Rational.ZERO, Rational.of(-1)];

  const clipSpec = fc.record({
    gap: fc.oneof(fc.constant(0), fc.nat({ max: 40 })),
    duration: fc.integer({ min: 1, max: 300 }),
    reel: fc.constantFrom(...REELS),
    name: NAME,
    source: fc.integer({ min: 0, max: 20 * 3600 * 24 }),
    speed: fc.constantFrom(...SPEEDS),
    dissolve: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  });
  const trackSpec = fc.array(clipSpec, { minLength: 0, maxLength: 8 });

  test('names, positions, sources, speeds, reels, transitions and markers survive', () => {
    fc.assert(fc.property(
      fc.constantFrom(...RATES), fc.integer({ min: 0, max: 20 * 3600 * 24 }), trackSpec, fc.array(trackSpec, { maxLength: 6 }),
      fc.array(fc.record({ at: fc.nat({ max: 3000 }), name: fc.stringMatching(/^M[A-Z0-9 ]{0,10}[A-Z0-9]$/), colour: fc.constantFrom('RED', 'GREEN', 'BLUE') }), { maxLength: 4 }),
      (rate, startLabel, video, audio, markerSpecs) => {
        const media = new Map<string, MediaSource>();
        const build = (specs: typeof video, kind: 'video' | 'audio', name: string): Track => {
          let pos = 0;
          const clips: Clip[] = [];
          const transitions: Transition[] = [];
          for (const s of specs) {
            const start = pos + s.gap;
            if (s.reel && !media.has(s.reel)) media.set(s.reel, { id: s.reel, name: s.reel, kind: 'reel', metadata: {} });
            const speed = kind === 'video' ? s.speed : undefined;
            clips.push({
              name: s.name, start: RationalTime.fromFrames(start, rate), duration: RationalTime.fromFrames(s.duration, rate),
              sourceStart: RationalTime.fromFrames(s.source, rate), ...(s.reel ? { media: { mediaId: s.reel } } : {}), ...(speed ? { speed } : {}), metadata: {},
            });
            if (s.dissolve !== undefined && s.gap === 0 && clips.length > 1) {
              transitions.push({ kind: kind === 'video' ? 'dissolve' : 'crossfade', start: RationalTime.fromFrames(start, rate), duration: RationalTime.fromFrames(s.dissolve, rate), ...(kind === 'audio' ? { shape: 'linear' as const } : {}), metadata: {} });
            }
            pos = start + s.duration;
          }
          return { kind, name, channels: kind === 'video' ? 0 : 1, clips, transitions, metadata: {} };
        };
        const tracks = [build(video, 'video', 'V'), ...audio.map((a, i) => build(a, 'audio', `A${i + 1}`))].filter((t) => t.clips.length > 0);
        const hasClips = tracks.length > 0;
        const markers: Marker[] = hasClips ? markerSpecs.map((m) => ({ name: m.name, position: RationalTime.fromFrames(m.at, rate), colour: m.colour, metadata: {} })) : [];
        const first = Math.min(...tracks.map((t) => Number((t.clips[0] as Clip).start.toFrames(rate, 'trunc'))));
        const start = Timecode.fromFrames(startLabel % (rate.framesPerDay - 200000), rate);
        const t: Timeline = { name: 'P', sampleRate: 48000, frameRate: rate, startTimecode: start, tracks, markers, media: [...media.values()], metadata: {} };
        const written = write(t);
        const back = parse(written.value, { rate, startTimecode: start });
        expect(back.ok).toBe(true);
        if (!back.ok) return;
        const view = (x: Timeline) => ({
          tracks: x.tracks.filter((tr) => tr.clips.length > 0).map((tr) => ({
            kind: tr.kind,
            clips: tr.clips.map((c) => [c.name, c.start.toString(), c.duration.toString(), c.sourceStart.toString(), c.speed?.toString(), c.media ? x.media.find((m) => m.id === c.media?.mediaId)?.name : 'BL']),
            transitions: tr.transitions.map((z) => [z.kind, z.start.toString(), z.duration.toString()]),
          })),
          markers: x.markers.map((m) => [m.name, m.position.toString(), m.colour]).sort(),
        });
        expect(view(back.value)).toEqual(view(t));
        expect(first).toBeGreaterThanOrEqual(0);
      },
    ), { numRuns: 150 });
  });
});

describe('Resolve marker lists', () => {
  test('markers → Resolve marker EDL (spec/edl.md §6) → markers', async () => {
    const { writeMarkerList } = await import('./write.js');
    const rate = FrameRate.FPS_24;
    const t: Timeline = {
      name: 'Spot', sampleRate: 48000, frameRate: rate, startTimecode: Timecode.fromFrames(86400, rate), tracks: [], media: [], metadata: {},
      markers: [
        { name: 'Door slam', position: RationalTime.fromFrames(120, rate), duration: RationalTime.fromFrames(12, rate), comment: 'hard', colour: 'red', metadata: {} },
        { name: 'Music in', position: RationalTime.fromFrames(24, rate), metadata: {} },
      ],
    };
    const w = writeMarkerList(t);
    expect(w.value.split('\n').slice(3, 5)).toEqual([
      '001  001      V     C        01:00:01:00 01:00:01:01 01:00:01:00 01:00:01:01  ',
      ' |C:ResolveColorBlue |M:Music in |D:1',
    ]);
    const back = parse(w.value, { rate });
    expect(back.ok && back.value.markers.map((m) => [m.name, Number(m.position.toFrames(rate, 'trunc')), m.colour, m.comment, m.duration && Number(m.duration.toFrames(rate, 'trunc'))]))
      .toEqual([['Music in', 0, 'Blue', undefined, 1], ['Door slam', 96, 'Red', 'hard', 12]]);
  });
});

describe('limits', () => {
  test('a 2 MB line of blanks and digits is an unknown line, read in linear time', () => {
    const text = 'TITLE: x\n1' + ' 2'.repeat(1_000_000) + '\n';
    const doc = readStatements(text);
    expect(doc.statements.map((s) => s.kind)).toEqual(['title', 'unknown']);
    expect(doc.diagnostics[0]).toMatchObject({ code: 'edl/bad-event', at: { line: 2 } });
    expect(writeStatements(doc)).toBe(text);
  });
});

describe('combined channel events and split edits (spec/edl.md §4, §8)', () => {
  const rate = FrameRate.FPS_25;
  const at = (frames: number): RationalTime => RationalTime.fromFrames(frames, rate);
  const start = (Timecode.parse('01:00:00:00', { rate }) as { value: Timecode }).value;
  const shotClip = (name: string, reelId: string, startF: number, durationF: number, sourceF: number): Clip => ({
    name, start: at(startF), duration: at(durationF), sourceStart: at(sourceF), media: { mediaId: reelId }, metadata: {},
  });
  const timelineOf = (tracks: Track[], media: string[]): Timeline => ({
    name: 'T', sampleRate: 48000, frameRate: rate, startTimecode: start, tracks, markers: [],
    media: media.map((id): MediaSource => ({ id, name: id, kind: 'reel', metadata: {} })), metadata: {},
  });
  const trackOf = (name: string, clips: Clip[]): Track => ({ kind: name === 'V' ? 'video' : 'audio', name, channels: name === 'V' ? 0 : 1, clips, transitions: [], metadata: {} });
  const eventLines = (text: string): string[] => text.split('\n').filter((l) => /^\d{3}  /.test(l));

  // The channel codes of spec/edl.md §4's table, written for one shot on the named tracks.
  test.each([
    [['V', 'A1', 'A2'], 'AA/V'],
    [['V', 'A1'], 'B'],
    [['V', 'A2'], 'A2/V'],
    [['A1', 'A2'], 'AA'],
    [['A2'], 'A2'],
    [['V'], 'V'],
  ])('one shot on %j is one event with channel field %s', (names, field) => {
    const tracks = names.map((n) => trackOf(n, [shotClip('S', 'R1', 0, 50, 250)]));
    const w = write(timelineOf(tracks, ['R1']));
    const events = eventLines(w.value);
    expect(events).toHaveLength(1);
    expect((events[0] as string).slice(14, 18).trim()).toBe(field); // spec §2: channels at columns 15–18
    const back = parse(w.value, { rate, startTimecode: start });
    expect(back.ok && back.value.tracks.map((t) => [t.name, t.clips.length])).toEqual(names.map((n) => [n, 1]));
  });

  // spec/edl.md §8: `SPLIT:    AUDIO DELAY=  00:00:00:12` precedes the two lines it affects; the
  // audio enters 12 frames after the picture.
  const splitList = [
    'TITLE: SPLIT_TEST',
    'FCM: NON-DROP FRAME',
    '001  TAPE01   V     C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00',
    'SPLIT:    AUDIO DELAY=  00:00:00:12',
    '002  TAPE02   V     C        20:00:00:00 20:00:05:00 01:00:04:00 01:00:09:00',
    '002  TAPE02   AA    C        20:00:00:12 20:00:05:00 01:00:04:12 01:00:09:00',
    '* FROM CLIP NAME:  SHOT_B',
    '',
  ].join('\n');

  test('a SPLIT statement: both lines read as clips of one shot, audio 12 frames late, and written back in SPLIT form', () => {
    const r = parse(splitList, { rate });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const frames = (t: RationalTime): number => Number(t.toFrames(rate, 'trunc'));
    const v = r.value.tracks.find((t) => t.name === 'V') as Track;
    const a1 = r.value.tracks.find((t) => t.name === 'A1') as Track;
    expect([frames((v.clips[1] as Clip).start), frames((v.clips[1] as Clip).duration)]).toEqual([100, 125]); // 01:00:04:00–01:00:09:00
    expect([frames((a1.clips[0] as Clip).start), frames((a1.clips[0] as Clip).duration)]).toEqual([112, 113]); // 01:00:04:12–01:00:09:00
    expect(((a1.clips[0] as Clip).metadata['edl'] as { split: unknown }).split).toMatchObject({ delayOf: 'audio', delay: '00:00:00:12', second: true });
    const w = write(r.value, { flavour: 'avid', eol: '\n' });
    const out = w.value.split('\n');
    const at2 = out.indexOf('SPLIT:    AUDIO DELAY=  00:00:00:12');
    expect(at2).toBeGreaterThan(0);
    expect(out[at2 + 1]).toBe('002  TAPE02   V     C        20:00:00:00 20:00:05:00 01:00:04:00 01:00:09:00');
    expect(out.slice(at2 + 2).find((l) => l.startsWith('00'))).toBe('002  TAPE02   AA    C        20:00:00:12 20:00:05:00 01:00:04:12 01:00:09:00');
    const back = parse(w.value, { rate });
    const view = (t: Timeline) => t.tracks.map((tr) => [tr.name, tr.clips.map((c) => [c.start.toString(), c.duration.toString(), c.sourceStart.toString()])]);
    expect(back.ok && view(back.value)).toEqual(view(r.value));
  });

  test('a SPLIT whose delay disagrees with the record ins is reported at the SPLIT line', () => {
    const r = parse(splitList.replace('AUDIO DELAY=  00:00:00:12', 'AUDIO DELAY=  00:00:00:10'), { rate });
    expect(r.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'edl/split-delay-mismatch', at: expect.objectContaining({ line: 4, column: 25 }) })]));
  });

  test('an L-cut from another format: separate V and A events by default, a SPLIT pair with splitEdits', () => {
    // Picture cuts at frame 100, the dialogue of the same take runs on 12 frames before (J-cut: audio leads).
    const tracks = [
      trackOf('V', [shotClip('A', 'R1', 0, 100, 1000), shotClip('B', 'R2', 100, 100, 5000)]),
      trackOf('A1', [shotClip('A', 'R1', 0, 88, 1000), shotClip('B', 'R2', 88, 112, 4988)]),
    ];
    const t = timelineOf(tracks, ['R1', 'R2']);
    const plain = write(t);
    expect(plain.value).not.toContain('SPLIT:');
    expect(eventLines(plain.value).map((l) => l.slice(0, 3))).toEqual(['001', '002', '003', '004']);
    const split = write(t, { splitEdits: true });
    const lines = split.value.split('\n');
    // Shot B: audio starts first, so the video is delayed by 12 frames (00:00:00:12 at 25 fps).
    const i = lines.indexOf('SPLIT:    VIDEO DELAY=  00:00:00:12');
    expect(i).toBeGreaterThan(0);
    expect([lines[i + 1]?.slice(0, 18), lines[i + 3]?.slice(0, 18)]).toEqual(['003  R2       A   ', '003  R2       V   ']);
    // Shot A ends apart on V and A1 (its out is the split cut), so it stays two events.
    expect(eventLines(split.value).map((l) => l.slice(0, 3))).toEqual(['001', '002', '003', '003']);
    for (const text of [plain.value, split.value]) {
      const back = parse(text, { rate, startTimecode: start });
      const view = (x: Timeline) => x.tracks.map((tr) => [tr.name, tr.clips.map((c) => [c.name, c.start.toString(), c.duration.toString(), c.sourceStart.toString()])]);
      expect(back.ok && view(back.value)).toEqual(view(t));
    }
  });
});

describe('property: shots on several tracks → EDL → timeline', () => {
  const RATES = [FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_23_976];
  const TRACKS = ['V', 'A1', 'A2', 'A3', 'A4'];
  const shot = fc.record({
    gap: fc.integer({ min: 10, max: 40 }),
    duration: fc.integer({ min: 20, max: 400 }),
    reel: fc.constantFrom('TAPE01', 'A001C003', 'SR018'),
    source: fc.integer({ min: 100, max: 3600 * 20 }),
    on: fc.subarray(TRACKS, { minLength: 1 }),
    // Audio entering later (> 0) or earlier (< 0) than the picture: a split edit.
    audioOffset: fc.oneof(fc.constant(0), fc.integer({ min: -8, max: 8 })),
  });

  test('every shot comes back on its tracks; a shot on several channels is one event, a split shot one SPLIT pair', () => {
    fc.assert(fc.property(fc.constantFrom(...RATES), fc.array(shot, { minLength: 1, maxLength: 12 }), fc.boolean(), (rate, shots, splitEdits) => {
      const at = (f: number) => RationalTime.fromFrames(f, rate);
      const clips = new Map<string, Clip[]>(TRACKS.map((t) => [t, []]));
      let pos = 0;
      let expectedEvents = 0;
      shots.forEach((s, i) => {
        const start = pos + s.gap;
        const hasV = s.on.includes('V');
        const audio = s.on.filter((t) => t !== 'V');
        const offset = hasV && audio.length > 0 ? s.audioOffset : 0;
        for (const t of s.on) {
          const shift = t === 'V' ? 0 : offset;
          (clips.get(t) as Clip[]).push({
            name: `SHOT_${i}`, start: at(start + shift), duration: at(s.duration - shift), sourceStart: at(s.source + shift),
            media: { mediaId: s.reel }, metadata: {},
          });
        }
        // One event line for V+A1+A2 (+ AUD 3 4); a split shot has one for V and one for the audio.
        expectedEvents += offset !== 0 && !splitEdits ? 2 : 1;
        pos = start + s.duration;
      });
      const tracks = TRACKS.filter((t) => (clips.get(t) as Clip[]).length > 0).map((t): Track => ({
        kind: t === 'V' ? 'video' : 'audio', name: t, channels: t === 'V' ? 0 : 1, clips: clips.get(t) as Clip[], transitions: [], metadata: {},
      }));
      const start = Timecode.fromFrames(rate.framesPerHour, rate);
      const media = ['TAPE01', 'A001C003', 'SR018'].map((id): MediaSource => ({ id, name: id, kind: 'reel', metadata: {} }));
      const t: Timeline = { name: 'P', sampleRate: 48000, frameRate: rate, startTimecode: start, tracks, markers: [], media, metadata: {} };
      const text = write(t, { splitEdits }).value;
      const numbers = new Set(text.split('\n').filter((l) => /^\d{3}  /.test(l)).map((l) => l.slice(0, 3)));
      expect(numbers.size).toBe(expectedEvents);
      const back = parse(text, { rate, startTimecode: start });
      expect(back.ok).toBe(true);
      if (!back.ok) return;
      const view = (x: Timeline) => x.tracks.map((tr) => [tr.name, tr.clips.map((c) => [c.name, c.start.toString(), c.duration.toString(), c.sourceStart.toString(), x.media.find((m) => m.id === c.media?.mediaId)?.name])]);
      expect(view(back.value)).toEqual(view(t));
    }), { numRuns: 200 });
  });
});

/**
 * The straightforward sink: each primitive as the plain string operation its documentation names
 * (`formatFrames`, `padStart`, `repeat`), joined at the end. The writer's fast path (AsciiSink:
 * bytes, decoded once) must give exactly this text.
 */
class StringSink implements EdlSink {
  readonly #parts: string[] = [];
  readonly #eol: string;
  constructor(eol: string) {
    this.#eol = eol;
  }
  text(s: string): void {
    this.#parts.push(s);
  }
  spaces(n: number): void {
    if (n > 0) this.#parts.push(' '.repeat(n));
  }
  zeroPadded(n: number, width: number): void {
    this.#parts.push(String(n).padStart(width, '0'));
  }
  timecode(frames: number, rate: FrameRate, separator: ':' | ';'): void {
    this.#parts.push(formatFrames(frames, rate, separator));
  }
  eol(): void {
    this.#parts.push(this.#eol);
  }
  finish(): string {
    return this.#parts.join('');
  }
}

/** `write` by the plain-string sink, for comparison with `write` itself. */
const writePlain = (t: Timeline, options: EdlWriteOptions = {}) => writeInto(t, options, (eol) => new StringSink(eol));

describe('AsciiSink: bytes give the same text as plain strings', () => {
  const RATES = [FrameRate.FPS_23_976, FrameRate.FPS_24, FrameRate.FPS_25, FrameRate.FPS_29_97_DF, FrameRate.FPS_29_97_NDF, FrameRate.FPS_59_94_DF, FrameRate.FPS_100, FrameRate.FPS_119_88_DF, FrameRate.FPS_120];
  // Any text: ASCII, any code point, and lone surrogate halves (kept as they are, not replaced).
  const TEXT = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('\ud800', 'a\udfffb', '\u00e9t\u00e9', '\ud83c\udfac', ''));
  const op = fc.oneof(
    fc.record({ k: fc.constant('text' as const), s: TEXT }),
    fc.record({ k: fc.constant('spaces' as const), n: fc.integer({ min: -3, max: 40 }) }),
    fc.record({ k: fc.constant('zeroPadded' as const), n: fc.oneof(fc.nat({ max: 1e7 }), fc.maxSafeNat(), fc.integer({ min: -1000, max: -1 })), width: fc.nat({ max: 9 }) }),
    fc.record({
      k: fc.constant('timecode' as const),
      // Within a day, past it (hours beyond 99 too), negative, and around 2^31.
      frames: fc.oneof(fc.nat({ max: 30 * 86400 * 2 }), fc.integer({ min: -1e6, max: -1 }), fc.integer({ min: 0x7fffff00, max: 0x800000ff }), fc.maxSafeNat()),
      rate: fc.constantFrom(...RATES),
      separator: fc.constantFrom(':' as const, ';' as const),
    }),
    fc.record({ k: fc.constant('eol' as const) }),
  );
  test('random primitive sequences, CRLF and LF, from a 64-byte start (the buffer grows)', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), fc.constantFrom('\n' as const, '\r\n' as const), (ops, eol) => {
      const fast = new AsciiSink(eol, 64);
      const plain = new StringSink(eol);
      for (const sink of [fast, plain] as EdlSink[]) {
        for (const o of ops) {
          if (o.k === 'text') sink.text(o.s);
          else if (o.k === 'spaces') sink.spaces(o.n);
          else if (o.k === 'zeroPadded') sink.zeroPadded(o.n, o.width);
          else if (o.k === 'timecode') sink.timecode(o.frames, o.rate, o.separator);
          else sink.eol();
        }
      }
      expect(fast.finish()).toBe(plain.finish());
    }), { numRuns: 500 });
  });

  test('every label of a 29.97 DF and a 119.88 DF day, as formatFrames writes it', () => {
    for (const rate of [FrameRate.FPS_29_97_DF, FrameRate.FPS_119_88_DF]) {
      const fast = new AsciiSink('\n');
      const plain = new StringSink('\n');
      for (let f = 0; f < rate.framesPerDay; f += 7) {
        fast.timecode(f, rate, ';');
        plain.timecode(f, rate, ';');
      }
      expect(fast.finish()).toBe(plain.finish());
    }
  });
});

describe('write: the byte sink against the plain-string sink', () => {
  const rate = FrameRate.FPS_25;
  const at = (frames: number): RationalTime => RationalTime.fromFrames(frames, rate);
  const FLAVOURS = ['cmx3600', 'avid', 'premiere', 'resolve'] as const;
  const NAME = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_. ]{1,24}$/), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constantFrom('\ud800 half', 'Caf\u00e9 \u6771\u4eac \ud83c\udfac'));
  const REEL = fc.oneof(fc.constantFrom('TAPE01', 'A001C003_220314_R1AB', 'TWO WORDS', 'R\u00e9el'), fc.stringMatching(/^[A-Z0-9]{1,10}$/));
  const clipSpec = fc.record({
    gap: fc.oneof(fc.constant(0), fc.nat({ max: 30 })),
    duration: fc.integer({ min: 1, max: 200 }),
    reel: fc.option(REEL, { nil: undefined }),
    name: NAME,
    source: fc.integer({ min: -50, max: 25 * 86400 + 50 }),
    speed: fc.constantFrom(undefined, Rational.of(2), Rational.of(1, 3), Rational.ZERO, Rational.of(-1)),
    dissolve: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
    gain: fc.option(fc.integer({ min: -40, max: 12 }), { nil: undefined }),
    notes: fc.array(fc.oneof(fc.constant('* COMMENT: na\u00efve'), fc.constant('* FREEZE FRAME'), fc.string({ unit: 'binary', maxLength: 8 }).map((x) => `* ${x}`)), { maxLength: 2 }),
  });
  const trackSpec = fc.array(clipSpec, { maxLength: 6 });
  const options = fc.record({
    flavour: fc.constantFrom(...FLAVOURS),
    reelWidth: fc.constantFrom(8, 32, 128),
    splitEdits: fc.boolean(),
    eol: fc.constantFrom(undefined, '\n' as const, '\r\n' as const),
    title: fc.option(NAME, { nil: undefined }),
  });

  test('random timelines: Unicode names, long and blank reels, 8 audio tracks, speeds, transitions, markers, gain', () => {
    fc.assert(fc.property(trackSpec, fc.array(trackSpec, { maxLength: 8 }), fc.array(fc.record({ at: fc.integer({ min: -10, max: 2000 }), name: NAME }), { maxLength: 3 }), options, (videoSpec, audioSpecs, markerSpecs, opts) => {
      const media = new Map<string, MediaSource>();
      const build = (specs: typeof videoSpec, kind: 'video' | 'audio', name: string): Track => {
        let pos = 0;
        const clips: Clip[] = [];
        const transitions: Transition[] = [];
        for (const c of specs) {
          const start = pos + c.gap;
          if (c.reel !== undefined && !media.has(c.reel)) media.set(c.reel, { id: c.reel, name: c.reel, kind: 'reel', metadata: {} });
          clips.push({
            name: c.name, start: at(start), duration: at(c.duration), sourceStart: at(c.source),
            ...(c.reel !== undefined ? { media: { mediaId: c.reel } } : {}), ...(c.speed ? { speed: c.speed } : {}),
            ...(c.gain !== undefined ? { gainDb: c.gain } : {}), metadata: c.notes.length > 0 ? { edl: { notes: c.notes } } : {},
          });
          if (c.dissolve !== undefined) transitions.push({ kind: kind === 'video' ? 'dissolve' : 'crossfade', start: at(start), duration: at(c.dissolve), metadata: {} });
          pos = start + c.duration;
        }
        return { kind, name, channels: kind === 'video' ? 0 : 1, clips, transitions, metadata: {} };
      };
      const tracks = [build(videoSpec, 'video', 'V1'), ...audioSpecs.map((a, i) => build(a, 'audio', `A${i + 1}`))];
      const markers: Marker[] = markerSpecs.map((m) => ({ name: m.name, position: at(m.at), colour: 'red', metadata: {} }));
      const t: Timeline = { name: 'T', sampleRate: 48000, frameRate: rate, startTimecode: Timecode.fromFrames(90000, rate), tracks, markers, media: [...media.values()], metadata: {} };
      const o: EdlWriteOptions = { flavour: opts.flavour, reelWidth: opts.reelWidth, splitEdits: opts.splitEdits, ...(opts.eol ? { eol: opts.eol } : {}), ...(opts.title !== undefined ? { title: opts.title } : {}) };
      expect(write(t, o)).toEqual(writePlain(t, o));
    }), { numRuns: 300 });
  });

  // Real lists, read and written back in every flavour: the corpus and the benchmark generator.
  const files = corpusFiles('edl');
  test.skipIf(files.length === 0)('every file of ../shared/corpus/edl, read at 24 and 29.97, in every flavour', () => {
    for (const file of files) {
      const bytes = new Uint8Array(readFileSync(file));
      for (const r of [FrameRate.FPS_24, FrameRate.FPS_29_97_DF]) {
        const read = parse(bytes, { rate: r });
        if (!read.ok) continue;
        for (const flavour of FLAVOURS) expect(write(read.value, { flavour }), file).toEqual(writePlain(read.value, { flavour }));
      }
    }
  });
  const generator = join(SHARED_DIR, 'workloads', 'edl.js');
  test.skipIf(!existsSync(generator))('3,000-event lists of the benchmark generator (DF and NDF), in every flavour', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dubstage-edlw-'));
    try {
      for (const [seed, fcm] of [[1, 'df'], [2, 'ndf']] as const) {
        const out = join(dir, `${seed}.edl`);
        execFileSync(process.execPath, [generator, '--events', '3000', '--seed', String(seed), '--fcm', fcm, '--out', out]);
        const read = parse(new Uint8Array(readFileSync(out)), { rate: FrameRate.FPS_29_97_DF });
        expect(read.ok).toBe(true);
        if (!read.ok) continue;
        for (const flavour of FLAVOURS) {
          for (const splitEdits of [false, true]) expect(write(read.value, { flavour, splitEdits })).toEqual(writePlain(read.value, { flavour, splitEdits }));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('write: text and order the byte path must keep', () => {
  const rate = FrameRate.FPS_25;
  const at = (frames: number): RationalTime => RationalTime.fromFrames(frames, rate);
  const timeline = (tracks: Track[], media: MediaSource[] = []): Timeline => ({
    name: 'T', sampleRate: 48000, frameRate: rate, startTimecode: Timecode.fromFrames(90000, rate), tracks, markers: [], media, metadata: {},
  });
  const track = (kind: 'video' | 'audio', name: string, clips: Clip[]): Track => ({ kind, name, channels: kind === 'video' ? 0 : 1, clips, transitions: [], metadata: {} });

  test('non-ASCII title, clip names and notes come out as they went in (lone surrogates too)', () => {
    const name = 'Caf\u00e9 \u2014 \u6771\u4eac \ud83c\udfac';
    const t = timeline([track('video', 'V1', [
      { name, start: at(0), duration: at(25), sourceStart: at(0), media: { mediaId: 'R1' }, metadata: { edl: { notes: ['* COMMENT: na\u00efve \ud800'] } } },
      { name: 'plain', start: at(25), duration: at(25), sourceStart: at(25), media: { mediaId: 'R1' }, metadata: {} },
    ])], [{ id: 'R1', name: 'R1', kind: 'reel', metadata: {} }]);
    // Layout: spec/edl.md §2 (event line columns) and §3 (FROM CLIP NAME notes).
    expect(write(t, { title: '\u00c9t\u00e9' }).value.split('\n')).toEqual([
      'TITLE: \u00c9t\u00e9',
      'FCM: NON-DROP FRAME',
      '001  R1       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00',
      `* FROM CLIP NAME: ${name}`,
      '* COMMENT: na\u00efve \ud800',
      '002  R1       V     C        00:00:01:00 00:00:02:00 01:00:01:00 01:00:02:00',
      '* FROM CLIP NAME: plain',
      '',
    ]);
  });

  test('clips sharing one metadata object join one event even when many objects hash alike', () => {
    // 40 events, each one metadata object shared by its A1 and A2 clips; every object holds the
    // same edl.line and event, so they all fall in one bucket of the writer's index.
    const a1: Clip[] = [];
    const a2: Clip[] = [];
    for (let i = 0; i < 40; i++) {
      const metadata = { edl: { event: '001', line: 7 } };
      const c = { name: `S${i}`, start: at(i * 10), duration: at(10), sourceStart: at(1000 + i * 10), media: { mediaId: 'R' }, metadata };
      a1.push(c);
      a2.push({ ...c });
    }
    const lines = write(timeline([track('audio', 'A1', a1), track('audio', 'A2', a2)], [{ id: 'R', name: 'R', kind: 'reel', metadata: {} }])).value.split('\n');
    const events = lines.filter((l) => /^\d{3}  /.test(l));
    expect(events).toHaveLength(40);
    expect(events.every((l) => l.slice(14, 18) === 'AA  ')).toBe(true);
    // Source in 1000 + 390 frames = 00:00:55:15 at 25 fps; record in 01:00:00:00 + 390 frames.
    expect(events[39]).toBe('040  R        AA    C        00:00:55:15 00:00:56:00 01:00:15:15 01:00:16:00');
  });

  test('a metadata object reused at two places joins only its newest event', () => {
    // The writer joins a clip to the newest event made for its metadata object, if that one has
    // the same source and record range; here A2's clip at 0 finds the A1 event at 100.
    const metadata = { edl: { event: '001', line: 3 } };
    const c = (start: number): Clip => ({ name: 'X', start: at(start), duration: at(10), sourceStart: at(0), media: { mediaId: 'R' }, metadata });
    const lines = write(timeline([track('audio', 'A1', [c(0), c(100)]), track('audio', 'A2', [c(0)])], [{ id: 'R', name: 'R', kind: 'reel', metadata: {} }])).value.split('\n');
    expect(lines.filter((l) => /^\d{3}  /.test(l)).map((l) => l.slice(0, 18) + l.slice(53))).toEqual([
      '001  R        A   01:00:00:00 01:00:00:10',
      '002  R        A2  01:00:00:00 01:00:00:10',
      '003  R        A   01:00:04:00 01:00:04:10',
    ]);
  });

  test('events far apart on the record side still come out in record order (the sort falls back to a comparison)', () => {
    // 3 × 3·10^15 frames passes 2^53: too wide for the one-number sort keys.
    const far = 3e15;
    const c = (name: string, start: number): Clip => ({ name, start: at(start), duration: at(1), sourceStart: at(0), media: { mediaId: 'R' }, metadata: {} });
    const w = write(timeline([track('video', 'V1', [c('far', far), c('zero', 0), c('before', -5)])], [{ id: 'R', name: 'R', kind: 'reel', metadata: {} }]));
    // Record ins: 01:00:00:00 − 5 frames; 01:00:00:00; and (3·10^15 + 90,000) mod 2,160,000 =
    // 2,010,000 frames = 22:20:00:00, wrapped to one day and reported.
    expect(w.value.split('\n').filter((l) => /^\d{3}  /.test(l)).map((l) => l.slice(53, 64))).toEqual(['00:59:59:20', '01:00:00:00', '22:20:00:00']);
    expect(w.value.split('\n').filter((l) => l.startsWith('* FROM')).map((l) => l.slice(18))).toEqual(['before', 'zero', 'far']);
    expect(w.diagnostics.map((d) => d.code)).toContain('edl/timecode-wrapped');
  });
});
