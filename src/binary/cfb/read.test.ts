import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ENDOFCHAIN, openCfb } from './read.js';

// Test files are written by the npm `cfb` package (an independent writer: v3, 512-byte sectors),
// then damaged by hand at offsets computed from MS-CFB's layout (cfb.md §2–4).
function sample(): Uint8Array {
  const c = CFB.utils.cfb_new();
  CFB.utils.cfb_add(c, '/Big', new Uint8Array(10_000).map((_, i) => i % 251));
  CFB.utils.cfb_add(c, '/Dir/small', new Uint8Array([1, 2, 3, 4, 5]));
  CFB.utils.cfb_add(c, '/Dir/other', new Uint8Array(300).fill(7));
  return new Uint8Array(CFB.write(c, { type: 'array' }) as number[]);
}

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o, true);
const setU32 = (b: Uint8Array, o: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(o, v, true);

/** File offset of FAT entry `n` (first FAT sector from the header's DIFAT slot 0). */
function fatEntryOffset(b: Uint8Array, n: number): number {
  return (u32(b, 0x4c) + 1) * 512 + n * 4;
}

async function open(b: Uint8Array) {
  const r = await openCfb(b);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

describe('openCfb', () => {
  test('reads streams written by the cfb package, big (FAT) and small (mini stream)', async () => {
    const f = await open(sample());
    const big = f.find('/Big')!;
    expect(big.size).toBe(10_000);
    const r = await f.readStream(big);
    expect(r.ok && r.value[250]).toBe(250);
    expect(r.ok && r.value[251]).toBe(0);
    const small = f.find('/dir/SMALL')!; // case-insensitive look-up (cfb.md §5)
    expect(small.path).toBe('/Dir/small');
    const s = await f.readStream(small);
    expect(s.ok && [...s.value]).toEqual([1, 2, 3, 4, 5]);
    const part = await f.readStream(big, 9_998, 10);
    expect(part.ok && [...part.value]).toEqual([9998 % 251, 9999 % 251]);
  });

  test('not a compound file, KLV AAF and truncated headers are diagnostics', async () => {
    expect((await openCfb(new Uint8Array(10))).diagnostics[0]?.code).toBe('cfb/bad-signature');
    expect((await openCfb(new Uint8Array([0x06, 0x0e, 0x2b, 0x34, 0, 0, 0, 0]))).diagnostics[0]?.code).toBe('cfb/klv-encoded');
    expect((await openCfb(sample().subarray(0, 300))).diagnostics[0]?.code).toBe('cfb/truncated');
    const b = sample();
    b[0x1e] = 10; // sector shift 10 does not exist
    expect((await openCfb(b)).diagnostics[0]).toMatchObject({ code: 'cfb/bad-sector-shift', at: { offset: 0x1e } });
  });

  test('a FAT chain that loops is reported, not followed forever', async () => {
    const b = sample();
    const f = await open(b);
    const big = f.find('/Big')!;
    // Point the second sector of /Big back at its first.
    const second = u32(b, fatEntryOffset(b, big.startSector));
    setU32(b, fatEntryOffset(b, second), big.startSector);
    const r = await (await open(b)).readStream(big);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('cfb/chain-cycle');
  });

  test('a chain into a sector past the end of the file is reported with its offset', async () => {
    const b = sample();
    const f = await open(b);
    const big = f.find('/Big')!;
    setU32(b, fatEntryOffset(b, big.startSector), 1_000_000);
    const r = await (await open(b)).readStream(big);
    expect(r.diagnostics[0]).toMatchObject({ code: 'cfb/sector-out-of-range' });
    expect(r.diagnostics[0]?.at?.offset).toBeGreaterThan(0);
  });

  test('a directory sibling loop and out-of-range links are cut with warnings', async () => {
    const b = sample();
    const f = await open(b);
    const dirStart = u32(b, 0x30);
    const entryAt = (id: number) => (dirStart + 1) * 512 + id * 128; // the cfb package writes the directory contiguously
    const dir = f.find('/Dir')!;
    // Make a child's right sibling point back at the storage itself.
    const child = f.children(dir)[0]!;
    setU32(b, entryAt(child.id) + 72, dir.id);
    setU32(b, entryAt(child.id) + 68, 9999);
    const g = await openCfb(b);
    expect(g.ok).toBe(true);
    const codes = g.diagnostics.map((d) => d.code);
    expect(codes).toContain('cfb/directory-loop');
    expect(codes).toContain('cfb/bad-entry-id');
  });

  test('a declared stream size beyond the file is clamped and the short chain reported', async () => {
    const b = sample();
    const f = await open(b);
    const big = f.find('/Big')!;
    setU32(b, big.offset + 120, 0x7fff_ffff);
    const g = await openCfb(b);
    expect(g.diagnostics.map((d) => d.code)).toContain('cfb/stream-size');
    const e = g.ok ? g.value.find('/Big')! : undefined;
    expect(e!.size).toBe(b.length);
    const r = await g.ok && (await (g as { value: Awaited<ReturnType<typeof open>> }).value.readStream(e!));
    expect(r && r.ok).toBe(false);
  });

  test('a DIFAT chain that loops stops', async () => {
    // The cfb package puts the FAT in sector 0, and a 0 after the first slot means "unused"
    // (cfb.md §6), so first copy the FAT to a new last sector that a nonzero slot can name.
    const orig = sample();
    const b = new Uint8Array(orig.length + 512);
    b.set(orig);
    b.set(orig.subarray(512, 1024), orig.length);
    const moved = orig.length / 512 - 1;
    setU32(b, 0x4c, moved);
    // Declare a DIFAT sector that points at itself: sector 0 holds the FAT in this file, use a
    // directory sector as the bogus DIFAT sector and make its last slot point at itself.
    // All 109 header slots and the DIFAT sector's 127 slots name the real FAT sector (so the
    // reader keeps following the chain), and the DIFAT sector's next-pointer is itself.
    const s = u32(b, 0x30);
    const fatSector = moved;
    for (let i = 0; i < 109; i++) setU32(b, 0x4c + i * 4, fatSector);
    for (let i = 0; i < 127; i++) setU32(b, (s + 1) * 512 + i * 4, fatSector);
    setU32(b, 0x44, s);
    setU32(b, 0x48, 5);
    setU32(b, (s + 1) * 512 + 508, s);
    const r = await openCfb(b);
    expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['cfb/difat-cycle']));
  });

  test('random damage never throws and never hangs (mutation fuzz)', async () => {
    const base = sample();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }), fc.nat(base.length), async (flips, cut) => {
        const b = base.slice(0, Math.max(cut, 512));
        for (const [at, v] of flips) if (at < b.length) b[at] = v;
        // Also hit the fields that matter most with extreme values.
        const r = await openCfb(b);
        if (!r.ok) {
          expect(r.diagnostics[0]?.code).toMatch(/^cfb\//);
          return;
        }
        for (const e of r.value.entries.values()) {
          if (e.type !== 'stream') continue;
          const s = await r.value.readStream(e, 0, Math.min(e.size, 1 << 20));
          if (!s.ok) expect(s.diagnostics[0]?.at?.offset).toBeTypeOf('number');
        }
      }),
      { numRuns: 300 },
    );
  });

  test('ENDOFCHAIN constant is MS-CFB 0xFFFFFFFE', () => {
    expect(ENDOFCHAIN).toBe(0xfffffffe);
  });
});
