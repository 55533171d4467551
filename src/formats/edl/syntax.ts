/**
 * The lossless statement layer of a CMX 3600 EDL (spec/edl.md §1): every line of the list is kept,
 * in order, with its 1-based line number, its character offset, its text and its line ending, and
 * the kinds dubstage understands are split into fields. Nothing here depends on the frame rate:
 * timecodes stay text until `read.ts` interprets them.
 *
 * `writeStatements(readStatements(text))` returns `text` unchanged, byte for byte.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';

/** A line ending as it stood in the file (`''` for a last line without one). */
export type EdlEol = '\r\n' | '\n' | '\r' | '';

/** What every statement carries: where it stood and its exact text. */
export interface StatementPlace {
  /** 1-based line number. */
  readonly line: number;
  /** 0-based character offset of the line's first character in the decoded text. */
  readonly offset: number;
  /** The line's text without its line ending. */
  readonly text: string;
  /** The line ending that followed it. */
  readonly eol: EdlEol;
}

/** `TITLE: …`. */
export interface TitleStatement extends StatementPlace {
  readonly kind: 'title';
  /** The title, trimmed. */
  readonly title: string;
}

/** `FCM: DROP FRAME` / `FCM: NON-DROP FRAME` (also `NON DROP FRAME`). */
export interface FcmStatement extends StatementPlace {
  readonly kind: 'fcm';
  /** True for drop frame, false for non-drop, undefined when the words are not recognised. */
  readonly dropFrame: boolean | undefined;
}

/** 1-based columns of an event line's fields, for diagnostics. */
export interface EventColumns {
  readonly number: number;
  readonly reel: number;
  readonly channels: number;
  readonly editType: number;
  readonly transition: number | undefined;
  readonly sourceIn: number;
  readonly sourceOut: number;
  readonly recordIn: number;
  readonly recordOut: number;
}

/** An edit line (spec/edl.md §2), fields as written. */
export interface EventStatement extends StatementPlace {
  readonly kind: 'event';
  /** Event number as written (`001`, `000183`). */
  readonly number: string;
  /** Reel / source name (may contain spaces in File128 lists), trimmed. */
  readonly reel: string;
  /** Channel field as written: `V`, `A`, `A2`, `AA`, `B`, `AA/V`, `NONE`, `A7`… */
  readonly channels: string;
  /** Edit type: `C`, `D`, `Wnnn`, `K`, `KB`, `KO`; `''` when a transition duration stands without one. */
  readonly editType: string;
  /** Transition duration field as written (`025`), when present. */
  readonly transition: string | undefined;
  readonly sourceIn: string;
  readonly sourceOut: string;
  readonly recordIn: string;
  readonly recordOut: string;
  readonly columns: EventColumns;
}

/** `M2   <reel>   <speed>   <entry TC>` (spec/edl.md §7). */
export interface M2Statement extends StatementPlace {
  readonly kind: 'm2';
  readonly reel: string;
  /** Speed in source frames per second as written (`048.0`, `-025.0`, `000.0`). */
  readonly speed: string;
  /** Entry timecode (source) as written. */
  readonly entry: string;
  /** 1-based columns of speed and entry. */
  readonly columns: { readonly speed: number; readonly entry: number };
}

/** `AUD  3    4`: extra audio channels of the preceding event (spec/edl.md §4). */
export interface AudStatement extends StatementPlace {
  readonly kind: 'aud';
  /** Channel numbers named on the line (3, 4). */
  readonly channels: readonly number[];
}

/** `SPLIT:    AUDIO DELAY=  00:00:00:12` (spec/edl.md §8). */
export interface SplitStatement extends StatementPlace {
  readonly kind: 'split';
  readonly delayOf: 'audio' | 'video' | undefined;
  /** Delay timecode as written. */
  readonly delay: string;
}

