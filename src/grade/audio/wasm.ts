/**
 * A small WebAssembly writer for the measurement kernels: the instructions the kernels use, by
 * their WebAssembly text names, and a one-function module around them (WebAssembly Core
 * Specification 2.0, §5 binary format; the 128-bit SIMD instructions of §5.4.8, opcodes after the
 * 0xFD prefix).
 *
 * The kernels are written in this file's vocabulary rather than shipped as opaque bytes, so each one
 * reads as its text format does (`local.get`, `f64x2.mul`, …) and is checked by the engine when the
 * module is compiled. Floating-point SIMD arithmetic is IEEE 754 per lane with round to nearest
 * (no fused multiply-add, no flush to zero: §4.3.3), so a kernel computes the same doubles as the
 * same expression in JavaScript, bit for bit.
 *
 * Browser-safe: uses only the `WebAssembly` global. Where it is missing, SIMD is not supported or
 * compiling is forbidden (a Content-Security-Policy without `wasm-unsafe-eval`),
 * {@link instantiateKernel} answers undefined and callers keep their JavaScript loop.
 */

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 (32-bit). */
function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** A memory operand: alignment (log2 bytes) and offset. */
const memarg = (alignLog2: number, offset: number): number[] => [alignLog2, ...uleb(offset)];

/** Value types. */
export const i32 = 0x7f;
export const v128 = 0x7b;

/** The instructions the kernels use, named as in the text format. */
export const op = {
  localGet: (i: number): number[] => [0x20, ...uleb(i)],
  localSet: (i: number): number[] => [0x21, ...uleb(i)],
  localTee: (i: number): number[] => [0x22, ...uleb(i)],
  i32Const: (v: number): number[] => [0x41, ...sleb(v)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32LtS: [0x48],
  i32LtU: [0x49],
  /** `select`: the first of two values when the condition is non-zero, else the second. */
  select: [0x1b],
  i32Sub: [0x6b],
  i32Eqz: [0x45],
  /** `block` / `loop` with no result. */
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  /** `v128.load` / `v128.store`, 16-byte aligned. */
  v128Load: (offset: number): number[] => [...simd(0x00), ...memarg(4, offset)],
  v128Store: (offset: number): number[] => [...simd(0x0b), ...memarg(4, offset)],
  /** `v128.load64_splat`: one f64 into both lanes. */
  v128Load64Splat: (offset: number): number[] => [...simd(0x0a), ...memarg(3, offset)],
  /** `v128.load32_zero`: one 32-bit value into lane 0, zeros elsewhere. */
  v128Load32Zero: (offset: number): number[] => [...simd(0x5c), ...memarg(2, offset)],
  /** `v128.load32_lane`: one 32-bit value into lane `lane` of the vector on the stack. */
  v128Load32Lane: (offset: number, lane: number): number[] => [...simd(0x56), ...memarg(2, offset), lane],
  /** `f64x2.promote_low_f32x4`: f32 lanes 0 and 1 to doubles (exact). */
  f64x2PromoteLowF32x4: simd(0x5f),
  /** `v128.const` with four f32 lanes of one value. */
  f32x4Const: (value: number): number[] => {
    const b = new DataView(new ArrayBuffer(16));
    for (let k = 0; k < 4; k++) b.setFloat32(4 * k, value, true);
    return [...simd(0x0c), ...new Uint8Array(b.buffer)];
  },
  /** `f32x4.pmin` / `f32x4.pmax`: per lane `b < a ? b : a` / `a < b ? b : a` (a NaN in b never wins, as in JavaScript's `if (v < lo) lo = v`). */
  f32x4Pmin: simd(0xea),
  f32x4Pmax: simd(0xeb),
  f64x2Add: simd(0xf0),
  f64x2Sub: simd(0xf1),
  f64x2Mul: simd(0xf2),
};

/** One exported function of a kernel module. */
export interface KernelFunction {
  readonly name: string;
  /** Parameter types (results: none). */
  readonly params: readonly number[];
  /** Local variable types after the parameters, in order. */
  readonly locals: readonly number[];
  /** The body's instructions, without the final `end`. */
  readonly body: readonly (readonly number[])[];
}

const section = (id: number, body: readonly number[]): number[] => [id, ...uleb(body.length), ...body];
const vector = (items: readonly (readonly number[])[]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vector([...s].map((c) => [c.charCodeAt(0)]));

/**
 * The bytes of a module with one exported memory (`memory`, `pages` × 64 KiB, fixed size) and the
 * given functions, each exported by its name, each of type `params → ()`.
 */
export function kernelModule(pages: number, functions: readonly KernelFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0]);
  const bodies = functions.map((f) => {
    // Locals as runs of one type.
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0] = (last[0] as number) + 1;
      else runs.push([1, t]);
    }
    const body = [...vector(runs.map(([count, t]) => [...uleb(count as number), t as number])), ...f.body.flat(), ...op.end];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(5, vector([[0x01, ...uleb(pages), ...uleb(pages)]])),
    ...section(7, vector([...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, 0x00]])),
    ...section(10, vector(bodies)),
  ]);
}

/** A compiled kernel: its functions by name and its memory. */
export interface Kernel {
  readonly memory: WebAssembly.Memory;
  readonly functions: Readonly<Record<string, (...args: number[]) => void>>;
}

/** Compiles and instantiates a kernel module; undefined where WebAssembly (or its SIMD) is unavailable or forbidden. */
export function instantiateKernel(bytes: Uint8Array<ArrayBuffer>): Kernel | undefined {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return undefined;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const exports = instance.exports as Record<string, unknown>;
    const memory = exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) return undefined;
    const functions: Record<string, (...args: number[]) => void> = {};
    for (const [k, v] of Object.entries(exports)) if (typeof v === 'function') functions[k] = v as (...args: number[]) => void;
    return { memory, functions };
  } catch {
    return undefined;
  }
}
