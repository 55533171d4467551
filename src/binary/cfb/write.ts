/**
 * Compound File Binary writer (`shared/spec/cfb.md` §5, §9–10).
 *
 * - 4096-byte sectors (major version 4, the default) or 512-byte sectors (major version 3).
 * - Streams under 4096 bytes go to the mini stream; larger ones get contiguous sector runs at the
 *   end of the file, so their bytes can be streamed from a byte source without being held in
 *   memory (`writeCfbTo`).
 * - FAT/DIFAT sized by fixed point, unused entries FREESECT, DIFAT chained past 109 FAT sectors,
 *   the range-lock sector of files past 2 GB reserved.
 * - Directory siblings ordered as MS-CFB §2.6.4 says (shorter names first, then code units after
 *   uppercasing) in a balanced red-black tree.
 * - Deterministic: the same tree and options give the same bytes (timestamps are what the
 *   caller supplies, 0 by default).
 */
import type { ByteSource } from '../byte-source.js';
import { DIFSECT, ENDOFCHAIN, FATSECT, FREESECT, NOSTREAM } from './read.js';

/** A stream's contents: bytes in memory, or a random-access source read in chunks when written. */
export type CfbStreamData = Uint8Array | ByteSource;

/** A storage (folder) or stream (file) to write. */
export type CfbNode =
  | { readonly type: 'storage'; readonly name: string; readonly clsid?: string; readonly children: readonly CfbNode[]; readonly createdFileTime?: bigint; readonly modifiedFileTime?: bigint }
  | { readonly type: 'stream'; readonly name: string; readonly data: CfbStreamData };

/** Options of the writer. */
export interface CfbWriteOptions {
  /** 4096 (default, major version 4) or 512 (major version 3, files up to 2 GB). */
  readonly sectorSize?: 512 | 4096;
  /** Header CLSID (AAF writers put the file kind here, cfb.md §9). Default all zero. */
  readonly headerClsid?: string;
  /** CLSID of the root storage (AAF: the Root class). Default all zero. */
  readonly rootClsid?: string;
}

const ZERO_CLSID = '00000000-0000-0000-0000-000000000000';
const MINI_CUTOFF = 4096;
const MINI = 64;
const RANGE_LOCK_OFFSET = 0x7fffff00;

/** GUID text → 16 bytes in GUID layout (Data1..3 little-endian). @throws RangeError on bad text. */
export function guidToBytes(text: string, out: Uint8Array = new Uint8Array(16), at = 0): Uint8Array {
  const h = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(h)) throw new RangeError(`not a GUID: ${text}`);
  const b = (i: number) => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  for (let i = 0; i < 16; i++) out[at + i] = b(order[i] as number);
  return out;
}

/** MS-CFB §2.6.4 sibling order: shorter names first, then code units compared after uppercasing. */
export function compareEntryNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  for (let i = 0; i < ua.length; i++) {
    const d = ua.charCodeAt(i) - ub.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}

interface FlatEntry {
  name: string;
  type: 1 | 2 | 5;
  clsid: string;
  created: bigint;
  modified: bigint;
  size: number;
  data: CfbStreamData | undefined;
  left: number;
  right: number;
  child: number;
  black: boolean;
  start: number;
}

function sizeOf(d: CfbStreamData): number {
  return d instanceof Uint8Array ? d.byteLength : d.size;
}

/** The planned layout of a file: every sector's role and where each stream lives. */
interface Plan {
  ss: number;
  entries: FlatEntry[];
  fat: Uint32Array;
  fatSectors: number[];
  difatSectors: number[];
  dirStart: number;
  dirSectors: number;
  miniFatStart: number;
  miniFatSectors: number;
  miniFat: Uint32Array;
  miniStreamStart: number;
  miniStreamSize: number;
  totalSectors: number;
  smallStreams: FlatEntry[];
  bigStreams: FlatEntry[];
}

