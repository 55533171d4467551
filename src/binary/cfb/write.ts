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
 * - Large trees: a storage may list its children lazily ({@link CfbLazyStorage}); directory entries
 *   go straight into their 128-byte records and small streams into the mini stream as the tree is
 *   walked (1 MiB chunks), so no node or entry object outlives its listing.
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

/**
 * A storage whose children are listed only when the writer reaches it: a large tree (an AAF file
 * has one storage per object) is then never held whole, and each child's bytes are copied into the
 * file's layout as soon as they are listed.
 */
export interface CfbLazyStorage {
  readonly type: 'storage';
  readonly name: string;
  readonly clsid?: string;
  readonly children: () => readonly CfbTreeNode[];
  readonly createdFileTime?: bigint;
  readonly modifiedFileTime?: bigint;
}

/** A node the writer accepts: a {@link CfbNode} or a {@link CfbLazyStorage}. */
export type CfbTreeNode = CfbNode | CfbLazyStorage;

/** The root storage of a file to write. */
export type CfbRoot = (CfbNode & { readonly type: 'storage' }) | CfbLazyStorage;

function sizeOf(d: CfbStreamData): number {
  return d instanceof Uint8Array ? d.byteLength : d.size;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Bytes kept in 1 MiB chunks (a whole number of 512- and 4096-byte sectors): grown without copying. */
const CHUNK = 1 << 20;

class Chunked {
  readonly chunks: Uint8Array[] = [];
  /** The chunk holding `offset`, allocated (zeroed) on first use. */
  chunk(offset: number): Uint8Array {
    const k = Math.floor(offset / CHUNK);
    while (this.chunks.length <= k) this.chunks.push(new Uint8Array(CHUNK));
    return this.chunks[k] as Uint8Array;
  }
  set(bytes: Uint8Array, offset: number): void {
    let done = 0;
    while (done < bytes.length) {
      const at = offset + done;
      const c = this.chunk(at);
      const o = at % CHUNK;
      const n = Math.min(bytes.length - done, CHUNK - o);
      c.set(n === bytes.length ? bytes : bytes.subarray(done, done + n), o);
      done += n;
    }
  }
  /** The first `length` bytes as sector runs (`length` a whole number of sectors). */
  *runs(length: number): Generator<Uint8Array> {
    for (let at = 0; at < length; at += CHUNK) yield this.chunk(at).subarray(0, Math.min(CHUNK, length - at));
  }
}

/**
 * The directory and mini stream, built while the tree is walked: directory entries are written
 * straight into their 128-byte records (no object per entry), small streams straight into the
 * mini stream at their 64-byte units, in directory order (MS-CFB §2.6).
 */
class Layout {
  count = 0;
  readonly dir = new Chunked();
  private dirViews: DataView[] = [];
  readonly mini = new Chunked();
  miniUnits = 0;
  miniFat = new Uint32Array(1024);
  /** Small streams whose bytes come from a byte source, read when the file is emitted. */
  readonly deferred: { at: number; source: ByteSource; size: number }[] = [];
  /** Streams of MINI_CUTOFF bytes or more, in directory order. */
  readonly big: { id: number; data: CfbStreamData; size: number }[] = [];
  private readonly clsids = new Map<string, Uint8Array>();

  constructor(rootClsid: string) {
    this.entry('Root Entry', 5, rootClsid, 0n, 0n);
  }

  /** The DataView of the chunk holding entry `id`; its record starts at `(id * 128) % CHUNK`. */
  private view(id: number): DataView {
    const k = Math.floor((id * 128) / CHUNK);
    let v = this.dirViews[k];
    if (!v) {
      const c = this.dir.chunk(id * 128);
      v = this.dirViews[k] = new DataView(c.buffer, c.byteOffset, c.byteLength);
    }
    return v;
  }

  /** A new directory entry (links NOSTREAM, black); returns its id. */
  entry(name: string, type: 1 | 2 | 5, clsid: string | undefined, created: bigint, modified: bigint): number {
    const id = this.count++;
    const d = this.dir.chunk(id * 128);
    const o = (id * 128) % CHUNK;
    for (let k = 0; k < name.length; k++) {
      const c = name.charCodeAt(k);
      d[o + k * 2] = c & 0xff;
      d[o + k * 2 + 1] = c >>> 8;
    }
    const nameBytes = (name.length + 1) * 2;
    d[o + 64] = nameBytes & 0xff;
    d[o + 65] = nameBytes >>> 8;
    d[o + 66] = type;
    d[o + 67] = 1;
    d.fill(0xff, o + 68, o + 80);
    if (clsid !== undefined && clsid !== ZERO_CLSID) {
      let g = this.clsids.get(clsid);
      if (!g) this.clsids.set(clsid, (g = guidToBytes(clsid)));
      d.set(g, o + 80);
    }
    if (created !== 0n) this.view(id).setBigUint64(o + 100, created, true);
    if (modified !== 0n) this.view(id).setBigUint64(o + 108, modified, true);
    return id;
  }

  setStart(id: number, start: number): void {
    this.view(id).setUint32(((id * 128) % CHUNK) + 116, start, true);
  }

  setSize(id: number, size: number): void {
    // Sizes are safe integers: low and high 32 bits without a BigInt per entry.
    const v = this.view(id);
    const o = (id * 128) % CHUNK;
    v.setUint32(o + 120, size % 0x100000000, true);
    v.setUint32(o + 124, Math.floor(size / 0x100000000), true);
  }

  link(id: number, left: number, right: number, black: boolean): void {
    const v = this.view(id);
    const o = (id * 128) % CHUNK;
    v.setUint32(o + 68, left, true);
    v.setUint32(o + 72, right, true);
    v.setUint8(o + 67, black ? 1 : 0);
  }

  setChild(id: number, child: number): void {
    this.view(id).setUint32(((id * 128) % CHUNK) + 76, child, true);
  }

  /** A stream entry: small streams get their mini-stream units now (directory order), large ones a chain later. */
  stream(name: string, data: CfbStreamData): number {
    const size = sizeOf(data);
    const id = this.entry(name, 2, undefined, 0n, 0n);
    this.setSize(id, size);
    if (size >= MINI_CUTOFF) {
      this.big.push({ id, data, size });
      return id;
    }
    if (size === 0) {
      this.setStart(id, ENDOFCHAIN);
      return id;
    }
    const first = this.miniUnits;
    const n = Math.ceil(size / MINI);
    this.miniUnits += n;
    if (this.miniUnits > this.miniFat.length) {
      let len = this.miniFat.length * 2;
      while (len < this.miniUnits) len *= 2;
      const bigger = new Uint32Array(len);
      bigger.set(this.miniFat);
      this.miniFat = bigger;
    }
    for (let k = first; k < first + n - 1; k++) this.miniFat[k] = k + 1;
    this.miniFat[first + n - 1] = ENDOFCHAIN;
    if (data instanceof Uint8Array) this.mini.set(data, first * MINI);
    else this.deferred.push({ at: first * MINI, source: data, size });
    this.setStart(id, first);
    return id;
  }
}

/** Walks the tree in MS-CFB directory order, writing each entry and its balanced sibling tree. */
function flatten(root: CfbRoot, rootClsid: string): Layout {
  const layout = new Layout(rootClsid);
  const add = (n: CfbTreeNode): number => {
    const units = n.name.length;
    if (units === 0 || units > 31) throw new RangeError(`compound file names hold 1 to 31 UTF-16 code units: "${n.name}"`);
    if (/[/\\:!]/.test(n.name)) throw new RangeError(`compound file names may not contain / \\ : ! ("${n.name}")`);
    if (n.type === 'stream') return layout.stream(n.name, n.data);
    const id = layout.entry(n.name, 1, n.clsid, n.createdFileTime ?? 0n, n.modifiedFileTime ?? 0n);
    children(id, typeof n.children === 'function' ? n.children() : n.children);
    return id;
  };
  const children = (parent: number, list: readonly CfbTreeNode[]): void => {
    if (list.length === 0) return;
    let kids = list;
    if (list.length > 1) {
      // compareEntryNames with each name upper-cased once (storages can hold 10^4 children).
      const keyed = list.map((c) => ({ c, u: c.name.toUpperCase() }));
      keyed.sort((a, b) => (a.u.length !== b.u.length ? a.u.length - b.u.length : a.u < b.u ? -1 : a.u > b.u ? 1 : 0));
      for (let i = 1; i < keyed.length; i++) {
        if ((keyed[i - 1] as { u: string }).u === (keyed[i] as { u: string }).u) {
          throw new RangeError(`two entries named "${(keyed[i] as { c: CfbTreeNode }).c.name}" in one storage`);
        }
      }
      kids = keyed.map((k) => k.c);
    }
    const ids = new Array<number>(kids.length);
    for (let i = 0; i < kids.length; i++) ids[i] = add(kids[i] as CfbTreeNode);
    layout.setChild(parent, balance(ids, 0, ids.length, 0, Math.floor(Math.log2(ids.length)), layout));
  };
  children(0, typeof root.children === 'function' ? root.children() : root.children);
  return layout;
}

/**
 * Links `ids[lo..hi)` (sorted) into a balanced BST and returns its root. Nodes on the deepest
 * level are red, all others black: every path from the root to a missing child then crosses the
 * same number of black nodes, and no red node has a red child.
 */
function balance(ids: number[], lo: number, hi: number, depth: number, deepest: number, layout: Layout): number {
  if (lo >= hi) return NOSTREAM;
  const mid = (lo + hi) >>> 1;
  const left = balance(ids, lo, mid, depth + 1, deepest, layout);
  const right = balance(ids, mid + 1, hi, depth + 1, deepest, layout);
  layout.link(ids[mid] as number, left, right, !(depth === deepest && depth > 0));
  return ids[mid] as number;
}

/** The planned layout of a file: every sector's role and where each stream lives. */
interface Plan {
  ss: number;
  layout: Layout;
  fat: Uint32Array;
  fatSectors: number[];
  difatSectors: number[];
  dirStart: number;
  dirSectors: number;
  miniFatStart: number;
  miniFatSectors: number;
  miniStreamStart: number;
  miniStreamSize: number;
  totalSectors: number;
}

function plan(root: CfbRoot, options: CfbWriteOptions): Plan {
  const ss = options.sectorSize ?? 4096;
  const layout = flatten(root, options.rootClsid ?? ZERO_CLSID);
  // Mini stream: 64-byte units in directory order (assigned while walking).
  const miniSectors = layout.miniUnits;
  const miniStreamSize = miniSectors * MINI;
  const perSector = ss / 4;
  const miniFatSectors = Math.ceil(miniSectors / perSector);
  const miniStreamSectors = Math.ceil(miniStreamSize / ss);
  const dirSectors = Math.ceil((layout.count * 128) / ss);
  const bigSectors = layout.big.reduce((n, e) => n + Math.ceil(e.size / ss), 0);
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
  for (const e of layout.big) layout.setStart(e.id, chain(Math.ceil(e.size / ss)));
  layout.setStart(0, miniStreamStart);
  layout.setSize(0, miniStreamSize);
  return {
    ss, layout, fat, fatSectors, difatSectors, dirStart, dirSectors, miniFatStart, miniFatSectors,
    miniStreamStart, miniStreamSize, totalSectors: next,
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

function u32Sectors(values: Uint32Array, count: number, ss: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((count * 4) / ss) * ss);
  if (LITTLE_ENDIAN_HOST) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, count * 4));
    out.fill(0xff, count * 4); // FREESECT
    return out;
  }
  const dv = new DataView(out.buffer);
  for (let i = 0; i < out.length / 4; i++) dv.setUint32(i * 4, i < count ? (values[i] as number) : FREESECT, true);
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

