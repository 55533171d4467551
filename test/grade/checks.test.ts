/**
 * grade() with the markers, cues, tracks and timeline checks on submissions written by our own
 * writers (CSV cue sheets, marker MIDI files, Pro Tools text exports). Expected scores are worked
 * out by hand from the rubric weights and the documented credit rules (docs/grading.md), as
 * commented at each assertion.
 */
import { describe, expect, test } from 'vitest';
import { writeCueSheet, type CueRow } from '../../src/formats/csv/cue-sheet.js';
import { writeMarkerMidi } from '../../src/formats/midi/markers.js';
import { write as writePtText } from '../../src/formats/protools/text/write.js';
import { write as writeJson } from '../../src/formats/json/write.js';
import { grade } from '../../src/grade/grade.js';
import { parseRubric, type Rubric } from '../../src/grade/rubric.js';
import type { Submission } from '../../src/grade/types.js';
import { createClip, createMarker, createMediaSource, createTimeline, createTrack } from '../../src/model/build.js';
import type { Clip, Timeline } from '../../src/model/types.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';

const rate = FrameRate.FPS_24;
const tc = (s: string): Timecode => {
  const r = Timecode.parse(s, { rate });
  if (!r.ok) throw new Error(s);
  return r.value;
};
const enc = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s);
const sub = (name: string, files: Record<string, string | Uint8Array>): Submission => ({ name, files: Object.entries(files).map(([path, v]) => ({ path, source: enc(v) })) });
function rubricOf(doc: unknown): Rubric {
  const r = parseRubric(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}
const row = (cue: string, start: string, line: string, character = '', reason = ''): CueRow => ({ cue, start, end: '', line, character, reason, notes: '', extra: {} });
const sheet = (rows: CueRow[]): string => writeCueSheet({ headers: [], rows });

describe('cues', () => {
  const reference = sheet([
    row('1', '01:00:10:00', 'Where were you?', 'ANNA', 'noise'),
    row('2', '01:00:12:12', 'Out.', 'BEN', 'performance'),
    row('12', '01:02:03:07', 'door slam', 'FX', 'added'),
    row('13', '01:02:05:00', 'Get in.', 'ANNA', 'noise'),
  ]);
  const rubric = rubricOf({ schema: 'dubstage.rubric/1', rate: '24', checks: [{ kind: 'cues', id: 'adr', title: 'ADR cues', weight: 40, reference: 'ref.csv' }] });
  const references = { 'ref.csv': reference };

  test('a perfect CSV cue sheet scores full marks', async () => {
    const r = await grade(rubric, sub('perfect', { 'cues.csv': reference }), { references });
    expect(r.score).toBe(40);
    expect(r.checks[0]?.items.every((i) => i.verdict === 'match')).toBe(true);
  });

  test('a late cue, a wrong character and a missing cue cost what the weights say', async () => {
    const student = sheet([
      row('1', '01:00:10:00', 'Where were you?', 'ANNA', 'noise'),
      row('2', '01:00:12:12', 'Out.', 'ANNE', 'performance'), // wrong character
      row('12', '01:02:03:10', 'door slam', 'FX', 'added'), // 3 frames late
    ]);
    const r = await grade(rubric, sub('s1', { 'cues.csv': student }), { references });
    const items = r.checks[0]?.items ?? [];
    expect(items[2]?.feedback).toBe("Cue 12 'door slam' is 3 frames late: 01:02:03:10, expected 01:02:03:07.");
    expect(items.map((i) => i.verdict)).toEqual(['match', 'wrong-value', 'offset', 'missing']);
    // Default cue weights: position .5, line .2, character .15, reason .15 (sum 1).
    // cue 1: 1; cue 2: 1 − .15 = .85; cue 12: position 0 (3 frames > warn 2) → .5; cue 13: 0.
    // score = (1 + .85 + .5 + 0) / 4 = .5875 → 40 × .5875 = 23.5 points.
    expect(items.map((i) => i.credit)).toEqual([1, 0.85, 0.5, 0]);
    expect(r.score).toBe(23.5);
  });

  test('cues from a Pro Tools text export: ptulsconv-tagged clips', async () => {
    const clip = (start: string, line: string, q: string): Clip => createClip({ name: `${line} $QN=${q}`, start: RationalTime.fromFrames(tc(start).frames - tc('01:00:00:00').frames, rate), duration: RationalTime.fromFrames(24, rate) });
    const t = createTimeline({
      frameRate: rate, startTimecode: tc('01:00:00:00'),
      tracks: [
        createTrack({ kind: 'audio', name: 'ANNA', clips: [clip('01:00:10:00', 'Where were you?', '1'), clip('01:02:05:01', 'Get in.', '13')] }),
        createTrack({ kind: 'audio', name: 'BEN', clips: [clip('01:00:12:12', 'Out.', '2')] }),
      ],
    });
    const text = writePtText(t, { timeFormat: 'timecode' }).value;
    const r = await grade(rubric, sub('pt', { 'session.txt': text }), { references });
    const items = r.checks[0]?.items ?? [];
    // Reasons are absent in the export, characters come from the track names.
    // cue 1: .5 + .2 + .15 = .85; cue 2: .85; cue 12: missing 0; cue 13: 1 frame late (within
    // tolerance 1) → .85. (.85 × 3) / 4 = .6375 → 25.5 points.
    expect(items.map((i) => [i.id, i.verdict, i.credit])).toEqual([['cue 1', 'wrong-value', 0.85], ['cue 2', 'wrong-value', 0.85], ['cue 12', 'missing', 0], ['cue 13', 'wrong-value', 0.85]]);
    expect(r.score).toBe(25.5);
  });
});

describe('markers', () => {
  const start = tc('01:00:00:00');
  const marks = (list: [string, string][]): Timeline => createTimeline({ frameRate: rate, startTimecode: start, markers: list.map(([at, name]) => createMarker({ name, position: RationalTime.fromFrames(tc(at).frames - start.frames, rate) })) });
  const ref = marks([['01:00:01:00', 'car pass'], ['01:00:05:00', 'door'], ['01:00:09:00', 'dog bark']]);
  const rubric = rubricOf({ schema: 'dubstage.rubric/1', rate: '24', checks: [{ kind: 'markers', id: 'spot', weight: 10, reference: 'ref.json' }] });
  const references = { 'ref.json': writeJson(ref).value };

  test('a MIDI marker file: positions from its SMPTE offset, 2 frames late is half position credit', async () => {
    const student = marks([['01:00:01:00', 'car pass'], ['01:00:05:02', 'door'], ['01:00:20:00', 'plane']]);
    const midi = writeMarkerMidi(student).value;
    const r = await grade(rubric, sub('midi', { 'markers.mid': midi }), { references });
    const items = r.checks[0]?.items ?? [];
    expect(items.map((i) => i.verdict)).toEqual(['match', 'offset', 'missing', 'extra']);
    // Marker weights: position .75, name .25. car pass 1; door: .75 × .5 + .25 = .625 (2 frames
    // within warnTolerance 2); dog bark 0. (1 + .625) / 3 = .541666… → 10 × = 5.42 points.
    expect(items[1]?.credit).toBe(0.625);
    expect(r.score).toBe(5.42);
  });

  test('a Pro Tools text export\'s memory locations', async () => {
    const text = writePtText(marks([['01:00:01:00', 'Car Pass'], ['01:00:05:00', 'door'], ['01:00:09:00', 'dog bark']]), { timeFormat: 'timecode' }).value;
    const r = await grade(rubric, sub('pt', { 'session.txt': text }), { references });
    // Names compare case-insensitively: all three match.
    expect(r.score).toBe(10);
  });

  test('markers of any timeline format (here dubstage JSON) when no cue-like file is handed in', async () => {
    const r = await grade(rubric, sub('json', { 'notes.docx': new Uint8Array([1, 2, 3]), 'spotting.json': writeJson(ref).value }), { references });
    expect(r.score).toBe(10);
  });

  test('no readable file: score 0, every marker missing, a diagnostic saying so', async () => {
    const r = await grade(rubric, sub('empty', { 'notes.docx': new Uint8Array([1, 2, 3]) }), { references });
    expect(r.score).toBe(0);
    expect(r.diagnostics.map((d) => d.code)).toContain('grade/no-file');
  });
});

describe('tracks and timeline', () => {
  const start = tc('01:00:00:00');
  const f = (n: number): RationalTime => RationalTime.fromFrames(n, rate);
  const tenHours = RationalTime.fromFrames(tc('10:00:00:00').frames, rate);
  const media = ['steps1', 'steps2', 'cloth', 'door'].map((id) => createMediaSource({ id, name: `${id}.wav`, start: tenHours }));
  // Source times are absolute (the media's clock starts at 10:00:00:00, as a BWF time reference).
  const c = (id: string, at: number, len: number, src: number): Clip => createClip({ name: id, start: f(at), duration: f(len), sourceStart: tenHours.plus(f(src)), media: { mediaId: id } });
  const reference = createTimeline({
    frameRate: rate, startTimecode: start, media,
    tracks: [
      createTrack({ kind: 'audio', name: 'FS 1', clips: [c('steps1', 0, 24, 0), c('steps1', 48, 24, 100)] }),
      createTrack({ kind: 'audio', name: 'FS 2', clips: [c('steps2', 24, 24, 0)] }),
      createTrack({ kind: 'audio', name: 'Cloth', clips: [c('cloth', 0, 96, 0)] }),
      createTrack({ kind: 'audio', name: 'FX', clips: [c('door', 120, 24, 0)] }),
    ],
  });
  /** The student's session as a Pro Tools text export with time stamps (the source times). */
  const ptExport = (t: Timeline): string => {
    const stamped: Timeline = { ...t, tracks: t.tracks.map((tr) => ({ ...tr, clips: tr.clips.map((k) => ({ ...k, metadata: { 'pt-text': { timestamp: Timecode.fromRationalTime(k.sourceStart, rate, 'floor').toString() } } })) })) };
    return writePtText(stamped, { timeFormat: 'timecode', timestamps: true }).value;
  };
  const rubric = rubricOf({
    schema: 'dubstage.rubric/1', rate: '24',
    checks: [
      { kind: 'tracks', id: 'layout', weight: 20, required: ['FS 1', 'FS 2', 'Cloth', 'FX'], order: true, checkerboard: { tracks: ['/^FS/'] } },
      { kind: 'timeline', id: 'sync', weight: 80, reference: 'ref.json', markers: false },
    ],
  });
  const references = { 'ref.json': writeJson(reference).value };

  test('the reference itself, exported as Pro Tools text, scores 100', async () => {
    const r = await grade(rubric, sub('good', { 'foley.txt': ptExport(reference) }), { references });
    expect(r.checks.map((x) => x.score)).toEqual([1, 1]);
    expect(r.score).toBe(100);
  });

  test('steps not checkerboarded, the door 2 frames late', async () => {
    const flawed = createTimeline({
      ...reference,
      tracks: [
        createTrack({ kind: 'audio', name: 'FS 1', clips: [c('steps1', 0, 24, 0), c('steps2', 24, 24, 0), c('steps1', 48, 24, 100)] }),
        createTrack({ kind: 'audio', name: 'FS 2', clips: [] }),
        createTrack({ kind: 'audio', name: 'Cloth', clips: [c('cloth', 0, 96, 0)] }),
        createTrack({ kind: 'audio', name: 'FX', clips: [c('door', 122, 24, 0)] }),
      ],
    });
    const r = await grade(rubric, sub('flawed', { 'foley.txt': ptExport(flawed) }), { references });
    const [layout, sync] = r.checks;
    // tracks: required 4/4 → 1; order → 1; overlaps: 3 tracks with clips, none overlap → 1;
    // checkerboard: FS 1 has 2 adjacent pairs, both butt different media → 1 − 2/2 = 0; FS 2 is
    // empty, so fewer than two FS tracks have regions → a missing item 0; group 0.
    // Check = mean(1, 1, 1, 0) = .75 → 15 points.
    expect(layout?.score).toBe(0.75);
    // timeline: 5 expected clips; steps2 on FS 1 instead of FS 2 → wrong-track .5; door 2 frames
    // late → offset 0 (beyond syncWarn 1 frame). (3 + .5 + 0) / 5 = .7 → 56 points.
    expect(sync?.items.map((i) => i.verdict)).toEqual(['match', 'match', 'wrong-track', 'match', 'offset']);
    expect(sync?.score).toBe(0.7);
    expect(r.score).toBe(71); // 15 + 56
    expect(r.feedback.join('\n')).toContain("FX 'door' is 2 frames late: 01:00:05:02, expected 01:00:05:00.");
  });

  test('identical inputs give identical output', async () => {
    const a = await grade(rubric, sub('x', { 'foley.txt': ptExport(reference) }), { references });
    const b = await grade(rubric, sub('x', { 'foley.txt': ptExport(reference) }), { references });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('bad input never throws', () => {
  test('mutated cue sheets, MIDI files and exports: a grade in range, problems as diagnostics', async () => {
    const { mutate, prng } = await import('../helpers/mutate.js');
    const rand = prng(11);
    const csv = enc(sheet([row('1', '01:00:10:00', 'Where were you?', 'ANNA', 'noise'), row('2', '01:00:12:12', 'Out.', 'BEN', 'performance')]));
    const start = tc('01:00:00:00');
    const t = createTimeline({ frameRate: rate, startTimecode: start, markers: [createMarker({ name: 'door', position: RationalTime.fromFrames(24, rate) })], tracks: [createTrack({ kind: 'audio', name: 'FX', clips: [createClip({ name: 'door $QN=1', start: RationalTime.fromFrames(240, rate), duration: RationalTime.fromFrames(24, rate) })] })] });
    const midi = writeMarkerMidi(t).value;
    const pt = enc(writePtText(t, { timeFormat: 'timecode' }).value);
    const rubric = rubricOf({
      schema: 'dubstage.rubric/1', rate: '24',
      checks: [
        { kind: 'cues', id: 'c', weight: 1, reference: 'ref.csv' },
        { kind: 'markers', id: 'm', weight: 1, reference: 'ref.csv' },
        { kind: 'tracks', id: 't', weight: 1, required: ['FX'], checkerboard: { tracks: ['FX', 'FX 2'] } },
        { kind: 'timeline', id: 'l', weight: 1, reference: 'ref.txt' },
      ],
    });
    const references = { 'ref.csv': csv, 'ref.txt': pt };
    for (let i = 0; i < 60; i++) {
      const files = { 'cues.csv': mutate(csv, midi, rand), 'markers.mid': mutate(midi, pt, rand), 'session.txt': mutate(pt, csv, rand) };
      const r = await grade(rubric, sub(`m${i}`, files), { references });
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(4);
      expect(r.diagnostics.filter((d) => d.code === 'grade/internal')).toEqual([]);
    }
  });
});
