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
import { closeSync as fsCloseSync, fstatSync as fsFstatSync, openSync as fsOpenSync, readSync as fsReadSync } from 'node:fs';
import { basename as pathBasename, dirname as pathDirname, join as pathJoin } from 'node:path';
import type { ByteSource } from './binary/byte-source.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { error as errorDiagnostic } from './diagnostics/diagnostic.js';
import { readBwf } from './formats/bwf/read.js';
import { planBwfEdit, streamPlan, type BwfChanges, type EditPlan, type PlanOptions } from './formats/bwf/write.js';

/** A {@link ByteSource} over an open Node file handle; `close()` releases it. */
export interface FileByteSource extends ByteSource {
  readonly path: string;
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

/** {@link openFileSource} without the promise (for synchronous batch tools). */
export function openFileSourceSync(path: string): FileByteSource {
  const fd = fsOpenSync(path, 'r');
  let size: number;
  try {
    size = fsFstatSync(fd).size;
  } catch (e) {
    fsCloseSync(fd);
    throw e;
  }
  let closed = false;
  const readSync = (offsetBytes: number, lengthBytes: number): Uint8Array => {
    if (closed) throw new Error(`${path}: read after close`);
    const start = Math.min(Math.max(0, offsetBytes), size);
    const n = Math.max(0, Math.min(lengthBytes, size - start));
    if (n === 0) return new Uint8Array(0);
    // Not zero-filled: every byte returned is overwritten by the read.
    const buf = Buffer.allocUnsafeSlow(n);
    const got = fsReadSync(fd, buf, 0, n, start);
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  };
  return {
    size,
    path,
    readSync,
    read: async (offsetBytes: number, lengthBytes: number) => readSync(offsetBytes, lengthBytes),
    close: async () => {
      if (!closed) {
        closed = true;
        fsCloseSync(fd);
      }
    },
  };
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
    const tmp = pathJoin(pathDirname(target), `.${pathBasename(target)}.dubstage-${process.pid}-${Date.now().toString(36)}.tmp`);
    let out;
    try {
      out = await fsOpen(tmp, 'wx');
    } catch (e) {
      diagnostics.push(errorDiagnostic('bwf/write-failed', `cannot create ${tmp}: ${e instanceof Error ? e.message : String(e)}; the original is unchanged`));
      return { mode: 'failed', path: target, diagnostics };
    }
    try {
      let pos = 0;
      for await (const block of streamPlan(source, plan)) {
        await out.write(block, 0, block.byteLength, pos);
        pos += block.byteLength;
      }
      await out.sync();
      await out.close();
      await fsRename(tmp, target);
    } catch (e) {
      await out.close().catch(() => undefined);
      await fsUnlink(tmp).catch(() => undefined);
      diagnostics.push(errorDiagnostic('bwf/write-failed', `writing ${target} failed: ${e instanceof Error ? e.message : String(e)}; the original is unchanged`));
      return { mode: 'failed', path: target, diagnostics };
    }
    return { mode: 'rewrite', path: target, diagnostics };
  } finally {
    await source.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Timeline files through the format registry (issue 3).
// ---------------------------------------------------------------------------------------------
import { writeFile as fsWriteFile } from 'node:fs/promises';
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
 * has no writer (then the diagnostics hold the error).
 */
export async function writeTimelineFile(path: string, timeline: ModelTimeline, format: string, options: FormatWriteOptions = {}): Promise<readonly Diagnostic[]> {
  const r = writeTimeline(timeline, format, options);
  if (r.value === undefined) return r.diagnostics;
  await fsWriteFile(path, r.value);
  return r.diagnostics;
}
