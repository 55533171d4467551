import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open as fsOpen } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { bytesSource, type ByteSource } from '../../src/binary/byte-source.js';
import { createBwf } from '../../src/formats/bwf/create.js';
import { readBwfSync } from '../../src/formats/bwf/read.js';
import { planBwfEdit, streamPlan } from '../../src/formats/bwf/write.js';
import { writeBwfFile, writeFileAtomic } from '../../src/node.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { ffprobe, HAVE_FFPROBE } from '../helpers/probe.js';

// Issue 5, faults: a BWF change that does not fit in place is streamed to a temporary file beside
// the target and renamed over it only when complete. A writer killed midway (SIGKILL: no handler
// runs) must leave the original byte for byte; it leaves its hidden temporary file
// (`.<name>.dubstage-<pid>-….tmp`), which the next write to that file removes once the process
// that made it is gone. Write errors (full disk, read-only folder, a failing source) give a
// `bwf/write-failed` diagnostic naming the cause and leave neither a partial file nor a temporary.

// The child runs the current sources, bundled by esbuild (tsup's bundler) into the scratch folder.
const require = createRequire(import.meta.url);
let esbuild: typeof import('esbuild') | undefined;
try {
  esbuild = require('esbuild') as typeof import('esbuild');
} catch {
  process.stderr.write('skipping the BWF kill test: esbuild (installed with tsup) is absent\n');
}

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dubstage-faults-bwf-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) {
    chmodSync(d, 0o700);
    rmSync(d, { recursive: true, force: true });
  }
});

/** A 2-channel 24-bit take at 48 kHz (288 000 bytes of audio a second) with a small iXML chunk. */
function take(dir: string, seconds = 2): string {
  const f = join(dir, 'take.wav');
  const ramp = (k: number) => Int32Array.from({ length: 48000 * seconds }, (_, i) => ((i * k) % 65536) - 32768);
  writeFileSync(f, createBwf({ sampleRate: 48000, bitsPerSample: 24, channels: [ramp(7), ramp(13)], bext: { originator: 'fault test' }, ixml: { scene: '12A', take: '3' } }).value);
  return f;
}

/** A note too long for the iXML chunk's room: the change takes the temporary-file path. */
const LONG_NOTE = 'a note longer than the iXML chunk has room for '.repeat(40);

const temporaries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

const CHILD = (bundle: string, stallAfterBytes: number) => `
import { open } from 'node:fs/promises';
import { writeBwfFile } from ${JSON.stringify(bundle)};
const [path, note] = process.argv.slice(2);
// Every write of the output goes through FileHandle.prototype.write: once ${stallAfterBytes} bytes are
// out, say so and stall, so the parent's SIGKILL lands with the temporary file half written.
const probe = await open(path, 'r');
const proto = Object.getPrototypeOf(probe);
await probe.close();
const write = proto.write;
let total = 0;
let told = false;
proto.write = async function (...args) {
  const r = await write.apply(this, args);
  total += r.bytesWritten;
  if (total >= ${stallAfterBytes} && !told) {
    told = true;
    process.stdout.write('written ' + total + '\\n');
    await new Promise((resolve) => setTimeout(resolve, 60000));
  }
  return r;
};
const r = await writeBwfFile(path, { ixml: { note } });
process.stdout.write('done ' + r.mode + '\\n');
`;

describe('a BWF rewrite killed midway', () => {
  test.skipIf(!esbuild)('leaves the original byte for byte; the stale temporary is removed by the next write', async () => {
    const dir = scratch();
    const bundle = join(dir, 'dubstage-node.mjs');
    esbuild!.buildSync({ entryPoints: [join(REPO_ROOT, 'src', 'node.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
    const script = join(dir, 'child.mjs');
    // 20 s of audio (5 760 000 bytes) is copied in 4 MiB blocks: the stall comes after the first.
    writeFileSync(script, CHILD(bundle, 1024 * 1024));
    const work = join(dir, 'work');
    mkdirSync(work);
    const f = take(work, 20);
    const before = readFileSync(f);

    const child = spawn(process.execPath, [script, f, LONG_NOTE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`the child never reached the stall: ${out} ${err}`)), 60_000);
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('written')) {
          clearTimeout(t);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`the child ended before the stall: ${out} ${err}`)));
    });
    // The kill lands while the temporary file exists and holds part of the new file.
    const [tmp] = temporaries(work);
    expect(tmp).toMatch(new RegExp(`^\\.take\\.wav\\.dubstage-${child.pid}-.*\\.tmp$`));
    const partial = statSync(join(work, tmp!)).size;
    expect(partial).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    expect(partial).toBeLessThan(before.length);
    child.kill('SIGKILL');
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });

    // The original is untouched, byte for byte; the killed writer's temporary file is still there.
    expect(readFileSync(f).equals(before)).toBe(true);
    expect(temporaries(work)).toEqual([tmp]);

    // The next write to the file removes it (its process is gone) and completes.
    const again = await writeBwfFile(f, { ixml: { note: LONG_NOTE } });
    expect(again.mode).toBe('rewrite');
    expect(temporaries(work)).toEqual([]);
    const read = readBwfSync(new Uint8Array(readFileSync(f)));
    if (!read.ok) throw new Error('unreadable after the rewrite');
    expect(read.value.ixml?.note).toBe(LONG_NOTE.trim());
    expect(read.value.frameCount).toBe(960000);
    if (HAVE_FFPROBE) {
      // ffprobe counts the same audio: 960 000 frames (20 s at 48 kHz), 2 channels, originator as written.
      const { tags, stream } = ffprobe(f);
      expect([stream.duration_ts, stream.channels, tags.encoded_by]).toEqual([960000, 2, 'fault test']);
    }
  }, 120_000);
});

