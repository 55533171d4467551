// `npm run bench [-- FILTER]`: runs every bench/*.bench.mjs (against the built dist/) and prints
// each goal with PASS/FAIL. Each suite compares against its named baselines in the same run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, SHARED } from './lib.mjs';
import { existsSync } from 'node:fs';

const filter = process.argv[2];
const files = readdirSync(join(ROOT, 'bench')).filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter))).sort();
if (!existsSync(join(SHARED, 'workloads'))) {
  console.log(`note: ${SHARED}/workloads is absent; suites that need workloads skip`);
}
console.log(`dubstage benchmarks, node ${process.version}, ${new Date().toISOString()}`);
let failures = 0;
for (const f of files) {
  console.log(`\n# ${f.replace('.bench.mjs', '')}`);
  const mod = await import(pathToFileURL(join(ROOT, 'bench', f)).href);
  failures += (await mod.default()) ?? 0;
}
console.log(`\n${failures === 0 ? 'all goals met' : `${failures} goal(s) missed`}`);
