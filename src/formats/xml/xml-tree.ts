/**
 * The one entry point of fast-xml-parser in dubstage: a safe, ordered XML tree with places.
 *
 * Parsing runs fast-xml-parser's validator (for line/column diagnostics on malformed input) and
 * its ordered parser with the options STYLE.md names: no value coercion, bounded nesting, bounded
 * entity expansion, reserved names (`__proto__`, `constructor`…) kept as plain data. The result is
 * converted once into {@link XmlElement}s: plain JSON-compatible objects with ordered children
 * and attributes, so unknown elements can be stored in `metadata.<format>.unknown` as they are.
 * @packageDocumentation
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../../diagnostics/locate.js';
import type { ParseResult } from '../../diagnostics/result.js';

/** An attribute as written: `[name, value]` (value with entities decoded). */
export type XmlAttribute = readonly [name: string, value: string];

/** A node of the tree: an element, or a run of text (entities decoded, trimmed). */
export type XmlNode = XmlElement | string;

/**
 * An element. Plain data and JSON-compatible, so it can be kept in model metadata verbatim.
 * Comments are elements named `#comment` holding their text.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
  /** 0-based character offset of the `<` that opens the element in the decoded text (-1 when built). */
  readonly offset: number;
}

/** A parsed document. */
export interface XmlDocument {
  /** The root element. */
  readonly root: XmlElement;
  /** Name given in `<!DOCTYPE name …>`, when present. */
  readonly doctype?: string;
  /** The decoded text the offsets refer to. */
  readonly text: string;
  /** Line and column of an element offset (1-based), for diagnostics. */
  locate(offset: number): { offset: number; line: number; column: number };
}

/** Limits and naming for {@link parseXml}. */
export interface XmlParseOptions {
  /** Largest input accepted, in characters (default 512 Mi). */
  readonly maxChars?: number;
  /** Deepest element nesting accepted (default 256). */
  readonly maxDepth?: number;
  /** Most entity declarations a DOCTYPE may define (default 64); expansions are bounded too. */
  readonly maxEntities?: number;
  /** Diagnostic code prefix, e.g. `xmeml` (default `xml`). */
  readonly area?: string;
  /** File name carried into diagnostics. */
  readonly source?: string;
}

// Names that fast-xml-parser refuses or renames; mapped to a marker prefix and back so they stay data.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const MARK = '\u0001';
const ATTR = '@';
const META: symbol = XMLParser.getMetaDataSymbol() as symbol;

function makeParser(maxDepth: number, maxEntities: number): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    captureMetaData: true,
    commentPropName: '#comment',
    jPath: false,
    // fast-xml-parser counts from 0 (maxNestedTags n accepts n + 1 open levels); maxDepth is the deepest level accepted.
    maxNestedTags: Math.max(0, maxDepth - 1),
    processEntities: {
      enabled: true,
      maxEntityCount: maxEntities,
      maxEntitySize: 1024,
      maxExpansionDepth: 4,
      maxTotalExpansions: 10_000,
      maxExpandedLength: 1_000_000,
      appliesTo: 'external',
    },
    htmlEntities: false,
    transformTagName: (name: string) => (RESERVED.has(name) ? MARK + name : name),
    onDangerousProperty: (name: string) => MARK + name,
  } as ConstructorParameters<typeof XMLParser>[0]);
}

function unmark(name: string): string {
  return name.charCodeAt(0) === 1 ? name.slice(1) : name;
}

/** Decodes bytes as UTF-8 (BOM stripped) or UTF-16 when a UTF-16 BOM says so. */
export function decodeXmlText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (input.length >= 2 && input[0] === 0xff && input[1] === 0xfe) return new TextDecoder('utf-16le').decode(input);
  if (input.length >= 2 && input[0] === 0xfe && input[1] === 0xff) return new TextDecoder('utf-16be').decode(input);
  return new TextDecoder('utf-8').decode(input);
}

type RawNode = Record<string, unknown>;

/**
 * Runs a dialect reader so that it never throws: a value past what exact time can hold (a 10^18
 * frame rate) becomes `<area>/unsupported-value`, placed at the document start since the value's
 * own place is not known there (issue 13: every error has one).
 */
export function readGuarded<T>(area: string, source: string | undefined, read: () => ParseResult<T>): ParseResult<T> {
  try {
    return read();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, diagnostics: [error(`${area}/unsupported-value`, `a value cannot be represented: ${message}`, { at: { offset: 0, line: 1, column: 1 }, ...(source !== undefined ? { source } : {}) })] };
  }
}

/**
 * Parses XML text or bytes into an ordered tree. Never throws: malformed XML is `<area>/malformed`
 * at the line and column fast-xml-parser's validator reports; limits give `<area>/too-large`,
 * `<area>/too-deep`, `<area>/entity-limit`.
 */
