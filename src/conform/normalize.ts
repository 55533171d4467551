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
function rawKey(e: CutEvent, o: ConformOptions): string {
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
function baseKey(raw: string, o: ConformOptions): string {
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

  // Flatten (§2.1): higher layers win, lower layers keep what shows through.
  const layers = [...new Set(fixed.map((e) => layerOf(e.track)))].sort((a, b) => b - a);
  let flat: CutEvent[] = [];
  if (layers.length <= 1) flat = fixed;
  else {
    const covered: [number, number][] = [];
    for (const layer of layers) {
      const own = fixed.filter((e) => layerOf(e.track) === layer);
      for (const e of own) {
        if (e.recIn === e.recOut) { flat.push(e); continue; }
        let pieces: [number, number][] = [[e.recIn, e.recOut]];
        for (const [c0, c1] of covered) {
          const next: [number, number][] = [];
          for (const [a, b] of pieces) {
            if (c1 <= a || c0 >= b) next.push([a, b]);
            else {
              if (a < c0) next.push([a, c0]);
              if (c1 < b) next.push([c1, b]);
            }
          }
          pieces = next;
        }
        for (const [a, b] of pieces) {
          flat.push({ ...e, recIn: a, recOut: b, srcIn: e.srcIn + (a - e.recIn), srcOut: e.srcIn + (b - e.recIn), trans: a === e.recIn ? e.trans : 'C' });
        }
      }
      for (const e of own) if (e.recIn < e.recOut) covered.push([e.recIn, e.recOut]);
    }
  }

  const raw = flat.map((e) => (isBlack(e.reel) ? '' : baseKey(rawKey(e, o), o)));
  const names = new Set(raw);
  const keys = raw.map((k) => (o.bRollRename && k.endsWith('b') && names.has(k.slice(0, -1)) ? k.slice(0, -1) : k));

  // Step 2 and 3, in list order (a transition's incoming line follows its stub).
  const work: Work[] = [];
  const byStub = new Map<string, Work>();
  for (let i = 0; i < flat.length; i++) {
    const e = flat[i] as CutEvent;
    const key = keys[i] as string;
    const black = isBlack(e.reel);
    const speed = e.speedFps === undefined ? 1 : e.speedFps / nominal;
    const isTrans = (e.trans === 'D' || e.trans === 'W') && (e.transLen ?? 0) > 0;
    if (e.recIn === e.recOut && !isTrans) {
      const prev = work.find((w) => !w.black && w.recOut === e.recIn && w.key === key && w.srcOut === e.srcIn && w.recIn < w.recOut);
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
      const P = byStub.get(e.num) ?? [...work].reverse().find((w) => w.recOut === R && w.recIn < w.recOut) ?? [...work].reverse().find((w) => w.recOut === R);
      if (P === undefined || P.black) {
        // Fade in from black: E keeps its listed record IN.
      } else if (black) {
        P.recOut += L;
        P.srcOut += P.speed === 1 ? L : Math.trunc(L * P.speed);
      } else {
        const h = o.transitionCut === 'centre' ? Math.floor(L / 2) : o.transitionCut === 'start' ? 0 : L;
        P.recOut += h;
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

  const shots = work
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
