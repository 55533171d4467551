#!/usr/bin/env node
// Writes the example references and student submissions of examples/rubrics/ with dubstage's own
// writers (CSV cue sheets, marker MIDI files, Pro Tools "Session Info as Text", dubstage JSON, the
// conform engine, BWF). Run after `npm run build`:  node examples/rubrics/make-examples.mjs
// The text and MIDI files it writes are small and committed; `--audio` also writes the stems
// example's WAV files (a few MB, not committed: run it before grading examples/rubrics/stems).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FrameRate, RationalTime, Timecode, createClip, createMarker, createMediaSource, createTimeline, createTrack,
  protools, json, conform, readTimeline, bwf,
} from '../../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = (rel, data) => {
  const p = join(here, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  console.log(`wrote examples/rubrics/${rel}`);
};
const tcAt = (rate) => (s) => {
  const r = Timecode.parse(s, { rate });
  if (!r.ok) throw new Error(s);
  return r.value;
};

// ---- Spotting notes: a scene's sound events as Pro Tools memory locations (markers check). ----
{
  const rate = FrameRate.FPS_23_976;
  const tc = tcAt(rate);
  const start = tc('01:00:00:00');
  const notes = [
    ['1', '01:00:02:00', 'Car pass L-R'],
    ['2', '01:00:05:12', 'Door slam'],
    ['3', '01:00:08:00', 'Dog bark off'],
    ['4', '01:00:11:06', 'Glass break'],
    ['5', '01:00:14:18', 'Phone ring'],
  ];
  const row = ([cue, at, line]) => ({ cue, start: at, end: '', line, character: '', reason: '', notes: '', extra: {} });
  out('spotting/reference/spotting.csv', protools.writeCueSheet({ headers: ['Cue', 'Start', 'Line'], rows: notes.map(row) }));
  const session = (list) => createTimeline({
    name: 'spotting', frameRate: rate, startTimecode: start,
    markers: list.map(([, at, name]) => createMarker({ name, position: RationalTime.fromFrames(tc(at).frames - start.frames, rate) })),
  });
  out('spotting/submissions/good/session.txt', protools.writeBytes(session(notes.map(([c, at, n]) => [c, at, n.toUpperCase()])), { timeFormat: 'timecode' }).value);
  out('spotting/submissions/flawed/session.txt', protools.writeBytes(session([
    ['1', '01:00:02:00', 'Car pass L-R'],
    ['2', '01:00:05:15', 'Door slam'], // 3 frames late
    ['3', '01:00:08:02', 'Dog bark off'], // 2 frames late
    ['5', '01:00:14:18', 'Phone'], // wrong name; glass break missing
    ['6', '01:00:16:00', 'Bird'], // not in the reference
  ]), { timeFormat: 'timecode' }).value);
}

// ---- ADR cue list (cues check): CSV sheets. ----
{
  const cues = [
    ['A1', 'ANNA', 'Where were you last night?', '01:00:03:00', '01:00:04:12', 'noise'],
    ['A2', 'BEN', 'Out. Just out.', '01:00:06:12', '01:00:07:20', 'performance'],
    ['A3', 'ANNA', 'With who?', '01:00:10:04', '01:00:11:00', 'noise'],
    ['A4', 'BEN', 'Nobody you know.', '01:00:13:20', '01:00:15:02', 'technical'],
  ];
  const sheet = (list) => protools.writeCueSheet({ headers: [], rows: list.map(([cue, character, line, start, end, reason]) => ({ cue, character, line, start, end, reason, notes: '', extra: {} })) });
  out('adr/reference/adr.csv', sheet(cues));
  out('adr/submissions/good/adr.csv', sheet(cues.map((c) => [c[0], c[1], c[2].toLowerCase().replace(/[.?]/g, ''), c[3], c[4], c[5]])));
  out('adr/submissions/flawed/adr.csv', sheet([
    ['A1', 'ANNA', 'Where were you last night?', '01:00:03:00', '01:00:04:12', ''], // reason left out
    ['A2', 'BOB', 'Out. Just out.', '01:00:06:12', '01:00:07:20', 'performance'], // wrong character
    ['A3', 'ANNA', 'With who?', '01:00:10:07', '01:00:11:00', 'noise'], // 3 frames late
  ])); // A4 missing
}

