// Conformed rates and speed ramps in FCPXML and XMEML.
// Expected marker timecodes are DAWFileKit's tests (orchetect/DAWFileKit @ f90f6a5d,
// `Tests/DAWFileToolsTests/FinalCutPro/File Tests/FinalCutPro FCPXML 24With25Media.swift` and
// `… FCPXML 24.swift`, "absolute timecode, as seen in FCP"); the frame part is compared (their
// subframes are not modelled). Other expected values are the documents' own numbers, cited.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseFcpxml, validate, write as writeFcpxml } from '../../src/formats/xml/fcpxml/index.js';
import { parse as parseXmeml, write as writeXmeml } from '../../src/formats/xml/fcp7/index.js';
import type { Timeline } from '../../src/model/types.js';
import { Rational } from '../../src/time/rational.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';
import { corpusFiles } from '../helpers/corpus.js';

const files = corpusFiles('fcpxml');
const byName = (n: string) => files.find((f) => basename(f) === n) as string;
const read = (path: string): Timeline => {
  const r = parseFcpxml(readFileSync(path, 'utf8'));
  if (!r.ok) throw new Error(r.diagnostics[0]!.message);
  return r.value;
};
const markerTcs = (t: Timeline): string[] =>
  t.markers.map((m) => `${Timecode.fromFrames(t.startTimecode.frames + Number(m.position.toFrames(t.frameRate, 'floor')), t.frameRate).toString()} ${m.name}`);
const sec = (text: string) => RationalTime.fromSeconds(Rational.parse(text)!);

