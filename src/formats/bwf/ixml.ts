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
  // The usual content, printable ASCII without markup or entities around ASCII space, is cut out
  // as it stands; anything else (including Unicode space, which trim() also removes) goes the
  // general way below.
  let a = from;
  let b = to;
  while (a < b && isSpace(xml.charCodeAt(a))) a++;
  while (b > a && isSpace(xml.charCodeAt(b - 1))) b--;
  if (a === b) return '';
  const first = xml.charCodeAt(a);
  const last = xml.charCodeAt(b - 1);
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) {
    let plain = true;
    for (let k = a; k < b; k++) {
      const c = xml.charCodeAt(k);
      if (c === 0x3c /* < */ || c === 0x26 /* & */) {
        plain = false;
        break;
      }
    }
    if (plain) return xml.slice(a, b);
  }
  return generalLeafText(xml, from, to);
}

/** {@link leafText} for any content. */
function generalLeafText(xml: string, from: number, to: number): string {
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

function isNameEnd(c: number): boolean {
  // whitespace, '/', '>'
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** "No element" in the index fields of {@link FlatXml}. */
const NONE = -1;

/**
 * What the scanner finds, as parallel integer arrays indexed by element number (open-tag order):
 * no object and no string per element, so {@link parseIxml} reads the typed fields from offsets
 * and builds {@link XmlElement} objects only when `root` is asked for.
 */
class FlatXml {
  count = 0;
  /** The root element's number, or {@link NONE}. */
  root = NONE;
  /** Offset of `<`; the name runs from `start + 1` to `nameEnd`. */
  start: Int32Array;
  nameEnd: Int32Array;
  contentStart: Int32Array;
  contentEnd: Int32Array;
  end: Int32Array;
  firstChild: Int32Array;
  lastChild: Int32Array;
  nextSibling: Int32Array;
  /**
   * The UTF-16 code units of the text being scanned (its first `xml.length` entries), which every
   * per-character loop reads: an array load is cheaper than `charCodeAt`, most of all in code the
   * engine has not optimized yet (a single file's read).
   */
  codes: Uint16Array = new Uint16Array(0);

  constructor(capacity: number) {
    this.start = new Int32Array(capacity);
    this.nameEnd = new Int32Array(capacity);
    this.contentStart = new Int32Array(capacity);
    this.contentEnd = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.lastChild = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.start.length;
  }

  /**
   * Loads the code units of `xml` into {@link codes}: a copy of `bytes` when they are the UTF-8 text
   * `xml` was decoded from and are all ASCII, else unit by unit.
   */
  load(xml: string, bytes?: Uint8Array): Uint16Array {
    const n = xml.length;
    if (this.codes.length < n) this.codes = new Uint16Array(Math.max(n, 4096));
    const codes = this.codes;
    // As many units as bytes and no U+FFFD: every byte was ASCII (a multi-byte character makes the
    // text shorter, an invalid byte becomes U+FFFD), so byte k is unit k.
    if (bytes !== undefined && bytes.byteLength === n && xml.indexOf('\ufffd') < 0) codes.set(bytes);
    else for (let k = 0; k < n; k++) codes[k] = xml.charCodeAt(k);
    return codes;
  }

  /** Doubles the capacity, keeping the elements found so far. */
  grow(): void {
    const grown = (a: Int32Array): Int32Array => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.start = grown(this.start);
    this.nameEnd = grown(this.nameEnd);
    this.contentStart = grown(this.contentStart);
    this.contentEnd = grown(this.contentEnd);
    this.end = grown(this.end);
    this.firstChild = grown(this.firstChild);
    this.lastChild = grown(this.lastChild);
    this.nextSibling = grown(this.nextSibling);
  }

  /** End of the text before the first child (a leaf's whole content). */
  textEnd(e: number): number {
    const c = this.firstChild[e] as number;
    return c === NONE ? (this.contentEnd[e] as number) : (this.start[c] as number);
  }

  name(xml: string, e: number): string {
    return xml.slice((this.start[e] as number) + 1, this.nameEnd[e] as number);
  }

  /** True when element `e` is named `name` (compared in place, last character first). */
  is(e: number, name: string): boolean {
    const from = (this.start[e] as number) + 1;
    const n = name.length;
    if ((this.nameEnd[e] as number) - from !== n) return false;
    const codes = this.codes;
    for (let k = n - 1; k >= 0; k--) if (codes[from + k] !== name.charCodeAt(k)) return false;
    return true;
  }
}

/** Capacity kept between calls: the scan arrays of a typical iXML chunk are reused, a huge one's are dropped. */
const REUSED_CAPACITY = 1024;
/** Code units kept between calls (the same rule for the text). */
const REUSED_CODE_UNITS = 65536;
let reusable: FlatXml | undefined;

/**
 * Scans XML into `out`. Recovers from mismatched tags (closes up to the matching open element,
 * ignores strays), stops after the root closes (junk and padding after it are allowed), and
 * reports problems as diagnostics at `baseOffset + offset`.
 */
function scanFlat(xml: string, baseOffset: number, diagnostics: Diagnostic[], limits: IxmlLimits, out: FlatXml): void {
  const codes = out.codes; // loaded with xml by the caller
  const maxDepth = limits.maxDepth ?? 256;
  const maxElements = limits.maxElements ?? 100_000;
  const stack: number[] = [];
  out.count = 0;
  out.root = NONE;
  let i = 0;
  const n = xml.length;
  const close = (e: number, contentEnd: number, end: number): void => {
    out.contentEnd[e] = contentEnd;
    out.end[e] = end;
    const parent = stack.length > 0 ? (stack[stack.length - 1] as number) : NONE;
    if (parent === NONE) {
      if (out.root === NONE) out.root = e;
      return;
    }
    const last = out.lastChild[parent] as number;
    if (last === NONE) out.firstChild[parent] = e;
    else out.nextSibling[last] = e;
    out.lastChild[parent] = e;
  };
  /** The innermost open element named like the close tag whose name is `[from, stop)`, or -1. */
  const matchOpen = (from: number, stop: number): number => {
    const len = stop - from;
    for (let k = stack.length - 1; k >= 0; k--) {
      const e = stack[k] as number;
      const open = (out.start[e] as number) + 1;
      if ((out.nameEnd[e] as number) - open !== len) continue;
      // Last character first: iXML names share long prefixes (`TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_`).
      let j = len - 1;
      while (j >= 0 && codes[from + j] === codes[open + j]) j--;
      if (j < 0) return k;
    }
    return -1;
  };
  while (i < n && out.root === NONE) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const c1 = lt + 1 < n ? (codes[lt + 1] as number) : -1; // past the text: no character (the array holds older text there)
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
      // XML 1.0 §3.1: ETag ::= '</' Name S? '>' (leading space is tolerated too).
      let from = lt + 2;
      while (from < gt && isSpace(codes[from] as number)) from++;
      let stop = gt;
      while (stop > from && isSpace(codes[stop - 1] as number)) stop--;
      const k = matchOpen(from, stop);
      if (k < 0) {
        diagnostics.push(warning('ixml/malformed', `close tag </${xml.slice(lt + 2, gt).trim()}> has no open tag`, { at: { offset: baseOffset + lt } }));
      } else {
        while (stack.length - 1 > k) {
          const b = stack.pop() as number;
          diagnostics.push(warning('ixml/malformed', `<${out.name(xml, b)}> is not closed`, { at: { offset: baseOffset + (out.start[b] as number) } }));
          close(b, lt, lt);
        }
        close(stack.pop() as number, lt, gt + 1);
      }
      i = gt + 1;
      continue;
    }
    const selfClosing = codes[gt - 1] === 0x2f;
    let ne = lt + 1;
    // Name characters are mostly letters and `_` (above `>`): one comparison each.
    for (; ne < gt; ne++) {
      const c = codes[ne] as number;
      if (c <= 0x3e && isNameEnd(c)) break;
    }
    if (ne === lt + 1) {
      diagnostics.push(warning('ixml/malformed', 'a tag has no name', { at: { offset: baseOffset + lt } }));
      i = gt + 1;
      continue;
    }
    if (out.count >= maxElements) {
      diagnostics.push(error('ixml/too-many-elements', `more than ${maxElements} elements; the rest is not read`, { at: { offset: baseOffset + lt } }));
      break;
    }
    if (out.count === out.capacity) out.grow();
    const e = out.count++;
    out.start[e] = lt;
    out.nameEnd[e] = ne;
    out.contentStart[e] = gt + 1;
    out.contentEnd[e] = gt + 1;
    out.end[e] = gt + 1;
    out.firstChild[e] = NONE;
    out.lastChild[e] = NONE;
    out.nextSibling[e] = NONE;
    if (selfClosing) {
      close(e, gt + 1, gt + 1);
    } else {
      if (stack.length >= maxDepth) {
        diagnostics.push(error('ixml/too-deep', `elements nest deeper than ${maxDepth}; the rest is not read`, { at: { offset: baseOffset + lt } }));
        break;
      }
      stack.push(e);
    }
    i = gt + 1;
  }
  if (out.root === NONE && stack.length > 0) {
    const first = stack[0] as number;
    diagnostics.push(warning('ixml/malformed', `<${out.name(xml, first)}> is not closed`, { at: { offset: baseOffset + (out.start[first] as number) } }));
    while (stack.length > 0) close(stack.pop() as number, n, n);
  }
}

