/**
 * Session-level facts of a binary session (issue 9, second slice): the saved path and session
 * name (content type 0x2067), bit depth (0x1028), timecode rate and session start (0x204d) and the
 * markers (memory locations, 0x271a). Each layout below was worked out on the corpus sessions and
 * checked against an outside fact (named at each reader); a field whose meaning no fact pins down
 * is kept raw and never interpreted.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { diagnostic, warning } from '../../../diagnostics/diagnostic.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { framesToLabel, Timecode } from '../../../time/timecode.js';
import type { PtxBlock } from './blocks.js';
import { findBlock, stringAt, u16, u32, u64 } from './bytes.js';

/**
 * The session's timecode settings (content type 0x204d, PT 10+ layout). `rateCode` is the session
 * timecode rate; `startFrames` counts the session start in frames of `startRateCode` (the rate the
 * start was entered at, which Pro Tools keeps when the timecode rate changes later).
 */
export interface PtxTimecodeInfo {
  /** u32 at payload+23: the session's timecode rate. */
  readonly rateCode: number;
  /** u32 at payload+2: the rate `startFrames` counts in. */
  readonly startRateCode: number;
  /** u32 at payload+11: the session start, in frames of `startRateCode` from 00:00:00:00. */
  readonly startFrames: number;
  /** The timecode rate, when `rateCode` is one of {@link PTX_TIMECODE_RATES}. */
  readonly rate?: FrameRate;
  /** The session start label at `rate`, when both codes are known. */
  readonly start?: Timecode;
}

/**
 * 0x204d rate codes whose meaning a text export of the same session shows (TIMECODE FORMAT and
 * SESSION START TIMECODE; the sessions' clip-group origins agree, see test/corpus/ptx.test.ts):
 * 2 = 25 (Charade), 7 = 30 (Test Export), 9 = 23.976 (Tag Tests). Other codes are reported, not guessed.
 */
export const PTX_TIMECODE_RATES: ReadonlyMap<number, FrameRate> = new Map([
  [2, FrameRate.FPS_25],
  [7, FrameRate.FPS_30],
  [9, FrameRate.FPS_23_976],
]);

/** A marker (memory location) of the session's marker list (0x271a → 0x2030 → 0x2077). */
export interface PtxMarker {
  /** The memory-location number (the `#` column of the text export). */
  readonly number: number;
  readonly name: string;
  /** Samples from the session start (the text export's TIME REFERENCE in Samples). */
  readonly start: bigint;
  /** The second position the entry stores (equal to `start` for every corpus marker). */
  readonly end: bigint;
  /** The comment (empty when the entry has none); undefined when the entry's tail is not the layout read here. */
  readonly comment?: string;
  /** The four bytes at payload+4, kept raw (03 09 00 00 in every corpus marker). */
  readonly flags: string;
  /** The marker ruler's name (the 0x2619 child of the list), e.g. `Markers`. */
  readonly ruler?: string;
}

/**
 * The saved path of the session (the first top-level 0x2067 block, at 0x1F in PT 10+): from payload+20 a u32 count of info
 * strings and the strings, a u32 zero, a u32 "count minus one" and that many plus one strings, the
 * folders from the volume down and last the file name (MediaInfo's File_Ptx reads the same
 * layout). Every corpus session, PT 5 to PT 2021, has it. Undefined when it does not fit.
 */
export function readSessionPath(b: Uint8Array, be: boolean, blocks: readonly PtxBlock[]): string[] | undefined {
  const blk = blocks.find((x) => x.contentType === 0x2067);
  if (!blk) return undefined;
  const end = blk.offset + blk.size;
  let p = blk.offset + 20;
  if (p + 4 > end) return undefined;
  const infos = u32(b, p, be);
  p += 4;
  if (infos > (end - p) / 4) return undefined;
  for (let i = 0; i < infos; i++) {
    const s = stringAt(b, p, end, be);
    if (!s) return undefined;
    p = s.next;
  }
  if (p + 8 > end || u32(b, p, be) !== 0) return undefined;
  const count = u32(b, p + 4, be) + 1;
  p += 8;
  if (count > (end - p) / 4) return undefined;
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = stringAt(b, p, end, be);
    if (!s) return undefined;
    names.push(s.text);
    p = s.next;
  }
  return names;
}

