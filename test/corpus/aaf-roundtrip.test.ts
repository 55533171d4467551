import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import CFB from 'cfb';
import { describe, expect, test } from 'vitest';
import { readObjects, type AafObject } from '../../src/formats/aaf/objects.js';
import { readTimeline } from '../../src/formats/aaf/read.js';
import { writeObjects } from '../../src/formats/aaf/write-objects.js';
import { corpusFiles } from '../helpers/corpus.js';

// AAF bytes → objects → AAF bytes → objects keeps every object and property (issue 8, "from the
// object tree"), and the timeline read from the copy equals the one read from the original.
const files = corpusFiles('aaf', (n) => n.endsWith('.aaf'));

/** Every object and property in a comparable form: class, path-independent structure, bytes. */
function shape(o: AafObject): unknown {
  return {
    cls: o.classId,
    props: o.properties.map((p) => {
      const v = p.value;
      const base = { pid: p.pid, form: p.storedForm, name: p.name };
      switch (v.kind) {
        case 'strong': return { ...base, bytes: Buffer.from(p.bytes).toString('hex'), child: v.object ? shape(v.object) : null };
        case 'strong-vector':
        case 'strong-set': return { ...base, bytes: Buffer.from(p.bytes).toString('hex'), children: v.objects.map(shape) };
        case 'weak-vector':
        case 'weak-set': return { ...base, refs: v.refs };
        case 'stream': return { ...base, bytes: Buffer.from(p.bytes).toString('hex'), size: v.entry?.size ?? null };
        default: return { ...base, bytes: Buffer.from(p.bytes).toString('hex') };
      }
    }),
  };
}

describe.skipIf(files.length === 0)('AAF object round trip on the corpus', () => {
  test.each(files.map((f) => [basename(f), f]))('%s: objects → bytes → objects is the identity', async (_n, path) => {
    const original = new Uint8Array(readFileSync(path));
    const a = await readObjects(original);
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const bytes = await writeObjects(a.value, { sectorSize: a.value.cfb.header.sectorSize as 512 | 4096 });
    const b = await readObjects(bytes);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(b.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(shape(b.value.root)).toEqual(shape(a.value.root));
    expect(b.value.referencedProperties).toEqual(a.value.referencedProperties);
    // Embedded essence (EssenceData Data streams) is copied byte for byte; checked with the cfb package.
    const theirs = CFB.read(bytes, { type: 'array' });
    const orig = CFB.read(original, { type: 'array' });
    for (const [i, p] of orig.FullPaths.entries()) {
      if (!/Data-2702$/.test(p)) continue;
      const src = orig.FileIndex[i]!.content as Uint8Array;
      const copy = theirs.FileIndex.find((e, j) => theirs.FullPaths[j]!.endsWith(p.split('/').slice(-2).join('/')) && e.type === 2);
      expect(copy && Buffer.from(copy.content as Uint8Array).equals(Buffer.from(src))).toBe(true);
    }
    const ta = await readTimeline(original);
    const tb = await readTimeline(bytes);
    expect(JSON.stringify(tb.ok && tb.value)).toBe(JSON.stringify(ta.ok && ta.value));
  });
});
