/**
 * Test signals built in code: the EBU Tech 3341 / 3342 sine sequences, 2-pops, and helpers to
 * write them as BWF with our own writer. Levels are "dBFS" as the EBU documents use the word: the
 * sine's peak amplitude is 10^(dB/20).
 */
import { spawnSync } from 'node:child_process';
import { createBwf, type CreateBwfSpec } from '../../src/formats/bwf/index.js';

/** ffmpeg is on PATH (Debian package ffmpeg); ffmpeg cross-checks skip with a message otherwise. */
export const HAVE_FFMPEG = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
if (!HAVE_FFMPEG) process.stderr.write('skipping ffmpeg ebur128 cross-checks: ffmpeg is not installed (apt-get install ffmpeg)\n');

export const dbToGain = (db: number): number => 10 ** (db / 20);

/**
 * A sine of `hz` whose level changes by segment: `[dBFS, seconds]` pairs, phase continuous across
 * segments, starting at `phaseDeg`.
 */
export function sineSegments(segments: readonly (readonly [number, number])[], sampleRate: number, hz = 1000, phaseDeg = 0): Float32Array {
  const total = segments.reduce((a, [, s]) => a + Math.round(s * sampleRate), 0);
  const out = new Float32Array(total);
  let o = 0;
  const phase = (phaseDeg * Math.PI) / 180;
  for (const [db, seconds] of segments) {
    const a = db === -Infinity ? 0 : dbToGain(db);
    const n = Math.round(seconds * sampleRate);
    for (let i = 0; i < n; i++, o++) out[o] = a * Math.sin((2 * Math.PI * hz * o) / sampleRate + phase);
  }
  return out;
}

/** Raised-cosine fade in and out of `seconds` each, in place (an abrupt start rings past the tone's peak once band-limited). */
export function fade(x: Float32Array, seconds: number, sampleRate: number): Float32Array {
  const n = Math.min(Math.round(seconds * sampleRate), x.length >> 1);
  for (let i = 0; i < n; i++) {
    const g = 0.5 - 0.5 * Math.cos((Math.PI * i) / n);
    x[i]! *= g;
    x[x.length - 1 - i]! *= g;
  }
  return x;
}

/** `n` copies of the same array (a stereo or 5-channel signal with identical channels). */
export function copies(x: Float32Array, n: number): Float32Array[] {
  return Array.from({ length: n }, () => x.slice());
}

/** Deterministic white noise in [-amp, amp] (xorshift32, seed given). */
export function noise(n: number, amp: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = amp * ((s / 0x100000000) * 2 - 1);
  }
  return out;
}

/** A BWF from channels, failing the test on writer errors. */
export function wav(spec: CreateBwfSpec): Uint8Array {
  const r = createBwf(spec);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`createBwf: ${errors.map((d) => d.message).join('; ')}`);
  return r.value;
}

/** What ffmpeg's `ebur128` filter reports for a whole file. */
export interface FfmpegLoudness {
  /** LUFS, three decimals. */
  readonly integrated: number;
  /** LU, three decimals. */
  readonly lra: number;
  /** dBTP (from ffmpeg's linear true peak; its own oversampling to 192 kHz). */
  readonly truePeak: number;
}

/**
 * Runs ffmpeg's `ebur128` filter (peak=true) on a file and reads the values it attaches to the last
 * audio frame (`metadata=1`, printed by `ametadata`: three decimals, where the Summary prints one).
 */
export function ffmpegEbur128(path: string): FfmpegLoudness {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-i', path, '-af', 'ebur128=metadata=1:peak=true,ametadata=mode=print:file=-', '-f', 'null', '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${path}: ${r.stderr.slice(-2000)}`);
  const last = (key: string): number => {
    const all = [...r.stdout.matchAll(new RegExp(`^lavfi\\.r128\\.${key.replace('.', '\\.')}=(\\S+)$`, 'gm'))];
    const v = all[all.length - 1]?.[1];
    if (v === undefined) throw new Error(`ffmpeg printed no lavfi.r128.${key}`);
    return v === '-inf' ? -Infinity : Number(v);
  };
  const tp = last('true_peak');
  return { integrated: last('I'), lra: last('LRA'), truePeak: tp > 0 ? 20 * Math.log10(tp) : -Infinity };
}
