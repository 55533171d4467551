/**
 * Worker threads for the `deliverables` check (issue 11): the loudness of each submitted audio file
 * is independent of the others, so with `jobs: N` the files are measured by N − 1 worker threads
 * and this thread (which also runs the null test, the pops and the metadata checks). Each file is
 * measured by {@link measureFileLoudness}, the same function the single-thread path ends in, so the
 * numbers are the same wherever a file was measured.
 *
 * Workers run this module as built next to `dist/node.js` (`dist/node-worker.js`, or `.cjs` for
 * `require`); from source (tests run by vitest) there is no built worker and every file is
 * measured in this thread. Node-only, like `node.ts`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { LoudnessResult } from './grade/audio/loudness.js';
import { measureFileLoudness, runDeliverablesCheck as runCheck, type DeliverablesCheck, type DeliverablesOptions, type LoudnessJob, type LoudnessRequest } from './grade/deliverables.js';
import type { CheckResult, Submission, SubmissionFile } from './grade/types.js';
import { openFileSourceSync } from './node.js';

const FLAG = 'dubstageGradeWorker';

type ToWorker = { readonly id: number; readonly path: string; readonly request: LoudnessRequest };
type FromWorker = { readonly id: number; readonly value?: LoudnessResult; readonly error?: string };

/** The built worker script next to this module, or undefined (running from source). */
function workerScript(): URL | undefined {
  try {
    // ESM: this chunk's URL; CommonJS: its file name (`import.meta` is empty there).
    const here = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
    const file = fileURLToPath(here);
    const ext = file.endsWith('.cjs') ? '.cjs' : file.endsWith('.js') ? '.js' : undefined;
    if (!ext) return undefined;
    const script = join(dirname(file), `node-worker${ext}`);
    return existsSync(script) ? pathToFileURL(script) : undefined;
  } catch {
    return undefined;
  }
}

/** A file on disk behind a submitted file's source (`openFileSource`), else undefined. */
function diskPath(file: SubmissionFile): string | undefined {
  const s = file.source as { path?: unknown; readSync?: unknown };
  return typeof s === 'object' && s !== null && typeof s.path === 'string' && typeof s.readSync === 'function' ? s.path : undefined;
}

interface Job {
  readonly path: string;
  readonly request: LoudnessRequest;
  readonly resolve: (r: LoudnessResult | undefined) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * `threads` worker threads, each sent its jobs at once (this thread is busy with its own streaming
 * work until it awaits the results, so it could not hand out jobs one by one). A worker that dies
 * rejects what it held: the check then measures those files in this thread.
 */
class LoudnessWorkers {
  private readonly workers: { readonly worker: Worker; readonly held: Map<number, Job>; dead: boolean }[] = [];
  private nextId = 0;

