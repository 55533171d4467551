/**
 * Binary Pro Tools sessions (.pts / .ptf / .ptx), issue 9, spec/protools.md §2: the XOR
 * obfuscation (§2.2), the block structure (§2.3), session version and sample rate (§2.4), the
 * audio file list and track list (§2.5), audio regions, PT 10+ clip groups (named and timed,
 * members not read) and region placements on tracks (§2.6, PT 8+ and big-endian PT 5), plus the
 * session-level facts of `info.ts` (name, bit depth, timecode rate and start, markers) and the
 * PT 5–9 MIDI of `midi.ts`. Read only;
 * reverse-engineered facts, so every structure is bounds-checked and a missing one is a
 * diagnostic, never a guess.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { diagnostic, error, warning } from '../../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../../diagnostics/result.js';
import { findBlock, hex4, namedThreePoint, stringAt, u16, u32, u64, uleN, walk } from './bytes.js';
import { readBitDepth, readMarkers, readSessionPath, readTimecode, sessionNameFromPath, type PtxMarker, type PtxTimecodeInfo } from './info.js';
import { readMidi, type PtxMidi } from './midi.js';

/** One block (§2.3). Offsets are absolute in the decoded file. */
export interface PtxBlock {
  /** Offset of the `Z` marker. */
  readonly start: number;
  /** The u16 block type. */
  readonly blockType: number;
  /** What the payload means (ptformat's content type, e.g. 0x1028 = sample rate). */
  readonly contentType: number;
  /** Offset of the content-type field ("payload+0" in the spec). */
  readonly offset: number;
  /** Size counted from `offset`; the block ends at `offset + size`. */
  readonly size: number;
  readonly children: readonly PtxBlock[];
}

/** A decoded session and its blocks. */
export interface PtxDocument {
  /** The decoded bytes (the first 0x14 bytes as stored, the rest XOR-decoded). */
  readonly bytes: Uint8Array;
  readonly bigEndian: boolean;
  /** XOR type byte (1: PT 5–9, 5: PT 10+). */
  readonly xorType: number;
  readonly blocks: readonly PtxBlock[];
}

/** An audio file the session lists (§2.5, content types 0x1004/0x103a/0x1001). */
export interface PtxAudioFile {
  readonly name: string;
  /** Length in samples of the file (its own rate), when the session gives it. */
  readonly lengthSamples?: bigint;
}

/** A region (clip) of the session (§2.6): a span of one audio file. Sample counts at the session rate. */
export interface PtxRegion {
  readonly name: string;
  /** Index into {@link PtxSession.audioFiles}. */
  readonly fileIndex: number;
  /** First sample of the region inside its file. */
  readonly sourceOffset: bigint;
  readonly length: bigint;
  /** The region's original position (timeline sample) as stored in its three-point record. */
  readonly start: bigint;
}

/**
 * A clip group of a PT 10+ session (content types 0x262c list / 0x262b entry / 0x2628 record):
 * the named, timed box that Pro Tools shows as one clip (a `.grp` clip, or an "empty" named clip
 * such as an ADR cue in a spotting session). Its member clips are not read. Sample counts at the
 * session rate.
 */
export interface PtxClipGroup {
  readonly name: string;
  readonly length: bigint;
  /**
   * The group's original position as its three-point record stores it, in samples from the
   * session clock's 00:00:00:00 (not from the session start, unlike placements).
   */
  readonly start: bigint;
}

/** A region placed on a track (§2.6 "Placement": PT 8+ map 0x1054/0x1052/0x1050/0x104f, PT 5 map 0x1012/0x1011/0x100f/0x100e). */
export interface PtxPlacement {
  /** Track name (the 0x1052 entry; 0x1011 in PT 5). */
  readonly track: string;
  /** Track ordinal, zero-based and gap-free over tracks that hold placements. */
  readonly trackIndex: number;
  /**
   * Ordinal of the placement's 0x1052 entry among all entries of the 0x1054 map, empty ones
   * included: the playlist (channel) index that {@link PtxTrack.playlists} refers to.
   */
  readonly playlist: number;
  /**
   * What the placement puts on the track: an audio region or (PT 10+, byte payload+20 of the
   * 0x104f entry = 1) a clip group.
   */
  readonly kind: 'region' | 'group';
  /** Index into {@link PtxSession.regions} (kind `region`) or {@link PtxSession.clipGroups} (kind `group`). */
  readonly regionIndex: number;
  /** Timeline sample of the region's first sample (u32 in the file; PT 5: the record's start field). */
  readonly start: bigint;
  /** PT 5: the placement's own length (its record is a three-point record); else the region's. */
  readonly length?: bigint;
  /** PT 5: the placement's own first sample in the file; else the region's. */
  readonly sourceOffset?: bigint;
}

