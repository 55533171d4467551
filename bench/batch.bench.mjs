// Issue 12, CLI polish (informational, no goal): `dubstage inspect --json` over every timeline file
// of ../shared/corpus (about 200: AAF, EDL, FCP7 XML, FCPXML, OTIO, Pro Tools text and sessions,
// WAV) with --jobs 1 against --jobs 2 (this thread plus one worker) in the same run. Runs are
// interleaved (1, 2, 1, 2 …) so load from other processes falls on both alike; the figures are
// medians of wall time. The two outputs must be identical, byte for byte.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, SHARED, fmt, median, report } from './lib.mjs';

export default async function () {
  const corpus = join(SHARED, 'corpus');
  if (!existsSync(corpus)) {
    console.log(`  skipped: ${corpus} is absent`);
    return 0;
  }
  const cli = join(ROOT, 'dist/cli.js');
  const run = (jobs) => {
    const t0 = process.hrtime.bigint();
    // --rate for the EDLs, which do not state one; other formats ignore it.
    const r = spawnSync(process.execPath, [cli, 'inspect', corpus, '--rate', '24', '--json', '--jobs', String(jobs)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    // Exit 1 is expected: a few corpus files are refused on purpose (a mismatched EDL timecode…).
    if (r.status !== 0 && r.status !== 1) throw new Error(`inspect exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return { ms, out: r.stdout };
  };
  const warm = run(1);
  const files = warm.out.trim().split('\n').length;
  const one = [];
  const two = [];
  let same = true;
  for (let i = 0; i < 3; i++) {
    const a = run(1);
    const b = run(2);
    one.push(a.ms);
    two.push(b.ms);
    if (a.out !== warm.out || b.out !== warm.out) same = false;
  }
  const m1 = median(one);
  const m2 = median(two);
  const load = loadavg()[0];
  console.log(`  inspect --json over ${files} corpus files (${cpus().length} cores, load average ${load.toFixed(1)}: timings are noisy on a shared machine)`);
  console.log(`    --jobs 1 (baseline)  ${fmt(m1).padStart(8)} ms`);
  console.log(`    --jobs 2             ${fmt(m2).padStart(8)} ms   ${(m1 / m2).toFixed(2)}x the baseline`);
  report('inspect --json, corpus, --jobs 2 vs --jobs 1', `${fmt(m2)} ms (${(m1 / m2).toFixed(2)}x)`, 'printed (no target)', true);
  report('inspect --json, corpus, --jobs 2 output = --jobs 1 output', same ? 'identical' : 'DIFFERENT', 'identical', same);
  return same ? 0 : 1;
}
