/**
 * A binary session as a {@link Timeline} (issue 9): one audio track per channel playlist of the
 * session's track list (tracks without clips kept), one clip per placement (region name, source
 * offset and length; position from the session start), audio files as media. A placed PT 10+
 * clip group becomes one clip with the group's name and length and no media (its member clips are
 * not read). What is not read yet (session name, timecode rate and start, fades, gain, group
 * members, MIDI) is reported as info, never guessed.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { diagnostic, warning } from '../../../diagnostics/diagnostic.js';
import { ok, type ParseResult } from '../../../diagnostics/result.js';
import { createClip, createMediaSource, createTimeline, createTrack } from '../../../model/build.js';
import type { Clip, Timeline } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { RationalTime } from '../../../time/rational-time.js';
import type { FormatModule, ReadOptions } from '../../types.js';
import { detectPtx, readPtxSession } from './blocks.js';

/** Reads a session into a timeline (see the module comment). `rate` labels the timeline (default 24). */
export function parsePtx(input: Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
  const r = readPtxSession(input);
  if (!r.ok) return r;
  const s = r.value;
  const diagnostics: Diagnostic[] = [...r.diagnostics];
  const sr = s.sampleRate;
  const t = (n: bigint): RationalTime => RationalTime.fromSamples(n, sr);
  diagnostics.push(diagnostic('info', 'ptx/partial', 'binary sessions are read in part: no session name, timecode rate or start, fades, gain, clip-group members or MIDI yet; positions count from the session start'));
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
      duration: t(region.length),
      sourceStart: t(region.sourceOffset),
      ...(file ? { media: { mediaId: file.name } } : {}),
      metadata: { ptx: { regionIndex: p.regionIndex } },
    }));
  }
  if (unknown > 0) diagnostics.push(warning('ptx/unknown-region', `${unknown} placements name regions that the session does not list; they are left out`));
  const rate = options.rate ?? FrameRate.FPS_24;
  return ok(
    createTimeline({
      name: '',
      sampleRate: sr,
      frameRate: rate,
      tracks: [...byTrack.values()].map((v) => createTrack({ kind: 'audio', name: v.name, clips: v.clips })),
      media,
      metadata: { ptx: { version: s.version, contentTypes: { ...s.contentTypes } } },
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
