/**
 * Relative change lists as conform input (spec/conform.md §5.10): when only "remove / insert /
 * move" instructions are available, a piece table turns them into the new cut, which then goes
 * through the ordinary engine (so rows, backbone, removed lanes and every invariant are the same
 * as for a cut-list conform).
 *
 * The piece table starts as one identity piece over the old cut's `[ffoa, end)`; operations apply
 * in list order in *current-timeline* record frames (`DELETE p n`, `INSERT p n`, `MOVE p n → q`
 * with `q` counted after the removal). The final pieces, split at the old shots they show, are the
 * new cut's events: a kept piece names its old shot's source, an inserted piece a source of its own.
 *
 * The Avid text layout is not verified (spec §5.10, research §7), so the text reader here is a
 * small documented format of our own and the operation list is the stable interface.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ParseResult } from '../diagnostics/result.js';
import { fail, ok } from '../diagnostics/result.js';
import type { FilmGauge } from '../time/feet-frames.js';
import { feetToFrames, parseFeet } from '../time/feet-frames.js';
import type { FrameRate } from '../time/frame-rate.js';
import { Timecode } from '../time/timecode.js';
import { normalizeCut } from './normalize.js';
import type { ConformOptions, Cut, CutEvent, Frame } from './types.js';

/** One relative operation, in record frames of the timeline as it stands when it applies. */
export type ChangeOp =
  | { readonly op: 'DELETE'; readonly at: Frame; readonly length: number; readonly line?: number }
  | { readonly op: 'INSERT'; readonly at: Frame; readonly length: number; readonly name?: string; readonly line?: number }
  | { readonly op: 'MOVE'; readonly at: Frame; readonly length: number; readonly to: Frame; readonly line?: number };

interface Piece {
  len: number;
  /** Old record frame of the piece's first frame; absent for inserted material. */
  old0?: number;
  name?: string;
}

/**
 * Applies a relative change list to an old cut and returns the new cut (spec §5.10). Positions
 * outside the current timeline are `conform/change-out-of-range` errors (with the op's line when
 * it came from text); a zero or negative length is `conform/change-bad-length`.
 */
export function cutFromChangeList(oldCut: Cut, ops: readonly ChangeOp[], options: Partial<ConformOptions> & { readonly name?: string } = {}): ParseResult<Cut> {
  const { shots } = normalizeCut(oldCut, options);
  const ffoa = options.anchors?.ffoaOld ?? oldCut.ffoa ?? (shots.length ? Math.min(...shots.map((s) => s.recIn)) : 0);
  const end = shots.reduce((m, s) => Math.max(m, s.recOut), ffoa);
  let pieces: Piece[] = end > ffoa ? [{ len: end - ffoa, old0: ffoa }] : [];
  const total = (): number => pieces.reduce((a, p) => a + p.len, 0);
  /** Splits so that a piece boundary falls at current frame `pos`; returns the index of the piece starting there. */
  const splitAt = (pos: number): number => {
    let cursor = ffoa;
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i] as Piece;
      if (cursor === pos) return i;
      if (pos < cursor + p.len) {
        const k = pos - cursor;
        const a: Piece = { ...p, len: k };
        const b: Piece = { ...p, len: p.len - k, ...(p.old0 !== undefined ? { old0: p.old0 + k } : {}) };
        pieces.splice(i, 1, a, b);
        return i + 1;
      }
      cursor += p.len;
    }
    return pieces.length;
  };
  const take = (at: number, len: number): Piece[] => {
    const i = splitAt(at);
    const j = splitAt(at + len);
    return pieces.splice(i, j - i);
  };
  const bad = (o: ChangeOp, msg: string): ParseResult<Cut> =>
    fail(error('conform/change-out-of-range', msg, o.line !== undefined ? { at: { offset: 0, line: o.line } } : {}));
  let insertCount = 0;
  for (const o of ops) {
    const cur = ffoa + total();
    if (!Number.isInteger(o.length) || o.length <= 0) {
      return fail(error('conform/change-bad-length', `${o.op} at frame ${o.at}: length ${o.length} is not a positive whole number of frames`, o.line !== undefined ? { at: { offset: 0, line: o.line } } : {}));
    }
    if (o.op === 'INSERT') {
      if (o.at < ffoa || o.at > cur) return bad(o, `INSERT at frame ${o.at} is outside the current timeline [${ffoa}, ${cur}]`);
      insertCount++;
      pieces.splice(splitAt(o.at), 0, { len: o.length, name: o.name ?? `INSERT${String(insertCount).padStart(3, '0')}` });
      continue;
    }
    if (o.at < ffoa || o.at + o.length > cur) return bad(o, `${o.op} of [${o.at}, ${o.at + o.length}) is outside the current timeline [${ffoa}, ${cur})`);
    const taken = take(o.at, o.length);
    if (o.op === 'MOVE') {
      const after = ffoa + total();
      if (o.to < ffoa || o.to > after) return bad(o, `MOVE target frame ${o.to} is outside the timeline after the removal [${ffoa}, ${after}]`);
      pieces.splice(splitAt(o.to), 0, ...taken);
    }
  }
  pieces = pieces.filter((p) => p.len > 0);

  // Pieces become events, split at the old shots they show (old black stays black).
  const events: CutEvent[] = [];
  let rec = ffoa;
  const sorted = [...shots].sort((a, b) => a.recIn - b.recIn);
  for (const p of pieces) {
    if (p.old0 === undefined) {
      const name = p.name ?? 'INSERT';
      events.push({ num: String(events.length + 1), reel: name, track: 'V', trans: 'C', srcIn: 0, srcOut: p.len, recIn: rec, recOut: rec + p.len, clipName: name });
    } else {
      const o0 = p.old0;
      const o1 = p.old0 + p.len;
      for (const s of sorted) {
        const a = Math.max(o0, s.recIn);
        const b = Math.min(o1, s.recOut);
        if (b <= a) continue;
        const srcIn = s.srcIn + Math.round((a - s.recIn) * s.speed);
        events.push({
          num: String(events.length + 1), reel: s.key, track: 'V', trans: 'C',
          srcIn, srcOut: srcIn + Math.round((b - a) * s.speed), recIn: rec + (a - o0), recOut: rec + (b - o0), clipName: s.label,
          ...(s.speed !== 1 ? { speedFps: s.speed * oldCut.rate.nominalFps } : {}),
        });
      }
    }
    rec += p.len;
  }
  return ok({
    name: options.name ?? `${oldCut.name} + changes`, rate: oldCut.rate, ffoa, events,
    ...(oldCut.pictureStart !== undefined ? { pictureStart: oldCut.pictureStart } : {}),
  });
}

