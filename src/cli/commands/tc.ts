import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { feetToFrames, formatFeet, framesToFeet, parseFeet, type FilmGauge } from '../../time/feet-frames.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational, type RoundingMode } from '../../time/rational.js';
import { Timecode, type TimecodeOverflow } from '../../time/timecode.js';
import { parseArgs } from '../args.js';
import { EXIT_INVALID, EXIT_OK, forEachLineBatch, UsageError, type CliIo } from '../io.js';
import type { Command } from './command.js';

const UNITS = ['tc', 'frames', 'samples', 'seconds', 'feet35', 'feet16'] as const;
type Unit = (typeof UNITS)[number];

const GAUGE: Record<'feet35' | 'feet16', FilmGauge> = { feet35: '35mm-4perf', feet16: '16mm' };

const USAGE = `usage: dubstage tc [VALUE...] --rate RATE [--from UNIT] [--to UNIT] [--sample-rate HZ]
                   [--to-rate RATE] [--via time|label] [--round floor|ceil|nearest]
                   [--overflow error|wrap|signed] [--json]

Converts timecode, frame counts, samples, seconds and feet+frames. With no VALUE, reads one
value per line from stdin and writes one result per line in the same order.

  --rate RATE        frame rate of the values: 23.976 24 25 29.97df 29.97ndf 30 47.952 48 50
                     59.94df 59.94ndf 60 100 119.88df 119.88ndf 120, 23.98, 29.97 (= NDF), 30000/1001
  --from UNIT        tc | frames | samples | seconds | feet35 | feet16   (default tc)
  --to UNIT          the same units                                      (default frames)
  --sample-rate HZ   sample rate for samples (default 48000)
  --to-rate RATE     write the result at another frame rate
  --via time|label   how --to-rate converts: keep the real time (default) or keep the label
  --round MODE       floor | ceil | nearest (half up). Defaults: nearest when writing samples,
                     the frame holding the sample's centre when reading samples, floor otherwise
  --overflow MODE    timecode past 24 h or negative: error (default) | wrap | signed
  --json             one JSON object per line: {"input","ok","value"} or {"input","ok":false,"diagnostics"}

Frames count from 0 at 00:00:00:00. Feet+frames are F+FF (35 mm 4-perf: 16 frames a foot;
16 mm: 40). Seconds are exact: a decimal when it terminates, else N/D.
examples:
  dubstage tc 01:00:00;00 --rate 29.97df                    # 107892
  dubstage tc 172800000 --rate 25 --from samples --to tc    # 01:00:00:00
  dubstage tc 01:00:00:00 --rate 25 --to tc --to-rate 23.976
  cut -f3 cues.tsv | dubstage tc --rate 23.976 --to samples --json

Exit status: 0 all values valid, 1 some value invalid, 2 usage error.`;

/** What `dubstage tc` needs to convert one value. */
interface TcSettings {
  readonly rate: FrameRate;
  readonly toRate: FrameRate;
  readonly via: 'time' | 'label';
  readonly from: Unit;
  readonly to: Unit;
  readonly sampleRate: Rational;
  readonly round: RoundingMode | undefined;
  readonly overflow: TimecodeOverflow;
}

type Converted = { ok: true; value: string | number } | { ok: false; diagnostics: readonly Diagnostic[] };

/** An exact position in frames of the input rate: an integer, or a rational for samples/seconds/subframes. */
type FramePosition = { integer: number; exact?: undefined } | { integer?: undefined; exact: Rational };

