#!/usr/bin/env node
// dubstage demo (`npm run demo`): conform a sound session to a picture change.
// examples/conform holds the fixture of spec/conform.md §8: a 24 fps cut (v1.edl), a 48 kHz
// session in sync with it (session.json, dubstage JSON), and the re-cut of Example 9 (v2.edl:
// A001 loses 12 frames, E001 is inserted between C001 and D001). The demo runs the CLI exactly
// as a user would, prints the change table, and leaves the conformed session, the JSON report,
// the SVG picture and the change EDL in a temporary folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const ex = join(here, 'conform');
const out = mkdtempSync(join(tmpdir(), 'dubstage-demo-'));
const args = [
  'conform', '--old', join(ex, 'v1.edl'), '--new', join(ex, 'v2.edl'), join(ex, 'session.json'),
  '-o', join(out, 'conformed.json'), '--rate', '24', '--picture-start', '00:59:52:00',
  '--report', join(out, 'report.json'), '--svg', join(out, 'conform.svg'), '--change-edl', join(out, 'changes.edl'),
];
console.log(`$ dubstage ${args.map((a) => a.replace(here, 'examples').replace(out, '$OUT')).join(' ')}\n`);
const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
if (r.status !== 0) process.exit(r.status ?? 1);
const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
console.log(`\n${report.rows.length} change rows, total change ${report.totalChangeFrames} frames; ${report.regions.length} regions placed.`);
console.log(`Written to ${out}: conformed.json (the session), report.json, conform.svg (open it in a browser), changes.edl`);
console.log('More: examples/spotting.mjs (timecode arithmetic on a cue list), docs/conform.md, docs/timecode.md.');
