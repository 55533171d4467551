/**
 * Compares a submitted timeline with an expected one by content, not region by region
 * (spec/conform.md §10.2): a clip is "which media sample plays at which time", so each clip lies
 * on a **sync line** `L = start − fileOffset` (the absolute time where the media's sample 0 would
 * play). Two clips carry the same material in sync when they play the same media, their media
 * ranges overlap and their `L` agree; the sync error is `Δ = L_actual − L_expected` (positive =
 * late). Students may split, join or rename regions freely: the submitted side is merged into
 * continuous runs per track, media and `L` before matching, and each expected clip is judged
 * against those runs.
 *
 * Verdicts per expected clip (spec §10.4, in this order):
 * - `match`: at least `coverage` of the clip is present in sync (|Δ| ≤ `tolerance`) on the mapped track;
 * - `wrong-track`: present in sync, but on another track;
 * - `offset`: at least half of it present at one Δ within `searchWindow` (credit 0.5 when
 *   |Δ| ≤ `warnTolerance`, else 0); the measured Δ is the evidence;
 * - `missing`: less than that (credit = the fraction present in sync);
 * - `wrong-media`: missing, and other media plays in its place on the mapped track.
 * Submitted material that no expected clip explains is `extra`. Markers are matched by position
 * ({@link matchPoints}). Output order is deterministic: tracks in expected order, clips by time.
 *
 * Everything is exact: times are {@link Rational} seconds since label midnight.
 */
import type { Clip, MediaSource, Timeline, Track, TrackKind } from '../model/types.js';
import { parseTimeValue } from '../formats/protools/text/time-values.js';
import { Rational } from '../time/rational.js';
import { RationalTime } from '../time/rational-time.js';
import { labelToFrames } from '../time/timecode.js';
import { absolute, describeOffset, label, normaliseName, toleranceSeconds, within, type GradeClock, type Tolerance } from './evidence.js';
import { matchPoints, type Point } from './points.js';
import type { CheckItem, ItemVerdict } from './types.js';

/** Options of {@link compare}. Defaults follow spec/conform.md §10.3. */
export interface CompareOptions {
  /** In sync: |Δ| at most this. Default ½ frame (`syncPass`). */
  readonly tolerance?: Tolerance;
  /** Half credit for an offset at most this. Default 1 frame (`syncWarn`). */
  readonly warnTolerance?: Tolerance;
  /** Beyond this an offset is not looked for (the clip is missing). Default 10 s. */
  readonly searchWindow?: Tolerance;
  /** Fraction of a clip that must be present in sync for `match`. Default 0.95. */
  readonly coverage?: number;
  /** Credit for a clip in sync on the wrong track. Default 0.5. */
  readonly wrongTrackCredit?: number;
  /** Marker position tolerance. Default: `tolerance`. */
  readonly markerTolerance?: Tolerance;
  /** Compare markers too. Default true. */
  readonly markers?: boolean;
  /** Ignore muted clips on both sides. Default false. */
  readonly ignoreMuted?: boolean;
  /** Extra material shorter than this is not reported (crossfade handles). Default: `tolerance`. */
  readonly extraMinimum?: Tolerance;
  /** Which tracks take part. Default audio only (grading); `dubstage diff` compares video too. Clips only match clips of the same kind. */
  readonly trackKinds?: readonly TrackKind[];
}

/** One verdict of {@link compare}. */
export interface CompareItem extends CheckItem {
  readonly kind: 'clip' | 'marker';
  /** Expected track name (submitted track for `extra`). */
  readonly track?: string;
  /** The submitted track the material was found on, when it is not the mapped one (and for `extra`). */
  readonly actualTrack?: string;
  /** Expected start and end (absolute seconds), for pictures of the difference. */
  readonly expectedRange?: readonly [Rational, Rational];
  /** Where the submitted material plays (absolute seconds). */
  readonly actualRange?: readonly [Rational, Rational];
}

