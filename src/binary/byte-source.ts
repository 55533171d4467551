/**
 * Random-access byte sources: what binary readers (RIFF/BWF, the AAF compound file) read from, so
 * that a 4 GiB recording is never loaded whole to find its metadata.
 *
 * The core defines the interface and the in-memory and `Blob` implementations; the Node file-handle
 * source lives in `dubstage/node` (`openFileSource`).
 */

/**
 * A readable sequence of bytes of known length that can be read at any offset.
 *
 * - `size` is the length in bytes (a safe integer: every real file is far below 2^53 bytes).
 * - `read(offset, length)` resolves to the bytes `[offset, offset + length)`; near the end it
 *   resolves to fewer bytes (never more), past the end to an empty array. It rejects only on I/O
 *   failure. The returned array may be a view into a shared buffer: callers must not modify it
 *   and must copy what they keep past the next `read` if the source documents reuse (none of the
 *   sources here reuse buffers).
 */
export interface ByteSource {
  readonly size: number;
  read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array>;
  /**
   * Optional synchronous twin of `read` (same contract), for sources where a read costs less than
   * a promise round trip: bytes in memory, a file descriptor read with `pread`. Readers use it when
   * present.
   */
  readSync?(offsetBytes: number, lengthBytes: number): Uint8Array;
}

/** Throws a RangeError unless offset and length are safe non-negative integers. */
function checkRange(offsetBytes: number, lengthBytes: number): void {
  if (!Number.isSafeInteger(offsetBytes) || !Number.isSafeInteger(lengthBytes) || offsetBytes < 0 || lengthBytes < 0) {
    throw new RangeError(`bad read range: offset ${offsetBytes}, length ${lengthBytes}`);
  }
}

/** Clamps a read request to `[0, size]`; returns `[start, end)` (an empty range past the end). */
export function clampRange(size: number, offsetBytes: number, lengthBytes: number): [number, number] {
  checkRange(offsetBytes, lengthBytes);
  const start = Math.min(offsetBytes, size);
  return [start, Math.min(size, start + lengthBytes)];
}

/**
 * A byte source over bytes already in memory. Reads are views (`subarray`), never copies.
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  const readSync = (offsetBytes: number, lengthBytes: number): Uint8Array => {
    const [start, end] = clampRange(bytes.byteLength, offsetBytes, lengthBytes);
    return bytes.subarray(start, end);
  };
  return {
    size: bytes.byteLength,
    read: (offsetBytes: number, lengthBytes: number): Promise<Uint8Array> => Promise.resolve(readSync(offsetBytes, lengthBytes)),
    readSync,
  };
}

/** The part of the DOM `Blob` interface a byte source needs (also matches Node's `Blob`). */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/**
 * A byte source over a `Blob` or `File` (browser file input, drag and drop): each read slices the
 * blob, so only the bytes asked for are loaded.
 */
export function blobSource(blob: BlobLike): ByteSource {
  return {
    size: blob.size,
    async read(offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
      const [start, end] = clampRange(blob.size, offsetBytes, lengthBytes);
      if (end <= start) return new Uint8Array(0);
      return new Uint8Array(await blob.slice(start, end).arrayBuffer());
    },
  };
}

/** True for objects shaped like a {@link ByteSource}. */
export function isByteSource(x: unknown): x is ByteSource {
  return typeof x === 'object' && x !== null && typeof (x as ByteSource).read === 'function' && typeof (x as ByteSource).size === 'number';
}

/** What binary readers accept: bytes in memory, a `Blob`, or any {@link ByteSource}. */
export type ByteInput = Uint8Array | BlobLike | ByteSource;

/** Turns a {@link ByteInput} into a {@link ByteSource}. */
export function toByteSource(input: ByteInput): ByteSource {
  if (input instanceof Uint8Array) return bytesSource(input);
  if (isByteSource(input)) return input;
  return blobSource(input);
}

/**
 * Reads exactly `[offset, offset + length)` or as much of it as exists, looping over short reads
 * (a file handle may return fewer bytes than asked before the end).
 */
export async function readFully(source: ByteSource, offsetBytes: number, lengthBytes: number): Promise<Uint8Array> {
  const [start, end] = clampRange(source.size, offsetBytes, lengthBytes);
  const first = source.readSync ? source.readSync(start, end - start) : await source.read(start, end - start);
  if (first.byteLength >= end - start) return first.byteLength === end - start ? first : first.subarray(0, end - start);
  const out = new Uint8Array(end - start);
  out.set(first, 0);
  let got = first.byteLength;
  while (got < out.byteLength) {
    const more = source.readSync ? source.readSync(start + got, out.byteLength - got) : await source.read(start + got, out.byteLength - got);
    if (more.byteLength === 0) break; // the source shrank under us: return what exists
    out.set(more.subarray(0, out.byteLength - got), got);
    got += more.byteLength;
  }
  return got === out.byteLength ? out : out.subarray(0, got);
}

/** A {@link ByteSource} that also reads synchronously. */
export type SyncByteSource = ByteSource & { readSync(offsetBytes: number, lengthBytes: number): Uint8Array };

/** Like {@link readFully}, synchronously; only for sources with `readSync`. */
export function readFullySync(source: SyncByteSource, offsetBytes: number, lengthBytes: number): Uint8Array {
  // clampRange's rule without its [start, end] pair (this runs once per read of every sync reader).
  checkRange(offsetBytes, lengthBytes);
  const start = Math.min(offsetBytes, source.size);
  const end = Math.min(source.size, start + lengthBytes);
  const first = source.readSync(start, end - start);
  if (first.byteLength >= end - start) return first.byteLength === end - start ? first : first.subarray(0, end - start);
  const out = new Uint8Array(end - start);
  out.set(first, 0);
  let got = first.byteLength;
  while (got < out.byteLength) {
    const more = source.readSync(start + got, out.byteLength - got);
    if (more.byteLength === 0) break;
    out.set(more.subarray(0, out.byteLength - got), got);
    got += more.byteLength;
  }
  return got === out.byteLength ? out : out.subarray(0, got);
}
