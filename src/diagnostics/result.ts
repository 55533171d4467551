import type { Diagnostic } from './diagnostic.js';
import { formatDiagnostic } from './diagnostic.js';

/**
 * The result of reading untrusted input. `ok: true` carries a value and any warnings;
 * `ok: false` carries at least one diagnostic and no value. Parsers never throw on bad input.
 */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly [Diagnostic, ...Diagnostic[]] };

/** The result of writing a model to a format: the output plus what the format could not hold. */
export interface WriteResult<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

/** A successful result. */
export function ok<T>(value: T, diagnostics: readonly Diagnostic[] = []): ParseResult<T> {
  return { ok: true, value, diagnostics };
}

/** A failed result carrying at least one diagnostic. */
export function fail<T = never>(first: Diagnostic, ...rest: Diagnostic[]): ParseResult<T> {
  return { ok: false, diagnostics: [first, ...rest] };
}

/**
 * Thrown only by the `...OrThrow` wrappers (never by parsers themselves). Carries every
 * diagnostic of the failed parse.
 */
export class DubstageError extends Error {
  override readonly name = 'DubstageError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[], message?: string) {
    super(message ?? (diagnostics.length > 0 ? diagnostics.map(formatDiagnostic).join('\n') : 'dubstage error'));
    this.diagnostics = diagnostics;
  }
}

/** Returns the value of a result or throws a `DubstageError` with its diagnostics. */
export function unwrap<T>(result: ParseResult<T>): T {
  if (result.ok) return result.value;
  throw new DubstageError(result.diagnostics);
}
