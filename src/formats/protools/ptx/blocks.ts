/**
 * Binary Pro Tools sessions (.pts / .ptf / .ptx), first slice (issue 9, spec/protools.md §2):
 * the XOR obfuscation (§2.2), the block structure (§2.3), session version and sample rate (§2.4)
 * the audio file list and track list (§2.5), audio regions, PT 10+ clip groups (named and timed,
 * members not read) and region placements on tracks (§2.6). Read only;
 * reverse-engineered facts (ptformat), so every structure is bounds-checked and a missing one is a
 * diagnostic, never a guess.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { error, warning } from '../../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../../diagnostics/result.js';
import { decodeMacRoman } from '../text/encoding.js';

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

/** A region placed on a track (§2.6 "Placement", PT 8+ map 0x1054/0x1052/0x1050/0x104f). */
export interface PtxPlacement {
  /** Track name (the 0x1052 entry). */
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
  /** Timeline sample of the region's first sample (u32 in the file). */
  readonly start: bigint;
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

/** What the first slice reads from a session. */
export interface PtxSession {
  /** ptformat's version number (5–12; every PT 2018+ session says 12). */
  readonly version: number;
  readonly sampleRate: number;
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
  /** Region placements on tracks (PT 8 and later; empty for PT 5–7 sessions, not read yet). */
  readonly placements: readonly PtxPlacement[];
  /** Content types seen at top level, with counts, for `inspect` and for later slices. */
  readonly contentTypes: Readonly<Record<string, number>>;
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

function u16(b: Uint8Array, p: number, be: boolean): number {
  return be ? ((b[p] as number) << 8) | (b[p + 1] as number) : (b[p] as number) | ((b[p + 1] as number) << 8);
}
function u32(b: Uint8Array, p: number, be: boolean): number {
  return be
    ? (((b[p] as number) << 24) >>> 0) + ((b[p + 1] as number) << 16) + ((b[p + 2] as number) << 8) + (b[p + 3] as number)
    : (b[p] as number) + ((b[p + 1] as number) << 8) + ((b[p + 2] as number) << 16) + (((b[p + 3] as number) << 24) >>> 0);
}
function u64(b: Uint8Array, p: number, be: boolean): bigint {
  const hi = BigInt(u32(b, be ? p : p + 4, be));
  const lo = BigInt(u32(b, be ? p + 4 : p, be));
  return (hi << 32n) | lo;
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

function* walk(blocks: readonly PtxBlock[]): Generator<PtxBlock> {
  for (const b of blocks) {
    yield b;
    yield* walk(b.children);
  }
}

/** A length-prefixed string at `p` (u32 length, then bytes; Mac OS Roman unless valid UTF-8). */
function stringAt(b: Uint8Array, p: number, end: number, be: boolean): { text: string; next: number } | undefined {
  if (p + 4 > end) return undefined;
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

/** An n-byte little-endian unsigned value (n = 0…5); three-point fields are little-endian in every file (§2.6). */
function uleN(b: Uint8Array, p: number, n: number): bigint {
  let v = 0n;
  for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[p + k] as number);
  return v;
}

/**
 * A region entry's name (string at payload+11) and three-point record (§2.6). The same layout
 * serves the audio-region entries (0x2629/0x1008) and the PT 10+ clip-group entries (0x262b, whose
 * 0x2628 child holds the name at its own payload+2, i.e. the entry's payload+11).
 */
function namedThreePoint(b: Uint8Array, blk: PtxBlock, be: boolean): { name: string; sourceOffset: bigint; length: bigint; start: bigint } | undefined {
  const end = blk.offset + blk.size;
  const s = stringAt(b, blk.offset + 11, end, be);
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
  let trackOrdinal = 0;
  /** Names of the 0x1052 entries by ordinal (undefined when unreadable); undefined: no 0x1054 map. */
  let playlistNames: (string | undefined)[] | undefined;
  for (const blk of walk(blocks)) {
    if (blk.contentType !== 0x1054) continue;
    playlistNames = [];
    for (const tr of blk.children) {
      if (tr.contentType !== 0x1052) continue;
      const playlist = playlistNames.length;
      const name = stringAt(b, tr.offset + 2, tr.offset + tr.size, be);
      playlistNames.push(name?.text);
      if (!name) continue;
      let placed = false;
      for (const e of tr.children) {
        if (e.contentType !== 0x1050) continue;
        // Byte payload+46 = 1 marks a fade region, which is not a placement (ptformat).
        if (e.offset + 46 < e.offset + e.size && b[e.offset + 46] === 1) continue;
        for (const sub of e.children) {
          if (sub.contentType !== 0x104f || sub.offset + 13 > sub.offset + sub.size) continue;
          // Byte payload+20 is 1 when the entry places a clip group (PT 10+), 0 for an audio region:
          // every Tag Tests and Test Export entry is 1 (no audio regions there), Charade's two
          // picture-guide entries are 0 and its 70 cue entries 1, RegionTest's and the PT 8 files' are 0.
          // Clip groups exist from PT 10 on (XOR type 5), so older sessions never read the byte.
          const kind = xorType === 0x05 && sub.size > 20 && b[sub.offset + 20] === 1 ? 'group' : 'region';
          placements.push({ track: name.text, trackIndex: trackOrdinal, playlist, kind, regionIndex: u32(b, sub.offset + 4, be), start: BigInt(u32(b, sub.offset + 9, be)) });
          placed = true;
        }
      }
      if (placed) trackOrdinal++;
    }
    break;
  }
  const tracks = playlistNames ? readTracks(b, be, blocks, playlistNames, diagnostics) : [];
  return ok({ version, sampleRate, audioFiles, regions, clipGroups, tracks, placements, contentTypes }, diagnostics);
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
