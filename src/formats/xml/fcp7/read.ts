/**
 * Final Cut Pro 7 XML (XMEML versions 4 and 5) into the {@link Timeline} model.
 *
 * Facts from spec/xml.md part 1: `start`/`end` are sequence frames (end exclusive, `-1` next to a
 * transition), `in`/`out` are frames of the clip's own rate from the media's first frame, files are
 * defined once and referenced by id, Audio Levels are linear gain. Everything the model has no
 * field for is kept in `metadata.xmeml` (unknown elements verbatim, with their offsets) so
 * {@link write} can emit it again.
 * @packageDocumentation
 */
import { error, warning, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../../diagnostics/result.js';
import type { Clip, Fade, FadeShape, GainPoint, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../../model/types.js';
import type { FrameRate } from '../../../time/frame-rate.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import { Timecode } from '../../../time/timecode.js';
import type { ReadOptions } from '../../types.js';
import { attr, child, childrenNamed, childText, parseXml, textOf, type XmlDocument, type XmlElement, type XmlNode, readGuarded } from '../xml-tree.js';
import { frameRateOf, parseBool, parseInteger, readRate, type XmemlRate } from './rate.js';

/** Options of {@link parse}. */
export interface XmemlReadOptions extends ReadOptions {
  /** Name of the sequence to read when the file holds several (default: the first). */
  readonly sequence?: string;
  /** Deepest element nesting accepted (default 256). */
  readonly maxDepth?: number;
}

const SEQ_KNOWN = new Set(['name', 'duration', 'rate', 'timecode', 'media', 'marker']);
const CLIP_KNOWN = new Set(['name', 'enabled', 'duration', 'rate', 'start', 'end', 'in', 'out', 'file', 'sourcetrack', 'marker']);
const FILE_KNOWN = new Set(['name', 'pathurl', 'rate', 'duration', 'timecode', 'media']);
const TC_KNOWN = new Set(['rate', 'string', 'frame', 'displayformat']);
const MARKER_KNOWN = new Set(['name', 'comment', 'in', 'out']);

/** dB of a linear Audio Levels value (20·log10, spec/xml.md 1.5); silence is clamped to -144 dB. */
export function linearToDb(value: number): number {
  if (!(value > 0)) return -144;
  return Math.max(-144, 20 * Math.log10(value));
}

/** Linear Audio Levels value of a dB gain (inverse of {@link linearToDb}). */
export function dbToLinear(db: number): number {
  return db <= -144 ? 0 : Math.pow(10, db / 20);
}

/** True when the text looks like an XMEML document (`<xmeml` near the start). Never throws. */
export function detect(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 2048));
  return /<xmeml[\s>]/.test(head);
}

interface Ctx {
  readonly doc: XmlDocument;
  readonly diagnostics: Diagnostic[];
  readonly source?: string;
  readonly files: Map<string, XmlElement>;
  readonly media: Map<string, MediaSource>;
  readonly mediaOrder: MediaSource[];
  readonly seqRate: FrameRate;
  readonly seqXRate: XmemlRate;
  fullIndexBuilt: boolean;
  anonymousFiles: number;
  /** The track being read (its exploded-track attributes decide which nested clips are flattened). */
  trackEl?: XmlElement;
  /** Audio clip items that play a nested sequence, to flatten after the tracks are read. */
  readonly nests: Nest[];
  /** Nesting depth of the sequence being read (0 = the timeline's own). */
  readonly depth: number;
}

/** A clip item that plays a nested sequence. */
interface Nest {
  readonly kind: 'audio' | 'video';
  readonly sequence: XmlElement;
  readonly id: string;
  readonly name: string;
  readonly trackName: string;
  /** Timeline position and length of the clip item. */
  readonly start: RationalTime;
  readonly duration: RationalTime;
  /** Its in point in the nested sequence's time. */
  readonly inTime: RationalTime;
}

function place(ctx: Ctx, e: XmlElement, path: readonly string[]): Pick<Diagnostic, 'at' | 'path' | 'source'> {
  return { ...(e.offset >= 0 ? { at: ctx.doc.locate(e.offset) } : {}), path, ...(ctx.source !== undefined ? { source: ctx.source } : {}) };
}

/**
 * Reads an XMEML document into a timeline: its first `sequence` (or the one named in options).
 * Never throws. Errors: `xmeml/malformed` (with line and column), `xmeml/not-xmeml`,
 * `xmeml/no-sequence`, `xmeml/no-rate`. Warnings name the element and its place.
 */
export function parse(input: string | Uint8Array, options: XmemlReadOptions = {}): ParseResult<Timeline> {
  return readGuarded('xmeml', options.source, () => read(input, options));
}

