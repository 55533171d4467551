import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { compare, type CompareResult } from '../../grade/compare.js';
import type { Tolerance } from '../../grade/evidence.js';
import { readTimelineFile } from '../../node.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';
import { formatOption, rateOption, sampleRateOption } from './inspect.js';

/** Exit status of `diff --exit-code` when the timelines differ. */
export const EXIT_DIFFERENT = 3;

const USAGE = `usage: dubstage diff EXPECTED ACTUAL [--rate RATE] [--sample-rate HZ] [--from ID]
                     [--tolerance N] [--unit frames|samples|seconds] [--audio-only] [--no-markers]
                     [--only-differences] [--exit-code] [--json]

Compares two timelines of any formats by content, not region by region: a clip is which media
sample plays at which time, so split, joined or renamed regions still match. Every clip of
EXPECTED gets a verdict (match, offset with the measured offset, missing, wrong-media,
wrong-track), material only ACTUAL has is "extra", and markers are matched by position.

  --rate RATE          picture rate for formats that state none (EDL): 23.976 24 25 29.97df ...
  --sample-rate HZ     session sample rate for formats that state none
  --from ID            read both files as this format
  --tolerance N        in sync within N units (default: half a frame)
  --unit U             frames (default) | samples | seconds
  --audio-only         leave picture tracks out (they are compared by default)
  --no-markers         compare clips only
  --only-differences   list only what is not a match
  --exit-code          exit 3 when the timelines differ (as \`git diff --exit-code\`)
  --json               the comparison as JSON on stdout: {"summary","trackMap","items":[...]}

examples:
  dubstage diff reference.otio student.aaf
  dubstage diff cut-v1.edl cut-v2.edl --rate 24 --only-differences
  dubstage diff mix.txt mix-fixed.txt --tolerance 1 --unit samples --exit-code --json

Exit status: 0 compared, 1 a file could not be read, 2 usage error, 3 different (--exit-code).`;

function toleranceOption(value: string | undefined, unit: string | undefined): Tolerance | undefined {
  if (value === undefined) {
    if (unit !== undefined) throw new UsageError('--unit needs --tolerance');
    return undefined;
  }
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new UsageError(`--tolerance: "${value}" is not a non-negative number`);
  return { value: n, unit: (unit ?? 'frames') as Tolerance['unit'] };
}

function differs(r: CompareResult): boolean {
  return r.items.some((i) => i.verdict !== 'match');
}

/** `dubstage diff`: content comparison of two timelines (the grading toolkit's `compare`). */
export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two timelines by content: clips that moved, changed, went missing or appeared',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      rate: { type: 'string' },
      'sample-rate': { type: 'string' },
      from: { type: 'string' },
      tolerance: { type: 'string' },
      unit: { type: 'string', choices: ['frames', 'samples', 'seconds'] },
      'audio-only': { type: 'boolean' },
      'no-markers': { type: 'boolean' },
      'only-differences': { type: 'boolean' },
      'exit-code': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    if (positionals.length !== 2) throw new UsageError('diff needs two files: EXPECTED ACTUAL');
    const rate = rateOption(values.rate as string | undefined);
    const sampleRate = sampleRateOption(values['sample-rate'] as string | undefined);
    const format = formatOption('from', values.from as string | undefined);
    const tolerance = toleranceOption(values.tolerance as string | undefined, values.unit as string | undefined);
    const timelines = [];
    for (const file of positionals) {
      let read;
      try {
        read = await readTimelineFile(file, { ...(format ? { format } : {}), ...(rate ? { rate } : {}), ...(sampleRate ? { sampleRate } : {}) });
      } catch (e) {
        io.stderr.write(`dubstage diff: cannot read ${file}: ${(e as Error).message}\n`);
        return EXIT_INVALID;
      }
      for (const d of read.diagnostics) if (d.severity !== 'info') io.stderr.write(formatDiagnostic({ ...d, source: d.source ?? file }) + '\n');
      if (!read.ok) {
        io.stderr.write(`dubstage diff: cannot read ${file} as a timeline\n`);
        return EXIT_INVALID;
      }
      timelines.push(read.value);
    }
    const [expected, actual] = timelines as [(typeof timelines)[number], (typeof timelines)[number]];
    const result = compare(expected, actual, { ...(tolerance ? { tolerance, warnTolerance: tolerance } : {}), markers: values['no-markers'] !== true, trackKinds: values['audio-only'] ? ['audio'] : ['audio', 'video'] });
    const items = values['only-differences'] ? result.items.filter((i) => i.verdict !== 'match') : result.items;
    if (values.json) {
      const json = {
        expected: positionals[0],
        actual: positionals[1],
        summary: result.summary,
        trackMap: result.trackMap,
        items: items.map((i) => ({ kind: i.kind, id: i.id, verdict: i.verdict, ...(i.track !== undefined ? { track: i.track } : {}), ...(i.actualTrack !== undefined ? { actualTrack: i.actualTrack } : {}), message: i.feedback, evidence: i.evidence })),
      };
      io.stdout.write(JSON.stringify(json, null, 2) + '\n');
    } else {
      const counts = Object.entries(result.summary)
        .filter(([, n]) => n > 0)
        .map(([v, n]) => `${n} ${v}`)
        .join(', ');
      io.stdout.write(`${positionals[0]} → ${positionals[1]}: ${counts || 'nothing to compare'}\n`);
      for (const i of items) io.stdout.write(`  ${i.verdict.padEnd(11)} ${i.feedback}\n`);
    }
    return values['exit-code'] && differs(result) ? EXIT_DIFFERENT : EXIT_OK;
  },
};
