// spec/conform.md §7 invariants as fast-check properties over random cuts and sessions.
// Random cuts use distinct sources (no source frame twice), the precondition §7 gives for I7/I8.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FrameRate } from '../../src/time/frame-rate.js';
import { conform } from '../../src/conform/apply.js';
import { checkInvariants } from '../../src/conform/verify.js';
import type { ConformResult, Cut, CutEvent, Region, Session } from '../../src/conform/types.js';
import { unwrap } from '../../src/diagnostics/result.js';

const R24 = FrameRate.FPS_24;
const F0 = 86400;
const SPF = 2000;

interface Src { key: string; srcIn: number; srcOut: number }

function cutOf(name: string, shots: readonly Src[], rate = R24, gaps: readonly number[] = []): Cut {
  let rec = F0;
  const events: CutEvent[] = shots.map((s, i) => {
    rec += gaps[i] ?? 0;
    const e: CutEvent = { num: String(i + 1), reel: s.key, track: 'V', trans: 'C', srcIn: s.srcIn, srcOut: s.srcOut, recIn: rec, recOut: rec + (s.srcOut - s.srcIn) };
    rec = e.recOut;
    return e;
  });
  return { name, rate, events };
}

const shotsArb = fc.array(fc.record({ len: fc.integer({ min: 4, max: 60 }), off: fc.integer({ min: 0, max: 50 }) }), { minLength: 1, maxLength: 7 })
  .map((xs) => xs.map((x, i): Src => ({ key: `R${String(i).padStart(3, '0')}`, srcIn: 100000 * (i + 1) + x.off, srcOut: 100000 * (i + 1) + x.off + x.len })));

/** A new cut from an old one: trims, deletions, moves and inserts; no source used twice. */
const editArb = (old: readonly Src[]) => fc.record({
  ops: fc.array(fc.record({ head: fc.nat(8), tail: fc.nat(8), drop: fc.boolean(), weight: fc.nat(100) }), { minLength: old.length, maxLength: old.length }),
  inserts: fc.array(fc.record({ at: fc.nat(10), len: fc.integer({ min: 1, max: 30 }) }), { maxLength: 3 }),
}).map(({ ops, inserts }) => {
  let out: (Src & { w: number })[] = [];
  old.forEach((s, i) => {
    const op = ops[i] as { head: number; tail: number; drop: boolean; weight: number };
    if (op.drop && old.length > 1) return;
    const srcIn = s.srcIn + Math.min(op.head, Math.floor((s.srcOut - s.srcIn) / 3));
    const srcOut = s.srcOut - Math.min(op.tail, Math.floor((s.srcOut - s.srcIn) / 3));
    out.push({ ...s, srcIn, srcOut, w: op.weight < 80 ? i * 100 : op.weight * 7 });
  });
  out = out.sort((a, b) => a.w - b.w);
  const result: Src[] = out.map(({ w: _w, ...s }) => s);
  inserts.forEach((ins, j) => result.splice(Math.min(ins.at, result.length), 0, { key: `N${j}`, srcIn: 5000000 + 1000 * j, srcOut: 5000000 + 1000 * j + ins.len }));
  return result;
});

const sessionArb = (lengthFrames: number) => fc.array(
  fc.array(fc.record({ gap: fc.nat(40), len: fc.integer({ min: 1, max: 80 }) }), { maxLength: 6 }), { minLength: 1, maxLength: 4 },
).map((tracks): Session => ({
  name: 's', sampleRate: 48000, rate: R24, startFrame: F0,
  tracks: tracks.map((regs, t) => {
    let pos = -20;
    const regions: Region[] = [];
    regs.forEach((r, i) => {
      pos += r.gap;
      regions.push({ id: `t${t}r${i}`, name: `r${i}`, file: { id: `f${t}.${i}`, name: `f${t}.${i}.wav` }, start: pos * SPF + 7, end: (pos + r.len) * SPF + 7, fileOffset: 1000 * i });
      pos += r.len;
    });
    void lengthFrames;
    return { id: `T${t}`, name: `T${t}`, regions };
  }),
}));

const caseArb = shotsArb.chain((v1) => fc.tuple(fc.constant(v1), editArb(v1), sessionArb(v1.reduce((a, s) => a + s.srcOut - s.srcIn, 0))));

