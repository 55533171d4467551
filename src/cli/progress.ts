/**
 * A one-line progress bar for batch commands, drawn on stderr only when stderr is a terminal and
 * the user did not ask for `--json` or `--quiet` (DESIGN.md, CLI). When disabled every method
 * is a no-op except {@link Progress.print}, which then just writes: so commands route their batch
 * output through one object either way, and a pipe never sees a control code.
 *
 * The bar is redrawn in place (`\r`, then the line, then "erase to end of line" `ESC [K`), at
 * most every `intervalMs` milliseconds, erased (never left behind) before any other output and
 * drawn again with the next finished job, and erased when the batch ends.
 */
import type { CliIo } from './io.js';

/** Where the bar is drawn. */
export interface ProgressStream {
  write(text: string): unknown;
}

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Draw at all (a terminal, and neither `--json` nor `--quiet`). */
  readonly enabled: boolean;
  /** Jobs in the batch. */
  readonly total: number;
  /** Shown before the bar (the command's name). */
  readonly title?: string;
  /** Terminal width in columns (default 80); the line is cut to one less so it never wraps. */
  readonly columns?: number;
  /** Least time between two redraws, in ms (default 100); the first and last always draw. */
  readonly intervalMs?: number;
  /** Clock in ms (default `Date.now`), injectable for tests. */
  readonly now?: () => number;
}

/** Erase the current line: carriage return, then ECMA-48 EL (erase to end of line). */
const CLEAR = '\r\x1b[K';
const BAR = 24;

/** A terminal progress bar; see the module comment. */
export class Progress {
  readonly enabled: boolean;
  private done = 0;
  private label = '';
  private drawn = false;
  private lastDraw = -Infinity;
  private readonly total: number;
  private readonly title: string;
  private readonly columns: number;
  private readonly interval: number;
  private readonly now: () => number;

  constructor(private readonly stream: ProgressStream, options: ProgressOptions) {
    this.enabled = options.enabled && options.total > 0;
    this.total = options.total;
    this.title = options.title ?? '';
    this.columns = Math.max(20, options.columns ?? 80);
    this.interval = options.intervalMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** The line as it would be drawn now (without control codes). */
  line(): string {
    const filled = Math.round((this.done / this.total) * BAR);
    const percent = Math.floor((this.done / this.total) * 100);
    const head = `${this.title ? `${this.title} ` : ''}[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${this.done}/${this.total} ${String(percent).padStart(3)}%`;
    // Control characters in a file name would move the cursor: shown as '?'.
    const label = this.label.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
    const room = this.columns - 1 - head.length - 2;
    if (room < 4 || label === '') return head.slice(0, this.columns - 1);
    return `${head}  ${label.length <= room ? label : `…${label.slice(label.length - room + 1)}`}`;
  }

  /** Draws the bar now (0 done) if enabled. */
  start(): void {
    if (this.enabled) this.draw();
  }

  /** One more job done; `label` (a file name) is shown after the count. Redraws when due. */
  tick(label?: string): void {
    if (!this.enabled) return;
    this.done = Math.min(this.total, this.done + 1);
    if (label !== undefined) this.label = label;
    // A bar taken down by print() comes back at once; otherwise at most every `interval` ms.
    if (!this.drawn || this.done === this.total || this.now() - this.lastDraw >= this.interval) this.draw();
  }

  /** Writes `text` to `stream` with the bar out of the way; the next tick puts it back. */
  print(stream: ProgressStream, text: string): void {
    this.clear();
    stream.write(text);
  }

  /** Erases the bar if it is on screen. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write(CLEAR);
    this.drawn = false;
  }

  /** Erases the bar for good: the batch is over. */
  finish(): void {
    this.clear();
  }

  private draw(): void {
    this.stream.write(`${CLEAR}${this.line()}`);
    this.drawn = true;
    this.lastDraw = this.now();
  }
}

/**
 * The progress bar of a batch command: on `io.stderr`, drawn only when it is a terminal and not
 * `quiet` (pass true for `--json` and `--quiet`), sized to the terminal when the stream knows its width.
 */
export function progressFor(io: CliIo, total: number, title: string, quiet: boolean): Progress {
  const columns = (io.stderr as { columns?: unknown }).columns;
  return new Progress(io.stderr, {
    enabled: io.stderrIsTty && !quiet,
    total,
    title,
    ...(typeof columns === 'number' && columns > 0 ? { columns } : {}),
  });
}
