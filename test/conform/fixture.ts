// The common fixture of spec/conform.md §8 (24 fps NDF, 48 kHz, session start 01:00:00:00,
// S = 2000 × r), shared by the tests under test/conform/.
import { FrameRate } from '../../src/time/frame-rate.js';
import { cutFromEdl } from '../../src/conform/edl-cut.js';
import { conform } from '../../src/conform/apply.js';
import type { ConformOptions, ConformResult, Cut, Region, Session } from '../../src/conform/types.js';
import { unwrap } from '../../src/diagnostics/result.js';

export const R24 = FrameRate.FPS_24;
/** 01:00:00:00 at 24 fps. */
export const F0 = 86400;
const HEADER = 'TITLE: V\nFCM: NON-DROP FRAME\n';
export const edl = (body: string, name = 'v'): Cut => unwrap(cutFromEdl(HEADER + body, { rate: R24, name, pictureStart: '00:59:52:00' }));
export const V1_EDL = `001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C        12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`;
export const V1 = edl(V1_EDL, 'v1');
/** Example 9's new cut (A tail −12, E001 inserted between C and D). */
export const V2_EX9 = edl(`001  A001  V  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:03:12 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:11:12 01:00:12:12
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:12 01:00:14:12
`, 'v2');
export const s = (r: number): number => 2000 * r;
export function reg(id: string, name: string, r0: number, r1: number, extra: Partial<Region> = {}): Region {
  return { id, name, file: { id: `f-${name}`, name: `${name}.wav` }, start: s(r0), end: s(r1), fileOffset: 0, ...extra };
}
/** The §8 session (regions R1–R8). */
export function fixture(extra: Partial<Record<string, Region[]>> = {}): Session {
  const t = (name: string, regions: Region[]) => ({ id: name, name, regions: [...regions, ...(extra[name] ?? [])] });
  return {
    name: 'v1', sampleRate: 48000, rate: R24, startFrame: F0,
    tracks: [
      t('PFX', [reg('R1', 'pop2', -48, -47), reg('R8', 'tailpop', 383, 384)]),
      t('DX1', [reg('R2', 'dlgA', 10, 90), reg('R3', 'dlgB', 100, 160)]),
      t('DX2', [reg('R4', 'dlgC', 170, 280)]),
      t('FX1', [reg('R5', 'fxAB', 80, 120), reg('R6', 'fxD', 290, 330)]),
      t('MX1', [reg('R7', 'music', 0, 336)]),
    ],
  };
}
export function run(oldCut: Cut, newCut: Cut, session = fixture(), opts: Partial<ConformOptions> = {}): ConformResult {
  return unwrap(conform(oldCut, newCut, session, opts));
}
/** Regions of a track as [name, newR0, newR1, fileOffsetFrames]. */
export function track(r: ConformResult, name: string): [string, number, number, number][] {
  const t = r.session.tracks.find((x) => x.name === name);
  if (!t) throw new Error(`no track ${name}`);
  return t.regions.map((x) => [x.name, x.start / 2000, x.end / 2000, x.fileOffset / 2000]);
}
export const rows = (r: ConformResult) => r.map.rows.map((x) => [x.type, x.key, x.anchor - F0, x.length, x.runningTotal]);
export const entries = (r: ConformResult) => r.map.entries.map((e) => [e.kind, e.new[0] - F0, e.new[1] - F0, e.delta ?? null]);
