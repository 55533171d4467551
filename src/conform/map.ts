/**
 * Step 2 of the conform (spec/conform.md §4, §6.1): match new shots to old shots by source
 * ranges, resolve each new frame to at most one old frame, heal, choose the order-preserving
 * backbone, assign primary/copy roles, bridge old black gaps, and derive the change rows.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error, warning } from '../diagnostics/diagnostic.js';
import type { ParseResult } from '../diagnostics/result.js';
import { fail, ok } from '../diagnostics/result.js';
import { audioOnlyChanges } from './audio-only.js';
import { normalizeCut, resolveOptions } from './normalize.js';
import type { ChangeRow, ConformMap, ConformOptions, Cut, CutSummary, EntryPart, Frame, MapEntry, ReelSummary, RowType, Shot } from './types.js';

interface Candidate {
  readonly new0: Frame;
  readonly new1: Frame;
  readonly delta: number;
  readonly secondary: boolean;
  readonly oldShot: number;
}

interface MutEntry {
  kind: MapEntry['kind'];
  new: [Frame, Frame];
  old?: [Frame, Frame];
  delta?: number;
  role?: 'primary' | 'copy';
  backbone?: boolean;
  secondary?: boolean;
  parts: EntryPart[];
}

function span(shots: readonly Shot[], ffoa: Frame | undefined): { ffoa: Frame; end: Frame } {
  let first = Infinity;
  let end = -Infinity;
  for (const s of shots) {
    if (s.recIn < first) first = s.recIn;
    if (s.recOut > end) end = s.recOut;
  }
  const f = ffoa ?? (shots.length ? first : 0);
  return { ffoa: f, end: shots.length ? end : f };
}

function summary(cut: Cut, shots: readonly Shot[], ffoa: Frame | undefined, o: ConformOptions): CutSummary {
  const whole = span(shots, ffoa ?? cut.ffoa);
  let reels: ReelSummary[];
  if (cut.reels?.length) {
    // each reel normalised on its own for its anchors (spec §5.8)
    reels = cut.reels.map((r, k) => {
      const sp = span(normalizeCut({ ...cut, events: r.events, reels: [] }, o).shots, k === 0 ? ffoa ?? r.ffoa ?? cut.ffoa : r.ffoa);
      return { name: r.name, ...sp, ...(r.pictureStart !== undefined ? { pictureStart: r.pictureStart } : k === 0 && cut.pictureStart !== undefined ? { pictureStart: cut.pictureStart } : {}) };
    });
  } else reels = [{ name: cut.name, ...whole, ...(cut.pictureStart !== undefined ? { pictureStart: cut.pictureStart } : {}) }];
  const first = reels[0] as ReelSummary;
  const last = reels[reels.length - 1] as ReelSummary;
  const pictureStart = cut.pictureStart ?? first.pictureStart;
  return { name: cut.name, ffoa: first.ffoa, end: last.end, ...(pictureStart !== undefined ? { pictureStart } : {}), shots, reels };
}

/** Index of the reel a frame belongs to: the last reel whose leader (picture start, else ffoa) begins at or before it. */
export function reelIndexOf(reels: readonly ReelSummary[], f: Frame): number {
  let k = 0;
  for (let i = 1; i < reels.length; i++) {
    const r = reels[i] as ReelSummary;
    if ((r.pictureStart ?? r.ffoa) <= f) k = i;
  }
  return k;
}

/** A cut's events, all reels flattened in record order (reels sit at different record hours). */
function flatCut(cut: Cut): Cut {
  return cut.reels?.length ? { ...cut, events: [...cut.events, ...cut.reels.flatMap((r) => r.events)] } : cut;
}