/** An element of the tree {@link scanXml} returns, with its text decoded on first access (most elements are never asked). */
class XmlNode implements XmlElement {
  private decoded: string | undefined = undefined;
  children: readonly XmlElement[] = NO_CHILDREN;
  constructor(
    private readonly xml: string,
    readonly name: string,
    readonly start: number,
    readonly contentStart: number,
    readonly contentEnd: number,
    readonly end: number,
  ) {}

  get text(): string {
    if (this.decoded === undefined) {
      // Text before the first child: the whole content of a leaf, and what an unclosed element held before the tags that follow it.
      const end = this.children.length > 0 ? (this.children[0] as XmlElement).start : this.contentEnd;
      this.decoded = end > this.contentStart ? leafText(this.xml, this.contentStart, end) : '';
    }
    return this.decoded;
  }
}

/**
 * {@link Ixml.root}: the root element's place from the first scan; its text and children come from
 * {@link scanXml} on first access (the same scan of the same text, so the same tree).
 */
class LazyRoot implements XmlElement {
  readonly name: string;
  readonly start: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly end: number;
  private tree: XmlElement | undefined = undefined;

  /** The root `e` of the scan `flat` of `xml`. */
  constructor(
    private readonly xml: string,
    private readonly dataOffset: number,
    private readonly limits: IxmlLimits,
    flat: FlatXml,
    e: number,
  ) {
    this.name = flat.name(xml, e);
    this.start = flat.start[e] as number;
    this.contentStart = flat.contentStart[e] as number;
    this.contentEnd = flat.contentEnd[e] as number;
    this.end = flat.end[e] as number;
  }

