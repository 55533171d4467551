import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { renderGradebook, renderText } from '../../grade/feedback.js';
import { grade, type GradeResult } from '../../grade/grade.js';
import { toGradescope } from '../../grade/gradescope.js';
import { renderHtml } from '../../grade/report-html.js';
import { parseRubric, referencePaths, type Rubric } from '../../grade/rubric.js';
import type { Submission } from '../../grade/types.js';
// Output files appear complete or not at all (issue 13).
import { loudnessWorkers, openFileSource, writeFileAtomic as writeFile, type FileByteSource } from '../../node.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import { defineTask, jobsOption, runBatch } from '../pool.js';
import { progressFor } from '../progress.js';
import type { Command } from './command.js';

const USAGE = `usage: dubstage grade RUBRIC SUBMISSION [--format text|json|gradescope] [--json] [--html FILE] [-o FILE]
       dubstage grade RUBRIC --batch DIR [--jobs N] [--csv FILE] [--out-dir DIR] [--quiet] [--json]

Grades a student's submission (a file, or a folder of files) against RUBRIC, a
dubstage.rubric/1 JSON file (docs/grading.md). Reference files the rubric names are read
relative to the rubric's folder. Large audio files are read in pieces, never whole.

  --format text        the student's feedback as text (default)
  --format json        the full result (dubstage.grade/1) as JSON; same as --json
  --format gradescope  Gradescope's results.json (score, tests with name, score, max_score,
                       output, visibility)
  -o, --out FILE       write the result there instead of stdout
  --html FILE          also write a self-contained HTML report with a picture of the
                       timeline differences
  --batch DIR          grade every subfolder of DIR as one submission (sorted by name)
  -j, --jobs N         grade N submissions at a time on worker threads (needs the built CLI;
                       default 1: this thread); results keep the folder order. Without
                       --batch: measure the submission's audio loudness on N threads
  --csv FILE           write the gradebook (one row per submission, points per check)
  --out-dir DIR        write <submission>.json (and .html with --html given any value) per submission
  -q, --quiet          no progress bar (it shows on stderr only when that is a terminal, never
                       with --json)

examples:
  dubstage grade examples/rubrics/spotting/rubric.json examples/rubrics/spotting/submissions/flawed
  dubstage grade rubric.json student/ --html report.html
  dubstage grade rubric.json /autograder/submission --format gradescope -o results.json
  dubstage grade rubric.json --batch class/ --jobs 2 --csv gradebook.csv

Exit status: 0 graded (whatever the score), 1 invalid rubric or unreadable input, 2 usage error.`;

/** Files of a submission folder (recursive, hidden files and macOS resource forks skipped), or one file. */
async function listSubmission(path: string): Promise<{ name: string; files: { path: string; abs: string }[] }> {
  const st = await stat(path);
  const name = basename(resolve(path));
  if (!st.isDirectory()) return { name, files: [{ path: basename(path), abs: resolve(path) }] };
  const files: { path: string; abs: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === '__MACOSX') continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) files.push({ path: relative(path, abs).split(sep).join('/'), abs: resolve(abs) });
    }
  };
  await walk(path);
  return { name, files };
}

/** Grades one listed submission in this thread, opening its files as random-access sources. */
async function gradeListed(rubric: Rubric, listed: { name: string; files: { path: string; abs: string }[] }, references: ReadonlyMap<string, Uint8Array>, jobs = 1): Promise<GradeResult> {
  // One submission with --jobs N: its audio files' loudness is measured on N − 1 worker threads.
  const workers = jobs > 1 ? loudnessWorkers(jobs) : undefined;
  const sources: FileByteSource[] = [];
  try {
    for (const f of listed.files) sources.push(await openFileSource(f.abs));
    const submission: Submission = { name: listed.name, files: listed.files.map((f, i) => ({ path: f.path, source: sources[i] as FileByteSource })) };
    return await grade(rubric, submission, { references, ...(workers ? { measureLoudness: workers.measureLoudness } : {}) });
  } finally {
    for (const s of sources) await s.close();
    await workers?.close();
  }
}

/** What every thread grading a batch is given once. */
interface GradeShared {
  readonly rubricText: string;
  readonly rubricSource: string;
  readonly references: ReadonlyMap<string, Uint8Array>;
}

type Listed = { name: string; files: { path: string; abs: string }[] };

/** Grading one submission of a batch; the rubric is validated once per thread. */
const gradeTask = defineTask('grade', (shared: GradeShared) => {
  const parsed = parseRubric(shared.rubricText, { source: shared.rubricSource });
  if (!parsed.ok) throw new Error('the rubric did not validate');
  const rubric = parsed.value;
  return (listed: Listed) => gradeListed(rubric, listed, shared.references);
});

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'submission';
}

