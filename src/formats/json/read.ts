/**
 * Reading dubstage JSON: text → syntax check (with line and column) → schema upgrade → io-ts
 * validation (diagnostics name the JSON path) → {@link Timeline}.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../diagnostics/result.js';
import type { Clip, Marker, MediaSource, Metadata, Timeline, Track, Transition } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Timecode } from '../../time/timecode.js';
import type { ReadOptions } from '../types.js';
import { TimelineDocumentC, errorPath, type TimelineDocument } from './codecs.js';
import { parseJsonText } from './json-text.js';

/** The `schema` value of every dubstage JSON document. */
export const SCHEMA_ID = 'dubstage.timeline';
/** The schema version this library writes. */
export const SCHEMA_VERSION = 1;

/**
 * Upgrades from older document versions: `UPGRADES[n]` turns a version-`n` document (already
 * parsed JSON) into a version-`n+1` one. Reading applies them in turn up to
 * {@link SCHEMA_VERSION}. Version 1 is the first, so the table is empty; the next version adds
 * `UPGRADES[1]`.
 */
export const UPGRADES: Readonly<Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>> = {};

const EMPTY: Metadata = Object.freeze({});
const MAX_ERRORS = 100;

/** Decodes UTF-8 bytes (a leading BOM is dropped); text passes through. */
export function decodeText(input: string | Uint8Array): string {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads a dubstage JSON document. Never throws. Diagnostics: `json/syntax` (with line and column),
 * `json/not-dubstage` (no `"schema": "dubstage.timeline"`), `json/unsupported-version` (a newer
 * version than this library knows), `json/invalid` (a value of the wrong shape, with its JSON path),
 * `json/bad-rate`, and `tc/*` codes for the start timecode (path `startTimecode`).
 */
export function parse(input: string | Uint8Array, options: ReadOptions = {}): ParseResult<Timeline> {
  const text = decodeText(input);
  const src = options.source !== undefined ? { source: options.source } : {};
  const raw = parseJsonText(text, { ...src, area: 'json', ...(options.limits?.maxDepth !== undefined ? { maxDepth: options.limits.maxDepth } : {}) });
  if (!raw.ok) return raw;
  const doc = raw.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (doc as Record<string, unknown>)['schema'] !== SCHEMA_ID) {
    return { ok: false, diagnostics: [error('json/not-dubstage', `not a dubstage JSON document (expected "schema": "${SCHEMA_ID}")`, { ...src, path: ['schema'] })] };
  }
  let obj = doc as Record<string, unknown>;
  const version = obj['schemaVersion'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return { ok: false, diagnostics: [error('json/invalid', `"schemaVersion" must be a positive integer`, { ...src, path: ['schemaVersion'], received: JSON.stringify(version) ?? 'nothing' })] };
  }
  if (version > SCHEMA_VERSION) {
    return {
      ok: false,
      diagnostics: [
        error('json/unsupported-version', `schemaVersion ${version} is newer than this library reads (${SCHEMA_VERSION}); upgrade dubstage`, {
          ...src,
          path: ['schemaVersion'],
        }),
      ],
    };
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const up = UPGRADES[v];
    if (!up) return { ok: false, diagnostics: [error('json/unsupported-version', `no upgrade from schemaVersion ${v}`, { ...src, path: ['schemaVersion'] })] };
    obj = up(obj);
  }
  const decoded = TimelineDocumentC.decode(obj);
  if (isLeft(decoded)) {
    const seen = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const e of decoded.left) {
      const path = errorPath(e.context);
      const key = path.join('/');
      if (seen.has(key)) continue;
      seen.add(key);
      const expected = e.message ?? (e.context[e.context.length - 1]?.type.name ?? 'a valid value');
      diagnostics.push(
        error('json/invalid', `${key || 'document'}: expected ${expected}, got ${preview(e.value)}`, { ...src, path, expected, received: preview(e.value) }),
      );
      if (diagnostics.length >= MAX_ERRORS) break;
    }
    return { ok: false, diagnostics: diagnostics as [Diagnostic, ...Diagnostic[]] };
  }
  return toTimeline(decoded.right, src);
}

function preview(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

function toTimeline(d: TimelineDocument, src: { source?: string }): ParseResult<Timeline> {
  let frameRate: FrameRate;
  try {
    frameRate = FrameRate.of(d.frameRate.num, d.frameRate.den, { dropFrame: d.dropFrame ?? false });
  } catch (e) {
    return { ok: false, diagnostics: [error('json/bad-rate', `frame rate ${d.frameRate}: ${(e as Error).message}`, { ...src, path: ['frameRate'] })] };
  }
  const tc = Timecode.parse(d.startTimecode, { rate: frameRate, overflow: 'signed' });
  if (!tc.ok) {
    const [first, ...rest] = tc.diagnostics.map((x): Diagnostic => ({ ...x, ...src, path: ['startTimecode'] }));
    return { ok: false, diagnostics: [first as Diagnostic, ...rest] };
  }
  const timeline: Timeline = {
    name: d.name,
    sampleRate: d.sampleRate,
    ...(d.bitDepth !== undefined ? { bitDepth: d.bitDepth } : {}),
    frameRate,
    startTimecode: tc.value,
    tracks: d.tracks.map(toTrack),
    markers: (d.markers ?? []).map((m) => ({ ...m, metadata: m.metadata ?? EMPTY }) as Marker),
    media: (d.media ?? []).map((m) => ({ ...m, metadata: m.metadata ?? EMPTY }) as MediaSource),
    metadata: d.metadata ?? EMPTY,
  };
  return { ok: true, value: timeline, diagnostics: tc.diagnostics.map((x) => ({ ...x, ...src, path: ['startTimecode'] })) };
}

type DocTrack = TimelineDocument['tracks'][number];

function toTrack(t: DocTrack): Track {
  const { transitions, metadata, clips, ...rest } = t;
  return {
    ...rest,
    clips: clips.map((c) => (c.metadata === undefined ? ({ ...c, metadata: EMPTY } as Clip) : (c as Clip))),
    transitions: (transitions ?? []).map((x) => ({ ...x, metadata: x.metadata ?? EMPTY }) as Transition),
    metadata: metadata ?? EMPTY,
  };
}
