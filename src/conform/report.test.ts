// Report renderers against spec/conform.md §6.2 (JSON values) and §6.3 (the table, verbatim),
// both given for Example 9 on the §8 fixture.
import { expect, test } from 'vitest';
import { FrameRate } from '../time/frame-rate.js';
import { unwrap } from '../diagnostics/result.js';
import { conform, cutFromEdl, renderChangeEdl, renderJson, renderShuffle, renderSvg, renderTable, reportObject } from './index.js';
import type { Region, Session } from './types.js';
import * as conformReports from './report.js';

const R24 = FrameRate.FPS_24;
const cut = (name: string, body: string) => unwrap(cutFromEdl(`TITLE: ${name}\nFCM: NON-DROP FRAME\n${body}`, { rate: R24, pictureStart: '00:59:52:00' }));
const v1 = cut('v1', `001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C        12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
const v2 = cut('v2', `001  A001  V  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:03:12 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:11:12 01:00:12:12
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:12 01:00:14:12
`);
const reg = (id: string, name: string, r0: number, r1: number): Region => ({ id, name, file: { id: name, name: `${name}.wav` }, start: 2000 * r0, end: 2000 * r1, fileOffset: 0 });
const session: Session = { name: 'v1', sampleRate: 48000, rate: R24, startFrame: 86400, tracks: [
  { id: 'DX1', name: 'DX1', regions: [reg('R2', 'dlgA', 10, 90), reg('R3', 'dlgB', 100, 160)] },
  { id: 'MX1', name: 'MX1', regions: [reg('R7', 'music', 0, 336)] },
] };
const r = unwrap(conform(v1, v2, session));

test('§6.3 table for Example 9, verbatim', () => {
  const text = renderTable(r);
  expect(text.split('\n').slice(0, 8).join('\n')).toBe(`CONFORM  v1 -> v2     24 fps NDF   48 kHz
OLD  FFOA 01:00:00:00  LFOA 01:00:13:23 (0032+15)  336 fr
NEW  FFOA 01:00:00:00  LFOA 01:00:14:11 (0033+11)  348 fr      TOTAL CHANGE +12 fr (+0s12f)

  #  TYPE        SHOT   AT (NEW)     LEN   OLD IN       OLD OUT      NEW IN       NEW OUT      TOTAL
  1  TRIM_TAIL   A001   01:00:03:12  -12   01:00:03:12  01:00:04:00  -            -            -12
  2  INSERT      E001   01:00:11:12  +24   -            -            01:00:11:12  01:00:12:12  +12
SHIFTED: B001 -12, C001 -12, D001 +12`);
});

test('§6.2 JSON values for Example 9', () => {
  const j = JSON.parse(renderJson(r));
  expect(j.schema).toBe('dubstage.conform.report/1');
  expect(j.rate).toEqual({ num: 24, den: 1, nominal: 24, dropFrame: false });
  expect(j.old).toEqual({ name: 'v1', ffoa: '01:00:00:00', lfoa: '01:00:13:23', lfoaFeet: '0032+15', lengthFrames: 336 });
  expect(j.new).toEqual({ name: 'v2', ffoa: '01:00:00:00', lfoa: '01:00:14:11', lfoaFeet: '0033+11', lengthFrames: 348 });
  expect([j.totalChangeFrames, j.headDelta, j.tailDelta]).toEqual([12, 0, 12]);
  expect(j.map[0]).toMatchObject({ kind: 'match', new: ['01:00:00:00', '01:00:03:12'], newFrames: [0, 84], oldFrames: [0, 84], delta: 0, role: 'primary', backbone: true });
  expect(j.rows[0]).toMatchObject({ id: 1, type: 'TRIM_TAIL', key: 'A001', anchor: '01:00:03:12', length: -12, old: ['01:00:03:12', '01:00:04:00'], new: null, runningTotal: -12, lift: false });
  expect(j.shifted).toEqual([{ key: 'B001', delta: -12 }, { key: 'C001', delta: -12 }, { key: 'D001', delta: 12 }]);
  const dlgA = j.regions.find((x: { regionId: string }) => x.regionId === 'R2');
  expect(dlgA).toMatchObject({ track: 'DX1', name: 'dlgA', op: 'TRIMMED', pieces: [{ start: 20000, end: 168000, fileOffset: 0, role: 'primary', cutHead: false, cutTail: true }] });
  expect(dlgA.removed[0]).toMatchObject({ oldStart: 168000, oldEnd: 180000, fileOffset: 148000, rowId: 1 });
  expect(j.warnings).toContainEqual(expect.objectContaining({ code: 'HOLE_IN_CONTINUOUS', track: 'MX1', at: '01:00:11:12' }));
  expect(renderJson(unwrap(conform(v1, v2, session)))).toBe(renderJson(r)); // I9 determinism
  expect(reportObject(r)).toEqual(j);
});

test('§6.4 / Example 9 shuffle script: head-to-tail at new anchors, tail-to-head at old positions', () => {
  const text = renderShuffle(r);
  expect(text).toContain('(1) at 01:00:03:12 cut 12 frames');
  expect(text).toContain('(2) at 01:00:11:12 insert 24 frames');
  const tail = text.slice(text.indexOf('TAIL TO HEAD'));
  expect(tail).toContain('(1) at 01:00:12:00 insert 24 frames');
  expect(tail).toContain('(2) at 01:00:03:12 cut 12 frames');
});

test('change EDL reads back as an EDL with one event per map entry; SVG draws every entry and removal', () => {
  const edl = renderChangeEdl(r);
  const back = unwrap(cutFromEdl(edl, { rate: R24 }));
  expect(back.events.map((e) => [e.reel, e.recIn - 86400, e.recOut - 86400, e.srcIn - 86400])).toEqual([
    ['OLDCUT', 0, 84, 0], ['OLDCUT', 84, 276, 96], ['BL', 276, 300, -86400], ['OLDCUT', 300, 348, 288]]);
  const svg = renderSvg(r);
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.match(/<rect [^>]*><title>/g)?.length).toBe(4 + 3 + 1); // 4 new entries, 3 old matches, 1 removal (legend swatches have no title)
  expect(svg).toContain('>B001 C001 -12</text>'); // the shifted stretch is labelled with its delta (spec Example 9 map)
  expect(svg).toContain('#e53935'); // removed (A001 tail)
  expect(svg).toContain('#d81b60'); // inserted (E001)
});

test('§6.5 marker list: one marker per row at its new anchor, spec colours (Example 9 rows)', () => {
  const { renderMarkers, renderReport } = conformReports;
  expect(renderMarkers(r)).toBe('dubstage\t01:00:03:12\tV1\tred\tTRIM_TAIL A001 -12\t12\r\ndubstage\t01:00:11:12\tV1\tmagenta\tINSERT E001 +24\t24\r\n');
  expect(renderReport(r, 'table')).toBe(renderTable(r));
});
