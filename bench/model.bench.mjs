// Issue 3 goals: building, validating and serializing (dubstage JSON) a 100,000-clip timeline,
// each in under 0.5 s (median of 5 rounds after a warm-up, against the built dist/). Reading the
// JSON back and writing/reading OTIO are measured too, for information (no goal, no baseline: the
// issue names none).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ROOT, fmt, report } from './lib.mjs';

const N = 100_000;

/** Median wall ms (the goal) and median CPU ms of this process (what the machine's load does not inflate). */
function measure(fn, rounds) {
  fn();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push(c.user / 1000);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { ms: med(wall), cpu: med(cpu) };
}
const show = (m) => `${fmt(m.ms)} ms (cpu ${fmt(m.cpu)})`;
const TRACKS = 16;

export default async function () {
  const d = await import(pathToFileURL(join(ROOT, 'dist', 'index.js')).href);
  const { createClip, createTrack, createTimeline, createMediaSource, validate, RationalTime, FrameRate, Timecode, json, otio } = d;
  const rate = FrameRate.FPS_29_97_DF;
  let failures = 0;

  // Clips of 2 s with 1601-sample gaps (each start a new exact time) (so positions are off the frame grid), 16 tracks, one media per 1000 clips.
  const build = () => {
    const media = [];
    for (let m = 0; m < N / 1000; m++) media.push(createMediaSource({ id: `m${m}`, name: `take${m}.wav`, sampleRate: 48000, channels: 2, duration: RationalTime.fromSamples(48000 * 7200, 48000) }));
    const perTrack = N / TRACKS;
    // Time values are immutable, so equal lengths and source offsets are shared as an app would.
    const length = RationalTime.fromSamples(96_000, 48000);
    const offsets = Array.from({ length: 1000 }, (_, j) => RationalTime.fromSamples(BigInt(j) * 48_000n, 48000));
    const tracks = [];
    for (let t = 0; t < TRACKS; t++) {
      const clips = new Array(perTrack);
      for (let i = 0; i < perTrack; i++) {
        const k = t * perTrack + i;
        clips[i] = createClip({
          name: `clip ${k}`,
          start: RationalTime.fromSamples(BigInt(i) * 97_601n, 48000),
          duration: length,
          sourceStart: offsets[i % 1000],
          media: { mediaId: `m${k % (N / 1000)}`, channel: 1 + (i % 2) },
          gainDb: -3,
        });
      }
      tracks.push(createTrack({ kind: 'audio', name: `A${t + 1}`, channels: 1, clips }));
    }
    return createTimeline({ name: 'bench', sampleRate: 48000, frameRate: rate, startTimecode: Timecode.fromFrames(107_892, rate), tracks, media });
  };

  const b = measure(build, 5);
  const timeline = build();
  report(`build a ${N.toLocaleString('en')}-clip timeline`, show(b), '< 500 ms', b.ms < 500);
  if (b.ms >= 500) failures++;

  let diags;
  const v = measure(() => (diags = validate(timeline)), 5);
  report(`validate it (${diags.length} diagnostics)`, show(v), '< 500 ms', v.ms < 500);
  if (v.ms >= 500) failures++;

  let text = '';
  const s = measure(() => (text = json.write(timeline).value), 5);
  report(`serialize as dubstage JSON (${(text.length / 1e6).toFixed(1)} MB)`, show(s), '< 500 ms', s.ms < 500);
  if (s.ms >= 500) failures++;

  const r = measure(() => json.parse(text), 3);
  report('read that JSON back (information)', show(r), 'none', true);

  let otioText = '';
  const ow = measure(() => (otioText = otio.write(timeline).value), 3);
  report(`write OTIO (${(otioText.length / 1e6).toFixed(1)} MB, information)`, show(ow), 'none', true);
  const or = measure(() => otio.parse(otioText), 3);
  report('read that OTIO back (information)', show(or), 'none', true);
  return failures;
}
