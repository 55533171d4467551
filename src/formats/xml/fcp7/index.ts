/**
 * Final Cut Pro 7 XML (XMEML 4 and 5): read into the timeline model and write back, losslessly
 * for what the model has no field for (spec/xml.md part 1).
 * @packageDocumentation
 */
import type { ParseResult, WriteResult } from '../../../diagnostics/result.js';
import type { Timeline } from '../../../model/types.js';
import type { FormatModule, ReadOptions, WriteOptions } from '../../types.js';
import { detect, parse } from './read.js';
import { write } from './write.js';

export { detect, parse, linearToDb, dbToLinear, pathFromUrl, type XmemlReadOptions } from './read.js';
export { write, sequenceRateOf, type XmemlWriteOptions } from './write.js';
export { frameRateOf, xmemlRateOf, type XmemlRate } from './rate.js';

/** The registry entry for FCP7 XML (id `xmeml`, `.xml`). */
export const xmemlFormat: FormatModule = {
  id: 'xmeml',
  name: 'Final Cut Pro 7 XML (XMEML)',
  extensions: ['.xml'],
  output: 'text',
  detect,
  parse(input: string | Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
    return parse(input, options);
  },
  write(timeline: Timeline, options: WriteOptions = {}): WriteResult<string> {
    return write(timeline, options);
  },
};
