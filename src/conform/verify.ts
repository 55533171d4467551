/**
 * Checks the invariants of spec/conform.md §7 on one real conform (`checkInvariants`, spec §11),
 * for `dubstage conform --verify` and for tests. Every violation is a diagnostic
 * `conform/invariant-<name>` naming the track and region (`path`) and the numbers that disagree.
 *
 * Checked on one result: I1 conservation (no sample lost or duplicated), I2 source integrity,
 * I3 no overlap, I4 unchanged is identical, I5 length, I6 idempotence (when the map is the
 * identity), I10 accounting, I11 running total, I12 canonical map, I13 function and guide fill.
 * I7 (composition), I8 (round trip) and I9 (determinism) compare several conforms; they are
 * property tests (`test/conform/invariants.test.ts`).
 */
import type { Diagnostic, DiagnosticCode } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import { frameToSample } from './apply.js';
import { mergeRanges, reelIndexOf } from './map.js';
import type { ConformResult, Region, Session } from './types.js';

/** Result of {@link checkInvariants}. */
export interface InvariantReport {
  /** True when no invariant is violated. */
  readonly ok: boolean;
  /** The invariants checked (`I1`, `I2`…). */
  readonly checked: readonly string[];
  /** One error diagnostic per violation (capped at `limit` per invariant). */
  readonly violations: readonly Diagnostic[];
}

const REMOVED_LANE = /\(conform removed\) \d+$/;

/**
 * Checks spec §7 I1–I6 and I10–I13 on `result`, the conform of `input`. `limit` caps the
 * violations kept per invariant (default 20) so a broken run stays readable.
 */
