/**
 * FCPXML (Final Cut Pro 10.4 and later, document versions 1.8 to 1.13): read into the timeline
 * model and write FCPXML 1.10 or 1.8 (spec/xml.md part 2).
 * @packageDocumentation
 */
import type { ParseResult } from '../../../diagnostics/result.js';
import type { Timeline } from '../../../model/types.js';
import type { WriteResult } from '../../../diagnostics/result.js';
import type { FormatModule, ReadOptions, WriteOptions } from '../../types.js';
import { detect, parse } from './read.js';
import { write } from './write.js';

export { detect, parse, type FcpxmlReadOptions } from './read.js';
export { write, roleOfTrack, mediaUrl, type FcpxmlWriteOptions } from './write.js';
export { validate, FCPXML_VERSIONS, type FcpxmlValidateOptions } from './validate.js';
export { parseFcpxmlTime, formatFcpxmlTime, formatFcpxmlTimeOver, parseDb, parseAudioRate } from './time.js';

/** The registry entry for FCPXML (id `fcpxml`, `.fcpxml`). */
export const fcpxmlFormat: FormatModule = {
  id: 'fcpxml',
  name: 'Final Cut Pro XML (FCPXML)',
  extensions: ['.fcpxml'],
  output: 'text',
  detect,
  parse(input: string | Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
    return parse(input, options);
  },
  write(timeline: Timeline, options: WriteOptions = {}): WriteResult<string> {
    return write(timeline, options);
  },
};
