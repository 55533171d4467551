import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { readBwfSync } from '../../src/formats/bwf/read.js';
import { readTimeline } from '../../src/formats/registry.js';

// Issue 13, hostile RIFF / RF64 (layout from shared/spec/bwf.md: RIFF header, `fmt `, `data`;
// RF64 with `ds64` first: riffSize u64, dataSize u64, sampleCount u64, tableLength u32, table of
// {id[4], size u64}). Sizes of 0xFFFFFFFF, ds64 sizes past the file, absurd chunk counts and
// deep iXML must end quickly with placed diagnostics, without allocating what the sizes claim.

const enc = (s: string) => new TextEncoder().encode(s);

function chunk(id: string, payload: Uint8Array, sizeField = payload.length): Uint8Array {
  const out = new Uint8Array(8 + payload.length + (payload.length & 1));
  out.set(enc(id), 0);
  new DataView(out.buffer).setUint32(4, sizeField >>> 0, true);
  out.set(payload, 8);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// PCM, mono, 48 kHz, 16-bit: format tag 1, channels 1, rate 48000, byte rate 96000, align 2, bits 16.
function fmt(): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 1, true);
  dv.setUint16(2, 1, true);
  dv.setUint32(4, 48000, true);
  dv.setUint32(8, 96000, true);
  dv.setUint16(12, 2, true);
  dv.setUint16(14, 16, true);
  return b;
}

function wave(form: 'RIFF' | 'RF64', chunks: Uint8Array[], riffSize?: number): Uint8Array {
  const body = concatAll([enc('WAVE'), ...chunks]);
  const head = new Uint8Array(8);
  head.set(enc(form), 0);
  new DataView(head.buffer).setUint32(4, (riffSize ?? body.length) >>> 0, true);
  return concat(head, body);
}

function ds64(riffSize: bigint, dataSize: bigint, sampleCount: bigint, table: { id: string; size: bigint }[] = [], tableLength = table.length): Uint8Array {
  const b = new Uint8Array(28 + 12 * table.length);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, riffSize, true);
  dv.setBigUint64(8, dataSize, true);
  dv.setBigUint64(16, sampleCount, true);
  dv.setUint32(24, tableLength >>> 0, true);
  table.forEach((t, i) => {
    b.set(enc(t.id), 28 + 12 * i);
    dv.setBigUint64(32 + 12 * i, t.size, true);
  });
  return b;
}

const samples = new Uint8Array(4800);

function survive(bytes: Uint8Array, boundMs = 2000): readonly Diagnostic[] {
  const t0 = performance.now();
  let diags: readonly Diagnostic[] = [];
  expect(() => {
    const r = readBwfSync(bytes);
    diags = r.diagnostics;
    if (r.ok) {
      // Nothing the reader kept is bigger than the file itself.
      for (const c of r.value.chunks) expect(c.size).toBeLessThanOrEqual(bytes.length);
    }
  }).not.toThrow();
  expect(performance.now() - t0).toBeLessThan(boundMs);
  for (const d of diags) if (d.severity === 'error') expect(d.at !== undefined || (d.path?.length ?? 0) > 0, `${d.code} has no place`).toBe(true);
  const t = readTimeline(bytes, { format: 'bwf' });
  expect(t.diagnostics.map((d) => d.code)).not.toContain('format/internal');
  for (const d of t.diagnostics) if (d.severity === 'error') expect(d.at !== undefined || (d.path?.length ?? 0) > 0, `${d.code} has no place`).toBe(true);
  return diags;
}

describe('RIFF sizes of 0xFFFFFFFF', () => {
  test('the RIFF size field', () => {
    survive(wave('RIFF', [chunk('fmt ', fmt()), chunk('data', samples)], 0xffffffff));
  });
  test('the data chunk size (a plain RIFF, no ds64 to resolve it)', () => {
    survive(wave('RIFF', [chunk('fmt ', fmt()), chunk('data', samples, 0xffffffff)]));
  });
  test('the fmt chunk size', () => {
    survive(wave('RIFF', [chunk('fmt ', fmt(), 0xffffffff), chunk('data', samples)]));
  });
  test('a bext chunk claiming 4 GiB before the data (no 4 GiB allocation)', () => {
    const before = process.memoryUsage().arrayBuffers;
    survive(wave('RIFF', [chunk('fmt ', fmt()), chunk('bext', new Uint8Array(602), 0xffffffff), chunk('data', samples)]));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024 * 1024);
  });
  test('sizes of 0 everywhere', () => {
    survive(wave('RIFF', [chunk('fmt ', fmt(), 0), chunk('data', samples, 0)], 0));
  });
});

