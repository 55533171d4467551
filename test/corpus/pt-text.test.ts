// Pro Tools "Session Info as Text" corpus tests. Expected values come from
// ../shared/corpus/EXPECTED.md (facts of the DAWFileKit, ptulsconv and ProToolsText test suites,
// quoted per test) or from the cells of the corpus file itself (line named). Sample positions are
// worked out in the comments with spec/timecode.md arithmetic: at 23.976 fps and 48 kHz one frame is
// exactly 2002 samples, at 24 fps 2000, at 25 fps 1920, at 30 fps 1600. Positions count from the
// session start (timeline position 0).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  encodeSessionTextDocument,
  parse,
  readSessionText,
  write,
  writeBytes,
  type EventRow,
  type SessionTextDocument,
  type TrackBlock,
} from '../../src/formats/protools/index.js';
import type { Clip, Marker, Timeline, Track } from '../../src/model/types.js';
import { corpusFiles } from '../helpers/corpus.js';

const files = corpusFiles('pt-text');
const path = (n: string): string => files.find((f) => basename(f) === n) as string;
const bytes = (n: string): Uint8Array => new Uint8Array(readFileSync(path(n)));
const D = 'dawfilekit__SessionText_';

function read(n: string): Timeline {
  const r = parse(bytes(n), { source: n });
  if (!r.ok) throw new Error(`${n}: ${r.diagnostics[0].message}`);
  return r.value;
}
function doc(n: string): SessionTextDocument {
  return readSessionText(bytes(n)).document;
}
function docTracks(d: SessionTextDocument): TrackBlock[] {
  return d.sections.flatMap((s) => (s.kind === 'tracks' ? [...s.tracks] : []));
}
function rows(t: TrackBlock): EventRow[] {
  return t.groups.flatMap((g) => g.rows.filter((r): r is EventRow => r.kind === 'event'));
}
const samples = (t: Timeline, x: { toSamples(sr: number, mode: 'nearest'): bigint }): bigint => x.toSamples(t.sampleRate, 'nearest');
const track = (t: Timeline, name: string): Track => t.tracks.find((x) => x.name === name) as Track;
const meta = (c: Clip): Record<string, unknown> => c.metadata['pt-text'] as Record<string, unknown>;

