#!/usr/bin/env node
// dubstage example: turn a picture editor's Premiere Pro / FCP 7 XML into an AAF for Pro Tools,
// list what the AAF could not carry, and read the AAF back as a check.
//
//   node examples/xml-to-aaf.mjs [IN.xml] [OUT.aaf] [--target protools|mediacomposer|resolve]
//
// Default input: examples/data/premiere-cut.xml (made by examples/data/make-premiere-xml.mjs);
// default output: a temporary file. Media stays linked (file URLs), as editors hand it over.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aaf, readTimeline, writeTimeline } from '../dist/index.js';

const args = process.argv.slice(2);
const at = args.indexOf('--target');
const target = at >= 0 ? args.splice(at, 2)[1] : 'protools';
const input = args[0] ?? join(dirname(fileURLToPath(import.meta.url)), 'data', 'premiere-cut.xml');
const output = args[1] ?? join(mkdtempSync(join(tmpdir(), 'dubstage-aaf-')), 'cut.aaf');

const cut = readTimeline(readFileSync(input), { fileName: input });
for (const d of cut.diagnostics) console.warn(`read ${d.severity} ${d.code}: ${d.message}`);
if (!cut.ok) process.exit(1);

const out = writeTimeline(cut.value, 'aaf', { target });
for (const d of out.diagnostics) console.warn(`not carried (${d.code}): ${d.message}`);
if (!out.value) process.exit(1);
writeFileSync(output, out.value);

const back = aaf.readTimelineSync(out.value);
if (!back.ok) throw new Error(back.diagnostics[0].message);
const t = back.value;
console.log(`${input} → ${output} (${target}, ${out.value.byteLength} bytes)`);
console.log(`"${t.name}" at ${t.frameRate.name} fps from ${t.startTimecode}, ${t.sampleRate} Hz`);
for (const track of t.tracks) {
  console.log(`  ${track.name.padEnd(6)} ${track.clips.length} clips: ${track.clips.map((c) => c.name).join(', ')}`);
}