/** `EFFECTS NAME IS CROSS DISSOLVE`. */
export interface EffectStatement extends StatementPlace {
  readonly kind: 'effect';
  readonly name: string;
}

/** Keys of note lines dubstage interprets (spec/edl.md §6). */
export type NoteKey =
  | 'FROM CLIP NAME'
  | 'TO CLIP NAME'
  | 'SOURCE FILE'
  | 'FROM CLIP'
  | 'FROM FILE'
  | 'LOC'
  | 'ASC_SOP'
  | 'ASC_SAT'
  | 'AUDIO LEVEL'
  | 'PATCH'
  | 'FREEZE FRAME'
  | 'RESOLVE MARKER';

/** A line turned into a free note (an unknown line or a second title inside an event). */
export function asNote(s: StatementPlace): NoteStatement {
  const start = trimStart(s.text, 0);
  const end = trimEnd(s.text, start);
  return new NoteLine(s.line, s.offset, s.text, s.eol, false, undefined, start, end, start);
}

/** A note: `* …` (or a known key without the star, and Resolve's `|C:…|M:…|D:…` marker lines). */
export interface NoteStatement extends StatementPlace {
  readonly kind: 'note';
  /** True when the line starts with `*` (after optional blanks). */
  readonly starred: boolean;
  /** The recognised key, if any. */
  readonly key: NoteKey | undefined;
  /** The text after the star (or the whole line), trimmed. */
  readonly body: string;
  /** For keyed notes: the value after the key (and colon), trimmed. */
  readonly value: string;
}

/** A blank (or whitespace-only) line. */
export interface BlankStatement extends StatementPlace {
  readonly kind: 'blank';
}

/** Any other line (`GPI`, `SWM`, `REM`, `>>> SOURCE`, EDL-X option lines, malformed lines). */
export interface UnknownStatement extends StatementPlace {
  readonly kind: 'unknown';
}

/** One line of an EDL. */
export type EdlStatement =
  | TitleStatement
  | FcmStatement
  | EventStatement
  | M2Statement
  | AudStatement
  | SplitStatement
  | EffectStatement
  | NoteStatement
  | BlankStatement
  | UnknownStatement;

/** A whole list as lines. */
export interface EdlDocument {
  /** The list started with a byte order mark (U+FEFF); it is not part of the first line. */
  readonly bom: boolean;
  /** How bytes were decoded: UTF-8 when valid, otherwise Latin-1 (one character per byte). */
  readonly encoding: 'utf-8' | 'latin1';
  readonly statements: readonly EdlStatement[];
  /** Malformed lines (kept as `unknown` statements). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Options of {@link readStatements}. */
export interface ReadStatementsOptions {
  /** File name carried into diagnostics. */
  readonly source?: string;
  /** Severity of malformed-line diagnostics (default `warning`; strict readers pass `error`). */
  readonly severity?: 'warning' | 'error';
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes EDL bytes: UTF-8 when the bytes are valid UTF-8, otherwise Latin-1, one character per
 * byte (Premiere and older Avid lists carry Latin-1 or Mac Roman notes; spec/edl.md §10.10), so
 * {@link encodeText} gives the same bytes back.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'latin1' } {
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    let text = '';
    const CHUNK = 8192;
    for (let i = 0; i < bytes.length; i += CHUNK) {
      text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + CHUNK)));
    }
    return { text, encoding: 'latin1' };
  }
}

/**
 * Encodes text as UTF-8, or as Latin-1 (characters above U+00FF become `?`) — the inverse of
 * {@link decodeText} for text it produced.
 */
export function encodeText(text: string, encoding: 'utf-8' | 'latin1'): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 255 ? 63 : c;
  }
  return out;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Token boundaries of a line, reused between calls (start and end indices, end exclusive). */
const TOK_START: number[] = [];
const TOK_END: number[] = [];

/** More tokens than any event or M2 line has (File128 reels with blanks included). */
const MAX_TOKENS = 256;

