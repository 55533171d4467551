/**
 * OpenTimelineIO JSON on every file of ../shared/corpus/otio (facts: ../shared/corpus/EXPECTED.md,
 * section "OpenTimelineIO JSON (.otio)").
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse, write } from '../../src/formats/otio/index.js';
import { parseJsonText, isLosslessNumber } from '../../src/formats/json/json-text.js';
import type { JsonValue, Timeline } from '../../src/model/types.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { corpusFiles } from '../helpers/corpus.js';

const files = corpusFiles('otio');

function read(path: string): Timeline {
  const r = parse(readFileSync(path), { source: basename(path) });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  if (!r.ok) throw new Error('unreadable');
  return r.value;
}

function json(text: string): JsonValue {
  const r = parseJsonText(text, { nonFinite: true });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

/**
 * OTIO documents compared as OTIO's reader sees them: numbers by value (24 and 24.0 are the same
 * double), keys in any order, and plain gaps (no name, metadata, markers or effects) merged with
 * their neighbours, since only their length counts.
 */
function normalize(v: JsonValue): JsonValue {
  if (Array.isArray(v)) {
    const out: JsonValue[] = [];
    for (const x of v.map(normalize)) {
      const prev = out[out.length - 1];
      if (isPlainGap(x) && isPlainGap(prev)) {
        out[out.length - 1] = mergeGaps(prev as Record<string, JsonValue>, x as Record<string, JsonValue>);
      } else out.push(x);
    }
    return out.filter((x) => !(isPlainGap(x) && gapFrames(x) === 0));
  }
  if (v !== null && typeof v === 'object') {
    if (isLosslessNumber(v)) {
      const n = Number(v.$number.replace(/^([+-]?)Inf$/, '$1Infinity'));
      return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : v.$number;
    }
    const o: Record<string, JsonValue> = {};
    for (const k of Object.keys(v).sort()) {
      const x = normalize((v as Record<string, JsonValue>)[k] as JsonValue);
      // OTIO's reader fills these in when they are absent, so absent and default are the same document.
      if (x === null || (k === 'enabled' && x === true) || (k === 'name' && x === '') || (Array.isArray(x) && x.length === 0) || ((k === 'metadata' || k === 'parameters') && JSON.stringify(x) === '{}')) continue;
      o[k] = x;
    }
    if (o['OTIO_SCHEMA'] === 'RationalTime.1') return { OTIO_SCHEMA: 'RationalTime.1', seconds: Number(o['value']) / Number(o['rate']) };
    return o;
  }
  return v;
}

function isPlainGap(x: JsonValue | undefined): boolean {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
  const o = x as Record<string, JsonValue>;
  return (
    o['OTIO_SCHEMA'] === 'Gap.1' &&
    (o['name'] === '' || o['name'] === undefined || o['name'] === null) &&
    JSON.stringify(o['metadata'] ?? {}) === '{}' &&
    JSON.stringify(o['markers'] ?? []) === '[]' &&
    JSON.stringify(o['effects'] ?? []) === '[]'
  );
}

function gapFrames(x: JsonValue): number {
  const sr = (x as Record<string, Record<string, Record<string, number>>>)['source_range'];
  return sr?.['duration']?.['seconds'] ?? 0;
}

function mergeGaps(a: Record<string, JsonValue>, b: Record<string, JsonValue>): JsonValue {
  const sum = gapFrames(a) + gapFrames(b);
  return { ...a, source_range: { OTIO_SCHEMA: 'TimeRange.1', duration: { OTIO_SCHEMA: 'RationalTime.1', seconds: sum }, start_time: { OTIO_SCHEMA: 'RationalTime.1', seconds: 0 } } };
}

