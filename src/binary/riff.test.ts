// RIFF walker on hand-built files. Layout facts: BWF digest (../shared/spec/bwf.md) §1 (chunk =
// id, u32 size, data, pad byte after odd sizes; data size 0/0xFFFFFFFF = to EOF; clamp past EOF)
// and §5 (RF64: ds64 first, 0xFFFFFFFF sizes resolved through ds64, 12-byte table entries).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { blobSource, bytesSource, readFully } from './byte-source.js';
import { fourCC, walkRiff, walkRiffSync } from './riff.js';

const enc = new TextEncoder();

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u64(n: bigint): number[] {
  return [...u32(Number(n & 0xffffffffn)), ...u32(Number(n >> 32n))];
}
function chunk(id: string, body: number[], pad = true, sizeField = body.length): number[] {
  return [...enc.encode(id), ...u32(sizeField), ...body, ...(pad && body.length % 2 ? [0] : [])];
}
function riff(chunks: number[][], form = 'RIFF', sizeField?: number): Uint8Array {
  const body = chunks.flat();
  return new Uint8Array([...enc.encode(form), ...u32(sizeField ?? 4 + body.length), ...enc.encode('WAVE'), ...body]);
}

describe('walkRiff', () => {
  test('odd sizes are followed by a pad byte', async () => {
    const bytes = riff([chunk('abcd', [1, 2, 3]), chunk('efgh', [4])]);
    const r = await walkRiff(bytesSource(bytes));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.chunks.map((c) => [c.id, c.offset, c.size, c.padded])).toEqual([
      ['abcd', 12, 3, true],
      ['efgh', 24, 1, true],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  test('a writer that omits the pad byte: the next FourCC is found, with a warning at the place', async () => {
    const bytes = riff([chunk('abcd', [1, 2, 3], false), chunk('efgh', [4, 5])]);
    const r = await walkRiff(bytesSource(bytes));
    if (!r.ok) throw new Error('not ok');
    expect(r.value.chunks.map((c) => [c.id, c.offset])).toEqual([
      ['abcd', 12],
      ['efgh', 23],
    ]);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'riff/missing-pad-byte', at: { offset: 23 } }));
  });

  test('a chunk running past the end is clamped and reported', async () => {
    const bytes = riff([chunk('fmt ', new Array(16).fill(0)), chunk('data', [1, 2, 3, 4], true, 1000)]);
    const r = await walkRiff(bytesSource(bytes));
    if (!r.ok) throw new Error('not ok');
    const data = r.value.chunks[1]!;
    expect([data.declaredSize, data.size, data.truncated]).toEqual([1000, 4, true]);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'riff/truncated-chunk', at: { offset: 40 } }));
  });

  test('data size 0 in plain RIFF runs to the end of the file', async () => {
    const bytes = riff([chunk('data', [], true, 0), [9, 9, 9, 9, 9, 9]]);
    const r = await walkRiff(bytesSource(bytes));
    if (!r.ok) throw new Error('not ok');
    expect(r.value.chunks[0]).toMatchObject({ id: 'data', size: 6, openEnded: true });
    expect(r.diagnostics.map((d) => d.code)).toContain('riff/data-size-unknown');
  });

  test('RF64: ds64 sizes replace 0xFFFFFFFF fields, table entries are 12 bytes', async () => {
    const ds64 = [...u64(0n), ...u64(6n), ...u64(3n), ...u32(1), ...enc.encode('big '), ...u64(2n)];
    const chunks = [chunk('ds64', ds64), chunk('big ', [7, 7], true, 0xffffffff), chunk('data', [1, 2, 3, 4, 5, 6], true, 0xffffffff)];
    const total = 12 + chunks.flat().length;
    ds64.splice(0, 8, ...u64(BigInt(total - 8)));
    const bytes = riff([chunk('ds64', ds64), chunks[1]!, chunks[2]!], 'RF64', 0xffffffff);
    const r = await walkRiff(bytesSource(bytes));
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.value.form).toBe('RF64');
    expect(r.value.ds64).toEqual({ riffSize: BigInt(total - 8), dataSize: 6n, sampleCount: 3n, table: [{ id: 'big ', size: 2n }] });
    expect(r.value.chunks.map((c) => [c.id, c.size])).toEqual([
      ['ds64', 40],
      ['big ', 2],
      ['data', 6],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  test('not a RIFF: a failed result at offset 0', async () => {
    const r = await walkRiff(bytesSource(enc.encode('OggS and more bytes')));
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'riff/not-riff', at: { offset: 0 } });
  });

  test('garbage where a header should be stops the walk with an error at its offset', async () => {
    const bytes = riff([chunk('abcd', [1, 2]), [0, 1, 2, 3, 4, 5, 6, 7]]);
    const r = await walkRiff(bytesSource(bytes));
    if (!r.ok) throw new Error('not ok');
    expect(r.value.chunks.length).toBe(1);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'riff/bad-chunk-id', at: { offset: 22 } }));
  });

  test('Blob and bytes sources agree; readFully loops over short reads', async () => {
    const bytes = riff([chunk('abcd', [1, 2, 3]), chunk('data', [4, 5, 6, 7])]);
    const a = await walkRiff(bytesSource(bytes));
    const b = await walkRiff(blobSource(new Blob([new Uint8Array(bytes)])));
    expect(b).toEqual(a);
    const oneByteAtATime = { size: bytes.length, read: async (o: number, n: number) => bytes.subarray(o, Math.min(o + Math.min(n, 1), bytes.length)) };
    expect([...(await readFully(oneByteAtATime, 3, 10))]).toEqual([...bytes.subarray(3, 13)]);
    const c = await walkRiff(oneByteAtATime, { windowBytes: 4 });
    expect(c.ok && c.value.chunks).toEqual(a.ok && a.value.chunks);
  });

  test('never throws and never loops on random bytes (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (tail, asRiff) => {
        const bytes = asRiff ? new Uint8Array([...enc.encode('RIFF'), ...u32(tail.length + 4), ...enc.encode('WAVE'), ...tail]) : tail;
        const r = await walkRiff(bytesSource(bytes));
        if (r.ok) for (const c of r.value.chunks) expect(c.dataOffset + c.size).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 300 },
    );
  });
});