describe('RF64 ds64 past the file', () => {
  test('riffSize and dataSize of 2^62 in a 5 kB file', () => {
    survive(wave('RF64', [chunk('ds64', ds64(1n << 62n, 1n << 62n, 1n << 61n)), chunk('fmt ', fmt()), chunk('data', samples, 0xffffffff)], 0xffffffff));
  });
  test('dataSize of 2^64 − 1 and a sample count of 2^64 − 1', () => {
    const max = (1n << 64n) - 1n;
    survive(wave('RF64', [chunk('ds64', ds64(max, max, max)), chunk('fmt ', fmt()), chunk('data', samples, 0xffffffff)], 0xffffffff));
  });
  test('a ds64 table length of 0xFFFFFFFF with one real entry', () => {
    survive(wave('RF64', [chunk('ds64', ds64(5000n, 4800n, 2400n, [{ id: 'bext', size: 1n << 40n }], 0xffffffff)), chunk('fmt ', fmt()), chunk('bext', new Uint8Array(602), 0xffffffff), chunk('data', samples, 0xffffffff)], 0xffffffff));
  });
  test('a ds64 chunk shorter than its 28 fixed bytes', () => {
    survive(wave('RF64', [chunk('ds64', new Uint8Array(12)), chunk('fmt ', fmt()), chunk('data', samples, 0xffffffff)], 0xffffffff));
  });
  test('RF64 without ds64', () => {
    survive(wave('RF64', [chunk('fmt ', fmt()), chunk('data', samples, 0xffffffff)], 0xffffffff));
  });
});

describe('absurd counts and nesting', () => {
  test('200,000 empty chunks stop at the chunk limit (100,000) with a placed error', () => {
    const many = Array.from({ length: 200_000 }, () => chunk('JUNK', new Uint8Array(0)));
    const bytes = wave('RIFF', [chunk('fmt ', fmt()), ...many, chunk('data', samples)]);
    // 1.6 MB: the walk is linear (about a microsecond a chunk on an idle machine); the bound is
    // loose because CI machines are shared.
    const d = survive(bytes, 15_000);
    // The 100,001st chunk: RIFF header 12 bytes, fmt 24, then 8-byte JUNK headers (riff.ts default maxChunks).
    expect(d.find((x) => x.code === 'riff/too-many-chunks')?.at?.offset).toBe(12 + 24 + 99_999 * 8);
  });
  test('LIST chunks nested 20,000 deep', () => {
    const innermost = chunk('LIST', concat(enc('INFO'), chunk('INAM', enc('x\0'))));
    // Written in one pass: level i's header at 12·i, its size covering everything after it.
    const depth = 20_000;
    const nested = new Uint8Array(12 * depth + innermost.length);
    const dv = new DataView(nested.buffer);
    for (let i = 0; i < depth; i++) {
      nested.set(enc('LIST'), 12 * i);
      dv.setUint32(12 * i + 4, nested.length - 12 * i - 8, true);
      nested.set(enc('adtl'), 12 * i + 8);
    }
    nested.set(innermost, 12 * depth);
    survive(wave('RIFF', [chunk('fmt ', fmt()), nested, chunk('data', samples)]));
  });
  test('an iXML chunk nested 100,000 elements deep, with an entity bomb and __proto__ names', () => {
    const lol = '<!DOCTYPE BWFXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    const xml = `<?xml version="1.0"?>${lol}<BWFXML><__proto__ polluted="1"/><constructor><prototype polluted="1"/></constructor><SCENE>&c;</SCENE>${'<X>'.repeat(100_000)}${'</X>'.repeat(100_000)}</BWFXML>`;
    survive(wave('RIFF', [chunk('fmt ', fmt()), chunk('iXML', enc(xml)), chunk('data', samples)]));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
