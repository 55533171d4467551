/**
 * The ADM `chna` chunk (ITU-R BS.2076 / BS.2088; BWF digest §8): which ADM track each WAV channel
 * carries. dubstage extracts these labels and passes `axml`/`dbmd` through untouched.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { warning } from '../../diagnostics/diagnostic.js';
import { latin1, readU16 } from '../../binary/cursor.js';

/** One 40-byte `chna` entry. */
export interface ChnaEntry {
  /** 1-based WAV channel (0 = unused entry). */
  readonly trackIndex: number;
  /** `ATU_00000001`. */
  readonly audioTrackUid: string;
  /** `AT_00011001_01`. */
  readonly audioTrackFormatRef: string;
  /** `AP_00011001`. */
  readonly audioPackFormatRef: string;
}

/** A parsed `chna` chunk. */
export interface Chna {
  readonly numTracks: number;
  readonly numUids: number;
  readonly entries: readonly ChnaEntry[];
}

function text(b: Uint8Array, start: number, len: number): string {
  let end = start + len;
  while (end > start && (b[end - 1] === 0 || b[end - 1] === 0x20)) end--;
  return latin1(b, start, end);
}

/** Parses a `chna` payload: uint16 numTracks, uint16 numUIDs, then 40-byte entries. */
export function parseChna(payload: Uint8Array, dataOffset: number, diagnostics: Diagnostic[]): Chna | undefined {
  if (payload.byteLength < 4) {
    diagnostics.push(warning('bwf/bad-chna', `chna holds ${payload.byteLength} bytes; it needs 4`, { at: { offset: dataOffset } }));
    return undefined;
  }
  const numTracks = readU16(payload, 0);
  const numUids = readU16(payload, 2);
  const fit = Math.floor((payload.byteLength - 4) / 40);
  if (numUids > fit) diagnostics.push(warning('bwf/bad-chna', `chna says ${numUids} entries but holds ${fit}`, { at: { offset: dataOffset + 2 } }));
  const entries: ChnaEntry[] = [];
  for (let i = 0; i < Math.min(numUids, fit); i++) {
    const o = 4 + 40 * i;
    entries.push({ trackIndex: readU16(payload, o), audioTrackUid: text(payload, o + 2, 12), audioTrackFormatRef: text(payload, o + 14, 14), audioPackFormatRef: text(payload, o + 28, 11) });
  }
  return { numTracks, numUids, entries };
}