  get text(): string {
    return this.full().text;
  }

  get children(): readonly XmlElement[] {
    return this.full().children;
  }

  private full(): XmlElement {
    // The scan that found this root finds it again: never undefined.
    this.tree ??= scanXml(this.xml, this.dataOffset, [], this.limits) as XmlElement;
    return this.tree;
  }
}

/** The element tree of a scan: one {@link XmlNode} per element, children in document order. */
function buildTree(xml: string, flat: FlatXml): XmlElement | undefined {
  if (flat.root === NONE) return undefined;
  const nodes: XmlNode[] = new Array<XmlNode>(flat.count);
  for (let e = 0; e < flat.count; e++) {
    nodes[e] = new XmlNode(xml, flat.name(xml, e), flat.start[e] as number, flat.contentStart[e] as number, flat.contentEnd[e] as number, flat.end[e] as number);
  }
  for (let e = 0; e < flat.count; e++) {
    let c = flat.firstChild[e] as number;
    if (c === NONE) continue;
    const children: XmlElement[] = [];
    for (; c !== NONE; c = flat.nextSibling[c] as number) children.push(nodes[c] as XmlNode);
    (nodes[e] as XmlNode).children = children;
  }
  return nodes[flat.root];
}

/**
 * Scans XML into elements with offsets. Recovers from mismatched tags (closes up to the matching
 * open element, ignores strays), stops after the root closes (junk and padding after it are
 * allowed), and reports problems as diagnostics at `baseOffset + offset`.
 */
