/**
 * The `markers` and `cues` checks: spotting notes and ADR cues against a reference, with a
 * position tolerance and partial credit per field.
 *
 * Cues are read from whatever the student hands in: a CSV cue sheet (src/formats/csv), a marker
 * MIDI file (src/formats/midi), a Pro Tools text export (cue clips with ptulsconv tags, else its
 * memory locations) or any other timeline's markers. Each expected cue is paired with a submitted
 * one (by cue number first for `cues`, by position for `markers`; src/grade/points.ts), then earns
 * position credit (1 within `tolerance`, ½ within `warnTolerance`) and field credit (number,
 * character, line, reason compared case-, blank- and punctuation-insensitively), weighted.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import { timelineToCueSheet, type CueRow } from '../../formats/csv/cue-sheet.js';
import { extensionOf } from '../../formats/registry.js';
import { createMarker, createTimeline } from '../../model/build.js';
import type { Timeline } from '../../model/types.js';
import { Timecode } from '../../time/timecode.js';
import { absolute, describeOffset, label, toleranceSeconds, within, type GradeClock } from '../evidence.js';
import { matchPoints, type Point } from '../points.js';
import type { CuesCheck, InlineCue, Rubric } from '../rubric.js';
import { AUDIO_EXTENSIONS, readCueSource, type CueSource, type GradeContext } from '../submission.js';
import type { CheckItem, CheckResult, ItemVerdict } from '../types.js';

type Field = 'cue' | 'line' | 'character' | 'reason';
const FIELDS: readonly Field[] = ['cue', 'line', 'character', 'reason'];
const FIELD_WORDS: Readonly<Record<Field, string>> = { cue: 'number', line: 'text', character: 'character', reason: 'reason' };

/** Text compared for credit: case, blanks and punctuation ignored. */
function norm(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function rowPoint(row: Pick<CueRow, 'cue' | 'line' | 'character' | 'reason'>, position: ReturnType<typeof absolute>, ordinal: number): Point {
  return {
    id: row.cue !== '' ? row.cue : String(ordinal),
    position,
    name: row.line,
    key: row.cue,
    fields: { cue: row.cue, line: row.line, character: row.character, reason: row.reason },
  };
}

/** Points of a cue source. Labels are read at the source's rate; a bad label is a diagnostic, not a point. */
export function cuePoints(src: CueSource, rubric: Rubric, kind: 'markers' | 'cues', path: string, diagnostics: Diagnostic[]): Point[] {
  if (src.kind === 'csv') {
    const out: Point[] = [];
    src.sheet.rows.forEach((row, i) => {
      const tc = Timecode.parse(row.start, { rate: rubric.rate, line: row.lineNumber ?? 0 });
      if (!tc.ok) {
        diagnostics.push(error('grade/bad-timecode', `cue "${row.cue}": start "${row.start}" is not a timecode at ${rubric.rate.name}`, { source: path, at: { offset: 0, line: row.lineNumber ?? 0 }, received: row.start }));
        return;
      }
      out.push(rowPoint(row, tc.value.toRationalTime().seconds, i + 1));
    });
    return out;
  }
  let timeline: Timeline;
  if (src.kind === 'midi') {
    const o = src.midi.smpteOffset;
    let start = rubric.startTimecode ?? Timecode.fromFrames(0, rubric.rate);
    if (o && o.length >= 4) {
      // FF 54 hours byte: rate code in bits 5–6, hours in bits 0–4 (SMF 1.0).
      const h = (o[0] as number) & 0x1f;
      try {
        start = Timecode.fromComponents({ hours: h, minutes: o[1] as number, seconds: o[2] as number, frames: o[3] as number }, rubric.rate);
      } catch {
        diagnostics.push(error('grade/bad-timecode', `the MIDI file's SMPTE offset ${o.join(':')} is not a label at ${rubric.rate.name}; the rubric's start is used`, { source: path }));
      }
    }
    timeline = createTimeline({ frameRate: rubric.rate, sampleRate: rubric.sampleRate, startTimecode: start, markers: src.midi.markers.map((m) => createMarker(m)) });
  } else timeline = src.timeline;
  // Cue clips (ptulsconv tags) for `cues` when the export has any; otherwise markers (exact positions).
  if (kind === 'cues') {
    const fromClips = timelineToCueSheet(timeline).value.rows;
    if (fromClips.length > 0) {
      const rate = timeline.frameRate;
      const out: Point[] = [];
      fromClips.forEach((row, i) => {
        const tc = Timecode.parse(row.start, { rate });
        if (tc.ok) out.push(rowPoint(row, tc.value.toRationalTime().seconds, i + 1));
      });
      return out;
    }
  }
  const rows = timelineToCueSheet(timeline, { from: 'markers' }).value.rows;
  return timeline.markers.map((m, i) => rowPoint(rows[i] as CueRow, absolute(timeline.startTimecode, m.position), i + 1));
}

function inlinePoints(cues: readonly InlineCue[], rubric: Rubric, diagnostics: Diagnostic[]): Point[] {
  const out: Point[] = [];
  cues.forEach((c, i) => {
    const tc = Timecode.parse(c.start, { rate: rubric.rate });
    if (!tc.ok) {
      diagnostics.push(error('rubric/bad-timecode', `cues[${i}].start "${c.start}" is not a timecode at ${rubric.rate.name}`, { path: ['cues', String(i), 'start'], received: c.start }));
      return;
    }
    out.push(rowPoint({ cue: c.cue ?? '', line: c.line ?? c.name ?? '', character: c.character ?? '', reason: c.reason ?? '' }, tc.value.toRationalTime().seconds, i + 1));
  });
  return out;
}

const CUE_FILES = ['.csv', '.mid', '.midi', '.smf', '.txt'];

/** Runs a `markers` or `cues` check. */
export async function runCuesCheck(check: CuesCheck & { id: string }, ctx: GradeContext): Promise<CheckResult> {
  const rubric = ctx.rubric;
  const kind = check.kind;
  const diagnostics: Diagnostic[] = [];
  const title = check.title ?? (kind === 'cues' ? 'Cues' : 'Markers');
  const result = (score: number, items: CheckItem[], feedback: string[]): CheckResult => ({ id: check.id, kind, title, weight: check.weight, score, items, feedback, diagnostics });

  let expected: Point[] = [];
  if (check.reference !== undefined) {
    const b = ctx.referenceBytes(check.reference, diagnostics);
    if (b) {
      const src = readCueSource(b, check.reference, rubric);
      if (src.ok) expected = cuePoints(src.value, rubric, kind, check.reference, diagnostics);
      else diagnostics.push(...src.diagnostics);
    }
  }
  if (check.cues) expected = [...expected, ...inlinePoints(check.cues, rubric, diagnostics)];
  if (expected.length === 0) {
    diagnostics.push(error('grade/no-expected', `check "${check.id}" has no expected ${kind} (reference or inline cues)`));
    return result(0, [], [`${title}: the rubric has no expected ${kind}; ask your instructor.`]);
  }

  // The submitted file: the check's glob, else the first cue-like file that reads.
  // Cue-like files first (CSV, MIDI, text exports), then any other non-audio file (OTIO, XML, AAF… markers).
  const isCueLike = (p: string): boolean => CUE_FILES.includes(extensionOf(p)) || extensionOf(p) === '';
  const candidates = check.file !== undefined ? ctx.files(check.file) : [...ctx.files().filter((f) => isCueLike(f.path)), ...ctx.files().filter((f) => !isCueLike(f.path) && !AUDIO_EXTENSIONS.has(extensionOf(f.path)))];
  let actual: Point[] | undefined;
  let usedFile: string | undefined;
  const readProblems: Diagnostic[] = [];
  for (const f of candidates) {
    const b = await ctx.bytes(f, readProblems);
    if (!b) continue;
    const src = readCueSource(b, f.path, rubric);
    if (!src.ok) {
      readProblems.push(...src.diagnostics);
      continue;
    }
    diagnostics.push(...src.diagnostics.filter((d) => d.severity === 'error'));
    actual = cuePoints(src.value, rubric, kind, f.path, diagnostics);
    usedFile = f.path;
    break;
  }
  if (!actual) {
    diagnostics.push(...readProblems, error('grade/no-file', `no submitted file holds ${kind} (looked for ${check.file ?? CUE_FILES.join(', ')})`));
    return result(0, expected.map((e) => ({ id: `cue ${e.id}`, verdict: 'missing', credit: 0, feedback: `${kind === 'cues' ? 'Cue' : 'Marker'} ${e.id} '${e.name}' is missing.`, evidence: {} })), [
      `${title}: no cue sheet, marker file or session export was found${check.file !== undefined ? ` matching "${check.file}"` : ''}.`,
    ]);
  }

  const clock: GradeClock = { rate: rubric.rate, sampleRate: rubric.sampleRate };
  const tol = toleranceSeconds(check.tolerance ?? { value: 1, unit: 'frames' }, clock);
  const warn = toleranceSeconds(check.warnTolerance ?? { value: 2, unit: 'frames' }, clock);
  const window = toleranceSeconds(check.window ?? { value: 5, unit: 'seconds' }, clock);
  const matchBy = check.matchBy ?? (kind === 'cues' ? 'number' : 'position');
  const defaults: Record<'position' | Field, number> = kind === 'cues' ? { position: 0.5, cue: 0, line: 0.2, character: 0.15, reason: 0.15 } : { position: 0.75, cue: 0, line: 0.25, character: 0, reason: 0 };
  const weights = { ...defaults, ...check.weights };
  const pairs = matchPoints(expected, actual, { window, tolerance: tol, by: matchBy === 'number' ? 'key' : 'position', nameFreeWithin: warn });
  const Noun = kind === 'cues' ? 'Cue' : 'Marker';
  const items: CheckItem[] = [];
  let credit = 0;
  let extras = 0;
  for (const p of pairs) {
    const e = p.expected !== undefined ? expected[p.expected] : undefined;
    const a = p.actual !== undefined ? actual[p.actual] : undefined;
    if (e && a) {
      const d = a.position.minus(e.position);
      const el = label(e.position, clock);
      const al = label(a.position, clock);
      const posCredit = within(d, tol) ? 1 : within(d, warn) ? 0.5 : 0;
      const who = `${Noun} ${e.id}${e.name !== '' ? ` '${e.name}'` : ''}`;
      const lines: string[] = [];
      let total = weights.position;
      let got = weights.position * posCredit;
      const wrongFields: string[] = [];
      for (const f of FIELDS) {
        const w = weights[f];
        const want = e.fields[f] ?? '';
        if (w <= 0 || want === '') continue;
        total += w;
        if (norm(a.fields[f] ?? '') === norm(want)) got += w;
        else {
          wrongFields.push(f);
          lines.push(`${FIELD_WORDS[f]} is ${a.fields[f] ? `'${a.fields[f]}'` : 'empty'}, expected '${want}'`);
        }
      }
      const c = total > 0 ? got / total : 1;
      const off = describeOffset(d, clock);
      let verdict: ItemVerdict = 'match';
      let feedback = `${who} at ${el} is correct.`;
      if (!within(d, tol)) {
        verdict = 'offset';
        feedback = `${who} is ${off.words}: ${al}, expected ${el}.`;
      } else if (wrongFields.length > 0) verdict = 'wrong-value';
      if (lines.length > 0) feedback = verdict === 'offset' ? `${feedback} Also its ${lines.join('; ')}.` : `${who} at ${el}: ${lines.join('; ')}.`;
      const detail: Record<string, string> = {};
      for (const f of FIELDS) if (a.fields[f]) detail[f] = a.fields[f] as string;
      items.push({ id: `${kind === 'cues' ? 'cue' : 'marker'} ${e.id}`, verdict, credit: c, feedback, evidence: { expected: el, actual: al, ...(d.isZero() ? {} : { delta: off.delta }), detail: { ...detail, ...(wrongFields.length ? { wrong: wrongFields.join(',') } : {}) } } });
      credit += c;
    } else if (e) {
      const el = label(e.position, clock);
      items.push({ id: `${kind === 'cues' ? 'cue' : 'marker'} ${e.id}`, verdict: 'missing', credit: 0, feedback: `${Noun} ${e.id}${e.name !== '' ? ` '${e.name}'` : ''} at ${el} is missing.`, evidence: { expected: el } });
    } else if (a) {
      const al = label(a.position, clock);
      extras++;
      items.push({ id: `extra ${a.id}@${al}`, verdict: 'extra', credit: 0, feedback: `${Noun} ${a.id}${a.name !== '' ? ` '${a.name}'` : ''} at ${al} is not in the reference.`, evidence: { actual: al } });
    }
  }
  const penalty = (check.extraPenalty ?? 0) * extras;
  const score = Math.max(0, Math.min(1, (credit - penalty) / expected.length));
  const counts = (v: ItemVerdict): number => items.filter((i) => i.verdict === v).length;
  const feedback = [
    `${title}: ${counts('match')} of ${expected.length} ${kind} correct` +
      [['offset', 'misplaced'], ['wrong-value', 'with wrong details'], ['missing', 'missing'], ['extra', 'extra']].map(([v, w]) => (counts(v as ItemVerdict) ? `, ${counts(v as ItemVerdict)} ${w}` : '')).join('') +
      ` (read from ${usedFile}).`,
    ...items.filter((i) => i.verdict !== 'match').map((i) => i.feedback),
  ];
  return result(score, items, feedback);
}
