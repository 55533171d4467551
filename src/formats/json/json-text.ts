/**
 * A JSON reader that reports where input is wrong (line and column) and keeps what
 * `JSON.parse` cannot: integers beyond 2^53 and the non-finite tokens `Inf`, `Infinity`, `NaN`
 * that OpenTimelineIO writes. Such numbers come back as a {@link LosslessNumber} object
 * `{ "$number": "<text as written>" }`, which {@link stringifyJson} writes back unchanged.
 *
 * Browser-safe, iterative over containers' members, recursion bounded by `maxDepth`.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../../diagnostics/locate.js';
import type { ParseResult } from '../../diagnostics/result.js';
import type { JsonValue } from '../../model/types.js';

/** The key of a {@link LosslessNumber}. */
export const NUMBER_KEY = '$number';

/** A number kept as its text because a JavaScript number cannot hold it exactly. */
export type LosslessNumber = { readonly $number: string };

const NUMBER_TEXT = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?(?:Inf|Infinity|NaN))$/;

/** True when `v` is a {@link LosslessNumber} (an object whose only key is `$number`, holding number text). */
export function isLosslessNumber(v: unknown): v is LosslessNumber {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== NUMBER_KEY) return false;
  const text = (v as Record<string, unknown>)[NUMBER_KEY];
  return typeof text === 'string' && NUMBER_TEXT.test(text);
}

/** A {@link LosslessNumber} holding `text`. */
export function losslessNumber(text: string): LosslessNumber {
  return { [NUMBER_KEY]: text };
}

/** Options of {@link parseJsonText}. */
export interface JsonTextOptions {
  /** Accept `Inf`, `Infinity`, `NaN` (with a sign) as numbers, as OTIO writes them. Default false. */
  readonly nonFinite?: boolean;
  /** Deepest nesting accepted (default 1000). */
  readonly maxDepth?: number;
  /** Name of the input, carried into diagnostics. */
  readonly source?: string;
  /** Diagnostic code prefix (default `json`). */
  readonly area?: string;
}

class JsonSyntaxError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * Parses JSON text. Numbers become numbers, except integers that a double cannot reproduce
 * digit for digit and non-finite tokens, which become a {@link LosslessNumber}. Duplicate keys: the last wins (as `JSON.parse`). A key `__proto__`
 * becomes an own property. Never throws; a syntax error is one `json/syntax` diagnostic at the
 * offending character.
 */
export function parseJsonText(text: string, options: JsonTextOptions = {}): ParseResult<JsonValue> {
  const p = new Parser(text, options);
  try {
    p.skipWs();
    const v = p.value(0);
    p.skipWs();
    if (p.i < text.length) throw new JsonSyntaxError(p.i, `unexpected ${describe(text, p.i)} after the JSON value`);
    return { ok: true, value: v, diagnostics: [] };
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { ok: false, diagnostics: [syntaxDiagnostic(text, e.offset, e.message, options)] };
  }
}

/** A `<area>/syntax` diagnostic at `offset` of `text`. */
export function syntaxDiagnostic(text: string, offset: number, message: string, options: JsonTextOptions = {}): Diagnostic {
  const at = new LineIndex(text).locate(Math.min(offset, text.length));
  const area = options.area ?? 'json';
  return error(`${area}/syntax`, message, { at, ...(options.source !== undefined ? { source: options.source } : {}) });
}

function describe(text: string, i: number): string {
  if (i >= text.length) return 'end of input';
  return `character ${JSON.stringify(text[i])}`;
}

class Parser {
  i = 0;
  private readonly maxDepth: number;
  constructor(
    private readonly s: string,
    private readonly options: JsonTextOptions,
  ) {
    this.maxDepth = options.maxDepth ?? 1000;
  }

  skipWs(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): JsonValue {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 34) return this.string();
    if (c === 116 && s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 102 && s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === 110 && s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    if (c === 45 || (c >= 48 && c <= 57) || c === 73 || c === 78 || c === 43) return this.number();
    throw new JsonSyntaxError(this.i, `expected a value, found ${describe(s, this.i)}`);
  }

