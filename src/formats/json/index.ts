/**
 * dubstage JSON (`.json`): the timeline model written field for field, with exact rational
 * times as strings. See docs/model.md for the schema.
 * @packageDocumentation
 */
import type { FormatModule } from '../types.js';
import { parse, SCHEMA_ID } from './read.js';
import { write } from './write.js';
import { jsonObjectWith } from '../json-detect.js';

export { parse, decodeText, SCHEMA_ID, SCHEMA_VERSION, UPGRADES } from './read.js';
export { write, toDocument, type JsonWriteOptions } from './write.js';
export { parseJsonText, stringifyJson, isLosslessNumber, losslessNumber, NUMBER_KEY, type LosslessNumber, type JsonTextOptions, type StringifyOptions } from './json-text.js';

const MARKER = new TextEncoder().encode(`"${SCHEMA_ID}"`);

/** True when the first 4 KiB hold a JSON object naming the `dubstage.timeline` schema. */
export function detect(bytes: Uint8Array): boolean {
  return jsonObjectWith(bytes, MARKER);
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
