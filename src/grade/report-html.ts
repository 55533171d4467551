/**
 * The HTML grade report: one self-contained page (inline CSS and SVG, no scripts, no external
 * resources) with the score, a picture of each compared timeline — expected regions above
 * submitted ones, per track, coloured by verdict — and a table of every verdict with its evidence.
 */
import type { TimelineView } from './checks/timeline.js';
import type { GradeResult } from './grade.js';
import type { ItemVerdict } from './types.js';

const COLOURS: Readonly<Record<ItemVerdict, string>> = {
  match: '#3a9d5d',
  offset: '#e0a020',
  missing: '#c8c8c8',
  extra: '#7b61c9',
  'wrong-media': '#d0453a',
  'wrong-track': '#3a7bd0',
  'wrong-value': '#e07020',
  fail: '#d0453a',
};

/** Escapes text for HTML and SVG. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** An SVG of one timeline view: per track an expected lane and a submitted lane. */
export function renderViewSvg(v: TimelineView): string {
  const W = 1000;
  const left = 140;
  const laneH = 14;
  const trackH = laneH * 2 + 10;
  const top = 24;
  const H = top + v.tracks.length * trackH + 20;
  const span = v.length > 0 ? v.length : 1;
  const x = (s: number): number => Math.round((left + (s / span) * (W - left - 10)) * 100) / 100;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10" role="img" aria-label="${escapeHtml(v.title)}: expected and submitted regions">`];
  out.push(`<text x="${left}" y="14">from ${escapeHtml(v.originLabel)}, ${span.toFixed(2)} s</text>`);
  v.tracks.forEach((t, k) => {
    const y = top + k * trackH;
    out.push(`<text x="4" y="${y + laneH - 3}">${escapeHtml(t.name)} expected</text>`, `<text x="4" y="${y + 2 * laneH - 3}">submitted</text>`);
    out.push(`<line x1="${left}" x2="${W - 10}" y1="${y + laneH}" y2="${y + laneH}" stroke="#eee"/>`);
    for (const [lane, regions] of [[0, t.expected], [1, t.actual]] as const) {
      for (const r of regions) {
        const x0 = x(r.start);
        const w = Math.max(1, x(r.end) - x0);
        out.push(`<rect x="${x0}" y="${y + lane * laneH + 1}" width="${w}" height="${laneH - 2}" fill="${COLOURS[r.verdict]}"><title>${escapeHtml(r.title)}</title></rect>`);
      }
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The whole report page. */
export function renderHtml(r: GradeResult): string {
  const h = escapeHtml;
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${h(r.rubric)} — ${h(r.submission)}</title>`,
    '<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;width:100%;margin:.5em 0 2em}td,th{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f4f4f4}.v{font-weight:600;white-space:nowrap}.legend span{display:inline-block;padding:0 6px;margin-right:4px;color:#fff;border-radius:3px}code{font-size:12px}</style>',
    '</head><body>',
    `<h1>${h(r.rubric)}</h1>`,
    `<p><b>${h(r.submission)}</b>: ${r.score} / ${r.maxScore} points (${r.percent}%)</p>`,
    '<table><tr><th>Check</th><th>Kind</th><th>Points</th><th>Summary</th></tr>',
    ...r.checks.map((c) => `<tr><td>${h(c.title)}</td><td>${h(c.kind)}</td><td>${Math.round(c.weight * c.score * 100) / 100} / ${c.weight}</td><td>${h(c.feedback[0] ?? '')}</td></tr>`),
    '</table>',
    `<p class="legend">${(Object.keys(COLOURS) as ItemVerdict[]).map((v) => `<span style="background:${COLOURS[v]}">${v}</span>`).join('')}</p>`,
  ];
  for (const c of r.checks) {
    parts.push(`<h2>${h(c.title)}</h2>`);
    const v = r.views.find((x) => x.checkId === c.id);
    if (v) parts.push(`<figure>${renderViewSvg(v)}<figcaption>Expected (upper lane) and submitted (lower lane) regions per track.</figcaption></figure>`);
    for (const d of c.diagnostics) parts.push(`<p>⚠ <code>${h(d.code)}</code> ${h(d.source ? d.source + ': ' : '')}${h(d.message)}</p>`);
    if (c.items.length === 0) continue;
    parts.push('<table><tr><th>Item</th><th>Verdict</th><th>Credit</th><th>Expected</th><th>Submitted</th><th>Δ</th><th>Feedback</th></tr>');
    for (const i of c.items) {
      const d = i.evidence.delta ? `${i.evidence.delta.value > 0 ? '+' : ''}${i.evidence.delta.value} ${i.evidence.delta.unit}` : '';
      parts.push(`<tr><td>${h(i.id)}</td><td class="v" style="color:${COLOURS[i.verdict]}">${i.verdict}</td><td>${Math.round(i.credit * 100) / 100}</td><td>${h(i.evidence.expected ?? '')}</td><td>${h(i.evidence.actual ?? '')}</td><td>${h(d)}</td><td>${h(i.feedback)}</td></tr>`);
    }
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return parts.join('\n') + '\n';
}