/** The session name: the saved file name without its extension (as the text exports' SESSION NAME shows it). */
export function sessionNameFromPath(path: readonly string[] | undefined): string | undefined {
  const file = path?.[path.length - 1];
  if (!file) return undefined;
  return file.replace(/\.(ptx|ptf|pts|pt5)$/i, '');
}

/**
 * Bit depth: byte payload+3 of the sample-rate block 0x1028 (16, 24 or 32). Checked against the
 * text exports' BIT DEPTH (24-bit for Charade, Tag Tests and Test Export) and ptformat-objc's test
 * oracles (Fa_16_48.pts 16, Damien_monos.pts, goodplaylists2.ptf and RegionTest.ptx 24).
 */
export function readBitDepth(b: Uint8Array, blocks: readonly PtxBlock[]): number | undefined {
  const blk = findBlock(blocks, 0x1028);
  if (!blk || blk.size < 4) return undefined;
  const v = b[blk.offset + 3] as number;
  return v === 16 || v === 24 || v === 32 ? v : undefined;
}

/**
 * Timecode rate and session start (0x204d). PT 10+ sessions (block types 4 and 5) hold: u32 start
 * rate code at payload+2, u32 start frames at payload+11, u32 timecode rate code at payload+23,
 * then the string `24:00:00:00`. The start is the label of `startFrames` at the start rate, read
 * at the session rate: Test Export's start code is 9 (23.976), its rate code 7 (30), 86400 frames
 * (01:00:00:00 at 24 labels a second), and its text export says 01:00:00:00 at 30 Frame; its clip
 * groups' origins put that start at sample 172,800,000 = 3600 s, which is 01:00:00:00 at 30 fps and
 * not at 23.976. PT 5–9 sessions use other layouts, not read (`ptx/no-timecode`).
 */
export function readTimecode(b: Uint8Array, be: boolean, blocks: readonly PtxBlock[], diagnostics: Diagnostic[]): PtxTimecodeInfo | undefined {
  const blk = blocks.find((x) => x.contentType === 0x204d);
  if (!blk || (blk.blockType !== 4 && blk.blockType !== 5) || blk.size < 31) {
    diagnostics.push(diagnostic('info', 'ptx/no-timecode', blk ? `the timecode block (0x204d) has a layout not read here (block type ${blk.blockType}); timecode rate and session start are not read` : 'no timecode block (0x204d); timecode rate and session start are not read', blk ? { at: { offset: blk.start } } : {}));
    return undefined;
  }
  const at = { at: { offset: blk.start } };
  const startRateCode = u32(b, blk.offset + 2, be);
  const startFrames = u32(b, blk.offset + 11, be);
  const rateCode = u32(b, blk.offset + 23, be);
  const rate = PTX_TIMECODE_RATES.get(rateCode);
  const startRate = PTX_TIMECODE_RATES.get(startRateCode);
  if (!rate || !startRate) {
    const unknown = [!rate ? `timecode rate code ${rateCode}` : '', !startRate ? `start rate code ${startRateCode}` : ''].filter(Boolean).join(' and ');
    diagnostics.push(warning('ptx/unknown-timecode-rate', `${unknown} of block 0x204d ${!rate && !startRate ? 'are' : 'is'} not one the corpus verifies (2: 25, 7: 30, 9: 23.976); ${rate ? 'the session start is' : 'the timecode rate and session start are'} not read`, at));
    return { rateCode, startRateCode, startFrames, ...(rate ? { rate } : {}) };
  }
  if (startFrames >= startRate.framesPerDay) {
    diagnostics.push(warning('ptx/bad-session-start', `session start ${startFrames} frames is past 24 hours at the start rate; not read`, at));
    return { rateCode, startRateCode, startFrames, rate };
  }
  const [hours, minutes, seconds, frames] = framesToLabel(startFrames, startRate) as [number, number, number, number];
  try {
    return { rateCode, startRateCode, startFrames, rate, start: Timecode.fromComponents({ hours, minutes, seconds, frames }, rate) };
  } catch {
    diagnostics.push(warning('ptx/bad-session-start', `session start ${hours}:${minutes}:${seconds}:${frames} is not a label at the session's timecode rate; not read`, at));
    return { rateCode, startRateCode, startFrames, rate };
  }
}