/** Flattens the tree into directory entries with balanced, correctly ordered sibling trees. */
function flatten(root: CfbNode & { type: 'storage' }, rootClsid: string): FlatEntry[] {
  const entries: FlatEntry[] = [];
  const add = (n: CfbNode, isRoot: boolean): number => {
    const units = n.name.length;
    if (!isRoot && (units === 0 || units > 31)) throw new RangeError(`compound file names hold 1 to 31 UTF-16 code units: "${n.name}"`);
    if (/[/\\:!]/.test(n.name) && !isRoot) throw new RangeError(`compound file names may not contain / \\ : ! ("${n.name}")`);
    const e: FlatEntry = {
      name: isRoot ? 'Root Entry' : n.name,
      type: isRoot ? 5 : n.type === 'storage' ? 1 : 2,
      clsid: n.type === 'storage' ? (isRoot ? rootClsid : n.clsid ?? ZERO_CLSID) : ZERO_CLSID,
      created: n.type === 'storage' && !isRoot ? n.createdFileTime ?? 0n : 0n,
      modified: n.type === 'storage' && !isRoot ? n.modifiedFileTime ?? 0n : 0n,
      size: n.type === 'stream' ? sizeOf(n.data) : 0,
      data: n.type === 'stream' ? n.data : undefined,
      left: NOSTREAM,
      right: NOSTREAM,
      child: NOSTREAM,
      black: true,
      start: ENDOFCHAIN,
    };
    const id = entries.length;
    entries.push(e);
    if (n.type === 'storage') {
      // compareEntryNames with each name upper-cased once (storages can hold 10^4 children).
      const keyed = n.children.map((c) => ({ c, u: c.name.toUpperCase() }));
      keyed.sort((a, b) => (a.u.length !== b.u.length ? a.u.length - b.u.length : a.u < b.u ? -1 : a.u > b.u ? 1 : 0));
      const kids = keyed.map((k) => k.c);
      for (let i = 1; i < keyed.length; i++) {
        if ((keyed[i - 1] as { u: string }).u === (keyed[i] as { u: string }).u) {
          throw new RangeError(`two entries named "${(kids[i] as CfbNode).name}" in one storage`);
        }
      }
      const ids = kids.map((k) => add(k, false));
      e.child = balance(ids, 0, ids.length, 0, Math.floor(Math.log2(Math.max(ids.length, 1))), entries);
    }
    return id;
  };
  add(root, true);
  return entries;
}

/**
 * Links `ids[lo..hi)` (sorted) into a balanced BST and returns its root. Nodes on the deepest
 * level are red, all others black: every path from the root to a missing child then crosses the
 * same number of black nodes, and no red node has a red child.
 */
function balance(ids: number[], lo: number, hi: number, depth: number, deepest: number, entries: FlatEntry[]): number {
  if (lo >= hi) return NOSTREAM;
  const mid = (lo + hi) >>> 1;
  const e = entries[ids[mid] as number] as FlatEntry;
  e.left = balance(ids, lo, mid, depth + 1, deepest, entries);
  e.right = balance(ids, mid + 1, hi, depth + 1, deepest, entries);
  e.black = !(depth === deepest && depth > 0);
  return ids[mid] as number;
}