describe.skipIf(files.length === 0)('OTIO corpus', () => {
  test('the corpus has the 13 files PROVENANCE.md lists', () => {
    expect(files.length).toBe(13);
  });

  for (const path of files) {
    const name = basename(path);
    test(`${name}: bytes→model→bytes→model is stable`, () => {
      const t1 = read(path);
      const out = write(t1);
      const t2 = parse(out.value);
      expect(t2.ok && t2.value).toEqual(t1);
    });

    test(`${name}: bytes→model→bytes keeps the document (as OTIO reads it)`, () => {
      const original = readFileSync(path, 'utf8');
      const t = read(path);
      const out = write(t);
      expect(out.diagnostics).toEqual([]);
      expect(normalize(json(out.value))).toEqual(normalize(json(original)));
    });
  }

  const byName = (n: string): string | undefined => files.find((f) => basename(f) === n);

  test.skipIf(!byName('otio__transition_test.otio'))('transition_test: track 0 is [Transition, Clip, Transition, Clip, Clip, Transition]', () => {
    // EXPECTED.md: "track 0 is [Transition, Clip, Transition, Clip, Clip, Transition]" (OTIO tests/test_composition.py).
    const t = read(byName('otio__transition_test.otio') as string);
    expect(t.tracks[0]?.clips.length).toBe(3);
    expect(t.tracks[0]?.transitions.length).toBe(3);
    const doc = json(write(t).value) as { tracks: { children: { children: { OTIO_SCHEMA: string }[] }[] } };
    expect(doc.tracks.children[0]?.children.map((c) => c.OTIO_SCHEMA.replace(/\.\d+$/, ''))).toEqual(['Transition', 'Clip', 'Transition', 'Clip', 'Clip', 'Transition']);
  });

  test.skipIf(!byName('otio__big_int.otio'))('big_int: integers beyond 32 and 53 bits and non-finite floats survive', () => {
    // EXPECTED.md: int_test holds maxint32 2147483647, smallest_int64 2147483648, verybig 3450100000,
    // minint32 -2147483647, neg_smallest_int64 -2147483648, negverybig -3450100000; the audit adds int128
    // 170141183460469231731687303715884105728 and the bare tokens Inf, -Infinity and NaN.
    const t = read(byName('otio__big_int.otio') as string);
    const md = (t.tracks[0]?.clips[0]?.metadata['otio'] as { metadata: { int_test: Record<string, JsonValue> } }).metadata.int_test;
    expect(md).toMatchObject({ maxint32: 2147483647, smallest_int64: 2147483648, verybig: 3450100000, minint32: -2147483647, neg_smallest_int64: -2147483648, negverybig: -3450100000 });
    const text = write(t).value;
    expect(text).toContain('170141183460469231731687303715884105728');
    expect(text).toMatch(/-Infinity/);
    expect(text).toMatch(/\bNaN\b/);
  });

  test.skipIf(!byName('otio__generator_reference_test.otio'))('generator_reference_test: the GeneratorReference SMPTEBars is kept', () => {
    // EXPECTED.md: "the first item of track 0 has a GeneratorReference with generator_kind SMPTEBars".
    const t = read(byName('otio__generator_reference_test.otio') as string);
    const doc = json(write(t).value) as { tracks: { children: { children: Record<string, Record<string, Record<string, JsonValue>>>[] }[] } };
    const first = doc.tracks.children[0]?.children[0];
    const ref = first?.['media_references']?.['DEFAULT_MEDIA'] ?? first?.['media_reference'];
    expect(ref).toMatchObject({ OTIO_SCHEMA: 'GeneratorReference.1', generator_kind: 'SMPTEBars' });
  });

  test.skipIf(!byName('otio-cmx3600__enabled.otio'))('enabled: 2 tracks, clips at their source ranges, the gap is space', () => {
    // EXPECTED.md (otio-cmx3600-adapter test_enabled): timeline enable_test with 2 tracks; Track-001 holds
    // Clip-001 (source 0+3 @24) and Clip-002 (source 3+3 @24); Track-002 holds Gap "Gap A" and Clip-003.
    const t = read(byName('otio-cmx3600__enabled.otio') as string);
    expect(t.name).toBe('enable_test');
    expect(t.tracks.map((k) => k.name)).toEqual(['Track-001', 'Track-002']);
    const [c1, c2] = t.tracks[0]?.clips ?? [];
    const f = (n: number) => RationalTime.fromFrames(n, t.frameRate);
    expect(t.frameRate.rate.toString()).toBe('24');
    expect([c1?.name, c1?.sourceStart, c1?.duration, c1?.start]).toEqual(['Clip-001', f(0), f(3), f(0)]);
    expect([c2?.name, c2?.sourceStart, c2?.duration, c2?.start]).toEqual(['Clip-002', f(3), f(3), f(3)]);
    expect(t.tracks[1]?.clips.map((c) => c.name)).toEqual(['Gap A', 'Clip-003']);
  });
});
