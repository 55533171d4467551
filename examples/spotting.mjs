#!/usr/bin/env node
// dubstage example: spot a cue list. Reads examples/data/cues.tsv (cues of a 23.976 fps reel in a
// 48 kHz session whose picture starts at 01:00:00:00) and prints, for every cue, its frame count,
// sample position, feet+frames from picture start and exact length, using only dubstage's public API.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameRate, Timecode, RationalTime, framesToFeet, formatFeet, timecodeToTimeReference } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const rate = FrameRate.FPS_23_976;
const sampleRate = 48_000;
const parse = (text, line) => {
  const r = Timecode.parse(text, { rate, line });
  if (!r.ok) throw new Error(`cues.tsv:${line}: ${r.diagnostics[0].message}`);
  return r.value;
};
const pictureStart = parse('01:00:00:00', 0);

console.log(`Cue list at ${rate.name} fps (exactly ${rate.rate} frames/s), ${sampleRate} Hz, picture start ${pictureStart}\n`);
console.log(['cue'.padEnd(7), 'start'.padEnd(12), 'end'.padEnd(12), 'frame', '  session sample', 'feet+frames', 'length (s)', ' description'].join(' '));
const lines = readFileSync(join(here, 'data/cues.tsv'), 'utf8').split('\n');
lines.forEach((line, i) => {
  if (!line.trim() || line.startsWith('#')) return;
  const [cue, startText, endText, description] = line.split('\t');
  const start = parse(startText, i + 1);
  const end = parse(endText, i + 1);
  const fromPicture = start.framesSince(pictureStart);
  const samples = timecodeToTimeReference(start, sampleRate) - timecodeToTimeReference(pictureStart, sampleRate);
  const length = RationalTime.fromFrames(end.framesSince(start), rate);
  console.log([
    cue.padEnd(7), start.toString().padEnd(12), end.toString().padEnd(12), String(fromPicture).padStart(5),
    String(samples).padStart(16), formatFeet(framesToFeet(fromPicture, '35mm-4perf')).padStart(11),
    length.toSecondsNumber().toFixed(3).padStart(10), ' ' + description,
  ].join(' '));
});
console.log(`\nThe CLI converts the same labels, counted from 00:00:00:00: grep -v '^#' examples/data/cues.tsv | cut -f2 | npx dubstage tc --rate 23.976 --to samples`);
