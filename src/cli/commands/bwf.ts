import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { hundredthsToDecimal, bwfToJson } from '../../formats/bwf/json.js';
import { readBwf, startTimecode, type BwfFile, type BwfStart } from '../../formats/bwf/read.js';
import { markerSpecsOf, type MarkerSpec } from '../../formats/bwf/markers.js';
import { speakersOfMask } from '../../formats/bwf/fmt.js';
import { LOUDNESS_FIELDS, type BextChanges } from '../../formats/bwf/bext.js';
import type { IxmlChanges } from '../../formats/bwf/ixml.js';
import { openFileSource, writeBwfFile } from '../../node.js';
import { FrameRate } from '../../time/frame-rate.js';
import { timecodeToTimeReference, timeReferenceToTimecode } from '../../time/bwf-time.js';
import { Timecode } from '../../time/timecode.js';
import { parseArgs, type ParsedArgs } from '../args.js';
import { expandInputs, isPattern } from '../inputs.js';
import { defineTask, jobsOption, runFileBatch, type FileOutput, type TaskDef } from '../pool.js';
import { progressFor } from '../progress.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: dubstage bwf FILE|FOLDER|GLOB... [--rate RATE] [--jobs N] [--quiet] [--json]
       dubstage bwf set FILE|FOLDER|GLOB... [--description TEXT] [--originator TEXT] [--originator-reference TEXT]
                             [--time-reference SAMPLES | --timecode TC --rate RATE]
                             [--scene S] [--take T] [--tape T] [--note N] [--project P]
                             [--marker POSITION[:LABEL]]... [--clear-markers]
                             [--out NEWFILE] [--jobs N] [--quiet] [--json]

Shows a Broadcast Wave file's format, chunks, bext, iXML, markers and start timecode, reading
only the metadata (never the audio). 'set' changes bext and iXML fields and cue markers: in
place when the chunks fit, else by writing a new file beside it and renaming it over the
original when done.

