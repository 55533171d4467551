/**
 * Coverage-free mutation of real files for fuzzing (issue 13): bit flips, bytes set to extremes,
 * truncation, splices from another seed, repeated and deleted slices, and 32-bit size fields set
 * to 0 / 0xFFFFFFFF. Deterministic for a given PRNG.
 */

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One to four random mutations of `input` (never modified), using `other` for splices. */
export function mutate(input: Uint8Array, other: Uint8Array, rand: () => number): Uint8Array {
  let b: Uint8Array = input.slice();
  const n = 1 + Math.floor(rand() * 4);
  const at = () => Math.floor(rand() * Math.max(1, b.length));
  for (let k = 0; k < n; k++) {
    const op = Math.floor(rand() * 8);
    if (b.length === 0) b = new Uint8Array([0]);
    switch (op) {
      case 0: { // bit flip
        const i = at();
        b[i] = (b[i] as number) ^ (1 << Math.floor(rand() * 8));
        break;
      }
      case 1: { // extreme byte
        const extremes = [0, 0xff, 0x7f, 0x80, 0x20, 0x0a, 0x3a, 0x3c];
        b[at()] = extremes[Math.floor(rand() * extremes.length)] as number;
        break;
      }
      case 2: // truncate
        b = b.slice(0, at());
        break;
      case 3: { // splice from the other seed
        const from = Math.floor(rand() * Math.max(1, other.length));
        const len = Math.floor(rand() * 512);
        const i = at();
        b = concat(b.subarray(0, i), other.subarray(from, from + len), b.subarray(i));
        break;
      }
      case 4: { // repeat a slice
        const i = at();
        const len = Math.floor(rand() * 256);
        const piece = b.slice(i, i + len);
        b = concat(b.subarray(0, i), piece, piece, b.subarray(i));
        break;
      }
      case 5: { // delete a slice
        const i = at();
        const len = Math.floor(rand() * 256);
        b = concat(b.subarray(0, i), b.subarray(i + len));
        break;
      }
      case 6: { // a 32-bit little-endian field to an extreme (sizes, counts, sector numbers)
        const i = at() & ~3;
        const v = [0, 0xffffffff, 0x7fffffff, 0xfffffffe, 1][Math.floor(rand() * 5)] as number;
        if (i + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(i, v, true);
        break;
      }
      default: { // swap two lines (text formats) or two 64-byte blocks
        const i = at();
        const j = at();
        const len = Math.min(64, b.length - Math.max(i, j));
        if (len > 0 && Math.abs(i - j) >= len) {
          const t = b.slice(i, i + len);
          b.copyWithin(i, j, j + len);
          b.set(t, j);
        }
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
