import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseJsonText } from '../../src/formats/json/json-text.js';
import { readTimeline } from '../../src/formats/registry.js';
import { parseXml } from '../../src/formats/xml/xml-tree.js';
import { parseRubric } from '../../src/grade/rubric.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { REPO_ROOT } from '../helpers/corpus.js';

// Issue 13, hostile input for the XML and JSON readers: entity bombs, external entities,
// prototype-pollution keys, absurd nesting. Each case must end quickly with a typed diagnostic
// that has a place (or a harmless value), and leave Object.prototype alone.

const dir = mkdtempSync(join(tmpdir(), 'dubstage-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  // Prototype pollution would show on every object.
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
});

const XML_FORMATS = ['xmeml', 'fcpxml'] as const;
const placed = (d: Diagnostic) => d.at !== undefined || (d.path !== undefined && d.path.length > 0);

/** Reads through the registry, timing it; returns the result and the elapsed milliseconds. */
function timedRead(text: string, format: string) {
  const t0 = performance.now();
  const r = readTimeline(text, { format, rate: FrameRate.FPS_24 });
  return { r, ms: performance.now() - t0 };
}

function expectPlacedErrors(diags: readonly Diagnostic[]): void {
  for (const d of diags) {
    expect(d.code).not.toBe('format/internal');
    if (d.severity === 'error') expect(placed(d), `${d.code} has no place: ${d.message}`).toBe(true);
  }
}

// The classic billion-laughs document (OWASP XXE cheat sheet form): ten levels of ten references.
const LOL_ENTITIES = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('');
const billionLaughs = (root: string) => `<?xml version="1.0"?>\n<!DOCTYPE ${root} [<!ENTITY lol "lol">${LOL_ENTITIES}]>\n<${root} version="5"><sequence><name>&lol9;</name></sequence></${root}>`;
// Quadratic blowup: one 10 kB entity referenced 100,000 times (1 GB expanded, no nesting).
const quadratic = (root: string) => `<?xml version="1.0"?>\n<!DOCTYPE ${root} [<!ENTITY a "${'A'.repeat(10_000)}">]>\n<${root} version="5"><sequence><name>${'&a;'.repeat(100_000)}</name></sequence></${root}>`;

describe('XML entity bombs', () => {
  for (const format of XML_FORMATS) {
    const root = format === 'xmeml' ? 'xmeml' : 'fcpxml';
    test(`${format}: billion laughs ends fast without expanding (no 3 GB string)`, () => {
      const { r, ms } = timedRead(billionLaughs(root), format);
      expect(ms).toBeLessThan(2000);
      expectPlacedErrors(r.diagnostics);
      // Whatever the reader made of it, no value holds the expansion.
      if (r.ok) expect(JSON.stringify(r.value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).length).toBeLessThan(1_000_000);
    });

    test(`${format}: quadratic blowup is refused by the expansion limit, with a place`, () => {
      const { r, ms } = timedRead(quadratic(root), format);
      expect(ms).toBeLessThan(5000);
      expect(r.ok).toBe(false);
      expectPlacedErrors(r.diagnostics);
      expect(r.diagnostics[0]!.code).toBe(`${format}/entity-limit`);
    });
  }
});

describe('XML external entities are never read', () => {
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'TOP-SECRET-MARKER');
  for (const format of XML_FORMATS) {
    const root = format === 'xmeml' ? 'xmeml' : 'fcpxml';
    for (const target of ['file:///etc/passwd', `file://${secret}`, secret]) {
      test(`${format}: SYSTEM "${target.replace(dir, '<tmp>')}"`, () => {
        const doc = `<?xml version="1.0"?>\n<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "${target}">]>\n<${root} version="5"><sequence><name>&xxe;</name></sequence></${root}>`;
        const { r } = timedRead(doc, format);
        const all = JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
        expect(all).not.toContain('TOP-SECRET-MARKER');
        expect(all).not.toMatch(/root:x?:0:0/);
        expectPlacedErrors(r.diagnostics);
      });
    }
    test(`${format}: a PUBLIC external DTD is not fetched`, () => {
      const doc = `<?xml version="1.0"?>\n<!DOCTYPE ${root} PUBLIC "-//x//EN" "http://127.0.0.1:9/evil.dtd">\n<${root} version="5"/>`;
      const { r, ms } = timedRead(doc, format);
      expect(ms).toBeLessThan(2000);
      expectPlacedErrors(r.diagnostics);
    });
  }
});