/**
 * A track of the session's track list (content types 0x1015 / 0x1014, PT 8+): its name and, per
 * channel, the ordinal of the 0x1052 placement entry (playlist) that holds that channel's clips.
 * Tracks without clips are listed too.
 */
export interface PtxTrack {
  readonly name: string;
  readonly playlists: readonly number[];
}

/** What the readers take from a session. */
export interface PtxSession {
  /** ptformat's version number (5–12; every PT 2018+ session says 12). */
  readonly version: number;
  readonly sampleRate: number;
  /** Bit depth (16, 24 or 32) from the sample-rate block, when it holds one of those. */
  readonly bitDepth?: number;
  /** The saved path: folders from the volume down, then the file name (0x2067). */
  readonly path?: readonly string[];
  /** The session name: the saved file name without its extension. */
  readonly name?: string;
  /** Timecode rate and session start (0x204d, PT 10+). */
  readonly timecode?: PtxTimecodeInfo;
  /** Markers (memory locations) of the marker list (0x271a, PT 10+), in list order; empty when none. */
  readonly markers: readonly PtxMarker[];
  readonly audioFiles: readonly PtxAudioFile[];
  /** Audio regions (content types 0x100b/0x1008 for PT 5–9, 0x262a/0x2629 for PT 10+). */
  readonly regions: readonly PtxRegion[];
  /** Clip groups of PT 10+ sessions (0x262c/0x262b/0x2628), in list order (placements index them). */
  readonly clipGroups: readonly PtxClipGroup[];
  /**
   * The track list (0x1015/0x1014), in session order; empty when the session has none or it does
   * not agree with the placement map (a `ptx/track-list` warning says why).
   */
  readonly tracks: readonly PtxTrack[];
  /** Region placements on tracks (PT 8+ map 0x1054; PT 5 map 0x1012 in big-endian sessions). */
  readonly placements: readonly PtxPlacement[];
  /** Content types seen at top level, with counts, for `inspect` and for later slices. */
  readonly contentTypes: Readonly<Record<string, number>>;
  /** MIDI regions and placements (PT 5–9 layout; ticks), when the session has any. */
  readonly midi?: PtxMidi;
  /** Top-level content types none of whose blocks this reader decodes (kept in {@link PtxDocument.blocks}). */
  readonly unreadContentTypes: readonly string[];
}

const MAGIC = '0010111100101011';
const MAX_DEPTH = 5;

