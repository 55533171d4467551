/**
 * Checks a timeline for what a reader can produce but a writer or a mixer cannot use: clips that
 * overlap outside a transition, clips that run past their media, clips that name media the
 * timeline does not have, and values that make no sense (negative lengths, unsorted clips).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error, warning } from '../diagnostics/diagnostic.js';
import { Rational } from '../time/rational.js';
import { RationalTime } from '../time/rational-time.js';
import type { Clip, MediaSource, Timeline, Track, Transition } from './types.js';

/** A media source with its start and end worked out once. */
interface MediaInfo {
  readonly source: MediaSource;
  readonly start: RationalTime;
  readonly end?: RationalTime;
}

/**
 * Every problem found in a timeline, as diagnostics whose `path` names the place
 * (`['tracks[2]', 'clips[14]']`). An empty list means the timeline is consistent.
 *
 * Codes: `model/clip-overlap` (warning; two clips of a track share time that no transition
 * covers), `model/clip-past-media` (warning; the clip plays source time after the media's end),
 * `model/clip-before-media` (warning; before the media's start), `model/unknown-media` (error),
 * `model/duplicate-media-id` (error), `model/negative-duration` (error), `model/unsorted-clips`
 * (error), `model/bad-channel` (error; channel outside 1..channels of the media),
 * `model/bad-sample-rate` (error), `model/negative-position` (warning).
 */
export function validate(timeline: Timeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!Number.isSafeInteger(timeline.sampleRate) || timeline.sampleRate <= 0) {
    out.push(error('model/bad-sample-rate', `session sample rate ${timeline.sampleRate} is not a positive integer`, { path: ['sampleRate'] }));
  }
  const media = new Map<string, MediaInfo>();
  timeline.media.forEach((m, i) => {
    if (media.has(m.id)) out.push(error('model/duplicate-media-id', `media id "${m.id}" is used twice`, { path: [`media[${i}]`] }));
    else {
      const start = m.start ?? RationalTime.ZERO;
      media.set(m.id, { source: m, start, ...(m.duration ? { end: start.plus(m.duration) } : {}) });
    }
    if (m.duration?.isNegative()) out.push(error('model/negative-duration', `media "${m.id}" has a negative length`, { path: [`media[${i}]`, 'duration'] }));
  });
  timeline.tracks.forEach((track, ti) => validateTrack(track, ti, media, out));
  timeline.markers.forEach((m, i) => {
    if (m.duration?.isNegative()) out.push(error('model/negative-duration', `marker "${m.name}" has a negative duration`, { path: [`markers[${i}]`, 'duration'] }));
  });
  return out;
}

/** `a + b` as an unreduced fraction (no gcd: validation only compares, and gcd dominates cost). */
interface Sum {
  readonly n: bigint;
  readonly d: bigint;
}

function sum(a: RationalTime, b: RationalTime): Sum {
  const x = a.seconds;
  const y = b.seconds;
  return x.den === y.den ? { n: x.num + y.num, d: x.den } : { n: x.num * y.den + y.num * x.den, d: x.den * y.den };
}

