/**
 * Step 1 of the conform (spec/conform.md §2.2, §3): a cut list becomes non-overlapping shots keyed
 * by source identity, with transitions cut in the middle (or at either end, by option).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { warning } from '../diagnostics/diagnostic.js';
import type { ConformOptions, Cut, CutEvent, Hidden, Shot } from './types.js';

/** The spec's defaults (§2.4). */
export const DEFAULT_OPTIONS: ConformOptions = {
  match: 'auto',
  videoTracks: 'all',
  nonUniqueReels: ['AX'],
  vfxVersionPatterns: [],
  bRollRename: true,
  transitionCut: 'centre',
  transitionOverlapMatching: true,
  reuse: 'copy',
  bridgeGaps: true,
  heal: true,
  excludeTracks: [],
  guideTracks: [],
  removedPlacement: 'lanes',
  editPoints: { mode: 'none', lengthFrames: 0 },
  anchors: {},
};

/** Fills every missing option with the spec's default. */
export function resolveOptions(options: Partial<ConformOptions> = {}): ConformOptions {
  return { ...DEFAULT_OPTIONS, ...options };
}

/** True when a reel field names black (`BL`, `BLK`, `BLACK`). */
export function isBlack(reel: string): boolean {
  const r = reel.trim().toUpperCase();
  return r === 'BL' || r === 'BLK' || r === 'BLACK';
}

function isPicture(track: string): boolean {
  const t = track.trim().toUpperCase();
  return t === 'B' || t.includes('V');
}

/** Video layer number of a track field: `V` → 1, `V2` → 2, `B` → 1. */
function layerOf(track: string): number {
  const m = /V(\d+)/i.exec(track);
  return m ? Number(m[1]) : 1;
}

