import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.js';

// DESIGN.md: only src/cli/** and src/node.ts may touch Node APIs. tsconfig.core.json checks the
// types; this lint catches what types miss (dynamic imports, bare `require`).
const ALLOWED = (rel: string) => rel.startsWith('src/cli/') || rel === 'src/node.ts' || rel.endsWith('.test.ts');

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

test('the core never imports node:*, fs, Buffer or process', () => {
  const offenders: string[] = [];
  for (const file of walk(join(REPO_ROOT, 'src'))) {
    const rel = relative(REPO_ROOT, file).split('\\').join('/');
    if (ALLOWED(rel)) continue;
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      if (/from\s+['"](node:|fs|path|os|child_process|stream|buffer)['"/]|import\(\s*['"]node:|require\(|\bBuffer\b|\bprocess\./.test(line)) {
        offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  expect(offenders).toEqual([]);
});
