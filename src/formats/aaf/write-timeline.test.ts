import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Clip, MediaSource, Timeline, Track } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { arbRate } from '../../../test/helpers/timeline-arb.js';
import { readTimelineSync } from './read.js';
import { readObjectsSync } from './objects.js';
import { fileUrl, writeTimeline, writeTimelineSync, type AafTarget, type AafWriteOptions } from './write-timeline.js';

const S = (n: number | bigint) => RationalTime.fromSamples(BigInt(n), 48000);
const TS = { year: 2026, month: 11, day: 24, hour: 0, minute: 0, second: 0, fraction: 0 };
const opts = (target: AafTarget, extra: Partial<AafWriteOptions> = {}): AafWriteOptions => ({ target, idSeed: 'test', timestamp: TS, ...extra });

function media(id: string, channels = 1, seconds = 60): MediaSource {
  return { id, name: id, kind: 'audio', url: `file:///media/${id}.wav`, sampleRate: 48000, channels, duration: S(48000 * seconds), metadata: {} };
}

/** Writes `t` for `target` and reads it back: no warnings either way, and the same timeline. */
function writeAndReadBack(t: Timeline, target: AafTarget): Timeline {
  const w = writeTimelineSync(t, opts(target));
  expect(w.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  const r = readTimelineSync(w.value);
  if (!r.ok) throw new Error(`read back failed: ${r.diagnostics[0]?.message}`);
  expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  expect(comparable(r.value)).toEqual(comparable(t));
  return r.value;
}

/** What a round trip through AAF must keep (the reader adds ids and `metadata.aaf` of its own). */
function comparable(t: Timeline) {
  const mediaUrl = new Map(t.media.map((m) => [m.id, m.url]));
  return {
    name: t.name,
    frameRate: t.frameRate.toString(),
    start: t.startTimecode.toString(),
    tracks: t.tracks.map((tr) => ({
      kind: tr.kind,
      name: tr.name,
      channels: tr.channels,
      clips: tr.clips.map((c) => ({
        name: c.name,
        start: c.start.toString(),
        duration: c.duration.toString(),
        sourceStart: c.sourceStart.toString(),
        url: c.media ? mediaUrl.get(c.media.mediaId) ?? null : null,
        gainDb: c.gainDb ?? 0,
        automation: (c.gainAutomation ?? []).map((p) => `${p.time.toString()}@${p.gainDb}`),
        fadeIn: c.fadeIn ? `${c.fadeIn.duration.toString()} ${c.fadeIn.shape}` : null,
        fadeOut: c.fadeOut ? `${c.fadeOut.duration.toString()} ${c.fadeOut.shape}` : null,
        muted: c.muted ?? false,
        speed: c.speed?.toString() ?? '1',
      })),
      automation: (tr.automation ?? []).map((l) => `${l.parameter} ${l.interpolation ?? 'linear'}: ${l.points.map((p) => `${p.time.toString()}=${p.value}`).join(' ')}`),
      crossfades: tr.transitions.map((x) => `${x.start.toString()}+${x.duration.toString()} ${x.shape ?? 'linear'}`),
    })),
    markers: t.markers.map((m) => ({ name: m.name, position: m.position.toString(), duration: m.duration?.toString() ?? null, comment: m.comment ?? null, colour: m.colour ?? null, track: m.track ?? null })),
  };
}

function timeline(tracks: Track[], extra: Partial<Timeline> = {}): Timeline {
  return {
    name: 'Reel 1 mix',
    sampleRate: 48000,
    frameRate: FrameRate.FPS_24,
    startTimecode: Timecode.fromFrames(24 * 3600, FrameRate.FPS_24),
    tracks,
    markers: [],
    media: [media('dialog'), media('music', 2), media('fx')],
    metadata: {},
    ...extra,
  };
}

const clip = (name: string, mediaId: string | undefined, start: number, duration: number, source: number, extra: Partial<Clip> = {}): Clip => ({
  name, start: S(start), duration: S(duration), sourceStart: S(source), ...(mediaId ? { media: { mediaId } } : {}), metadata: {}, ...extra,
});

const mixed = timeline([
  {
    kind: 'audio', name: 'DIA 1', channels: 1, metadata: {},
    clips: [
      clip('dialog', 'dialog', 48000, 96000, 2000, { fadeIn: { duration: S(4000), shape: 'linear' }, gainDb: -6 }),
      clip('dialog', 'dialog', 240000, 48000, 200000, { fadeOut: { duration: S(2000), shape: 'equal-power' }, muted: true }),
      clip('fx', 'fx', 288000, 48000, 0, { gainAutomation: [{ time: S(0), gainDb: 0 }, { time: S(24000), gainDb: -10 }, { time: S(48000), gainDb: -3.5 }] }),
    ],
    transitions: [],
  },
  {
    kind: 'audio', name: 'MX', channels: 2, metadata: {},
    clips: [clip('music', 'music', 0, 96000, 0), clip('music', 'music', 92000, 96000, 500000)],
    transitions: [{ kind: 'crossfade', start: S(92000), duration: S(4000), shape: 'linear', metadata: {} }],
  },
], { markers: [
  { name: 'Scene 12', position: S(48000), comment: 'door slam late', colour: '#ff0000', metadata: {} },
  { name: 'Hit', position: S(96000), duration: S(24000), track: 'DIA 1', metadata: {} },
] });

describe('AAF timeline writer', () => {
  test.each(['protools', 'mediacomposer', 'resolve'] as const)('%s: timeline → AAF → timeline keeps the timeline', (target) => {
    // Media Composer and Resolve write audio at the picture rate: this timeline is frame aligned
    // (48000 / 24 = 2000 samples a frame).
    const w = writeTimelineSync(mixed, opts(target, { markers: true }));
    const r = readTimelineSync(w.value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(comparable(r.value)).toEqual(comparable(mixed));
  });

  test('same options and seed give the same bytes; the async writer agrees with the sync one', async () => {
    const a = writeTimelineSync(mixed, opts('protools'));
    const b = writeTimelineSync(mixed, opts('protools'));
    const c = await writeTimeline(mixed, opts('protools'));
    expect(Buffer.from(a.value).equals(Buffer.from(b.value))).toBe(true);
    expect(Buffer.from(a.value).equals(Buffer.from(c.value))).toBe(true);
    const other = writeTimelineSync(mixed, opts('protools', { idSeed: 'other' }));
    expect(Buffer.from(a.value).equals(Buffer.from(other.value))).toBe(false);
  });

  test('the cfb package opens the file and finds one storage per object with AAF class ids', () => {
    const w = writeTimelineSync(mixed, opts('mediacomposer'));
    const objects = readObjectsSync(w.value);
    expect(objects.ok).toBe(true);
    const cf = CFB.read(w.value, { type: 'array' });
    // The header CLSID of a 4096-byte AAF (aaf.md §6; cfb.md §9): the root storage's CLSID is
    // the AAF Root class b3b398a5-1c90-11d4-8053-080036210804 (stored as GUID bytes).
    const root = cf.FileIndex[0] as { clsid?: string };
    expect(root.clsid?.toLowerCase()).toBe('a598b3b3901cd4118053080036210804');
    const paths = cf.FullPaths;
    expect(paths.some((p) => p.endsWith('/Header-2/'))).toBe(true);
    expect(paths.some((p) => p.endsWith('/MetaDictionary-1/'))).toBe(true);
    expect(paths.some((p) => /Content-3b03\/Mobs-1901\{[0-9a-f]+\}\/$/.test(p))).toBe(true);
    expect(paths.some((p) => p.endsWith('/referenced properties'))).toBe(true);
  });

  test('Pro Tools target: session-rate slots, 512-byte sectors, no markers', () => {
    const w = writeTimelineSync(mixed, opts('protools'));
    expect(w.value.length % 512).toBe(0);
    expect(w.diagnostics.map((d) => d.code)).toContain('aaf/markers-dropped');
    expect(w.diagnostics.map((d) => d.code)).toContain('aaf/multichannel-link');
    const r = readTimelineSync(w.value);
    expect(r.ok && r.value.markers).toEqual([]);
    expect(r.ok && r.value.tracks.map((t) => t.metadata.aaf && (t.metadata.aaf as { editRate: string }).editRate)).toEqual(['48000', '48000']);
  });

  test('embedded PCM: stereo media is split into mono EssenceData streams for Avid targets, byte for byte', async () => {
    const frames = 4800;
    const pcm = new Uint8Array(frames * 2 * 2);
    const dv = new DataView(pcm.buffer);
    for (let f = 0; f < frames; f++) {
      dv.setInt16(f * 4, f, true);
      dv.setInt16(f * 4 + 2, -f, true);
    }
    const t = timeline([{ kind: 'audio', name: 'ST', channels: 2, metadata: {}, clips: [clip('tone', 'tone', 0, frames, 0)], transitions: [] }], {
      media: [{ ...media('tone', 2), duration: S(frames), embedded: true }],
    });
    const w = await writeTimeline(t, opts('protools', { embed: new Map([['tone', { data: pcm, channels: 2, bitsPerSample: 16, sampleRate: 48000 }]]) }));
    const cf = CFB.read(w.value, { type: 'array' });
    const data = cf.FileIndex.filter((_, i) => (cf.FullPaths[i] as string).endsWith('/Data-2702')).map((e) => Buffer.from(e.content as Uint8Array));
    expect(data.length).toBe(2);
    const left = Buffer.alloc(frames * 2);
    const right = Buffer.alloc(frames * 2);
    for (let f = 0; f < frames; f++) {
      left.writeInt16LE(f, f * 2);
      right.writeInt16LE(-f, f * 2);
    }
    expect(data.some((d) => d.equals(left))).toBe(true);
    expect(data.some((d) => d.equals(right))).toBe(true);
    const r = readTimelineSync(w.value);
    expect(r.ok && r.value.media.every((m) => m.embedded === true)).toBe(true);
    expect(r.ok && r.value.tracks[0]?.channels).toBe(2);
  });

  test('losses are diagnostics: off-grid positions, video tracks, freeze and reverse speeds', () => {
    const t = timeline([
      { kind: 'video', name: 'V1', channels: 0, metadata: {}, clips: [], transitions: [] },
      { kind: 'audio', name: 'A1', channels: 1, metadata: {}, clips: [clip('dialog', 'dialog', 100, 48000, 0, { speed: Rational.of(-1) })], transitions: [] },
    ]);
    const w = writeTimelineSync(t, opts('mediacomposer'));
    const codes = w.diagnostics.map((d) => d.code);
    expect(codes).toContain('aaf/rounded-to-edit-unit');
    expect(codes).toContain('aaf/speed-dropped');
    // Pro Tools takes picture from a video file: its target writes audio only.
    expect(writeTimelineSync(t, opts('protools')).diagnostics.map((d) => d.code)).toContain('aaf/video-track-dropped');
  });

  test.each(['mediacomposer', 'resolve'] as const)('%s: picture tracks are Picture slots of MasterMob → CDCI SourceMob chains and read back', (target) => {
    // aaf.md §3 (DataDefinition Picture 01030202-0100-…, CDCIDescriptor) and §8 (Media Composer
    // compositions carry a picture slot). The picture media starts at 01:00:00:00 (source
    // timecode via a tape mob) and one clip plays at double speed (Motion Control on picture).
    const F = (n: number) => RationalTime.fromFrames(BigInt(n), FrameRate.FPS_24.rate);
    const shot: MediaSource = { id: 'shot', name: 'shot', kind: 'video', url: 'file:///media/shot.mov', start: F(86400), duration: F(2400), metadata: { width: 3840, height: 2160 } };
    const t = timeline([
      {
        kind: 'video', name: 'V1', channels: 0, metadata: {}, transitions: [],
        clips: [
          { name: 'shot', start: F(10), duration: F(48), sourceStart: F(86500), media: { mediaId: 'shot' }, metadata: {} },
          { name: 'shot', start: F(100), duration: F(24), sourceStart: F(86405), media: { mediaId: 'shot' }, speed: Rational.of(2), metadata: {} },
        ],
      },
      { kind: 'audio', name: 'A1', channels: 1, metadata: {}, transitions: [], clips: [clip('dialog', 'dialog', 2000, 48000, 2000)] },
    ], { media: [media('dialog'), shot] });
    const read = writeAndReadBack(t, target);
    const pic = read.media.find((m) => m.kind === 'video');
    expect(pic?.start?.toString()).toBe('3600');
    expect(pic?.duration?.toString()).toBe('100');
    expect(pic?.metadata.aaf).toMatchObject({ descriptor: 'CDCIDescriptor' });
  });

  test.each(['protools', 'mediacomposer', 'resolve'] as const)('%s: clip speed is a Motion Control group and reads back exactly', (target) => {
    // Layout of Media Composer's own speed effects (otio-aaf-adapter
    // tests/sample_data/time_warp_test.avid_media_composer.aaf: a group of Length 100 around a
    // SourceClip of Length 50 carries SpeedRatio 2/1 and an offset map 0→0, 100→50).
    const t = timeline([{
      kind: 'audio', name: 'A1', channels: 1, metadata: {}, transitions: [],
      clips: [
        clip('dialog', 'dialog', 48000, 96000, 2000, { speed: Rational.of(1, 2) }),
        clip('fx', 'fx', 192000, 48000, 0, { speed: Rational.of(3, 2), gainDb: -6 }),
      ],
    }]);
    const w = writeTimelineSync(t, opts(target));
    expect(w.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const r = readTimelineSync(w.value);
    expect(r.ok && comparable(r.value)).toEqual(comparable(t));
    // The group as stored: Length = timeline length, input = source length, SpeedRatio = 1/speed.
    const objects = readObjectsSync(w.value);
    expect(objects.ok).toBe(true);
    if (!objects.ok) return;
    const groups: { length: unknown; input: unknown; ratio: unknown }[] = [];
    const walk = (o: import('./objects.js').AafObject): void => {
      const op = o.properties.find((p) => p.name === 'Operation');
      if (o.className === 'OperationGroup' && op?.value.kind === 'weak' && op.value.ref.key === '9d2ea890-0968-11d3-8a38-0050040ef7d2') {
        const inputs = o.properties.find((p) => p.name === 'InputSegments');
        const params = o.properties.find((p) => p.name === 'Parameters');
        const input = inputs?.value.kind === 'strong-vector' ? inputs.value.objects[0] : undefined;
        const ratio = params?.value.kind === 'strong-set' ? params.value.objects.find((p) => p.properties.some((q) => q.name === 'Definition' && q.value.kind === 'data' && q.value.data === '72559a80-24d7-11d3-8a50-0050040ef7d2')) : undefined;
        groups.push({
          length: o.properties.find((p) => p.name === 'Length')?.value,
          input: input?.properties.find((p) => p.name === 'Length')?.value,
          ratio: ratio?.properties.find((p) => p.name === 'Value')?.value,
        });
      }
      for (const p of o.properties) {
        const v = p.value;
        const kids = v.kind === 'strong' ? (v.object ? [v.object] : []) : v.kind === 'strong-vector' || v.kind === 'strong-set' ? v.objects : [];
        kids.forEach(walk);
      }
    };
    walk(objects.value.root);
    const rate = target === 'mediacomposer' ? 24 : 48000;
    const u = (samples: number) => BigInt((samples * rate) / 48000);
    expect(groups).toEqual([
      { length: { kind: 'data', data: u(96000) }, input: { kind: 'data', data: u(48000) }, ratio: { kind: 'data', data: { type: '03010100-0000-0000-060e-2b3401040101', value: { numerator: 2, denominator: 1 } } } },
      { length: { kind: 'data', data: u(48000) }, input: { kind: 'data', data: u(72000) }, ratio: { kind: 'data', data: { type: '03010100-0000-0000-060e-2b3401040101', value: { numerator: 2, denominator: 3 } } } },
    ]);
  });

  test.each(['protools', 'mediacomposer', 'resolve'] as const)('%s: track volume and pan automation are track-level OperationGroups and read back', (target) => {
    // aaf.md §4: an OperationGroup that is the slot's segment applies to the whole track
    // (MonoAudioGain Amplitude for volume, MonoAudioPan Pan 0 = left … 1 = right); ControlPoint
    // times are fractions of the group length. Values on grids the file stores exactly: pan in
    // 1/32768 steps (as Media Composer writes it), volume in whole dB read back at 0.001 dB.
    const t = timeline([{
      kind: 'audio', name: 'A1', channels: 1, metadata: {}, transitions: [],
      clips: [clip('dialog', 'dialog', 48000, 96000, 2000)],
      automation: [
        { parameter: 'volume', interpolation: 'linear', points: [{ time: S(0), value: 0 }, { time: S(48000), value: -6 }, { time: S(240000), value: -20 }] },
        { parameter: 'pan', interpolation: 'constant', points: [{ time: S(2000), value: -0.5 }, { time: S(96000), value: 0.25 }] },
      ],
    }]);
    writeAndReadBack(t, target);
  });

  test('file URLs from paths', () => {
    expect(fileUrl('/Volumes/Media/a b.wav')).toBe('file:///Volumes/Media/a%20b.wav');
    expect(fileUrl('C:\\Media\\x.wav')).toBe('file:///C:/Media/x.wav');
    expect(fileUrl('file://localhost/C:/x.wav')).toBe('file://localhost/C:/x.wav');
  });

  test('property: random sample-accurate timelines survive timeline → AAF → timeline (Pro Tools target)', () => {
    const arbClips = fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 96000 }),
        duration: fc.integer({ min: 1, max: 480000 }),
        source: fc.integer({ min: 0, max: 1_000_000 }),
        media: fc.constantFrom('dialog', 'fx'),
        gainDb: fc.option(fc.integer({ min: -60000, max: 12000 }).map((x) => x / 1000), { nil: undefined }),
        muted: fc.boolean(),
        fadeIn: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        fadeOut: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        speed: fc.option(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 })).map(([a, b]) => Rational.of(a, b)), { nil: undefined }),
      }),
      { maxLength: 6 },
    );
    // Track lanes: increasing times, values on grids the file stores exactly (pan in 1/32768
    // steps as Media Composer writes it; volume in 0.5 dB steps, read back at 0.001 dB).
    const arbLane = fc.record({
      parameter: fc.constantFrom('volume', 'pan'),
      interpolation: fc.constantFrom('linear' as const, 'constant' as const),
      steps: fc.array(fc.tuple(fc.integer({ min: 1, max: 96000 }), fc.integer({ min: -32768, max: 32768 })), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(fc.property(arbRate, fc.nat({ max: 20 }), fc.array(fc.tuple(arbClips, fc.array(arbLane, { maxLength: 2 })), { minLength: 1, maxLength: 3 }), (rate, startHour, trackSpecs) => {
      const tracks: Track[] = trackSpecs.map(([specs, laneSpecs], ti) => {
        let at = 0;
        const clips = specs.map((s) => {
          const start = at + s.gap;
          at = start + s.duration;
          const fi = s.fadeIn !== undefined && s.fadeIn <= s.duration ? s.fadeIn : undefined;
          const fo = s.fadeOut !== undefined && s.fadeOut <= s.duration ? s.fadeOut : undefined;
          return clip(s.media, s.media, start, s.duration, s.source, {
            ...(s.gainDb !== undefined && s.gainDb !== 0 ? { gainDb: s.gainDb } : {}),
            ...(s.muted ? { muted: true } : {}),
            ...(fi !== undefined ? { fadeIn: { duration: S(fi), shape: 'linear' as const } } : {}),
            ...(fo !== undefined ? { fadeOut: { duration: S(fo), shape: 'linear' as const } } : {}),
            ...(s.speed !== undefined && !s.speed.equals(Rational.ONE) ? { speed: s.speed } : {}),
          });
        });
        const seen = new Set<string>();
        const automation = laneSpecs.filter((l) => !seen.has(l.parameter) && seen.add(l.parameter)).map((l) => {
          let at = 0;
          let prev: number | undefined;
          const points = l.steps.map(([dt, v]) => {
            at += dt;
            // Adjacent equal values would read back as one constant point: step past them.
            let value = l.parameter === 'pan' ? v / 32768 : Math.round(v / 546) / 2;
            if (value === prev) value = l.parameter === 'pan' ? (value === 1 ? 0 : 1) : value - 0.5;
            prev = value;
            return { time: S(at), value };
          });
          return { parameter: l.parameter, interpolation: l.interpolation, points };
        });
        return { kind: 'audio', name: `A${ti + 1}`, channels: 1, clips, transitions: [], metadata: {}, ...(automation.length > 0 ? { automation } : {}) };
      });
      const t = timeline(tracks, { frameRate: rate, startTimecode: Timecode.fromFrames(startHour * rate.framesPerHour, rate), media: [media('dialog', 1, 100), media('fx', 1, 100)] });
      const w = writeTimelineSync(t, opts('protools'));
      const r = readTimelineSync(w.value);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(comparable(r.value)).toEqual(comparable(t));
    }), { numRuns: 60 });
  });
});
