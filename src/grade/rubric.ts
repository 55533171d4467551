/**
 * Rubrics: the JSON an instructor writes to grade an assignment (schema `dubstage.rubric/1`).
 *
 * A rubric names the picture rate and session sample rate the assignment uses and lists weighted
 * checks. Each check has a `kind` (`markers`, `cues`, `tracks`, `timeline`, and, from their own
 * modules, `deliverables` and `conform`), a `weight` (points), an optional `id` and `title`, and an
 * optional `file` glob choosing which submitted file it reads. Validation is io-ts at this edge:
 * every problem becomes a `rubric/invalid` diagnostic whose `path` names the JSON path
 * (`checks[2]`, `tolerance`, `frames`). docs/grading.md is the reference with examples.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../diagnostics/result.js';
import { errorPath } from '../formats/json/codecs.js';
import { parseJsonText } from '../formats/json/json-text.js';
import { FrameRate } from '../time/frame-rate.js';
import { Timecode } from '../time/timecode.js';
import type { Tolerance } from './evidence.js';

/** The schema id a rubric carries. */
export const RUBRIC_SCHEMA = 'dubstage.rubric/1';

/** `{ "frames": 2 }`, `{ "samples": 480 }` or `{ "seconds": 0.5 }` ⇄ {@link Tolerance}. */
export const ToleranceC = new t.Type<Tolerance, Record<string, number>, unknown>(
  'Tolerance',
  (u): u is Tolerance => typeof u === 'object' && u !== null && 'unit' in u && 'value' in u,
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'a tolerance such as {"frames": 1}, {"samples": 480} or {"seconds": 0.5}');
    const keys = Object.keys(u);
    const k = keys[0];
    if (keys.length !== 1 || (k !== 'frames' && k !== 'samples' && k !== 'seconds')) return t.failure(u, c, 'one of "frames", "samples" or "seconds"');
    const v = (u as Record<string, unknown>)[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return t.failure(v, t.appendContext(c, k, t.number, v), 'a number ≥ 0');
    return t.success({ value: v, unit: k });
  },
  (a) => ({ [a.unit]: a.value }),
);

const NonNegative = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a number ≥ 0');
const Fraction = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0 && n <= 1, 'a fraction in [0, 1]');

/** Fields every check has. */
export const CheckBaseC = t.intersection([
  t.type({ kind: t.string, weight: NonNegative }),
  t.partial({ id: t.string, title: t.string, file: t.string }),
]);
export type CheckBase = t.TypeOf<typeof CheckBaseC>;

/** One expected cue or marker written inline in the rubric. */
export const InlineCueC = t.intersection([
  t.type({ start: t.string }),
  t.partial({ cue: t.string, name: t.string, line: t.string, character: t.string, reason: t.string, end: t.string, notes: t.string }),
]);
export type InlineCue = t.TypeOf<typeof InlineCueC>;

/** Credit weights of a cue's parts; normalised to sum 1 when graded. */
export const CueWeightsC = t.partial({ position: NonNegative, cue: NonNegative, line: NonNegative, character: NonNegative, reason: NonNegative });
export type CueWeights = t.TypeOf<typeof CueWeightsC>;

/**
 * `markers` (spotting notes: position and name) and `cues` (ADR/spotting cues: position, number,
 * character, line, reason). Expected points come from `reference` (a file: CSV cue sheet, MIDI
 * marker file, Pro Tools text, any timeline) or inline `cues`.
 */
export const CuesCheckC = t.intersection([
  CheckBaseC,
  t.type({ kind: t.union([t.literal('markers'), t.literal('cues')]) }),
  t.partial({
    reference: t.string,
    cues: t.array(InlineCueC),
    /** Full position credit within this. Default 1 frame. */
    tolerance: ToleranceC,
    /** Half position credit within this. Default 2 frames. */
    warnTolerance: ToleranceC,
    /** Points farther apart are not paired. Default 5 s. */
    window: ToleranceC,
    /** `number`: pair by cue number first (default for `cues`); `position` (default for `markers`). */
    matchBy: t.union([t.literal('number'), t.literal('position')]),
    weights: CueWeightsC,
    /** Penalty per unexpected submitted cue, as a fraction of one cue. Default 0. */
    extraPenalty: NonNegative,
  }),
]);
export type CuesCheck = t.TypeOf<typeof CuesCheckC>;

/** `tracks`: required track names and order, clip placement, overlaps, checkerboarding. */
export const TracksCheckC = t.intersection([
  CheckBaseC,
  t.type({ kind: t.literal('tracks') }),
  t.partial({
    /** Track names that must exist (case and blanks ignored), or `/regex/flags`. */
    required: t.array(t.string),
    /** The required tracks must appear in this order. Default false. */
    order: t.boolean,
    /** No two clips of one track may overlap (beyond a crossfade). Default true. */
    noOverlaps: t.boolean,
    /** Clips whose name or media matches `clip` must sit on a track matching `track` (both `/regex/` or text). */
    placement: t.array(t.type({ clip: t.string, track: t.string })),
    /** Tracks (names or `/regex/`) whose clips must alternate: consecutive clips of different media on one track at least `minGap` apart. */
    checkerboard: t.intersection([t.type({ tracks: t.array(t.string) }), t.partial({ minGap: ToleranceC })]),
  }),
]);
export type TracksCheck = t.TypeOf<typeof TracksCheckC>;

