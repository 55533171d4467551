// Multi-reel films (spec/conform.md §5.8): the §8 fixture is reel 1 (01:00:00:00); reel 2 sits at
// 02:00:00:00 (frame r 86400 = one hour at 24 fps after 01:00:00:00, picture start 01:59:52:00 =
// r 86208) with F001 [86400,86496) and G001 [86496,86592). In the new cut D001 moves from the tail
// of reel 1 to the head of reel 2 ("reel balancing"). Expected numbers follow from the rules:
// matching across reels, D is a move (it changes reel) with a REEL_MOVE row, each reel keeps its
// own head and tail zones, running totals restart per reel.
import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../../src/conform/verify.js';
import { reportObject, renderTable } from '../../src/conform/report.js';
import type { Cut, CutEvent } from '../../src/conform/types.js';
import { F0, R24, V1, fixture, reg, rows, run, track } from './fixture.js';

const H = 86400; // one hour of frames at 24 fps
const ev = (num: string, reel: string, src: number, r0: number, r1: number): CutEvent =>
  ({ num, reel, track: 'V', trans: 'C', srcIn: src, srcOut: src + (r1 - r0), recIn: F0 + r0, recOut: F0 + r1 });
const src = (h: number) => h * 3600 * 24;
const reel2Old = [ev('1', 'F001', src(15), H, H + 96), ev('2', 'G001', src(16), H + 96, H + 192)];

const OLD: Cut = {
  name: 'v1', rate: R24, events: [],
  reels: [{ name: '1', pictureStart: F0 - 192, events: V1.events }, { name: '2', pictureStart: F0 + H - 192, events: reel2Old }],
};
const NEW: Cut = {
  name: 'v2', rate: R24, events: [],
  reels: [
    { name: '1', pictureStart: F0 - 192, events: V1.events.slice(0, 3) },
    { name: '2', pictureStart: F0 + H - 192, events: [ev('1', 'D001', src(13) + 48, H, H + 48), ev('2', 'F001', src(15), H + 48, H + 144), ev('3', 'G001', src(16), H + 144, H + 240)] },
  ],
};

describe('§5.8 multi-reel', () => {
  const session = fixture({
    PFX: [reg('P2', 'pop2.r2', H - 48, H - 47), reg('T2', 'tailpop.r2', H + 239, H + 240)],
    FX1: [reg('F', 'fxF', H + 10, H + 100)],
  });
  const r = run(OLD, NEW, session);

  test('the map matches across reels; D001 is a move, with a REEL_MOVE row; totals restart per reel', () => {
    expect(r.map.entries.map((e) => [e.kind, e.new[0] - F0, e.new[1] - F0, e.delta, e.backbone])).toEqual([
      ['match', 0, 288, 0, true], ['match', H, H + 48, H - 288, false], ['match', H + 48, H + 240, 48, true],
    ]);
    expect(rows(r)).toEqual([
      ['MOVE_FROM', 'D001', 288, -48, -48], // reel 1 ends 48 frames earlier
      ['MOVE_TO', 'D001', H, 48, 48], // reel 2 starts with D: F and G move +48
      ['REEL_MOVE', 'D001', H, 0, 48],
    ]);
    expect(r.map.rows.find((x) => x.type === 'REEL_MOVE')?.detail).toBe('reel 1 -> reel 2');
  });

  test('pieces: each reel keeps its own head and tail zone', () => {
    // fxD (old r[290,330)) goes with D to reel 2; music splits at the reel 1 end; reel 1's tail pop
    // follows the reel 1 LFOA (−48); reel 2's 2-pop stays (head delta 0), its tail pop moves +48.
    expect(track(r, 'FX1')).toEqual([['fxAB', 80, 120, 0], ['fxD', H + 2, H + 42, 0], ['fxF', H + 58, H + 148, 0]]);
    expect(track(r, 'MX1')).toEqual([['music.c1', 0, 288, 0], ['music.c2', H, H + 48, 288]]);
    expect(track(r, 'PFX')).toEqual([['pop2', -48, -47, 0], ['tailpop', 335, 336, 0], ['pop2.r2', H - 48, H - 47, 0], ['tailpop.r2', H + 287, H + 288, 0]]);
    expect(r.removed).toEqual([]);
    expect(checkInvariants(session, r).violations).toEqual([]);
  });

  test('the report lists per-reel LFOA and puts each piece in its new reel', () => {
    const j = reportObject(r) as { totalChangeFrames: number; reels: { old: { lfoa: string }; new: { lfoa: string; lfoaFeet: string }; changeFrames: number }[]; regions: { name: string; pieces: { reel: string }[] }[] };
    expect(j.totalChangeFrames).toBe(0); // 336 + 192 old frames, 288 + 240 new
    // reel 1 LFOA r287 = 01:00:11:23, 287 + 192 = 479 = 29 ft 15 fr; reel 2 LFOA r86639 = 02:00:09:23, 239 + 192 = 431 = 26 ft 15 fr
    expect(j.reels.map((x) => [x.old.lfoa, x.new.lfoa, x.new.lfoaFeet, x.changeFrames])).toEqual([
      ['01:00:13:23', '01:00:11:23', '0029+15', -48], ['02:00:07:23', '02:00:09:23', '0026+15', 48],
    ]);
    expect(j.regions.find((x) => x.name === 'fxD')?.pieces.map((p) => p.reel)).toEqual(['2']);
    expect(j.regions.find((x) => x.name === 'music')?.pieces.map((p) => p.reel)).toEqual(['1', '2']);
    expect(renderTable(r)).toContain('REEL 1: OLD LFOA 01:00:13:23 (0032+15)  NEW LFOA 01:00:11:23 (0029+15)  CHANGE -48 fr');
  });

  test('reel counts must agree', () => {
    const bad = run.bind(null, OLD, { ...NEW, reels: NEW.reels?.slice(0, 1) ?? [] });
    expect(bad).toThrow(/reel/);
  });
});
