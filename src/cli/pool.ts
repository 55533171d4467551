/**
 * Batch work for the CLI (`--jobs N`): runs one named task over many inputs, in this thread
 * (`--jobs 1`, the default) or on N threads (this one and N − 1 workers), and hands every outcome back **in input
 * order**, whatever order the work finishes in. A job that throws, or whose worker dies, becomes a
 * failed outcome carrying the message; the batch goes on.
 *
 * Workers run the CLI's own entry module (`dist/cli.js` when built): the entry registers its URL
 * with {@link setWorkerEntry}, and when it finds itself started as a pool worker
 * ({@link isPoolWorker}) it calls {@link serveWorker} instead of parsing argv. So a task is
 * defined once, in the command that uses it ({@link defineTask}), and the same code runs in both
 * places. Jobs, shared data and results cross threads by structured clone: plain data only (no
 * class instances such as `FrameRate`; send their text and parse it again in the task).
 */
import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { UsageError } from './io.js';
import type { Progress } from './progress.js';

/** Turns the batch's shared data into the function that does one job. */
export type TaskFactory<S, J, R> = (shared: S) => ((job: J) => Promise<R>) | Promise<(job: J) => Promise<R>>;

/** A task that {@link runBatch} can run in this thread or on workers. */
export interface TaskDef<S, J, R> {
  readonly name: string;
  readonly make: TaskFactory<S, J, R>;
}

/** What one job came to: its result, or why it failed. */
export type JobOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: string };

const TASKS = new Map<string, TaskFactory<never, never, unknown>>();

/**
 * Registers a task under a name unique in the CLI. Call at module level so the task is known in
 * a worker as soon as the CLI's modules have loaded.
 */
export function defineTask<S, J, R>(name: string, make: TaskFactory<S, J, R>): TaskDef<S, J, R> {
  if (TASKS.has(name)) throw new Error(`task "${name}" is defined twice`);
  TASKS.set(name, make);
  return { name, make };
}

/** What the output of one file looks like in a batch: text for each stream and whether it failed. */
export interface FileOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly failed: boolean;
}

const FLAG = 'dubstageCliPoolWorker';
let entry: string | undefined;

/**
 * Records the URL of the CLI entry module; workers start that module. Without it (the CLI run
 * in-process, as tests do) `--jobs N` falls back to this thread with a notice.
 */
export function setWorkerEntry(url: string): void {
  entry = url;
}

/** True in a thread {@link runBatch} started: the entry module then calls {@link serveWorker}. */
export function isPoolWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[FLAG] === true;
}

interface WorkerData {
  readonly task: string;
  readonly shared: unknown;
}

type ToWorker = { readonly id: number; readonly job: unknown };
type FromWorker =
  | { readonly ready: true }
  | { readonly fatal: string }
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: string };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The worker side: builds the task from the shared data, then answers jobs until terminated. */
export async function serveWorker(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const data = (workerData as { [FLAG]: true } & WorkerData);
  const post = (m: FromWorker): void => port.postMessage(m);
  let run: (job: unknown) => Promise<unknown>;
  try {
    const make = TASKS.get(data.task) as TaskFactory<unknown, unknown, unknown> | undefined;
    if (!make) throw new Error(`no task "${data.task}" in this build`);
    run = await make(data.shared);
  } catch (e) {
    post({ fatal: message(e) });
    return;
  }
  port.on('message', (m: ToWorker) => {
    run(m.job).then(
      (value) => post({ id: m.id, value }),
      (e: unknown) => post({ id: m.id, error: message(e) }),
    );
  });
  post({ ready: true });
}

/**
 * Parses `--jobs`: a whole number ≥ 1 (capped at four per core: more threads than that only
 * add memory), default 1.
 * @throws UsageError for anything else.
 */
export function jobsOption(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1)) throw new UsageError(`--jobs takes a whole number of threads, 1 or more (got "${text}")`);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.min(n, Math.max(1, cores * 4));
}

/** Options of {@link runBatch}. */
export interface BatchOptions<S, J, R> {
  readonly task: TaskDef<S, J, R>;
  /** Given once to the task's factory in every thread (structured clone). */
  readonly shared: S;
  readonly jobs: readonly J[];
  /** Threads to use (`--jobs`); 1 runs in this thread. */
  readonly threads: number;
  /** Called for every job in input order, as soon as it and every job before it are done. */
  readonly onOutcome: (index: number, outcome: JobOutcome<R>) => void;
  /** Ticked once per finished job (with `label(job)`). */
  readonly progress?: Progress;
  readonly label?: (job: J) => string;
  /** Where to say that workers could not be used (a fallback to this thread). */
  readonly notice?: (text: string) => void;
}

/** Jobs each worker holds at once, so it never idles while its next job is on the way. */
const IN_FLIGHT = 2;

/**
 * Runs `task` over `jobs`. Resolves when every outcome has been handed to `onOutcome`; never
 * rejects for a job's failure (that is an outcome).
 */
