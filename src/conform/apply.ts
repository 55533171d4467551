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
  AutomationLane, AutomationPoint, ChangeRow, Crossfade, ConformMap, ConformOptions, ConformResult, ConformWarning, Cut, Frame, Piece, Region,
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
  const outTracks: { track: Track; source?: Track }[] = [];
  const laneRemoved = new Map<string, RemovedPiece[]>();

  for (const track of session.tracks) {
    const excluded = track.conform === false || REMOVED_LANE.test(track.name) || o.excludeTracks.some((p) => globMatch(p, track.name));
    if (o.guideTracks.some((p) => globMatch(p, track.name))) continue;
    if (excluded) { outTracks.push({ track }); continue; }
    const regions = [...track.regions].sort((a, b) => a.start - b.start);
    for (let i = 1; i < regions.length; i++) {
      const a = regions[i - 1] as Region;
      const b = regions[i] as Region;
      if (b.start < a.end) {
        return fail(error('conform/overlapping-regions', `track ${track.name}: regions ${a.id} '${a.name}' and ${b.id} '${b.name}' overlap`, { path: [track.name, a.id, b.id] }));
      }
    }
    const outRegions: Region[] = [];
    const removedHere: RemovedPiece[] = [];
    for (const R of regions) {
      let j = partition(primary, (z) => z.o1 <= R.start);
      // Fast path (most regions): wholly inside one primary zone and touched by no copy.
      const only = primary[j] as Zone;
      if (only.o0 <= R.start && only.o1 >= R.end) {
        let copied = false;
        for (let k = partition(copies, (z) => z.o0 < R.start - maxCopy); k < copies.length; k++) {
          const z = copies[k] as Zone;
          if (z.o0 >= R.end) break;
          if (z.o1 > R.start) { copied = true; break; }
        }
        if (!copied) {
          const d = only.deltaS;
          const region: Region = d === 0 ? R : { ...R, start: R.start + d, end: R.end + d };
          const piece: Piece = { regionId: R.id, track: track.name, role: 'primary', start: region.start, end: region.end, fileOffset: R.fileOffset, oldStart: R.start, oldEnd: R.end, deltaS: d, cutHead: false, cutTail: false, region };
          outcomes.push({ regionId: R.id, track: track.name, name: R.name, op: d === 0 ? 'UNCHANGED' : 'MOVED', copied: false, pieces: [piece], removed: [] });
          outRegions.push(region);
          continue;
        }
      }
      const raw: { z: Zone; x: number; y: number }[] = [];
      for (; j < primary.length; j++) {
        const z = primary[j] as Zone;
        if (z.o0 >= R.end) break;
        raw.push({ z, x: Math.max(z.o0, R.start), y: Math.min(z.o1, R.end) });
      }
      const prim = healPieces(raw);
      const copyRaw: { z: Zone; x: number; y: number }[] = [];
      for (let k = partition(copies, (z) => z.o0 < R.start - maxCopy); k < copies.length; k++) {
        const z = copies[k] as Zone;
        if (z.o0 >= R.end) break;
        if (z.o1 <= R.start) continue;
        copyRaw.push({ z, x: Math.max(z.o0, R.start), y: Math.min(z.o1, R.end) });
      }
      const cop = healPieces(copyRaw);
      // Removed: what no primary zone covers, split at removal rows (§5.2 step 2).
      const removed: RemovedPiece[] = [];
      let cursor = R.start;
      const holes: [number, number][] = [];
      for (const p of prim) { if (p.x > cursor) holes.push([cursor, p.x]); cursor = Math.max(cursor, p.y); }
      if (cursor < R.end) holes.push([cursor, R.end]);
      for (const [h0, h1] of holes) {
        let k = partition(removals, (r) => r.s1 <= h0);
        for (; k < removals.length; k++) {
          const r = removals[k] as Removal;
          if (r.s0 >= h1) break;
          const a = Math.max(h0, r.s0);
          const b = Math.min(h1, r.s1);
          if (b <= a) continue;
          removed.push({
            regionId: R.id, track: track.name, oldStart: a, oldEnd: b, fileOffset: R.fileOffset + (a - R.start),
            reason: r.row.type as RemovalReason, rowId: r.row.id, placedStart: r.anchorS + (a - r.s0),
          });
        }
      }
      const byNewStart = (a: { z: Zone; x: number }, b: { z: Zone; x: number }): number => a.x + a.z.deltaS - (b.x + b.z.deltaS);
      const primSorted = prim.length > 1 ? [...prim].sort(byNewStart) : prim;
      const copSorted = cop.length > 1 ? [...cop].sort(byNewStart) : cop;
      const pieces: Piece[] = [];
      const make = (p: { z: Zone; x: number; y: number }, role: 'primary' | 'copy', id: string, name: string): Piece => {
        const cutHead = p.x !== R.start;
        const cutTail = p.y !== R.end;
        const start = p.x + p.z.deltaS;
        const end = p.y + p.z.deltaS;
        let region: Region;
        if (!cutHead && !cutTail && p.z.deltaS === 0 && id === R.id) region = R;
        else if (!R.fadeIn && !R.fadeOut) region = { ...R, id, name, start, end, fileOffset: R.fileOffset + (p.x - R.start), ...clipAutomation(R, p.x, p.y) };
        else {
          const { fadeIn, fadeOut, ...rest } = R;
          const len = end - start;
          const fi = !cutHead && fadeIn ? fade(fadeIn, len, R, warnings, track.name) : undefined;
          const fo = !cutTail && fadeOut ? fade(fadeOut, len, R, warnings, track.name) : undefined;
          region = { ...rest, id, name, start, end, fileOffset: R.fileOffset + (p.x - R.start), ...(fi ? { fadeIn: fi } : {}), ...(fo ? { fadeOut: fo } : {}), ...clipAutomation(R, p.x, p.y) };
        }
        return { regionId: R.id, track: track.name, role, start, end, fileOffset: region.fileOffset, oldStart: p.x, oldEnd: p.y, deltaS: p.z.deltaS, cutHead, cutTail, region };
      };
      primSorted.forEach((p, i) => {
        const single = primSorted.length === 1;
        pieces.push(make(p, 'primary', single ? R.id : `${R.id}.c${i + 1}`, single ? R.name : `${R.name}.c${i + 1}`));
      });
      copSorted.forEach((p, i) => pieces.push(make(p, 'copy', `${R.id}.copy${i + 1}`, `${R.name}.copy${i + 1}`)));
      // HOLE_IN_CONTINUOUS: old-contiguous primary pieces pulled apart by inserted picture.
      const byOld = prim; // zones are in old order, so pieces are too
      for (let i = 1; i < byOld.length; i++) {
        const a = byOld[i - 1] as { z: Zone; x: number; y: number };
        const b = byOld[i] as { z: Zone; x: number; y: number };
        const endA = a.y + a.z.deltaS;
        if (a.y === b.x && b.x + b.z.deltaS > endA) {
          const hole = holesAt.get(endA);
          if (hole) warnings.push({ code: 'HOLE_IN_CONTINUOUS', message: `${track.name} '${R.name}' is split around new picture`, track: track.name, at: hole.new[0] });
        }
      }
      const nPrim = primSorted.length;
      const op: RegionOutcome['op'] = nPrim === 0 ? 'REMOVED' : nPrim > 1 ? 'SPLIT' : removed.length ? 'TRIMMED' : (primSorted[0] as { z: Zone }).z.deltaS !== 0 ? 'MOVED' : 'UNCHANGED';
      outcomes.push({ regionId: R.id, track: track.name, name: R.name, op, copied: copSorted.length > 0, pieces, removed });
      for (const p of pieces) outRegions.push(p.region);
      removedHere.push(...removed);
    }
    outRegions.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
    const automation = track.automation?.map((lane) => mapLane(lane, primary, copies, track.name, warnings, removedAutomation, holesAt));
    const crossfades = track.crossfades?.length ? mapCrossfades(track, primary, warnings, map, S) : undefined;
    const { crossfades: _x, ...trackRest } = track;
    outTracks.push({ track: { ...trackRest, regions: outRegions, ...(automation ? { automation } : {}), ...(crossfades?.length ? { crossfades } : {}) }, source: track });
    laneRemoved.set(track.name, removedHere);
    allRemoved.push(...removedHere);
  }

  // §5.5 removed lanes: greedy lowest lane, in order of placement start, track, region id.
  const lanes = new Map<string, { name: string; regions: Region[]; end: number[] }>();
  const placed = new Map<RemovedPiece, RemovedPiece>();
  if (o.removedPlacement === 'lanes') {
    const order = [...allRemoved].sort((a, b) => a.placedStart - b.placedStart || (a.track < b.track ? -1 : a.track > b.track ? 1 : 0) || (a.regionId < b.regionId ? -1 : a.regionId > b.regionId ? 1 : 0) || a.oldStart - b.oldStart);
    // Pieces arrive in start order, so a lane is free at s exactly when its latest end is ≤ s.
    const laneEnds = new Map<string, number[]>();
    const regionIndex = new Map<string, Region>();
    for (const t of session.tracks) for (const x of t.regions) regionIndex.set(`${t.name}\u0000${x.id}`, x);
    for (const r of order) {
      const ends = laneEnds.get(r.track) ?? [];
      laneEnds.set(r.track, ends);
      const s = r.placedStart;
      const e = r.placedStart + (r.oldEnd - r.oldStart);
      let k = ends.findIndex((end) => end <= s);
      if (k === -1) { ends.push(e); k = ends.length - 1; }
      else ends[k] = e;
      const name = `${r.track} (conform removed) ${k + 1}`;
      const withLane = { ...r, lane: name };
      placed.set(r, withLane);
      const region = regionIndex.get(`${r.track}\u0000${r.regionId}`);
      if (!region) continue;
      const { fadeIn: _fi, fadeOut: _fo, ...rest } = region;
      const lane = lanes.get(name) ?? { name, regions: [], end: [] };
      lanes.set(name, lane);
      lane.regions.push({ ...rest, id: `${r.regionId}.removed${r.rowId}.${r.oldStart}`, name: `${region.name} (removed)`, start: s, end: e, fileOffset: r.fileOffset, muted: true, ...clipAutomation(region, r.oldStart, r.oldEnd) });
    }
  }
  const finalRemoved = allRemoved.map((r) => placed.get(r) ?? r);
  const finalOutcomes = outcomes.map((oc) => ({ ...oc, removed: oc.removed.map((r) => placed.get(r) ?? r) }));

  const tracks: Track[] = [];
  for (const { track, source } of outTracks) {
    tracks.push(track);
    if (!source) continue;
    const mine = [...lanes.values()].filter((l) => l.name.startsWith(`${source.name} (conform removed) `)).sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
    for (const l of mine) {
      tracks.push({ id: `${source.id}.removed.${l.name.slice(l.name.lastIndexOf(' ') + 1)}`, name: l.name, ...(source.kind ? { kind: source.kind } : {}), conform: false, muted: true, regions: l.regions.sort((a, b) => a.start - b.start) });
    }
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

  const treatments = edgeTreatments(finalOutcomes, o, sr, rate);
  warnings.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return ok({
    map, sampleRate: sr, startFrame: f0,
    session: { ...session, tracks },
    regions: finalOutcomes, removed: finalRemoved, treatments, warnings, removedAutomation,
  }, diagnostics);
}

function fade(f: NonNullable<Region['fadeIn']>, len: number, R: Region, warnings: ConformWarning[], track: string): NonNullable<Region['fadeIn']> {
  if (f.lengthSamples <= len) return f;
  warnings.push({ code: 'FADE_TRUNCATED', message: `${track} '${R.name}': fade of ${f.lengthSamples} samples cut to ${len}`, track });
  return { ...f, lengthSamples: len };
}

/** Merges contiguous intersections with the same delta (region-level healing, §5.2 step 3). */
function healPieces(raw: readonly { z: Zone; x: number; y: number }[]): { z: Zone; x: number; y: number }[] {
  const out: { z: Zone; x: number; y: number }[] = [];
  for (const p of raw) {
    if (p.y <= p.x) continue;
    const last = out[out.length - 1];
    if (last && last.y === p.x && last.z.deltaS === p.z.deltaS) last.y = p.y;
    else out.push({ ...p });
  }
  return out;
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