/** The directory sectors as runs: the entries, then empty entries (no links) to the sector end. */
function* directoryRuns(p: Plan): Generator<Uint8Array> {
  const { layout } = p;
  const length = p.dirSectors * p.ss;
  // Unused slots of the last sector: empty entries with no links.
  for (let o = layout.count * 128; o < length; o += 128) layout.dir.chunk(o).fill(0xff, (o % CHUNK) + 68, (o % CHUNK) + 80);
  yield* layout.dir.runs(length);
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
  const { layout } = p;
  const miniLength = Math.ceil(p.miniStreamSize / p.ss) * p.ss;
  for (const d of layout.deferred) {
    const bytes = (yield { source: d.source, offset: 0, length: d.size }) as Uint8Array;
    layout.mini.set(bytes.subarray(0, d.size), d.at);
  }
  const metaSectors: Iterable<Uint8Array>[] = [
    [u32Sectors(p.fat, p.fat.length, p.ss)],
    [difatBytes(p)],
    directoryRuns(p),
    [u32Sectors(layout.miniFat, layout.miniUnits, p.ss)],
    layout.mini.runs(miniLength),
  ];
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
  for (const runs of metaSectors) for (const b of runs) yield* putSectors(b);
  const chunk = Math.max(p.ss, Math.floor((options.chunkBytes ?? 4 << 20) / p.ss) * p.ss);
  // One chunk buffer for all large streams: a sink must be done with a chunk when its write
  // returns (or its promise resolves), so memory stays one chunk however large the streams are.
  let shared: Uint8Array | undefined;
  for (const e of layout.big) {
    const data = e.data;
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
export async function writeCfbTo(root: CfbRoot, sink: CfbSink, options: CfbWriteOptions & { chunkBytes?: number } = {}): Promise<number> {
  return drive(plan(root, options), options, sink);
}

async function drive(p: Plan, options: CfbWriteOptions & { chunkBytes?: number }, sink: CfbSink): Promise<number> {
  const g = emitCfb(p, options);
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

/** A sink into one buffer of the planned file size (header and every sector), copied into once. */
class MemorySink implements CfbSink {
  out: Uint8Array;
  at = 0;
  constructor(p: Plan) {
    this.out = new Uint8Array((p.totalSectors + 1) * p.ss);
  }
  write(chunk: Uint8Array): void {
    if (this.at + chunk.length > this.out.length) {
      const bigger = new Uint8Array(Math.max(this.at + chunk.length, this.out.length * 2));
      bigger.set(this.out.subarray(0, this.at));
      this.out = bigger;
    }
    this.out.set(chunk, this.at);
    this.at += chunk.length;
  }
  bytes(): Uint8Array {
    return this.at === this.out.length ? this.out : this.out.slice(0, this.at);
  }
}

/**
 * Writes a compound file into memory synchronously. Every stream must be bytes or a source with
 * `readSync`.
 * @throws RangeError as {@link writeCfbTo}, and when a stream source cannot be read synchronously.
 */
export function writeCfbSync(root: CfbRoot, options: CfbWriteOptions = {}): Uint8Array {
  const p = plan(root, options);
  const g = emitCfb(p, options);
  const sink = new MemorySink(p);
  let input: Uint8Array | undefined;
  for (;;) {
    const step = g.next(input);
    if (step.done) break;
    input = undefined;
    const s = step.value;
    if ('out' in s) sink.write(s.out);
    else {
      if (!s.source.readSync) throw new RangeError('writeCfbSync: a stream source has no readSync; use writeCfbTo');
      input = s.source.readSync(s.offset, s.length);
    }
  }
  return sink.bytes();
}

/** Writes a compound file into memory. For large embedded streams prefer {@link writeCfbTo}. */
export async function writeCfb(root: CfbRoot, options: CfbWriteOptions = {}): Promise<Uint8Array> {
  const p = plan(root, options);
  const sink = new MemorySink(p);
  await drive(p, options, sink);
  return sink.bytes();
}
