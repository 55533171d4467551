import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ByteSource } from '../byte-source.js';
import { ENDOFCHAIN, FREESECT, openCfb, type CfbFile } from './read.js';
import { compareEntryNames, writeCfb, writeCfbTo, type CfbNode, type CfbStreamData } from './write.js';

// Facts: MS-CFB / shared/spec/cfb.md §2 (header fields), §3 (DIFAT, range lock), §5 (sibling
// order and red-black balance), §10 (writer checklist). Output is read back by our reader and by
// the npm `cfb` package (SheetJS), an independent implementation.

const storage = (name: string, children: CfbNode[], clsid?: string): CfbNode & { type: 'storage' } => ({ type: 'storage', name, children, ...(clsid ? { clsid } : {}) });
const stream = (name: string, data: CfbStreamData): CfbNode => ({ type: 'stream', name, data });

async function allStreams(f: CfbFile): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const e of f.entries.values()) {
    if (e.type !== 'stream') continue;
    const r = await f.readStream(e);
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    out.set(e.path, r.value);
  }
  return out;
}

function expectedStreams(node: CfbNode, prefix = '', out = new Map<string, Uint8Array>()): Map<string, Uint8Array> {
  if (node.type === 'stream') out.set(prefix, node.data as Uint8Array);
  else for (const c of node.children) expectedStreams(c, `${prefix}/${c.name}`, out);
  return out;
}

/** Checks BST order (MS-CFB comparison) and red-black shape of every storage's sibling tree. */
function checkTrees(bytes: Uint8Array, ss: number, dirStart: number): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  // The writer lays the directory out contiguously, so entries can be read directly.
  const at = (id: number) => (dirStart + 1) * ss + id * 128;
  const name = (id: number) => {
    const len = dv.getUint16(at(id) + 64, true) / 2 - 1;
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(dv.getUint16(at(id) + i * 2, true));
    return s;
  };
  const black = (id: number) => bytes[at(id) + 67] === 1;
  const link = (id: number, off: number) => dv.getUint32(at(id) + off, true);
  const walk = (id: number, names: string[]): number => {
    if (id === 0xffffffff) return 1;
    const l = link(id, 68);
    const r = link(id, 72);
    if (!black(id)) for (const c of [l, r]) if (c !== 0xffffffff) expect(black(c)).toBe(true);
    const hl = walk(l, names);
    names.push(name(id));
    const hr = walk(r, names);
    expect(hl).toBe(hr);
    if (bytes[at(id) + 66] === 1) checkStorage(id);
    return hl + (black(id) ? 1 : 0);
  };
  const checkStorage = (id: number) => {
    const top = link(id, 76);
    if (top === 0xffffffff) return;
    expect(black(top)).toBe(true);
    const names: string[] = [];
    walk(top, names);
    for (let i = 1; i < names.length; i++) expect(compareEntryNames(names[i - 1]!, names[i]!)).toBeLessThan(0);
  };
  checkStorage(0);
}

const nameArb = fc.stringMatching(/^[A-Za-z0-9 _{}\-]{1,31}$/);
const leafArb = fc.tuple(nameArb, fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 4096, maxLength: 9000 })));
const treeArb: fc.Arbitrary<CfbNode[]> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb.map(([n, d]) => stream(n, d)),
    fc.tuple(nameArb, tie('children') as fc.Arbitrary<CfbNode[]>).map(([n, c]) => storage(n, c)),
  ),
  children: fc.uniqueArray(tie('node') as fc.Arbitrary<CfbNode>, { maxLength: 12, selector: (n) => n.name.toUpperCase() }),
})).children as fc.Arbitrary<CfbNode[]>;

