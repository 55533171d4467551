/**
 * Adapters between the dubstage `Timeline` model and the conform engine's inputs (spec §2):
 * a picture cut read by any format becomes a {@link Cut}, the audio tracks of a session timeline
 * become a {@link Session}, and a conform result goes back into a `Timeline`.
 *
 * Roundings: record and source positions are taken to the nearest frame (`nearest`, half up)
 * and session positions to the nearest sample; a model read from a frame-based format already
 * holds whole frames, so nothing rounds there in practice.
 */
import type { Clip, Metadata, Timeline, Track as ModelTrack } from '../model/types.js';
import { RationalTime } from '../time/rational-time.js';
import type { ConformResult, Cut, CutEvent, Region, Session, Track } from './types.js';

const toNum = (b: bigint): number => {
  if (b > BigInt(Number.MAX_SAFE_INTEGER) || b < -BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`position ${b} is past 2^53`);
  return Number(b);
};

function reelOf(clip: Clip, t: Timeline): string {
  const edl = clip.metadata['edl'];
  if (edl && typeof edl === 'object' && !Array.isArray(edl) && typeof (edl as Record<string, unknown>)['reel'] === 'string') return (edl as Record<string, string>)['reel'] as string;
  const media = clip.media ? t.media.find((m) => m.id === clip.media?.mediaId) : undefined;
  return media?.name ?? clip.name;
}

/**
 * A cut from the video tracks of a timeline (an EDL, XML, AAF or OTIO picture cut): the first
 * video track is `V`, the next `V2`…; record frames count from `00:00:00:00` (the timeline's start
 * timecode plus the clip position); source frames are the clip's source start at the picture rate.
 */
export function cutFromTimeline(t: Timeline, name = t.name): Cut {
  const rate = t.frameRate;
  const base = t.startTimecode.frames;
  const events: CutEvent[] = [];
  let layer = 0;
  for (const track of t.tracks) {
    if (track.kind !== 'video') continue;
    layer++;
    track.clips.forEach((c, i) => {
      const recIn = base + toNum(c.start.toFrames(rate, 'nearest'));
      const len = toNum(c.duration.toFrames(rate, 'nearest'));
      const srcIn = toNum(c.sourceStart.toFrames(rate, 'nearest'));
      events.push({
        num: String(i + 1), reel: reelOf(c, t), track: layer === 1 ? 'V' : `V${layer}`, trans: 'C',
        srcIn, srcOut: srcIn + len, recIn, recOut: recIn + len, clipName: c.name,
        ...(c.media ? { sourceFile: t.media.find((m) => m.id === c.media?.mediaId)?.url ?? c.media.mediaId } : {}),
      });
    });
  }
  return { name, rate, events };
}

/** Index of a region's clip in the timeline, kept in `meta` so the result can be written back. */
interface ClipRef { readonly track: number; readonly clip: number }

/** The audio tracks of a timeline as a conform {@link Session} (positions in samples, nearest). */
export function sessionFromTimeline(t: Timeline): Session {
  const sr = t.sampleRate;
  const tracks: Track[] = [];
  t.tracks.forEach((track, ti) => {
    if (track.kind !== 'audio') return;
    const regions: Region[] = track.clips.map((c, ci) => {
      const start = toNum(c.start.toSamples(sr, 'nearest'));
      const end = start + toNum(c.duration.toSamples(sr, 'nearest'));
      const mediaId = c.media?.mediaId ?? c.name;
      const media = t.media.find((m) => m.id === mediaId);
      const ref: ClipRef = { track: ti, clip: ci };
      return {
        id: `t${ti}c${ci}`, name: c.name, file: { id: mediaId, name: media?.name ?? mediaId },
        start, end, fileOffset: toNum(c.sourceStart.toSamples(sr, 'nearest')),
        ...(c.gainDb !== undefined ? { gainDb: c.gainDb } : {}),
        ...(c.fadeIn ? { fadeIn: { lengthSamples: toNum(c.fadeIn.duration.toSamples(sr, 'nearest')), shape: c.fadeIn.shape } } : {}),
        ...(c.fadeOut ? { fadeOut: { lengthSamples: toNum(c.fadeOut.duration.toSamples(sr, 'nearest')), shape: c.fadeOut.shape } } : {}),
        ...(c.muted ? { muted: true } : {}),
        meta: { ref },
      };
    });
    tracks.push({ id: `t${ti}`, name: track.name, ...(track.muted ? { muted: true } : {}), regions });
  });
  return { name: t.name, sampleRate: sr, rate: t.frameRate, startFrame: t.startTimecode.frames, tracks };
}

/**
 * Writes a conform result back into the session timeline: every audio track gets its conformed
 * clips (each keeps the metadata of the clip it came from), removed lanes become muted audio
 * tracks after their source track, and the guide fill becomes a `CONFORM GUIDE` track. Video
 * tracks and markers are kept as they were; crossfade transitions between audio clips are
 * dropped because their clips moved apart (the spec's `CROSSFADE_DROPPED`).
 */
export function timelineFromResult(session: Timeline, r: ConformResult): Timeline {
  const sr = session.sampleRate;
  const at = (s: number): RationalTime => RationalTime.fromSamples(s, sr);
  const toClip = (reg: Region): Clip => {
    const ref = (reg.meta as { ref?: ClipRef } | undefined)?.ref;
    const orig = ref ? session.tracks[ref.track]?.clips[ref.clip] : undefined;
    const base: Clip = orig ?? { name: reg.name, start: at(0), duration: at(0), sourceStart: at(0), media: { mediaId: reg.file.id }, metadata: {} };
    const { fadeIn: _a, fadeOut: _b, muted: _m, ...rest } = base;
    return {
      ...rest, name: reg.name, start: at(reg.start), duration: at(reg.end - reg.start), sourceStart: at(reg.fileOffset),
      ...(reg.fadeIn ? { fadeIn: { duration: at(reg.fadeIn.lengthSamples), shape: (orig?.fadeIn?.shape ?? 'linear') } } : {}),
      ...(reg.fadeOut ? { fadeOut: { duration: at(reg.fadeOut.lengthSamples), shape: (orig?.fadeOut?.shape ?? 'linear') } } : {}),
      ...(reg.muted ? { muted: true } : {}),
    };
  };
  const byName = new Map(r.session.tracks.map((t) => [t.name, t] as const));
  const tracks: ModelTrack[] = [];
  const used = new Set<string>();
  for (const mt of session.tracks) {
    if (mt.kind !== 'audio') { tracks.push(mt); continue; }
    const ct = byName.get(mt.name);
    if (!ct) continue; // a guide track dropped by option
    used.add(mt.name);
    tracks.push({ ...mt, clips: ct.regions.map(toClip), transitions: [] });
    for (const lane of r.session.tracks) {
      if (lane.name.startsWith(`${mt.name} (conform removed) `) && !used.has(lane.name)) {
        used.add(lane.name);
        const meta: Metadata = { conform: { removedFrom: mt.name } };
        tracks.push({ kind: 'audio', name: lane.name, channels: mt.channels, clips: lane.regions.map(toClip), transitions: [], muted: true, metadata: meta });
      }
    }
  }
  for (const t of r.session.tracks) {
    if (used.has(t.name)) continue;
    tracks.push({ kind: 'audio', name: t.name, channels: 1, clips: t.regions.map(toClip), transitions: [], ...(t.muted ? { muted: true } : {}), metadata: {} });
  }
  return { ...session, tracks };
}