/** Splits a line at blanks into TOK_START/TOK_END; returns the count, or MAX_TOKENS + 1 for more. */
function tokenize(text: string): number {
  let n = 0;
  const len = text.length;
  let i = 0;
  while (i < len) {
    if (n > MAX_TOKENS) return n;
    while (i < len && isBlank(text.charCodeAt(i))) i++;
    if (i >= len) break;
    const s = i;
    while (i < len && !isBlank(text.charCodeAt(i))) i++;
    TOK_START[n] = s;
    TOK_END[n] = i;
    n++;
  }
  return n;
}

/** True for a token shaped like a timecode: digits and separators, 8 to 13 characters. */
function looksLikeTimecode(text: string, s: number, e: number): boolean {
  const n = e - s;
  if (n < 8 || n > 13) return false;
  let digits = 0;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (isDigitCode(c)) digits++;
    else if (c !== 58 && c !== 59 && c !== 46 && c !== 44) return false;
  }
  return digits >= 6;
}

function isAllDigits(text: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!isDigitCode(text.charCodeAt(i))) return false;
  return true;
}

/** Edit types: C, D, K, KB, KO, W followed by digits (and `W` alone). */
function isEditType(text: string, s: number, e: number): boolean {
  const c = text.charCodeAt(s);
  const n = e - s;
  if (c === 67 /* C */ || c === 68 /* D */) return n === 1;
  if (c === 75 /* K */) {
    if (n === 1) return true;
    const d = text.charCodeAt(s + 1);
    return n === 2 && (d === 66 /* B */ || d === 79 /* O */);
  }
  if (c === 87 /* W */) return n === 1 || isAllDigits(text, s + 1, e);
  return false;
}

/**
 * Splits an event line by tokens from the right (spec/edl.md §2): the last four tokens are the
 * timecodes, before them an optional duration (1–3 digits, after a transition type), the edit type
 * and the channel field; the first token is the event number and everything between it and the
 * channel field is the reel. Returns undefined when the line does not have that shape.
 */
function parseEventLine(place: StatementPlace): EventStatement | string {
  const text = place.text;
  const n = tokenize(text);
  if (n < 7) return `an event line has at least 7 fields (number, reel, channels, edit type, 4 timecodes); found ${n}`;
  if (n > MAX_TOKENS) return `an event line has at most ${MAX_TOKENS} fields`;
  for (let k = n - 4; k < n; k++) {
    if (!looksLikeTimecode(text, TOK_START[k] as number, TOK_END[k] as number)) {
      return `field ${k + 1} ("${text.slice(TOK_START[k], TOK_END[k])}") is not a timecode`;
    }
  }
  let k = n - 5;
  let transitionAt = -1;
  if (isAllDigits(text, TOK_START[k] as number, TOK_END[k] as number) && k - 1 >= 2 &&
    isEditType(text, TOK_START[k - 1] as number, TOK_END[k - 1] as number) && text.charCodeAt(TOK_START[k - 1] as number) !== 67) {
    transitionAt = k;
    k--;
  }
  let editAt = k;
  if (!isEditType(text, TOK_START[editAt] as number, TOK_END[editAt] as number)) {
    // A transition duration with the edit type left blank (`010  REEL V      010 …`, seen in Avid
    // lists): keep the duration, report the missing type when reading.
    const s0 = TOK_START[k] as number;
    const e0 = TOK_END[k] as number;
    if (transitionAt < 0 && e0 - s0 <= 3 && isAllDigits(text, s0, e0) && k - 1 >= 2) {
      transitionAt = k;
      editAt = -1;
    } else {
      return `"${text.slice(s0, e0)}" is not an edit type (C, D, Wnnn, K, KB, KO)`;
    }
  }
  const channelsAt = (editAt < 0 ? transitionAt : editAt) - 1;
  if (channelsAt < 2) return 'an event line needs an event number, a reel and a channel field before the edit type';
  const numberEnd = TOK_END[0] as number;
  if (!isAllDigits(text, TOK_START[0] as number, numberEnd)) return `event number "${text.slice(TOK_START[0], numberEnd)}" is not a number`;
  return new EventLine(place.line, place.offset, text, place.eol,
    TOK_START[0] as number, numberEnd,
    TOK_START[1] as number, TOK_END[channelsAt - 1] as number,
    TOK_START[channelsAt] as number, TOK_END[channelsAt] as number,
    editAt < 0 ? -1 : TOK_START[editAt] as number, editAt < 0 ? -1 : TOK_END[editAt] as number,
    transitionAt < 0 ? -1 : TOK_START[transitionAt] as number, transitionAt < 0 ? -1 : TOK_END[transitionAt] as number,
    TOK_START[n - 4] as number, TOK_START[n - 3] as number, TOK_START[n - 2] as number, TOK_START[n - 1] as number,
    TOK_END[n - 4] as number, TOK_END[n - 3] as number, TOK_END[n - 2] as number, TOK_END[n - 1] as number);
}

