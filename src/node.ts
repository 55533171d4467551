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

// ---------------------------------------------------------------------------------------------
// Random-access file source and BWF writing (issue 5). Kept in one block so other Node helpers
// can be added around it.
// ---------------------------------------------------------------------------------------------
import { open as fsOpen, rename as fsRename, unlink as fsUnlink, type FileHandle } from 'node:fs/promises';
import { closeSync as fsCloseSync, constants as fsConstants, fstatSync as fsFstatSync, openSync as fsOpenSync, readdirSync as fsReaddirSync, readSync as fsReadSync, unlinkSync as fsUnlinkSync } from 'node:fs';
import { basename as pathBasename, dirname as pathDirname, join as pathJoin } from 'node:path';
import type { ByteSource } from './binary/byte-source.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { error as errorDiagnostic } from './diagnostics/diagnostic.js';
import { readBwf } from './formats/bwf/read.js';
import { planBwfEdit, streamPlan, type BwfChanges, type EditPlan, type PlanOptions } from './formats/bwf/write.js';

/** A {@link ByteSource} over an open Node file handle; `close()` releases it. */
export interface FileByteSource extends ByteSource {
  readonly path: string;
  /** A positioned read (`pread`) without a promise: the source can be given to `readBwfSync`. */
  readSync(offsetBytes: number, lengthBytes: number): Uint8Array;
  /**
   * Reads up to `lengthBytes` from `offsetBytes` into `target` at `targetOffset` (a positioned read,
   * no allocation) and returns how many bytes it read: fewer at the end of the file, 0 past it.
   * Sample streams use it to read every block into one buffer.
   */
  readInto(offsetBytes: number, target: Uint8Array, targetOffset: number, lengthBytes: number): number;
  close(): Promise<void>;
}

/**
 * Opens a file for random-access reads: only the bytes asked for are read, so the metadata of a
 * 4 GiB recording costs a few kilobytes. Reads are positioned reads on a file descriptor
 * (`pread`), offered both as `readSync` and as `read`: for the few small reads a metadata reader
 * makes, a direct read costs less than a trip through libuv's thread pool. Call `close()`.
 */
export async function openFileSource(path: string): Promise<FileByteSource> {
  return openFileSourceSync(path);
}

// Small reads are carved out of a shared slab, as Node's Buffer pool does for small buffers: a
// metadata read of a few kilobytes then costs no allocation of its own (a new backing store per read
// was a large part of reading 1,000 small files). The bytes returned are never handed out twice; a
// view keeps its slab alive, which bounds what a kept payload retains to one slab.
const SLAB_BYTES = 256 * 1024;
const SLAB_MAX_READ = 16 * 1024;
let slab: Buffer | undefined;
let slabUsed = 0;

/** One settled promise for every `close()` after the synchronous close (no allocation per file). */
const CLOSED: Promise<void> = Promise.resolve();

/**
 * The file source: one object with its methods on the prototype (no closures per file opened),
 * positioned reads with `pread` into the slab.
 */
class FdSource implements FileByteSource {
  private fd: number;
  constructor(
    readonly path: string,
    fd: number,
    readonly size: number,
  ) {
    this.fd = fd;
  }

  readSync(offsetBytes: number, lengthBytes: number): Uint8Array {
    if (this.fd < 0) throw new Error(`${this.path}: read after close`);
    const size = this.size;
    const start = Math.min(Math.max(0, offsetBytes), size);
    const n = Math.max(0, Math.min(lengthBytes, size - start));
    if (n === 0) return new Uint8Array(0);
    if (n > SLAB_MAX_READ) {
      // Not zero-filled: every byte returned is overwritten by the read.
      const own = Buffer.allocUnsafeSlow(n);
      const got = fsReadSync(this.fd, own, 0, n, start);
      return new Uint8Array(own.buffer, own.byteOffset, got);
    }
    if (!slab || slabUsed + n > SLAB_BYTES) {
      // Not zero-filled (a zeroed slab costs a memset per 256 KiB): bytes are handed out only after a read filled them.
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabUsed = 0;
    }
    const at = slabUsed;
    const got = fsReadSync(this.fd, slab, at, n, start);
    // Handed out: the next read starts after these bytes (8-byte aligned, like Node's pool).
    slabUsed = (at + got + 7) & ~7;
    return new Uint8Array(slab.buffer, slab.byteOffset + at, got);
  }

