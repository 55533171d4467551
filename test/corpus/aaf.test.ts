import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readTimeline } from '../../src/formats/aaf/read.js';
import type { Clip, Timeline } from '../../src/model/types.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Rational } from '../../src/time/rational.js';
import { corpusFiles } from '../helpers/corpus.js';

// Expected values: ../shared/corpus/EXPECTED.md, AAF section. aaftool prints absolute positions
// in samples at the dominant rate (start timecode included); where the audit says the file's
// edit units are exact, these tests compare exact rational samples.
const files = corpusFiles('aaf', (n) => n.endsWith('.aaf'));
const byName = (n: string) => files.find((f) => basename(f) === n);

async function load(name: string, options: Parameters<typeof readTimeline>[1] = {}): Promise<Timeline | undefined> {
  const f = byName(name);
  if (!f) return undefined;
  const r = await readTimeline(new Uint8Array(readFileSync(f)), options);
  expect(r.ok, name).toBe(true);
  return r.ok ? r.value : undefined;
}

/** Absolute sample of a timeline position at `sr` (start timecode included), exact or undefined. */
function abs(t: Timeline, pos: RationalTime, sr: number): bigint {
  return t.startTimecode.toRationalTime().plus(pos).toSamples(sr, 'nearest'); // aaftool rounds to the nearest sample
}
const samples = (d: RationalTime, sr: number) => d.toSamples(sr, 'floor');
const audio = (t: Timeline) => t.tracks.filter((k) => k.kind === 'audio');
const mediaName = (t: Timeline, c: Clip) => t.media.find((m) => m.id === c.media?.mediaId)?.name;
const offset = (t: Timeline, c: Clip, sr: number) => c.sourceStart.minus(t.media.find((m) => m.id === c.media?.mediaId)?.start ?? RationalTime.ZERO).toSamples(sr, 'floor');

