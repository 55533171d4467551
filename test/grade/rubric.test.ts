/**
 * Rubric validation: every problem is a diagnostic naming its JSON path (issue 11 "errors name the
 * JSON path"); nothing throws.
 */
import { describe, expect, test } from 'vitest';
import { globToRegExp, namePattern, parseRubric, referencePaths } from '../../src/grade/rubric.js';

const ok = {
  schema: 'dubstage.rubric/1',
  title: 'Spotting 1',
  rate: '23.976',
  checks: [
    { kind: 'cues', weight: 40, reference: 'ref/cues.csv', tolerance: { frames: 1 } },
    { kind: 'timeline', id: 'session', weight: 60, reference: 'ref/session.json', file: '*.txt' },
  ],
};

describe('parseRubric', () => {
  test('a valid rubric decodes with defaults and ids', () => {
    const r = parseRubric(JSON.stringify(ok));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rate.name).toBe('23.976');
    expect(r.value.sampleRate).toBe(48000);
    expect(r.value.checks.map((c) => c.id)).toEqual(['cues-1', 'session']);
    expect(referencePaths(r.value)).toEqual(['ref/cues.csv', 'ref/session.json']);
  });

  test('a bad tolerance names its path', () => {
    const bad = { ...ok, checks: [{ ...ok.checks[0], tolerance: { frames: -2 } }] };
    const r = parseRubric(bad);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'rubric/invalid', path: ['checks[0]', 'tolerance', 'frames'] });
  });

  test('a tolerance with an unknown unit names the field', () => {
    const r = parseRubric({ ...ok, checks: [{ ...ok.checks[0], tolerance: { ms: 3 } }] });
    expect(r.diagnostics[0]).toMatchObject({ code: 'rubric/invalid', path: ['checks[0]', 'tolerance'] });
  });

  test('a missing weight and an unknown kind are reported together, each at its check', () => {
    const r = parseRubric({ ...ok, checks: [{ kind: 'cues' }, { kind: 'loudness', weight: 1 }] });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.path?.join('.')])).toEqual([
      ['rubric/invalid', 'checks[0].weight'],
      ['rubric/unknown-kind', 'checks[1].kind'],
    ]);
  });

  test('a wrong schema id and bad JSON are diagnostics, not exceptions', () => {
    expect(parseRubric({ ...ok, schema: 'x' }).diagnostics[0]).toMatchObject({ code: 'rubric/invalid', path: ['schema'] });
    const r = parseRubric('{\n  "schema": ,\n}');
    expect(r.diagnostics[0]).toMatchObject({ code: 'rubric/syntax', at: { line: 2, column: 13 } });
  });

  test('a bad rate or start timecode is reported at its field', () => {
    expect(parseRubric({ ...ok, rate: '23.9x' }).diagnostics[0]).toMatchObject({ code: 'rubric/bad-rate', path: ['rate'] });
    // 00:01:00;00 does not exist at 29.97 drop-frame (SMPTE 12M: ;00 and ;01 skipped).
    expect(parseRubric({ ...ok, rate: '29.97df', startTimecode: '00:01:00;00' }).diagnostics[0]).toMatchObject({ code: 'rubric/bad-timecode', path: ['startTimecode'] });
  });

  test('duplicate ids are rejected', () => {
    const r = parseRubric({ ...ok, checks: [{ ...ok.checks[1] }, { ...ok.checks[1] }] });
    expect(r.diagnostics[0]).toMatchObject({ code: 'rubric/duplicate-id', path: ['checks[1]', 'id'] });
  });
});

describe('patterns', () => {
  test('globs match paths and base names', () => {
    expect(globToRegExp('*.csv').test('student/cues.CSV')).toBe(true);
    expect(globToRegExp('stems/*.wav').test('stems/DX.wav')).toBe(true);
    expect(globToRegExp('stems/*.wav').test('x/stems/DX.wav')).toBe(false);
    expect(globToRegExp('**/*.{mid,midi}').test('a/b/markers.midi')).toBe(true);
  });
  test('names compare loosely, /regex/ as a regex', () => {
    expect(namePattern('FX 1')('fx  1 ')).toBe(true);
    expect(namePattern('/^fx ?\\d$/')('FX2')).toBe(true);
    expect(namePattern('/^fx ?\\d$/')('FX12')).toBe(false);
  });
});
