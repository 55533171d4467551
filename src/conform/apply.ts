/**
 * Step 3 of the conform (spec/conform.md §5): the map applied to every region of every conformed
 * track in samples. Nothing is lost: material whose picture went away becomes removed pieces,
 * listed in the result and placed on muted `(conform removed)` lanes.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ParseResult } from '../diagnostics/result.js';
import { fail, ok } from '../diagnostics/result.js';
import type { FrameRate } from '../time/frame-rate.js';
import { buildConformMap, partition } from './map.js';
import { simplifyCurve, sliceCurve } from './automation.js';
import { resolveOptions } from './normalize.js';
import type {
  AutomationLane, AutomationPoint, ChangeRow, Crossfade, ConformMap, MapEntry, ConformOptions, ConformResult, ConformWarning, Cut, Frame, Piece, Region,
  RegionOutcome, RemovalReason, RemovedPiece, Session, Track, Treatment,
} from './types.js';

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/**
 * Session sample of frame `f` (spec §1.4): `floor((2(f − f0)·sr·den + num) / (2·num))`, i.e. the
 * exact time rounded half up, in bigint so no step can lose precision.
 */
export function frameToSample(f: Frame, f0: Frame, sampleRate: number, rate: FrameRate): number {
  const num = rate.rate.num;
  const den = rate.rate.den;
  return Number(floorDiv(2n * BigInt(f - f0) * BigInt(sampleRate) * den + num, 2n * num));
}

/** Edit-treatment length `L` in samples (spec §5.4), rounded half up. */
function framesToSamplesLength(frames: number, sampleRate: number, rate: FrameRate): number {
  return frameToSample(frames, 0, sampleRate, rate);
}

interface Zone {
  readonly o0: number;
  readonly o1: number;
  readonly deltaS: number;
  readonly role: 'primary' | 'copy';
  readonly entryIndex: number;
}

interface Removal {
  readonly s0: number;
  readonly s1: number;
  readonly anchorS: number;
  readonly row: ChangeRow;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
  return re.test(name);
}

const REMOVED_LANE = /\(conform removed\) \d+$/;

/**
 * Intersections of one region with a list of zones in old order, healed as they are added
 * (§5.2 step 3: contiguous and with the same delta). One instance is reused for every region, so
 * the per-region work allocates only the output.
 */
class Spans {
  readonly z: Zone[] = [];
  readonly x: number[] = [];
  readonly y: number[] = [];
  n = 0;

  /** Adds old samples `[x, y)` of zone `z` (empty ranges are ignored). */
  add(z: Zone, x: number, y: number): void {
    if (y <= x) return;
    const k = this.n - 1;
    if (k >= 0 && this.y[k] === x && (this.z[k] as Zone).deltaS === z.deltaS) {
      this.y[k] = y;
      return;
    }
    this.z[this.n] = z;
    this.x[this.n] = x;
    this.y[this.n] = y;
    this.n++;
  }

  /** Fills `order` with span indices by new start (`x + deltaS`), stable (insertion sort: spans per region are few). */
  byNewStart(order: number[]): void {
    order.length = this.n;
    for (let i = 0; i < this.n; i++) {
      const key = (this.x[i] as number) + (this.z[i] as Zone).deltaS;
      let k = i;
      while (k > 0) {
        const prev = order[k - 1] as number;
        if ((this.x[prev] as number) + (this.z[prev] as Zone).deltaS <= key) break;
        order[k] = prev;
        k--;
      }
      order[k] = i;
    }
  }
}

/** What {@link conformRegion} needs besides the region: the zones, rows and scratch space of one run. */
interface RegionContext {
  /** Primary zones (match, bridge, head, tail), disjoint, by old start. */
  readonly primary: readonly Zone[];
  /** Copy zones by old start, then old end. */
  readonly copies: readonly Zone[];
  /** Longest copy zone, so a binary search over copy starts finds every copy reaching a sample. */
  readonly maxCopy: number;
  /** Removal rows in old samples, disjoint, by old start. */
  readonly removals: readonly Removal[];
  /** Insert and gap entries by their first new sample. */
  readonly holesAt: ReadonlyMap<number, MapEntry>;
  readonly warnings: ConformWarning[];
  readonly prim: Spans;
  readonly cop: Spans;
  readonly order: number[];
}

