import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { mutate, prng } from './helpers/mutate.js';
import { checkRun, regressionFixtures, TARGETS } from './hostile/targets.js';

// Issue 13's short budget, run on every push: mutated seeds (corpus files, or our writers' output
// where there is no corpus) through every parser (test/hostile/targets.ts). Properties: no
// exception escapes, time stays bounded by the input size, memory stays bounded, and every error
// diagnostic has a place (byte offset, line/column or element path). `npm run fuzz -- --seconds N`
// runs longer budgets; `--save DIR` keeps each failing input for minimizing into
// test/fixtures/fuzz/<target>/.
const PER_FORMAT = Number(process.env.DUBSTAGE_FUZZ_RUNS ?? 120);
/** `npm run fuzz -- --seconds N`: run each target for N seconds instead of a fixed count. */
const SECONDS = Number(process.env.DUBSTAGE_FUZZ_SECONDS ?? 0);
const ONLY = process.env.DUBSTAGE_FUZZ_FORMAT;
const SEED = Number(process.env.DUBSTAGE_FUZZ_SEED ?? 0x5eed);
const SAVE = process.env.DUBSTAGE_FUZZ_SAVE;

describe('mutation fuzzing of every parser (short budget)', () => {
  for (const target of TARGETS.filter((f) => !ONLY || f.id === ONLY)) {
    const seeds = target.seeds();
    if (seeds.length === 0) process.stderr.write(`skipping fuzzing of ${target.id}: no seed inputs (its corpus folder is absent and it has no writer)\n`);
    test.skipIf(seeds.length === 0)(`${target.id}: ${SECONDS > 0 ? `${SECONDS} s of` : PER_FORMAT} mutated inputs`, () => {
      const rand = prng(SEED ^ target.id.length ^ (target.id.charCodeAt(0) << 8));
      const failures: string[] = [];
      const until = performance.now() + SECONDS * 1000;
      let i = 0;
      for (; SECONDS > 0 ? performance.now() < until : i < PER_FORMAT; i++) {
        const seed = seeds[i % seeds.length] as Uint8Array;
        const input = mutate(seed, seeds[Math.floor(rand() * seeds.length)] as Uint8Array, rand);
        const found = checkRun(target, input);
        if (found.length === 0) continue;
        failures.push(...found.map((f) => `#${i}: ${f}`));
        if (SAVE) {
          mkdirSync(join(SAVE, target.id), { recursive: true });
          writeFileSync(join(SAVE, target.id, `${i}.bin`), input);
        }
      }
      if (SECONDS > 0) process.stderr.write(`fuzz ${target.id}: ${i} inputs, ${failures.length} failures\n`);
      expect(failures).toEqual([]);
    }, SECONDS > 0 ? SECONDS * 1000 + 120_000 : 120_000);
  }
});

// Every input the fuzzer ever failed on, minimized, stays fixed (docs/robustness.md lists them).
describe('fuzz regression fixtures (test/fixtures/fuzz)', () => {
  const fixtures = regressionFixtures();
  if (fixtures.length === 0) test.skip('no regression fixtures yet', () => undefined);
  for (const f of fixtures) {
    const target = TARGETS.find((t) => t.id === f.target);
    test(`${f.target}/${f.name}`, () => {
      expect(target, `no fuzz target named ${f.target}`).toBeDefined();
      expect(checkRun(target!, f.bytes)).toEqual([]);
    });
  }
});
