/**
 * EDL statements → {@link Timeline} (spec/edl.md; issue 4 "Into the model").
 *
 * An event becomes a clip on track `V` and/or `A1`…`An` (one clip per channel it names).
 * `start` is its record-in measured from the timeline's start timecode (the earliest record-in
 * unless the caller names one), `sourceStart` its source-in counted from `00:00:00:00` of the
 * reel, `duration` record-out − record-in. Dissolves, wipes and keys become transitions, M2 lines
 * set `speed` and keep their data in `metadata.edl.m2`, `* LOC` notes (and Resolve `|C:|M:|D:`
 * lines) become markers, and every other note stays on its clip in `metadata.edl.notes`.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../diagnostics/result.js';
import type { Clip, GainPoint, JsonValue, Marker, MediaReference, MediaSource, Timeline, Track, Transition } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { framesAt, labelToFrames, Timecode } from '../../time/timecode.js';
import {
  asNote,
  decodeText,
  EventLine,
  forEachStatement,
  readStatements,
  type AudStatement,
  type EdlDocument,
  type EdlStatement,
  type EffectStatement,
  type EventStatement,
  type M2Statement,
  type NoteStatement,
  type SplitStatement,
} from './syntax.js';

/** Options of {@link parse} / {@link buildTimeline}. */
export interface EdlParseOptions {
  /** The list's picture rate (EDLs do not state one). `FCM` lines decide drop/non-drop at 29.97 and 59.94. */
  readonly rate: FrameRate;
  /** `tolerant` (default): malformed lines are skipped with warnings. `strict`: they are errors and the parse fails. */
  readonly mode?: 'strict' | 'tolerant';
  /** File name for diagnostics. */
  readonly source?: string;
  /** Label of timeline position 0 (default: the earliest record-in of the list). */
  readonly startTimecode?: Timecode;
  /** Session sample rate of the timeline (default 48000; EDLs carry none). */
  readonly sampleRate?: number;
}

/** One event: its edit line(s) (two for a transition) and the statements that follow them. */
export interface EdlEventGroup {
  readonly number: string;
  readonly lines: readonly EventStatement[];
  readonly m2: readonly M2Statement[];
  readonly aud: readonly AudStatement[];
  readonly notes: readonly NoteStatement[];
  readonly effects: readonly EffectStatement[];
  /**
   * The `SPLIT:` statement of a split edit (spec/edl.md §8): it stands before the first of two
   * event lines with the same number, and applies to both (`splitSecond` marks the second).
   */
  readonly split: SplitStatement | undefined;
  readonly splitSecond: boolean;
  /** Drop-frame mode of the record side and of the source side when the event was read (FCM state). */
  readonly recordDropFrame: boolean | undefined;
  readonly sourceDropFrame: boolean | undefined;
}

/** The statements of a list grouped into events, plus the title and header lines. */
export interface EdlEventList {
  readonly title?: string;
  /** FCM of the header (the record side), when given. */
  readonly recordDropFrame: boolean | undefined;
  readonly events: readonly EdlEventGroup[];
  /** Lines before the first event that are not the title or FCM (notes, EDL-X options). */
  readonly header: readonly EdlStatement[];
  /**
   * Avid's source table (`>>> SOURCE …` lines and the notes under them), which follows the
   * events; kept apart so its `SOURCE FILE` notes do not attach to the last event.
   */
  readonly sourceTable: readonly EdlStatement[];
}

interface MutableGroup {
  number: string;
  lines: EventStatement[];
  m2: M2Statement[];
  aud: AudStatement[];
  notes: NoteStatement[];
  effects: EffectStatement[];
  split: SplitStatement | undefined;
  splitSecond: boolean;
  recordDropFrame: boolean | undefined;
  sourceDropFrame: boolean | undefined;
}

function isTransitionType(editType: string): boolean {
  return editType !== 'C';
}

/** Shared empty list: events without M2/AUD/notes allocate nothing for them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const NONE: any[] = [];

function isTransitionLine(s: EventStatement): boolean {
  return s instanceof EventLine ? s.isTransition : isTransitionType(s.editType);
}

function sameNumber(a: EventStatement, b: EventStatement): boolean {
  return a instanceof EventLine && b instanceof EventLine ? a.sameNumber(b) : a.number === b.number;
}

/**
 * Groups statements into events (spec/edl.md §1, §5): an edit line starts an event unless it is
 * the second line of a two-line transition (same event number, edit type other than `C`, after
 * one line). `FCM` is state: the first one before any event sets the record side; the latest one
 * before an event sets that event's source side (spec/edl.md §1 "FCM scope").
 */
export function groupEvents(doc: Pick<EdlDocument, 'statements'>): EdlEventList {
  const events: MutableGroup[] = [];
  const grouper = new EventGrouper((g) => {
    events.push(g);
  });
  for (const s of doc.statements) grouper.push(s);
  grouper.finish();
  return grouper.list(events);
}

/**
 * The state machine of {@link groupEvents}, fed one statement at a time: each event is handed to
 * `done` when the next one starts (or at {@link EventGrouper.finish}), so a reader can build it and
 * let its statements go before the rest of the list is read.
 */
class EventGrouper {
  title: string | undefined;
  /** FCM of the header (the record side), fixed once the first event starts. */
  recordDrop: boolean | undefined;
  readonly header: EdlStatement[] = [];
  readonly sourceTable: EdlStatement[] = [];
  #sourceDrop: boolean | undefined;
  #count = 0;
  #current: MutableGroup | undefined;
  #pendingSplit: SplitStatement | undefined;
  // The split edit whose first line has been read, waiting for its second line.
  #openSplit: { split: SplitStatement; first: EventStatement } | undefined;
  #inSourceTable = false;

  constructor(private readonly done: (group: MutableGroup) => void) {}

