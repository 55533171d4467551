// FCPXML corpus tests. Facts come from ../shared/corpus/EXPECTED.md (orchetect/DAWFileKit tests and
// OpenTimelineIO/otio-fcpx-xml-adapter tests, with the audit notes there), quoted per test.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, parseFcpxmlTime, write } from '../../src/formats/xml/fcpxml/index.js';
import { detectFormat, readTimeline, writeTimeline } from '../../src/formats/registry.js';
import type { Clip, Marker, Timeline } from '../../src/model/types.js';
import { parseXml, type XmlElement } from '../../src/formats/xml/xml-tree.js';
import { Rational } from '../../src/time/rational.js';
import { validate } from '../../src/model/validate.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { Timecode } from '../../src/time/timecode.js';
import { corpusFiles } from '../helpers/corpus.js';

const files = corpusFiles('fcpxml');
const byName = (n: string) => files.find((f) => basename(f) === n) as string;

function read(path: string): Timeline {
  const r = parse(new Uint8Array(readFileSync(path)), { source: basename(path) });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.value;
}

describe.skipIf(files.length === 0)('every FCPXML corpus file', () => {
  test.each(files.map((f) => [basename(f), f]))('%s reads without errors and is detected as fcpxml', (_n, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const r = parse(bytes);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(detectFormat(bytes)?.id).toBe('fcpxml');
    // The model's own consistency check (src/model/validate.ts): no errors.
    if (r.ok) expect(validate(r.value).filter((d) => d.severity === 'error')).toEqual([]);
    // Times stay exact: every clip position is a rational, and string input reads the same.
    const s = parse(readFileSync(path, 'utf8'));
    expect(s.ok && s.value.tracks.length).toBe(r.ok && r.value.tracks.length);
  });
});

