import { describe, expect, test } from 'vitest';
import { openCfbSync, type CfbFile } from '../../src/binary/cfb/read.js';
import { writeCfb, type CfbNode } from '../../src/binary/cfb/write.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { readTimeline } from '../../src/formats/registry.js';
import { runCfb } from './targets.js';

// Issue 13, hostile compound files (shared/spec/cfb.md §7 "Attacks and malformations a reader
// must survive"): FAT / mini-FAT / DIFAT / directory chain cycles, sibling and child loops, and
// absurd sizes and counts. Each patched file must open or fail with placed diagnostics, every
// stream read must end (no hang, no giant allocation), and nothing may throw. Header offsets are
// MS-CFB's (cfb.md §2): # FAT sectors 0x2C, first directory sector 0x30, mini cutoff 0x38, first
// mini-FAT sector 0x3C, first DIFAT sector 0x44, # DIFAT sectors 0x48, DIFAT[0] 0x4C; sector n at
// (n + 1) << shift; directory entries of 128 bytes: left 68, right 72, child 76, start 116, size 120.

const NOSTREAM = 0xffffffff;

function base(sectorSize: 512 | 4096): Promise<Uint8Array> {
  const big = new Uint8Array(9000).map((_, i) => i & 0xff);
  const small = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
  const root: CfbNode & { type: 'storage' } = {
    type: 'storage',
    name: 'Root Entry',
    children: [
      { type: 'storage', name: 'A', children: [{ type: 'stream', name: 'big', data: big }, { type: 'stream', name: 'small', data: small }] },
      { type: 'stream', name: 'x1', data: new Uint8Array(10) },
      { type: 'stream', name: 'x2', data: new Uint8Array(5000) },
      { type: 'storage', name: 'B', children: [{ type: 'stream', name: 'y', data: new Uint8Array(20) }] },
    ],
  };
  return writeCfb(root, { sectorSize });
}

interface Layout {
  bytes: Uint8Array;
  dv: DataView;
  ss: number;
  file: CfbFile;
  fatEntry(n: number): number;
  entryOffset(path: string): number;
}

async function layout(sectorSize: 512 | 4096 = 512): Promise<Layout> {
  const bytes = await base(sectorSize);
  const opened = openCfbSync(bytes);
  if (!opened.ok) throw new Error('base file does not open');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ss = sectorSize;
  const fatSector = dv.getUint32(0x4c, true); // DIFAT[0]: the first FAT sector
  return {
    bytes,
    dv,
    ss,
    file: opened.value,
    // The FAT entry of sector n (the base files are small: one FAT sector holds them all).
    fatEntry: (n) => (fatSector + 1) * ss + 4 * n,
    entryOffset: (path) => {
      const e = opened.value.find(path);
      if (!e) throw new Error(`no ${path}`);
      return e.offset;
    },
  };
}

/** Opens and reads every stream; the properties issue 13 asks for. */
function survive(bytes: Uint8Array): readonly Diagnostic[] {
  const t0 = performance.now();
  let diags: readonly Diagnostic[] = [];
  expect(() => (diags = runCfb(bytes))).not.toThrow();
  expect(performance.now() - t0).toBeLessThan(2000);
  for (const d of diags) if (d.severity === 'error') expect(d.at !== undefined || (d.path?.length ?? 0) > 0, `${d.code} has no place`).toBe(true);
  // The AAF reader on top must survive the same bytes.
  const aaf = readTimeline(bytes, { format: 'aaf' });
  expect(aaf.diagnostics.map((d) => d.code)).not.toContain('format/internal');
  return diags;
}

/** Reads one stream of a patched file; a broken chain must be a diagnostic, not a hang or a wrong length. */
function readPath(bytes: Uint8Array, path: string) {
  const f = openCfbSync(bytes);
  if (!f.ok) return f;
  const e = f.value.find(path);
  if (!e) return undefined;
  return f.value.readStreamSync!(e);
}

