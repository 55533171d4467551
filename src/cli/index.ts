import { main } from './main.js';
import type { CliIo } from './io.js';
import { isPoolWorker, serveWorker, setWorkerEntry } from './pool.js';

/** Writes to a stream, honouring back-pressure so batch output to a pipe never balloons memory. */
function writer(stream: NodeJS.WriteStream): { write(text: string): boolean; readonly columns: number | undefined } {
  return {
    write: (text: string) => stream.write(text),
    // The terminal's width, for the progress bar.
    get columns() {
      return stream.columns;
    },
  };
}

// `--jobs N` starts this same module on worker threads (src/cli/pool.ts).
setWorkerEntry(import.meta.url);

if (isPoolWorker()) {
  void serveWorker();
} else {
  const io: CliIo = {
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    stdin: process.stdin,
    stdinIsTty: process.stdin.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
  };

  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // A closed pipe (`dubstage tc ... | head`) is a normal end, not a crash.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

  main(process.argv.slice(2), io).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(`dubstage: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
