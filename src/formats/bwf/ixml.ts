/**
 * iXML (BWF digest §4): a lenient element scanner that keeps the source offsets of every element,
 * typed accessors for the common production fields, and in-place text edits that leave every
 * other byte of the XML as it was.
 *
 * Why not fast-xml-parser here: editing a field in place needs each element's exact source span
 * (to keep the rest of the chunk byte for byte and reuse its whitespace padding), which that
 * parser does not report for end tags; iXML is flat, attribute-free XML, so a small recovering
 * scanner with explicit limits does the job.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { FrameRate } from '../../time/frame-rate.js';

/** One XML element with its place in the source text (UTF-16 offsets into {@link Ixml.xml}). */
export interface XmlElement {
  readonly name: string;
  /** Offset of `<`. */
  readonly start: number;
  /** Offset just after the open tag's `>`. */
  readonly contentStart: number;
  /** Offset of the close tag's `<` (equal to contentStart for `<X/>`). */
  readonly contentEnd: number;
  /** Offset just after the close tag. */
  readonly end: number;
  /** Decoded text (entities and CDATA resolved, trimmed) before the first child element: a leaf's whole text. */
  readonly text: string;
  readonly children: readonly XmlElement[];
}

/** An iXML `TRACK` (TRACK_LIST). */
export interface IxmlTrack {
  /** The recorder's track number across the take (1-based). */
  readonly channelIndex?: number;
  /** Position inside this file (1-based). */
  readonly interleaveIndex?: number;
  readonly name?: string;
  /** Function dictionary value (`MIX`, `L-5.1`, …). */
  readonly function?: string;
}

/** iXML `SPEED`: values as written, with the timestamp as one 64-bit count. */
export interface IxmlSpeed {
  readonly note?: string;
  /** fps as `n/d` text (`24000/1001`). */
  readonly masterSpeed?: string;
  readonly currentSpeed?: string;
  readonly timecodeRate?: string;
  /** `DF` or `NDF`. */
  readonly timecodeFlag?: string;
  readonly fileSampleRate?: number;
  readonly audioBitDepth?: number;
  readonly digitizerSampleRate?: number;
  /** TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI << 32 | _LO (negative LO values wrap, Metacorder). */
  readonly timestampSamplesSinceMidnight?: bigint;
  readonly timestampSampleRate?: number;
}

/** iXML `FILE_SET`. */
export interface IxmlFileSet {
  readonly totalFiles?: number;
  readonly familyUid?: string;
  readonly familyName?: string;
  readonly fileSetIndex?: string;
}

/** A parsed iXML chunk: the raw XML kept whole, plus typed common fields. */
export interface Ixml {
  /** The whole chunk text (UTF-8 decoded), padding included. */
  readonly xml: string;
  /** The `BWFXML` root, or undefined when none was found. */
  readonly root?: XmlElement;
  readonly version?: string;
  readonly project?: string;
  readonly scene?: string;
  readonly take?: string;
  readonly tape?: string;
  readonly note?: string;
  /** CIRCLED: TRUE/FALSE. */
  readonly circled?: boolean;
  readonly ubits?: string;
  readonly fileUid?: string;
  readonly takeType?: string;
  readonly user?: string;
  readonly speed?: IxmlSpeed;
  readonly fileSet?: IxmlFileSet;
  readonly tracks: readonly IxmlTrack[];
  /** The BEXT mirror's BWF_TIME_REFERENCE_HIGH << 32 | _LOW (negative LOW values wrap, Metacorder). */
  readonly bextTimeReference?: bigint;
}

/** Limits of the scanner (explicit, with safe defaults). */
export interface IxmlLimits {
  readonly maxDepth?: number;
  readonly maxElements?: number;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e] ?? m;
  });
}

