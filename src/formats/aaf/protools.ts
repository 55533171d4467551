/**
 * Pro Tools AAF clean-up (`shared/spec/aaf.md` §8): Pro Tools renders every fade into its own
 * audio file and places it as a clip named "Fade " (localised), and with "quantize edits to frame
 * boundaries" it fills sub-frame gaps with short "Sample accurate edit" clips. These functions
 * turn them back into the fades and continuous clips the session had, where the neighbouring
 * clips' media has the handles to cover them (the same rules LibAAF's aaftool applies with
 * `--pt-true-fades` and `--pt-remove-sae`).
 */
import type { Clip, MediaSource, Track } from '../../model/types.js';
import { RationalTime } from '../../time/rational-time.js';

/** Clip names Pro Tools gives rendered fades, by UI language. */
export const PROTOOLS_FADE_NAMES: readonly string[] = ['Fade ', 'Fondu ', 'Fundido ', '페이드', '淡变 ', '淡變 '];

/** Clip names Pro Tools gives sample-accurate-edit filler clips, by UI language. */
export const PROTOOLS_SAE_NAMES: readonly string[] = [
  'Sample accurate edit', 'Samplegenaue Bearbeitung', 'Edición con precisión de muestra',
  "Modification à l'échantillon près", 'サンプル精度編集', '샘플 단위 정밀 편집', '精确采样编辑', '精確取樣編輯',
];

/** What to do with Pro Tools' rendered fades and sample-accurate edits. */
export interface ProToolsCleanup {
  /** `fades` (default): rendered fade clips become fades and crossfades. `clips`: keep them. */
  readonly renderedFades?: 'fades' | 'clips';
  /** `merge` (default): sample-accurate-edit clips are absorbed by a neighbour. `keep`: keep them. */
  readonly sampleAccurateEdits?: 'merge' | 'keep';
}

interface Work {
  clips: Clip[];
  track: Track;
  media: ReadonlyMap<string, MediaSource>;
}

const end = (c: Clip) => c.start.plus(c.duration);
const touches = (a: Clip, b: Clip) => end(a).equals(b.start);
const nameOf = (w: Work, c: Clip) => (c.media ? w.media.get(c.media.mediaId)?.name : undefined) ?? c.name;
const isFade = (w: Work, c: Clip) => PROTOOLS_FADE_NAMES.includes(nameOf(w, c));
const isSae = (w: Work, c: Clip) => PROTOOLS_SAE_NAMES.includes(nameOf(w, c));

/** Offset of the clip into its media. */
function offsetOf(w: Work, c: Clip): RationalTime {
  const m = c.media ? w.media.get(c.media.mediaId) : undefined;
  return c.sourceStart.minus(m?.start ?? RationalTime.ZERO);
}

/** Media left after the clip's end (undefined when the media length is unknown). */
function tailHandle(w: Work, c: Clip): RationalTime | undefined {
  const m = c.media ? w.media.get(c.media.mediaId) : undefined;
  if (!m?.duration) return undefined;
  return m.duration.minus(offsetOf(w, c)).minus(c.duration);
}

const extendEnd = (c: Clip, by: RationalTime): Clip => ({ ...c, duration: c.duration.plus(by) });
const extendStart = (c: Clip, by: RationalTime): Clip => ({ ...c, start: c.start.minus(by), duration: c.duration.plus(by), sourceStart: c.sourceStart.minus(by) });

/** Absorbs the sample-accurate edit at index `i` into a neighbour; true when it did. */
function removeSae(w: Work, i: number): boolean {
  const sae = w.clips[i] as Clip;
  const prev = w.clips[i - 1];
  if (prev && touches(prev, sae)) {
    const handle = tailHandle(w, prev);
    if (handle && handle.compare(sae.duration) >= 0) {
      w.clips[i - 1] = extendEnd(prev, sae.duration);
      w.clips.splice(i, 1);
      return true;
    }
  }
  const next = w.clips[i + 1];
  if (next && touches(sae, next) && offsetOf(w, next).compare(sae.duration) >= 0) {
    w.clips[i + 1] = extendStart(next, sae.duration);
    w.clips.splice(i, 1);
    return true;
  }
  return false;
}

/**
 * Replaces the rendered fade at index `i` by a fade or crossfade. Returns true when the clip list
 * changed (the fade was replaced, or a sample-accurate edit beside it was absorbed): every change
 * removes a clip, so repeating until nothing changes terminates.
 */
function replaceFade(w: Work, i: number, transitions: Track['transitions'][number][]): boolean {
  let idx = i;
  let changed = false;
  // Sample-accurate edits touching the fade belong to it: absorb them first. Removing the one at
  // idx - 1 moves the fade one place left; removing the one at idx + 1 does not move it.
  const before = w.clips[idx - 1];
  if (before && isSae(w, before) && touches(before, w.clips[idx] as Clip) && removeSae(w, idx - 1)) {
    idx -= 1;
    changed = true;
  }
  const after = w.clips[idx + 1];
  if (after && isSae(w, after) && touches(w.clips[idx] as Clip, after) && removeSae(w, idx + 1)) changed = true;
  const fade = w.clips[idx] as Clip;
  const prev = w.clips[idx - 1];
  const next = w.clips[idx + 1];
  const left = prev && touches(prev, fade) && !isSae(w, prev) && !isFade(w, prev) ? prev : undefined;
  const right = next && touches(fade, next) && !isSae(w, next) && !isFade(w, next) ? next : undefined;
  if (!left && !right) return changed;
  const len = fade.duration;
  if (left) {
    const h = tailHandle(w, left);
    if (!h || h.compare(len) < 0) return changed;
  }
  if (right && offsetOf(w, right).compare(len) < 0) return changed;
  if (left && right) {
    w.clips[idx - 1] = extendEnd(left, len);
    w.clips[idx + 1] = extendStart(right, len);
    transitions.push({ kind: 'crossfade', start: fade.start, duration: len, shape: 'linear', metadata: { aaf: { fromRenderedFade: true } } });
  } else if (right) {
    w.clips[idx + 1] = { ...extendStart(right, len), fadeIn: { duration: len, shape: 'linear' } };
  } else if (left) {
    w.clips[idx - 1] = { ...extendEnd(left, len), fadeOut: { duration: len, shape: 'linear' } };
  }
  w.clips.splice(idx, 1);
  return true;
}

/**
 * Applies the clean-up to one track of a Pro Tools AAF. Clips are processed in order and the scan
 * restarts after every change, so chains of fades and edits resolve fully.
 */
export function cleanUpProToolsTrack(track: Track, media: ReadonlyMap<string, MediaSource>, options: ProToolsCleanup = {}): Track {
  const fades = (options.renderedFades ?? 'fades') === 'fades';
  const sae = (options.sampleAccurateEdits ?? 'merge') === 'merge';
  if (!fades && !sae) return track;
  const w: Work = { clips: [...track.clips], track, media };
  const transitions = [...track.transitions];
  for (let guard = 0; guard < 100_000; guard++) {
    let changed = false;
    for (let i = 0; i < w.clips.length; i++) {
      const c = w.clips[i] as Clip;
      if (fades && isFade(w, c)) changed = replaceFade(w, i, transitions);
      else if (sae && isSae(w, c)) changed = removeSae(w, i);
      if (changed) break;
    }
    if (!changed) break;
  }
  transitions.sort((a, b) => a.start.compare(b.start));
  return { ...track, clips: w.clips, transitions };
}
