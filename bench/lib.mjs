// Shared benchmark helpers: medians of repeated runs, so a noisy machine gives steady ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.DUBSTAGE_SHARED ?? resolve(ROOT, '..', 'shared');
export const WORKLOADS = join(SHARED, 'workloads');
/** Scratch folder for generated inputs (never committed). */
export const TMP = join(ROOT, '.bench-tmp');

export function tmpPath(name) {
  if (!existsSync(TMP)) mkdirSync(TMP, { recursive: true });
  return join(TMP, name);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `fn` (which performs `ops` operations) `rounds` times after a warm-up and returns the median
 * operations per second and the median milliseconds per round.
 */
export function throughput(fn, ops, rounds = 7) {
  fn();
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const m = median(ms);
  return { opsPerSecond: (ops / m) * 1000, ms: m };
}

/** Median wall time in ms of a whole process, `rounds` runs, stdin from a file. */
export function timeProcess(command, args, { stdinFile, rounds = 5 } = {}) {
  const ms = [];
  let last;
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync('bash', ['-c', `${[command, ...args].map(q).join(' ')}${stdinFile ? ` < ${q(stdinFile)}` : ''} > /dev/null`], { stdio: ['ignore', 'ignore', 'pipe'] });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (last.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${last.status}: ${last.stderr}`);
  }
  return median(ms);
}

function q(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/** Generates a workload file once (generators are deterministic, seed 1). */
export function workload(generator, args, outName) {
  const out = tmpPath(outName);
  if (!existsSync(out)) {
    const r = spawnSync(process.execPath, [join(WORKLOADS, generator), ...args, '--out', out], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`workload ${generator} failed`);
  }
  return out;
}

export function fmt(n, digits = 2) {
  return n >= 100 ? n.toFixed(0) : n.toFixed(digits);
}

/** Prints one result row: name, measured value, goal, verdict. */
export function report(name, value, goal, pass) {
  console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${name.padEnd(58)} ${value.padEnd(26)} goal: ${goal}`);
}

/** A seeded pseudo-random generator (mulberry32) in [0, 1): benchmark inputs are the same every run. */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