/** What {@link compare} returns. */
export interface CompareResult {
  readonly items: readonly CompareItem[];
  /** Count of items per verdict. */
  readonly summary: Readonly<Record<ItemVerdict, number>>;
  /** Expected track name → submitted track name, as mapped (§10.2 step 1). */
  readonly trackMap: Readonly<Record<string, string | null>>;
  /** Number of expected items (clips and markers): the denominator of a score. */
  readonly expectedCount: number;
  /** Sum of credit over expected items. */
  readonly credit: number;
}

/** A clip on a sync line: media key, absolute L, media range [fileStart, fileEnd) in seconds. */
interface Piece {
  readonly track: number;
  readonly key: string;
  readonly mediaName: string;
  readonly L: Rational;
  readonly fileStart: Rational;
  readonly fileEnd: Rational;
  readonly name: string;
}

interface Contribution {
  readonly piece: number;
  readonly delta: Rational;
  readonly overlapStart: Rational;
  readonly overlapEnd: Rational;
}

function baseName(s: string): string {
  const b = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'), s.lastIndexOf(':')) + 1);
  let d = b;
  try {
    d = decodeURIComponent(b);
  } catch {
    // not percent-encoded
  }
  return d;
}

const KEYS = new WeakMap<MediaSource, { key: string; name: string }>();

/** A media identity that survives format changes: the file's base name without extension, lower case (and the channel). */
export function mediaKey(source: MediaSource | undefined, clip: Clip): { key: string; name: string } {
  if (!source) {
    if (clip.media) return { key: 'id:' + clip.media.mediaId.toLowerCase(), name: clip.media.mediaId };
    return { key: 'clip:' + normaliseName(clip.name), name: clip.name };
  }
  let base = KEYS.get(source);
  if (!base) {
    const name = baseName(source.url ?? source.name) || source.name;
    base = { key: name.toLowerCase().replace(/\.(wav|wave|bwf|aif|aiff|mxf|mp3|flac|caf)$/, ''), name };
    KEYS.set(source, base);
  }
  return clip.media?.channel !== undefined ? { key: base.key + '#' + clip.media.channel, name: base.name } : base;
}

/**
 * Where a clip's first sample sits in its media file (seconds from the file's first sample):
 * `sourceStart − media.start`. A Pro Tools text clip (whose reader leaves `sourceStart` at 0)
 * carries its source time in the user time stamp column, an absolute time that spec/conform.md
 * §10.1 takes as the clip's original source time (spec §12 question 2); its file start comes from
 * the media's own `start`, else from the other timeline's media of the same file (the reference
 * session knows the BWF time references a text export omits), else 0.
 */
function fileOffset(clip: Clip, source: MediaSource | undefined, borrowedStart: Rational | undefined, clock: GradeClock): Rational {
  const pt = clip.metadata['pt-text'] as { timestamp?: string } | undefined;
  if (pt && typeof pt.timestamp === 'string' && clip.sourceStart.isZero()) {
    const v = parseTimeValue(pt.timestamp.trim());
    let stamp: Rational | undefined;
    if (v?.format === 'timecode') {
      const frames = labelToFrames(v.hours, v.minutes, v.seconds, v.frames, clock.rate);
      stamp = RationalTime.fromFrames(frames, clock.rate).seconds.plus(Rational.of(v.subframes ?? 0, 100).times(clock.rate.frameDuration));
    } else if (v?.format === 'samples') stamp = Rational.of(v.samples, BigInt(clock.sampleRate));
    if (stamp) return stamp.minus(source?.start?.seconds ?? borrowedStart ?? Rational.ZERO);
  }
  return clip.sourceStart.seconds.minus(source?.start?.seconds ?? Rational.ZERO);
}

/** Media start times (seconds) by media key, for {@link fileOffset}'s borrowing. */
function mediaStarts(t: Timeline): Map<string, Rational> {
  const out = new Map<string, Rational>();
  const media = new Map(t.media.map((m) => [m.id, m]));
  for (const tr of t.tracks) {
    for (const c of tr.clips) {
      const src = c.media ? media.get(c.media.mediaId) : undefined;
      if (src?.start) out.set(mediaKey(src, c).key, src.start.seconds);
    }
  }
  return out;
}