describe('BWF write errors', () => {
  test('a full disk (ENOSPC from the file system midway): bwf/write-failed naming ENOSPC, original unchanged, no temporary left', async () => {
    const dir = scratch();
    const f = take(dir, 20);
    const before = readFileSync(f);
    // Node's FileHandle.write is what the streaming writer calls; make it fail once the first
    // 4 MiB block of the audio is out (the disk fills up midway).
    const probe = await fsOpen(f, 'r');
    const proto = Object.getPrototypeOf(probe) as { write: (...a: unknown[]) => Promise<{ bytesWritten: number }> };
    await probe.close();
    const write = proto.write;
    let total = 0;
    proto.write = async function (this: unknown, ...args: unknown[]) {
      if (total >= 1024 * 1024) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      const r = await write.apply(this, args);
      total += r.bytesWritten;
      return r;
    };
    let r;
    try {
      r = await writeBwfFile(f, { ixml: { note: LONG_NOTE } });
    } finally {
      proto.write = write;
    }
    expect(r.mode).toBe('failed');
    const d = r.diagnostics.find((x) => x.code === 'bwf/write-failed');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('ENOSPC');
    expect(d?.message).toContain(f);
    expect(readFileSync(f).equals(before)).toBe(true);
    expect(temporaries(dir)).toEqual([]);

    // With --out the same failure leaves no file at the new name.
    proto.write = async function (this: unknown, ...args: unknown[]) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    try {
      r = await writeBwfFile(f, { bext: { description: 'x' } }, { out: join(dir, 'copy.wav') });
    } finally {
      proto.write = write;
    }
    expect(r.mode).toBe('failed');
    expect(readdirSync(dir).sort()).toEqual(['take.wav']);
  });

  test('a read-only folder: bwf/write-failed naming the cause, original unchanged, nothing created', async (ctx) => {
    const dir = scratch();
    const f = take(dir);
    const before = readFileSync(f);
    chmodSync(dir, 0o555);
    try {
      // Root ignores permission bits: then the folder is not read-only for this process.
      let writable = false;
      try {
        writeFileSync(join(dir, 'probe'), '');
        rmSync(join(dir, 'probe'));
        writable = true;
      } catch {
        // EACCES: the folder is read-only, as the test needs.
      }
      if (writable) {
        // Root: sysfs refuses new files even to root (EACCES), so write there with --out instead.
        let sysWritable = true;
        try {
          writeFileSync('/sys/.dubstage-probe', '');
          rmSync('/sys/.dubstage-probe');
        } catch {
          sysWritable = false;
        }
        if (sysWritable || !statSync('/sys', { throwIfNoEntry: false })?.isDirectory()) {
          process.stderr.write('skipping the read-only folder case: this user (root?) can write to a 0555 folder and there is no read-only /sys\n');
          ctx.skip();
          return;
        }
        const r = await writeBwfFile(f, { ixml: { note: LONG_NOTE } }, { out: '/sys/dubstage-take.wav' });
        expect(r.mode).toBe('failed');
        expect(r.diagnostics.find((x) => x.code === 'bwf/write-failed')?.message).toMatch(/EACCES|EPERM|EROFS/);
        expect(readFileSync(f).equals(before)).toBe(true);
        expect(readdirSync('/sys').filter((n) => n.includes('dubstage'))).toEqual([]);
        return;
      }
      const r = await writeBwfFile(f, { ixml: { note: LONG_NOTE } });
      expect(r.mode).toBe('failed');
      const d = r.diagnostics.find((x) => x.code === 'bwf/write-failed');
      expect(d?.message).toMatch(/EACCES|EPERM|EROFS/);
      expect(readFileSync(f).equals(before)).toBe(true);
      expect(readdirSync(dir)).toEqual(['take.wav']);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  test('a source that fails while the audio is copied (EIO): the streamed write stops, no temporary and no target left', async () => {
    const dir = scratch();
    const bytes = new Uint8Array(readFileSync(take(dir)));
    const read = readBwfSync(bytes);
    if (!read.ok) throw new Error('unreadable');
    const plan = planBwfEdit(read.value, { ixml: { note: LONG_NOTE } });
    expect(plan.value.patches).toBeUndefined(); // does not fit: a full streamed rewrite
    const inner = bytesSource(bytes);
    const dataOffset = read.value.data!.dataOffset;
    // Reads inside the audio fail, as a disk read error would.
    const failing: ByteSource = {
      size: inner.size,
      read: async (offset, length) => {
        if (offset + length > dataOffset + 1024) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
        return inner.read(offset, length);
      },
    };
    const target = join(dir, 'out.wav');
    await expect(writeFileAtomic(target, streamPlan(failing, plan.value))).rejects.toThrow(/EIO/);
    expect(readdirSync(dir).sort()).toEqual(['take.wav']);
  });
});