  readInto(offsetBytes: number, target: Uint8Array, targetOffset: number, lengthBytes: number): number {
    if (this.fd < 0) throw new Error(`${this.path}: read after close`);
    if (!Number.isSafeInteger(targetOffset) || targetOffset < 0 || targetOffset > target.length) {
      throw new RangeError(`readInto: target offset ${targetOffset} outside a ${target.length}-byte target`);
    }
    const start = Math.min(Math.max(0, offsetBytes), this.size);
    const n = Math.max(0, Math.min(lengthBytes, this.size - start, target.length - targetOffset));
    return n === 0 ? 0 : fsReadSync(this.fd, target, targetOffset, n, start);
  }

  read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
    try {
      return Promise.resolve(this.readSync(offsetBytes, lengthBytes));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Closes the descriptor (synchronously; the promise is already settled). Closing twice is allowed. */
  close(): Promise<void> {
    if (this.fd >= 0) {
      const fd = this.fd;
      this.fd = -1;
      try {
        fsCloseSync(fd);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return CLOSED;
  }
}

/** {@link openFileSource} without the promise (for synchronous batch tools). */
export function openFileSourceSync(path: string): FileByteSource {
  // The numeric flag (what 'r' stands for) skips the flag-string parse on every open.
  const fd = fsOpenSync(path, fsConstants.O_RDONLY);
  let size: number;
  try {
    size = fsFstatSync(fd).size;
  } catch (e) {
    fsCloseSync(fd);
    throw e;
  }
  return new FdSource(path, fd, size);
}

/**
 * A {@link ByteSource} over an already open `fs.promises` `FileHandle` (asynchronous positioned
 * reads through libuv). The caller keeps ownership: closing the handle is theirs.
 */
export async function fileHandleSource(handle: FileHandle): Promise<ByteSource> {
  const size = (await handle.stat()).size;
  return {
    size,
    async read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
      const start = Math.min(Math.max(0, offsetBytes), size);
      const n = Math.max(0, Math.min(lengthBytes, size - start));
      if (n === 0) return new Uint8Array(0);
      const buf = new Uint8Array(n);
      const { bytesRead } = await handle.read(buf, 0, n, start);
      return bytesRead === n ? buf : buf.subarray(0, bytesRead);
    },
  };
}

/** What {@link writeBwfFile} did. */
export interface WriteBwfFileResult {
  /** `in-place`: patched the file; `rewrite`: wrote a new file and renamed it over the target; `unchanged`: nothing to do. */
  readonly mode: 'in-place' | 'rewrite' | 'unchanged' | 'failed';
  /** The file written. */
  readonly path: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Options of {@link writeBwfFile}. */
export interface WriteBwfFileOptions extends PlanOptions {
  /** Write the changed file here instead of changing `path` (the source is never touched). */
  readonly out?: string;
}

/**
 * Changes a BWF's metadata on disk. When the changed chunks fit (same size, or JUNK/PAD/FLLR
 * space next to them), the file is patched in place with one positioned write per changed region;
 * otherwise the new file is streamed to a temporary file beside the target and renamed over it
 * only when complete and flushed, so an interrupted write never leaves a broken file. Files past
 * 4 GiB become RF64. Errors in the requested values leave the file untouched.
 */
export async function writeBwfFile(path: string, changes: BwfChanges, options: WriteBwfFileOptions = {}): Promise<WriteBwfFileResult> {
  const target = options.out ?? path;
  const source = await openFileSource(path);
  let plan: EditPlan;
  const diagnostics: Diagnostic[] = [];
  try {
    const read = await readBwf(source, { source: path });
    diagnostics.push(...read.diagnostics);
    if (!read.ok) return { mode: 'failed', path: target, diagnostics };
    const planned = planBwfEdit(read.value, changes, options);
    diagnostics.push(...planned.diagnostics);
    if (planned.diagnostics.some((d) => d.severity === 'error')) return { mode: 'failed', path: target, diagnostics };
    plan = planned.value;
    if (plan.unchanged && options.out === undefined) return { mode: 'unchanged', path: target, diagnostics };
    if (plan.patches && options.out === undefined) {
      // Patches close together (the metadata region) go out as one positioned write.
      let writes = plan.patches;
      const first = writes[0];
      const last = writes[writes.length - 1];
      if (first && last && last.offset + last.bytes.byteLength - first.offset <= 1024 * 1024) {
        const span = new Uint8Array(await source.read(first.offset, last.offset + last.bytes.byteLength - first.offset));
        for (const p of writes) span.set(p.bytes, p.offset - first.offset);
        writes = [{ offset: first.offset, bytes: span }];
      }
      await source.close();
      const fh = await fsOpen(path, 'r+');
      try {
        for (const p of writes) await fh.write(p.bytes, 0, p.bytes.byteLength, p.offset);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return { mode: 'in-place', path: target, diagnostics };
    }
    removeStaleTemporaries(target);
    try {
      // Streamed through writeFileAtomic: a temporary file beside the target, flushed, then renamed.
      await writeFileAtomic(target, streamPlan(source, plan));
    } catch (e) {
      // WriteFileError says which file, why (ENOSPC, EACCES…) and that nothing was left behind.
      diagnostics.push(errorDiagnostic('bwf/write-failed', e instanceof Error ? e.message : String(e)));
      return { mode: 'failed', path: target, diagnostics };
    }
    return { mode: 'rewrite', path: target, diagnostics };
  } finally {
    await source.close().catch(() => undefined);
  }
}

/**
 * Removes temporary files a killed writer left beside `target` (`.<name>.dubstage-<pid>-….tmp`)
 * when process `<pid>` no longer runs. A temporary file of a running process (a write under way)
 * is left alone. Best effort: failures are ignored.
 */
function removeStaleTemporaries(target: string): void {
  const dir = pathDirname(target);
  const prefix = `.${pathBasename(target)}.dubstage-`;
  let names: string[];
  try {
    names = fsReaddirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processRuns(pid)) continue;
    try {
      fsUnlinkSync(pathJoin(dir, name));
    } catch {
      // Someone else removed it, or the folder is read-only: nothing to do.
    }
  }
}

/** True when a process with this id exists (signal 0 checks without sending anything). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------------------------
// Timeline files through the format registry (issue 3).
// ---------------------------------------------------------------------------------------------
import type { ParseResult as TimelineParseResult } from './diagnostics/result.js';
import type { Timeline as ModelTimeline } from './model/types.js';
import { readTimeline, writeTimeline, type ReadTimelineOptions } from './formats/registry.js';
import type { WriteOptions as FormatWriteOptions } from './formats/types.js';

/**
 * Reads a timeline file in any registered format (picked by `options.format`, else by content,
 * else by the file's extension). File-system errors are thrown as Node raises them; bad content
 * is reported in the result's diagnostics.
 */
export async function readTimelineFile(path: string, options: ReadTimelineOptions = {}): Promise<TimelineParseResult<ModelTimeline>> {
  const bytes = await readBytes(path);
  return readTimeline(bytes, { fileName: path, source: path, ...options });
}

/**
 * Writes a timeline to `path` in the format with id `format`. Resolves to the writer's
 * diagnostics (what the format could not hold); writes nothing when the format is unknown or
 * has no writer (then the diagnostics hold the error). The file appears complete or not at all
 * ({@link writeFileAtomic}); a file-system failure throws a {@link WriteFileError}.
 */
export async function writeTimelineFile(path: string, timeline: ModelTimeline, format: string, options: FormatWriteOptions = {}): Promise<readonly Diagnostic[]> {
  const r = writeTimeline(timeline, format, options);
  if (r.value === undefined) return r.diagnostics;
  // Through a temporary file renamed when complete: a failed write leaves no partial file (issue 13).
  await writeFileAtomic(path, r.value);
  return r.diagnostics;
}

// ---------------------------------------------------------------------------------------------
// Safe output files (issue 13): every file dubstage creates is written to a temporary file beside
// the target and renamed over it only when complete and flushed, so an interrupted or failed
// write never leaves a partial file at the destination (and never damages a file already there).
// ---------------------------------------------------------------------------------------------
import type { AafObjectTree, AafObjectWriteOptions } from './formats/aaf/write-objects.js';
import { writeObjectsTo } from './formats/aaf/write-objects.js';

/**
 * What a {@link writeFileAtomic} call may write: whole data, chunks produced as they come, or a
 * producer that is handed a `put` function and resolves when it has put everything.
 */
export type AtomicWriteData =
  | string
  | Uint8Array
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | ((put: (chunk: Uint8Array) => Promise<void>) => Promise<unknown>);

/**
 * The temporary name a write to `target` goes through: hidden, beside it (so the rename stays on
 * one file system), unique per process and call. The target's name is cut to 100 characters so
 * a long but legal name does not become too long for the file system.
 */
function temporaryName(target: string): string {
  return pathJoin(pathDirname(target), `.${pathBasename(target).slice(0, 100)}.dubstage-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/** An error of {@link writeFileAtomic}: says which file, what failed, and that nothing was left behind. */
export class WriteFileError extends Error {
  override readonly name = 'WriteFileError';
  /** The destination asked for. */
  readonly path: string;
  /** The Node error code (`EACCES`, `ENOSPC`, `EROFS`, `ENOENT`…), when there was one. */
  readonly code: string | undefined;
  constructor(path: string, cause: unknown) {
    const code = (cause as { code?: unknown } | undefined)?.code;
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${path}: ${why}; nothing was written there (an existing file is unchanged)`, { cause });
    this.path = path;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * Writes a file so that readers only ever see the old content or the complete new content:
 * the data goes to a temporary file in the same folder (created exclusively), is flushed to disk
 * (`fsync`), then renamed over `path` (atomic on POSIX file systems). On any failure (full disk,
 * read-only folder, an exception from `data`'s producer) the temporary file is removed and a
 * {@link WriteFileError} is thrown; `path` is untouched. A process killed midway leaves at most
 * the hidden temporary file (`.<name>.dubstage-<pid>-….tmp`), never a partial `path`.
 * @returns the number of bytes written.
 */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<number> {
  const tmp = temporaryName(path);
  let fh: FileHandle;
  try {
    fh = await fsOpen(tmp, 'wx');
  } catch (e) {
    throw new WriteFileError(path, e);
  }
  let written = 0;
  try {
    const put = async (chunk: Uint8Array): Promise<void> => {
      let off = 0;
      while (off < chunk.byteLength) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off, written);
        if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
        off += bytesWritten;
        written += bytesWritten;
      }
    };
    if (typeof data === 'string') await put(new TextEncoder().encode(data));
    else if (data instanceof Uint8Array) await put(data);
    else if (typeof data === 'function') await data(put);
    else if (Symbol.asyncIterator in data) for await (const chunk of data) await put(chunk);
    else for (const chunk of data) await put(chunk);
    await fh.sync();
    await fh.close();
    await fsRename(tmp, path);
    return written;
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsUnlink(tmp).catch(() => undefined);
    throw e instanceof WriteFileError ? e : new WriteFileError(path, e);
  }
}

/**
 * Writes an AAF object tree (as `readObjects` gives it, possibly edited) to `path` through
 * {@link writeFileAtomic}: embedded essence is streamed from the source file, and an interrupted
 * write leaves any file already at `path` intact.
 * @throws WriteFileError when the file cannot be written; RangeError for a tree the format cannot hold.
 */
export async function writeAafFile(path: string, tree: AafObjectTree, options: AafObjectWriteOptions = {}): Promise<number> {
  try {
    return await writeFileAtomic(path, (put) => writeObjectsTo(tree, { write: put }, options));
  } catch (e) {
    // A tree the format cannot hold is the caller's error, not the file system's.
    if (e instanceof WriteFileError && e.cause instanceof RangeError) throw e.cause;
    throw e;
  }
}

// Grading deliverables with worker threads (issue 11): `runDeliverablesCheck(check, submission, { jobs: 2 })`.
export { runDeliverablesCheck, deliverablesWorkersAvailable, loudnessWorkers, planLoudnessJobs, type LoudnessWorkerHook, type NodeDeliverablesOptions } from './node-worker.js';