function plan(root: CfbNode & { type: 'storage' }, options: CfbWriteOptions): Plan {
  const ss = options.sectorSize ?? 4096;
  const entries = flatten(root, options.rootClsid ?? ZERO_CLSID);
  const smallStreams = entries.filter((e) => e.type === 2 && e.size < MINI_CUTOFF);
  const bigStreams = entries.filter((e) => e.type === 2 && e.size >= MINI_CUTOFF);
  // Mini stream: 64-byte units in directory order.
  let miniSectors = 0;
  for (const e of smallStreams) {
    if (e.size === 0) {
      e.start = ENDOFCHAIN;
      continue;
    }
    e.start = miniSectors;
    miniSectors += Math.ceil(e.size / MINI);
  }
  const miniStreamSize = miniSectors * MINI;
  const perSector = ss / 4;
  const miniFatSectors = Math.ceil(miniSectors / perSector);
  const miniStreamSectors = Math.ceil(miniStreamSize / ss);
  const dirSectors = Math.ceil((entries.length * 128) / ss);
  const bigSectors = bigStreams.reduce((n, e) => n + Math.ceil(e.size / ss), 0);
  const rangeLock = ss === 4096 ? Math.floor(RANGE_LOCK_OFFSET / ss) - 1 : -1;
  // Fixed point for FAT and DIFAT sector counts (cfb.md §10 step 3).
  let fatCount = 0;
  let difatCount = 0;
  let total = 0;
  for (let i = 0; i < 64; i++) {
    total = fatCount + difatCount + dirSectors + miniFatSectors + miniStreamSectors + bigSectors;
    if (rangeLock >= 0 && total > rangeLock) total++;
    const needFat = Math.ceil(total / perSector);
    const needDifat = needFat > 109 ? Math.ceil((needFat - 109) / (perSector - 1)) : 0;
    if (needFat === fatCount && needDifat === difatCount) break;
    fatCount = needFat;
    difatCount = needDifat;
  }
  if (ss === 512 && (total + 1) * 512 > RANGE_LOCK_OFFSET) {
    throw new RangeError('a compound file with 512-byte sectors must stay under 2 GB; use 4096-byte sectors');
  }
  const fat = new Uint32Array(fatCount * perSector).fill(FREESECT);
  let next = 0;
  const take = (): number => {
    if (next === rangeLock) {
      fat[next] = ENDOFCHAIN; // reserved, never holds data (cfb.md §3)
      next++;
    }
    return next++;
  };
  const chain = (count: number): number => {
    if (count === 0) return ENDOFCHAIN;
    let first = -1;
    let prev = -1;
    for (let i = 0; i < count; i++) {
      const s = take();
      if (first < 0) first = s;
      if (prev >= 0) fat[prev] = s;
      prev = s;
    }
    fat[prev] = ENDOFCHAIN;
    return first;
  };
  const fatSectors: number[] = [];
  for (let i = 0; i < fatCount; i++) {
    const s = take();
    fat[s] = FATSECT;
    fatSectors.push(s);
  }
  const difatSectors: number[] = [];
  for (let i = 0; i < difatCount; i++) {
    const s = take();
    fat[s] = DIFSECT;
    difatSectors.push(s);
  }
  const dirStart = chain(dirSectors);
  const miniFatStart = chain(miniFatSectors);
  const miniStreamStart = chain(miniStreamSectors);
  for (const e of bigStreams) e.start = chain(Math.ceil(e.size / ss));
  const miniFat = new Uint32Array(miniFatSectors * perSector).fill(FREESECT);
  for (const e of smallStreams) {
    if (e.size === 0) continue;
    const n = Math.ceil(e.size / MINI);
    for (let k = 0; k < n; k++) miniFat[e.start + k] = k === n - 1 ? ENDOFCHAIN : e.start + k + 1;
  }
  const root0 = entries[0] as FlatEntry;
  root0.start = miniStreamStart;
  root0.size = miniStreamSize;
  return {
    ss, entries, fat, fatSectors, difatSectors, dirStart, dirSectors, miniFatStart, miniFatSectors, miniFat,
    miniStreamStart, miniStreamSize, totalSectors: next, smallStreams, bigStreams,
  };
}

function header(p: Plan, options: CfbWriteOptions): Uint8Array {
  const h = new Uint8Array(p.ss).fill(0);
  const dv = new DataView(h.buffer);
  h.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  guidToBytes(options.headerClsid ?? ZERO_CLSID, h, 0x08);
  dv.setUint16(0x18, 0x003e, true);
  dv.setUint16(0x1a, p.ss === 4096 ? 4 : 3, true);
  dv.setUint16(0x1c, 0xfffe, true);
  dv.setUint16(0x1e, p.ss === 4096 ? 12 : 9, true);
  dv.setUint16(0x20, 6, true);
  dv.setUint32(0x28, p.ss === 4096 ? p.dirSectors : 0, true);
  dv.setUint32(0x2c, p.fatSectors.length, true);
  dv.setUint32(0x30, p.dirStart, true);
  dv.setUint32(0x34, 0, true);
  dv.setUint32(0x38, MINI_CUTOFF, true);
  dv.setUint32(0x3c, p.miniFatSectors > 0 ? p.miniFatStart : ENDOFCHAIN, true);
  dv.setUint32(0x40, p.miniFatSectors, true);
  dv.setUint32(0x44, p.difatSectors.length > 0 ? (p.difatSectors[0] as number) : ENDOFCHAIN, true);
  dv.setUint32(0x48, p.difatSectors.length, true);
  for (let i = 0; i < 109; i++) dv.setUint32(0x4c + i * 4, i < p.fatSectors.length ? (p.fatSectors[i] as number) : FREESECT, true);
  return h;
}

function u32Sectors(values: Uint32Array, ss: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * 4) / ss) * ss);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) dv.setUint32(i * 4, values[i] as number, true);
  return out;
}

