// Issue 11 goal: one submission of 2,000 clips and six 10-minute 48 kHz stems graded in < 5 s.
// This suite measures the audio share: a `deliverables` check (format, TimeReference, length, head
// and tail 2-pops, integrated loudness + true peak + loudness range on every file, and the null
// test of five stems against their printmaster) over six 10-minute 48 kHz stereo 24-bit files read
// from disk, and ffmpeg's ebur128 filter (peak=true) on the same six files as the baseline, with
// medians of interleaved runs. Inputs are generated here (deterministic) into .bench-tmp/.
// Each round runs the check twice: in one thread, and with `jobs: 2` (dubstage/node: loudness on a
// worker thread while this one runs the null test), whose result must equal the single-thread one.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, fmt, median, report, tmpPath } from './lib.mjs';

const SR = 48000;
const MINUTES = 10;
const FRAMES = SR * 60 * MINUTES;
const FULL = 8388608;
const NAMES = ['DX', 'MX', 'FX', 'BG', 'FOL', 'PM'];
// Files start at 00:59:52:00 (24 fps); 2-pop at 00:59:58:00 (6 s in); first frame of action at
// 01:00:00:00 (8 s in); last frame of action 01:09:47:23 (action ends 596 s in); tail pop at
// 01:09:50:00 (598 s in); the files are exactly 10 minutes (leader 8 s + picture 588 s + tail 4 s).
const POP = 6 * SR;
const FFOA = 8 * SR;
const LAST = FRAMES - 4 * SR; // end of action
const TAIL = LAST + 2 * SR;

/** xorshift32 noise in [-1, 1). */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s / 0x100000000) * 2 - 1;
  };
}

/**
 * One sample of stem `k` at frame `i` (integer, 24-bit scale): programme-like material with
 * phrases and pauses (DX), slow chords (MX), sparse hits (FX), steady air (BG), steps (FOL).
 */
function stemSampler(k) {
  const r = rng(k + 1);
  let lp = 0;
  return (i) => {
    if (i >= POP && i < POP + 2000) return Math.round(0.0316 * Math.sin((2 * Math.PI * 1000 * (i - POP)) / SR) * FULL);
    if (i >= TAIL && i < TAIL + 2000) return Math.round(0.0316 * Math.sin((2 * Math.PI * 1000 * (i - TAIL)) / SR) * FULL);
    if (i < FFOA || i >= LAST) return 0;
    const t = i / SR;
    let v = 0;
    switch (k) {
      case 0: { // dialogue: band-limited noise in 2–4 s phrases with pauses
        lp += 0.3 * (r() - lp);
        const phrase = Math.sin(t * 0.9) * Math.sin(t * 2.3);
        v = phrase > 0.15 ? lp * 0.35 * Math.abs(Math.sin(t * 11)) : 0;
        break;
      }
      case 1: // music: three sines, slow swell
        v = 0.06 * (0.6 + 0.4 * Math.sin(t * 0.05)) * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t) + Math.sin(2 * Math.PI * 329.6 * t));
        break;
      case 2: { // effects: a hit every 5 s decaying over 0.5 s
        const ph = t % 5;
        v = ph < 0.5 ? r() * 0.25 * (1 - ph / 0.5) ** 2 : 0;
        break;
      }
      case 3: // backgrounds: steady low noise
        lp += 0.05 * (r() - lp);
        v = lp * 0.15;
        break;
      default: { // Foley: footsteps twice a second
        const ph = t % 0.5;
        v = ph < 0.04 ? r() * 0.12 * (1 - ph / 0.04) : 0;
      }
    }
    return Math.round(v * FULL);
  };
}

