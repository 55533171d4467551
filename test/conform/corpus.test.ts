// Every EDL of the shared corpus becomes a cut, normalises and conforms to itself with no rows
// (spec/conform.md I6): real lists with dissolves, wipes, M2 speed lines, black and multiple
// tracks must never throw and must map onto themselves.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { expect, test } from 'vitest';
import { corpusFiles } from '../helpers/corpus.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { buildConformMap, cutFromEdl, normalizeCut } from '../../src/conform/index.js';

const files = corpusFiles('edl');

test.skipIf(files.length === 0)('corpus EDLs: cut, normalise, identity map', () => {
  for (const f of files) {
    const rate = /25fps|test_25/.test(f) ? FrameRate.FPS_25 : /5994/.test(f) ? FrameRate.of(60000, 1001) : /29|2997/.test(basename(f)) ? FrameRate.of(30000, 1001) : FrameRate.FPS_24;
    const c = cutFromEdl(readFileSync(f), { rate, source: basename(f) });
    expect(c.ok, f).toBe(true);
    if (!c.ok) continue;
    const shots = normalizeCut(c.value).shots;
    for (let i = 1; i < shots.length; i++) expect((shots[i] as { recIn: number }).recIn, f).toBeGreaterThanOrEqual((shots[i - 1] as { recOut: number }).recOut);
    const m = buildConformMap(c.value, c.value);
    expect(m.ok, f).toBe(true);
    if (m.ok) expect(m.value.rows.filter((r) => r.length !== 0), f).toEqual([]);
  }
});