const NOTHING_REMOVED: readonly RemovedPiece[] = Object.freeze([]);

/**
 * One region through the map (§5.2): its primary pieces (named by new order), copies, and removed
 * pieces split at removal rows. Removed pieces are also appended to `removedHere`, with their
 * region in `removedFrom`, for the track's removed lanes.
 */
function conformRegion(R: Region, trackName: string, ctx: RegionContext, removedHere: RemovedPiece[], removedFrom: Region[]): RegionOutcome {
  const { primary, copies, prim, cop, order } = ctx;
  let j = partition(primary, (z) => z.o1 <= R.start);
  const copyFrom = partition(copies, (z) => z.o0 < R.start - ctx.maxCopy);
  // Fast path (most regions): wholly inside one primary zone and touched by no copy.
  const only = primary[j];
  if (only && only.o0 <= R.start && only.o1 >= R.end) {
    let copied = false;
    for (let k = copyFrom; k < copies.length; k++) {
      const z = copies[k] as Zone;
      if (z.o0 >= R.end) break;
      if (z.o1 > R.start) { copied = true; break; }
    }
    if (!copied) {
      const d = only.deltaS;
      const region: Region = d === 0 ? R : { ...R, start: R.start + d, end: R.end + d };
      const piece: Piece = { regionId: R.id, track: trackName, role: 'primary', start: region.start, end: region.end, fileOffset: R.fileOffset, oldStart: R.start, oldEnd: R.end, deltaS: d, cutHead: false, cutTail: false, region };
      return { regionId: R.id, track: trackName, name: R.name, op: d === 0 ? 'UNCHANGED' : 'MOVED', copied: false, pieces: [piece], removed: NOTHING_REMOVED };
    }
  }
  prim.n = 0;
  for (; j < primary.length; j++) {
    const z = primary[j] as Zone;
    if (z.o0 >= R.end) break;
    prim.add(z, Math.max(z.o0, R.start), Math.min(z.o1, R.end));
  }
  cop.n = 0;
  for (let k = copyFrom; k < copies.length; k++) {
    const z = copies[k] as Zone;
    if (z.o0 >= R.end) break;
    if (z.o1 > R.start) cop.add(z, Math.max(z.o0, R.start), Math.min(z.o1, R.end));
  }
  // Removed: what no primary zone covers, split at removal rows (§5.2 step 2).
  const removedFromIndex = removedHere.length;
  let cursor = R.start;
  for (let i = 0; i <= prim.n; i++) {
    const h1 = i < prim.n ? (prim.x[i] as number) : R.end;
    if (h1 > cursor) removeHole(R, trackName, cursor, h1, ctx.removals, removedHere, removedFrom);
    if (i < prim.n) cursor = Math.max(cursor, prim.y[i] as number);
  }
  const nRemoved = removedHere.length - removedFromIndex;
  const pieces: Piece[] = [];
  prim.byNewStart(order);
  const single = prim.n === 1;
  for (let i = 0; i < order.length; i++) {
    const s = order[i] as number;
    const id = single ? R.id : `${R.id}.c${i + 1}`;
    const name = single ? R.name : `${R.name}.c${i + 1}`;
    pieces.push(makePiece(R, trackName, 'primary', prim.x[s] as number, prim.y[s] as number, (prim.z[s] as Zone).deltaS, id, name, ctx.warnings));
  }
  const firstDelta = prim.n ? (prim.z[order[0] as number] as Zone).deltaS : 0;
  cop.byNewStart(order);
  for (let i = 0; i < order.length; i++) {
    const s = order[i] as number;
    pieces.push(makePiece(R, trackName, 'copy', cop.x[s] as number, cop.y[s] as number, (cop.z[s] as Zone).deltaS, `${R.id}.copy${i + 1}`, `${R.name}.copy${i + 1}`, ctx.warnings));
  }
  // HOLE_IN_CONTINUOUS: old-contiguous primary pieces pulled apart by inserted picture.
  for (let i = 1; i < prim.n; i++) {
    const endA = (prim.y[i - 1] as number) + (prim.z[i - 1] as Zone).deltaS;
    const bx = prim.x[i] as number;
    if (prim.y[i - 1] === bx && bx + (prim.z[i] as Zone).deltaS > endA) {
      const hole = ctx.holesAt.get(endA);
      if (hole) ctx.warnings.push({ code: 'HOLE_IN_CONTINUOUS', message: `${trackName} '${R.name}' is split around new picture`, track: trackName, at: hole.new[0] });
    }
  }
  const op: RegionOutcome['op'] = prim.n === 0 ? 'REMOVED' : prim.n > 1 ? 'SPLIT' : nRemoved ? 'TRIMMED' : firstDelta !== 0 ? 'MOVED' : 'UNCHANGED';
  return { regionId: R.id, track: trackName, name: R.name, op, copied: cop.n > 0, pieces, removed: nRemoved ? removedHere.slice(removedFromIndex) : NOTHING_REMOVED };
}

