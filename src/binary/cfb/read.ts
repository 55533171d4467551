/**
 * Compound File Binary (MS-CFB, "structured storage") reader over a random-access byte source.
 *
 * The container of every binary AAF. Only the header, the allocation tables and the directory
 * are read up front; stream contents are read on demand, so a multi-gigabyte AAF with embedded
 * audio is never loaded whole. Hardened as `shared/spec/cfb.md` §6–7 describes: every chain is
 * checked for cycles and out-of-range sectors, directory trees are walked iteratively with a
 * visited set, and declared sizes are checked against the file before anything is allocated.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../diagnostics/result.js';
import { toByteSource, type ByteInput, type ByteSource } from '../byte-source.js';

/** Sector number sentinels (MS-CFB §2.1). */
export const MAXREGSECT = 0xfffffffa;
export const DIFSECT = 0xfffffffc;
export const FATSECT = 0xfffffffd;
export const ENDOFCHAIN = 0xfffffffe;
export const FREESECT = 0xffffffff;
/** "No sibling/child" in directory links. */
export const NOSTREAM = 0xffffffff;

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_BYTES = 512;
const DIR_ENTRY_BYTES = 128;
const MINI_SECTOR_BYTES = 64;

/** Limits on what a file may make the reader allocate or walk. */
export interface CfbReadOptions {
  /** Most directory entries read (default 1,000,000). */
  readonly maxEntries?: number;
  /** Deepest storage nesting walked (default 256). */
  readonly maxDepth?: number;
  /** Largest stream `readStream` returns whole, in bytes (default 1 GiB); read big streams in ranges. */
  readonly maxStreamBytes?: number;
}

/** The header fields of a compound file (MS-CFB §2.2). */
export interface CfbHeader {
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly sectorSize: number;
  readonly miniSectorSize: number;
  /** The header CLSID as GUID text; AAF writers put the file kind here (cfb.md §9). */
  readonly clsid: string;
  readonly directorySectorCount: number;
  readonly fatSectorCount: number;
  readonly firstDirectorySector: number;
  readonly transactionSignature: number;
  readonly miniStreamCutoff: number;
  readonly firstMiniFatSector: number;
  readonly miniFatSectorCount: number;
  readonly firstDifatSector: number;
  readonly difatSectorCount: number;
}

/** A directory entry: a storage (folder) or a stream (file). */
export interface CfbEntry {
  /** Directory entry index (stream ID). */
  readonly id: number;
  readonly name: string;
  readonly type: 'root' | 'storage' | 'stream';
  /** The entry's CLSID as GUID text (AAF: the class of the object a storage holds). */
  readonly clsid: string;
  readonly stateBits: number;
  /** FILETIME values (100 ns since 1601-01-01 UTC), 0n when unset. */
  readonly createdFileTime: bigint;
  readonly modifiedFileTime: bigint;
  readonly startSector: number;
  /** Stream size in bytes (the root: the mini stream's size). */
  readonly size: number;
  /** Byte offset of the entry in the file. */
  readonly offset: number;
  /** Parent storage id (-1 for the root). */
  readonly parent: number;
  /** Child ids in directory-tree (in-order) order; empty for streams. */
  readonly children: readonly number[];
  /** Path from the root, `/`-separated, starting with `/` (the root is `/`). */
  readonly path: string;
}