function core(r: ConformResult) {
  return r.session.tracks.filter((t) => !t.name.includes('(conform removed)'));
}

describe('§7 invariants (fast-check)', () => {
  test('I1 conservation, I2 source integrity, I3 no overlap, I10 accounting, I11 running total, I12 canonical map', () => {
    fc.assert(fc.property(caseArb, ([v1, v2, session]) => {
      const r = unwrap(conform(cutOf('v1', v1), cutOf('v2', v2), session));
      const byId = new Map(session.tracks.flatMap((t) => t.regions.map((x) => [x.id, x] as const)));
      for (const oc of r.regions) {
        const R = byId.get(oc.regionId) as Region;
        const spans = [...oc.pieces.filter((p) => p.role === 'primary').map((p) => [p.oldStart, p.oldEnd]), ...oc.removed.map((p) => [p.oldStart, p.oldEnd])]
          .sort((a, b) => (a[0] as number) - (b[0] as number));
        let cursor = R.start;
        for (const [a, b] of spans) { expect(a).toBe(cursor); cursor = b as number; }
        expect(cursor).toBe(R.end); // I1
        for (const p of oc.pieces) {
          expect(p.fileOffset - R.fileOffset).toBe(p.oldStart - R.start); // I2
          expect(p.end - p.start).toBe(p.oldEnd - p.oldStart);
        }
        for (const p of oc.removed) expect(p.fileOffset - R.fileOffset).toBe(p.oldStart - R.start);
      }
      for (const t of core(r)) {
        const rs = [...t.regions].sort((a, b) => a.start - b.start);
        for (let i = 1; i < rs.length; i++) expect((rs[i] as Region).start).toBeGreaterThanOrEqual((rs[i - 1] as Region).end); // I3
      }
      const m = r.map;
      const total = (m.new.end - m.new.ffoa) - (m.old.end - m.old.ffoa);
      expect(m.rows.reduce((a, x) => a + x.length, 0)).toBe(total); // I10
      for (const e of m.entries.filter((x) => x.backbone)) {
        expect(m.headDelta + m.rows.filter((x) => x.anchor <= e.new[0]).reduce((a, x) => a + x.length, 0)).toBe(e.delta); // I11
      }
      for (let i = 1; i < m.entries.length; i++) {
        const a = m.entries[i - 1];
        const b = m.entries[i];
        if (a?.kind === 'match' && b?.kind === 'match') {
          expect(a.delta === b.delta && a.role === b.role && a.secondary === b.secondary).toBe(false); // I12
        }
        expect(a?.new[1]).toBe(b?.new[0]); // I5/I13: the entries tile the new cut
      }
      if (m.entries.length) {
        expect(m.entries[0]?.new[0]).toBe(m.new.ffoa);
        expect(m.entries[m.entries.length - 1]?.new[1]).toBe(m.new.end);
      } else expect(m.new.end).toBe(m.new.ffoa); // an empty new cut
      // I5: tail-zone material moves by exactly tailDelta
      for (const oc of r.regions) for (const p of oc.pieces) {
        if (p.oldStart >= (m.old.end - F0) * SPF + 0 && m.old.end > m.old.ffoa) expect(p.deltaS).toBe(m.tailDelta * SPF);
      }
    }), { numRuns: 300 });
  });

  test('I6 idempotence: conform(c, c, S) returns S unchanged with no rows', () => {
    fc.assert(fc.property(caseArb, ([v1, , session]) => {
      const c = cutOf('v1', v1);
      const r = unwrap(conform(c, c, session));
      expect(r.session).toEqual(session);
      expect(r.map.rows).toEqual([]);
      expect(r.removed).toEqual([]);
    }), { numRuns: 100 });
  });

  test('I4 unchanged is identical: regions inside one δ0 entry come back as the same objects', () => {
    fc.assert(fc.property(caseArb, ([v1, v2, session]) => {
      const r = unwrap(conform(cutOf('v1', v1), cutOf('v2', v2), session));
      for (const oc of r.regions) if (oc.op === 'UNCHANGED') {
        const src = session.tracks.find((t) => t.name === oc.track)?.regions.find((x) => x.id === oc.regionId);
        expect(r.session.tracks.find((t) => t.name === oc.track)?.regions).toContain(src);
      }
    }), { numRuns: 100 });
  });

  test('I8 round trip: v2→v1 after v1→v2 restores every surviving primary piece', () => {
    fc.assert(fc.property(caseArb, ([v1, v2, session]) => {
      const a = cutOf('v1', v1);
      const b = cutOf('v2', v2);
      const there = unwrap(conform(a, b, session));
      const back = unwrap(conform(b, a, there.session));
      for (const oc of there.regions) for (const p of oc.pieces.filter((x) => x.role === 'primary')) {
        const t = back.session.tracks.find((x) => x.name === oc.track);
        const R = session.tracks.find((x) => x.name === oc.track)?.regions.find((x) => x.id === oc.regionId) as Region;
        const line = R.start - R.fileOffset;
        // coverage of [oldStart, oldEnd) by regions of the same file on the same sync line
        const segs = (t?.regions ?? []).filter((x) => x.file.id === R.file.id && x.start - x.fileOffset === line).map((x) => [x.start, x.end]).sort((x, y) => (x[0] as number) - (y[0] as number));
        let cursor = p.oldStart;
        for (const [s0, s1] of segs) if ((s0 as number) <= cursor && (s1 as number) > cursor) cursor = s1 as number;
        expect(cursor).toBeGreaterThanOrEqual(p.oldEnd);
      }
    }), { numRuns: 200 });
  });

  test('I3 with 29.97 (non-integer samples per frame): joins overlap or gap by at most 1 sample', () => {
    const df = FrameRate.of(30000, 1001, { dropFrame: true });
    fc.assert(fc.property(caseArb, ([v1, v2, session]) => {
      const s: Session = { ...session, rate: df, startFrame: 107892 };
      const shift = (c: Cut): Cut => ({ ...c, rate: df, events: c.events.map((e) => ({ ...e, recIn: e.recIn - F0 + 107892, recOut: e.recOut - F0 + 107892 })) });
      const r = unwrap(conform(shift(cutOf('v1', v1)), shift(cutOf('v2', v2)), s));
      for (const oc of r.regions) {
        const R = s.tracks.find((t) => t.name === oc.track)?.regions.find((x) => x.id === oc.regionId) as Region;
        const total = oc.pieces.filter((p) => p.role === 'primary').reduce((a, p) => a + p.oldEnd - p.oldStart, 0) + oc.removed.reduce((a, p) => a + p.oldEnd - p.oldStart, 0);
        expect(total).toBe(R.end - R.start);
      }
      for (const t of core(r)) {
        const rs = [...t.regions].sort((a, b) => a.start - b.start);
        for (let i = 1; i < rs.length; i++) expect((rs[i] as Region).start).toBeGreaterThanOrEqual((rs[i - 1] as Region).end - 1);
      }
    }), { numRuns: 150 });
  });
  test('I7 composition: content(v1→v2→v3) ⊆ content(v1→v3) on every core track', () => {
    const arb = shotsArb.chain((v1) => editArb(v1).chain((v2) => fc.tuple(fc.constant(v1), fc.constant(v2), editArb(v2), sessionArb(0))));
    fc.assert(fc.property(arb, ([v1, v2, v3raw, session]) => {
      // v3's inserted shots must not reuse v2's inserted sources (no source frame twice)
      const v3 = v3raw.map((x) => (x.key.startsWith('N') && !v2.some((y) => y.key === x.key && y.srcIn === x.srcIn && y.srcOut === x.srcOut) && v2.some((y) => y.key === x.key) ? { ...x, key: `M${x.key}` } : x));
      const c1 = cutOf('v1', v1);
      const c2 = cutOf('v2', v2);
      const c3 = cutOf('v3', v3);
      const two = unwrap(conform(c2, c3, unwrap(conform(c1, c2, session)).session));
      const direct = unwrap(conform(c1, c3, session));
      for (const t of core(two)) {
        const d = direct.session.tracks.find((x) => x.name === t.name);
        for (const reg of t.regions) {
          const line = reg.start - reg.fileOffset;
          const segs = (d?.regions ?? []).filter((x) => x.file.id === reg.file.id && x.start - x.fileOffset === line).sort((a, b) => a.start - b.start);
          let cursor = reg.start;
          for (const x of segs) if (x.start <= cursor && x.end > cursor) cursor = x.end;
          expect(cursor).toBeGreaterThanOrEqual(reg.end);
        }
      }
    }), { numRuns: 150 });
  });
  test('with black gaps in both cuts and reused sources (copies): I1, I3, I10, I11, I12 still hold', () => {
    const arb = caseArb.chain(([v1, v2, session]) => fc.tuple(fc.constant(v1), fc.constant(v2), fc.constant(session),
      fc.array(fc.nat(12), { minLength: v1.length, maxLength: v1.length }), fc.array(fc.nat(12), { maxLength: v2.length + 2 }), fc.nat(v2.length + 1), fc.nat(20)));
    fc.assert(fc.property(arb, ([v1, v2, session, gaps1, gaps2, at, cut]) => {
      const reuse = v1[0] as Src;
      const rep: Src = { ...reuse, srcOut: Math.max(reuse.srcIn + 1, reuse.srcOut - cut) };
      const v2r = [...v2];
      v2r.splice(Math.min(at, v2r.length), 0, rep); // the first old shot is used (again)
      const r = unwrap(conform(cutOf('v1', v1, R24, gaps1), cutOf('v2', v2r, R24, gaps2), session));
      const byId = new Map(session.tracks.flatMap((t) => t.regions.map((x) => [x.id, x] as const)));
      for (const oc of r.regions) {
        const R = byId.get(oc.regionId) as Region;
        const spans = [...oc.pieces.filter((p) => p.role === 'primary').map((p) => [p.oldStart, p.oldEnd]), ...oc.removed.map((p) => [p.oldStart, p.oldEnd])]
          .sort((a, b) => (a[0] as number) - (b[0] as number));
        let cursor = R.start;
        for (const [a, b] of spans) { expect(a).toBe(cursor); cursor = b as number; }
        expect(cursor).toBe(R.end);
      }
      for (const t of core(r)) {
        const rs = [...t.regions].sort((a, b) => a.start - b.start);
        for (let i = 1; i < rs.length; i++) expect((rs[i] as Region).start).toBeGreaterThanOrEqual((rs[i - 1] as Region).end);
      }
      const m = r.map;
      expect(m.rows.reduce((a, x) => a + x.length, 0)).toBe((m.new.end - m.new.ffoa) - (m.old.end - m.old.ffoa));
      for (const e of m.entries.filter((x) => x.backbone)) {
        expect(m.headDelta + m.rows.filter((x) => x.anchor <= e.new[0]).reduce((a, x) => a + x.length, 0)).toBe(e.delta);
      }
      for (let i = 1; i < m.entries.length; i++) expect(m.entries[i - 1]?.new[1]).toBe(m.entries[i]?.new[0]);
    }), { numRuns: 400 });
  });
  test('checkInvariants (the --verify check) finds no violation on random conforms, with gaps, copies and at 29.97', () => {
    const df = FrameRate.of(30000, 1001, { dropFrame: true });
    const arb = caseArb.chain(([v1, v2, session]) => fc.tuple(fc.constant(v1), fc.constant(v2), fc.constant(session),
      fc.array(fc.nat(12), { minLength: v1.length, maxLength: v1.length }), fc.array(fc.nat(12), { maxLength: v2.length + 2 }), fc.boolean(), fc.boolean()));
    fc.assert(fc.property(arb, ([v1, v2, session, gaps1, gaps2, reuse, ntsc]) => {
      const v2r = reuse ? [...v2, v1[0] as Src] : v2;
      let a = cutOf('v1', v1, R24, gaps1);
      let b = cutOf('v2', v2r, R24, gaps2);
      let s = session;
      if (ntsc) {
        const shift = (c: Cut): Cut => ({ ...c, rate: df, events: c.events.map((e) => ({ ...e, recIn: e.recIn - F0 + 107892, recOut: e.recOut - F0 + 107892 })) });
        a = shift(a);
        b = shift(b);
        s = { ...session, rate: df, startFrame: 107892 };
      }
      const v = checkInvariants(s, unwrap(conform(a, b, s)));
      expect(v.violations).toEqual([]);
    }), { numRuns: 300 });
  });
});
