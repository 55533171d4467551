#!/usr/bin/env node
// Makes examples/data/adr-session.txt: a Pro Tools "Session Info as Text" export of a small ADR
// spotting session, written by dubstage's own pt-text writer (as Pro Tools 2020–2023 write it),
// with ptulsconv's tags in track comments, clip names and a marker (spec/protools.md §1.11).
// Run after `npm run build`: node examples/data/make-adr-session.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameRate, RationalTime, Timecode, createClip, createMarker, createTimeline, createTrack, writeTimeline } from '../../dist/index.js';

const rate = FrameRate.FPS_23_976;
const start = Timecode.parse('00:59:58:00', { rate });
if (!start.ok) throw new Error('bad start');
// Positions are labels of the session clock, relative to the session start.
const at = (tc) => {
  const t = Timecode.parse(tc, { rate });
  if (!t.ok) throw new Error(tc);
  return RationalTime.fromFrames(t.value.framesSince(start.value), rate);
};
const clip = (name, from, to) => createClip({ name, start: at(from), duration: at(to).minus(at(from)) });
const timeline = createTimeline({
  name: 'Harbour Night ADR',
  frameRate: rate,
  sampleRate: 48000,
  startTimecode: start.value,
  tracks: [
    createTrack({ kind: 'audio', name: 'Scenes', clips: [clip('@ {Sc=12 Ext. Harbour - Night}', '01:00:00:00', '01:01:30:00'), clip('@ {Sc=13 Int. Boat - Night}', '01:01:30:00', '01:03:00:00')] }),
    createTrack({
      kind: 'audio',
      name: 'Maya',
      comments: '[ADR] {Actor=Jo Bell} $CN=1',
      clips: [
        clip('"Where were you last night?" $QN=MY101 {R=Noise on set}', '01:00:12:04', '01:00:14:10'),
        clip('"You said you would call." $QN=MY102 {R=Performance} [TV]', '01:00:41:17', '01:00:43:02'),
        clip('"Get the lines, Tom!" $QN=MY103 {R=Plane overhead} $P=1', '01:01:44:20', '01:01:46:00'),
      ],
    }),
    createTrack({
      kind: 'audio',
      name: 'Tom',
      comments: '[ADR] {Actor=Sam Reed} $CN=2',
      clips: [
        clip('"Out on the water. Where else?" $QN=TM101 {R=Noise on set}', '01:00:15:01', '01:00:17:12'),
        clip('(breath, effort) $QN=TM102 [EFF]', '01:01:50:08', '01:01:52:00'),
      ],
    }),
  ],
  markers: [createMarker({ name: '{Title=Harbour Night} $Reel=R1 {Supv=K. Ito}', position: at('01:00:00:00') })],
});
const out = writeTimeline(timeline, 'pt-text');
for (const d of out.diagnostics) console.warn(`${d.severity}: ${d.message}`);
const file = join(dirname(fileURLToPath(import.meta.url)), 'adr-session.txt');
writeFileSync(file, out.value);
console.log(`wrote ${file}`);