// ---- Backgrounds spotting (cues check by position): marker MIDI files. ----
{
  const rate = FrameRate.FPS_23_976;
  const tc = tcAt(rate);
  const start = tc('01:00:00:00');
  const bgs = [
    ['BG1', '01:00:00:00', 'City traffic distant'],
    ['BG2', '01:00:07:00', 'Apartment room tone'],
    ['BG3', '01:00:15:00', 'Rain on window'],
  ];
  out('backgrounds/reference/backgrounds.csv', protools.writeCueSheet({ headers: ['Cue', 'Start', 'Line'], rows: bgs.map(([cue, s, line]) => ({ cue, start: s, end: '', line, character: '', reason: '', notes: '', extra: {} })) }));
  const midi = (list) => protools.writeMarkerMidi(createTimeline({
    frameRate: rate, startTimecode: start,
    markers: list.map(([at, name]) => createMarker({ name, position: RationalTime.fromFrames(tc(at).frames - start.frames, rate) })),
  })).value;
  out('backgrounds/submissions/good/backgrounds.mid', midi(bgs.map(([, at, name]) => [at, name])));
  out('backgrounds/submissions/flawed/backgrounds.mid', midi([
    ['01:00:08:00', 'Room tone'], // BG2 24 frames late and misnamed; BG1 missing
    ['01:00:15:00', 'Rain on window'],
    ['01:00:19:00', 'Wind'], // not in the reference
  ]));
}

// ---- Foley session (tracks + timeline checks): a dubstage JSON reference, Pro Tools text exports. ----
{
  const rate = FrameRate.FPS_24;
  const tc = tcAt(rate);
  const f = (n) => RationalTime.fromFrames(n, rate);
  const tenHours = f(tc('10:00:00:00').frames);
  // Foley recordings carry BWF time references: each file's clock starts at 10:00:00:00.
  const media = ['steps_L', 'steps_R', 'cloth', 'keys', 'cup'].map((id) => createMediaSource({ id, name: `${id}.wav`, sampleRate: 48000, channels: 1, start: tenHours }));
  const c = (id, at, len, src) => createClip({ name: id, start: f(at), duration: f(len), sourceStart: tenHours.plus(f(src)), media: { mediaId: id } });
  const session = (tracks) => createTimeline({ name: 'foley', frameRate: rate, startTimecode: tc('01:00:00:00'), media, tracks: Object.entries(tracks).map(([name, clips]) => createTrack({ kind: 'audio', name, clips })) });
  const reference = session({
    'FS 1': [c('steps_L', 0, 24, 0), c('steps_L', 48, 24, 48)],
    'FS 2': [c('steps_R', 24, 24, 0), c('steps_R', 72, 24, 24)],
    CLOTH: [c('cloth', 0, 96, 0)],
    PROPS: [c('keys', 30, 24, 0), c('cup', 100, 24, 0)],
  });
  out('foley/reference/foley.json', json.write(reference).value);
  // A text export carries each region's source time in the TIMESTAMP column.
  const ptExport = (t) => protools.writeBytes({
    ...t, tracks: t.tracks.map((tr) => ({ ...tr, clips: tr.clips.map((k) => ({ ...k, metadata: { 'pt-text': { timestamp: Timecode.fromRationalTime(k.sourceStart, rate, 'floor').toString() } } })) })),
  }, { timeFormat: 'timecode', timestamps: true }).value;
  out('foley/submissions/good/foley.txt', ptExport(reference));
  out('foley/submissions/flawed/foley.txt', ptExport(session({
    'FS 1': [c('steps_L', 0, 24, 0), c('steps_R', 24, 24, 0), c('steps_L', 48, 24, 48), c('steps_R', 72, 24, 24)], // not checkerboarded
    'FS 2': [],
    CLOTH: [c('cloth', 0, 96, 0)],
    PROPS: [c('keys', 30, 24, 0), c('cup', 102, 24, 0)], // cup 2 frames late
  })));
}