function read(input: string | Uint8Array, options: XmemlReadOptions): ParseResult<Timeline> {
  const parsed = parseXml(input, { area: 'xmeml', ...(options.source !== undefined ? { source: options.source } : {}), ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : options.limits?.maxDepth !== undefined ? { maxDepth: options.limits.maxDepth } : {}), ...(options.limits?.maxEntities !== undefined ? { maxEntities: options.limits.maxEntities } : {}) });
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const src = options.source !== undefined ? { source: options.source } : {};
  if (doc.root.name !== 'xmeml') {
    return { ok: false, diagnostics: [error('xmeml/not-xmeml', `the root element is <${doc.root.name}>, not <xmeml>`, { ...src, at: doc.locate(doc.root.offset) })] };
  }
  const found = findSequence(doc.root, options.sequence);
  if (!found) {
    const what = options.sequence !== undefined ? `no sequence named "${options.sequence}"` : 'the document holds no <sequence>';
    return { ok: false, diagnostics: [error('xmeml/no-sequence', what, { ...src, at: doc.locate(doc.root.offset) })] };
  }
  const { seq, path: seqPath } = found;
  const seqXRate = readRate(seq);
  if (!seqXRate) {
    return { ok: false, diagnostics: [error('xmeml/no-rate', 'the sequence has no readable <rate> (timebase and ntsc)', { ...src, at: doc.locate(seq.offset), path: ['sequence'] })] };
  }
  const diagnostics: Diagnostic[] = [];
  const tcEl = child(seq, 'timecode');
  const dropFrame = (tcEl && childText(tcEl, 'displayformat')?.trim().toUpperCase() === 'DF') ?? false;
  const seqRate = frameRateOf(seqXRate, dropFrame);
  const ctx: Ctx = {
    doc,
    diagnostics,
    ...src,
    files: new Map(),
    media: new Map(),
    mediaOrder: [],
    seqRate,
    seqXRate,
    fullIndexBuilt: false,
    anonymousFiles: 0,
    nests: [],
    depth: 0,
  };

  // Start timecode: the label of sequence frame 0.
  let startTimecode = Timecode.fromFrames(0, seqRate);
  const tcUnknown: XmlElement[] = [];
  if (tcEl) {
    const frame = parseInteger(childText(tcEl, 'frame'));
    const label = childText(tcEl, 'string');
    if (frame !== undefined && frame >= 0) startTimecode = Timecode.fromFrames(frame, seqRate, { overflow: 'wrap' });
    else if (label !== undefined) {
      const t = Timecode.parse(label, { rate: seqRate });
      if (t.ok) startTimecode = t.value;
      else diagnostics.push(warning('xmeml/bad-timecode', `sequence timecode "${label}" is not readable; using 00:00:00:00`, place(ctx, tcEl, ['sequence', 'timecode'])));
    }
    for (const k of tcEl.children) if (typeof k !== 'string' && !TC_KNOWN.has(k.name)) tcUnknown.push(k);
  }

  const mediaEl = child(seq, 'media');
  const videoEl = mediaEl && child(mediaEl, 'video');
  const audioEl = mediaEl && child(mediaEl, 'audio');
  const tracks: Track[] = [];
  const markers: Marker[] = [];
  let sampleRate: number | undefined;
  let bitDepth: number | undefined;
  const audioFormat = audioEl && child(audioEl, 'format');
  const sc = audioFormat && child(audioFormat, 'samplecharacteristics');
  if (sc) {
    sampleRate = parseInteger(childText(sc, 'samplerate'));
    bitDepth = parseInteger(childText(sc, 'depth'));
  }
  const mediaUnknown = (m: XmlElement | undefined): XmlElement[] => {
    const out: XmlElement[] = [];
    if (m) for (const k of m.children) if (typeof k !== 'string' && k.name !== 'track') out.push(k);
    return out;
  };
  for (const [kind, kindEl] of [['video', videoEl], ['audio', audioEl]] as const) {
    if (!kindEl) continue;
    let index = 0;
    for (const k of kindEl.children) {
      if (typeof k === 'string' || k.name !== 'track') continue;
      index++;
      tracks.push(readTrack(ctx, k, kind, index, markers));
    }
  }
  const merged = mergeExploded(tracks, markers, ctx.media);
  tracks.length = 0;
  tracks.push(...merged, ...flattenNests(ctx, merged, markers));
  for (const [i, m] of seq.children.entries()) {
    if (typeof m !== 'string' && m.name === 'marker') {
      const mk = readMarker(ctx, m, ['sequence', `marker[${i}]`], seqRate, RationalTime.ZERO, 0);
      if (mk) markers.push(mk);
    }
  }
  markers.sort((a, b) => RationalTime.compare(a.position, b.position));
  if (sampleRate === undefined) {
    sampleRate = ctx.mediaOrder.find((m) => m.sampleRate !== undefined)?.sampleRate ?? 48000;
  }

  const seqUnknown: XmlElement[] = [];
  for (const k of seq.children) if (typeof k !== 'string' && !SEQ_KNOWN.has(k.name)) seqUnknown.push(k);
  const seqDuration = parseInteger(childText(seq, 'duration'));
  const rootStub: XmlElement = replaceAtPath(doc.root, seqPath, { name: 'sequence', attributes: [], children: [], offset: seq.offset });
  const meta: Record<string, JsonValue> = {
    version: attr(doc.root, 'version') ?? '5',
    root: rootStub as unknown as JsonValue,
    sequencePath: seqPath,
    sequence: {
      attributes: seq.attributes as unknown as JsonValue,
      unknown: seqUnknown as unknown as JsonValue,
      timecodeUnknown: tcUnknown as unknown as JsonValue,
      videoUnknown: mediaUnknown(videoEl) as unknown as JsonValue,
      audioUnknown: mediaUnknown(audioEl) as unknown as JsonValue,
      ...(tcEl ? { timecodeString: childText(tcEl, 'string') ?? null } : {}),
      ...(seqDuration !== undefined ? { duration: seqDuration } : {}),
    },
  };
  const timeline: Timeline = {
    name: childText(seq, 'name') ?? '',
    sampleRate,
    ...(bitDepth !== undefined ? { bitDepth } : {}),
    frameRate: seqRate,
    startTimecode,
    tracks,
    markers,
    media: ctx.mediaOrder,
    metadata: { xmeml: meta },
  };
  return { ok: true, value: timeline, diagnostics };
}

/**
 * The sound of nested sequences (spec/xml.md 1.7: "flatten with offset start − in"): the model has
 * no nesting, so each audio clip item that plays a sequence stays one clip without media (written
 * back with its sequence as read), and the nested sequence's audio clips are placed on tracks of
 * their own after the timeline's tracks, at `clip start + (nested position − in)`, trimmed to the
 * part the clip item shows. These tracks (named `<track> ▸ <nest> <nested track>`) carry
 * `metadata.xmeml.nestedFrom` (the clip item's id); the XMEML writer leaves them out, because the
 * nested sequence itself is written back.
 */