export function parseXml(input: string | Uint8Array, options: XmlParseOptions = {}): ParseResult<XmlDocument> {
  const area = options.area ?? 'xml';
  const src = options.source !== undefined ? { source: options.source } : {};
  const maxChars = options.maxChars ?? 512 * 1024 * 1024;
  const maxDepth = options.maxDepth ?? 256;
  if (typeof input !== 'string' && input.length > maxChars * 4) {
    return { ok: false, diagnostics: [error(`${area}/too-large`, `input of ${input.length} bytes exceeds the limit`, src)] };
  }
  const text = decodeXmlText(input);
  if (text.length > maxChars) {
    return { ok: false, diagnostics: [error(`${area}/too-large`, `input of ${text.length} characters exceeds the limit of ${maxChars}`, src)] };
  }
  let lines: LineIndex | undefined;
  const locate = (offset: number): { offset: number; line: number; column: number } => (lines ??= new LineIndex(text)).locate(offset);

  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const e = valid.err;
    const line = e.line ?? 1;
    const column = e.col ?? 1;
    return {
      ok: false,
      diagnostics: [error(`${area}/malformed`, `malformed XML: ${e.msg}`, { ...src, at: { offset: offsetOf(text, line, column), line, column } })],
    };
  }
  let raw: RawNode[];
  try {
    raw = makeParser(maxDepth, options.maxEntities ?? 64).parse(text) as RawNode[];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = /nested/i.test(message) ? 'too-deep' : /entit|expan/i.test(message) ? 'entity-limit' : 'malformed';
    return { ok: false, diagnostics: [error(`${area}/${code}`, `XML rejected: ${message}`, { ...src, at: locate(rejectionOffset(text, code, message, maxDepth)) })] };
  }
  let root: XmlElement | undefined;
  for (const node of raw) {
    const el = convert(node);
    if (el !== undefined && typeof el !== 'string' && el.name !== '#comment' && el.name !== '?xml') root = el;
  }
  if (!root) return { ok: false, diagnostics: [error(`${area}/malformed`, 'the document has no root element', { ...src, at: locate(0) })] };
  const doctype = /<!DOCTYPE\s+([^\s>[]+)/i.exec(text.slice(0, Math.min(text.length, 4096)))?.[1];
  return { ok: true, value: { root, text, locate, ...(doctype !== undefined ? { doctype } : {}) }, diagnostics: [] };
}

/**
 * Where fast-xml-parser's parser (which reports no position) found a problem the validator let
 * through: the element past the nesting limit, the entity declaration named in the message (or
 * the first external one), an unclosed processing instruction; else the start of the text.
 * One linear scan at most.
 */
function rejectionOffset(text: string, code: string, message: string, maxDepth: number): number {
  if (code === 'too-deep') {
    let depth = 0;
    for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x2f /* / */) depth--;
      else if (next !== 0x21 /* ! */ && next !== 0x3f /* ? */) {
        const end = text.indexOf('>', i);
        if (end < 0) break;
        if (text.charCodeAt(end - 1) !== 0x2f && ++depth > maxDepth) return i;
        i = end;
      }
    }
    return 0;
  }
  if (code === 'entity-limit') {
    const named = /Entity "([^"]+)"/.exec(message)?.[1];
    const at = named !== undefined ? text.indexOf(`<!ENTITY ${named}`) : /external/i.test(message) ? text.search(/<!ENTITY[^>]*\s(SYSTEM|PUBLIC)\s/) : -1;
    return at >= 0 ? at : Math.max(0, text.indexOf('<!DOCTYPE'));
  }
  if (/pi tag/i.test(message)) {
    const at = text.indexOf('<?', text.lastIndexOf('?>') + 1);
    return at >= 0 ? at : 0;
  }
  return 0;
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

const NO_ATTRS: readonly XmlAttribute[] = Object.freeze([]);

// fast-xml-parser leaves numeric character references (`&#10;`, `&#x41;`) as written unless HTML
// entities are on; XML defines them, so they are decoded here (invalid code points are kept as text).
function decodeCharRefs(s: string): string {
  if (s.indexOf('&#') < 0) return s;
  return s.replace(/&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g, (whole, hex: string | undefined, dec: string | undefined) => {
    const cp = hex !== undefined ? parseInt(hex, 16) : parseInt(dec as string, 10);
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
    return String.fromCodePoint(cp);
  });
}

// Converts one fast-xml-parser ordered node. The children array is converted in place (fast-xml-
// parser's array is reused, not copied: at 100k clips the copy and its garbage cost more than the
// parse). The parser bounds nesting (maxNestedTags), so the recursion depth is bounded too.
function convert(node: RawNode): XmlElement | string | undefined {
  let name: string | undefined;
  for (const key in node) {
    if (key !== ':@') {
      name = key;
      break;
    }
  }
  if (name === undefined) return undefined;
  const value = node[name];
  if (name === '#text') return decodeCharRefs(String(value));
  const kids = value as unknown[];
  let n = 0;
  for (let i = 0; i < kids.length; i++) {
    const c = convert(kids[i] as RawNode);
    if (c !== undefined) kids[n++] = c;
  }
  kids.length = n;
  let attributes = NO_ATTRS;
  const rawAttrs = node[':@'] as Record<string, string> | undefined;
  if (rawAttrs !== undefined) {
    const list: XmlAttribute[] = [];
    for (const k in rawAttrs) list.push([unmark(k.slice(ATTR.length)), decodeCharRefs(String(rawAttrs[k]))]);
    attributes = list;
  }
  const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
  return { name: unmark(name), attributes, children: kids as XmlNode[], offset: meta?.startIndex ?? -1 };
}

