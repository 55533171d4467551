/**
 * MIDI in binary sessions (spec/protools.md §2.5–2.6, ptformat's layout): note chunks (0x2000),
 * MIDI regions (PT 5–9: 0x2002 → 0x2001 → 0x1007) and their placements on MIDI tracks (0x1058 →
 * 0x1057 per track → 0x1056 → 0x104f). Positions and lengths are Pro Tools ticks as stored (the
 * 10¹² origin removed); turning them into time needs the tempo map, which is not read, so MIDI stays
 * out of the timeline. Checked against ptformat's oracle for midi345x.ptf (EXPECTED.md, test t.8
 * "PT8 with midi"). PT 10+ MIDI regions (0x2634 → 0x2633 → 0x2628) are in no corpus session and
 * are not read (`ptx/unsupported-midi`).
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { diagnostic, warning } from '../../../diagnostics/diagnostic.js';
import type { PtxBlock } from './blocks.js';
import { namedThreePoint, stringAt, u32 } from './bytes.js';

/** A note of a MIDI region: position from the region's first note and length, in ticks. */
export interface PtxMidiNote {
  readonly position: bigint;
  readonly length: bigint;
  readonly note: number;
  readonly velocity: number;
}

/**
 * A MIDI region (0x1007): its name, note chunk, length and notes (ticks). The record's three-point
 * fields (start, the 10¹² origin, a length) are not interpreted: no corpus fact checks them.
 */
export interface PtxMidiRegion {
  readonly name: string;
  /** Index of the note chunk (`MdNLB`) of block 0x2000 that holds the notes. */
  readonly chunkIndex: number;
  /** The chunk's extent: the latest note end, from its first note (ptformat's region length). */
  readonly length: bigint;
  readonly notes: readonly PtxMidiNote[];
}

/** A MIDI region placed on a MIDI track (0x1057 entry → 0x104f). */
export interface PtxMidiPlacement {
  /** Track name (the 0x1057 entry's string at payload+2). */
  readonly track: string;
  /** Ordinal of the 0x1057 entry. */
  readonly trackIndex: number;
  /** Index into {@link PtxMidi.regions}. */
  readonly regionIndex: number;
  /** Position (ticks from the 10¹² origin, or samples when `inTicks` is false). */
  readonly start: bigint;
  /** Byte payload+16 ≥ 0x40: the position is musical (ticks), else samples. */
  readonly inTicks: boolean;
}

/** The MIDI of a session. */
export interface PtxMidi {
  readonly regions: readonly PtxMidiRegion[];
  readonly placements: readonly PtxMidiPlacement[];
}

/** Ticks of the MIDI origin (ptformat's ZERO_TICKS): positions count from 10¹². */
const ZERO_TICKS = 1_000_000_000_000n;
const MARKER = [0x4d, 0x64, 0x4e, 0x4c, 0x42]; // "MdNLB"
const EVENT_BYTES = 35;

/** An n-byte unsigned value (n ≤ 6) in the file's byte order. */
function uN(b: Uint8Array, p: number, n: number, be: boolean): bigint {
  let v = 0n;
  for (let k = 0; k < n; k++) v = (v << 8n) | BigInt(b[be ? p + k : p + n - 1 - k] as number);
  return v;
}

function markerAt(b: Uint8Array, p: number): boolean {
  for (let k = 0; k < MARKER.length; k++) if (b[p + k] !== MARKER[k]) return false;
  return true;
}

/**
 * Note chunks of a 0x2000 block: each starts at `MdNLB`; marker+11 u32 note count; from marker+15
 * notes of 35 bytes: 5-byte position (the first note's is the chunk origin), note at +8, 5-byte
 * length at +9, velocity at +17.
 */
function readChunks(b: Uint8Array, be: boolean, blk: PtxBlock, diagnostics: Diagnostic[]): { notes: PtxMidiNote[]; extent: bigint }[] {
  const chunks: { notes: PtxMidiNote[]; extent: bigint }[] = [];
  const end = blk.offset + blk.size;
  for (let k = blk.offset; k + 15 + 5 <= end; ) {
    if (!markerAt(b, k)) {
      k++;
      continue;
    }
    const count = u32(b, k + 11, be);
    const first = k + 15;
    if (count > (end - first) / EVENT_BYTES) {
      diagnostics.push(warning('ptx/bad-midi', `a MIDI chunk says ${count} notes but its block holds fewer; the rest of the block is not read`, { at: { offset: k } }));
      break;
    }
    const zero = uN(b, first, 5, be);
    const notes: PtxMidiNote[] = [];
    let extent = 0n;
    for (let i = 0; i < count; i++) {
      const p = first + i * EVENT_BYTES;
      const position = uN(b, p, 5, be) - zero;
      const length = uN(b, p + 9, 5, be);
      if (position + length > extent) extent = position + length;
      notes.push({ position, length, note: b[p + 8] as number, velocity: b[p + 17] as number });
    }
    chunks.push({ notes, extent });
    k = first + count * EVENT_BYTES;
  }
  return chunks;
}

/** Reads the MIDI of a session (see the module comment); undefined when it has none. */
export function readMidi(b: Uint8Array, be: boolean, blocks: readonly PtxBlock[], diagnostics: Diagnostic[]): PtxMidi | undefined {
  const events = blocks.find((x) => x.contentType === 0x2000);
  const chunks = events ? readChunks(b, be, events, diagnostics) : [];
  const regions: PtxMidiRegion[] = [];
  for (const list of blocks) {
    if (list.contentType === 0x2634 && list.children.length > 0) {
      diagnostics.push(diagnostic('info', 'ptx/unsupported-midi', 'PT 10+ MIDI regions (0x2634) are not read', { at: { offset: list.start } }));
    }
    if (list.contentType !== 0x2002) continue;
    for (const entry of list.children) {
      if (entry.contentType !== 0x2001) continue;
      for (const rec of entry.children) {
        if (rec.contentType !== 0x1007) continue;
        const r = namedThreePoint(b, rec, be, 2);
        const after = rec.offset + rec.size;
        const chunkIndex = r && after + 4 <= entry.offset + entry.size ? u32(b, after, be) : -1;
        const chunk = chunks[chunkIndex];
        if (!r || !chunk) {
          diagnostics.push(warning('ptx/bad-midi', 'a MIDI region whose name, three-point record or note chunk cannot be read; left out', { at: { offset: rec.start } }));
          continue;
        }
        regions.push({ name: r.name, chunkIndex, length: chunk.extent, notes: chunk.notes });
      }
    }
  }
  const placements: PtxMidiPlacement[] = [];
  const map = blocks.find((x) => x.contentType === 0x1058);
  let trackIndex = 0;
  for (const tr of map?.children ?? []) {
    if (tr.contentType !== 0x1057) continue;
    const name = stringAt(b, tr.offset + 2, tr.offset + tr.size, be);
    if (name) {
      for (const e of tr.children) {
        if (e.contentType !== 0x1056) continue;
        for (const sub of e.children) {
          if (sub.contentType !== 0x104f || sub.size < 17) continue;
          const raw = uN(b, sub.offset + 9, 6, be);
          placements.push({ track: name.text, trackIndex, regionIndex: u32(b, sub.offset + 4, be), start: raw >= ZERO_TICKS ? raw - ZERO_TICKS : raw, inTicks: (b[sub.offset + 16] as number) >> 6 !== 0 });
        }
      }
    }
    trackIndex++;
  }
  if (regions.length === 0 && placements.length === 0) return undefined;
  return { regions, placements };
}