/**
 * An event line as read: the line's text plus where each field lies in it. Fields are cut out of
 * the text when asked for, so reading a long list allocates one object per line, not ten.
 */
export class EventLine implements EventStatement {
  readonly kind = 'event' as const;
  constructor(
    readonly line: number,
    readonly offset: number,
    readonly text: string,
    readonly eol: EdlEol,
    /** Start and end (exclusive) indices of each field in `text`; -1 when absent. */
    readonly numberStart: number,
    readonly numberEnd: number,
    readonly reelStart: number,
    readonly reelEnd: number,
    readonly channelsStart: number,
    readonly channelsEnd: number,
    readonly editTypeStart: number,
    readonly editTypeEnd: number,
    readonly transitionStart: number,
    readonly transitionEnd: number,
    readonly sourceInStart: number,
    readonly sourceOutStart: number,
    readonly recordInStart: number,
    readonly recordOutStart: number,
    readonly sourceInEnd: number,
    readonly sourceOutEnd: number,
    readonly recordInEnd: number,
    readonly recordOutEnd: number,
  ) {}

  get number(): string {
    return this.text.slice(this.numberStart, this.numberEnd);
  }

  get reel(): string {
    return this.text.slice(this.reelStart, this.reelEnd);
  }

  get channels(): string {
    return this.text.slice(this.channelsStart, this.channelsEnd);
  }

  get editType(): string {
    return this.editTypeStart < 0 ? '' : this.text.slice(this.editTypeStart, this.editTypeEnd);
  }

  get transition(): string | undefined {
    return this.transitionStart < 0 ? undefined : this.text.slice(this.transitionStart, this.transitionEnd);
  }

  get sourceIn(): string {
    return this.text.slice(this.sourceInStart, this.sourceInEnd);
  }

  get sourceOut(): string {
    return this.text.slice(this.sourceOutStart, this.sourceOutEnd);
  }

  get recordIn(): string {
    return this.text.slice(this.recordInStart, this.recordInEnd);
  }

  get recordOut(): string {
    return this.text.slice(this.recordOutStart, this.recordOutEnd);
  }

  get columns(): EventColumns {
    return {
      number: this.numberStart + 1,
      reel: this.reelStart + 1,
      channels: this.channelsStart + 1,
      editType: (this.editTypeStart < 0 ? this.transitionStart : this.editTypeStart) + 1,
      transition: this.transitionStart < 0 ? undefined : this.transitionStart + 1,
      sourceIn: this.sourceInStart + 1,
      sourceOut: this.sourceOutStart + 1,
      recordIn: this.recordInStart + 1,
      recordOut: this.recordOutStart + 1,
    };
  }

