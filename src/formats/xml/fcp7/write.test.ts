// XMEML writer on a timeline built by hand (as another format would hand it over). Expected values
// come from spec/xml.md part 1 (structure of Premiere/Resolve exports, Audio Levels as linear gain
// 10^(dB/20), -1 edges next to transitions, KGAudioTransCrossFade3dB ids).
import { describe, expect, test } from 'vitest';
import type { Timeline } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { RationalTime } from '../../../time/rational-time.js';
import { Timecode } from '../../../time/timecode.js';
import { attr, child, childrenNamed, childText, parseXml, type XmlElement } from '../xml-tree.js';
import { parse } from './read.js';
import { write } from './write.js';

const rate = FrameRate.FPS_29_97_DF;
const f = (n: number) => RationalTime.fromFrames(n, rate);

function timeline(): Timeline {
  return {
    name: 'Reel 1 & 2 <dub>',
    sampleRate: 48000,
    bitDepth: 24,
    frameRate: rate,
    startTimecode: Timecode.fromFrames(107892, rate), // 01:00:00;00
    media: [
      { id: 'm1', name: 'DX_01.wav', kind: 'audio', url: 'file:///Volumes/Dub/DX%2001.wav', sampleRate: 48000, channels: 2, start: f(1000), duration: f(3000), metadata: {} },
      { id: 'm2', name: 'FX_01.wav', kind: 'audio', url: 'file:///Volumes/Dub/FX_01.wav', sampleRate: 48000, channels: 1, start: f(0), duration: f(3000), metadata: {} },
    ],
    tracks: [
      {
        kind: 'audio',
        name: 'DX',
        channels: 2,
        transitions: [],
        metadata: {},
        clips: [{ name: 'line 1', start: f(100), duration: f(200), sourceStart: f(1050), media: { mediaId: 'm1' }, gainDb: -6, fadeIn: { duration: f(10), shape: 'linear' }, metadata: {} }],
      },
      {
        kind: 'audio',
        name: 'FX',
        channels: 1,
        metadata: {},
        // Two clips joined by a centred 20-frame crossfade at 400: both play through it.
        transitions: [{ kind: 'crossfade', start: f(390), duration: f(20), shape: 'equal-power', metadata: {} }],
        clips: [
          { name: 'door', start: f(300), duration: f(110), sourceStart: f(0), media: { mediaId: 'm2', channel: 1 }, metadata: {} },
          { name: 'steps', start: f(390), duration: f(60), sourceStart: f(500), media: { mediaId: 'm2', channel: 1 }, gainAutomation: [{ time: f(0), gainDb: 0 }, { time: f(30), gainDb: -12 }], metadata: {} },
        ],
      },
    ],
    markers: [{ name: 'ADR 1', position: f(150), comment: 'loop', metadata: {} }],
    metadata: {},
  };
}

function doc(): XmlElement {
  const r = parseXml(write(timeline()).value);
  if (!r.ok) throw new Error('written XMEML does not parse');
  return r.value.root;
}

const audioTracks = (root: XmlElement) => childrenNamed(child(child(child(root, 'sequence')!, 'media')!, 'audio')!, 'track');