/** Options of {@link parseChangeList}. */
export interface ChangeListParseOptions {
  readonly rate: FrameRate;
  /** Frame index of feet+frames `0+00` (picture start); needed for footage positions. */
  readonly pictureStart?: Frame;
  /** Gauge of footage positions and lengths (default 35 mm 4-perf, 16 frames a foot). */
  readonly gauge?: FilmGauge;
}

/**
 * Reads a change list in dubstage's plain text layout, one operation a line (`#` starts a comment):
 *
 * ```
 * DELETE 01:00:03:12 12            # remove 12 frames at that record timecode (REMOVE, EXTRACT)
 * INSERT 01:00:11:12 24 E001       # 24 new frames, optional name (ADD)
 * MOVE   01:00:04:00 72 01:00:09:00  # cut 72 frames and paste them at the target
 * DELETE 0017+04..0017+15          # film style: inclusive footage range (§1.1: F1..F2 = [F1, F2+1))
 * ```
 *
 * A position is a timecode or feet+frames counted from `pictureStart`; a length is a frame count,
 * a footage (`0+12`), or given by an inclusive `A..B` range. Bad lines are
 * `conform/change-syntax` errors with their line and column.
 */
export function parseChangeList(text: string, options: ChangeListParseOptions): ParseResult<ChangeOp[]> {
  const gauge = options.gauge ?? '35mm-4perf';
  const ops: ChangeOp[] = [];
  const diags: Diagnostic[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/#.*$/, '').trim();
    if (body === '') return;
    const err = (msg: string, col = 1): void => { diags.push(error('conform/change-syntax', msg, { at: { offset: 0, line, column: col } })); };
    const pos = (tok: string): Frame | undefined => {
      if (/^-?\d+\+\d+$/.test(tok)) {
        if (options.pictureStart === undefined) { err(`footage ${tok} needs a picture start`, raw.indexOf(tok) + 1); return undefined; }
        const f = parseFeet(tok, gauge);
        if (!f.ok) { err(f.diagnostics[0].message, raw.indexOf(tok) + 1); return undefined; }
        return options.pictureStart + Number(feetToFrames(f.value, gauge));
      }
      const t = Timecode.parse(tok, { rate: options.rate, line, column: raw.indexOf(tok) + 1 });
      if (!t.ok) { diags.push(...t.diagnostics); return undefined; }
      return t.value.frames;
    };
    const len = (tok: string): number | undefined => {
      if (/^\d+$/.test(tok)) return Number(tok);
      if (/^\d+\+\d+$/.test(tok)) {
        const f = parseFeet(tok, gauge);
        if (!f.ok) { err(f.diagnostics[0].message, raw.indexOf(tok) + 1); return undefined; }
        return Number(feetToFrames(f.value, gauge));
      }
      err(`"${tok}" is not a length (frames or feet+frames)`, raw.indexOf(tok) + 1);
      return undefined;
    };
    const words = body.split(/\s+/);
    const verb = (words[0] as string).toUpperCase();
    const op = verb === 'REMOVE' || verb === 'EXTRACT' || verb === 'DELETE' ? 'DELETE' : verb === 'ADD' || verb === 'INSERT' ? 'INSERT' : verb === 'MOVE' ? 'MOVE' : undefined;
    if (!op) { err(`unknown operation "${words[0]}" (DELETE, INSERT, MOVE)`); return; }
    let at: Frame | undefined;
    let length: number | undefined;
    let rest: string[];
    const first = words[1];
    if (first === undefined) { err(`${op} needs a position`); return; }
    if (first.includes('..')) {
      const [a, b] = first.split('..') as [string, string];
      at = pos(a);
      const last = pos(b);
      if (at === undefined || last === undefined) return;
      length = last - at + 1;
      rest = words.slice(2);
    } else {
      at = pos(first);
      const l = words[2];
      if (l === undefined) { err(`${op} needs a length`); return; }
      length = len(l);
      rest = words.slice(3);
    }
    if (at === undefined || length === undefined) return;
    if (op === 'DELETE') ops.push({ op, at, length, line });
    else if (op === 'INSERT') ops.push({ op, at, length, line, ...(rest.length ? { name: rest.join(' ') } : {}) });
    else {
      const target = rest[0];
      if (target === undefined) { err('MOVE needs a target position'); return; }
      const to = pos(target);
      if (to !== undefined) ops.push({ op, at, length, to, line });
    }
  });
  if (diags.length) return fail(diags[0] as Diagnostic, ...diags.slice(1));
  return ok(ops);
}
