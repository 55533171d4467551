/**
 * `grade(rubric, submission)`: runs every check of a rubric on what a student handed in and adds
 * up the points. Each check's score is a fraction of its weight; the total is Σ weight × score.
 * Deterministic: the same rubric, references and files give the same result, byte for byte once
 * serialised. Never throws: a check that cannot run scores 0 with a diagnostic saying why.
 */
import type * as t from 'io-ts';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { runCuesCheck } from './checks/cues.js';
import { ConformCheck, runConformCheck } from './conform-grade.js';
import { DeliverablesCheck, runDeliverablesCheck, type DeliverablesOptions } from './deliverables.js';
import { runTimelineCheck, type TimelineView } from './checks/timeline.js';
import { runTracksCheck } from './checks/tracks.js';
import { registerCheckCodec, type CuesCheck, type Rubric, type RubricCheck, type TimelineCheck, type TracksCheck } from './rubric.js';
import { GradeContext, type References } from './submission.js';
import type { CheckResult, Submission } from './types.js';

/** The schema id of a grade result (spec/conform.md §10.7). */
export const GRADE_SCHEMA = 'dubstage.grade/1';

/** What {@link grade} returns. */
export interface GradeResult {
  readonly schema: typeof GRADE_SCHEMA;
  readonly rubric: string;
  readonly submission: string;
  /** Points earned: Σ weight × check score, rounded to 2 decimals. */
  readonly score: number;
  /** Points available: Σ weight. */
  readonly maxScore: number;
  /** score / maxScore × 100, rounded to 1 decimal. */
  readonly percent: number;
  readonly checks: readonly CheckResult[];
  /** Summary lines for the student: one per check, then its most important problems. */
  readonly feedback: readonly string[];
  /** Problems reading the submission or references, from every check. */
  readonly diagnostics: readonly Diagnostic[];
  /** Pictures of timeline differences (HTML report). */
  readonly views: readonly TimelineView[];
}

/** Options of {@link grade}. */
export interface GradeOptions {
  /** The files the rubric's `reference` fields name, by that name (see {@link referencePaths}). */
  readonly references?: References;
  /** Passed to `deliverables` checks: measures loudness elsewhere (`loudnessWorkers(jobs)` in `dubstage/node`). */
  readonly measureLoudness?: DeliverablesOptions['measureLoudness'];
}

/** A check kind: how to run its validated rubric entry. */
export interface CheckKind {
  run(check: RubricCheck, ctx: GradeContext, options?: GradeOptions): Promise<{ result: CheckResult; view?: TimelineView }>;
}

const KINDS = new Map<string, CheckKind>([
  ['markers', { run: async (c, ctx) => ({ result: await runCuesCheck({ ...(c.decoded as CuesCheck), id: c.id }, ctx) }) }],
  ['cues', { run: async (c, ctx) => ({ result: await runCuesCheck({ ...(c.decoded as CuesCheck), id: c.id }, ctx) }) }],
  ['tracks', { run: async (c, ctx) => ({ result: await runTracksCheck({ ...(c.decoded as TracksCheck), id: c.id }, ctx) }) }],
  ['timeline', { run: (c, ctx) => runTimelineCheck({ ...(c.decoded as TimelineCheck), id: c.id }, ctx) }],
]);

/**
 * Adds a check kind implemented elsewhere (audio deliverables, conform grading): its rubric codec
 * and a runner that receives the decoded entry and the submission.
 */
export function registerCheckKind<C>(kind: string, codec: t.Type<C, unknown, unknown>, run: (check: C, submission: Submission, ctx: GradeContext, options: GradeOptions) => Promise<CheckResult>): void {
  registerCheckCodec(kind, codec as t.Type<unknown, unknown, unknown>);
  KINDS.set(kind, {
    run: async (c, ctx, options = {}) => {
      const r = await run(c.decoded as C, ctx.submission, ctx, options);
      // The rubric's id, title and weight are authoritative.
      return { result: { ...r, id: c.id, kind, weight: c.weight, title: c.title ?? r.title } };
    },
  });
}

// Kinds whose code lives in their own modules: audio deliverables and conform grading (spec/conform.md §10).
registerCheckKind('deliverables', DeliverablesCheck, (check, submission, ctx, options) =>
  runDeliverablesCheck(check, submission, { rubric: ctx.rubric, ...(options.measureLoudness ? { measureLoudness: options.measureLoudness } : {}) }),
);
registerCheckKind('conform', ConformCheck, (check, submission, ctx) => runConformCheck(check, submission, { context: ctx }));

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Grades one submission. */
export async function grade(rubric: Rubric, submission: Submission, options: GradeOptions = {}): Promise<GradeResult> {
  const ctx = new GradeContext(rubric, submission, options.references ?? new Map());
  const checks: CheckResult[] = [];
  const views: TimelineView[] = [];
  for (const c of rubric.checks) {
    const kind = KINDS.get(c.kind);
    let result: CheckResult;
    try {
      if (!kind) throw new Error(`no runner for check kind "${c.kind}"`);
      const r = await kind.run(c, ctx, options);
      result = { ...r.result, score: Number.isFinite(r.result.score) ? Math.max(0, Math.min(1, r.result.score)) : 0 };
      if (r.view) views.push(r.view);
    } catch (e) {
      // A check must not throw; if one does, the submission still gets a grade and the reason.
      result = {
        id: c.id, kind: c.kind, title: c.title ?? c.kind, weight: c.weight, score: 0, items: [],
        feedback: [`${c.title ?? c.kind}: could not be graded (internal error); your instructor has been given the details.`],
        diagnostics: [error('grade/internal', `check "${c.id}" failed: ${e instanceof Error ? e.message : String(e)}`)],
      };
    }
    checks.push(result);
  }
  const maxScore = checks.reduce((s, c) => s + c.weight, 0);
  const earned = checks.reduce((s, c) => s + c.weight * c.score, 0);
  const score = round(earned, 2);
  const feedback: string[] = [];
  for (const c of checks) {
    feedback.push(`${c.title}: ${round(c.weight * c.score, 2)} / ${c.weight}`);
    for (const line of c.feedback) feedback.push(`  ${line}`);
  }
  feedback.push(`Score ${score} / ${maxScore}.`);
  return {
    schema: GRADE_SCHEMA,
    rubric: rubric.title,
    submission: submission.name,
    score,
    maxScore,
    percent: maxScore === 0 ? 100 : round((earned / maxScore) * 100, 1),
    checks,
    feedback,
    diagnostics: checks.flatMap((c) => c.diagnostics),
    views,
  };
}
