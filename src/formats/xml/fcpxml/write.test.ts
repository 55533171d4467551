// FCPXML writer. Expected values come from spec/xml.md part 2: hour-one tcStart at 23.976 is
// `86486400/24000s` and at 29.97 DF `107999892/30000s` (fixtures cited there), the 2.5 example
// (asset start 12:39:59:00 = 45644599/1000 s, channel 2, −3 dB, 50 frames), and FCP's own child
// order (adjustments before audio-channel-source, as in the corpus exports).
import { describe, expect, test } from 'vitest';
import type { Timeline } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import { Timecode } from '../../../time/timecode.js';
import { attr, child, childrenNamed, parseXml, type XmlElement } from '../xml-tree.js';
import { parse } from './read.js';
import { parseFcpxmlTime } from './time.js';
import { roleOfTrack, write } from './write.js';

function example(rate: FrameRate, startFrames: number): Timeline {
  const fr = (n: number) => RationalTime.fromFrames(n, rate);
  const assetStart = RationalTime.fromSeconds(Rational.of(45644599n, 1000n));
  return {
    name: 'R1',
    sampleRate: 48000,
    frameRate: rate,
    startTimecode: Timecode.fromFrames(startFrames, rate),
    media: [
      { id: 'a', name: 'A101_1', kind: 'audio', url: 'file:///Volumes/SOUND/A101_1.WAV', sampleRate: 48000, channels: 2, start: assetStart, duration: RationalTime.fromSamples(240239, 48000), metadata: {} },
    ],
    tracks: [
      {
        kind: 'audio',
        name: 'Boom',
        channels: 1,
        transitions: [],
        metadata: {},
        clips: [
          {
            name: 'A101_1',
            start: RationalTime.ZERO,
            duration: fr(50),
            sourceStart: assetStart,
            media: { mediaId: 'a', channel: 2 },
            gainDb: -3,
            gainAutomation: [{ time: RationalTime.ZERO, gainDb: -3 }, { time: fr(24), gainDb: -96 }],
            metadata: {},
          },
        ],
      },
    ],
    markers: [{ name: 'Line 12', position: fr(10), comment: 'pickup', metadata: {} }],
    metadata: {},
  };
}

function root(t: Timeline, version?: '1.10' | '1.8'): XmlElement {
  const r = parseXml(write(t, version ? { version } : {}).value);
  if (!r.ok) throw new Error('written FCPXML does not parse');
  return r.value.root;
}

