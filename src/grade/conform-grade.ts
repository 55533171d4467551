/**
 * Conform grading (spec/conform.md §10, issue 11): a student's re-conformed session is judged
 * against what the conform engine makes of the assignment (v1 session, v1 and v2 cuts).
 *
 * Both sessions become **sync lines** (§10.2): each piece is `(track, file, file range, L)` with
 * `L = start − fileOffset`, the session sample where the file's sample 0 would play. Same file,
 * overlapping file range and equal `L` = the same material in sync, however the student split,
 * joined or named regions; `Δ = L_student − L_expected` (samples, positive = audio late).
 *
 * Verdicts per expected piece (§10.4), per change-row group (§10.5, judged by the error a group
 * *introduces*, so one mistake is not charged to every later row), student-side extras, the
 * hygiene checks and the §10.6 score: `100 × (0.6·syncCoverage + 0.3·rowScore + 0.1·hygiene)`.
 *
 * Decisions where §10 is silent (documented in docs/conform.md): `WRONG_TRACK` material earns half
 * credit (it is in sync, on the wrong track); a row group with no measurable material after its
 * anchor counts as applied (no evidence of an error); files are matched by name without folder,
 * case or audio extension.
 */
import * as t from 'io-ts';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { readTimeline } from '../formats/registry.js';
import type { Timeline } from '../model/types.js';
import { FrameRate } from '../time/frame-rate.js';
import { formatFrames } from '../time/timecode.js';
import { conform, frameToSample } from '../conform/apply.js';
import { cutFromEdl } from '../conform/edl-cut.js';
import { cutFromTimeline, sessionFromTimeline } from '../conform/model.js';
import type { ChangeRow, ConformResult, Cut, Region, Session, TrackKind } from '../conform/types.js';
import { CheckBaseC, ToleranceC } from './rubric.js';
import type { Tolerance } from './evidence.js';
import { GradeContext, type References } from './submission.js';
import type { CheckItem, CheckResult, ItemVerdict, Submission } from './types.js';

/** An assignment input: a path the rubric's references provide, or inline text (`name` gives the format by extension). */
const SourceC = t.union([t.string, t.intersection([t.type({ text: t.string }), t.partial({ name: t.string })])]);
export type ConformSource = t.TypeOf<typeof SourceC>;

const Fraction = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0 && n <= 1, 'a fraction in [0, 1]');

/** §10.3 tolerances; every field optional (defaults in {@link DEFAULT_TOLERANCES}). */
const TolerancesC = t.partial({
  syncExact: ToleranceC, syncPass: ToleranceC, syncWarn: ToleranceC, searchWindow: ToleranceC,
  edgeEdit: ToleranceC, coverage: Fraction,
});

/**
 * The rubric entry `{ "kind": "conform", … }` (spec §10.1): the assignment's v1 and v2 cuts and
 * v1 session (paths relative to the rubric, or inline `{ "text": …, "name": "v1.edl" }`), the
 * picture rate (`"24"`, `"29.97df"`…), optional ffoa / picture start labels, tolerances (§10.3),
 * track-kind overrides (`{ "MX": { "mode": "lenient" } }`), and the usual `file` glob choosing the
 * submitted session.
 */
export const ConformCheck = t.intersection([
  CheckBaseC,
  t.type({ kind: t.literal('conform'), oldCut: SourceC, newCut: SourceC, session: SourceC, rate: t.string }),
  t.partial({
    ffoa: t.string, pictureStart: t.string, tolerances: TolerancesC,
    trackKinds: t.record(t.string, t.type({ mode: t.union([t.literal('lenient'), t.literal('strict')]) })),
  }),
]);
export type ConformCheck = t.TypeOf<typeof ConformCheck>;

/** §10.3 defaults. `syncExact` grows to 2 samples when samples per frame is not an integer. */
export const DEFAULT_TOLERANCES = {
  syncExact: { value: 1, unit: 'samples' } as Tolerance,
  syncPass: { value: 0.5, unit: 'frames' } as Tolerance,
  syncWarn: { value: 1, unit: 'frames' } as Tolerance,
  searchWindow: { value: 10, unit: 'seconds' } as Tolerance,
  edgeEdit: { value: 2, unit: 'frames' } as Tolerance,
  coverage: 0.95,
};

