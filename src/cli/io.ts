/** What a CLI command may touch: injected so commands run in tests without a process. */
export interface CliIo {
  /** Machine-readable output (results, `--json`). */
  readonly stdout: { write(text: string): unknown };
  /** Human messages and diagnostics. */
  readonly stderr: { write(text: string): unknown };
  /** Standard input as chunks; read only by commands that take values from it. */
  readonly stdin: AsyncIterable<Uint8Array | string>;
  /** True when stdin is a terminal (so a command waiting on it would hang: show usage instead). */
  readonly stdinIsTty: boolean;
  /** True when stderr is a terminal (progress is shown only then). */
  readonly stderrIsTty: boolean;
}

/** Exit statuses (DESIGN.md): 0 success, 1 invalid input, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** Thrown by argument parsing; becomes exit status 2 with the message and the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Splits stdin into lines as it arrives (`\n` or `\r\n`), calling `onLines` with batches so large
 * inputs are processed without holding them whole. The last line needs no terminator.
 */
export async function forEachLineBatch(stdin: AsyncIterable<Uint8Array | string>, onLines: (lines: string[]) => void): Promise<void> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of stdin) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      rest = text;
      continue;
    }
    rest = text.slice(cut + 1);
    const lines = text.slice(0, cut).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] as string;
      if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
    }
    onLines(lines);
  }
  rest += decoder.decode();
  if (rest.endsWith('\r')) rest = rest.slice(0, -1);
  if (rest.length > 0) onLines([rest]);
}