Folders and quoted globs ('day1/**/*.wav') stand for the WAVE files under them (.wav .bwf
.rf64 .w64 .wave); 'set' then makes the same change to each (a --timecode is placed at each
file's own sample rate). Results print in input order; a file that fails is reported with its
path and the others go on.

  --rate RATE             timecode rate for the start (default: iXML's TIMECODE_RATE, else 24);
                          with --timecode, the rate of that timecode
  --json                  one JSON object per file on stdout (64-bit integers as strings)
  --time-reference N      new bext TimeReference in samples since midnight (iXML follows)
  --timecode TC           new start as a timecode at --rate, converted at the file's sample rate
                          (nearest sample, halves up)
  --scene, --take, --tape, --note, --project   iXML fields (created when missing)
  --marker POSITION[:LABEL]  add a cue marker (repeatable); POSITION is a sample offset from the
                          start of the audio (1234) or a timecode (01:00:10:00, ';' before the
                          frames for drop frame) at --rate (default: iXML's rate, else 24),
                          taken from the file's start (bext TimeReference)
  --clear-markers         remove the file's markers first (with --marker: replace them)
  --out NEWFILE           write the changed file there; FILE is not touched (one FILE only)
  -j, --jobs N            work on N files at a time on worker threads (default 1: this thread)
  -q, --quiet             no progress bar (it shows on stderr only when that is a terminal,
                          never with --json)

examples:
  dubstage bwf take.wav                                     # format, chunks, bext, iXML, start TC
  dubstage bwf day1/*.wav --json > metadata.jsonl
  dubstage bwf set take.wav --timecode 01:00:00:00 --rate 25 --scene 12 --take 3
  dubstage bwf set stem.wav --marker 01:00:00:00:FFOA --marker 96000:pop --out stem-marked.wav
  dubstage bwf 'day1/**/*.wav' --jobs 2 --json > day1.jsonl
  dubstage bwf set day2/ --timecode 10:00:00:00 --rate 23.976 --project "Reel 2" --jobs 2

Exit status: 0 ok, 1 a file is not a readable WAVE or a value was refused, 2 usage error.`;

function parseRate(text: string): FrameRate {
  const r = FrameRate.parse(text);
  if (!r.ok) throw new UsageError(`--rate: ${r.diagnostics[0].message}`);
  return r.value;
}

function pad(label: string): string {
  return `  ${label.padEnd(10)}`;
}

/** The human report of one file. */
function describe(name: string, file: BwfFile, start: BwfStart | undefined): string {
  const lines: string[] = [name];
  const f = file.format;
  if (f) {
    const enc = f.encoding === 'pcm' ? 'PCM' : f.encoding === 'float' ? 'float' : 'encoded';
    const mask = f.channelMask !== undefined ? `, mask 0x${f.channelMask.toString(16)} (${speakersOfMask(f.channelMask).join(' ')})` : '';
    lines.push(`${pad('format')}${enc} ${f.bitsPerSample}-bit, ${f.channels} ch, ${f.sampleRate} Hz (tag 0x${f.formatTag.toString(16).padStart(4, '0')})${mask}${file.frameCount !== undefined ? `, ${file.frameCount} frames` : ''}`);
  }
  lines.push(`${pad('container')}${file.layout.form}, ${file.layout.fileSize} bytes`);
  lines.push(`${pad('chunks')}${file.chunks.map((c) => `${c.listType ? `${c.id}/${c.listType}` : c.id.trim() || c.id}@${c.offset}(${c.size})`).join(' ')}`);
  if (start) lines.push(`${pad('start')}${start.timecode.toString()} at ${start.rate.name} (rate from ${start.rateSource}), TimeReference ${start.timeReference}`);
  const b = file.bext;
  if (b) {
    lines.push(`${pad('bext')}version ${b.version}`);
    const kv = (k: string, v: string | undefined) => {
      if (v !== undefined && v !== '') lines.push(`    ${k.padEnd(20)} ${v.replace(/\r?\n/g, ' | ').replace(/[\x00-\x08\x0b-\x1f]/g, '.')}`);
    };
    kv('description', b.description);
    kv('originator', b.originator);
    kv('originatorReference', b.originatorReference);
    kv('originationDate', b.originationDate);
    kv('originationTime', b.originationTime);
    kv('timeReference', b.timeReference.toString());
    kv('umid', b.umid);
    for (const l of LOUDNESS_FIELDS) kv(l, b[l] === undefined ? undefined : hundredthsToDecimal(b[l] as number));
    kv('codingHistory', b.codingHistory);
  }
  const x = file.ixml;
  if (x) {
    lines.push(`${pad('iXML')}${x.version ? `version ${x.version}` : ''}`);
    const kv = (k: string, v: string | undefined) => {
      if (v !== undefined && v !== '') lines.push(`    ${k.padEnd(20)} ${v}`);
    };
    kv('project', x.project);
    kv('scene', x.scene);
    kv('take', x.take);
    kv('tape', x.tape);
    kv('note', x.note);
    kv('circled', x.circled === undefined ? undefined : String(x.circled));
    kv('speed', x.speed?.timecodeRate ? `${x.speed.timecodeRate} ${x.speed.timecodeFlag ?? ''}`.trim() : undefined);
    for (const t of x.tracks) kv(`track ${t.interleaveIndex ?? '?'}`, [t.name, t.function, t.channelIndex !== undefined ? `(channel ${t.channelIndex})` : undefined].filter((s) => s).join(' '));
  }
  if (file.markers.length > 0) {
    lines.push(`${pad('markers')}${file.markers.length}`);
    for (const m of file.markers) lines.push(`    ${String(m.id).padEnd(4)} ${String(m.position).padStart(10)}${m.length !== undefined ? ` +${m.length}` : ''}  ${m.label ?? ''}${m.note ? ` (${m.note})` : ''}`);
  }
  if (file.info.length > 0) {
    lines.push(`${pad('INFO')}${file.info.map((t) => `${t.id}=${t.value}`).join('; ')}`);
  }
  return lines.join('\n') + '\n';
}

/** The options of `dubstage bwf` (show), as plain data (they cross to worker threads). */
interface ShowShared {
  /** `--rate` as typed (a FrameRate does not survive a structured clone). */
  readonly rate?: string;
  readonly json: boolean;
}

/** Reads one file's metadata: what `dubstage bwf` prints for it. */
async function showFile(path: string, o: ShowShared): Promise<FileOutput> {
  const rate = o.rate !== undefined ? parseRate(o.rate) : undefined;
  let source;
  try {
    source = await openFileSource(path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      stderr: `${path}: error bwf/cannot-open: ${why}\n`,
      stdout: o.json ? JSON.stringify({ file: path, diagnostics: [{ severity: 'error', code: 'bwf/cannot-open', message: why }] }) + '\n' : '',
      failed: true,
    };
  }
  try {
    const r = await readBwf(source, { source: path });
    let stderr = '';
    for (const d of r.diagnostics) stderr += formatDiagnostic(d) + '\n';
    if (!r.ok) return { stderr, stdout: o.json ? JSON.stringify({ file: path, diagnostics: r.diagnostics }) + '\n' : '', failed: true };
    const start = startTimecode(r.value, rate ? { rate } : {});
    const stdout = o.json ? JSON.stringify(bwfToJson(path, r.value, start, r.diagnostics)) + '\n' : describe(path, r.value, start);
    return { stderr, stdout, failed: r.diagnostics.some((d) => d.severity === 'error') };
  } finally {
    await source.close();
  }
}

const showTask = defineTask('bwf', (shared: ShowShared) => (path: string) => showFile(path, shared));

const WAVE_EXTENSIONS = ['.wav', '.bwf', '.rf64', '.w64', '.wave'];

/** The files of a `bwf` batch: folders and quoted globs expand to the WAVE files under them. */
function waveInputs(args: readonly string[]): string[] {
  // A name that matches nothing stays in the list and is reported as unreadable in its turn.
  const expanded = expandInputs(args, { extensions: WAVE_EXTENSIONS });
  return [...expanded.files, ...expanded.unmatched];
}

/** Runs a per-file bwf task over `paths` in input order; the exit status. */
async function batch<S>(io: CliIo, task: TaskDef<S, string, FileOutput>, shared: S, paths: readonly string[], values: ParsedArgs['values'], title: string): Promise<number> {
  const progress = progressFor(io, paths.length, title, values.json === true || values.quiet === true);
  progress.start();
  const failed = await runFileBatch(io, {
    command: title,
    task,
    shared,
    jobs: paths,
    threads: jobsOption(values.jobs as string | undefined),
    progress,
    label: (p) => p,
    fileOf: (p) => p,
    notice: (t) => progress.print(io.stderr, `dubstage ${title}: ${t}\n`),
    failureLine: (p, error) => (values.json === true ? JSON.stringify({ file: p, diagnostics: [{ severity: 'error', code: 'cli/internal', message: error }] }) + '\n' : ''),
  });
  progress.finish();
  return failed ? EXIT_INVALID : EXIT_OK;
}

async function show(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs(argv, {
    rate: { type: 'string' },
    json: { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('no FILE given');
  if (typeof values.rate === 'string') parseRate(values.rate);
  const shared: ShowShared = { ...(typeof values.rate === 'string' ? { rate: values.rate } : {}), json: values.json === true };
  return batch(io, showTask, shared, waveInputs(positionals), values, 'bwf');
}

/**
 * Takes every `--NAME VALUE` / `--NAME=VALUE` out of `argv` (the shared parser keeps only the last
 * value of an option; `--marker` repeats).
 */
function takeRepeated(argv: readonly string[], name: string): { rest: string[]; values: string[] } {
  const rest: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] as string;
    if (tok === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (tok === `--${name}`) {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      values.push(argv[++i] as string);
    } else if (tok.startsWith(`--${name}=`)) values.push(tok.slice(name.length + 3));
    else rest.push(tok);
  }
  return { rest, values };
}

/** A `--marker` value: a sample offset or a timecode, then an optional `:LABEL`. */
interface MarkerArg {
  readonly samples?: bigint;
  readonly timecode?: string;
  readonly label?: string;
}

/** Parses `SAMPLES[:LABEL]` or `HH:MM:SS:FF[:LABEL]` (`;` or `.` before FF allowed). */
function parseMarkerArg(text: string): MarkerArg {
  const tc = /^(\d{1,2}:\d{2}:\d{2}[:;.]\d{2,3})(?::(.*))?$/s.exec(text);
  if (tc) return { timecode: tc[1] as string, ...(tc[2] !== undefined ? { label: tc[2] } : {}) };
  const n = /^(\d{1,20})(?::(.*))?$/s.exec(text);
  if (n) return { samples: BigInt(n[1] as string), ...(n[2] !== undefined ? { label: n[2] } : {}) };
  throw new UsageError(`--marker: "${text}" is not SAMPLES[:LABEL] or HH:MM:SS:FF[:LABEL]`);
}

/**
 * The markers `bwf set` writes: the file's own (unless cleared) followed by the new ones, each new
 * one with the next free cue id. Timecodes are placed against `startReference` (samples since
 * midnight at the file's rate). Problems are returned as messages: a marker before the start or past
 * the end of the audio is refused.
 */
function plannedMarkers(
  file: BwfFile,
  args: readonly MarkerArg[],
  clear: boolean,
  rate: FrameRate | undefined,
  startReference: bigint,
): { markers: MarkerSpec[]; problems: string[] } {
  const markers = clear ? [] : markerSpecsOf(file.markers);
  const problems: string[] = [];
  let nextId = markers.reduce((m, k) => Math.max(m, k.id ?? 0), 0) + 1;
  const sampleRate = file.format?.sampleRate ?? 0;
  const tcRate = rate ?? startTimecode(file)?.rate ?? FrameRate.FPS_24;
  for (const a of args) {
    let position: bigint;
    if (a.timecode !== undefined) {
      const tc = Timecode.parse(a.timecode, { rate: tcRate });
      if (!tc.ok) {
        problems.push(`--marker ${a.timecode}: ${tc.diagnostics[0].message}`);
        continue;
      }
      if (sampleRate === 0) {
        problems.push(`--marker ${a.timecode}: the file has no sample rate to place a timecode with`);
        continue;
      }
      position = timecodeToTimeReference(tc.value, sampleRate) - startReference;
      if (position < 0n) {
        problems.push(`--marker ${a.timecode}: before the file's start (${timeReferenceToTimecode(startReference, { sampleRate, rate: tcRate }).toString()} at ${tcRate.name})`);
        continue;
      }
    } else position = a.samples as bigint;
    if (file.frameCount !== undefined && position > BigInt(file.frameCount)) {
      problems.push(`--marker ${a.timecode ?? String(a.samples)}: sample ${position} is past the end of the audio (${file.frameCount} frames)`);
      continue;
    }
    markers.push({ id: nextId++, position: Number(position), ...(a.label !== undefined ? { label: a.label } : {}) });
  }
  return { markers, problems };
}

