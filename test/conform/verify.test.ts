// checkInvariants (spec/conform.md §7, §11) on real conforms of the §9 worked examples (all must
// hold), and on results broken by hand (each break must be named by the invariant it violates).
import { describe, expect, test } from 'vitest';
import { checkInvariants } from '../../src/conform/verify.js';
import type { ConformResult, Piece } from '../../src/conform/types.js';
import { V1, V2_EX9, edl, fixture, run } from './fixture.js';

const EX1 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  C001  V  C  12:00:00:00 12:00:05:00 01:00:04:00 01:00:09:00
003  B001  V  C  11:00:10:00 11:00:13:00 01:00:09:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
const EX5 = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  E001  V  C  14:00:00:00 14:00:02:00 01:00:07:00 01:00:09:00
004  C001  V  C  12:00:00:00 12:00:05:00 01:00:09:00 01:00:14:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:14:00 01:00:16:00
`);
const EX7A = edl(`001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C        12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
005  B001  V  C        11:00:10:00 11:00:11:12 01:00:14:00 01:00:15:12
`);
const LIFT = edl(`001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);

/** A result with one region outcome's pieces replaced. */
function withPieces(r: ConformResult, regionId: string, f: (ps: readonly Piece[]) => Piece[]): ConformResult {
  return { ...r, regions: r.regions.map((oc) => (oc.regionId === regionId ? { ...oc, pieces: f(oc.pieces) } : oc)) };
}

describe('checkInvariants', () => {
  test.each([['identity', V1], ['Example 1 (move)', EX1], ['Example 4 lift', LIFT], ['Example 5 (insert)', EX5], ['Example 7a (copy)', EX7A], ['Example 9', V2_EX9]])(
    '%s: every checked invariant holds', (_name, cut) => {
      const r = run(V1, cut);
      const v = checkInvariants(fixture(), r);
      expect(v.violations).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.checked).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I10', 'I11', 'I12', 'I13']);
    });

  test('a lost sample, a duplicated stretch, a slipped piece and an overlap are each reported', () => {
    const r = run(V1, V2_EX9);
    // dlgA (R2) keeps [10,84) and loses [84,90) to the removed list (spec Example 9). Drop its removed piece:
    const lost: ConformResult = { ...r, regions: r.regions.map((oc) => (oc.regionId === 'R2' ? { ...oc, removed: [] } : oc)) };
    expect(checkInvariants(fixture(), lost).violations.map((d) => [d.code, d.path])).toEqual([['conform/invariant-conservation', ['DX1', 'R2']]]);
    // music (R7): a piece counted twice
    const dup = withPieces(r, 'R7', (ps) => [...ps, ps[0] as Piece]);
    expect(checkInvariants(fixture(), dup).violations.map((d) => d.code)).toContain('conform/invariant-conservation');
    // dlgB (R3): file offset slipped by one sample inside a piece
    const slipped = withPieces(r, 'R3', (ps) => ps.map((p) => ({ ...p, fileOffset: p.fileOffset + 1 })));
    expect(checkInvariants(fixture(), slipped).violations.map((d) => d.code)).toContain('conform/invariant-source-integrity');
    // an output region pushed onto its neighbour: fxAB.c2 [84,108) moved to start at r83
    const t = r.session.tracks.map((tr) => (tr.name === 'FX1' ? { ...tr, regions: tr.regions.map((x) => (x.name === 'fxAB.c2' ? { ...x, start: x.start - 2000 } : x)) } : tr));
    const overlap: ConformResult = { ...r, session: { ...r.session, tracks: t } };
    const codes = checkInvariants(fixture(), overlap).violations.map((d) => d.code);
    expect(codes).toContain('conform/invariant-no-overlap');
  });

  test('a broken map: rows that do not add up and an unhealed pair are reported', () => {
    const r = run(V1, V2_EX9);
    const rows = r.map.rows.map((x) => (x.type === 'INSERT' ? { ...x, length: 23 } : x));
    const v = checkInvariants(fixture(), { ...r, map: { ...r.map, rows } });
    expect(v.violations.map((d) => d.code)).toEqual(['conform/invariant-accounting', 'conform/invariant-running-total']);
    const first = r.map.entries[0];
    if (!first) throw new Error('no entry');
    const split = [{ ...first, new: [first.new[0], first.new[0] + 10] as const, old: [first.new[0], first.new[0] + 10] as const },
      { ...first, new: [first.new[0] + 10, first.new[1]] as const, old: [first.new[0] + 10, first.new[1]] as const }, ...r.map.entries.slice(1)];
    expect(checkInvariants(fixture(), { ...r, map: { ...r.map, entries: split } }).violations.map((d) => d.code)).toEqual(['conform/invariant-canonical-map']);
  });
});