/** Removed pieces of `R` over old samples `[h0, h1)`, one per removal row it meets. */
function removeHole(R: Region, trackName: string, h0: number, h1: number, removals: readonly Removal[], out: RemovedPiece[], from: Region[]): void {
  for (let k = partition(removals, (r) => r.s1 <= h0); k < removals.length; k++) {
    const r = removals[k] as Removal;
    if (r.s0 >= h1) break;
    const a = Math.max(h0, r.s0);
    const b = Math.min(h1, r.s1);
    if (b <= a) continue;
    out.push({
      regionId: R.id, track: trackName, oldStart: a, oldEnd: b, fileOffset: R.fileOffset + (a - R.start),
      reason: r.row.type as RemovalReason, rowId: r.row.id, placedStart: r.anchorS + (a - r.s0),
    });
    from.push(R);
  }
}

/** The output region of the part `[x, y)` (old samples) of `R`, moved by `deltaS` (§5.2 steps 4–5). */
function makePiece(R: Region, track: string, role: 'primary' | 'copy', x: number, y: number, deltaS: number, id: string, name: string, warnings: ConformWarning[]): Piece {
  const cutHead = x !== R.start;
  const cutTail = y !== R.end;
  const start = x + deltaS;
  const end = y + deltaS;
  const fileOffset = R.fileOffset + (x - R.start);
  let region: Region;
  if (!cutHead && !cutTail && deltaS === 0 && id === R.id) region = R;
  else if (!R.fadeIn && !R.fadeOut) region = R.automation?.length ? { ...R, id, name, start, end, fileOffset, ...clipAutomation(R, x, y) } : { ...R, id, name, start, end, fileOffset };
  else {
    const { fadeIn, fadeOut, ...rest } = R;
    const len = end - start;
    const fi = !cutHead && fadeIn ? fade(fadeIn, len, R, warnings, track) : undefined;
    const fo = !cutTail && fadeOut ? fade(fadeOut, len, R, warnings, track) : undefined;
    region = { ...rest, id, name, start, end, fileOffset, ...(fi ? { fadeIn: fi } : {}), ...(fo ? { fadeOut: fo } : {}), ...clipAutomation(R, x, y) };
  }
  return { regionId: R.id, track, role, start, end, fileOffset: region.fileOffset, oldStart: x, oldEnd: y, deltaS, cutHead, cutTail, region };
}

/**
 * §5.5 removed lanes of one track: each removed piece goes to the lowest lane where it does not
 * overlap (greedy, in order of placement start, region id, old start). Sets each piece's `lane`.
 */
function removedLanes(track: Track, removed: readonly RemovedPiece[], from: readonly Region[]): Track[] {
  if (removed.length === 0) return [];
  const order = removed.map((_, i) => i).sort((i, k) => {
    const a = removed[i] as RemovedPiece;
    const b = removed[k] as RemovedPiece;
    return a.placedStart - b.placedStart || (a.regionId < b.regionId ? -1 : a.regionId > b.regionId ? 1 : 0) || a.oldStart - b.oldStart;
  });
  // Pieces arrive in start order, so a lane is free at s exactly when its latest end is ≤ s.
  const ends: number[] = [];
  const lanes: Region[][] = [];
  for (const i of order) {
    const r = removed[i] as RemovedPiece & { lane?: string };
    const region = from[i] as Region;
    const s = r.placedStart;
    const e = s + (r.oldEnd - r.oldStart);
    let k = ends.findIndex((end) => end <= s);
    if (k === -1) { ends.push(e); lanes.push([]); k = ends.length - 1; }
    else ends[k] = e;
    r.lane = `${track.name} (conform removed) ${k + 1}`;
    const lane: Region = { ...withoutFades(region), id: `${r.regionId}.removed${r.rowId}.${r.oldStart}`, name: `${region.name} (removed)`, start: s, end: e, fileOffset: r.fileOffset, muted: true };
    (lanes[k] as Region[]).push(region.automation?.length ? { ...lane, ...clipAutomation(region, r.oldStart, r.oldEnd) } : lane);
  }
  return lanes.map((regions, k) => ({
    id: `${track.id}.removed.${k + 1}`, name: `${track.name} (conform removed) ${k + 1}`, ...(track.kind ? { kind: track.kind } : {}),
    conform: false, muted: true, regions: regions.sort((a, b) => a.start - b.start),
  }));
}