  private object(depth: number): JsonValue {
    if (depth >= this.maxDepth) throw new JsonSyntaxError(this.i, `nesting deeper than ${this.maxDepth}`);
    const s = this.s;
    this.i++;
    const out: Record<string, JsonValue> = {};
    this.skipWs();
    if (s.charCodeAt(this.i) === 125) {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (s.charCodeAt(this.i) !== 34) throw new JsonSyntaxError(this.i, `expected a quoted key, found ${describe(s, this.i)}`);
      const key = this.string();
      this.skipWs();
      if (s.charCodeAt(this.i) !== 58) throw new JsonSyntaxError(this.i, `expected ':' after key "${key}", found ${describe(s, this.i)}`);
      this.i++;
      this.skipWs();
      const v = this.value(depth + 1);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.skipWs();
      const c = s.charCodeAt(this.i);
      if (c === 44) {
        this.i++;
        continue;
      }
      if (c === 125) {
        this.i++;
        return out;
      }
      throw new JsonSyntaxError(this.i, `expected ',' or '}' in an object, found ${describe(s, this.i)}`);
    }
  }

  private array(depth: number): JsonValue {
    if (depth >= this.maxDepth) throw new JsonSyntaxError(this.i, `nesting deeper than ${this.maxDepth}`);
    const s = this.s;
    this.i++;
    const out: JsonValue[] = [];
    this.skipWs();
    if (s.charCodeAt(this.i) === 93) {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipWs();
      out.push(this.value(depth + 1));
      this.skipWs();
      const c = s.charCodeAt(this.i);
      if (c === 44) {
        this.i++;
        continue;
      }
      if (c === 93) {
        this.i++;
        return out;
      }
      throw new JsonSyntaxError(this.i, `expected ',' or ']' in an array, found ${describe(s, this.i)}`);
    }
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    // Fast path: no escapes.
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92) break;
      if (c < 32 || Number.isNaN(c)) {
        if (Number.isNaN(c)) throw new JsonSyntaxError(start - 1, 'unterminated string');
        throw new JsonSyntaxError(i, 'control character in a string');
      }
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) throw new JsonSyntaxError(start - 1, 'unterminated string');
      if (c === 34) {
        this.i = i + 1;
        return out;
      }
      if (c < 32) throw new JsonSyntaxError(i, 'control character in a string');
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s[i + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError(i, `bad \\u escape "${hex}"`);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          throw new JsonSyntaxError(i, `bad escape ${describe(s, i + 1)}`);
      }
      i += 2;
    }
  }

  private number(): JsonValue {
    const s = this.s;
    const start = this.i;
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?(?:Infinity|Inf|NaN)/y;
    m.lastIndex = start;
    const r = m.exec(s);
    if (!r) throw new JsonSyntaxError(start, `bad number at ${describe(s, start)}`);
    const text = r[0];
    this.i = start + text.length;
    const last = text.charCodeAt(text.length - 1);
    if (last === 121 || last === 102 || last === 78) {
      // Infinity, Inf, NaN
      if (!this.options.nonFinite) throw new JsonSyntaxError(start, `"${text}" is not a JSON number`);
      return losslessNumber(text);
    }
    const n = Number(text);
    const isInt = !/[.eE]/.test(text);
    // An integer is kept as text when a double cannot reproduce it (beyond 2^53 and not a
    // neighbouring representable value); a decimal only when it overflows to infinity.
    if (isInt ? !Number.isSafeInteger(n) && String(n) !== text : !Number.isFinite(n)) return losslessNumber(text);
    return n;
  }
}

/** Options of {@link stringifyJson}. */
export interface StringifyOptions {
  /** Spaces per level; 0 writes one line. Default 4 (as OTIO writes). */
  readonly indent?: number;
}

const LOSSLESS_RE = /\{\s*"\$number"\s*:\s*"(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|[+-]?(?:Inf|Infinity|NaN))"\s*\}/g;

/**
 * Writes a JSON value with the native serializer, then turns {@link LosslessNumber} objects into
 * bare number tokens (the pattern matches only an object whose single key is `$number` holding
 * number text; a string in the document cannot match, its quotes being escaped). Non-finite
 * plain numbers become `null`, as in `JSON.stringify`.
 */
export function stringifyJson(value: JsonValue, options: StringifyOptions = {}): string {
  let text = JSON.stringify(value, null, options.indent ?? 4);
  if (text.includes('"$number"')) text = text.replace(LOSSLESS_RE, '$1');
  return text;
}