  /** True when the event number equals `other`'s, compared in place. */
  sameNumber(other: EventLine): boolean {
    const n = this.numberEnd - this.numberStart;
    if (n !== other.numberEnd - other.numberStart) return false;
    for (let i = 0; i < n; i++) if (this.text.charCodeAt(this.numberStart + i) !== other.text.charCodeAt(other.numberStart + i)) return false;
    return true;
  }

  /** The transition duration field as a number (digits only, as the line splitter checked), 0 when absent. */
  get transitionFrames(): number {
    let n = 0;
    for (let i = this.transitionStart; i >= 0 && i < this.transitionEnd; i++) n = n * 10 + this.text.charCodeAt(i) - 48;
    return n;
  }

  /** True for an edit type other than `C` (a transition or key line). */
  get isTransition(): boolean {
    return this.editTypeStart < 0 || this.editTypeEnd - this.editTypeStart !== 1 || this.text.charCodeAt(this.editTypeStart) !== 67;
  }

  toJSON(): object {
    return {
      kind: this.kind, line: this.line, offset: this.offset, text: this.text, eol: this.eol, number: this.number, reel: this.reel,
      channels: this.channels, editType: this.editType, transition: this.transition, sourceIn: this.sourceIn, sourceOut: this.sourceOut,
      recordIn: this.recordIn, recordOut: this.recordOut, columns: this.columns,
    };
  }
}

function parseM2(place: StatementPlace): M2Statement | string {
  const text = place.text;
  const n = tokenize(text);
  if (n < 3) return 'an M2 line has a reel, a speed and an entry timecode';
  if (n > MAX_TOKENS) return `an M2 line has at most ${MAX_TOKENS} fields`;
  const entryAt = n - 1;
  const speedAt = n - 2;
  if (!looksLikeTimecode(text, TOK_START[entryAt] as number, TOK_END[entryAt] as number)) {
    return `M2 entry "${text.slice(TOK_START[entryAt], TOK_END[entryAt])}" is not a timecode`;
  }
  const speed = text.slice(TOK_START[speedAt], TOK_END[speedAt]);
  if (!/^[+-]?\d*\.?\d+$/.test(speed)) return `M2 speed "${speed}" is not a number`;
  const reel = speedAt >= 2 ? text.slice(TOK_START[1], TOK_END[speedAt - 1]) : '';
  return {
    kind: 'm2',
    line: place.line,
    offset: place.offset,
    text,
    eol: place.eol,
    reel,
    speed,
    entry: text.slice(TOK_START[entryAt], TOK_END[entryAt]),
    columns: { speed: (TOK_START[speedAt] as number) + 1, entry: (TOK_START[entryAt] as number) + 1 },
  };
}

/** Prefixes of keyed notes, longest first where one is the start of another. */
const NOTE_KEYS: readonly NoteKey[] = [
  'FROM CLIP NAME', 'TO CLIP NAME', 'SOURCE FILE', 'FROM CLIP', 'FROM FILE', 'LOC', 'ASC_SOP', 'ASC_SAT',
  'AUDIO LEVEL', 'PATCH', 'FREEZE FRAME',
];

/**
 * True for the characters `String.prototype.trim` removes (ECMAScript WhiteSpace and
 * LineTerminator), so trimmed bounds found in place equal `slice().trim()`.
 */
