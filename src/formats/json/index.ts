/**
 * dubstage JSON (`.json`): the timeline model written field for field, with exact rational
 * times as strings. See docs/model.md for the schema.
 * @packageDocumentation
 */
import type { FormatModule } from '../types.js';
import { parse, SCHEMA_ID } from './read.js';
import { write } from './write.js';

export { parse, decodeText, SCHEMA_ID, SCHEMA_VERSION, UPGRADES } from './read.js';
export { write, toDocument, type JsonWriteOptions } from './write.js';
export { parseJsonText, stringifyJson, isLosslessNumber, losslessNumber, NUMBER_KEY, type LosslessNumber, type JsonTextOptions, type StringifyOptions } from './json-text.js';

const MARKER = new TextEncoder().encode(`"${SCHEMA_ID}"`);

/** True when the first 4 KiB hold a JSON object naming the `dubstage.timeline` schema. */
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

/** The registry entry of dubstage JSON. */
export const jsonFormat: FormatModule = {
  id: 'json',
  name: 'dubstage JSON',
  extensions: ['.json'],
  output: 'text',
  detect,
  parse,
  write: (timeline) => write(timeline),
};