function readValue(text: string, s: TcSettings): { ok: true; pos: FramePosition } | { ok: false; diagnostics: readonly Diagnostic[] } {
  switch (s.from) {
    case 'tc': {
      const r = Timecode.parse(text, { rate: s.rate, overflow: s.overflow });
      if (!r.ok) return r;
      const tc = r.value;
      if (tc.subframes === 0) return { ok: true, pos: { integer: tc.frames } };
      return { ok: true, pos: { exact: Rational.of(tc.frames * tc.subframeBase + tc.subframes, tc.subframeBase) } };
    }
    case 'frames': {
      const t = text.trim();
      const n = /^[+-]?\d{1,15}$/.test(t) ? Number(t) : NaN;
      if (!Number.isSafeInteger(n)) return invalid('tc/bad-frames', `"${text}" is not a whole frame count`, text);
      return { ok: true, pos: { integer: n } };
    }
    case 'samples': {
      const t = text.trim();
      if (!/^[+-]?\d{1,20}$/.test(t)) return invalid('tc/bad-samples', `"${text}" is not a whole sample count`, text);
      const samples = Rational.of(BigInt(t));
      return { ok: true, pos: { exact: samples.dividedBy(s.sampleRate).times(s.rate.rate) } };
    }
    case 'seconds': {
      const r = Rational.parse(text);
      if (!r) return invalid('tc/bad-seconds', `"${text}" is not a number of seconds (decimal or N/D)`, text);
      return { ok: true, pos: { exact: r.times(s.rate.rate) } };
    }
    case 'feet35':
    case 'feet16': {
      const r = parseFeet(text, GAUGE[s.from]);
      if (!r.ok) return r;
      return { ok: true, pos: { integer: Number(feetToFrames(r.value, GAUGE[s.from])) } };
    }
  }
}

function invalid(code: `tc/${string}`, message: string, text: string): { ok: false; diagnostics: readonly Diagnostic[] } {
  return { ok: false, diagnostics: [error(code, message, { received: text, at: { offset: 0, column: 1 } })] };
}

/** Converts one value. Never throws on bad input. */
function convertOne(text: string, s: TcSettings): Converted {
  const read = readValue(text, s);
  if (!read.ok) return read;
  let pos = read.pos;
  // Frame position at the output rate.
  if (s.toRate !== s.rate) {
    if (s.via === 'label') {
      const frames = pos.integer ?? roundFrames(pos.exact, s.rate, s);
      const tc = safeTimecode(frames, s.rate, s.overflow);
      if (!tc.ok) return tc;
      const moved = guard(() => tc.value.convertTo(s.toRate, { via: 'label', rounding: s.round ?? 'floor', overflow: s.overflow }));
      if (!moved.ok) return moved;
      pos = { integer: moved.value.frames };
    } else {
      const exact = pos.integer !== undefined ? Rational.of(pos.integer) : pos.exact;
      pos = { exact: exact.dividedBy(s.rate.rate).times(s.toRate.rate) };
    }
  }
  const rate = s.toRate;
  switch (s.to) {
    case 'seconds': {
      const frames = pos.integer !== undefined ? Rational.of(pos.integer) : pos.exact;
      return { ok: true, value: formatSeconds(frames.dividedBy(rate.rate)) };
    }
    case 'samples': {
      const frames = pos.integer !== undefined ? Rational.of(pos.integer) : pos.exact;
      return { ok: true, value: Number(frames.dividedBy(rate.rate).times(s.sampleRate).round(s.round ?? 'nearest')) };
    }
    default: {
      const frames = pos.integer ?? roundFrames(pos.exact, rate, s);
      if (s.to === 'frames') return { ok: true, value: frames };
      if (s.to === 'tc') {
        const tc = safeTimecode(frames, rate, s.overflow);
        return tc.ok ? { ok: true, value: tc.value.toString() } : tc;
      }
      return { ok: true, value: formatFeet(framesToFeet(frames, GAUGE[s.to])) };
    }
  }
}

/**
 * A frame position rounded to a whole frame at `rate`. Unless a rounding is named, samples read
 * as the frame holding the sample's centre (timecode digest §6: floor of the position half a
 * sample later), everything else floors.
 */
function roundFrames(exact: Rational, rate: FrameRate, s: TcSettings): number {
  if (s.round !== undefined) return Number(exact.round(s.round));
  if (s.from === 'samples') return Number(exact.plus(rate.rate.dividedBy(s.sampleRate.times(Rational.of(2)))).round('floor'));
  return Number(exact.round('floor'));
}

function guard<T>(f: () => T): { ok: true; value: T } | { ok: false; diagnostics: readonly Diagnostic[] } {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, diagnostics: [error('tc/out-of-range', e.message)] };
    throw e;
  }
}