function isTrimmed(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function trimStart(text: string, start: number): number {
  let i = start;
  while (i < text.length && isTrimmed(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of `text` after dropping trailing whitespace, not before `start`. */
function trimEnd(text: string, start: number): number {
  let e = text.length;
  while (e > start && isTrimmed(text.charCodeAt(e - 1))) e--;
  return e;
}

/** Where the value of the last keyed note found by {@link noteKeyAt} starts. */
let keyValueStart = 0;

/**
 * The key of the note body at `text[start, end)` (trimmed bounds), if it starts with a known key;
 * the value's start is left in `keyValueStart`. Allocates nothing.
 */
function noteKeyAt(text: string, start: number, end: number): NoteKey | undefined {
  const c0 = text.charCodeAt(start) | 32;
  // Every key starts with one of these letters (case-insensitive): skip the rest quickly.
  if (c0 !== 102 /* f */ && c0 !== 116 /* t */ && c0 !== 115 /* s */ && c0 !== 108 /* l */ && c0 !== 97 /* a */ && c0 !== 112 /* p */ && c0 !== 42 /* * */) return undefined;
  for (const key of NOTE_KEYS) {
    if (end - start < key.length || !startsWithWord(text, start, key)) continue;
    let i = start + key.length;
    const next = text.charCodeAt(i);
    // A key ends at a colon, a blank, a parenthesis or the end ('FROM CLIP' is not 'FROM CLIPS').
    if (i < end && next !== 58 && !isBlank(next) && next !== 40 /* ( */) continue;
    if (key === 'FROM CLIP') {
      let j = i;
      while (j < end && isBlank(text.charCodeAt(j))) j++;
      if (end - j >= 4 && startsWithWord(text, j, 'NAME')) continue;
    }
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === 58) i++;
    keyValueStart = trimStart(text, i);
    if (keyValueStart > end) keyValueStart = end;
    return key;
  }
  if (c0 === 42) {
    // `* * FREEZE FRAME` (Avid): a second star, blanks, the words.
    const i = trimStart(text, start + 1);
    if (end - i >= 12 && startsWithWord(text, i, 'FREEZE FRAME')) {
      keyValueStart = end;
      return 'FREEZE FRAME';
    }
  }
  return undefined;
}

/**
 * A note line as read: its text plus where its body and value lie in it. `body` and `value` are
 * cut out when asked for, so reading a list allocates one object per note line.
 */
export class NoteLine implements NoteStatement {
  readonly kind = 'note' as const;
  constructor(
    readonly line: number,
    readonly offset: number,
    readonly text: string,
    readonly eol: EdlEol,
    readonly starred: boolean,
    readonly key: NoteKey | undefined,
    /** Trimmed bounds of the body (after the star) and the start of the value, in `text`. */
    readonly bodyStart: number,
    readonly bodyEnd: number,
    readonly valueStart: number,
  ) {}

  get body(): string {
    return this.text.slice(this.bodyStart, this.bodyEnd);
  }

  get value(): string {
    return this.text.slice(this.valueStart, this.bodyEnd);
  }

  toJSON(): object {
    return { kind: this.kind, line: this.line, offset: this.offset, text: this.text, eol: this.eol, starred: this.starred, key: this.key, body: this.body, value: this.value };
  }
}

function classifyNote(place: StatementPlace, start: number): NoteStatement {
  const text = place.text;
  const starred = text.charCodeAt(start) === 42;
  const bodyStart = trimStart(text, starred ? start + 1 : start);
  const bodyEnd = trimEnd(text, bodyStart);
  const key = noteKeyAt(text, bodyStart, bodyEnd);
  return new NoteLine(place.line, place.offset, text, place.eol, starred, key, bodyStart, bodyEnd, key !== undefined ? keyValueStart : bodyStart);
}

/** Case-insensitive `text.startsWith(word, start)` for an upper-case ASCII word, without allocating. */
function startsWithWord(text: string, start: number, word: string): boolean {
  if (text.length - start < word.length) return false;
  for (let k = 0; k < word.length; k++) {
    let c = text.charCodeAt(start + k);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== word.charCodeAt(k)) return false;
  }
  return true;
}

function unknown(place: StatementPlace): UnknownStatement {
  return { kind: 'unknown', line: place.line, offset: place.offset, text: place.text, eol: place.eol };
}

/** Classifies one line. Malformed event and M2 lines become `unknown` plus a message. */
export function classifyLine(place: StatementPlace): { statement: EdlStatement; problem?: string; column?: number } {
  const statement = classify(place);
  return lineProblem === undefined ? { statement } : { statement, problem: lineProblem, column: lineProblemColumn };
}

/** The problem {@link classify} found on the line it classified last (undefined: none). */
let lineProblem: string | undefined;
let lineProblemColumn = 1;

function problemAt(statement: EdlStatement, problem: string, column: number): EdlStatement {
  lineProblem = problem;
  lineProblemColumn = column;
  return statement;
}

/** {@link classifyLine} without a result object: the problem, if any, is left in `lineProblem`. */
function classify(place: StatementPlace): EdlStatement {
  lineProblem = undefined;
  const text = place.text;
  let i = 0;
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  if (i >= text.length) return { kind: 'blank', line: place.line, offset: place.offset, text: place.text, eol: place.eol };
  const c = text.charCodeAt(i);
  if (isDigitCode(c)) {
    const ev = parseEventLine(place);
    if (typeof ev !== 'string') return ev;
    // Lines indented and starting with a digit are option-text continuations (EDL-X); keep quietly.
    if (i > 0) return unknown(place);
    return problemAt(unknown(place), ev, i + 1);
  }
  if (c === 42 /* * */) return classifyNote(place, i);
  if (startsWithWord(text, i, 'TITLE:')) {
    return { kind: 'title', ...place, title: text.slice(i + 6).trim() };
  }
  if (startsWithWord(text, i, 'FCM:')) {
    const words = text.slice(i + 4).trim().toUpperCase().replace(/[\s-]+/g, ' ');
    const dropFrame = words === 'DROP FRAME' ? true : words === 'NON DROP FRAME' || words === 'NONDROP FRAME' ? false : undefined;
    const st: FcmStatement = { kind: 'fcm', ...place, dropFrame };
    if (dropFrame === undefined) return problemAt(st, `FCM "${text.slice(i + 4).trim()}" is neither DROP FRAME nor NON-DROP FRAME`, i + 5);
    return st;
  }
  if (c === 77 /* M */ && text.charCodeAt(i + 1) === 50 /* 2 */ && (i + 2 >= text.length || isBlank(text.charCodeAt(i + 2)))) {
    const m2 = parseM2(place);
    if (typeof m2 !== 'string') return m2;
    return problemAt(unknown(place), m2, i + 1);
  }
  if (startsWithWord(text, i, 'AUD') && (i + 3 >= text.length || isBlank(text.charCodeAt(i + 3)))) {
    const channels: number[] = [];
    for (const m of text.slice(i + 3).matchAll(/\d+/g)) channels.push(Number(m[0]));
    if (channels.length === 0) return problemAt(unknown(place), 'an AUD line names no channel', i + 1);
    return { kind: 'aud', ...place, channels };
  }
  if (startsWithWord(text, i, 'SPLIT:')) {
    const rest = text.slice(i + 6).toUpperCase();
    const delayOf = rest.includes('AUDIO DELAY') ? 'audio' : rest.includes('VIDEO DELAY') ? 'video' : undefined;
    const m = /([0-9][0-9:;.,]{7,12})\s*$/.exec(text);
    return { kind: 'split', ...place, delayOf, delay: m ? (m[1] as string) : '' };
  }
  if (startsWithWord(text, i, 'EFFECTS NAME IS')) {
    return { kind: 'effect', ...place, name: text.slice(i + 15).trim() };
  }
  // Notes without a star (spec/edl.md §10.3): known keys, and Resolve marker lines.
  if (noteKeyAt(text, i, trimEnd(text, i)) !== undefined) return classifyNote(place, i);
  if (text.includes('|C:') || text.includes('|M:')) {
    const end = trimEnd(text, i);
    return new NoteLine(place.line, place.offset, text, place.eol, false, 'RESOLVE MARKER', i, end, i);
  }
  return unknown(place);
}

/**
 * Splits a list into statements, keeping every line, its number, offset and line ending.
 * Never throws; malformed event, M2 and FCM lines are kept as `unknown` statements with a
 * diagnostic (`edl/bad-event`, `edl/bad-m2`, `edl/bad-fcm`, `edl/bad-aud`) at their line and column.
 */
export function readStatements(input: string | Uint8Array, options: ReadStatementsOptions = {}): EdlDocument {
  let text: string;
  let encoding: 'utf-8' | 'latin1' = 'utf-8';
  if (typeof input === 'string') text = input;
  else ({ text, encoding } = decodeText(input));
  const statements: EdlStatement[] = [];
  const diagnostics: Diagnostic[] = [];
  const bom = forEachStatement(text, options, diagnostics, (s) => {
    statements.push(s);
  });
  return { bom, encoding, statements, diagnostics };
}

/**
 * The line loop of {@link readStatements}: classifies each line of `text` in order and hands the
 * statement to `each` (which may keep it or drop it: nothing here holds on to it), pushing
 * malformed-line diagnostics to `diagnostics`. `each` returning `false` stops the loop. Returns
 * whether the text starts with a byte order mark. Internal to the EDL reader: `parse` streams
 * statements through it so that none of them outlives its event.
 * @internal
 */
export function forEachStatement(text: string, options: ReadStatementsOptions, diagnostics: Diagnostic[], each: (s: EdlStatement) => boolean | void): boolean {
  const bom = text.charCodeAt(0) === 0xfeff;
  const base = bom ? 1 : 0;
  const severity = options.severity ?? 'warning';
  const len = text.length;
  let pos = base;
  let line = 1;
  // Position of the next CR at or after pos (len when none): found once, not per line.
  let nextCr = text.indexOf('\r', pos);
  if (nextCr < 0) nextCr = len;
  const place: { line: number; offset: number; text: string; eol: EdlEol } = { line: 0, offset: 0, text: '', eol: '' };
  while (pos < len) {
    if (nextCr < pos) {
      nextCr = text.indexOf('\r', pos);
      if (nextCr < 0) nextCr = len;
    }
    let end = text.indexOf('\n', pos);
    let eol: EdlEol;
    let next: number;
    if (end < 0) {
      end = len;
      next = len;
      eol = '';
    } else {
      next = end + 1;
      eol = '\n';
      if (end > pos && text.charCodeAt(end - 1) === 13) {
        end--;
        eol = '\r\n';
      }
    }
    // A lone CR (classic Mac) also ends a line.
    if (nextCr < end) {
      end = nextCr;
      next = nextCr + 1;
      eol = '\r';
    }
    // One scratch place for every line: statements copy what they keep from it.
    place.line = line;
    place.offset = pos;
    place.text = text.slice(pos, end);
    place.eol = eol;
    const statement = classify(place);
    if (lineProblem !== undefined) {
      const column = lineProblemColumn;
      const code = statement.kind === 'fcm' ? 'edl/bad-fcm' : /^\s*M2/.test(place.text) ? 'edl/bad-m2' : /^\s*AUD/i.test(place.text) ? 'edl/bad-aud' : 'edl/bad-event';
      diagnostics.push(diagnostic(severity, code, lineProblem, {
        at: { offset: pos + column - 1, line, column },
        received: place.text.length > 200 ? place.text.slice(0, 200) + '…' : place.text,
        ...(options.source !== undefined ? { source: options.source } : {}),
      }));
    }
    if (each(statement) === false) break;
    pos = next;
    line++;
  }
  return bom;
}

/**
 * Writes statements back as text: each statement's `text` and `eol`, in order, after a BOM when
 * the document had one. For an unchanged document this is the input exactly.
 */
export function writeStatements(doc: Pick<EdlDocument, 'bom' | 'statements'>): string {
  const parts: string[] = doc.bom ? ['\ufeff'] : [];
  for (const s of doc.statements) parts.push(s.text, s.eol);
  return parts.join('');
}