/** `R` without its fades (the object itself when it has none: rest destructuring is slow in V8). */
function withoutFades(R: Region): Region {
  if (R.fadeIn === undefined && R.fadeOut === undefined) return R;
  const { fadeIn: _fi, fadeOut: _fo, ...rest } = R;
  return rest;
}

/** True when regions are in start order already (sorting a sorted list is the common case). */
function isSorted(regions: readonly Region[]): boolean {
  for (let i = 1; i < regions.length; i++) if ((regions[i] as Region).start < (regions[i - 1] as Region).start) return false;
  return true;
}

/** True when regions are strictly in (start, id) order. */
function isSortedById(regions: readonly Region[]): boolean {
  for (let i = 1; i < regions.length; i++) {
    const a = regions[i - 1] as Region;
    const b = regions[i] as Region;
    if (a.start > b.start || (a.start === b.start && !(a.id < b.id))) return false;
  }
  return true;
}


/**
 * Applies a conform map to a session (spec §5). Regions on one track must not overlap
 * (`conform/overlapping-regions`); the session must share the cuts' nominal rate
 * (`conform/rate-mismatch`).
 */
export function applyConformMap(map: ConformMap, session: Session, options: Partial<ConformOptions> = {}): ParseResult<ConformResult> {
  const o = resolveOptions(options);
  if (session.rate.nominalFps !== map.rate.nominalFps) {
    return fail(error('conform/rate-mismatch', `session is ${session.rate.nominalFps} fps nominal, the cuts ${map.rate.nominalFps} fps`));
  }
  const diagnostics: Diagnostic[] = [...map.diagnostics];
  const sr = session.sampleRate;
  const rate = session.rate;
  const f0 = session.startFrame;
  const S = (f: Frame): number => frameToSample(f, f0, sr, rate);
  const warnings: ConformWarning[] = [];
  if ((BigInt(sr) * rate.rate.den) % rate.rate.num !== 0n) {
    warnings.push({ code: 'NONINTEGER_SPF', message: `samples per frame is not an integer at ${sr} Hz and ${rate.name}: joins may gap or overlap by 1 sample` });
  }

  // §5.1 zones in the old sample domain.
  // Head and tail zones per reel (§5.8; one reel for a single-reel cut): reel k's head runs from
  // its leader (picture start, else ffoa) to its ffoa, its tail from its end to the next leader.
  const oldReels = map.old.reels;
  const primary: Zone[] = [];
  oldReels.forEach((reel, k) => {
    const nr = map.new.reels[k] ?? reel;
    const lead = k === 0 ? -Infinity : S(Math.min(reel.pictureStart ?? reel.ffoa, reel.ffoa));
    const next = oldReels[k + 1];
    const tailEnd = next ? S(Math.max(reel.end, Math.min(next.pictureStart ?? next.ffoa, next.ffoa))) : Infinity;
    if (S(reel.ffoa) > lead) primary.push({ o0: lead, o1: S(reel.ffoa), deltaS: S(nr.ffoa) - S(reel.ffoa), role: 'primary', entryIndex: -1 });
    if (tailEnd > S(reel.end)) primary.push({ o0: S(reel.end), o1: tailEnd, deltaS: S(nr.end) - S(reel.end), role: 'primary', entryIndex: -2 });
  });
  const copies: Zone[] = [];
  map.entries.forEach((e, i) => {
    if ((e.kind !== 'match' && e.kind !== 'bridge') || !e.old) return;
    const z: Zone = { o0: S(e.old[0]), o1: S(e.old[1]), deltaS: S(e.new[0]) - S(e.old[0]), role: e.role === 'copy' ? 'copy' : 'primary', entryIndex: i };
    if (z.o1 <= z.o0) return;
    (z.role === 'copy' ? copies : primary).push(z);
  });
  primary.sort((a, b) => a.o0 - b.o0);
  copies.sort((a, b) => a.o0 - b.o0 || a.o1 - b.o1);
  const maxCopy = copies.reduce((m, z) => Math.max(m, z.o1 - z.o0), 0);
  const removals: Removal[] = map.rows
    .filter((r) => r.length < 0 && r.type !== 'MOVE_FROM' && r.old)
    .map((r) => ({ s0: S((r.old as readonly [number, number])[0]), s1: S((r.old as readonly [number, number])[1]), anchorS: S(r.anchor), row: r }))
    .sort((a, b) => a.s0 - b.s0);

  const holesAt = new Map<number, (typeof map.entries)[number]>();
  for (const e of map.entries) if (e.kind === 'insert' || e.kind === 'gap') holesAt.set(S(e.new[0]), e);
  const outcomes: RegionOutcome[] = [];
  const allRemoved: RemovedPiece[] = [];
  const removedAutomation: { track: string; param: string; points: AutomationPoint[] }[] = [];
  const tracks: Track[] = [];
  const ctx: RegionContext = { primary, copies, maxCopy, removals, holesAt, warnings, prim: new Spans(), cop: new Spans(), order: [] };

  for (const track of session.tracks) {
    const excluded = track.conform === false || REMOVED_LANE.test(track.name) || o.excludeTracks.some((p) => globMatch(p, track.name));
    if (o.guideTracks.some((p) => globMatch(p, track.name))) continue;
    if (excluded) { tracks.push(track); continue; }
    const regions = isSorted(track.regions) ? track.regions : [...track.regions].sort((a, b) => a.start - b.start);
    for (let i = 1; i < regions.length; i++) {
      const a = regions[i - 1] as Region;
      const b = regions[i] as Region;
      if (b.start < a.end) {
        return fail(error('conform/overlapping-regions', `track ${track.name}: regions ${a.id} '${a.name}' and ${b.id} '${b.name}' overlap`, { path: [track.name, a.id, b.id] }));
      }
    }
    const outRegions: Region[] = [];
    const removedHere: RemovedPiece[] = [];
    const removedFrom: Region[] = []; // the input region of each removed piece, for its lane copy
    for (const R of regions) {
      const oc = conformRegion(R, track.name, ctx, removedHere, removedFrom);
      outcomes.push(oc);
      for (const p of oc.pieces) outRegions.push(p.region);
    }
    if (!isSortedById(outRegions)) outRegions.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
    const automation = track.automation?.map((lane) => mapLane(lane, primary, copies, track.name, warnings, removedAutomation, holesAt));
    const crossfades = track.crossfades?.length ? mapCrossfades(track, primary, warnings, map, S) : undefined;
    const { crossfades: _x, ...trackRest } = track;
    tracks.push({ ...trackRest, regions: outRegions, ...(automation ? { automation } : {}), ...(crossfades?.length ? { crossfades } : {}) });
    if (o.removedPlacement === 'lanes') tracks.push(...removedLanes(track, removedHere, removedFrom));
    for (const r of removedHere) allRemoved.push(r);
  }

  // §5.6 guide fill.
  if (o.guideFill) {
    const g = o.guideFill;
    const regions: Region[] = [];
    for (const e of map.entries) {
      if ((e.kind === 'insert' || e.kind === 'gap') && g.ranges.includes(e.kind)) {
        const s0 = S(e.new[0]);
        regions.push({ id: `guide.${e.new[0]}`, name: g.file.name, file: g.file, start: s0, end: S(e.new[1]), fileOffset: s0 - S(g.startFrame) });
      }
    }
    if (regions.length) tracks.push({ id: 'conform-guide', name: 'CONFORM GUIDE', kind: 'GUIDE', conform: false, regions });
  }

  const treatments = edgeTreatments(outcomes, o, sr, rate);
  warnings.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return ok({
    map, sampleRate: sr, startFrame: f0,
    session: { ...session, tracks },
    regions: outcomes, removed: allRemoved, treatments, warnings, removedAutomation,
  }, diagnostics);
}

