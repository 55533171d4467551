import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { convertTimeline } from '../../formats/registry.js';
import { readBytes, writeFileAtomic } from '../../node.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';
import { formatOption, rateOption, sampleRateOption } from './inspect.js';

const USAGE = `usage: dubstage convert IN OUT [--from ID] [--to ID] [--rate RATE] [--sample-rate HZ] [--strict] [--json]

Reads a timeline in one format and writes it in another. The source format is found from the
content (then the extension); the target from --to, else OUT's extension. Everything the target
cannot hold is listed on stderr. OUT may be - for stdout.

  --from ID          read IN as this format
  --to ID            write this format (json, otio, ...)
  --rate RATE        picture rate for sources that do not state one (EDL)
  --sample-rate HZ   session sample rate for sources that do not state one
  --strict           any loss is an error: exit 1 and write nothing
  --json             on stdout, a JSON report {"from","to","written","losses":[...],"diagnostics":[...]}
                     (not with OUT = -)

examples:
  dubstage convert cut.edl cut.otio --rate 23.976
  dubstage convert premiere.xml session.aaf
  dubstage convert session.txt - --to json | jq '.tracks[].name'
  dubstage convert mix.aaf mix.otio --strict --json

Exit status: 0 written, 1 unreadable input or (with --strict) a loss, 2 usage error.`;

/** `dubstage convert`: any registered format to any other, reporting every loss. */
export const convertCommand: Command = {
  name: 'convert',
  summary: 'convert a timeline between formats, listing what the target cannot hold',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      rate: { type: 'string' },
      'sample-rate': { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout.write(USAGE + '\n');
      return EXIT_OK;
    }
    if (positionals.length !== 2) throw new UsageError('expected IN and OUT');
    const [inPath, outPath] = positionals as [string, string];
    const from = formatOption('from', values.from as string | undefined);
    const to = formatOption('to', values.to as string | undefined);
    if (!to && outPath === '-') throw new UsageError('--to is required when OUT is -');
    if (values.json && outPath === '-') throw new UsageError('--json cannot be used with OUT = -');
    const rate = rateOption(values.rate as string | undefined);
    const sampleRate = sampleRateOption(values['sample-rate'] as string | undefined);
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(inPath);
    } catch (e) {
      io.stderr.write(`dubstage convert: cannot read ${inPath}: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    const r = convertTimeline(bytes, {
      fileName: inPath,
      source: inPath,
      ...(from ? { format: from } : {}),
      ...(to ? { to } : { outFileName: outPath }),
      ...(rate ? { rate } : {}),
      ...(sampleRate ? { sampleRate } : {}),
      write: rate ? { rate } : {},
    });
    for (const d of r.diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
    const failed = r.value === undefined || r.diagnostics.some((d) => d.severity === 'error' && !r.losses.includes(d));
    const lossy = r.losses.length > 0;
    let written = false;
    if (!failed && !(values.strict && lossy)) {
      if (outPath === '-') io.stdout.write(typeof r.value === 'string' ? r.value : new TextDecoder().decode(r.value));
      else {
        try {
          // Complete or not at all: a failed or interrupted write leaves no partial OUT (issue 13).
          await writeFileAtomic(outPath, r.value as string | Uint8Array);
        } catch (e) {
          io.stderr.write(`dubstage convert: ${(e as Error).message}\n`);
          return EXIT_INVALID;
        }
      }
      written = true;
    }
    if (values.strict && lossy) io.stderr.write(`dubstage convert: ${r.losses.length} loss(es) converting to ${r.to}; --strict, nothing written\n`);
    if (values.json) {
      io.stdout.write(
        JSON.stringify({ from: r.from ?? null, to: r.to ?? null, written, losses: r.losses, diagnostics: r.diagnostics }) + '\n',
      );
    }
    return written ? EXIT_OK : EXIT_INVALID;
  },
};