function flattenNests(ctx: Ctx, tracks: readonly Track[], markers: Marker[]): Track[] {
  const out: Track[] = [];
  // The markers of a nest are placed once, though its picture and each sound member list it.
  const markersPlaced = new Set<string>();
  // The name of the (merged) track that holds a clip item.
  const trackOf = (id: string, fallback: string): string =>
    tracks.find((t) => t.clips.some((c) => (c.metadata.xmeml as { id?: JsonValue } | undefined)?.id === id))?.name ?? fallback;
  let byId: Map<string, XmlElement> | undefined;
  for (const n of ctx.nests) {
    let seq = n.sequence;
    if (!seq.children.some((k) => typeof k !== 'string')) {
      // A reference (`<sequence id="sequence-2"/>`): the definition is elsewhere in the document.
      if (!byId) {
        byId = new Map();
        const stack: XmlElement[] = [ctx.doc.root];
        while (stack.length > 0) {
          const e = stack.pop() as XmlElement;
          for (const k of e.children) {
            if (typeof k === 'string') continue;
            const id = k.name === 'sequence' ? attr(k, 'id') : undefined;
            if (id !== undefined && k.children.some((c) => typeof c !== 'string') && !byId.has(id)) byId.set(id, k);
            stack.push(k);
          }
        }
      }
      const def = byId.get(attr(seq, 'id') ?? '');
      if (!def) continue;
      seq = def;
    }
    const xrate = readRate(seq) ?? ctx.seqXRate;
    const tcEl = child(seq, 'timecode');
    const df = (tcEl && childText(tcEl, 'displayformat')?.trim().toUpperCase() === 'DF') ?? false;
    const sub: Ctx = { ...ctx, seqRate: frameRateOf(xrate, df), seqXRate: xrate, nests: [], depth: ctx.depth + 1 };
    const mediaEl = child(seq, 'media');
    const kindEl = mediaEl && child(mediaEl, n.kind);
    const windowEnd = n.start.plus(n.duration);
    const shift = n.start.minus(n.inTime);
    const inner: Track[] = [];
    const innerMarkers: Marker[] = [];
    let index = 0;
    if (kindEl) {
      for (const k of kindEl.children) {
        if (typeof k === 'string' || k.name !== 'track') continue;
        index++;
        inner.push(readTrack(sub, k, n.kind, index, innerMarkers));
      }
    }
    // Markers inside the nest (its own and its clips'), at their absolute positions, when shown.
    const markerKey = `${seq.offset}|${n.start}|${n.inTime}`;
    if (!markersPlaced.has(markerKey)) {
      markersPlaced.add(markerKey);
      // Clip markers of the other kind's tracks too (a marker on a nested picture clip shows when only the sound is nested).
      const otherEl = mediaEl && child(mediaEl, n.kind === 'audio' ? 'video' : 'audio');
      if (otherEl) {
        let j = 0;
        for (const k of otherEl.children) if (typeof k !== 'string' && k.name === 'track') readTrack(sub, k, n.kind === 'audio' ? 'video' : 'audio', ++j, innerMarkers);
      }
      seq.children.forEach((m, i) => {
        if (typeof m === 'string' || m.name !== 'marker') return;
        const mk = readMarker(sub, m, ['sequence', `marker[${i}]`], sub.seqRate, RationalTime.ZERO, 0);
        if (mk) innerMarkers.push(mk);
      });
      for (const m of innerMarkers) {
        const position = m.position.plus(shift);
        if (position.lessThan(n.start) || !position.lessThan(windowEnd)) continue;
        const x = (m.metadata.xmeml ?? {}) as Record<string, JsonValue>;
        const { track: _track, ...rest } = m;
        void _track;
        markers.push({ ...rest, position, metadata: { ...m.metadata, xmeml: { ...x, nestedFrom: n.id } } });
      }
    }
    for (const t of n.kind === 'audio' ? mergeExploded(inner, [], ctx.media) : inner) {
      const clips: Clip[] = [];
      for (const c of t.clips) {
        let start = c.start.plus(shift);
        let end = start.plus(c.duration);
        let sourceStart = c.sourceStart;
        if (!start.lessThan(windowEnd) || !n.start.lessThan(end)) continue;
        if (start.lessThan(n.start)) {
          const cut = n.start.minus(start);
          sourceStart = sourceStart.plus(c.speed ? cut.scaledBy(c.speed) : cut);
          start = n.start;
        }
        if (windowEnd.lessThan(end)) end = windowEnd;
        const x = (c.metadata.xmeml ?? {}) as Record<string, JsonValue>;
        const placed: Clip = { ...c, start, duration: end.minus(start), sourceStart };
        clips.push({ ...placed, metadata: { ...c.metadata, xmeml: { ...x, nestedFrom: n.id, read: nestedKey(placed) } } });
      }
      if (clips.length === 0) continue;
      const transitions = t.transitions
        .map((x) => ({ ...x, start: x.start.plus(shift) }))
        .filter((x) => !x.start.lessThan(n.start) && !windowEnd.lessThan(x.start.plus(x.duration)));
      out.push({ ...t, name: `${trackOf(n.id, n.trackName)} ▸ ${n.name} ${t.name}`, clips, transitions, metadata: { xmeml: { nestedFrom: n.id } } });
    }
  }
  return out;
}

/** What the XMEML writer compares to tell whether a flattened nested clip was changed. */
export function nestedKey(c: Clip): string {
  return `${c.start}|${c.duration}|${c.sourceStart}|${c.gainDb ?? ''}|${c.muted ?? false}|${c.speed ?? ''}`;
}

function explodedIndex(t: Track): { index: number; total: number } | undefined {
  const a = (t.metadata.xmeml as { attributes?: readonly (readonly [string, string])[] } | undefined)?.attributes;
  if (!a) return undefined;
  const get = (n: string) => a.find((x) => x[0] === n)?.[1];
  const index = Number(get('currentExplodedTrackIndex'));
  const total = Number(get('totalExplodedTrackCount'));
  return Number.isInteger(index) && Number.isInteger(total) && total > 1 ? { index, total } : undefined;
}

/**
 * Premiere writes a stereo (or N-channel) track as N mono XMEML tracks, "exploded"
 * (`currentExplodedTrackIndex` 0…N−1 of `totalExplodedTrackCount` N, spec/xml.md 1.4). When the N
 * tracks hold the same clips channel by channel (channel i+1 on member i, all channels of the file),
 * and the file has N channels, they become one N-channel track whose clips play every channel; the members' own XMEML (ids,
 * links, unknown elements) is kept in `metadata.xmeml.members` so the writer can explode it again.
 * Anything less regular stays as separate mono tracks.
 */
