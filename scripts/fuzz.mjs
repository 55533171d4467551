#!/usr/bin/env node
// `npm run fuzz -- --seconds N [--format ID] [--seed S]`: mutation fuzzing of every registered
// reader, seeded from ../shared/corpus (see test/fuzz.test.ts for the properties checked).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const get = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const env = { ...process.env, DUBSTAGE_FUZZ_SECONDS: get('seconds') ?? '10' };
if (get('format')) env.DUBSTAGE_FUZZ_FORMAT = get('format');
if (get('seed')) env.DUBSTAGE_FUZZ_SEED = get('seed');
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz.test.ts'], { stdio: 'inherit', env, shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
