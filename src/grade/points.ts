/**
 * Pairs expected and submitted points in time (markers, spotting notes, ADR cues) for grading.
 *
 * Matching is a deterministic greedy assignment: all candidate pairs within the search window are
 * ranked and taken best first, each point used at most once. With `by: 'key'` points that carry
 * the same key (a cue number) pair first, whatever their distance; the rest pair by position. Among
 * candidates a pair within tolerance and with the same name ranks first, then the nearer pair, then
 * the earlier expected point, so the result does not depend on input order beyond ties in time.
 * Beyond `nameFreeWithin` only same-name pairs form (a far point with another name is not the same cue).
 */
import { Rational } from '../time/rational.js';
import { normaliseName } from './evidence.js';

/** A point to match: absolute time (seconds since label midnight), a name and free fields. */
export interface Point {
  /** Shown in reports: a cue number or an ordinal. */
  readonly id: string;
  readonly position: Rational;
  readonly name: string;
  /** Cue number (for `by: 'key'`), character, line, reason… */
  readonly key?: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** One pairing: an expected point with a submitted one, or either alone (missing / extra). */
export interface PointPair {
  readonly expected?: number;
  readonly actual?: number;
}

/** Options of {@link matchPoints}. */
export interface MatchPointsOptions {
  /** Pairs farther apart than this (seconds) are not made. */
  readonly window: Rational;
  /** Pairs within this rank before farther ones regardless of name. */
  readonly tolerance: Rational;
  /** `key`: same key first (cue numbers); `position`: by time and name only. */
  readonly by: 'key' | 'position';
  /**
   * Farther apart than this, a pair forms only when the names agree (a moved marker); otherwise
   * the two stay apart as missing and extra. Default: the window (any pair within it).
   */
  readonly nameFreeWithin?: Rational;
}

/**
 * Pairs `expected` with `actual`. Returns every expected point once (in expected order, paired or
 * not) followed by unpaired submitted points in time order.
 */
export function matchPoints(expected: readonly Point[], actual: readonly Point[], options: MatchPointsOptions): PointPair[] {
  const pairOf = new Array<number | undefined>(expected.length).fill(undefined);
  const used = new Set<number>();
  if (options.by === 'key') {
    const byKey = new Map<string, number[]>();
    actual.forEach((a, i) => {
      if (a.key === undefined || a.key.trim() === '') return;
      const k = normaliseName(a.key);
      const l = byKey.get(k) ?? [];
      l.push(i);
      byKey.set(k, l);
    });
    expected.forEach((e, i) => {
      if (e.key === undefined || e.key.trim() === '') return;
      const l = byKey.get(normaliseName(e.key));
      const j = l?.find((x) => !used.has(x));
      if (j !== undefined) {
        pairOf[i] = j;
        used.add(j);
      }
    });
  }
  // Candidate pairs by position: both lists sorted by time, a sliding window.
  const eOrder = expected.map((_, i) => i).filter((i) => pairOf[i] === undefined).sort((a, b) => Rational.compare((expected[a] as Point).position, (expected[b] as Point).position) || a - b);
  const aOrder = actual.map((_, i) => i).filter((i) => !used.has(i)).sort((a, b) => Rational.compare((actual[a] as Point).position, (actual[b] as Point).position) || a - b);
  const cands: { e: number; a: number; dist: Rational; rank: number }[] = [];
  let lo = 0;
  for (const ei of eOrder) {
    const ep = (expected[ei] as Point).position;
    while (lo < aOrder.length && (actual[aOrder[lo] as number] as Point).position.compare(ep.minus(options.window)) < 0) lo++;
    for (let k = lo; k < aOrder.length; k++) {
      const ai = aOrder[k] as number;
      const ap = (actual[ai] as Point).position;
      if (ap.compare(ep.plus(options.window)) > 0) break;
      const dist = ap.minus(ep).abs();
      const sameName = normaliseName((expected[ei] as Point).name) === normaliseName((actual[ai] as Point).name);
      const near = dist.compare(options.tolerance) <= 0;
      if (!sameName && options.nameFreeWithin && dist.compare(options.nameFreeWithin) > 0) continue;
      cands.push({ e: ei, a: ai, dist, rank: (near ? 0 : 2) + (sameName ? 0 : 1) });
    }
  }
  cands.sort((x, y) => x.rank - y.rank || x.dist.compare(y.dist) || x.e - y.e || x.a - y.a);
  for (const c of cands) {
    if (pairOf[c.e] !== undefined || used.has(c.a)) continue;
    pairOf[c.e] = c.a;
    used.add(c.a);
  }
  const out: PointPair[] = expected.map((_, i) => (pairOf[i] !== undefined ? { expected: i, actual: pairOf[i] as number } : { expected: i }));
  const extras = actual.map((_, i) => i).filter((i) => !used.has(i)).sort((a, b) => Rational.compare((actual[a] as Point).position, (actual[b] as Point).position) || a - b);
  for (const a of extras) out.push({ actual: a });
  return out;
}
