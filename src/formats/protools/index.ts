/**
 * Pro Tools session data (issue 9): "Session Info as Text" exports read into a lossless document
 * ({@link readSessionText} / {@link formatSessionText}) and into the {@link Timeline} model
 * ({@link parse}), written back from a timeline in any of Pro Tools' time formats ({@link write},
 * {@link writeBytes}), and ptulsconv's ADR/spotting tags ({@link parseTags}). `ptTextFormat` is the
 * registry entry (id `pt-text`). Marker MIDI files and CSV cue sheets (`src/formats/midi`,
 * `src/formats/csv`) are re-exported here, under the `protools` namespace of the package.
 */
import type { ParseResult, WriteResult } from '../../diagnostics/result.js';
import type { Timeline } from '../../model/types.js';
import type { FormatModule, ReadOptions, WriteOptions } from '../types.js';
import { parse } from './text/read.js';
import { writeBytes } from './text/write.js';

export * from './tags.js';
export * from './text/encoding.js';
export * from './text/syntax.js';
export * from './text/time-values.js';
export * from './text/read.js';
export * from './text/write.js';
// Binary sessions, first slice: decoding, blocks, version, sample rate, audio files.
export * from './ptx/blocks.js';
export * from './ptx/read.js';
// The workflows that bring spotting data back into Pro Tools: marker MIDI files and CSV cue sheets.
export * from '../midi/index.js';
export * from '../csv/index.js';

const HEAD = 'SESSION NAME:';

/**
 * True when the bytes start (after an optional UTF-8 BOM) with `SESSION NAME:` and a TAB, the
 * first header line of every export (spec/protools.md §1.2).
 */
export function detect(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let k = 0; k < HEAD.length; k++, i++) if (bytes[i] !== HEAD.charCodeAt(k)) return false;
  return bytes[i] === 9;
}

/** The registry entry for Session Info as Text (id `pt-text`). */
export const ptTextFormat: FormatModule = {
  id: 'pt-text',
  name: 'Pro Tools Session Info as Text',
  extensions: ['.txt'],
  // Bytes, so the text encoding (Mac OS Roman or UTF-8) survives a read-then-write.
  output: 'binary',
  detect,
  parse(input: string | Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
    return parse(input, {
      ...(options.mode !== undefined ? { mode: options.mode } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
    });
  },
  write(timeline: Timeline, options: WriteOptions = {}): WriteResult<Uint8Array> {
    void options; // the frame rate is the timeline's own; Pro Tools exports state it
    return writeBytes(timeline);
  },
};
