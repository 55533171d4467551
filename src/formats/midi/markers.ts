/**
 * Standard MIDI Files carrying markers (SMF 1.0: `MThd`/`MTrk` chunks, meta event FF 06 "Marker",
 * FF 51 "Set Tempo", FF 54 "SMPTE Offset", FF 2F "End of Track"). Importing such a file is how
 * memory locations get into Pro Tools (issue 9 "Getting data back into Pro Tools").
 *
 * Positions: a marker's tick is its time from the session start (timeline position 0) at a
 * constant tempo, `ticks = seconds × bpm / 60 × ppq`, rounded to the nearest tick (named
 * rounding; the largest rounding error is reported). At the defaults (120 bpm, 960 ticks per
 * quarter) one tick is 1/1920 s, finer than a 48 kHz frame of any picture rate. The session start
 * timecode goes into an FF 54 SMPTE offset so an importer can place tick 0 at the session start.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult, type WriteResult } from '../../diagnostics/result.js';
import { createMarker } from '../../model/build.js';
import type { Marker, Timeline } from '../../model/types.js';
import { divRound } from '../../time/rational.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { framesToLabel } from '../../time/timecode.js';
import { decodeMacRoman, encodeMacRoman } from '../protools/text/encoding.js';

/** Options of {@link writeMarkerMidi}. */
export interface MarkerMidiWriteOptions {
  /** Ticks per quarter note (MThd division), 1…32767; default 960. */
  readonly ppq?: number;
  /** Constant tempo in quarter notes per minute; default 120. Written as FF 51 (whole microseconds per quarter). */
  readonly bpm?: number;
  /** Write the session start timecode as an FF 54 SMPTE offset (default true). */
  readonly smpteOffset?: boolean;
  /** Text encoding of marker names (default `utf-8`; `mac-roman` for older importers). */
  readonly encoding?: 'utf-8' | 'mac-roman';
  /** Append the marker comment to its name after ` - ` (default false: names only). */
  readonly includeComments?: boolean;
}

/** FF 54 rate codes (SMF 1.0: bits 5–6 of the hours byte): 24, 25, 29.97 drop, 30. */
function smpteRateCode(timeline: Timeline): number | undefined {
  const r = timeline.frameRate;
  if (r.nominalFps === 24) return 0;
  if (r.nominalFps === 25) return 1;
  if (r.nominalFps === 30) return r.dropFrame ? 2 : 3;
  return undefined;
}