function piecesOf(t: Timeline, clock: GradeClock, ignoreMuted: boolean, borrowed: ReadonlyMap<string, Rational>, kinds: ReadonlySet<TrackKind>): { pieces: Piece[]; perTrack: Piece[][] } {
  const media = new Map(t.media.map((m) => [m.id, m]));
  const pieces: Piece[] = [];
  const perTrack: Piece[][] = [];
  t.tracks.forEach((track, ti) => {
    const list: Piece[] = [];
    if (kinds.has(track.kind)) {
      for (const c of track.clips) {
        if (c.duration.isZero() || (ignoreMuted && (c.muted || track.muted))) continue;
        const src = c.media ? media.get(c.media.mediaId) : undefined;
        const { key, name } = mediaKey(src, c);
        const off = fileOffset(c, src, borrowed.get(key), clock);
        const start = absolute(t.startTimecode, c.start);
        // Picture and sound of one reel are different material: video keys never meet audio keys.
        list.push({ track: ti, key: track.kind === 'audio' ? key : `${track.kind}:${key}`, mediaName: name, L: start.minus(off), fileStart: off, fileEnd: off.plus(c.duration.seconds), name: c.name });
      }
    }
    perTrack.push(list);
    pieces.push(...list);
  });
  return { pieces, perTrack };
}

/** Joins runs of one track, media and L whose media ranges touch or overlap (split regions). */
function mergeRuns(pieces: readonly Piece[]): Piece[] {
  const groups = new Map<string, Piece[]>();
  for (const p of pieces) {
    const g = `${p.track}\u0000${p.key}\u0000${p.L.toString()}`;
    const list = groups.get(g);
    if (list) list.push(p);
    else groups.set(g, [p]);
  }
  const out: Piece[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => Rational.compare(a.fileStart, b.fileStart));
    let cur = list[0] as Piece;
    for (let i = 1; i < list.length; i++) {
      const p = list[i] as Piece;
      if (p.fileStart.compare(cur.fileEnd) <= 0) {
        if (p.fileEnd.compare(cur.fileEnd) > 0) cur = { ...cur, fileEnd: p.fileEnd, name: cur.name === p.name ? cur.name : `${cur.name} + ${p.name}` };
      } else {
        out.push(cur);
        cur = p;
      }
    }
    out.push(cur);
  }
  out.sort((a, b) => a.track - b.track || Rational.compare(a.L.plus(a.fileStart), b.L.plus(b.fileStart)) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

/** Intervals sorted by start with a running maximum of ends, for "which intervals overlap [s, e)". */
class IntervalIndex {
  private readonly starts: Rational[];
  private readonly maxEnd: Rational[];
  constructor(readonly items: readonly number[], start: (i: number) => Rational, private readonly end: (i: number) => Rational) {
    const sorted = [...items].sort((a, b) => Rational.compare(start(a), start(b)) || a - b);
    this.items = sorted;
    this.starts = sorted.map(start);
    this.maxEnd = [];
    let m: Rational | undefined;
    for (const i of sorted) {
      const e = end(i);
      m = m === undefined || e.compare(m) > 0 ? e : m;
      this.maxEnd.push(m);
    }
  }
  /** Items whose [start, end) overlaps [s, e). */
  overlapping(s: Rational, e: Rational): number[] {
    // First index whose running max end is past s: nothing before it can overlap.
    let lo = 0;
    let hi = this.maxEnd.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.maxEnd[mid] as Rational).compare(s) > 0) hi = mid;
      else lo = mid + 1;
    }
    const out: number[] = [];
    for (let k = lo; k < this.items.length && (this.starts[k] as Rational).compare(e) < 0; k++) {
      const i = this.items[k] as number;
      if (this.end(i).compare(s) > 0) out.push(i);
    }
    return out;
  }
}

const VERDICTS: readonly ItemVerdict[] = ['match', 'offset', 'missing', 'extra', 'wrong-media', 'wrong-track', 'wrong-value', 'fail'];

function emptySummary(): Record<ItemVerdict, number> {
  return Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<ItemVerdict, number>;
}

function sumLen(cs: readonly Contribution[]): Rational {
  let s = Rational.ZERO;
  for (const c of cs) s = s.plus(c.overlapEnd.minus(c.overlapStart));
  return s;
}