/** `timeline`: general compare against an expected timeline (src/grade/compare.ts). */
export const TimelineCheckC = t.intersection([
  CheckBaseC,
  t.type({ kind: t.literal('timeline'), reference: t.string }),
  t.partial({
    tolerance: ToleranceC,
    warnTolerance: ToleranceC,
    window: ToleranceC,
    coverage: Fraction,
    wrongTrackCredit: Fraction,
    /** Penalty per extra region, as a fraction of one expected item. Default 0.25. */
    extraPenalty: NonNegative,
    markers: t.boolean,
    ignoreMuted: t.boolean,
  }),
]);
export type TimelineCheck = t.TypeOf<typeof TimelineCheckC>;

/** The rubric document. */
export const RubricDocumentC = t.intersection([
  t.type({ schema: t.literal(RUBRIC_SCHEMA), checks: t.array(t.unknown) }),
  t.partial({ title: t.string, rate: t.string, sampleRate: t.number, startTimecode: t.string, description: t.string }),
]);

/** A check after validation: its common fields plus its kind's decoded entry. */
export interface RubricCheck extends CheckBase {
  /** The entry's `id`, else `<kind>-<1-based index>`. */
  readonly id: string;
  /** The check as decoded by its kind's codec. */
  readonly decoded: unknown;
}

/** A validated rubric. */
export interface Rubric {
  readonly schema: typeof RUBRIC_SCHEMA;
  readonly title: string;
  readonly description?: string;
  /** Picture rate for timecodes (CSV sheets, EDLs, inline cues). Default 24. */
  readonly rate: FrameRate;
  /** Session sample rate. Default 48000. */
  readonly sampleRate: number;
  /** Session start, for MIDI marker files that carry no SMPTE offset. */
  readonly startTimecode?: Timecode;
  readonly checks: readonly RubricCheck[];
}

/** The codec of each check kind; {@link registerCheckCodec} adds kinds that live elsewhere. */
const CODECS = new Map<string, t.Type<unknown, unknown, unknown>>([
  ['markers', CuesCheckC as t.Type<unknown, unknown, unknown>],
  ['cues', CuesCheckC as t.Type<unknown, unknown, unknown>],
  ['tracks', TracksCheckC as t.Type<unknown, unknown, unknown>],
  ['timeline', TimelineCheckC as t.Type<unknown, unknown, unknown>],
]);

/** Adds a check kind's codec (used by the check registry in grade.ts). */
export function registerCheckCodec(kind: string, codec: t.Type<unknown, unknown, unknown>): void {
  CODECS.set(kind, codec);
}

/** The check kinds a rubric may use. */
export function checkKinds(): string[] {
  return [...CODECS.keys()];
}

function preview(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function ioErrors(errors: t.Errors, prefix: readonly string[], source: string | undefined): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const path = [...prefix, ...errorPath(e.context)];
    // Join an array index onto its key: ['checks', '[2]'] reads better as 'checks[2]'.
    const key = path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    const expected = e.message ?? e.context[e.context.length - 1]?.type.name ?? 'a valid value';
    // The document itself (an empty path) is placed at its first character (issue 13: every error has a place).
    const place = path.length > 0 ? { path } : { at: { offset: 0, line: 1, column: 1 } };
    out.push(error('rubric/invalid', `${key || 'rubric'}: expected ${expected}, got ${preview(e.value)}`, { ...place, expected, received: preview(e.value), ...(source !== undefined ? { source } : {}) }));
    if (out.length >= 50) break;
  }
  return out;
}

/**
 * Validates a rubric (JSON text or an already parsed value). Never throws: bad JSON is
 * `rubric/syntax` at its line and column, a schema problem `rubric/invalid` with its JSON path,
 * an unknown check kind `rubric/unknown-kind`, a bad rate or start timecode `rubric/bad-rate` /
 * `rubric/bad-timecode`.
 */
