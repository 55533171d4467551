import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FORMATS, readTimeline } from '../src/formats/registry.js';
import { FrameRate } from '../src/time/frame-rate.js';
import { corpusFiles } from './helpers/corpus.js';
import { mutate, prng } from './helpers/mutate.js';

// Issue 13's short budget, run on every push: mutated corpus files through every registered
// reader. Properties: no exception escapes (the registry turns one into `format/internal`, which
// counts as a failure here), time stays bounded by the input size, and every error diagnostic
// has a place (byte offset, line/column or element path). `npm run fuzz` runs longer budgets.
const CORPUS_DIR: Record<string, string> = { edl: 'edl', xmeml: 'xmeml', fcpxml: 'fcpxml', otio: 'otio', aaf: 'aaf', bwf: 'bwf', 'pt-text': 'pt-text', ptx: 'ptx' };
const PER_FORMAT = Number(process.env.DUBSTAGE_FUZZ_RUNS ?? 120);
/** `npm run fuzz -- --seconds N`: run each format for N seconds instead of a fixed count. */
const SECONDS = Number(process.env.DUBSTAGE_FUZZ_SECONDS ?? 0);
const ONLY = process.env.DUBSTAGE_FUZZ_FORMAT;
const SEED = Number(process.env.DUBSTAGE_FUZZ_SEED ?? 0x5eed);

describe('mutation fuzzing of every registered reader (short budget)', () => {
  for (const format of FORMATS.filter((f) => !ONLY || f.id === ONLY)) {
    const dir = CORPUS_DIR[format.id];
    const seeds = dir ? corpusFiles(dir).slice(0, 40).map((f) => new Uint8Array(readFileSync(f))).filter((b) => b.length < 4 << 20) : [];
    test.skipIf(seeds.length === 0 || !format.parse)(`${format.id}: ${SECONDS > 0 ? `${SECONDS} s of` : PER_FORMAT} mutated inputs`, () => {
      const rand = prng(SEED ^ format.id.length);
      const failures: string[] = [];
      const until = performance.now() + SECONDS * 1000;
      let i = 0;
      for (; SECONDS > 0 ? performance.now() < until : i < PER_FORMAT; i++) {
        const seed = seeds[i % seeds.length] as Uint8Array;
        const input = mutate(seed, seeds[Math.floor(rand() * seeds.length)] as Uint8Array, rand);
        const t0 = performance.now();
        const r = readTimeline(input, { format: format.id, rate: FrameRate.FPS_24 });
        const ms = performance.now() - t0;
        for (const d of r.diagnostics) {
          if (d.code === 'format/internal') failures.push(`#${i}: ${d.message}`);
          else if (d.severity === 'error' && d.at === undefined && (d.path === undefined || d.path.length === 0)) failures.push(`#${i}: ${d.code} has no place`);
        }
        // Generous bound on a shared 2-core machine: 2 s plus 1 ms per kilobyte.
        if (ms > 2000 + input.length / 1000) failures.push(`#${i}: ${Math.round(ms)} ms for ${input.length} bytes`);
      }
      if (SECONDS > 0) process.stderr.write(`fuzz ${format.id}: ${i} inputs, ${failures.length} failures\n`);
      expect(failures).toEqual([]);
    }, SECONDS > 0 ? SECONDS * 1000 + 120_000 : 120_000);
  }
});