export function scanXml(xml: string, baseOffset: number, diagnostics: Diagnostic[], limits: IxmlLimits = {}): XmlElement | undefined {
  const flat = new FlatXml(64);
  flat.load(xml);
  scanFlat(xml, baseOffset, diagnostics, limits, flat);
  return buildTree(xml, flat);
}

/** The first child element named `name` (case-sensitive, as iXML is). */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
}

/** The element at a path of names below `el`. */
export function childAt(el: XmlElement | undefined, path: readonly string[]): XmlElement | undefined {
  let cur = el;
  for (const p of path) cur = child(cur, p);
  return cur;
}

/**
 * Element `e`'s text as an integer when it is plain ASCII space, an optional sign and 1 to 15
 * digits (exact in a double), read in place; NaN for any other text (entities, CDATA, comments,
 * Unicode space, more digits), which callers then read through {@link leafText}.
 */
function plainInteger(xml: string, flat: FlatXml, e: number): number {
  const to = flat.textEnd(e);
  let i = flat.contentStart[e] as number;
  while (i < to && isSpace(xml.charCodeAt(i))) i++;
  let negative = false;
  if (i < to) {
    const c = xml.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) {
      negative = c === 0x2d;
      i++;
    }
  }
  const first = i;
  let v = 0;
  for (; i < to; i++) {
    const c = xml.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    v = v * 10 + (c - 0x30);
  }
  const digits = i - first;
  while (i < to && isSpace(xml.charCodeAt(i))) i++;
  if (i !== to || digits === 0 || digits > 15) return NaN;
  return negative ? -v : v;
}

/** Reads the typed fields from a {@link FlatXml} (the scan of `xml`). */
class FieldReader {
  constructor(
    readonly xml: string,
    readonly flat: FlatXml,
  ) {}

  /** The text of element `e` (as {@link XmlElement.text}), or undefined for {@link NONE}. */
  text(e: number | undefined): string | undefined {
    if (e === NONE || e === undefined) return undefined;
    const from = this.flat.contentStart[e] as number;
    const to = this.flat.textEnd(e);
    return to > from ? leafText(this.xml, from, to) : '';
  }

  /** The text of `e` when it is a safe integer (`^[+-]?\d+$` after trimming), else undefined. */
  int(e: number | undefined): number | undefined {
    if (e === NONE || e === undefined) return undefined;
    const plain = plainInteger(this.xml, this.flat, e);
    if (plain === plain) return plain; // not NaN: at most 15 digits, exact and safe
    const t = this.text(e) as string;
    if (!/^[+-]?\d+$/.test(t)) return undefined;
    const v = Number(t);
    return Number.isSafeInteger(v) ? v : undefined;
  }

  /** Decimal 32-bit half; negatives (signed writers) wrap by 2^32. */
  dword(e: number | undefined): bigint | undefined {
    if (e === NONE || e === undefined) return undefined;
    const plain = plainInteger(this.xml, this.flat, e);
    if (plain === plain) {
      const v = plain < 0 ? plain + 0x100000000 : plain;
      return v >= 0 && v <= 0xffffffff ? BigInt(v) : undefined;
    }
    const t = this.text(e) as string;
    if (!/^[+-]?\d{1,20}$/.test(t)) return undefined;
    let v = BigInt(t);
    if (v < 0n) v += 0x100000000n;
    return v >= 0n && v <= 0xffffffffn ? v : undefined;
  }

  /**
   * The first child of `parent` named `set.names[k]`, for every k, in one pass over the children
   * ({@link NONE} where there is none). The answer is `set.found`, valid until the next call with
   * the same set.
   */
  firstChildren(parent: number, set: NameSet): Int32Array {
    const found = set.found;
    found.fill(NONE);
    const flat = this.flat;
    for (let c = flat.firstChild[parent] as number; c !== NONE; c = flat.nextSibling[c] as number) {
      const from = (flat.start[c] as number) + 1;
      const len = (flat.nameEnd[c] as number) - from;
      // Only names with this length and first and last character are compared in full.
      const candidates = set.byKey.get(nameKey(len, flat.codes[from] as number, flat.codes[from + len - 1] as number));
      if (candidates === undefined) continue;
      for (const k of candidates) {
        if (found[k] === NONE && flat.is(c, set.names[k] as string)) {
          found[k] = c;
          break;
        }
      }
    }
    return found;
  }
}

