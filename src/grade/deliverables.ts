/**
 * The `deliverables` check: the audio files a dub-mix assignment hands in (printmaster, stems),
 * each against the delivery spec: naming, sample rate, bit depth, sample format, channel count and
 * order, BWF TimeReference at the session start, length (leader + picture + tail), head 2-pop and
 * tail pop, integrated loudness, true peak, loudness range, and stems nulling against the
 * printmaster.
 *
 * Metadata comes from the BWF reader (chunk headers and metadata chunks only: a 2 GB stem is not
 * read for its sample rate). Audio is read only for what the entry asks: the frames around each pop,
 * and one streaming pass for loudness; files in a null test are measured in the same pass that
 * sums them, so each file is decoded once.
 *
 * Times are exact: timecodes become samples since midnight with the named rounding `nearest`
 * (as a BWF TimeReference is written, timecode digest §6), and offsets are reported in frames when
 * whole, else in samples. docs/grading.md ("Deliverables and loudness") is the reference.
 */
import * as t from 'io-ts';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ByteInput } from '../binary/byte-source.js';
import { readBwf, type BwfFile } from '../formats/bwf/read.js';
import { openSamples, type SampleReader } from '../formats/bwf/samples.js';
import { FrameRate } from '../time/frame-rate.js';
import { Rational } from '../time/rational.js';
import { RationalTime } from '../time/rational-time.js';
import { Timecode } from '../time/timecode.js';
import { channelLayout, roleOfName, type ChannelRole } from './audio/channels.js';
import { LoudnessMeter, measureLoudness, type LoudnessResult } from './audio/loudness.js';
import { nullTest, type NullTestResult } from './audio/null-test.js';
import { detectPop, type PopOptions, type PopResult } from './audio/pops.js';
import { describeOffset, label, type GradeClock } from './evidence.js';
import { CheckBaseC, globToRegExp } from './rubric.js';
import type { CheckItem, CheckResult, Evidence, ItemVerdict, Submission, SubmissionFile } from './types.js';

const PositiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'a positive integer');
const NonNegative = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'a number ≥ 0');
const Finite = t.refinement(t.number, (n) => Number.isFinite(n), 'a finite number');

/** Pop search settings (all optional; defaults in {@link PopOptions}). */
export const PopSpecC = t.partial({
  /** Seconds between the pop's start and the first frame of action (head) or the end of the last frame (tail). Default 2. */
  secondsFromAction: NonNegative,
  frequencyHz: NonNegative,
  frequencyToleranceHz: NonNegative,
  silenceThresholdDb: Finite,
  silenceFrames: NonNegative,
  searchFrames: NonNegative,
  toleranceSamples: NonNegative,
  durationToleranceSamples: NonNegative,
});
export type PopSpec = t.TypeOf<typeof PopSpecC>;

/** Loudness targets (ITU-R BS.1770-4 / EBU R 128). */
export const LoudnessSpecC = t.partial({
  /** Integrated loudness `target` ± `tolerance`, LUFS / LU (e.g. −24 ± 2 for ATSC A/85, −23 ± 0.5 for R 128 delivery). */
  integrated: t.type({ target: Finite, tolerance: NonNegative }),
  /** Largest true peak allowed, dBTP. */
  truePeakMax: Finite,
  /** Largest sample peak allowed, dBFS. */
  samplePeakMax: Finite,
  /** Loudness range bounds, LU. */
  lraMax: NonNegative,
  lraMin: NonNegative,
  /** Largest momentary / short-term loudness allowed, LUFS. */
  momentaryMax: Finite,
  shortTermMax: Finite,
  /** `file` (default): the whole file; `action`: first frame of action to the end of the last (needs `ffoa` and `lfoa`). */
  range: t.union([t.literal('file'), t.literal('action')]),
});
export type LoudnessSpec = t.TypeOf<typeof LoudnessSpecC>;

/** The expected length of a file. */
export const LengthSpecC = t.partial({
  /** Picture length as `IN-OUT` timecodes (OUT exclusive, as an EDL's record out) or `{ "frames": n }`; default `ffoa`…`lfoa`. */
  picture: t.union([t.string, t.type({ frames: NonNegative })]),
  /** Seconds before the picture (default: `ffoa − start` when both are given, else 0). */
  leaderSeconds: NonNegative,
  /** Seconds after the picture (the tail pop's room; default 0). */
  tailSeconds: NonNegative,
  /** Accepted error, samples (default 0). */
  toleranceSamples: NonNegative,
});
export type LengthSpec = t.TypeOf<typeof LengthSpecC>;

