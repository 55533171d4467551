/**
 * OpenTimelineIO JSON (`.otio`): read into and write from the timeline model.
 * @packageDocumentation
 */
import type { FormatModule } from '../types.js';
import { parse } from './read.js';
import { write } from './write.js';
import { jsonObjectWith } from '../json-detect.js';

export { parse, type OtioReadOptions } from './read.js';
export { write, float, type OtioWriteOptions } from './write.js';
export { snapRate, decodeRationalTime, decodeTimeRange, type OtioRationalTime, type OtioTimeRange } from './codecs.js';
export { DUBSTAGE_KEY, fromDubstageMetadata, toDubstageMetadata, type DubstageFields } from './dubstage-keys.js';

const MARKER = new TextEncoder().encode('"OTIO_SCHEMA"');

/** True when the first 4 KiB hold a JSON object with an `"OTIO_SCHEMA"` key. */
export function detect(bytes: Uint8Array): boolean {
  return jsonObjectWith(bytes, MARKER);
}

/** The registry entry of OpenTimelineIO JSON. */
export const otioFormat: FormatModule = {
  id: 'otio',
  name: 'OpenTimelineIO JSON',
  extensions: ['.otio'],
  output: 'text',
  detect,
  parse,
  write: (timeline, options) => write(timeline, options),
};
