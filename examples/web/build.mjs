// Bundles dubstage's ESM build (dist/index.js, made by `npm run build`) for the browser into
// examples/web/dubstage.js, resolving its dependencies (fast-xml-parser, io-ts, fp-ts).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', '..', 'dist', 'index.js');

export async function buildWeb(outfile = join(here, 'dubstage.js')) {
  if (!existsSync(entry)) throw new Error('dist/index.js is missing: run `npm run build` first');
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile, logLevel: 'warning' });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${await buildWeb()}`);
}
