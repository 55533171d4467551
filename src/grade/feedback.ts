/**
 * Plain-text and CSV renderings of grade results: the text a student reads, and one gradebook row
 * per submission for a teacher's spreadsheet.
 */
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { GradeResult } from './grade.js';

/** The student-facing text: score, per-check points and feedback, then reading problems. */
export function renderText(r: GradeResult): string {
  const out = [`${r.rubric} — ${r.submission}`, `Score ${r.score} / ${r.maxScore} (${r.percent}%)`, ''];
  for (const c of r.checks) {
    out.push(`${c.title} [${c.kind}]: ${Math.round(c.weight * c.score * 100) / 100} / ${c.weight}`);
    for (const line of c.feedback) out.push(`  ${line}`);
    for (const d of c.diagnostics) out.push(`  ! ${formatDiagnostic(d)}`);
    out.push('');
  }
  return out.join('\n');
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A gradebook (RFC 4180 CSV, CRLF): `submission,score,max_score,percent`, then one column per
 * check id with the points earned, then `problems` (count of error diagnostics). Rows in the
 * order given; check columns from the first result's rubric order.
 */
export function renderGradebook(results: readonly GradeResult[]): string {
  const ids = results[0]?.checks.map((c) => c.id) ?? [];
  const lines = [['submission', 'score', 'max_score', 'percent', ...ids, 'problems'].map(csvCell).join(',')];
  for (const r of results) {
    const pts = ids.map((id) => {
      const c = r.checks.find((x) => x.id === id);
      return c ? Math.round(c.weight * c.score * 100) / 100 : '';
    });
    lines.push([r.submission, r.score, r.maxScore, r.percent, ...pts, r.diagnostics.filter((d) => d.severity === 'error').length].map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
