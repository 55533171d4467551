#!/usr/bin/env node
// `npm run fuzz -- --seconds N [--format ID] [--seed S] [--save DIR]`: mutation fuzzing of every
// parser (registered readers, the compound-file layer, MIDI, CSV, rubrics), seeded from
// ../shared/corpus or our writers' output (see test/fuzz.test.ts for the properties checked).
// --save DIR keeps every failing input as DIR/<target>/<n>.bin for minimizing.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const get = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const env = { ...process.env, DUBSTAGE_FUZZ_SECONDS: get('seconds') ?? '10' };
if (get('format')) env.DUBSTAGE_FUZZ_FORMAT = get('format');
if (get('seed')) env.DUBSTAGE_FUZZ_SEED = get('seed');
if (get('save')) env.DUBSTAGE_FUZZ_SAVE = get('save');
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz.test.ts'], { stdio: 'inherit', env, shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
