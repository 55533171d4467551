// Relative change lists as input (spec/conform.md §5.10). Each list below restates a §9 worked
// example as remove/insert/move operations; the expected maps, rows and region positions are the
// spec's numbers for that example (Example 1, 4 and 9 tables).
import { describe, expect, test } from 'vitest';
import { cutFromChangeList, parseChangeList } from '../../src/conform/change-list.js';
import { unwrap } from '../../src/diagnostics/result.js';
import { F0, R24, V1, entries, rows, run, track } from './fixture.js';

const PICTURE_START = F0 - 192; // 00:59:52:00 (spec §8)

describe('§5.10 relative change lists', () => {
  test('Example 9 as DELETE + INSERT gives the spec map, rows and regions', () => {
    const ops = unwrap(parseChangeList('# Example 9\nDELETE 01:00:03:12 12\nINSERT 01:00:11:12 24 E001\n', { rate: R24 }));
    expect(ops).toEqual([{ op: 'DELETE', at: F0 + 84, length: 12, line: 2 }, { op: 'INSERT', at: F0 + 276, length: 24, name: 'E001', line: 3 }]);
    const r = run(V1, unwrap(cutFromChangeList(V1, ops)));
    // spec Example 9 map: [0,84) δ0 · [84,276) δ−12 · insert [276,300) · [300,348) δ+12
    expect(entries(r)).toEqual([['match', 0, 84, 0], ['match', 84, 276, -12], ['insert', 276, 300, null], ['match', 300, 348, 12]]);
    expect(rows(r)).toEqual([['TRIM_TAIL', 'A001', 84, -12, -12], ['INSERT', 'E001', 276, 24, 12]]);
    expect(track(r, 'DX1')).toEqual([['dlgA', 10, 84, 0], ['dlgB', 88, 148, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 84, 0], ['music.c2', 84, 276, 96], ['music.c3', 300, 348, 288]]);
    expect(track(r, 'PFX')).toEqual([['pop2', -48, -47, 0], ['tailpop', 395, 396, 0]]);
  });

  test('film-style inclusive footage ranges (35 mm 16/ft and 16 mm 40/ft) give the same operation', () => {
    // r84 is 84 + 192 = 276 frames from picture start: 17 ft 4 fr at 16/ft, 6 ft 36 fr at 40/ft;
    // the inclusive range F1..F2 is [F1, F2 + 1) (spec §1.1), so 12 frames end at r95.
    const a = unwrap(parseChangeList('REMOVE 0017+04..0017+15', { rate: R24, pictureStart: PICTURE_START }));
    const b = unwrap(parseChangeList('EXTRACT 6+36..7+07', { rate: R24, pictureStart: PICTURE_START, gauge: '16mm' }));
    const c = unwrap(parseChangeList('DELETE 0017+04 0+12', { rate: R24, pictureStart: PICTURE_START }));
    for (const x of [a, b, c]) expect(x.map((o) => [o.op, o.at - F0, o.length])).toEqual([['DELETE', 84, 12]]);
  });

  test('Example 1 as MOVE (target after the removal) gives MOVE_FROM/MOVE_TO of B001', () => {
    // B [96,168) is cut; C and D close up to [96,264); the target 01:00:09:00 = r216 is after C.
    const ops = unwrap(parseChangeList('MOVE 01:00:04:00 72 01:00:09:00', { rate: R24 }));
    const r = run(V1, unwrap(cutFromChangeList(V1, ops)));
    expect(entries(r)).toEqual([['match', 0, 96, 0], ['match', 96, 216, -72], ['match', 216, 288, 120], ['match', 288, 336, 0]]);
    expect(rows(r)).toEqual([['MOVE_FROM', 'B001', 96, -72, -72], ['MOVE_TO', 'B001', 216, 72, 0]]);
    expect(track(r, 'DX1')).toEqual([['dlgA', 10, 90, 0], ['dlgB', 220, 280, 0]]);
  });

  test('Example 4 extract as one DELETE of the whole shot', () => {
    const r = run(V1, unwrap(cutFromChangeList(V1, [{ op: 'DELETE', at: F0 + 96, length: 72 }])));
    expect(entries(r)).toEqual([['match', 0, 96, 0], ['match', 96, 264, -72]]);
    expect(rows(r)).toEqual([['DELETE', 'B001', 96, -72, -72]]);
    expect(track(r, 'DX2')).toEqual([['dlgC', 98, 208, 0]]);
  });

  test('bad lines and out-of-range operations are typed errors with their line', () => {
    const p = parseChangeList('DELETE 01:00:03:12 12\nFROB 1 2\nINSERT 01:00:99:00 3', { rate: R24 });
    expect(p.ok).toBe(false);
    expect(p.diagnostics.map((d) => [d.code, d.at?.line])).toEqual([['conform/change-syntax', 2], [expect.any(String), 3]]);
    const q = cutFromChangeList(V1, unwrap(parseChangeList('DELETE 01:00:13:00 48', { rate: R24 })));
    expect(q.ok).toBe(false);
    expect(q.diagnostics[0]).toMatchObject({ code: 'conform/change-out-of-range', at: { line: 1 } });
    expect(parseChangeList('DELETE 0017+04 12', { rate: R24 }).diagnostics[0]?.code).toBe('conform/change-syntax'); // footage without picture start
  });
});
