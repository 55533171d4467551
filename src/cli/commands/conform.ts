import { readFile } from 'node:fs/promises';
// Output files appear complete or not at all (issue 13).
import { writeFileAtomic as writeFile } from '../../node.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { FrameRate } from '../../time/frame-rate.js';
import { readTimeline, writeTimeline, formatsByExtension } from '../../formats/registry.js';
import { applyConformMap } from '../../conform/apply.js';
import { buildConformMap } from '../../conform/map.js';
import { cutFromEdl } from '../../conform/edl-cut.js';
import { cutFromTimeline, sessionFromTimeline, timelineFromResult } from '../../conform/model.js';
import { checkInvariants } from '../../conform/verify.js';
import { cutFromChangeList, parseChangeList } from '../../conform/change-list.js';
import { renderChangeEdl, renderJson, renderMarkers, renderSvg, renderTable, renderShuffle } from '../../conform/report.js';
import type { ConformOptions, Cut } from '../../conform/types.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

/** Exit status when `--verify` finds a violated invariant (spec §11). */
const EXIT_INVARIANT = 3;

const USAGE = `usage: dubstage conform --old OLD_CUT (--new NEW_CUT | --changes LIST) SESSION -o OUT [--rate RATE]
                        [--report FILE.json] [--svg FILE.svg] [--change-edl FILE.edl]
                        [--shuffle FILE.txt] [--markers FILE.txt] [--removed lanes|list] [--transition centre|start|end]
                        [--edit-points none|fades|crossfade] [--edit-length FRAMES]
                        [--exclude-track GLOB] [--ffoa TC] [--picture-start TC] [--verify] [--json]

Re-times every audio clip of SESSION from the picture cut OLD_CUT to NEW_CUT (spec/conform.md):
clips move, split and trim with the picture; removed material goes to muted
"(conform removed)" tracks; inserted picture leaves a gap. Cuts may be EDL, FCP7 XML, FCPXML,
AAF or OTIO; the session any readable format. OUT's extension names the output format.

  --changes LIST       a relative change list instead of a new cut (spec §5.10), one operation
                       a line: DELETE 01:00:03:12 12 | INSERT 01:00:11:12 24 E001 |
                       MOVE 01:00:04:00 72 01:00:09:00 | DELETE 0017+04..0017+15 (feet, inclusive)
  --rate RATE          picture rate (EDLs carry none): 23.976 24 25 29.97df 29.97ndf 30 ...
  --report FILE        write the JSON report (dubstage.conform.report/1)
  --svg FILE           write an SVG picture of the old and new cuts
  --change-edl FILE    write the change list as a CMX3600 EDL
  --shuffle FILE       write the shuffle script for a conform by hand
  --markers FILE       write one Avid marker per change row (spec §6.5)
  --verify             check the spec's invariants (§7: no sample lost or duplicated, no
                       overlap, unchanged clips identical, accounting...) on this conform
  --json               print the JSON report on stdout instead of the table
examples:
  dubstage conform --old v1.edl --new v2.edl session.json -o session-v2.json --rate 24
  dubstage conform --old v1.xml --new v2.xml mix.aaf -o mix-v2.aaf --svg changes.svg --verify
  dubstage conform --old v1.edl --changes notes.txt session.otio -o out.otio --rate 23.976 --json

Exit status: 0 conformed, 1 invalid input, 2 usage error, 3 invariant violated (--verify).`;

async function readCut(path: string, rate: FrameRate | undefined, opts: { ffoa?: string; pictureStart?: string }, diags: Diagnostic[]): Promise<Cut | undefined> {
  const bytes = new Uint8Array(await readFile(path));
  const name = path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
  if (/\.edl$/i.test(path)) {
    if (!rate) throw new UsageError('--rate is required for EDL cuts (EDLs carry no rate)');
    const r = cutFromEdl(bytes, { rate, name, source: path, ...(opts.ffoa ? { ffoa: opts.ffoa } : {}), ...(opts.pictureStart ? { pictureStart: opts.pictureStart } : {}) });
    diags.push(...r.diagnostics);
    return r.ok ? r.value : undefined;
  }
  const r = readTimeline(bytes, { fileName: path, source: path, ...(rate ? { rate } : {}) });
  diags.push(...r.diagnostics);
  return r.ok ? cutFromTimeline(r.value, name) : undefined;
}