/** Index of the first element of a sorted array for which `pred` is false (binary search). */
export function partition<T>(a: readonly T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(a[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Backbone (spec §4.5): the maximum-weight chain of entries in new order whose old ranges are
 * ordered and disjoint. The spec's DP `best[i] = w[i] + max{best[j] : j < i, old1[j] ≤ old0[i]}`
 * (smallest j on ties) run with a Fenwick tree of prefix maxima over old ends: O(k log k).
 */
function backbone(entries: readonly MutEntry[]): Set<number> {
  const k = entries.length;
  const ends = [...new Set(entries.map((e) => (e.old as [number, number])[1]))].sort((a, b) => a - b);
  const treeBest = new Array<number>(ends.length + 1).fill(-1);
  const treeIdx = new Array<number>(ends.length + 1).fill(-1);
  const better = (b1: number, i1: number, b2: number, i2: number): boolean => b1 > b2 || (b1 === b2 && i1 !== -1 && (i2 === -1 || i1 < i2));
  const best = new Array<number>(k);
  const prev = new Array<number>(k);
  for (let i = 0; i < k; i++) {
    const e = entries[i] as MutEntry;
    const [o0, o1] = e.old as [number, number];
    // prefix query over ends ≤ o0
    let q = partition(ends, (x) => x <= o0);
    let qb = 0;
    let qi = -1;
    while (q > 0) {
      if (treeIdx[q] !== -1 && better(treeBest[q] as number, treeIdx[q] as number, qb, qi)) { qb = treeBest[q] as number; qi = treeIdx[q] as number; }
      q -= q & -q;
    }
    best[i] = o1 - o0 + qb;
    prev[i] = qi;
    let u = partition(ends, (x) => x < o1) + 1;
    while (u <= ends.length) {
      if (better(best[i] as number, i, treeBest[u] as number, treeIdx[u] as number)) { treeBest[u] = best[i] as number; treeIdx[u] = i; }
      u += u & -u;
    }
  }
  let end = -1;
  for (let i = 0; i < k; i++) if (end === -1 || (best[i] as number) > (best[end] as number)) end = i;
  const chain = new Set<number>();
  for (let i = end; i !== -1; i = prev[i] as number) chain.add(i);
  return chain;
}

function sameKeyShots(shots: readonly Shot[]): Map<string, Shot[]> {
  const m = new Map<string, Shot[]>();
  for (const s of shots) {
    const l = m.get(s.key);
    if (l) l.push(s);
    else m.set(s.key, [s]);
  }
  return m;
}

/**
 * Builds the conform map from an old cut to a new cut (spec §4) and its change rows (§6.1).
 * Fails with `conform/rate-mismatch` when the cuts do not share a nominal rate (§1.2) and with
 * `conform/map-invariant` when a §4.7 check fails (a bug, reported rather than thrown).
 */
export function buildConformMap(oldCut: Cut, newCut: Cut, options: Partial<ConformOptions> = {}): ParseResult<ConformMap> {
  const o = resolveOptions(options);
  if (oldCut.rate.nominalFps !== newCut.rate.nominalFps) {
    return fail(error('conform/rate-mismatch', `old cut is ${oldCut.rate.nominalFps} fps nominal, new cut ${newCut.rate.nominalFps} fps: that is a speed change, not a conform`));
  }
  const diagnostics: Diagnostic[] = [];
  if ((oldCut.reels?.length ?? 1) !== (newCut.reels?.length ?? 1)) {
    return fail(error('conform/reel-count', `old cut has ${oldCut.reels?.length ?? 1} reel(s), new cut ${newCut.reels?.length ?? 1}: reels are paired by position`));
  }
  const on = normalizeCut(flatCut(oldCut), o);
  const nn = normalizeCut(flatCut(newCut), o);
  diagnostics.push(...on.diagnostics.map((d) => ({ ...d, message: `old cut: ${d.message}` })), ...nn.diagnostics.map((d) => ({ ...d, message: `new cut: ${d.message}` })));
  const oldS = summary(oldCut, on.shots, o.anchors.ffoaOld, o);
  const newS = summary(newCut, nn.shots, o.anchors.ffoaNew, o);
  const multi = oldS.reels.length > 1;
  const headDeltas = oldS.reels.map((r, k) => (newS.reels[k] as ReelSummary).ffoa - r.ffoa);
  const oldShots = on.shots;
  const newShots = nn.shots;
  const oldByKey = sameKeyShots(oldShots);
  const speedChanged = new Set<number>();

  // §4.2–§4.3: candidates and frame-by-frame resolution, new shot by new shot.
  let entries: MutEntry[] = [];
  let prevEnd = Number.NaN;
  let prevDelta: number | undefined;
  for (const n of newShots) {
    const cands: Candidate[] = [];
    const seconds: Candidate[] = [];
    for (const os of oldByKey.get(n.key) ?? []) {
      if (n.speed !== 1 || os.speed !== 1) {
        if (n.speed === os.speed && n.srcIn === os.srcIn && n.srcOut === os.srcOut) {
          cands.push({ new0: n.recIn, new1: n.recOut, delta: n.recIn - os.recIn, secondary: false, oldShot: os.id });
        } else speedChanged.add(n.id);
        continue;
      }
      const s0 = Math.max(os.srcIn, n.srcIn);
      const s1 = Math.min(os.srcOut, n.srcOut);
      if (s1 > s0) {
        const new0 = n.recIn + (s0 - n.srcIn);
        cands.push({ new0, new1: n.recIn + (s1 - n.srcIn), delta: new0 - (os.recIn + (s0 - os.srcIn)), secondary: false, oldShot: os.id });
      }
      if (o.transitionOverlapMatching) {
        for (const h of [os.hiddenBefore, os.hiddenAfter]) {
          if (!h) continue;
          const h0 = Math.max(h.srcIn, n.srcIn);
          const h1 = Math.min(h.srcIn + (h.recOut - h.recIn), n.srcOut);
          if (h1 > h0) {
            const new0 = n.recIn + (h0 - n.srcIn);
            seconds.push({ new0, new1: n.recIn + (h1 - n.srcIn), delta: new0 - (h.recIn + (h0 - h.srcIn)), secondary: true, oldShot: os.id });
          }
        }
      }
    }
    const cuts = new Set<number>([n.recIn, n.recOut]);
    for (const c of cands) { cuts.add(c.new0); cuts.add(c.new1); }
    for (const c of seconds) { cuts.add(c.new0); cuts.add(c.new1); }
    const bounds = [...cuts].filter((x) => x >= n.recIn && x <= n.recOut).sort((a, b) => a - b);
    for (let i = 0; i + 1 < bounds.length; i++) {
      const a = bounds[i] as number;
      const b = bounds[i + 1] as number;
      const src: [Frame, Frame] = [n.srcIn + (a - n.recIn), n.srcIn + (b - n.recIn)];
      let covering = cands.filter((c) => c.new0 <= a && c.new1 >= b);
      if (covering.length === 0) covering = seconds.filter((c) => c.new0 <= a && c.new1 >= b);
      if (covering.length === 0) {
        entries.push({ kind: 'insert', new: [a, b], parts: [{ key: n.key, newShot: n.id, new: [a, b], src }] });
        prevDelta = undefined;
        prevEnd = b;
        continue;
      }
      const continuity = prevEnd === a ? prevDelta : undefined;
      let win = covering[0] as Candidate;
      for (const c of covering.slice(1)) {
        const wc = win.delta === continuity;
        const cc = c.delta === continuity;
        if (cc !== wc) { if (cc) win = c; continue; }
        const dw = Math.abs(win.delta);
        const dc = Math.abs(c.delta);
        if (dc !== dw) { if (dc < dw) win = c; continue; }
        if (a - c.delta < a - win.delta) win = c;
      }
      entries.push({
        kind: 'match', new: [a, b], old: [a - win.delta, b - win.delta], delta: win.delta, secondary: win.secondary,
        parts: [{ key: n.key, newShot: n.id, oldShot: win.oldShot, new: [a, b], src }],
      });
      prevDelta = win.delta;
      prevEnd = b;
    }
  }

  // §4.4 healing.
  const heal = (list: MutEntry[]): MutEntry[] => {
    if (!o.heal) return list;
    const out: MutEntry[] = [];
    for (const e of list) {
      const last = out[out.length - 1];
      if (last && last.new[1] === e.new[0] && last.kind === e.kind &&
        ((e.kind === 'match' && last.delta === e.delta && last.secondary === e.secondary && last.role === e.role && last.backbone === e.backbone) || e.kind === 'insert')) {
        last.new = [last.new[0], e.new[1]];
        if (last.old && e.old) last.old = [last.old[0], e.old[1]];
        last.parts.push(...e.parts);
      } else out.push({ ...e, parts: [...e.parts] });
    }
    return out;
  };
  entries = heal(entries);

  // §4.5 backbone and roles.
  const matches = entries.filter((e) => e.kind === 'match');
  // Material that changes reels is always a move (§5.8): it cannot belong to either reel's backbone.
  const sameReel = (e: MutEntry): boolean => !multi || reelIndexOf(oldS.reels, (e.old as number[])[0] as number) === reelIndexOf(newS.reels, e.new[0]);
  const eligible = matches.filter(sameReel);
  const chain = backbone(eligible);
  const inChain = new Set(eligible.filter((_, i) => chain.has(i)));
  matches.forEach((e) => { e.backbone = inChain.has(e); });
  const bb = matches.filter((e) => e.backbone).sort((a, b) => (a.old as number[])[0] as number - ((b.old as number[])[0] as number));
  const others = matches.filter((e) => !e.backbone);
  const othersByOld = [...others].sort((a, b) => ((a.old as number[])[0] as number) - ((b.old as number[])[0] as number));
  const othersMaxLen = others.reduce((mx, x) => Math.max(mx, ((x.old as number[])[1] as number) - ((x.old as number[])[0] as number)), 0);
  const split: MutEntry[] = [];
  for (const e of entries) {
    if (e.kind !== 'match') { split.push(e); continue; }
    if (e.backbone) { e.role = 'primary'; split.push(e); continue; }
    const [o0, o1] = e.old as [number, number];
    const cutSet = new Set<number>([o0, o1]);
    const near: MutEntry[] = [];
    for (let j = partition(bb, (b) => (b.old as number[])[1] as number <= o0); j < bb.length && ((bb[j] as MutEntry).old as number[])[0] as number < o1; j++) near.push(bb[j] as MutEntry);
    const overlapping: MutEntry[] = [];
    for (let j = partition(othersByOld, (x) => (x.old as number[])[0] as number < o0 - othersMaxLen); j < othersByOld.length; j++) {
      const x = othersByOld[j] as MutEntry;
      const [x0, x1] = x.old as [number, number];
      if (x0 >= o1) break;
      if (x1 > o0) { near.push(x); overlapping.push(x); }
    }
    for (const x of near) {
      const [x0, x1] = x.old as [number, number];
      if (x0 > o0) cutSet.add(x0);
      if (x1 < o1) cutSet.add(x1);
    }
    const bounds = [...cutSet].sort((a, b) => a - b);
    const roles: { from: number; to: number; role: 'primary' | 'copy' }[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const x = bounds[i] as number;
      const y = bounds[i + 1] as number;
      const j = partition(bb, (b) => (b.old as number[])[1] as number <= x);
      const inBackbone = j < bb.length && ((bb[j] as MutEntry).old as number[])[0] as number <= x;
      let role: 'primary' | 'copy' = 'copy';
      if (!inBackbone) {
        let owner = e;
        for (const c of overlapping) {
          const [c0, c1] = c.old as [number, number];
          if (c0 > x || c1 < y) continue;
          const dc = Math.abs(c.delta as number);
          const dw = Math.abs(owner.delta as number);
          if (dc < dw || (dc === dw && c.new[0] < owner.new[0])) owner = c;
        }
        role = owner === e ? 'primary' : 'copy';
      }
      const last = roles[roles.length - 1];
      if (last && last.role === role) last.to = y;
      else roles.push({ from: x, to: y, role });
    }
    for (const r of roles) {
      const d = e.delta as number;
      const n0 = r.from + d;
      const n1 = r.to + d;
      const parts = e.parts.filter((p) => p.new[1] > n0 && p.new[0] < n1).map((p) => {
        const a = Math.max(p.new[0], n0);
        const b = Math.min(p.new[1], n1);
        return { ...p, new: [a, b] as const, src: [p.src[0] + (a - p.new[0]), p.src[0] + (b - p.new[0])] as const };
      });
      if (r.role === 'copy' && o.reuse === 'primaryOnly') {
        split.push({ kind: 'insert', new: [n0, n1], parts: parts.map(({ oldShot: _o, ...p }) => p) });
      } else {
        split.push({ kind: 'match', new: [n0, n1], old: [r.from, r.to], delta: d, secondary: e.secondary ?? false, role: r.role, backbone: false, parts });
      }
    }
  }
  entries = heal(split);

  const headDelta = newS.ffoa - oldS.ffoa;
  const tailDelta = newS.end - oldS.end;

  // §4.6 old interior gaps → bridges or OLD_GAP removals (per reel: the space between reels is no gap).
  const oldCovered = mergeRanges(oldShots.map((s) => [s.recIn, s.recOut] as [number, number]));
  const oldGaps: [number, number][] = [];
  for (const reel of oldS.reels) {
    let cursor = reel.ffoa;
    for (const [a, b] of oldCovered) {
      if (b <= cursor) continue;
      if (a >= reel.end) break;
      if (a > cursor) oldGaps.push([cursor, Math.min(a, reel.end)]);
      cursor = Math.max(cursor, b);
    }
  }
  const byNew = [...entries].sort((a, b) => a.new[0] - b.new[0]);
  const bridges: MutEntry[] = [];
  const unbridged: [number, number][] = [];
  const backboneAt = (f: Frame): number | undefined => {
    const k = reelIndexOf(oldS.reels, f);
    if (f < (oldS.reels[k] as ReelSummary).ffoa) return headDeltas[k];
    const j = partition(bb, (b) => (b.old as number[])[1] as number <= f);
    const b = bb[j];
    return b && ((b.old as number[])[0] as number) <= f ? (b.delta as number) : undefined;
  };
  const newFree = (a: number, b: number): boolean => {
    if (!newS.reels.some((r) => r.ffoa <= a && b <= r.end)) return false;
    const j = partition(byNew, (e) => e.new[1] <= a);
    const e = byNew[j];
    if (e && e.new[0] < b) return false;
    return !bridges.some((x) => x.new[1] > a && x.new[0] < b);
  };
  for (const [g0, g1] of oldGaps) {
    let done = false;
    if (o.bridgeGaps) {
      for (const d of [backboneAt(g0 - 1), backboneAt(g1)]) {
        if (d === undefined) continue;
        if (newFree(g0 + d, g1 + d)) {
          bridges.push({ kind: 'bridge', new: [g0 + d, g1 + d], old: [g0, g1], delta: d, parts: [] });
          done = true;
          break;
        }
      }
    }
    if (!done) unbridged.push([g0, g1]);
  }
  entries = [...entries, ...bridges].sort((a, b) => a.new[0] - b.new[0]);
  // New gaps (inside each new reel).
  const withGaps: MutEntry[] = [];
  let ei = 0;
  for (const reel of newS.reels) {
    let cursor = reel.ffoa;
    for (; ei < entries.length && (entries[ei] as MutEntry).new[0] < reel.end; ei++) {
      const e = entries[ei] as MutEntry;
      if (e.new[0] > cursor) withGaps.push({ kind: 'gap', new: [cursor, e.new[0]], parts: [] });
      withGaps.push(e);
      cursor = Math.max(cursor, e.new[1]);
    }
    if (cursor < reel.end) withGaps.push({ kind: 'gap', new: [cursor, reel.end], parts: [] });
  }
  for (; ei < entries.length; ei++) withGaps.push(entries[ei] as MutEntry);
  entries = withGaps;

  // §4.7 checks.
  for (let i = 1; i < entries.length; i++) {
    const prev = entries[i - 1] as MutEntry;
    const cur = entries[i] as MutEntry;
    const reelJump = multi && newS.reels.some((r, k) => r.end === prev.new[1] && newS.reels[k + 1]?.ffoa === cur.new[0]);
    if (prev.new[1] !== cur.new[0] && !reelJump) {
      return fail(error('conform/map-invariant', `map entries do not tile the new cut at frame ${(entries[i] as MutEntry).new[0]}`));
    }
  }

  const audio: RowDraft[] = audioOnlyChanges(oldCut, newCut, entries as readonly MapEntry[], o)
    .map((f) => ({ type: 'AUDIO_ONLY_CHANGE', key: f.key, anchor: f.anchor, length: 0, detail: f.detail }));
  if (multi) {
    for (const e of entries) {
      if (e.kind !== 'match' || e.role === 'copy' || !e.old) continue;
      const a = reelIndexOf(oldS.reels, e.old[0]);
      const b = reelIndexOf(newS.reels, e.new[0]);
      if (a === b) continue;
      const p = e.parts[0];
      const key = p?.newShot !== undefined ? (newShots[p.newShot] as Shot).label : p?.key ?? '';
      audio.push({ type: 'REEL_MOVE', key, anchor: e.new[0], length: 0, old: [e.old[0], e.old[1]], new: [e.new[0], e.new[1]], detail: `reel ${(oldS.reels[a] as ReelSummary).name} -> reel ${(newS.reels[b] as ReelSummary).name}` });
    }
  }
  const rows = buildRows(entries, oldShots, newShots, oldS, newS, headDeltas, unbridged, speedChanged, o, audio);
  const rowKeys = new Set(rows.map((r) => r.key));
  const shifted: { key: string; delta: number }[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.kind !== 'match' || !e.backbone || e.delta === 0) continue;
    for (const p of e.parts) {
      const label = (newShots[p.newShot as number] as Shot).label;
      const id = `${label}\u0000${e.delta}`;
      if (rowKeys.has(label) || seen.has(id)) continue;
      seen.add(id);
      shifted.push({ key: label, delta: e.delta as number });
    }
  }
  if (speedChanged.size) diagnostics.push(warning('conform/speed-changed', `${speedChanged.size} shot(s) changed speed: their audio needs manual review`));

  const frozen: MapEntry[] = entries.map((e) => ({
    kind: e.kind, new: [e.new[0], e.new[1]],
    ...(e.old ? { old: [e.old[0], e.old[1]] as const } : {}),
    ...(e.delta !== undefined ? { delta: e.delta } : {}),
    ...(e.kind === 'match' ? { role: e.role ?? 'primary', backbone: e.backbone ?? false, secondary: e.secondary ?? false } : {}),
    parts: e.parts,
  }));
  return ok({ rate: newCut.rate, old: oldS, new: newS, entries: frozen, headDelta, tailDelta, rows, shifted, diagnostics }, diagnostics);
}

/** Sorted union of ranges. */
export function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const s = [...ranges].filter((r) => r[1] > r[0]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

interface RowDraft {
  type: RowType;
  key: string;
  anchor: Frame;
  length: number;
  old?: readonly [Frame, Frame];
  new?: readonly [Frame, Frame];
  moveId?: number;
  detail?: string;
}

function buildRows(
  entries: readonly MutEntry[], oldShots: readonly Shot[], newShots: readonly Shot[], oldS: CutSummary, newS: CutSummary,
  headDeltas: readonly number[], unbridged: readonly [number, number][], speedChanged: ReadonlySet<number>, o: ConformOptions,
  extra: readonly RowDraft[] = [],
): ChangeRow[] {
  const drafts: RowDraft[] = [...extra];
  const bb = entries.filter((e) => e.kind === 'match' && e.backbone).sort((a, b) => (a.old as number[])[1] as number - ((b.old as number[])[1] as number));
  const bridges = entries.filter((e) => e.kind === 'bridge');
  // §6.1 item 7: the new end of the backbone entry (or head zone) with the greatest old end ≤ f.
  const anchorFor = (f: Frame): Frame => {
    const j = partition(bb, (b) => (b.old as number[])[1] as number <= f) - 1;
    const k = reelIndexOf(oldS.reels, f);
    const reel = oldS.reels[k] as ReelSummary;
    let oldEnd: number;
    let delta: number;
    // with reels, only the entries of f's own reel count; the reel's head zone starts it
    if (j >= 0 && (oldS.reels.length === 1 || ((bb[j] as MutEntry).old as number[])[1] as number > reel.ffoa)) {
      const b = bb[j] as MutEntry; oldEnd = (b.old as number[])[1] as number; delta = b.delta as number;
    } else if (reel.ffoa <= f) { oldEnd = reel.ffoa; delta = headDeltas[k] as number; }
    else return (newS.reels[k] as ReelSummary).ffoa;
    for (;;) {
      const br = bridges.find((x) => (x.old as number[])[0] === oldEnd && x.delta === delta && ((x.old as number[])[1] as number) <= f);
      if (!br) break;
      oldEnd = (br.old as number[])[1] as number;
    }
    return oldEnd + delta;
  };
  const primaryOld = mergeRanges(entries.filter((e) => e.kind === 'match' && e.role !== 'copy').map((e) => e.old as [number, number]));
  for (const s of oldShots) {
    let cursor = s.recIn;
    const runs: [number, number][] = [];
    let j = partition(primaryOld, (r) => r[1] <= s.recIn);
    while (cursor < s.recOut) {
      const r = primaryOld[j];
      if (!r || r[0] >= s.recOut) { runs.push([cursor, s.recOut]); break; }
      if (r[0] > cursor) runs.push([cursor, r[0]]);
      cursor = Math.max(cursor, r[1]);
      j++;
    }
    for (const [a, b] of runs) {
      const type: RowType = a === s.recIn && b === s.recOut ? 'DELETE' : a === s.recIn ? 'TRIM_HEAD' : b === s.recOut ? 'TRIM_TAIL' : 'REMOVE_PART';
      drafts.push({ type, key: s.label, anchor: anchorFor(a), length: -(b - a), old: [a, b] });
    }
  }
  for (const [a, b] of unbridged) drafts.push({ type: 'OLD_GAP', key: 'BL', anchor: anchorFor(a), length: -(b - a), old: [a, b] });
  const parts: { kind: MapEntry['kind']; part: EntryPart }[] = [];
  for (const e of entries) for (const p of e.parts) parts.push({ kind: e.kind, part: p });
  let moveId = 0;
  for (const e of entries) {
    const label = (p: EntryPart | undefined): string => (p?.newShot !== undefined ? (newShots[p.newShot] as Shot).label : 'BL');
    const len = e.new[1] - e.new[0];
    if (e.kind === 'match' && e.role === 'primary' && !e.backbone) {
      moveId++;
      drafts.push({ type: 'MOVE_FROM', key: label(e.parts[0]), anchor: anchorFor((e.old as number[])[0] as number), length: -len, old: e.old as [number, number], moveId });
      drafts.push({ type: 'MOVE_TO', key: label(e.parts[0]), anchor: e.new[0], length: len, old: e.old as [number, number], new: e.new, moveId });
    } else if (e.kind === 'match' && e.role === 'copy') {
      drafts.push({ type: 'COPY', key: label(e.parts[0]), anchor: e.new[0], length: len, old: e.old as [number, number], new: e.new });
    } else if (e.kind === 'gap') {
      drafts.push({ type: 'GAP_OPEN', key: 'BL', anchor: e.new[0], length: len, new: e.new });
    }
    if (e.kind === 'match' && e.secondary) drafts.push({ type: 'TRANSITION_REALIGNED', key: label(e.parts[0]), anchor: e.new[0], length: 0 });
  }
  for (let i = 0; i < parts.length; i++) {
    const { kind, part } = parts[i] as { kind: MapEntry['kind']; part: EntryPart };
    if (kind !== 'insert') continue;
    const next = parts[i + 1];
    const prev = parts[i - 1];
    let type: RowType = 'INSERT';
    if (next && next.kind === 'match' && next.part.key === part.key && next.part.new[0] === part.new[1] && next.part.src[0] === part.src[1]) type = 'EXTEND_HEAD';
    else if (prev && prev.kind === 'match' && prev.part.key === part.key && prev.part.new[1] === part.new[0] && prev.part.src[1] === part.src[0]) type = 'EXTEND_TAIL';
    const label = part.newShot !== undefined ? (newShots[part.newShot] as Shot).label : part.key;
    drafts.push({ type, key: label, anchor: part.new[0], length: part.new[1] - part.new[0], new: part.new });
  }
  // Informational rows.
  const oldByKey = sameKeyShots(oldShots);
  for (const n of newShots) {
    const same = (oldByKey.get(n.key) ?? []).find((x) => x.srcIn === n.srcIn);
    if (same && same.transIn !== n.transIn) {
      drafts.push({ type: 'TRANSITION_CHANGED', key: n.label, anchor: n.recIn, length: 0, detail: `${same.transIn ?? 'C'} -> ${n.transIn ?? 'C'}` });
    }
    if (speedChanged.has(n.id)) drafts.push({ type: 'SPEED_CHANGED', key: n.label, anchor: n.recIn, length: 0 });
  }
  if (o.vfxVersionPatterns.length) {
    const flagged = new Set<number>();
    for (const e of entries) for (const p of e.parts) {
      if (p.oldShot === undefined || p.newShot === undefined || flagged.has(p.newShot)) continue;
      const a = (oldShots[p.oldShot] as Shot).label;
      const b = (newShots[p.newShot] as Shot).label;
      if (a.trim().toLowerCase() !== b.trim().toLowerCase()) {
        flagged.add(p.newShot);
        drafts.push({ type: 'VFX_VERSION_CHANGED', key: b, anchor: (newShots[p.newShot] as Shot).recIn, length: 0, detail: `${a} -> ${b}` });
      }
    }
  }
  const sign = (n: number): number => (n < 0 ? 0 : n > 0 ? 1 : 2);
  drafts.sort((a, b) => a.anchor - b.anchor || sign(a.length) - sign(b.length) ||
    (a.old?.[0] ?? Infinity) - (b.old?.[0] ?? Infinity) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // §6.1 item 9: grouping.
  const groups = new Map<number, RowDraft[]>();
  for (const d of drafts) { const g = groups.get(d.anchor); if (g) g.push(d); else groups.set(d.anchor, [d]); }
  const groupOf = new Map<RowDraft, ChangeRow['group']>();
  for (const g of groups.values()) {
    const removals = g.filter((d) => ['TRIM_HEAD', 'TRIM_TAIL', 'DELETE', 'REMOVE_PART'].includes(d.type));
    const inserts = g.filter((d) => d.type === 'INSERT');
    const gaps = g.filter((d) => d.type === 'GAP_OPEN');
    if (removals.length && inserts.length) for (const d of [...removals, ...inserts]) groupOf.set(d, 'REPLACE');
    else if (removals.length && gaps.length && removals.reduce((s, d) => s + d.length, 0) === -gaps.reduce((s, d) => s + d.length, 0)) {
      for (const d of [...removals, ...gaps]) groupOf.set(d, 'LIFT');
    }
    for (const t of g.filter((d) => d.type === 'TRIM_HEAD' || d.type === 'TRIM_TAIL')) {
      const other = g.find((d) => d.key === t.key && d.length === -t.length && (t.type === 'TRIM_HEAD' ? d.type === 'EXTEND_TAIL' : d.type === 'EXTEND_HEAD'));
      if (other) { groupOf.set(t, 'SLIP'); groupOf.set(other, 'SLIP'); }
    }
  }
  // running totals restart at each new reel with its own head delta (I11 per reel)
  let reelK = 0;
  let total = headDeltas[0] as number;
  return drafts.map((d, i): ChangeRow => {
    const k = reelIndexOf(newS.reels, d.anchor);
    if (k !== reelK) { reelK = k; total = headDeltas[k] as number; }
    total += d.length;
    const group = groupOf.get(d);
    return {
      id: i + 1, type: d.type, key: d.key, anchor: d.anchor, length: d.length,
      ...(d.old ? { old: d.old } : {}), ...(d.new ? { new: d.new } : {}),
      runningTotal: total,
      ...(group ? { group } : {}), ...(d.moveId !== undefined ? { moveId: d.moveId } : {}), ...(d.detail ? { detail: d.detail } : {}),
    };
  });
}