describe('compound-file chain cycles', () => {
  test('FAT self-loop in a stream chain (A→A)', async () => {
    const L = await layout();
    const start = L.file.find('/A/big')!.startSector;
    L.dv.setUint32(L.fatEntry(start), start, true);
    survive(L.bytes);
    const r = readPath(L.bytes, '/A/big');
    expect(r?.ok).toBe(false);
  });

  test('FAT two-sector loop (A→B→A)', async () => {
    const L = await layout();
    const start = L.file.find('/A/big')!.startSector;
    const second = L.dv.getUint32(L.fatEntry(start), true);
    L.dv.setUint32(L.fatEntry(second), start, true);
    survive(L.bytes);
    expect(readPath(L.bytes, '/A/big')?.ok).toBe(false);
  });

  test('directory chain that loops back to its first sector', async () => {
    const L = await layout();
    const dirStart = L.dv.getUint32(0x30, true);
    // The base file's 8 entries fill 2 directory sectors of 512 bytes (4 each); the last points home.
    let s = dirStart;
    let n = 1;
    for (let next = L.dv.getUint32(L.fatEntry(s), true); next !== 0xfffffffe; next = L.dv.getUint32(L.fatEntry(s), true), n++) s = next;
    expect(n).toBe(2);
    L.dv.setUint32(L.fatEntry(s), dirStart, true);
    survive(L.bytes);
  });

  test('mini-FAT self-loop in a small stream', async () => {
    const L = await layout();
    const miniFatSector = L.dv.getUint32(0x3c, true);
    const start = L.file.find('/A/small')!.startSector;
    L.dv.setUint32((miniFatSector + 1) * L.ss + 4 * start, start, true);
    survive(L.bytes);
    expect(readPath(L.bytes, '/A/small')?.ok).toBe(false);
  });

  test('DIFAT chain that loops on itself with a count of 0xFFFFFFFF', async () => {
    const L = await layout();
    // Any data sector serves as the "DIFAT sector": its last slot (the next-DIFAT link) points to itself.
    const x = L.file.find('/x2')!.startSector;
    L.dv.setUint32(0x44, x, true);
    L.dv.setUint32(0x48, 0xffffffff, true);
    L.dv.setUint32((x + 1) * L.ss + L.ss - 4, x, true);
    survive(L.bytes);
  });
});

describe('directory tree loops', () => {
  test('an entry that is its own left sibling', async () => {
    const L = await layout();
    const e = L.file.find('/x1')!;
    L.dv.setUint32(e.offset + 68, e.id, true);
    survive(L.bytes);
  });

  test('a storage whose child is the root (an ancestor)', async () => {
    const L = await layout();
    L.dv.setUint32(L.entryOffset('/B') + 76, 0, true);
    survive(L.bytes);
  });

  test('two storages that hold each other', async () => {
    const L = await layout();
    const a = L.file.find('/A')!;
    const b = L.file.find('/B')!;
    L.dv.setUint32(a.offset + 76, b.id, true);
    L.dv.setUint32(b.offset + 76, a.id, true);
    survive(L.bytes);
  });

  test('sibling and child ids past the entry count', async () => {
    const L = await layout();
    const e = L.entryOffset('/x1');
    L.dv.setUint32(e + 68, 0xfffffff0, true);
    L.dv.setUint32(e + 72, 1_000_000, true);
    L.dv.setUint32(L.entryOffset('/A') + 76, NOSTREAM - 1, true);
    survive(L.bytes);
  });
});

describe('absurd sizes and counts', () => {
  test('v3 stream size 0xFFFFFFFF (and garbage in the high word)', async () => {
    const L = await layout(512);
    const e = L.entryOffset('/A/big');
    L.dv.setUint32(e + 120, 0xffffffff, true);
    L.dv.setUint32(e + 124, 0xdeadbeef, true);
    survive(L.bytes);
    const r = readPath(L.bytes, '/A/big');
    // Either refused or clamped to what the chain holds; never 4 GiB of memory.
    if (r?.ok) expect(r.value.length).toBeLessThanOrEqual(L.bytes.length);
  });

  test('v4 stream size 2^64 − 1', async () => {
    const L = await layout(4096);
    const e = L.entryOffset('/x2');
    L.dv.setUint32(e + 120, 0xffffffff, true);
    L.dv.setUint32(e + 124, 0xffffffff, true);
    survive(L.bytes);
    const r = readPath(L.bytes, '/x2');
    if (r?.ok) expect(r.value.length).toBeLessThanOrEqual(L.bytes.length);
  });

  test('header counts of 0xFFFFFFFF (FAT, mini-FAT, directory sectors) and a huge sector shift', async () => {
    for (const [at, v] of [
      [0x2c, 0xffffffff],
      [0x40, 0xffffffff],
      [0x28, 0xffffffff],
      [0x38, 0],
      [0x38, 0xffffffff],
    ] as const) {
      const L = await layout(512);
      L.dv.setUint32(at, v, true);
      survive(L.bytes);
    }
    const L = await layout(512);
    L.dv.setUint16(0x1e, 30, true);
    expect(survive(L.bytes).some((d) => d.severity === 'error')).toBe(true);
  });

  test('every start sector set to MAXREGSECT, ENDOFCHAIN and FREESECT', async () => {
    for (const v of [0xfffffffa, 0xfffffffe, 0xffffffff, 0xfffffffd]) {
      const L = await layout(512);
      for (const e of L.file.entries.values()) L.dv.setUint32(e.offset + 116, v, true);
      survive(L.bytes);
    }
  });

  test('a FAT whose every entry points to sector 0', async () => {
    const L = await layout(512);
    const fatSector = L.dv.getUint32(0x4c, true);
    for (let i = 0; i < L.ss / 4; i++) L.dv.setUint32((fatSector + 1) * L.ss + 4 * i, 0, true);
    survive(L.bytes);
  });
});