function fade(f: NonNullable<Region['fadeIn']>, len: number, R: Region, warnings: ConformWarning[], track: string): NonNullable<Region['fadeIn']> {
  if (f.lengthSamples <= len) return f;
  warnings.push({ code: 'FADE_TRUNCATED', message: `${track} '${R.name}': fade of ${f.lengthSamples} samples cut to ${len}`, track });
  return { ...f, lengthSamples: len };
}

/** Clip gain automation of the part `[x, y)` (old samples) of region `R`, re-based to the part's start. */
function clipAutomation(R: Region, x: number, y: number): { automation?: AutomationPoint[] } {
  if (!R.automation?.length) return {};
  if (x === R.start && y === R.end) return { automation: [...R.automation] };
  return { automation: simplifyCurve(sliceCurve(R.automation, x - R.start, y - R.start, -(x - R.start))) };
}

/**
 * A track lane follows its material (§5.3): each primary or copy zone carries the curve's part
 * over its old range, with breakpoints written at the zone's new boundaries from the old curve
 * just inside each side. Across an insert or gap the left value holds to the range's end, then
 * steps to the right value (`AUTOMATION_DISCONTINUITY` when they differ). Breakpoints in removed
 * ranges go to `removedAutomation`.
 */
function mapLane(
  lane: AutomationLane, primary: readonly Zone[], copies: readonly Zone[], trackName: string, warnings: ConformWarning[],
  removedAutomation: { track: string; param: string; points: AutomationPoint[] }[], holesAt: ReadonlyMap<number, { readonly new: readonly [Frame, Frame] }>,
): AutomationLane {
  const pts = [...lane.points].sort((a, b) => a.t - b.t);
  if (pts.length === 0) return { ...lane, points: [] };
  const segs = [...primary, ...copies]
    .map((z) => ({ n0: z.o0 + z.deltaS, n1: z.o1 + z.deltaS, points: sliceCurve(pts, z.o0, z.o1, z.deltaS, lane.interpolation) }))
    .sort((a, b) => a.n0 - b.n0);
  const out: AutomationPoint[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as (typeof segs)[number];
    const prev = segs[i - 1];
    const last = out[out.length - 1];
    if (prev && last && prev.n1 < seg.n0) {
      out.push({ t: seg.n0, v: last.v }); // hold the left value across the insert or gap
      const first = seg.points[0];
      const hole = holesAt.get(prev.n1);
      if (first && first.v !== last.v) {
        warnings.push({ code: 'AUTOMATION_DISCONTINUITY', message: `${trackName} ${lane.param}: ${last.v} before the new material, ${first.v} after it`, track: trackName, ...(hole ? { at: hole.new[0] } : {}) });
      }
    }
    out.push(...seg.points);
  }
  const removed = pts.filter((p) => {
    const j = partition(primary, (z) => z.o1 <= p.t);
    const z = primary[j];
    return !(z && z.o0 <= p.t);
  });
  if (removed.length) removedAutomation.push({ track: trackName, param: lane.param, points: removed });
  return { ...lane, points: simplifyCurve(out) };
}

