// Issue 11 goals (timeline part; the audio measurements have their own suite): grading one
// submission of 2,000 clips — a Pro Tools text export with time stamps against a dubstage JSON
// reference, tracks and timeline checks — well under the 5 s budget the issue gives for a whole
// submission (2,000 clips plus six 10-minute stems), and a class of 200 generated submissions
// graded with `dubstage grade --batch --jobs 2` (total time printed, against `--jobs 1` in the same
// run). Baseline in the same run: reading the submission alone (registry detect + parse), so the
// ratio says what grading adds to reading. Inputs are generated here with a seeded PRNG.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT, fmt, median, prng, report, tmpPath } from './lib.mjs';

/**
 * A reference session of `clips` regions on `tracks` tracks (each from its own file with a BWF
 * start of 10:00:00:00) and a student's version: about 2 % of regions 1–3 frames off, 1 % left out,
 * every tenth region split in two (content-equal), as a Pro Tools text export with time stamps.
 */
export function sessions(mod, clips, tracks, seed) {
  const { FrameRate, RationalTime, Timecode, createClip, createMediaSource, createTimeline, createTrack } = mod;
  const rnd = prng(seed);
  const rate = FrameRate.FPS_24;
  const f = (n) => RationalTime.fromFrames(n, rate);
  const ten = f(864000);
  const media = [];
  const ref = [];
  const stu = [];
  const per = Math.ceil(clips / tracks);
  for (let t = 0; t < tracks; t++) {
    const a = [];
    const b = [];
    let pos = 0;
    for (let i = 0; i < per && t * per + i < clips; i++) {
      const id = `fx_${t}_${i}`;
      media.push(createMediaSource({ id, name: `${id}.wav`, start: ten }));
      pos += 6 + Math.floor(rnd() * 48);
      const len = 12 + Math.floor(rnd() * 96);
      const src = Math.floor(rnd() * 2000);
      const mk = (at, l, s) => createClip({ name: id, start: f(at), duration: f(l), sourceStart: ten.plus(f(s)), media: { mediaId: id } });
      a.push(mk(pos, len, src));
      const r = rnd();
      if (r < 0.01) { /* left out */ } else if (r < 0.03) b.push(mk(pos + 1 + Math.floor(rnd() * 3), len, src));
      else if (r < 0.13) {
        const cut = Math.floor(len / 2);
        b.push(mk(pos, cut, src), mk(pos + cut, len - cut, src + cut));
      } else b.push(mk(pos, len, src));
      pos += len;
    }
    ref.push(createTrack({ kind: 'audio', name: `FX ${t + 1}`, clips: a }));
    stu.push(createTrack({ kind: 'audio', name: `FX ${t + 1}`, clips: b }));
  }
  const tl = (tr) => createTimeline({ name: 'bench', frameRate: rate, startTimecode: Timecode.fromFrames(86400, rate), media, tracks: tr });
  const stamp = (t) => ({ ...t, tracks: t.tracks.map((tr) => ({ ...tr, clips: tr.clips.map((c) => ({ ...c, metadata: { 'pt-text': { timestamp: Timecode.fromRationalTime(c.sourceStart, rate, 'floor').toString() } } })) })) });
  return {
    reference: mod.json.write(tl(ref)).value,
    student: mod.protools.write(stamp(tl(stu)), { timeFormat: 'timecode', timestamps: true }).value,
  };
}

export function rubricFor(tracks) {
  return {
    schema: 'dubstage.rubric/1', title: 'bench', rate: '24',
    checks: [
      { kind: 'tracks', id: 'layout', weight: 20, required: Array.from({ length: tracks }, (_, i) => `FX ${i + 1}`), order: true },
      { kind: 'timeline', id: 'sync', weight: 80, reference: 'reference.json', file: '*.txt' },
    ],
  };
}