// ---------------------------------------------------------------------------------------------
// Reading helpers

/** The first child element named `name`, or undefined. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  const c = el.children;
  for (let i = 0; i < c.length; i++) {
    const k = c[i] as XmlNode;
    if (typeof k !== 'string' && k.name === name) return k;
  }
  return undefined;
}

/** Every child element named `name`, in document order. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const k of el.children) if (typeof k !== 'string' && k.name === name) out.push(k);
  return out;
}

/** Every child element, in document order (text skipped). */
export function elements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const k of el.children) if (typeof k !== 'string') out.push(k);
  return out;
}

/** The text content directly inside an element (text children joined), `""` when none. */
export function textOf(el: XmlElement): string {
  const c = el.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  let s = '';
  for (const k of c) if (typeof k === 'string') s += k;
  return s;
}

/** The text of the first child named `name`, or undefined when there is no such child. */
export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : textOf(c);
}

/** The value of attribute `name`, or undefined. */
export function attr(el: XmlElement, name: string): string | undefined {
  for (const a of el.attributes) if (a[0] === name) return a[1];
  return undefined;
}

/** The element path below a root as `name[i]` steps, for diagnostics (`['sequence', 'track[2]']`). */
export function pathStep(name: string, index?: number): string {
  return index === undefined ? name : `${name}[${index}]`;
}

// ---------------------------------------------------------------------------------------------
// Building and writing

/** Builds an element (offset -1). Strings among `children` are text; undefined entries are skipped. */
export function el(name: string, attributes: readonly XmlAttribute[] = NO_ATTRS, ...children: readonly (XmlNode | undefined)[]): XmlElement {
  const kids: XmlNode[] = [];
  for (const c of children) if (c !== undefined) kids.push(c);
  return { name, attributes, children: kids, offset: -1 };
}

/** `<name>text</name>`. */
export function leaf(name: string, text: string | number | bigint): XmlElement {
  return { name, attributes: NO_ATTRS, children: [String(text)], offset: -1 };
}

/** Escapes text content (`&`, `<`, `>`, and carriage returns, which parsers would turn into line feeds). */
export function escapeText(s: string): string {
  if (!/[&<>\r]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes an attribute value for double quotes (`&`, `<`, `>`, `"`, and newlines/tabs as references). */
export function escapeAttr(s: string): string {
  if (!/[&<>"\n\r\t]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** Options of {@link writeXml}. */
export interface XmlWriteOptions {
  /** `<!DOCTYPE …>` line after the declaration (e.g. `xmeml`). */
  readonly doctype?: string;
  /** Indent unit (default a tab, as FCP and Premiere write). */
  readonly indent?: string;
}

/**
 * Serialises an element tree as a UTF-8 XML document with declaration. Elements holding only text
 * stay on one line; mixed content is written without added whitespace.
 */
export function writeXml(root: XmlElement, options: XmlWriteOptions = {}): string {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  if (options.doctype !== undefined) parts.push(`<!DOCTYPE ${options.doctype}>\n`);
  writeElement(root, options.indent ?? '\t', '', parts);
  return parts.join('');
}

// An element or text with no added whitespace (inside mixed content).
function compact(k: XmlNode): string {
  if (typeof k === 'string') return escapeText(k);
  if (k.name === '#comment') return `<!--${textOf(k).replace(/--/g, '- -')}-->`;
  let open = '<' + k.name;
  for (const [n, v] of k.attributes) open += ` ${n}="${escapeAttr(v)}"`;
  if (k.children.length === 0) return open + '/>';
  return open + '>' + k.children.map(compact).join('') + '</' + k.name + '>';
}

/** Serialises one element (no declaration) into `out`, each line prefixed by `pad`, nesting by `unit`. */
export function writeElement(e: XmlElement, unit: string, pad: string, out: string[]): void {
  if (e.name === '#comment') {
    out.push(`${pad}<!--${textOf(e).replace(/--/g, '- -')}-->\n`);
    return;
  }
  let open = pad + '<' + e.name;
  for (const [k, v] of e.attributes) open += ` ${k}="${escapeAttr(v)}"`;
  const c = e.children;
  if (c.length === 0) {
    out.push(open + '/>\n');
    return;
  }
  let allText = true;
  let anyText = false;
  for (const k of c) {
    if (typeof k === 'string') anyText = true;
    else allText = false;
  }
  if (allText) {
    out.push(open + '>' + escapeText((c as string[]).join('')) + '</' + e.name + '>\n');
    return;
  }
  if (anyText) {
    // Mixed content: no whitespace is added anywhere inside.
    out.push(open + '>' + c.map(compact).join('') + '</' + e.name + '>\n');
    return;
  }
  out.push(open + '>\n');
  const inner = pad + unit;
  for (const k of c) writeElement(k as XmlElement, unit, inner, out);
  out.push(pad + '</' + e.name + '>\n');
}
