/**
 * Lossless FCPXML writing: a timeline read from FCPXML keeps its document (`metadata.fcpxml.document`)
 * and, on every clip and marker, the path of the element it came from and the values read
 * (`read`). Writing edits that document in place: unchanged clips leave their elements untouched,
 * so titles, effects, keywords, generators, transitions, metadata and every unknown element or
 * attribute survive read → write. What changed in the model is written into the elements it came
 * from; clips and markers that are gone are taken out (a primary-storyline item becomes a gap of
 * the same length, so the storyline keeps its timing); new clips and markers are connected to the
 * primary-storyline item under them.
 *
 * Time arithmetic is the reader's (spec/xml.md 2.3): `T(child) = T(parent) + (offset − parent.start)`.
 * An element moved by Δ on the timeline gets `offset + Δ`; a slip of its source by Δs gets
 * `start + Δs/speed`; its anchored children (connected clips, markers) are shifted by
 * `Δs/speed − Δ` in its local time so they stay where the model has them.
 * @packageDocumentation
 */
import { warning, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../../diagnostics/result.js';
import type { Clip, JsonValue, Marker, MediaSource, Timeline, Track } from '../../../model/types.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import { writeXml, type XmlElement } from '../xml-tree.js';
import { formatFcpxmlTime, formatFcpxmlTimeOver, parseDb, parseFcpxmlTime } from './time.js';

type Obj = { readonly [k: string]: JsonValue };

function obj(v: JsonValue | undefined): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The values of a clip the writer compares with what was read (exact times as `N/D` strings). */
export function clipFingerprint(c: Clip): { [k: string]: JsonValue } {
  return {
    start: c.start.toString(),
    duration: c.duration.toString(),
    sourceStart: c.sourceStart.toString(),
    gainDb: c.gainDb ?? null,
    muted: c.muted ?? false,
    name: c.name,
    speed: c.speed?.toString() ?? null,
    media: c.media?.mediaId ?? null,
    channel: c.media?.channel ?? null,
  };
}

/** The values of a marker the writer compares with what was read. */
export function markerFingerprint(m: Marker): { [k: string]: JsonValue } {
  return { position: m.position.toString(), duration: m.duration?.toString() ?? null, name: m.name, comment: m.comment ?? null };
}

/** The clip with its values as read recorded in `metadata.fcpxml.read`. */
export function withRead(c: Clip): Clip {
  const x = (c.metadata.fcpxml ?? {}) as { [k: string]: JsonValue };
  return { ...c, metadata: { ...c.metadata, fcpxml: { ...x, read: clipFingerprint(c) } } };
}

/** A mutable copy of the document tree. */
interface Node {
  name: string;
  attributes: [string, string][];
  children: (Node | string)[];
  offset: number;
  /** Set on elements to take out before writing. */
  removed?: boolean;
}

function clone(e: XmlElement): Node {
  return {
    name: e.name,
    attributes: e.attributes.map((a) => [a[0], a[1]] as [string, string]),
    children: e.children.map((k) => (typeof k === 'string' ? k : clone(k))),
    offset: -1,
  };
}

function freeze(n: Node): XmlElement {
  return { name: n.name, attributes: n.attributes, children: n.children.filter((k) => typeof k === 'string' || !k.removed).map((k) => (typeof k === 'string' ? k : freeze(k))), offset: -1 };
}

// Every element of the document as read by its child-index path (taken before any edit, so
// insertions do not shift what a path names).
function indexNodes(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  const visit = (n: Node, key: string): void => {
    out.set(key, n);
    n.children.forEach((k, i) => {
      if (typeof k !== 'string') visit(k, key === '' ? String(i) : `${key}.${i}`);
    });
  };
  visit(root, '');
  return out;
}

function getAttr(n: Node, name: string): string | undefined {
  return n.attributes.find((a) => a[0] === name)?.[1];
}

function setAttr(n: Node, name: string, value: string | undefined): void {
  const i = n.attributes.findIndex((a) => a[0] === name);
  if (value === undefined) {
    if (i >= 0) n.attributes.splice(i, 1);
  } else if (i >= 0) n.attributes[i] = [name, value];
  else n.attributes.push([name, value]);
}

function timeAttr(n: Node, name: string): RationalTime | undefined {
  return parseFcpxmlTime(getAttr(n, name));
}

function elementsOf(n: Node): Node[] {
  return n.children.filter((k): k is Node => typeof k !== 'string' && !k.removed);
}

const MARKERS = new Set(['marker', 'chapter-marker']);
// Children that FCP's DTD lists after anchored items and markers.
const TRAILING = new Set(['audio-channel-source', 'audio-role-source', 'filter-video', 'filter-audio', 'filter-video-mask', 'metadata']);
const AFTER_ANCHORS = new Set([...MARKERS, 'rating', 'keyword', 'analysis-marker', ...TRAILING]);

function insertBefore(parent: Node, child: Node, stopAt: ReadonlySet<string>): void {
  const i = parent.children.findIndex((k) => typeof k !== 'string' && stopAt.has(k.name));
  if (i < 0) parent.children.push(child);
  else parent.children.splice(i, 0, child);
}

/** How a new clip is written: the fresh writer's element builder, placed at a local offset. */
export type NewClipBuilder = (c: Clip, track: Track, media: MediaSource, assetId: string, lane: number, offsetBase: RationalTime) => XmlElement;
/** How a new asset resource is written. */
export type NewAssetBuilder = (m: MediaSource, id: string, formatId: string | undefined) => XmlElement;

interface Edit {
  readonly node: Node;
  readonly element: string;
  readonly dStart: RationalTime;
  readonly dDuration: RationalTime;
  readonly newDuration: RationalTime;
  readonly dSource: RationalTime;
  readonly dGain: number;
  readonly muted: boolean;
  readonly name: string;
  readonly audio: boolean;
  /** Timeline seconds per second of the parent's local time (1 unless a clip around conforms its rate). */
  readonly scale: Rational;
  /** Timeline seconds per second of the element's own local time (its `conform-rate`, else as its parent's). */
  readonly localScale: Rational;
  readonly speed?: Rational;
  readonly clip: Clip;
}

/**
 * Writes a timeline over the FCPXML document it was read from; undefined when it carries none (or
 * it cannot be used), so the caller writes a fresh document instead.
 */
export function writeOver(timeline: Timeline, build: { clip: NewClipBuilder; asset: NewAssetBuilder }): WriteResult<string> | undefined {
  const meta = obj(timeline.metadata.fcpxml);
  const docJson = meta?.document as unknown as XmlElement | undefined;
  if (!meta || !docJson || typeof docJson !== 'object' || docJson.name !== 'fcpxml' || !Array.isArray(docJson.children)) return undefined;
  const diagnostics: Diagnostic[] = [];
  const root = clone(docJson);
  const nodes = indexNodes(root);
  const at = (_root: Node, path: readonly JsonValue[]): Node | undefined => (path.every((i) => typeof i === 'number') ? nodes.get(path.join('.')) : undefined);
  const origin = parseFcpxmlTime(typeof meta.origin === 'string' ? `${meta.origin}s` : undefined) ?? RationalTime.ZERO;
  const seqNode = Array.isArray(meta.sequencePath) ? at(root, meta.sequencePath) : undefined;
  const frameDen = (() => {
    const fmtId = seqNode && getAttr(seqNode, 'format');
    const resources = elementsOf(root).find((k) => k.name === 'resources');
    const fmt = resources && elementsOf(resources).find((k) => k.name === 'format' && getAttr(k, 'id') === fmtId);
    const fd = fmt && timeAttr(fmt, 'frameDuration');
    return fd && !fd.isZero() ? fd.seconds.den : undefined;
  })();
  const t = (x: RationalTime): string => (frameDen !== undefined ? formatFcpxmlTimeOver(x, frameDen) : formatFcpxmlTime(x));

  // Existing elements: what changed, per element (one element may give several clips).
  const seen = new Map<string, number>();
  const edits = new Map<Node, Edit>();
  const added: { clip: Clip; track: Track }[] = [];
  const assetStart = (mediaId: string | undefined): RationalTime => {
    const m = mediaId !== undefined ? timeline.media.find((x) => x.id === mediaId) : undefined;
    return m?.start ?? RationalTime.ZERO;
  };
  for (const track of timeline.tracks) {
    for (const c of track.clips) {
      const x = obj(c.metadata.fcpxml);
      const read = obj(x?.read);
      const node = x && Array.isArray(x.path) ? at(root, x.path) : undefined;
      if (!x || !read || !node || node.name !== x.element) {
        added.push({ clip: c, track });
        continue;
      }
      const key = (x.path as number[]).join('.');
      if (x.inCompound !== true) seen.set(key, (seen.get(key) ?? 0) + 1);
      const now = clipFingerprint(c);
      if (Object.keys(now).every((k) => now[k] === read[k])) continue;
      if (x.inCompound === true) {
        diagnostics.push(warning('fcpxml/compound-edit-dropped', `clip "${c.name}" sits inside a compound or multicam clip; its change is not written (it would change every use of that clip)`));
        continue;
      }
      if (now.media !== read.media || now.channel !== read.channel || now.speed !== read.speed) {
        diagnostics.push(warning('fcpxml/edit-dropped', `clip "${c.name}": a change of media, channel or speed is not written into the existing element`));
      }
      const rt = (k: string): RationalTime => RationalTime.fromSeconds(Rational.parse(String(read[k])) ?? Rational.ZERO);
      const edit: Edit = {
        node,
        element: String(x.element),
        dStart: c.start.minus(rt('start')),
        dDuration: c.duration.minus(rt('duration')),
        newDuration: c.duration,
        dSource: c.sourceStart.minus(rt('sourceStart')),
        dGain: (c.gainDb ?? 0) - (typeof read.gainDb === 'number' ? read.gainDb : 0),
        muted: c.muted ?? false,
        name: c.name,
        audio: track.kind === 'audio',
        scale: (typeof x.scale === 'string' ? Rational.parse(x.scale) : undefined) ?? Rational.ONE,
        localScale: (typeof x.localScale === 'string' ? Rational.parse(x.localScale) : undefined) ?? Rational.ONE,
        ...(c.speed ? { speed: c.speed } : {}),
        clip: c,
      };
      const prev = edits.get(node);
      if (prev && !(prev.dStart.equals(edit.dStart) && prev.dDuration.equals(edit.dDuration) && prev.dSource.equals(edit.dSource))) {
        diagnostics.push(warning('fcpxml/edit-conflict', `clips "${prev.clip.name}" and "${c.name}" come from one element and were changed differently; the first change is written`));
        continue;
      }
      if (!prev) edits.set(node, edit);
    }
  }
  for (const e of edits.values()) applyEdit(e, t, assetStart, diagnostics);

  // Markers.
  const addedMarkers: Marker[] = [];
  for (const m of timeline.markers) {
    const x = obj(m.metadata.fcpxml);
    const read = obj(x?.read);
    const node = x && Array.isArray(x.path) ? at(root, x.path) : undefined;
    if (!x || !read || !node || !MARKERS.has(node.name)) {
      addedMarkers.push(m);
      continue;
    }
    const key = (x.path as number[]).join('.');
    if (x.inCompound !== true) seen.set(key, (seen.get(key) ?? 0) + 1);
    const now = markerFingerprint(m);
    if (Object.keys(now).every((k) => now[k] === read[k])) continue;
    if (x.inCompound === true) {
      diagnostics.push(warning('fcpxml/compound-edit-dropped', `marker "${m.name}" sits inside a compound clip; its change is not written`));
      continue;
    }
    const d = m.position.minus(RationalTime.fromSeconds(Rational.parse(String(read.position)) ?? Rational.ZERO));
    const start = timeAttr(node, 'start');
    // Inside a clip that conforms its rate the marker's times are in that clip's local time.
    const scale = (typeof x.scale === 'string' ? Rational.parse(x.scale) : undefined) ?? Rational.ONE;
    const local = (v: RationalTime): RationalTime => (scale.equals(Rational.ONE) ? v : RationalTime.fromSeconds(v.seconds.dividedBy(scale)));
    if (start && !d.isZero()) setAttr(node, 'start', t(start.plus(local(d))));
    if (now.duration !== read.duration) setAttr(node, 'duration', m.duration ? t(local(m.duration)) : undefined);
    if (now.name !== read.name) setAttr(node, 'value', m.name);
    if (now.comment !== read.comment) setAttr(node, 'note', m.comment);
  }

  // What is gone: taken out; a primary-storyline item becomes a gap of the same extent.
  const placed = obj(meta.placed) ?? {};
  for (const [key, count] of Object.entries(placed)) {
    const have = seen.get(key) ?? 0;
    if (have > 0) {
      if (typeof count === 'number' && have < count) {
        diagnostics.push(warning('fcpxml/partial-remove', `some of the clips of the element at ${key} were removed from the model; the element stays (FCPXML cannot remove part of it)`));
      }
      continue;
    }
    const path = key.split('.').map(Number);
    const node = at(root, path);
    const parent = at(root, path.slice(0, -1));
    if (!node || !parent) continue;
    if (parent.name === 'spine' && getAttr(node, 'lane') === undefined && !MARKERS.has(node.name)) {
      // The gap keeps the item's local start, so the anchored children keep their places.
      const ref = getAttr(node, 'ref');
      const localStart = timeAttr(node, 'start') ?? (node.name === 'asset-clip' && ref !== undefined ? assetStart(ref) : RationalTime.ZERO);
      const gap: Node = { name: 'gap', attributes: [['name', 'Gap']], children: [], offset: -1 };
      const offset = getAttr(node, 'offset');
      if (offset !== undefined) gap.attributes.push(['offset', offset]);
      if (!localStart.isZero()) gap.attributes.push(['start', t(localStart)]);
      const duration = getAttr(node, 'duration') ?? (ref !== undefined ? timeline.media.find((m) => m.id === ref)?.duration?.toString() : undefined);
      if (duration !== undefined) gap.attributes.push(['duration', getAttr(node, 'duration') ?? `${duration}s`]);
      // Anchored children stay with the storyline (they are the model's other clips).
      gap.children = elementsOf(node).filter((k) => getAttr(k, 'lane') !== undefined || MARKERS.has(k.name));
      parent.children[parent.children.indexOf(node)] = gap;
    } else {
      node.removed = true;
      // Markers the model still has move to the parent, at the same timeline position:
      // parent-local start = offset + (start − element start).
      const offset = timeAttr(node, 'offset');
      if (offset && !MARKERS.has(node.name)) {
        const ref = getAttr(node, 'ref');
        const localStart = timeAttr(node, 'start') ?? (node.name === 'asset-clip' && ref !== undefined ? assetStart(ref) : RationalTime.ZERO);
        node.children.forEach((k, i) => {
          if (typeof k === 'string' || !MARKERS.has(k.name) || !seen.has(`${key}.${i}`)) return;
          const start = timeAttr(k, 'start');
          if (start) setAttr(k, 'start', t(offset.plus(start.minus(localStart))));
          insertBefore(parent, k, TRAILING);
        });
      }
    }
  }

  // New clips and markers: connected to the primary-storyline item under them.
  const spine = seqNode ? elementsOf(seqNode).find((k) => k.name === 'spine') : undefined;
  if ((added.length > 0 || addedMarkers.length > 0) && !spine) {
    diagnostics.push(warning('fcpxml/added-dropped', `${added.length + addedMarkers.length} clips and markers added to a timeline read from a document without a project spine are not written`));
  } else if (spine) {
    const resources = elementsOf(root).find((k) => k.name === 'resources');
    const assetIds = new Map<string, string>();
    const usedIds = new Set<string>();
    const collectIds = (n: Node): void => {
      const id = getAttr(n, 'id');
      if (id !== undefined) usedIds.add(id);
      for (const k of elementsOf(n)) collectIds(k);
    };
    collectIds(root);
    if (resources) for (const r of elementsOf(resources)) if (r.name === 'asset') assetIds.set(getAttr(r, 'id') ?? '', getAttr(r, 'id') ?? '');
    let nextId = 1;
    const assetFor = (m: MediaSource): string | undefined => {
      if (assetIds.has(m.id) && obj(m.metadata.fcpxml)) return assetIds.get(m.id);
      if (!resources) return undefined;
      while (usedIds.has(`r${nextId}`)) nextId++;
      const id = `r${nextId}`;
      usedIds.add(id);
      assetIds.set(m.id, id);
      resources.children.push(clone(build.asset(m, id, seqNode && getAttr(seqNode, 'format'))));
      return id;
    };
    for (const { clip: c, track } of added) {
      const m = c.media ? timeline.media.find((x) => x.id === c.media!.mediaId) : undefined;
      const id = m && assetFor(m);
      if (!m || id === undefined) {
        diagnostics.push(warning('fcpxml/no-media-dropped', `clip "${c.name}" on "${track.name}" plays no media file; not written`));
        continue;
      }
      const host = hostAt(spine, c.start, origin, assetStart, t);
      const lane = track.kind === 'audio' ? -1 : 1;
      insertBefore(host.node, clone(build.clip(c, track, m, id, lane, host.localStart.minus(host.T))), AFTER_ANCHORS);
    }
    for (const mk of addedMarkers) {
      const host = hostAt(spine, mk.position, origin, assetStart, t);
      const attrs: [string, string][] = [
        ['start', t(host.localStart.plus(mk.position.minus(host.T)))],
        ['duration', t(mk.duration ?? RationalTime.ZERO)],
        ['value', mk.name],
      ];
      if (mk.comment !== undefined) attrs.push(['note', mk.comment]);
      insertBefore(host.node, { name: 'marker', attributes: attrs, children: [], offset: -1 }, TRAILING);
    }
    // The sequence covers the storyline.
    const end = spineEnd(spine, origin).minus(origin);
    const seqDur = seqNode && timeAttr(seqNode, 'duration');
    if (seqNode && seqDur && seqDur.lessThan(end)) setAttr(seqNode, 'duration', t(end));
  }

  // The project's name.
  const project = Array.isArray(meta.projectPath) ? at(root, meta.projectPath) : undefined;
  if (project && timeline.name !== '' && getAttr(project, 'name') !== timeline.name) setAttr(project, 'name', timeline.name);

  const doctype = typeof meta.doctype === 'string' ? meta.doctype : 'fcpxml';
  return { value: writeXml(freeze(root), { doctype, indent: '    ' }), diagnostics };
}

function applyEdit(e: Edit, t: (x: RationalTime) => string, assetStart: (mediaId: string | undefined) => RationalTime, diagnostics: Diagnostic[]): void {
  const n = e.node;
  // Timeline deltas into the element's units (read.ts): its offset is in its parent's time
  // (÷ scale), its duration in timeline seconds, its start and anchored children in its own local
  // time (÷ localScale).
  const toParent = (d: RationalTime): RationalTime => (e.scale.equals(Rational.ONE) ? d : RationalTime.fromSeconds(d.seconds.dividedBy(e.scale)));
  const toLocal = (d: RationalTime): RationalTime => (e.localScale.equals(Rational.ONE) ? d : RationalTime.fromSeconds(d.seconds.dividedBy(e.localScale)));
  if (!e.dStart.isZero()) {
    const ps = obj(e.clip.metadata.fcpxml)?.parentStart;
    const offset = timeAttr(n, 'offset') ?? (typeof ps === 'string' ? parseFcpxmlTime(`${ps}s`) : undefined);
    if (offset) setAttr(n, 'offset', t(offset.plus(toParent(e.dStart))));
    else diagnostics.push(warning('fcpxml/edit-dropped', `clip "${e.name}" has no offset to move; its new position is not written`));
  }
  // A slip: local start moves by Δsource / slope (source seconds per local second: the timeMap's
  // slope, which is the clip's speed in its own local time).
  let dLocal = RationalTime.ZERO;
  if (!e.dSource.isZero()) {
    const speed = e.speed ?? Rational.ONE;
    const slope = speed.times(e.localScale);
    if (slope.isZero()) diagnostics.push(warning('fcpxml/edit-dropped', `clip "${e.name}" is a freeze frame; its new source position is not written`));
    else {
      dLocal = RationalTime.fromSeconds(e.dSource.seconds.dividedBy(slope));
      const defaultStart = e.element === 'asset-clip' || e.element === 'audio' || e.element === 'video' ? assetStart(e.clip.media?.mediaId) : RationalTime.ZERO;
      const start = timeAttr(n, 'start') ?? defaultStart;
      setAttr(n, 'start', t(start.plus(dLocal)));
      const audioStart = timeAttr(n, 'audioStart');
      if (audioStart) setAttr(n, 'audioStart', t(audioStart.plus(dLocal)));
    }
  }
  if (!e.dDuration.isZero()) {
    const audioDuration = e.audio ? timeAttr(n, 'audioDuration') : undefined;
    if (audioDuration) setAttr(n, 'audioDuration', t(audioDuration.plus(e.dDuration)));
    else {
      const d = timeAttr(n, 'duration');
      setAttr(n, 'duration', t(d ? d.plus(e.dDuration) : e.newDuration));
    }
  }
  // Anchored children keep their timeline positions: shift them by Δlocal − Δstart in local time.
  const shift = dLocal.minus(toLocal(e.dStart));
  if (!shift.isZero()) {
    for (const k of elementsOf(n)) {
      const anchored = getAttr(k, 'lane') !== undefined;
      const name = anchored ? 'offset' : MARKERS.has(k.name) ? 'start' : undefined;
      const v = name && timeAttr(k, name);
      if (name && v) setAttr(k, name, t(v.plus(shift)));
    }
  }
  if (e.dGain !== 0) {
    let vol = elementsOf(n).find((k) => k.name === 'adjust-volume');
    if (!vol) {
      vol = { name: 'adjust-volume', attributes: [], children: [], offset: -1 };
      // Adjustments come before anchored items, markers and channel sources.
      insertBefore(n, vol, new Set([...AFTER_ANCHORS, 'asset-clip', 'clip', 'audio', 'video', 'title', 'gap', 'ref-clip', 'sync-clip', 'mc-clip', 'spine', 'transition']));
    }
    const amount = parseDb(getAttr(vol, 'amount')) ?? 0;
    setAttr(vol, 'amount', `${Number((amount + e.dGain).toFixed(4))}dB`);
  }
  const enabledNow = getAttr(n, 'enabled') !== '0';
  if (enabledNow === e.muted) setAttr(n, 'enabled', e.muted ? '0' : undefined);
  if ((getAttr(n, 'name') ?? '') !== e.name) setAttr(n, 'name', e.name);
}

// The primary-storyline item whose extent holds `time` (or a new gap after the last one), with its
// timeline position T and its local start.
function hostAt(
  spine: Node,
  time: RationalTime,
  origin: RationalTime,
  assetStart: (mediaId: string | undefined) => RationalTime,
  t: (x: RationalTime) => string,
): { node: Node; T: RationalTime; localStart: RationalTime } {
  const items = elementsOf(spine).filter((k) => k.name !== 'transition' && getAttr(k, 'lane') === undefined && timeAttr(k, 'duration') !== undefined);
  const end = spineEnd(spine, origin).minus(origin);
  let chosen: Node | undefined;
  let chosenT = RationalTime.ZERO;
  for (const k of items) {
    const T = (timeAttr(k, 'offset') ?? origin).minus(origin);
    // The item under `time`; before the storyline, its first item; in a hole, the item before it.
    if (chosen === undefined || !time.lessThan(T)) {
      chosen = k;
      chosenT = T;
    }
    if (time.lessThan(T)) break;
  }
  if (chosen && time.lessThan(end)) {
    const ref = getAttr(chosen, 'ref');
    const localStart = timeAttr(chosen, 'start') ?? (chosen.name === 'asset-clip' && ref !== undefined ? assetStart(ref) : RationalTime.ZERO);
    return { node: chosen, T: chosenT, localStart };
  }
  // Past the end: a gap from the storyline's end to one second past `time`.
  const from = end;
  const duration = time.minus(from).plus(RationalTime.fromSeconds(1));
  const gap: Node = {
    name: 'gap',
    attributes: [
      ['name', 'Gap'],
      ['offset', t(origin.plus(from))],
      ['start', t(origin.plus(from))],
      ['duration', t(duration)],
    ] as [string, string][],
    children: [],
    offset: -1,
  };
  spine.children.push(gap);
  return { node: gap, T: from, localStart: origin.plus(from) };
}

function spineEnd(spine: Node, origin: RationalTime): RationalTime {
  let end = origin;
  for (const k of elementsOf(spine)) {
    if (getAttr(k, 'lane') !== undefined) continue;
    const o = timeAttr(k, 'offset');
    const d = timeAttr(k, 'duration');
    if (o && d) end = RationalTime.max(end, o.plus(d));
  }
  return end;
}
