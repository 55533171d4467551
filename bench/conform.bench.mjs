// Issue 10 goals: a session of 100,000 clips on 64 tracks conformed across a 5,000-event change
// (read here as: old and new cuts of 5,000 events, every fourth one trimmed, deleted, moved or
// followed by an inserted shot)
// in under 1 s, and time growing no worse than n log n in clips plus events (10k, 100k and 1M
// clips are printed with time / ((n+e) log2(n+e)) normalised to the 10k run). Cuts and sessions
// are generated here with a seeded PRNG (no shared workload generator exists for conform).
// CONFORM_BENCH_SIZES=10000,100000 picks the session sizes; DUBSTAGE_CONFORM_MODULE another build
// (a module exporting `conform` and `FrameRate`), to compare two builds in one sitting.
import { join } from 'node:path';
import { ROOT, fmt, median, prng, report } from './lib.mjs';

/** An old cut of `events` shots and a new cut with ~`changes` edits (trims, deletes, inserts, moves). */
function cuts(FrameRate, events, changes, seed) {
  const rnd = prng(seed);
  const rate = FrameRate.FPS_24;
  const F0 = 86400;
  const shots = [];
  for (let i = 0; i < events; i++) {
    const len = 24 + Math.floor(rnd() * 120);
    shots.push({ reel: `R${i}`, srcIn: 100000 + Math.floor(rnd() * 1000), len });
  }
  const mk = (list) => {
    let rec = F0;
    return list.map((s, i) => {
      const e = { num: String(i + 1), reel: s.reel, track: 'V', trans: 'C', srcIn: s.srcIn, srcOut: s.srcIn + s.len, recIn: rec, recOut: rec + s.len };
      rec += s.len;
      return e;
    });
  };
  const edited = [];
  const every = Math.max(1, Math.floor(events / changes));
  const moved = [];
  shots.forEach((s, i) => {
    if (i % every !== 0) { edited.push(s); return; }
    const kind = Math.floor(rnd() * 5);
    if (kind === 0) edited.push({ ...s, srcIn: s.srcIn + 6, len: s.len - 6 }); // trim head
    else if (kind === 1) edited.push({ ...s, len: s.len - 8 }); // trim tail
    else if (kind === 2) { /* delete */ }
    else if (kind === 3) { edited.push(s); edited.push({ reel: `N${i}`, srcIn: 0, len: 30 }); } // insert
    else moved.push(s); // moved later
  });
  for (const s of moved) edited.splice(Math.floor(rnd() * edited.length), 0, s);
  return { old: { name: 'v1', rate, events: mk(shots) }, new: { name: 'v2', rate, events: mk(edited) }, F0 };
}

function session(FrameRate, clips, tracks, lengthFrames, F0, seed) {
  const rnd = prng(seed);
  const per = Math.ceil(clips / tracks);
  const span = lengthFrames * 2000;
  const slot = Math.floor(span / per);
  const out = [];
  for (let t = 0; t < tracks; t++) {
    const regions = [];
    for (let i = 0; i < per && t * per + i < clips; i++) {
      const start = i * slot + Math.floor(rnd() * slot * 0.2);
      // clips of 1 to 10 s (48 to 480 k samples), never longer than their slot
      const len = Math.max(1, Math.min(Math.floor(slot * 0.8), 48000 + Math.floor(rnd() * 432000)));
      regions.push({ id: `t${t}r${i}`, name: `r${i}`, file: { id: `f${t}.${i}`, name: 'x.wav' }, start, end: start + len, fileOffset: 0 });
    }
    out.push({ id: `T${t}`, name: `T${t}`, regions });
  }
  return { name: 's', sampleRate: 48000, rate: FrameRate.FPS_24, startFrame: F0, tracks: out };
}

export default async function () {
  const mod = await import(process.env.DUBSTAGE_CONFORM_MODULE ?? join(ROOT, 'dist/index.js'));
  const { FrameRate } = mod;
  const api = mod.conform ?? mod;
  let failures = 0;
  const events = 5000;
  const changes = 1250;
  const c = cuts(FrameRate, events, changes, 1);
  const length = c.old.events[c.old.events.length - 1].recOut - c.F0;
  const rows = [];
  for (const clips of (process.env.CONFORM_BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number)) {
    const s = session(FrameRate, clips, 64, length, c.F0, 2);
    const times = [];
    const cpu = [];
    let result;
    for (let i = 0; i < (clips >= 1000000 ? 2 : 5); i++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const r = api.conform(c.old, c.new, s);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      // CPU time of this process (all threads, GC helpers included): steadier than wall time
      // when the machine is shared, and what a quiet machine's wall time approaches
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1000);
      if (!r.ok) throw new Error(`conform bench: ${r.diagnostics[0].message}`);
      result = r.value;
    }
    // correctness before speed: every region's primary and removed pieces partition it (I1)
    let bad = 0;
    const byId = new Map(s.tracks.flatMap((t) => t.regions.map((x) => [x.id, x])));
    for (const oc of result.regions) {
      const R = byId.get(oc.regionId);
      const n = oc.pieces.filter((p) => p.role === 'primary').reduce((a, p) => a + p.oldEnd - p.oldStart, 0) + oc.removed.reduce((a, p) => a + p.oldEnd - p.oldStart, 0);
      if (n !== R.end - R.start) bad++;
    }
    if (bad) throw new Error(`conform bench: ${bad} regions not conserved`);
    const ms = median(times);
    const n = clips + events;
    rows.push({ clips, ms, cpuMs: median(cpu), per: ms / (n * Math.log2(n)), rowsCount: result.map.rows.length });
  }
  console.log(`  conform: ${events}-event cut, ${rows[0].rowsCount} change rows (${changes} edits), 64 tracks`);
  for (const r of rows) console.log(`    ${String(r.clips).padStart(8)} clips  ${fmt(r.ms).padStart(8)} ms (cpu ${fmt(r.cpuMs)} ms)   normalised per (n+e)log(n+e): ${(r.per / rows[0].per).toFixed(2)}`);
  const mid = rows.find((r) => r.clips === 100000) ?? rows[rows.length - 1];
  const ok1 = mid.ms < 1000;
  report('conform 100k clips / 64 tracks / 5k-event change', `${fmt(mid.ms)} ms`, '< 1000 ms', ok1);
  if (!ok1) failures++;
  if (rows.length > 1) {
    const last = rows[rows.length - 1];
    const growth = last.per / rows[0].per;
    const ok2 = growth < 2;
    report(`conform growth ${rows[0].clips} → ${last.clips} clips vs n log n`, `${growth.toFixed(2)}x`, '< 2x of n log n', ok2);
    if (!ok2) failures++;
  }
  return failures;
}