function difatBytes(p: Plan): Uint8Array {
  const per = p.ss / 4 - 1;
  const out = new Uint8Array(p.difatSectors.length * p.ss);
  const dv = new DataView(out.buffer);
  for (let k = 0; k < p.difatSectors.length; k++) {
    for (let i = 0; i < per; i++) {
      const idx = 109 + k * per + i;
      dv.setUint32(k * p.ss + i * 4, idx < p.fatSectors.length ? (p.fatSectors[idx] as number) : FREESECT, true);
    }
    dv.setUint32(k * p.ss + per * 4, k + 1 < p.difatSectors.length ? (p.difatSectors[k + 1] as number) : ENDOFCHAIN, true);
  }
  return out;
}

function directoryBytes(p: Plan): Uint8Array {
  const out = new Uint8Array(p.dirSectors * p.ss);
  const dv = new DataView(out.buffer);
  const slots = (p.dirSectors * p.ss) / 128;
  const clsids = new Map<string, Uint8Array>(); // a file has few distinct classes and many entries
  for (let i = 0; i < slots; i++) {
    const o = i * 128;
    const e = p.entries[i];
    if (!e) {
      dv.setUint32(o + 68, NOSTREAM, true);
      dv.setUint32(o + 72, NOSTREAM, true);
      dv.setUint32(o + 76, NOSTREAM, true);
      continue;
    }
    for (let k = 0; k < e.name.length; k++) dv.setUint16(o + k * 2, e.name.charCodeAt(k), true);
    dv.setUint16(o + 64, (e.name.length + 1) * 2, true);
    out[o + 66] = e.type;
    out[o + 67] = e.black ? 1 : 0;
    dv.setUint32(o + 68, e.left, true);
    dv.setUint32(o + 72, e.right, true);
    dv.setUint32(o + 76, e.child, true);
    if (e.clsid !== ZERO_CLSID) {
      let g = clsids.get(e.clsid);
      if (!g) clsids.set(e.clsid, (g = guidToBytes(e.clsid)));
      out.set(g, o + 80);
    }
    if (e.created !== 0n) dv.setBigUint64(o + 100, e.created, true);
    if (e.modified !== 0n) dv.setBigUint64(o + 108, e.modified, true);
    dv.setUint32(o + 116, e.type === 1 ? 0 : e.start, true);
    // Sizes are safe integers: low and high 32 bits without a BigInt per entry.
    dv.setUint32(o + 120, e.size % 0x100000000, true);
    dv.setUint32(o + 124, Math.floor(e.size / 0x100000000), true);
  }
  return out;
}

/**
 * Where the written bytes go: called in file order; may return a promise (back-pressure). The
 * writer may reuse a chunk's memory once `write` has returned (or its promise resolved): copy
 * what you keep.
 */
export interface CfbSink {
  write(chunk: Uint8Array): void | Promise<void>;
}

/** A step of the writer core: bytes to emit, or a read of a stream's source the core waits for. */
type WriteStep = { readonly out: Uint8Array } | { readonly source: ByteSource; readonly offset: number; readonly length: number };

/**
 * The writer as a generator, so one body serves the streaming (async) and in-memory (sync)
 * drivers: it yields the file's bytes in order, and yields read requests for stream sources,
 * resuming with the bytes read.
 */
