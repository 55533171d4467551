import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parse as parseEdl } from '../../src/formats/edl/read.js';
import { WriteFileError, writeFileAtomic, writeTimelineFile } from '../../src/node.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';

// Issue 13, faults: write errors (read-only folder, full disk) give a clear error naming the file
// and leave no partial output: no file under the destination name, no temporary file, and a file
// already there unchanged.

const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dubstage-faults-write-'));
  dirs.push(d);
  return d;
};
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  for (const d of dirs) {
    try {
      chmodSync(d, 0o755);
    } catch {
      // already gone
    }
    rmSync(d, { recursive: true, force: true });
  }
});

const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * A folder nobody may write into: `chmod 555` for an ordinary user; root ignores permissions, so
 * for root a read-only tmpfs is mounted (undefined where mounting is not allowed, e.g. CI).
 */
function readOnlyFolder(): string | undefined {
  const d = scratch();
  if (!IS_ROOT) {
    chmodSync(d, 0o555);
    return d;
  }
  const m = join(d, 'ro');
  mkdirSync(m);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', m]);
  if (r.status !== 0) return undefined;
  mounts.push(m);
  return m;
}
const RO = readOnlyFolder();
if (!RO) process.stderr.write('skipping read-only-folder write tests: running as root and cannot mount a read-only tmpfs\n');

/** A tiny tmpfs (root only), for a real ENOSPC; undefined where mounting is not allowed. */
function fullDisk(): string | undefined {
  if (!IS_ROOT) return undefined;
  const m = join(scratch(), 'small');
  mkdirSync(m);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', m]);
  if (r.status !== 0) return undefined;
  mounts.push(m);
  return m;
}
const SMALL = fullDisk();

// An EDL read through our own reader (spec/edl.md CMX3600 event line syntax), to have a timeline.
const EDL = 'TITLE: FAULTS\nFCM: NON-DROP FRAME\n\n001  REEL1    A     C        01:00:00:00 01:00:05:00 01:00:00:00 01:00:05:00\n';
function timeline() {
  const r = parseEdl(EDL, { rate: FrameRate.FPS_24 });
  if (!r.ok) throw new Error('fixture EDL does not read');
  return r.value;
}