/** The Δ carrying the most material (ties: smaller |Δ|, then late before early). */
function dominantDelta(cs: readonly Contribution[]): { delta: Rational; len: Rational } | undefined {
  const by = new Map<string, { delta: Rational; len: Rational }>();
  for (const c of cs) {
    const k = c.delta.toString();
    const cur = by.get(k);
    const len = c.overlapEnd.minus(c.overlapStart);
    by.set(k, { delta: c.delta, len: cur ? cur.len.plus(len) : len });
  }
  let best: { delta: Rational; len: Rational } | undefined;
  for (const v of by.values()) {
    if (!best) best = v;
    else {
      const c = v.len.compare(best.len) || -v.delta.abs().compare(best.delta.abs()) || v.delta.compare(best.delta);
      if (c > 0) best = v;
    }
  }
  return best;
}

/** Fraction `len / total` as a number in [0, 1] (for credit and reports only). */
function fraction(len: Rational, total: Rational): number {
  if (total.isZero()) return 1;
  return Math.min(1, len.dividedBy(total).toNumber());
}

function trackName(t: Timeline, i: number): string {
  return (t.tracks[i] as Track).name;
}

/**
 * Compares `actual` with `expected` (see the module comment). The clock for labels and tolerances
 * is the expected timeline's frame rate and sample rate. Pure and deterministic.
 */
