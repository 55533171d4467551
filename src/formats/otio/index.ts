/**
 * OpenTimelineIO JSON (`.otio`): read into and write from the timeline model.
 * @packageDocumentation
 */
import type { FormatModule } from '../types.js';
import { parse } from './read.js';
import { write } from './write.js';

export { parse, type OtioReadOptions } from './read.js';
export { write, float, type OtioWriteOptions } from './write.js';
export { snapRate, decodeRationalTime, decodeTimeRange, type OtioRationalTime, type OtioTimeRange } from './codecs.js';
export { DUBSTAGE_KEY, fromDubstageMetadata, toDubstageMetadata, type DubstageFields } from './dubstage-keys.js';

const MARKER = new TextEncoder().encode('"OTIO_SCHEMA"');

/** True when the first 4 KiB hold a JSON object with an `"OTIO_SCHEMA"` key. */
export function detect(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 10 || bytes[i] === 13)) i++;
  if (bytes[i] !== 0x7b) return false;
  const end = Math.min(bytes.length, 4096) - MARKER.length;
  outer: for (let j = i; j <= end; j++) {
    for (let k = 0; k < MARKER.length; k++) if (bytes[j + k] !== MARKER[k]) continue outer;
    return true;
  }
  return false;
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