describe('XML nesting and reserved names', () => {
  test('100,000 nested elements: too-deep with a place, no stack overflow', () => {
    const doc = '<xmeml version="5">' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</xmeml>';
    const { r, ms } = timedRead(doc, 'xmeml');
    expect(ms).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.code).toBe('xmeml/too-deep');
    expectPlacedErrors(r.diagnostics);
    // The place is the first element past the default depth of 256 (src/diagnostics/limits.ts):
    // <xmeml> is level 1, so the 256th <a> is level 257.
    expect(r.diagnostics[0]!.at).toMatchObject({ offset: '<xmeml version="5">'.length + 255 * 3, line: 1 });
  });

  test('__proto__ / constructor / prototype elements and attributes stay data', () => {
    const doc = '<xmeml version="5"><__proto__ polluted="yes"><polluted>1</polluted></__proto__><constructor><prototype polluted="yes"/></constructor><sequence __proto__="x"><name>n</name></sequence></xmeml>';
    const x = parseXml(doc);
    expect(x.ok).toBe(true);
    if (x.ok) expect(x.value.root.children.map((c) => (typeof c === 'string' ? c : c.name))).toEqual(['__proto__', 'constructor', 'sequence']);
    for (const format of XML_FORMATS) expectPlacedErrors(timedRead(doc.replace(/xmeml/g, format === 'xmeml' ? 'xmeml' : 'fcpxml'), format).r.diagnostics);
  });
});

describe('XML extreme values', () => {
  test('fcpxml: a frame of 298431345 s (found by generated-document testing) reads with a placed warning, 24 fps assumed', () => {
    const doc = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'fuzz', 'fcpxml', 'generated-frame-below-1fps.xml'), 'utf8');
    const { r } = timedRead(doc, 'fcpxml');
    expectPlacedErrors(r.diagnostics);
    expect(r.ok).toBe(true);
    const w = r.diagnostics.find((d) => d.code === 'fcpxml/no-frame-rate');
    expect(w && placed(w)).toBe(true);
  });
});

describe('JSON: prototype keys and nesting', () => {
  const pollute = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}';
  test('the JSON text parser keeps __proto__ as an own key', () => {
    const r = parseJsonText(pollute + '}');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect(Object.keys(r.value as object)).toEqual(['__proto__', 'constructor', 'prototype']);
    }
  });

  test('dubstage JSON, OTIO and rubrics with polluting keys everywhere', () => {
    const dub = `${pollute}, "schema": "dubstage.timeline", "schemaVersion": 1, "name": "x", "sampleRate": 48000, "frameRate": {"__proto__": {"polluted": 1}, "rate": "24/1"}, "tracks": [{"__proto__": {"polluted": 1}}], "metadata": {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}}`;
    expectPlacedErrors(timedRead(dub, 'json').r.diagnostics);
    const otio = `${pollute}, "OTIO_SCHEMA": "Timeline.1", "name": "x", "metadata": {"__proto__": {"polluted": "yes"}}, "tracks": {"OTIO_SCHEMA": "Stack.1", "children": [{"__proto__": {"polluted": 1}, "OTIO_SCHEMA": "Track.1", "kind": "Audio", "children": []}]}}`;
    expectPlacedErrors(timedRead(otio, 'otio').r.diagnostics);
    const rubric = `${pollute}, "schema": "dubstage.rubric/1", "checks": [{"__proto__": {"polluted": 1}, "id": "a", "kind": "cues"}]}`;
    for (const d of parseRubric(rubric).diagnostics) if (d.severity === 'error') expect(placed(d)).toBe(true);
  });

  for (const format of ['json', 'otio']) {
    test(`${format}: 1,000,000 nested arrays end with a placed error, no stack overflow`, () => {
      const doc = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
      const { r, ms } = timedRead(doc, format);
      expect(ms).toBeLessThan(5000);
      expect(r.ok).toBe(false);
      expectPlacedErrors(r.diagnostics);
    });
  }

  test('extreme numbers in a dubstage JSON document are diagnostics, not crashes', () => {
    for (const n of ['1e400', '-1e400', '123456789012345678901234567890', '0', '-1', '1e-400', '4.9e-324']) {
      const doc = `{"schema": "dubstage.timeline", "schemaVersion": 1, "name": "x", "sampleRate": ${n}, "frameRate": {"rate": "${n}/${n}"}, "tracks": [{"kind": "audio", "name": "a", "channels": ${n}, "clips": [{"name": "c", "start": "${n}/${n}", "duration": "${n}/1", "sourceStart": "${n}/0"}]}]}`;
      expectPlacedErrors(timedRead(doc, 'json').r.diagnostics);
    }
  });
});
