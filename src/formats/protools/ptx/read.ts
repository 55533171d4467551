/**
 * A binary session's first slice as a {@link Timeline} (issue 9): one audio track per placement
 * track, one clip per placement (region name, source offset and length; position from the
 * session start), audio files as media. What the slice does not read yet (session name, timecode
 * rate and start, fades, gain, MIDI) is reported as info, never guessed.
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
  diagnostics.push(diagnostic('info', 'ptx/partial', 'binary sessions are read in part: no session name, timecode rate or start, fades, gain or MIDI yet; positions count from the session start'));
  const media = s.audioFiles.map((f) => createMediaSource({ id: f.name, name: f.name, kind: 'audio', sampleRate: sr, ...(f.lengthSamples !== undefined ? { duration: t(f.lengthSamples) } : {}), metadata: {} }));
  const byTrack = new Map<number, { name: string; clips: Clip[] }>();
  let unknown = 0;
  for (const p of s.placements) {
    const region = s.regions[p.regionIndex];
    let entry = byTrack.get(p.trackIndex);
    if (!entry) byTrack.set(p.trackIndex, (entry = { name: p.track, clips: [] }));
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
  if (unknown > 0) diagnostics.push(warning('ptx/unknown-region', `${unknown} placements name regions this slice cannot read (clip groups or empty clips of PT 10+ sessions); they are left out`));
  const rate = options.rate ?? FrameRate.FPS_24;
  return ok(
    createTimeline({
      name: '',
      sampleRate: sr,
      frameRate: rate,
      tracks: [...byTrack.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => createTrack({ kind: 'audio', name: v.name, clips: v.clips })),
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