function safeTimecode(frames: number, rate: FrameRate, overflow: TimecodeOverflow) {
  if (overflow === 'error' && (frames < 0 || frames >= rate.framesPerDay)) {
    return {
      ok: false as const,
      diagnostics: [error('tc/out-of-range', `frame ${frames} is outside one day at ${rate.name} (0..${rate.framesPerDay - 1}); use --overflow wrap or signed`)],
    };
  }
  return guard(() => Timecode.fromFrames(frames, rate, { overflow }));
}

/** Exact seconds: a decimal when the value terminates in base 10, else `N/D`. */
function formatSeconds(r: Rational): string {
  let d = r.den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  if (d !== 1n) return r.toString();
  const places = Math.max(twos, fives);
  if (places === 0) return r.num.toString();
  const scaled = (r.abs().num * 10n ** BigInt(places)) / r.den;
  const digits = scaled.toString().padStart(places + 1, '0');
  return `${r.sign() < 0 ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

function parseRateOption(text: string, name: string): FrameRate {
  const r = FrameRate.parse(text);
  if (!r.ok) throw new UsageError(`--${name}: ${r.diagnostics[0].message}`);
  return r.value;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs(argv, {
    rate: { type: 'string' },
    from: { type: 'string', choices: UNITS },
    to: { type: 'string', choices: UNITS },
    'sample-rate': { type: 'string' },
    'to-rate': { type: 'string' },
    via: { type: 'string', choices: ['time', 'label'] },
    round: { type: 'string', choices: ['floor', 'ceil', 'nearest'] },
    overflow: { type: 'string', choices: ['error', 'wrap', 'signed'] },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(USAGE + '\n');
    return EXIT_OK;
  }
  if (typeof values.rate !== 'string') throw new UsageError('--rate is required');
  const rate = parseRateOption(values.rate, 'rate');
  const toRate = typeof values['to-rate'] === 'string' ? parseRateOption(values['to-rate'], 'to-rate') : rate;
  let sampleRate = Rational.of(48000);
  if (typeof values['sample-rate'] === 'string') {
    const sr = Rational.parse(values['sample-rate']);
    if (!sr || sr.sign() <= 0) throw new UsageError(`--sample-rate must be a positive number of hertz (got "${values['sample-rate']}")`);
    sampleRate = sr;
  }
  const settings: TcSettings = {
    rate,
    toRate,
    via: (values.via as 'time' | 'label' | undefined) ?? 'time',
    from: (values.from as Unit | undefined) ?? 'tc',
    to: (values.to as Unit | undefined) ?? 'frames',
    sampleRate,
    round: values.round as RoundingMode | undefined,
    overflow: (values.overflow as TimecodeOverflow | undefined) ?? 'error',
  };
  const json = values.json === true;
  let failed = false;
  let lineNo = 0;
  const convertBatch = (inputs: readonly string[]): void => {
    let out = '';
    for (const input of inputs) {
      lineNo++;
      const r = convertOne(input, settings);
      if (json) {
        out += (r.ok ? JSON.stringify({ input, ok: true, value: r.value }) : JSON.stringify({ input, ok: false, diagnostics: r.diagnostics.map((d) => placeOnLine(d, lineNo)) })) + '\n';
      } else if (r.ok) {
        out += r.value + '\n';
      } else {
        out += '\n';
        for (const d of r.diagnostics) io.stderr.write(formatDiagnostic({ ...placeOnLine(d, lineNo), source: positionals.length > 0 ? 'argv' : 'stdin' }) + '\n');
      }
      if (!r.ok) failed = true;
    }
    io.stdout.write(out);
  };
  if (positionals.length > 0) convertBatch(positionals);
  else {
    if (io.stdinIsTty) throw new UsageError('no VALUE given and stdin is a terminal');
    await forEachLineBatch(io.stdin, convertBatch);
  }
  return failed ? EXIT_INVALID : EXIT_OK;
}

/** Puts a value's diagnostic on its input line (1-based), keeping its column within the value. */
function placeOnLine(d: Diagnostic, line: number): Diagnostic {
  return { ...d, at: { offset: d.at?.offset ?? 0, line, column: d.at?.column ?? 1 } };
}

export const tcCommand: Command = {
  name: 'tc',
  summary: 'convert timecode, frames, samples, seconds and feet+frames',
  usage: USAGE,
  run,
};