describe.skipIf(files.length === 0)('conform-rate (scaleEnabled, srcFrameRate)', () => {
  test('dawfilekit__24With25Media.fcpxml: 25 fps media in a 24 fps sequence plays frame for frame (speed 24/25)', () => {
    const t = read(byName('dawfilekit__24With25Media.fcpxml'));
    // DAWFileKit: Marker 1 01:00:10:01, Marker 2 01:02:09:17, Marker 3 01:02:28:18.
    expect(markerTcs(t)).toEqual(['01:00:10:01 Marker 1', '01:02:09:17 Marker 2', '01:02:28:18 Marker 3']);
    // asset-clip "TestVideo2": offset 3615s (tcStart 3600s), no start, duration 3551/24s, conform-rate 25.
    const c = t.tracks.find((k) => k.kind === 'audio')!.clips.find((x) => x.name === 'TestVideo2')!;
    expect(`${c.start}`).toBe(`${sec('15')}`);
    expect(`${c.duration}`).toBe(`${sec('3551/24')}`);
    expect(c.speed?.toString()).toBe(Rational.of(24n, 25n).toString());
    expect(c.sourceStart.isZero()).toBe(true);
    // It plays the whole asset: 3551 frames at 25 fps = the asset's duration 142040/1000s.
    expect(`${c.sourceStart.plus(c.duration.scaledBy(c.speed!))}`).toBe(`${sec('142040/1000')}`);
    expect((c.metadata.fcpxml as { conformRate?: unknown }).conformRate).toEqual({ srcFrameRate: '25', scaleEnabled: true });
  });

  test('dawfilekit__24.fcpxml: 23.98 media in 24 fps, conformed clips anchored to conformed clips, a 24 fps storyline on a 23.98 clip', () => {
    const t = read(byName('dawfilekit__24.fcpxml'));
    // DAWFileKit's list without the three markers it reports fully occluded (hidden by their compound clip).
    expect(markerTcs(t).sort()).toEqual(
      [
        '00:00:16:14 Shot_01', '00:00:52:05 Shot_02', '00:01:26:13 Shot_03', '00:01:53:12 Shot_04', '00:02:10:13 Shot_05',
        '00:02:18:07 Shot_06', '00:02:24:00 Shot_07', '00:03:16:22 Shot_08', '00:03:36:00 Shot_09', '00:03:44:15 Shot_10',
        '00:03:54:22 Marker 2', '00:03:57:17 Marker 3', '00:03:59:07 Marker 4', '00:04:01:18 INSIDE 1', '00:04:03:09 INSIDE 2',
        '00:04:05:04 Marker 8', '00:04:06:10 Marker 9', '00:04:07:13 Marker 1', '00:04:07:17 Marker 10', '00:04:07:23 Marker 11',
        '00:04:08:04 Marker 13', '00:04:08:04 Marker 12', '00:04:08:08 Marker 14', '00:04:08:11 Marker 15', '00:04:08:19 Marker 16',
        '00:04:09:00 Marker 17', '00:04:13:04 Marker 18', '00:04:15:01 Marker 19', '00:04:17:15 Marker 23', '00:04:17:16 Marker 20',
        '00:04:18:03 INSIDE 1', '00:04:20:08 Marker 21', '00:04:22:04 Marker 22',
      ].sort(),
    );
    // <asset-clip offset="298000/2400s" start="67067/375s" duration="181/3s"> with conform-rate 23.98: speed 1001/1000.
    const c = t.tracks.find((k) => k.kind === 'audio')!.clips.find((x) => `${x.start}` === `${sec('298000/2400')}`)!;
    expect(c.speed?.toString()).toBe('1001/1000');
    expect(`${c.sourceStart}`).toBe(`${sec('67067/375')}`);
    expect(`${c.duration}`).toBe(`${sec('181/3')}`);
  });

  test('dawfilekit__50.fcpxml: 23.98 media in a 50 fps sequence is resampled, not sped up', () => {
    const t = read(byName('dawfilekit__50.fcpxml'));
    // DAWFileKit: Shot_01 00:00:16:29, Shot_04 00:01:53:33, Shot_05 00:02:10:36, Shot_08 00:03:17:07 (FCP shows them unscaled).
    const tcs = markerTcs(t);
    for (const m of ['00:00:16:29 Shot_01', '00:01:53:33 Shot_04', '00:02:10:36 Shot_05', '00:03:17:07 Shot_08']) expect(tcs).toContain(m);
    const first = t.tracks.find((k) => k.kind === 'audio')!.clips.find((x) => x.start.isZero())!;
    expect(first.speed).toBeUndefined();
  });

  test('read → write → read keeps conformed clips and their markers where they were (lossless write)', () => {
    for (const name of ['dawfilekit__24.fcpxml', 'dawfilekit__24With25Media.fcpxml']) {
      const t = read(byName(name));
      const frame = RationalTime.fromSeconds(t.frameRate.frameDuration);
      // Move every conformed clip one frame later; the model's markers did not move, so the writer
      // shifts them inside the clip (in its conformed local time) to stay exactly where they were.
      const conformed = new Set(t.tracks.flatMap((k) => k.clips).filter((c) => (c.metadata.fcpxml as { localScale?: unknown }).localScale !== undefined).map((c) => JSON.stringify((c.metadata.fcpxml as { path: number[] }).path)));
      const moved: Timeline = { ...t, tracks: t.tracks.map((k) => ({ ...k, clips: k.clips.map((c) => (conformed.has(JSON.stringify((c.metadata.fcpxml as { path: number[] }).path)) ? { ...c, start: c.start.plus(frame) } : c)) })) };
      const w = writeFcpxml(moved);
      expect(w.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const back = parseFcpxml(w.value);
      expect(back.ok).toBe(true);
      if (!back.ok) return;
      const pos = (x: Timeline) => x.tracks.flatMap((k) => k.clips.map((c) => `${k.kind}|${c.start}|${c.duration}|${c.sourceStart}|${c.speed ?? ''}`)).sort();
      expect(pos(back.value)).toEqual(pos(moved));
      expect(back.value.markers.map((m) => `${m.position}|${m.name}`)).toEqual(t.markers.map((m) => `${m.position}|${m.name}`));
    }
  });
});

// A three-point timeMap (the DTD's own example form: `time` is the adjusted clip time, `value`
// the original): 0s→0s, 10s→5s (half speed), 20s→25s (double speed).
const rampDoc = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE fcpxml>
<fcpxml version="1.10">
  <resources>
    <format id="r1" frameDuration="100/2400s" width="1920" height="1080"/>
    <asset id="r2" name="A" start="0s" duration="60s" hasAudio="1" audioSources="1" audioChannels="1" audioRate="48000">
      <media-rep kind="original-media" src="file:///A.wav"/>
    </asset>
  </resources>
  <library><event name="e"><project name="Ramp">
    <sequence format="r1" duration="20s" tcStart="0s" tcFormat="NDF" audioLayout="stereo" audioRate="48k">
      <spine>
        <asset-clip ref="r2" offset="0s" name="A" start="4s" duration="12s" audioRole="dialogue">
          <timeMap>
            <timept time="0s" value="0s" interp="linear"/>
            <timept time="10s" value="5s" interp="linear"/>
            <timept time="20s" value="25s" interp="linear"/>
          </timeMap>
        </asset-clip>
      </spine>
    </sequence>
  </project></event></library>
</fcpxml>`;

describe('speed ramps', () => {
  test('FCPXML timeMap ramp: source range from the map, the points kept exactly, written back, dropped with a warning by XMEML', () => {
    expect(validate(rampDoc)).toEqual([]);
    const r = parseFcpxml(rampDoc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value.tracks[0]!.clips[0]!;
    // Local 4s → source 2s (half speed segment); local 16s → 5 + 6×2 = 17s. 15 s of source in 12 s: speed 5/4.
    expect(`${c.sourceStart}`).toBe(`${sec('2')}`);
    expect(c.speed?.toString()).toBe('5/4');
    expect(c.metadata.retime).toMatchObject({ kind: 'fcpxml-timeMap', localStart: '4', points: [{ time: '0', value: '0', interp: 'linear' }, { time: '10', value: '5', interp: 'linear' }, { time: '20', value: '25', interp: 'linear' }] });
    // A new document from the model writes the same map and validates.
    const w = writeFcpxml(r.value, { fresh: true });
    expect(w.diagnostics.filter((d) => d.severity === 'error' || d.code === 'fcpxml/ramp-dropped')).toEqual([]);
    expect(w.value).toContain('<timept time="10s" value="5s" interp="linear"/>');
    const back = parseFcpxml(w.value);
    expect(back.ok && back.value.tracks[0]!.clips[0]!.metadata.retime).toEqual(c.metadata.retime);
    expect(back.ok && `${back.value.tracks[0]!.clips[0]!.sourceStart}|${back.value.tracks[0]!.clips[0]!.speed}`).toBe(`${c.sourceStart}|${c.speed}`);
    // Trimmed: the map no longer matches, so the average speed is written, with a warning.
    const trimmed: Timeline = { ...r.value, tracks: [{ ...r.value.tracks[0]!, clips: [{ ...c, duration: c.duration.minus(sec('1')) }] }] };
    expect(writeFcpxml(trimmed, { fresh: true }).diagnostics.map((d) => d.code)).toContain('fcpxml/ramp-dropped');
    // XMEML has no writer for it here: a constant Time Remap at the average speed, reported.
    const x = writeXmeml(r.value);
    expect(x.diagnostics.map((d) => d.code)).toContain('xmeml/ramp-dropped');
  });

  test('XMEML variable-speed Time Remap: speed is (out − in)/(end − start), keyframes kept, written back as read', () => {
    // 24 fps; start 0 end 48 (2 s on the timeline), in 0 out 72 (3 s of source): average speed 3/2.
    const xml = `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE xmeml><xmeml version="5"><sequence id="s1"><name>R</name><rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate>
<media><audio><track><clipitem id="c1"><name>A</name><rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate><start>0</start><end>48</end><in>0</in><out>72</out>
<file id="f1"><name>A.wav</name><pathurl>file://localhost/A.wav</pathurl><rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate><duration>240</duration><media><audio><channelcount>1</channelcount></audio></media></file>
<filter><effect><name>Time Remap</name><effectid>timeremap</effectid><effecttype>motion</effecttype><mediatype>video</mediatype>
<parameter><parameterid>variablespeed</parameterid><value>1</value></parameter><parameter><parameterid>speed</parameterid><value>150</value></parameter>
<parameter><parameterid>reverse</parameterid><value>FALSE</value></parameter>
<parameter><parameterid>graphdict</parameterid><keyframe><when>0</when><value>0</value></keyframe><keyframe><when>24</when><value>24</value></keyframe><keyframe><when>48</when><value>72</value></keyframe></parameter>
</effect></filter></clipitem></track></audio></media></sequence></xmeml>`;
    const r = parseXmeml(xml);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value.tracks.find((k) => k.kind === 'audio')!.clips[0]!;
    expect(c.speed?.toString()).toBe('3/2');
    expect(`${c.duration}`).toBe(`${sec('2')}`);
    expect(c.metadata.retime).toMatchObject({ kind: 'xmeml-graphdict', keyframes: [{ when: 0, value: 0 }, { when: 24, value: 24 }, { when: 48, value: 72 }] });
    expect(r.diagnostics.map((d) => d.code)).toContain('xmeml/speed-ramp');
    const w = writeXmeml(r.value);
    expect(w.diagnostics.map((d) => d.code)).not.toContain('xmeml/ramp-dropped');
    expect(w.value).toContain('<parameterid>graphdict</parameterid>');
    const back = parseXmeml(w.value);
    expect(back.ok && `${back.value.tracks.find((k) => k.kind === 'audio')!.clips[0]!.speed}`).toBe('3/2');
    expect(back.ok && back.value.tracks.find((k) => k.kind === 'audio')!.clips[0]!.metadata.retime).toEqual(c.metadata.retime);
    // To FCPXML: the ramp is not one FCPXML's writer can state from XMEML keyframes; average speed, reported.
    expect(writeFcpxml(r.value).diagnostics.map((d) => d.code)).toContain('fcpxml/ramp-dropped');
  });
});

describe.skipIf(files.length === 0)('compound clips: their picture lands on the timeline', () => {
  test('otio-fcpx__fcpx_project.fcpxml: compound_clip_1 (media r10) shown twice, trimmed to each ref-clip', () => {
    const t = read(byName('otio-fcpx__fcpx_project.fcpxml'));
    const track = (name: string) => t.tracks.find((k) => k.kind === 'video' && k.name === name)?.clips.map((c) => [c.name, `${c.start}`, `${c.duration}`, `${c.sourceStart}`]);
    // r10's spine: clip IMG_0233 (offset 0s, duration 10s; its video r11 from 0s); a gap at 20s holding
    // clip IMG_0268 on lane 1 (offset 3600s = the gap's start, so at 20s; duration 10s); IMG_0857 at 40s.
    // ref-clip 1: offset 80s, start 10900/3000s (= 109/30 s), duration 30s → shows local [109/30, 109/30 + 30).
    // ref-clip 2: offset 140s, start 5700/3000s, duration 10s, srcEnable="video" → local [19/10, 119/10).
    expect(track('V1 ▸ compound_clip_1 V1')).toEqual([
      ['IMG_0233', `${sec('80')}`, `${sec('10').minus(sec('109/30'))}`, `${sec('109/30')}`],
      ['IMG_0233', `${sec('140')}`, `${sec('10').minus(sec('19/10'))}`, `${sec('19/10')}`],
    ]);
    expect(track('V1 ▸ compound_clip_1 V2')).toEqual([['IMG_0268', `${sec('80').plus(sec('20')).minus(sec('109/30'))}`, `${sec('10')}`, `${sec('0')}`]]);
    // The compound clips themselves stay one clip each on V1 (written back as they are).
    expect(track('V1')!.filter((c) => c[0] === 'compound_clip_1')).toHaveLength(2);
  });

  test('a new document from such a timeline holds the compound picture as plain clips, and validates', () => {
    const t = read(byName('otio-fcpx__fcpx_project.fcpxml'));
    const w = writeFcpxml(t, { fresh: true });
    expect(w.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const back = parseFcpxml(w.value);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const starts = back.value.tracks.filter((k) => k.kind === 'video').flatMap((k) => k.clips.filter((c) => c.name === 'IMG_0233').map((c) => `${c.start}`));
    expect(starts).toEqual(expect.arrayContaining([`${sec('80')}`, `${sec('140')}`]));
  });
});
