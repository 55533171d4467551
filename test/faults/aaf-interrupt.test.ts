import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import CFB from 'cfb';
import { afterAll, describe, expect, test } from 'vitest';
import { readObjects } from '../../src/formats/aaf/objects.js';
import { writeAafFile } from '../../src/node.js';
import { corpusFiles, REPO_ROOT } from '../helpers/corpus.js';

// Issue 13, faults: an AAF write killed midway (SIGKILL, so no handler runs) must leave the file
// already at the destination exactly as it was, and never a partial AAF under the destination
// name. The writer streams embedded essence from the source file; the child slows those reads
// down so the kill lands while the output is half written.

// A Pro Tools AAF with embedded PCM (EXPECTED.md: "PCM - 01 ch - 16000 Hz - 16 bits Length 32000").
const ptPcm = corpusFiles('aaf', (n) => n === 'libaaf__PT_PCM_Internal.aaf')[0];
// Any other corpus AAF: the "previous version" sitting at the destination.
const previous = corpusFiles('aaf', (n) => n === 'libaaf__DR_Markers.aaf')[0];
const DIST_NODE = join(REPO_ROOT, 'dist', 'node.js');
const distHasWriter = existsSync(DIST_NODE) && readFileSync(DIST_NODE, 'utf8').includes('writeAafFile');
if (!distHasWriter) process.stderr.write(`skipping the AAF kill test: ${DIST_NODE} (with writeAafFile) is absent; run npx tsup\n`);

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dubstage-faults-aaf-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CHILD = `
import { aaf, openFileSource, writeAafFile } from ${JSON.stringify(pathToFileURL(DIST_NODE).href)};
const [src, dest] = process.argv.slice(2);
const file = await openFileSource(src);
let slow = false;
// Reads of essence data during the write announce themselves, then stall for a minute.
const source = {
  size: file.size,
  read: async (offset, length) => {
    if (slow) {
      process.stdout.write('copying\\n');
      await new Promise((r) => setTimeout(r, 60000));
    }
    return file.read(offset, length);
  },
};
const r = await aaf.readObjects(source);
if (!r.ok) { process.stdout.write('unreadable\\n'); process.exit(3); }
slow = true;
await writeAafFile(dest, r.value);
process.stdout.write('done\\n');
`;

describe('an AAF write killed midway', () => {
  test.skipIf(!ptPcm || !previous || !distHasWriter)('leaves the previous file at the destination byte for byte, and no partial AAF under its name', async () => {
    const dir = scratch();
    const script = join(dir, 'child.mjs');
    writeFileSync(script, CHILD);
    const dest = join(dir, 'session.aaf');
    copyFileSync(previous!, dest);
    const before = readFileSync(dest);

    const child = spawn(process.execPath, [script, ptPcm!, dest], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the child never reached the essence copy: ${out} ${err}`)), 60_000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('copying')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on('exit', () => {
        clearTimeout(t);
        if (!out.includes('copying')) reject(new Error(`the child exited early: ${out} ${err}`));
      });
    });
    // The write is under way: the temporary file exists beside the destination.
    const during = readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    expect(during.length).toBe(1);
    child.kill('SIGKILL');
    const { signal } = await exited;
    expect(signal).toBe('SIGKILL');
    expect(out).not.toContain('done');
    // The destination still holds the previous version, byte for byte.
    expect(Buffer.compare(readFileSync(dest), before)).toBe(0);
    // Nothing else carries the destination's name; only the hidden temporary file remains.
    expect(readdirSync(dir).filter((n) => n !== 'child.mjs' && !n.endsWith('.tmp'))).toEqual(['session.aaf']);
  }, 90_000);
});

describe('writeAafFile when not interrupted', () => {
  test.skipIf(!ptPcm)('writes a complete AAF that the cfb package and our reader open, with the embedded essence stream', async () => {
    const dir = scratch();
    const dest = join(dir, 'copy.aaf');
    const r = await readObjects(new Uint8Array(readFileSync(ptPcm!)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const n = await writeAafFile(dest, r.value);
    const bytes = readFileSync(dest);
    expect(bytes.length).toBe(n);
    expect(readdirSync(dir)).toEqual(['copy.aaf']); // no temporary file left behind
    // Independent check with the cfb npm package: every stream of the source is in the copy with
    // the same bytes (the writer rebuilds the compound file, the streams are kept).
    const src = CFB.read(readFileSync(ptPcm!), { type: 'buffer' });
    const dst = CFB.read(bytes, { type: 'buffer' });
    const streams = (c: CFB.CFB$Container) =>
      new Map(c.FileIndex.map((e, i) => [c.FullPaths[i] as string, e] as const).filter(([, e]) => e.type === 2).map(([p, e]) => [p.replace(/^[^/]*\//, ''), e.content]));
    const a = streams(src);
    const b = streams(dst);
    // The essence stream (the largest stream: 32000 16-bit samples = 64000 bytes plus the PCM header).
    const largest = [...a].sort((x, y) => (y[1]?.length ?? 0) - (x[1]?.length ?? 0))[0]!;
    expect(largest[1]!.length).toBeGreaterThanOrEqual(64000);
    expect(Buffer.compare(Buffer.from(b.get(largest[0]) as Uint8Array), Buffer.from(largest[1] as Uint8Array))).toBe(0);
    const again = await readObjects(new Uint8Array(bytes));
    expect(again.ok).toBe(true);
  });

  test('a tree the format cannot hold throws before anything is at the destination', async () => {
    const dir = scratch();
    const dest = join(dir, 'bad.aaf');
    // A property value over 65535 bytes cannot be stored in an AAF properties stream (aaf.md §6:
    // the entry size is a 16-bit field).
    const tree = {
      root: { className: 'Root', classId: '00000000-0000-0000-0000-000000000000', path: '/', properties: [{ pid: 1, storedForm: 0x82, name: 'Big', bytes: new Uint8Array(70000), value: { kind: 'data', data: new Uint8Array(70000) } }] },
      referencedProperties: [],
    } as unknown as Parameters<typeof writeAafFile>[1];
    await expect(writeAafFile(dest, tree)).rejects.toThrow(RangeError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