/** True when the bytes start like a Pro Tools session (§2.2: byte 0 = 0x03 and the bit string at 1). */
export function detectPtx(bytes: Uint8Array): boolean {
  if (bytes.length < 0x14 || bytes[0] !== 0x03) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[1 + i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Decodes the obfuscation (§2.2) into a copy. Types 1 and 5 only; others (cloud sessions, type 6)
 * are a `ptx/unsupported-xor` error.
 */
export function decodePtx(input: Uint8Array): ParseResult<{ bytes: Uint8Array; xorType: number; bigEndian: boolean }> {
  if (!detectPtx(input)) return fail(error('ptx/not-a-session', 'not a Pro Tools session (byte 0 is not 0x03 or the bit string is missing)', { at: { offset: 0 } }));
  const xorType = input[0x12] as number;
  const seed = input[0x13] as number;
  let d = -1;
  for (let k = 0; k < 256; k++) {
    if (xorType === 0x01 && ((k * 53) & 0xff) === seed) d = k;
    if (xorType === 0x05 && ((k * 11) & 0xff) === seed) d = (-k) & 0xff;
    if (d >= 0) break;
  }
  if (xorType !== 0x01 && xorType !== 0x05) return fail(error('ptx/unsupported-xor', `XOR type ${xorType} is not supported (1: PT 5–9, 5: PT 10+; 6 is a cloud session)`, { at: { offset: 0x12 } }));
  if (d < 0) return fail(error('ptx/bad-seed', `no key for seed 0x${seed.toString(16)}`, { at: { offset: 0x13 } }));
  const key = new Uint8Array(256);
  for (let i = 0; i < 256; i++) key[i] = (i * d) & 0xff;
  const out = new Uint8Array(input);
  const shift = xorType === 0x05 ? 12 : 0;
  for (let p = 0x14; p < out.length; p++) out[p] = (out[p] as number) ^ (key[(p >>> shift) & 0xff] as number);
  return ok({ bytes: out, xorType, bigEndian: input[0x11] !== 0 });
}

function blockAt(b: Uint8Array, pos: number, max: number, be: boolean, depth: number, budget: { n: number }): PtxBlock | undefined {
  if (depth > MAX_DEPTH || budget.n <= 0 || b[pos] !== 0x5a || pos + 9 > max) return undefined;
  const blockType = u16(b, pos + 1, be);
  if (blockType & 0xff00) return undefined;
  const size = u32(b, pos + 3, be);
  const offset = pos + 7;
  if (size < 2 || offset + size > max) return undefined;
  budget.n--;
  const children: PtxBlock[] = [];
  // Children: scan the payload for Z markers that parse as blocks (§2.3; heuristic, bounded).
  for (let i = 1; i < size; ) {
    const c = blockAt(b, offset + i, offset + size, be, depth + 1, budget);
    if (c) {
      children.push(c);
      i += c.size + 7;
    } else i++;
  }
  return { start: pos, blockType, contentType: u16(b, offset, be), offset, size, children };
}

/** Decodes a session and walks its blocks. At most `maxBlocks` (default 200,000) are read. */
export function readPtxBlocks(input: Uint8Array, options: { maxBlocks?: number } = {}): ParseResult<PtxDocument> {
  const dec = decodePtx(input);
  if (!dec.ok) return dec;
  const { bytes, bigEndian, xorType } = dec.value;
  const budget = { n: options.maxBlocks ?? 200_000 };
  const blocks: PtxBlock[] = [];
  for (let p = 0x14; p < bytes.length; ) {
    const blk = blockAt(bytes, p, bytes.length, bigEndian, 0, budget);
    if (blk) {
      blocks.push(blk);
      p += blk.size + 7;
    } else p++;
  }
  const diagnostics: Diagnostic[] = budget.n <= 0 ? [warning('ptx/too-many-blocks', `more than ${options.maxBlocks ?? 200_000} blocks; the rest is not read`)] : [];
  return ok({ bytes, bigEndian, xorType, blocks }, diagnostics);
}

/** A region block: name and three-point record, then the file index after the first child (§2.6). */
function regionAt(b: Uint8Array, blk: PtxBlock, be: boolean): PtxRegion | undefined {
  const r = namedThreePoint(b, blk, be);
  const first = blk.children[0];
  if (!r || !first || first.offset + first.size + 4 > blk.offset + blk.size) return undefined;
  return { ...r, fileIndex: u32(b, first.offset + first.size, be) };
}

/**
 * Reads version, sample rate, audio files, regions, clip groups, tracks and placements
 * (§2.4–2.6). Missing structures are errors (`ptx/no-sample-rate`) or warnings (`ptx/no-version`),
 * never guesses.
 */
export function readPtxSession(input: Uint8Array): ParseResult<PtxSession> {
  const r = readPtxBlocks(input);
  if (!r.ok) return r;
  const { bytes: b, bigEndian: be, blocks, xorType } = r.value;
  const diagnostics: Diagnostic[] = [...r.diagnostics];
  // Version (§2.4): the block at 0x1F, else bytes 0x40, 0x3D, 0x3A + 2.
  let version = 0;
  const vb = blockAt(b, 0x1f, b.length, be, 0, { n: 1000 });
  if (vb && vb.contentType === 0x0003) {
    const s = stringAt(b, vb.offset + 3, vb.offset + vb.size, be);
    // ptformat skips the string and 4 more bytes before the u32 version.
    if (s && s.next + 8 <= vb.offset + vb.size) version = u32(b, s.next + 4, be);
  } else if (vb && vb.contentType === 0x2067 && vb.offset + 24 <= vb.offset + vb.size) {
    version = 2 + u32(b, vb.offset + 20, be);
  }
  if (version === 0) version = (b[0x40] as number) || (b[0x3d] as number) || (b[0x3a] as number) + 2;
  if (version < 5 || version > 12) diagnostics.push(warning('ptx/no-version', `session version ${version} is outside 5–12 (ptformat's range)`, { at: { offset: 0x1f } }));
  let sampleRate = 0;
  const contentTypes: Record<string, number> = {};
  for (const blk of blocks) {
    const k = '0x' + blk.contentType.toString(16).padStart(4, '0');
    contentTypes[k] = (contentTypes[k] ?? 0) + 1;
  }
  for (const blk of walk(blocks)) {
    if (blk.contentType === 0x1028 && blk.size >= 8) {
      sampleRate = u32(b, blk.offset + 4, be);
      break;
    }
  }
  if (sampleRate < 44100 || sampleRate > 192000) {
    return fail(error('ptx/no-sample-rate', sampleRate === 0 ? 'no sample-rate block (content type 0x1028)' : `sample rate ${sampleRate} is outside 44100–192000`, { at: { offset: 0 } }), ...diagnostics);
  }
  const audioFiles: { name: string; lengthSamples?: bigint }[] = [];
  for (const blk of walk(blocks)) {
    if (blk.contentType !== 0x1004) continue;
    const count = u32(b, blk.offset + 2, be);
    for (const c of blk.children) {
      if (c.contentType !== 0x103a) continue;
      let p = c.offset + 11;
      const end = c.offset + c.size;
      while (p < end && audioFiles.length < count) {
        const s = stringAt(b, p, end, be);
        // The type needs 4 bytes; the 5 after it may run to the block's end on the last entry.
        if (!s || s.next + 4 > end) break;
        const type = String.fromCharCode(...b.subarray(s.next, s.next + 4));
        p = s.next + 9;
        const name = s.text;
        if (name.includes('.grp') || name.includes('Audio Files') || name.includes('Fade Files')) continue;
        const typed = ['WAVE', 'EVAW', 'AIFF', 'FFIA'].includes(type);
        if (version < 10 ? !typed : type.charCodeAt(0) !== 0 ? !typed : !/\.(wav|aif)$/i.test(name)) continue;
        audioFiles.push({ name });
      }
    }
    let n = 0;
    for (const c of blk.children) {
      if (c.contentType !== 0x1003) continue;
      for (const d of c.children) {
        if (d.contentType !== 0x1001 || d.offset + 16 > d.offset + d.size) continue;
        const f = audioFiles[n++];
        if (f) f.lengthSamples = u64(b, d.offset + 8, be);
      }
    }
    break;
  }
  const regions: PtxRegion[] = [];
  for (const blk of walk(blocks)) {
    if (blk.contentType !== 0x100b && blk.contentType !== 0x262a) continue;
    for (const c of blk.children) {
      if (c.contentType !== 0x1008 && c.contentType !== 0x2629) continue;
      const reg = regionAt(b, c, be);
      if (reg) regions.push(reg);
      else diagnostics.push(warning('ptx/bad-region', 'a region block whose name or three-point record does not fit in it', { at: { offset: c.start } }));
    }
    break;
  }
  // Clip groups (PT 10+): 0x262c holds one 0x262b entry per group, each wrapping a 0x2628 record
  // with the group's name and three-point record (offset field = the 10^12 origin, no source file).
  const clipGroups: PtxClipGroup[] = [];
  for (const blk of walk(blocks)) {
    if (blk.contentType !== 0x262c) continue;
    for (const c of blk.children) {
      if (c.contentType !== 0x262b) continue;
      const g = namedThreePoint(b, c, be);
      if (g) clipGroups.push({ name: g.name, length: g.length, start: g.start });
      else {
        // Placements index the list by position, so one unreadable entry would shift every later
        // name onto the wrong clip: drop the list instead (its placements become ptx/unknown-region).
        diagnostics.push(warning('ptx/bad-clip-group', 'a clip-group block whose name or three-point record does not fit in it; no clip group is read', { at: { offset: c.start } }));
        clipGroups.length = 0;
        break;
      }
    }
    break;
  }
  const placements: PtxPlacement[] = [];
  /** Names of the placement map's entries by ordinal (undefined when unreadable); undefined: no map. */
  let playlistNames: (string | undefined)[] | undefined;
  const map8 = findBlock(blocks, 0x1054);
  if (map8) {
    playlistNames = readPlacementMap(b, be, map8, [0x1052, 0x1050, 0x104f], placements, (entry, rec) => {
      // Byte payload+46 = 1 marks a fade region, which is not a placement (ptformat).
      if (entry.size > 46 && b[entry.offset + 46] === 1) return undefined;
      if (rec.size < 13) return undefined;
      // Byte payload+20 is 1 when the entry places a clip group (PT 10+), 0 for an audio region:
      // every Tag Tests and Test Export entry is 1 (no audio regions there), Charade's two
      // picture-guide entries are 0 and its 70 cue entries 1, RegionTest's and the PT 8 files' are 0.
      // Clip groups exist from PT 10 on (XOR type 5), so older sessions never read the byte.
      const kind = xorType === 0x05 && rec.size > 20 && b[rec.offset + 20] === 1 ? 'group' : 'region';
      return { kind, regionIndex: u32(b, rec.offset + 4, be), start: BigInt(u32(b, rec.offset + 9, be)) };
    });
  }
  if (!playlistNames) playlistNames = readPt5Placements(b, be, blocks, placements, diagnostics);
  const tracks = playlistNames ? readTracks(b, be, blocks, playlistNames, diagnostics) : [];
  const path = readSessionPath(b, be, blocks);
  const name = sessionNameFromPath(path);
  const bitDepth = readBitDepth(b, blocks);
  const timecode = readTimecode(b, be, blocks, diagnostics);
  const markers = readMarkers(b, be, blocks, diagnostics) ?? [];
  const midi = readMidi(b, be, blocks, diagnostics);
  const unread = unreadContentTypes(blocks);
  if (unread.count > 0) {
    const shown = unread.types.length > 16 ? `${unread.types.slice(0, 16).join(', ')} and ${unread.types.length - 16} more, listed in unreadContentTypes` : unread.types.join(', ');
    diagnostics.push(diagnostic('info', 'ptx/unread-blocks', `${unread.count} of ${blocks.length} top-level blocks are kept but not decoded (content types ${shown})`));
  }
  return ok(
    {
      version,
      sampleRate,
      ...(bitDepth !== undefined ? { bitDepth } : {}),
      ...(path ? { path } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(timecode ? { timecode } : {}),
      markers,
      audioFiles,
      regions,
      clipGroups,
      tracks,
      placements,
      ...(midi ? { midi } : {}),
      contentTypes,
      unreadContentTypes: unread.types,
    },
    diagnostics,
  );
}

/** Content types whose blocks (or their children) the session reader decodes. */
const DECODED = new Set([0x2067, 0x1028, 0x204d, 0x271a, 0x1004, 0x100b, 0x262a, 0x262c, 0x1054, 0x1012, 0x1015, 0x2000, 0x2002, 0x1058]);

/** Top-level blocks with nothing decoded in them: their count and sorted distinct content types. */
function unreadContentTypes(blocks: readonly PtxBlock[]): { count: number; types: string[] } {
  const types = new Set<string>();
  let count = 0;
  for (const blk of blocks) {
    let read = false;
    for (const x of walk([blk])) if (DECODED.has(x.contentType)) read = true;
    if (read) continue;
    count++;
    types.add(hex4(blk.contentType));
  }
  return { count, types: [...types].sort() };
}

/**
 * PT 5–7 placements (§2.5 map 0x1012 / 0x1011 entry per playlist, name string at payload+2 /
 * 0x100f / 0x100e): region index u32 at payload+4 and, from payload+8, a three-point record of the
 * placement's own timeline start, length and source offset. Big-endian files: byte counts in the
 * high nibbles of bytes +4 (start), +3 (length) and +1 (offset), the low nibble of +2 counting a
 * trailing value not read; values from +5 in the order start, length, offset, little-endian. This
 * is the layout ptformat read until 2019 (ptfformat.cc parserest5 at 877fa28), whose test oracle
 * tests/t.5/basicaudio2 of that commit lists Fa_16_48's 14 placements at 0, 24000 … 168000, 16384,
 * 80832, 153024, 45440, 136448 and 94528; its current oracle prints each region's own position (0)
 * instead. Little-endian PT 6–7 layouts are not in the corpus: `ptx/unsupported-placements`.
 * Returns the entries' names by ordinal, or undefined when the session has no such map.
 */
function readPt5Placements(b: Uint8Array, be: boolean, blocks: readonly PtxBlock[], placements: PtxPlacement[], diagnostics: Diagnostic[]): (string | undefined)[] | undefined {
  const map = blocks.find((x) => x.contentType === 0x1012);
  if (!map) return undefined;
  if (!be) {
    diagnostics.push(warning('ptx/unsupported-placements', 'little-endian PT 6–7 placement maps (0x1012) are not read; tracks list no clips', { at: { offset: map.start } }));
    return undefined;
  }
  let bad = 0;
  const names = readPlacementMap(b, be, map, [0x1011, 0x100f, 0x100e], placements, (_, rec) => {
    const end = rec.offset + rec.size;
    const j = rec.offset + 8;
    const nib = (k: number): number => ((b[j + k] as number) & 0xf0) >> 4;
    const [startBytes, lengthBytes, offsetBytes] = [nib(4), nib(3), nib(1)];
    if (j + 5 > end || startBytes > 5 || lengthBytes > 5 || offsetBytes > 5 || j + 5 + startBytes + lengthBytes + offsetBytes > end) {
      bad++;
      return undefined;
    }
    const start = uleN(b, j + 5, startBytes);
    const length = uleN(b, j + 5 + startBytes, lengthBytes);
    const sourceOffset = uleN(b, j + 5 + startBytes + lengthBytes, offsetBytes);
    return { kind: 'region', regionIndex: u32(b, rec.offset + 4, be), start, length, sourceOffset };
  });
  if (bad > 0) diagnostics.push(warning('ptx/bad-placement', `${bad} placement entries (0x100e) whose record does not fit in them; left out`, { at: { offset: map.start } }));
  return names;
}

/** What a placement record gives; the map walk adds the track. */
type PlacedRecord = Pick<PtxPlacement, 'kind' | 'regionIndex' | 'start'> & Partial<Pick<PtxPlacement, 'length' | 'sourceOffset'>>;

/**
 * Walks a placement map (PT 8+: 0x1054 → 0x1052 → 0x1050 → 0x104f; PT 5: 0x1012 → 0x1011 → 0x100f
 * → 0x100e): for each playlist entry (its name string at payload+2) every record under its middle
 * blocks, read by `record` (undefined: not a placement). Track indices are gap-free over the
 * entries that place something. Returns the entries' names by ordinal (undefined when unreadable).
 */
function readPlacementMap(
  b: Uint8Array,
  be: boolean,
  map: PtxBlock,
  [entryType, middleType, recordType]: readonly [number, number, number],
  placements: PtxPlacement[],
  record: (middle: PtxBlock, rec: PtxBlock) => PlacedRecord | undefined,
): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  let trackIndex = 0;
  for (const entry of map.children) {
    if (entry.contentType !== entryType) continue;
    const playlist = names.length;
    const name = stringAt(b, entry.offset + 2, entry.offset + entry.size, be);
    names.push(name?.text);
    if (!name) continue;
    let placed = false;
    for (const middle of entry.children) {
      if (middle.contentType !== middleType) continue;
      for (const rec of middle.children) {
        if (rec.contentType !== recordType) continue;
        const r = record(middle, rec);
        if (!r) continue;
        placements.push({ track: name.text, trackIndex, playlist, ...r });
        placed = true;
      }
    }
    if (placed) trackIndex++;
  }
  return names;
}

/**
 * The track list (§2.5 0x1015/0x1014): per track a name string at payload+2, one byte, a u32
 * channel count and a u16 playlist index per channel. Kept only when every index names a 0x1052
 * entry of the same name (as in every corpus session: Charade's stereo picture-guide track lists
 * playlists 0 and 1, its "Scenes" 2); otherwise a `ptx/track-list` warning and an empty list.
 */
function readTracks(b: Uint8Array, be: boolean, blocks: readonly PtxBlock[], playlistNames: readonly (string | undefined)[], diagnostics: Diagnostic[]): PtxTrack[] {
  const tracks: PtxTrack[] = [];
  for (const blk of walk(blocks)) {
    if (blk.contentType !== 0x1015) continue;
    for (const t of blk.children) {
      if (t.contentType !== 0x1014) continue;
      const end = t.offset + t.size;
      const s = stringAt(b, t.offset + 2, end, be);
      const count = s && s.next + 5 <= end ? u32(b, s.next + 1, be) : -1;
      if (!s || count < 0 || count > (end - s.next - 5) / 2) {
        diagnostics.push(warning('ptx/track-list', 'a track entry whose name or channel list does not fit in it; tracks without clips are left out', { at: { offset: t.start } }));
        return [];
      }
      const playlists: number[] = [];
      for (let k = 0; k < count; k++) playlists.push(u16(b, s.next + 5 + 2 * k, be));
      const bad = playlists.find((p) => playlistNames[p] !== s.text);
      if (bad !== undefined) {
        diagnostics.push(warning('ptx/track-list', `track "${s.text}" names playlist ${bad}, which the placement map does not hold under that name; tracks without clips are left out`, { at: { offset: t.start } }));
        return [];
      }
      tracks.push({ name: s.text, playlists });
    }
    break;
  }
  return tracks;
}

export { PTX_TIMECODE_RATES, type PtxMarker, type PtxTimecodeInfo } from './info.js';
export type { PtxMidi, PtxMidiNote, PtxMidiPlacement, PtxMidiRegion } from './midi.js';