function mergeExploded(tracks: readonly Track[], markers: Marker[], media: ReadonlyMap<string, MediaSource>): Track[] {
  const out: Track[] = [];
  const rename = new Map<string, string>();
  let audioNo = 0;
  for (let i = 0; i < tracks.length; i++) {
    const t = tracks[i] as Track;
    const ex = t.kind === 'audio' ? explodedIndex(t) : undefined;
    const group = ex && ex.index === 0 ? tracks.slice(i, i + ex.total) : undefined;
    const ok =
      group !== undefined &&
      group.length === ex!.total &&
      group.every((m, j) => explodedIndex(m)?.index === j && m.clips.length === t.clips.length && m.transitions.length === t.transitions.length && m.kind === 'audio') &&
      t.clips.every((c, k) =>
        group.every((m, j) => {
          const d = m.clips[k] as Clip;
          // Items without media (nested sequences, slugs) pair up by position alone.
          if (c.media === undefined && d.media === undefined) return d.start.equals(c.start) && d.duration.equals(c.duration) && d.sourceStart.equals(c.sourceStart);
          return (
            d.media !== undefined && c.media !== undefined && d.media.mediaId === c.media.mediaId && d.media.channel === j + 1 &&
            (media.get(c.media.mediaId)?.channels ?? ex!.total) === ex!.total &&
            d.start.equals(c.start) && d.duration.equals(c.duration) && d.sourceStart.equals(c.sourceStart) && (d.muted ?? false) === (c.muted ?? false)
          );
        }),
      ) &&
      t.transitions.every((x, k) => group.every((m) => m.transitions[k]!.start.equals(x.start) && m.transitions[k]!.duration.equals(x.duration)));
    let name = t.name;
    if (t.kind === 'audio') {
      audioNo++;
      if (/^A\d+$/.test(t.name)) name = `A${audioNo}`;
    }
    if (!ok || !group) {
      if (t.kind === 'audio') rename.set(t.name, name);
      out.push(t.kind === 'audio' ? { ...t, name } : t);
      continue;
    }
    for (const m of group) rename.set(m.name, name);
    const clips = t.clips.map((c, k) => ({
      ...c,
      ...(c.media ? { media: { mediaId: c.media.mediaId } } : {}),
      metadata: { ...c.metadata, xmeml: { ...(c.metadata.xmeml as Record<string, JsonValue>), members: group.slice(1).map((m) => (m.clips[k] as Clip).metadata.xmeml ?? null) } },
    }));
    const x = t.metadata.xmeml as Record<string, JsonValue>;
    out.push({
      ...t,
      name,
      channels: ex!.total,
      clips,
      metadata: {
        ...t.metadata,
        xmeml: {
          ...x,
          members: group.slice(1).map((m) => ({ track: m.metadata.xmeml ?? null, transitions: m.transitions.map((tr) => tr.metadata.xmeml ?? null), muted: m.muted ?? false })),
        },
      },
    });
    i += ex!.total - 1;
  }
  for (let k = 0; k < markers.length; k++) {
    const m = markers[k] as Marker;
    if (m.track !== undefined && rename.has(m.track)) markers[k] = { ...m, track: rename.get(m.track) as string };
  }
  return out;
}

function findSequence(root: XmlElement, name: string | undefined): { seq: XmlElement; path: number[] } | undefined {
  // Depth-first, not descending into clip items (nested sequences) or master clips' tracks.
  const walk = (e: XmlElement, path: number[]): { seq: XmlElement; path: number[] } | undefined => {
    for (let i = 0; i < e.children.length; i++) {
      const k = e.children[i] as XmlNode;
      if (typeof k === 'string') continue;
      if (k.name === 'sequence') {
        if (name === undefined || childText(k, 'name') === name) return { seq: k, path: [...path, i] };
        continue;
      }
      if (k.name === 'clipitem' || k.name === 'clip' || k.name === 'media' || k.name === 'file') continue;
      const r = walk(k, [...path, i]);
      if (r) return r;
    }
    return undefined;
  };
  return walk(root, []);
}

function replaceAtPath(root: XmlElement, path: readonly number[], replacement: XmlElement): XmlElement {
  if (path.length === 0) return replacement;
  const [i, ...rest] = path as [number, ...number[]];
  const children = root.children.slice();
  children[i] = replaceAtPath(children[i] as XmlElement, rest, replacement);
  return { ...root, children };
}

interface RawItem {
  readonly el: XmlElement;
  readonly index: number;
}

function readTrack(ctx: Ctx, trackEl: XmlElement, kind: 'audio' | 'video', index: number, markers: Marker[]): Track {
  // FCP and Premiere tracks have no name (A1, V1… by position); Hiero writes one.
  const ownName = childText(trackEl, 'name');
  const name = ownName !== undefined && ownName !== '' ? ownName : (kind === 'audio' ? 'A' : 'V') + index;
  const path = [kind, `track[${index}]`];
  const items: RawItem[] = [];
  const unknown: XmlElement[] = [];
  let enabled = true;
  const kids = trackEl.children;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i] as XmlNode;
    if (typeof k === 'string') continue;
    if (k.name === 'clipitem' || k.name === 'generatoritem' || k.name === 'transitionitem') items.push({ el: k, index: i });
    else if (k.name === 'enabled') enabled = parseBool(textOf(k));
    else if (k.name === 'name') continue;
    else unknown.push(k);
  }
  const rate = readRate(trackEl) ?? ctx.seqXRate;
  ctx.trackEl = trackEl;
  const clips: Clip[] = [];
  const transitions: Transition[] = [];
  // Transitions first: clip edges written as -1 are computed from them.
  const trans: ({ start: number; end: number; el: XmlElement; alignment: string } | undefined)[] = items.map((it) => {
    if (it.el.name !== 'transitionitem') return undefined;
    const s = parseInteger(childText(it.el, 'start'));
    const e = parseInteger(childText(it.el, 'end'));
    if (s === undefined || e === undefined || e < s) {
      ctx.diagnostics.push(warning('xmeml/bad-transition', 'a transitionitem without a readable start and end is skipped', place(ctx, it.el, [...path, 'transitionitem'])));
      return undefined;
    }
    return { start: s, end: e, el: it.el, alignment: (childText(it.el, 'alignment') ?? 'center').trim() };
  });
  const pendingFades = new Map<number, { fadeIn?: Fade; fadeOut?: Fade; fadeInEl?: XmlElement; fadeOutEl?: XmlElement }>();
  let clipNo = 0;
  for (let n = 0; n < items.length; n++) {
    const it = items[n] as RawItem;
    if (it.el.name === 'transitionitem') continue;
    clipNo++;
    const prev = n > 0 ? trans[n - 1] : undefined;
    const next = n + 1 < items.length ? trans[n + 1] : undefined;
    const clip = readClip(ctx, it.el, [...path, `${it.el.name}[${clipNo}]`], kind, rate, prev, next, name, markers);
    if (clip) clips.push(clip);
    else continue;
    // On audio tracks a transition to or from black (or at the track's head or tail) is a fade.
    const ci = clips.length - 1;
    if (kind === 'audio' && prev && prev.alignment !== '#fade' && (prev.alignment === 'start-black' || n - 1 === 0)) {
      pendingFades.set(ci, { ...pendingFades.get(ci), fadeIn: fadeOf(ctx, prev), fadeInEl: prev.el });
      trans[n - 1] = { ...prev, alignment: '#fade' };
    }
    if (kind === 'audio' && next && (next.alignment === 'end-black' || n + 1 === items.length - 1)) {
      pendingFades.set(ci, { ...pendingFades.get(ci), fadeOut: fadeOf(ctx, next), fadeOutEl: next.el });
      trans[n + 1] = { ...next, alignment: '#fade' };
    }
  }
  for (const [ci, f] of pendingFades) {
    const c = clips[ci] as Clip;
    const x = (c.metadata.xmeml ?? {}) as Record<string, JsonValue>;
    clips[ci] = {
      ...c,
      ...(f.fadeIn ? { fadeIn: f.fadeIn } : {}),
      ...(f.fadeOut ? { fadeOut: f.fadeOut } : {}),
      metadata: {
        ...c.metadata,
        xmeml: { ...x, ...(f.fadeInEl ? { fadeIn: f.fadeInEl as unknown as JsonValue } : {}), ...(f.fadeOutEl ? { fadeOut: f.fadeOutEl as unknown as JsonValue } : {}) },
      },
    };
  }
  for (const t of trans) {
    if (!t || t.alignment === '#fade') continue;
    transitions.push(readTransition(ctx, t));
  }
  clips.sort((a, b) => RationalTime.compare(a.start, b.start));
  return {
    kind,
    name,
    channels: kind === 'audio' ? 1 : 0,
    clips,
    transitions,
    ...(enabled ? {} : { muted: true }),
    metadata: {
      xmeml: {
        attributes: trackEl.attributes as unknown as JsonValue,
        unknown: unknown as unknown as JsonValue,
        ...(child(trackEl, 'rate') ? { rate: rate as unknown as JsonValue } : {}),
        ...(ownName !== undefined ? { named: true } : {}),
      },
    },
  };
}

