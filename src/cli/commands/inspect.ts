import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { FORMATS, detectFormat, formatById, readTimeline } from '../../formats/registry.js';
import { write as writeJson } from '../../formats/json/write.js';
import { clipEnd, timelineEnd } from '../../model/build.js';
import type { Timeline } from '../../model/types.js';
import { validate } from '../../model/validate.js';
import { readBytes } from '../../node.js';
import { FrameRate } from '../../time/frame-rate.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { parseArgs } from '../args.js';
import { expandInputs, isPattern } from '../inputs.js';
import { defineTask, jobsOption, runFileBatch, type FileOutput } from '../pool.js';
import { progressFor } from '../progress.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: dubstage inspect FILE|FOLDER|GLOB... [--format ID] [--rate RATE] [--sample-rate HZ]
                        [--jobs N] [--quiet] [--json]

Reads a timeline in any format dubstage knows and prints a summary: name, format, rates, start
timecode and length, each track with its clip count and extent, markers, media, and every
diagnostic (from reading and from checking the timeline: overlaps, clips past their media,
unknown media). With --json, prints the timeline as dubstage JSON on stdout instead.

Many inputs (several files, a folder, or a quoted glob such as 'cuts/**/*.edl') make a batch:
folders and globs take every file with an extension dubstage reads, each summary starts with a
"file:" line, and a file that cannot be read is reported with its path while the rest go on.
Results print in input order.

  --format ID        read as this format (default: by content, then by extension)
  --rate RATE        picture rate for formats that do not state one (EDL): 23.976 24 25 29.97df ...
  --sample-rate HZ   session sample rate for formats that do not state one
  --json             one file: the timeline as dubstage JSON (schema dubstage.timeline) on stdout;
                     a batch: one JSON line per file {"file","format","timeline","diagnostics"}
  -j, --jobs N       read N files at a time on worker threads (default 1: this thread)
  -q, --quiet        no progress bar (it shows on stderr only when that is a terminal, never with --json)

examples:
  dubstage inspect cut.edl --rate 23.976
  dubstage inspect mix.aaf
  dubstage inspect session.txt --json > session.json
  dubstage inspect exports/ --jobs 2
  dubstage inspect 'reels/**/*.edl' --rate 25 --json > reels.jsonl

