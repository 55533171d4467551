// Issue 6 goal: an XMEML sequence with 100,000 audio clipitems reads into the model within 2x of
// the time fast-xml-parser alone takes to parse the same file, in the same run. Each side runs in
// its own process (file read + parse), interleaved, median of 3, so one's garbage does not slow the other.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, WORKLOADS, fmt, median, report, timeProcess, workload } from './lib.mjs';

export default async function () {
  if (!existsSync(WORKLOADS)) {
    console.log('  skipped: ../shared/workloads is absent');
    return 0;
  }
  const clips = Number(process.env.XMEML_BENCH_CLIPS ?? 100_000);
  const file = workload('xmeml.js', ['--clips', String(clips)], `xmeml-${clips}.xml`);
  const dist = pathToFileURL(join(ROOT, 'dist/index.js')).href;
  const fxp = pathToFileURL(join(ROOT, 'node_modules/fast-xml-parser/src/fxp.js')).href;
  // Correctness first: the model holds every clipitem.
  const check = `import('${dist}').then(({ xmeml }) => { const r = xmeml.parse(require('fs').readFileSync(process.argv[1])); if (!r.ok) { console.error(r.diagnostics); process.exit(1); } const n = r.value.tracks.reduce((s, t) => s + (t.kind === 'audio' ? t.clips.length : 0), 0); if (n !== ${clips}) { console.error('clips', n); process.exit(1); } })`;
  timeProcess(process.execPath, ['--max-old-space-size=8192', '-e', check, file], { rounds: 1 });
  const oursArgs = ['--max-old-space-size=8192', '-e', `import('${dist}').then(({ xmeml }) => { xmeml.parse(require('fs').readFileSync(process.argv[1])); })`, file];
  const theirsArgs = ['--max-old-space-size=8192', '-e', `import('${fxp}').then(({ XMLParser }) => { new XMLParser({ ignoreAttributes: false }).parse(require('fs').readFileSync(process.argv[1], 'utf8')); })`, file];
  // Interleaved (ours, theirs, ours, …) so load from other processes hits both sides alike.
  const oursMs = [];
  const theirsMs = [];
  for (let i = 0; i < 3; i++) {
    oursMs.push(timeProcess(process.execPath, oursArgs, { rounds: 1 }));
    theirsMs.push(timeProcess(process.execPath, theirsArgs, { rounds: 1 }));
  }
  const ours = median(oursMs);
  const theirs = median(theirsMs);
  const ratio = ours / theirs;
  const ok = ratio <= 2;
  report(`XMEML ${clips} clipitems → model vs fast-xml-parser parse`, `${fmt(ours / 1000)} s vs ${fmt(theirs / 1000)} s = ${fmt(ratio)}x`, '<= 2x', ok);
  return ok ? 0 : 1;
}