describe.skipIf(files.length === 0)('pt-text corpus', () => {
  test('the corpus holds the 29 exports PROVENANCE.md lists', () => {
    expect(files.length).toBe(29);
  });

  describe.each(files.map((f) => basename(f)))('%s', (name) => {
    test('reads with no warnings or errors (DAWFileKit/ptulsconv/ProToolsText parse them all)', () => {
      const r = parse(bytes(name));
      expect(r.ok).toBe(true);
      expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    });
    test('bytes→document→bytes is the identity', () => {
      const b = bytes(name);
      expect(encodeSessionTextDocument(readSessionText(b).document).bytes).toEqual(b);
    });
    test('bytes→timeline→bytes is the identity', () => {
      const b = bytes(name);
      const w = writeBytes(read(name));
      expect(w.diagnostics).toEqual([]);
      expect(Buffer.from(w.value).equals(Buffer.from(b))).toBe(true);
    });
  });

  test('SimpleTest: header, file and clip lists, one clip (EXPECTED.md)', () => {
    const n = `${D}SimpleTest_23-976fps_DefaultExportOptions_PT2020.3.txt`;
    const t = read(n);
    expect(t.name).toBe('SessionText_SimpleTest');
    expect(t.sampleRate).toBe(48000);
    expect(t.bitDepth).toBe(24);
    expect(t.startTimecode.toString()).toBe('00:59:55:00');
    expect(t.frameRate.rate.toString()).toBe('24000/1001');
    expect(t.media.map((m) => m.name)).toEqual(['Audio 1_01.wav']);
    expect(t.media[0]?.url).toBe('Macintosh HD:Users:stef:Desktop:SessionText_SimpleTest:Audio Files:Audio 1_01.wav');
    const d = doc(n);
    expect(d.sections.map((s) => `${s.kind}${'list' in s ? ':' + s.list : ''}`)).toEqual(['files:online', 'files:offline', 'clips:online', 'plugins', 'tracks', 'markers']);
    const offline = d.sections.find((s) => s.kind === 'files' && s.list === 'offline');
    expect(offline && 'rows' in offline ? offline.rows.length : -1).toBe(0);
    const [tr] = t.tracks;
    expect(tr?.name).toBe('Audio 1');
    expect(tr?.comments).toBeUndefined();
    const c = tr?.clips[0] as Clip;
    expect(c.name).toBe('Audio 1_01');
    expect(c.media).toEqual({ mediaId: 'Audio 1_01.wav' });
    // start 01:00:00:00 − 00:59:55:00 = 5 s = 120 frames × 2002; duration 00:00:05:00 = 120 frames.
    expect(samples(t, c.start)).toBe(240240n);
    expect(samples(t, c.duration)).toBe(240240n);
    expect(c.muted).toBeUndefined();
    expect(t.markers).toEqual([]);
  });

  test('EmptySession: no tracks, clips, files or markers (EXPECTED.md)', () => {
    const t = read(`${D}EmptySession_23-976fps_DefaultExportOptions_PT2020.3.txt`);
    expect([t.name, t.tracks.length, t.markers.length, t.media.length]).toEqual(['SessionText_EmptySession', 0, 0, 0]);
    expect(t.startTimecode.toString()).toBe('00:59:55:00');
  });

  describe('OneOfEverything (EXPECTED.md)', () => {
    const n = `${D}OneOfEverything_23-976fps_DefaultExportOptions_PT2020.3.txt`;
    test('header counts, files, clips and plug-ins', () => {
      const d = doc(n);
      expect(d.header.filter((h) => h.label.startsWith('#')).map((h) => h.value)).toEqual(['5', '11', '7']);
      const t = read(n);
      expect(t.media.map((m) => m.name)).toEqual(['Unused Clip.wav', 'Audio 1 Clip1.wav', 'Audio 2 Clip1.wav', 'Audio 3 Clip1.wav', 'Audio 3 Clip2.wav', 'Audio 4 Clip1.wav', 'Audio 5 Offline Clip1.wav']);
      expect(t.media.filter((m) => (m.metadata['pt-text'] as { offline?: boolean }).offline).map((m) => m.name)).toEqual(['Audio 5 Offline Clip1.wav']);
      const clips = d.sections.filter((s) => s.kind === 'clips');
      expect(clips.map((s) => s.kind === 'clips' && s.rows.map((r) => `${r.name}${r.channel !== undefined ? ` [${r.channel}]` : ''}`))).toEqual([
        ['Audio 1 Clip1', 'Audio 2 Clip1', 'Audio 3 Clip1.L [1]', 'Audio 3 Clip1.R [2]', 'Audio 3 Clip2.L [1]', 'Audio 3 Clip2.R [2]', 'Audio 4 Clip1.L [1]', 'Audio 4 Clip1.R [2]', 'Unused Clip'],
        ['Audio 5 Offline Clip1.L [1]', 'Audio 5 Offline Clip1.R [2]'],
      ]);
      const plugins = d.sections.find((s) => s.kind === 'plugins');
      // The MANUFACTURER cell is blank on rows 2 and 3 (EXPECTED.md audit note): kept as written.
      expect(plugins?.kind === 'plugins' && plugins.rows.map((r) => [r.manufacturer, r.name, r.version, r.format, r.stems, r.instances])).toEqual([
        ['Avid', 'EQ3 1-Band', '20.3.0d163', 'AAX Native', 'Mono / Mono', '2 active'],
        ['', 'EQ3 7-Band', '20.3.0d163', 'AAX Native', 'Mono / Mono', '1 active'],
        ['', 'Trim', '20.3.0d163', 'AAX Native', 'Mono / Mono', '1 active'],
      ]);
    });
    test('tracks: comments, plug-ins, stereo clips, muted clip, inactive track', () => {
      const t = read(n);
      expect(t.tracks.map((x) => x.name)).toEqual(['Audio 1', 'Audio 2', 'Audio 3 (Stereo)', 'Audio 4 (Stereo)', 'Audio 5 (Stereo)']);
      expect(track(t, 'Audio 1').comments).toBe('Comments here.');
      expect((track(t, 'Audio 1').metadata['pt-text'] as { plugins: string[] }).plugins).toEqual(['EQ3 1-Band (mono)']);
      expect((track(t, 'Audio 2').metadata['pt-text'] as { plugins: string[] }).plugins).toEqual(['EQ3 7-Band (mono)', 'Trim (mono)']);
      expect((track(t, 'Audio 5 (Stereo)').metadata['pt-text'] as { state: string[] }).state).toEqual(['Inactive']);
      const a3 = track(t, 'Audio 3 (Stereo)');
      expect(a3.channels).toBe(2);
      // .L and .R rows line up on both channels, so each pair is one stereo clip.
      expect(a3.clips.map((c) => (meta(c).rows as { name: string }[]).map((r) => r.name))).toEqual([
        ['Audio 3 Clip1.L', 'Audio 3 Clip1.R'],
        ['Audio 3 Clip2.L', 'Audio 3 Clip2.R'],
      ]);
      const [c1, c2] = a3.clips as [Clip, Clip];
      // ch2 ev1 01:00:12:18–01:00:17:08 (00:00:04:14): 17 s 18 f = 426 frames after the start → 852852; 4 s 14 f = 110 frames → 220220.
      expect([samples(t, c1.start), samples(t, c1.duration), c1.muted]).toEqual([852852n, 220220n, undefined]);
      // ev2 01:00:18:17 (23 s 17 f = 569 frames → 1139138), 00:00:03:02 = 74 frames → 148148, Muted.
      expect([samples(t, c2.start), samples(t, c2.duration), c2.muted]).toEqual([1139138n, 148148n, true]);
      expect(c1.media).toEqual({ mediaId: 'Audio 3 Clip1.wav' });
      const a5 = track(t, 'Audio 5 (Stereo)').clips[0] as Clip;
      // 01:00:05:14 → 10 s 14 f = 254 frames → 508508; 00:00:05:20 = 140 frames → 280280.
      expect([a5.name, samples(t, a5.start), samples(t, a5.duration)]).toEqual(['Audio 5 Offline Clip1.L', 508508n, 280280n]);
    });
    test('Audio 4: (fade in)/(fade out) rows become the clip\'s fades (EXPECTED.md audit note)', () => {
      const t = read(n);
      const a4 = track(t, 'Audio 4 (Stereo)');
      expect(a4.clips).toHaveLength(1);
      const c = a4.clips[0] as Clip;
      // (fade in) 01:00:01:04–01:00:01:09, clip 01:00:01:09–01:00:03:17, (fade out) –01:00:03:22.
      // Start 6 s 4 f = 148 frames → 296296; whole length 01:00:01:04→01:00:03:22 = 66 frames → 132132; fades 5 frames → 10010.
      expect([samples(t, c.start), samples(t, c.duration)]).toEqual([296296n, 132132n]);
      expect(samples(t, c.fadeIn?.duration as never)).toBe(10010n);
      expect(samples(t, c.fadeOut?.duration as never)).toBe(10010n);
    });
    test('markers: samples and ticks references', () => {
      const t = read(n);
      expect(t.markers.map((m) => [m.name, m.comment])).toEqual([
        ['Marker 1', undefined],
        ['Marker 2', 'This marker has comments.'],
      ]);
      // Marker 1: time reference 144144 samples from the session start (EXPECTED.md).
      expect(samples(t, (t.markers[0] as Marker).position)).toBe(144144n);
      // Marker 2: units Ticks, reference 3|3, so its LOCATION 01:00:00:00 = 120 frames after the start → 240240.
      expect((t.markers[1]?.metadata['pt-text'] as { units: string; timeReference: string })).toMatchObject({ units: 'Ticks', timeReference: '3|3' });
      expect(samples(t, (t.markers[1] as Marker).position)).toBe(240240n);
    });
  });

  test('TracksOnly: 7 tracks, only Audio 1 has clips; DURATION is read from its own column (EXPECTED.md)', () => {
    const n = `${D}TracksOnly_OnlyTrackEDLs_PT2023.6.txt`;
    const t = read(n);
    expect(t.tracks.map((x) => x.name)).toEqual(['Audio 1', 'Audio 2', 'Audio 3', 'Audio 4', 'Audio 5', 'Audio 6', 'Audio 7']);
    expect(t.tracks.map((x) => x.clips.length)).toEqual([2, 0, 0, 0, 0, 0, 0]);
    const [a, b] = track(t, 'Audio 1').clips as [Clip, Clip];
    expect([a.name, b.name]).toEqual(['Warm Day in the City', 'Happy Go Lucky']);
    // 24 fps, start 00:59:50:00. 01:00:15:06 = 25 s 6 f = 606 frames → 1212000; 00:00:50:07 = 1207 frames → 2414000.
    expect([samples(t, a.start), samples(t, a.duration)]).toEqual([1212000n, 2414000n]);
    // 00:00:52:09 = 1257 frames → 2514000 (not END − START = 52:10).
    expect(samples(t, b.duration)).toBe(2514000n);
    expect(doc(n).sections.map((s) => s.kind)).toEqual(['tracks']);
    expect(docTracks(doc(n)).every((x) => x.plugins === undefined)).toBe(true);
  });

  test('MarkerRulersAndTrackMarkers (PT 2023.12 layout): rulers and track markers (EXPECTED.md)', () => {
    const n = `${D}MarkerRulersAndTrackMarkers_PT2023.12.txt`;
    const t = read(n);
    expect(t.markers).toHaveLength(7);
    // 01:00:00:00 … 01:00:06:00 at 24 fps from 00:59:50:00: 10…16 s → 480000 + k × 48000.
    expect(t.markers.map((m) => samples(t, m.position))).toEqual([480000n, 528000n, 576000n, 624000n, 672000n, 720000n, 768000n]);
    const m = (k: number): Record<string, unknown> => t.markers[k]?.metadata['pt-text'] as Record<string, unknown>;
    expect([m(0).trackName, m(0).trackType, m(1).trackName]).toEqual(['Markers', 'Ruler', 'Markers 2']);
    expect([t.markers[5]?.name, t.markers[5]?.track, m(5).trackType, t.markers[5]?.comment]).toEqual(['Marker 6', 'Audio 1', 'Track', 'More comments']);
    expect(t.markers[0]?.track).toBeUndefined();
  });

  test('ExtendedChars: Mac OS Roman and UTF-8 exports give the same names (EXPECTED.md)', () => {
    const names = ['Test Ellipsis…', 'Test Em Dash —', 'Test En Dash –', 'Right Side Quote’s Not An Apostrophe'];
    for (const [file, enc] of [
      [`${D}ExtendedChars_TextEditFormat_PT2023.3.txt`, 'mac-roman'],
      [`${D}ExtendedChars_UTF8Format_PT2023.3.txt`, 'utf-8'],
    ] as const) {
      expect(readSessionText(bytes(file)).document.encoding).toBe(enc);
      const t = read(file);
      expect(t.markers.map((m) => m.name)).toEqual(names);
      expect(t.markers.every((m) => m.comment === undefined)).toBe(true);
      expect(t.markers.map((m) => samples(t, m.position))).toEqual([480000n, 3360000n, 6240000n, 9120000n]);
    }
    // "…" is byte 0xC9 in the TextEdit file (EXPECTED.md audit note).
    expect(bytes(`${D}ExtendedChars_TextEditFormat_PT2023.3.txt`).includes(0xc9)).toBe(true);
  });

  test('NewLinesAndTabs: names and comments with TABs and line breaks (file lines 25–43)', () => {
    const t = read(`${D}NewLinesAndTabs_DefaultExportOptions_PT2023.6.txt`);
    expect(t.tracks).toEqual([]);
    expect(t.markers.map((m) => [m.name, m.comment ?? ''])).toEqual([
      ['Marker Name\nWith New Line', ''],
      ['Normal Marker Name', 'Comment Here\nWith New Line'],
      ['Marker Name Again\nWith New Line Again', 'Comment Here Again\nWith New Line Again'],
      ['Normal Marker Name Again', ''],
      ['Marker Name\tWith Tab', ''],
      ['Normal Marker Name', 'Comments Here\tWith Tab'],
      ['Marker Name\tWith Tab', 'Comments Here\tWith Tab'],
      ['Marker Name\tWith Tab\tAnd Another Tab', ''],
      ['Normal Marker Name', 'Comment Here\tWith Tab\tAnd Another Tab'],
      ['Marker Name\tWith Tab\tAnd Another Tab', 'Comment Here\tWith Tab\tAnd Another Tab'],
      ['Marker Name\tWith Tab\nAnd Newline', ''],
      ['Normal Marker Name', 'Comment Here\tWith Tab\nAnd Newline'],
    ]);
  });

  test('UnrecognizedSection: kept verbatim between plug-ins and tracks (file line 29)', () => {
    const d = doc(`${D}UnrecognizedSection_23-976fps_DefaultExportOptions_PT2020.3.txt`);
    const u = d.sections.find((s) => s.kind === 'unknown');
    expect(u).toMatchObject({ kind: 'unknown', title: 'U N R E C O G N I Z E D  S E C T I O N', lines: [] });
    expect(read(`${D}UnrecognizedSection_23-976fps_DefaultExportOptions_PT2020.3.txt`).tracks[0]?.clips[0]?.name).toBe('Audio 1_01');
  });

  describe('time formats (EXPECTED.md "Time-format family")', () => {
    const F = `${D}TimeFormats_`;
    test('samples export: exact positions from the session start', () => {
      const t = read(`${F}Samples_PT2022.9.txt`);
      const [c1, c2] = [track(t, 'Audio A').clips[0] as Clip, track(t, 'Audio B').clips[0] as Clip];
      expect([samples(t, c1.start), samples(t, c1.duration), samples(t, c2.start), samples(t, c2.duration)]).toEqual([1201200n, 642000n, 401408n, 642000n]);
      expect(t.markers.map((m) => m.name)).toEqual(['Marker Absolute', 'Marker Bars-Beats']);
      expect(t.markers.map((m) => m.comment)).toEqual(['Comment', 'Comment']);
      expect(samples(t, (t.markers[0] as Marker).position)).toBe(2695168n);
      expect(t.startTimecode.toString()).toBe('23:57:00:00');
    });
    test('timecode export is absolute: 23:57:25:00 is 25 s = 600 frames × 2002 after 23:57:00:00', () => {
      const t = read(`${F}Timecode_PT2022.9.txt`);
      expect(samples(t, (track(t, 'Audio A').clips[0] as Clip).start)).toBe(1201200n);
    });
    test('a timeline read from the samples export writes every other format exactly as Pro Tools did', () => {
      const t = read(`${F}Samples_PT2022.9.txt`);
      const cases = [
        ['Timecode', 'timecode', false],
        ['Timecode_ShowSubframes', 'timecode', true],
        ['FeetFrames', 'feet-frames', false],
        ['FeetFrames_ShowSubframes', 'feet-frames', true],
        ['MinSecs', 'min-secs', false],
        ['BarsBeats', 'bars-beats', false],
      ] as const;
      for (const [file, timeFormat, subframes] of cases) {
        const expected = new TextDecoder().decode(bytes(`${F}${file}_PT2022.9.txt`));
        expect(write(t, { timeFormat, subframes }).value, file).toBe(expected);
      }
    });
    test('each export reads the cells the table lists', () => {
      const cell = (file: string): string[] => {
        const d = doc(`${F}${file}_PT2022.9.txt`);
        const r = docTracks(d).flatMap(rows);
        const m = d.sections.flatMap((s) => (s.kind === 'markers' ? [...s.rows] : []));
        return [...r.flatMap((x) => [x.start, x.end, x.duration]), ...m.map((x) => x.location), m[1]?.timeReference ?? ''];
      };
      expect(cell('Timecode_ShowSubframes')).toEqual(['23:57:25:00.00', '23:57:38:08.68', '00:00:13:08.68', '23:57:08:08.50', '23:57:21:17.18', '00:00:13:08.68', '23:57:56:02.24', '23:58:55:18.41', '58|4| 735']);
      expect(cell('BarsBeats')).toEqual(['13|3', '20|1', '6|2| 720', '5|1', '11|4', '6|2| 720', '29|1', '58|4', '58|4']);
      expect(cell('FeetFrames_ShowSubframes')).toEqual(['37+08.60', '57+09.60', '20+01.00', '12+08.70', '32+09.70', '20+01.00', '84+03.58', '173+13.18', '58|4| 735']);
    });
  });

  test('ProToolsText Test Export: the samples export written in timecode and feet+frames equals the other two exports (same session, PROVENANCE.md)', () => {
    const t = read('protoolstext__Test_Export_samples.txt');
    const tc = new TextDecoder().decode(bytes('protoolstext__Test_Export_tc.txt'));
    const ff = new TextDecoder().decode(bytes('protoolstext__Test_Export_feet_frames.txt'));
    expect(write(t, { timeFormat: 'timecode', subframes: true }).value).toBe(tc);
    expect(write(t, { timeFormat: 'feet-frames', subframes: true }).value).toBe(ff);
    // File lines 24–56: Audio 3 has no events; Audio 4 holds three.
    expect(t.tracks.map((x) => x.clips.map((c) => c.name))).toEqual([['Audio 1.grp'], ['Audio 2.grp'], [], ['Audio 4.grp', 'Audio 4.grp', 'Audio 4.grp']]);
  });

  test('ProToolsText PT_Text_Export and Track_States (EXPECTED.md)', () => {
    const t = read('protoolstext__PT_Text_Export.txt');
    expect([t.name, t.sampleRate, t.bitDepth, t.startTimecode.toString(), t.frameRate.rate.toString(), t.markers.length]).toEqual(['ADR Spotting test', 48000, 24, '00:59:52:00', '24000/1001', 2]);
    // marker 1 = 8 s after 00:59:52:00 = 192 frames × 2002 (EXPECTED.md).
    expect(samples(t, (t.markers[0] as Marker).position)).toBe(384384n);
    const s = read('protoolstext__Track_States.txt');
    expect(s.tracks.map((x) => (x.metadata['pt-text'] as { state: string[] }).state)).toEqual([[], ['Solo'], ['Inactive'], ['Inactive', 'Muted'], ['Hidden']]);
    expect(s.tracks.map((x) => [x.solo ?? false, x.muted ?? false])).toEqual([[false, false], [true, false], [false, false], [false, true], [false, false]]);
  });

  test('cue.test.utf8: 12 tracks PROP 1.1 … PROP 12.1, track listing only (EXPECTED.md audit note)', () => {
    const n = 'protoolstext__cue.test.utf8.txt';
    const t = read(n);
    expect(t.tracks.map((x) => x.name)).toEqual(Array.from({ length: 12 }, (_, k) => `PROP ${k + 1}.1`));
    expect(doc(n).header.find((h) => h.label === '# OF AUDIO TRACKS')?.value).toBe('76');
  });

  describe('ptulsconv Robin Hood exports (EXPECTED.md)', () => {
    test('Spotting: 14 tracks with their comments; Guy clip 5; one marker at reference 0', () => {
      const n = 'ptulsconv__Robin_Hood_Spotting.txt';
      const t = read(n);
      expect(t.frameRate.rate.toString()).toBe('30000/1001');
      expect(t.frameRate.dropFrame).toBe(false);
      expect(t.tracks.map((x) => x.name)).toEqual(['Scenes', 'Robin', 'Will', 'Marian', 'John', 'Guy', 'Much', 'Butcher', 'Town Crier', 'Soldier 1', 'Soldier 2', 'Soldier 3', 'Priest', 'Guest at Court']);
      expect(t.tracks.map((x) => x.comments ?? '')).toEqual(['', '[ADR] {Actor=Errol Flynn} $CN=1', '[ADR] {Actor=Patrick Knowles} $CN=2', '[ADR] {Actor=Olivia DeHavilland} $CN=3', '[ADR] {Actor=Claude Raines} $CN=4', '[ADR] {Actor=Basil Rathbone} $CN=5', '[ADR] {Actor=Herbert Mundin} $CN=6', '[ADR] {Actor=George Bunny} $CN=101', '[ADR] {Actor=Leonard Mundie} $CN=102', '[ADR] $CN=103', '[ADR] $CN=104', '[ADR] $CN=105', '[ADR] {Actor=Thomas R. Mills} $CN=106', '[ADR] $CN=107']);
      const guy = docTracks(doc(n))[5] as TrackBlock;
      expect(rows(guy)).toHaveLength(16);
      expect(rows(guy)[5]).toMatchObject({ channel: 1, event: 6, name: '"What\'s your name? You Saxon dog!" $QN=GY106', start: '01:04:19:15', end: '01:04:21:28', duration: '00:00:02:13', state: 'Unmuted' });
      expect(rows(guy)[5]?.timestamp).toBeUndefined();
      expect(t.markers).toHaveLength(1);
      expect(t.markers[0]?.metadata['pt-text']).toMatchObject({ number: '1', location: '01:00:00:00', timeReference: '0', units: 'Samples' });
    });
    test('Spotting: ptulsconv tags compiled onto the Guy clip (clip, track comment, @ scene span)', () => {
      const t = read('ptulsconv__Robin_Hood_Spotting.txt');
      const c = track(t, 'Guy').clips[5] as Clip;
      expect(meta(c).tags).toEqual({ content: '"What\'s your name? You Saxon dog!"', mode: 'normal', fields: { QN: 'GY106' } });
      // Track comment "[ADR] {Actor=Basil Rathbone} $CN=5"; the clip starts at 01:04:19:15, inside the Scenes span
      // "@{Sc=Ext. Edge of Sherwood Forest - Much Poaches a Deer}" 01:03:21:18–01:06:24:11 (file line 34 of the Scenes block).
      expect(meta(c).fields).toMatchObject({ QN: 'GY106', Actor: 'Basil Rathbone', CN: '5', ADR: 'ADR', Sc: 'Ext. Edge of Sherwood Forest - Much Poaches a Deer' });
    });
    test('Spotting5: MX WT (Stereo) .L/.R; Guy soloed with a TIMESTAMP column', () => {
      const n = 'ptulsconv__Robin_Hood_Spotting5.txt';
      const d = doc(n);
      expect(d.sections.some((s) => s.kind === 'files' || s.kind === 'clips')).toBe(false);
      const plugins = d.sections.find((s) => s.kind === 'plugins');
      expect(plugins?.kind === 'plugins' && plugins.rows.length).toBe(2);
      const tr = docTracks(d);
      expect(tr[1]?.name).toBe('MX WT (Stereo)');
      expect(rows(tr[1] as TrackBlock).map((r) => r.name)).toEqual(['RobinHood.1-01.L', 'RobinHood.1-01.R']);
      const guy = tr[8] as TrackBlock;
      expect([guy.name, guy.comments, guy.state]).toEqual(['Guy', '[ADR] {Actor=Basil Rathbone} $CN=5', ['Solo']]);
      expect(rows(guy)).toHaveLength(16);
      expect(rows(guy)[5]).toMatchObject({ channel: 1, event: 6, start: '01:04:19:15.00', end: '01:04:21:28.00', duration: '00:00:02:13.00', timestamp: '01:04:19:09.70', state: 'Unmuted' });
      const t = read(n);
      expect(track(t, 'MX WT (Stereo)').clips).toHaveLength(1);
      expect(track(t, 'MX WT (Stereo)').channels).toBe(2);
    });
    test('Spotting6: Marian soloed, two plug-ins, clip 2 with timestamp', () => {
      const tr = docTracks(doc('ptulsconv__Robin_Hood_Spotting6.txt'))[6] as TrackBlock;
      expect([tr.name, tr.comments, tr.state, tr.plugins]).toEqual(['Marian', '[ADR] {Actor=Olivia DeHavilland} $CN=3', ['Solo'], ['Channel Strip (mono)', 'ReVibe II (mono/5.1)']]);
      expect(rows(tr)).toHaveLength(4);
      expect(rows(tr)[2]).toMatchObject({ event: 3, name: '"Isn\'t that reason enough for a Royal Ward who must obey her guardian?" $QN=M103', start: '01:08:01:11', end: '01:08:04:24', duration: '00:00:03:12', timestamp: '01:08:01:11', state: 'Unmuted' });
    });
    test('SpottingDF: drop-frame, Robin clip 5', () => {
      const n = 'ptulsconv__Robin_Hood_SpottingDF.txt';
      const t = read(n);
      expect(t.frameRate.dropFrame).toBe(true);
      const tr = docTracks(doc(n))[4] as TrackBlock;
      expect([tr.name, tr.comments]).toEqual(['Robin', '[ADR] {Actor=Errol Flynn} $CN=1']);
      expect(rows(tr)).toHaveLength(10);
      expect(rows(tr)[5]).toMatchObject({ event: 6, name: '"Hold there! What\'s his fault?" $QN=R106', start: '01:05:30;15', end: '01:05:32;01', duration: '00:00:01;16' });
      // 01:05:30;15 DF = 117,915 − 118 dropped = 117,797 frames; 01:00:00;00 = 108,000 − 108 = 107,892; each label rounded to
      // the first sample at or after it (× 1601.6, rounded up): 188,663,676 − 172,799,828 = 15,863,848.
      const c = track(t, 'Robin').clips[5] as Clip;
      expect(samples(t, c.start)).toBe(15863848n);
    });
  });

  test('ptulsconv Tag Tests: track-name tags, @ spans and markers compiled per ptulsconv precedence (file lines 24–99)', () => {
    const t = read('ptulsconv__Tag_Tests.txt');
    expect((track(t, 'Audio 2 $A=1').metadata['pt-text'] as { nameTags: unknown }).nameTags).toEqual({ content: 'Audio 2', mode: 'normal', fields: { A: '1' } });
    // "Region 12" at 01:00:12:00 (Audio 6): inside the "@ {D=101}" span 01:00:10:00–01:00:20:00 on Audio 5, after marker "$M=1" at 01:00:10:00.
    const r12 = track(t, 'Audio 6').clips[1] as Clip;
    expect(meta(r12).fields).toEqual({ D: '101', M: '1' });
    // Track comment "$A=4" is overridden by the track name "$A=3" (name beats comment).
    expect(meta(track(t, 'Audio 4 $A=3').clips[0] as Clip).fields).toEqual({ A: '3' });
    // "& B" keeps its append mode.
    expect((meta(track(t, 'Audio 3 $A=2').clips[1] as Clip).tags as { mode: string }).mode).toBe('append');
  });
});
