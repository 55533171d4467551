import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/diagnostics/limits.js';
import { readMarkerMidi } from '../../src/formats/midi/markers.js';
import { readTimeline } from '../../src/formats/registry.js';
import { parseRubric } from '../../src/grade/rubric.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { REPO_ROOT } from '../helpers/corpus.js';

// Issue 13: explicit limits with safe defaults, and the fuzzer's finds asserted by code and place.

const EDL = 'TITLE: LIMITS\nFCM: NON-DROP FRAME\n\n001  REEL1    A     C        01:00:00:00 01:00:05:00 01:00:00:00 01:00:05:00\n';

describe('shared limits', () => {
  test('defaults, and overrides that ignore nonsense values', () => {
    expect(DEFAULT_LIMITS.maxTextBytes).toBe(512 * 1024 * 1024);
    expect(resolveLimits(undefined)).toBe(DEFAULT_LIMITS);
    const r = resolveLimits({ maxTextBytes: 10, maxDepth: -1, maxEntities: Number.NaN });
    expect(r).toMatchObject({ maxTextBytes: 10, maxDepth: DEFAULT_LIMITS.maxDepth, maxEntities: DEFAULT_LIMITS.maxEntities });
  });

  test('a text input past limits.maxTextBytes is format/limit-exceeded at the limit, before decoding', () => {
    for (const input of [EDL, new TextEncoder().encode(EDL)]) {
      const r = readTimeline(input, { format: 'edl', rate: FrameRate.FPS_24, limits: { maxTextBytes: 40 } });
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({ code: 'format/limit-exceeded', at: { offset: 40 }, expected: 'maxTextBytes ≤ 40' });
    }
    // Within the limit the same file reads.
    expect(readTimeline(EDL, { format: 'edl', rate: FrameRate.FPS_24, limits: { maxTextBytes: EDL.length } }).ok).toBe(true);
  });

  test('limits.maxDepth reaches the XML and JSON readers; limits.maxEntities the XML ones', () => {
    const xml = { xmeml: '<xmeml version="5"><sequence><a><b></b></a></sequence></xmeml>', fcpxml: '<fcpxml version="1.8"><library><event><project></project></event></library></fcpxml>' };
    for (const [format, doc] of Object.entries(xml)) {
      // Four levels of open elements: refused at a depth limit of 3, not for depth at the default.
      expect(readTimeline(doc, { format, limits: { maxDepth: 3 } }).diagnostics[0]).toMatchObject({ code: `${format}/too-deep` });
      expect(readTimeline(doc, { format, limits: { maxDepth: 4 } }).diagnostics.map((d) => d.code)).not.toContain(`${format}/too-deep`);
      expect(readTimeline(doc, { format }).diagnostics.map((d) => d.code)).not.toContain(`${format}/too-deep`);
      const entities = `<!DOCTYPE ${format} [<!ENTITY a "x"><!ENTITY b "y">]>` + doc;
      expect(readTimeline(entities, { format, limits: { maxEntities: 1 } }).diagnostics[0]).toMatchObject({ code: `${format}/entity-limit`, at: { line: 1 } });
    }
    for (const format of ['json', 'otio']) {
      const r = readTimeline('{"a": {"b": {"c": {}}}}', { format, limits: { maxDepth: 2 } });
      expect(r.diagnostics[0]).toMatchObject({ code: `${format}/syntax`, at: { line: 1 } });
      expect(r.diagnostics[0]!.message).toContain('nesting deeper than 2');
    }
  });

  test('binary formats (read as bytes or ranges) are not held to the text limit', () => {
    const r = readTimeline(new Uint8Array(100), { format: 'bwf', limits: { maxTextBytes: 10 } });
    expect(r.diagnostics.map((d) => d.code)).not.toContain('format/limit-exceeded');
  });
});

describe('fuzzing finds, by code and place', () => {
  test('MIDI with 0 ticks per quarter: midi/bad-division at the division field (offset 12, SMF header)', () => {
    const bytes = new Uint8Array(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'fuzz', 'midi', '309208-zero-division.bin')));
    const r = readMarkerMidi(bytes);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'midi/bad-division', at: { offset: 12 } });
  });

  test('a rubric that is a bare string: rubric/invalid at line 1, column 1', () => {
    const r = parseRubric('""');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'rubric/invalid', at: { line: 1, column: 1 } });
  });

  test('XML with an unclosed processing instruction: malformed at the <?', () => {
    const doc = '<?"?><xmeml version="5"><sequence><name>x</name></sequence></xmeml>';
    const r = readTimeline(doc, { format: 'xmeml' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'xmeml/malformed', at: { offset: 0, line: 1, column: 1 } });
  });
});