export function parseRubric(input: string | Uint8Array | unknown, options: { source?: string } = {}): ParseResult<Rubric> {
  const src = options.source !== undefined ? { source: options.source } : {};
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
    const parsed = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { area: 'rubric', ...src });
    if (!parsed.ok) return parsed;
    value = parsed.value;
  }
  const doc = RubricDocumentC.decode(value);
  if (isLeft(doc)) return { ok: false, diagnostics: ioErrors(doc.left, [], options.source) as [Diagnostic, ...Diagnostic[]] };
  const d = doc.right;
  const diagnostics: Diagnostic[] = [];
  let rate = FrameRate.FPS_24;
  if (d.rate !== undefined) {
    const r = FrameRate.parse(d.rate);
    if (r.ok) rate = r.value;
    else diagnostics.push(error('rubric/bad-rate', `rate "${d.rate}": ${r.diagnostics[0].message}`, { ...src, path: ['rate'], received: d.rate }));
  }
  let startTimecode: Timecode | undefined;
  if (d.startTimecode !== undefined) {
    const tc = Timecode.parse(d.startTimecode, { rate });
    if (tc.ok) startTimecode = tc.value;
    else diagnostics.push(error('rubric/bad-timecode', `startTimecode "${d.startTimecode}": ${tc.diagnostics[0].message}`, { ...src, path: ['startTimecode'], received: d.startTimecode }));
  }
  if (d.sampleRate !== undefined && (!Number.isInteger(d.sampleRate) || d.sampleRate <= 0)) {
    diagnostics.push(error('rubric/invalid', `sampleRate: expected a positive integer, got ${d.sampleRate}`, { ...src, path: ['sampleRate'] }));
  }
  const checks: RubricCheck[] = [];
  const ids = new Set<string>();
  d.checks.forEach((raw, i) => {
    const at = [`checks[${i}]`];
    const base = CheckBaseC.decode(raw);
    if (isLeft(base)) {
      diagnostics.push(...ioErrors(base.left, at, options.source));
      return;
    }
    const codec = CODECS.get(base.right.kind);
    if (!codec) {
      diagnostics.push(error('rubric/unknown-kind', `${at[0]}.kind: unknown check kind "${base.right.kind}" (known: ${checkKinds().join(', ')})`, { ...src, path: [...at, 'kind'], received: base.right.kind, expected: checkKinds().join(' | ') }));
      return;
    }
    const decoded = codec.decode(raw);
    if (isLeft(decoded)) {
      diagnostics.push(...ioErrors(decoded.left, at, options.source));
      return;
    }
    const id = base.right.id ?? `${base.right.kind}-${i + 1}`;
    if (ids.has(id)) diagnostics.push(error('rubric/duplicate-id', `${at[0]}.id: "${id}" is used twice`, { ...src, path: [...at, 'id'], received: id }));
    ids.add(id);
    if (base.right.file !== undefined) {
      try {
        globToRegExp(base.right.file);
      } catch {
        diagnostics.push(error('rubric/invalid', `${at[0]}.file: "${base.right.file}" is not a usable pattern`, { ...src, path: [...at, 'file'] }));
      }
    }
    checks.push({ ...base.right, id, decoded: decoded.right });
  });
  if (diagnostics.some((x) => x.severity === 'error')) return { ok: false, diagnostics: diagnostics as [Diagnostic, ...Diagnostic[]] };
  return ok({
    schema: RUBRIC_SCHEMA,
    title: d.title ?? 'Assignment',
    ...(d.description !== undefined ? { description: d.description } : {}),
    rate,
    sampleRate: d.sampleRate ?? 48000,
    ...(startTimecode ? { startTimecode } : {}),
    checks,
  }, diagnostics);
}

/**
 * A glob (`*.csv`, `stems/*.wav`, `**\/*.txt`, `{a,b}.mid`) as a case-insensitive regular
 * expression over `/`-separated paths. A pattern without `/` matches the base name anywhere.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      re += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      re += ')';
      depth--;
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(glob.includes('/') ? `^${re}$` : `(?:^|/)${re}$`, 'i');
}

/** A name pattern: `/regex/flags` or plain text compared case- and blank-insensitively. */
export function namePattern(p: string): (name: string) => boolean {
  const m = /^\/(.*)\/([a-z]*)$/.exec(p);
  if (m) {
    let re: RegExp;
    try {
      re = new RegExp(m[1] as string, (m[2] as string).includes('i') ? m[2] : (m[2] as string) + 'i');
    } catch {
      return () => false;
    }
    return (name) => re.test(name);
  }
  const want = p.trim().toLowerCase().replace(/\s+/g, ' ');
  return (name) => name.trim().toLowerCase().replace(/\s+/g, ' ') === want;
}

/** Check fields that name reference files (a string value is a path the caller loads). */
const REFERENCE_FIELDS = ['reference', 'oldCut', 'newCut', 'session'] as const;

/** Every reference path the rubric names (`reference`, and a conform check's cuts and session), for a caller that loads them (CLI, autograder). */
export function referencePaths(rubric: Rubric): string[] {
  const out = new Set<string>();
  for (const c of rubric.checks) {
    for (const k of REFERENCE_FIELDS) {
      const v = (c.decoded as Record<string, unknown>)[k];
      if (typeof v === 'string') out.add(v);
    }
  }
  return [...out];
}