export async function runBatch<S, J, R>(options: BatchOptions<S, J, R>): Promise<void> {
  const { jobs, progress, label } = options;
  const pending = new Map<number, JobOutcome<R>>();
  let flushed = 0;
  const settle = (index: number, outcome: JobOutcome<R>): void => {
    pending.set(index, outcome);
    while (pending.has(flushed)) {
      const o = pending.get(flushed) as JobOutcome<R>;
      pending.delete(flushed);
      options.onOutcome(flushed, o);
      flushed++;
    }
    progress?.tick(label ? label(jobs[index] as J) : undefined);
  };
  // Jobs not yet handed to any thread, lowest index first.
  let next = 0;
  let run: ((job: J) => Promise<R>) | undefined;
  /** This thread takes jobs too, between answers from the workers (it starts at once, they load first). */
  const inThread = async (yieldBetween: boolean): Promise<void> => {
    while (next < jobs.length) {
      const id = next++;
      let outcome: JobOutcome<R>;
      try {
        run ??= await options.task.make(options.shared);
        outcome = { ok: true, value: await run(jobs[id] as J) };
      } catch (e) {
        outcome = { ok: false, error: message(e) };
      }
      settle(id, outcome);
      // Let the workers' answers (and their requests for more) in before the next job.
      if (yieldBetween) await new Promise<void>((r) => setImmediate(r));
    }
  };
  const workers = Math.min(options.threads, jobs.length) - 1;
  if (workers <= 0) return inThread(false);
  if (entry === undefined) {
    options.notice?.('--jobs needs the built CLI (dist/cli.js); working in this thread');
    return inThread(false);
  }
  const workerEntry = entry;
  // Called when this thread runs out of jobs: a worker holding none (still loading, say) stops.
  const stopIfIdle: (() => void)[] = [];
  const one = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(new URL(workerEntry), { workerData: { [FLAG]: true, task: options.task.name, shared: options.shared } });
      } catch (e) {
        options.notice?.(`cannot start a worker thread (${message(e)}); working in this thread`);
        resolve();
        return;
      }
      const held = new Set<number>();
      let ended = false;
      const end = (why?: string): void => {
        if (ended) return;
        ended = true;
        // Jobs the worker held when it died fail with the reason; the others go on elsewhere.
        for (const id of held) settle(id, { ok: false, error: `worker thread stopped: ${why ?? 'exited'}` });
        held.clear();
        void worker.terminate().then(() => resolve(), () => resolve());
      };
      const send = (): void => {
        if (next >= jobs.length) {
          if (held.size === 0) end();
          return;
        }
        const id = next++;
        held.add(id);
        worker.postMessage({ id, job: jobs[id] } satisfies ToWorker);
      };
      stopIfIdle.push(() => {
        if (held.size === 0) end();
      });
      worker.on('message', (m: FromWorker) => {
        if (ended) return;
        if ('ready' in m) {
          for (let k = 0; k < IN_FLIGHT; k++) send();
          return;
        }
        if ('fatal' in m) {
          options.notice?.(`a worker thread could not start the task (${m.fatal}); its share runs in this thread`);
          end();
          return;
        }
        held.delete(m.id);
        settle(m.id, 'error' in m ? { ok: false, error: m.error } : { ok: true, value: m.value as R });
        send();
      });
      worker.on('error', (e) => end(message(e)));
      worker.on('exit', (code) => end(`exit code ${code}`));
    });
  // N − 1 workers and this thread.
  const pool = Array.from({ length: workers }, one);
  await inThread(true);
  for (const stop of stopIfIdle) stop();
  await Promise.all(pool);
}

/**
 * Runs a {@link FileOutput} task over files and prints each file's output in input order (stderr
 * then stdout), separating outputs with `separator`. Resolves to true when any file failed.
 */
export async function runFileBatch<S, J>(
  io: { readonly stdout: { write(text: string): unknown }; readonly stderr: { write(text: string): unknown } },
  options: Omit<BatchOptions<S, J, FileOutput>, 'onOutcome'> & {
    /** The command name for messages (`dubstage NAME: ...`). */
    readonly command: string;
    /** The file a job reads, for failure messages. */
    readonly fileOf: (job: J) => string;
    /** Written to stdout between two files' outputs (e.g. a blank line); none by default. */
    readonly separator?: string;
    /** What to print on stdout for a job that failed outright (e.g. a JSON line); none by default. */
    readonly failureLine?: (job: J, error: string) => string;
  },
): Promise<boolean> {
  let failed = false;
  let printed = 0;
  const print = (stream: { write(text: string): unknown }, text: string): void => {
    if (text === '') return;
    if (options.progress) options.progress.print(stream, text);
    else stream.write(text);
  };
  await runBatch({
    ...options,
    onOutcome: (index, outcome) => {
      const job = options.jobs[index] as J;
      let out: FileOutput;
      if (outcome.ok) out = outcome.value;
      else {
        const line = `dubstage ${options.command}: ${options.fileOf(job)}: internal error: ${outcome.error}\n`;
        out = { stdout: options.failureLine?.(job, outcome.error) ?? '', stderr: line, failed: true };
      }
      if (out.failed) failed = true;
      print(io.stderr, out.stderr);
      if (out.stdout !== '') {
        if (printed++ > 0 && options.separator) print(io.stdout, options.separator);
        print(io.stdout, out.stdout);
      }
    },
  });
  return failed;
}
