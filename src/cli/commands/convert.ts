import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { convertTimeline, formatById } from '../../formats/registry.js';
import { readBytes, writeFileAtomic } from '../../node.js';
import { parseArgs } from '../args.js';
import { expandInputs, isPattern } from '../inputs.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import { defineTask, jobsOption, runFileBatch, type FileOutput } from '../pool.js';
import { progressFor } from '../progress.js';
import type { Command } from './command.js';
import { formatOption, rateOption, sampleRateOption, timelineExtensions } from './inspect.js';

const USAGE = `usage: dubstage convert IN OUT [--from ID] [--to ID] [--rate RATE] [--sample-rate HZ] [--strict] [--json]
       dubstage convert IN|FOLDER|GLOB... -o DIR/ --to ID [--force] [--jobs N] [--quiet] [options above]

Reads a timeline in one format and writes it in another. The source format is found from the
content (then the extension); the target from --to, else OUT's extension. Everything the target
cannot hold is listed on stderr. OUT may be - for stdout.

Many inputs (several files, a folder, or a quoted glob such as 'cuts/*.edl') convert into a
folder (-o DIR/, --out-dir DIR, or an OUT that is a folder or ends with /), each as the input's
name with the target's extension (cut.edl -> DIR/cut.otio). Two inputs that would get the same
name, and files already in DIR, are reported and not written (--force replaces existing files).
One file's failure is reported with its path and the batch goes on; each input prints one line
"IN -> OUT" on stdout.

  --from ID          read IN as this format
  --to ID            write this format (json, otio, ...); needed for a batch
  --rate RATE        picture rate for sources that do not state one (EDL)
  --sample-rate HZ   session sample rate for sources that do not state one
  --strict           any loss is an error: exit 1 and write nothing (for that file)
  -o, --out PATH     OUT (a file), or with a trailing / or an existing folder, the output folder
  --out-dir DIR      the output folder of a batch (created when missing)
  --force            a batch may replace files already in the output folder
  -j, --jobs N       convert N files at a time on worker threads (default 1: this thread)
  -q, --quiet        no progress bar (it shows on stderr only when that is a terminal, never with --json)
  --json             on stdout, a JSON report {"from","to","written","losses":[...],"diagnostics":[...]}
                     (not with OUT = -); a batch prints one such line per file, with "file" and "out"

examples:
  dubstage convert cut.edl cut.otio --rate 23.976
  dubstage convert premiere.xml session.aaf
  dubstage convert session.txt - --to json | jq '.tracks[].name'
  dubstage convert mix.aaf mix.otio --strict --json
  dubstage convert 'reels/*.edl' -o otio/ --to otio --rate 24 --jobs 2
  dubstage convert exports/ --out-dir json/ --to json --json > report.jsonl

Exit status: 0 written, 1 unreadable input, a name clash or (with --strict) a loss, 2 usage error.`;

/** The options of one `dubstage convert` run, as plain data (they cross to worker threads). */
interface ConvertShared {
  readonly from?: string;
  readonly to?: string;
  /** `--rate` as typed (a FrameRate does not survive a structured clone). */
  readonly rate?: string;
  readonly sampleRate?: number;
  readonly strict: boolean;
  readonly json: boolean;
  /** A batch: each written file is named on stdout, and --json lines carry "file" and "out". */
  readonly batch: boolean;
}

/** One conversion: IN to OUT (`-` for stdout). */
interface ConvertJob {
  readonly input: string;
  readonly output: string;
}