export function compare(expected: Timeline, actual: Timeline, options: CompareOptions = {}): CompareResult {
  const clock: GradeClock = { rate: expected.frameRate, sampleRate: expected.sampleRate };
  const tol = toleranceSeconds(options.tolerance ?? { value: 0.5, unit: 'frames' }, clock);
  const warn = toleranceSeconds(options.warnTolerance ?? { value: 1, unit: 'frames' }, clock);
  const window = toleranceSeconds(options.searchWindow ?? { value: 10, unit: 'seconds' }, clock);
  const extraMin = options.extraMinimum ? toleranceSeconds(options.extraMinimum, clock) : tol;
  const coverage = options.coverage ?? 0.95;
  const wrongTrackCredit = options.wrongTrackCredit ?? 0.5;
  const ignoreMuted = options.ignoreMuted ?? false;

  const kinds = new Set<TrackKind>(options.trackKinds ?? ['audio']);
  const exp = piecesOf(expected, clock, ignoreMuted, mediaStarts(actual), kinds);
  const act = mergeRuns(piecesOf(actual, clock, ignoreMuted, mediaStarts(expected), kinds).pieces);
  const byKey = new Map<string, number[]>();
  act.forEach((p, i) => {
    const l = byKey.get(p.key);
    if (l) l.push(i);
    else byKey.set(p.key, [i]);
  });
  const fileIndex = new Map<string, IntervalIndex>();
  for (const [k, list] of byKey) fileIndex.set(k, new IntervalIndex(list, (i) => (act[i] as Piece).fileStart, (i) => (act[i] as Piece).fileEnd));

  // Every expected clip's overlapping submitted material within the search window.
  const contributions: Contribution[][] = exp.pieces.map((e) => {
    const idx = fileIndex.get(e.key);
    if (!idx) return [];
    const out: Contribution[] = [];
    for (const i of idx.overlapping(e.fileStart, e.fileEnd)) {
      const p = act[i] as Piece;
      const delta = p.L.minus(e.L);
      if (!within(delta, window)) continue;
      out.push({ piece: i, delta, overlapStart: Rational.max(e.fileStart, p.fileStart), overlapEnd: Rational.min(e.fileEnd, p.fileEnd) });
    }
    return out;
  });

  // §10.2 step 1: tracks by normalised name, then the rest greedily by in-sync overlap.
  const trackMap = new Map<number, number>();
  const usedActual = new Set<number>();
  expected.tracks.forEach((t, ei) => {
    if (!kinds.has(t.kind)) return;
    const n = normaliseName(t.name);
    const ai = actual.tracks.findIndex((a, k) => a.kind === t.kind && !usedActual.has(k) && normaliseName(a.name) === n);
    if (ai >= 0) {
      trackMap.set(ei, ai);
      usedActual.add(ai);
    }
  });
  const overlapByPair = new Map<string, { e: number; a: number; len: Rational }>();
  exp.pieces.forEach((e, k) => {
    if (trackMap.has(e.track)) return;
    for (const c of contributions[k] as Contribution[]) {
      if (!within(c.delta, tol)) continue;
      const a = (act[c.piece] as Piece).track;
      if (usedActual.has(a)) continue;
      const key = `${e.track}:${a}`;
      const cur = overlapByPair.get(key);
      const len = c.overlapEnd.minus(c.overlapStart);
      overlapByPair.set(key, { e: e.track, a, len: cur ? cur.len.plus(len) : len });
    }
  });
  const pairs = [...overlapByPair.values()].sort((x, y) => y.len.compare(x.len) || trackName(expected, x.e).localeCompare(trackName(expected, y.e)) || trackName(actual, x.a).localeCompare(trackName(actual, y.a)) || x.e - y.e || x.a - y.a);
  for (const p of pairs) {
    if (trackMap.has(p.e) || usedActual.has(p.a)) continue;
    trackMap.set(p.e, p.a);
    usedActual.add(p.a);
  }

  const explained: [Rational, Rational][][] = act.map(() => []);
  const explain = (cs: readonly Contribution[]): void => {
    for (const c of cs) explained[c.piece]?.push([c.overlapStart, c.overlapEnd]);
  };
  const actTrackIndex = new Map<number, IntervalIndex>();
  const tlStart = (i: number): Rational => (act[i] as Piece).L.plus((act[i] as Piece).fileStart);
  const tlEnd = (i: number): Rational => (act[i] as Piece).L.plus((act[i] as Piece).fileEnd);
  const items: CompareItem[] = [];
  const summary = emptySummary();
  let credit = 0;

  exp.pieces.forEach((e, k) => {
    const cs = contributions[k] as Contribution[];
    const len = e.fileEnd.minus(e.fileStart);
    const eStart = e.L.plus(e.fileStart);
    const eEnd = e.L.plus(e.fileEnd);
    const mapped = trackMap.get(e.track);
    const tName = trackName(expected, e.track);
    const who = `${tName} '${e.name}'`;
    const expLabel = label(eStart, clock);
    const onMapped = cs.filter((c) => (act[c.piece] as Piece).track === mapped);
    const syncMapped = onMapped.filter((c) => within(c.delta, tol));
    const base = { kind: 'clip' as const, id: `${tName}/${e.name}@${expLabel}`, track: tName, expectedRange: [eStart, eEnd] as const };
    let item: CompareItem;
    const covMapped = fraction(sumLen(syncMapped), len);
    if (covMapped >= coverage && syncMapped.length > 0) {
      explain(syncMapped);
      const d = dominantDelta(syncMapped)?.delta ?? Rational.ZERO;
      const off = d.isZero() ? undefined : describeOffset(d, clock);
      item = {
        ...base, verdict: 'match', credit: 1,
        feedback: off ? `${who} at ${expLabel} is in sync within tolerance (${off.words}).` : `${who} at ${expLabel} is in sync.`,
        evidence: { expected: expLabel, actual: label(eStart.plus(d), clock), ...(off ? { delta: off.delta } : {}), detail: { media: e.mediaName, coverage: Math.round(covMapped * 1000) / 10 } },
        actualRange: [eStart.plus(d), eEnd.plus(d)],
      };
    } else {
      // In sync elsewhere?
      const syncOther = new Map<number, Contribution[]>();
      for (const c of cs) {
        const a = (act[c.piece] as Piece).track;
        if (a === mapped || !within(c.delta, tol)) continue;
        const l = syncOther.get(a) ?? [];
        l.push(c);
        syncOther.set(a, l);
      }
      let bestOther: { a: number; cs: Contribution[]; len: Rational } | undefined;
      for (const [a, l] of [...syncOther].sort((x, y) => x[0] - y[0])) {
        const s = sumLen(l);
        if (!bestOther || s.compare(bestOther.len) > 0) bestOther = { a, cs: l, len: s };
      }
      const offsetCands = onMapped.filter((c) => !within(c.delta, tol));
      let dom = dominantDelta(offsetCands);
      let domTrack = mapped;
      if (!dom || fraction(dom.len, len) < 0.5) {
        const elsewhere = cs.filter((c) => (act[c.piece] as Piece).track !== mapped && !within(c.delta, tol));
        const d2 = dominantDelta(elsewhere);
        if (d2 && fraction(d2.len, len) >= 0.5) {
          dom = d2;
          const first = elsewhere.find((c) => c.delta.equals(d2.delta));
          domTrack = first ? (act[first.piece] as Piece).track : undefined;
        }
      }
      if (bestOther && fraction(bestOther.len, len) >= coverage) {
        explain(bestOther.cs);
        const other = trackName(actual, bestOther.a);
        item = {
          ...base, verdict: 'wrong-track', credit: wrongTrackCredit,
          feedback: `${who} at ${expLabel} is in sync but on track '${other}'; expected on '${tName}'${mapped !== undefined && trackName(actual, mapped) !== tName ? ` (submitted as '${trackName(actual, mapped)}')` : ''}.`,
          evidence: { expected: tName, actual: other, detail: { media: e.mediaName, at: expLabel } },
          actualRange: [eStart, eEnd], actualTrack: other,
        };
      } else if (dom && fraction(dom.len, len) >= 0.5) {
        const d = dom.delta;
        explain(cs.filter((c) => c.delta.equals(d) && (act[c.piece] as Piece).track === domTrack));
        explain(syncMapped);
        const off = describeOffset(d, clock);
        const actLabel = label(eStart.plus(d), clock);
        const otherTrack = domTrack !== undefined && domTrack !== mapped ? trackName(actual, domTrack) : undefined;
        const c = within(d, warn) ? 0.5 : 0;
        item = {
          ...base, verdict: 'offset', credit: c,
          feedback: `${who} is ${off.words}: ${actLabel}, expected ${expLabel}${otherTrack ? ` (and on track '${otherTrack}')` : ''}.`,
          evidence: { expected: expLabel, actual: actLabel, delta: off.delta, detail: { media: e.mediaName, coverage: Math.round(fraction(dom.len, len) * 1000) / 10, ...(otherTrack ? { track: otherTrack } : {}) } },
          actualRange: [eStart.plus(d), eEnd.plus(d)],
          ...(otherTrack ? { actualTrack: otherTrack } : {}),
        };
      } else {
        explain(syncMapped);
        // Other media where this clip should play?
        let wrong: Piece | undefined;
        if (mapped !== undefined) {
          let idx = actTrackIndex.get(mapped);
          if (!idx) {
            idx = new IntervalIndex(act.map((_, i) => i).filter((i) => (act[i] as Piece).track === mapped), tlStart, tlEnd);
            actTrackIndex.set(mapped, idx);
          }
          let bestLen: Rational | undefined;
          for (const i of idx.overlapping(eStart, eEnd)) {
            const p = act[i] as Piece;
            if (p.key === e.key) continue;
            const ov = Rational.min(eEnd, tlEnd(i)).minus(Rational.max(eStart, tlStart(i)));
            if (!bestLen || ov.compare(bestLen) > 0) {
              bestLen = ov;
              wrong = p;
              // Its material here is accounted for by this verdict, not reported again as extra.
              (explained[i] as [Rational, Rational][]).push([Rational.max(eStart, tlStart(i)).minus(p.L), Rational.min(eEnd, tlEnd(i)).minus(p.L)]);
            }
          }
        }
        const present = covMapped;
        if (wrong && present < 0.5) {
          item = {
            ...base, verdict: 'wrong-media', credit: 0,
            feedback: `${who} at ${expLabel} plays '${wrong.mediaName}' instead of '${e.mediaName}'.`,
            evidence: { expected: e.mediaName, actual: wrong.mediaName, detail: { at: expLabel } },
          };
        } else {
          const pct = Math.round(present * 1000) / 10;
          item = {
            ...base, verdict: 'missing', credit: present,
            feedback: present > 0 ? `${who} at ${expLabel} is only ${pct}% present in sync.` : `${who} at ${expLabel} ('${e.mediaName}') is missing.`,
            evidence: { expected: expLabel, detail: { media: e.mediaName, coverage: pct } },
          };
        }
      }
    }
    items.push(item);
    summary[item.verdict]++;
    credit += item.credit;
  });

  // Submitted material no expected clip explains.
  act.forEach((p, i) => {
    const ex = (explained[i] as [Rational, Rational][]).sort((a, b) => Rational.compare(a[0], b[0]));
    let cursor = p.fileStart;
    const gaps: [Rational, Rational][] = [];
    for (const [s, e] of ex) {
      if (s.compare(cursor) > 0) gaps.push([cursor, Rational.min(s, p.fileEnd)]);
      if (e.compare(cursor) > 0) cursor = e;
    }
    if (cursor.compare(p.fileEnd) < 0) gaps.push([cursor, p.fileEnd]);
    for (const [s, e] of gaps) {
      if (e.minus(s).compare(extraMin) <= 0) continue;
      const t = trackName(actual, p.track);
      const at = label(p.L.plus(s), clock);
      const end = label(p.L.plus(e), clock);
      items.push({
        kind: 'clip', id: `extra ${t}/${p.name}@${at}`, track: t, actualTrack: t, verdict: 'extra', credit: 0,
        feedback: `Track '${t}' plays '${p.mediaName}' (${p.name}) at ${at}–${end}, which the expected session does not have there.`,
        evidence: { actual: at, detail: { media: p.mediaName, end, track: t } },
        actualRange: [p.L.plus(s), p.L.plus(e)],
      });
      summary.extra++;
    }
  });

  let expectedCount = exp.pieces.length;
  if (options.markers ?? true) {
    const mTol = options.markerTolerance ? toleranceSeconds(options.markerTolerance, clock) : tol;
    const toPoints = (t: Timeline): Point[] => t.markers.map((m, i) => ({ id: String(i + 1), position: absolute(t.startTimecode, m.position), name: m.name, fields: {} }));
    const ep = toPoints(expected);
    const ap = toPoints(actual);
    const pairs = matchPoints(ep, ap, { window, tolerance: mTol, by: 'position', nameFreeWithin: warn });
    for (const pr of pairs) {
      const e = pr.expected !== undefined ? ep[pr.expected] : undefined;
      const a = pr.actual !== undefined ? ap[pr.actual] : undefined;
      let item: CompareItem;
      if (e && a) {
        const d = a.position.minus(e.position);
        const el = label(e.position, clock);
        const al = label(a.position, clock);
        const ok = within(d, mTol);
        const off = describeOffset(d, clock);
        item = {
          kind: 'marker', id: `marker ${e.id} '${e.name}'`, verdict: ok ? 'match' : 'offset', credit: ok ? 1 : within(d, warn) ? 0.5 : 0,
          feedback: ok ? `Marker '${e.name}' at ${el} is placed correctly.` : `Marker '${e.name}' is ${off.words}: ${al}, expected ${el}.`,
          evidence: { expected: el, actual: al, ...(d.isZero() ? {} : { delta: off.delta }), detail: { name: a.name } },
          expectedRange: [e.position, e.position], actualRange: [a.position, a.position],
        };
      } else if (e) {
        const el = label(e.position, clock);
        item = { kind: 'marker', id: `marker ${e.id} '${e.name}'`, verdict: 'missing', credit: 0, feedback: `Marker '${e.name}' at ${el} is missing.`, evidence: { expected: el }, expectedRange: [e.position, e.position] };
      } else {
        const x = a as Point;
        const al = label(x.position, clock);
        item = { kind: 'marker', id: `extra marker '${x.name}'@${al}`, verdict: 'extra', credit: 0, feedback: `Marker '${x.name}' at ${al} is not expected.`, evidence: { actual: al }, actualRange: [x.position, x.position] };
      }
      items.push(item);
      summary[item.verdict]++;
      credit += item.credit;
    }
    expectedCount += ep.length;
  }
  const map: Record<string, string | null> = {};
  expected.tracks.forEach((t, i) => {
    if (kinds.has(t.kind)) map[t.name] = trackMap.has(i) ? trackName(actual, trackMap.get(i) as number) : null;
  });
  return { items, summary, trackMap: map, expectedCount, credit };
}