Exit status: 0 read (warnings may be listed), 1 a file could not be read, 2 usage error.`;

/** Parses a `--rate` value or throws a usage error. */
export function rateOption(text: string | undefined): FrameRate | undefined {
  if (text === undefined) return undefined;
  const r = FrameRate.parse(text);
  if (!r.ok) throw new UsageError(`--rate: ${r.diagnostics[0].message}`);
  return r.value;
}

/** Parses a `--sample-rate` value or throws a usage error. */
export function sampleRateOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(n > 0)) throw new UsageError(`--sample-rate: "${text}" is not a positive whole number of Hz`);
  return n;
}

/** Checks `--format`/`--from`/`--to` ids against the registry or throws a usage error. */
export function formatOption(name: string, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (!formatById(id)) throw new UsageError(`--${name}: unknown format "${id}" (known: ${FORMATS.map((f) => f.id).join(', ')})`);
  return id.toLowerCase();
}

/** A timeline position as the timecode that labels it (floor to the frame), `+N/D s` when off the frame grid. */
export function positionLabel(t: RationalTime, timeline: Timeline): string {
  const rate = timeline.frameRate;
  const frames = t.toFrames(rate, 'floor');
  let label: string;
  try {
    label = Timecode.fromFrames(BigInt(timeline.startTimecode.frames) + frames, rate, { overflow: 'wrap' }).toString();
  } catch {
    label = `${frames} fr`;
  }
  const rest = t.minus(RationalTime.fromFrames(frames, rate));
  return rest.isZero() ? label : `${label}+${rest}s`;
}

function lengthLabel(t: RationalTime, timeline: Timeline): string {
  const rate = timeline.frameRate;
  const frames = t.toFrames(rate, 'floor');
  let label: string;
  try {
    label = Timecode.fromFrames(frames, rate, { overflow: 'signed' }).toString();
  } catch {
    label = `${frames} fr`;
  }
  const rest = t.minus(RationalTime.fromFrames(frames, rate));
  return rest.isZero() ? label : `${label}+${rest}s`;
}

/** The readable summary `dubstage inspect` prints. */
export function summarize(timeline: Timeline, formatName: string, diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  const end = timelineEnd(timeline);
  lines.push(`name:        ${timeline.name || '(none)'}`);
  lines.push(`format:      ${formatName}`);
  lines.push(`sample rate: ${timeline.sampleRate} Hz${timeline.bitDepth ? `, ${timeline.bitDepth} bit` : ''}`);
  lines.push(`frame rate:  ${timeline.frameRate.name} (${timeline.frameRate.rate} fps)`);
  lines.push(`start:       ${timeline.startTimecode.toString()}`);
  lines.push(`length:      ${lengthLabel(end, timeline)} (${end} s), ends at ${positionLabel(end, timeline)}`);
  lines.push(`tracks:      ${timeline.tracks.length}`);
  timeline.tracks.forEach((t, i) => {
    const first = t.clips[0];
    let extent = 'empty';
    if (first) {
      let last = clipEnd(first);
      for (const c of t.clips) last = RationalTime.max(last, clipEnd(c));
      extent = `${positionLabel(first.start, timeline)} - ${positionLabel(last, timeline)}`;
    }
    const flags = [t.muted ? 'muted' : '', t.solo ? 'solo' : ''].filter(Boolean).join(', ');
    const fades = t.transitions.length > 0 ? `, ${t.transitions.length} transitions` : '';
    lines.push(
      `  ${String(i + 1).padStart(2)}. ${t.kind.padEnd(5)} ${JSON.stringify(t.name)} ${t.kind === 'audio' ? `${t.channels} ch, ` : ''}${t.clips.length} clips${fades}, ${extent}${flags ? ` (${flags})` : ''}`,
    );
  });
  lines.push(`markers:     ${timeline.markers.length}`);
  const MAX = 20;
  for (const m of timeline.markers.slice(0, MAX)) {
    const extra = [m.duration ? `for ${lengthLabel(m.duration, timeline)}` : '', m.colour ?? '', m.track ? `track ${m.track}` : '', m.comment ? JSON.stringify(m.comment) : '']
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${positionLabel(m.position, timeline)}  ${JSON.stringify(m.name)}${extra ? `  ${extra}` : ''}`);
  }
  if (timeline.markers.length > MAX) lines.push(`  ... ${timeline.markers.length - MAX} more`);
  lines.push(`media:       ${timeline.media.length}`);
  for (const m of timeline.media.slice(0, MAX)) {
    const facts = [
      m.kind,
      m.sampleRate ? `${m.sampleRate} Hz` : '',
      m.channels !== undefined ? `${m.channels} ch` : '',
      m.duration ? `length ${m.duration} s` : '',
      m.timeReference !== undefined ? `TimeReference ${m.timeReference}` : '',
      m.embedded ? 'embedded' : '',
      m.url ?? '',
    ].filter(Boolean);
    lines.push(`  ${JSON.stringify(m.id)} ${JSON.stringify(m.name)}: ${facts.join(', ')}`);
  }
  if (timeline.media.length > MAX) lines.push(`  ... ${timeline.media.length - MAX} more`);
  lines.push(`diagnostics: ${diagnostics.length}`);
  for (const d of diagnostics.slice(0, 200)) lines.push(`  ${formatDiagnostic(d)}`);
  if (diagnostics.length > 200) lines.push(`  ... ${diagnostics.length - 200} more`);
  return lines.join('\n') + '\n';
}

/** The options of one `dubstage inspect` run, as plain data (they cross to worker threads). */
interface InspectShared {
  readonly format?: string;
  /** `--rate` as typed (a FrameRate does not survive a structured clone). */
  readonly rate?: string;
  readonly sampleRate?: number;
  readonly json: boolean;
  /** Many files: a `file:` line heads each summary, and `--json` prints one JSON line per file. */
  readonly batch: boolean;
}

/** Extensions of every registered format, for folder and glob inputs. */
export function timelineExtensions(): string[] {
  return [...new Set(FORMATS.flatMap((f) => f.extensions))];
}

