import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readObjects, type AafObject, type AafObjectFile, type AafProperty } from '../../src/formats/aaf/objects.js';
import { writeObjects } from '../../src/formats/aaf/write-objects.js';
import { readTimeline } from '../../src/formats/registry.js';
import { runCli } from '../helpers/cli.js';
import { corpusFiles } from '../helpers/corpus.js';

// Issue 13, hostile AAF: deep StrongRef chains, mob chains that loop (SourceClip → its own mob),
// and media names that try to leave the output folder of `dubstage aaf extract` / `convert`.
// Property IDs from shared/spec/aaf.md (baseline dictionary): Mob::MobID 0x4401, Mob::Name
// 0x4402, SourceReference::SourceID 0x1101; strong references are stored form 0x22 with the
// child storage's name (UTF-16LE, NUL-terminated) as the value (aaf.md §6).

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dubstage-hostile-aaf-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const utf16z = (s: string): Uint8Array => {
  const b = new Uint8Array((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff;
    b[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return b;
};

/** A copy of an object tree with `change` applied to every property. */
function mapTree(o: AafObject, change: (p: AafProperty) => AafProperty): AafObject {
  return {
    ...o,
    properties: o.properties.map((p0) => {
      // Data properties decode their value lazily (a getter): copy it as a plain field.
      const p = change({ pid: p0.pid, storedForm: p0.storedForm, name: p0.name, bytes: p0.bytes, value: p0.value } as AafProperty);
      const v = p.value;
      if (v.kind === 'strong') return { ...p, value: { ...v, object: v.object ? mapTree(v.object, change) : undefined } };
      if (v.kind === 'strong-vector' || v.kind === 'strong-set') return { ...p, value: { ...v, objects: v.objects.map((c) => mapTree(c, change)) } };
      return p;
    }),
  };
}

function findAll(o: AafObject, pred: (o: AafObject) => boolean, out: AafObject[] = []): AafObject[] {
  if (pred(o)) out.push(o);
  for (const p of o.properties) {
    const v = p.value;
    if (v.kind === 'strong' && v.object) findAll(v.object, pred, out);
    if (v.kind === 'strong-vector' || v.kind === 'strong-set') for (const c of v.objects) findAll(c, pred, out);
  }
  return out;
}

const CLASS_ID = '0d010101-0101-0100-060e-2b3402060101'; // any AUID: the reader names unknown classes by it

/** An object chain `depth` levels deep through strong references (pid 0xFF01, stored form 0x22). */
function chain(depth: number): AafObject {
  let o: AafObject = { classId: CLASS_ID, className: CLASS_ID, path: '', properties: [] };
  for (let i = depth - 1; i >= 0; i--) {
    const name = `Next-ff01`;
    o = { classId: CLASS_ID, className: CLASS_ID, path: '', properties: [{ pid: 0xff01, storedForm: 0x22, name: 'Next', bytes: utf16z(name), value: { kind: 'strong', storageName: name, object: o } } as AafProperty] };
  }
  return o;
}

describe('deep AAF recursion', () => {
  test('a StrongRef chain 900 objects deep: a placed too-deep warning, no stack overflow', async () => {
    const bytes = await writeObjects({ root: chain(900), referencedProperties: [] });
    const t0 = performance.now();
    const r = await readObjects(bytes);
    expect(performance.now() - t0).toBeLessThan(5000);
    const deep = r.diagnostics.find((d) => d.code === 'aaf/too-deep');
    expect(deep).toBeDefined();
    expect(deep!.path?.length).toBeGreaterThan(0);
    const t = readTimeline(bytes, { format: 'aaf' });
    expect(t.diagnostics.map((d) => d.code)).not.toContain('format/internal');
    for (const d of t.diagnostics) if (d.severity === 'error') expect(d.at !== undefined || (d.path?.length ?? 0) > 0).toBe(true);
  });

  test('the same chain with the depth limit lifted still reads (iterative enough for 900 levels)', async () => {
    const bytes = await writeObjects({ root: chain(900), referencedProperties: [] });
    const r = await readObjects(bytes, { maxObjectDepth: 100_000 });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('aaf/too-deep');
  });
});

const pcm = corpusFiles('aaf', (n) => n === 'libaaf__PT_PCM_Internal.aaf')[0];
const composition = corpusFiles('aaf', (n) => n === 'libaaf__MC_Fades.aaf')[0];

async function load(path: string): Promise<AafObjectFile> {
  const r = await readObjects(new Uint8Array(readFileSync(path)));
  if (!r.ok) throw new Error(`${path} does not read`);
  return r.value;
}

describe('mob chains that loop', () => {
  test.skipIf(!composition)('every SourceClip pointing at its own composition: the reader ends, with diagnostics', async () => {
    const file = await load(composition!);
    const comp = findAll(file.root, (o) => o.className === 'CompositionMob')[0]!;
    const compId = comp.properties.find((p) => p.pid === 0x4401)!.bytes;
    const root = mapTree(file.root, (p) => (p.pid === 0x1101 && p.bytes.length === compId.length ? { ...p, bytes: compId, value: { kind: 'unknown' } } as unknown as AafProperty : p));
    const bytes = await writeObjects({ root, referencedProperties: file.referencedProperties, cfb: file.cfb });
    const t0 = performance.now();
    const t = readTimeline(bytes, { format: 'aaf' });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(t.diagnostics.map((d) => d.code)).not.toContain('format/internal');
  });
});

describe('media names that try to leave the output folder', () => {
  const names = ['../../../../../../tmp/dubstage-evil', '/tmp/dubstage-evil-abs', '..', '.', '', 'C:\\Windows\\evil', 'a/../../b', '\u0000evil'];
  for (const name of names) {
    test.skipIf(!pcm)(`aaf extract with media named ${JSON.stringify(name)} writes inside --out only`, async () => {
      const file = await load(pcm!);
      const root = mapTree(file.root, (p) => (p.pid === 0x4402 ? { ...p, bytes: utf16z(name) } : p));
      const d = scratch();
      const input = join(d, 'hostile.aaf');
      writeFileSync(input, await writeObjects({ root, referencedProperties: file.referencedProperties, cfb: file.cfb }));
      const out = join(d, 'out');
      const r = await runCli(['aaf', 'extract', input, '--out', out, '--json']);
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout) as { extracted: { file: string }[] };
      expect(doc.extracted.length).toBe(1);
      for (const e of doc.extracted) {
        const rel = relative(resolve(out), resolve(e.file));
        expect(rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel), `${e.file} is outside ${out}`).toBe(false);
        expect(basename(e.file).startsWith('.'), `${e.file} is hidden`).toBe(false);
        expect(dirname(resolve(e.file))).toBe(resolve(out));
        expect(existsSync(e.file)).toBe(true);
      }
      // Only the input and the out folder exist in the scratch folder; nothing was written elsewhere.
      expect(readdirSync(d).sort()).toEqual(['hostile.aaf', 'out']);
      expect(existsSync('/tmp/dubstage-evil.wav')).toBe(false);
      expect(existsSync('/tmp/dubstage-evil-abs.wav')).toBe(false);
    });
  }

  test.skipIf(!pcm)('convert keeps hostile media paths as data and writes only OUT', async () => {
    const file = await load(pcm!);
    const root = mapTree(file.root, (p) => (p.pid === 0x4402 ? { ...p, bytes: utf16z('../../../../etc/passwd') } : p));
    const d = scratch();
    const input = join(d, 'hostile.aaf');
    writeFileSync(input, await writeObjects({ root, referencedProperties: file.referencedProperties, cfb: file.cfb }));
    const out = join(d, 'cut.otio');
    const r = await runCli(['convert', input, out]);
    expect(r.status).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['cut.otio', 'hostile.aaf']);
  });
});