/** A lookup key of an element name: its length and first and last UTF-16 units (equal names, equal keys). */
function nameKey(length: number, first: number, last: number): number {
  return ((length & 0x3ff) << 20) | ((first & 0x3ff) << 10) | (last & 0x3ff);
}

/** Names of the children a parent's fields come from, indexed by {@link nameKey}. */
class NameSet {
  readonly byKey = new Map<number, number[]>();
  /** Scratch answer of {@link FieldReader.firstChildren}. */
  readonly found: Int32Array;
  constructor(readonly names: readonly string[]) {
    this.found = new Int32Array(names.length);
    names.forEach((n, k) => {
      const key = nameKey(n.length, n.charCodeAt(0), n.charCodeAt(n.length - 1));
      const list = this.byKey.get(key);
      if (list) list.push(k);
      else this.byKey.set(key, [k]);
    });
  }
}

/** HI << 32 | LO from two 32-bit halves, a missing half read as 0; undefined when both are missing. */
function joinDwords(hi: bigint | undefined, lo: bigint | undefined): bigint | undefined {
  if (hi === undefined && lo === undefined) return undefined;
  return ((hi ?? 0n) << 32n) | (lo ?? 0n);
}

/** Marks objects whose absent fields are `undefined` properties (cheaper than deleting keys). */
function defined<T extends object>(o: T): T {
  return o;
}

// The children read below each parent, in the order of the lists (indexes used by parseIxml).
const TOP_NAMES = new NameSet(['IXML_VERSION', 'PROJECT', 'SCENE', 'TAKE', 'TAPE', 'NOTE', 'CIRCLED', 'UBITS', 'FILE_UID', 'TAKE_TYPE', 'USER', 'SPEED', 'FILE_SET', 'TRACK_LIST', 'BEXT']);
const SPEED_NAMES = new NameSet([
  'NOTE',
  'MASTER_SPEED',
  'CURRENT_SPEED',
  'TIMECODE_RATE',
  'TIMECODE_FLAG',
  'FILE_SAMPLE_RATE',
  'AUDIO_BIT_DEPTH',
  'DIGITIZER_SAMPLE_RATE',
  'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_HI',
  'TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO',
  'TIMESTAMP_SAMPLE_RATE',
]);
const FILE_SET_NAMES = new NameSet(['TOTAL_FILES', 'FAMILY_UID', 'FAMILY_NAME', 'FILE_SET_INDEX']);
const TRACK_NAMES = new NameSet(['CHANNEL_INDEX', 'INTERLEAVE_INDEX', 'NAME', 'FUNCTION']);
const MIRROR_NAMES = new NameSet(['BWF_TIME_REFERENCE_HIGH', 'BWF_TIME_REFERENCE_LOW']);

/**
 * Parses iXML text. Never throws; problems become `ixml/*` diagnostics at chunk offsets. The
 * typed fields are read straight from the scan; `root` (the element tree) is built on first
 * access, by scanning the text again (the same scan, so the same tree). `bytes`, when given, are
 * the UTF-8 bytes `xml` was decoded from (the chunk payload): the scan then copies them instead
 * of reading the text unit by unit when they are ASCII. The result is the same either way.
 */
export function parseIxml(xml: string, dataOffset: number, diagnostics: Diagnostic[], limits: IxmlLimits = {}, bytes?: Uint8Array): Ixml {
  const flat = reusable ?? new FlatXml(REUSED_CAPACITY);
  reusable = undefined; // not shared while in use
  try {
    flat.load(xml, bytes);
    scanFlat(xml, dataOffset, diagnostics, limits, flat);
    return readFields(xml, flat, dataOffset, diagnostics, limits);
  } finally {
    if (flat.capacity <= REUSED_CAPACITY && flat.codes.length <= REUSED_CODE_UNITS) reusable = flat;
  }
}

