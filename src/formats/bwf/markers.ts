/**
 * Markers and text lists: `cue ` points with `LIST adtl` labels, notes and region lengths
 * (BWF digest §7), and `LIST INFO` tags (§6).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { concatBytes, decodeLenient, indexOfNul, latin1, readU32, writeLatin1, writeU16, writeU32 } from '../../binary/cursor.js';
import { walkSubChunks } from '../../binary/riff.js';

/** One 24-byte `cue ` record, fields as stored. */
export interface CuePoint {
  /** dwName: the id that `adtl` entries refer to. */
  readonly id: number;
  /** dwPosition: sample in play order (Zoom H4n writes 0). */
  readonly position: number;
  /** fccChunk (`data`). */
  readonly chunkId: string;
  readonly chunkStart: number;
  readonly blockStart: number;
  /** dwSampleOffset: the sample frame in `data` (the field readers use, as ffmpeg does). */
  readonly sampleOffset: number;
}

/** A marker: a cue point with its label, note and, for regions, length. */
export interface BwfMarker {
  readonly id: number;
  /** Sample frame from the start of the audio (the cue's dwSampleOffset). */
  readonly position: number;
  /** `labl` text. */
  readonly label?: string;
  /** `note` text. */
  readonly note?: string;
  /** `ltxt` sample length: set for regions (range markers). */
  readonly length?: number;
  /** `ltxt` purpose FourCC (`rgn `). */
  readonly purpose?: string;
  /** `ltxt` text, when present. */
  readonly text?: string;
}

/** Parses a `cue ` payload. */
export function parseCue(payload: Uint8Array, dataOffset: number, diagnostics: Diagnostic[]): CuePoint[] {
  if (payload.byteLength < 4) {
    diagnostics.push(warning('bwf/bad-cue', `cue holds ${payload.byteLength} bytes; it needs a 4-byte count`, { at: { offset: dataOffset } }));
    return [];
  }
  const count = readU32(payload, 0);
  const fit = Math.floor((payload.byteLength - 4) / 24);
  if (count > fit) diagnostics.push(warning('bwf/bad-cue', `cue says ${count} points but holds ${fit}`, { at: { offset: dataOffset } }));
  const out: CuePoint[] = [];
  for (let i = 0; i < Math.min(count, fit); i++) {
    const o = 4 + i * 24;
    out.push({
      id: readU32(payload, o),
      position: readU32(payload, o + 4),
      chunkId: latin1(payload, o + 8, o + 12),
      chunkStart: readU32(payload, o + 12),
      blockStart: readU32(payload, o + 16),
      sampleOffset: readU32(payload, o + 20),
    });
  }
  return out;
}

/** Text of a `labl`/`note` body after its 4-byte id: up to the first NUL, UTF-8 when valid. */
function zText(bytes: Uint8Array, start: number): string {
  return decodeLenient(bytes.subarray(start, indexOfNul(bytes, start)));
}

/** `adtl` entries by cue id. */
export interface AdtlEntries {
  readonly labels: Map<number, string>;
  readonly notes: Map<number, string>;
  readonly texts: Map<number, { length: number; purpose: string; text?: string }>;
}

/** Parses a `LIST adtl` payload (after the 4-byte list type). `baseOffset` is its absolute offset. */
export function parseAdtl(body: Uint8Array, baseOffset: number, diagnostics: Diagnostic[]): AdtlEntries {
  const labels = new Map<number, string>();
  const notes = new Map<number, string>();
  const texts = new Map<number, { length: number; purpose: string; text?: string }>();
  for (const sc of walkSubChunks(body, baseOffset, diagnostics)) {
    if (sc.data.byteLength < 4) continue;
    const id = readU32(sc.data, 0);
    if (sc.id === 'labl') labels.set(id, zText(sc.data, 4));
    else if (sc.id === 'note') notes.set(id, zText(sc.data, 4));
    else if (sc.id === 'ltxt' && sc.data.byteLength >= 20) {
      const entry: { length: number; purpose: string; text?: string } = { length: readU32(sc.data, 4), purpose: latin1(sc.data, 8, 12) };
      if (sc.data.byteLength > 20) entry.text = zText(sc.data, 20);
      texts.set(id, entry);
    }
  }
  return { labels, notes, texts };
}

/** Joins cue points with their `adtl` entries, in cue order. */
export function buildMarkers(points: readonly CuePoint[], adtl: AdtlEntries | undefined): BwfMarker[] {
  return points.map((p) => {
    const m: { -readonly [K in keyof BwfMarker]: BwfMarker[K] } = { id: p.id, position: p.sampleOffset };
    const label = adtl?.labels.get(p.id);
    const note = adtl?.notes.get(p.id);
    const lt = adtl?.texts.get(p.id);
    if (label !== undefined) m.label = label;
    if (note !== undefined) m.note = note;
    if (lt) {
      m.length = lt.length;
      m.purpose = lt.purpose;
      if (lt.text !== undefined) m.text = lt.text;
    }
    return m;
  });
}