function shapeOf(effectId: string): FadeShape | undefined {
  if (/CrossFade3dB/i.test(effectId)) return 'equal-power';
  if (/CrossFade0dB/i.test(effectId)) return 'linear';
  return undefined;
}

function fadeOf(ctx: Ctx, t: { start: number; end: number; el: XmlElement }): Fade {
  const effect = child(t.el, 'effect');
  const id = (effect && childText(effect, 'effectid')) ?? '';
  return { duration: RationalTime.fromFrames(t.end - t.start, ctx.seqRate), shape: shapeOf(id) ?? 'linear' };
}

function readTransition(ctx: Ctx, t: { start: number; end: number; el: XmlElement; alignment: string }): Transition {
  const effect = child(t.el, 'effect');
  const id = (effect && childText(effect, 'effectid')) ?? '';
  const mediatype = (effect && childText(effect, 'mediatype')) ?? '';
  const shape = shapeOf(id);
  const kind: Transition['kind'] = mediatype === 'audio' || shape ? 'crossfade' : /dissolve/i.test(id) ? 'dissolve' : /wipe/i.test(id) ? 'wipe' : 'other';
  return {
    kind,
    start: RationalTime.fromFrames(t.start, ctx.seqRate),
    duration: RationalTime.fromFrames(t.end - t.start, ctx.seqRate),
    ...(shape ? { shape } : {}),
    metadata: { xmeml: { element: t.el as unknown as JsonValue } },
  };
}