/** Reads and describes one file: what `dubstage inspect` prints for it. */
async function inspectFile(file: string, o: InspectShared): Promise<FileOutput> {
  let stderr = '';
  const rate = rateOption(o.rate);
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(file);
  } catch (e) {
    stderr += `dubstage inspect: cannot read ${file}: ${(e as Error).message}\n`;
    const stdout = o.batch && o.json ? JSON.stringify({ file, format: null, timeline: null, diagnostics: [{ severity: 'error', code: 'cli/cannot-read', message: (e as Error).message, source: file }] }) + '\n' : '';
    return { stdout, stderr, failed: true };
  }
  const picked = o.format ? formatById(o.format) : detectFormat(bytes, file);
  const read = readTimeline(bytes, {
    fileName: file,
    source: file,
    ...(o.format ? { format: o.format } : {}),
    ...(rate ? { rate } : {}),
    ...(o.sampleRate ? { sampleRate: o.sampleRate } : {}),
  });
  // Every message names its file (some readers leave `source` to the caller).
  if (!read.ok || o.json) for (const d of read.diagnostics) stderr += formatDiagnostic(d.source === undefined ? { ...d, source: file } : d) + '\n';
  if (!read.ok) {
    const stdout = o.batch && o.json ? JSON.stringify({ file, format: picked?.id ?? null, timeline: null, diagnostics: read.diagnostics }) + '\n' : '';
    return { stdout, stderr, failed: true };
  }
  if (o.json && !o.batch) return { stdout: writeJson(read.value).value, stderr, failed: false };
  const diagnostics = [...read.diagnostics, ...validate(read.value)].map((d) => (d.source === undefined ? { ...d, source: file } : d));
  if (o.json) {
    // One line per file: the timeline document compacted (it is written one item per line).
    const timeline = JSON.stringify(JSON.parse(writeJson(read.value).value));
    return { stdout: `{"file":${JSON.stringify(file)},"format":${JSON.stringify(picked?.id ?? null)},"timeline":${timeline},"diagnostics":${JSON.stringify(diagnostics)}}\n`, stderr, failed: false };
  }
  const summary = summarize(read.value, picked ? `${picked.name} (${picked.id})` : 'unknown', diagnostics);
  return { stdout: o.batch ? `file:        ${file}\n${summary}` : summary, stderr, failed: false };
}

const inspectTask = defineTask('inspect', (shared: InspectShared) => (file: string) => inspectFile(file, shared));

/** `dubstage inspect`: a summary of any timeline file, or the file as dubstage JSON. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarize timeline files of any format (or print them as dubstage JSON)',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      format: { type: 'string' },
      rate: { type: 'string' },
      'sample-rate': { type: 'string' },
      json: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError('expected a FILE, FOLDER or GLOB');
    const format = formatOption('format', values.format as string | undefined);
    const rateText = values.rate as string | undefined;
    rateOption(rateText);
    const sampleRate = sampleRateOption(values['sample-rate'] as string | undefined);
    const threads = jobsOption(values.jobs as string | undefined);
    const json = values.json === true;
    const expanded = expandInputs(positionals, { extensions: timelineExtensions() });
    const batch = positionals.length > 1 || expanded.expanded;
    const shared: InspectShared = { ...(format ? { format } : {}), ...(rateText !== undefined ? { rate: rateText } : {}), ...(sampleRate ? { sampleRate } : {}), json, batch };
    if (!batch) {
      const out = await inspectFile(positionals[0] as string, shared);
      io.stderr.write(out.stderr);
      io.stdout.write(out.stdout);
      return out.failed ? EXIT_INVALID : EXIT_OK;
    }
    // Missing files are read (and reported) in their turn; folders and globs that named nothing are reported here.
    const missing = expanded.unmatched.filter((a) => !isPattern(a));
    for (const a of expanded.unmatched.filter((u) => isPattern(u))) io.stderr.write(`dubstage inspect: ${a}: no timeline files there\n`);
    const files = [...expanded.files, ...missing];
    const progress = progressFor(io, files.length, 'inspect', json || values.quiet === true);
    progress.start();
    const failed = await runFileBatch(io, {
      command: 'inspect',
      task: inspectTask,
      shared,
      jobs: files,
      threads,
      progress,
      label: (f) => f,
      fileOf: (f) => f,
      separator: json ? '' : '\n',
      notice: (t) => progress.print(io.stderr, `dubstage inspect: ${t}\n`),
      failureLine: (f, error) => (json ? JSON.stringify({ file: f, format: null, timeline: null, diagnostics: [{ severity: 'error', code: 'cli/internal', message: error, source: f }] }) + '\n' : ''),
    });
    progress.finish();
    return failed || expanded.unmatched.length > missing.length ? EXIT_INVALID : EXIT_OK;
  },
};