describe.skipIf(files.length === 0)('EXPECTED.md facts (DAWFileKit tests)', () => {
  test('dawfilekit__29.97d.fcpxml: 29.97 DF from 00:00:00;00; the deep marker list without the fully occluded ones', () => {
    const t = read(byName('dawfilekit__29.97d.fcpxml'));
    expect(t.name).toBe('29.97d_V1');
    expect(t.frameRate.equals(FrameRate.FPS_29_97_DF)).toBe(true);
    expect(t.startTimecode.toString()).toBe('00:00:00;00');
    expect(t.sampleRate).toBe(48000);
    // Sequence duration 00:00:29;17.
    const end = t.tracks.flatMap((k) => k.clips).reduce((m, c) => RationalTime.max(m, c.start.plus(c.duration)), RationalTime.ZERO);
    expect(Timecode.fromFrames(Number(end.toFrames(t.frameRate, 'nearest')), t.frameRate).toString()).toBe('00:00:29;17');
    // The 26-marker deep list (markers inside the r3 compound clip included) minus the three marked
    // "fully occluded" (hidden by the ref-clip's range, so not on the timeline).
    const expected = [
      ['00:00:01;14', 'Marker 2'], ['00:00:04;08', 'Marker 3'], ['00:00:05;26', 'Marker 4'], ['00:00:08;11', 'INSIDE 1'],
      ['00:00:10;00', 'INSIDE 2'], ['00:00:11;23', 'Marker 8'],
      ['00:00:13;01', 'Marker 9'], ['00:00:14;05', 'Marker 1'], ['00:00:14;10', 'Marker 10'], ['00:00:14;17', 'Marker 11'],
      ['00:00:14;24', 'Marker 12'], ['00:00:14;24', 'Marker 13'], ['00:00:15;00', 'Marker 14'], ['00:00:15;04', 'Marker 15'],
      ['00:00:15;13', 'Marker 16'], ['00:00:15;20', 'Marker 17'], ['00:00:19;25', 'Marker 18'], ['00:00:21;21', 'Marker 19'],
      ['00:00:24;08', 'Marker 20'], ['00:00:24;08', 'Marker 23'], ['00:00:24;23', 'INSIDE 1'], ['00:00:26;29', 'Marker 21'],
      ['00:00:28;23', 'Marker 22'],
    ];
    // Main-timeline extraction gives 20: the markers not inside the compound clip.
    expect(t.markers.filter((m) => !m.name.startsWith('INSIDE'))).toHaveLength(20);
    // The compound clip's sound is on the timeline, trimmed to the ref-clip (offset 209209/30000 s, 108 frames).
    const inner = t.tracks.filter((k) => k.kind === 'audio').flatMap((k) => k.clips).find((c) => c.start.equals(RationalTime.fromFrames(209, t.frameRate)));
    expect(inner?.duration.equals(RationalTime.fromFrames(108, t.frameRate))).toBe(true);
    const got = t.markers
      .map((m) => [Timecode.fromFrames(t.startTimecode.frames + Number(m.position.toFrames(t.frameRate, 'floor')), t.frameRate).toString(), m.name])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]!.localeCompare(b[1]!, 'en', { numeric: true })));
    expect(got).toEqual(expected);
  });

  test('dawfilekit__AudioOnly.fcpxml: 10 markers; exactly the roles music.music-1 and effects', () => {
    const t = read(byName('dawfilekit__AudioOnly.fcpxml'));
    expect(t.markers).toHaveLength(10);
    const roles = new Set(t.tracks.flatMap((k) => k.clips).map((c) => (c.metadata.fcpxml as { role?: string }).role));
    expect([...roles].sort()).toEqual(['effects', 'music.music-1']);
    expect(t.tracks.every((k) => k.kind === 'audio')).toBe(true);
  });

  test('dawfilekit__BasicMarkers.fcpxml: 29.97 NDF, Test Project, Basic Title 18000 frames in, 1919 long, 4 markers', () => {
    const t = read(byName('dawfilekit__BasicMarkers.fcpxml'));
    const rate = FrameRate.FPS_29_97_NDF;
    expect(t.frameRate.equals(rate)).toBe(true);
    expect(t.name).toBe('Test Project');
    expect(t.startTimecode.toString()).toBe('00:00:00:00');
    expect((t.metadata.fcpxml as { version?: string }).version).toBe('1.9');
    const title = t.tracks[0]?.clips[0];
    expect(title?.name).toBe('Basic Title');
    expect(title?.start.isZero()).toBe(true);
    // Audit note: start 1441440000/2400000s = 18000 frames of 1001/30000 s; duration 1919 frames.
    expect(title?.sourceStart.equals(RationalTime.fromFrames(18000, rate))).toBe(true);
    expect(title?.duration.equals(RationalTime.fromFrames(1919, rate))).toBe(true);
    // 3 <marker> and 1 <chapter-marker>.
    expect(t.markers.map((m) => (m.metadata.fcpxml as { kind: string }).kind).sort()).toEqual(['chapter-marker', 'marker', 'marker', 'marker']);
  });
});

describe.skipIf(files.length === 0)('multicam sound (structure of dawfilekit__MulticamMarkers.fcpxml)', () => {
  test('each mc-clip plays the sound of the angle its mc-source enables, trimmed to the clip', () => {
    const t = read(byName('dawfilekit__MulticamMarkers.fcpxml'));
    // The first mc-clip's mc-source is angle gA31… ("D", asset-clip "Cam 4"), the second FCw5… ("B", "Cam 2").
    const audio = t.tracks.filter((k) => k.kind === 'audio').flatMap((k) => k.clips);
    expect(audio.map((c) => c.name)).toEqual(['Cam 4', 'Cam 2']);
    const pictures = t.tracks.find((k) => k.kind === 'video')!.clips;
    // Each sound clip covers exactly its multicam clip (offset/duration of the mc-clip).
    audio.forEach((c, i) => {
      expect(c.start.equals(pictures[i]!.start)).toBe(true);
      expect(c.duration.equals(pictures[i]!.duration)).toBe(true);
    });
  });
});

describe.skipIf(files.length === 0)('EXPECTED.md facts (otio-fcpx-xml-adapter tests)', () => {
  test.each(['otio-fcpx__fcpx_project.fcpxml', 'otio-fcpx__fcpx_event.fcpxml'])('%s: video lanes 1–3 hold the listed clips (gaps left out)', (name) => {
    const t = read(byName(name));
    const lane = (n: string) => t.tracks.find((k) => k.kind === 'video' && k.name === n)?.clips.map((c) => c.name);
    expect(lane('V1')).toEqual(['IMG_0715', 'compound_clip_1', 'IMG_0233', 'IMG_0687', 'IMG_0268', 'compound_clip_1']);
    expect(lane('V2')).toEqual(['IMG_0513', 'IMG_0268', 'IMG_0740']);
    expect(lane('V3')).toEqual(['IMG_0857']);
  });
});