/**
 * The marker list (0x271a; PT 10+): a 0x2619 ruler entry (its name at payload+2) and a 0x2030
 * list (u32 count at payload+2) of 0x2077 entries. An entry holds: u16 number at payload+2, four
 * raw bytes, the name string at payload+8, u64 start and u64 end (samples from the session start),
 * 50 more bytes, a u32 n and n bytes (one per track playlist: 8 in Tag Tests, 14 in Charade), one
 * byte, four bytes, and the comment string. Checked against the MARKERS LISTING of Charade's and
 * Tag Tests' text exports (number, name, TIME REFERENCE, comment) and Test Export's empty listing.
 * Undefined when the session has no list; entries that do not parse are a `ptx/bad-marker` warning.
 */
export function readMarkers(b: Uint8Array, be: boolean, blocks: readonly PtxBlock[], diagnostics: Diagnostic[]): PtxMarker[] | undefined {
  const list = blocks.find((x) => x.contentType === 0x271a);
  if (!list) return undefined;
  const rulerBlock = list.children.find((c) => c.contentType === 0x2619);
  const ruler = rulerBlock ? stringAt(b, rulerBlock.offset + 2, rulerBlock.offset + rulerBlock.size, be)?.text : undefined;
  const entries = list.children.find((c) => c.contentType === 0x2030);
  if (!entries || entries.size < 6) return [];
  const count = u32(b, entries.offset + 2, be);
  const items = entries.children.filter((c) => c.contentType === 0x2077);
  if (items.length !== count) {
    diagnostics.push(warning('ptx/bad-marker', `the marker list says ${count} markers but holds ${items.length} entries; the entries found are read`, { at: { offset: entries.start } }));
  }
  const markers: PtxMarker[] = [];
  for (const e of items) {
    const m = markerAt(b, be, e);
    if (m) {
      markers.push(ruler !== undefined ? { ...m, ruler } : m);
      if (m.comment === undefined) diagnostics.push(diagnostic('info', 'ptx/marker-comment', `marker ${m.number} "${m.name}": the comment is not where this reader expects it; not read`, { at: { offset: e.start } }));
    } else diagnostics.push(warning('ptx/bad-marker', 'a marker entry whose name or positions do not fit in it; left out', { at: { offset: e.start } }));
  }
  return markers;
}

function markerAt(b: Uint8Array, be: boolean, e: PtxBlock): PtxMarker | undefined {
  const end = e.offset + e.size;
  const name = stringAt(b, e.offset + 8, end, be);
  if (!name || name.next + 16 > end) return undefined;
  const flags = Array.from(b.subarray(e.offset + 4, e.offset + 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
  const start = u64(b, name.next, be);
  const stop = u64(b, name.next + 8, be);
  // The comment: after the 66 bytes that follow the name (positions included), a u32 n, n bytes,
  // one byte 1 and four bytes. Any mismatch leaves the comment unread rather than guessed.
  let comment: string | undefined;
  const n = name.next + 70 <= end ? u32(b, name.next + 66, be) : -1;
  const at = name.next + 70 + n;
  if (n >= 0 && at + 5 <= end && b[at] === 1) comment = stringAt(b, at + 5, end, be)?.text;
  return { number: u16(b, e.offset + 2, be), name: name.text, start, end: stop, ...(comment !== undefined ? { comment } : {}), flags };
}
