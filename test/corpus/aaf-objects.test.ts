import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dataOf, objectsOf, readObjects, type AafObject } from '../../src/formats/aaf/objects.js';
import { corpusFiles } from '../helpers/corpus.js';

// Expected values: ../shared/corpus/EXPECTED.md, AAF section (LibAAF's aaftool oracles and the
// corpus audit's pyaaf2 re-reads, as cited per test).
const files = corpusFiles('aaf', (n) => n.endsWith('.aaf'));
const byName = (n: string) => files.find((f) => basename(f) === n);

function* walk(o: AafObject, seen = new Set<AafObject>()): Generator<AafObject> {
  if (seen.has(o)) return;
  seen.add(o);
  yield o;
  for (const p of o.properties) {
    if (p.value.kind === 'strong' && p.value.object) yield* walk(p.value.object, seen);
    if (p.value.kind === 'strong-vector' || p.value.kind === 'strong-set') for (const c of p.value.objects) yield* walk(c, seen);
  }
}

async function load(name: string) {
  const f = byName(name);
  if (!f) return undefined;
  const r = await readObjects(new Uint8Array(readFileSync(f)));
  expect(r.ok).toBe(true);
  return r.ok ? r.value : undefined;
}

function mobs(file: NonNullable<Awaited<ReturnType<typeof load>>>): readonly AafObject[] {
  const header = objectsOf(file.root, 'Header')[0]!;
  const content = objectsOf(header, 'Content')[0]!;
  return objectsOf(content, 'Mobs');
}

describe.skipIf(files.length === 0)('AAF object layer on the corpus', () => {
  test.each(files.map((f) => [basename(f), f]))('%s reads without errors, every class named', async (_n, path) => {
    const r = await readObjects(new Uint8Array(readFileSync(path)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const header = objectsOf(r.value.root, 'Header')[0];
    expect(header?.className).toBe('Header');
    for (const o of walk(r.value.root)) {
      // Every class is named by the baseline tables or the file's MetaDictionary.
      expect(o.className, o.path).not.toMatch(/^[0-9a-f]{8}-/);
    }
  });

  test('DR_Markers: two DescriptiveMarkers in EventMobSlot 1000 at 1440 and 2160 (audit, pyaaf2)', async () => {
    const file = await load('libaaf__DR_Markers.aaf');
    if (!file) return;
    const comp = mobs(file).find((m) => m.className === 'CompositionMob')!;
    expect(dataOf(comp, 'Name')).toBe('DR_Markers');
    const slot = objectsOf(comp, 'Slots').find((s) => dataOf(s, 'SlotID') === 1000)!;
    expect(slot.className).toBe('EventMobSlot');
    expect(dataOf(slot, 'EditRate')).toEqual({ numerator: 24, denominator: 1 });
    const markers = objectsOf(objectsOf(slot, 'Segment')[0]!, 'Components');
    expect(markers.map((m) => m.className)).toEqual(['DescriptiveMarker', 'DescriptiveMarker']);
    expect(markers.map((m) => dataOf(m, 'Position'))).toEqual([1440n, 2160n]);
    expect(dataOf(markers[0]!, 'Length')).toBeUndefined();
    expect(dataOf(markers[1]!, 'Length')).toBe(10n);
    expect(markers.map((m) => dataOf(m, 'CommentMarkerUser'))).toEqual(['Marker1Name', 'Marker2Name']);
    expect(dataOf(markers[0]!, 'Comment')).toBe('This is a maker note.  Marker is at position 01:01:00:00, last 1 frame and its color is red.');
    expect(markers.map((m) => dataOf(m, 'CommentMarkerColor'))).toEqual([
      { red: 57600, green: 9216, blue: 256 },
      { red: 36864, green: 4864, blue: 65024 },
    ]);
  });

  test('marker-over-audio: a MasterMob, no CompositionMob, markers at 50/103/166 with CommentMarkerUSer (audit)', async () => {
    const file = await load('otio-aaf__marker-over-audio.aaf');
    if (!file) return;
    const all = mobs(file);
    expect(all.some((m) => m.className === 'CompositionMob')).toBe(false);
    const master = all.find((m) => dataOf(m, 'Name') === 'testmono24_name.Exported.01')!;
    expect(master.className).toBe('MasterMob');
    const ev = objectsOf(master, 'Slots').find((s) => dataOf(s, 'SlotID') === 1000)!;
    const markers = objectsOf(objectsOf(ev, 'Segment')[0]!, 'Components');
    expect(markers.map((m) => dataOf(m, 'Position'))).toEqual([50n, 103n, 166n]);
    expect(markers.map((m) => dataOf(m, 'CommentMarkerUSer'))).toEqual(['m1', 'm2', 'm3']);
    expect(markers.map((m) => dataOf(m, 'CommentMarkerColor'))).toEqual([
      { red: 41471, green: 12134, blue: 6564 },
      { red: 13107, green: 52428, blue: 13107 },
      { red: 13107, green: 13107, blue: 52428 },
    ]);
  });

  test('utf8: the composition name survives UTF-16 decoding (otio-aaf-adapter test)', async () => {
    const file = await load('otio-aaf__utf8.aaf');
    if (!file) return;
    const names = mobs(file).filter((m) => m.className === 'CompositionMob').map((m) => dataOf(m, 'Name'));
    expect(names).toContain('Sequence_ABCXYZñçêœ•∑´®†¥¨ˆøπ“‘åß∂ƒ©˙∆˚¬…æΩ≈ç√∫˜µ≤≥÷.Exported.01');
  });

  test('weak references resolve: every DataDefinition names a definition in the Dictionary', async () => {
    const file = await load('libaaf__PT_Fades.aaf');
    if (!file) return;
    let resolved = 0;
    for (const o of walk(file.root)) {
      const p = o.properties.find((q) => q.name === 'DataDefinition' && q.value.kind === 'weak');
      if (!p || p.value.kind !== 'weak') continue;
      const target = file.resolve(p.value.ref);
      expect(target?.className, o.path).toBe('DataDefinition');
      resolved++;
    }
    expect(resolved).toBeGreaterThan(50);
    // Pro Tools uses the legacy Sound data definition (aaf.md §7).
    const ident = objectsOf(objectsOf(file.root, 'Header')[0]!, 'IdentificationList')[0]!;
    expect(dataOf(ident, 'ProductName')).toBe('ProTools');
  });
});
