/**
 * Reading primitives of the binary session readers (spec/protools.md §2.3): unsigned integers in
 * the file's byte order, length-prefixed strings and the block walk. Callers bounds-check offsets
 * against the block they read; every helper here stays inside the array it is given.
 */
import { decodeMacRoman } from '../text/encoding.js';
import type { PtxBlock } from './blocks.js';

/** An unsigned 16-bit value at `p` (big-endian when `be`). */
export function u16(b: Uint8Array, p: number, be: boolean): number {
  return be ? ((b[p] as number) << 8) | (b[p + 1] as number) : (b[p] as number) | ((b[p + 1] as number) << 8);
}

/** An unsigned 32-bit value at `p` (big-endian when `be`). */
export function u32(b: Uint8Array, p: number, be: boolean): number {
  return be
    ? (((b[p] as number) << 24) >>> 0) + ((b[p + 1] as number) << 16) + ((b[p + 2] as number) << 8) + (b[p + 3] as number)
    : (b[p] as number) + ((b[p + 1] as number) << 8) + ((b[p + 2] as number) << 16) + (((b[p + 3] as number) << 24) >>> 0);
}

/** An unsigned 64-bit value at `p` (big-endian when `be`). */
export function u64(b: Uint8Array, p: number, be: boolean): bigint {
  const hi = BigInt(u32(b, be ? p : p + 4, be));
  const lo = BigInt(u32(b, be ? p + 4 : p, be));
  return (hi << 32n) | lo;
}

/** An n-byte little-endian unsigned value (n = 0…5); three-point fields are little-endian in every file (§2.6). */
export function uleN(b: Uint8Array, p: number, n: number): bigint {
  let v = 0n;
  for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[p + k] as number);
  return v;
}

/**
 * A length-prefixed string at `p` (u32 length in the file's byte order, then the bytes; UTF-8
 * when the bytes are valid UTF-8, else Mac OS Roman). Undefined when it does not end by `end`.
 */
export function stringAt(b: Uint8Array, p: number, end: number, be: boolean): { text: string; next: number } | undefined {
  if (p < 0 || p + 4 > end) return undefined;
  const len = u32(b, p, be);
  if (len > end - p - 4) return undefined;
  const raw = b.subarray(p + 4, p + 4 + len);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    text = decodeMacRoman(raw);
  }
  return { text, next: p + 4 + len };
}

/**
 * A region entry's name (string at payload+11, or at `nameAt` from the payload) and three-point
 * record (§2.6). The same layout serves the audio-region entries (0x2629/0x1008), the PT 10+
 * clip-group entries (0x262b, whose 0x2628 child holds the name at its own payload+2, i.e. the
 * entry's payload+11) and the MIDI-region records (0x1007, name at payload+2).
 */
export function namedThreePoint(b: Uint8Array, blk: PtxBlock, be: boolean, nameAt = 11): { name: string; sourceOffset: bigint; length: bigint; start: bigint } | undefined {
  const end = blk.offset + blk.size;
  const s = stringAt(b, blk.offset + nameAt, end, be);
  if (!s || s.next + 5 > end) return undefined;
  const j = s.next;
  const nib = (k: number): number => ((b[j + k] as number) & 0xf0) >> 4;
  const offsetBytes = be ? nib(4) : nib(1);
  const lengthBytes = be ? nib(3) : nib(2);
  const startBytes = be ? nib(2) : nib(3);
  if (offsetBytes > 5 || lengthBytes > 5 || startBytes > 5 || j + 5 + offsetBytes + lengthBytes + startBytes > end) return undefined;
  const sourceOffset = uleN(b, j + 5, offsetBytes);
  const length = uleN(b, j + 5 + offsetBytes, lengthBytes);
  const start = uleN(b, j + 5 + offsetBytes + lengthBytes, startBytes);
  return { name: s.text, sourceOffset, length, start };
}

/** Every block of a tree, parents before their children. */
export function* walk(blocks: readonly PtxBlock[]): Generator<PtxBlock> {
  for (const b of blocks) {
    yield b;
    yield* walk(b.children);
  }
}

/** The first block of a tree with this content type. */
export function findBlock(blocks: readonly PtxBlock[], contentType: number): PtxBlock | undefined {
  for (const b of walk(blocks)) if (b.contentType === contentType) return b;
  return undefined;
}

/** A content type as the spec writes it (`0x1028`). */
export function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}
