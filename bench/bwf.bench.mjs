// Issue 5 goals: metadata of a 1 GiB BWF (iXML after the audio) in < 20 ms with peak memory < 80 MB;
// 1,000 small BWFs in < 1 s; both >= 10x faster than wavefile and music-metadata on the same files,
// measured in this run. Inputs come from ../shared/workloads/bwf.js (seed 1).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, WORKLOADS, fmt, median, report, tmpPath } from './lib.mjs';

const require = createRequire(import.meta.url);

function generate(args, out) {
  if (existsSync(out)) return out;
  const r = spawnSync(process.execPath, [join(WORKLOADS, 'bwf.js'), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bwf.js ${args.join(' ')} failed`);
  return out;
}

/** Median ms of `rounds` runs after `warmup` runs (the JIT settles for both sides alike). */
async function timeMs(fn, rounds, warmup = 1) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(ms);
}

/**
 * Medians of interleaved runs (ours, theirs, ours, theirs…) so that load from other processes on a
 * shared machine falls on both sides alike.
 */
async function paired(fns, rounds, warmups) {
  for (let k = 0; k < fns.length; k++) for (let i = 0; i < warmups[k]; i++) await fns[k]();
  const ms = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < fns.length; k++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await fns[k]();
      ms[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
    }
  }
  lastCpuMedians = cpu.map(median);
  return ms.map(median);
}

/**
 * CPU milliseconds (user + system, all threads of this process) of the last {@link paired} call:
 * less sensitive than wall time to other processes on a shared machine, so printed alongside.
 */
let lastCpuMedians = [];

function reportCpu(label, names) {
  const [ours, ...theirs] = lastCpuMedians;
  console.log(`  info  ${label} CPU time (median): dubstage ${fmt(ours)} ms; ${theirs.map((t, i) => `${names[i]} ${fmt(t)} ms (${fmt(t / ours, 1)}x)`).join(', ')}`);
}

/** Peak RSS (MB) of a fresh Node process that reads one file's metadata with `reader` (Node itself is ~40 MB). */
function peakRssMb(reader, file) {
  const script = `
    const reader = ${JSON.stringify(reader)};
    const file = ${JSON.stringify(file)};
    (async () => {
      if (reader === 'dubstage') {
        const { openFileSourceSync, bwf } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/node.js')).href)});
        const src = openFileSourceSync(file);
        const r = bwf.readBwfSync(src);
        src.close();
        if (!r.ok || !r.value.ixml) throw new Error('no metadata');
      } else if (reader === 'wavefile') {
        const { WaveFile } = require('wavefile');
        const w = new WaveFile(require('fs').readFileSync(file));
        if (!w.bext) throw new Error('no bext');
      } else {
        const mm = await import('music-metadata');
        await mm.parseFile(file);
      }
      // VmHWM: this process's own peak RSS (ru_maxrss can carry the parent's peak across spawn).
      const hwm = /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
      process.stdout.write(String(hwm ? Number(hwm[1]) / 1024 : process.resourceUsage().maxRSS / 1024));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${reader} memory probe failed: ${r.stderr}`);
  return Number(r.stdout);
}

export default async function () {
  if (!existsSync(WORKLOADS)) {
    console.log('  skipped: ../shared/workloads is absent');
    return 0;
  }
  const { openFileSourceSync, bwf } = await import(join(ROOT, 'dist/node.js'));
  const { WaveFile } = require('wavefile');
  const mm = await import('music-metadata');
  let failures = 0;

  // --- one 1 GiB file, iXML after the audio (the reader must seek past 1 GiB of samples).
  const big = generate(['--big', tmpPath('bwf-1gib-ixml-after.wav'), '--ixml-after-data'], tmpPath('bwf-1gib-ixml-after.wav'));
  // dubstage's synchronous path (a file descriptor read with pread, readBwfSync): documented API.
  const readBig = () => {
    const src = openFileSourceSync(big);
    try {
      const r = bwf.readBwfSync(src);
      if (!r.ok || r.value.ixml?.scene === undefined || r.value.bext?.loudnessValue !== -2300) throw new Error('big file metadata wrong');
      return r.value;
    } finally {
      src.close();
    }
  };
  const readBigMm = async () => {
    const r = await mm.parseFile(big);
    if (!r.format.sampleRate || !r.native.exif?.some((t) => t.id === 'bext.description')) throw new Error('music-metadata: big file metadata missing');
    return r;
  };
  console.log('  info  same file path for each reader; asked: format, bext (description, loudness) and iXML. dubstage: openFileSourceSync +');
  console.log('        readBwfSync (every chunk listed, fmt/bext/iXML parsed, bext cross-checked with iXML); music-metadata: parseFile');
  console.log('        (format, bext; it skips iXML); wavefile: readFileSync + new WaveFile (the whole file in memory, as its API needs)');
  const [ours, theirsMm] = await paired([readBig, readBigMm], 21, [40, 20]);
  reportCpu('1 GiB BWF metadata', ['music-metadata']);
  const theirsWavefile = await timeMs(() => {
    const w = new WaveFile(readFileSync(big));
    if (!w.bext) throw new Error('wavefile: no bext');
  }, 3);
  const memOurs = peakRssMb('dubstage', big);
  const memWavefile = peakRssMb('wavefile', big);
  const memMm = peakRssMb('music-metadata', big);
  {
    const ok = ours < 20;
    if (!ok) failures++;
    report('1 GiB BWF metadata (iXML after data): dubstage', `${fmt(ours)} ms`, '< 20 ms', ok);
    const okMem = memOurs < 80;
    if (!okMem) failures++;
    report('1 GiB BWF metadata: dubstage peak RSS', `${fmt(memOurs)} MB`, '< 80 MB', okMem);
    console.log(`        (peak RSS: wavefile ${fmt(memWavefile)} MB, music-metadata ${fmt(memMm)} MB)`);
    for (const [name, t] of [['wavefile', theirsWavefile], ['music-metadata', theirsMm]]) {
      const ratio = t / ours;
      const okr = ratio >= 10;
      if (!okr) failures++;
      report(`1 GiB BWF metadata: dubstage vs ${name}`, `${fmt(ours)} ms vs ${fmt(t)} ms = ${fmt(ratio, 1)}x`, '>= 10x', okr);
    }
  }

  // --- writing (informational): a streamed rewrite of the 1 GiB file and an in-place edit of the copy.
  {
    const out = tmpPath('bwf-1gib-rewritten.wav');
    const script = `
      (async () => {
        const { writeBwfFile } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/node.js')).href)});
        const t0 = process.hrtime.bigint();
        const a = await writeBwfFile(${JSON.stringify(big)}, { ixml: { note: 'x'.repeat(4000) } }, { out: ${JSON.stringify(out)} });
        const t1 = process.hrtime.bigint();
        const b = await writeBwfFile(${JSON.stringify(out)}, { bext: { description: 'edited in place' } });
        const t2 = process.hrtime.bigint();
        const hwm = /VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'));
        process.stdout.write(JSON.stringify({ a: a.mode, b: b.mode, rewriteMs: Number(t1 - t0) / 1e6, inPlaceMs: Number(t2 - t1) / 1e6, rssMb: Number(hwm[1]) / 1024 }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    try {
      if (r.status !== 0) throw new Error(r.stderr);
      const w = JSON.parse(r.stdout);
      console.log(`  info  1 GiB BWF: streamed rewrite (${w.a}) ${fmt(w.rewriteMs)} ms, in-place bext edit (${w.b}) ${fmt(w.inPlaceMs)} ms, peak RSS ${fmt(w.rssMb)} MB`);
    } finally {
      spawnSync('rm', ['-f', out]);
    }
  }

  // --- 1,000 short files (JUNK fmt bext iXML data; 1/2/4/8 ch; 48/96 kHz).
  const dir = tmpPath('bwf-set-1000');
  if (!existsSync(join(dir, 'take_1000.wav'))) generate(['--set', dir, '--count', '1000'], join(dir, 'take_1000.wav'));
  const names = readdirSync(dir).filter((n) => n.endsWith('.wav')).sort().map((n) => join(dir, n));
  if (names.length !== 1000) throw new Error(`expected 1000 files, found ${names.length}`);
  // Same question to every reader, from the same path: format, bext (description and
  // TimeReference) and markers. music-metadata has no cue support and skips iXML; dubstage also
  // parses iXML and cross-checks it with bext, so it does more work than either baseline.
  const readAll = () => {
    let n = 0;
    for (const f of names) {
      const src = openFileSourceSync(f);
      try {
        const r = bwf.readBwfSync(src);
        if (!r.ok || !r.value.bext || !r.value.ixml || !r.value.format) throw new Error(`${f}: metadata missing`);
        n += r.value.format.sampleRate + r.value.bext.description.length + Number(r.value.bext.timeReference & 1n) + r.value.markers.length;
      } finally {
        src.close();
      }
    }
    return n;
  };
  const readAllWavefile = () => {
    let n = 0;
    for (const f of names) {
      const w = new WaveFile(readFileSync(f));
      if (!w.bext || !w.fmt) throw new Error(`wavefile: ${f}: metadata missing`);
      n += w.fmt.sampleRate + w.bext.description.length + (w.bext.timeReference[0] & 1) + w.listCuePoints().length;
    }
    return n;
  };
  const readAllMm = async () => {
    let n = 0;
    for (const f of names) {
      const r = await mm.parseFile(f);
      const desc = r.native.exif?.find((t) => t.id === 'bext.description');
      if (!desc || !r.format.sampleRate) throw new Error(`music-metadata: ${f}: metadata missing`);
      n += r.format.sampleRate + desc.value.length;
    }
    return n;
  };
  // The floor under any reader of these files: open, size, one read of the first 8 KiB (dubstage's
  // first window, which holds fmt, bext and iXML of these files), close; no parsing at all.
  const floorBuf = Buffer.allocUnsafe(8192);
  const ioAlone = () => {
    let n = 0;
    for (const f of names) {
      const fd = openSync(f, 'r');
      try {
        n += fstatSync(fd).size + readSync(fd, floorBuf, 0, 8192, 0);
      } finally {
        closeSync(fd);
      }
    }
    return n;
  };
  console.log('  info  1,000 files, same paths, one after another: format, bext description and TimeReference, markers (music-metadata');
  console.log('        has no cue support and skips iXML; dubstage also parses iXML and cross-checks it with bext)');
  const [oursSet, wavefileSet, mmSet, ioSet] = await paired([readAll, readAllWavefile, readAllMm, ioAlone], 5, [2, 1, 1, 1]);
  reportCpu('1,000 small BWFs', ['wavefile', 'music-metadata', 'I/O alone']);
  console.log(`  info  I/O alone on the same files (open, fstat, one 8 KiB read, close; no parsing): ${fmt(ioSet)} ms = ${fmt(wavefileSet / ioSet, 1)}x faster than wavefile, ${fmt(mmSet / ioSet, 1)}x than music-metadata: the most any reader can be; dubstage parses in ${fmt(Math.max(0, oursSet - ioSet))} ms`);
  {
    const ok = oursSet < 1000;
    if (!ok) failures++;
    report('1,000 small BWFs: dubstage', `${fmt(oursSet)} ms`, '< 1000 ms', ok);
    for (const [name, t] of [['wavefile', wavefileSet], ['music-metadata', mmSet]]) {
      const ratio = t / oursSet;
      const okr = ratio >= 10;
      if (!okr) failures++;
      report(`1,000 small BWFs: dubstage vs ${name}`, `${fmt(oursSet)} ms vs ${fmt(t)} ms = ${fmt(ratio, 1)}x`, '>= 10x', okr);
    }
  }
  return failures;
}