function vlq(n: number, out: number[]): void {
  // Variable-length quantity: 7 bits a byte, most significant first, high bit set on all but the last.
  const stack = [n & 0x7f];
  let v = Math.floor(n / 128);
  while (v > 0) {
    stack.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  for (let i = stack.length - 1; i >= 0; i--) out.push(stack[i] as number);
}

/** The tick of a timeline position at a constant tempo (nearest tick). */
export function positionToTicks(position: RationalTime, bpm: Rational, ppq: number): bigint {
  const q = position.seconds.times(bpm).times(Rational.of(ppq, 60));
  return divRound(q.num, q.den, 'nearest');
}

/**
 * Writes a timeline's markers (sorted by position) as a format-0 SMF. Markers before the session
 * start cannot be placed (`midi/before-start`, skipped); the largest rounding to ticks is reported
 * as info (`midi/tick-rounding`) when not zero.
 */
export function writeMarkerMidi(timeline: Timeline, options: MarkerMidiWriteOptions = {}): WriteResult<Uint8Array> {
  const ppq = options.ppq ?? 960;
  if (!Number.isInteger(ppq) || ppq < 1 || ppq > 0x7fff) throw new RangeError(`writeMarkerMidi: ppq must be 1…32767, got ${ppq}`);
  const bpmValue = options.bpm ?? 120;
  if (!(bpmValue > 0)) throw new RangeError(`writeMarkerMidi: bpm must be positive, got ${bpmValue}`);
  const usPerQuarter = Math.round(60_000_000 / bpmValue);
  if (usPerQuarter < 1 || usPerQuarter > 0xffffff) throw new RangeError(`writeMarkerMidi: bpm ${bpmValue} does not fit FF 51`);
  // The tempo actually written (whole microseconds per quarter) is the one positions use.
  const bpm = Rational.of(60_000_000, usPerQuarter);
  const diagnostics: Diagnostic[] = [];
  const track: number[] = [];
  const meta = (delta: number, type: number, data: ArrayLike<number>): void => {
    vlq(delta, track);
    track.push(0xff, type);
    vlq(data.length, track);
    for (let i = 0; i < data.length; i++) track.push(data[i] as number);
  };
  meta(0, 0x51, [(usPerQuarter >> 16) & 0xff, (usPerQuarter >> 8) & 0xff, usPerQuarter & 0xff]);
  const code = smpteRateCode(timeline);
  if (options.smpteOffset !== false) {
    if (code === undefined) {
      diagnostics.push(warning('midi/no-smpte-rate', `SMPTE offsets exist only for 24, 25, 29.97 DF and 30 fps; ${timeline.frameRate.name} start not written`));
    } else {
      const tc = timeline.startTimecode;
      const l = framesToLabel(((tc.frames % tc.rate.framesPerDay) + tc.rate.framesPerDay) % tc.rate.framesPerDay, tc.rate);
      meta(0, 0x54, [(code << 5) | (l[0] as number), l[1] as number, l[2] as number, l[3] as number, Math.min(99, Math.round((tc.subframes * 100) / tc.subframeBase))]);
    }
  }
  const markers = [...timeline.markers].sort((a, b) => a.position.compare(b.position));
  let last = 0n;
  let worst = Rational.ZERO;
  const tickSeconds = Rational.of(60, 1).dividedBy(bpm.times(Rational.of(ppq, 1)));
  for (const m of markers) {
    if (m.position.isNegative()) {
      diagnostics.push(warning('midi/before-start', `marker "${m.name}" lies before the session start and is left out`));
      continue;
    }
    const tick = positionToTicks(m.position, bpm, ppq);
    const err = m.position.seconds.minus(tickSeconds.times(Rational.of(tick, 1n))).abs();
    if (err.greaterThan(worst)) worst = err;
    const text = options.includeComments && m.comment ? `${m.name} - ${m.comment}` : m.name;
    const bytes = options.encoding === 'mac-roman' ? encodeMacRoman(text).bytes : new TextEncoder().encode(text);
    const delta = tick - last;
    if (delta > 0x0fffffffn) {
      diagnostics.push(error('midi/too-far', `marker "${m.name}" is more than 2^28 ticks after the previous one; left out`));
      continue;
    }
    meta(Number(delta), 0x06, bytes);
    last = tick;
  }
  meta(0, 0x2f, []);
  if (!worst.isZero()) {
    diagnostics.push({ severity: 'info', code: 'midi/tick-rounding', message: `positions rounded to the nearest tick (1/${bpm.times(Rational.of(ppq, 60)).toString()} s); largest error ${worst.toString()} s` });
  }
  const out = new Uint8Array(14 + 8 + track.length);
  const dv = new DataView(out.buffer);
  out.set([0x4d, 0x54, 0x68, 0x64], 0); // MThd
  dv.setUint32(4, 6);
  dv.setUint16(8, 0); // format 0: one track
  dv.setUint16(10, 1);
  dv.setUint16(12, ppq);
  out.set([0x4d, 0x54, 0x72, 0x6b], 14); // MTrk
  dv.setUint32(18, track.length);
  out.set(track, 22);
  return { value: out, diagnostics };
}

/** What {@link readMarkerMidi} returns. */
export interface MarkerMidi {
  readonly ppq: number;
  /** Microseconds per quarter of the first FF 51 (500000 = 120 bpm when absent). */
  readonly usPerQuarter: number;
  /** FF 54 fields [hours byte with rate bits, minutes, seconds, frames, subframes], if present. */
  readonly smpteOffset?: readonly number[];
  /** Markers (and cue points, FF 07) at their tick, converted at the first tempo. */
  readonly markers: readonly Marker[];
}

/**
 * Reads the markers (FF 06) and cue points (FF 07) of an SMF, all tracks, with positions from the
 * first tempo. Never throws: truncation is a `midi/truncated` error at its byte offset; tempo
 * changes after the first are reported (`midi/tempo-change`) and ignored.
 */
export function readMarkerMidi(input: Uint8Array, options: { encoding?: 'utf-8' | 'mac-roman' } = {}): ParseResult<MarkerMidi> {
  const diagnostics: Diagnostic[] = [];
  const bad = (offset: number, message: string): ParseResult<MarkerMidi> => fail(error('midi/truncated', message, { at: { offset } }));
  if (input.length < 14 || String.fromCharCode(...input.subarray(0, 4)) !== 'MThd') return fail(error('midi/not-smf', 'not a Standard MIDI File (no MThd)', { at: { offset: 0 } }));
  const dv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const headerLen = dv.getUint32(4);
  const ntrks = dv.getUint16(10);
  const division = dv.getUint16(12);
  if (division & 0x8000) return fail(error('midi/smpte-division', 'SMPTE time division is not supported; only ticks per quarter', { at: { offset: 12 } }));
  // Zero ticks per quarter would divide every position by zero (found by fuzzing, issue 13).
  if (division === 0) return fail(error('midi/bad-division', 'the header says 0 ticks per quarter note', { at: { offset: 12 }, expected: '1…32767', received: '0' }));
  let p = 8 + headerLen;
  let usPerQuarter: number | undefined;
  let smpteOffset: number[] | undefined;
  const found: { tick: bigint; text: string; kind: number }[] = [];
  const decode = (b: Uint8Array): string => (options.encoding === 'mac-roman' ? decodeMacRoman(b) : new TextDecoder().decode(b));
  for (let t = 0; t < ntrks && p + 8 <= input.length; t++) {
    const id = String.fromCharCode(...input.subarray(p, p + 4));
    const len = dv.getUint32(p + 4);
    const start = p + 8;
    const end = start + len;
    p = end;
    if (id !== 'MTrk') {
      t--;
      continue;
    }
    if (end > input.length) return bad(start, `track chunk of ${len} bytes runs past the end of the file`);
    let q = start;
    let tick = 0n;
    let running = 0;
    const readVlq = (): number | undefined => {
      let v = 0;
      for (let k = 0; k < 4; k++) {
        if (q >= end) return undefined;
        const b = input[q++] as number;
        v = v * 128 + (b & 0x7f);
        if (!(b & 0x80)) return v;
      }
      return undefined;
    };
    while (q < end) {
      const delta = readVlq();
      if (delta === undefined) return bad(q, 'delta time runs past the end of its track');
      tick += BigInt(delta);
      let status = input[q] as number;
      if (status & 0x80) q++;
      else status = running;
      if (status === 0xff) {
        const type = input[q++] as number;
        const l = readVlq();
        if (l === undefined || q + l > end) return bad(q, 'meta event runs past the end of its track');
        const data = input.subarray(q, q + l);
        q += l;
        if (type === 0x2f) break;
        if (type === 0x51 && l === 3) {
          const us = ((data[0] as number) << 16) | ((data[1] as number) << 8) | (data[2] as number);
          if (usPerQuarter === undefined) usPerQuarter = us;
          else if (us !== usPerQuarter) diagnostics.push(warning('midi/tempo-change', 'a tempo change after the first tempo is ignored', { at: { offset: q - l } }));
        } else if (type === 0x54 && l === 5) smpteOffset = [...data];
        else if (type === 0x06 || type === 0x07) found.push({ tick, text: decode(data), kind: type });
      } else if (status === 0xf0 || status === 0xf7) {
        const l = readVlq();
        if (l === undefined || q + l > end) return bad(q, 'sysex runs past the end of its track');
        q += l;
      } else if (status >= 0x80) {
        running = status;
        q += (status & 0xf0) === 0xc0 || (status & 0xf0) === 0xd0 ? 1 : 2;
      } else return bad(q, 'a data byte without a running status');
    }
  }
  const us = usPerQuarter ?? 500_000;
  // seconds = tick × us / (ppq × 10^6)
  const markers = found
    .sort((a, b) => (a.tick < b.tick ? -1 : a.tick > b.tick ? 1 : 0))
    .map((f) => createMarker({ name: f.text, position: RationalTime.fromSeconds(Rational.of(f.tick * BigInt(us), BigInt(division) * 1_000_000n)), metadata: { midi: { tick: String(f.tick), kind: f.kind === 0x06 ? 'marker' : 'cue' } } }));
  return ok({ ppq: division, usPerQuarter: us, ...(smpteOffset ? { smpteOffset } : {}), markers }, diagnostics);
}
