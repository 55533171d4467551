/**
 * Gradescope's autograder output (`/autograder/results/results.json`): the total `score`, and one
 * entry of `tests` per rubric check with `name`, `score`, `max_score`, `status`, `output` (the
 * check's feedback) and `visibility`. Field names as Gradescope's autograder specification gives
 * them; `output_format: "text"` so the feedback shows as written.
 */
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { GradeResult } from './grade.js';

/** When students see a test or the whole result (Gradescope's values). */
export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/** One test of a results.json. */
export interface GradescopeTest {
  readonly name: string;
  readonly number?: string;
  readonly score: number;
  readonly max_score: number;
  readonly status: 'passed' | 'failed';
  readonly output: string;
  readonly output_format: 'text';
  readonly visibility: GradescopeVisibility;
}

/** A results.json document. */
export interface GradescopeResults {
  readonly score: number;
  readonly output: string;
  readonly output_format: 'text';
  readonly visibility: GradescopeVisibility;
  readonly stdout_visibility: GradescopeVisibility;
  readonly tests: readonly GradescopeTest[];
}

/** Options of {@link toGradescope}. */
export interface GradescopeOptions {
  /** Visibility of each test and of the result. Default `visible`. */
  readonly visibility?: GradescopeVisibility;
}

/** A grade result as Gradescope's results.json. Points are rounded to 2 decimals. */
export function toGradescope(r: GradeResult, options: GradescopeOptions = {}): GradescopeResults {
  const visibility = options.visibility ?? 'visible';
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    score: r.score,
    output: `${r.rubric}: ${r.score} / ${r.maxScore} (${r.percent}%)`,
    output_format: 'text',
    visibility,
    stdout_visibility: 'hidden',
    tests: r.checks.map((c, i) => ({
      name: c.title,
      number: String(i + 1),
      score: round(c.weight * c.score),
      max_score: c.weight,
      status: c.score >= 1 ? 'passed' : 'failed',
      output: [...c.feedback, ...c.diagnostics.map((d) => `! ${formatDiagnostic(d)}`)].join('\n'),
      output_format: 'text',
      visibility,
    })),
  };
}