// ---- Conform to picture changes (spec/conform.md §8 fixture, Example 9; §10.6 worked example). ----
{
  const rate = FrameRate.FPS_24;
  const dir = join(here, '../conform');
  const sessionRead = readTimeline(readFileSync(join(dir, 'session.json')), { fileName: 'session.json' });
  if (!sessionRead.ok) throw new Error('examples/conform/session.json did not read');
  const v1 = conform.cutFromEdl(readFileSync(join(dir, 'v1.edl')), { rate, pictureStart: '00:59:52:00' });
  const cutOf = (text) => conform.cutFromEdl(text, { rate, pictureStart: '00:59:52:00' });
  const student = (newCut) => {
    const r = conform.conform(v1.value, newCut.value, conform.sessionFromTimeline(sessionRead.value));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    return conform.timelineFromResult(sessionRead.value, r.value);
  };
  // The engine keeps removed material on muted "(conform removed)" tracks, as students should (§10.6 hygiene).
  const jsonOf = (t) => json.write(t).value;
  // The good student conformed to v2 exactly.
  out('conform/submissions/good/session.json', jsonOf(student(cutOf(readFileSync(join(dir, 'v2.edl'))))));
  // §10.6: the student forgot row 1 (A001's 12-frame trim) but inserted E001's 24 frames at the old C|D boundary.
  const forgot = [
    'TITLE: V2 WITHOUT ROW 1', 'FCM: NON-DROP FRAME',
    '001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00',
    '002  B001  V  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00',
    '003  C001  V  C        12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00',
    '004  E001  V  C        14:00:00:00 14:00:01:00 01:00:12:00 01:00:13:00',
    '005  D001  V  C        13:00:02:00 13:00:04:00 01:00:13:00 01:00:15:00', '',
  ].join('\n');
  out('conform/submissions/flawed/session.json', jsonOf(student(cutOf(forgot))));
}

// ---- Stems and printmaster of a dub mix (deliverables check; only with --audio, files not committed). ----
// 24 fps, 48 kHz, 24-bit stereo. Files start at 00:59:56:00 (TimeReference (3600 − 4) × 48000 =
// 172 608 000); 2-pop at 00:59:58:00 (file sample 96 000): one frame (2000 samples) of 1 kHz at
// −30 dBFS; action 01:00:00:00 to the end of 01:00:04:23 (samples 192 000–432 000): a 1 kHz tone
// whose printmaster level is −23 dBFS (EBU Tech 3341 case 1: −23.0 LUFS); tail pop at 01:00:07:00
// (sample 528 000); 12 s long. The printmaster is the exact integer sum of the stems.
const audioAt = process.argv.indexOf('--audio');
if (audioAt >= 0) {
  const root = process.argv[audioAt + 1] && !process.argv[audioAt + 1].startsWith('--') ? process.argv[audioAt + 1] : join(here, 'stems/submissions');
  const SR = 48000;
  const FULL = 2 ** 23;
  const stem = (share, popAt = 96000) => {
    const x = new Int32Array(12 * SR);
    const a = 10 ** (-23 / 20) * share;
    for (let i = 192000; i < 432000; i++) x[i] = Math.round(a * Math.sin((2 * Math.PI * 1000 * i) / SR) * FULL);
    for (const at of [popAt, 528000]) for (let i = 0; i < 2000; i++) x[at + i] = Math.round(0.0316 * Math.sin((2 * Math.PI * 1000 * i) / SR) * FULL);
    return x;
  };
  const sum = (...xs) => xs[0].map((_, i) => xs.reduce((s, x) => s + x[i], 0));
  const write = (rel, ch) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    const r = bwf.createBwf({ sampleRate: SR, bitsPerSample: 24, channels: [ch, ch], bext: { timeReference: 172_608_000n } });
    writeFileSync(p, r.value);
    console.log(`wrote ${p}`);
  };
  const dx = stem(0.6);
  const mx = stem(0.4);
  const fx = stem(0);
  write('good/stems/DX.wav', dx);
  write('good/stems/MX.wav', mx);
  write('good/stems/FX.wav', fx);
  write('good/PM.wav', sum(dx, mx, fx));
  // Flawed: the DX stem's 2-pop is one frame (2000 samples) late and the FX stem is not handed in.
  write('flawed/stems/DX.wav', stem(0.6, 98000));
  write('flawed/stems/MX.wav', mx);
  write('flawed/PM.wav', sum(dx, mx, fx));
}