/** Escapes text for element content. */
export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Decoded text of a leaf element's content: entities and CDATA resolved, comments dropped, trimmed. */
function leafText(xml: string, from: number, to: number): string {
  let raw = xml.slice(from, to);
  if (raw.indexOf('<') >= 0) {
    let out = '';
    let i = 0;
    while (i < raw.length) {
      const lt = raw.indexOf('<', i);
      if (lt < 0) {
        out += decodeEntities(raw.slice(i));
        break;
      }
      out += decodeEntities(raw.slice(i, lt));
      if (raw.startsWith('<![CDATA[', lt)) {
        const e = raw.indexOf(']]>', lt + 9);
        out += raw.slice(lt + 9, e < 0 ? raw.length : e);
        i = e < 0 ? raw.length : e + 3;
      } else {
        const e = raw.indexOf('>', lt + 1);
        i = e < 0 ? raw.length : e + 1;
      }
    }
    return out.trim();
  }
  raw = raw.trim();
  return raw.indexOf('&') >= 0 ? decodeEntities(raw) : raw;
}

/** Children of elements that have none: one shared frozen array, not one per leaf. */
const NO_CHILDREN: readonly XmlElement[] = Object.freeze([]);

/**
 * An element as the scanner builds it: one object from the open tag on (its end offsets are set
 * when it closes), with the text decoded on first access (most elements are never asked).
 */
class XmlNode implements XmlElement {
  private decoded: string | undefined;
  contentEnd: number;
  end: number;
  children: readonly XmlElement[] = NO_CHILDREN;
  constructor(
    private readonly xml: string,
    readonly name: string,
    readonly start: number,
    readonly contentStart: number,
  ) {
    this.contentEnd = contentStart;
    this.end = contentStart;
  }

  /** Appends a child (the shared empty array is replaced on the first one). */
  add(el: XmlElement): void {
    if (this.children === NO_CHILDREN) this.children = [el];
    else (this.children as XmlElement[]).push(el);
  }

  get text(): string {
    if (this.decoded === undefined) {
      // Text before the first child: the whole content of a leaf, and what an unclosed element held before the tags that follow it.
      const end = this.children.length > 0 ? (this.children[0] as XmlElement).start : this.contentEnd;
      this.decoded = end > this.contentStart ? leafText(this.xml, this.contentStart, end) : '';
    }
    return this.decoded;
  }
}