/** An open compound file. Stream contents are read on demand. */
export interface CfbFile {
  readonly header: CfbHeader;
  /** Reachable entries by id (unreachable or unused slots are absent). */
  readonly entries: ReadonlyMap<number, CfbEntry>;
  readonly root: CfbEntry;
  /** Problems found while opening (warnings; errors that were survivable). */
  readonly diagnostics: readonly Diagnostic[];
  /** The children of a storage, in tree order. */
  children(entry: CfbEntry): CfbEntry[];
  /** A child of a storage by name (case-insensitive, cfb.md §5). */
  child(entry: CfbEntry, name: string): CfbEntry | undefined;
  /** An entry by `/`-separated path from the root (case-insensitive). */
  find(path: string): CfbEntry | undefined;
  /**
   * Reads a stream's bytes, or a range of them (clamped to the stream). Resolves to a
   * ParseResult: a chain that loops, leaves the file or is shorter than the declared size gives
   * `ok: false` with the diagnostic. The bytes may be a view into shared memory: do not modify
   * them (copy first).
   */
  readStream(entry: CfbEntry, offsetBytes?: number, lengthBytes?: number): Promise<ParseResult<Uint8Array>>;
  /** The same, synchronously: present when the file was opened from bytes in memory. */
  readStreamSync?(entry: CfbEntry, offsetBytes?: number, lengthBytes?: number): ParseResult<Uint8Array>;
  /** The same as a reader generator, for readers that run synchronously or not (see `ReadGen` in binary/cfb/read.ts). */
  readStreamGen(entry: CfbEntry, offsetBytes?: number, lengthBytes?: number): ReadGen<ParseResult<Uint8Array>>;
}

/** GUID text (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`) of 16 bytes in GUID layout (cfb.md §9). */
export function guidToString(b: Uint8Array, at = 0): string {
  const h = (i: number) => HEX[b[at + i] as number] as string;
  return (
    h(3) + h(2) + h(1) + h(0) + '-' + h(5) + h(4) + '-' + h(7) + h(6) + '-' +
    h(8) + h(9) + '-' + h(10) + h(11) + h(12) + h(13) + h(14) + h(15)
  );
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

function isZero16(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 16; i++) if (b[at + i] !== 0) return false;
  return true;
}

/** A FILETIME field; the common all-zero case without allocating a bigint. */
function fileTime(dv: DataView, at: number): bigint {
  return dv.getUint32(at, true) === 0 && dv.getUint32(at + 4, true) === 0 ? 0n : dv.getBigUint64(at, true);
}

/** True when bytes start with the compound-file signature. */
export function isCfb(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((v, i) => bytes[i] === v);
}

/** Whether bytes start like a KLV-encoded (MXF-style) AAF: `06 0E 2B 34`. */
function isKlv(bytes: Uint8Array): boolean {
  return bytes[0] === 0x06 && bytes[1] === 0x0e && bytes[2] === 0x2b && bytes[3] === 0x34;
}

/**
 * Opens a compound file. Reads the header, DIFAT, FAT, mini FAT and directory; streams are read
 * later with `readStream`. Never throws on bad input: a file that cannot be opened gives `ok:
 * false` with diagnostics at byte offsets. Rejects only on I/O failure of the source.
 */
export function openCfb(input: ByteInput, options: CfbReadOptions = {}): Promise<ParseResult<CfbFile>> {
  if (input instanceof Uint8Array) return Promise.resolve(openCfbSync(input, options));
  const source = toByteSource(input);
  const drive: Driver = (g) => runAsync(g, source);
  return drive(openCfbCore(source.size, options, drive, undefined));
}

/**
 * Opens a compound file held in memory, synchronously. The file's `readStreamSync` is available
 * (streams are views into `bytes` or copies of their sectors).
 */
export function openCfbSync(bytes: Uint8Array, options: CfbReadOptions = {}): ParseResult<CfbFile> {
  const read: SyncRead = (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(bytes.length, offset + length));
  const syncDrive: SyncDriver = (g) => runSync(g, read);
  return syncDrive(openCfbCore(bytes.length, options, (g) => Promise.resolve(syncDrive(g)), syncDrive));
}

/** A read request a reader generator yields; the driver answers with the bytes. */
interface ReadOp {
  readonly offset: number;
  readonly length: number;
}
/** A reader written once and run either synchronously (bytes in memory) or asynchronously. */
export type ReadGen<T> = Generator<ReadOp, T, Uint8Array>;
type SyncRead = (offset: number, length: number) => Uint8Array;
type Driver = <T>(g: ReadGen<T>) => Promise<T>;
type SyncDriver = <T>(g: ReadGen<T>) => T;

function* rd(offset: number, length: number): ReadGen<Uint8Array> {
  return yield { offset, length };
}

