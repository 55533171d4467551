import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.js';

// Issue 12: the API reference builds from TSDoc with TypeDoc (`npm run docs`), with warnings as
// errors (broken {@link}s fail), and every relative link in README and docs/ points at a file
// that exists.

const typedoc = join(REPO_ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');

describe('documentation', () => {
  test.skipIf(!existsSync(typedoc))('TypeDoc builds the API reference without warnings', () => {
    let out = '';
    try {
      out = execFileSync(process.execPath, [typedoc, '--emit', 'none'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      out = `${err.stdout ?? ''}${err.stderr ?? ''}`;
      expect.fail(out);
    }
    expect(out).not.toMatch(/\[warning\]|\[error\]/);
  }, 600_000);

  test('relative links in README.md and docs/*.md resolve', () => {
    const files = [join(REPO_ROOT, 'README.md'), ...readdirSync(join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(REPO_ROOT, 'docs', f))];
    const broken: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue; // anchors, http:, mailto:
        if (!existsSync(resolve(dirname(file), decodeURI(target)))) broken.push(`${file.slice(REPO_ROOT.length + 1)} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
