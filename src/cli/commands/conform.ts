import { readFile } from 'node:fs/promises';
// Output files appear complete or not at all (issue 13).
import { openFileSource, writeFileAtomic as writeFile } from '../../node.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, formatDiagnostic, warning } from '../../diagnostics/diagnostic.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Timecode } from '../../time/timecode.js';
import { readTimeline, writeTimeline, formatsByExtension } from '../../formats/registry.js';
import { readBwf, startTimecode } from '../../formats/bwf/read.js';
import type { MediaSource } from '../../model/types.js';
import { applyConformMap, frameToSample } from '../../conform/apply.js';
import { buildConformMap } from '../../conform/map.js';
import { cutFromEdl } from '../../conform/edl-cut.js';
import { cutFromTimeline, sessionFromTimeline, timelineFromResult } from '../../conform/model.js';
import { checkInvariants } from '../../conform/verify.js';
import { cutFromChangeList, parseChangeList } from '../../conform/change-list.js';
import { renderChangeEdl, renderJson, renderMarkers, renderSvg, renderTable, renderShuffle } from '../../conform/report.js';
import type { ConformMap, ConformOptions, ConformResult, Cut, FileRef } from '../../conform/types.js';
import { parseArgs, type OptionSpec } from '../args.js';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

/** Exit status when `--verify` finds a violated invariant (spec §11). */
const EXIT_INVARIANT = 3;
/** `conform diff`: the cuts differ (spec §11, like diff(1) and OTIO `cut_diff`). */
const EXIT_CHANGED = 1;
/** `conform diff`: 1 means "changes found", so unreadable input is 2 there (spec §11). */
const EXIT_DIFF_INPUT = 2;

const DIFF_USAGE = `usage: dubstage conform diff OLD_CUT NEW_CUT [--rate RATE | --fps RATE] [--df]
                        [--match auto|reel|clip|file|reel+clip] [--vfx-pattern RE]...
                        [--transition centre|start|end] [--video-tracks all|V1] [--ffoa TC] [--picture-start TC]
                        [--report FILE.json] [--svg FILE.svg] [--change-edl FILE.edl] [--shuffle FILE.txt]
                        [--markers FILE.txt] [--json | --table]

Compares two picture cuts by source (reel or clip + source timecode, never record position) and
prints the change list (spec/conform.md §4, §6): trims, deletes, inserts, moves, copies, gaps and
the running total. Cuts may be EDL, FCP7 XML, FCPXML, AAF or OTIO.

  --rate RATE, --fps RATE  picture rate (EDLs carry none): 23.976 24 25 29.97df 30 ...
  --df                 drop-frame labels at 29.97 / 59.94 (same as --rate 29.97df)
  --match KEY          source identity (spec §2.2): auto = reel, clip name for placeholder reels
  --vfx-pattern RE     removed from keys so a new VFX version is the same shot (repeatable)
  --transition MODE    where a dissolve cuts: its centre (default), start or end
  --table              print the fixed-width table (the default)
  --json               print the JSON report (dubstage.conform.report/1) instead
examples:
  dubstage conform diff v1.edl v2.edl --fps 24
  dubstage conform diff v1.edl v2.edl --fps 29.97 --df --json > changes.json
  dubstage conform diff reel1-v3.xml reel1-v4.xml --vfx-pattern '_v[0-9]+$' --svg changes.svg

Exit status: 0 no changes, 1 changes found, 2 usage error or unreadable input.`;

