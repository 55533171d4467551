/**
 * CMX 3600 EDL: a lossless statement layer ({@link readStatements} / {@link writeStatements}),
 * a reader into the {@link Timeline} model ({@link parse}) and a writer with Avid, Premiere and
 * Resolve flavours ({@link write}, {@link writeLists}). `edlFormat` is the registry entry.
 */
import { error } from '../../diagnostics/diagnostic.js';
import { fail, type ParseResult, type WriteResult } from '../../diagnostics/result.js';
import type { Timeline } from '../../model/types.js';
import type { FormatModule, ReadOptions, WriteOptions } from '../types.js';
import { parse } from './read.js';
import { write } from './write.js';

// The statement layer's public names (its line loop, `forEachStatement`, is internal to `parse`).
export {
  asNote,
  classifyLine,
  decodeText,
  encodeText,
  EventLine,
  NoteLine,
  readStatements,
  writeStatements,
  type AudStatement,
  type BlankStatement,
  type EdlDocument,
  type EdlEol,
  type EdlStatement,
  type EffectStatement,
  type EventColumns,
  type EventStatement,
  type FcmStatement,
  type M2Statement,
  type NoteKey,
  type NoteStatement,
  type ReadStatementsOptions,
  type SplitStatement,
  type StatementPlace,
  type TitleStatement,
  type UnknownStatement,
} from './syntax.js';
export * from './read.js';
// `writeInto` (the writer over any sink) stays internal: tests run it with a plain-string sink.
export { type EdlFlavour, type EdlMarkerListOptions, type EdlWriteOptions, write, writeLists, writeMarkerList } from './write.js';

/**
 * True when the bytes look like an EDL: after an optional BOM and blank lines, the first line is
 * `TITLE:`, `FCM:` or an event line (number, reel, channels, edit type, four timecodes).
 */
export function detect(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 10 || bytes[i] === 13 || bytes[i] === 32 || bytes[i] === 9)) i++;
  let end = i;
  while (end < bytes.length && end - i < 400 && bytes[end] !== 10 && bytes[end] !== 13) end++;
  let line = '';
  for (let k = i; k < end; k++) line += String.fromCharCode(bytes[k] as number);
  if (/^TITLE:/i.test(line) || /^FCM:/i.test(line)) return true;
  return /^\d+\s+\S.*\s(C|D|K|KB|KO|W\d*)\s+(\d{1,3}\s+)?(\d\d[:;.,]\d\d[:;.,]\d\d[:;.,]\d\d\s+){3}\d\d[:;.,]\d\d[:;.,]\d\d[:;.,]\d\d\s*$/.test(line);
}

/** The registry entry for CMX 3600 EDLs (id `edl`). Reading needs `rate`: EDLs do not state one. */
export const edlFormat: FormatModule = {
  id: 'edl',
  name: 'CMX 3600 EDL',
  extensions: ['.edl'],
  output: 'text',
  detect,
  parse(input: string | Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
    if (!options.rate) {
      return fail(error('edl/rate-required', 'an EDL does not state its frame rate: pass one (for example --rate 24)', {
        ...(options.source !== undefined ? { source: options.source } : {}),
      }));
    }
    return parse(input, {
      rate: options.rate,
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
      ...(options.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {}),
    });
  },
  write(timeline: Timeline, options: WriteOptions = {}): WriteResult<string> {
    return write(timeline, options.rate ? { rate: options.rate } : {});
  },
};