/** A 44-byte-plus header from our own writer (bext, fmt), then the data streamed in blocks. */
async function generate(dir, dubstage) {
  if (NAMES.every((n) => existsSync(join(dir, `${n}.wav`)))) return;
  mkdirSync(dir, { recursive: true });
  const headerOf = () => {
    const r = dubstage.bwf.createBwf({ sampleRate: SR, bitsPerSample: 24, channels: [new Int32Array(0), new Int32Array(0)], bext: { timeReference: 172_416_000n } });
    const h = r.value; // RIFF … data(size 0) last
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    const dataBytes = FRAMES * 6;
    v.setUint32(4, h.byteLength - 8 + dataBytes, true);
    v.setUint32(h.byteLength - 4, dataBytes, true);
    return h;
  };
  const samplers = NAMES.slice(0, 5).map((_, k) => stemSampler(k));
  const fds = NAMES.map((n) => openSync(join(dir, `${n}.wav.part`), 'w'));
  fds.forEach((fd) => writeSync(fd, headerOf()));
  const BLOCK = 48000;
  const bufs = NAMES.map(() => new Uint8Array(BLOCK * 6));
  const put = (b, o, v) => {
    b[o] = v & 0xff;
    b[o + 1] = (v >> 8) & 0xff;
    b[o + 2] = (v >> 16) & 0xff;
  };
  for (let f = 0; f < FRAMES; f += BLOCK) {
    const n = Math.min(BLOCK, FRAMES - f);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = 0; k < 5; k++) {
        const v = samplers[k](f + i);
        // Right channel a little quieter so the channels differ.
        const vr = (v * 7) >> 3;
        put(bufs[k], i * 6, v);
        put(bufs[k], i * 6 + 3, vr);
        sum += v;
      }
      let sumR = 0;
      for (let k = 0; k < 5; k++) {
        const b = bufs[k];
        const o = i * 6 + 3;
        sumR += ((b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) << 8) >> 8;
      }
      put(bufs[5], i * 6, sum);
      put(bufs[5], i * 6 + 3, sumR);
    }
    fds.forEach((fd, k) => writeSync(fd, bufs[k], 0, n * 6));
  }
  fds.forEach((fd) => closeSync(fd));
  NAMES.forEach((n) => renameSync(join(dir, `${n}.wav.part`), join(dir, `${n}.wav`)));
}