const APPLY_USAGE = `usage: dubstage conform apply --old OLD_CUT (--new NEW_CUT | --changes LIST) --session IN --out OUT
                        [--rate RATE | --fps RATE] [--df] [--report FILE.json] [--removed lanes|list]
                        [--edit-points none|fades|crossfade] [--edit-length FRAMES]
                        [--guide G.wav [--guide-start TC] [--guide-ranges insert,gap]] [--exclude-track GLOB]...
                        [--match KEY] [--vfx-pattern RE]... [--transition centre|start|end] [--ffoa TC]
                        [--picture-start TC] [--svg FILE] [--change-edl FILE] [--shuffle FILE] [--markers FILE]
                        [--verify] [--json]

Re-times every audio clip of the session IN from the picture cut OLD_CUT to NEW_CUT
(spec/conform.md): clips move, split and trim with the picture; removed material goes to muted
"(conform removed)" tracks (or only to the report with --removed list); inserted picture leaves
a gap, filled from a guide WAV with --guide. Cuts may be EDL, FCP7 XML, FCPXML, AAF or OTIO; the
session any readable format; OUT's extension names the output format.

  --changes LIST       a relative change list instead of a new cut (spec §5.10), one operation
                       a line: DELETE 01:00:03:12 12 | INSERT 01:00:11:12 24 E001 |
                       MOVE 01:00:04:00 72 01:00:09:00 | DELETE 0017+04..0017+15 (feet, inclusive)
  --rate RATE, --fps RATE  picture rate (EDLs carry none): 23.976 24 25 29.97df 29.97ndf 30 ...
  --df                 drop-frame labels at 29.97 / 59.94
  --removed MODE       lanes: muted "(conform removed) N" tracks (default); list: report only
  --edit-points MODE   fades or crossfades at the new edit points (spec §5.4), in the report
  --edit-length N      their length in frames (default 2)
  --guide FILE         a guide WAV (e.g. the new cut's guide mix) placed in inserted picture and
                       new black on a "CONFORM GUIDE" track (spec §5.6)
  --guide-start TC     the timecode of the guide's first sample (default: its BWF time reference)
  --guide-ranges LIST  which ranges to fill: insert, gap or insert,gap (default)
  --exclude-track GLOB tracks copied verbatim, e.g. 'GUIDE*' (repeatable; * and ? match)
  --report FILE        write the JSON report (dubstage.conform.report/1)
  --svg FILE           write an SVG picture of the old and new cuts
  --change-edl FILE    write the change list as a CMX3600 EDL
  --shuffle FILE       write the shuffle script for a conform by hand
  --markers FILE       write one Avid marker per change row (spec §6.5)
  --verify             check the spec's invariants (§7: no sample lost or duplicated, no
                       overlap, unchanged clips identical, accounting...) on this conform
  --json               print the JSON report on stdout instead of the table
examples:
  dubstage conform apply --old v1.edl --new v2.edl --session in.json --out out.json --fps 23.976
  dubstage conform apply --old v1.xml --new v2.xml --session mix.aaf --out mix-v2.aaf --verify \\
      --edit-points crossfade --edit-length 2 --exclude-track 'GUIDE*'
  dubstage conform apply --old v1.edl --new v2.edl --session in.otio --out out.otio --fps 24 \\
      --guide v2-guide.wav --guide-start 00:59:52:00 --removed list --report changes.json

Exit status: 0 conformed, 1 invalid input, 2 usage error, 3 invariant violated (--verify).`;

const USAGE = `usage: dubstage conform diff OLD_CUT NEW_CUT [options]             compare two picture cuts
       dubstage conform apply --old OLD_CUT --new NEW_CUT --session IN --out OUT [options]
       dubstage conform --old OLD_CUT (--new NEW_CUT | --changes LIST) SESSION -o OUT [options]

Conform a sound session to a new picture cut (spec/conform.md). \`diff\` prints the change list
between two cuts; \`apply\` (or the short form without a subcommand) re-times every audio clip of
a session from the old cut to the new one and writes the conformed session, removed material on
muted "(conform removed)" tracks, and the change report (table, or JSON with --json).
Run \`dubstage conform diff --help\` and \`dubstage conform apply --help\` for every option.

examples:
  dubstage conform diff v1.edl v2.edl --fps 24
  dubstage conform apply --old v1.edl --new v2.edl --session in.json --out out.json --fps 24 --verify
  dubstage conform --old v1.edl --new v2.edl session.json -o session-v2.json --rate 24
  dubstage conform --old v1.xml --new v2.xml mix.aaf -o mix-v2.aaf --svg changes.svg --verify
  dubstage conform --old v1.edl --changes notes.txt session.otio -o out.otio --rate 23.976 --json

Exit status: 0 conformed (diff: no changes), 1 invalid input (diff: changes found), 2 usage error
(diff: also unreadable input), 3 invariant violated (--verify).`;