/** `dubstage grade`: grade submissions against a rubric (issue 11). */
export const gradeCommand: Command = {
  name: 'grade',
  summary: 'Grade a submission (or a class) against a rubric: score, feedback, Gradescope results',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      format: { type: 'string', choices: ['text', 'json', 'gradescope'] }, json: { type: 'boolean' }, html: { type: 'string' }, out: { type: 'string', short: 'o' },
      batch: { type: 'string' }, jobs: { type: 'string', short: 'j' }, quiet: { type: 'boolean', short: 'q' }, csv: { type: 'string' }, 'out-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    const batch = values.batch as string | undefined;
    if (positionals.length !== (batch !== undefined ? 1 : 2)) throw new UsageError(batch !== undefined ? 'expected RUBRIC with --batch DIR' : 'expected RUBRIC and SUBMISSION');
    const format = values.json ? 'json' : ((values.format as string | undefined) ?? 'text');
    const jobs = jobsOption(values.jobs as string | undefined);
    if (batch === undefined && (values.csv !== undefined || values['out-dir'] !== undefined)) throw new UsageError('--csv and --out-dir go with --batch');

    const rubricPath = positionals[0] as string;
    let rubricText: string;
    try {
      rubricText = await readFile(rubricPath, 'utf8');
    } catch (e) {
      io.stderr.write(`dubstage grade: cannot read the rubric: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    const parsed = parseRubric(rubricText, { source: rubricPath });
    for (const d of parsed.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
    if (!parsed.ok) return EXIT_INVALID;
    const rubric = parsed.value;
    const references = new Map<string, Uint8Array>();
    for (const p of referencePaths(rubric)) {
      try {
        const b = await readFile(resolve(dirname(rubricPath), p));
        references.set(p, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      } catch (e) {
        io.stderr.write(`dubstage grade: cannot read the rubric's reference "${p}": ${(e as Error).message}\n`);
        return EXIT_INVALID;
      }
    }

    if (batch === undefined) {
      let listed;
      try {
        listed = await listSubmission(positionals[1] as string);
      } catch (e) {
        io.stderr.write(`dubstage grade: cannot read the submission: ${(e as Error).message}\n`);
        return EXIT_INVALID;
      }
      const result = await gradeListed(rubric, listed, references, jobs);
      for (const d of result.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
      const { views: _views, ...plain } = result;
      const text = format === 'json' ? JSON.stringify(plain, null, 2) + '\n' : format === 'gradescope' ? JSON.stringify(toGradescope(result), null, 2) + '\n' : renderText(result);
      try {
        if (values.out !== undefined) await writeFile(values.out as string, text);
        else io.stdout.write(text);
        if (values.html !== undefined) await writeFile(values.html as string, renderHtml(result));
      } catch (e) {
        io.stderr.write(`dubstage grade: cannot write: ${(e as Error).message}\n`);
        return EXIT_INVALID;
      }
      return EXIT_OK;
    }

    let listed: { name: string; files: { path: string; abs: string }[] }[];
    try {
      const entries = (await readdir(batch, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
      listed = await Promise.all(entries.map((n) => listSubmission(join(batch, n))));
    } catch (e) {
      io.stderr.write(`dubstage grade: cannot read the batch folder: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    if (listed.length === 0) io.stderr.write(`dubstage grade: ${batch} has no submission folders\n`);
    const started = Date.now();
    const results: GradeResult[] = [];
    let failed = false;
    const progress = progressFor(io, listed.length, 'grade', format === 'json' || values.quiet === true);
    progress.start();
    await runBatch({
      task: gradeTask,
      shared: { rubricText, rubricSource: rubricPath, references },
      jobs: listed,
      threads: jobs,
      progress,
      label: (l) => l.name,
      notice: (t) => progress.print(io.stderr, `dubstage grade: ${t}\n`),
      onOutcome: (i, outcome) => {
        if (outcome.ok) results.push(outcome.value);
        else {
          failed = true;
          progress.print(io.stderr, `dubstage grade: ${listed[i]?.name}: could not be graded: ${outcome.error}\n`);
        }
      },
    });
    progress.finish();
    io.stderr.write(`dubstage grade: graded ${results.length} submission${results.length === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
    try {
      if (values.csv !== undefined) await writeFile(values.csv as string, renderGradebook(results));
      const outDir = values['out-dir'] as string | undefined;
      if (outDir !== undefined) {
        for (const r of results) {
          const { views: _views, ...plain } = r;
          await writeFile(join(outDir, `${safeName(r.submission)}.json`), JSON.stringify(format === 'gradescope' ? toGradescope(r) : plain, null, 2) + '\n');
          if (values.html !== undefined) await writeFile(join(outDir, `${safeName(r.submission)}.html`), renderHtml(r));
        }
      }
    } catch (e) {
      io.stderr.write(`dubstage grade: cannot write: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    if (format === 'json') io.stdout.write(JSON.stringify(results.map(({ views: _v, ...plain }) => plain), null, 2) + '\n');
    else if (values.csv === undefined) io.stdout.write(renderGradebook(results));
    else for (const r of results) io.stdout.write(`${r.submission}\t${r.score} / ${r.maxScore}\n`);
    return failed ? EXIT_INVALID : EXIT_OK;
  },
};