/** Converts one file; what `dubstage convert` prints for it. */
async function convertFile(job: ConvertJob, o: ConvertShared): Promise<FileOutput> {
  const { input, output } = job;
  const report = (fields: Record<string, unknown>): string => JSON.stringify(o.batch ? { file: input, out: output, ...fields } : fields) + '\n';
  let stderr = '';
  const rate = rateOption(o.rate);
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(input);
  } catch (e) {
    const why = (e as Error).message;
    stderr += `dubstage convert: cannot read ${input}: ${why}\n`;
    const stdout = o.batch && o.json ? report({ from: null, to: o.to ?? null, written: false, losses: [], diagnostics: [{ severity: 'error', code: 'cli/cannot-read', message: why, source: input }] }) : '';
    return { stdout, stderr, failed: true };
  }
  const r = convertTimeline(bytes, {
    fileName: input,
    source: input,
    ...(o.from ? { format: o.from } : {}),
    ...(o.to ? { to: o.to } : { outFileName: output }),
    ...(rate ? { rate } : {}),
    ...(o.sampleRate ? { sampleRate: o.sampleRate } : {}),
    write: rate ? { rate } : {},
  });
  // Every message names its file (some readers leave `source` to the caller).
  for (const d of r.diagnostics) stderr += formatDiagnostic(d.source === undefined ? { ...d, source: input } : d) + '\n';
  const failed = r.value === undefined || r.diagnostics.some((d) => d.severity === 'error' && !r.losses.includes(d));
  const lossy = r.losses.length > 0;
  let stdout = '';
  let written = false;
  if (!failed && !(o.strict && lossy)) {
    if (output === '-') stdout += typeof r.value === 'string' ? r.value : new TextDecoder().decode(r.value);
    else {
      try {
        // Complete or not at all: a failed or interrupted write leaves no partial OUT (issue 13).
        await writeFileAtomic(output, r.value as string | Uint8Array);
      } catch (e) {
        stderr += `dubstage convert: ${(e as Error).message}\n`;
        const line = o.batch && o.json ? report({ from: r.from ?? null, to: r.to ?? null, written: false, losses: r.losses, diagnostics: r.diagnostics }) : '';
        return { stdout: line, stderr, failed: true };
      }
    }
    written = true;
  }
  if (o.strict && lossy) stderr += `dubstage convert: ${o.batch ? `${input}: ` : ''}${r.losses.length} loss(es) converting to ${r.to}; --strict, nothing written\n`;
  if (o.json) stdout += report({ from: r.from ?? null, to: r.to ?? null, written, losses: r.losses, diagnostics: r.diagnostics });
  else if (o.batch && written) stdout += `${input} -> ${output}${lossy ? ` (${r.losses.length} loss${r.losses.length === 1 ? '' : 'es'})` : ''}\n`;
  return { stdout, stderr, failed: !written };
}