function* emitCfb(p: Plan, options: CfbWriteOptions & { chunkBytes?: number }): Generator<WriteStep, void, Uint8Array | undefined> {
  yield { out: header(p, options) };
  // Sectors in index order: FAT, DIFAT, directory, mini FAT, mini stream, big streams; the
  // range-lock sector (when reached) is written as zeros.
  const metaSectors: Uint8Array[] = [
    u32Sectors(p.fat, p.ss),
    difatBytes(p),
    directoryBytes(p),
    u32Sectors(p.miniFat, p.ss),
  ];
  const mini = new Uint8Array(Math.ceil(p.miniStreamSize / p.ss) * p.ss);
  for (const e of p.smallStreams) {
    if (e.size === 0 || !e.data) continue;
    const bytes = e.data instanceof Uint8Array ? e.data : ((yield { source: e.data, offset: 0, length: e.size }) as Uint8Array);
    mini.set(bytes.subarray(0, e.size), e.start * MINI);
  }
  metaSectors.push(mini);
  let sectorIndex = 0;
  const rangeLock = p.ss === 4096 ? Math.floor(RANGE_LOCK_OFFSET / p.ss) - 1 : -1;
  function* putSectors(bytes: Uint8Array): Generator<WriteStep, void, Uint8Array | undefined> {
    const n = bytes.length / p.ss;
    if (rangeLock < sectorIndex || rangeLock >= sectorIndex + n) {
      if (bytes.length > 0) yield { out: bytes };
      sectorIndex += n;
      return;
    }
    // This run crosses the range-lock sector: it stays zero and the run continues after it.
    const k = rangeLock - sectorIndex;
    if (k > 0) yield { out: bytes.subarray(0, k * p.ss) };
    yield { out: new Uint8Array(p.ss) };
    sectorIndex += k + 1;
    yield* putSectors(bytes.subarray(k * p.ss));
  }
  for (const b of metaSectors) yield* putSectors(b);
  const chunk = Math.max(p.ss, Math.floor((options.chunkBytes ?? 4 << 20) / p.ss) * p.ss);
  // One chunk buffer for all large streams: a sink must be done with a chunk when its write
  // returns (or its promise resolves), so memory stays one chunk however large the streams are.
  let shared: Uint8Array | undefined;
  for (const e of p.bigStreams) {
    const data = e.data as CfbStreamData;
    const padded = Math.ceil(e.size / p.ss) * p.ss;
    for (let off = 0; off < padded; off += chunk) {
      const want = Math.min(chunk, padded - off);
      shared ??= new Uint8Array(Math.min(chunk, padded));
      if (shared.length < want) shared = new Uint8Array(want);
      const buf = shared.subarray(0, want);
      const real = Math.max(0, Math.min(want, e.size - off));
      if (real < want) buf.fill(0, Math.max(real, 0)); // the last sector's padding
      if (real > 0) {
        const got = data instanceof Uint8Array ? data.subarray(off, off + real) : ((yield { source: data, offset: off, length: real }) as Uint8Array);
        if (got.length < real) throw new RangeError(`a stream source gave ${got.length} bytes at offset ${off}, ${real} expected (its size is ${e.size})`);
        buf.set(got.subarray(0, real));
      }
      yield* putSectors(buf);
    }
  }
}

/**
 * Writes a compound file to a sink, streaming: metadata first, then the large streams in sector
 * order, each read from its source in chunks of `chunkBytes` (default 4 MiB).
 * @throws RangeError for names the format cannot hold, duplicate names, a 512-byte file past 2 GB,
 *   or a stream source shorter than its stated size.
 */
export async function writeCfbTo(root: CfbNode & { type: 'storage' }, sink: CfbSink, options: CfbWriteOptions & { chunkBytes?: number } = {}): Promise<number> {
  const g = emitCfb(plan(root, options), options);
  let written = 0;
  let input: Uint8Array | undefined;
  for (;;) {
    const step = g.next(input);
    if (step.done) return written;
    input = undefined;
    const s = step.value;
    if ('out' in s) {
      if (s.out.length === 0) continue;
      await sink.write(s.out);
      written += s.out.length;
    } else {
      input = await s.source.read(s.offset, s.length);
    }
  }
}

/**
 * Writes a compound file into memory synchronously. Every stream must be bytes or a source with
 * `readSync`.
 * @throws RangeError as {@link writeCfbTo}, and when a stream source cannot be read synchronously.
 */
export function writeCfbSync(root: CfbNode & { type: 'storage' }, options: CfbWriteOptions = {}): Uint8Array {
  const g = emitCfb(plan(root, options), options);
  const parts: Uint8Array[] = [];
  let total = 0;
  let input: Uint8Array | undefined;
  for (;;) {
    const step = g.next(input);
    if (step.done) break;
    input = undefined;
    const s = step.value;
    if ('out' in s) {
      parts.push(s.out.slice());
      total += s.out.length;
    } else {
      if (!s.source.readSync) throw new RangeError('writeCfbSync: a stream source has no readSync; use writeCfbTo');
      input = s.source.readSync(s.offset, s.length);
    }
  }
  return concat(parts, total);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes a compound file into memory. For large embedded streams prefer {@link writeCfbTo}. */
export async function writeCfb(root: CfbNode & { type: 'storage' }, options: CfbWriteOptions = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const total = await writeCfbTo(root, { write: (c) => void parts.push(c.slice()) }, options);
  return concat(parts, total);
}