export function checkInvariants(input: Session, result: ConformResult, limit = 20): InvariantReport {
  const violations: Diagnostic[] = [];
  const counts = new Map<string, number>();
  const fail = (inv: string, name: string, msg: string, path?: readonly string[]): void => {
    const n = counts.get(inv) ?? 0;
    counts.set(inv, n + 1);
    if (n < limit) violations.push(error(`conform/invariant-${name}` as DiagnosticCode, `${inv}: ${msg}`, path ? { path } : {}));
  };
  const m = result.map;
  const sr = result.sampleRate;
  const S = (f: number): number => frameToSample(f, result.startFrame, sr, m.rate);
  const nonInteger = (BigInt(sr) * m.rate.rate.den) % m.rate.rate.num !== 0n;
  const tol = nonInteger ? 1 : 0;
  const inputById = new Map<string, Region>();
  for (const t of input.tracks) for (const r of t.regions) inputById.set(`${t.name}\u0000${r.id}`, r);
  const outByTrack = new Map(result.session.tracks.map((t) => [t.name, t] as const));

  // I1 conservation and I2 source integrity, per input region that was conformed.
  const seen = new Set<string>();
  for (const oc of result.regions) {
    const key = `${oc.track}\u0000${oc.regionId}`;
    const R = inputById.get(key);
    const path = [oc.track, oc.regionId];
    if (!R) { fail('I1', 'conservation', `outcome for region ${oc.regionId} that is not in the input`, path); continue; }
    if (seen.has(key)) fail('I1', 'conservation', `region ${oc.regionId} has two outcomes`, path);
    seen.add(key);
    const spans = [...oc.pieces.filter((p) => p.role === 'primary').map((p) => [p.oldStart, p.oldEnd] as const), ...oc.removed.map((p) => [p.oldStart, p.oldEnd] as const)]
      .sort((a, b) => a[0] - b[0]);
    let cursor = R.start;
    for (const [a, b] of spans) {
      if (a > cursor) fail('I1', 'conservation', `'${R.name}' samples [${cursor}, ${a}) are neither placed nor removed (lost)`, path);
      if (a < cursor) fail('I1', 'conservation', `'${R.name}' samples [${a}, ${Math.min(b, cursor)}) are placed or removed twice (duplicated)`, path);
      cursor = Math.max(cursor, b);
    }
    if (cursor !== R.end) fail('I1', 'conservation', `'${R.name}' accounted to sample ${cursor}, region ends at ${R.end}`, path);
    const prim = mergeRanges(oc.pieces.filter((p) => p.role === 'primary').map((p) => [p.oldStart, p.oldEnd] as [number, number]));
    for (const c of oc.pieces.filter((p) => p.role === 'copy')) {
      if (!prim.some(([a, b]) => a <= c.oldStart && c.oldEnd <= b)) fail('I1', 'conservation', `copy of '${R.name}' old [${c.oldStart}, ${c.oldEnd}) is not inside its primary material`, path);
    }
    for (const p of [...oc.pieces, ...oc.removed]) {
      if (p.fileOffset - R.fileOffset !== p.oldStart - R.start) fail('I2', 'source-integrity', `'${R.name}' piece at old ${p.oldStart}: file offset ${p.fileOffset}, expected ${R.fileOffset + p.oldStart - R.start}`, path);
    }
    for (const p of oc.pieces) {
      if (p.end - p.start !== p.oldEnd - p.oldStart) fail('I2', 'source-integrity', `'${R.name}' piece is ${p.end - p.start} samples long for ${p.oldEnd - p.oldStart} old samples`, path);
      const out = outByTrack.get(p.track)?.regions.find((x) => x === p.region || (x.id === p.region.id && x.start === p.start));
      if (!out) fail('I1', 'conservation', `piece '${p.region.name}' is not in the output track ${p.track}`, path);
      else if (out.start !== p.start || out.end !== p.end || out.fileOffset !== p.fileOffset) fail('I2', 'source-integrity', `output region '${out.name}' differs from its piece`, path);
    }
    // I4: a region inside one δ0 zone (no cut, no copy) comes back identical.
    if (oc.pieces.length === 1 && oc.removed.length === 0) {
      const p = oc.pieces[0];
      if (p && p.deltaS === 0 && !p.cutHead && !p.cutTail) {
        const out = p.region;
        if (out.id !== R.id || out.name !== R.name || out.start !== R.start || out.end !== R.end || out.fileOffset !== R.fileOffset ||
          out.gainDb !== R.gainDb || JSON.stringify(out.fadeIn) !== JSON.stringify(R.fadeIn) || JSON.stringify(out.fadeOut) !== JSON.stringify(R.fadeOut)) {
          fail('I4', 'unchanged-identical', `'${R.name}' did not move but changed`, path);
        }
      }
    }
  }
  for (const t of input.tracks) {
    const out = outByTrack.get(t.name);
    const conformed = result.regions.some((oc) => oc.track === t.name);
    if (!conformed && t.regions.length && out && out.regions.length !== t.regions.length) fail('I1', 'conservation', `excluded track ${t.name} was not copied verbatim`, [t.name]);
    if (conformed) for (const r of t.regions) if (!seen.has(`${t.name}\u0000${r.id}`)) fail('I1', 'conservation', `region '${r.name}' has no outcome (lost)`, [t.name, r.id]);
  }

  // I3 no overlap of core pieces on one output track.
  for (const t of result.session.tracks) {
    if (REMOVED_LANE.test(t.name) || !result.regions.some((oc) => oc.track === t.name)) continue;
    const rs = [...t.regions].sort((a, b) => a.start - b.start);
    for (let i = 1; i < rs.length; i++) {
      const a = rs[i - 1] as Region;
      const b = rs[i] as Region;
      if (b.start < a.end - tol) fail('I3', 'no-overlap', `'${a.name}' [${a.start}, ${a.end}) and '${b.name}' [${b.start}, ${b.end}) overlap by ${a.end - b.start} samples`, [t.name, a.id, b.id]);
    }
  }

  // I5 length, I13 function: the entries tile [ffoaNew, endNew) in order.
  const es = m.entries;
  if (es.length) {
    if ((es[0] as (typeof es)[number]).new[0] !== m.new.ffoa) fail('I5', 'length', `map starts at new frame ${(es[0] as (typeof es)[number]).new[0]}, ffoa is ${m.new.ffoa}`);
    if ((es[es.length - 1] as (typeof es)[number]).new[1] !== m.new.end) fail('I5', 'length', `map ends at new frame ${(es[es.length - 1] as (typeof es)[number]).new[1]}, end is ${m.new.end}`);
  } else if (m.new.end !== m.new.ffoa) fail('I5', 'length', 'empty map for a non-empty new cut');
  for (let i = 1; i < es.length; i++) {
    const a = es[i - 1] as (typeof es)[number];
    const b = es[i] as (typeof es)[number];
    const reelJump = m.new.reels.some((r, k) => r.end === a.new[1] && m.new.reels[k + 1]?.ffoa === b.new[0]);
    if (b.new[0] < a.new[1]) fail('I13', 'function', `entries ${i - 1} and ${i} both cover new frames [${b.new[0]}, ${a.new[1]})`);
    else if (b.new[0] > a.new[1] && !reelJump) fail('I5', 'length', `new frames [${a.new[1]}, ${b.new[0]}) are covered by no entry`);
    if (a.kind === 'match' && b.kind === 'match' && a.new[1] === b.new[0] && a.delta === b.delta && a.role === b.role && a.secondary === b.secondary) {
      fail('I12', 'canonical-map', `entries ${i - 1} and ${i} should have healed (delta ${a.delta})`);
    }
  }
  for (const e of es) if (e.old && e.old[1] - e.old[0] !== e.new[1] - e.new[0]) fail('I13', 'function', `entry at new ${e.new[0]} maps ${e.new[1] - e.new[0]} frames from ${e.old[1] - e.old[0]}`);
  const tailS = S(m.new.end) - S(m.old.end);
  const oldEndS = S(m.old.end);
  const oldFfoaS = S(m.old.ffoa);
  // (tail and bounds per piece are checked for single-reel cuts; reels have a head and tail each)
  if (m.old.reels.length === 1) for (const oc of result.regions) for (const p of oc.pieces) {
    if (p.role !== 'primary') continue;
    // a piece may span zones after region-level healing; judge each part by its zone
    if (p.oldEnd > oldEndS && m.old.end > m.old.ffoa && p.deltaS !== tailS) {
      fail('I5', 'length', `tail-zone material of '${p.region.name}' moved ${p.deltaS} samples, tail delta is ${tailS}`, [p.track, p.regionId]);
    }
    const a = Math.max(p.oldStart, oldFfoaS) + p.deltaS;
    const b = Math.min(p.oldEnd, oldEndS) + p.deltaS;
    if (b > a && (a < S(m.new.ffoa) - tol || b > S(m.new.end) + tol)) {
      fail('I5', 'length', `piece '${p.region.name}' [${a}, ${b}) lies outside the new cut [${S(m.new.ffoa)}, ${S(m.new.end)})`, [p.track, p.regionId]);
    }
  }
  const guide = result.session.tracks.find((t) => t.name === 'CONFORM GUIDE' && !input.tracks.some((x) => x.name === t.name));
  if (guide) {
    const holes = es.filter((e) => e.kind === 'insert' || e.kind === 'gap').map((e) => [S(e.new[0]), S(e.new[1])] as const);
    for (const g of guide.regions) if (!holes.some(([a, b]) => a <= g.start && g.end <= b)) fail('I13', 'function', `guide fill [${g.start}, ${g.end}) is not inside an insert or gap`, ['CONFORM GUIDE', g.id]);
  }

  // I10 accounting, I11 running total.
  const len = (r: readonly [number, number]): number => r[1] - r[0];
  const sumKind = (k: string, role?: string): number => es.filter((e) => e.kind === k && (role === undefined || e.role === role)).reduce((a, e) => a + len(e.new), 0);
  const newLength = m.new.reels.reduce((a, r) => a + r.end - r.ffoa, 0);
  const oldLength = m.old.reels.reduce((a, r) => a + r.end - r.ffoa, 0);
  if (sumKind('match') + sumKind('bridge') + sumKind('insert') + sumKind('gap') !== newLength) fail('I10', 'accounting', `entries cover ${sumKind('match') + sumKind('bridge') + sumKind('insert') + sumKind('gap')} new frames, the new cut has ${newLength}`);
  const removedFrames = m.rows.filter((r) => r.length < 0 && r.type !== 'MOVE_FROM' && r.type !== 'OLD_GAP').reduce((a, r) => a - r.length, 0);
  const oldGaps = m.rows.filter((r) => r.type === 'OLD_GAP').reduce((a, r) => a - r.length, 0);
  const primaryMatched = sumKind('match', 'primary');
  if (primaryMatched + sumKind('bridge') + removedFrames + oldGaps !== oldLength) {
    fail('I10', 'accounting', `old frames: ${primaryMatched} matched + ${sumKind('bridge')} bridged + ${removedFrames} removed + ${oldGaps} old gaps ≠ ${oldLength}`);
  }
  const rowSum = m.rows.reduce((a, r) => a + r.length, 0);
  if (rowSum !== newLength - oldLength) fail('I10', 'accounting', `rows add up to ${rowSum}, total change is ${newLength - oldLength}`);
  for (const e of es) {
    if (e.kind !== 'match' || !e.backbone) continue;
    // per reel (§5.8): the reel's head delta plus its own rows
    const k = reelIndexOf(m.new.reels, e.new[0]);
    const nr = m.new.reels[k];
    const or = m.old.reels[k];
    const head = nr && or ? nr.ffoa - or.ffoa : m.headDelta;
    const total = head + m.rows.filter((r) => r.anchor <= e.new[0] && reelIndexOf(m.new.reels, r.anchor) === k).reduce((a, r) => a + r.length, 0);
    if (total !== e.delta) fail('I11', 'running-total', `backbone entry at new ${e.new[0]} has delta ${e.delta}, rows up to it add up to ${total}`);
  }

  // I6: an identity map must leave the session as it was.
  const identity = m.headDelta === 0 && m.tailDelta === 0 && es.every((e) => e.kind === 'match' && e.delta === 0 && e.role === 'primary');
  if (identity) {
    if (m.rows.some((r) => r.length !== 0)) fail('I6', 'idempotence', 'identity map with change rows');
    if (result.removed.length) fail('I6', 'idempotence', `identity map removed ${result.removed.length} piece(s)`);
    for (const t of input.tracks) {
      const out = outByTrack.get(t.name);
      for (const r of t.regions) if (!out?.regions.includes(r) && !out?.regions.some((x) => x.id === r.id && x.start === r.start && x.end === r.end && x.fileOffset === r.fileOffset)) {
        fail('I6', 'idempotence', `identity map changed '${r.name}'`, [t.name, r.id]);
      }
    }
  }
  return { ok: violations.length === 0, checked: ['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I10', 'I11', 'I12', 'I13'], violations };
}