  constructor(script: URL, threads: number) {
    for (let k = 0; k < threads; k++) {
      let worker: Worker;
      try {
        worker = new Worker(script, { workerData: { [FLAG]: true } });
      } catch {
        break;
      }
      const entry = { worker, held: new Map<number, Job>(), dead: false };
      const die = (why: string): void => {
        if (entry.dead) return;
        entry.dead = true;
        for (const job of entry.held.values()) job.reject(new Error(`worker thread stopped: ${why}`));
        entry.held.clear();
      };
      worker.on('message', (m: FromWorker) => {
        const job = entry.held.get(m.id);
        entry.held.delete(m.id);
        if (!job) return;
        if (m.error !== undefined) job.reject(new Error(m.error));
        else job.resolve(m.value);
      });
      worker.on('error', (e) => die(e instanceof Error ? e.message : String(e)));
      worker.on('exit', (code) => die(`exit code ${code}`));
      this.workers.push(entry);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends a job to worker `k` (modulo the count). */
  measure(k: number, path: string, request: LoudnessRequest): Promise<LoudnessResult | undefined> {
    const entry = this.workers[k % this.workers.length];
    if (!entry || entry.dead) return Promise.reject(new Error('no worker thread'));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      entry.held.set(id, { path, request, resolve, reject });
      entry.worker.postMessage({ id, path, request } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate().catch(() => 0)));
  }
}

/**
 * Which jobs stay in this thread: files it decodes anyway for the null test cost it only the
 * meter, but decoding and summing every file of the null test is itself about a file's
 * measurement or two, so this thread keeps `⌊jobs / (threads + 1)⌋` of those (the first ones) and
 * the workers take the rest in turn. Returns the worker index per job, or −1 to keep it here.
 */
export function planLoudnessJobs(jobs: readonly LoudnessJob[], threads: number): number[] {
  if (threads <= 1) return jobs.map(() => -1);
  const decodedHere = jobs.filter((j) => j.decodedHere).length;
  let keep = Math.floor(jobs.length / (threads + 1));
  if (keep > decodedHere) keep = decodedHere;
  let w = 0;
  return jobs.map((j) => {
    if (j.decodedHere && keep > 0) {
      keep--;
      return -1;
    }
    return w++ % (threads - 1);
  });
}

async function measureOnDisk(path: string, request: LoudnessRequest): Promise<LoudnessResult | undefined> {
  const source = openFileSourceSync(path);
  try {
    return await measureFileLoudness(source, request);
  } finally {
    await source.close();
  }
}

/** Options of the Node {@link runDeliverablesCheck}. */
export interface NodeDeliverablesOptions extends DeliverablesOptions {
  /**
   * Threads measuring loudness (this one included; default 1). Files opened with
   * `openFileSource` are measured on worker threads; others in this thread. The result is the
   * same for every value.
   */
  readonly jobs?: number;
}

/** A `measureLoudness` hook on worker threads, and how to end them. */
export interface LoudnessWorkerHook {
  readonly measureLoudness: NonNullable<DeliverablesOptions['measureLoudness']>;
  /** Ends the worker threads (call when the check is done). */
  close(): Promise<void>;
}

/**
 * Starts `jobs − 1` worker threads for the `deliverables` check's `measureLoudness` option (for
 * a caller that runs the check itself, e.g. through `grade`); undefined when `jobs` ≤ 1 or there
 * is no built worker script (from source).
 */
export function loudnessWorkers(jobs: number): LoudnessWorkerHook | undefined {
  const script = jobs > 1 ? workerScript() : undefined;
  if (!script) return undefined;
  const workers = new LoudnessWorkers(script, Math.floor(jobs) - 1);
  if (workers.size === 0) return undefined;
  return {
    measureLoudness: (list) => {
      const plan = planLoudnessJobs(list, workers.size + 1);
      return list.map((job, i) => {
        const path = diskPath(job.file);
        const k = plan[i] as number;
        return path === undefined || k < 0 ? undefined : workers.measure(k, path, job.request);
      });
    },
    close: () => workers.close(),
  };
}

/**
 * `grade.runDeliverablesCheck` with `jobs`: the loudness of the submitted files is measured on
 * worker threads while this thread runs the null test and the other checks. Files not opened with
 * `openFileSource` are measured in this thread.
 */
export async function runDeliverablesCheck(check: DeliverablesCheck, submission: Submission, options: NodeDeliverablesOptions = {}): Promise<CheckResult> {
  const { jobs = 1, ...rest } = options;
  const hook = loudnessWorkers(jobs);
  if (!hook) return runCheck(check, submission, rest);
  try {
    return await runCheck(check, submission, { ...rest, measureLoudness: hook.measureLoudness });
  } finally {
    await hook.close();
  }
}

/** True when the built worker script is next to this module (`jobs` can use threads). */
export function deliverablesWorkersAvailable(): boolean {
  return workerScript() !== undefined;
}

// The worker side: measure the files this thread is sent until terminated.
if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[FLAG] === true) {
  const port = parentPort;
  port.on('message', (m: ToWorker) => {
    measureOnDisk(m.path, m.request).then(
      (value) => port.postMessage({ id: m.id, ...(value ? { value } : {}) } satisfies FromWorker),
      (e: unknown) => port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies FromWorker),
    );
  });
}