  push(s: EdlStatement): void {
    if (s.kind === 'unknown' && s.text.startsWith('>>>')) this.#inSourceTable = true;
    if (this.#inSourceTable) {
      if (s.kind !== 'event') {
        this.sourceTable.push(s);
        return;
      }
      this.#inSourceTable = false;
    }
    const current = this.#current;
    switch (s.kind) {
      case 'event': {
        if (current && current.lines.length === 1 && isTransitionLine(s) && sameNumber(current.lines[0] as EventStatement, s)) {
          current.lines.push(s);
          break;
        }
        if (current) this.done(current);
        const pendingSplit = this.#pendingSplit;
        const openSplit = this.#openSplit;
        this.#current = {
          number: s.number,
          lines: [s],
          m2: NONE,
          aud: NONE,
          notes: NONE,
          effects: NONE,
          split: pendingSplit ?? (openSplit && sameNumber(openSplit.first, s) ? openSplit.split : undefined),
          splitSecond: pendingSplit === undefined && openSplit !== undefined && sameNumber(openSplit.first, s),
          recordDropFrame: this.recordDrop,
          sourceDropFrame: this.#sourceDrop ?? this.recordDrop,
        };
        this.#openSplit = pendingSplit ? { split: pendingSplit, first: s } : undefined;
        this.#pendingSplit = undefined;
        this.#count++;
        break;
      }
      case 'fcm':
        if (s.dropFrame !== undefined) {
          if (this.#count === 0 && this.recordDrop === undefined) this.recordDrop = s.dropFrame;
          this.#sourceDrop = s.dropFrame;
        }
        break;
      case 'title':
        if (this.title === undefined && this.#count === 0) this.title = s.title;
        else if (current) (current.notes === NONE ? (current.notes = []) : current.notes).push(asNote(s));
        else this.header.push(s);
        break;
      case 'm2':
        if (current) (current.m2 === NONE ? (current.m2 = []) : current.m2).push(s);
        else this.header.push(s);
        break;
      case 'aud':
        if (current) (current.aud === NONE ? (current.aud = []) : current.aud).push(s);
        else this.header.push(s);
        break;
      case 'note':
        if (current) (current.notes === NONE ? (current.notes = []) : current.notes).push(s);
        else this.header.push(s);
        break;
      case 'effect':
        if (current) (current.effects === NONE ? (current.effects = []) : current.effects).push(s);
        else this.header.push(s);
        break;
      case 'split':
        this.#pendingSplit = s;
        break;
      case 'blank':
        break;
      case 'unknown':
        if (current) (current.notes === NONE ? (current.notes = []) : current.notes).push(asNote(s));
        else this.header.push(s);
        break;
    }
  }

  /** Hands on the last event. */
  finish(): void {
    if (this.#current) this.done(this.#current);
    this.#current = undefined;
  }

  /** The list with `events` (the groups handed on, when they were kept). */
  list(events: readonly EdlEventGroup[]): EdlEventList {
    const { title, recordDrop, header, sourceTable } = this;
    return { ...(title !== undefined ? { title } : {}), recordDropFrame: recordDrop, events, header, sourceTable };
  }
}

/** The channels an event's channel field names (spec/edl.md §4). */
export interface ChannelSet {
  readonly video: boolean;
  /** Audio channel numbers, ascending (1-based). */
  readonly audio: readonly number[];
}

/**
 * Reads a channel field: `V`, `A` (= `A1`), `A2`…`A12`, `AA` (A1+A2), `B` (V+A1), `A/V`,
 * `AA/V`, `A2/V`, `NONE`, and any `/`-joined mix of these. Returns undefined for anything else.
 */
export function parseChannels(field: string): ChannelSet | undefined {
  const upper = field.toUpperCase();
  if (upper === 'NONE') return { video: false, audio: [] };
  let video = false;
  const audio = new Set<number>();
  for (const part of upper.split('/')) {
    if (part === 'V') video = true;
    else if (part === 'B') {
      video = true;
      audio.add(1);
    } else if (part === 'A') audio.add(1);
    else if (part === 'AA') {
      audio.add(1);
      audio.add(2);
    } else if (/^A\d{1,2}$/.test(part)) {
      const n = Number(part.slice(1));
      if (n < 1) return undefined;
      audio.add(n);
    } else return undefined;
  }
  return { video, audio: [...audio].sort((a, b) => a - b) };
}

const AUDIO_TRACK_NAMES: readonly string[] = Array.from({ length: 100 }, (_, i) => `A${i}`);

/** Reels that stand for black video / silence (spec/edl.md §3). */
export const BLACK_REELS: ReadonlySet<string> = new Set(['BL', 'BLK', 'BLACK']);

/** `BLACK_REELS.has(reel.toUpperCase())` without making an upper-case copy of every reel. */
function isBlackReel(reel: string): boolean {
  const n = reel.length;
  if (n !== 2 && n !== 3 && n !== 5) return false;
  if ((reel.charCodeAt(0) | 32) !== 98 /* b */ || (reel.charCodeAt(1) | 32) !== 108 /* l */) return false;
  return BLACK_REELS.has(reel.toUpperCase());
}

/** The auxiliary-source reel `AX` (any case; spec/edl.md §3). */
function isAuxReel(reel: string): boolean {
  return reel.length === 2 && (reel.charCodeAt(0) | 32) === 97 /* a */ && (reel.charCodeAt(1) | 32) === 120 /* x */;
}

const AVID_COLOURS = new Set(['RED', 'GREEN', 'BLUE', 'CYAN', 'MAGENTA', 'YELLOW', 'BLACK', 'WHITE', 'PINK', 'ORANGE', 'PURPLE']);

/** A `* LOC:` note split into its timecode text, colour word and text (spec/edl.md §6). */
export function parseLoc(value: string): { timecode: string; colour?: string; text: string } | undefined {
  const m = /^(\S+)\s*(.*)$/.exec(value.trim());
  if (!m) return undefined;
  const tc = m[1] as string;
  if (!/^\d{1,2}[:;.,]\d\d[:;.,]\d\d[:;.,]\d{2,3}$/.test(tc)) return undefined;
  const rest = (m[2] as string).trimEnd();
  const cm = /^(\S+)(?:\s+(.*))?$/.exec(rest);
  if (cm) {
    const word = cm[1] as string;
    const upper = word.toUpperCase();
    if (AVID_COLOURS.has(upper) || upper.startsWith('RESOLVECOLOR')) {
      return { timecode: tc, colour: word, text: (cm[2] ?? '').trim() };
    }
  }
  return { timecode: tc, text: rest.trim() };
}

/** A Resolve marker line `note |C:ResolveColorBlue |M:name |D:frames` (spec/edl.md §6). */
export function parseResolveMarker(text: string): { note: string; colour?: string; name?: string; durationFrames?: number } {
  const parts = text.split('|');
  const out: { note: string; colour?: string; name?: string; durationFrames?: number } = { note: (parts[0] ?? '').trim() };
  for (const p of parts.slice(1)) {
    const key = p.slice(0, 2);
    const v = p.slice(2).trim();
    if (key === 'C:') out.colour = v.replace(/^ResolveColor/, '');
    else if (key === 'M:') out.name = v;
    else if (key === 'D:' && /^\d+$/.test(v)) out.durationFrames = Number(v);
  }
  return out;
}

/** `(s s s)(o o o)(p p p)` of an `ASC_SOP` note, numbers as written (spacing, colons, commas vary). */
export function parseAscSop(value: string): { slope: number[]; offset: number[]; power: number[] } | undefined {
  const groups = [...value.matchAll(/\(([^)]*)\)/g)].map((m) => (m[1] as string).split(/[\s,]+/).filter(Boolean).map(Number));
  if (groups.length !== 3 || groups.some((g) => g.length !== 3 || g.some((x) => !Number.isFinite(x)))) return undefined;
  return { slope: groups[0] as number[], offset: groups[1] as number[], power: groups[2] as number[] };
}

/** `AUDIO LEVEL AT 00:00:00:00 IS -6.00 DB  (REEL AX A2)` (Premiere, spec/edl.md §6). */
export function parseAudioLevel(value: string): { at: string; db: number; channel?: number; reel?: string } | undefined {
  const m = /^AT\s+(\S+)\s+IS\s+([-+]?\d+(?:\.\d+)?)\s*DB(?:\s*\(REEL\s+(.*?)\s+A(\d+)\s*\))?/i.exec(value.trim());
  if (!m) return undefined;
  return {
    at: m[1] as string,
    db: Number(m[2]),
    ...(m[4] !== undefined ? { channel: Number(m[4]) } : {}),
    ...(m[3] !== undefined ? { reel: m[3] } : {}),
  };
}

/** `PATCH reel:  FROM SOURCE 1 TO RECORD 3` (Avid). */
export function parsePatch(value: string): { reel: string; source: number; record: number } | undefined {
  const m = /^(.*?):?\s+FROM SOURCE\s+(\d+)\s+TO RECORD\s+(\d+)/i.exec(value.trim());
  if (!m) return undefined;
  return { reel: (m[1] as string).trim(), source: Number(m[2]), record: Number(m[3]) };
}

interface Ctx {
  /** Where diagnostics go; `parse` points it at one list per pass, so they come in two-pass order. */
  diagnostics: Diagnostic[];
  readonly strict: boolean;
  readonly source: string | undefined;
}

function report(ctx: Ctx, severity: 'warning' | 'info', code: `edl/${string}`, message: string, line: number, offset: number, column: number, received?: string): void {
  ctx.diagnostics.push(diagnostic(ctx.strict && severity === 'warning' ? 'error' : severity, code, message, {
    at: { offset: offset + column - 1, line, column },
    ...(received !== undefined ? { received: received.length > 200 ? received.slice(0, 200) + '…' : received } : {}),
    ...(ctx.source !== undefined ? { source: ctx.source } : {}),
  }));
}

/**
 * Parses one timecode field of a statement (`text.slice(start, end)`); reports `edl/bad-timecode`
 * at its column when it fails.
 */
function tcField(ctx: Ctx, text: string, start: number, end: number, rate: FrameRate, line: number, offset: number): number | undefined {
  const fast = framesAt(text, start, end, rate);
  if (fast >= 0) return fast;
  const field = text.slice(start, end);
  const column = start + 1;
  // Tolerant reading takes a drop-frame label that does not exist as the next one (a warning);
  // strict reading rejects it.
  const r = Timecode.parse(field, { rate, line, column, offset: offset + start, droppedLabel: ctx.strict ? 'error' : 'next' });
  if (r.ok) {
    const dropped = r.diagnostics.find((d) => d.code === 'tc/dropped-label');
    if (dropped) report(ctx, 'warning', 'edl/dropped-label', dropped.message, line, offset, dropped.at?.column ?? column, field);
    return r.value.frames;
  }
  const d = r.diagnostics[0];
  report(ctx, 'warning', 'edl/bad-timecode', `${d.message} (${d.code})`, line, offset, d.at?.column ?? column, field);
  return undefined;
}

/** A timecode field of an event line, in place for lines from {@link readStatements}. */
function eventTc(ctx: Ctx, st: EventStatement, which: 0 | 1 | 2 | 3, rate: FrameRate): number | undefined {
  if (st instanceof EventLine) {
    const start = which === 0 ? st.sourceInStart : which === 1 ? st.sourceOutStart : which === 2 ? st.recordInStart : st.recordOutStart;
    const end = which === 0 ? st.sourceInEnd : which === 1 ? st.sourceOutEnd : which === 2 ? st.recordInEnd : st.recordOutEnd;
    return tcField(ctx, st.text, start, end, rate, st.line, st.offset);
  }
  const c = st.columns;
  const field = which === 0 ? st.sourceIn : which === 1 ? st.sourceOut : which === 2 ? st.recordIn : st.recordOut;
  const col = which === 0 ? c.sourceIn : which === 1 ? c.sourceOut : which === 2 ? c.recordIn : c.recordOut;
  // A statement built by hand: its field text stands alone; place diagnostics at its column.
  const r = tcField(ctx, ' '.repeat(col - 1) + field, col - 1, col - 1 + field.length, rate, st.line, st.offset);
  return r;
}

interface ParsedLine {
  readonly st: EventStatement;
  readonly channels: ChannelSet;
  readonly srcIn: number;
  readonly srcOut: number;
  readonly recIn: number;
  readonly recOut: number;
  readonly transitionFrames: number;
  /** Edit type in effect (`D` where the list left it blank before a duration). */
  readonly editType: string;
  /** The channel field as written, one shared string per distinct field. */
  readonly channelsText: string;
}

/** Notes an event carries, interpreted. */
interface EventNotes {
  fromClipName: string | undefined;
  toClipName: string | undefined;
  sourceFile: string | undefined;
  path: string | undefined;
  freeze: boolean;
  locs: NoteStatement[];
  resolveMarkers: NoteStatement[];
  levels: { at: string; db: number; channel?: number }[];
  patches: { reel: string; source: number; record: number }[];
  cdl: { slope: number[]; offset: number[]; power: number[]; saturation?: number } | undefined;
  /** Raw text of every note the writer does not regenerate. */
  others: string[];
  /** Free-text notes joined (Avid wraps long comments over several `*` lines). */
  comment: string | undefined;
}

function readNotes(notes: readonly NoteStatement[]): EventNotes {
  const out: EventNotes = { fromClipName: undefined, toClipName: undefined, sourceFile: undefined, path: undefined, freeze: false, locs: NONE, resolveMarkers: NONE, levels: NONE, patches: NONE, cdl: undefined, others: NONE, comment: undefined };
  if (notes.length === 0) return out;
  // Lists are created on first use: most events carry only a clip name and a source file.
  let comment = '';
  let lastFree = -2;
  for (let i = 0; i < notes.length; i++) {
    const n = notes[i] as NoteStatement;
    switch (n.key) {
      case 'FROM CLIP NAME':
        if (out.fromClipName === undefined) out.fromClipName = n.value;
        else (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      case 'TO CLIP NAME':
        if (out.toClipName === undefined) out.toClipName = n.value;
        else (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      case 'SOURCE FILE':
        if (out.sourceFile === undefined) out.sourceFile = n.value;
        else (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      case 'FROM CLIP':
      case 'FROM FILE':
        if (out.path === undefined) out.path = n.value;
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      case 'FREEZE FRAME':
        out.freeze = true;
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      case 'LOC':
        if (parseLoc(n.value)) (out.locs === NONE ? (out.locs = []) : out.locs).push(n);
        else (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      case 'RESOLVE MARKER':
        (out.resolveMarkers === NONE ? (out.resolveMarkers = []) : out.resolveMarkers).push(n);
        break;
      case 'AUDIO LEVEL': {
        const l = parseAudioLevel(n.value);
        if (l) (out.levels === NONE ? (out.levels = []) : out.levels).push(l);
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      }
      case 'PATCH': {
        const p = parsePatch(n.value);
        if (p) (out.patches === NONE ? (out.patches = []) : out.patches).push(p);
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      }
      case 'ASC_SOP': {
        const sop = parseAscSop(n.value);
        if (sop) out.cdl = { ...sop, ...(out.cdl?.saturation !== undefined ? { saturation: out.cdl.saturation } : {}) };
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      }
      case 'ASC_SAT': {
        const v = Number(/[-+]?\d*\.?\d+/.exec(n.value)?.[0]);
        if (Number.isFinite(v)) out.cdl = { ...(out.cdl ?? { slope: [], offset: [], power: [] }), saturation: v };
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        break;
      }
      default:
        (out.others === NONE ? (out.others = []) : out.others).push(n.text);
        if (n.starred && n.key === undefined && !/^[A-Z0-9_.]+( [A-Z0-9_.]+)*:/.test(n.body)) {
          comment = i === lastFree + 1 ? comment + n.body : comment ? comment + '\n' + n.body : n.body;
          lastFree = i;
        }
    }
  }
  if (comment) out.comment = comment;
  return out;
}

/** Reads M2 speed text (source frames per second) as an exact ratio of the list's nominal rate. */
function speedRatio(speedText: string, rate: FrameRate): Rational | undefined {
  const r = Rational.parse(speedText.startsWith('+') ? speedText.slice(1) : speedText);
  return r?.dividedBy(Rational.of(rate.nominalFps));
}

/**
 * The source frames an M2 effect plays (spec/edl.md §7), as a half-open range of frame counts:
 * from the entry frame, `floor((n − 1) × |ratio|) + 1` frames forward, or backwards for reverse
 * speeds, one frame for a freeze.
 */
export function m2SourceRange(entryFrames: number, ratio: Rational, recordFrames: number): { start: number; end: number } {
  if (ratio.isZero() || recordFrames <= 0) return { start: entryFrames, end: entryFrames + 1 };
  const span = Number(Rational.of(BigInt(Math.max(0, recordFrames - 1))).times(ratio.abs()).round('floor'));
  return ratio.sign() > 0 ? { start: entryFrames, end: entryFrames + span + 1 } : { start: entryFrames - span, end: entryFrames + 1 };
}

/**
 * Builds a timeline from a list's statements. Malformed lines and impossible values give
 * diagnostics with line and column and are skipped; `strict` turns those warnings into errors and
 * fails the parse.
 */
export function buildTimeline(doc: EdlDocument, options: EdlParseOptions): ParseResult<Timeline> {
  const ctx: Ctx = { diagnostics: [], strict: options.mode === 'strict', source: options.source };
  const list = groupEvents(doc);
  const b = new TimelineBuilder(ctx, options, list.recordDropFrame);
  b.syntaxDiagnostics(doc.diagnostics);
  const dropFcm = doc.statements.find((x) => x.kind === 'fcm' && x.dropFrame === true);
  if (dropFcm) b.dropFrameSeen(dropFcm);
  // First pass: every edit line's timecodes and channels; the earliest record-in is the start.
  const parsed: ParsedGroup[] = [];
  for (const group of list.events) {
    const p = b.parseGroup(group);
    if (p) parsed.push(p);
  }
  b.setStart(options.startTimecode ?? b.defaultStart());
  for (const p of parsed) b.addGroup(p);
  return b.finish(list);
}

/** An event whose edit lines have been read (the first pass of {@link buildTimeline}). */
interface ParsedGroup {
  readonly group: EdlEventGroup;
  readonly lines: readonly ParsedLine[];
  readonly sourceRate: FrameRate;
}

/** A track being filled: its clips and, per clip (same index), the record range and place of its line. */
interface TrackSlot {
  readonly kind: 'audio' | 'video';
  readonly order: number;
  readonly clips: Clip[];
  readonly transitions: Transition[];
  readonly recIns: number[];
  readonly recOuts: number[];
  readonly lineNos: number[];
  readonly offsets: number[];
  /** 1-based column of the record-in field. */
  readonly columns: number[];
}

/**
 * The reader's two passes over events as separate steps, so that {@link buildTimeline} can run
 * them over a whole list and {@link parse} over one event at a time as it reads (no statement
 * outlives its event). Per-clip data kept for the end (sorting, overlap checks) is numbers only.
 */
class TimelineBuilder {
  readonly baseRate: FrameRate;
  readonly dfCapable: boolean;
  readonly recordRate: FrameRate;
  /** The earliest record-in read so far (frames at the line's record rate). */
  minRecord = Number.MAX_SAFE_INTEGER;
  slashReel = false;
  // Channel fields by text, and (up to four Latin-1 characters) by their codes packed into one
  // number, looked up without cutting the field out of the line. Each entry keeps one copy of
  // the field's text for every clip that names it.
  readonly channelCache = new Map<string, ChannelEntry>();
  readonly channelCodeCache = new Map<number, ChannelEntry>();
  start: Timecode;
  /** Record frame count of timeline position 0. */
  origin = 0;
  // Time values are shared where they repeat (durations, a multi-channel event's positions).
  readonly durationCache = new Map<number, RationalTime>();
  readonly tracks = new Map<string, TrackSlot>();
  // Tracks by channel number (0 = V) for the hot path, created through trackFor.
  readonly slots: (TrackSlot | undefined)[] = [];
  readonly mediaList: MediaSource[] = [];
  // Media sources by reel alone (events without a file), and by the file or clip that identifies
  // them within their reel: one map each for the whole list rather than one per reel (thousands of
  // small maps held to the end of a long list cost the collector several times their size). An
  // entry is filed under its file when that file's first reel is its own; the same file under
  // another reel, or an entry shared through `byId`, goes to `byPair` (`reel` LF `file`).
  readonly byReel = new Map<string, MediaEntry>();
  readonly byFile = new Map<string, MediaEntry>();
  byPair: Map<string, MediaEntry> | undefined = undefined;
  // Ids are `reel` or `reel/file`. Two different pairs can only spell the same id when a reel holds
  // a `/`; only then is every id also looked up as a whole. The map is made when the first such
  // reel is read, holding every entry made before it.
  byId: Map<string, MediaEntry> | undefined = undefined;
  readonly markers: Marker[] = [];
  splitFirstRecIn: number | undefined = undefined;

  constructor(readonly ctx: Ctx, readonly options: EdlParseOptions, recordDropFrame: boolean | undefined) {
    this.baseRate = options.rate;
    this.dfCapable = this.baseRate.rate.den === 1001n && this.baseRate.nominalFps % 30 === 0;
    this.recordRate = this.rateFor(recordDropFrame);
    this.start = Timecode.fromFrames(0, this.recordRate);
  }

  rateFor(drop: boolean | undefined): FrameRate {
    return drop === undefined || !this.dfCapable ? this.baseRate : this.baseRate.withDropFrame(drop);
  }

  /** Diagnostics of the statement layer go first, warnings made errors in strict mode. */
  syntaxDiagnostics(ds: readonly Diagnostic[]): void {
    for (const d of ds) this.ctx.diagnostics.push(this.ctx.strict && d.severity === 'warning' ? { ...d, severity: 'error' } : d);
  }
  /** Called with the first `FCM: DROP FRAME` of the list. */
  dropFrameSeen(s: EdlStatement): void {
    if (!this.dfCapable) report(this.ctx, 'info', 'edl/drop-frame-ignored', `FCM: DROP FRAME has no effect at ${this.baseRate.name} (drop-frame exists only at 29.97 and 59.94)`, s.line, s.offset, 1);
  }

  parseGroup(group: EdlEventGroup): ParsedGroup | undefined {
    const sourceRate = this.rateFor(group.sourceDropFrame);
    const lineRate = this.rateFor(group.recordDropFrame);
    const lines: ParsedLine[] = [];
    for (const st of group.lines) {
      let code = -1;
      if (st instanceof EventLine && st.channelsEnd - st.channelsStart <= 4) {
        code = 0;
        for (let i = st.channelsStart; i < st.channelsEnd; i++) {
          const c = st.text.charCodeAt(i);
          if (c > 255) {
            code = -1;
            break;
          }
          code = code * 256 + c;
        }
      }
      let entry = code >= 0 ? this.channelCodeCache.get(code) : undefined;
      if (entry === undefined) {
        const field = st.channels;
        entry = this.channelCache.get(field);
        if (entry === undefined) {
          entry = { set: parseChannels(field) ?? null, text: field };
          this.channelCache.set(field, entry);
        }
        if (code >= 0) this.channelCodeCache.set(code, entry);
      }
      const channels = entry.set;
      if (!channels) {
        report(this.ctx, 'warning', 'edl/bad-channels', `"${st.channels}" is not a channel field (V, A, A2, AA, B, AA/V, NONE, A3…)`, st.line, st.offset, st.columns.channels, st.channels);
        continue;
      }
      const srcIn = eventTc(this.ctx, st, 0, sourceRate);
      const srcOut = eventTc(this.ctx, st, 1, sourceRate);
      const recIn = eventTc(this.ctx, st, 2, lineRate);
      const recOut = eventTc(this.ctx, st, 3, lineRate);
      if (srcIn === undefined || srcOut === undefined || recIn === undefined || recOut === undefined) continue;
      if (recOut < recIn) {
        report(this.ctx, 'warning', 'edl/negative-duration', `record out ${st.recordOut} is before record in ${st.recordIn}; event skipped`, st.line, st.offset, st.columns.recordOut, st.text);
        continue;
      }
      const transitionFrames = st instanceof EventLine ? st.transitionFrames : st.transition !== undefined ? Number(st.transition) : 0;
      // Cuts (nearly every line) take the shared 'C' rather than a cut-out copy.
      let editType = st instanceof EventLine && !st.isTransition ? 'C' : st.editType;
      if (editType === '') {
        report(this.ctx, 'warning', 'edl/missing-edit-type', `the edit type is blank before transition duration ${st.transition ?? ''}; read as D (dissolve)`, st.line, st.offset, st.columns.editType, st.text);
        editType = 'D';
      }
      if (!this.slashReel) this.slashReel = st instanceof EventLine ? (st.text.indexOf('/', st.reelStart) + 1 || Infinity) <= st.reelEnd : st.reel.includes('/');
      lines.push({ st, channels, srcIn, srcOut, recIn, recOut, transitionFrames, editType, channelsText: entry.text });
      if (recIn < this.minRecord) this.minRecord = recIn;
    }
    return lines.length > 0 ? { group, lines, sourceRate } : undefined;
  }

  /** The start timecode when the caller names none: the earliest record-in read so far. */
  defaultStart(): Timecode {
    return Timecode.fromFrames(this.minRecord === Number.MAX_SAFE_INTEGER ? 0 : this.minRecord, this.recordRate);
  }

  setStart(tc: Timecode): void {
    this.start = tc;
    const sc = tc.components;
    this.origin = tc.rate.equals(this.recordRate) ? tc.frames : labelToFrames(sc.hours, sc.minutes, sc.seconds, sc.frames, this.recordRate);
  }

  duration(frames: number): RationalTime {
    let t = this.durationCache.get(frames);
    if (!t) {
      t = RationalTime.fromFrames(frames, this.recordRate);
      this.durationCache.set(frames, t);
    }
    return t;
  }

  trackSlot(channel: number, name: string): TrackSlot {
    return this.slots[channel] ?? (this.slots[channel] = this.trackFor(name));
  }

  trackFor(name: string): TrackSlot {
    let t = this.tracks.get(name);
    if (!t) {
      const video = name === 'V';
      t = { kind: video ? 'video' : 'audio', order: video ? 0 : Number(name.slice(1)), clips: [], transitions: [], recIns: [], recOuts: [], lineNos: [], offsets: [], columns: [] };
      this.tracks.set(name, t);
    }
    return t;
  }

  indexById(): Map<string, MediaEntry> {
    const m = new Map<string, MediaEntry>();
    for (const e of this.byReel.values()) m.set(e.source.id, e);
    for (const e of this.byFile.values()) m.set(e.source.id, e);
    if (this.byPair) for (const e of this.byPair.values()) m.set(e.source.id, e);
    return m;
  }

  mediaEntry(reel: string, extra: string, notes: EventNotes): MediaEntry {
    let entry: MediaEntry | undefined;
    if (extra === '') entry = this.byReel.get(reel);
    else {
      entry = this.byFile.get(extra);
      if (entry === undefined || entry.reel !== reel) entry = this.byPair?.get(`${reel}\n${extra}`);
    }
    if (entry !== undefined) return entry;
    const mediaId = extra ? `${reel}/${extra}` : reel;
    entry = this.byId?.get(mediaId);
    if (entry === undefined) {
      const meta: { [k: string]: JsonValue } = notes.sourceFile !== undefined ? { reel, sourceFile: notes.sourceFile } : { reel };
      const metadata = { edl: meta };
      const source: MediaSource = notes.path !== undefined
        ? { id: mediaId, name: reel, kind: 'reel', url: notes.path, metadata }
        : { id: mediaId, name: reel, kind: 'reel', metadata };
      this.mediaList.push(source);
      entry = { source, reel, refChannel: 0, ref: undefined, refs: undefined };
      this.byId?.set(mediaId, entry);
    }
    if (extra === '') this.byReel.set(reel, entry);
    else if (entry.reel === reel && !this.byFile.has(extra)) this.byFile.set(extra, entry);
    else (this.byPair ??= new Map()).set(`${reel}\n${extra}`, entry);
    return entry;
  }

  mediaRef(entry: MediaEntry, channel: number | undefined): MediaReference {
    const k = channel ?? 0;
    if (entry.ref !== undefined && entry.refChannel === k) return entry.ref;
    let r = entry.refs?.[k];
    if (!r) {
      const mediaId = entry.source.id;
      r = channel === undefined ? { mediaId } : { mediaId, channel };
      if (entry.ref === undefined) {
        entry.ref = r;
        entry.refChannel = k;
      } else (entry.refs ??= [])[k] = r;
    }
    return r;
  }

  addGroup({ group, lines, sourceRate }: ParsedGroup): void {
    if (this.slashReel && this.byId === undefined) this.byId = this.indexById();
    const notes = readNotes(group.notes);
    const audExtra: number[] = [];
    for (const a of group.aud) for (const ch of a.channels) if (!audExtra.includes(ch)) audExtra.push(ch);
    // Resolve marker EDLs: the event is a marker, not a clip.
    if (notes.resolveMarkers.length > 0) {
      const first = lines[0] as ParsedLine;
      for (const n of notes.resolveMarkers) {
        const rm = parseResolveMarker(n.value);
        this.markers.push({
          name: rm.name ?? rm.note,
          position: RationalTime.fromFrames(first.recIn - this.origin, this.recordRate),
          ...(rm.durationFrames !== undefined ? { duration: this.duration(rm.durationFrames) } : {}),
          ...(rm.note && rm.name !== undefined ? { comment: rm.note } : {}),
          ...(rm.colour ? { colour: rm.colour } : {}),
          metadata: { edl: { event: group.number, line: n.line, form: 'resolve', text: n.text } },
        });
      }
      return;
    }
    if (group.split) {
      // A split edit's two lines start `delay` apart (spec/edl.md §8); say so when they do not.
      const first = lines[0] as ParsedLine;
      if (!group.splitSecond) this.splitFirstRecIn = first.recIn;
      else if (this.splitFirstRecIn !== undefined) {
        const sp = group.split;
        const col = sp.text.lastIndexOf(sp.delay);
        const delay = sp.delay === '' ? undefined : tcField(this.ctx, sp.text, col, col + sp.delay.length, this.recordRate, sp.line, sp.offset);
        if (delay !== undefined && Math.abs(first.recIn - this.splitFirstRecIn) !== delay) {
          report(this.ctx, 'warning', 'edl/split-delay-mismatch', `SPLIT delay ${sp.delay} is ${delay} frames, but the record ins of event ${group.number}'s two lines are ${Math.abs(first.recIn - this.splitFirstRecIn)} frames apart`, sp.line, sp.offset, col + 1, sp.text);
        }
        this.splitFirstRecIn = undefined;
      }
    }
    const twoLine = lines.length === 2;
    const aSide = twoLine && (lines[0] as ParsedLine).recIn === (lines[0] as ParsedLine).recOut ? (lines[0] as ParsedLine) : undefined;
    const clipLines = aSide ? [lines[1] as ParsedLine] : lines;
    for (const pl of clipLines) {
      const st = pl.st;
      const lineReel = st.reel;
      const isB = twoLine && pl === lines[1];
      const recFrames = pl.recOut - pl.recIn;
      const black = isBlackReel(lineReel);
      const m2st = group.m2.length === 0 ? undefined : group.m2.find((m) => m.reel === lineReel || lineReel.startsWith(m.reel) || m.reel.startsWith(lineReel)) ?? (pl === clipLines[clipLines.length - 1] ? group.m2[0] : undefined);
      let speed: Rational | undefined;
      let m2: JsonValue | undefined;
      if (m2st) {
        const ratio = speedRatio(m2st.speed, this.baseRate);
        const entry = tcField(this.ctx, m2st.text, m2st.columns.entry - 1, m2st.columns.entry - 1 + m2st.entry.length, sourceRate, m2st.line, m2st.offset);
        if (!ratio) {
          report(this.ctx, 'warning', 'edl/bad-m2', `M2 speed "${m2st.speed}" is not a number`, m2st.line, m2st.offset, m2st.columns.speed, m2st.speed);
        } else if (entry !== undefined) {
          speed = ratio;
          const implied = m2SourceRange(entry, ratio, recFrames);
          m2 = { reel: m2st.reel, speed: m2st.speed, entry: m2st.entry, entryFrames: entry, impliedSourceIn: implied.start, impliedSourceOut: implied.end, line: m2st.line };
        }
      }
      const srcFrames = pl.srcOut - pl.srcIn;
      if (!m2 && !black && srcFrames !== recFrames && recFrames > 0) {
        if (srcFrames === 0) {
          report(this.ctx, 'info', 'edl/no-source-range', `source in equals source out (${st.sourceIn}) on a ${recFrames}-frame event: the source range is unknown`, st.line, st.offset, st.columns.sourceOut);
        } else if (Math.abs(srcFrames - recFrames) === 1) {
          report(this.ctx, 'info', 'edl/duration-rounding', `source duration ${srcFrames} frames differs by one from record duration ${recFrames} frames (rounding in the writer); the record duration is used`, st.line, st.offset, st.columns.sourceOut);
        } else {
          report(this.ctx, 'warning', 'edl/duration-mismatch', `source duration ${srcFrames} frames differs from record duration ${recFrames} frames without an M2 line; the record duration is used`, st.line, st.offset, st.columns.sourceOut, st.text);
        }
      }
      // Clip name (the reel where no note names it) and media, looked up by reel, then by file:
      // no joined key string per event.
      const clipName = isB ? notes.toClipName ?? (aSide ? undefined : notes.fromClipName) : notes.fromClipName;
      const entry = black ? undefined : this.mediaEntry(lineReel, notes.sourceFile ?? notes.path ?? (isAuxReel(lineReel) ? clipName ?? lineReel : ''), notes);
      // The reel as its media source spells it (the same text): one string for every clip of a reel.
      const reel = entry !== undefined && entry.source.name === lineReel ? entry.source.name : lineReel;
      const name = clipName ?? reel;
      const sourceDrop = sourceRate.dropFrame !== this.recordRate.dropFrame;
      const transition = st.transition;
      // Keys in one order always; a cut with only a source file (the common event) gets all its
      // keys in one literal rather than a literal and one more key (an extra property store).
      const plain = !sourceDrop && transition === undefined && !m2 && !notes.freeze;
      const edlMeta: { [k: string]: JsonValue } = plain && notes.sourceFile !== undefined
        ? { event: group.number, line: st.line, reel, channels: pl.channelsText, editType: pl.editType, sourceIn: pl.srcIn, sourceOut: pl.srcOut, sourceFile: notes.sourceFile }
        : { event: group.number, line: st.line, reel, channels: pl.channelsText, editType: pl.editType, sourceIn: pl.srcIn, sourceOut: pl.srcOut };
      if (!plain) {
        if (sourceDrop) edlMeta['sourceDropFrame'] = sourceRate.dropFrame;
        if (transition !== undefined) edlMeta['transition'] = transition;
        if (m2) edlMeta['m2'] = m2;
        if (notes.freeze) edlMeta['freeze'] = true;
        if (notes.sourceFile !== undefined) edlMeta['sourceFile'] = notes.sourceFile;
      }
      if (notes.path !== undefined) edlMeta['path'] = notes.path;
      if (notes.comment !== undefined) edlMeta['comment'] = notes.comment;
      if (notes.cdl) edlMeta['cdl'] = notes.cdl as unknown as JsonValue;
      if (notes.patches.length > 0) edlMeta['patch'] = notes.patches;
      if (isB && aSide && notes.fromClipName !== undefined) edlMeta['fromClipName'] = notes.fromClipName;
      if (group.effects.length > 0) edlMeta['effect'] = group.effects.map((e) => e.name);
      if (group.aud.length > 0) edlMeta['aud'] = audExtra;
      if (group.split) edlMeta['split'] = { delayOf: group.split.delayOf ?? null, delay: group.split.delay, text: group.split.text, ...(group.splitSecond ? { second: true } : {}) };
      if (notes.others.length > 0) edlMeta['notes'] = notes.others;
      if (black) edlMeta['black'] = true;
      const metadata = { edl: edlMeta };
      const startT = RationalTime.fromFrames(pl.recIn - this.origin, this.recordRate);
      const dur = this.duration(recFrames);
      const sourceStart = RationalTime.fromFrames(pl.srcIn, sourceRate);
      const audio = audExtra.length > 0 && pl === clipLines[clipLines.length - 1] ? [...pl.channels.audio, ...audExtra.filter((c) => !pl.channels.audio.includes(c))] : pl.channels.audio;
      if (!pl.channels.video && audio.length === 0) {
        report(this.ctx, 'warning', 'edl/no-channels', `event ${group.number} names no channel (NONE without an AUD line)`, st.line, st.offset, st.columns.channels, st.channels);
        continue;
      }
      const recordInColumn = st instanceof EventLine ? st.recordInStart + 1 : st.columns.recordIn;
      // k = -1 is the video track, then each audio channel.
      for (let k = pl.channels.video ? -1 : 0; k < audio.length; k++) {
        const channelNo = k < 0 ? undefined : (audio[k] as number);
        const t = channelNo === undefined ? 'V' : AUDIO_TRACK_NAMES[channelNo] ?? `A${channelNo}`;
        const track = this.trackSlot(channelNo ?? 0, t);
        const patch = channelNo !== undefined && notes.patches.length > 0 ? notes.patches.find((p) => p.record === channelNo) : undefined;
        const levels = channelNo !== undefined && notes.levels.length > 0 ? notes.levels.filter((l) => l.channel === undefined || l.channel === channelNo) : NONE;
        let gainDb: number | undefined;
        let gainAutomation: GainPoint[] | undefined;
        // One level is the clip gain; several are automation at source timecodes (Premiere
        // writes `AT <source TC>`), placed relative to the clip's source in.
        if (levels.length === 1) gainDb = (levels[0] as { db: number }).db;
        else if (levels.length > 1) {
          gainAutomation = [];
          for (const l of levels) {
            const f = framesAt(l.at, 0, l.at.length, sourceRate);
            if (f >= 0) gainAutomation.push({ time: RationalTime.fromFrames(f - pl.srcIn, sourceRate), gainDb: l.db });
          }
        }
        // One literal with every field (absent ones undefined) keeps clip objects one shape.
        const clip: Clip = {
          name,
          start: startT,
          duration: dur,
          sourceStart,
          media: entry === undefined ? undefined : this.mediaRef(entry, channelNo !== undefined ? patch?.source ?? channelNo : undefined),
          gainDb,
          gainAutomation,
          speed,
          metadata,
        };
        track.clips.push(clip);
        track.recIns.push(pl.recIn);
        track.recOuts.push(pl.recOut);
        track.lineNos.push(st.line);
        track.offsets.push(st.offset);
        track.columns.push(recordInColumn);
        if (isB && isTransitionType(pl.editType)) {
          const kind: Transition['kind'] = pl.editType === 'D' ? (t === 'V' ? 'dissolve' : 'crossfade') : pl.editType.startsWith('W') ? 'wipe' : 'other';
          const tmeta: { [k: string]: JsonValue } = { event: group.number, editType: pl.editType, line: st.line };
          if (st.transition !== undefined) tmeta['transition'] = st.transition;
          if (group.effects.length > 0) tmeta['effect'] = (group.effects[0] as EffectStatement).name;
          if (aSide) {
            tmeta['from'] = {
              reel: aSide.st.reel,
              channels: aSide.channelsText,
              sourceOut: aSide.srcOut,
              sourceIn: aSide.srcIn,
              line: aSide.st.line,
              ...(notes.fromClipName !== undefined ? { clipName: notes.fromClipName } : {}),
            };
          }
          if (notes.toClipName !== undefined) tmeta['toClipName'] = notes.toClipName;
          track.transitions.push({
            kind,
            start: startT,
            duration: this.duration(pl.transitionFrames),
            ...(kind === 'crossfade' ? { shape: 'linear' as const } : {}),
            metadata: { edl: tmeta },
          });
        }
      }
    }
    for (const n of notes.locs) {
      const loc = parseLoc(n.value);
      if (!loc) continue;
      const col = n.text.indexOf(loc.timecode);
      const f = tcField(this.ctx, n.text, col, col + loc.timecode.length, this.recordRate, n.line, n.offset);
      if (f === undefined) continue;
      this.markers.push({
        name: loc.text,
        position: RationalTime.fromFrames(f - this.origin, this.recordRate),
        ...(loc.colour !== undefined ? { colour: loc.colour } : {}),
        metadata: { edl: { event: group.number, line: n.line, timecode: loc.timecode } },
      });
    }
  }

  finish(list: Pick<EdlEventList, 'title' | 'recordDropFrame' | 'header' | 'sourceTable'>): ParseResult<Timeline> {
    const trackList: Track[] = [...this.tracks.entries()]
      .sort((a, b) => a[1].order - b[1].order)
      .map(([name, t]) => {
        // Events are usually in record order already; sort stably when they are not.
        const recIns = t.recIns;
        let sorted = true;
        for (let i = 1; i < recIns.length; i++) {
          if ((recIns[i] as number) < (recIns[i - 1] as number)) {
            sorted = false;
            break;
          }
        }
        let clips = t.clips;
        let order: number[] | undefined;
        if (!sorted) {
          order = recIns.map((_, i) => i).sort((a, b) => (recIns[a] as number) - (recIns[b] as number) || a - b);
          clips = order.map((i) => t.clips[i] as Clip);
        }
        checkOverlaps(this.ctx, name, t, order);
        return { kind: t.kind, name, channels: t.kind === 'video' ? 0 : 1, clips, transitions: t.transitions, metadata: {} };
      });

    const timelineMeta: { [k: string]: JsonValue } = {};
    if (list.title !== undefined) timelineMeta['title'] = list.title;
    if (list.recordDropFrame !== undefined) timelineMeta['fcm'] = list.recordDropFrame ? 'DROP FRAME' : 'NON-DROP FRAME';
    if (list.header.length > 0) timelineMeta['header'] = list.header.map((s) => s.text);
    if (list.sourceTable.length > 0) timelineMeta['sourceTable'] = list.sourceTable.map((s) => s.text);
    const timeline: Timeline = {
      name: list.title ?? '',
      sampleRate: this.options.sampleRate ?? 48000,
      frameRate: this.recordRate,
      startTimecode: this.start,
      tracks: trackList,
      markers: this.markers,
      media: this.mediaList,
      metadata: { edl: timelineMeta },
    };
    if (this.ctx.strict && this.ctx.diagnostics.some((d) => d.severity === 'error')) {
      const errors = this.ctx.diagnostics.filter((d) => d.severity === 'error');
      return fail(errors[0] as Diagnostic, ...errors.slice(1));
    }
    return ok(timeline, this.ctx.diagnostics);
  }
}

/** A distinct channel field: what it names, and its text shared by every clip that has it. */
interface ChannelEntry { readonly set: ChannelSet | null; readonly text: string }

/**
 * A media source being collected, with the references its clips share (references are
 * immutable), one per channel: the first one made in `ref` (most sources are used on one
 * channel), others in `refs` by channel.
 */
interface MediaEntry {
  readonly source: MediaSource;
  /** The reel it was made for. */
  readonly reel: string;
  refChannel: number;
  ref: MediaReference | undefined;
  refs: (MediaReference | undefined)[] | undefined;
}

/**
 * Reports a clip that starts before the previous clip of its track ends (spec/edl.md §8), in
 * record order (`order`: clip indices sorted by record-in, when the track was not in order).
 */
function checkOverlaps(ctx: Ctx, track: string, t: TrackSlot, order: readonly number[] | undefined): void {
  let end = -Infinity;
  let reported = 0;
  const n = t.recIns.length;
  for (let k = 0; k < n; k++) {
    const i = order ? (order[k] as number) : k;
    const recIn = t.recIns[i] as number;
    if (recIn < end && reported < 100) {
      const event = ((t.clips[i] as Clip).metadata['edl'] as { event: string }).event;
      report(ctx, 'info', 'edl/record-overlap', `event ${event} starts before the previous event on ${track} ends (a later event overwrites an earlier one)`, t.lineNos[i] as number, t.offsets[i] as number, t.columns[i] as number);
      reported++;
    }
    const recOut = t.recOuts[i] as number;
    if (recOut > end) end = recOut;
  }
}

/**
 * Reads an EDL into a {@link Timeline}: the statements of {@link readStatements}, then
 * {@link buildTimeline}. Takes text or bytes (UTF-8, else Latin-1).
 *
 * The result is the same as `buildTimeline(readStatements(input), options)`, but each event is
 * built as soon as it has been read, so the statements of a long list never pile up in memory
 * (keeping them alive while building is what made reading slow). Building as it reads needs the
 * timeline's start before the end of the list: without `startTimecode` that is the first event's
 * record-in, and a list where a later event starts earlier is read again in two passes.
 */
export function parse(input: string | Uint8Array, options: EdlParseOptions): ParseResult<Timeline> {
  let text: string;
  if (typeof input === 'string') text = input;
  else text = decodeText(input).text;
  const syntaxOptions = { ...(options.source !== undefined ? { source: options.source } : {}), severity: 'warning' as const };
  const ctx: Ctx = { diagnostics: [], strict: options.mode === 'strict', source: options.source };
  // Diagnostics of each pass, joined in the order of the two-pass reader at the end.
  const syntax: Diagnostic[] = [];
  const first: Diagnostic[] = [];
  const second: Diagnostic[] = [];
  let dropFcm: EdlStatement | undefined;
  let builder: TimelineBuilder | undefined;
  let started = false;
  // The earliest record-in when the start was set: another one later means reading again.
  let startMin = 0;
  let again = false;
  const grouper = new EventGrouper((group) => {
    // The record side's FCM is settled once the first event has started.
    builder ??= new TimelineBuilder(ctx, options, grouper.recordDrop);
    ctx.diagnostics = first;
    const p = builder.parseGroup(group);
    if (!p) return;
    if (!started) {
      builder.setStart(options.startTimecode ?? builder.defaultStart());
      startMin = builder.minRecord;
      started = true;
    } else if (options.startTimecode === undefined && builder.minRecord !== startMin) {
      again = true;
      return;
    }
    ctx.diagnostics = second;
    builder.addGroup(p);
  });
  forEachStatement(text, syntaxOptions, syntax, (s) => {
    if (s.kind === 'fcm' && s.dropFrame === true) dropFcm ??= s;
    grouper.push(s);
    return !again;
  });
  if (!again) grouper.finish();
  if (again) return buildTimeline(readStatements(text, syntaxOptions), options);
  builder ??= new TimelineBuilder(ctx, options, grouper.recordDrop);
  if (!started) builder.setStart(options.startTimecode ?? builder.defaultStart());
  ctx.diagnostics = [];
  builder.syntaxDiagnostics(syntax);
  if (dropFcm) builder.dropFrameSeen(dropFcm);
  for (const d of first) ctx.diagnostics.push(d);
  for (const d of second) ctx.diagnostics.push(d);
  return builder.finish(grouper.list([]));
}
