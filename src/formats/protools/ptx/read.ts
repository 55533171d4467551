/**
 * A binary session as a {@link Timeline} (issue 9): the session name, bit depth, timecode rate
 * and start (PT 10+), one audio track per channel playlist of the session's track list (tracks
 * without clips kept), one clip per placement (region name, source offset and length; position
 * from the session start), markers (PT 10+), audio files as media. A placed PT 10+ clip group
 * becomes one clip with the group's name and length and no media (its member clips are not
 * read). MIDI (ticks) stays out of the timeline; what is not read yet (fades, gain, group members)
 * is reported as info, never guessed.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { diagnostic, warning } from '../../../diagnostics/diagnostic.js';
import { ok, type ParseResult } from '../../../diagnostics/result.js';
import { createClip, createMarker, createMediaSource, createTimeline, createTrack } from '../../../model/build.js';
import type { Clip, Timeline } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { RationalTime } from '../../../time/rational-time.js';
import type { FormatModule, ReadOptions } from '../../types.js';
import { detectPtx, readPtxSession } from './blocks.js';

/**
 * Reads a session into a timeline (see the module comment). The session's timecode rate labels the
 * timeline when the session states one this reader knows; else `rate` (default 24).
 */
export function parsePtx(input: Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
  const r = readPtxSession(input);
  if (!r.ok) return r;
  const s = r.value;
  const diagnostics: Diagnostic[] = [...r.diagnostics];
  const sr = s.sampleRate;
  const t = (n: bigint): RationalTime => RationalTime.fromSamples(n, sr);
  diagnostics.push(diagnostic('info', 'ptx/partial', 'binary sessions are read in part: no fades, clip gain or clip-group members yet; positions count from the session start'));
  if (s.midi) {
    const tracks = new Set(s.midi.placements.map((p) => p.trackIndex)).size;
    diagnostics.push(diagnostic('info', 'ptx/midi-not-in-timeline', `${s.midi.regions.length} MIDI regions, placed ${s.midi.placements.length} times on ${tracks} MIDI tracks, are read (readPtxSession().midi) but not put on the timeline: their positions are ticks and the tempo map is not read`));
  }
  const media = s.audioFiles.map((f) => createMediaSource({ id: f.name, name: f.name, kind: 'audio', sampleRate: sr, ...(f.lengthSamples !== undefined ? { duration: t(f.lengthSamples) } : {}), metadata: {} }));
  // Timeline tracks by playlist: from the session's track list when it covers every placement
  // (so tracks without clips are kept, in session order; a track of n channels gives n timeline
  // tracks of its name, one per channel playlist, as ptformat lists them), else from the placements.
  const byTrack = new Map<number, { name: string; clips: Clip[] }>();
  const listed = new Set(s.tracks.flatMap((x) => x.playlists));
  if (s.tracks.length > 0 && s.placements.every((p) => listed.has(p.playlist))) {
    for (const tr of s.tracks) for (const pl of tr.playlists) if (!byTrack.has(pl)) byTrack.set(pl, { name: tr.name, clips: [] });
  }
  let unknown = 0;
  for (const p of s.placements) {
    let entry = byTrack.get(p.playlist);
    if (!entry) byTrack.set(p.playlist, (entry = { name: p.track, clips: [] }));
    if (p.kind === 'group') {
      const group = s.clipGroups[p.regionIndex];
      if (!group) {
        unknown++;
        continue;
      }
      entry.clips.push(createClip({ name: group.name, start: t(p.start), duration: t(group.length), metadata: { ptx: { clipGroupIndex: p.regionIndex } } }));
      continue;
    }
    const region = s.regions[p.regionIndex];
    if (!region) {
      unknown++;
      continue;
    }
    const file = s.audioFiles[region.fileIndex];
    entry.clips.push(createClip({
      name: region.name,
      start: t(p.start),
      duration: t(p.length ?? region.length),
      sourceStart: t(p.sourceOffset ?? region.sourceOffset),
      ...(file ? { media: { mediaId: file.name } } : {}),
      metadata: { ptx: { regionIndex: p.regionIndex } },
    }));
  }
  if (unknown > 0) diagnostics.push(warning('ptx/unknown-region', `${unknown} placements name regions that the session does not list; they are left out`));
  const rate = s.timecode?.rate ?? options.rate ?? FrameRate.FPS_24;
  const markers = s.markers.map((m) =>
    createMarker({
      name: m.name,
      position: t(m.start),
      ...(m.comment ? { comment: m.comment } : {}),
      metadata: { ptx: { number: m.number, end: m.end.toString(), flags: m.flags, ...(m.ruler !== undefined ? { ruler: m.ruler } : {}) } },
    }),
  );
  const tc = s.timecode;
  return ok(
    createTimeline({
      name: s.name ?? '',
      sampleRate: sr,
      ...(s.bitDepth !== undefined ? { bitDepth: s.bitDepth } : {}),
      frameRate: rate,
      ...(tc?.start ? { startTimecode: tc.start } : {}),
      tracks: [...byTrack.values()].map((v) => createTrack({ kind: 'audio', name: v.name, clips: v.clips })),
      markers,
      media,
      metadata: {
        ptx: {
          version: s.version,
          ...(s.path ? { path: [...s.path] } : {}),
          ...(tc ? { timecode: { rateCode: tc.rateCode, startRateCode: tc.startRateCode, startFrames: tc.startFrames } } : {}),
          contentTypes: { ...s.contentTypes },
          unreadContentTypes: [...s.unreadContentTypes],
        },
      },
    }),
    diagnostics,
  );
}

/** The registry entry for binary sessions (id `ptx`; read only). */
export const ptxFormat: FormatModule = {
  id: 'ptx',
  name: 'Pro Tools session (.ptx/.ptf/.pts, read only)',
  extensions: ['.ptx', '.ptf', '.pts'],
  output: 'binary',
  detect: detectPtx,
  parse(input: string | Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    return parsePtx(bytes, options);
  },
};
