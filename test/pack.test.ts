import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.js';

// Issue 12, packaging: pack the package as npm would publish it, install the tarball into a fresh
// project, and use it there the three ways users do: ESM import, CommonJS require, TypeScript
// types, and the `dubstage` binary. The tarball's size goes to test-artifacts/pack.json.

const built = existsSync(join(REPO_ROOT, 'dist', 'index.js')) && existsSync(join(REPO_ROOT, 'dist', 'cli.js'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

describe.skipIf(!built)('the npm tarball, installed in a fresh project', () => {
  let dir = '';
  let pack: PackInfo;
  let installError: string | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dubstage-pack-'));
    const out = execFileSync(npm, ['pack', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    pack = (JSON.parse(out) as PackInfo[])[0]!;
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    try {
      execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, pack.filename)], { cwd: app, stdio: 'pipe' });
    } catch (e) {
      installError = String((e as { stderr?: Buffer }).stderr ?? e);
    }
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'test-artifacts', 'pack.json'), JSON.stringify({ filename: pack.filename, size: pack.size, unpackedSize: pack.unpackedSize, files: pack.files.length }, null, 2));
    console.log(`dubstage tarball: ${(pack.size / 1024).toFixed(0)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${pack.files.length} files`);
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const app = () => join(dir, 'app');
  const run = (file: string, args: string[] = []) => execFileSync(process.execPath, [file, ...args], { cwd: app(), encoding: 'utf8' });

  test('holds the build, README, CHANGELOG and docs; no sources, tests, fixtures, corpus files or source maps', () => {
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/node.js', 'dist/cli.js']));
    const bad = paths.filter((p) => /^(src|test|bench|examples|scripts|\.ci)\/|\.test\.|\.map$|corpus|fixtures|\.(wav|aaf|edl|xml|fcpxml|otio|ptx)$/i.test(p));
    expect(bad).toEqual([]);
    expect(pack.size).toBeLessThan(5 * 1024 * 1024);
  });

  test('installs from the tarball alone', () => {
    expect(installError).toBeUndefined();
  });

  test('ESM import of "dubstage" and "dubstage/node"', () => {
    writeFileSync(
      join(app(), 'esm.mjs'),
      `import { Timecode, FrameRate } from 'dubstage';\nimport { readTimelineFile } from 'dubstage/node';\n` +
        `const r = Timecode.parse('01:00:00;00', { rate: FrameRate.FPS_29_97_DF });\nconsole.log(r.ok && r.value.frames, typeof readTimelineFile);\n`,
    );
    // 107892: timecode digest vector #6 (01:00:00;00 at 29.97 DF).
    expect(run('esm.mjs').trim()).toBe('107892 function');
  });

  test('CommonJS require of "dubstage" and "dubstage/node"', () => {
    writeFileSync(
      join(app(), 'cjs.cjs'),
      `const { Timecode, FrameRate } = require('dubstage');\nconst node = require('dubstage/node');\n` +
        `const r = Timecode.parse('01:00:00:00', { rate: FrameRate.FPS_25 });\nconsole.log(r.ok && r.value.frames, typeof node.readTimelineFile);\n`,
    );
    expect(run('cjs.cjs').trim()).toBe('90000 function'); // 3600 s × 25
  });

  test('TypeScript resolves the types for ESM and CommonJS consumers (strict, nodenext)', () => {
    writeFileSync(
      join(app(), 'consumer.mts'),
      `import { Timecode, FrameRate, type Timeline, type Diagnostic } from 'dubstage';\nimport { readTimelineFile } from 'dubstage/node';\n` +
        `const r = Timecode.parse('01:00:00:00', { rate: FrameRate.FPS_24 });\nconst frames: number = r.ok ? r.value.frames : 0;\n` +
        `const d: readonly Diagnostic[] = r.diagnostics;\nexport async function f(p: string): Promise<Timeline | undefined> { const x = await readTimelineFile(p); return x.ok ? x.value : undefined; }\n` +
        `// @ts-expect-error: frames is a number, not a string\nconst bad: string = frames;\nexport { d, bad };\n`,
    );
    writeFileSync(join(app(), 'consumer.cts'), `import { FrameRate } from 'dubstage';\nexport const rate: FrameRate = FrameRate.FPS_25;\n`);
    const out = (() => {
      try {
        return execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules', '@types'), 'consumer.mts', 'consumer.cts'], { cwd: app(), encoding: 'utf8' });
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? e);
      }
    })();
    expect(out).toBe('');
  }, 60_000);

  test('`npx dubstage --help` runs the installed binary', () => {
    const out = execFileSync(npm, ['exec', '--offline', '--', 'dubstage', '--help'], { cwd: app(), encoding: 'utf8' });
    expect(out + '').toMatch(/dubstage/);
    expect(readFileSync(join(app(), 'node_modules', 'dubstage', 'package.json'), 'utf8')).toContain('"name": "dubstage"');
  }, 60_000);
});
