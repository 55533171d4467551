/**
 * Little-endian reads and writes over a `Uint8Array` without copying, for binary chunk layouts
 * (RIFF, BWF, and later the compound file). Reads past the end return `undefined` rather than
 * throwing, so a truncated field becomes a diagnostic at its offset.
 */

/** A read position over bytes; `offset` is relative to `bytes`. */
export class ByteCursor {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  /** Bytes left after the current offset. */
  get remaining(): number {
    return Math.max(0, this.bytes.byteLength - this.offset);
  }

  /** True when `n` more bytes can be read. */
  has(n: number): boolean {
    return this.offset + n <= this.bytes.byteLength;
  }

  /** Unsigned 8-bit, or undefined past the end. */
  u8(): number | undefined {
    if (!this.has(1)) return undefined;
    return this.view.getUint8(this.offset++);
  }

  /** Unsigned 16-bit little-endian. */
  u16(): number | undefined {
    if (!this.has(2)) return undefined;
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  /** Signed 16-bit little-endian. */
  i16(): number | undefined {
    if (!this.has(2)) return undefined;
    const v = this.view.getInt16(this.offset, true);
    this.offset += 2;
    return v;
  }

  /** Unsigned 32-bit little-endian. */
  u32(): number | undefined {
    if (!this.has(4)) return undefined;
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** Unsigned 64-bit little-endian (low DWORD first) as a bigint. */
  u64(): bigint | undefined {
    if (!this.has(8)) return undefined;
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /** Four bytes as a Latin-1 string (a RIFF FourCC). */
  fourCC(): string | undefined {
    if (!this.has(4)) return undefined;
    const s = latin1(this.bytes, this.offset, this.offset + 4);
    this.offset += 4;
    return s;
  }

  /** `n` bytes as a view (no copy); shorter at the end. */
  take(n: number): Uint8Array {
    const end = Math.min(this.bytes.byteLength, this.offset + n);
    const out = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return out;
  }

  /** Moves the offset by `n` bytes. */
  skip(n: number): void {
    this.offset += n;
  }
}

/** Unsigned 16-bit little-endian at `offset` (the caller checks bounds). */
export function readU16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
}

/** Unsigned 32-bit little-endian at `offset` (the caller checks bounds). */
export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] as number) | ((bytes[offset + 1] as number) << 8) | ((bytes[offset + 2] as number) << 16)) + (bytes[offset + 3] as number) * 0x1000000;
}

/** Unsigned 64-bit little-endian at `offset` as a bigint (the caller checks bounds). */
export function readU64(bytes: Uint8Array, offset: number): bigint {
  return BigInt(readU32(bytes, offset)) | (BigInt(readU32(bytes, offset + 4)) << 32n);
}

/** Writes an unsigned 16-bit little-endian value. */
export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
}

/** Writes a signed 16-bit little-endian value (two's complement). */
export function writeI16(bytes: Uint8Array, offset: number, value: number): void {
  writeU16(bytes, offset, value < 0 ? value + 0x10000 : value);
}

/** Writes an unsigned 32-bit little-endian value. */
export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

/** Writes an unsigned 64-bit little-endian value (low DWORD first). */
export function writeU64(bytes: Uint8Array, offset: number, value: bigint): void {
  writeU32(bytes, offset, Number(value & 0xffffffffn));
  writeU32(bytes, offset + 4, Number((value >> 32n) & 0xffffffffn));
}

/** Bytes `[start, end)` as Latin-1 (each byte one code point). */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.byteLength): string {
  if (end - start <= 4) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i] as number);
    return s;
  }
  let s = '';
  // Chunks keep the argument list well below engine limits.
  for (let i = start; i < end; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  return s;
}

/** Writes a FourCC or other Latin-1 text into `bytes` at `offset` (code points above 255 become `?`). */
export function writeLatin1(bytes: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes[offset + i] = c > 255 ? 0x3f : c;
  }
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes text that claims to be ASCII but is often UTF-8 or Latin-1 in real files: UTF-8 when
 * the bytes are valid UTF-8, else Latin-1. Never throws.
 */
export function decodeLenient(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.byteLength; i++) {
    if ((bytes[i] as number) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1(bytes);
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}

/** Index of the first NUL byte in `[start, end)`, or `end`. */
export function indexOfNul(bytes: Uint8Array, start = 0, end = bytes.byteLength): number {
  for (let i = start; i < end; i++) if (bytes[i] === 0) return i;
  return end;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.byteLength; i++) s += HEX[bytes[i] as number];
  return s;
}

/** Bytes of a hex string (whitespace ignored); undefined when it is not whole hex bytes. */
export function fromHex(hex: string): Uint8Array | undefined {
  const h = hex.replace(/\s+/g, '');
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) return undefined;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}