describe('FCPXML time values (spec/xml.md 2.3, 2.5)', () => {
  test('rational seconds stay exact', () => {
    // One hour of 23.976 labels is 86,400 frames × 1001/24000 s = 18018/5 s.
    expect(parseFcpxmlTime('18018/5s')?.equals(RationalTime.fromFrames(86400, FrameRate.FPS_23_976))).toBe(true);
    // 01:00:00;00 at 29.97 DF is 107,892 frames = 107999892/30000 s.
    expect(parseFcpxmlTime('107999892/30000s')?.equals(RationalTime.fromFrames(107892, FrameRate.FPS_29_97_DF))).toBe(true);
    expect(parseFcpxmlTime('3600s')?.seconds.toString()).toBe('3600');
    expect(parseFcpxmlTime('1/0s')).toBeUndefined();
    expect(parseFcpxmlTime('2.5s')).toBeUndefined();
  });

  test('the spec 2.5 example: connected clip at the timeline start, channel 2, -3 dB, 50 frames', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE fcpxml><fcpxml version="1.10"><resources>
      <format id="r1" frameDuration="1001/24000s" width="1920" height="1080"/>
      <asset id="r2" name="A101_1" start="45644599/1000s" duration="240239/48000s" hasAudio="1" audioSources="1" audioChannels="2" audioRate="48000">
        <media-rep kind="original-media" src="file:///Volumes/SOUND/A101_1.WAV"/></asset></resources>
      <library><event name="Dub"><project name="R1">
      <sequence format="r1" tcStart="18018/5s" tcFormat="NDF" audioLayout="stereo" audioRate="48k"><spine>
        <gap offset="18018/5s" start="18018/5s" duration="10010/2400s">
          <asset-clip ref="r2" lane="-1" offset="18018/5s" start="45644599/1000s" duration="1001/480s" audioRole="dialogue.Boom">
            <audio-channel-source srcCh="2" outCh="L, R" role="dialogue.Boom"/><adjust-volume amount="-3dB"/>
          </asset-clip></gap></spine></sequence></project></event></library></fcpxml>`;
    const r = parse(xml);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.value;
    expect(t.startTimecode.toString()).toBe('01:00:00:00');
    const c = t.tracks.find((k) => k.kind === 'audio')?.clips[0];
    expect(c?.start.isZero()).toBe(true);
    expect(c?.media).toEqual({ mediaId: 'r2', channel: 2 });
    expect(c?.gainDb).toBe(-3);
    expect(c?.duration.equals(RationalTime.fromFrames(50, FrameRate.FPS_23_976))).toBe(true);
    // Plays from the file's first sample: clip.start − asset.start = 0.
    expect(c?.sourceStart.equals(t.media[0]!.start!)).toBe(true);
    expect(t.media[0]?.url).toBe('file:///Volumes/SOUND/A101_1.WAV');
  });

  test('malformed FCPXML gives a placed diagnostic', () => {
    const r = parse('<fcpxml version="1.10">\n<resources>\n</fcpxml>');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'fcpxml/malformed', at: { line: 3 } });
  });
});

// fcpxml → model → new fcpxml → model: clips with media keep their exact positions, and a second
// write of what was read back is identical to the first (the writer's output is a fixed point).
describe.skipIf(files.length === 0)('FCPXML round trips', () => {
  const positions = (t: Timeline): string[] => {
    const url = new Map(t.media.map((m) => [m.id, m.url ?? m.name]));
    return t.tracks
      .flatMap((k) => k.clips.filter((c) => c.media).map((c) => `${k.kind}|${c.start}|${c.duration}|${c.sourceStart}|${url.get(c.media!.mediaId)}|${c.media!.channel ?? ''}|${c.gainDb ?? ''}|${c.muted ?? false}`))
      .sort();
  };
  test.each(files.map((f) => [basename(f), f]))('%s', (_n, path) => {
    // `fresh`: a new document from the model alone (the lossless path is tested below).
    const a = read(path);
    const w1 = write(a, { fresh: true });
    const b = parse(w1.value);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(positions(b.value)).toEqual(positions(a));
    expect(b.value.markers.map((m) => `${m.position}|${m.name}`)).toEqual(a.markers.map((m) => `${m.position}|${m.name}`));
    const w2 = write(b.value, { fresh: true });
    expect(w2.value).toBe(w1.value);
  });

  test('version 1.8 writes asset src instead of media-rep', () => {
    const t = read(byName('dawfilekit__AudioOnly.fcpxml'));
    const v18 = write(t, { version: '1.8' }).value;
    expect(v18).toContain('<fcpxml version="1.8">');
    expect(v18).not.toContain('<media-rep');
    expect(v18).toContain('src="file:///Users/user/Movies/FCPXMLTest.fcpbundle/Demo%201/Original%20Media/Forest%20Day.caf"');
    const back = parse(v18);
    expect(back.ok && back.value.tracks.flatMap((k) => k.clips).length).toBe(t.tracks.flatMap((k) => k.clips).length);
  });
});

describe.skipIf(files.length === 0)('damaged FCPXML never throws', () => {
  test('truncated and corrupted corpus files', () => {
    const inputs = files.map((f) => new Uint8Array(readFileSync(f)));
    fc.assert(
      fc.property(fc.nat(inputs.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), (i, cut, flips) => {
        const src = inputs[i]!;
        const bytes = src.slice(0, Math.floor(src.length * cut));
        for (const [at, v] of flips) if (bytes.length > 0) bytes[Math.floor(at * (bytes.length - 1))] = v;
        const r = parse(bytes);
        if (!r.ok) expect(r.diagnostics[0]!.code).toMatch(/^fcpxml\//);
        else expect(() => write(r.value)).not.toThrow();
      }),
      { numRuns: 150, seed: 6 },
    );
  });
});

// Lossless write: a timeline read from FCPXML is written over its own document (titles, effects,
// keywords, generators, transitions, metadata and unknown elements stay), and model edits land in
// the elements they came from. Expected values are the input file's own elements and positions.
describe.skipIf(files.length === 0)('FCPXML lossless write', () => {
  // Normalised: whitespace-only text (`<media-rep …>\n</media-rep>`) is no content.
  const strip = (e: XmlElement): unknown => ({ n: e.name, a: e.attributes, c: e.children.filter((k) => typeof k !== 'string' || k.trim() !== '').map((k) => (typeof k === 'string' ? k : strip(k))) });
  const tree = (text: string | Uint8Array): unknown => {
    const r = parseXml(text);
    if (!r.ok) throw new Error(r.diagnostics[0]!.message);
    return strip(r.value.root);
  };
  // What a timeline means (every model field of clips, tracks, transitions and markers).
  const meaning = (t: Timeline): unknown => ({
    name: t.name,
    rate: t.frameRate.name,
    tc: t.startTimecode.toString(),
    tracks: t.tracks.map((k) => ({
      kind: k.kind,
      name: k.name,
      clips: k.clips.map((c) => [c.name, `${c.start}`, `${c.duration}`, `${c.sourceStart}`, c.media?.mediaId, c.media?.channel, c.gainDb, c.gainAutomation?.map((p) => `${p.time}:${p.gainDb}`), c.muted ?? false, c.speed?.toString(), c.fadeIn && `${c.fadeIn.duration}`, c.fadeOut && `${c.fadeOut.duration}`]),
      transitions: k.transitions.map((x) => [x.kind, `${x.start}`, `${x.duration}`]),
    })),
    markers: t.markers.map((m) => [m.name, `${m.position}`, m.duration && `${m.duration}`, m.comment]),
    media: t.media.map((m) => [m.id, m.name, m.url, m.start && `${m.start}`, m.duration && `${m.duration}`]),
  });
  const pathOf = (c: Clip | Marker): string => ((c.metadata.fcpxml as { path?: number[] } | undefined)?.path ?? []).join('.');
  const positions = (t: Timeline): string[] => t.tracks.flatMap((k) => k.clips.map((c) => `${k.kind}|${pathOf(c)}|${c.start}|${c.duration}|${c.sourceStart}|${c.media?.channel ?? ''}`)).sort();

  test.each(files.map((f) => [basename(f), f]))('%s: read → write gives the input XML tree (modulo whitespace) and the same timeline', (_n, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    const a = read(path);
    const w = write(a);
    expect(w.diagnostics).toEqual([]);
    expect(tree(w.value)).toEqual(tree(bytes));
    const b = parse(w.value);
    expect(b.ok && meaning(b.value)).toEqual(meaning(a));
  });

  test.each(files.map((f) => [basename(f), f]))('%s: moving or slipping the clips of one element by one frame changes exactly them; anchored clips and markers stay', (_n, path) => {
    const a = read(path);
    const frame = RationalTime.fromSeconds(a.frameRate.frameDuration);
    const elements = new Map<string, string>();
    for (const k of a.tracks) for (const c of k.clips) {
      const x = c.metadata.fcpxml as { inCompound?: boolean; element?: string };
      // A compound or multicam clip's sound is its own content: it moves with the picture.
      if (x.inCompound !== true && x.element !== 'ref-clip' && x.element !== 'mc-clip') elements.set(pathOf(c), x.element ?? '');
    }
    for (const p of [...elements.keys()].slice(0, 6)) {
      const moved: Timeline = { ...a, tracks: a.tracks.map((k) => ({ ...k, clips: k.clips.map((c) => (pathOf(c) === p ? { ...c, start: c.start.plus(frame) } : c)) })) };
      const w = write(moved);
      const b = parse(w.value);
      expect(b.ok).toBe(true);
      if (!b.ok) return;
      expect(positions(b.value)).toEqual(positions(moved));
      expect(b.value.markers.map((m) => `${m.position}`)).toEqual(a.markers.map((m) => `${m.position}`));
      // A slip: the source moves one frame later, the clip stays; anchored clips and markers stay.
      const slipped: Timeline = { ...a, tracks: a.tracks.map((k) => ({ ...k, clips: k.clips.map((c) => (pathOf(c) === p ? { ...c, sourceStart: c.sourceStart.plus(frame) } : c)) })) };
      const s = parse(write(slipped).value);
      expect(s.ok).toBe(true);
      if (!s.ok) return;
      expect(positions(s.value)).toEqual(positions(slipped));
      expect(s.value.markers.map((m) => `${m.position}`)).toEqual(a.markers.map((m) => `${m.position}`));
    }
  });

  test('gain, mute and name edits are written into the element; a removed storyline clip leaves a gap of its length', () => {
    const a = read(byName('dawfilekit__AudioOnly.fcpxml'));
    const audio = a.tracks.find((k) => k.kind === 'audio' && k.clips.length > 0)!;
    const c = audio.clips[0]!;
    const edited: Timeline = { ...a, tracks: a.tracks.map((k) => (k === audio ? { ...k, clips: k.clips.map((x) => (x === c ? { ...x, gainDb: (x.gainDb ?? 0) - 6, muted: true, name: 'renamed' } : x)) } : k)) };
    const b = parse(write(edited).value);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    const d = b.value.tracks.flatMap((k) => k.clips).find((x) => pathOf(x) === pathOf(c))!;
    expect(d.gainDb).toBe((c.gainDb ?? 0) - 6);
    expect(d.muted).toBe(true);
    expect(d.name).toBe('renamed');

    const removed: Timeline = { ...a, tracks: a.tracks.map((k) => ({ ...k, clips: k.clips.filter((x) => pathOf(x) !== pathOf(c)) })) };
    const w = write(removed);
    const r = parse(w.value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(positions(r.value)).toEqual(positions(removed));
    expect(r.value.markers.map((m) => `${m.position}|${m.name}`)).toEqual(a.markers.map((m) => `${m.position}|${m.name}`));
  });

  test('a clip and a marker added to a timeline read from FCPXML are connected at their exact positions', () => {
    const a = read(byName('dawfilekit__BasicMarkers.fcpxml'));
    const rate = a.frameRate;
    const at = RationalTime.fromFrames(30, rate);
    const media = { id: 'new-boom', name: 'A101_1', kind: 'audio' as const, url: 'file:///Volumes/SOUND/A101_1.WAV', sampleRate: 48000, channels: 2, start: RationalTime.fromSeconds(Rational.of(45644599n, 1000n)), metadata: {} };
    const clip: Clip = { name: 'A101_1', start: at, duration: RationalTime.fromFrames(50, rate), sourceStart: media.start, media: { mediaId: media.id, channel: 2 }, gainDb: -3, metadata: {} };
    // Past the end of the storyline: a gap is appended to hold it.
    const late: Clip = { ...clip, name: 'late', start: RationalTime.fromSeconds(3600) };
    const added: Timeline = {
      ...a,
      media: [...a.media, media],
      tracks: [...a.tracks, { kind: 'audio', name: 'Boom', channels: 1, clips: [clip, late], transitions: [], metadata: {} }],
      markers: [...a.markers, { name: 'new marker', position: at, metadata: {} }],
    };
    const b = parse(write(added).value);
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    const got = b.value.tracks.flatMap((k) => k.clips).filter((c) => c.media?.channel === 2 && c.gainDb === -3);
    expect(got.map((c) => [c.name, `${c.start}`, `${c.duration}`, `${c.sourceStart}`])).toEqual([clip, late].map((c) => [c.name, `${c.start}`, `${c.duration}`, `${c.sourceStart}`]));
    expect(b.value.markers.some((m) => m.name === 'new marker' && m.position.equals(at))).toBe(true);
    // Everything read before is still there.
    expect(positions({ ...b.value, tracks: b.value.tracks.map((k) => ({ ...k, clips: k.clips.filter((c) => !got.includes(c)) })) })).toEqual(positions(a));
  });
});

// Conversions: clip positions (timeline start, length, source position, channel) survive exactly
// through OTIO and XMEML for clips on the frame grid at normal speed. XMEML counts whole frames (a
// clip off the grid is rounded, with a warning); OTIO stores float frame counts, and clips off the
// grid do not come back exact through it (reported, not an XML matter).
describe.skipIf(files.length === 0)('FCPXML → OTIO / XMEML keep clip positions exact', () => {
  const positions = (t: Timeline, onGrid = false): string[] => {
    const url = new Map(t.media.map((m) => [m.id, m.url ?? m.name]));
    // "Every channel" of a one-channel file is its channel 1 (XMEML names the channel).
    const mono = new Set(t.media.filter((m) => m.channels === 1).map((m) => m.id));
    const rate = t.frameRate;
    return t.tracks
      .flatMap((k) => k.clips.filter((c) => c.media && (!onGrid || (c.speed === undefined && c.start.isOnFrameGrid(rate) && c.duration.isOnFrameGrid(rate) && c.sourceStart.minus(t.media.find((m) => m.id === c.media!.mediaId)?.start ?? RationalTime.ZERO).isOnFrameGrid(rate)))).map((c) => `${k.kind}|${c.start}|${c.duration}|${c.sourceStart}|${url.get(c.media!.mediaId)}|${c.media!.channel ?? (mono.has(c.media!.mediaId) ? 1 : '')}`))
      .sort();
  };
  const via = (t: Timeline, to: string): Timeline => {
    const w = writeTimeline(t, to);
    const r = readTimeline(w.value as string, { format: to });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    return r.value;
  };
  test.each(files.map((f) => [basename(f), f]))('%s: fcpxml → otio → model and fcpxml → otio → fcpxml (frame-aligned clips)', (_n, path) => {
    const t = read(path);
    const want = positions(t, true);
    for (const back of [via(t, 'otio'), via(via(t, 'otio'), 'fcpxml')]) {
      const got = new Set(positions(back));
      expect(want.filter((p) => !got.has(p))).toEqual([]);
    }
  });
  test.each(files.map((f) => [basename(f), f]))('%s: fcpxml → xmeml → model (frame-aligned clips)', (_n, path) => {
    const t = read(path);
    const x = via(t, 'xmeml');
    const want = positions(t, true);
    const got = new Set(positions(x));
    expect(want.filter((p) => !got.has(p))).toEqual([]);
  });
});
