/**
 * Audio-only changes (spec/conform.md §5.9, report only): when the old and new cut lists carry the
 * picture editor's audio events, each new audio event is matched to old audio events of the same
 * key and channel by source range, and its implied delta is compared with the picture map at the
 * same new frames. A disagreement is an `AUDIO_ONLY_CHANGE` row (length 0) for review; the map is
 * never changed by audio.
 */
import { baseKey, isBlack, rawKey } from './normalize.js';
import type { ConformOptions, Cut, CutEvent, Frame, MapEntry } from './types.js';

/** An audio-only finding, before it becomes a change row. */
export interface AudioOnlyFinding {
  /** New frame where the audio event (or the disagreeing part of it) starts. */
  readonly anchor: Frame;
  /** Key label of the new audio event. */
  readonly key: string;
  /** `sync slipped -2 frames on A` / `take swapped: B001 -> B001T2 on A2`. */
  readonly detail: string;
}

/** True for audio channel fields: `A`, `A2`, `AA`, `B` (audio and video)…, not `V`. */
function isAudio(track: string): boolean {
  const t = track.trim().toUpperCase();
  return t === 'B' || (/A/.test(t) && !/V/.test(t));
}

interface AudioEvent { readonly e: CutEvent; readonly key: string; readonly channel: string }

function audioEvents(cut: Cut, o: ConformOptions): AudioEvent[] {
  return cut.events
    .filter((e) => isAudio(e.track) && !isBlack(e.reel) && e.recOut > e.recIn)
    .map((e) => ({ e, key: baseKey(rawKey(e, o), o), channel: e.track.trim().toUpperCase() === 'B' ? 'A' : e.track.trim().toUpperCase() }));
}

/** The delta of the match/bridge entry that covers new frame `f`, or undefined (insert, gap, outside). */
function pictureDelta(entries: readonly MapEntry[], f: Frame): number | undefined {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if ((entries[mid] as MapEntry).new[1] <= f) lo = mid + 1; else hi = mid; }
  const e = entries[lo];
  return e && e.new[0] <= f && e.delta !== undefined ? e.delta : undefined;
}

/**
 * Compares the audio events of two cuts with the picture map (spec §5.9). For each new audio
 * event: if an old audio event of the same key and channel overlaps it in source and its implied
 * delta equals the picture delta there, nothing is reported; if such events exist but all disagree,
 * the smallest disagreement is reported as a sync slip (`audio delta − picture delta`, frames;
 * negative = audio earlier than its picture); if none exists but the picture-mapped old frames
 * played another audio source on that channel, it is a take swap. New audio under new picture
 * (insert, gap) is not an audio-only change.
 */
export function audioOnlyChanges(oldCut: Cut, newCut: Cut, entries: readonly MapEntry[], o: ConformOptions): AudioOnlyFinding[] {
  const olds = audioEvents(oldCut, o);
  const news = audioEvents(newCut, o);
  if (olds.length === 0 || news.length === 0) return [];
  const out: AudioOnlyFinding[] = [];
  for (const n of news) {
    const label = n.e.clipName ?? n.e.reel;
    const d = pictureDelta(entries, n.e.recIn);
    if (d === undefined) continue;
    let best: number | undefined;
    let consistent = false;
    for (const x of olds) {
      if (x.channel !== n.channel || x.key !== n.key) continue;
      const s0 = Math.max(x.e.srcIn, n.e.srcIn);
      const s1 = Math.min(x.e.srcOut, n.e.srcOut);
      if (s1 <= s0) continue;
      const dA = (n.e.recIn + (s0 - n.e.srcIn)) - (x.e.recIn + (s0 - x.e.srcIn));
      const dP = pictureDelta(entries, n.e.recIn + (s0 - n.e.srcIn));
      if (dP === undefined) continue;
      if (dA === dP) { consistent = true; break; }
      if (best === undefined || Math.abs(dA - dP) < Math.abs(best)) best = dA - dP;
    }
    if (consistent) continue;
    if (best !== undefined) {
      out.push({ anchor: n.e.recIn, key: label, detail: `sync slipped ${best > 0 ? '+' : ''}${best} frames on ${n.channel}` });
      continue;
    }
    const old0 = n.e.recIn - d;
    const was = olds.find((x) => x.channel === n.channel && x.e.recIn <= old0 && x.e.recOut > old0);
    if (was) {
      out.push({ anchor: n.e.recIn, key: label, detail: `take swapped: ${was.e.clipName ?? was.e.reel} -> ${label} on ${n.channel}` });
    }
  }
  return out;
}