/** One deliverable file (or family of files) and what it must be. */
export const DeliverableFileC = t.intersection([
  t.type({
    /** Which submitted paths: a glob (`stems/*_DX.wav`, `**\/PM*.wav`, no `/` = any folder) or `/regex/flags`. */
    pattern: t.string,
  }),
  t.partial({
    /** A name for feedback ("DX stem"); default the file's path. */
    name: t.string,
    /** A matching file must exist (default true). */
    required: t.boolean,
    sampleRate: PositiveInt,
    /** Bits per sample (valid bits for WAVE_FORMAT_EXTENSIBLE). */
    bitDepth: PositiveInt,
    format: t.union([t.literal('pcm'), t.literal('float')]),
    channels: PositiveInt,
    /** Channel roles in order: `L R C LFE Ls Rs` (names as in docs/grading.md). */
    channelOrder: t.array(t.string),
    /** bext TimeReference must be this timecode (default: the check's `start`), within `toleranceSamples` (default 0). */
    timeReference: t.union([t.boolean, t.partial({ timecode: t.string, toleranceSamples: NonNegative })]),
    length: t.union([t.boolean, LengthSpecC]),
    /** Head 2-pop: `secondsFromAction` (2) before `ffoa`. */
    twoPop: t.union([t.boolean, PopSpecC]),
    /** Tail pop: `secondsFromAction` (2) after the end of `lfoa`. */
    tailPop: t.union([t.boolean, PopSpecC]),
    loudness: LoudnessSpecC,
  }),
]);
export type DeliverableFile = t.TypeOf<typeof DeliverableFileC>;

/** Stems that must sum to the printmaster. */
export const StemsSpecC = t.intersection([
  t.type({ printmaster: t.string, stems: t.array(t.string) }),
  t.partial({ /** Largest residual peak allowed, dBFS (default −60). */ nullThresholdDb: Finite }),
]);
export type StemsSpec = t.TypeOf<typeof StemsSpecC>;

/**
 * The rubric entry `{ "kind": "deliverables", … }` (io-ts codec). `rate` is the picture rate
 * (default: the rubric's); `start` the timecode every file starts at (its TimeReference); `ffoa`
 * and `lfoa` the first and last frames of action (LFOA inclusive).
 */
export const DeliverablesCheck = t.intersection([
  CheckBaseC,
  t.type({ kind: t.literal('deliverables'), files: t.array(DeliverableFileC) }),
  t.partial({ rate: t.string, start: t.string, ffoa: t.string, lfoa: t.string, stems: StemsSpecC }),
]);
export type DeliverablesCheck = t.TypeOf<typeof DeliverablesCheck>;

/** Options of {@link runDeliverablesCheck}. */
export interface DeliverablesOptions {
  /** Picture rate when the entry names none. */
  readonly rate?: FrameRate;
  /** A grading context: its rubric's rate is used when neither the entry nor `rate` names one. */
  readonly rubric?: { readonly rate?: FrameRate };
  /**
   * Measures the whole-file loudness of submitted files elsewhere (`dubstage/node` fills it with
   * worker threads: `runDeliverablesCheck(check, submission, { jobs: 2 })` there). Called once with
   * every file to measure; answers, per file, a promise, or undefined to have that file measured
   * here as usual (a rejected promise or an undefined result is measured here too). A result must
   * be {@link measureFileLoudness}'s for the same bytes and request, so the check's result is the
   * same wherever the work ran. The promises are awaited after this thread's own streaming work
   * (the null test), which runs meanwhile.
   */
  readonly measureLoudness?: (jobs: readonly LoudnessJob[]) => readonly (Promise<LoudnessResult | undefined> | undefined)[];
}

/** What to measure of a file (plain data: it may cross to a worker thread). */
export interface LoudnessRequest {
  /** Measure true peak too (the most expensive part). */
  readonly truePeak: boolean;
}

/** One file whose loudness the check needs, for {@link DeliverablesOptions.measureLoudness}. */
export interface LoudnessJob {
  readonly file: SubmissionFile;
  readonly request: LoudnessRequest;
  /** This thread decodes the file anyway (it is in the null test): measuring it here costs only the meter. */
  readonly decodedHere: boolean;
}

/**
 * The whole-file loudness of a WAV/BWF file as the `deliverables` check measures it: channel
 * weights from its layout ({@link channelLayout}), streamed in blocks. Undefined when the file is
 * not a readable WAV or its samples cannot be decoded (the check reports those from its own read).
 */
export async function measureFileLoudness(input: ByteInput, request: LoudnessRequest): Promise<LoudnessResult | undefined> {
  const r = await readBwf(input);
  if (!r.ok) return undefined;
  const samples = openSamples(input, r.value);
  if (!samples.ok) return undefined;
  return measureLoudness(samples.value, { roles: channelLayout(r.value).roles, truePeak: request.truePeak });
}

/** A submitted file read for the check. */
interface Opened {
  readonly file: SubmissionFile;
  readonly bwf?: BwfFile;
  readonly reader?: SampleReader;
  /** Samples since midnight of the file's first frame, when the file says (bext, else iXML). */
  readonly timeReference?: bigint;
}

