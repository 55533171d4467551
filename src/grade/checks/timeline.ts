/**
 * The `timeline` check: the general {@link compare} of a submitted session against an expected one.
 * Score = (Σ credit − `extraPenalty` × extra regions) / expected items, clamped to [0, 1]. The check
 * also returns a {@link TimelineView}: expected and submitted regions per track, for the HTML
 * report's picture of the difference.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import type { Timeline } from '../../model/types.js';
import { Rational } from '../../time/rational.js';
import { compare, type CompareItem, type CompareResult } from '../compare.js';
import { label, type GradeClock } from '../evidence.js';
import type { TimelineCheck } from '../rubric.js';
import type { GradeContext } from '../submission.js';
import type { CheckItem, CheckResult, ItemVerdict } from '../types.js';

/** One region drawn in a report: seconds since the view's origin (floats, for drawing only). */
export interface ViewRegion {
  readonly start: number;
  readonly end: number;
  readonly verdict: ItemVerdict;
  readonly title: string;
}

/** Expected vs submitted regions of one track, for a picture. */
export interface ViewTrack {
  readonly name: string;
  readonly expected: readonly ViewRegion[];
  readonly actual: readonly ViewRegion[];
}

/** What the HTML report draws for a `timeline` check (plain data: JSON- and structured-clone-safe). */
export interface TimelineView {
  readonly checkId: string;
  readonly title: string;
  /** Label of the origin (the earliest time drawn). */
  readonly originLabel: string;
  readonly length: number;
  readonly tracks: readonly ViewTrack[];
}

/** Feedback lines listed per check before "…and N more". */
export const MAX_FEEDBACK_LINES = 100;

function view(check: TimelineCheck & { id: string }, title: string, r: CompareResult, clock: GradeClock): TimelineView {
  let lo: Rational | undefined;
  let hi: Rational | undefined;
  const clipItems = r.items.filter((i): i is CompareItem => i.kind === 'clip');
  for (const i of clipItems) {
    for (const rg of [i.expectedRange, i.actualRange]) {
      if (!rg) continue;
      if (!lo || rg[0].compare(lo) < 0) lo = rg[0];
      if (!hi || rg[1].compare(hi) > 0) hi = rg[1];
    }
  }
  const origin = lo ?? Rational.ZERO;
  const x = (t: Rational): number => t.minus(origin).toNumber();
  const byTrack = new Map<string, { expected: ViewRegion[]; actual: ViewRegion[] }>();
  const get = (n: string): { expected: ViewRegion[]; actual: ViewRegion[] } => {
    let v = byTrack.get(n);
    if (!v) {
      v = { expected: [], actual: [] };
      byTrack.set(n, v);
    }
    return v;
  };
  // The expected track a submitted track stands for (its row in the picture).
  const rowOf = new Map<string, string>();
  for (const [e, a] of Object.entries(r.trackMap)) if (a !== null && !rowOf.has(a)) rowOf.set(a, e);
  const rowOfActual = (a: string): string => rowOf.get(a) ?? `(${a})`;
  for (const i of clipItems) {
    const expectedRow = i.verdict === 'extra' ? undefined : i.track ?? '';
    const actualRow = i.actualTrack !== undefined ? rowOfActual(i.actualTrack) : expectedRow ?? '';
    if (i.expectedRange && expectedRow !== undefined) get(expectedRow).expected.push({ start: x(i.expectedRange[0]), end: x(i.expectedRange[1]), verdict: i.verdict, title: i.feedback });
    if (i.actualRange) get(actualRow).actual.push({ start: x(i.actualRange[0]), end: x(i.actualRange[1]), verdict: i.verdict, title: i.feedback });
  }
  return {
    checkId: check.id, title, originLabel: label(origin, clock), length: hi ? x(hi) : 0,
    tracks: [...byTrack].map(([name, v]) => ({ name, ...v })),
  };
}

/** Strips a compare item to the shared {@link CheckItem} fields (no exact-time objects in reports). */
function plain(i: CompareItem): CheckItem {
  return { id: i.id, verdict: i.verdict, credit: i.credit, feedback: i.feedback, evidence: i.evidence };
}

/** Runs a `timeline` check; `view` is undefined when either side could not be read. */
export async function runTimelineCheck(check: TimelineCheck & { id: string }, ctx: GradeContext): Promise<{ result: CheckResult; view?: TimelineView }> {
  const diagnostics: Diagnostic[] = [];
  const title = check.title ?? 'Session';
  const fail = (line: string): { result: CheckResult } => ({ result: { id: check.id, kind: 'timeline', title, weight: check.weight, score: 0, items: [], feedback: [line], diagnostics } });
  const expected: Timeline | undefined = ctx.referenceTimeline(check.reference, diagnostics);
  if (!expected) return fail(`${title}: the expected session could not be read; ask your instructor.`);
  const found = await ctx.firstTimeline(check.file, diagnostics);
  if (!found) {
    diagnostics.push(error('grade/no-file', `no submitted file reads as a session${check.file !== undefined ? ` (pattern "${check.file}")` : ''}`));
    return fail(`${title}: no session export was found${check.file !== undefined ? ` matching "${check.file}"` : ''}.`);
  }
  const r = compare(expected, found.timeline, {
    ...(check.tolerance ? { tolerance: check.tolerance } : {}),
    ...(check.warnTolerance ? { warnTolerance: check.warnTolerance } : {}),
    ...(check.window ? { searchWindow: check.window } : {}),
    ...(check.coverage !== undefined ? { coverage: check.coverage } : {}),
    ...(check.wrongTrackCredit !== undefined ? { wrongTrackCredit: check.wrongTrackCredit } : {}),
    ...(check.markers !== undefined ? { markers: check.markers } : {}),
    ...(check.ignoreMuted !== undefined ? { ignoreMuted: check.ignoreMuted } : {}),
  });
  const penalty = (check.extraPenalty ?? 0.25) * r.summary.extra;
  const score = r.expectedCount === 0 ? (r.summary.extra === 0 ? 1 : 0) : Math.max(0, Math.min(1, (r.credit - penalty) / r.expectedCount));
  const s = r.summary;
  const problems = r.items.filter((i) => i.verdict !== 'match').map((i) => i.feedback);
  const feedback = [
    `${title}: ${s.match} of ${r.expectedCount} expected items in place` +
      ([['offset', 'out of sync'], ['wrong-track', 'on the wrong track'], ['wrong-media', 'with the wrong media'], ['missing', 'missing'], ['extra', 'extra regions']] as const).map(([v, w]) => (s[v] ? `, ${s[v]} ${w}` : '')).join('') +
      ` (read from ${found.file.path}).`,
    ...problems.slice(0, MAX_FEEDBACK_LINES),
    ...(problems.length > MAX_FEEDBACK_LINES ? [`…and ${problems.length - MAX_FEEDBACK_LINES} more (see the item list).`] : []),
  ];
  const clock: GradeClock = { rate: expected.frameRate, sampleRate: expected.sampleRate };
  return {
    result: { id: check.id, kind: 'timeline', title, weight: check.weight, score, items: r.items.map(plain), feedback, diagnostics },
    view: view(check, title, r, clock),
  };
}