function runSync<T>(g: ReadGen<T>, read: SyncRead): T {
  let r = g.next();
  while (!r.done) r = g.next(read(r.value.offset, r.value.length));
  return r.value;
}

async function runAsync<T>(g: ReadGen<T>, source: ByteSource): Promise<T> {
  let r = g.next();
  while (!r.done) r = g.next(await source.read(r.value.offset, r.value.length));
  return r.value;
}

function* openCfbCore(size: number, options: CfbReadOptions, drive: Driver, syncDrive: SyncDriver | undefined): ReadGen<ParseResult<CfbFile>> {
  const source = { size };
  const diags: Diagnostic[] = [];
  const fail = (d: Diagnostic): ParseResult<CfbFile> => ({ ok: false, diagnostics: [d, ...diags] });

  const head = yield* rd(0, HEADER_BYTES);
  if (head.length >= 4 && isKlv(head)) {
    return fail(error('cfb/klv-encoded', 'this is a KLV (MXF-style) encoded AAF, not a compound file; only the structured-storage encoding is supported', { at: { offset: 0 } }));
  }
  if (!isCfb(head)) return fail(error('cfb/bad-signature', 'not a compound file: the signature D0 CF 11 E0 A1 B1 1A E1 is missing', { at: { offset: 0 } }));
  if (head.length < HEADER_BYTES) return fail(error('cfb/truncated', `the file ends inside the 512-byte header (at ${head.length})`, { at: { offset: head.length } }));
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const u16 = (o: number) => hv.getUint16(o, true);
  const u32 = (o: number) => hv.getUint32(o, true);
  if (u16(0x1c) !== 0xfffe) return fail(error('cfb/bad-byte-order', `byte-order mark is 0x${u16(0x1c).toString(16)}, not 0xfffe`, { at: { offset: 0x1c } }));
  const shift = u16(0x1e);
  if (shift !== 9 && shift !== 12) return fail(error('cfb/bad-sector-shift', `sector shift ${shift} (only 9 and 12 exist)`, { at: { offset: 0x1e } }));
  const major = u16(0x1a);
  if (major !== 3 && major !== 4) diags.push(warning('cfb/bad-version', `major version ${major} (expected 3 or 4)`, { at: { offset: 0x1a } }));
  else if ((major === 3) !== (shift === 9)) {
    // pyaaf2 writes major 4 with 512-byte sectors (cfb.md §2); readable, but not MS-CFB.
    diags.push(warning('cfb/version-sector-mismatch', `major version ${major} with ${1 << shift}-byte sectors`, { at: { offset: 0x1a } }));
  }
  const miniShift = u16(0x20);
  if (miniShift !== 6) return fail(error('cfb/bad-mini-sector-shift', `mini sector shift ${miniShift} (must be 6)`, { at: { offset: 0x20 } }));
  const cutoff = u32(0x38);
  if (cutoff !== 4096) diags.push(warning('cfb/bad-cutoff', `mini stream cutoff ${cutoff} (MS-CFB requires 4096); using it as written`, { at: { offset: 0x38 } }));
  const header: CfbHeader = {
    majorVersion: major,
    minorVersion: u16(0x18),
    sectorSize: 1 << shift,
    miniSectorSize: 1 << miniShift,
    clsid: guidToString(head, 0x08),
    directorySectorCount: u32(0x28),
    fatSectorCount: u32(0x2c),
    firstDirectorySector: u32(0x30),
    transactionSignature: u32(0x34),
    miniStreamCutoff: cutoff,
    firstMiniFatSector: u32(0x3c),
    miniFatSectorCount: u32(0x40),
    firstDifatSector: u32(0x44),
    difatSectorCount: u32(0x48),
  };
  const ss = header.sectorSize;
  // Sector n starts at (n + 1) * ss; it is readable when it starts inside the file.
  const sectorCount = Math.max(0, Math.ceil(source.size / ss) - 1);
  const sectorOffset = (n: number) => (n + 1) * ss;
  const readSector = (n: number) => rd(sectorOffset(n), ss);

  // DIFAT: 109 header slots, then chained DIFAT sectors (cfb.md §6 step 2).
  const fatSectors: number[] = [];
  let sawEnd = false;
  const addFatSector = (v: number, at: number): void => {
    if (sawEnd) return;
    if (v >= MAXREGSECT || (v === 0 && fatSectors.length > 0)) {
      sawEnd = true; // unused slot (FREESECT, or the 0 Fairlight writes after the last entry)
      return;
    }
    if (v >= sectorCount) {
      diags.push(warning('cfb/sector-out-of-range', `DIFAT names FAT sector ${v}, past the ${sectorCount} sectors in the file`, { at: { offset: at } }));
      sawEnd = true;
      return;
    }
    fatSectors.push(v);
  };
  for (let i = 0; i < 109; i++) addFatSector(u32(0x4c + i * 4), 0x4c + i * 4);
  {
    const seen = new Set<number>();
    let next = header.firstDifatSector;
    let links = 0;
    while (next < MAXREGSECT && !sawEnd) {
      if (next >= sectorCount) {
        diags.push(warning('cfb/sector-out-of-range', `DIFAT sector ${next} is past the end of the file`, { at: { offset: 0x44 } }));
        break;
      }
      if (seen.has(next) || links >= header.difatSectorCount + 1 || links > sectorCount) {
        diags.push(warning('cfb/difat-cycle', `the DIFAT chain loops or runs past its ${header.difatSectorCount} declared sectors at sector ${next}`, { at: { offset: sectorOffset(next) } }));
        break;
      }
      seen.add(next);
      links++;
      const sec = yield* readSector(next);
      const dv = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
      const per = ss / 4 - 1;
      for (let i = 0; i < per && (i + 1) * 4 <= sec.length; i++) addFatSector(dv.getUint32(i * 4, true), sectorOffset(next) + i * 4);
      next = sec.length >= ss ? dv.getUint32(ss - 4, true) : ENDOFCHAIN;
    }
  }
  if (fatSectors.length === 0) return fail(error('cfb/no-fat', 'the file has no FAT sectors', { at: { offset: 0x4c } }));
  if (fatSectors.length !== header.fatSectorCount) {
    // Premiere and pyaaf2 files can disagree (cfb.md §6 step 3): trust the DIFAT.
    diags.push(warning('cfb/fat-count-mismatch', `the header declares ${header.fatSectorCount} FAT sectors, the DIFAT lists ${fatSectors.length}`, { at: { offset: 0x2c } }));
  }

  // FAT: one entry per sector. Entries past the sectors in the file are never followed.
  const perFat = ss / 4;
  const fat = new Uint32Array(fatSectors.length * perFat).fill(FREESECT);
  for (let k = 0; k < fatSectors.length; k++) {
    const sec = yield* readSector(fatSectors[k] as number);
    const n = Math.floor(sec.length / 4);
    const dv = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
    for (let i = 0; i < n; i++) fat[k * perFat + i] = dv.getUint32(i * 4, true);
  }
  const chainLimit = Math.min(fat.length, sectorCount);
  // Cycle detection without a fresh bitset per chain: a sector is "seen" when its stamp equals
  // the current walk's stamp.
  const fatStamp = new Uint32Array(chainLimit);
  let fatWalk = 0;

  /** Follows a FAT chain; stops with a diagnostic on cycles and out-of-range sectors. */
  const fatChain = (start: number, what: string, at: number, maxSectors = chainLimit): { sectors: number[]; problem?: Diagnostic } => {
    const sectors: number[] = [];
    const stamp = ++fatWalk;
    let s = start;
    while (s !== ENDOFCHAIN) {
      if (s >= chainLimit) {
        const problem = error('cfb/sector-out-of-range', `${what}: sector ${s >= MAXREGSECT ? '0x' + s.toString(16) : s} is not a data sector of this file (${sectorCount} sectors)`, { at: { offset: at } });
        return { sectors, problem };
      }
      if (fatStamp[s] === stamp) return { sectors, problem: error('cfb/chain-cycle', `${what}: the sector chain loops back to sector ${s}`, { at: { offset: sectorOffset(s) } }) };
      if (sectors.length >= maxSectors) break;
      fatStamp[s] = stamp;
      sectors.push(s);
      at = sectorOffset(s);
      s = fat[s] as number;
    }
    return { sectors };
  };

  // Directory.
  const dirChain = fatChain(header.firstDirectorySector, 'directory', 0x30);
  if (dirChain.problem) diags.push(dirChain.problem);
  if (dirChain.sectors.length === 0) return fail(error('cfb/no-directory', 'the directory chain is empty', { at: { offset: 0x30 } }));
  const maxEntries = options.maxEntries ?? 1_000_000;
  const perDirSector = ss / DIR_ENTRY_BYTES;
  if (dirChain.sectors.length * perDirSector > maxEntries) {
    diags.push(warning('cfb/too-many-entries', `the directory holds more than ${maxEntries} entries; reading the first ${maxEntries}`, { at: { offset: 0x30 } }));
  }
  const dirSectorList = dirChain.sectors.slice(0, Math.ceil(maxEntries / perDirSector));
  const dirBytes = new Uint8Array(dirSectorList.length * ss);
  const dirOffsets: number[] = [];
  for (let i = 0; i < dirSectorList.length; i++) {
    const sec = yield* readSector(dirSectorList[i] as number);
    dirBytes.set(sec, i * ss);
    dirOffsets.push(sectorOffset(dirSectorList[i] as number));
  }
  const entryCount = Math.min(maxEntries, dirSectorList.length * perDirSector);
  const dv = new DataView(dirBytes.buffer);
  const raw = (id: number) => {
    const o = id * DIR_ENTRY_BYTES;
    return {
      o,
      fileOffset: (dirOffsets[Math.floor(id / perDirSector)] as number) + (id % perDirSector) * DIR_ENTRY_BYTES,
      type: dirBytes[o + 66] as number,
      left: dv.getUint32(o + 68, true),
      right: dv.getUint32(o + 72, true),
      child: dv.getUint32(o + 76, true),
    };
  };
  const decoder = new TextDecoder('utf-16le');
  const parseEntry = (id: number, parent: number, parentPath: string, children: number[]): CfbEntry => {
    const r = raw(id);
    let nameLen = dv.getUint16(r.o + 64, true);
    if (nameLen > 64 || nameLen % 2 !== 0) {
      diags.push(warning('cfb/bad-name-length', `directory entry ${id} declares a ${nameLen}-byte name`, { at: { offset: r.fileOffset + 64 } }));
      nameLen = Math.min(64, nameLen - (nameLen % 2));
    }
    let name = decoder.decode(dirBytes.subarray(r.o, r.o + Math.max(0, nameLen - 2)));
    const nul = name.indexOf('\0');
    if (nul >= 0) name = name.slice(0, nul);
    const start = dv.getUint32(r.o + 116, true);
    const lo = dv.getUint32(r.o + 120, true);
    const hi = dv.getUint32(r.o + 124, true);
    // v3 readers must ignore the high DWORD of the size (cfb.md §4).
    let size = major === 3 || ss === 512 ? lo : hi * 0x1_0000_0000 + lo;
    if (size > source.size && r.type === 2) {
      diags.push(warning('cfb/stream-size', `stream "${name}" (entry ${id}) declares ${size} bytes, more than the ${source.size}-byte file; reading what its chain holds`, { at: { offset: r.fileOffset + 120 } }));
      size = Math.min(size, source.size);
    }
    const entryPath = id === 0 ? '/' : `${parentPath}/${name}`;
    return {
      id,
      name,
      type: r.type === 5 ? 'root' : r.type === 1 ? 'storage' : 'stream',
      clsid: isZero16(dirBytes, r.o + 80) ? ZERO_GUID : guidToString(dirBytes, r.o + 80),
      stateBits: dv.getUint32(r.o + 96, true),
      createdFileTime: fileTime(dv, r.o + 100),
      modifiedFileTime: fileTime(dv, r.o + 108),
      startSector: start,
      size,
      offset: r.fileOffset,
      parent,
      children,
      path: entryPath,
    };
  };

  if (entryCount === 0 || raw(0).type !== 5) {
    if (entryCount === 0) return fail(error('cfb/no-root', 'the directory has no entries', { at: { offset: 0x30 } }));
    diags.push(warning('cfb/bad-root', `directory entry 0 has type ${raw(0).type}, not 5 (root storage); reading it as the root`, { at: { offset: raw(0).fileOffset + 66 } }));
  }

  // Walk the tree from the root: iterative, each entry at most once (cfb.md §6–7).
  const entries = new Map<number, CfbEntry>();
  const claimed = new Uint8Array(entryCount);
  claimed[0] = 1;
  const maxDepth = options.maxDepth ?? 256;
  const rootChildren: number[] = [];
  const root = parseEntry(0, -1, '/', rootChildren);
  entries.set(0, root);
  const storages: { id: number; children: number[]; path: string; depth: number }[] = [{ id: 0, children: rootChildren, path: '', depth: 0 }];
  while (storages.length > 0) {
    const st = storages.pop() as (typeof storages)[number];
    const top = raw(st.id).child;
    if (top === NOSTREAM) continue;
    if (st.depth >= maxDepth) {
      diags.push(warning('cfb/too-deep', `storages nest deeper than ${maxDepth} at ${st.path || '/'}; not read further`, { at: { offset: raw(st.id).fileOffset } }));
      continue;
    }
    // In-order traversal of the sibling tree with an explicit stack.
    const stack: number[] = [];
    let cur = top;
    let steps = 0;
    const visitLink = (id: number, from: number, field: number): number => {
      if (id === NOSTREAM) return NOSTREAM;
      if (id >= entryCount) {
        diags.push(warning('cfb/bad-entry-id', `directory link to entry ${id}, past the ${entryCount} entries`, { at: { offset: raw(from).fileOffset + field } }));
        return NOSTREAM;
      }
      if (claimed[id]) {
        diags.push(warning('cfb/directory-loop', `directory entry ${id} is linked twice (a loop or a shared subtree)`, { at: { offset: raw(from).fileOffset + field } }));
        return NOSTREAM;
      }
      claimed[id] = 1;
      return id;
    };
    cur = visitLink(cur, st.id, 76);
    while ((cur !== NOSTREAM || stack.length > 0) && steps++ <= entryCount * 2) {
      while (cur !== NOSTREAM) {
        stack.push(cur);
        cur = visitLink(raw(cur).left, cur, 68);
      }
      const id = stack.pop() as number;
      const r = raw(id);
      if (r.type === 1 || r.type === 2) {
        const children: number[] = [];
        const e = parseEntry(id, st.id, st.path, children);
        entries.set(id, e);
        st.children.push(id);
        if (r.type === 1) storages.push({ id, children, path: e.path, depth: st.depth + 1 });
      } else {
        diags.push(warning('cfb/bad-entry-type', `directory entry ${id} in the tree has type ${r.type}; skipped`, { at: { offset: r.fileOffset + 66 } }));
      }
      cur = visitLink(r.right, id, 72);
    }
  }

  // Mini FAT and mini stream (the root's chain).
  let miniFat: Uint32Array | undefined;
  function* loadMiniFat(): ReadGen<Uint32Array> {
    if (miniFat) return miniFat;
    const chain = fatChain(header.firstMiniFatSector, 'mini FAT', 0x3c);
    if (chain.problem) diags.push(chain.problem);
    const table = new Uint32Array(chain.sectors.length * perFat).fill(FREESECT);
    for (let k = 0; k < chain.sectors.length; k++) {
      const sec = yield* readSector(chain.sectors[k] as number);
      const d = new DataView(sec.buffer, sec.byteOffset, sec.byteLength);
      for (let i = 0; i < Math.floor(sec.length / 4); i++) table[k * perFat + i] = d.getUint32(i * 4, true);
    }
    miniFat = table;
    return table;
  }
  let miniStream: Uint8Array | undefined;
  let miniStreamProblem: Diagnostic | undefined;
  function* loadMiniStream(): ReadGen<Uint8Array> {
    if (miniStream) return miniStream;
    const chain = fatChain(root.startSector, 'mini stream', root.offset + 116);
    miniStreamProblem = chain.problem;
    const length = Math.min(root.size, chain.sectors.length * ss);
    const bytes = new Uint8Array(length);
    yield* readRuns(chain.sectors, 0, length, bytes);
    miniStream = bytes;
    return bytes;
  }

  /** Reads `length` bytes starting `offset` bytes into a FAT chain, coalescing contiguous sectors. */
  function* readRuns(sectors: readonly number[], offset: number, length: number, out: Uint8Array): ReadGen<void> {
    let done = 0;
    let idx = Math.floor(offset / ss);
    let within = offset % ss;
    while (done < length && idx < sectors.length) {
      let run = 1;
      while (idx + run < sectors.length && sectors[idx + run] === (sectors[idx] as number) + run && (run * ss - within) < length - done) run++;
      const want = Math.min(run * ss - within, length - done);
      const bytes = yield* rd(sectorOffset(sectors[idx] as number) + within, want);
      out.set(bytes, done);
      done += want;
      if (bytes.length < want) break; // truncated file: the rest stays zero, reported by the caller
      idx += run;
      within = 0;
    }
  }

  const chains = new Map<number, { sectors: number[]; problem?: Diagnostic; mini: boolean }>();
  let miniStamp = new Uint32Array(0);
  let miniWalk = 0;
  function* streamChain(e: CfbEntry): ReadGen<{ sectors: number[]; problem?: Diagnostic; mini: boolean }> {
    const cached = chains.get(e.id);
    if (cached) return cached;
    let result: { sectors: number[]; problem?: Diagnostic; mini: boolean };
    if (e.size < cutoff) {
      const table = yield* loadMiniFat();
      const ms = yield* loadMiniStream();
      const limit = Math.min(table.length, Math.floor(ms.length / MINI_SECTOR_BYTES));
      const sectors: number[] = [];
      if (miniStamp.length < limit) miniStamp = new Uint32Array(limit);
      const stamp = ++miniWalk;
      let s = e.startSector;
      let problem: Diagnostic | undefined;
      const need = Math.ceil(e.size / MINI_SECTOR_BYTES);
      while (s !== ENDOFCHAIN && sectors.length < need) {
        if (s >= limit) {
          problem = error('cfb/sector-out-of-range', `stream ${e.path}: mini sector ${s} is outside the mini stream (${limit} mini sectors)`, { at: { offset: e.offset + 116 }, path: [e.path] });
          break;
        }
        if (miniStamp[s] === stamp) {
          problem = error('cfb/chain-cycle', `stream ${e.path}: the mini sector chain loops back to ${s}`, { at: { offset: e.offset + 116 }, path: [e.path] });
          break;
        }
        miniStamp[s] = stamp;
        sectors.push(s);
        s = table[s] as number;
      }
      result = { sectors, mini: true, ...(problem ? { problem } : miniStreamProblem ? { problem: miniStreamProblem } : {}) };
    } else {
      const c = fatChain(e.startSector, `stream ${e.path}`, e.offset + 116, Math.ceil(e.size / ss));
      result = { sectors: c.sectors, mini: false, ...(c.problem ? { problem: c.problem } : {}) };
    }
    if (!result.mini) chains.set(e.id, result);
    return result;
  }

  const maxStreamBytes = options.maxStreamBytes ?? 1 << 30;
  const childIndex = new Map<number, Map<string, CfbEntry>>();
  const file: CfbFile = {
    header,
    entries,
    root,
    diagnostics: diags,
    children: (entry) => entry.children.map((id) => entries.get(id)).filter((e): e is CfbEntry => e !== undefined),
    child(entry, name) {
      // Case-insensitive. Small storages (most AAF objects: a properties stream and a few
      // children) are scanned; large ones (collections of thousands) get an index on first use.
      if (entry.children.length <= 12) {
        for (const id of entry.children) {
          const e = entries.get(id);
          if (e && e.name.length === name.length && (e.name === name || e.name.toUpperCase() === name.toUpperCase())) return e;
        }
        return undefined;
      }
      let index = childIndex.get(entry.id);
      if (!index) {
        index = new Map();
        for (const id of entry.children) {
          const e = entries.get(id);
          if (e && !index.has(e.name.toUpperCase())) index.set(e.name.toUpperCase(), e);
        }
        childIndex.set(entry.id, index);
      }
      return index.get(name.toUpperCase());
    },
    find(path) {
      let cur: CfbEntry | undefined = root;
      for (const part of path.split('/')) {
        if (!part) continue;
        if (!cur) return undefined;
        cur = file.child(cur, part);
      }
      return cur;
    },
    readStream: (entry, offsetBytes, lengthBytes) => drive(readStreamGen(entry, offsetBytes, lengthBytes)),
    ...(syncDrive ? { readStreamSync: (entry: CfbEntry, offsetBytes?: number, lengthBytes?: number) => syncDrive(readStreamGen(entry, offsetBytes, lengthBytes)) } : {}),
    readStreamGen,
  };
  function* readStreamGen(entry: CfbEntry, offsetBytes = 0, lengthBytes?: number): ReadGen<ParseResult<Uint8Array>> {
    {
      const length = Math.max(0, Math.min(lengthBytes ?? entry.size - offsetBytes, entry.size - offsetBytes));
      if (length > maxStreamBytes) {
        return { ok: false, diagnostics: [error('cfb/stream-too-large', `stream ${entry.path} is ${length} bytes, over the ${maxStreamBytes}-byte limit; read it in ranges`, { at: { offset: entry.offset + 120 }, path: [entry.path] })] };
      }
      const chain = yield* streamChain(entry);
      if (chain.mini && !chain.problem && length > 0) {
        // Contiguous mini sectors (the usual layout): a view into the mini stream, no copy.
        const first = Math.floor(offsetBytes / MINI_SECTOR_BYTES);
        const last = Math.floor((offsetBytes + length - 1) / MINI_SECTOR_BYTES);
        let contiguous = last < chain.sectors.length;
        for (let k = first + 1; contiguous && k <= last; k++) contiguous = chain.sectors[k] === (chain.sectors[k - 1] as number) + 1;
        if (contiguous) {
          const ms = yield* loadMiniStream();
          const from = (chain.sectors[first] as number) * MINI_SECTOR_BYTES + (offsetBytes % MINI_SECTOR_BYTES);
          if (from + length <= ms.length) return { ok: true, value: ms.subarray(from, from + length), diagnostics: [] };
        }
      }
      const out = new Uint8Array(length);
      const unit = chain.mini ? MINI_SECTOR_BYTES : ss;
      const available = chain.sectors.length * unit;
      if (chain.mini) {
        const ms = yield* loadMiniStream();
        let done = 0;
        let idx = Math.floor(offsetBytes / unit);
        let within = offsetBytes % unit;
        while (done < length && idx < chain.sectors.length) {
          const from = (chain.sectors[idx] as number) * unit + within;
          const n = Math.min(unit - within, length - done);
          out.set(ms.subarray(from, from + n), done);
          done += n;
          idx++;
          within = 0;
        }
      } else {
        yield* readRuns(chain.sectors, offsetBytes, length, out);
      }
      const short = offsetBytes + length > available;
      if (chain.problem || short) {
        const d = chain.problem ?? error('cfb/short-chain', `stream ${entry.path} declares ${entry.size} bytes but its chain holds ${available}`, { at: { offset: entry.offset + 120 }, path: [entry.path] });
        return { ok: false, diagnostics: [d] };
      }
      return { ok: true, value: out, diagnostics: [] };
    }
  }
  return { ok: true, value: file, diagnostics: diags };
}
