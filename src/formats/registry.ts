/**
 * The registry of interchange formats: which formats dubstage knows, how to recognise one from
 * its bytes (content first, then the file extension), and read/convert entry points that pick
 * the right module. Browser-safe: takes bytes or text, never a path.
 *
 * Each format adds one import and one entry to {@link FORMATS}; nothing else here changes.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ParseResult, WriteResult } from '../diagnostics/result.js';
import { limitExceeded, resolveLimits } from '../diagnostics/limits.js';
import type { Timeline } from '../model/types.js';
import type { FormatModule, ReadOptions, WriteOptions } from './types.js';
import { jsonFormat } from './json/index.js';
import { otioFormat } from './otio/index.js';
import { edlFormat } from './edl/index.js';
import { bwfFormat } from './bwf/index.js';
import { xmemlFormat } from './xml/fcp7/index.js';
import { fcpxmlFormat } from './xml/fcpxml/index.js';
import { ptTextFormat, ptxFormat } from './protools/index.js';
import { aafFormat } from './aaf/index.js';

/** Every registered format, in detection order (the first whose `detect` says yes wins). */
export const FORMATS: readonly FormatModule[] = [
  jsonFormat,
  otioFormat,
  edlFormat,
  xmemlFormat,
  fcpxmlFormat,
  bwfFormat,
  ptTextFormat,
  ptxFormat,
  aafFormat,
];

/** Formats whose reader decodes the whole input into one string (the others read bytes or ranges). */
const TEXT_READERS: ReadonlySet<string> = new Set(['json', 'otio', 'edl', 'xmeml', 'fcpxml', 'pt-text']);

/** The format with this id (`json`, `otio`, `edl`…), or undefined. Case-insensitive. */
export function formatById(id: string): FormatModule | undefined {
  const want = id.toLowerCase();
  return FORMATS.find((f) => f.id === want);
}

/** The formats whose extension list holds the extension of `fileName` (lower-cased, with the dot). */
export function formatsByExtension(fileName: string): readonly FormatModule[] {
  const ext = extensionOf(fileName);
  if (ext === '') return [];
  return FORMATS.filter((f) => f.extensions.includes(ext));
}

/** The extension of a file name, lower-cased with its dot (`"a/b.OTIO"` → `".otio"`), or `""`. */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/**
 * Picks the format of an input: the first format whose `detect(bytes)` recognises the content;
 * when none does, the first format registered for the file name's extension; otherwise undefined.
 * Content wins over the extension because files are often misnamed (`.xml` that is an EDL).
 */
export function detectFormat(bytes: Uint8Array | string, fileName?: string): FormatModule | undefined {
  const head = typeof bytes === 'string' ? new TextEncoder().encode(bytes.slice(0, 4096)) : bytes;
  for (const f of FORMATS) {
    let yes = false;
    try {
      yes = f.detect(head);
    } catch {
      // A detector must never throw; treat one that does as "not this format".
      yes = false;
    }
    if (yes) return f;
  }
  if (fileName !== undefined) return formatsByExtension(fileName)[0];
  return undefined;
}

/** Options of {@link readTimeline}. */
export interface ReadTimelineOptions extends ReadOptions {
  /** A format id that overrides detection. */
  readonly format?: string;
  /** The input's file name: used for extension fallback and carried into diagnostics. */
  readonly fileName?: string;
}

/**
 * Reads a timeline from bytes or text in any registered format (picked by `options.format`, else
 * by content, else by extension). Never throws: an unknown format is a `format/unknown` error.
 */