/** Per-piece verdicts of §10.4. */
export type PieceVerdict = 'PASS' | 'PASS_NOT_EXACT' | 'SYNC_ERROR' | 'PARTIAL' | 'MISSING' | 'WRONG_TRACK' | 'EDGE_LONG';
/** Per-row verdicts of §10.5. */
export type RowVerdict = 'APPLIED' | 'NOT_APPLIED' | 'APPLIED_WITH_ERRORS';

/** Options of {@link runConformCheck}. */
export interface RunConformOptions {
  /** The grading context (when called from `grade()`): references and cached submission reads. */
  readonly context?: GradeContext;
  /** Reference files by the path the check names (when no context is given). */
  readonly references?: References;
}

/** §10.6 class weights. */
const CLASS_WEIGHT: Record<TrackKind, number> = { DX: 1, ADR: 1, FX: 1, FOLEY: 1, BG: 0.75, MX: 0.5, PFX: 0.25, GUIDE: 0, OTHER: 1 };

/** Track kind from the name prefix (spec §2.3). */
export function trackKindOf(name: string): TrackKind {
  const n = name.trim().toUpperCase();
  if (/^(DX|DIA|DIAL)/.test(n)) return 'DX';
  if (n.startsWith('ADR')) return 'ADR';
  if (/^(PFX|POP)/.test(n)) return 'PFX';
  if (/^(FX|SFX)/.test(n)) return 'FX';
  if (n.startsWith('FOL')) return 'FOLEY';
  if (/^(BG|AMB)/.test(n)) return 'BG';
  if (/^(MX|MUS)/.test(n)) return 'MX';
  if (n.startsWith('GUIDE')) return 'GUIDE';
  return 'OTHER';
}

/** Tracks where removed material is kept on purpose (§10.2 item 3). */
const PRESERVE = /remov|spare|trash|x-?cut|junk/i;

/** A file's identity across sessions: its name without folder, case or audio extension. */
function fileKey(r: Region): string {
  const n = (r.file.name || r.file.id).replace(/^.*[\\/]/, '').trim().toLowerCase();
  return n.replace(/\.(wav|wave|bwf|aif|aiff|mp3|flac|caf)$/, '');
}

const trackKey = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, ' ');
const baseName = (name: string): string => name.replace(/\.(c|copy)\d+$/, '');

interface Line {
  readonly track: string;
  readonly name: string;
  readonly file: string;
  readonly f0: number;
  readonly f1: number;
  readonly L: number;
  readonly start: number;
  readonly end: number;
}
interface ExpPiece extends Line { readonly kind: TrackKind; readonly weight: number; readonly role: 'primary' | 'copy'; readonly cutHead: boolean; readonly cutTail: boolean }
interface StuPiece extends Line { readonly preserved: boolean; readonly index: number }

function lineOf(track: string, r: Region): Line {
  return { track, name: r.name, file: fileKey(r), f0: r.fileOffset, f1: r.fileOffset + (r.end - r.start), L: r.start - r.fileOffset, start: r.start, end: r.end };
}