function readClip(
  ctx: Ctx,
  e: XmlElement,
  path: readonly string[],
  kind: 'audio' | 'video',
  parentRate: XmemlRate,
  prev: { start: number; end: number } | undefined,
  next: { start: number; end: number } | undefined,
  trackName: string,
  markers: Marker[],
): Clip | undefined {
  const xrate = readRate(e) ?? parentRate;
  const clipRate = frameRateOf(xrate);
  let start = parseInteger(childText(e, 'start'));
  let end = parseInteger(childText(e, 'end'));
  let inF = parseInteger(childText(e, 'in'));
  let outF = parseInteger(childText(e, 'out'));
  const rawStart = start;
  const rawEnd = end;
  if (start === undefined || end === undefined) {
    ctx.diagnostics.push(warning('xmeml/missing-position', `<${e.name}> has no readable start/end; skipped`, place(ctx, e, path)));
    return undefined;
  }
  let remap = readTimeRemap(ctx, e, path);
  // A speed ramp: `in`/`out` are source frames and `start`/`end` timeline frames (spec/xml.md 1.3),
  // so the clip's source range is exact and its speed is the average, (out − in) / (end − start)
  // in seconds; the keyframes themselves go to `metadata.retime`.
  if (remap?.ramp) {
    const clipRate0 = frameRateOf(readRate(e) ?? parentRate);
    if (start >= 0 && end > start && inF !== undefined && outF !== undefined && inF >= 0 && outF >= inF) {
      const src = RationalTime.fromFrames(outF - inF, clipRate0).seconds;
      const tl = RationalTime.fromFrames(end - start, ctx.seqRate).seconds;
      // The graph itself says which way the source runs; `reverse` is not applied to a ramp.
      const avg = src.dividedBy(tl);
      remap = { ...remap, speed: avg };
      ctx.diagnostics.push(warning('xmeml/speed-ramp', `<${e.name}> has a variable-speed Time Remap: its keyframes are kept (metadata.retime) and the clip plays at its average speed ${avg.toString()}`, place(ctx, e, path)));
    } else {
      ctx.diagnostics.push(warning('xmeml/retime-ignored', `<${e.name}> has a variable-speed Time Remap next to a transition (edge -1); its keyframes are kept, the clip is read at its source in point at normal speed`, place(ctx, e, path)));
    }
  }
  // Length on the timeline from the source range, in the clip's own rate (`in`/`out` count source
  // frames, so a speed change divides them).
  let length: RationalTime | undefined;
  if (inF !== undefined && outF !== undefined && inF >= 0 && outF >= inF) {
    length = RationalTime.fromFrames(outF - inF, clipRate);
    if (remap?.speed && !remap.speed.isZero()) length = RationalTime.fromSeconds(length.seconds.dividedBy(remap.speed.abs()));
  }
  const seqRate = ctx.seqRate;
  let startT: RationalTime;
  let endT: RationalTime;
  if (start >= 0 && end >= 0) {
    startT = RationalTime.fromFrames(start, seqRate);
    endT = RationalTime.fromFrames(end, seqRate);
  } else if (start < 0 && end >= 0) {
    endT = RationalTime.fromFrames(end, seqRate);
    startT = length ? endT.minus(length) : RationalTime.fromFrames(prev?.start ?? end, seqRate);
  } else if (start >= 0 && end < 0) {
    startT = RationalTime.fromFrames(start, seqRate);
    endT = length ? startT.plus(length) : RationalTime.fromFrames(next?.end ?? start, seqRate);
  } else {
    // Both edges under transitions: the incoming clip starts where its transition starts.
    if (!prev && !next) {
      ctx.diagnostics.push(warning('xmeml/unresolved-position', `<${e.name}> has start and end -1 and no neighbouring transition; skipped`, place(ctx, e, path)));
      return undefined;
    }
    if (prev) {
      startT = RationalTime.fromFrames(prev.start, seqRate);
      endT = length ? startT.plus(length) : RationalTime.fromFrames(next?.end ?? prev.end, seqRate);
    } else {
      endT = RationalTime.fromFrames((next as { end: number }).end, seqRate);
      startT = length ? endT.minus(length) : endT;
    }
  }
  if (endT.lessThan(startT)) {
    ctx.diagnostics.push(warning('xmeml/negative-duration', `<${e.name}> ends before it starts; skipped`, place(ctx, e, path)));
    return undefined;
  }
  start = rawStart;
  end = rawEnd;

  // Media.
  let mediaSource: MediaSource | undefined;
  const fileEl = child(e, 'file');
  if (fileEl) mediaSource = resolveFile(ctx, fileEl, xrate, path);
  const nested = child(e, 'sequence');
  if (nested && !fileEl) {
    const ex = ctx.trackEl && attr(ctx.trackEl, 'currentExplodedTrackIndex');
    // Premiere lists a nest once per exploded member; its sound is flattened from the first.
    if (ctx.depth === 0 && (kind === 'video' || ex === undefined || ex === '0')) {
      const clipRateOfNest = frameRateOf(xrate);
      ctx.nests.push({
        kind,
        sequence: nested,
        id: attr(e, 'id') ?? '',
        name: childText(e, 'name') ?? '',
        trackName,
        start: startT,
        duration: endT.minus(startT),
        inTime: RationalTime.fromFrames(inF !== undefined && inF >= 0 ? inF : 0, clipRateOfNest),
      });
    } else if (ctx.depth > 0) {
      ctx.diagnostics.push(
        warning('xmeml/nested-sequence', `<${e.name}> "${childText(e, 'name') ?? ''}" plays a sequence nested two levels deep; it is read as one clip without media (the sequence is kept for writing)`, place(ctx, e, path)),
      );
    }
  }
  let channel: number | undefined;
  const st = child(e, 'sourcetrack');
  if (st && kind === 'audio') channel = parseInteger(childText(st, 'trackindex'));
  if (inF === undefined || inF < 0) inF = 0;
  if (outF === undefined || outF < 0) outF = inF;
  const mediaStart = mediaSource?.start ?? RationalTime.ZERO;
  const sourceStart = mediaStart.plus(RationalTime.fromFrames(inF, clipRate));

  // Filters: Audio Levels → gain; everything else kept.
  const unknown: XmlElement[] = [];
  let gainDb: number | undefined;
  let gainAutomation: GainPoint[] | undefined;
  let levelsEl: XmlElement | undefined;
  let pan: number | undefined;
  const clipMarkers: XmlElement[] = [];
  for (const k of e.children) {
    if (typeof k === 'string') continue;
    if (k.name === 'filter') {
      const effect = child(k, 'effect');
      const id = effect && childText(effect, 'effectid');
      if (effect && id === 'audiolevels' && !levelsEl) {
        levelsEl = k;
        const lv = readLevels(ctx, effect, inF, outF, clipRate);
        gainDb = lv.gainDb;
        gainAutomation = lv.automation;
        continue;
      }
      if (effect && id === 'audiopan') {
        const p = findParameter(effect, 'pan');
        const v = p && Number(childText(p, 'value'));
        if (v !== undefined && Number.isFinite(v)) pan = v;
      }
      unknown.push(k);
    } else if (k.name === 'marker') clipMarkers.push(k);
    else if (!CLIP_KNOWN.has(k.name)) unknown.push(k);
  }
  const id = attr(e, 'id') ?? '';
  for (const [i, m] of clipMarkers.entries()) {
    const mk = readMarker(ctx, m, [...path, `marker[${i + 1}]`], clipRate, startT, inF, trackName, id);
    if (mk) markers.push(mk);
  }
  const enabled = childText(e, 'enabled');
  const rawDuration = parseInteger(childText(e, 'duration'));
  const x: Record<string, JsonValue> = {
    element: e.name,
    id,
    attributes: e.attributes as unknown as JsonValue,
    unknown: unknown as unknown as JsonValue,
    rate: xrate as unknown as JsonValue,
    in: inF,
    out: outF,
    start: start ?? null,
    end: end ?? null,
  };
  if (rawDuration !== undefined) x.duration = rawDuration;
  // Numbers written in another form than plain integers (Hiero: `1055.0`), kept for writing back.
  const texts: Record<string, string> = {};
  for (const k of ['in', 'out', 'duration', 'start', 'end']) {
    const t = childText(e, k);
    if (t !== undefined && t !== String(parseInteger(t))) texts[k] = t;
  }
  if (Object.keys(texts).length > 0) x.texts = texts;
  if (child(e, 'rate')) x.ownRate = true;
  if (st) x.sourcetrack = { mediatype: childText(st, 'mediatype') ?? kind, trackindex: parseInteger(childText(st, 'trackindex')) ?? 1 };
  if (levelsEl) x.levels = { element: levelsEl as unknown as JsonValue, gainDb: gainDb ?? null, automation: gainAutomation ? gainAutomation.map((g) => ({ time: g.time.toString(), gainDb: g.gainDb })) : null };
  if (pan !== undefined) x.pan = pan;
  if (remap) x.timeremap = { speed: remap.speed ? remap.speed.toString() : null, text: remap.text };
  const retime: JsonValue | undefined = remap?.ramp
    ? { kind: 'xmeml-graphdict', keyframes: remap.ramp.map((r) => ({ when: r.when, value: r.value })), clipRate: `${frameRateOf(xrate).rate}`, ...(remap.speed ? { read: `${startT}|${endT.minus(startT)}|${remap.speed}` } : {}) }
    : undefined;
  if (fileEl && !mediaSource) x.file = fileEl as unknown as JsonValue;
  return {
    name: childText(e, 'name') ?? '',
    start: startT,
    duration: endT.minus(startT),
    sourceStart,
    ...(mediaSource ? { media: { mediaId: mediaSource.id, ...(channel !== undefined ? { channel } : {}) } } : {}),
    ...(gainDb !== undefined ? { gainDb } : {}),
    ...(gainAutomation ? { gainAutomation } : {}),
    ...(enabled !== undefined && !parseBool(enabled) ? { muted: true } : {}),
    ...(remap?.speed && !remap.speed.equals(Rational.ONE) ? { speed: remap.speed } : {}),
    metadata: { ...(retime !== undefined ? { retime } : {}), xmeml: x },
  };
}