// The walk reads chunk headers in place from its window and looks FourCCs up in a table of common
// ids (issue 5 performance); both must give what the rules give. The reference below is the rule
// of digest §1 written out for files whose writer pads every odd size.
describe('fast paths of the walk', () => {
  test('fourCC reads four bytes as Latin-1, known or not, and fewer at the end of the bytes', () => {
    const known = ['fmt ', 'data', 'bext', 'iXML', 'JUNK', 'LIST', 'INFO', 'adtl', 'ds64', 'cue '].map((id) => [...enc.encode(id)]);
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...known), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 })), fc.integer({ min: 0, max: 4 }), (id, cut) => {
        const bytes = Uint8Array.from(id);
        expect(fourCC(bytes, 0)).toBe(String.fromCharCode(...id));
        expect(fourCC(bytes.subarray(0, cut), 0)).toBe(String.fromCharCode(...id.slice(0, cut)));
      }),
      { numRuns: 500 },
    );
  });

  test('any chunk list, any window size, any truncation: the chunks of the reference walk', () => {
    const id = fc.oneof(fc.constantFrom('fmt ', 'data', 'bext', 'iXML', 'JUNK', 'LIST', 'cue ', 'fact'), fc.stringMatching(/^[\x20-\x7e]{4}$/));
    // A plain-RIFF data size of 0 means "to the end of the file" (another rule, tested above).
    const sized = fc.record({ id, size: fc.integer({ min: 0, max: 40 }) }).map((c) => (c.id === 'data' && c.size === 0 ? { id: c.id, size: 2 } : c));
    const chunks = fc.array(sized, { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(chunks, fc.constantFrom(1, 4, 7, 12, 13, 33, 8192), fc.nat(), (list, windowBytes, cutSeed) => {
        const whole = riff(list.map((c) => chunk(c.id, Array.from({ length: c.size }, (_, k) => (k * 7 + 1) & 0xff))));
        const cut = 12 + (cutSeed % (whole.length - 11)); // 12 .. whole.length
        const bytes = whole.subarray(0, cut);
        // Reference: headers at 12, 8 + size + pad apart, sizes clamped to the bytes present.
        const expected: { id: string; offset: number; size: number; truncated: boolean }[] = [];
        for (let off = 12, k = 0; off + 8 <= bytes.length && k < list.length; k++) {
          const c = list[k] as { id: string; size: number };
          const size = Math.min(c.size, bytes.length - off - 8);
          expected.push({ id: c.id, offset: off, size, truncated: size < c.size });
          off += 8 + c.size + (c.size % 2);
        }
        const r = walkRiffSync(bytesSource(bytes) as Parameters<typeof walkRiffSync>[0], { windowBytes });
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value.chunks.map((c) => ({ id: c.id, offset: c.offset, size: c.size, truncated: c.truncated }))).toEqual(expected);
      }),
      { numRuns: 800 },
    );
  });
});
