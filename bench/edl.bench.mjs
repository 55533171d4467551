// Issue 4 goals: parse a 100,000-event CMX 3600 list (~16 MB, ../shared/workloads/edl.js, seed 1,
// 29.97 DF) into the timeline model in < 0.5 s and within 4x of node reading the file and
// splitting it into lines; write the timeline back in < 0.5 s. Runs are interleaved (ours, the
// baseline, ours…) so load from other processes falls on both sides alike.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, WORKLOADS, fmt, median, report, workload } from './lib.mjs';

function time(fn) {
  const t0 = process.hrtime.bigint();
  const v = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, v };
}

export default async function () {
  if (!existsSync(WORKLOADS)) {
    console.log('  skipped: ../shared/workloads is absent');
    return 0;
  }
  const { edl, FrameRate, RationalTime } = await import(join(ROOT, 'dist/index.js'));
  const file = workload('edl.js', ['--events', '100000', '--fcm', 'df'], 'edl-100k-df.edl');
  const rate = FrameRate.FPS_29_97_DF;
  let failures = 0;

  // Correctness before timing: every event of the workload is read, nothing is reported.
  const check = edl.parse(readFileSync(file), { rate });
  if (!check.ok) throw new Error('edl bench: the workload did not parse');
  const problems = check.diagnostics.filter((d) => d.severity !== 'info');
  if (problems.length > 0) throw new Error(`edl bench: ${problems.length} diagnostics, first: ${problems[0].message}`);
  const clips = check.value.tracks.reduce((n, t) => n + t.clips.length, 0);
  const events = edl.groupEvents(edl.readStatements(readFileSync(file, 'utf8'))).events.length;
  if (events !== 100000) throw new Error(`edl bench: ${events} events, expected 100000`);

  const rounds = 7;
  const ours = [];
  const base = [];
  const writes = [];
  let sink = 0;
  for (let r = 0; r < rounds + 1; r++) {
    const b = time(() => readFileSync(file, 'utf8').split('\n').length);
    const o = time(() => edl.parse(readFileSync(file), { rate }));
    const w = time(() => edl.write(o.v.value, { rate }));
    sink += b.v + w.v.value.length;
    if (r === 0) continue; // warm-up
    base.push(b.ms);
    ours.push(o.ms);
    writes.push(w.ms);
  }
  if (sink === 42) console.log('');
  const parseMs = median(ours);
  const baseMs = median(base);
  const writeMs = median(writes);
  const ratio = parseMs / baseMs;
  const ok1 = parseMs < 500 && ratio <= 4;
  if (!ok1) failures++;
  report(`parse 100k-event EDL (${clips} clips) vs node read+split`, `${fmt(parseMs, 0)} ms vs ${fmt(baseMs, 0)} ms = ${fmt(ratio, 2)}x`, '< 500 ms and <= 4x', ok1);
  const ok2 = writeMs < 500;
  if (!ok2) failures++;
  report('write the 100k-event timeline back', `${fmt(writeMs, 0)} ms`, '< 500 ms', ok2);
  // The floor under any parser: allocating the same timeline again with object literals of the
  // reader's shapes (every clip, its edl metadata, media reference, start and source start as new
  // exact times; every media source), reading nothing.
  const tl = check.value;
  const rebuild = () => {
    const media = tl.media.map((m) => ({ id: m.id, name: m.name, kind: m.kind, metadata: { edl: { reel: m.metadata.edl.reel } } }));
    const tracks = tl.tracks.map((t) => ({
      kind: t.kind, name: t.name, channels: t.channels, transitions: t.transitions, metadata: {},
      clips: t.clips.map((c) => {
        const e = c.metadata.edl;
        return {
          name: c.name,
          start: RationalTime.fromFrames(c.start.exactFrames(rate), rate),
          duration: c.duration,
          sourceStart: RationalTime.fromFrames(c.sourceStart.exactFrames(rate), rate),
          media: c.media && { mediaId: c.media.mediaId, channel: c.media.channel },
          gainDb: undefined, gainAutomation: undefined, speed: undefined,
          metadata: { edl: { event: e.event, line: e.line, reel: e.reel, channels: e.channels, editType: e.editType, sourceIn: e.sourceIn, sourceOut: e.sourceOut } },
        };
      }),
    }));
    return tracks.length + media.length;
  };
  const floor = [];
  const floorBase = [];
  for (let r = 0; r < 4; r++) {
    floorBase.push(time(() => readFileSync(file, 'utf8').split('\n').length).ms);
    floor.push(time(rebuild).ms);
  }
  console.log(`  info  allocating the same timeline with no parsing: ${fmt(median(floor), 0)} ms = ${fmt(median(floor) / median(floorBase), 2)}x read+split (the floor under any parser into this model)`);
  const st = [];
  for (let r = 0; r < 3; r++) st.push(time(() => edl.readStatements(readFileSync(file))).ms);
  console.log(`  info  statement layer alone (bytes → lines): ${fmt(median(st), 0)} ms`);
  return failures;
}
