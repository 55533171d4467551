// Issue 7 goals: an AAF with 10,000 audio clips on 16 tracks reads into the model in under 1 s;
// the metadata of an AAF with 1 GB of embedded audio reads in under 0.5 s and under 150 MB.
// Inputs are generated from corpus files with dubstage's own object writer (no AAF generator
// ships in ../shared/workloads): the 10k-clip file repeats the clips of a Resolve export on 16
// slots; the embedded file replaces a Pro Tools export's essence with 1 GiB of silence.
// Baselines: LibAAF's aaftool is measured in the same run when a build is found (set
// DUBSTAGE_AAFTOOL, or build agfline/LibAAF with cmake into .bench-tmp/libaaf/build; nothing of
// it is committed); pyaaf2 (6.3 s, ../shared/workloads/README.md) cannot be installed here (no
// PyPI), so it is quoted.
import { existsSync, openSync, readFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, SHARED, fmt, median, report, timeProcess, tmpPath } from './lib.mjs';

const CORPUS = join(SHARED, 'corpus', 'aaf');

function withProperty(obj, name, value, bytes) {
  return { ...obj, properties: obj.properties.map((p) => (p.name === name ? { ...p, value, ...(bytes ? { bytes } : {}) } : p)) };
}
const objectsOf = (obj, name) => {
  const p = obj.properties.find((q) => q.name === name);
  if (!p) return [];
  if (p.value.kind === 'strong') return p.value.object ? [p.value.object] : [];
  return p.value.objects ?? [];
};
const u32 = (v) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };

async function make10k(aaf, out) {
  const src = new Uint8Array(readFileSync(join(CORPUS, 'libaaf__DR_Mono_Clip_Positioning.aaf')));
  const r = await aaf.readObjects(src);
  if (!r.ok) throw new Error('corpus file unreadable');
  const root = r.value.root;
  const header = objectsOf(root, 'Header')[0];
  const content = objectsOf(header, 'Content')[0];
  const mobs = objectsOf(content, 'Mobs');
  const compIndex = mobs.findIndex((m) => m.className === 'CompositionMob');
  const comp = mobs[compIndex];
  const slots = objectsOf(comp, 'Slots');
  const audio = slots.find((s) => objectsOf(objectsOf(s, 'Segment')[0], 'Components').some((c) => c.className === 'SourceClip'));
  const seq = objectsOf(audio, 'Segment')[0];
  const comps = objectsOf(seq, 'Components');
  const clipsPer = comps.filter((c) => c.className === 'SourceClip').length;
  const repeats = Math.ceil(10000 / 16 / clipsPer);
  const bigComps = Array.from({ length: repeats }, () => comps).flat();
  const seqProp = seq.properties.find((p) => p.name === 'Components');
  const bigSeq = withProperty(seq, 'Components', { ...seqProp.value, objects: bigComps });
  const segProp = audio.properties.find((p) => p.name === 'Segment');
  const newSlots = [...slots.filter((s) => s !== audio)];
  for (let i = 0; i < 16; i++) {
    const s = withProperty(audio, 'Segment', { ...segProp.value, object: bigSeq });
    newSlots.push(withProperty(s, 'SlotID', { kind: 'data', data: 100 + i }, u32(100 + i)));
  }
  const slotsProp = comp.properties.find((p) => p.name === 'Slots');
  const newComp = withProperty(comp, 'Slots', { ...slotsProp.value, objects: newSlots });
  const mobsProp = content.properties.find((p) => p.name === 'Mobs');
  const newContent = withProperty(content, 'Mobs', { ...mobsProp.value, objects: mobs.map((m, i) => (i === compIndex ? newComp : m)) });
  const contentProp = header.properties.find((p) => p.name === 'Content');
  const newHeader = withProperty(header, 'Content', { ...contentProp.value, object: newContent });
  const headerProp = root.properties.find((p) => p.name === 'Header');
  const newRoot = withProperty(root, 'Header', { ...headerProp.value, object: newHeader });
  const bytes = await aaf.writeObjects({ root: newRoot, referencedProperties: r.value.referencedProperties, cfb: r.value.cfb });
  const fd = openSync(out, 'w');
  writeSync(fd, bytes);
  closeSync(fd);
}

