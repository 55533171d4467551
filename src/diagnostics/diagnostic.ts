/**
 * Diagnostics: how every parser in dubstage reports bad input without throwing.
 *
 * A diagnostic has a stable `code` (`<area>/<kebab-problem>`, no data inside), a message for
 * people, and a place: a byte offset (binary), a line and column (text, both 1-based), or an
 * element path (XML, AAF, JSON).
 */

/** How bad a diagnostic is. `error` means the value it concerns could not be read as written. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A stable diagnostic code, `<area>/<kebab-problem>` such as `tc/bad-drop-frame-label`.
 * Codes never carry data; the message and `expected`/`received` do.
 */
export type DiagnosticCode = `${string}/${string}`;

/** Where in the input a diagnostic applies. `offset` is 0-based; `line` and `column` are 1-based. */
export interface SourcePlace {
  readonly offset: number;
  readonly line?: number;
  readonly column?: number;
}

/** One problem found in an input. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly at?: SourcePlace;
  readonly path?: readonly string[];
  readonly expected?: string;
  readonly received?: string;
  /** Name of the input (file name) when the caller supplied one. */
  readonly source?: string;
}

/** Builds a diagnostic; a small helper so call sites stay one line. */
export function diagnostic(
  severity: Severity,
  code: DiagnosticCode,
  message: string,
  extra: Omit<Diagnostic, 'severity' | 'code' | 'message'> = {},
): Diagnostic {
  return { severity, code, message, ...extra };
}

/** Shorthand for an `error` diagnostic. */
export function error(
  code: DiagnosticCode,
  message: string,
  extra: Omit<Diagnostic, 'severity' | 'code' | 'message'> = {},
): Diagnostic {
  return diagnostic('error', code, message, extra);
}

/** Shorthand for a `warning` diagnostic. */
export function warning(
  code: DiagnosticCode,
  message: string,
  extra: Omit<Diagnostic, 'severity' | 'code' | 'message'> = {},
): Diagnostic {
  return diagnostic('warning', code, message, extra);
}

/** True when any diagnostic in the list is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Formats a diagnostic on one line, the way compilers do:
 * `file:line:column: error tc/bad-label: message`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  let place = d.source ?? '';
  if (d.at) {
    place += d.at.line !== undefined ? `:${d.at.line}:${d.at.column ?? 1}` : `@${d.at.offset}`;
  }
  if (d.path && d.path.length > 0) place += (place ? ' ' : '') + d.path.join('/');
  return `${place ? place + ': ' : ''}${d.severity} ${d.code}: ${d.message}`;
}