describe('writeCfb', () => {
  test('header fields: v4 with 4096-byte sectors, v3 with 512 and a zero directory count (cfb.md §2)', async () => {
    for (const ss of [4096, 512] as const) {
      const bytes = await writeCfb(storage('', [stream('a', new Uint8Array(10))]), { sectorSize: ss, headerClsid: '42464141-000d-4d4f-060e-2b34010101ff', rootClsid: 'b3b398a5-1c90-11d4-8053-080036210804' });
      const r = await openCfb(bytes);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.diagnostics).toEqual([]);
      expect(r.value.header).toMatchObject({ majorVersion: ss === 4096 ? 4 : 3, sectorSize: ss, miniStreamCutoff: 4096, transactionSignature: 0, firstDifatSector: ENDOFCHAIN, clsid: '42464141-000d-4d4f-060e-2b34010101ff' });
      if (ss === 512) expect(r.value.header.directorySectorCount).toBe(0);
      expect(r.value.root.clsid).toBe('b3b398a5-1c90-11d4-8053-080036210804');
      expect(bytes.length % ss).toBe(0);
    }
  });

  test('random trees read back identically with our reader and the cfb package; sibling trees are ordered red-black trees', async () => {
    await fc.assert(fc.asyncProperty(treeArb, fc.constantFrom(512 as const, 4096 as const), async (children, ss) => {
      const root = storage('', children);
      const bytes = await writeCfb(root, { sectorSize: ss });
      const r = await openCfb(bytes);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.diagnostics).toEqual([]);
      const want = expectedStreams(root);
      const got = await allStreams(r.value);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [k, v] of want) expect(Buffer.from(got.get(k)!).equals(Buffer.from(v))).toBe(true);
      checkTrees(bytes, ss, r.value.header.firstDirectorySector);
      // The cfb package reads 512-byte (v3) and 4096-byte (v4) files alike.
      const theirs = CFB.read(bytes, { type: 'array' });
      theirs.FullPaths.forEach((p, i) => {
        const e = theirs.FileIndex[i]!;
        if (e.type !== 2) return;
        const key = '/' + p.split('/').slice(1).join('/');
        expect(want.has(key), `${key} in ${[...want.keys()].join(',')}`).toBe(true);
        expect(Buffer.from((e.content as Uint8Array | undefined) ?? new Uint8Array(0)).equals(Buffer.from(want.get(key)!))).toBe(true); // cfb gives no content for empty streams
      });
    }), { numRuns: 60 });
  });

  test('the same tree gives the same bytes (deterministic)', async () => {
    const tree = storage('', [storage('Header-2', [stream('properties', new Uint8Array(100).fill(3))]), stream('big', new Uint8Array(10000).fill(9))]);
    const a = await writeCfb(tree);
    const b = await writeCfb(tree);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  test('more than 109 FAT sectors chain DIFAT sectors (512-byte sectors, an 8 MB stream)', async () => {
    const big = new Uint8Array(8 << 20).map((_, i) => (i * 7) & 255);
    const bytes = await writeCfb(storage('', [stream('essence', big)]), { sectorSize: 512 });
    const r = await openCfb(bytes);
    expect(r.ok && r.value.header.difatSectorCount).toBeGreaterThan(0);
    expect(r.ok && r.value.header.fatSectorCount).toBeGreaterThan(109);
    const s = r.ok ? await r.value.readStream(r.value.find('/essence')!) : undefined;
    expect(s?.ok && Buffer.from(s.value).equals(Buffer.from(big))).toBe(true);
    const theirs = CFB.find(CFB.read(bytes, { type: 'array' }), 'essence');
    expect(Buffer.from(theirs!.content as Uint8Array).equals(Buffer.from(big))).toBe(true);
  });

  test('names the format cannot hold are refused', async () => {
    await expect(writeCfb(storage('', [stream('x'.repeat(32), new Uint8Array(1))]))).rejects.toThrow(RangeError);
    await expect(writeCfb(storage('', [stream('a', new Uint8Array(1)), stream('A', new Uint8Array(1))]))).rejects.toThrow(RangeError);
  });

  test('a file past 2 GB streams from a byte source and reserves the range-lock sector (cfb.md §3)', async () => {
    const size = 0x8800_0000; // 2.125 GiB
    const zeros = new Uint8Array(4 << 20);
    const source: ByteSource = { size, read: (o, n) => Promise.resolve(zeros.subarray(0, Math.min(n, size - o))) };
    const prefix: Uint8Array[] = [];
    let captured = 0;
    let total = 0;
    await writeCfbTo(storage('', [stream('Data-2702', source), stream('small', new Uint8Array([1, 2, 3]))]), {
      write(c) {
        if (captured < 8 << 20) {
          prefix.push(c.slice(0, Math.min(c.length, (8 << 20) - captured)));
          captured += Math.min(c.length, (8 << 20) - captured);
        }
        total += c.length;
      },
    });
    const head = new Uint8Array(captured);
    let at = 0;
    for (const p of prefix) {
      head.set(p, at);
      at += p.length;
    }
    const virtual: ByteSource = { size: total, read: (o, n) => Promise.resolve(o < head.length ? head.subarray(o, Math.min(o + n, head.length)) : new Uint8Array(Math.max(0, Math.min(n, total - o)))) };
    const r = await openCfb(virtual);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = r.value.find('/Data-2702')!;
    expect(e.size).toBe(size);
    const tail = await r.value.readStream(e, size - 16, 16);
    expect(tail.ok).toBe(true);
    // FAT entry of the range-lock sector 524286 (0x7FFFFF00 / 4096 − 1) is ENDOFCHAIN and the
    // stream's chain jumps over it.
    const dv = new DataView(head.buffer);
    const fatSector = (k: number): number => {
      if (k < 109) return dv.getUint32(0x4c + k * 4, true);
      const first = dv.getUint32(0x44, true);
      return dv.getUint32((first + 1) * 4096 + (k - 109) * 4, true); // one DIFAT sector suffices here
    };
    const entry = (n: number) => dv.getUint32((fatSector(Math.floor(n / 1024)) + 1) * 4096 + (n % 1024) * 4, true);
    expect(entry(524286)).toBe(ENDOFCHAIN);
    expect(entry(524285)).toBe(524287);
    expect(entry(0)).not.toBe(FREESECT);
    const small = await r.value.readStream(r.value.find('/small')!);
    expect(small.ok && [...small.value]).toEqual([1, 2, 3]);
  }, 120_000);
});
