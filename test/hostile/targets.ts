/**
 * Every parser dubstage has, as a fuzz target (issue 13): the registered timeline readers plus
 * the layers and small formats outside the registry (the compound file alone, MIDI markers, CSV
 * cue sheets, rubrics). Each target turns bytes into diagnostics; {@link checkRun} applies the
 * properties: no exception, time bounded by the input size, memory bounded, every error
 * diagnostic has a place.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { openCfbSync } from '../../src/binary/cfb/read.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { readCueSheet, timelineToCueSheet, writeCueSheet } from '../../src/formats/csv/cue-sheet.js';
import { readMarkerMidi, writeMarkerMidi } from '../../src/formats/midi/markers.js';
import { FORMATS, readTimeline, writeTimeline } from '../../src/formats/registry.js';
import { parseRubric } from '../../src/grade/rubric.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { corpusFiles, REPO_ROOT } from '../helpers/corpus.js';
import { arbTimeline } from '../helpers/timeline-arb.js';

/** One parser under test. */
export interface FuzzTarget {
  readonly id: string;
  /** Seed inputs (real files where the corpus has them, else written by our own writers). */
  seeds(): Uint8Array[];
  /** Runs the parser. An exception escaping here is a failure. */
  run(input: Uint8Array): readonly Diagnostic[];
}

const CORPUS_DIR: Record<string, string> = { edl: 'edl', xmeml: 'xmeml', fcpxml: 'fcpxml', otio: 'otio', aaf: 'aaf', bwf: 'bwf', 'pt-text': 'pt-text', ptx: 'ptx' };

function corpusSeeds(dir: string): Uint8Array[] {
  return corpusFiles(dir)
    .slice(0, 40)
    .map((f) => new Uint8Array(readFileSync(f)))
    .filter((b) => b.length < 4 << 20);
}

/** Timelines from the model's fast-check arbitrary, fixed seed: writer output to seed formats without a corpus. */
function sampleTimelines(n: number) {
  return fc.sample(arbTimeline, { numRuns: n, seed: 0x5eed });
}

const enc = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? new TextEncoder().encode(s) : s);

function writtenSeeds(format: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const t of sampleTimelines(12)) {
    const w = writeTimeline(t, format);
    if (w.value !== undefined) out.push(enc(w.value));
  }
  return out;
}

/** The registered readers, through `readTimeline` (which turns an escaped exception into `format/internal`). */
function registryTargets(): FuzzTarget[] {
  return FORMATS.filter((f) => f.parse).map((f) => ({
    id: f.id,
    seeds: () => {
      const dir = CORPUS_DIR[f.id];
      const real = dir ? corpusSeeds(dir) : [];
      return real.length > 0 ? real : f.write ? writtenSeeds(f.id) : [];
    },
    run: (input: Uint8Array) => readTimeline(input, { format: f.id, rate: FrameRate.FPS_24 }).diagnostics,
  }));
}

/** The compound-file layer alone: open, then read every stream (chain resolution, mini stream). */
export function runCfb(input: Uint8Array): readonly Diagnostic[] {
  const r = openCfbSync(input);
  if (!r.ok) return r.diagnostics;
  const out: Diagnostic[] = [...r.diagnostics, ...r.value.diagnostics];
  for (const e of r.value.entries.values()) {
    if (e.type !== 'stream') continue;
    const s = r.value.readStreamSync?.(e);
    if (s && !s.ok) out.push(...s.diagnostics);
  }
  return out;
}

const RUBRIC_SEED = JSON.stringify({
  schema: 'dubstage.rubric/1',
  title: 'ADR spotting',
  rate: '23.976',
  sampleRate: 48000,
  startTimecode: '01:00:00:00',
  checks: [
    { id: 'cues', kind: 'cues', points: 10, cues: [{ cue: '1', start: '01:00:01:00', end: '01:00:02:00', character: 'A' }] },
    { id: 'tracks', kind: 'tracks', points: 2 },
    { id: 'timeline', kind: 'timeline', points: 1 },
  ],
});

/** Targets outside the registry. */
function layerTargets(): FuzzTarget[] {
  const targets: FuzzTarget[] = [
    { id: 'cfb', seeds: () => corpusSeeds('aaf'), run: runCfb },
    {
      id: 'midi',
      seeds: () => sampleTimelines(12).map((t) => writeMarkerMidi(t).value),
      run: (input) => readMarkerMidi(input).diagnostics,
    },
    {
      id: 'csv',
      seeds: () => sampleTimelines(12).map((t) => enc(writeCueSheet(timelineToCueSheet(t, { from: 'markers' }).value))),
      run: (input) => readCueSheet(input).diagnostics,
    },
  ];
  targets.push({ id: 'rubric', seeds: () => [enc(RUBRIC_SEED)], run: (input) => parseRubric(input).diagnostics });
  return targets;
}

/** Every fuzz target: registered readers first, then the layers. */
export const TARGETS: readonly FuzzTarget[] = [...registryTargets(), ...layerTargets()];

/** The time bound of one input: 2 s plus 1 ms per kilobyte (generous on a shared 2-core machine). */
export function timeBoundMs(sizeBytes: number): number {
  return 2000 + sizeBytes / 1000;
}

/** Resident memory past which a run counts as unbounded. */
export const MEMORY_BOUND_BYTES = 3 * 1024 ** 3;

/**
 * Runs one input through a target and returns the property violations (empty when all hold):
 * an exception (or the registry's `format/internal`), an error diagnostic with no place, a run
 * past {@link timeBoundMs}, resident memory past {@link MEMORY_BOUND_BYTES}.
 */
export function checkRun(target: FuzzTarget, input: Uint8Array): string[] {
  const failures: string[] = [];
  const t0 = performance.now();
  let diagnostics: readonly Diagnostic[] = [];
  try {
    diagnostics = target.run(input);
  } catch (e) {
    failures.push(`exception: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  const ms = performance.now() - t0;
  for (const d of diagnostics) {
    if (d.code === 'format/internal') failures.push(`exception: ${d.message}`);
    else if (d.severity === 'error' && d.at === undefined && (d.path === undefined || d.path.length === 0)) failures.push(`${d.code} has no place (${d.message})`);
  }
  if (ms > timeBoundMs(input.length)) failures.push(`${Math.round(ms)} ms for ${input.length} bytes`);
  const rss = process.memoryUsage.rss();
  if (rss > MEMORY_BOUND_BYTES) failures.push(`resident memory ${Math.round(rss / 1048576)} MiB`);
  return failures;
}

/** `test/fixtures/fuzz/<target>/*`: minimized inputs that once failed, replayed by the fuzz test. */
export function regressionFixtures(): { target: string; name: string; bytes: Uint8Array }[] {
  const root = join(REPO_ROOT, 'test', 'fixtures', 'fuzz');
  if (!existsSync(root)) return [];
  const out: { target: string; name: string; bytes: Uint8Array }[] = [];
  for (const target of readdirSync(root).sort()) {
    const dir = join(root, target);
    if (!existsSync(dir) || target.endsWith('.md')) continue;
    for (const name of readdirSync(dir).sort()) out.push({ target, name, bytes: new Uint8Array(readFileSync(join(dir, name))) });
  }
  return out;
}