/** A clip's speed from its Time Remap filter, as read. */
interface TimeRemap {
  /** Source time over timeline time (exact: `speed` is a decimal percentage); undefined for a ramp. */
  readonly speed?: Rational;
  /** The `speed` parameter as written. */
  readonly text: string;
  /** A variable-speed remap's `graphdict` keyframes (`when`, `value`), integers as written. */
  readonly ramp?: readonly { readonly when: number; readonly value: number }[];
}

/**
 * The Time Remap filter (`effectid timeremap`) of a clip: `speed` is a percentage (FCP's "Speed %",
 * Premiere writes `100` with limits ±100000), `reverse TRUE` plays backwards. A variable-speed
 * remap (`variablespeed` 1, keyframes in `graphdict`) is not a constant speed: warned, not read.
 * The filter itself stays in the clip's kept elements.
 */
function readTimeRemap(ctx: Ctx, e: XmlElement, path: readonly string[]): TimeRemap | undefined {
  for (const k of e.children) {
    if (typeof k === 'string' || k.name !== 'filter') continue;
    const effect = child(k, 'effect');
    if (!effect || childText(effect, 'effectid')?.trim() !== 'timeremap') continue;
    const speedP = findParameter(effect, 'speed');
    const text = (speedP && childText(speedP, 'value')?.trim()) ?? '';
    const variable = findParameter(effect, 'variablespeed');
    const variableText = variable && childText(variable, 'value')?.trim();
    if (variableText !== undefined && variableText !== '0' && variableText.toUpperCase() !== 'FALSE') {
      // A ramp: its keyframes are carried as data; the clip's speed is its average (readClip).
      const graph = findParameter(effect, 'graphdict');
      const ramp: { when: number; value: number }[] = [];
      if (graph) {
        for (const kf of childrenNamed(graph, 'keyframe')) {
          const when = parseInteger(childText(kf, 'when'));
          const value = parseInteger(childText(kf, 'value'));
          if (when !== undefined && value !== undefined) ramp.push({ when, value });
        }
      }
      return { text, ramp };
    }
    const percent = Rational.parse(text.startsWith('+') ? text.slice(1) : text);
    if (!percent) {
      ctx.diagnostics.push(warning('xmeml/bad-speed', `<${e.name}> Time Remap speed "${text}" is not a number; read at normal speed`, place(ctx, k, path)));
      return { text };
    }
    const reverseP = findParameter(effect, 'reverse');
    const reverse = parseBool(reverseP && childText(reverseP, 'value'));
    const speed = percent.dividedBy(Rational.of(100));
    return { speed: reverse ? speed.negate() : speed, text };
  }
  return undefined;
}

function findParameter(effect: XmlElement, id: string): XmlElement | undefined {
  for (const k of effect.children) if (typeof k !== 'string' && k.name === 'parameter' && childText(k, 'parameterid') === id) return k;
  return undefined;
}

function readLevels(ctx: Ctx, effect: XmlElement, inF: number, outF: number, clipRate: FrameRate): { gainDb?: number; automation?: GainPoint[] } {
  const p = findParameter(effect, 'level');
  if (!p) return {};
  const keys: { when: number; value: number }[] = [];
  for (const k of p.children) {
    if (typeof k === 'string' || k.name !== 'keyframe') continue;
    const when = parseInteger(childText(k, 'when'));
    const value = Number(childText(k, 'value'));
    if (when !== undefined && Number.isFinite(value)) keys.push({ when, value });
  }
  const value = Number(childText(p, 'value'));
  const gainDb = Number.isFinite(value) && childText(p, 'value') !== undefined ? linearToDb(value) : undefined;
  if (keys.length === 0) return gainDb !== undefined ? { gainDb } : {};
  // `when` counts clip frames either from the media start (within [in, out]) or from the in point
  // (within [0, out-in]); spec/xml.md 1.5 says to tell them apart by range.
  const fromMedia = inF > 0 && keys.every((k) => k.when >= inF && k.when <= outF);
  const automation = keys.map((k) => ({ time: RationalTime.fromFrames(fromMedia ? k.when - inF : k.when, clipRate), gainDb: linearToDb(k.value) }));
  return { ...(gainDb !== undefined ? { gainDb } : {}), automation };
}

function readMarker(
  ctx: Ctx,
  m: XmlElement,
  path: readonly string[],
  rate: FrameRate,
  base: RationalTime,
  inF: number,
  track?: string,
  clipId?: string,
): Marker | undefined {
  const inM = parseInteger(childText(m, 'in'));
  const outM = parseInteger(childText(m, 'out'));
  if (inM === undefined || inM < 0) {
    ctx.diagnostics.push(warning('xmeml/bad-marker', 'a marker without a readable <in> is skipped', place(ctx, m, path)));
    return undefined;
  }
  const unknown: XmlElement[] = [];
  for (const k of m.children) if (typeof k !== 'string' && !MARKER_KNOWN.has(k.name)) unknown.push(k);
  const comment = childText(m, 'comment');
  const x: Record<string, JsonValue> = { unknown: unknown as unknown as JsonValue, in: inM, out: outM ?? -1 };
  if (clipId !== undefined) x.clipitem = clipId;
  return {
    name: childText(m, 'name') ?? '',
    position: base.plus(RationalTime.fromFrames(inM - inF, rate)),
    ...(outM !== undefined && outM > inM ? { duration: RationalTime.fromFrames(outM - inM, rate) } : {}),
    ...(comment !== undefined && comment !== '' ? { comment } : {}),
    ...(track !== undefined ? { track } : {}),
    metadata: { xmeml: x },
  };
}