/** Sign of `s - t`. */
function cmpSum(s: Sum, t: RationalTime): number {
  const l = s.n * t.seconds.den;
  const r = t.seconds.num * s.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Sign of `s - u`. */
function cmpSums(s: Sum, u: Sum): number {
  const l = s.n * u.d;
  const r = u.n * s.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

function toTime(s: Sum): RationalTime {
  return RationalTime.fromSeconds(Rational.of(s.n, s.d));
}

function validateTrack(track: Track, ti: number, media: ReadonlyMap<string, MediaInfo>, out: Diagnostic[]): void {
  const tp = `tracks[${ti}]`;
  const clips = track.clips;
  // The latest-ending clip so far: any later clip that starts before its end overlaps it.
  let reach: Clip | undefined;
  let reachIndex = -1;
  let reachEnd: Sum = { n: 0n, d: 1n };
  for (let i = 0; i < clips.length; i++) {
    const c = clips[i] as Clip;
    if (c.duration.isNegative()) out.push(error('model/negative-duration', `clip "${c.name}" has a negative duration ${c.duration} s`, { path: [tp, `clips[${i}]`] }));
    if (c.start.isNegative()) out.push(warning('model/negative-position', `clip "${c.name}" starts before the timeline origin (${c.start} s)`, { path: [tp, `clips[${i}]`] }));
    if (i > 0 && (clips[i - 1] as Clip).start.compare(c.start) > 0) {
      out.push(error('model/unsorted-clips', `clip "${c.name}" starts before the clip listed ahead of it`, { path: [tp, `clips[${i}]`] }));
    }
    const end = sum(c.start, c.duration);
    if (reach && cmpSum(reachEnd, c.start) > 0 && !c.duration.isZero()) {
      const overlapEnd = cmpSums(end, reachEnd) < 0 ? toTime(end) : toTime(reachEnd);
      if (!coveredByTransition(track.transitions, c.start, overlapEnd)) {
        out.push(
          warning('model/clip-overlap', `clip "${c.name}" overlaps clip "${reach.name}" (clips[${reachIndex}]) from ${c.start} s to ${overlapEnd} s`, {
            path: [tp, `clips[${i}]`],
          }),
        );
      }
    }
    if (!reach || cmpSums(end, reachEnd) > 0) {
      reach = c;
      reachIndex = i;
      reachEnd = end;
    }
    if (c.media) checkMedia(c, media, tp, i, out);
  }
  track.automation?.forEach((lane, li) => {
    const lp = [tp, `automation[${li}]`];
    if (lane.points.length === 0) out.push(warning('model/empty-automation', `automation lane "${lane.parameter}" has no points`, { path: lp }));
    lane.points.forEach((p, pi) => {
      if (Number.isNaN(p.value)) out.push(error('model/bad-automation-value', `automation lane "${lane.parameter}" point ${pi} has no value (NaN)`, { path: [...lp, `points[${pi}]`] }));
      const prev = lane.points[pi - 1];
      if (prev && prev.time.compare(p.time) > 0) {
        out.push(error('model/unsorted-automation', `automation lane "${lane.parameter}" point ${pi} (${p.time} s) comes before the point listed ahead of it`, { path: [...lp, `points[${pi}]`] }));
      }
    });
  });
}

function coveredByTransition(transitions: readonly Transition[], from: RationalTime, to: RationalTime): boolean {
  for (const t of transitions) {
    if (t.start.compare(from) <= 0 && t.start.plus(t.duration).compare(to) >= 0) return true;
  }
  return false;
}

function checkMedia(c: Clip, media: ReadonlyMap<string, MediaInfo>, tp: string, i: number, out: Diagnostic[]): void {
  const ref = c.media;
  if (!ref) return;
  const info = media.get(ref.mediaId);
  if (!info) {
    out.push(error('model/unknown-media', `clip "${c.name}" refers to media "${ref.mediaId}", which the timeline does not list`, { path: [tp, `clips[${i}]`] }));
    return;
  }
  const m = info.source;
  if (ref.channel !== undefined && (!Number.isInteger(ref.channel) || ref.channel < 1 || (m.channels !== undefined && ref.channel > m.channels))) {
    out.push(error('model/bad-channel', `clip "${c.name}" plays channel ${ref.channel} of "${m.name}", which has ${m.channels ?? '?'} channels`, { path: [tp, `clips[${i}]`] }));
  }
  if (c.sourceStart.compare(info.start) < 0) {
    out.push(warning('model/clip-before-media', `clip "${c.name}" starts at source ${c.sourceStart} s, before media "${m.name}" begins (${info.start} s)`, { path: [tp, `clips[${i}]`] }));
  }
  if (info.end) {
    const played = c.speed ? c.duration.scaledBy(c.speed) : c.duration;
    // A reverse clip plays backwards from sourceStart; its extent in the source ends at sourceStart.
    const sourceEnd: Sum = played.isNegative() ? { n: c.sourceStart.seconds.num, d: c.sourceStart.seconds.den } : sum(c.sourceStart, played);
    if (cmpSum(sourceEnd, info.end) > 0) {
      const se = toTime(sourceEnd);
      out.push(
        warning('model/clip-past-media', `clip "${c.name}" plays source up to ${se} s, past the end of media "${m.name}" (${info.end} s)`, {
          path: [tp, `clips[${i}]`],
          expected: `<= ${info.end}`,
          received: se.toString(),
        }),
      );
    }
  }
}