/** Options read the same way by `diff` and `apply`: the cuts and how they are matched. */
const CUT_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  rate: { type: 'string' }, fps: { type: 'string' }, df: { type: 'boolean' },
  match: { type: 'string', choices: ['auto', 'reel', 'clip', 'file', 'reel+clip'] },
  transition: { type: 'string', choices: ['centre', 'start', 'end'] }, 'video-tracks': { type: 'string', choices: ['all', 'V1'] },
  ffoa: { type: 'string' }, 'picture-start': { type: 'string' },
  report: { type: 'string' }, svg: { type: 'string' }, 'change-edl': { type: 'string' }, shuffle: { type: 'string' }, markers: { type: 'string' },
  json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
};

/** Options that may be given more than once; taken out of argv before {@link parseArgs}. */
const REPEATABLE = ['vfx-pattern', 'exclude-track'] as const;

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** Splits the repeatable options (`--name V`, `--name=V`) from the rest of argv. */
function takeRepeated(argv: readonly string[]): { rest: string[]; lists: Record<(typeof REPEATABLE)[number], string[]> } {
  const lists = { 'vfx-pattern': [] as string[], 'exclude-track': [] as string[] };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i] as string;
    if (tok === '--') { rest.push(...argv.slice(i)); break; }
    const name = REPEATABLE.find((n) => tok === `--${n}` || tok.startsWith(`--${n}=`));
    if (!name) { rest.push(tok); continue; }
    if (tok.includes('=')) { lists[name].push(tok.slice(tok.indexOf('=') + 1)); continue; }
    if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
    lists[name].push(argv[++i] as string);
  }
  return { rest, lists };
}

/** `--rate` / `--fps` and `--df`. */
function rateOf(values: Values): FrameRate | undefined {
  if (values.rate !== undefined && values.fps !== undefined) throw new UsageError('give --rate or --fps, not both');
  const text = (values.rate ?? values.fps) as string | undefined;
  if (text === undefined) {
    if (values.df) throw new UsageError('--df needs --rate (or --fps) 29.97 or 59.94');
    return undefined;
  }
  const r = FrameRate.parse(text);
  if (!r.ok) throw new UsageError(`--rate: ${r.diagnostics[0].message}`);
  if (!values.df) return r.value;
  if ((r.value.nominalFps !== 30 && r.value.nominalFps !== 60) || !r.value.isNtsc) throw new UsageError(`--df: drop-frame exists only at 29.97 and 59.94, not ${text}`);
  return r.value.withDropFrame(true);
}

/** The map options (spec §2.4) the command line sets. */
function mapOptions(values: Values, vfx: readonly string[]): Partial<ConformOptions> {
  const patterns = vfx.map((p) => {
    try {
      // keys are case-folded before the patterns apply (spec §2.2), so patterns ignore case too
      return new RegExp(p, 'i');
    } catch (e) {
      throw new UsageError(`--vfx-pattern ${p}: ${(e as Error).message}`);
    }
  });
  return {
    ...(values.match ? { match: values.match as ConformOptions['match'] } : {}),
    ...(values.transition ? { transitionCut: values.transition as ConformOptions['transitionCut'] } : {}),
    ...(values['video-tracks'] ? { videoTracks: values['video-tracks'] as ConformOptions['videoTracks'] } : {}),
    ...(patterns.length ? { vfxVersionPatterns: patterns } : {}),
  };
}

const baseName = (path: string): string => path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');