function isDefinition(f: XmlElement): boolean {
  for (const k of f.children) if (typeof k !== 'string') return true;
  return false;
}

function buildFullIndex(ctx: Ctx): void {
  ctx.fullIndexBuilt = true;
  const stack: XmlElement[] = [ctx.doc.root];
  while (stack.length > 0) {
    const e = stack.pop() as XmlElement;
    for (const k of e.children) {
      if (typeof k === 'string') continue;
      if (k.name === 'file') {
        const id = attr(k, 'id');
        if (id !== undefined && isDefinition(k) && !ctx.files.has(id)) ctx.files.set(id, k);
      }
      stack.push(k);
    }
  }
}

function resolveFile(ctx: Ctx, fileEl: XmlElement, clipRate: XmemlRate, path: readonly string[]): MediaSource | undefined {
  let id = attr(fileEl, 'id');
  if (id === undefined) id = `file-anon-${++ctx.anonymousFiles}`;
  const known = ctx.media.get(id);
  if (known) return known;
  let def: XmlElement | undefined = isDefinition(fileEl) ? fileEl : ctx.files.get(id);
  let definedOutside = false;
  if (!def) {
    if (!ctx.fullIndexBuilt) buildFullIndex(ctx);
    def = ctx.files.get(id);
    definedOutside = def !== undefined;
  }
  if (!def) {
    ctx.diagnostics.push(warning('xmeml/undefined-file', `file "${id}" is referenced but never defined`, place(ctx, fileEl, [...path, 'file'])));
    return undefined;
  }
  ctx.files.set(id, def);
  const m = readFile(ctx, def, id, clipRate, definedOutside);
  ctx.media.set(id, m);
  ctx.mediaOrder.push(m);
  return m;
}

function readFile(ctx: Ctx, f: XmlElement, id: string, clipRate: XmemlRate, definedOutside: boolean): MediaSource {
  const xrate = readRate(f) ?? clipRate;
  const tc = child(f, 'timecode');
  const tcXRate = (tc && readRate(tc)) ?? xrate;
  const df = (tc && childText(tc, 'displayformat')?.trim().toUpperCase() === 'DF') ?? false;
  const tcRate = frameRateOf(tcXRate, df);
  const frame = tc ? parseInteger(childText(tc, 'frame')) : undefined;
  let start: RationalTime | undefined;
  if (frame !== undefined && frame >= 0) start = RationalTime.fromFrames(frame, tcRate);
  else if (tc) {
    const label = childText(tc, 'string');
    const t = label !== undefined ? Timecode.parse(label, { rate: tcRate }) : undefined;
    if (t?.ok) start = RationalTime.fromFrames(t.value.frames, tcRate);
  }
  const duration = parseInteger(childText(f, 'duration'));
  const media = child(f, 'media');
  const audio = media && child(media, 'audio');
  const video = media && child(media, 'video');
  let sampleRate: number | undefined;
  let channels: number | undefined;
  let depth: number | undefined;
  if (audio && media) {
    const sc = child(audio, 'samplecharacteristics');
    if (sc) {
      sampleRate = parseInteger(childText(sc, 'samplerate'));
      depth = parseInteger(childText(sc, 'depth'));
    }
    // A file with several audio streams lists one <audio> per stream (lossless-cut's XMEML: two
    // mono streams, `sourcetrack` 1 and 2); its channels are the sum of their channel counts.
    channels = 0;
    for (const a of childrenNamed(media, 'audio')) channels += parseInteger(childText(a, 'channelcount')) ?? 1;
  }
  const unknown: XmlElement[] = [];
  for (const k of f.children) if (typeof k !== 'string' && !FILE_KNOWN.has(k.name)) unknown.push(k);
  const tcUnknown: XmlElement[] = [];
  if (tc) for (const k of tc.children) if (typeof k !== 'string' && !TC_KNOWN.has(k.name)) tcUnknown.push(k);
  const pathurl = childText(f, 'pathurl');
  const x: Record<string, JsonValue> = {
    attributes: f.attributes as unknown as JsonValue,
    unknown: unknown as unknown as JsonValue,
    rate: xrate as unknown as JsonValue,
  };
  if (tc) x.timecode = { rate: tcXRate as unknown as JsonValue, dropFrame: df, string: childText(tc, 'string') ?? null, unknown: tcUnknown as unknown as JsonValue };
  if (media) x.media = { element: media as unknown as JsonValue, sampleRate: sampleRate ?? null, channels: channels ?? null, depth: depth ?? null };
  if (duration !== undefined) x.duration = duration;
  if (definedOutside) x.definedOutside = true;
  const kind: MediaSource['kind'] = audio && video ? 'audio-video' : audio ? 'audio' : 'video';
  return {
    id,
    name: childText(f, 'name') ?? id,
    kind,
    ...(pathurl !== undefined && pathurl !== '' ? { url: pathurl } : {}),
    ...(sampleRate !== undefined ? { sampleRate } : {}),
    ...(channels !== undefined ? { channels } : {}),
    ...(start !== undefined ? { start } : {}),
    ...(duration !== undefined ? { duration: RationalTime.fromFrames(duration, frameRateOf(xrate)) } : {}),
    metadata: { xmeml: x },
  };
}

/**
 * The local path of a `pathurl` (`file://localhost/D%3a/media/a.mov` → `D:/media/a.mov`,
 * `file:///Volumes/x.wav` → `/Volumes/x.wav`), percent-decoded; undefined when not a file URL.
 */
export function pathFromUrl(url: string): string | undefined {
  const m = /^file:\/\/(?:localhost)?(\/.*)$/i.exec(url.trim());
  if (!m) return undefined;
  let p: string;
  try {
    p = decodeURIComponent(m[1] as string);
  } catch {
    return undefined;
  }
  if (/^\/[A-Za-z]:/.test(p)) p = p.slice(1);
  return p;
}