function matcher(pattern: string): (path: string) => boolean {
  const m = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (m) {
    try {
      const re = new RegExp(m[1] as string, m[2]);
      return (p) => re.test(p);
    } catch {
      return () => false;
    }
  }
  const re = globToRegExp(pattern);
  return (p) => re.test(p);
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function dbText(x: number, unit: string): string {
  return x === -Infinity ? `-∞ ${unit}` : `${x.toFixed(1)} ${unit}`;
}

/** Samples since midnight of a timecode at `sampleRate` (nearest sample, half up: how a TimeReference is written). */
function tcSamples(tc: Timecode, sampleRate: number): bigint {
  return tc.toSamples(sampleRate, 'nearest');
}

/**
 * Runs a `deliverables` check on a submission. Never throws on bad files: an unreadable or
 * non-WAV file fails its items with a diagnostic naming it.
 */
export async function runDeliverablesCheck(check: DeliverablesCheck, submission: Submission, options: DeliverablesOptions = {}): Promise<CheckResult> {
  const title = check.title ?? 'Deliverables';
  const id = check.id ?? 'deliverables';
  const diagnostics: Diagnostic[] = [];
  const items: CheckItem[] = [];

  // Picture rate and the session's anchor timecodes.
  let rate = options.rate ?? options.rubric?.rate ?? FrameRate.FPS_24;
  if (check.rate !== undefined) {
    const r = FrameRate.parse(check.rate);
    if (r.ok) rate = r.value;
    else diagnostics.push(error('rubric/bad-rate', `rate "${check.rate}": ${r.diagnostics[0].message}`, { path: ['rate'], received: check.rate }));
  }
  const tc = (field: 'start' | 'ffoa' | 'lfoa'): Timecode | undefined => {
    const text = check[field];
    if (text === undefined) return undefined;
    const r = Timecode.parse(text, { rate });
    if (r.ok) return r.value;
    diagnostics.push(error('rubric/bad-timecode', `${field} "${text}": ${r.diagnostics[0].message}`, { path: [field], received: text }));
    return undefined;
  };
  const start = tc('start');
  const ffoa = tc('ffoa');
  const lfoa = tc('lfoa');
  /** Seconds since midnight of the end of the last frame of action. */
  const actionEnd = lfoa ? lfoa.toRationalTime().seconds.plus(rate.frameDuration) : undefined;

  // Read each matching file's metadata once.
  const opened = new Map<string, Promise<Opened>>();
  const open = (file: SubmissionFile): Promise<Opened> => {
    let p = opened.get(file.path);
    if (!p) {
      p = (async (): Promise<Opened> => {
        try {
          const r = await readBwf(file.source, { source: file.path });
          if (!r.ok) {
            diagnostics.push(...r.diagnostics);
            return { file };
          }
          const bwf = r.value;
          diagnostics.push(...r.diagnostics.filter((d) => d.severity === 'error'));
          const samples = openSamples(file.source, bwf);
          if (!samples.ok) diagnostics.push(...samples.diagnostics.map((d) => ({ ...d, source: file.path })));
          const stamp = bwf.ixml?.speed?.timestampSamplesSinceMidnight;
          const stampRate = bwf.ixml?.speed?.timestampSampleRate ?? bwf.format?.sampleRate;
          const timeReference = bwf.bext
            ? bwf.bext.timeReference
            : stamp !== undefined && stampRate && bwf.format?.sampleRate
              ? Rational.of(stamp * BigInt(bwf.format.sampleRate), BigInt(stampRate)).round('nearest')
              : undefined;
          return { file, bwf, ...(samples.ok ? { reader: samples.value } : {}), ...(timeReference !== undefined ? { timeReference } : {}) };
        } catch (e) {
          diagnostics.push(error('grade/unreadable', `${file.path} could not be read: ${e instanceof Error ? e.message : String(e)}`, { source: file.path }));
          return { file };
        }
      })();
      opened.set(file.path, p);
    }
    return p;
  };
  const filesMatching = (pattern: string): SubmissionFile[] => {
    const test = matcher(pattern);
    return submission.files.filter((f) => test(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  };

  // Plan the loudness measurements; stems share the null test's pass.
  const loudnessWanted = new Map<string, { truePeak: boolean; file: boolean }>();
  for (const entry of check.files) {
    if (!entry.loudness) continue;
    for (const f of filesMatching(entry.pattern)) {
      const prev = loudnessWanted.get(f.path);
      const truePeak = entry.loudness.truePeakMax !== undefined;
      const file = entry.loudness.range !== 'action';
      loudnessWanted.set(f.path, { truePeak: (prev?.truePeak ?? false) || truePeak, file: (prev?.file ?? false) || file });
    }
  }
  /** Results by `path|range`. */
  const loudness = new Map<string, LoudnessResult | undefined>();
  // Whole-file measurements handed to `options.measureLoudness` (worker threads), by path; they
  // run while this thread does the null test. Only files this thread can decode are handed over.
  const elsewhere = new Map<string, Promise<LoudnessResult | undefined>>();
  const inNullTest = new Set<string>();
  if (check.stems) for (const p of [check.stems.printmaster, ...check.stems.stems]) for (const f of filesMatching(p)) inNullTest.add(f.path);
  if (options.measureLoudness) {
    const jobs: LoudnessJob[] = [];
    for (const [path, want] of loudnessWanted) {
      if (!want.file) continue;
      const file = submission.files.find((f) => f.path === path) as SubmissionFile;
      if (!(await open(file)).reader) continue;
      jobs.push({ file, request: { truePeak: want.truePeak }, decodedHere: inNullTest.has(path) });
    }
    const answers = jobs.length > 0 ? options.measureLoudness(jobs) : [];
    jobs.forEach((j, i) => {
      const p = answers[i];
      if (!p) return;
      // Handled now (a worker may fail before the null test is done); awaited, and measured here on failure, below.
      p.catch(() => undefined);
      elsewhere.set(j.file.path, p);
    });
  }

  let nullResult: { result?: NullTestResult; printmaster?: string; stems: string[]; missing: string[] } | undefined;
  if (check.stems) {
    const pm = filesMatching(check.stems.printmaster)[0];
    const stemFiles: SubmissionFile[] = [];
    const missing: string[] = [];
    for (const p of check.stems.stems) {
      const m = filesMatching(p);
      if (m.length === 0) missing.push(p);
      stemFiles.push(...m);
    }
    nullResult = { ...(pm ? { printmaster: pm.path } : {}), stems: stemFiles.map((f) => f.path), missing };
    if (pm && stemFiles.length > 0 && missing.length === 0) {
      const all = await Promise.all([pm, ...stemFiles].map(open));
      if (all.every((o) => o.reader)) {
        const readers = all.map((o) => o.reader as SampleReader);
        // Whole-file loudness of these files is measured from the blocks the null test reads.
        const meters = all.map((o) => {
          const want = loudnessWanted.get(o.file.path);
          if (!want?.file || elsewhere.has(o.file.path)) return undefined;
          const roles = o.bwf ? channelLayout(o.bwf).roles : undefined;
          return new LoudnessMeter(o.reader!.format.sampleRate, o.reader!.format.channels, { truePeak: want.truePeak, ...(roles ? { roles } : {}) });
        });
        const result = await nullTest(readers[0] as SampleReader, readers.slice(1), {
          thresholdDb: check.stems.nullThresholdDb ?? -60,
          names: all.map((o) => baseName(o.file.path)),
          onBlock: (i, block) => meters[i]?.push(block.channels),
        });
        meters.forEach((m, i) => m && loudness.set(`${(all[i] as Opened).file.path}|file`, m.result()));
        nullResult.result = result;
        diagnostics.push(...result.diagnostics);
      }
    }
  }

  for (const [path, p] of elsewhere) {
    let m: LoudnessResult | undefined;
    try {
      m = await p;
    } catch {
      m = undefined;
    }
    // Not measured there (a worker failed): measure here, as without the hook.
    if (!m) {
      const o = await (opened.get(path) as Promise<Opened>);
      const want = loudnessWanted.get(path);
      const reader = o.reader as SampleReader;
      m = await measureLoudness(reader, { roles: channelLayout(o.bwf as BwfFile).roles, truePeak: want?.truePeak ?? false });
    }
    loudness.set(`${path}|file`, m);
  }

  for (const [index, entry] of check.files.entries()) {
    const files = filesMatching(entry.pattern);
    const entryName = entry.name ?? entry.pattern;
    const wanted = requestedItems(entry);
    if (files.length === 0) {
      if (entry.required === false) continue;
      const feedback = `No file matches "${entry.pattern}"${entry.name ? ` (the ${entry.name})` : ''}: hand it in with a name that matches.`;
      items.push({ id: `${entryName}/file`, verdict: 'missing', credit: 0, feedback, evidence: { expected: entry.pattern, detail: { entry: index } } });
      for (const w of wanted) items.push({ id: `${entryName}/${w}`, verdict: 'missing', credit: 0, feedback: `${entryName}: ${w} cannot be checked: the file is missing.`, evidence: { expected: entry.pattern } });
      continue;
    }
    for (const file of files) {
      const o = await open(file);
      items.push(...(await checkFile(entry, o)));
    }
  }

  if (check.stems && nullResult) items.push(await nullItem(check.stems, nullResult));

  async function checkFile(entry: DeliverableFile, o: Opened): Promise<CheckItem[]> {
    const name = baseName(o.file.path);
    const out: CheckItem[] = [];
    const item = (what: string, verdict: ItemVerdict, feedback: string, evidence: Evidence): void => {
      out.push({ id: `${o.file.path}/${what}`, verdict, credit: verdict === 'match' ? 1 : 0, feedback, evidence: { ...evidence, detail: { file: o.file.path, ...(evidence.detail ?? {}) } } });
    };
    const fmt = o.bwf?.format;
    if (!o.bwf || !fmt) {
      item('file', 'fail', `${name} is not a readable WAV/BWF file.`, { expected: 'a Broadcast Wave file' });
      for (const w of requestedItems(entry)) item(w, 'fail', `${name}: ${w} cannot be checked: the file cannot be read as WAV.`, {});
      return out;
    }
    const sampleRate = fmt.sampleRate;
    if (!(sampleRate > 0)) {
      item('file', 'fail', `${name} declares a sample rate of ${sampleRate} Hz: it cannot be checked.`, { expected: 'a sample rate above 0 Hz', actual: String(sampleRate) });
      for (const w of requestedItems(entry)) item(w, 'fail', `${name}: ${w} cannot be checked: the file declares a sample rate of 0 Hz.`, {});
      return out;
    }
    const clock: GradeClock = { rate, sampleRate };
    const compare = (what: string, label: string, expected: string | number | undefined, actual: string | number): void => {
      if (expected === undefined) return;
      const okay = String(expected) === String(actual);
      item(what, okay ? 'match' : 'wrong-value', okay ? `${name}: ${actual} ${label}.` : `${name} is ${actual} ${label}; the deliverable spec asks for ${expected} ${label}.`, { expected: String(expected), actual: String(actual) });
    };
    compare('sample-rate', 'Hz', entry.sampleRate, sampleRate);
    compare('bit-depth', 'bit', entry.bitDepth, fmt.validBitsPerSample ?? fmt.bitsPerSample);
    if (entry.format !== undefined) {
      const actual = fmt.encoding;
      item('format', actual === entry.format ? 'match' : 'wrong-value', actual === entry.format ? `${name}: ${actual} samples.` : `${name} holds ${actual === 'float' ? 'floating-point' : actual === 'pcm' ? 'integer PCM' : 'compressed or unknown'} samples; the spec asks for ${entry.format === 'float' ? 'floating point' : 'integer PCM'}.`, { expected: entry.format, actual });
    }
    compare('channels', 'channels', entry.channels, fmt.channels);
    if (entry.channelOrder) {
      const layout = channelLayout(o.bwf);
      const want = entry.channelOrder.map((n) => roleOfName(n) ?? n);
      const okay = want.length === layout.roles.length && want.every((r, i) => r === layout.roles[i]);
      const how = layout.source === 'count' ? ' (read from the channel count: the file has no channel mask or track names)' : ` (from the file's ${layout.source === 'mask' ? 'channel mask' : layout.source === 'chna' ? 'ADM chna chunk' : 'iXML track names'})`;
      item('channel-order', okay ? 'match' : 'wrong-value', okay ? `${name}: channels ${layout.roles.join(' ')}.` : `${name} has channels ${layout.roles.join(' ')}${how}; the spec asks for ${want.join(' ')}.`, { expected: want.join(' '), actual: layout.roles.join(' '), detail: { source: layout.source } });
    }
    const fileStart = o.timeReference ?? (start ? tcSamples(start, sampleRate) : 0n);
    const at = (sample: number): string => label(Rational.of(fileStart + BigInt(sample), BigInt(sampleRate)), clock);

    if (entry.timeReference !== undefined && entry.timeReference !== false) {
      const spec = entry.timeReference === true ? {} : entry.timeReference;
      let want = start;
      if (spec.timecode !== undefined) {
        const r = Timecode.parse(spec.timecode, { rate });
        if (r.ok) want = r.value;
        else diagnostics.push(error('rubric/bad-timecode', `timeReference.timecode "${spec.timecode}": ${r.diagnostics[0].message}`, { path: ['files', 'timeReference', 'timecode'] }));
      }
      if (!want) {
        diagnostics.push(error('rubric/invalid', 'timeReference needs the check\'s "start" or its own "timecode"', { path: ['start'] }));
      } else if (o.timeReference === undefined) {
        item('time-reference', 'missing', `${name} has no BWF TimeReference (no bext chunk): it should start at ${want.toString()}.`, { expected: want.toString() });
      } else {
        const expected = tcSamples(want, sampleRate);
        const deltaSamples = o.timeReference - expected;
        const okay = (deltaSamples < 0n ? -deltaSamples : deltaSamples) <= BigInt(Math.floor(spec.toleranceSamples ?? 0));
        const d = describeOffset(Rational.of(deltaSamples, BigInt(sampleRate)), clock);
        const actualTc = label(Rational.of(o.timeReference, BigInt(sampleRate)), clock);
        item('time-reference', okay ? 'match' : 'offset', okay ? `${name} starts at ${actualTc}.` : `${name} starts ${d.words}: TimeReference ${o.timeReference} is ${actualTc}, expected ${want.toString()} (${expected}).`, {
          expected: want.toString(),
          actual: actualTc,
          delta: d.delta,
        });
      }
    }

    if (entry.length !== undefined && entry.length !== false) {
      const spec = entry.length === true ? {} : entry.length;
      const expected = expectedLength(spec, sampleRate);
      const frames = o.reader?.frameCount ?? o.bwf.frameCount ?? 0;
      if (expected === undefined) {
        diagnostics.push(error('rubric/invalid', 'length needs "picture" or the check\'s "ffoa" and "lfoa"', { path: ['files', 'length'] }));
      } else {
        const delta = frames - expected;
        const okay = Math.abs(delta) <= (spec.toleranceSamples ?? 0);
        const d = describeOffset(Rational.of(delta, sampleRate), clock);
        const words = d.words.replace(/ late$/, ' too long').replace(/ early$/, ' short');
        const asTc = (n: number): string => Timecode.fromRationalTime(RationalTime.fromSamples(n, sampleRate), rate, 'floor', { overflow: 'wrap' }).toString();
        item('length', okay ? 'match' : 'wrong-value', okay ? `${name} is ${frames} samples long (${asTc(frames)}).` : `${name} is ${words}: ${frames} samples, expected ${expected} (${asTc(expected)} of leader, picture and tail).`, {
          expected: String(expected),
          actual: String(frames),
          delta: d.delta,
        });
      }
    }

    for (const which of ['twoPop', 'tailPop'] as const) {
      const spec = entry[which];
      if (spec === undefined || spec === false) continue;
      const popName = which === 'twoPop' ? '2-pop' : 'Tail pop';
      const what = which === 'twoPop' ? 'two-pop' : 'tail-pop';
      const s: PopSpec = spec === true ? {} : spec;
      const anchor = which === 'twoPop' ? ffoa?.toRationalTime().seconds : actionEnd;
      if (!anchor) {
        diagnostics.push(error('rubric/invalid', `${what} needs the check's "${which === 'twoPop' ? 'ffoa' : 'lfoa'}"`, { path: [which === 'twoPop' ? 'ffoa' : 'lfoa'] }));
        continue;
      }
      if (!o.reader) {
        item(what, 'fail', `${name}: the ${popName.toLowerCase()} cannot be checked: the samples cannot be decoded.`, {});
        continue;
      }
      const gap = Rational.parse(String(s.secondsFromAction ?? 2)) ?? Rational.of(2);
      const popAt = which === 'twoPop' ? anchor.minus(gap) : anchor.plus(gap);
      const expectedAbs = popAt.times(Rational.of(sampleRate)).round('nearest');
      const expectedStart = Number(expectedAbs - fileStart);
      const opts: PopOptions = {
        rate,
        expectedStart,
        ...(s.frequencyHz !== undefined ? { frequencyHz: s.frequencyHz } : {}),
        ...(s.frequencyToleranceHz !== undefined ? { frequencyToleranceHz: s.frequencyToleranceHz } : {}),
        ...(s.silenceThresholdDb !== undefined ? { silenceThresholdDb: s.silenceThresholdDb } : {}),
        ...(s.silenceFrames !== undefined ? { silenceFrames: s.silenceFrames } : {}),
        ...(s.searchFrames !== undefined ? { searchFrames: s.searchFrames } : {}),
        ...(s.toleranceSamples !== undefined ? { positionToleranceSamples: s.toleranceSamples } : {}),
        ...(s.durationToleranceSamples !== undefined ? { durationToleranceSamples: s.durationToleranceSamples } : {}),
      };
      const r: PopResult = await detectPop(o.reader, opts);
      const expectedLabel = label(popAt, clock);
      const detail: Record<string, string | number | boolean> = { expectedSample: expectedStart };
      if (r.start !== undefined) Object.assign(detail, { sample: r.start, durationSamples: r.duration ?? 0, frequencyHz: Math.round((r.frequencyHz ?? 0) * 10) / 10, levelDb: Math.round((r.levelDb ?? 0) * 10) / 10 });
      if (r.ok) {
        item(what, 'match', `${name}: ${popName} at ${expectedLabel}.`, { expected: expectedLabel, actual: at(r.start as number), detail });
        continue;
      }
      const first = r.problems[0];
      if (first?.code === 'missing') {
        item(what, 'missing', `${name}: no ${popName.toLowerCase()} found near ${expectedLabel} (${s.secondsFromAction ?? 2} s ${which === 'twoPop' ? 'before the first frame of action' : 'after the last frame of action'}): ${first.message}.`, { expected: expectedLabel, detail });
        continue;
      }
      const sentences: string[] = [];
      let delta: Evidence['delta'];
      for (const p of r.problems) {
        if (p.code === 'offset') {
          const d = describeOffset(Rational.of(BigInt(r.offsetSamples ?? 0), BigInt(sampleRate)), clock);
          delta = d.delta;
          sentences.push(`${popName} is ${d.words}: found at ${at(r.start as number)}, expected ${expectedLabel}`);
        } else if (p.code === 'noise' && r.surroundPeak) {
          sentences.push(`the silence around the ${popName.toLowerCase()} is broken: ${dbText(r.surroundPeak.levelDb, 'dBFS')} at ${at(r.surroundPeak.sample)} (it must stay under ${s.silenceThresholdDb ?? -60} dBFS for ${s.silenceFrames ?? 12} frames each side)`);
        } else sentences.push(p.message.replace(/^the /, `the ${popName.toLowerCase()} `));
      }
      const verdict: ItemVerdict = r.problems.every((p) => p.code === 'offset') ? 'offset' : 'wrong-value';
      item(what, verdict, `${name}: ${sentences.join('; ')}.`, { expected: expectedLabel, actual: at(r.start as number), ...(delta ? { delta } : {}), detail });
    }

    if (entry.loudness) {
      const l = entry.loudness;
      const key = `${o.file.path}|${l.range ?? 'file'}`;
      let m = loudness.get(key);
      if (!loudness.has(key) && o.reader) {
        m = await measureFile(o, l);
        loudness.set(key, m);
      }
      if (!m) {
        for (const w of loudnessItems(l)) item(w, 'fail', `${name}: ${w} cannot be measured: the samples cannot be decoded${l.range === 'action' ? ' or the action range is unknown' : ''}.`, {});
      } else {
        const within = (what: string, labelText: string, value: number, unit: 'LU' | 'dB', lo: number | undefined, hi: number | undefined, unitText: string, expectedText: string): void => {
          const okay = (lo === undefined || value >= lo - 1e-9) && (hi === undefined || value <= hi + 1e-9);
          const bound = hi !== undefined && value > hi ? hi : lo !== undefined && value < lo ? lo : undefined;
          item(what, okay ? 'match' : 'wrong-value', okay ? `${name}: ${labelText} ${dbText(value, unitText)}.` : `${name}: ${labelText} is ${dbText(value, unitText)}; the spec asks for ${expectedText}.`, {
            expected: expectedText,
            actual: dbText(value, unitText),
            ...(bound !== undefined && Number.isFinite(value) ? { delta: { value: Math.round((value - bound) * 10) / 10, unit } } : {}),
          });
        };
        if (l.integrated) {
          const { target, tolerance } = l.integrated;
          within('integrated-loudness', 'integrated loudness', m.integrated, 'LU', target - tolerance, target + tolerance, 'LUFS', `${target} ± ${tolerance} LUFS`);
        }
        if (l.truePeakMax !== undefined && m.truePeak !== undefined) within('true-peak', 'true peak', m.truePeak, 'dB', undefined, l.truePeakMax, 'dBTP', `at most ${l.truePeakMax} dBTP`);
        if (l.samplePeakMax !== undefined) within('sample-peak', 'sample peak', m.samplePeak, 'dB', undefined, l.samplePeakMax, 'dBFS', `at most ${l.samplePeakMax} dBFS`);
        if (l.lraMax !== undefined || l.lraMin !== undefined) {
          const text = l.lraMin !== undefined && l.lraMax !== undefined ? `${l.lraMin} to ${l.lraMax} LU` : l.lraMax !== undefined ? `at most ${l.lraMax} LU` : `at least ${l.lraMin} LU`;
          within('loudness-range', 'loudness range', m.loudnessRange, 'LU', l.lraMin, l.lraMax, 'LU', text);
        }
        if (l.momentaryMax !== undefined) within('momentary-max', 'maximum momentary loudness', m.momentaryMax, 'LU', undefined, l.momentaryMax, 'LUFS', `at most ${l.momentaryMax} LUFS`);
        if (l.shortTermMax !== undefined) within('short-term-max', 'maximum short-term loudness', m.shortTermMax, 'LU', undefined, l.shortTermMax, 'LUFS', `at most ${l.shortTermMax} LUFS`);
      }
    }
    return out;

    async function measureFile(opened: Opened, spec: LoudnessSpec): Promise<LoudnessResult | undefined> {
      const reader = opened.reader as SampleReader;
      const roles: readonly ChannelRole[] = channelLayout(opened.bwf as BwfFile).roles;
      const truePeak = loudnessWanted.get(opened.file.path)?.truePeak ?? spec.truePeakMax !== undefined;
      let range: { startFrame: number; frameCount: number } | undefined;
      if (spec.range === 'action') {
        if (!ffoa || !actionEnd) {
          diagnostics.push(error('rubric/invalid', 'loudness.range "action" needs the check\'s "ffoa" and "lfoa"', { path: ['files', 'loudness', 'range'] }));
          return undefined;
        }
        const a = Number(tcSamples(ffoa, sampleRate) - fileStart);
        const b = Number(actionEnd.times(Rational.of(sampleRate)).round('nearest') - fileStart);
        range = { startFrame: Math.max(0, a), frameCount: Math.max(0, b - Math.max(0, a)) };
      }
      return measureLoudness(reader, { roles, truePeak, ...range });
    }
  }

  function expectedLength(spec: LengthSpec, sampleRate: number): number | undefined {
    let picture: Rational | undefined;
    if (spec.picture !== undefined) {
      if (typeof spec.picture === 'string') {
        const [a, b] = spec.picture.split(/\s*[-–]\s*(?=\d)/);
        const ta = a !== undefined ? Timecode.parse(a, { rate }) : undefined;
        const tb = b !== undefined ? Timecode.parse(b, { rate }) : undefined;
        if (ta?.ok && tb?.ok) picture = tb.value.toRationalTime().seconds.minus(ta.value.toRationalTime().seconds);
        else diagnostics.push(error('rubric/bad-timecode', `length.picture "${spec.picture}" is not "IN-OUT" timecodes`, { path: ['files', 'length', 'picture'], received: spec.picture }));
      } else picture = Rational.of(BigInt(Math.round(spec.picture.frames))).times(rate.frameDuration);
    } else if (ffoa && actionEnd) picture = actionEnd.minus(ffoa.toRationalTime().seconds);
    if (!picture) return undefined;
    const leader = spec.leaderSeconds !== undefined ? Rational.parse(String(spec.leaderSeconds)) ?? Rational.ZERO : start && ffoa ? ffoa.toRationalTime().seconds.minus(start.toRationalTime().seconds) : Rational.ZERO;
    const tail = spec.tailSeconds !== undefined ? Rational.parse(String(spec.tailSeconds)) ?? Rational.ZERO : Rational.ZERO;
    return Number(leader.plus(picture).plus(tail).times(Rational.of(sampleRate)).round('nearest'));
  }

  async function nullItem(spec: StemsSpec, n: NonNullable<typeof nullResult>): Promise<CheckItem> {
    const idText = 'stems/null-test';
    const threshold = spec.nullThresholdDb ?? -60;
    if (!n.printmaster) return { id: idText, verdict: 'missing', credit: 0, feedback: `No printmaster matches "${spec.printmaster}": the null test needs it.`, evidence: { expected: spec.printmaster } };
    if (n.missing.length > 0) return { id: idText, verdict: 'missing', credit: 0, feedback: `No stem matches ${n.missing.map((p) => `"${p}"`).join(', ')}: the null test needs every stem.`, evidence: { expected: n.missing.join(', ') } };
    const r = n.result;
    if (!r || r.diagnostics.some((d) => d.severity === 'error')) {
      const why = r?.diagnostics.find((d) => d.severity === 'error')?.message ?? 'a file cannot be decoded';
      return { id: idText, verdict: 'fail', credit: 0, feedback: `The stems cannot be summed against ${baseName(n.printmaster)}: ${why}.`, evidence: { detail: { printmaster: n.printmaster, stems: n.stems.join(', ') } } };
    }
    // Where the worst residual is, as timecode on the printmaster's clock.
    const pm = await opened.get(n.printmaster);
    const pmRate = pm?.bwf?.format?.sampleRate ?? 48000;
    const pmStart = pm?.timeReference ?? (start ? tcSamples(start, pmRate) : 0n);
    const where = label(Rational.of(pmStart + BigInt(r.peakFrame), BigInt(pmRate)), { rate, sampleRate: pmRate });
    const evidence: Evidence = {
      expected: `residual peak ≤ ${threshold} dBFS`,
      actual: `${dbText(r.residualPeakDb, 'dBFS')} peak, ${dbText(r.residualRmsDb, 'dBFS')} RMS`,
      ...(Number.isFinite(r.residualPeakDb) ? { delta: { value: Math.round((r.residualPeakDb - threshold) * 10) / 10, unit: 'dB' as const } } : {}),
      detail: { printmaster: n.printmaster, stems: n.stems.join(', '), peakFrame: r.peakFrame, peakChannel: r.peakChannel + 1, printmasterPeakDb: Math.round(r.printmasterPeakDb * 10) / 10 },
    };
    if (r.ok) return { id: idText, verdict: 'match', credit: 1, feedback: `The ${n.stems.length} stems null against ${baseName(n.printmaster)}: residual peak ${dbText(r.residualPeakDb, 'dBFS')} (limit ${threshold} dBFS).`, evidence };
    return {
      id: idText,
      verdict: 'wrong-value',
      credit: 0,
      feedback: `The stems do not sum to ${baseName(n.printmaster)}: residual peak ${dbText(r.residualPeakDb, 'dBFS')} at ${where} on channel ${r.peakChannel + 1} (limit ${threshold} dBFS); check that every stem is printed with the same processing, gain and length as the printmaster.`,
      evidence,
    };
  }

  const score = items.length === 0 ? 1 : items.reduce((s, i) => s + i.credit, 0) / items.length;
  const failing = items.filter((i) => i.credit < 1);
  const feedback = failing.length === 0 ? [`All ${items.length} deliverable checks pass.`] : [`${failing.length} of ${items.length} deliverable checks fail.`, ...failing.map((i) => i.feedback)];
  return { id, kind: 'deliverables', title, weight: check.weight, score, items, feedback, diagnostics };
}

/** The item names an entry asks for (to report them missing when the file is). */
function requestedItems(entry: DeliverableFile): string[] {
  const out: string[] = [];
  if (entry.sampleRate !== undefined) out.push('sample-rate');
  if (entry.bitDepth !== undefined) out.push('bit-depth');
  if (entry.format !== undefined) out.push('format');
  if (entry.channels !== undefined) out.push('channels');
  if (entry.channelOrder !== undefined) out.push('channel-order');
  if (entry.timeReference !== undefined && entry.timeReference !== false) out.push('time-reference');
  if (entry.length !== undefined && entry.length !== false) out.push('length');
  if (entry.twoPop !== undefined && entry.twoPop !== false) out.push('two-pop');
  if (entry.tailPop !== undefined && entry.tailPop !== false) out.push('tail-pop');
  if (entry.loudness) out.push(...loudnessItems(entry.loudness));
  return out;
}

function loudnessItems(l: LoudnessSpec): string[] {
  const out: string[] = [];
  if (l.integrated) out.push('integrated-loudness');
  if (l.truePeakMax !== undefined) out.push('true-peak');
  if (l.samplePeakMax !== undefined) out.push('sample-peak');
  if (l.lraMax !== undefined || l.lraMin !== undefined) out.push('loudness-range');
  if (l.momentaryMax !== undefined) out.push('momentary-max');
  if (l.shortTermMax !== undefined) out.push('short-term-max');
  return out;
}