async function readCut(path: string, rate: FrameRate | undefined, opts: { ffoa?: string; pictureStart?: string }, diags: Diagnostic[]): Promise<Cut | undefined> {
  const bytes = new Uint8Array(await readFile(path));
  const name = baseName(path);
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

function cutOptions(values: Values): { ffoa?: string; pictureStart?: string } {
  return { ...(values.ffoa ? { ffoa: values.ffoa as string } : {}), ...(values['picture-start'] ? { pictureStart: values['picture-start'] as string } : {}) };
}

/** Writes the report files the options ask for; false (with a message) when one cannot be written. */
async function writeReports(values: Values, result: ConformResult, io: CliIo): Promise<boolean> {
  try {
    if (values.report) await writeFile(values.report as string, renderJson(result));
    if (values.svg) await writeFile(values.svg as string, renderSvg(result));
    if (values['change-edl']) await writeFile(values['change-edl'] as string, renderChangeEdl(result));
    if (values.shuffle) await writeFile(values.shuffle as string, renderShuffle(result));
    if (values.markers) await writeFile(values.markers as string, renderMarkers(result));
    return true;
  } catch (e) {
    io.stderr.write(`dubstage conform: cannot write: ${(e as Error).message}\n`);
    return false;
  }
}

/** True when the map changes anything: a row (informational rows count), or moved head or tail. */
function hasChanges(map: ConformMap): boolean {
  return map.rows.length > 0 || map.headDelta !== 0 || map.tailDelta !== 0;
}

/** `dubstage conform diff OLD NEW`: the change list between two cuts (no session). */
async function runDiff(argv: readonly string[], io: CliIo): Promise<number> {
  const { rest, lists } = takeRepeated(argv);
  if (lists['exclude-track'].length) throw new UsageError('--exclude-track belongs to conform apply');
  const { values, positionals } = parseArgs(rest, { ...CUT_OPTIONS, table: { type: 'boolean' } });
  if (values.help) { io.stdout.write(DIFF_USAGE + '\n'); return EXIT_OK; }
  if (values.json && values.table) throw new UsageError('give --json or --table, not both');
  if (positionals.length !== 2) throw new UsageError('expected OLD_CUT and NEW_CUT');
  const rate = rateOf(values);
  const options = mapOptions(values, lists['vfx-pattern']);
  const diags: Diagnostic[] = [];
  const flush = (): void => { for (const d of diags) io.stderr.write(formatDiagnostic(d) + '\n'); };
  let oldCut: Cut | undefined;
  let newCut: Cut | undefined;
  try {
    oldCut = await readCut(positionals[0] as string, rate, cutOptions(values), diags);
    newCut = await readCut(positionals[1] as string, rate, cutOptions(values), diags);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.stderr.write(`dubstage conform diff: ${(e as Error).message}\n`);
    return EXIT_DIFF_INPUT;
  }
  if (!oldCut || !newCut) { flush(); return EXIT_DIFF_INPUT; }
  const map = buildConformMap(oldCut, newCut, options);
  if (!map.ok) { diags.push(...map.diagnostics); flush(); return EXIT_DIFF_INPUT; }
  // The reports take a conform result; a session without tracks gives the map and rows alone.
  const empty = { name: newCut.name, sampleRate: 48000, rate: map.value.rate, startFrame: map.value.old.pictureStart ?? map.value.old.ffoa, tracks: [] };
  const res = applyConformMap(map.value, empty, options);
  if (!res.ok) { diags.push(...res.diagnostics); flush(); return EXIT_DIFF_INPUT; }
  diags.push(...res.diagnostics);
  flush();
  if (!(await writeReports(values, res.value, io))) return EXIT_DIFF_INPUT;
  io.stdout.write(values.json ? renderJson(res.value) : renderTable(res.value));
  return hasChanges(map.value) ? EXIT_CHANGED : EXIT_OK;
}

/**
 * The guide fill (spec §5.6) from `--guide`: the WAV's metadata only (its audio is not read), its
 * first sample at `--guide-start` or else at its BWF time reference, which must then fall on a
 * frame of the session rate exactly.
 */
async function guideFill(path: string, startText: string | undefined, rangesText: string | undefined, rate: FrameRate, sampleRate: number, diags: Diagnostic[]): Promise<{ fill: NonNullable<ConformOptions['guideFill']>; media: MediaSource } | undefined> {
  const ranges = (rangesText ?? 'insert,gap').split(',').map((s) => s.trim());
  if (!ranges.length || ranges.some((x) => x !== 'insert' && x !== 'gap')) throw new UsageError(`--guide-ranges takes insert, gap or insert,gap (got "${rangesText}")`);
  const source = await openFileSource(path);
  let read;
  try {
    read = await readBwf(source, { source: path });
  } finally {
    await source.close();
  }
  diags.push(...read.diagnostics);
  if (!read.ok) return undefined;
  const wav = read.value;
  const fileRate = wav.format?.sampleRate;
  if (fileRate !== sampleRate) {
    diags.push({ ...error('conform/guide-rate', `the guide is ${fileRate ?? 'an unknown number of'} Hz, the session ${sampleRate} Hz: it is not placed`), source: path });
    return undefined;
  }
  let startFrame: number;
  const start = startTimecode(wav, { rate });
  if (startText !== undefined) {
    const t = Timecode.parse(startText, { rate });
    if (!t.ok) throw new UsageError(`--guide-start: ${t.diagnostics[0].message}`);
    startFrame = t.value.frames;
  } else {
    const ref = start?.timeReference ?? 0n;
    startFrame = start?.timecode.frames ?? 0;
    if (BigInt(frameToSample(startFrame, 0, sampleRate, rate)) !== ref) {
      throw new UsageError(`--guide-start is needed: the guide's time reference (${ref} samples) is not on a frame at ${rate.name}`);
    }
  }
  const name = path.replace(/^.*[\\/]/, '');
  const file: FileRef = { id: `conform-guide:${name}`, name, ...(wav.frameCount !== undefined ? { lengthSamples: wav.frameCount } : {}) };
  const media: MediaSource = {
    id: file.id, name, kind: 'audio', url: path, sampleRate, ...(wav.format?.channels ? { channels: wav.format.channels } : {}),
    ...(start ? { timeReference: start.timeReference } : {}), metadata: {},
  };
  return { fill: { file, startFrame, ranges: ranges as ('insert' | 'gap')[] }, media };
}

/** `dubstage conform apply …` and the short form `dubstage conform --old … SESSION -o OUT`. */
async function runApply(argv: readonly string[], io: CliIo, short: boolean): Promise<number> {
  const { rest, lists } = takeRepeated(argv);
  const { values, positionals } = parseArgs(rest, {
    ...CUT_OPTIONS,
    old: { type: 'string' }, new: { type: 'string' }, changes: { type: 'string' }, session: { type: 'string' }, out: { type: 'string', short: 'o' },
    removed: { type: 'string', choices: ['lanes', 'list'] },
    'edit-points': { type: 'string', choices: ['none', 'fades', 'crossfade'] }, 'edit-length': { type: 'string' },
    guide: { type: 'string' }, 'guide-start': { type: 'string' }, 'guide-ranges': { type: 'string' },
    verify: { type: 'boolean' },
  });
  if (values.help) { io.stdout.write((short ? USAGE : APPLY_USAGE) + '\n'); return EXIT_OK; }
  const oldPath = values.old as string | undefined;
  const newPath = values.new as string | undefined;
  const outPath = values.out as string | undefined;
  const changesPath = values.changes as string | undefined;
  if (!oldPath || (!newPath && !changesPath)) throw new UsageError('--old and --new (or --changes) are required');
  if (newPath && changesPath) throw new UsageError('give --new or --changes, not both');
  if (values.session !== undefined && positionals.length) throw new UsageError('give the session once: --session IN or SESSION');
  const sessionPath = (values.session as string | undefined) ?? positionals[0];
  if (sessionPath === undefined || positionals.length > 1) throw new UsageError('expected one SESSION (--session IN)');
  if (!outPath) throw new UsageError('-o OUT (--out) is required');
  if ((values['guide-start'] !== undefined || values['guide-ranges'] !== undefined) && values.guide === undefined) throw new UsageError('--guide-start and --guide-ranges need --guide');
  const rate = rateOf(values);
  const editLength = values['edit-length'] !== undefined ? Number(values['edit-length']) : 2;
  if (!Number.isInteger(editLength) || editLength < 0) throw new UsageError('--edit-length takes a whole number of frames');
  const outFormat = formatsByExtension(outPath).find((f) => f.write);
  if (!outFormat) throw new UsageError(`no writable format for the extension of ${outPath}`);
  let options: Partial<ConformOptions> = {
    ...mapOptions(values, lists['vfx-pattern']),
    ...(values.removed ? { removedPlacement: values.removed as 'lanes' | 'list' } : {}),
    ...(values['edit-points'] ? { editPoints: { mode: values['edit-points'] as 'none' | 'fades' | 'crossfade', lengthFrames: editLength } } : {}),
    ...(lists['exclude-track'].length ? { excludeTracks: lists['exclude-track'] } : {}),
  };
  const diags: Diagnostic[] = [];
  const flush = (): void => { for (const d of diags) io.stderr.write(formatDiagnostic(d) + '\n'); diags.length = 0; };
  let oldCut: Cut | undefined;
  let newCut: Cut | undefined;
  let sessionBytes: Uint8Array;
  try {
    oldCut = await readCut(oldPath, rate, cutOptions(values), diags);
    if (newPath) newCut = await readCut(newPath, rate, cutOptions(values), diags);
    else if (oldCut) {
      if (!rate) throw new UsageError('--rate is required with --changes');
      const text = await readFile(changesPath as string, 'utf8');
      const ops = parseChangeList(text, { rate: oldCut.rate, ...(oldCut.pictureStart !== undefined ? { pictureStart: oldCut.pictureStart } : {}) });
      const made = ops.ok ? cutFromChangeList(oldCut, ops.value, { name: baseName(changesPath as string) }) : ops;
      diags.push(...made.diagnostics.map((d) => ({ ...d, source: changesPath as string })));
      newCut = made.ok ? made.value : undefined;
    }
    sessionBytes = new Uint8Array(await readFile(sessionPath));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    io.stderr.write(`dubstage conform: ${(e as Error).message}\n`);
    return EXIT_INVALID;
  }
  const sessionRead = readTimeline(sessionBytes, { fileName: sessionPath, source: sessionPath, ...(rate ? { rate } : {}) });
  diags.push(...sessionRead.diagnostics);
  if (!oldCut || !newCut || !sessionRead.ok) { flush(); return EXIT_INVALID; }
  const extraMedia: MediaSource[] = [];
  if (values.guide !== undefined) {
    let guide;
    try {
      guide = await guideFill(values.guide as string, values['guide-start'] as string | undefined, values['guide-ranges'] as string | undefined, sessionRead.value.frameRate, sessionRead.value.sampleRate, diags);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      io.stderr.write(`dubstage conform: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
    if (!guide) { flush(); return EXIT_INVALID; }
    options = { ...options, guideFill: guide.fill };
    extraMedia.push(guide.media);
  }
  const map = buildConformMap(oldCut, newCut, options);
  if (!map.ok) { diags.push(...map.diagnostics); flush(); return EXIT_INVALID; }
  const session = sessionFromTimeline(sessionRead.value);
  const res = applyConformMap(map.value, session, options);
  if (!res.ok) { diags.push(...res.diagnostics); flush(); return EXIT_INVALID; }
  const result = res.value;
  const guideFile = options.guideFill?.file;
  if (guideFile?.lengthSamples !== undefined) {
    for (const t of result.session.tracks) {
      for (const g of t.regions) {
        if (g.file.id !== guideFile.id || (g.fileOffset >= 0 && g.fileOffset + (g.end - g.start) <= guideFile.lengthSamples)) continue;
        diags.push({ ...warning('conform/guide-short', `the guide ${guideFile.name} (${guideFile.lengthSamples} samples) does not cover ${g.name} at session samples [${g.start}, ${g.end}) (file samples from ${g.fileOffset})`), source: values.guide as string });
      }
    }
  }
  const written = writeTimeline(timelineFromResult(sessionRead.value, result, extraMedia), outFormat.id, rate ? { rate } : {});
  diags.push(...written.diagnostics);
  flush();
  if (written.value === undefined) return EXIT_INVALID;
  try {
    await writeFile(outPath, written.value);
  } catch (e) {
    io.stderr.write(`dubstage conform: cannot write: ${(e as Error).message}\n`);
    return EXIT_INVALID;
  }
  if (!(await writeReports(values, result, io))) return EXIT_INVALID;
  io.stdout.write(values.json ? renderJson(result) : renderTable(result));
  if (values.verify) {
    const v = checkInvariants(session, result);
    for (const d of v.violations) io.stderr.write(formatDiagnostic(d) + '\n');
    if (!v.ok) return EXIT_INVARIANT;
    io.stderr.write(`verify: ${v.checked.join(' ')} hold\n`);
  }
  return EXIT_OK;
}

/** `dubstage conform`: `diff` two cuts, or `apply` a new cut to a session (issue 10, spec §11). */
export const conformCommand: Command = {
  name: 'conform',
  summary: 'Compare two picture cuts, or re-time a session from the old cut to the new one',
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    if (argv[0] === 'diff') return runDiff(argv.slice(1), io);
    if (argv[0] === 'apply') return runApply(argv.slice(1), io, false);
    return runApply(argv, io, true);
  },
};
