import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Limits } from '../diagnostics/limits.js';
import type { ParseResult, WriteResult } from '../diagnostics/result.js';
import type { Timeline } from '../model/types.js';
import type { FrameRate } from '../time/frame-rate.js';

/** Options every timeline reader accepts (a format may take more). */
export interface ReadOptions {
  /** Picture rate, for formats that do not state one (EDL). */
  readonly rate?: FrameRate;
  /** Session sample rate, for formats that do not state one. */
  readonly sampleRate?: number;
  /** `tolerant` (default): repair what can be repaired, with warnings. `strict`: any problem is an error. */
  readonly mode?: 'strict' | 'tolerant';
  /** File name, carried into diagnostics. */
  readonly source?: string;
  /** Resource limits on the input (defaults: `DEFAULT_LIMITS` in diagnostics/limits.ts); see docs/robustness.md. */
  readonly limits?: Partial<Limits>;
}

/** Options every timeline writer accepts (a format may take more). */
export interface WriteOptions {
  readonly rate?: FrameRate;
}

/**
 * One interchange format in the registry: how to recognise it, read it into a {@link Timeline}
 * and write one back. Formats that only read or only write leave the other out.
 */
export interface FormatModule {
  /** Stable id: `json`, `otio`, `edl`, `xmeml`, `fcpxml`, `aaf`, `bwf`, `pt-text`, `ptx`… */
  readonly id: string;
  /** Human name ("CMX3600 EDL"). */
  readonly name: string;
  /** Lower-case file extensions with the dot (`.edl`). */
  readonly extensions: readonly string[];
  /** Whether the writer produces text (string) or bytes. */
  readonly output?: 'text' | 'binary';
  /** True when the bytes look like this format (first bytes are enough; never throws). */
  detect(bytes: Uint8Array): boolean;
  parse?(input: string | Uint8Array, options?: ReadOptions): ParseResult<Timeline>;
  write?(timeline: Timeline, options?: WriteOptions): WriteResult<string | Uint8Array>;
}

export type { Diagnostic };