/** Total length of the union of intervals. */
function unionLength(iv: readonly (readonly [number, number])[]): number {
  const s = [...iv].filter((x) => x[1] > x[0]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur: [number, number] | undefined;
  for (const [a, b] of s) {
    if (cur && a <= cur[1]) cur[1] = Math.max(cur[1], b);
    else { if (cur) total += cur[1] - cur[0]; cur = [a, b]; }
  }
  return total + (cur ? cur[1] - cur[0] : 0);
}

/** Parts of `[a, b)` not covered by `iv`. */
function subtract(a: number, b: number, iv: readonly (readonly [number, number])[]): [number, number][] {
  const s = [...iv].filter((x) => x[1] > a && x[0] < b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  let cursor = a;
  for (const [x, y] of s) { if (x > cursor) out.push([cursor, x]); cursor = Math.max(cursor, y); }
  if (cursor < b) out.push([cursor, b]);
  return out;
}

interface Measure { readonly passLen: number; readonly warnOnlyLen: number; readonly presentLen: number; readonly exact: boolean; readonly dominant?: number; readonly dominantLen: number }

/** Measures one expected piece against the student pieces of one track (§10.2 item 2). */
function measure(e: ExpPiece, pieces: readonly StuPiece[], tol: Tol, explained: Map<number, [number, number][]>): Measure {
  const pass: [number, number][] = [];
  const warn: [number, number][] = [];
  const present: [number, number][] = [];
  const byDelta = new Map<number, [number, number][]>();
  let exact = true;
  for (const s of pieces) {
    if (s.file !== e.file) continue;
    const a = Math.max(e.f0, s.f0);
    const b = Math.min(e.f1, s.f1);
    if (b <= a) continue;
    const d = s.L - e.L;
    if (Math.abs(d) > tol.searchWindow) continue;
    present.push([a, b]);
    const ex = explained.get(s.index) ?? [];
    ex.push([a, b]);
    explained.set(s.index, ex);
    const l = byDelta.get(d) ?? [];
    l.push([a, b]);
    byDelta.set(d, l);
    if (Math.abs(d) <= tol.syncPass) { pass.push([a, b]); if (Math.abs(d) > tol.syncExact) exact = false; } else if (Math.abs(d) <= tol.syncWarn) warn.push([a, b]);
  }
  const passLen = unionLength(pass);
  let dominant: number | undefined;
  let dominantLen = 0;
  for (const [d, iv] of byDelta) {
    const len = unionLength(iv);
    if (len > dominantLen || (len === dominantLen && dominant !== undefined && (Math.abs(d) < Math.abs(dominant) || (Math.abs(d) === Math.abs(dominant) && d < dominant)))) { dominant = d; dominantLen = len; }
  }
  return { passLen, warnOnlyLen: unionLength([...pass, ...warn]) - passLen, presentLen: unionLength(present), exact, ...(dominant !== undefined ? { dominant } : {}), dominantLen };
}

interface Tol { readonly syncExact: number; readonly syncPass: number; readonly syncWarn: number; readonly searchWindow: number; readonly edgeEdit: number; readonly coverage: number }

function samplesOf(x: Tolerance, sampleRate: number, rate: FrameRate): number {
  if (x.unit === 'samples') return x.value;
  if (x.unit === 'seconds') return x.value * sampleRate;
  // display-free threshold: frames × samples per frame (a tolerance, not a position)
  return (x.value * sampleRate * Number(rate.rate.den)) / Number(rate.rate.num);
}

interface Loaded { readonly cut?: Cut; readonly timeline?: Timeline }

async function load(src: ConformSource, what: 'cut' | 'session', rate: FrameRate, ctx: GradeContext, opts: { ffoa?: string; pictureStart?: string }, diags: Diagnostic[]): Promise<Loaded> {
  let bytes: Uint8Array | undefined;
  let name: string;
  if (typeof src === 'string') {
    name = src;
    bytes = ctx.referenceBytes(src, diags);
  } else {
    name = src.name ?? (what === 'cut' ? 'inline.edl' : 'inline.json');
    bytes = new TextEncoder().encode(src.text);
  }
  if (!bytes) return {};
  if (what === 'cut' && /\.edl$/i.test(name)) {
    const r = cutFromEdl(bytes, { rate, source: name, name: name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, ''), ...(opts.ffoa ? { ffoa: opts.ffoa } : {}), ...(opts.pictureStart ? { pictureStart: opts.pictureStart } : {}) });
    diags.push(...r.diagnostics.filter((d) => d.severity === 'error'));
    return r.ok ? { cut: r.value } : {};
  }
  const r = readTimeline(bytes, { fileName: name, source: name, rate });
  if (!r.ok) { diags.push(...r.diagnostics.map((d) => ({ ...d, message: `reference ${name}: ${d.message}` }))); return {}; }
  return what === 'cut' ? { cut: cutFromTimeline(r.value, name) } : { timeline: r.value };
}

/**
 * Runs a conform check (spec §10): conforms the assignment's v1 session from the v1 cut to the v2
 * cut with the engine (the expected result), reads the submitted session (the `file` glob, else
 * the first readable timeline), and grades it. Never throws: unreadable inputs give score 0 with
 * diagnostics (`grade/no-reference`, `grade/no-session`, `conform/...`).
 */
export async function runConformCheck(check: ConformCheck, submission: Submission, options: RunConformOptions = {}): Promise<CheckResult> {
  const diagnostics: Diagnostic[] = [];
  const rateR = FrameRate.parse(check.rate);
  const base = { id: check.id ?? 'conform', kind: 'conform', title: check.title ?? 'Conform to picture changes', weight: check.weight };
  const failed = (msg: string): CheckResult => ({ ...base, score: 0, items: [], feedback: [msg], diagnostics });
  if (!rateR.ok) { diagnostics.push(...rateR.diagnostics); return failed(`The rubric's rate "${check.rate}" is not a frame rate.`); }
  const rate = rateR.value;
  const ctx = options.context ?? new GradeContext({ schema: 'dubstage.rubric/1', title: '', rate, sampleRate: 48000, checks: [] }, submission, options.references ?? {});
  const cutOpts = { ...(check.ffoa ? { ffoa: check.ffoa } : {}), ...(check.pictureStart ? { pictureStart: check.pictureStart } : {}) };
  const oldCut = (await load(check.oldCut, 'cut', rate, ctx, cutOpts, diagnostics)).cut;
  const newCut = (await load(check.newCut, 'cut', rate, ctx, cutOpts, diagnostics)).cut;
  const v1 = (await load(check.session, 'session', rate, ctx, {}, diagnostics)).timeline;
  if (!oldCut || !newCut || !v1) return failed('The assignment files could not be read; this check was not graded.');
  const session = sessionFromTimeline(v1);
  const expected = conform(oldCut, newCut, session);
  if (!expected.ok) { diagnostics.push(...expected.diagnostics); return failed('The assignment could not be conformed; this check was not graded.'); }
  const found = await ctx.firstTimeline(check.file, diagnostics);
  if (!found) {
    diagnostics.push(error('grade/no-session', 'no readable session (Pro Tools text, AAF, OTIO, dubstage JSON…) in the submission'));
    return failed('No readable session was found in your submission.');
  }
  return gradeConform(expected.value, v1, found.timeline, check);
}

/**
 * Grades a student session against an expected conform (spec §10.2–§10.6). `v1` is the
 * assignment's session timeline (for the start, rates and media checks). Pure and deterministic.
 */
export function gradeConform(exp: ConformResult, v1: Timeline, student: Timeline, check: Pick<ConformCheck, 'id' | 'title' | 'weight' | 'tolerances' | 'trackKinds'>): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const sr = exp.sampleRate;
  const rate = exp.map.rate;
  const nonInteger = (BigInt(sr) * rate.rate.den) % rate.rate.num !== 0n;
  const tt = check.tolerances ?? {};
  const tol: Tol = {
    syncExact: tt.syncExact ? samplesOf(tt.syncExact, sr, rate) : nonInteger ? 2 : 1,
    syncPass: samplesOf(tt.syncPass ?? DEFAULT_TOLERANCES.syncPass, sr, rate),
    syncWarn: samplesOf(tt.syncWarn ?? DEFAULT_TOLERANCES.syncWarn, sr, rate),
    searchWindow: samplesOf(tt.searchWindow ?? DEFAULT_TOLERANCES.searchWindow, sr, rate),
    edgeEdit: samplesOf(tt.edgeEdit ?? DEFAULT_TOLERANCES.edgeEdit, sr, rate),
    coverage: tt.coverage ?? DEFAULT_TOLERANCES.coverage,
  };
  const spf = (sr * Number(rate.rate.den)) / Number(rate.rate.num); // display and thresholds only
  const f0 = exp.startFrame;
  const S = (f: number): number => frameToSample(f, f0, sr, rate);
  const tcOf = (x: number): string => formatFrames(f0 + Number((BigInt(Math.floor(x)) * rate.rate.num) / (BigInt(sr) * rate.rate.den)), rate);
  const framesText = (d: number): string => {
    const f = d / spf;
    return Number.isInteger(f) ? String(Math.abs(f)) : Math.abs(f).toFixed(2);
  };

  // Expected pieces (primary and copy) on conformed tracks.
  const conformed = new Set(exp.regions.map((oc) => oc.track));
  const halfSecond = sr / 2;
  const expPieces: ExpPiece[] = [];
  for (const oc of exp.regions) for (const p of oc.pieces) {
    const kind = trackKindOf(oc.track);
    const line = lineOf(oc.track, p.region);
    expPieces.push({ ...line, kind, role: p.role, cutHead: p.cutHead, cutTail: p.cutTail, weight: Math.max(p.end - p.start, halfSecond) * CLASS_WEIGHT[kind] });
  }
  expPieces.sort((a, b) => a.start - b.start || (a.track < b.track ? -1 : a.track > b.track ? 1 : 0) || (a.name < b.name ? -1 : 1));
  const removedLines = exp.removed.map((r) => {
    const R = exp.session.tracks.flatMap((t) => t.regions).find((x) => x.id === r.regionId) ?? exp.regions.find((oc) => oc.regionId === r.regionId)?.pieces[0]?.region;
    return { file: R ? fileKey(R) : r.regionId, f0: r.fileOffset, f1: r.fileOffset + (r.oldEnd - r.oldStart), rowId: r.rowId, track: r.track };
  });
  const holes = exp.map.entries.filter((e) => e.kind === 'insert' || e.kind === 'gap').map((e) => [S(e.new[0]), S(e.new[1])] as const);

  // Student pieces.
  const stSession: Session = sessionFromTimeline(student);
  const stShift = (student.startTimecode.frames - v1.startTimecode.frames);
  // Positions compare on one clock: a student session that starts elsewhere is moved onto the v1 start (and flagged in hygiene).
  const shiftS = stShift === 0 ? 0 : S(f0 + stShift) - S(f0);
  const stPieces: StuPiece[] = [];
  for (const tr of stSession.tracks) for (const r of tr.regions) {
    const l = lineOf(tr.name, { ...r, start: r.start + shiftS, end: r.end + shiftS });
    stPieces.push({ ...l, preserved: Boolean(tr.muted || r.muted || PRESERVE.test(tr.name)), index: stPieces.length });
  }
  const stTracks = [...new Set(stSession.tracks.map((t) => t.name))];
  const byStTrack = new Map<string, StuPiece[]>();
  for (const p of stPieces) { const l = byStTrack.get(p.track) ?? []; l.push(p); byStTrack.set(p.track, l); }

  // 1. Track mapping: by name, then by overlapping content (greedy, ties by name).
  const mapping = new Map<string, string>();
  const used = new Set<string>();
  for (const t of [...conformed].sort()) {
    const m = stTracks.find((s) => trackKey(s) === trackKey(t));
    if (m) { mapping.set(t, m); used.add(m); }
  }
  const pairs: { e: string; s: string; overlap: number }[] = [];
  for (const t of [...conformed].sort()) {
    if (mapping.has(t)) continue;
    for (const s of stTracks) {
      if (used.has(s) || PRESERVE.test(s)) continue;
      let overlap = 0;
      for (const e of expPieces) if (e.track === t) for (const p of byStTrack.get(s) ?? []) {
        if (p.file === e.file && Math.abs(p.L - e.L) <= tol.syncPass) overlap += Math.max(0, Math.min(e.f1, p.f1) - Math.max(e.f0, p.f0));
      }
      if (overlap > 0) pairs.push({ e: t, s, overlap });
    }
  }
  pairs.sort((a, b) => b.overlap - a.overlap || (a.e < b.e ? -1 : a.e > b.e ? 1 : 0) || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
  for (const p of pairs) if (!mapping.has(p.e) && !used.has(p.s)) { mapping.set(p.e, p.s); used.add(p.s); }

  // 2. Per expected piece.
  const explained = new Map<number, [number, number][]>();
  const items: CheckItem[] = [];
  const results: { e: ExpPiece; verdict: PieceVerdict; credit: number; delta?: number; amount: number }[] = [];
  for (const e of expPieces) {
    const st = mapping.get(e.track);
    const mine = st ? byStTrack.get(st) ?? [] : [];
    const len = e.f1 - e.f0;
    const lenient = check.trackKinds?.[e.kind]?.mode === 'lenient';
    const m = measure(e, mine.filter((p) => !PRESERVE.test(p.track)), tol, explained);
    let verdict: PieceVerdict;
    let credit: number;
    if (lenient) {
      // presence and sync of the piece's start only (§10.6 track-kind override)
      const at = mine.filter((p) => p.file === e.file && p.f0 <= e.f0 && e.f0 < p.f1).map((p) => p.L - e.L).sort((a, b) => Math.abs(a) - Math.abs(b))[0];
      verdict = at === undefined ? 'MISSING' : Math.abs(at) <= tol.syncPass ? 'PASS' : 'SYNC_ERROR';
      credit = at === undefined ? 0 : Math.abs(at) <= tol.syncPass ? 1 : Math.abs(at) <= tol.syncWarn ? 0.5 : 0;
    } else {
      credit = (m.passLen + 0.5 * m.warnOnlyLen) / len;
      if (m.passLen / len >= tol.coverage) {
        verdict = m.exact ? 'PASS' : 'PASS_NOT_EXACT';
        const long = mine.some((p) => p.file === e.file && Math.abs(p.L - e.L) <= tol.syncPass && p.f1 > e.f0 && p.f0 < e.f1 &&
          ((e.cutHead && p.f0 < e.f0 - tol.edgeEdit) || (e.cutTail && p.f1 > e.f1 + tol.edgeEdit)));
        if (long) verdict = 'EDGE_LONG';
        credit = Math.min(1, credit);
      } else if (m.dominant !== undefined && Math.abs(m.dominant) > tol.syncPass && m.dominantLen / len >= 0.5) verdict = 'SYNC_ERROR';
      else if (m.presentLen / len >= 0.5) verdict = 'PARTIAL';
      else {
        verdict = 'MISSING';
        for (const s of stTracks) {
          if (s === st) continue;
          const other = measure(e, byStTrack.get(s) ?? [], tol, new Map());
          if (other.passLen / len >= 0.5) {
            measure(e, byStTrack.get(s) ?? [], tol, explained);
            verdict = 'WRONG_TRACK';
            credit = 0.5;
            break;
          }
        }
      }
    }
    const delta = verdict === 'WRONG_TRACK' ? 0 : m.dominant;
    results.push({ e, verdict, credit, amount: m.dominantLen, ...(delta !== undefined ? { delta } : {}) });
    const where = `${e.track} '${e.name}'`;
    const expTc = tcOf(e.start);
    const actTc = delta !== undefined ? tcOf(e.start + delta) : undefined;
    const words: Record<PieceVerdict, string> = {
      PASS: `${where} is in sync at ${expTc}.`,
      PASS_NOT_EXACT: `${where} is in sync at ${expTc} (within half a frame, not sample-exact: ${delta} samples).`,
      SYNC_ERROR: `${where} is ${framesText(delta ?? 0)} frames ${(delta ?? 0) > 0 ? 'LATE' : 'EARLY'}: ${actTc}, expected ${expTc}.`,
      PARTIAL: `${where} is only partly there: ${Math.round((100 * m.presentLen) / len)} % of it (expected at ${expTc}).`,
      MISSING: `${where} is missing (expected at ${expTc}).`,
      WRONG_TRACK: `${where} is in sync but on another track (expected on ${e.track}).`,
      EDGE_LONG: `${where} is in sync but runs past its new edit point by more than the tolerance (removed frames left on).`,
    };
    const verdictMap: Record<PieceVerdict, ItemVerdict> = { PASS: 'match', PASS_NOT_EXACT: 'match', SYNC_ERROR: 'offset', PARTIAL: 'missing', MISSING: 'missing', WRONG_TRACK: 'wrong-track', EDGE_LONG: 'wrong-value' };
    items.push({
      id: `piece ${e.track}/${e.name}@${e.start}`, verdict: verdictMap[verdict], credit: Math.round(credit * 1e6) / 1e6, feedback: words[verdict],
      evidence: {
        expected: expTc, ...(actTc ? { actual: actTc } : {}), ...(delta !== undefined ? { delta: { value: delta, unit: 'samples' as const } } : {}),
        detail: { verdict, track: e.track, studentTrack: mapping.get(e.track) ?? '', weight: e.weight / sr, role: e.role },
      },
    });
  }

  // 3. Student-side material no expected piece explains.
  let removedAudible = false;
  const audibleByRow = new Map<number, Set<string>>();
  for (const s of stPieces) {
    const rest = subtract(s.f0, s.f1, explained.get(s.index) ?? []);
    for (const [a, b] of rest) {
      if (s.preserved) continue;
      const rem = removedLines.filter((r) => r.file === s.file && r.f0 < b && a < r.f1);
      const startS = s.L + a;
      let code: string;
      if (rem.length) {
        code = 'REMOVED_MATERIAL_AUDIBLE';
        removedAudible = true;
        for (const r of rem) { const set = audibleByRow.get(r.rowId) ?? new Set(); set.add(s.track); audibleByRow.set(r.rowId, set); }
      } else if (holes.some(([x, y]) => x <= startS && startS + (b - a) <= y)) code = 'ADDED_IN_NEW_MATERIAL';
      else code = 'EXTRA';
      items.push({
        id: `student ${s.track}/${s.name}@${startS}`, verdict: 'extra', credit: code === 'REMOVED_MATERIAL_AUDIBLE' ? 0 : 1,
        feedback: code === 'REMOVED_MATERIAL_AUDIBLE' ? `${s.track} '${s.name}' plays material the new cut removed, ${tcOf(startS)}–${tcOf(startS + (b - a))}.`
          : code === 'ADDED_IN_NEW_MATERIAL' ? `${s.track} '${s.name}' adds material under new picture at ${tcOf(startS)} (not graded).`
            : `${s.track} '${s.name}' at ${tcOf(startS)} is not in the expected conform.`,
        evidence: { actual: tcOf(startS), detail: { verdict: code, track: s.track, lengthSamples: b - a } },
      });
    }
  }

  // 4. Hygiene (§10.6).
  const hygieneFails: string[] = [];
  if (removedAudible) hygieneFails.push('removed material is audible');
  const notPreserved = removedLines.filter((r) => unionLength(stPieces.filter((p) => p.file === r.file).map((p) => [Math.max(p.f0, r.f0), Math.min(p.f1, r.f1)] as [number, number])) < r.f1 - r.f0);
  if (notPreserved.length) hygieneFails.push('removed material is not preserved anywhere (keep it on a muted or "removed" track)');
  if (stShift !== 0 || student.sampleRate !== v1.sampleRate || !student.frameRate.rate.equals(v1.frameRate.rate) || student.frameRate.dropFrame !== v1.frameRate.dropFrame) {
    hygieneFails.push('the session start, frame rate or sample rate changed');
  }
  const v1Files = new Set(sessionFromTimeline(v1).tracks.flatMap((t) => t.regions.map(fileKey)));
  const stFiles = new Set(stPieces.map((p) => p.file));
  const unknown = stPieces.filter((p) => !v1Files.has(p.file) && !holes.some(([x, y]) => x <= p.start && p.end <= y));
  const missingFiles = [...new Set(expPieces.map((e) => e.file))].filter((f) => !stFiles.has(f));
  if (unknown.length || missingFiles.length) {
    hygieneFails.push(unknown.length ? `media consolidated or unknown (UNVERIFIABLE_MEDIA): ${[...new Set(unknown.map((p) => p.name))].slice(0, 5).join(', ')}` : `media missing: ${missingFiles.slice(0, 5).join(', ')}`);
  }
  const hygiene = Math.max(0, 1 - 0.5 * hygieneFails.length);

  // 5. Rows (§10.5): groups by anchor, windows between anchors, error introduced by each group.
  const rows = exp.map.rows.filter((r) => r.length !== 0);
  const anchors = [...new Set(rows.map((r) => r.anchor))].sort((a, b) => a - b);
  const windowDelta = (lo: number, hi: number): number | undefined => {
    const weights = new Map<number, number>();
    for (const r of results) {
      if (r.delta === undefined || r.e.start < lo || r.e.start >= hi) continue;
      weights.set(r.delta, (weights.get(r.delta) ?? 0) + r.amount);
    }
    let best: number | undefined;
    let bw = -1;
    for (const [d, w] of [...weights].sort((a, b) => a[0] - b[0])) if (w > bw) { best = d; bw = w; }
    return best;
  };
  const bounds = anchors.map((a) => S(a));
  const winAfter = (k: number): number | undefined => {
    for (let j = k; j < bounds.length; j++) {
      const d = windowDelta(bounds[j] as number, j + 1 < bounds.length ? bounds[j + 1] as number : Infinity);
      if (d !== undefined) return d;
    }
    return undefined;
  };
  const winBefore = (k: number): number => {
    for (let j = k - 1; j >= 0; j--) {
      const d = windowDelta(bounds[j] as number, bounds[j + 1] as number);
      if (d !== undefined) return d;
    }
    return 0;
  };
  const groupLen = anchors.map((a) => rows.filter((r) => r.anchor === a).reduce((s, r) => s + r.length, 0));
  let applied = 0;
  const feedback: string[] = [];
  const rowName = (rs: readonly ChangeRow[]): string => rs.map((r) => `${r.type} ${r.key}`).join(' + ');
  // pops get their own line (below), as in the §10.6 feedback
  const lateList = (from: number, d: number): string => {
    const names = new Set<string>();
    for (const r of results) if (r.e.kind !== 'PFX' && r.e.start >= from && r.delta !== undefined && Math.abs(r.delta - d) <= tol.syncPass && r.verdict !== 'PASS' && r.verdict !== 'PASS_NOT_EXACT') names.add(`${r.e.track} '${baseName(r.e.name)}'`);
    return [...names].sort().join(', ');
  };
  const REMOVAL_WORD: Record<string, string> = { TRIM_TAIL: 'tail', TRIM_HEAD: 'head', DELETE: 'shot', REMOVE_PART: 'part', OLD_GAP: 'black' };
  anchors.forEach((a, k) => {
    const group = rows.filter((r) => r.anchor === a);
    const before = k === 0 ? 0 : winBefore(k);
    const after = winAfter(k);
    const eps = after === undefined ? 0 : after - before;
    const lenS = groupLen[k] as number * spf;
    let verdict: RowVerdict;
    if (Math.abs(eps) <= tol.syncPass) verdict = 'APPLIED';
    else if (Math.abs(eps + lenS) <= tol.syncPass) verdict = 'NOT_APPLIED';
    else verdict = 'APPLIED_WITH_ERRORS';
    if (verdict === 'APPLIED') applied += group.length;
    const ids = group.map((r) => r.id).join(', ');
    const head = `Change ${ids} (${rowName(group)}, ${Math.abs(groupLen[k] as number)} frames at ${formatFrames(a, rate)})`;
    const lines: string[] = [];
    if (verdict === 'APPLIED') lines.push(`${head} was applied correctly relative to the surrounding material.`);
    else if (verdict === 'NOT_APPLIED') {
      lines.push(`${head} was not applied:`);
      const list = lateList(S(a), eps);
      if (list) lines.push(`  from ${formatFrames(a, rate)} on, ${list} are ${framesText(eps)} frames ${eps > 0 ? 'LATE' : 'EARLY'}.`);
    } else {
      let why = `it introduced an error of ${framesText(eps)} frames (${eps > 0 ? 'late' : 'early'})`;
      if (Math.abs(eps - lenS) <= tol.syncPass) why = 'it was applied twice, or in the wrong direction';
      else if (rate.dropFrame && Math.abs(Math.abs(eps) - 2 * spf) <= tol.syncExact) why = `it is off by 2 frames at a drop-frame minute: check your drop-frame arithmetic (labels ;00 and ;01 do not exist)`;
      else {
        for (let j = k - 1; j >= 0; j--) {
          const sum = groupLen.slice(j, k + 1).reduce((s, x) => s + x, 0) * spf;
          if (Math.abs(eps + sum) <= tol.syncPass) { why = `changes ${rows.find((r) => r.anchor === anchors[j])?.id}..${group[group.length - 1]?.id} are missing`; break; }
        }
      }
      lines.push(`${head} was applied with errors: ${why}.`);
    }
    for (const r of group) {
      const tracks = audibleByRow.get(r.id);
      if (tracks && r.old) lines.push(`  The removed ${REMOVAL_WORD[r.type] ?? 'material'} of ${r.key} (old ${formatFrames(r.old[0], rate)}–${formatFrames(r.old[1], rate)}) is still audible on ${[...tracks].sort().join(', ')}.`);
      if (r.type === 'COPY' && results.some((x) => x.e.role === 'copy' && x.e.start >= S(r.anchor) && x.e.start < S(r.anchor + r.length) && x.verdict === 'MISSING')) lines.push(`  The reused shot ${r.key} at ${formatFrames(r.anchor, rate)} was not filled.`);
    }
    feedback.push(...lines);
    for (const r of group) {
      items.push({
        id: `row ${r.id}`, verdict: verdict === 'APPLIED' ? 'match' : verdict === 'NOT_APPLIED' ? 'missing' : 'offset', credit: verdict === 'APPLIED' ? 1 : 0,
        feedback: lines[0] as string,
        evidence: { expected: formatFrames(a, rate), delta: { value: eps, unit: 'samples' }, detail: { verdict, type: r.type, key: r.key, length: r.length, deltaBefore: before, deltaAfter: after ?? before } },
      });
    }
  });
  for (const r of results) if (r.e.kind === 'PFX' && r.verdict === 'SYNC_ERROR' && r.delta !== undefined) feedback.push(`${r.e.track} '${r.e.name}' is at ${tcOf(r.e.start + r.delta)}; expected ${tcOf(r.e.start)}.`);
  for (const h of hygieneFails) feedback.push(`Session hygiene: ${h}.`);

  // 6. Score (§10.6).
  const totalW = results.reduce((s, r) => s + r.e.weight, 0);
  const syncCoverage = totalW > 0 ? results.reduce((s, r) => s + r.e.weight * r.credit, 0) / totalW : 1;
  const rowScore = rows.length ? applied / rows.length : 1;
  const score = 0.6 * syncCoverage + 0.3 * rowScore + 0.1 * hygiene;
  feedback.push(`Score ${(Math.round(score * 1000) / 10).toFixed(1)} / 100 (sync ${(syncCoverage * 100).toFixed(1)} %, changes ${applied}/${rows.length}, hygiene ${hygiene}).`);
  items.push({ id: 'score', verdict: 'match', credit: score, feedback: feedback[feedback.length - 1] as string, evidence: { detail: { syncCoverage, rowScore, hygiene } } });
  return { id: check.id ?? 'conform', kind: 'conform', title: check.title ?? 'Conform to picture changes', weight: check.weight, score, items, feedback, diagnostics };
}