describe.skipIf(files.length === 0)('AAF into the timeline (EXPECTED.md)', () => {
  test.each(files.map((f) => [basename(f), f]))('%s reads without error diagnostics', async (_n, path) => {
    const r = await readTimeline(new Uint8Array(readFileSync(path)));
    expect(r.ok).toBe(true);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  test('MC_Fades: positions, lengths, source offsets, fades and crossfades', async () => {
    const t = await load('libaaf__MC_Fades.aaf');
    if (!t) return;
    expect(t.name).toBe('MC_Fades.Exporté.05');
    expect(t.frameRate.name).toBe('29.97ndf');
    expect(t.startTimecode.toString()).toBe('01:00:00:00');
    const [a1, a2, a3] = audio(t);
    expect(a1!.clips.map((c) => [abs(t, c.start, 48000), samples(c.duration, 48000), offset(t, c, 48000)])).toEqual([
      [172972800n, 48048n, 48048n], [173036864n, 32032n, 48048n], [173060888n, 40040n, 52852n], [173092920n, 24024n, 51251n],
    ]);
    expect(a1!.clips[0]!.fadeIn).toMatchObject({ shape: 'linear' });
    expect(samples(a1!.clips[0]!.fadeIn!.duration, 48000)).toBe(8008n);
    expect(samples(a1!.clips[0]!.fadeOut!.duration, 48000)).toBe(8008n);
    expect(a1!.transitions.map((x) => [x.kind, x.shape, samples(x.duration, 48000)])).toEqual([['crossfade', 'linear', 8008n], ['crossfade', 'equal-power', 8008n]]);
    expect(mediaName(t, a1!.clips[0]!)).toBe('1000hz-18dbs16b44.1k.wav');
    expect(a2!.clips[0]!.fadeIn?.shape).toBe('equal-power');
    // A3 is stereo: two mono files per clip (MC's mob per channel).
    expect(a3!.channels).toBe(2);
    expect(a3!.clips.map((c) => abs(t, c.start, 48000))).toEqual([172972800n, 173068896n, 173166594n, 173233861n, 173297925n]);
    expect((a3!.clips[0]!.metadata.aaf as { channelMedia: string[] }).channelMedia.map((id) => t.media.find((m) => m.id === id)?.name)).toEqual(['stereo-identif.wav', 'stereo-identif.wav']);
  });

  test('DR_Mono_Clip_Positioning: sample-accurate positions at 48 kHz (audit, pyaaf2)', async () => {
    const t = await load('libaaf__DR_Mono_Clip_Positioning.aaf');
    if (!t) return;
    const clips = audio(t)[0]!.clips;
    expect(clips.map((c) => abs(t, c.start, 48000))).toEqual([172800000n, 173000000n, 173232000n, 173459321n]);
    expect(clips.map((c) => samples(c.duration, 48000))).toEqual([144000n, 144000n, 144000n, 144000n]);
    expect(clips.map((c) => mediaName(t, c))).toEqual(['1000hz-18dbs16b44', 'sample-accurate-173000000', 'tc-accurate-01:00:09:00-173232000', 'sample-accuracy-173459321']);
  });

  test('MC_TC_23.976: start 01:00:00:00 = 86400 × 2002 samples; the clip at 01:00:10:00 for 3 s (audit)', async () => {
    const t = await load('libaaf__MC_TC_23.976.aaf');
    if (!t) return;
    expect(t.frameRate.name).toBe('23.976');
    expect(t.startTimecode.toRationalTime().toSamples(48000, 'floor')).toBe(172972800n);
    const c = audio(t)[0]!.clips[0]!;
    expect(t.startTimecode.plus(Number(c.start.toFrames(t.frameRate, 'floor'))).toString()).toBe('01:00:10:00');
    expect(c.duration.toFrames(t.frameRate, 'floor')).toBe(72n);
  });

  test('MC_TC_29.97_DF and 59.94_DF read as drop-frame', async () => {
    const a = await load('libaaf__MC_TC_29.97_DF.aaf');
    const b = await load('libaaf__MC_TC_59.94_DF.aaf');
    if (!a || !b) return;
    expect(a.frameRate.name).toBe('29.97df');
    expect(b.frameRate.name).toBe('59.94df');
  });

  test('DR_Markers: two markers at 01:01:00:00 and 01:01:30:00, the second 10 frames long (audit, pyaaf2)', async () => {
    const t = await load('libaaf__DR_Markers.aaf');
    if (!t) return;
    expect(t.markers.map((m) => m.name)).toEqual(['Marker1Name', 'Marker2Name']);
    expect(t.markers.map((m) => t.startTimecode.plus(Number(m.position.toFrames(t.frameRate, 'floor'))).toString())).toEqual(['01:01:00:00', '01:01:30:00']);
    expect(t.markers[0]!.duration).toBeUndefined();
    expect(t.markers[1]!.duration?.toFrames(t.frameRate, 'floor')).toBe(10n);
    expect(t.markers.map((m) => m.colour)).toEqual(['#e12401', '#9013fe']); // aaftool's print-out of the 16-bit colours
  });

  test('MC_Audio_Levels: clip gains in dB and volume automation (aaftool oracle)', async () => {
    const t = await load('libaaf__MC_Audio_Levels.aaf');
    if (!t) return;
    const tr = audio(t);
    expect(tr[2]!.clips[0]!.gainDb).toBeCloseTo(2.0, 1);
    expect(tr[3]!.clips[0]!.gainDb).toBeCloseTo(1.5, 1);
    expect(tr[4]!.clips[0]!.gainDb).toBeCloseTo(6.0, 1);
    expect(tr[0]!.clips[1]!.gainDb).toBeCloseTo(3.0, 1);
    const auto = tr[0]!.clips[0]!.gainAutomation!;
    // times 0, 0.433333, 0.966667 of the clip; values 0, -46.3, 0 dB
    expect(auto.map((p) => Math.round(p.gainDb * 10) / 10)).toEqual([0, -46.3, 0]);
    expect(auto.map((p) => Math.round((p.time.toSecondsNumber() / tr[0]!.clips[0]!.duration.toSecondsNumber()) * 1e6) / 1e6)).toEqual([0, 0.433333, 0.966667]);
    expect(tr[2]!.solo).toBe(true);
    expect(tr[2]!.clips[0]!.name).toBe('1000hz-18dbs16b44.1k.wav.Sub.01');
  });

  test('MC_Audio_Pan: track pan automation and a fixed pan (aaftool oracle MC_Audio_Pan.aaf.expected)', async () => {
    const t = await load('libaaf__MC_Audio_Pan.aaf');
    if (!t) return;
    const [a1, a2] = audio(t);
    // Oracle "Track Pan Automation": _time is a fraction of the track (60 edit units @30000/1001,
    // 01:00:00:00–01:00:02:00), _value 0 = left … 1 = right; the model's pan is −1 … +1.
    const lane = a1!.automation?.find((l) => l.parameter === 'pan');
    expect(lane?.interpolation).toBe('linear');
    const trackLength = RationalTime.fromFrames(60, Rational.of(30000, 1001));
    expect(lane?.points.map((p) => p.time.toString())).toEqual(
      [[0, 1], [29, 60], [30, 60], [38, 60], [48, 60], [59, 60]].map(([n, d]) => trackLength.scaledBy(Rational.of(n!, d!)).toString()),
    );
    expect(lane?.points.map((p) => p.value)).toEqual([0, 0, 0.5, 1, 0, 0.5].map((v) => v * 2 - 1));
    // "Pan: 1.00 (R)": a fixed pan, hard right.
    expect(a2!.automation).toEqual([{ parameter: 'pan', interpolation: 'linear', points: [{ time: RationalTime.ZERO, value: 1 }] }]);
  });

  test('PT_Fades: Pro Tools clips as stored (rendered fades and sample-accurate edits kept as clips)', async () => {
    const t = await load('libaaf__PT_Fades.aaf', { protools: { renderedFades: 'clips', sampleAccurateEdits: 'keep' } });
    if (!t) return;
    expect(t.sampleRate).toBe(44100);
    const [a1, a2] = audio(t);
    expect(a1!.name).toBe('Audio 1');
    expect(a1!.clips.map((c) => [abs(t, c.start, 44100), samples(c.duration, 44100), offset(t, c, 44100), mediaName(t, c)])).toEqual([
      [1295070n, 1470n, 0n, 'Sample accurate edit'], [1296540n, 19110n, 1470n, 'Fade '], [1315650n, 1470n, 0n, 'Sample accurate edit'],
      [1317120n, 58800n, 22050n, '1000hz-18dbs16b44.1k-01'], [1375920n, 1470n, 0n, 'Sample accurate edit'], [1377390n, 29400n, 1470n, 'Fade '],
      [1406790n, 1470n, 0n, 'Sample accurate edit'], [1408260n, 80850n, 32340n, '1000hz-18dbs16b44.1k'], [1489110n, 1470n, 0n, 'Sample accurate edit'],
      [1490580n, 17640n, 1470n, 'Fade '], [1508220n, 1470n, 0n, 'Sample accurate edit'],
    ]);
    expect(a2!.channels).toBe(2);
    expect(a2!.clips.map((c) => abs(t, c.start, 44100))).toEqual([1347990n, 1349460n, 1362690n, 1364160n, 1374450n, 1375920n, 1406790n, 1408260n, 1420020n, 1421490n, 1436190n]);
  });

  const row = (t: Timeline, c: Clip) => [abs(t, c.start, 44100), samples(c.duration, 44100), offset(t, c, 44100), mediaName(t, c)];

  test('PT_Fades with sample-accurate edits merged (oracle PT_Fades_A, aaftool --pt-remove-sae)', async () => {
    const t = await load('libaaf__PT_Fades.aaf', { protools: { renderedFades: 'clips', sampleAccurateEdits: 'merge' } });
    if (!t) return;
    const [a1, a2] = audio(t);
    expect(a1!.clips.map((c) => row(t, c))).toEqual([
      [1295070n, 22050n, 0n, 'Fade '], [1317120n, 60270n, 22050n, '1000hz-18dbs16b44.1k-01'], [1377390n, 30870n, 1470n, 'Fade '],
      [1408260n, 82320n, 32340n, '1000hz-18dbs16b44.1k'], [1490580n, 19110n, 1470n, 'Fade '],
    ]);
    expect(a2!.clips.map((c) => row(t, c).slice(0, 3))).toEqual([
      [1347990n, 16170n, 0n], [1364160n, 11760n, 16170n], [1375920n, 32340n, 1470n], [1408260n, 13230n, 45570n], [1421490n, 16170n, 1470n],
    ]);
  });

  for (const options of [{ renderedFades: 'fades', sampleAccurateEdits: 'keep' }, {}] as const) {
    test(`PT_Fades with rendered fades turned into fades, ${JSON.stringify(options)} (oracle PT_Fades_B, aaftool --pt-true-fades)`, async () => {
      const t = await load('libaaf__PT_Fades.aaf', { protools: options });
      if (!t) return;
      const [a1, a2] = audio(t);
      expect(a1!.clips.map((c) => row(t, c))).toEqual([[1295070n, 113190n, 0n, '1000hz-18dbs16b44.1k-01'], [1377390n, 132300n, 1470n, '1000hz-18dbs16b44.1k']]);
      expect(samples(a1!.clips[0]!.fadeIn!.duration, 44100)).toBe(22050n);
      expect(samples(a1!.clips[1]!.fadeOut!.duration, 44100)).toBe(19110n);
      expect(a1!.transitions.map((x) => [x.kind, abs(t, x.start, 44100), samples(x.duration, 44100)])).toEqual([['crossfade', 1377390n, 30870n]]);
      expect(a2!.clips.map((c) => row(t, c).slice(0, 3))).toEqual([[1347990n, 60270n, 0n], [1375920n, 61740n, 13230n]]);
      expect(samples(a2!.clips[0]!.fadeIn!.duration, 44100)).toBe(16170n);
      expect(samples(a2!.clips[1]!.fadeOut!.duration, 44100)).toBe(16170n);
      expect(a2!.transitions.map((x) => samples(x.duration, 44100))).toEqual([32340n]);
    });
  }

  test('MC_Markers: names from CommentMarkerUSer, positions @30000/1001, tracks, the 4-frame XYZ (aaftool oracle + audit)', async () => {
    const t = await load('libaaf__MC_Markers.aaf');
    if (!t) return;
    expect(t.markers.map((m) => m.name)).toEqual(['XYZ', 'ABC', 'DEF']);
    expect(t.markers.map((m) => abs(t, m.position, 48000))).toEqual([172972800n, 172988816n, 173019246n]); // DEF exact 173019246.4 (audit)
    expect(t.markers[0]!.duration?.toFrames(t.frameRate, 'floor')).toBe(4n);
    expect(t.markers[1]!.comment).toBe("I'm a Marker on track A1, at pos 01:00:00:10, I last 1 frame, my color is red, my name is ABC");
    expect(t.markers.map((m) => m.colour)).toEqual(['#e6e619', '#a12f19', '#33cccc']); // high bytes of (58981,58981,6553), (41471,12134,6564), (13107,52428,52428)
    const audioNames = audio(t).map((k) => k.name);
    expect(t.markers[1]!.track).toBe(audioNames[0]);
    expect(t.markers[2]!.track).toBe(audioNames[1]);
  });

  test('MC_Clip_Mute and MC_Track_Solo_Mute: clip mute, track solo and mute; the master lane is no track (aaftool oracle)', async () => {
    const a = await load('libaaf__MC_Clip_Mute.aaf');
    const b = await load('libaaf__MC_Track_Solo_Mute.aaf');
    if (!a || !b) return;
    expect(audio(a)[0]!.clips.map((c) => [abs(a, c.start, 48000), samples(c.duration, 48000), c.muted])).toEqual([[172972800n, 48048n, true]]);
    expect(audio(b).map((k) => [k.solo ?? false, k.muted ?? false])).toEqual([[true, false], [false, true]]);
  });

  test('DR_Audio_Levels: clip gains -99, +6, +3 dB and volume automation (aaftool oracle)', async () => {
    const t = await load('libaaf__DR_Audio_Levels.aaf');
    if (!t) return;
    const [a1, a2] = audio(t);
    expect(a1!.clips.map((c) => abs(t, c.start, 22050))).toEqual([80041500n, 80703000n, 81364500n, 82026000n]);
    expect(a1!.clips.map((c) => samples(c.duration, 22050))).toEqual([66150n, 66150n, 66150n, 66150n]);
    expect(Math.round(a1!.clips[0]!.gainDb!)).toBe(-99);
    expect(a1!.clips[1]!.gainDb).toBeCloseTo(6, 1);
    expect(a1!.clips[3]!.gainDb).toBeCloseTo(3, 1);
    expect(a1!.clips[2]!.gainDb).toBeUndefined();
    const auto = a1!.clips[2]!.gainAutomation!;
    expect(auto.length).toBe(42);
    expect(Math.round(auto[7]!.gainDb * 10) / 10).toBe(-99); // _time 0.263889 _value 0.000011 (-99.0 dB)
    expect(a2!.channels).toBe(2);
    expect(samples(a2!.clips[0]!.duration, 22050)).toBe(42262n);
  });

  test('DR_Stereo_Clip_Positioning: stereo combiner clips at sample-accurate starts @48 kHz (audit)', async () => {
    const t = await load('libaaf__DR_Stereo_Clip_Positioning.aaf');
    if (!t) return;
    const a1 = audio(t)[0]!;
    expect(a1.channels).toBe(2);
    expect(a1.clips.map((c) => [abs(t, c.start, 48000), samples(c.duration, 48000)])).toEqual([
      [172800000n, 93860n], [173000000n, 93860n], [173232000n, 93860n], [173459321n, 93860n],
    ]);
  });

  test('DR_Multichannel_5.1_single_source: one 5.1 clip, length from the combiner (aaftool oracle)', async () => {
    const t = await load('libaaf__DR_Multichannel_5.1_single_source.aaf');
    if (!t) return;
    const a1 = audio(t)[0]!;
    expect(a1.channels).toBe(6);
    expect(a1.clips.length).toBe(1);
    const c = a1.clips[0]!;
    // Exactly 13215779.5875 samples at 44.1 kHz; aaftool rounds each value on its own (EXPECTED.md
    // audit) and prints 13215779 here, so compare within one sample.
    const exact = t.startTimecode.toRationalTime().plus(c.start).toSamples(44100, 'floor');
    expect([exact, samples(c.duration, 44100)]).toEqual([13215779n, 306787n]);
  });

  test('PR_Audio_Levels: Premiere clip gains (+0, +6, +6 dB) at 25 fps (aaftool oracle)', async () => {
    const t = await load('libaaf__PR_Audio_Levels-noBTM.aaf');
    if (!t) return;
    const a1 = audio(t)[0]!;
    expect(a1.clips.map((c) => abs(t, c.start, 22050))).toEqual([0n, 66150n, 132300n, 198450n]);
    expect(a1.clips.map((c) => samples(c.duration, 22050))).toEqual([42336n, 42336n, 42336n, 42336n]);
    expect((a1.clips[0]!.gainDb ?? 0)).toBeCloseTo(0, 1);
    expect(a1.clips[1]!.gainDb).toBeCloseTo(6, 1);
    expect(a1.clips[2]!.gainDb).toBeCloseTo(6, 1);
    expect(a1.clips[3]!.gainAutomation?.length).toBeGreaterThan(1);
  });

  /** Exact absolute sample (floored) is within one sample of aaftool's independently rounded value. */
  const within1 = (got: bigint, want: bigint) => got === want || got + 1n === want || got - 1n === want;

  test.each([
    ['libaaf__PT_lang_en.aaf', 32340n],
    ['libaaf__PT_lang_ja.aaf', 29400n],
  ])('%s: rendered fades and sample-accurate edits become one clip with fades (oracle with --pt-true-fades)', async (name, offsetSamples) => {
    const t = await load(name);
    if (!t) return;
    const a1 = audio(t)[0]!;
    expect(a1.clips.map((c) => row(t, c).slice(0, 3))).toEqual([[13232940n, 77910n, offsetSamples]]);
    expect(samples(a1.clips[0]!.fadeIn!.duration, 44100)).toBe(16170n);
    expect(samples(a1.clips[0]!.fadeOut!.duration, 44100)).toBe(17640n);
  });

  test('PT_Multichannel stereo and 5.1: one multichannel clip after merging the sample-accurate edit (oracle with --pt-remove-sae)', async () => {
    const st = await load('libaaf__PT_Multichannel_stereo_multi_source.aaf');
    const five = await load('libaaf__PT_Multichannel_5.1_multi_source.aaf');
    if (!st || !five) return;
    const s1 = audio(st)[0]!;
    expect(s1.channels).toBe(2);
    expect(s1.clips.map((c) => [abs(st, c.start, 44100), samples(c.duration, 44100), offset(st, c, 44100)])).toEqual([[13230000n, 79380n, 2940n]]);
    expect(((s1.clips[0]!.metadata.aaf as { channelMedia: string[] }).channelMedia).map((id) => st.media.find((m) => m.id === id)?.name)).toEqual(['stereo-identif-01.L', 'stereo-identif-01.R']);
    const f1 = audio(five)[0]!;
    expect(f1.channels).toBe(6);
    const c = f1.clips[0]!;
    expect(f1.clips.length).toBe(1);
    expect([abs(five, c.start, 32000), samples(c.duration, 32000)]).toEqual([9600000n, 224000n]);
    expect(within1(offset(five, c, 32000), 2133n)).toBe(true); // 2 edit units @30 = 2133.3 samples @32 kHz
    expect(((c.metadata.aaf as { channelMedia: string[] }).channelMedia).map((id) => five.media.find((m) => m.id === id)?.name)).toEqual(
      ['L', 'C', 'R', 'Ls', 'Rs', 'LFE'].map((ch) => `5.1-SMPTE-channel-identif-02.${ch}`));
  });

  test('PT_PCM_Internal (embedded), PT_WAV_External and PT_AIFF_External: positions and media (aaftool oracles)', async () => {
    const pcm = await load('libaaf__PT_PCM_Internal.aaf');
    const wav = await load('libaaf__PT_WAV_External.aaf');
    const aif = await load('libaaf__PT_AIFF_External.aaf');
    if (!pcm || !wav || !aif) return;
    const p = audio(pcm)[0]!.clips[0]!;
    expect([abs(pcm, p.start, 44100), samples(p.duration, 44100), offset(pcm, p, 44100)]).toEqual([158760000n, 88200n, 0n]);
    const pm = pcm.media.find((m) => m.id === p.media?.mediaId)!;
    expect(pm).toMatchObject({ name: '1000hz-18dbs16b44.1k-01', sampleRate: 16000, embedded: true });
    expect(pm.duration?.toSamples(16000, 'floor')).toBe(32000n);
    for (const t of [wav, aif]) {
      const c = audio(t)[0]!.clips[0]!;
      expect([abs(t, c.start, 44100), samples(c.duration, 44100), offset(t, c, 44100)]).toEqual([158804100n, 44100n, 44100n]);
      const m = t.media.find((x) => x.id === c.media?.mediaId)!;
      expect(m.embedded).toBeUndefined();
      expect(m.url).toMatch(/^file:/);
    }
  });

  test('PR_Fades: Premiere fades with log, linear and power curves; crossfades (aaftool oracle, 29.97 DF)', async () => {
    const t = await load('libaaf__PR_Fades.aaf');
    if (!t) return;
    expect(t.frameRate.name).toBe('29.97df');
    expect(t.startTimecode.toString()).toBe('00:00:00;00');
    const [a1, a2] = audio(t);
    const starts = a1!.clips.map((c) => abs(t, c.start, 22050));
    [0n, 110360n, 220720n, 331080n, 346531n, 364924n, 384789n].forEach((want, i) => expect(within1(starts[i]!, want), `clip ${i + 1}`).toBe(true));
    expect(a1!.clips.slice(0, 3).map((c) => [c.fadeIn?.shape, c.fadeOut?.shape])).toEqual([['logarithmic', 'logarithmic'], ['linear', 'linear'], ['equal-power', 'equal-power']]);
    expect(within1(samples(a1!.clips[0]!.fadeIn!.duration, 22050), 2207n)).toBe(true);
    expect(a1!.transitions.map((x) => x.shape)).toEqual(['logarithmic', 'linear', 'equal-power']);
    expect(a1!.transitions.map((x) => samples(x.duration, 22050))).toEqual([7357n, 8093n, 7357n]);
    expect(a2!.channels).toBe(2);
    expect(a2!.transitions.length).toBe(3);
  });

  const video = (t: Timeline) => t.tracks.filter((k) => k.kind === 'video');
  const frames24 = (d: RationalTime) => d.toFrames(FrameRate.FPS_24, 'floor');

  test('otio-aaf trims: video clip names, source starts (tape timecode + clip start) and durations @24 (otio-aaf-adapter test + audit)', async () => {
    const t = await load('otio-aaf__trims.aaf');
    if (!t) return;
    expect(t.name).toBe('OTIO TEST 1.Exported.01 - trims.Exported.02');
    const v = video(t)[0]!;
    expect(v.clips.map((c) => c.name)).toEqual(['tech.fux (loop)-HD.mp4', 't-hawk (loop)-HD.mp4', 'out-b (loop)-HD.mp4', 'KOLL-HD.mp4', 'brokchrd (loop)-HD.mp4']);
    expect(v.clips.map((c) => [frames24(c.sourceStart), frames24(c.duration)])).toEqual([[86400n, 720n], [86521n, 359n], [86523n, 400n], [0n, 559n], [86469n, 651n]]);
    // Ranges in the track: the gap (Filler) sits at 00:01:24:22 for 00:00:04:12, so the last clip starts at 00:01:29:10.
    expect(frames24(v.clips[4]!.start)).toBe(BigInt((60 + 29) * 24 + 10));
  });

  test('otio-aaf: nested sequence, essence group, source timecode, layers and stored marker positions (otio-aaf-adapter tests + audit)', async () => {
    const nested = await load('otio-aaf__nested_audio_dissolve.aaf');
    const group = await load('otio-aaf__essence_group.aaf');
    const tc = await load('otio-aaf__timecode_test.aaf');
    const multi = await load('otio-aaf__multitrack.aaf');
    const markers = await load('otio-aaf__multiple_markers.aaf');
    if (!nested || !group || !tc || !multi || !markers) return;
    const f24 = (x: RationalTime) => {
      const f = x.toFrames(FrameRate.FPS_24, 'floor');
      expect(x.toFrames(FrameRate.FPS_24, 'ceil')).toBe(f); // on the frame grid
      return f;
    };
    // "Clip (43 frames), Transition (3 frames, in_offset 3, out_offset 0), Gap (0 frames)": the clip
    // sits in a Sequence nested in the track's Sequence; the transition into the empty gap is a fade out.
    const [clip] = audio(nested)[0]!.clips;
    expect([f24(clip!.duration), f24(clip!.fadeOut!.duration), mediaName(nested, clip!)]).toEqual([43n, 3n, '0335J    YW1.wav']);
    expect(f24(group.tracks[0]!.clips.reduce((end, c) => (c.start.plus(c.duration).compare(end) > 0 ? c.start.plus(c.duration) : end), RationalTime.ZERO))).toBe(12n);
    // "item 1 starts at frame 86424 @24", and items 0 and 1 have different source starts.
    const [i0, i1] = video(tc)[0]!.clips;
    expect(f24(i1!.sourceStart)).toBe(86424n);
    expect(f24(i0!.sourceStart)).not.toBe(86424n);
    // "the 3 video tracks are the 3 layers of one NestedScope in Picture slot 9 … 2 Sound slots".
    expect([video(multi).length, audio(multi).length]).toEqual([3, 2]);
    // Stored positions @24 (audit): PUBLISH 0, GREEN V1 295, FX 0, BLUE 518, INSERT 0, CYAN 856,
    // MAGENTA 857, RED 1076, GREEN TC1 1795, and the tenth marker at 106; the texts are Comments.
    const at = (text: string) => markers.markers.filter((m) => m.comment?.startsWith(text)).map((m) => f24(m.position));
    expect([at('PUBLISH'), at('GREEN: V1'), at('FX'), at('BLUE'), at('INSERT'), at('CYAN'), at('MAGENTA'), at('RED'), at('GREEN: TC1'), at('YELLOW: V5')]).toEqual(
      [[0n], [295n], [0n], [518n], [0n], [856n], [857n], [1076n], [1795n], [106n]],
    );
    // One EventMobSlot per picture layer, all describing the NestedScope's slot 9, in layer order:
    // the texts name the layer (V1…V5). Layers of the unnamed slot are V1, V1.2 … V1.5.
    expect(video(markers).map((k) => k.name)).toEqual(['V1', 'V1.2', 'V1.3', 'V1.4', 'V1.5']);
    const trackOf = (text: string) => markers.markers.find((m) => m.comment?.startsWith(text))?.track;
    expect(['GREEN: V1', 'BLUE: V2', 'CYAN: V3', 'MAGENTA: V4', 'RED: V5', 'YELLOW: V5'].map(trackOf)).toEqual(['V1', 'V1.2', 'V1.3', 'V1.4', 'V1.5', 'V1.5']);
  });

  test('otio-aaf: rates, start timecodes, top-level compositions, muted clip (otio-aaf-adapter tests)', async () => {
    const df = await load('otio-aaf__2997fps-DFTC.aaf');
    const f30 = await load('otio-aaf__30fps.aaf');
    const f2997 = await load('otio-aaf__2997fps.aaf');
    const muted = await load('otio-aaf__test_muted_clip.aaf');
    const simple = await load('otio-aaf__simple.aaf');
    if (!df || !f30 || !f2997 || !muted || !simple) return;
    expect(df.startTimecode.toString()).toBe('05:00:00;00');
    expect(f30.frameRate.rate.toString()).toBe('30');
    expect(f2997.frameRate.rate.toString()).toBe('30000/1001');
    expect(simple.startTimecode.toString()).toBe('01:00:00:00');
    expect(video(simple)[0]!.clips.length).toBe(5);
    // The muted clip is a Selector whose alternate is a ScopeReference into another slot; such
    // references are not resolved yet (docs/aaf.md), so only its muting is asserted.
    expect(video(muted)[0]!.clips.map((c) => c.muted)).toEqual([true]);
    const multi = await readTimeline(new Uint8Array(readFileSync(byName('otio-aaf__multiple_top_level_mobs.aaf')!)));
    expect(multi.diagnostics.map((d) => d.code)).toContain('aaf/several-compositions'); // 2 top-level compositions
  });
});