/**
 * Crossfades survive only where the samples on both sides of the cut (the last before `at` and
 * the first from `at`) keep one delta and stay adjacent, i.e. lie in one zone (§5.2 item 6);
 * otherwise `CROSSFADE_DROPPED`.
 */
function mapCrossfades(track: Track, primary: readonly Zone[], warnings: ConformWarning[], map: ConformMap, S: (f: Frame) => number): Crossfade[] {
  const out: Crossfade[] = [];
  const zoneAt = (x: number): Zone | undefined => {
    const j = partition(primary, (z) => z.o1 <= x);
    const z = primary[j];
    return z && z.o0 <= x ? z : undefined;
  };
  for (const c of track.crossfades ?? []) {
    const a = zoneAt(c.at - 1);
    const b = zoneAt(c.at);
    if (a && b && a.deltaS === b.deltaS && (a === b || a.o1 === b.o0)) {
      out.push({ ...c, start: c.start + a.deltaS, end: c.end + a.deltaS, at: c.at + a.deltaS });
      continue;
    }
    // where it happens in the new cut: the anchor of the removal row that took either side, else
    // the new edit point next to the surviving side
    const row = map.rows.find((x) => x.length < 0 && x.old && x.type !== 'MOVE_FROM' &&
      ((S(x.old[0]) <= c.at - 1 && c.at - 1 < S(x.old[1])) || (S(x.old[0]) <= c.at && c.at < S(x.old[1]))));
    let at: Frame | undefined = row?.anchor;
    const z = b ?? a;
    if (at === undefined && z) {
      const x = c.at + z.deltaS;
      at = map.entries.find((en) => S(en.new[0]) <= x && x <= S(en.new[1]))?.new[b ? 0 : 1];
    }
    warnings.push({ code: 'CROSSFADE_DROPPED', message: `${track.name}: the crossfade at old sample ${c.at} joins material that no longer sits together`, track: track.name, ...(at !== undefined ? { at } : {}) });
  }
  return out;
}