/** `dubstage conform`: conform a session to a new picture cut (issue 10). */
export const conformCommand: Command = {
  name: 'conform',
  summary: 'Re-time a session from an old picture cut to a new one, with a change report',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs(argv, {
      old: { type: 'string' }, new: { type: 'string' }, changes: { type: 'string' }, out: { type: 'string', short: 'o' }, rate: { type: 'string' },
      report: { type: 'string' }, svg: { type: 'string' }, 'change-edl': { type: 'string' }, shuffle: { type: 'string' }, markers: { type: 'string' },
      removed: { type: 'string', choices: ['lanes', 'list'] }, transition: { type: 'string', choices: ['centre', 'start', 'end'] },
      'edit-points': { type: 'string', choices: ['none', 'fades', 'crossfade'] }, 'edit-length': { type: 'string' },
      'exclude-track': { type: 'string' }, ffoa: { type: 'string' }, 'picture-start': { type: 'string' },
      verify: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    });
    if (values.help) { io.stdout.write(USAGE + '\n'); return EXIT_OK; }
    const oldPath = values.old as string | undefined;
    const newPath = values.new as string | undefined;
    const outPath = values.out as string | undefined;
    const changesPath = values.changes as string | undefined;
    if (!oldPath || (!newPath && !changesPath)) throw new UsageError('--old and --new (or --changes) are required');
    if (newPath && changesPath) throw new UsageError('give --new or --changes, not both');
    if (positionals.length !== 1) throw new UsageError('expected one SESSION');
    if (!outPath) throw new UsageError('-o OUT is required');
    let rate: FrameRate | undefined;
    if (values.rate !== undefined) {
      const r = FrameRate.parse(values.rate as string);
      if (!r.ok) throw new UsageError(`--rate: ${r.diagnostics[0].message}`);
      rate = r.value;
    }
    const editLength = values['edit-length'] !== undefined ? Number(values['edit-length']) : 2;
    if (!Number.isInteger(editLength) || editLength < 0) throw new UsageError('--edit-length takes a whole number of frames');
    const outFormat = formatsByExtension(outPath).find((f) => f.write);
    if (!outFormat) throw new UsageError(`no writable format for the extension of ${outPath}`);
    const options: Partial<ConformOptions> = {
      ...(values.removed ? { removedPlacement: values.removed as 'lanes' | 'list' } : {}),
      ...(values.transition ? { transitionCut: values.transition as 'centre' | 'start' | 'end' } : {}),
      ...(values['edit-points'] ? { editPoints: { mode: values['edit-points'] as 'none' | 'fades' | 'crossfade', lengthFrames: editLength } } : {}),
      ...(values['exclude-track'] ? { excludeTracks: [values['exclude-track'] as string] } : {}),
    };
    const diags: Diagnostic[] = [];
    const flush = (): void => { for (const d of diags) io.stderr.write(formatDiagnostic(d) + '\n'); diags.length = 0; };
    const cutOpts = { ...(values.ffoa ? { ffoa: values.ffoa as string } : {}), ...(values['picture-start'] ? { pictureStart: values['picture-start'] as string } : {}) };
    let oldCut: Cut | undefined;
    let newCut: Cut | undefined;
    let sessionBytes: Uint8Array;
    try {
      oldCut = await readCut(oldPath, rate, cutOpts, diags);
      if (newPath) newCut = await readCut(newPath, rate, cutOpts, diags);
      else if (oldCut) {
        if (!rate) throw new UsageError('--rate is required with --changes');
        const text = await readFile(changesPath as string, 'utf8');
        const ops = parseChangeList(text, { rate: oldCut.rate, ...(oldCut.pictureStart !== undefined ? { pictureStart: oldCut.pictureStart } : {}) });
        const made = ops.ok ? cutFromChangeList(oldCut, ops.value, { name: (changesPath as string).replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') }) : ops;
        diags.push(...made.diagnostics.map((d) => ({ ...d, source: changesPath as string })));
        newCut = made.ok ? made.value : undefined;
      }
      sessionBytes = new Uint8Array(await readFile(positionals[0] as string));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.stderr.write(`dubstage conform: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    const sessionRead = readTimeline(sessionBytes, { fileName: positionals[0] as string, source: positionals[0] as string, ...(rate ? { rate } : {}) });
    diags.push(...sessionRead.diagnostics);
    if (!oldCut || !newCut || !sessionRead.ok) { flush(); return EXIT_INVALID; }
    const map = buildConformMap(oldCut, newCut, options);
    if (!map.ok) { diags.push(...map.diagnostics); flush(); return EXIT_INVALID; }
    const session = sessionFromTimeline(sessionRead.value);
    const res = applyConformMap(map.value, session, options);
    if (!res.ok) { diags.push(...res.diagnostics); flush(); return EXIT_INVALID; }
    const result = res.value;
    const written = writeTimeline(timelineFromResult(sessionRead.value, result), outFormat.id, rate ? { rate } : {});
    diags.push(...written.diagnostics);
    flush();
    if (written.value === undefined) return EXIT_INVALID;
    try {
      await writeFile(outPath, written.value);
      if (values.report) await writeFile(values.report as string, renderJson(result));
      if (values.svg) await writeFile(values.svg as string, renderSvg(result));
      if (values['change-edl']) await writeFile(values['change-edl'] as string, renderChangeEdl(result));
      if (values.shuffle) await writeFile(values.shuffle as string, renderShuffle(result));
      if (values.markers) await writeFile(values.markers as string, renderMarkers(result));
    } catch (e) {
      io.stderr.write(`dubstage conform: cannot write: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    if (values.json) io.stdout.write(renderJson(result));
    else io.stdout.write(renderTable(result));
    if (values.verify) {
      const v = checkInvariants(session, result);
      for (const d of v.violations) io.stderr.write(formatDiagnostic(d) + '\n');
      if (!v.ok) return EXIT_INVARIANT;
      io.stderr.write(`verify: ${v.checked.join(' ')} hold\n`);
    }
    return EXIT_OK;
  },
};