describe('XMEML write', () => {
  test('sequence: rate 30 NTSC, DF timecode label and frame', () => {
    const seq = child(doc(), 'sequence')!;
    expect(childText(seq, 'name')).toBe('Reel 1 & 2 <dub>');
    const r = child(seq, 'rate')!;
    expect([childText(r, 'timebase'), childText(r, 'ntsc')]).toEqual(['30', 'TRUE']);
    const tc = child(seq, 'timecode')!;
    // spec/timecode digest: 01:00:00;00 at 29.97 DF is frame 107892.
    expect([childText(tc, 'string'), childText(tc, 'frame'), childText(tc, 'displayformat')]).toEqual(['01:00:00;00', '107892', 'DF']);
  });

  test('a stereo clip becomes two linked mono clip items on exploded tracks, file defined once', () => {
    const tracks = audioTracks(doc());
    expect(tracks).toHaveLength(3);
    expect(tracks.slice(0, 2).map((t) => [attr(t, 'currentExplodedTrackIndex'), attr(t, 'totalExplodedTrackCount')])).toEqual([['0', '2'], ['1', '2']]);
    const [l, r] = tracks.slice(0, 2).map((t) => child(t, 'clipitem')!);
    expect(childText(child(l!, 'sourcetrack')!, 'trackindex')).toBe('1');
    expect(childText(child(r!, 'sourcetrack')!, 'trackindex')).toBe('2');
    // First use defines the file, later uses reference it by id.
    expect(child(child(l!, 'file')!, 'pathurl')).toBeDefined();
    expect(child(r!, 'file')!.children).toHaveLength(0);
    expect(attr(child(r!, 'file')!, 'id')).toBe(attr(child(l!, 'file')!, 'id'));
    // Both list both members as links, and name a master clip.
    for (const c of [l!, r!]) {
      expect(childrenNamed(c, 'link').map((k) => childText(k, 'linkclipref'))).toEqual([attr(l!, 'id'), attr(r!, 'id')]);
      expect(childText(c, 'masterclipid')).toBeDefined();
    }
    // in = source position − file start (1050 − 1000 = 50 frames), start/end in sequence frames.
    expect(['start', 'end', 'in', 'out'].map((k) => childText(l!, k))).toEqual(['-1', '300', '50', '250']);
  });

  test('gain −6 dB as Audio Levels 10^(−6/20); fade-in as a start-black audio transition', () => {
    const t = audioTracks(doc())[0]!;
    const c = child(t, 'clipitem')!;
    const p = child(child(child(c, 'filter')!, 'effect')!, 'parameter')!;
    expect(childText(p, 'parameterid')).toBe('level');
    expect(Number(childText(p, 'value'))).toBeCloseTo(Math.pow(10, -6 / 20), 6);
    const fade = child(t, 'transitionitem')!;
    expect(['start', 'end', 'alignment'].map((k) => childText(fade, k))).toEqual(['100', '110', 'start-black']);
  });

  test('a crossfade: Cross Fade (+3dB) between the clips, their touching edges -1', () => {
    const t = audioTracks(doc())[2]!;
    const items = t.children.filter((k): k is XmlElement => typeof k !== 'string' && (k.name === 'clipitem' || k.name === 'transitionitem'));
    expect(items.map((i) => i.name)).toEqual(['clipitem', 'transitionitem', 'clipitem']);
    expect(childText(child(items[1]!, 'effect')!, 'effectid')).toBe('KGAudioTransCrossFade3dB');
    expect([childText(items[0]!, 'start'), childText(items[0]!, 'end')]).toEqual(['300', '-1']);
    expect([childText(items[2]!, 'start'), childText(items[2]!, 'end')]).toEqual(['-1', '450']);
    // Automation keyframes: `when` counted from the media start (in + frames).
    const keys = childrenNamed(child(child(child(items[2]!, 'filter')!, 'effect')!, 'parameter')!, 'keyframe');
    expect(keys.map((k) => childText(k, 'when'))).toEqual(['500', '530']);
    expect(Number(childText(keys[1]!, 'value'))).toBeCloseTo(Math.pow(10, -12 / 20), 6);
  });

  test('model → xmeml → model keeps every position exact', () => {
    const back = parse(write(timeline()).value);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const t = back.value;
    expect(t.startTimecode.toString()).toBe('01:00:00;00');
    // The exploded pair comes back as one stereo clip playing every channel.
    const dx = t.tracks[0]!;
    expect(dx.channels).toBe(2);
    expect(dx.clips[0]?.media?.channel).toBeUndefined();
    expect(dx.clips[0]?.start.equals(f(100))).toBe(true);
    expect(dx.clips[0]?.sourceStart.equals(f(1050))).toBe(true);
    expect(dx.clips[0]?.fadeIn?.duration.equals(f(10))).toBe(true);
    expect(dx.clips[0]?.gainDb).toBeCloseTo(-6, 4);
    const fx = t.tracks[1]!;
    expect(fx.clips.map((c) => [`${c.start}`, `${c.duration}`, `${c.sourceStart}`])).toEqual(timeline().tracks[1]!.clips.map((c) => [`${c.start}`, `${c.duration}`, `${c.sourceStart}`]));
    expect(fx.transitions.map((x) => [`${x.start}`, `${x.duration}`, x.shape])).toEqual([[`${f(390)}`, `${f(20)}`, 'equal-power']]);
    expect(t.markers.map((m) => [m.name, `${m.position}`, m.comment])).toEqual([['ADR 1', `${f(150)}`, 'loop']]);
  });

  test('positions off the frame grid are rounded with a warning', () => {
    const t = timeline();
    const moved: Timeline = { ...t, tracks: [{ ...t.tracks[1]!, transitions: [], clips: [{ ...t.tracks[1]!.clips[0]!, start: RationalTime.fromSamples(480_100, 48000) }] }] };
    const w = write(moved);
    expect(w.diagnostics.map((d) => d.code)).toContain('xmeml/rounded-to-frame');
  });
});

describe('hostile XMEML values', () => {
  test('a rate beyond 1000 fps is no rate; huge frame counts and -1 everywhere read without throwing', () => {
    const seq = (rate: string, body: string) => `<xmeml version="5"><sequence><name>x</name>${rate}<media><audio><track>${body}</track></audio></media></sequence></xmeml>`;
    expect(parse(seq('<rate><timebase>999999999999999</timebase><ntsc>TRUE</ntsc></rate>', '')).diagnostics[0]?.code).toBe('xmeml/no-rate');
    const r = parse(seq('<rate><timebase>30</timebase></rate>', '<clipitem><start>-1</start><end>-1</end><in>-5</in><out>-9</out><file id="f"/></clipitem><transitionitem><start>5</start><end>1</end></transitionitem>'));
    expect(r.ok && r.diagnostics.map((d) => d.code)).toEqual(['xmeml/bad-transition', 'xmeml/unresolved-position']);
    const big = parse(seq('<rate><timebase>30</timebase></rate>', '<clipitem><start>999999999999999</start><end>-1</end><in>0</in><out>999999999999999</out></clipitem>'));
    expect(big.ok).toBe(true);
    if (big.ok) expect(() => write(big.value)).not.toThrow();
  });
});