/** §5.4 edit-point treatments, layered on top of the core pieces. */
function edgeTreatments(outcomes: readonly RegionOutcome[], o: ConformOptions, sr: number, rate: FrameRate): Treatment[] {
  const mode = o.editPoints.mode;
  if (mode === 'none' || o.editPoints.lengthFrames <= 0) return [];
  const L = framesToSamplesLength(o.editPoints.lengthFrames, sr, rate);
  const half = Number((BigInt(o.editPoints.lengthFrames) * BigInt(sr) * rate.rate.den + rate.rate.num) / (2n * rate.rate.num));
  const out: Treatment[] = [];
  const byTrack = new Map<string, { p: Piece; R: { start: number; end: number } }[]>();
  for (const oc of outcomes) {
    for (const p of oc.pieces) {
      const l = byTrack.get(p.track) ?? [];
      byTrack.set(p.track, l);
      const start = regionStart(oc);
      l.push({ p, R: { start, end: start + regionLength(oc) } });
    }
  }
  for (const [track, list] of byTrack) {
    list.sort((a, b) => a.p.start - b.p.start);
    for (const { p } of list) {
      if (mode === 'fades') {
        if (p.cutHead) out.push({ kind: 'fadeIn', track, at: p.start, lengthSamples: Math.min(L, p.end - p.start), extendA: 0, extendB: 0 });
        if (p.cutTail) out.push({ kind: 'fadeOut', track, at: p.end, lengthSamples: Math.min(L, p.end - p.start), extendA: 0, extendB: 0 });
      }
    }
    if (mode === 'crossfade') {
      const heads = new Map<number, { p: Piece; R: { start: number; end: number } }>();
      const tails = new Set<number>();
      for (const x of list) { if (x.p.cutHead) heads.set(x.p.start, x); if (x.p.cutTail) tails.add(x.p.end); }
      for (const { p, R } of list) {
        if (!p.cutTail) continue;
        const b = heads.get(p.end);
        if (!b) { out.push({ kind: 'fadeOut', track, at: p.end, lengthSamples: half, extendA: 0, extendB: 0 }); continue; }
        const extendA = Math.min(half, R.end - p.oldEnd);
        const extendB = Math.min(half, b.p.oldStart - b.R.start);
        out.push({ kind: 'crossfade', track, at: p.end, lengthSamples: extendA + extendB, extendA, extendB });
      }
      for (const { p } of list) {
        if (p.cutHead && !tails.has(p.start)) out.push({ kind: 'fadeIn', track, at: p.start, lengthSamples: half, extendA: 0, extendB: 0 });
      }
    }
  }
  return out;
}

function regionStart(oc: RegionOutcome): number {
  let s = Infinity;
  for (const p of oc.pieces) s = Math.min(s, p.oldStart);
  for (const r of oc.removed) s = Math.min(s, r.oldStart);
  return s;
}

function regionLength(oc: RegionOutcome): number {
  let e = -Infinity;
  for (const p of oc.pieces) e = Math.max(e, p.oldEnd);
  for (const r of oc.removed) e = Math.max(e, r.oldEnd);
  return e - regionStart(oc);
}

/**
 * Conforms a session from an old cut to a new cut (spec §11): `applyConformMap(buildConformMap(...))`.
 */
export function conform(oldCut: Cut, newCut: Cut, session: Session, options: Partial<ConformOptions> = {}): ParseResult<ConformResult> {
  const m = buildConformMap(oldCut, newCut, options);
  if (!m.ok) return m;
  return applyConformMap(m.value, session, options);
}
