import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { corpusDir } from '../helpers/corpus.js';
import { runCli } from '../helpers/cli.js';

// Batch input (issue 12): `dubstage bwf` takes folders and quoted globs as well as files. The
// expected file counts are the corpus folder's own listing.
const dir = corpusDir('bwf');

describe.skipIf(!dir)('dubstage bwf over a folder and a glob', () => {
  const waves = dir ? readdirSync(dir).filter((f) => /\.(wav|bwf)$/i.test(f)) : [];

  test('a folder: one JSON line per WAVE file in it', async () => {
    const r = await runCli(['bwf', dir!, '--json']);
    const files = r.stdout.trim().split('\n').map((l) => JSON.parse(l).file as string);
    expect(files.map((f) => f.split(/[\\/]/).pop()).sort()).toEqual([...waves].sort());
  });

  test('a quoted glob the shell did not expand, and a miss reported as unreadable', async () => {
    const lower = waves.filter((f) => f.endsWith('.wav'));
    const r = await runCli(['bwf', join(dir!, '*.wav'), join(dir!, 'no-such-*.wav'), '--json']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => !l.diagnostics?.some((d: { code: string }) => d.code === 'bwf/cannot-open')).length).toBe(lower.length);
    expect(lines.at(-1).file).toContain('no-such-*.wav');
    expect(r.status).toBe(1);
  });
});