export default async function () {
  const mod = await import(join(ROOT, 'dist/node.js'));
  const g = mod.grade;
  let failures = 0;

  // One submission of 2,000 clips on 16 tracks.
  const { reference, student } = sessions(mod, 2000, 16, 1);
  const rubric = g.parseRubric(rubricFor(16));
  if (!rubric.ok) throw new Error('bench rubric did not validate');
  const bytes = new TextEncoder().encode(student);
  const references = { 'reference.json': reference };
  const readMs = [];
  const gradeMs = [];
  let result;
  for (let i = 0; i < 5; i++) {
    let t0 = process.hrtime.bigint();
    const r = mod.readTimeline(bytes, { fileName: 'session.txt' });
    readMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!r.ok) throw new Error('bench submission did not read');
    t0 = process.hrtime.bigint();
    result = await g.grade(rubric.value, { name: 'bench', files: [{ path: 'session.txt', source: bytes }] }, { references });
    gradeMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  // Correctness before speed: the splits are content-equal, so only the offsets and omissions count.
  const sync = result.checks[1];
  const verdicts = {};
  for (const it of sync.items) verdicts[it.verdict] = (verdicts[it.verdict] ?? 0) + 1;
  if ((verdicts.match ?? 0) < 1900 || (verdicts.extra ?? 0) !== 0) throw new Error(`grade bench: unexpected verdicts ${JSON.stringify(verdicts)}`);
  const read = median(readMs);
  const gr = median(gradeMs);
  console.log(`  grade: 2,000-clip Pro Tools text export vs JSON reference, 16 tracks: verdicts ${JSON.stringify(verdicts)}, score ${result.score}`);
  console.log(`    read submission alone (baseline)  ${fmt(read).padStart(8)} ms`);
  console.log(`    grade (read + tracks + timeline)  ${fmt(gr).padStart(8)} ms   ${(gr / read).toFixed(1)}x the read`);
  const ok1 = gr < 5000;
  report('grade one 2,000-clip submission (timeline part)', `${fmt(gr)} ms`, '< 5000 ms (whole-submission budget)', ok1);
  if (!ok1) failures++;

  // A class of 200 submissions of 200 clips each, graded by the CLI.
  const dir = tmpPath('grade-class');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'submissions'), { recursive: true });
  const cls = sessions(mod, 200, 4, 2);
  writeFileSync(join(dir, 'reference.json'), cls.reference);
  writeFileSync(join(dir, 'rubric.json'), JSON.stringify(rubricFor(4)));
  for (let i = 0; i < 200; i++) {
    const s = join(dir, 'submissions', `student-${String(i + 1).padStart(3, '0')}`);
    mkdirSync(s);
    // Each student's export differs (seeded), like a real class.
    writeFileSync(join(s, 'session.txt'), i === 0 ? cls.student : sessions(mod, 200, 4, 100 + i).student);
  }
  const cli = join(ROOT, 'dist/cli.js');
  /** Wall ms and CPU s (user + sys of the whole process, all threads, from bash's `time`) of one batch run. */
  const run = (jobs) => {
    const q = (p) => `'${p.replace(/'/g, `'\\''`)}'`;
    const cmd = `TIMEFORMAT='%U %S'; { time ${q(process.execPath)} ${q(cli)} grade ${q(join(dir, 'rubric.json'))} --batch ${q(join(dir, 'submissions'))} --jobs ${jobs} --csv ${q(join(dir, `gradebook-${jobs}.csv`))} >/dev/null 2>&1; } 2>&1`;
    const t0 = process.hrtime.bigint();
    const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`grade --batch --jobs ${jobs} failed: ${r.stdout}`);
    const [u, sy] = r.stdout.trim().split(/\s+/).slice(-2).map(Number);
    return { ms, cpu: u + sy };
  };
  // Interleaved, so a change in the machine's load hits both settings alike.
  const ones = [];
  const twos = [];
  for (let i = 0; i < 3; i++) {
    ones.push(run(1));
    twos.push(run(2));
  }
  const one = median(ones.map((r) => r.ms));
  const two = median(twos.map((r) => r.ms));
  const load = loadavg()[0];
  console.log(`    class of 200 (200 clips each): --jobs 1 ${fmt(one / 1000)} s, --jobs 2 ${fmt(two / 1000)} s (${(one / two).toFixed(2)}x); CPU ${fmt(median(ones.map((r) => r.cpu)))} s and ${fmt(median(twos.map((r) => r.cpu)))} s`);
  console.log(`      (${cpus().length} cores, load average ${load.toFixed(1)}: --jobs 2 can only be faster when a second core is free)`);
  report('grade a class of 200 submissions, --jobs 2 (total)', `${fmt(two / 1000)} s`, 'printed (no target)', true);
  return failures;
}
