/**
 * Node helpers over the universal API: file access for the parsers in `dubstage`.
 * @packageDocumentation
 */
import { readFile as fsReadFile } from 'node:fs/promises';

export * from './index.js';

/** Reads a whole file as bytes (a `Uint8Array` view, no copy). */
export async function readBytes(path: string): Promise<Uint8Array> {
  const buf = await fsReadFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