async function makeEmbedded(aaf, out) {
  const src = new Uint8Array(readFileSync(join(CORPUS, 'libaaf__PT_PCM_Internal.aaf')));
  const r = await aaf.readObjects(src);
  if (!r.ok) throw new Error('corpus file unreadable');
  const size = 1 << 30;
  const zeros = new Uint8Array(4 << 20);
  const silence = { size, read: (o, n) => Promise.resolve(zeros.subarray(0, Math.min(n, size - o))) };
  // Point the essence stream at the silence: the writer reads a stream's bytes from the `cfb`
  // it is given, so wrap it and answer for the essence entry.
  const cfb = r.value.cfb;
  const essence = [...cfb.entries.values()].find((e) => /Data-2702$/.test(e.path));
  const bigEntry = { ...essence, size };
  const patched = (o) => ({
    ...o,
    properties: o.properties.map((p) => {
      if (p.value.kind === 'stream' && p.value.entry && p.value.entry.id === essence.id) return { ...p, value: { ...p.value, entry: bigEntry } };
      if (p.value.kind === 'strong') return p.value.object ? { ...p, value: { ...p.value, object: patched(p.value.object) } } : p;
      if (p.value.kind === 'strong-vector' || p.value.kind === 'strong-set') return { ...p, value: { ...p.value, objects: p.value.objects.map(patched) } };
      return p;
    }),
  });
  const wrapped = { ...cfb, readStream: (e, o, n) => (e === bigEntry ? silence.read(o, n).then((value) => ({ ok: true, value, diagnostics: [] })) : cfb.readStream(e, o, n)) };
  const fd = openSync(out, 'w');
  await aaf.writeObjectsTo({ root: patched(r.value.root), referencedProperties: r.value.referencedProperties, cfb: wrapped }, { write: (c) => void writeSync(fd, c) });
  closeSync(fd);
}

export default async function () {
  if (!existsSync(CORPUS)) {
    console.log('  skipped: ../shared/corpus/aaf is absent (the inputs are generated from corpus files)');
    return 0;
  }
  const { aaf } = await import(join(ROOT, 'dist/index.js'));
  let failures = 0;

  const tenK = tmpPath('aaf-10k-clips.aaf');
  if (!existsSync(tenK)) await make10k(aaf, tenK);
  const bytes = new Uint8Array(readFileSync(tenK));
  const ms = [];
  let clips = 0;
  let tracks = 0;
  for (let i = 0; i < 6; i++) {
    const t0 = process.hrtime.bigint();
    const r = await aaf.readTimeline(bytes);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    tracks = r.value.tracks.filter((t) => t.kind === 'audio').length;
    clips = r.value.tracks.reduce((n, t) => n + t.clips.length, 0);
  }
  const m = median(ms.slice(1));
  const ok = m < 1000 && clips >= 10000;
  if (!ok) failures++;
  report(`AAF ${clips} clips on ${tracks} tracks (${fmt(bytes.length / 1e6, 1)} MB) → timeline`, `${fmt(m, 0)} ms`, '< 1000 ms', ok);

  // Whole process against LibAAF's aaftool on the same file.
  const aaftool = process.env.DUBSTAGE_AAFTOOL ?? join(ROOT, '.bench-tmp', 'libaaf', 'build', 'bin', 'aaftool');
  const ours = timeProcess(process.execPath, ['--input-type=module', '-e', `
    const { readFileSync } = await import('node:fs');
    const { aaf } = await import(${JSON.stringify(join(ROOT, 'dist/index.js'))});
    const r = await aaf.readTimeline(new Uint8Array(readFileSync(${JSON.stringify(tenK)})));
    if (!r.ok) process.exit(1);`], { rounds: 5 });
  if (existsSync(aaftool)) {
    const theirs = timeProcess(aaftool, ['--aaf-clips', tenK, '--verb', '0'], { rounds: 5 });
    console.log(`  info  whole process on the 10k-clip AAF (node start-up included): dubstage ${fmt(ours, 0)} ms vs LibAAF aaftool ${fmt(theirs, 0)} ms, time ratio dubstage/LibAAF ${fmt(ours / theirs, 2)} (pyaaf2 6.3 s quoted)`);
  } else {
    console.log(`  info  whole process on the 10k-clip AAF: dubstage ${fmt(ours, 0)} ms (LibAAF not built here: ${aaftool}; pyaaf2 6.3 s and LibAAF 2.6 s quoted)`);
  }

  const big = tmpPath('aaf-1gib-embedded.aaf');
  if (!existsSync(big)) await makeEmbedded(aaf, big);
  const script = `
    const { openFileSource, aaf } = await import(${JSON.stringify(join(ROOT, 'dist/node.js'))});
    const t0 = process.hrtime.bigint();
    const src = await openFileSource(${JSON.stringify(big)});
    const r = await aaf.readTimeline(src);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    await src.close();
    if (!r.ok) { console.error(r.diagnostics[0].message); process.exit(1); }
    process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, clips: r.value.tracks.reduce((n, t) => n + t.clips.length, 0) }));
  `;
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(p.stderr);
    runs.push(JSON.parse(p.stdout));
  }
  const bm = median(runs.map((r) => r.ms));
  const rss = median(runs.map((r) => r.maxRssKb)) / 1024;
  const ok2 = bm < 500 && rss < 150;
  if (!ok2) failures++;
  report(`AAF with ${fmt(statSync(big).size / 2 ** 30, 2)} GiB embedded audio: metadata → timeline`, `${fmt(bm, 0)} ms, ${fmt(rss, 0)} MB peak RSS`, '< 500 ms and < 150 MB (whole process RSS)', ok2);
  return failures;
}