function readFields(xml: string, flat: FlatXml, dataOffset: number, diagnostics: Diagnostic[], limits: IxmlLimits): Ixml {
  const root = flat.root;
  if (root === NONE) {
    diagnostics.push(warning('ixml/no-root', 'the iXML chunk holds no element', { at: { offset: dataOffset } }));
    return { xml, tracks: [] };
  }
  if (!flat.is(root, 'BWFXML')) {
    diagnostics.push(warning('ixml/unexpected-root', `the iXML root is <${flat.name(xml, root)}>, not <BWFXML>`, { at: { offset: dataOffset + (flat.start[root] as number) } }));
  }
  const r = new FieldReader(xml, flat);
  // Indexes into TOP_NAMES, copied out of the scratch answer (no destructuring iterator).
  const top = r.firstChildren(root, TOP_NAMES);
  const version = top[0] as number;
  const project = top[1] as number;
  const scene = top[2] as number;
  const take = top[3] as number;
  const tape = top[4] as number;
  const note = top[5] as number;
  const circledEl = top[6] as number;
  const ubits = top[7] as number;
  const fileUid = top[8] as number;
  const takeType = top[9] as number;
  const user = top[10] as number;
  const speedEl = top[11] as number;
  const fileSetEl = top[12] as number;
  const trackList = top[13] as number;
  const mirror = top[14] as number;
  let speed: IxmlSpeed | undefined;
  if (speedEl !== NONE) {
    const s = r.firstChildren(speedEl, SPEED_NAMES);
    speed = defined({
      note: r.text(s[0]),
      masterSpeed: r.text(s[1]),
      currentSpeed: r.text(s[2]),
      timecodeRate: r.text(s[3]),
      timecodeFlag: r.text(s[4]),
      fileSampleRate: r.int(s[5]),
      audioBitDepth: r.int(s[6]),
      digitizerSampleRate: r.int(s[7]),
      timestampSamplesSinceMidnight: joinDwords(r.dword(s[8]), r.dword(s[9])),
      timestampSampleRate: r.int(s[10]),
    });
  }
  let fileSet: IxmlFileSet | undefined;
  if (fileSetEl !== NONE) {
    const f = r.firstChildren(fileSetEl, FILE_SET_NAMES);
    fileSet = defined({ totalFiles: r.int(f[0]), familyUid: r.text(f[1]), familyName: r.text(f[2]), fileSetIndex: r.text(f[3]) });
  }
  const tracks: IxmlTrack[] = [];
  if (trackList !== NONE) {
    for (let t = flat.firstChild[trackList] as number; t !== NONE; t = flat.nextSibling[t] as number) {
      if (!flat.is(t, 'TRACK')) continue;
      const f = r.firstChildren(t, TRACK_NAMES);
      tracks.push(defined({ channelIndex: r.int(f[0]), interleaveIndex: r.int(f[1]), name: r.text(f[2]), function: r.text(f[3]) }));
    }
  }
  let bextTimeReference: bigint | undefined;
  if (mirror !== NONE) {
    const m = r.firstChildren(mirror, MIRROR_NAMES);
    bextTimeReference = joinDwords(r.dword(m[0]), r.dword(m[1]));
  }
  const circledText = r.text(circledEl);
  const circled = circledText === undefined ? undefined : /^true$/i.test(circledText) ? true : /^false$/i.test(circledText) ? false : undefined;
  if (circledText !== undefined && circledText !== '' && circled === undefined) {
    diagnostics.push(warning('ixml/bad-circled', `CIRCLED is "${circledText}", not TRUE or FALSE`, { at: { offset: dataOffset + (flat.start[circledEl] as number) } }));
  }
  // The tree below the root is built when first asked for (most readers only want the typed
  // fields); `root` itself is a plain data property (an object literal with a getter cost more than
  // the rest of this function).
  return defined({
    xml,
    root: new LazyRoot(xml, dataOffset, limits, flat, root),
    version: r.text(version),
    project: r.text(project),
    scene: r.text(scene),
    take: r.text(take),
    tape: r.text(tape),
    note: r.text(note),
    circled,
    ubits: r.text(ubits),
    fileUid: r.text(fileUid),
    takeType: r.text(takeType),
    user: r.text(user),
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