describe('writeFileAtomic', () => {
  test.skipIf(!RO)('a read-only folder: WriteFileError naming the file (EACCES/EROFS), nothing created', async () => {
    const dest = join(RO!, 'out.json');
    const e = await writeFileAtomic(dest, 'x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(WriteFileError);
    expect((e as WriteFileError).code).toMatch(/^(EACCES|EROFS|EPERM)$/);
    expect((e as Error).message).toContain(dest);
    expect(readdirSync(RO!)).toEqual([]);
  });

  test.skipIf(!SMALL)('a full disk (64 KiB tmpfs): ENOSPC, no partial file, the temporary file removed', async () => {
    const dest = join(SMALL!, 'big.bin');
    const e = await writeFileAtomic(dest, new Uint8Array(1 << 20)).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(WriteFileError);
    expect((e as WriteFileError).code).toBe('ENOSPC');
    expect(readdirSync(SMALL!)).toEqual([]);
  });

  test('a producer failing midway: the existing file is unchanged and no temporary file remains', async () => {
    const d = scratch();
    const dest = join(d, 'a.bin');
    writeFileSync(dest, 'previous');
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(1000).fill(1);
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    }
    const e = await writeFileAtomic(dest, chunks()).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(WriteFileError);
    expect((e as Error).message).toMatch(/cannot write .*a\.bin: no space left on device; nothing was written there/);
    expect(readFileSync(dest, 'utf8')).toBe('previous');
    expect(readdirSync(d)).toEqual(['a.bin']);
  });

  test('a missing folder: ENOENT, clear message', async () => {
    const dest = join(scratch(), 'no', 'such', 'folder', 'x.edl');
    const e = await writeFileAtomic(dest, 'x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(WriteFileError);
    expect((e as WriteFileError).code).toBe('ENOENT');
    expect((e as Error).message).toContain('x.edl');
  });

  test('a 255-character file name (the usual NAME_MAX) is written: the temporary name stays short enough', async () => {
    const d = scratch();
    const name = 'n'.repeat(251) + '.edl';
    expect(await writeFileAtomic(join(d, name), 'x')).toBe(1);
    expect(readdirSync(d)).toEqual([name]);
  });

  test('success replaces the file whole and leaves nothing else', async () => {
    const d = scratch();
    const dest = join(d, 'a.txt');
    writeFileSync(dest, 'old content that is longer');
    expect(await writeFileAtomic(dest, [new TextEncoder().encode('new')])).toBe(3);
    expect(readFileSync(dest, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['a.txt']);
  });
});

describe('writeTimelineFile', () => {
  test.skipIf(!RO)('into a read-only folder throws WriteFileError and creates nothing', async () => {
    const dest = join(RO!, 'cut.otio');
    await expect(writeTimelineFile(dest, timeline(), 'otio')).rejects.toBeInstanceOf(WriteFileError);
    expect(readdirSync(RO!)).toEqual([]);
  });

  test('writes the file complete (it reads back) with no temporary file left', async () => {
    const d = scratch();
    const dest = join(d, 'cut.json');
    const diags = await writeTimelineFile(dest, timeline(), 'json');
    expect(diags.filter((x) => x.severity === 'error')).toEqual([]);
    expect(JSON.parse(readFileSync(dest, 'utf8')).schema).toBe('dubstage.timeline');
    expect(readdirSync(d)).toEqual(['cut.json']);
  });
});

// The file-size limit (RLIMIT_FSIZE, `ulimit -f`) makes write(2) fail with EFBIG past the limit the
// way a full disk fails with ENOSPC, for any user; the child ignores SIGXFSZ so the error surfaces.
const DIST_NODE = join(REPO_ROOT, 'dist', 'node.js');
const distHasAtomic = existsSync(DIST_NODE) && readFileSync(DIST_NODE, 'utf8').includes('writeFileAtomic');
const HAVE_SH = spawnSync('sh', ['-c', 'ulimit -f 1'], { stdio: 'ignore' }).status === 0;
if (!distHasAtomic) process.stderr.write(`skipping the file-size-limit test: ${DIST_NODE} (with writeFileAtomic) is absent; run npx tsup\n`);

describe('a write past the file-size limit (simulated full disk)', () => {
  test.skipIf(!distHasAtomic || !HAVE_SH)('fails with a clear error; the previous file stays, no partial or temporary file', () => {
    const d = scratch();
    const dest = join(d, 'out.bin');
    writeFileSync(dest, 'previous');
    const script = join(d, 'child.mjs');
    writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(pathToFileURL(DIST_NODE).href)};
process.on('SIGXFSZ', () => {});
try { await writeFileAtomic(process.argv[2], new Uint8Array(1 << 20)); console.log('written'); }
catch (e) { console.log(e.name + ' ' + e.code + ' ' + e.message); }`,
    );
    // ulimit -f counts 512-byte blocks in sh: 200 blocks = 100 KiB, well under 1 MiB.
    const r = spawnSync('sh', ['-c', `ulimit -f 200 && exec "${process.execPath}" "${script}" "${dest}"`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^WriteFileError EFBIG cannot write .*out\.bin: .*nothing was written there/);
    expect(readFileSync(dest, 'utf8')).toBe('previous');
    expect(readdirSync(d).sort()).toEqual(['child.mjs', 'out.bin']);
  });
});

describe('CLI write errors', () => {
  test.skipIf(!RO)('convert into a read-only folder: exit 1, the message names OUT, nothing written', async () => {
    const d = scratch();
    const input = join(d, 'cut.edl');
    writeFileSync(input, EDL);
    const out = join(RO!, 'cut.otio');
    const r = await runCli(['convert', input, out, '--rate', '24']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot write ${out}`);
    expect(readdirSync(RO!)).toEqual([]);
  });

  test('convert into a missing folder: exit 1 with the reason', async () => {
    const d = scratch();
    const input = join(d, 'cut.edl');
    writeFileSync(input, EDL);
    const r = await runCli(['convert', input, join(d, 'missing', 'cut.otio'), '--rate', '24']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*cut\.otio: .*ENOENT/);
    expect(readdirSync(d)).toEqual(['cut.edl']);
  });
});
