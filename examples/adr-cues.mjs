#!/usr/bin/env node
// dubstage example: list the ADR cues of a Pro Tools "Session Info as Text" export tagged with
// ptulsconv's conventions (cue number $QN, character from the track, actor and character number
// from the track comment, scene from `@` time-span clips, title and reel from markers), and write
// them as a CSV cue sheet.
//
//   node examples/adr-cues.mjs [EXPORT.txt] [--csv cues.csv]
//
// Default input: examples/data/adr-session.txt (made by examples/data/make-adr-session.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { protools } from '../dist/index.js';

const args = process.argv.slice(2);
const csvAt = args.indexOf('--csv');
const csvPath = csvAt >= 0 ? args.splice(csvAt, 2)[1] : undefined;
const input = args[0] ?? join(dirname(fileURLToPath(import.meta.url)), 'data', 'adr-session.txt');

const result = protools.parse(readFileSync(input), { source: input });
for (const d of result.diagnostics) console.warn(`${d.severity} ${d.code}: ${d.message}`);
if (!result.ok) process.exit(1);
const t = result.value;

// A clip is an ADR line when its compiled tags (clip > track > track comment > time span > markers
// > session, spec/protools.md §1.11) have a cue number; the tag-free track name is the character.
const cues = [];
for (const track of t.tracks) {
  for (const clip of track.clips) {
    const pt = clip.metadata['pt-text'];
    const fields = pt?.fields ?? {};
    if (!fields.QN || clip.muted) continue;
    const label = (time) => t.startTimecode.plus(Number(time.toFrames(t.frameRate, 'floor'))).toString();
    cues.push({
      cue: fields.QN,
      character: fields.Char ?? track.name,
      actor: fields.Actor ?? '',
      line: fields.Line ?? pt.tags?.content ?? clip.name,
      start: label(clip.start),
      end: label(clip.start.plus(clip.duration)),
      reason: fields.R ?? '',
      scene: fields.Sc ?? '',
      flags: ['TV', 'EFF', 'TBW', 'ADLIB', 'OPT', 'OMIT'].filter((f) => fields[f]).join(' '),
    });
  }
}
cues.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.cue.localeCompare(b.cue)));

const fields0 = cues.length ? t.tracks.flatMap((k) => k.clips).find((c) => c.metadata['pt-text']?.fields?.QN)?.metadata['pt-text'].fields ?? {} : {};
console.log(`${fields0.Title ?? t.name}${fields0.Reel ? `, reel ${fields0.Reel}` : ''} — ${cues.length} ADR cues (${t.frameRate.name} fps)\n`);
console.log(['cue'.padEnd(7), 'character'.padEnd(10), 'start'.padEnd(12), 'end'.padEnd(12), 'reason'.padEnd(16), 'flags'.padEnd(5), 'line'].join(' '));
for (const c of cues) {
  console.log([c.cue.padEnd(7), c.character.padEnd(10), c.start.padEnd(12), c.end.padEnd(12), c.reason.padEnd(16), c.flags.padEnd(5), c.line].join(' '));
}

if (csvPath) {
  const rows = cues.map((c) => ({ cue: c.cue, character: c.character, line: c.line, start: c.start, end: c.end, reason: c.reason, notes: [c.scene && `Sc ${c.scene}`, c.actor && `Actor ${c.actor}`, c.flags].filter(Boolean).join('; '), extra: {} }));
  writeFileSync(csvPath, protools.writeCueSheet({ headers: ['Cue', 'Character', 'Line', 'Start', 'End', 'Reason', 'Notes'], rows }));
  console.log(`\nwrote ${csvPath}`);
}