export function readTimeline(input: string | Uint8Array, options: ReadTimelineOptions = {}): ParseResult<Timeline> {
  const source = options.source ?? options.fileName;
  let format: FormatModule | undefined;
  if (options.format !== undefined) {
    format = formatById(options.format);
    if (!format) {
      return {
        ok: false,
        diagnostics: [
          error('format/unknown', `no format with id "${options.format}" (known: ${FORMATS.map((f) => f.id).join(', ')})`, withSource(source)),
        ],
      };
    }
  } else {
    format = detectFormat(input, options.fileName);
    if (!format) {
      return {
        ok: false,
        diagnostics: [error('format/unknown', 'could not tell the format from the content or the file extension; pass a format id', withSource(source))],
      };
    }
  }
  if (!format.parse) {
    return { ok: false, diagnostics: [error('format/no-reader', `${format.name} cannot be read as a timeline`, withSource(source))] };
  }
  // Text formats decode the whole input into one string; past the engine's string limit that
  // would throw, so an oversized input is refused up front (issue 13).
  const limits = resolveLimits(options.limits);
  if (TEXT_READERS.has(format.id) && input.length > limits.maxTextBytes) {
    return {
      ok: false,
      diagnostics: [limitExceeded('format', 'maxTextBytes', limits.maxTextBytes, `${format.name} input of ${input.length} ${typeof input === 'string' ? 'characters' : 'bytes'} is too large to read as text`, { at: { offset: limits.maxTextBytes }, ...withSource(source) })],
    };
  }
  try {
    return format.parse(input, { ...options, ...(source !== undefined ? { source } : {}) });
  } catch (e) {
    // Parsers must not throw; if one does, report it at the edge instead of crashing the caller.
    return {
      ok: false,
      diagnostics: [error('format/internal', `${format.id} reader failed: ${e instanceof Error ? e.message : String(e)}`, withSource(source))],
    };
  }
}

/**
 * Writes a timeline in the format with id `to`. The diagnostics list everything the target could
 * not hold; a `format/unknown` or `format/no-writer` error means nothing was written (`value` is
 * undefined).
 */
export function writeTimeline(timeline: Timeline, to: string, options: WriteOptions = {}): WriteResult<string | Uint8Array | undefined> {
  const format = formatById(to);
  if (!format) return { value: undefined, diagnostics: [error('format/unknown', `no format with id "${to}"`)] };
  if (!format.write) return { value: undefined, diagnostics: [error('format/no-writer', `${format.name} cannot be written`)] };
  try {
    return format.write(timeline, options);
  } catch (e) {
    return { value: undefined, diagnostics: [error('format/internal', `${format.id} writer failed: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

/** Options of {@link convertTimeline}. */
export interface ConvertOptions extends ReadTimelineOptions {
  /** Target format id; when absent, picked from `outFileName`'s extension. */
  readonly to?: string;
  /** Output file name, for picking the target by extension. */
  readonly outFileName?: string;
  /** Options for the writer. */
  readonly write?: WriteOptions;
}

/** The result of {@link convertTimeline}. */
export interface ConvertResult {
  /** The written output, or undefined when reading or writing failed. */
  readonly value: string | Uint8Array | undefined;
  /** The timeline read, when reading succeeded. */
  readonly timeline?: Timeline;
  /** Diagnostics of the read and the write, in that order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Diagnostics of the write alone: what the target could not hold (any entry is a loss). */
  readonly losses: readonly Diagnostic[];
  readonly from?: string;
  readonly to?: string;
}

/**
 * Reads `input` in one format and writes it in another. The target is `options.to`, else the
 * first format registered for `outFileName`'s extension. Never throws.
 */
export function convertTimeline(input: string | Uint8Array, options: ConvertOptions = {}): ConvertResult {
  let target: FormatModule | undefined;
  if (options.to !== undefined) target = formatById(options.to);
  else if (options.outFileName !== undefined) target = formatsByExtension(options.outFileName).find((f) => f.write !== undefined);
  if (!target) {
    const what = options.to !== undefined ? `no format with id "${options.to}"` : 'could not tell the target format; pass a format id';
    return { value: undefined, diagnostics: [error('format/unknown', what)], losses: [] };
  }
  const read = readTimeline(input, options);
  if (!read.ok) return { value: undefined, diagnostics: read.diagnostics, losses: [] };
  const written = writeTimeline(read.value, target.id, options.write);
  const from = options.format ?? detectFormat(input, options.fileName)?.id;
  return {
    value: written.value,
    timeline: read.value,
    diagnostics: [...read.diagnostics, ...written.diagnostics],
    losses: written.diagnostics,
    ...(from !== undefined ? { from } : {}),
    to: target.id,
  };
}

function withSource(source: string | undefined): { source?: string } {
  return source !== undefined ? { source } : {};
}
