import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import CFB from 'cfb';
import { describe, expect, test } from 'vitest';
import { openCfb, type CfbEntry, type CfbFile } from '../../src/binary/cfb/read.js';
import { corpusFiles } from '../helpers/corpus.js';

// Every AAF in ../shared/corpus/aaf is read with our reader and with the npm `cfb` package
// (SheetJS js-cfb 1.2.2, an independent implementation): the two must list the same streams with
// the same bytes. (cfb.md §2 says pyaaf2's 512-byte files are major version 4, which `cfb`
// refuses; the corpus file pyaaf2__sector_size_512.aaf is a Pro Tools 12.8.2 export and is a
// conforming major-3 file, so every corpus file is cross-checked here.)
const files = corpusFiles('aaf', (n) => n.endsWith('.aaf'));

async function walk(file: CfbFile, entry: CfbEntry, out: Map<string, CfbEntry>): Promise<void> {
  for (const c of file.children(entry)) {
    out.set(c.path, c);
    if (c.type === 'storage') await walk(file, c, out);
  }
}

describe.skipIf(files.length === 0)('compound file layer on the AAF corpus', () => {
  test.each(files.map((f) => [basename(f), f]))('%s: same streams and bytes as the cfb package', async (_name, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const ours = await openCfb(bytes);
    expect(ours.ok).toBe(true);
    if (!ours.ok) return;
    const mine = new Map<string, CfbEntry>();
    await walk(ours.value, ours.value.root, mine);
    const theirs = CFB.read(bytes, { type: 'array' });
    const streams = new Map<string, Uint8Array>();
    theirs.FullPaths.forEach((p, i) => {
      const e = theirs.FileIndex[i]!;
      if (e.type !== 2) return;
      // FullPaths start with the root's name ("Root Entry/"); ours start with "/".
      streams.set('/' + p.split('/').slice(1).join('/'), e.content as Uint8Array);
    });
    const ourStreams = [...mine.values()].filter((e) => e.type === 'stream');
    expect(ourStreams.map((e) => e.path).sort()).toEqual([...streams.keys()].sort());
    for (const e of ourStreams) {
      const r = await ours.value.readStream(e);
      expect(r.ok, e.path).toBe(true);
      if (!r.ok) continue;
      const expected = streams.get(e.path)!;
      expect(r.value.length, e.path).toBe(expected.length);
      expect(Buffer.from(r.value).equals(Buffer.from(expected)), e.path).toBe(true);
    }
    // Storage classes: AAF puts the object's class in the storage CLSID; the root is AAF Root
    // b3b398a5-1c90-11d4-8053-080036210804 (cfb.md §4).
    expect(ours.value.root.clsid).toBe('b3b398a5-1c90-11d4-8053-080036210804');
  });

  test('pyaaf2__sector_size_512.aaf is major 3 with a zero directory count (read with xxd: 3e00 0300 feff 0900 at 0x18)', async () => {
    const f = files.find((x) => basename(x) === 'pyaaf2__sector_size_512.aaf');
    if (!f) return;
    const r = await openCfb(new Uint8Array(readFileSync(f)));
    expect(r.ok && r.value.header).toMatchObject({ majorVersion: 3, sectorSize: 512, directorySectorCount: 0 });
    expect(r.diagnostics).toEqual([]);
  });

  test('header kinds match cfb.md §2: Pro Tools 512-byte v3, Media Composer 4096-byte v4', async () => {
    const pt = files.find((f) => basename(f) === 'libaaf__PT_Fades.aaf');
    const mc = files.find((f) => basename(f) === 'libaaf__MC_Fades.aaf');
    if (!pt || !mc) return;
    const a = await openCfb(new Uint8Array(readFileSync(pt)));
    const b = await openCfb(new Uint8Array(readFileSync(mc)));
    expect(a.ok && a.value.header).toMatchObject({ majorVersion: 3, sectorSize: 512, clsid: '42464141-000d-4d4f-060e-2b34010101ff', directorySectorCount: 0 });
    expect(b.ok && b.value.header).toMatchObject({ majorVersion: 4, sectorSize: 4096, clsid: '0d010201-0200-0000-060e-2b3403020101' });
  });
});