/** What `bwf set` changes, as plain data (it crosses to worker threads). */
interface SetPlan {
  readonly bext: BextChanges;
  readonly ixml: IxmlChanges;
  readonly markerArgs: readonly MarkerArg[];
  readonly clearMarkers: boolean;
  /** `--timecode` and `--rate` as typed (parsed again in each thread). */
  readonly timecode?: string;
  readonly rate?: string;
  readonly out?: string;
  readonly json: boolean;
}

/** Applies a {@link SetPlan} to one file: what `dubstage bwf set` prints for it. */
async function setFile(path: string, plan: SetPlan): Promise<FileOutput> {
  const bext: { -readonly [K in keyof BextChanges]: BextChanges[K] } = { ...plan.bext };
  let stderr = '';
  const fail = (text: string): FileOutput => ({ stderr: stderr + text, stdout: '', failed: true });
  const rate = plan.rate !== undefined ? parseRate(plan.rate) : undefined;
  const tc = plan.timecode !== undefined && rate ? Timecode.parse(plan.timecode, { rate }) : undefined;
  let markers: MarkerSpec[] | undefined;
  if (tc || plan.markerArgs.length > 0) {
    // The file's sample rate, start and markers are needed to place timecodes and add markers.
    let source;
    try {
      source = await openFileSource(path);
    } catch (e) {
      return fail(`${path}: error bwf/cannot-open: ${e instanceof Error ? e.message : String(e)}\n`);
    }
    let file: BwfFile;
    try {
      const r = await readBwf(source, { source: path });
      const sampleRate = r.ok ? r.value.format?.sampleRate : undefined;
      if (!r.ok || !sampleRate) {
        for (const d of r.diagnostics) stderr += formatDiagnostic(d) + '\n';
        return fail(`${path}: error bwf/missing-fmt: no sample rate to place timecodes and markers with\n`);
      }
      file = r.value;
    } finally {
      await source.close();
    }
    if (tc && tc.ok) bext.timeReference = timecodeToTimeReference(tc.value, file.format?.sampleRate as number);
    if (plan.markerArgs.length > 0 || plan.clearMarkers) {
      const planned = plannedMarkers(file, plan.markerArgs, plan.clearMarkers, rate, bext.timeReference ?? startTimecode(file)?.timeReference ?? 0n);
      if (planned.problems.length > 0) return fail(planned.problems.map((p) => `${path}: error bwf/bad-marker: ${p}\n`).join(''));
      markers = planned.markers;
    }
  } else if (plan.clearMarkers) markers = [];
  let result;
  try {
    result = await writeBwfFile(path, { bext, ixml: plan.ixml, ...(markers ? { markers } : {}) }, plan.out !== undefined ? { out: plan.out } : {});
  } catch (e) {
    return fail(`${path}: error bwf/cannot-open: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  const diagnostics: readonly Diagnostic[] = result.diagnostics;
  for (const d of diagnostics) stderr += formatDiagnostic(d) + '\n';
  let stdout = '';
  if (plan.json) {
    stdout = JSON.stringify({ file: result.path, mode: result.mode, timeReference: bext.timeReference?.toString() ?? null, markers: markers ? markers.map((m) => ({ id: m.id, position: m.position, ...(m.label !== undefined ? { label: m.label } : {}) })) : null, diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, offset: d.at?.offset ?? null })) }) + '\n';
  } else if (result.mode !== 'failed') {
    stderr += `${result.path}: ${result.mode === 'in-place' ? 'changed in place' : result.mode === 'rewrite' ? 'rewritten' : 'nothing to change'}\n`;
  }
  return { stdout, stderr, failed: result.mode === 'failed' };
}

const setTask = defineTask('bwf set', (plan: SetPlan) => (path: string) => setFile(path, plan));

async function set(argv0: readonly string[], io: CliIo): Promise<number> {
  const { rest: argv, values: markerTexts } = takeRepeated(argv0, 'marker');
  const markerArgs = markerTexts.map(parseMarkerArg);
  const { values, positionals } = parseArgs(argv, {
    description: { type: 'string' },
    originator: { type: 'string' },
    'originator-reference': { type: 'string' },
    'time-reference': { type: 'string' },
    timecode: { type: 'string' },
    rate: { type: 'string' },
    scene: { type: 'string' },
    take: { type: 'string' },
    tape: { type: 'string' },
    note: { type: 'string' },
    project: { type: 'string' },
    out: { type: 'string' },
    'clear-markers': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    quiet: { type: 'boolean', short: 'q' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('bwf set needs a FILE (or folders and globs of them)');
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  if (str('time-reference') !== undefined && str('timecode') !== undefined) throw new UsageError('give --time-reference or --timecode, not both');
  if (str('timecode') !== undefined && str('rate') === undefined) throw new UsageError('--timecode needs --rate');
  const bext: { -readonly [K in keyof BextChanges]: BextChanges[K] } = {};
  if (str('description') !== undefined) bext.description = str('description') as string;
  if (str('originator') !== undefined) bext.originator = str('originator') as string;
  if (str('originator-reference') !== undefined) bext.originatorReference = str('originator-reference') as string;
  const tr = str('time-reference');
  if (tr !== undefined) {
    if (!/^\d{1,20}$/.test(tr) || BigInt(tr) > 0xffffffffffffffffn) throw new UsageError(`--time-reference must be a sample count in 0..2^64-1 (got "${tr}")`);
    bext.timeReference = BigInt(tr);
  }
  const tcText = str('timecode');
  const rateText = str('rate');
  if (rateText !== undefined) parseRate(rateText);
  const tc = tcText === undefined ? undefined : Timecode.parse(tcText, { rate: parseRate(rateText as string) });
  if (tc && !tc.ok) {
    for (const d of tc.diagnostics) io.stderr.write(formatDiagnostic({ ...d, source: '--timecode' }) + '\n');
    return EXIT_INVALID;
  }
  const ixml: { -readonly [K in keyof IxmlChanges]: IxmlChanges[K] } = {};
  for (const k of ['scene', 'take', 'tape', 'note', 'project'] as const) if (str(k) !== undefined) ixml[k] = str(k) as string;
  const plan: SetPlan = {
    bext,
    ixml,
    markerArgs,
    clearMarkers: values['clear-markers'] === true,
    ...(tcText !== undefined ? { timecode: tcText } : {}),
    ...(rateText !== undefined ? { rate: rateText } : {}),
    ...(str('out') !== undefined ? { out: str('out') as string } : {}),
    json: values.json === true,
  };
  const paths = positionals.length === 1 && !isPattern(positionals[0] as string) ? [positionals[0] as string] : waveInputs(positionals);
  if (plan.out !== undefined && paths.length !== 1) throw new UsageError('--out names one new file: give exactly one FILE with it');
  return batch(io, setTask, plan, paths, values, 'bwf set');
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'set') return set(argv.slice(1), io);
  return show(argv, io);
}

/** `dubstage bwf`: show or change Broadcast Wave metadata. */
export const bwfCommand: Command = {
  name: 'bwf',
  summary: 'show or change Broadcast Wave metadata (bext, iXML, markers, start timecode)',
  usage: USAGE,
  run,
};
