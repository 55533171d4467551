import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { dataOf, objectsOf, readObjects } from './objects.js';

// Small AAF-shaped compound files written with the npm `cfb` package, laid out by hand from
// aaf.md §6 (properties stream: 'L', 0x20, u16 count, {u16 pid, u16 form, u16 len}*, values).
function props(entries: [pid: number, form: number, value: Uint8Array][]): Uint8Array {
  const head = 4 + entries.length * 6;
  const total = head + entries.reduce((n, [, , v]) => n + v.length, 0);
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b[0] = 0x4c;
  b[1] = 0x20;
  dv.setUint16(2, entries.length, true);
  let at = head;
  entries.forEach(([pid, form, v], i) => {
    dv.setUint16(4 + i * 6, pid, true);
    dv.setUint16(6 + i * 6, form, true);
    dv.setUint16(8 + i * 6, v.length, true);
    b.set(v, at);
    at += v.length;
  });
  return b;
}
const name = (s: string) => {
  const b = new Uint8Array((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) b[i * 2] = s.charCodeAt(i);
  return b;
};
const u32 = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);

function tinyAaf(options: { truncateHeader?: boolean; dropSecond?: boolean } = {}): Uint8Array {
  const c = CFB.utils.cfb_new();
  CFB.utils.cfb_add(c, '/properties', props([[0x0002, 0x22, name('Header-2')]]));
  const header = props([
    [0x3b07, 0x82, u32(1)],
    [0x3b06, 0x32, name('IdentificationList-3b06')],
  ]);
  CFB.utils.cfb_add(c, '/Header-2/properties', options.truncateHeader ? header.slice(0, 10) : header);
  // Vector index: count 2, first free 2, last free 0xffffffff, keys 0 and 1
  const index = new Uint8Array(20);
  new DataView(index.buffer).setUint32(0, 2, true);
  new DataView(index.buffer).setUint32(4, 2, true);
  new DataView(index.buffer).setUint32(8, 0xffffffff, true);
  new DataView(index.buffer).setUint32(16, 1, true);
  CFB.utils.cfb_add(c, '/Header-2/IdentificationList-3b06 index', index);
  CFB.utils.cfb_add(c, '/Header-2/IdentificationList-3b06{0}/properties', props([[0x3c02, 0x82, name('dubstage test')]]));
  if (!options.dropSecond) CFB.utils.cfb_add(c, '/Header-2/IdentificationList-3b06{1}/properties', props([[0x3c02, 0x82, name('second')]]));
  return new Uint8Array(CFB.write(c, { type: 'array' }) as number[]);
}

describe('readObjects', () => {
  test('reads strong references, vectors by their index and data values', async () => {
    const r = await readObjects(tinyAaf());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const header = objectsOf(r.value.root, 'Header')[0]!;
    expect(dataOf(header, 'ObjectModelVersion')).toBe(1);
    expect(objectsOf(header, 'IdentificationList').map((o) => dataOf(o, 'ProductName'))).toEqual(['dubstage test', 'second']);
  });

  test('a missing element storage and a truncated properties stream are diagnostics with the path', async () => {
    const t = await readObjects(tinyAaf({ truncateHeader: true }));
    expect(t.ok).toBe(true);
    expect(t.diagnostics.find((d) => d.code === 'aaf/bad-properties')?.path).toEqual(['/Header-2']);
    const m = await readObjects(tinyAaf({ dropSecond: true }));
    expect(m.diagnostics.find((d) => d.code === 'aaf/missing-object')?.path).toEqual(['/Header-2']);
    expect(m.ok && objectsOf(objectsOf(m.value.root, 'Header')[0]!, 'IdentificationList').length).toBe(1);
  });

  test('object limits stop reading with a warning', async () => {
    const r = await readObjects(tinyAaf(), { maxObjects: 2 });
    expect(r.diagnostics.map((d) => d.code)).toContain('aaf/too-many-objects');
  });

  test('random damage to the property streams never throws', async () => {
    const base = tinyAaf();
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 30 }), async (flips) => {
      const b = base.slice();
      for (const [at, v] of flips) b[at] = v;
      const r = await readObjects(b);
      for (const d of r.diagnostics) expect(d.code).toMatch(/^(cfb|aaf)\//);
    }), { numRuns: 300 });
  });
});
