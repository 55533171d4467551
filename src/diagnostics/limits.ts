/**
 * Resource limits on untrusted input (issue 13): how much a file may make a reader allocate,
 * walk or expand. Every limit has a safe default and can be raised or lowered per call; a reader
 * that stops at one reports `<area>/limit-exceeded` (or the older code its module documents) with
 * the place where the limit was reached, and never throws. `docs/robustness.md` lists where each
 * limit is enforced.
 * @packageDocumentation
 */
import { error, type Diagnostic, type SourcePlace } from './diagnostic.js';

/** Limits a reader honours. Counts are plain numbers of items; sizes are bytes or characters as named. */
export interface Limits {
  /**
   * Largest text input, in bytes (default 512 MiB). A JavaScript string holds at most about 2^29
   * UTF-16 code units, so decoding more would fail inside the engine; the limit turns that into
   * a diagnostic before any decoding.
   */
  readonly maxTextBytes: number;
  /**
   * Deepest nesting (default 256). Through `ReadOptions.limits` it sets the element depth of the
   * XMEML and FCPXML readers and the value depth of the dubstage JSON and OTIO readers (whose
   * own default is 1000); compound files and AAF take theirs as module options.
   */
  readonly maxDepth: number;
  /** Most entity declarations in an XML DOCTYPE (default 64), honoured by the XMEML and FCPXML readers; expansion itself is bounded by the XML layer. */
  readonly maxEntities: number;
}

/** The defaults: generous for every real file in the corpus, small enough that no input can exhaust a browser tab. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxTextBytes: 512 * 1024 * 1024,
  maxDepth: 256,
  maxEntities: 64,
});

/** The defaults overridden by whatever `partial` sets (non-finite or negative values are ignored). */
export function resolveLimits(partial: Partial<Limits> | undefined): Limits {
  if (partial === undefined) return DEFAULT_LIMITS;
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const v = partial[key];
    if (typeof v === 'number' && v >= 0 && !Number.isNaN(v)) out[key] = v;
  }
  return out as unknown as Limits;
}

/**
 * A `<area>/limit-exceeded` error: which limit, its value, and where the input reached it
 * (`at` for bytes or text, `path` for trees).
 */
export function limitExceeded(
  area: string,
  limit: keyof Limits,
  value: number,
  message: string,
  place: { at?: SourcePlace; path?: readonly string[]; source?: string },
): Diagnostic {
  return error(`${area}/limit-exceeded`, `${message} (limit ${limit} = ${value}; raise it in the read options if the file is genuine)`, {
    ...place,
    expected: `${limit} ≤ ${value}`,
  });
}
