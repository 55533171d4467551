import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.js';

// The package contract of issue 2: ESM + CJS builds, exports "." and "./node", bin, sideEffects.
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const built = existsSync(join(REPO_ROOT, 'dist', 'index.js'));

describe('package.json', () => {
  test('declares the module contract', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.engines.node).toBe('>=18');
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './node']));
    expect(pkg.bin.dubstage).toBe('./dist/cli.js');
  });

  test.skipIf(!built)('every path the exports map names is built, and both builds load', async () => {
    for (const entry of ['.', './node']) {
      for (const cond of ['import', 'require']) {
        for (const file of Object.values(pkg.exports[entry][cond]) as string[]) {
          expect(existsSync(join(REPO_ROOT, file)), `${entry} ${cond} ${file}`).toBe(true);
        }
      }
    }
    const require = createRequire(import.meta.url);
    const cjs = require(join(REPO_ROOT, pkg.exports['.'].require.default));
    const esm = await import(pathToFileURL(join(REPO_ROOT, pkg.exports['.'].import.default)).href);
    for (const mod of [cjs, esm]) {
      const r = mod.Timecode.parse('01:00:00;00', { rate: mod.FrameRate.FPS_29_97_DF });
      expect(r.ok && r.value.frames).toBe(107892); // timecode digest vector #6
    }
    const node = await import(pathToFileURL(join(REPO_ROOT, pkg.exports['./node'].import.default)).href);
    expect(typeof node.Timecode).toBe('function');
    expect(readFileSync(join(REPO_ROOT, pkg.bin.dubstage), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