function cleanName(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The raw identity of an event under the `match` option (spec §2.2), before normalisation. */
export function rawKey(e: CutEvent, o: ConformOptions): string {
  const reel = e.reel;
  const clip = e.clipName ?? '';
  const file = e.sourceFile ?? '';
  switch (o.match) {
    case 'reel': return reel;
    case 'clip': return clip !== '' ? clip : reel;
    case 'file': return file !== '' ? file : reel;
    case 'reel+clip': return `${reel}|${clip}`;
    default: {
      const placeholder = o.nonUniqueReels.some((n) => cleanName(n) === cleanName(reel));
      if (!placeholder) return reel;
      return clip !== '' ? clip : file !== '' ? file : reel;
    }
  }
}

/** Normalises a key: whitespace, case, VFX version suffixes (spec §2.2 steps 1–2). */
export function baseKey(raw: string, o: ConformOptions): string {
  let k = cleanName(raw);
  for (const re of o.vfxVersionPatterns) {
    const flags = re.flags.includes('g') ? re.flags : re.flags + 'g';
    k = k.replace(new RegExp(re.source, flags.includes('i') ? flags : flags + 'i'), '');
  }
  return k;
}

interface Work {
  key: string;
  label: string;
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
  speed: number;
  hiddenBefore?: Hidden;
  hiddenAfter?: Hidden;
  transIn?: string;
  nums: string[];
  /** The event number whose zero-length stub this shot stands for (spec §3 step 3). */
  stubFor?: string;
  black: boolean;
}

/**
 * Shots in list order, findable by their current record OUT (stubs and transitions look for the
 * shot that ends where they start; a scan of the whole list for each made long lists with many
 * dissolves quadratic). A shot whose record OUT grows under a transition is indexed again.
 */
class WorkList {
  readonly items: Work[] = [];
  private readonly pos = new Map<Work, number>();
  private readonly byRecOut = new Map<number, Work[]>();

  push(w: Work): void {
    this.pos.set(w, this.items.length);
    this.items.push(w);
    this.reindex(w);
  }

  /** Call after `w.recOut` changed. */
  reindex(w: Work): void {
    const l = this.byRecOut.get(w.recOut);
    if (l) l.push(w);
    else this.byRecOut.set(w.recOut, [w]);
  }

  /** The first (or last) shot in list order that ends at `recOut` and passes `pred`. */
  endingAt(recOut: number, which: 'first' | 'last', pred: (w: Work) => boolean = () => true): Work | undefined {
    let best: Work | undefined;
    let bestPos = 0;
    for (const w of this.byRecOut.get(recOut) ?? []) {
      if (w.recOut !== recOut || !pred(w)) continue;
      const p = this.pos.get(w) as number;
      if (best === undefined || (which === 'first' ? p < bestPos : p > bestPos)) { best = w; bestPos = p; }
    }
    return best;
  }
}

/** Result of {@link normalizeCut}. */
export interface NormalizedCut {
  readonly shots: readonly Shot[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Flattens, keys and normalises a cut into shots sorted by record IN (spec §3). Black (`BL`)
 * events are not shots; zero-length stubs merge into the shot they continue; dissolves and wipes
 * are cut at `floor(L/2)` (`centre`), `0` (`start`) or `L` (`end`), and the material visible only
 * under the transition is kept as `hiddenBefore` / `hiddenAfter`.
 */
export function normalizeCut(cut: Cut, options: Partial<ConformOptions> = {}): NormalizedCut {
  const o = resolveOptions(options);
  const diagnostics: Diagnostic[] = [];
  const nominal = cut.rate.nominalFps;
  const pictures = cut.events.filter((e) => isPicture(e.track) && (o.videoTracks === 'all' || layerOf(e.track) === 1));

  // Validation (§3 step 4): the record length wins.
  const fixed: CutEvent[] = pictures.map((e) => {
    const recLen = e.recOut - e.recIn;
    const v = e.speedFps === undefined ? 1 : e.speedFps / nominal;
    const srcLen = e.srcOut - e.srcIn;
    const expected = recLen * v;
    const mismatch = v === 1 ? srcLen !== recLen : Math.abs(srcLen - expected) >= 1;
    if (!mismatch || isBlack(e.reel)) return e;
    diagnostics.push(warning('conform/src-rec-length-mismatch',
      `event ${e.num} (${e.reel}): source length ${srcLen} frames, record length ${recLen} frames; the record length wins`));
    return { ...e, srcOut: e.srcIn + Math.trunc(expected) };
  });

  // Flatten (§2.1): higher layers win; within a layer a later event records over an earlier one
  // (CMX assembly order; Avid "sources" lists stack layers on one V track this way).
  let flat: CutEvent[] = fixed;
  const layers = new Set(fixed.map((e) => layerOf(e.track)));
  let overlaps = layers.size > 1;
  if (!overlaps) {
    const sorted = fixed.filter((e) => e.recIn < e.recOut && !isBlack(e.reel)).sort((a, b) => a.recIn - b.recIn);
    for (let i = 1; i < sorted.length && !overlaps; i++) overlaps = (sorted[i] as CutEvent).recIn < (sorted[i - 1] as CutEvent).recOut;
  }
  if (overlaps) {
    const order = fixed.map((e, i) => ({ e, i, layer: layerOf(e.track) })).sort((a, b) => b.layer - a.layer || b.i - a.i);
    const covered: [number, number][] = []; // sorted, disjoint
    const kept: { e: CutEvent; i: number }[] = [];
    let hidden = 0;
    for (const { e, i } of order) {
      if (e.recIn === e.recOut) { kept.push({ e, i }); continue; }
      let lo = 0;
      let hi = covered.length;
      while (lo < hi) { const mid = (lo + hi) >>> 1; if ((covered[mid] as [number, number])[1] <= e.recIn) lo = mid + 1; else hi = mid; }
      let cursor = e.recIn;
      let k = lo;
      const visible: [number, number][] = [];
      while (k < covered.length && (covered[k] as [number, number])[0] < e.recOut) {
        const [c0, c1] = covered[k] as [number, number];
        if (c0 > cursor) visible.push([cursor, c0]);
        cursor = Math.max(cursor, c1);
        k++;
      }
      if (cursor < e.recOut) visible.push([cursor, e.recOut]);
      if (visible.length !== 1 || (visible[0] as [number, number])[0] !== e.recIn || (visible[0] as [number, number])[1] !== e.recOut) hidden++;
      // merge [recIn, recOut) into covered[lo..k)
      const m0 = Math.min(e.recIn, lo < covered.length ? (covered[lo] as [number, number])[0] : e.recIn);
      const m1 = Math.max(e.recOut, k > lo ? (covered[k - 1] as [number, number])[1] : e.recOut);
      covered.splice(lo, k - lo, [m0, m1]);
      for (const [a, b] of visible) {
        kept.push({ i, e: a === e.recIn && b === e.recOut ? e : { ...e, recIn: a, recOut: b, srcIn: e.srcIn + (a - e.recIn), srcOut: e.srcIn + (b - e.recIn), trans: a === e.recIn ? e.trans : 'C' } });
      }
    }
    if (hidden > 0) diagnostics.push(warning('conform/record-overlap', `${hidden} picture event(s) are partly or wholly covered by a higher track or a later event; the visible parts were kept`));
    flat = kept.sort((a, b) => a.i - b.i || a.e.recIn - b.e.recIn).map((x) => x.e);
  }

  const raw = flat.map((e) => (isBlack(e.reel) ? '' : baseKey(rawKey(e, o), o)));
  const names = new Set(raw);
  const keys = raw.map((k) => (o.bRollRename && k.endsWith('b') && names.has(k.slice(0, -1)) ? k.slice(0, -1) : k));

  // Step 2 and 3, in list order (a transition's incoming line follows its stub).
  const work = new WorkList();
  const byStub = new Map<string, Work>();
  for (let i = 0; i < flat.length; i++) {
    const e = flat[i] as CutEvent;
    const key = keys[i] as string;
    const black = isBlack(e.reel);
    const speed = e.speedFps === undefined ? 1 : e.speedFps / nominal;
    const isTrans = (e.trans === 'D' || e.trans === 'W') && (e.transLen ?? 0) > 0;
    if (e.recIn === e.recOut && !isTrans) {
      const prev = work.endingAt(e.recIn, 'first', (w) => !w.black && w.key === key && w.srcOut === e.srcIn && w.recIn < w.recOut);
      if (prev) { byStub.set(e.num, prev); prev.nums.push(e.num); continue; }
      const stub: Work = { key, label: e.clipName ?? e.reel, srcIn: e.srcIn, srcOut: e.srcOut, recIn: e.recIn, recOut: e.recOut, speed, nums: [e.num], stubFor: e.num, black };
      work.push(stub);
      byStub.set(e.num, stub);
      continue;
    }
    const E: Work = { key, label: e.clipName ?? e.reel, srcIn: e.srcIn, srcOut: e.srcOut, recIn: e.recIn, recOut: e.recOut, speed, nums: [e.num], black };
    if (isTrans) {
      const L = e.transLen as number;
      E.transIn = `${e.transCode ?? e.trans}${String(L).padStart(3, '0')}`;
      const R = e.recIn;
      const P = byStub.get(e.num) ?? work.endingAt(R, 'last', (w) => w.recIn < w.recOut) ?? work.endingAt(R, 'last');
      if (P === undefined || P.black) {
        // Fade in from black: E keeps its listed record IN.
      } else if (black) {
        P.recOut += L;
        work.reindex(P);
        P.srcOut += P.speed === 1 ? L : Math.trunc(L * P.speed);
      } else {
        const h = o.transitionCut === 'centre' ? Math.floor(L / 2) : o.transitionCut === 'start' ? 0 : L;
        P.recOut += h;
        work.reindex(P);
        P.srcOut += P.speed === 1 ? h : Math.trunc(h * P.speed);
        const eh = E.speed === 1 ? h : Math.trunc(h * E.speed);
        E.recIn = R + h;
        E.srcIn += eh;
        if (L - h > 0) P.hiddenAfter = { recIn: R + h, recOut: R + L, srcIn: P.srcOut };
        if (h > 0) E.hiddenBefore = { recIn: R, recOut: R + h, srcIn: E.srcIn - eh };
      }
    }
    work.push(E);
  }

  const shots = work.items
    .filter((w) => !w.black && w.recOut > w.recIn)
    .sort((a, b) => a.recIn - b.recIn || a.recOut - b.recOut)
    .map((w, id): Shot => ({
      id, key: w.key, label: w.label, srcIn: w.srcIn, srcOut: w.srcOut, recIn: w.recIn, recOut: w.recOut, speed: w.speed,
      ...(w.hiddenBefore ? { hiddenBefore: w.hiddenBefore } : {}),
      ...(w.hiddenAfter ? { hiddenAfter: w.hiddenAfter } : {}),
      ...(w.transIn ? { transIn: w.transIn } : {}),
      eventNums: w.nums,
    }));
  return { shots, diagnostics };
}
