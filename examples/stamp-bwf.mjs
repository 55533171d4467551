#!/usr/bin/env node
// dubstage example: stamp a start timecode on every WAV of a folder (bext TimeReference), the
// way a sound editor prepares field recordings or stems for a session that starts at 01:00:00:00.
//
//   node examples/stamp-bwf.mjs [FOLDER] [--timecode 01:00:00:00] [--rate 24] [--keep]
//
// Without FOLDER, three demo files (48 kHz, 96 kHz and 44.1 kHz) are made in a temporary folder
// first. The TimeReference is the timecode's position in samples at each file's own rate, so
// the same label gives different sample counts; metadata is changed in place where it fits,
// otherwise through a temporary file renamed over the original.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameRate, Timecode, bwf, timecodeToTimeReference } from '../dist/index.js';
import { openFileSource, writeBwfFile } from '../dist/node.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const rateResult = FrameRate.parse(option('--rate', '24'));
if (!rateResult.ok) throw new Error(rateResult.diagnostics[0].message);
const rate = rateResult.value;
const tcResult = Timecode.parse(option('--timecode', '01:00:00:00'), { rate });
if (!tcResult.ok) throw new Error(tcResult.diagnostics[0].message);
const timecode = tcResult.value;

const keep = args.includes('--keep') && args.splice(args.indexOf('--keep'), 1).length > 0;
let folder = args[0];
const demo = !folder;
if (demo) {
  folder = mkdtempSync(join(tmpdir(), 'dubstage-stamp-'));
  for (const [name, sampleRate] of [['boom.wav', 48_000], ['lav.wav', 96_000], ['room-tone.wav', 44_100]]) {
    const tone = Float32Array.from({ length: sampleRate / 10 }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate));
    writeFileSync(join(folder, name), bwf.createBwf({ sampleRate, bitsPerSample: 24, channels: [tone], bext: { description: 'demo take' } }).value);
  }
  console.log(`(made 3 demo files in ${folder}${keep ? '' : '; removed at the end, --keep keeps them'})`);
}

console.log(`Stamping ${timecode} @ ${rate.name} fps on the WAVs of ${folder}\n`);
for (const name of readdirSync(folder).filter((n) => /\.(wav|bwf)$/i.test(n)).sort()) {
  const path = join(folder, name);
  const source = await openFileSource(path);
  const read = await bwf.readBwf(source);
  await source.close();
  if (!read.ok || !read.value.format) {
    console.log(`${name}: skipped (${read.diagnostics[0]?.message ?? 'no fmt chunk'})`);
    continue;
  }
  const sampleRate = read.value.format.sampleRate;
  const timeReference = timecodeToTimeReference(timecode, sampleRate);
  const result = await writeBwfFile(path, { bext: { timeReference } });
  // Read back what is on disk now, as a check.
  const check = await openFileSource(path);
  const back = await bwf.readBwf(check);
  await check.close();
  const start = back.ok ? bwf.startTimecode(back.value, { rate }) : undefined;
  console.log(`${name.padEnd(16)} ${String(sampleRate).padStart(6)} Hz  TimeReference ${String(timeReference).padStart(12)}  (${result.mode})  now starts ${start?.timecode ?? '?'}`);
}
if (demo && !keep) rmSync(folder, { recursive: true, force: true });
