/**
 * Adapters between the dubstage `Timeline` model and the conform engine's inputs (spec §2):
 * a picture cut read by any format becomes a {@link Cut}, the audio tracks of a session timeline
 * become a {@link Session}, and a conform result goes back into a `Timeline`.
 *
 * Roundings: record and source positions are taken to the nearest frame (`nearest`, half up)
 * and session positions to the nearest sample; a model read from a frame-based format already
 * holds whole frames, so nothing rounds there in practice.
 */
import type { Clip, MediaSource, Metadata, Timeline, Track as ModelTrack } from '../model/types.js';
import { RationalTime } from '../time/rational-time.js';
import type { ConformResult, Crossfade, Cut, CutEvent, Region, Session, Track } from './types.js';

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
        ...(c.gainAutomation?.length ? { automation: c.gainAutomation.map((g) => ({ t: toNum(g.time.toSamples(sr, 'nearest')), v: g.gainDb })) } : {}),
        meta: { ref },
      };
    });
    // Crossfades: the model lets two clips overlap under a transition; the conform works on
    // playlists (spec §2.3), so each overlapped pair is cut at one point inside the fade (the
    // fade's middle, kept within the overlap) and the overhang is remembered to be restored.
    const crossfades: Crossfade[] = [];
    track.transitions.forEach((tr, k) => {
      const t0 = toNum(tr.start.toSamples(sr, 'nearest'));
      const t1 = t0 + toNum(tr.duration.toSamples(sr, 'nearest'));
      const ia = regions.findIndex((x) => x.start <= t0 && x.end > t0);
      const a = regions[ia];
      const ib = regions.findIndex((x, i) => i !== ia && x.start >= t0 && x.start <= t1);
      const b = regions[ib];
      if (!a || !b) return;
      const mid = Math.floor((t0 + t1) / 2);
      const at = b.start >= a.end ? b.start : Math.min(Math.max(mid, b.start), a.end);
      const tail = a.end - at;
      const head = at - b.start;
      regions[ia] = { ...a, end: at, meta: { ...a.meta, tailOverlap: tail } };
      regions[ib] = {
        ...b, start: at, fileOffset: b.fileOffset + head, meta: { ...b.meta, headOverlap: head },
        ...(b.automation ? { automation: b.automation.map((p) => ({ t: p.t - head, v: p.v })) } : {}),
      };
      crossfades.push({ start: t0, end: t1, at, meta: { transition: k } });
    });
    const automation = track.automation?.map((l) => ({
      param: l.parameter, ...(l.interpolation ? { interpolation: l.interpolation } : {}),
      points: l.points.map((p) => ({ t: toNum(p.time.toSamples(sr, 'nearest')), v: p.value })),
    }));
    tracks.push({ id: `t${ti}`, name: track.name, ...(track.muted ? { muted: true } : {}), regions, ...(crossfades.length ? { crossfades } : {}), ...(automation?.length ? { automation } : {}) });
  });
  return { name: t.name, sampleRate: sr, rate: t.frameRate, startFrame: t.startTimecode.frames, tracks };
}

/**
 * Writes a conform result back into the session timeline: every audio track gets its conformed
 * clips (each keeps the metadata of the clip it came from, and its slice of the clip gain
 * automation), removed lanes become muted audio tracks after their source track, and the guide
 * fill becomes a `CONFORM GUIDE` track. Video tracks and markers are kept as they were. A crossfade
 * survives where both of its clips moved together (the clips overlap under it again, as read);
 * the others were reported as `CROSSFADE_DROPPED`. `media` adds sources the result refers to that
 * the session does not list (the guide WAV of a guide fill).
 */
export function timelineFromResult(session: Timeline, r: ConformResult, media: readonly MediaSource[] = []): Timeline {
  const sr = session.sampleRate;
  const at = (s: number): RationalTime => RationalTime.fromSamples(s, sr);
  const toClip = (reg: Region, fades: ReadonlySet<number> = new Set()): Clip => {
    const meta = reg.meta as { ref?: ClipRef; tailOverlap?: number; headOverlap?: number } | undefined;
    const ref = meta?.ref;
    const orig = ref ? session.tracks[ref.track]?.clips[ref.clip] : undefined;
    const base: Clip = orig ?? { name: reg.name, start: at(0), duration: at(0), sourceStart: at(0), media: { mediaId: reg.file.id }, metadata: {} };
    const { fadeIn: _a, fadeOut: _b, muted: _m, gainAutomation: _g, ...rest } = base;
    // overhang under a surviving crossfade, restored as read
    const head = meta?.headOverlap && fades.has(reg.start) ? meta.headOverlap : 0;
    const tail = meta?.tailOverlap && fades.has(reg.end) ? meta.tailOverlap : 0;
    const auto = reg.automation?.length ? reg.automation.map((p) => ({ time: at(p.t + head), gainDb: p.v })) : undefined;
    return {
      ...rest, name: reg.name, start: at(reg.start - head), duration: at(reg.end - reg.start + head + tail), sourceStart: at(reg.fileOffset - head),
      ...(auto ? { gainAutomation: auto } : {}),
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
    const fades = new Set((ct.crossfades ?? []).map((c) => c.at));
    const transitions = (ct.crossfades ?? []).flatMap((c) => {
      const k = (c.meta as { transition?: number } | undefined)?.transition;
      const tr = k !== undefined ? mt.transitions[k] : undefined;
      return tr ? [{ ...tr, start: at(c.start) }] : [];
    });
    const automation = ct.automation?.map((l) => ({
      parameter: l.param, ...(l.interpolation ? { interpolation: l.interpolation } : {}),
      points: l.points.map((p) => ({ time: at(p.t), value: p.v })),
    }));
    tracks.push({ ...mt, clips: ct.regions.map((x) => toClip(x, fades)), transitions, ...(automation ? { automation } : {}) });
    for (const lane of r.session.tracks) {
      if (lane.name.startsWith(`${mt.name} (conform removed) `) && !used.has(lane.name)) {
        used.add(lane.name);
        const meta: Metadata = { conform: { removedFrom: mt.name } };
        tracks.push({ kind: 'audio', name: lane.name, channels: mt.channels, clips: lane.regions.map((x) => toClip(x)), transitions: [], muted: true, metadata: meta });
      }
    }
  }
  for (const t of r.session.tracks) {
    if (used.has(t.name)) continue;
    tracks.push({ kind: 'audio', name: t.name, channels: 1, clips: t.regions.map((x) => toClip(x)), transitions: [], ...(t.muted ? { muted: true } : {}), metadata: {} });
  }
  const known = new Set(session.media.map((m) => m.id));
  const added = media.filter((m) => !known.has(m.id));
  return { ...session, tracks, ...(added.length ? { media: [...session.media, ...added] } : {}) };
}
