import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

/** Runs the CLI in-process with the given stdin text; returns exit status and captured output. */
export async function runCli(argv: string[], stdin = ''): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: (async function* () {
      // Split into small chunks so line assembly across chunk boundaries is exercised.
      for (let i = 0; i < stdin.length; i += 7) yield new TextEncoder().encode(stdin.slice(i, i + 7));
    })(),
    stdinIsTty: false,
    stderrIsTty: false,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}
