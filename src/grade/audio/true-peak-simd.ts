/**
 * The range scan of the true-peak meter with WebAssembly SIMD: for each chunk of outputs and each
 * sub-block of it, the largest and smallest of the samples its interpolation reads (its own
 * samples and the 11 before), four samples per instruction.
 *
 * `f32x4.pmax` / `f32x4.pmin` keep, per lane, `a < b ? b : a` and `b < a ? b : a`: exactly the
 * comparisons of the JavaScript scan (`if (v > hi) hi = v`, `if (v < lo) lo = v`, a NaN never
 * taken), starting from −∞ and +∞, so the range per chunk is the JavaScript scan's (up to the sign
 * of a zero, which no bound or peak can tell apart). The four lanes are reduced by the caller.
 * Windows overlap (the 11 samples before a chunk are the previous chunk's last), which a maximum
 * does not mind; the last vector of a window may overlap the one before it for the same reason.
 */
import { i32, instantiateKernel, kernelModule, op, v128 } from './wasm.js';

/** Outputs per chunk and per sub-block: must equal the meter's. */
export const RANGE_CHUNK = 128;
export const RANGE_SUB = 16;
/** Floats per chunk in a {@link RangeKernel.ranges} answer: the chunk's range, then each sub-block's. */
export const RANGE_STRIDE = 8 * (1 + RANGE_CHUNK / RANGE_SUB);
/** Samples before each output the interpolation reads. */
const HISTORY = 11;
/** Outputs per call (a whole number of chunks). */
const RUN = 16384;
const DATA = 256;
const OUT = DATA + 4 * (RUN + HISTORY + 5);
const PAGES = Math.ceil((OUT + 4 * RANGE_STRIDE * (RUN / RANGE_CHUNK)) / 65536);

/**
 * `ranges(p, n, out)`: samples (f32) at byte address p are `a[from − 11 …]`. For each chunk k of
 * the n outputs (128 each, the last shorter) and each sub-block i of it (16 outputs, the last
 * shorter), the window `[128k + 16i, 128k + 16i + 11 + length)` of samples is scanned; its
 * four-lane maximum and minimum are stored at `out + 4·STRIDE·k + 32·(1 + i)` (and 16 bytes on),
 * and their per-lane maximum and minimum over the chunk's sub-blocks (the chunk's window) at
 * `out + 4·STRIDE·k`.
 */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const [p, n, out] = [0, 1, 2];
  const [m, len, q, e, sp, so] = [3, 4, 5, 6, 7, 8];
  const [hi, lo, v, chi, clo] = [9, 10, 11, 12, 13];
  const { localGet: get, localSet: set, localTee: tee } = op;
  /** `to = a < b ? a : b` (signed). */
  const min = (a: number, b: number, to: number): number[] => [...get(a), ...op.i32Const(b), ...get(a), ...op.i32Const(b), ...op.i32LtS, ...op.select, ...set(to)];
  const body: number[][] = [
    op.block,
    op.loop, // chunks
    [...op.f32x4Const(-Infinity), ...set(chi), ...op.f32x4Const(Infinity), ...set(clo)],
    min(n, RANGE_CHUNK, m),
    [...get(p), ...set(sp), ...get(out), ...op.i32Const(32), ...op.i32Add, ...set(so)],
    op.loop, // sub-blocks
    min(m, RANGE_SUB, len),
    [...op.f32x4Const(-Infinity), ...set(hi), ...op.f32x4Const(Infinity), ...set(lo)],
    // e = sp + 4·(11 + len) − 16: the last whole vector of the window (a window holds ≥ 12 samples).
    [...get(sp), ...get(len), ...op.i32Const(HISTORY), ...op.i32Add, ...op.i32Const(4), ...op.i32Mul, ...op.i32Add, ...op.i32Const(16), ...op.i32Sub, ...set(e)],
    [...get(sp), ...set(q)],
    op.loop,
    [...get(q), ...op.v128Load(0), ...set(v)],
    [...get(hi), ...get(v), ...op.f32x4Pmax, ...set(hi)],
    [...get(lo), ...get(v), ...op.f32x4Pmin, ...set(lo)],
    [...get(q), ...op.i32Const(16), ...op.i32Add, ...tee(q), ...get(e), ...op.i32LtU, ...op.brIf(0)],
    op.end,
    [...get(e), ...op.v128Load(0), ...set(v)],
    [...get(hi), ...get(v), ...op.f32x4Pmax, ...set(hi)],
    [...get(lo), ...get(v), ...op.f32x4Pmin, ...set(lo)],
    [...get(so), ...get(hi), ...op.v128Store(0), ...get(so), ...get(lo), ...op.v128Store(16)],
    [...get(chi), ...get(hi), ...op.f32x4Pmax, ...set(chi), ...get(clo), ...get(lo), ...op.f32x4Pmin, ...set(clo)],
    [...get(sp), ...op.i32Const(4 * RANGE_SUB), ...op.i32Add, ...set(sp)],
    [...get(so), ...op.i32Const(32), ...op.i32Add, ...set(so)],
    // m −= 16; again while m > 0.
    [...op.i32Const(0), ...get(m), ...op.i32Const(RANGE_SUB), ...op.i32Sub, ...tee(m), ...op.i32LtS, ...op.brIf(0)],
    op.end,
    [...get(out), ...get(chi), ...op.v128Store(0), ...get(out), ...get(clo), ...op.v128Store(16)],
    [...get(p), ...op.i32Const(4 * RANGE_CHUNK), ...op.i32Add, ...set(p)],
    [...get(out), ...op.i32Const(4 * RANGE_STRIDE), ...op.i32Add, ...set(out)],
    // n −= 128; again while n > 0.
    [...op.i32Const(0), ...get(n), ...op.i32Const(RANGE_CHUNK), ...op.i32Sub, ...tee(n), ...op.i32LtS, ...op.brIf(0)],
    op.end,
    op.end,
  ];
  return kernelModule(PAGES, [{ name: 'ranges', params: [i32, i32, i32], locals: [i32, i32, i32, i32, i32, i32, v128, v128, v128, v128, v128], body }]);
}

/** Sample ranges per chunk; see the file comment. */
export interface RangeKernel {
  /** Most outputs one {@link ranges} call covers (a multiple of {@link RANGE_CHUNK}). */
  readonly run: number;
  /**
   * The ranges of the chunks of outputs `[from, to)` of `a` (`to − from ≤ run`, `from ≥ 11`):
   * {@link RANGE_STRIDE} floats per chunk, eight for the chunk then eight per sub-block, each the
   * four lanes' maxima then the four lanes' minima. A view of the kernel's memory, valid until
   * the next call.
   */
  ranges(a: Float32Array, from: number, to: number): Float32Array;
}

let cached: RangeKernel | null | undefined;

/** The SIMD range scan, compiled once per thread; undefined where WebAssembly SIMD is unavailable. */
export function rangeKernel(): RangeKernel | undefined {
  if (cached === undefined) cached = makeKernel() ?? null;
  return cached ?? undefined;
}

function makeKernel(): RangeKernel | undefined {
  const kernel = instantiateKernel(kernelBytes());
  const ranges = kernel?.functions.ranges;
  if (!kernel || !ranges) return undefined;
  const f32 = new Float32Array(kernel.memory.buffer);
  return {
    run: RUN,
    ranges(a, from, to) {
      const n = to - from;
      f32.set(a.subarray(from - HISTORY, to), DATA / 4);
      ranges(DATA, n, OUT);
      return f32.subarray(OUT / 4, OUT / 4 + RANGE_STRIDE * Math.ceil(n / RANGE_CHUNK));
    },
  };
}