export default async function () {
  const dubstage = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  const node = await import(pathToFileURL(join(ROOT, 'dist/node.js')).href);
  // The grading module as the package exports it (`grade.audio`, `grade.runDeliverablesCheck`);
  // DUBSTAGE_GRADE_AUDIO may name a bundle of src/grade/deliverables.ts for a tree not yet built.
  const mod = process.env.DUBSTAGE_GRADE_AUDIO ? await import(pathToFileURL(process.env.DUBSTAGE_GRADE_AUDIO).href) : dubstage.grade;
  if (!mod?.runDeliverablesCheck) {
    console.log('  skipped: dist has no grade.runDeliverablesCheck (run `npx tsup`)');
    return 0;
  }
  const dir = tmpPath('grade-audio-6x10min');
  const t0 = process.hrtime.bigint();
  await generate(dir, dubstage);
  const genMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (genMs > 1000) console.log(`  (generated six ${MINUTES}-minute stereo 24-bit files in ${fmt(genMs / 1000)} s)`);
  const paths = NAMES.map((n) => join(dir, `${n}.wav`));

  const check = {
    kind: 'deliverables', weight: 1, rate: '24', start: '00:59:52:00', ffoa: '01:00:00:00', lfoa: '01:09:47:23',
    files: [
      { pattern: '*.wav', sampleRate: 48000, bitDepth: 24, channels: 2, timeReference: true, length: { tailSeconds: 4 }, twoPop: true, tailPop: true, loudness: { integrated: { target: -24, tolerance: 30 }, truePeakMax: 3, lraMax: 40 } },
    ],
    stems: { printmaster: 'PM.wav', stems: NAMES.slice(0, 5).map((n) => `${n}.wav`), nullThresholdDb: -120 },
  };
  const parallel = typeof node.runDeliverablesCheck === 'function' && node.deliverablesWorkersAvailable?.();
  const ours = async (jobs = 1) => {
    const sources = paths.map((p) => node.openFileSourceSync(p));
    try {
      const submission = { name: 'bench', files: NAMES.map((n, i) => ({ path: `${n}.wav`, source: sources[i] })) };
      const r = jobs > 1 ? await node.runDeliverablesCheck(check, submission, { jobs }) : await mod.runDeliverablesCheck(check, submission);
      const bad = r.items.filter((i) => i.credit < 1);
      if (bad.length > 0) throw new Error(`bench hand-in should pass: ${bad.map((i) => i.feedback).join(' | ')}`);
      return r;
    } finally {
      sources.forEach((s) => s.close());
    }
  };
  const haveFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  /** Runs ffmpeg on the six files; returns its CPU seconds (user + sys, from bash's `time`). */
  const ffmpeg = () => {
    let cpu = 0;
    for (const p of paths) {
      const cmd = `TIMEFORMAT='%U %S'; { time ffmpeg -hide_banner -nostats -i '${p.replace(/'/g, `'\\''`)}' -filter_complex ebur128=peak=true -f null - 2>/dev/null; } 2>&1`;
      const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`ffmpeg failed on ${p}`);
      const [u, s] = r.stdout.trim().split(/\s+/).slice(-2).map(Number);
      cpu += u + s;
    }
    return cpu;
  };
  const reference = JSON.stringify(await ours()); // warm-up (JIT)
  const rounds = 3;
  const oursMs = [];
  const oursCpu = [];
  const jobsMs = [];
  const jobsCpu = [];
  const theirsMs = [];
  const theirsCpu = [];
  for (let i = 0; i < rounds; i++) {
    let t = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    await ours();
    const c1 = process.cpuUsage(c0);
    oursMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    oursCpu.push((c1.user + c1.system) / 1e6);
    if (parallel) {
      t = process.hrtime.bigint();
      const j0 = process.cpuUsage();
      const r = await ours(2);
      const j1 = process.cpuUsage(j0); // process-wide: the worker thread's CPU included
      jobsMs.push(Number(process.hrtime.bigint() - t) / 1e6);
      jobsCpu.push((j1.user + j1.system) / 1e6);
      if (JSON.stringify(r) !== reference) throw new Error('jobs: 2 gave a different result from one thread');
    }
    if (haveFfmpeg) {
      t = process.hrtime.bigint();
      theirsCpu.push(ffmpeg());
      theirsMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  const single = median(oursMs);
  // The goal is judged on the default configuration (one thread); jobs: 2 is reported beside it.
  const m = single;
  const audioSeconds = NAMES.length * MINUTES * 60;
  let failures = 0;
  const ok = m < 5000;
  if (!ok) failures++;
  report(`deliverables (6 × ${MINUTES} min, loudness+TP+LRA, pops, null)`, `${fmt(m / 1000)} s (${fmt(audioSeconds / (m / 1000), 0)}x real time)`, '< 5 s (audio share of one submission, one thread)', ok);
  console.log(`        (one thread: wall runs ${oursMs.map((x) => fmt(x / 1000)).join(', ')} s, median ${fmt(single / 1000)} s; CPU median ${fmt(median(oursCpu))} s: on a shared machine the CPU time is what an idle one would take)`);
  if (parallel) console.log(`        (jobs: 2: wall runs ${jobsMs.map((x) => fmt(x / 1000)).join(', ')} s, median ${fmt(median(jobsMs) / 1000)} s = ${fmt(median(jobsMs) / single)} × one thread; CPU median ${fmt(median(jobsCpu))} s, both threads; same result)`);
  else console.log('        (jobs: 2 not measured: dist has no node-worker.js; run `npx tsup`)');
  if (haveFfmpeg) {
    const f = median(theirsMs);
    const fc = median(theirsCpu);
    console.log(`  info  ffmpeg ebur128=peak=true on the same 6 files: ${fmt(f / 1000)} s wall, ${fmt(fc)} s CPU; dubstage / ffmpeg = ${fmt(single / f)} wall (one thread)${parallel ? `, ${fmt(median(jobsMs) / f)} wall (jobs: 2)` : ''}, ${fmt(median(oursCpu) / fc)} CPU (ffmpeg measures loudness only; dubstage also pops, null test, metadata)`);
  } else console.log('  info  ffmpeg not installed: no baseline');
  return failures;
}
