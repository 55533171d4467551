// The Node file source behind `dubstage bwf` and the batch reader (issue 5 performance): reads
// are carved out of a shared slab, the source is one object per file, close() is synchronous.
// What it returns must not change: the same metadata as the bytes read in memory, views that
// later reads never overwrite, errors as the ByteSource contract states them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createBwf } from '../../src/formats/bwf/create.js';
import { readBwfSync } from '../../src/formats/bwf/read.js';
import { openFileSource, openFileSourceSync } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'dubstage-bwf-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(i: number, audioFrames = 2000): { path: string; bytes: Uint8Array } {
  const bytes = createBwf({
    sampleRate: 48000,
    bitsPerSample: 24,
    channels: [new Int32Array(audioFrames).fill(i)],
    bext: { description: `file ${i}`, originator: 'source-test', timeReference: BigInt(i) * 48000n },
    ixml: { scene: `S${i}`, take: String(i), note: 'n'.repeat(i % 7) },
    markers: [{ position: i, label: `m${i}` }],
  }).value;
  const path = join(dir, `f${i}.wav`);
  writeFileSync(path, bytes);
  return { path, bytes };
}

/** The parts of a result that do not depend on where the bytes came from (payloads compared as bytes). */
function facts(r: ReturnType<typeof readBwfSync>): unknown {
  if (!r.ok) return r.diagnostics;
  const v = r.value;
  return { chunks: v.chunks.map((c) => ({ ...c, payload: c.payload ? Array.from(c.payload) : undefined })), bext: v.bext, scene: v.ixml?.scene, xml: v.ixml?.xml, markers: v.markers, format: v.format, diagnostics: r.diagnostics };
}

describe('openFileSourceSync', () => {
  test('the metadata read through the file equals the metadata read from the same bytes in memory', () => {
    for (let i = 0; i < 20; i++) {
      const { path, bytes } = file(i);
      const src = openFileSourceSync(path);
      try {
        expect(src.size).toBe(bytes.length);
        expect(facts(readBwfSync(src))).toEqual(facts(readBwfSync(bytes)));
      } finally {
        src.close();
      }
    }
  });

  test('payloads kept from one file are not overwritten by reading many others (views of a shared slab)', () => {
    const first = file(1000);
    const src = openFileSourceSync(first.path);
    const kept = readBwfSync(src);
    src.close();
    if (!kept.ok) throw new Error('read');
    const before = kept.value.chunks.map((c) => (c.payload ? Array.from(c.payload) : undefined));
    // Enough reads to fill several 256 KiB slabs.
    const others = Array.from({ length: 40 }, (_, i) => file(i).path);
    for (let i = 0; i < 300; i++) {
      const other = openFileSourceSync(others[i % 40]!);
      readBwfSync(other);
      other.close();
    }
    expect(kept.value.chunks.map((c) => (c.payload ? Array.from(c.payload) : undefined))).toEqual(before);
    expect(kept.value.bext?.description).toBe('file 1000');
  });

  test('reads larger than the slab get their own buffer; reads past the end are short or empty', () => {
    const big = file(5, 40_000); // 120 kB of audio
    const src = openFileSourceSync(big.path);
    try {
      const all = src.readSync(0, big.bytes.length);
      expect(Buffer.from(all).equals(Buffer.from(big.bytes))).toBe(true);
      expect(src.readSync(big.bytes.length - 10, 100).length).toBe(10);
      expect(src.readSync(big.bytes.length + 5, 100).length).toBe(0);
    } finally {
      src.close();
    }
  });

  test('after close: readSync throws, read rejects, close again resolves', async () => {
    const src = openFileSourceSync(file(3).path);
    await src.close();
    expect(() => src.readSync(0, 12)).toThrow(/read after close/);
    await expect(src.read(0, 12)).rejects.toThrow(/read after close/);
    await expect(src.close()).resolves.toBeUndefined();
  });

  test('openFileSource (async) gives the same source; a missing file throws ENOENT', async () => {
    const { path, bytes } = file(7);
    const src = await openFileSource(path);
    try {
      expect(Array.from(await src.read(0, 12))).toEqual(Array.from(bytes.subarray(0, 12)));
    } finally {
      await src.close();
    }
    expect(() => openFileSourceSync(join(dir, 'missing.wav'))).toThrow(/ENOENT/);
  });
});

describe('readInto (sample streams read every block into one buffer)', () => {
  test('reads the bytes readFileSync gives, clamped at the end of the file, 0 past it', () => {
    const { path, bytes } = file(5, 10_000);
    const src = openFileSourceSync(path);
    try {
      const target = new Uint8Array(4096).fill(0xee);
      expect(src.readInto(100, target, 16, 1000)).toBe(1000);
      expect([...target.subarray(16, 1016)]).toEqual([...bytes.subarray(100, 1100)]);
      expect(target[15]).toBe(0xee); // nothing written before targetOffset
      expect(target[1016]).toBe(0xee); // nor after the count
      // Near the end: only what the file holds.
      expect(src.readInto(bytes.length - 10, target, 0, 100)).toBe(10);
      expect([...target.subarray(0, 10)]).toEqual([...bytes.subarray(bytes.length - 10)]);
      expect(src.readInto(bytes.length + 5, target, 0, 100)).toBe(0);
      // Never past the target's end.
      expect(src.readInto(0, target, 4090, 100)).toBe(6);
      expect(() => src.readInto(0, target, 5000, 1)).toThrow(RangeError);
    } finally {
      void src.close();
    }
    expect(() => src.readInto(0, new Uint8Array(4), 0, 4)).toThrow(/after close/);
  });
});