const convertTask = defineTask('convert', (shared: ConvertShared) => (job: ConvertJob) => convertFile(job, shared));

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** `name.ext` → `name`; a leading dot is part of the name. */
function stem(file: string): string {
  const base = basename(file);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** `dubstage convert`: any registered format to any other, reporting every loss. */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert timelines between formats (one file or a batch), listing what the target cannot hold',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      rate: { type: 'string' },
      'sample-rate': { type: 'string' },
      strict: { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      'out-dir': { type: 'string' },
      force: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      quiet: { type: 'boolean', short: 'q' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    const from = formatOption('from', values.from as string | undefined);
    const to = formatOption('to', values.to as string | undefined);
    const rateText = values.rate as string | undefined;
    rateOption(rateText);
    const sampleRate = sampleRateOption(values['sample-rate'] as string | undefined);
    const threads = jobsOption(values.jobs as string | undefined);
    const json = values.json === true;
    const strict = values.strict === true;
    const outOption = values.out as string | undefined;
    let outDir = values['out-dir'] as string | undefined;
    if (outOption !== undefined && outDir !== undefined) throw new UsageError('give -o/--out or --out-dir, not both');
    let inputs: string[];
    let outFile: string | undefined;
    const folderLike = async (p: string): Promise<boolean> => /[\\/]$/.test(p) || (await isFolder(p));
    if (outDir !== undefined) inputs = [...positionals];
    else if (outOption !== undefined) {
      inputs = [...positionals];
      if (outOption !== '-' && (await folderLike(outOption))) outDir = outOption;
      else outFile = outOption;
    } else {
      if (positionals.length < 2) throw new UsageError('expected IN and OUT (or inputs and -o DIR/ for a batch)');
      inputs = positionals.slice(0, -1);
      const last = positionals[positionals.length - 1] as string;
      if (last !== '-' && (await folderLike(last))) outDir = last;
      else outFile = last;
    }
    if (inputs.length === 0) throw new UsageError('expected an input file, folder or glob');
    const shared = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(rateText !== undefined ? { rate: rateText } : {}), ...(sampleRate ? { sampleRate } : {}), strict, json };

    if (outFile !== undefined) {
      if (inputs.length !== 1 || isPattern(inputs[0] as string)) throw new UsageError(`many inputs convert into a folder: -o DIR/ or --out-dir DIR (not "${outFile}")`);
      if (!to && outFile === '-') throw new UsageError('--to is required when OUT is -');
      if (json && outFile === '-') throw new UsageError('--json cannot be used with OUT = -');
      const out = await convertFile({ input: inputs[0] as string, output: outFile }, { ...shared, batch: false });
      io.stderr.write(out.stderr);
      io.stdout.write(out.stdout);
      return out.failed ? EXIT_INVALID : EXIT_OK;
    }

    // A batch into outDir.
    const dir = outDir as string;
    if (!to) throw new UsageError('a batch needs --to ID (the format to write)');
    const target = formatById(to);
    if (!target?.write) throw new UsageError(`--to: ${target?.name ?? to} cannot be written`);
    const ext = target.extensions[0] ?? `.${target.id}`;
    const expanded = expandInputs(inputs, { extensions: timelineExtensions() });
    const missing = expanded.unmatched.filter((a) => !isPattern(a));
    let failed = expanded.unmatched.length > missing.length;
    for (const a of expanded.unmatched) if (isPattern(a)) io.stderr.write(`dubstage convert: ${a}: no timeline files there\n`);
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      io.stderr.write(`dubstage convert: cannot create the output folder ${dir}: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    // Plan every output name first: a clash (case-insensitive, as on macOS and Windows volumes)
    // or an existing file is refused by name, never overwritten silently.
    const jobs: ConvertJob[] = [];
    const taken = new Map<string, ConvertJob>();
    for (const input of [...expanded.files, ...missing]) {
      const output = join(dir, stem(input) + ext);
      const key = output.toLowerCase();
      const first = taken.get(key);
      if (first !== undefined) {
        io.stderr.write(`dubstage convert: ${input}: not converted: ${output} would be the same file as ${first.output} (from ${first.input}); rename one, or convert them into separate folders\n`);
        failed = true;
        continue;
      }
      taken.set(key, { input, output });
      if (!values.force && (await exists(output))) {
        io.stderr.write(`dubstage convert: ${input}: not converted: ${output} already exists (--force replaces it)\n`);
        failed = true;
        continue;
      }
      jobs.push({ input, output });
    }
    const progress = progressFor(io, jobs.length, 'convert', json || values.quiet === true);
    progress.start();
    const batchFailed = await runFileBatch(io, {
      command: 'convert',
      task: convertTask,
      shared: { ...shared, batch: true },
      jobs,
      threads,
      progress,
      label: (j) => j.input,
      fileOf: (j) => j.input,
      notice: (t) => progress.print(io.stderr, `dubstage convert: ${t}\n`),
      failureLine: (j, error) => (json ? JSON.stringify({ file: j.input, out: j.output, from: null, to, written: false, losses: [], diagnostics: [{ severity: 'error', code: 'cli/internal', message: error, source: j.input }] }) + '\n' : ''),
    });
    progress.finish();
    return failed || batchFailed ? EXIT_INVALID : EXIT_OK;
  },
};