/** A marker to write: position and optional label, note and region length, all in samples. */
export interface MarkerSpec {
  /** Cue id; defaults to 1-based order. */
  readonly id?: number;
  readonly position: number;
  readonly label?: string;
  readonly note?: string;
  /** Makes a region (an `ltxt` with purpose `rgn `). */
  readonly length?: number;
  /** The `ltxt` purpose FourCC when `length` is set (default `rgn `). */
  readonly purpose?: string;
  /** The `ltxt` text when `length` is set. */
  readonly text?: string;
}

/**
 * Marker specs that write back the markers read from a file (to add markers to those already
 * there). Ids, positions, labels, notes, region lengths, purposes and texts are kept; the `ltxt`
 * country, language, dialect and code page are written as 0.
 */
export function markerSpecsOf(markers: readonly BwfMarker[]): MarkerSpec[] {
  return markers.map((m) => {
    const spec: { -readonly [K in keyof MarkerSpec]: MarkerSpec[K] } = { id: m.id, position: m.position };
    if (m.label !== undefined) spec.label = m.label;
    if (m.note !== undefined) spec.note = m.note;
    if (m.length !== undefined) {
      spec.length = m.length;
      if (m.purpose !== undefined) spec.purpose = m.purpose;
      if (m.text !== undefined) spec.text = m.text;
    }
    return spec;
  });
}

const enc = new TextEncoder();

function sub(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.byteLength + (body.byteLength & 1));
  writeLatin1(out, 0, id);
  writeU32(out, 4, body.byteLength);
  out.set(body, 8);
  return out;
}

function zBody(id: number, text: string): Uint8Array {
  const t = enc.encode(text);
  const out = new Uint8Array(4 + t.byteLength + 1);
  writeU32(out, 0, id);
  out.set(t, 4);
  return out;
}

/**
 * Checks marker specs: positions, lengths and ids must be uint32 values (the `cue ` and `ltxt`
 * fields are 32-bit), and ids unique. A bad spec is an error, so the file is not changed.
 */
export function checkMarkers(markers: readonly MarkerSpec[], diagnostics: Diagnostic[]): boolean {
  let good = true;
  markers.forEach((m, i) => {
    for (const [k, v] of [['position', m.position], ['length', m.length], ['id', m.id]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
        diagnostics.push(error('bwf/bad-marker', `marker ${i + 1}: ${k} ${v} is not a whole number in 0..2^32-1`, { path: ['markers', String(i)] }));
        good = false;
      }
    }
  });
  const ids = new Set<number>();
  markers.forEach((m, i) => {
    const id = m.id ?? i + 1;
    if (ids.has(id)) {
      diagnostics.push(error('bwf/bad-marker', `marker ${i + 1}: cue id ${id} is used twice`, { path: ['markers', String(i)] }));
      good = false;
    }
    ids.add(id);
  });
  return good;
}

/** Encodes a `cue ` payload (dwPosition and dwSampleOffset both hold the position, as RX writes). */
export function encodeCue(markers: readonly MarkerSpec[]): Uint8Array {
  const out = new Uint8Array(4 + 24 * markers.length);
  writeU32(out, 0, markers.length);
  markers.forEach((m, i) => {
    const o = 4 + 24 * i;
    writeU32(out, o, m.id ?? i + 1);
    writeU32(out, o + 4, m.position);
    writeLatin1(out, o + 8, 'data');
    writeU32(out, o + 20, m.position);
  });
  return out;
}

/** Encodes a `LIST` payload of type `adtl` (type included), or undefined when nothing needs one. */
export function encodeAdtl(markers: readonly MarkerSpec[]): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  markers.forEach((m, i) => {
    const id = m.id ?? i + 1;
    if (m.label !== undefined) parts.push(sub('labl', zBody(id, m.label)));
    if (m.note !== undefined) parts.push(sub('note', zBody(id, m.note)));
    if (m.length !== undefined) {
      // id, sample length, purpose, then country, language, dialect, code page (u16 each, 0), text.
      const text = m.text === undefined ? undefined : enc.encode(m.text);
      const b = new Uint8Array(20 + (text ? text.byteLength + 1 : 0));
      writeU32(b, 0, id);
      writeU32(b, 4, m.length);
      writeLatin1(b, 8, (m.purpose ?? 'rgn ').padEnd(4, ' ').slice(0, 4));
      writeU16(b, 12, 0);
      if (text) b.set(text, 20);
      parts.push(sub('ltxt', b));
    }
  });
  if (parts.length === 0) return undefined;
  const type = new Uint8Array(4);
  writeLatin1(type, 0, 'adtl');
  return concatBytes([type, ...parts]);
}

/** One `LIST INFO` entry. */
export interface InfoTag {
  /** Sub-chunk id (`INAM`, `IART`, `ICMT`…). */
  readonly id: string;
  /** Text up to the first NUL, UTF-8 when valid, else Latin-1. */
  readonly value: string;
}

/** Parses a `LIST INFO` payload (after the list type). */
export function parseInfo(body: Uint8Array, baseOffset: number, diagnostics: Diagnostic[]): InfoTag[] {
  return walkSubChunks(body, baseOffset, diagnostics).map((sc) => ({ id: sc.id, value: zText(sc.data, 0) }));
}
