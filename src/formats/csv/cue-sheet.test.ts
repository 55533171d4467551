// Cue-sheet CSV. Expected values come from RFC 4180 (quoting rules), the cells of the ptulsconv
// Robin Hood export in ../shared/corpus/pt-text (lines named), and spec/protools.md §1.11 (tags).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createClip, createTimeline, createTrack } from '../../model/build.js';
import type { Clip } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { parse } from '../protools/text/read.js';
import { corpusDir } from '../../../test/helpers/corpus.js';
import { cueSheetToTimeline, readCsvRecords, readCueSheet, timelineToCueSheet, writeCueSheet } from './cue-sheet.js';

const SHEET = 'Cue #,Char,Dialogue,TC In,TC Out,Reason,Notes,Take\r\n' + 'J101,John,"And how are the dear Saxons taking the news, Sir Guy?",01:01:57:29,01:02:01:20,TV Cover,"said ""softly""\nthen loud",3\r\n' + 'R106,Robin,Hold there!,01:05:30:15,,,,\r\n';

describe('CSV records (RFC 4180)', () => {
  test('quoted commas, doubled quotes, line breaks inside quotes, CRLF and LF', () => {
    const { records, diagnostics } = readCsvRecords('a,"b,c","d ""e""",f\r\n"g\nh",i\nj');
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([
      { fields: ['a', 'b,c', 'd "e"', 'f'], line: 1 },
      { fields: ['g\nh', 'i'], line: 2 },
      { fields: ['j'], line: 4 },
    ]);
  });
  test('an unterminated quote is an error with its place', () => {
    expect(readCsvRecords('a,"b\n').diagnostics[0]).toMatchObject({ code: 'csv/unterminated-quote', at: { line: 2 } });
  });
});

describe('cue sheets', () => {
  test('headers matched by alias; unknown columns kept', () => {
    const r = readCueSheet(SHEET);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rows[0]).toMatchObject({ cue: 'J101', character: 'John', line: 'And how are the dear Saxons taking the news, Sir Guy?', start: '01:01:57:29', end: '01:02:01:20', reason: 'TV Cover', notes: 'said "softly"\nthen loud', extra: { Take: '3' }, lineNumber: 2 });
    expect(r.value.rows[1]).toMatchObject({ cue: 'R106', end: '', lineNumber: 4 });
  });
  test('read → write gives the same bytes back', () => {
    const r = readCueSheet(SHEET);
    expect(r.ok && writeCueSheet(r.value)).toBe(SHEET);
  });
  test('a sheet without cue columns fails with a place; ragged rows warn', () => {
    expect(readCueSheet('a,b\n1,2\n').diagnostics[0]).toMatchObject({ code: 'csv/no-cue-columns', at: { line: 1 } });
    expect(readCueSheet('Cue,Start\nQ1\n').diagnostics[0]).toMatchObject({ code: 'csv/ragged-row', at: { line: 2 } });
  });
  test('sheet → clips (one track per character, ptulsconv tags) → sheet', () => {
    const r = readCueSheet(SHEET);
    if (!r.ok) throw new Error('sheet');
    const t = cueSheetToTimeline(r.value, { rate: FrameRate.FPS_29_97_NDF });
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.value.startTimecode.toString()).toBe('01:01:57:29');
    expect(t.value.tracks.map((x) => x.name)).toEqual(['John', 'Robin']);
    expect(t.value.tracks[0]?.clips[0]?.name).toBe('And how are the dear Saxons taking the news, Sir Guy? $QN=J101 {R=TV Cover} {Note=said "softly" then loud}');
    // 01:02:01:20 − 01:01:57:29 = 3 s 21 f = 111 frames at 29.97 (1001/30000 s each).
    expect(t.value.tracks[0]?.clips[0]?.duration.toFrames(FrameRate.FPS_29_97_NDF, 'nearest')).toBe(111n);
    const back = timelineToCueSheet(t.value).value.rows;
    expect(back.map((x) => [x.cue, x.character, x.start, x.end, x.reason])).toEqual([
      ['J101', 'John', '01:01:57:29', '01:02:01:20', 'TV Cover'],
      ['R106', 'Robin', '01:05:30:15', '01:05:30:16', ''],
    ]);
  });
  test('sheet → markers', () => {
    const r = readCueSheet(SHEET);
    if (!r.ok) throw new Error('sheet');
    const t = cueSheetToTimeline(r.value, { rate: FrameRate.FPS_29_97_NDF, as: 'markers' });
    expect(t.ok && t.value.markers.map((m) => [m.name, m.comment])).toEqual([
      ['J101 And how are the dear Saxons taking the news, Sir Guy?', 'TV Cover — said "softly"\nthen loud'],
      ['R106 Hold there!', undefined],
    ]);
  });
  test('& clips are appended to the cue before them (spec §1.11: joined with a space, end from the appended clip, its tags override)', () => {
    const rate = FrameRate.FPS_25;
    const clip = (name: string, startFrames: number, frames: number): Clip => createClip({ name, start: RationalTime.fromFrames(startFrames, rate), duration: RationalTime.fromFrames(frames, rate) });
    const t = createTimeline({
      frameRate: rate,
      startTimecode: Timecode.fromFrames(90000, rate), // 01:00:00:00
      tracks: [createTrack({ kind: 'audio', name: 'Robin $CN=1', clips: [clip('Hold there! $QN=R1 {R=noise}', 0, 50), clip('& What is his fault? {R=perf}', 50, 25), clip('& too early', 60, 10), clip('Next $QN=R2', 100, 25)] })],
    });
    expect(timelineToCueSheet(t).value.rows.map((r) => [r.cue, r.character, r.line, r.start, r.end, r.reason])).toEqual([
      ['R1', 'Robin', 'Hold there! What is his fault?', '01:00:00:00', '01:00:03:00', 'perf'],
      ['R2', 'Robin', 'Next', '01:00:04:00', '01:00:05:00', ''],
    ]);
  });
  const dir = corpusDir('pt-text');
  test.skipIf(!dir)('Robin Hood text export → ADR cue sheet (cells of ptulsconv__Robin_Hood_Spotting.txt)', () => {
    const t = parse(readFileSync(join(dir as string, 'ptulsconv__Robin_Hood_Spotting.txt')));
    if (!t.ok) throw new Error('read');
    const rows = timelineToCueSheet(t.value).value.rows;
    const gy = rows.find((r) => r.cue === 'GY106');
    // Guy event 6: "What's your name? You Saxon dog!" $QN=GY106, 01:04:19:15 → 01:04:21:28 (EXPECTED.md).
    expect(gy).toMatchObject({ character: 'Guy', line: '"What\'s your name? You Saxon dog!"', start: '01:04:19:15', end: '01:04:21:28' });
    // Every QN is unique per title (ptulsconv's rule) and every cue came from a clip with a QN.
    expect(new Set(rows.map((r) => r.cue)).size).toBe(rows.length);
  });
});
