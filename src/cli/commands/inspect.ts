import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { FORMATS, detectFormat, formatById } from '../../formats/registry.js';
import { write as writeJson } from '../../formats/json/write.js';
import { clipEnd, timelineEnd } from '../../model/build.js';
import type { Timeline } from '../../model/types.js';
import { validate } from '../../model/validate.js';
import { readBytes, readTimelineFile } from '../../node.js';
import { FrameRate } from '../../time/frame-rate.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

const USAGE = `usage: dubstage inspect FILE [--format ID] [--rate RATE] [--sample-rate HZ] [--json]

Reads a timeline in any format dubstage knows and prints a summary: name, format, rates, start
timecode and length, each track with its clip count and extent, markers, media, and every
diagnostic (from reading and from checking the timeline: overlaps, clips past their media,
unknown media). With --json, prints the timeline as dubstage JSON on stdout instead.

  --format ID        read as this format (default: by content, then by extension)
  --rate RATE        picture rate for formats that do not state one (EDL): 23.976 24 25 29.97df ...
  --sample-rate HZ   session sample rate for formats that do not state one
  --json             the timeline as dubstage JSON (schema dubstage.timeline) on stdout

examples:
  dubstage inspect cut.edl --rate 23.976
  dubstage inspect mix.aaf
  dubstage inspect session.txt --json > session.json

Exit status: 0 read (warnings may be listed), 1 the file could not be read, 2 usage error.`;

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

/** `dubstage inspect`: a summary of any timeline file, or the file as dubstage JSON. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'summarize a timeline file of any format (or print it as dubstage JSON)',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      format: { type: 'string' },
      rate: { type: 'string' },
      'sample-rate': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
    const file = positionals[0] as string;
    const format = formatOption('format', values.format as string | undefined);
    const rate = rateOption(values.rate as string | undefined);
    const sampleRate = sampleRateOption(values['sample-rate'] as string | undefined);
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(file);
    } catch (e) {
      io.stderr.write(`dubstage inspect: cannot read ${file}: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    const picked = format ? formatById(format) : detectFormat(bytes, file);
    const read = await readTimelineFile(file, {
      ...(format ? { format } : {}),
      ...(rate ? { rate } : {}),
      ...(sampleRate ? { sampleRate } : {}),
    });
    if (!read.ok) {
      for (const d of read.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
      return EXIT_INVALID;
    }
    if (values.json) {
      for (const d of read.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
      const out = writeJson(read.value);
      io.stdout.write(out.value);
      return EXIT_OK;
    }
    const diagnostics = [...read.diagnostics, ...validate(read.value).map((d) => ({ ...d, source: file }))];
    io.stdout.write(summarize(read.value, picked ? `${picked.name} (${picked.id})` : 'unknown', diagnostics));
    return EXIT_OK;
  },
};