describe('FCPXML write', () => {
  test('hour-one tcStart at 23.976 is 86486400/24000s; at 29.97 DF 107999892/30000s', () => {
    const seq = (t: Timeline) => child(child(child(child(root(t), 'library')!, 'event')!, 'project')!, 'sequence')!;
    expect(attr(seq(example(FrameRate.FPS_23_976, 86400)), 'tcStart')).toBe('86486400/24000s');
    const df = seq(example(FrameRate.FPS_29_97_DF, 107892));
    expect(parseFcpxmlTime(attr(df, 'tcStart'))?.equals(parseFcpxmlTime('107999892/30000s')!)).toBe(true);
    expect(attr(df, 'tcFormat')).toBe('DF');
  });

  test('the spec 2.5 example: one asset, a connected clip on lane −1 with srcCh 2 and −3 dB', () => {
    const r = root(example(FrameRate.FPS_23_976, 86400));
    expect(attr(r, 'version')).toBe('1.10');
    const assets = childrenNamed(child(r, 'resources')!, 'asset');
    expect(assets).toHaveLength(1);
    expect(parseFcpxmlTime(attr(assets[0]!, 'start'))?.seconds.toString()).toBe('45644599/1000');
    expect(attr(child(assets[0]!, 'media-rep')!, 'src')).toBe('file:///Volumes/SOUND/A101_1.WAV');
    const gap = child(child(child(child(child(child(r, 'library')!, 'event')!, 'project')!, 'sequence')!, 'spine')!, 'gap')!;
    const clip = child(gap, 'asset-clip')!;
    expect(attr(clip, 'lane')).toBe('-1');
    expect(attr(clip, 'offset')).toBe(attr(gap, 'start'));
    // 50 frames at 23.976 = 1001/480 s.
    expect(parseFcpxmlTime(attr(clip, 'duration'))?.seconds.toString()).toBe('1001/480');
    expect(attr(clip, 'audioRole')).toBe('dialogue.Boom');
    const kids = clip.children.filter((k): k is XmlElement => typeof k !== 'string').map((k) => k.name);
    expect(kids).toEqual(['adjust-volume', 'audio-channel-source']);
    expect(attr(child(clip, 'adjust-volume')!, 'amount')).toBe('-3dB');
    expect(attr(child(clip, 'audio-channel-source')!, 'srcCh')).toBe('2');
    // Keyframe times are in the clip's local (media) time: asset start + 24 frames.
    const keys = childrenNamed(child(child(child(clip, 'adjust-volume')!, 'param')!, 'keyframeAnimation')!, 'keyframe');
    expect(keys.map((k) => attr(k, 'value'))).toEqual(['-3dB', '-96dB']);
  });

  test('model → fcpxml → model keeps positions, channel, gain, automation and markers', () => {
    for (const [rate, start] of [[FrameRate.FPS_23_976, 86400], [FrameRate.FPS_29_97_DF, 107892], [FrameRate.FPS_25, 0]] as const) {
      const t = example(rate, start);
      const r = parse(write(t).value);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.startTimecode.toString()).toBe(t.startTimecode.toString());
      const a = t.tracks[0]!.clips[0]!;
      const b = r.value.tracks.find((k) => k.kind === 'audio')!.clips[0]!;
      expect([`${b.start}`, `${b.duration}`, `${b.sourceStart}`, b.media?.channel, b.gainDb]).toEqual([`${a.start}`, `${a.duration}`, `${a.sourceStart}`, 2, -3]);
      expect(b.gainAutomation?.map((p) => [`${p.time}`, p.gainDb])).toEqual(a.gainAutomation?.map((p) => [`${p.time}`, p.gainDb]));
      expect(r.value.markers.map((m) => [m.name, `${m.position}`, m.comment])).toEqual([['Line 12', `${t.markers[0]!.position}`, 'pickup']]);
    }
  });

  test('1.8 puts the URL on the asset', () => {
    const asset = child(child(root(example(FrameRate.FPS_24, 0), '1.8'), 'resources')!, 'asset')!;
    expect(attr(asset, 'src')).toBe('file:///Volumes/SOUND/A101_1.WAV');
    expect(child(asset, 'media-rep')).toBeUndefined();
  });

  // spec/xml.md 2.4: built-in roles dialogue, music, effects, subroles as `main.sub`.
  test('roles from track names: a built-in name is that role, others become subroles', () => {
    const track = (name: string) => ({ kind: 'audio' as const, name, channels: 1, clips: [], transitions: [], metadata: {} });
    expect(['Dialogue', 'DX 1', 'Music', 'MX', 'SFX', 'Foley'].map((n) => roleOfTrack(track(n)))).toEqual([
      'dialogue',
      'dialogue.DX 1',
      'music',
      'music.MX',
      'effects.SFX',
      'dialogue.Foley',
    ]);
  });
});

describe('FCPXML retiming', () => {
  test('a constant speed is written as a two-point timeMap and read back exactly', () => {
    const t = example(FrameRate.FPS_25, 0);
    const clip = t.tracks[0]!.clips[0]!;
    const slow: Timeline = { ...t, tracks: [{ ...t.tracks[0]!, clips: [{ ...clip, speed: Rational.of(1n, 2n) }] }] };
    const r = parse(write(slow).value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const b = r.value.tracks.find((k) => k.kind === 'audio')!.clips[0]!;
    expect(b.speed?.toString()).toBe('1/2');
    expect(`${b.sourceStart}`).toBe(`${clip.sourceStart}`);
    expect(`${b.start}`).toBe(`${clip.start}`);
    expect(`${b.duration}`).toBe(`${clip.duration}`);
    // Automation times stay relative to the clip start.
    expect(b.gainAutomation?.map((p) => [`${p.time}`, p.gainDb])).toEqual(clip.gainAutomation?.map((p) => [`${p.time}`, p.gainDb]));
  });
});