function isNameEnd(c: number): boolean {
  // whitespace, '/', '>'
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * True when the close tag whose name starts at `from` (its `>` at `gt`) names the open element
 * `el`. Compares the two places in the source text, last character first (iXML names share long
 * prefixes such as `TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_`), and cuts no string out.
 */
function closeTagIs(xml: string, from: number, gt: number, el: XmlNode): boolean {
  const n = el.name.length;
  let stop = gt;
  while (stop > from && isSpace(xml.charCodeAt(stop - 1))) stop--;
  if (stop - from !== n) return false;
  const open = el.start + 1;
  for (let k = n - 1; k >= 0; k--) if (xml.charCodeAt(from + k) !== xml.charCodeAt(open + k)) return false;
  return true;
}

/**
 * Scans XML into elements with offsets. Recovers from mismatched tags (closes up to the matching
 * open element, ignores strays), stops after the root closes (junk and padding after it are
 * allowed), and reports problems as diagnostics at `baseOffset + offset`.
 */
export function scanXml(xml: string, baseOffset: number, diagnostics: Diagnostic[], limits: IxmlLimits = {}): XmlElement | undefined {
  const maxDepth = limits.maxDepth ?? 256;
  const maxElements = limits.maxElements ?? 100_000;
  const stack: XmlNode[] = [];
  let root: XmlElement | undefined;
  let count = 0;
  let i = 0;
  const n = xml.length;
  const close = (el: XmlNode, contentEnd: number, end: number): void => {
    el.contentEnd = contentEnd;
    el.end = end;
    const parent = stack[stack.length - 1];
    if (parent) parent.add(el);
    else root ??= el;
  };
  while (i < n && root === undefined) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */ && xml.startsWith('<!--', lt)) {
      const e = xml.indexOf('-->', lt + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (c1 === 0x21 && xml.startsWith('<![CDATA[', lt)) {
      const e = xml.indexOf(']]>', lt + 9);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (c1 === 0x3f /* ? */ || c1 === 0x21) {
      const e = xml.indexOf('>', lt + 2);
      i = e < 0 ? n : e + 1;
      continue;
    }
    const gt = xml.indexOf('>', lt + 1);
    if (gt < 0) {
      diagnostics.push(warning('ixml/malformed', 'a tag is not closed before the end of the chunk', { at: { offset: baseOffset + lt } }));
      break;
    }
    if (c1 === 0x2f) {
      let from = lt + 2;
      while (from < gt && isSpace(xml.charCodeAt(from))) from++;
      // The usual case, the innermost open element, is matched in place.
      let k = stack.length - 1;
      while (k >= 0 && !closeTagIs(xml, from, gt, stack[k] as XmlNode)) k--;
      if (k < 0) {
        diagnostics.push(warning('ixml/malformed', `close tag </${xml.slice(lt + 2, gt).trim()}> has no open tag`, { at: { offset: baseOffset + lt } }));
      } else {
        while (stack.length - 1 > k) {
          const b = stack.pop() as XmlNode;
          diagnostics.push(warning('ixml/malformed', `<${b.name}> is not closed`, { at: { offset: baseOffset + b.start } }));
          close(b, lt, lt);
        }
        close(stack.pop() as XmlNode, lt, gt + 1);
      }
      i = gt + 1;
      continue;
    }
    const selfClosing = xml.charCodeAt(gt - 1) === 0x2f;
    let ne = lt + 1;
    while (ne < gt && !isNameEnd(xml.charCodeAt(ne))) ne++;
    if (ne === lt + 1) {
      diagnostics.push(warning('ixml/malformed', 'a tag has no name', { at: { offset: baseOffset + lt } }));
      i = gt + 1;
      continue;
    }
    if (++count > maxElements) {
      diagnostics.push(error('ixml/too-many-elements', `more than ${maxElements} elements; the rest is not read`, { at: { offset: baseOffset + lt } }));
      break;
    }
    const el = new XmlNode(xml, xml.slice(lt + 1, ne), lt, gt + 1);
    if (selfClosing) {
      close(el, gt + 1, gt + 1);
    } else {
      if (stack.length >= maxDepth) {
        diagnostics.push(error('ixml/too-deep', `elements nest deeper than ${maxDepth}; the rest is not read`, { at: { offset: baseOffset + lt } }));
        break;
      }
      stack.push(el);
    }
    i = gt + 1;
  }
  if (root === undefined && stack.length > 0) {
    diagnostics.push(warning('ixml/malformed', `<${(stack[0] as XmlNode).name}> is not closed`, { at: { offset: baseOffset + (stack[0] as XmlNode).start } }));
    while (stack.length > 0) close(stack.pop() as XmlNode, n, n);
  }
  return root;
}

/** The first child element named `name` (case-sensitive, as iXML is). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** The element at a path of names below `el`. */
export function childAt(el: XmlElement | undefined, path: readonly string[]): XmlElement | undefined {
  let cur = el;
  for (const p of path) cur = child(cur, p);
  return cur;
}

function textOf(el: XmlElement | undefined, name: string): string | undefined {
  const c = child(el, name);
  return c ? c.text : undefined;
}

function intOf(el: XmlElement | undefined, name: string): number | undefined {
  const t = textOf(el, name);
  if (t === undefined || !/^[+-]?\d+$/.test(t)) return undefined;
  const v = Number(t);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** Decimal 32-bit half; negatives (signed writers) wrap by 2^32. */
function dwordOf(el: XmlElement | undefined, name: string): bigint | undefined {
  const t = textOf(el, name);
  if (t === undefined || !/^[+-]?\d{1,20}$/.test(t)) return undefined;
  let v = BigInt(t);
  if (v < 0n) v += 0x100000000n;
  return v >= 0n && v <= 0xffffffffn ? v : undefined;
}

/** Marks objects whose absent fields are `undefined` properties (cheaper than deleting keys). */
function defined<T extends object>(o: T): T {
  return o;
}

/** Parses iXML text. Never throws; problems become `ixml/*` diagnostics at chunk offsets. */
export function parseIxml(xml: string, dataOffset: number, diagnostics: Diagnostic[], limits?: IxmlLimits): Ixml {
  const root = scanXml(xml, dataOffset, diagnostics, limits);
  if (!root) {
    diagnostics.push(warning('ixml/no-root', 'the iXML chunk holds no element', { at: { offset: dataOffset } }));
    return { xml, tracks: [] };
  }
  if (root.name !== 'BWFXML') diagnostics.push(warning('ixml/unexpected-root', `the iXML root is <${root.name}>, not <BWFXML>`, { at: { offset: dataOffset + root.start } }));
  const speedEl = child(root, 'SPEED');
  let speed: IxmlSpeed | undefined;
  if (speedEl) {
    const hi = dwordOf(speedEl, 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI');
    const lo = dwordOf(speedEl, 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO');
    speed = defined({
      note: textOf(speedEl, 'NOTE'),
      masterSpeed: textOf(speedEl, 'MASTER_SPEED'),
      currentSpeed: textOf(speedEl, 'CURRENT_SPEED'),
      timecodeRate: textOf(speedEl, 'TIMECODE_RATE'),
      timecodeFlag: textOf(speedEl, 'TIMECODE_FLAG'),
      fileSampleRate: intOf(speedEl, 'FILE_SAMPLE_RATE'),
      audioBitDepth: intOf(speedEl, 'AUDIO_BIT_DEPTH'),
      digitizerSampleRate: intOf(speedEl, 'DIGITIZER_SAMPLE_RATE'),
      timestampSamplesSinceMidnight: hi === undefined && lo === undefined ? undefined : ((hi ?? 0n) << 32n) | (lo ?? 0n),
      timestampSampleRate: intOf(speedEl, 'TIMESTAMP_SAMPLE_RATE'),
    });
  }
  const fsEl = child(root, 'FILE_SET');
  const fileSet = fsEl
    ? defined({ totalFiles: intOf(fsEl, 'TOTAL_FILES'), familyUid: textOf(fsEl, 'FAMILY_UID'), familyName: textOf(fsEl, 'FAMILY_NAME'), fileSetIndex: textOf(fsEl, 'FILE_SET_INDEX') })
    : undefined;
  const tracks: IxmlTrack[] = [];
  for (const t of child(root, 'TRACK_LIST')?.children ?? []) {
    if (t.name !== 'TRACK') continue;
    tracks.push(defined({ channelIndex: intOf(t, 'CHANNEL_INDEX'), interleaveIndex: intOf(t, 'INTERLEAVE_INDEX'), name: textOf(t, 'NAME'), function: textOf(t, 'FUNCTION') }));
  }
  const mirror = child(root, 'BEXT');
  const mLo = dwordOf(mirror, 'BWF_TIME_REFERENCE_LOW');
  const mHi = dwordOf(mirror, 'BWF_TIME_REFERENCE_HIGH');
  const bextTimeReference = mLo === undefined && mHi === undefined ? undefined : ((mHi ?? 0n) << 32n) | (mLo ?? 0n);
  const circledText = textOf(root, 'CIRCLED');
  const circled = circledText === undefined ? undefined : /^true$/i.test(circledText) ? true : /^false$/i.test(circledText) ? false : undefined;
  if (circledText !== undefined && circledText !== '' && circled === undefined) {
    diagnostics.push(warning('ixml/bad-circled', `CIRCLED is "${circledText}", not TRUE or FALSE`, { at: { offset: dataOffset + (child(root, 'CIRCLED') as XmlElement).start } }));
  }
  return defined({
    xml,
    root,
    version: textOf(root, 'IXML_VERSION'),
    project: textOf(root, 'PROJECT'),
    scene: textOf(root, 'SCENE'),
    take: textOf(root, 'TAKE'),
    tape: textOf(root, 'TAPE'),
    note: textOf(root, 'NOTE'),
    circled,
    ubits: textOf(root, 'UBITS'),
    fileUid: textOf(root, 'FILE_UID'),
    takeType: textOf(root, 'TAKE_TYPE'),
    user: textOf(root, 'USER'),
    speed,
    fileSet,
    tracks,
    bextTimeReference,
  });
}

/**
 * The timecode rate iXML states (SPEED/TIMECODE_RATE as `n/d` plus TIMECODE_FLAG), or undefined
 * when absent or unreadable.
 */
export function ixmlFrameRate(ixml: Ixml | undefined): FrameRate | undefined {
  const text = ixml?.speed?.timecodeRate;
  if (!text) return undefined;
  const m = /^\s*(\d+)\s*(?:\/\s*(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const num = BigInt(m[1] as string);
  const den = BigInt(m[2] ?? '1');
  if (num === 0n || den === 0n) return undefined;
  try {
    const df = /^DF$/i.test(ixml?.speed?.timecodeFlag ?? '');
    return FrameRate.of(num, den, { dropFrame: df && (num * 1001n === den * 30000n || num * 1001n === den * 60000n || num * 1001n === den * 120000n) });
  } catch {
    return undefined;
  }
}

/** Changes to the common iXML fields. Absent keys are left alone. */
export interface IxmlChanges {
  readonly project?: string;
  readonly scene?: string;
  readonly take?: string;
  readonly tape?: string;
  readonly note?: string;
  readonly circled?: boolean;
  /**
   * A new start (BWF TimeReference): rewrites SPEED/TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI/LO and the
   * BEXT mirror's BWF_TIME_REFERENCE_LOW/HIGH where they exist, so iXML and bext keep agreeing.
   */
  readonly timeReference?: bigint;
}

/** An empty iXML document for files that have none. */
export const EMPTY_IXML = '<?xml version="1.0" encoding="UTF-8"?>\n<BWFXML>\n<IXML_VERSION>1.61</IXML_VERSION>\n</BWFXML>\n';

/**
 * Applies changes to iXML text. Existing elements get new content in place; missing top-level
 * ones are added before `</BWFXML>`; every other character is kept. Returns undefined (with a
 * diagnostic) when there is no root to edit.
 */
export function editIxml(xml: string, changes: IxmlChanges, diagnostics: Diagnostic[]): string | undefined {
  const scratch: Diagnostic[] = [];
  const root = scanXml(xml, 0, scratch);
  if (!root || root.contentEnd === root.end) {
    diagnostics.push(error('ixml/no-root', 'the iXML chunk has no BWFXML root to edit', { path: ['iXML'] }));
    return undefined;
  }
  const edits: { from: number; to: number; text: string }[] = [];
  const additions: string[] = [];
  const setTop = (name: string, value: string | undefined): void => {
    if (value === undefined) return;
    const el = child(root, name);
    if (el && el.contentEnd > el.start && el.end > el.contentEnd) edits.push({ from: el.contentStart, to: el.contentEnd, text: escapeXmlText(value) });
    else if (el) edits.push({ from: el.start, to: el.end, text: `<${name}>${escapeXmlText(value)}</${name}>` });
    else additions.push(`<${name}>${escapeXmlText(value)}</${name}>`);
  };
  setTop('PROJECT', changes.project);
  setTop('SCENE', changes.scene);
  setTop('TAKE', changes.take);
  setTop('TAPE', changes.tape);
  setTop('NOTE', changes.note);
  setTop('CIRCLED', changes.circled === undefined ? undefined : changes.circled ? 'TRUE' : 'FALSE');
  if (changes.timeReference !== undefined) {
    const hi = String(changes.timeReference >> 32n);
    const lo = String(changes.timeReference & 0xffffffffn);
    const setIn = (parent: XmlElement | undefined, name: string, value: string): void => {
      const el = child(parent, name);
      if (el && el.end > el.contentEnd) edits.push({ from: el.contentStart, to: el.contentEnd, text: value });
    };
    const speed = child(root, 'SPEED');
    setIn(speed, 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI', hi);
    setIn(speed, 'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO', lo);
    const bext = child(root, 'BEXT');
    setIn(bext, 'BWF_TIME_REFERENCE_HIGH', hi);
    setIn(bext, 'BWF_TIME_REFERENCE_LOW', lo);
  }
  if (additions.length > 0) edits.push({ from: root.contentEnd, to: root.contentEnd, text: additions.join('') });
  edits.sort((a, b) => b.from - a.from);
  let out = xml;
  for (const e of edits) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
