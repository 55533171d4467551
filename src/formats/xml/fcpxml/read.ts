/**
 * FCPXML (1.8 through 1.13) into the {@link Timeline} model.
 *
 * Facts from spec/xml.md part 2: every time is exact rational seconds; an element's `offset` is in
 * its parent's time, `start` is the first instant of its own local time, so
 * `T(child) = T(parent) + (child.offset − parent.start)`; connected items (with a `lane`) use the
 * parent clip's local time; the top spine counts from `tcStart` in FCP's own exports (from 0 in
 * some generators, told apart by the first offset). Audio clips are grouped into tracks by audio
 * role, video clips by lane. What the model has no field for stays in `metadata.fcpxml`.
 * @packageDocumentation
 */
import { error, warning, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../../diagnostics/result.js';
import type { Clip, Fade, FadeShape, GainPoint, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import { Timecode } from '../../../time/timecode.js';
import type { ReadOptions } from '../../types.js';
import { attr, child, childrenNamed, parseXml, type XmlDocument, type XmlElement, readGuarded } from '../xml-tree.js';
import { markerFingerprint, withRead } from './lossless.js';
import { parseAudioRate, parseDb, parseFcpxmlTime } from './time.js';

/** Options of {@link parse}. */
export interface FcpxmlReadOptions extends ReadOptions {
  /** Name of the project to read when the document holds several (default: the first). */
  readonly project?: string;
}

/** True when the bytes look like FCPXML (`<fcpxml` near the start). Never throws. */
export function detect(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 2048));
  return /<fcpxml[\s>]/.test(head);
}

interface Asset {
  readonly el: XmlElement;
  readonly source: MediaSource;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  readonly start: RationalTime;
  readonly duration?: RationalTime;
}

interface Placed {
  readonly kind: 'audio' | 'video';
  readonly key: string;
  readonly clip: Clip;
}

interface Ctx {
  readonly doc: XmlDocument;
  readonly diagnostics: Diagnostic[];
  readonly source?: string;
  readonly assets: Map<string, Asset>;
  readonly media: Map<string, XmlElement>;
  readonly placed: Placed[];
  readonly markers: Marker[];
  readonly transitions: { key: string; t: Transition }[];
  /** Child-index path of every element from the root, so the writer can edit the document in place. */
  readonly paths: Map<XmlElement, number[]>;
  /** Inside a compound clip: only sound is placed, and only what shows through the window. */
  scope: {
    readonly audioOnly: boolean;
    readonly window?: { readonly start: RationalTime; readonly end: RationalTime };
    readonly depth: number;
    /** Inside a compound clip: the track key its picture goes to (`V1 ▸ <compound name>`). */
    readonly pictureKey?: string;
    /** The lane the compound clip sits on (its content without a lane of its own inherits it). */
    readonly baseLane?: number;
    /** Inside a compound clip used for its picture only (`srcEnable="video"`): no sound is placed. */
    readonly pictureOnly?: boolean;
    /** Inside a compound clip used for its sound only: its markers are left to the picture's use. */
    readonly noMarkers?: boolean;
  };
  /** Format resources by id (for the frame rate a `conform-rate` conforms to). */
  readonly formats: Map<string, XmlElement>;
  /** Seconds per frame of the sequence being walked (the top project's, or a compound clip's). */
  frameDuration: Rational | undefined;
}

const STORY = new Set(['asset-clip', 'clip', 'audio', 'video', 'ref-clip', 'sync-clip', 'mc-clip', 'gap', 'title', 'spine', 'audition', 'transition', 'marker', 'chapter-marker']);

const CONTENT = new Set(['video', 'audio', 'asset-clip', 'spine']);

function place(ctx: Ctx, e: XmlElement): Pick<Diagnostic, 'at' | 'source'> {
  return { ...(e.offset >= 0 ? { at: ctx.doc.locate(e.offset) } : {}), ...(ctx.source !== undefined ? { source: ctx.source } : {}) };
}

function time(ctx: Ctx, e: XmlElement, name: string): RationalTime | undefined {
  const text = attr(e, name);
  if (text === undefined) return undefined;
  const t = parseFcpxmlTime(text);
  if (!t) ctx.diagnostics.push(warning('fcpxml/bad-time', `<${e.name} ${name}="${text}"> is not a time ("N/Ds" or "Ns"); ignored`, place(ctx, e)));
  return t;
}

/**
 * Reads an FCPXML document into a timeline: the first project's sequence (or the named one);
 * a document with no project but a top-level clip reads that clip as a one-clip timeline.
 * Never throws. Errors: `fcpxml/malformed` (line and column), `fcpxml/not-fcpxml`, `fcpxml/no-sequence`.
 */
export function parse(input: string | Uint8Array, options: FcpxmlReadOptions = {}): ParseResult<Timeline> {
  return readGuarded('fcpxml', options.source, () => read(input, options));
}

function read(input: string | Uint8Array, options: FcpxmlReadOptions): ParseResult<Timeline> {
  const src = options.source !== undefined ? { source: options.source } : {};
  const parsed = parseXml(input, { area: 'fcpxml', ...src, ...(options.limits?.maxDepth !== undefined ? { maxDepth: options.limits.maxDepth } : {}), ...(options.limits?.maxEntities !== undefined ? { maxEntities: options.limits.maxEntities } : {}) });
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const root = doc.root;
  if (root.name !== 'fcpxml') {
    return { ok: false, diagnostics: [error('fcpxml/not-fcpxml', `the root element is <${root.name}>, not <fcpxml>`, { ...src, at: doc.locate(root.offset) })] };
  }
  const formats = new Map<string, XmlElement>();
  const ctx: Ctx = { doc, diagnostics: [], ...src, assets: new Map(), media: new Map(), placed: [], markers: [], transitions: [], paths: indexPaths(root), scope: { audioOnly: false, depth: 0 }, formats, frameDuration: undefined };
  const resources = child(root, 'resources');
  const mediaList: MediaSource[] = [];
  if (resources) {
    for (const r of resources.children) {
      if (typeof r === 'string') continue;
      const id = attr(r, 'id');
      if (id === undefined) continue;
      if (r.name === 'format') formats.set(id, r);
      else if (r.name === 'media') ctx.media.set(id, r);
      else if (r.name === 'asset') {
        const a = readAsset(ctx, r, id);
        ctx.assets.set(id, a);
        mediaList.push(a.source);
      }
    }
  }
  const found = findProject(root, options.project);
  let seq: XmlElement | undefined = found?.sequence;
  let spineChildren: readonly XmlElement[];
  if (seq) {
    const spine = child(seq, 'spine');
    spineChildren = spine ? spine.children.filter((k): k is XmlElement => typeof k !== 'string') : [];
  } else {
    // No project: a clip exported on its own (under an event or the root).
    const holder = findStandalone(root);
    if (!holder) {
      return { ok: false, diagnostics: [error('fcpxml/no-sequence', 'the document holds no project sequence and no clip', { ...src, at: doc.locate(root.offset) })] };
    }
    spineChildren = [holder];
  }
  const formatId = seq ? attr(seq, 'format') : attr(spineChildren[0] as XmlElement, 'format');
  const fmt = formatId !== undefined ? formats.get(formatId) : undefined;
  const frameDuration = fmt ? parseFcpxmlTime(attr(fmt, 'frameDuration')) : undefined;
  const dropFrame = (seq ? attr(seq, 'tcFormat') : attr(spineChildren[0] as XmlElement, 'tcFormat')) === 'DF';
  let frameRate: FrameRate;
  // A frame longer than a second (below 1 fps) has no timecode: treated as absent (issue 13, fuzzing).
  if (frameDuration && !frameDuration.isZero() && !frameDuration.isNegative() && frameDuration.seconds.num <= frameDuration.seconds.den) {
    const fd = frameDuration.seconds;
    const df = dropFrame && fd.num === 1001n && (fd.den === 30000n || fd.den === 60000n);
    frameRate = FrameRate.of(fd.den, fd.num, { dropFrame: df });
  } else {
    frameRate = FrameRate.FPS_24;
    ctx.diagnostics.push(warning('fcpxml/no-frame-rate', 'the sequence format states no frameDuration; 24 fps assumed', place(ctx, seq ?? root)));
  }
  ctx.frameDuration = frameRate.frameDuration;
  const tcStart = (seq && time(ctx, seq, 'tcStart')) ?? RationalTime.ZERO;
  // FCP numbers top-level spine offsets from tcStart; some generators from 0 (spec/xml.md 2.3).
  const firstOffset = spineChildren[0] ? time(ctx, spineChildren[0], 'offset') ?? RationalTime.ZERO : RationalTime.ZERO;
  const origin = seq && !firstOffset.lessThan(tcStart) ? tcStart : RationalTime.ZERO;
  walk(ctx, spineChildren, RationalTime.ZERO, origin, 0);

  const tracks = buildTracks(ctx);
  const startFrames = tcStart.toFrames(frameRate, 'nearest');
  const startTimecode = Timecode.fromFrames(startFrames, frameRate, { overflow: 'wrap' });
  const sampleRate = (seq && parseAudioRate(attr(seq, 'audioRate'))) ?? mediaList.find((m) => m.sampleRate !== undefined)?.sampleRate ?? 48000;
  ctx.markers.sort((a, b) => RationalTime.compare(a.position, b.position));
  const project = found?.project;
  const meta: Record<string, JsonValue> = {
    version: attr(root, 'version') ?? '',
    ...(seq ? { sequence: seq.attributes as unknown as JsonValue } : {}),
    ...(project ? { project: project.attributes as unknown as JsonValue } : {}),
    ...(found?.event ? { event: found.event.attributes as unknown as JsonValue } : {}),
    ...(fmt ? { format: fmt.attributes as unknown as JsonValue } : {}),
    origin: origin.toString(),
    // Which elements gave how many clips and markers, for the writer to see what was removed.
    placed: placedCounts(ctx) as unknown as JsonValue,
    ...(seq ? { sequencePath: ctx.paths.get(seq) ?? [] } : {}),
    ...(project ? { projectPath: ctx.paths.get(project) ?? [] } : {}),
    // The document as read: the writer edits it in place, so read → write keeps every element.
    document: stripOffsets(root) as unknown as JsonValue,
    ...(doc.doctype !== undefined ? { doctype: doc.doctype } : {}),
  };
  return {
    ok: true,
    value: {
      name: (project && attr(project, 'name')) ?? (spineChildren[0] && attr(spineChildren[0], 'name')) ?? '',
      sampleRate,
      frameRate,
      startTimecode,
      tracks,
      markers: ctx.markers,
      media: mediaList,
      metadata: { fcpxml: meta },
    },
    diagnostics: ctx.diagnostics,
  };
}

function placedCounts(ctx: Ctx): Record<string, number> {
  const out: Record<string, number> = {};
  const count = (m: { readonly [k: string]: JsonValue } | undefined): void => {
    const p = m?.path;
    if (!Array.isArray(p) || m?.inCompound === true) return;
    const key = p.join('.');
    out[key] = (out[key] ?? 0) + 1;
  };
  for (const p of ctx.placed) count(p.clip.metadata.fcpxml as { readonly [k: string]: JsonValue } | undefined);
  for (const m of ctx.markers) count(m.metadata.fcpxml as { readonly [k: string]: JsonValue } | undefined);
  return out;
}

function indexPaths(root: XmlElement): Map<XmlElement, number[]> {
  const out = new Map<XmlElement, number[]>();
  const visit = (e: XmlElement, path: number[]): void => {
    out.set(e, path);
    e.children.forEach((k, i) => {
      if (typeof k !== 'string') visit(k, [...path, i]);
    });
  };
  visit(root, []);
  return out;
}

// The tree without source offsets (they describe the input text, not the document).
function stripOffsets(e: XmlElement): XmlElement {
  return { name: e.name, attributes: e.attributes, children: e.children.map((k) => (typeof k === 'string' ? k : stripOffsets(k))), offset: -1 };
}

function findProject(root: XmlElement, name: string | undefined): { project?: XmlElement; event?: XmlElement; sequence: XmlElement } | undefined {
  const visit = (e: XmlElement, event: XmlElement | undefined): { project?: XmlElement; event?: XmlElement; sequence: XmlElement } | undefined => {
    for (const k of e.children) {
      if (typeof k === 'string') continue;
      if (k.name === 'project') {
        const s = child(k, 'sequence');
        if (s && (name === undefined || attr(k, 'name') === name)) return { project: k, ...(event ? { event } : {}), sequence: s };
      } else if (k.name === 'library' || k.name === 'event') {
        const r = visit(k, k.name === 'event' ? k : event);
        if (r) return r;
      }
    }
    return undefined;
  };
  return visit(root, undefined);
}

function findStandalone(root: XmlElement): XmlElement | undefined {
  const clipNames = new Set(['asset-clip', 'clip', 'ref-clip', 'sync-clip', 'mc-clip', 'title', 'audio', 'video']);
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const e = stack.shift() as XmlElement;
    for (const k of e.children) {
      if (typeof k === 'string') continue;
      if (clipNames.has(k.name)) return k;
      if (k.name === 'library' || k.name === 'event') stack.push(k);
    }
  }
  return undefined;
}

function readAsset(ctx: Ctx, a: XmlElement, id: string): Asset {
  const reps = childrenNamed(a, 'media-rep');
  const original = reps.find((r) => attr(r, 'kind') === 'original-media') ?? reps[0];
  const src = (original && attr(original, 'src')) ?? attr(a, 'src');
  // A relative reference (no scheme: how dubstage names media without a location) is a path.
  const url = src !== undefined && !/^[a-z][a-z0-9+.-]+:/i.test(src) ? safeDecodeUri(src) : src;
  const start = time(ctx, a, 'start') ?? RationalTime.ZERO;
  const duration = time(ctx, a, 'duration');
  const hasVideo = attr(a, 'hasVideo') === '1';
  const hasAudio = attr(a, 'hasAudio') === '1';
  const sampleRate = Number(attr(a, 'audioRate'));
  const channels = Number(attr(a, 'audioChannels'));
  const md: Record<string, string> = {};
  const metadata = child(a, 'metadata');
  if (metadata) for (const m of childrenNamed(metadata, 'md')) {
    const k = attr(m, 'key');
    const v = attr(m, 'value');
    if (k !== undefined && v !== undefined) md[k] = v;
  }
  const source: MediaSource = {
    id,
    name: attr(a, 'name') ?? id,
    kind: hasVideo && hasAudio ? 'audio-video' : hasAudio ? 'audio' : 'video',
    ...(url !== undefined ? { url } : {}),
    ...(Number.isInteger(sampleRate) && sampleRate > 0 ? { sampleRate } : {}),
    ...(Number.isInteger(channels) && channels > 0 ? { channels } : {}),
    start,
    ...(duration ? { duration } : {}),
    metadata: { fcpxml: { attributes: a.attributes as unknown as JsonValue, ...(Object.keys(md).length > 0 ? { md } : {}) } },
  };
  return { el: a, source, hasVideo, hasAudio, start, ...(duration ? { duration } : {}) };
}

function safeDecodeUri(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

function videoKey(lane: number): string {
  return lane >= 0 ? `V${lane + 1}` : `V${lane}`;
}

// Walks story elements whose offsets are in a container's time: T(child) = T + (offset − parentStart)
// × scale, where scale is timeline seconds per second of that container's local time (1 unless a
// clip around it conforms its rate: `conform-rate`).
function walk(ctx: Ctx, items: readonly XmlElement[], T: RationalTime, parentStart: RationalTime, lane: number, scale: Rational = Rational.ONE): void {
  const scaled = (d: RationalTime): RationalTime => (scale.equals(Rational.ONE) ? d : d.scaledBy(scale));
  for (const e of items) {
    if (!STORY.has(e.name)) continue;
    if (e.name === 'marker' || e.name === 'chapter-marker') {
      readMarker(ctx, e, T, parentStart, scale);
      continue;
    }
    const ownLane = attr(e, 'lane');
    const l = ownLane !== undefined ? Number(ownLane) : lane;
    const offset = time(ctx, e, 'offset') ?? parentStart;
    const at = T.plus(scaled(offset.minus(parentStart)));
    const start = time(ctx, e, 'start');
    switch (e.name) {
      case 'transition': {
        // Transitions inside a compound clip's content are its own, not the timeline's.
        if (ctx.scope.depth > 0) break;
        const duration = scaled(time(ctx, e, 'duration') ?? RationalTime.ZERO);
        const audio = childrenNamed(e, 'filter-audio').length > 0;
        ctx.transitions.push({
          key: videoKey(l),
          t: { kind: audio ? 'crossfade' : 'dissolve', start: at, duration, metadata: { fcpxml: { name: attr(e, 'name') ?? '', audio, path: ctx.paths.get(e) ?? [] } } },
        });
        break;
      }
      case 'spine': {
        // A storyline that states the sequence's own format runs at the sequence's rate even when
        // anchored to a clip that conforms its rate (DAWFileKit's 24 fps test file: a 24 fps spine on
        // a 23.98 clip; its markers land where FCP shows them only so).
        const fmt = attr(e, 'format');
        const fd = fmt !== undefined ? parseFcpxmlTime(attr(ctx.formats.get(fmt) ?? e, 'frameDuration')) : undefined;
        const own = fd && ctx.frameDuration && fd.seconds.equals(ctx.frameDuration) ? Rational.ONE : scale;
        walk(ctx, elementsOf(e), at, start ?? RationalTime.ZERO, l, own);
        break;
      }
      case 'audition': {
        // The first child is the active pick; its offset is in the audition's parent time.
        const pick = elementsOf(e).find((k) => STORY.has(k.name));
        if (pick) walk(ctx, [pick], T, parentStart, l, scale);
        break;
      }
      case 'gap':
        walk(ctx, elementsOf(e), at, start ?? RationalTime.ZERO, l, scale);
        break;
      case 'sync-clip': {
        // Its children are story elements in the sync clip's own time; they play in its lane.
        const k = conformOf(ctx, e, undefined);
        walk(ctx, elementsOf(e), at, start ?? RationalTime.ZERO, l, k ? Rational.ONE.dividedBy(k) : scale);
        break;
      }
      default: {
        const own = emitClip(ctx, e, at, l, parentStart, scale);
        // A clip container's own video/audio/spine children (no lane) are its content, placed by
        // emitClip; only connected items (with a lane) and markers are walked.
        const kids = e.name === 'clip' ? elementsOf(e).filter((k) => attr(k, 'lane') !== undefined || !CONTENT.has(k.name)) : elementsOf(e);
        walk(ctx, kids, at, own.localStart, l, own.scale);
        if (e.name === 'ref-clip' || e.name === 'mc-clip') descendCompound(ctx, e, at, l, own.scale);
      }
    }
  }
}

// A compound clip (ref-clip → media → sequence → spine) or a multicam clip (mc-clip → media →
// multicam → the audio angle): its sound is placed on the timeline, trimmed to what the clip shows
// (DAWFileKit calls the rest "occluded"); its picture stays one clip named after it.
function descendCompound(ctx: Ctx, e: XmlElement, at: RationalTime, lane: number, scale: Rational): void {
  const ref = attr(e, 'ref');
  const media = ref !== undefined ? ctx.media.get(ref) : undefined;
  let seq: XmlElement | undefined;
  let items: XmlElement[] | undefined;
  if (e.name === 'mc-clip') {
    // Multicam: the sound comes from the angle whose mc-source enables audio (`audio` or `all`).
    seq = media && child(media, 'multicam');
    const sources = childrenNamed(e, 'mc-source');
    const pick = sources.find((s) => attr(s, 'srcEnable') === 'audio') ?? sources.find((s) => (attr(s, 'srcEnable') ?? 'all') === 'all');
    const angle = seq && pick && childrenNamed(seq, 'mc-angle').find((a) => attr(a, 'angleID') === attr(pick, 'angleID'));
    items = angle ? elementsOf(angle) : undefined;
  } else {
    seq = media && child(media, 'sequence');
    const spine = seq && child(seq, 'spine');
    items = spine ? elementsOf(spine) : undefined;
  }
  const srcEnable = attr(e, 'srcEnable') ?? 'all';
  if (!items || !seq || (srcEnable === 'video' && e.name === 'mc-clip')) return;
  if (ctx.scope.depth >= 8) {
    ctx.diagnostics.push(warning('fcpxml/compound-too-deep', 'compound clips nest more than 8 deep; the inner ones are not read', place(ctx, e)));
    return;
  }
  // Durations are timeline seconds (the conformed clips of DAWFileKit's files last whole sequence frames).
  const duration = time(ctx, e, 'duration');
  if (!duration) return;
  let start = at;
  let end = at.plus(duration);
  const outer = ctx.scope.window;
  if (outer) {
    start = RationalTime.max(start, outer.start);
    end = RationalTime.min(end, outer.end);
  }
  const localStart = time(ctx, e, 'start') ?? time(ctx, seq, 'tcStart') ?? RationalTime.ZERO;
  const saved = ctx.scope;
  const savedRate = ctx.frameDuration;
  const fmt = attr(seq, 'format');
  const fd = fmt !== undefined ? parseFcpxmlTime(attr(ctx.formats.get(fmt) ?? seq, 'frameDuration')) : undefined;
  if (fd && !fd.isZero() && !fd.isNegative()) ctx.frameDuration = fd.seconds;
  // A compound clip's picture lands on the timeline too, on tracks of its own (`V1 ▸ <name> V1`);
  // a multicam clip's picture stays the one clip it shows.
  const pictureKey = e.name === 'ref-clip' && srcEnable !== 'audio' ? `${saved.pictureKey ?? videoKey(lane)} ▸ ${attr(e, 'name') ?? attr(media ?? e, 'name') ?? ''}` : undefined;
  ctx.scope = {
    audioOnly: pictureKey === undefined,
    window: { start, end },
    depth: saved.depth + 1,
    ...(pictureKey !== undefined ? { pictureKey, baseLane: lane } : {}),
    ...(srcEnable === 'video' || saved.pictureOnly === true ? { pictureOnly: true } : {}),
    ...(srcEnable === 'audio' || saved.noMarkers === true ? { noMarkers: true } : {}),
  };
  walk(ctx, items, at, localStart, lane, scale);
  ctx.scope = saved;
  ctx.frameDuration = savedRate;
}

/** The exact frame rate a `conform-rate srcFrameRate` names (23.98 is 24000/1001…). */
export function srcFrameRateOf(text: string): Rational | undefined {
  const ntsc: Record<string, bigint> = { '23.98': 24000n, '29.97': 30000n, '47.95': 48000n, '59.94': 60000n, '119.88': 120000n };
  const n = ntsc[text.trim()];
  if (n !== undefined) return Rational.of(n, 1001n);
  return /^\d+$/.test(text.trim()) ? Rational.of(BigInt(text.trim())) : undefined;
}

/**
 * How fast a clip's local time runs against the sequence's (local seconds per timeline second),
 * from its `conform-rate`, or undefined when it has none (its local time then runs as its
 * parent's). With scaling on (`scaleEnabled` absent or 1) a source at `srcFrameRate` plays frame
 * for frame at the sequence's rate, so one timeline second holds `sequence rate / source rate`
 * seconds of the clip's local (source) time — 25 fps media in a 24 fps sequence plays at 24/25
 * (DAWFileKit's 24With25Media test: a marker at source frame 2753 sits 2753 sequence frames after
 * the clip's start). The ratio is to the sequence, not to an enclosing conformed clip: in
 * DAWFileKit's 24 fps file a 23.98 clip anchored to another 23.98 clip shows its marker at
 * 00:03:44:15 only so. With `scaleEnabled="0"`, equal rates, or rates more than 5% apart: 1.
 */
function conformOf(ctx: Ctx, e: XmlElement, out: { src?: string; scaleEnabled?: boolean } | undefined): Rational | undefined {
  const c = child(e, 'conform-rate');
  if (!c) return undefined;
  const scaleEnabled = attr(c, 'scaleEnabled') !== '0';
  const srcText = attr(c, 'srcFrameRate');
  if (out) {
    out.scaleEnabled = scaleEnabled;
    if (srcText !== undefined) out.src = srcText;
  }
  if (!scaleEnabled || ctx.frameDuration === undefined) return Rational.ONE;
  let src = srcText !== undefined ? srcFrameRateOf(srcText) : undefined;
  if (!src) {
    // No stated source rate: the clip's (or its asset's) format.
    const ref = attr(e, 'ref');
    const fmt = attr(e, 'format') ?? (ref !== undefined ? ctx.assets.get(ref) && attr((ctx.assets.get(ref) as Asset).el, 'format') : undefined);
    const fd = fmt !== undefined ? parseFcpxmlTime(attr(ctx.formats.get(fmt) ?? e, 'frameDuration')) : undefined;
    if (fd && !fd.isZero() && !fd.isNegative()) src = Rational.ONE.dividedBy(fd.seconds);
  }
  if (!src) {
    ctx.diagnostics.push(warning('fcpxml/conform-rate-unknown', `<${e.name}> conforms its rate, but neither srcFrameRate nor a format says from which; read unscaled`, place(ctx, c)));
    return Rational.ONE;
  }
  // sequence rate / source rate = (1 / frameDuration) / src. Only rates within 5% of each other
  // are conformed frame for frame (23.98/24/25, 29.97/30, 47.95/48/50, 59.94/60); others are
  // resampled at normal speed: DAWFileKit's 50 and 59.94 fps exports carry `srcFrameRate="23.98"`
  // on clips whose markers FCP shows unscaled.
  const k = Rational.ONE.dividedBy(ctx.frameDuration).dividedBy(src);
  const near = !k.lessThan(Rational.of(95n, 100n)) && !k.greaterThan(Rational.of(105n, 100n));
  return near ? k : Rational.ONE;
}

function elementsOf(e: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const k of e.children) if (typeof k !== 'string') out.push(k);
  return out;
}

function fadeShape(type: string | undefined): FadeShape {
  switch (type) {
    case 'easeIn':
    case 'easeOut':
    case 'easeInOut':
      return 's-curve';
    default:
      return 'linear';
  }
}

interface Levels {
  gainDb?: number;
  automation?: GainPoint[];
  fadeIn?: Fade;
  fadeOut?: Fade;
}

function readVolume(ctx: Ctx, holder: XmlElement, localStart: RationalTime, toTimeline: (d: RationalTime) => RationalTime = (d) => d): Levels {
  const v = child(holder, 'adjust-volume');
  if (!v) return {};
  const out: Levels = {};
  const amount = parseDb(attr(v, 'amount'));
  if (amount !== undefined) out.gainDb = amount;
  for (const p of childrenNamed(v, 'param')) {
    if (attr(p, 'name') !== 'amount') continue;
    const anim = child(p, 'keyframeAnimation');
    if (anim) {
      const pts: GainPoint[] = [];
      for (const k of childrenNamed(anim, 'keyframe')) {
        const t = time(ctx, k, 'time');
        const db = parseDb(attr(k, 'value'));
        if (t && db !== undefined) pts.push({ time: toTimeline(t.minus(localStart)), gainDb: db });
      }
      if (pts.length > 0) out.automation = pts;
    }
    const fi = child(p, 'fadeIn');
    const fo = child(p, 'fadeOut');
    const fid = fi && time(ctx, fi, 'duration');
    const fod = fo && time(ctx, fo, 'duration');
    if (fi && fid) out.fadeIn = { duration: toTimeline(fid), shape: fadeShape(attr(fi, 'type')) };
    if (fo && fod) out.fadeOut = { duration: toTimeline(fod), shape: fadeShape(attr(fo, 'type')) };
  }
  return out;
}

// Places the clips an element stands for; returns its local start (for its children's offsets).
function emitClip(ctx: Ctx, e: XmlElement, at: RationalTime, lane: number, parentStart: RationalTime, scale: Rational): { localStart: RationalTime; scale: Rational } {
  let ref = attr(e, 'ref');
  let inner: XmlElement | undefined;
  if (e.name === 'clip') {
    // A clip container: picture and sound come from its own video/audio children.
    inner = child(e, 'video') ?? child(e, 'audio') ?? child(e, 'asset-clip');
    ref = inner ? attr(inner, 'ref') : undefined;
  }
  const asset = ref !== undefined ? ctx.assets.get(ref) : undefined;
  const isMediaRef = ref !== undefined && !asset && ctx.media.has(ref);
  if (ref !== undefined && !asset && !isMediaRef && e.name !== 'title' && e.name !== 'mc-clip' && e.name !== 'ref-clip') {
    ctx.diagnostics.push(warning('fcpxml/unknown-ref', `<${e.name} ref="${ref}"> names no asset or media resource`, place(ctx, e)));
  }
  const localStart = time(ctx, e, 'start') ?? (e.name === 'asset-clip' || e.name === 'audio' || e.name === 'video' ? asset?.start : undefined) ?? RationalTime.ZERO;
  // Time units: the element's offset is in its parent's local time (timeline seconds = parent
  // seconds × scale); its duration is in timeline seconds (conformed clips in DAWFileKit's files
  // last whole sequence frames); its own local time (start, markers, anchored items) runs at
  // timeline seconds = local seconds × childScale: 1/k for a clip that conforms its rate, else as
  // its parent's.
  const conformInfo: { src?: string; scaleEnabled?: boolean } = {};
  const k = conformOf(ctx, e, conformInfo);
  const childScale = k ? Rational.ONE.dividedBy(k) : scale;
  const localToTimeline = (d: RationalTime): RationalTime => (childScale.equals(Rational.ONE) ? d : d.scaledBy(childScale));
  const duration = time(ctx, e, 'duration') ?? (asset?.duration && localToTimeline(asset.duration));
  if (!duration) {
    ctx.diagnostics.push(warning('fcpxml/no-duration', `<${e.name}> has no duration; skipped`, place(ctx, e)));
    return { localStart, scale: childScale };
  }
  // Source position: for a clip container, through its inner element's own offset and start.
  let sourceStart = localStart;
  if (inner) {
    const innerOffset = time(ctx, inner, 'offset') ?? RationalTime.ZERO;
    const innerStart = time(ctx, inner, 'start') ?? asset?.start ?? RationalTime.ZERO;
    sourceStart = innerStart.plus(localStart.minus(innerOffset));
  }
  // Retiming (spec/xml.md 2.3; the DTD: timept `time` is the adjusted clip time, `value` the
  // original): the source position is the map of the local start. Two points are a constant speed;
  // more are a ramp, carried exactly as `metadata.retime` (see retimeOf) with the clip's speed the
  // average over the clip, so its source range [map(start), map(end)) is exact at both ends.
  let slope = Rational.ONE; // source seconds per local second
  let retime: JsonValue | undefined;
  const timeMap = child(e, 'timeMap');
  if (timeMap) {
    const r = retimeOf(ctx, timeMap, localStart, RationalTime.fromSeconds(duration.seconds.dividedBy(childScale)));
    if (r) {
      slope = r.slope;
      sourceStart = r.sourceStart;
      if (r.points) {
        retime = {
          kind: 'fcpxml-timeMap',
          points: r.points,
          localStart: localStart.seconds.toString(),
          // What the map was read with: a writer uses it only while these are unchanged.
          read: `${sourceStart}|${duration}|${slope.dividedBy(childScale)}`,
          ...(r.interpolated ? { interpolated: true } : {}),
          preservesPitch: attr(timeMap, 'preservesPitch') !== '0',
        };
      }
    }
  }
  // Speed: source seconds per timeline second.
  const speedValue = slope.dividedBy(childScale);
  const speed = speedValue.equals(Rational.ONE) ? undefined : speedValue;
  const name = attr(e, 'name') ?? asset?.source.name ?? '';
  const muted = attr(e, 'enabled') === '0';
  const baseMeta: Record<string, JsonValue> = { element: e.name, attributes: e.attributes as unknown as JsonValue, path: ctx.paths.get(e) ?? [] };
  if (ctx.scope.depth > 0) baseMeta.inCompound = true;
  // Without an offset the element starts at its parent's start: the writer needs it to move it.
  if (attr(e, 'offset') === undefined) baseMeta.parentStart = parentStart.toString();
  if (isMediaRef) baseMeta.media = ref as string;
  // The writer needs the time units to edit the element in place (lossless.ts).
  if (!scale.equals(Rational.ONE)) baseMeta.scale = scale.toString();
  if (!childScale.equals(Rational.ONE)) baseMeta.localScale = childScale.toString();
  if (conformInfo.src !== undefined || conformInfo.scaleEnabled === false) baseMeta.conformRate = { ...(conformInfo.src !== undefined ? { srcFrameRate: conformInfo.src } : {}), scaleEnabled: conformInfo.scaleEnabled !== false };
  const clipMeta: Record<string, JsonValue> = retime !== undefined ? { retime } : {};
  const wantsVideo = e.name === 'title' || e.name === 'video' || e.name === 'ref-clip' || e.name === 'mc-clip' || (asset?.hasVideo ?? false) || (e.name === 'clip' && !!child(e, 'video'));
  const wantsAudio = ctx.scope.pictureOnly !== true && (e.name === 'audio' || ((e.name === 'asset-clip' || e.name === 'clip') && (asset?.hasAudio ?? false)));
  const pw = ctx.scope.pictureKey !== undefined ? ctx.scope.window : undefined;
  // Inside a compound clip only what shows through it is placed, trimmed like its sound.
  const vStart = pw ? RationalTime.max(at, pw.start) : at;
  const vEnd = pw ? RationalTime.min(at.plus(duration), pw.end) : at.plus(duration);
  if (wantsVideo && e.name !== 'audio' && !ctx.scope.audioOnly && !(e.name === 'ref-clip' && attr(e, 'srcEnable') === 'audio') && (!pw || vStart.lessThan(vEnd))) {
    const innerLane = ctx.scope.pictureKey !== undefined ? (attr(e, 'lane') !== undefined ? lane : lane === ctx.scope.baseLane ? 0 : lane) : lane;
    ctx.placed.push({
      kind: 'video',
      key: ctx.scope.pictureKey !== undefined ? `${ctx.scope.pictureKey} ${videoKey(innerLane)}` : videoKey(lane),
      clip: withRead({
        name,
        start: vStart,
        duration: vEnd.minus(vStart),
        sourceStart: vStart.equals(at) ? sourceStart : sourceStart.plus(vStart.minus(at).scaledBy(speedValue)),
        ...(asset ? { media: { mediaId: asset.source.id } } : {}),
        ...(muted ? { muted } : {}),
        ...(speed ? { speed } : {}),
        metadata: { ...clipMeta, fcpxml: { ...baseMeta, lane } },
      }),
    });
  }
  if (wantsAudio && asset) {
    // Split edits: the sound may start before or end after the picture.
    const audioStart = time(ctx, e, 'audioStart');
    const audioDuration = time(ctx, e, 'audioDuration');
    const aStart = audioStart ?? localStart;
    let aAt = at.plus(localToTimeline(aStart.minus(localStart)));
    let aDur = audioDuration ?? duration;
    let aSource = sourceStart.plus(aStart.minus(localStart).scaledBy(slope));
    const w = ctx.scope.window;
    if (w) {
      // Trim to the part the enclosing compound clip shows.
      const s0 = RationalTime.max(aAt, w.start);
      const e0 = RationalTime.min(aAt.plus(aDur), w.end);
      if (!s0.lessThan(e0)) return { localStart, scale: childScale };
      aSource = aSource.plus(s0.minus(aAt).scaledBy(speedValue));
      aAt = s0;
      aDur = e0.minus(s0);
    }
    const role = attr(e, 'audioRole') ?? attr(e, 'role');
    const sources = childrenNamed(e, 'audio-channel-source');
    const clipLevels = readVolume(ctx, e, localStart, localToTimeline);
    const make = (channel: number | undefined, r: string | undefined, levels: Levels, extra: Record<string, JsonValue>, off: boolean): void => {
      ctx.placed.push({
        kind: 'audio',
        key: r ?? 'dialogue',
        clip: withRead({
          name,
          start: aAt,
          duration: aDur,
          sourceStart: aSource,
          media: { mediaId: asset.source.id, ...(channel !== undefined ? { channel } : {}) },
          ...(levels.gainDb !== undefined ? { gainDb: levels.gainDb } : {}),
          ...(levels.automation ? { gainAutomation: levels.automation } : {}),
          ...(levels.fadeIn ? { fadeIn: levels.fadeIn } : {}),
          ...(levels.fadeOut ? { fadeOut: levels.fadeOut } : {}),
          ...(muted || off ? { muted: true } : {}),
          ...(speed ? { speed } : {}),
          metadata: { ...clipMeta, fcpxml: { ...baseMeta, lane, role: r ?? 'dialogue', ...extra } },
        }),
      });
    };
    const active = sources.filter((s) => attr(s, 'active') !== '0');
    // An `audio` element picks its channels itself (srcCh).
    const ownCh = e.name === 'audio' ? Number(attr(e, 'srcCh')) : NaN;
    if (active.length === 0) make(Number.isInteger(ownCh) && ownCh > 0 ? ownCh : undefined, role, clipLevels, {}, false);
    for (const s of active) {
      const srcCh = attr(s, 'srcCh') ?? '';
      const chans = srcCh.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0);
      const own = readVolume(ctx, s, localStart, localToTimeline);
      const levels: Levels = {
        ...clipLevels,
        ...own,
        ...(own.gainDb !== undefined && clipLevels.gainDb !== undefined ? { gainDb: own.gainDb + clipLevels.gainDb } : {}),
      };
      const r = attr(s, 'role') ?? role;
      const extra: Record<string, JsonValue> = { srcCh, ...(attr(s, 'outCh') !== undefined ? { outCh: attr(s, 'outCh') as string } : {}) };
      if (chans.length === 1) make(chans[0], r, levels, extra, attr(s, 'enabled') === '0');
      else make(undefined, r, levels, extra, attr(s, 'enabled') === '0');
    }
  }
  return { localStart, scale: childScale };
}

/**
 * A `timeMap` read exactly: its points (local time → source time, both rational seconds), the
 * source position of the local start, and the slope (source seconds per local second) — the
 * constant speed of a two-point map, or for a ramp the average over the clip's local range
 * [start, start + length). Between points the map is taken as linear: exact for `linear` points,
 * and for `smooth`/`smooth2` ones (FCP's curve is not published) exact wherever the clip's ends
 * fall on points; otherwise `interpolated` is set. Undefined (with a warning) for a map that is
 * not a function of time (fewer than two points, unreadable or non-increasing times).
 */
function retimeOf(
  ctx: Ctx,
  timeMap: XmlElement,
  localStart: RationalTime,
  localLength: RationalTime,
): { slope: Rational; sourceStart: RationalTime; points?: JsonValue; interpolated: boolean } | undefined {
  const pts: { time: RationalTime; value: RationalTime; interp: string }[] = [];
  for (const p of childrenNamed(timeMap, 'timept')) {
    const t = time(ctx, p, 'time');
    const v = time(ctx, p, 'value');
    if (!t || !v) continue;
    pts.push({ time: t, value: v, interp: attr(p, 'interp') ?? 'smooth2' });
  }
  const increasing = pts.every((p, i) => i === 0 || (pts[i - 1] as { time: RationalTime }).time.lessThan(p.time));
  if (pts.length < 2 || !increasing) {
    ctx.diagnostics.push(warning('fcpxml/retime-ignored', `<timeMap> with ${pts.length} readable points in increasing time is not a map; the clip is read at normal speed`, place(ctx, timeMap)));
    return undefined;
  }
  let interpolated = false;
  const map = (t: RationalTime): RationalTime => {
    // The segment holding t (the first or last one beyond the ends).
    let i = 0;
    while (i < pts.length - 2 && !t.lessThan((pts[i + 1] as { time: RationalTime }).time)) i++;
    const a = pts[i] as { time: RationalTime; value: RationalTime; interp: string };
    const b = pts[i + 1] as { time: RationalTime; value: RationalTime; interp: string };
    if (t.equals(a.time)) return a.value;
    if (t.equals(b.time)) return b.value;
    if (pts.length > 2 && (a.interp !== 'linear' || b.interp !== 'linear')) interpolated = true;
    const s = b.value.minus(a.value).seconds.dividedBy(b.time.minus(a.time).seconds);
    return a.value.plus(t.minus(a.time).scaledBy(s));
  };
  const sourceStart = map(localStart);
  if (pts.length === 2) {
    const a = pts[0] as { time: RationalTime; value: RationalTime };
    const b = pts[1] as { time: RationalTime; value: RationalTime };
    return { slope: b.value.minus(a.value).seconds.dividedBy(b.time.minus(a.time).seconds), sourceStart, interpolated: false };
  }
  const end = map(localStart.plus(localLength));
  const slope = localLength.isZero() ? Rational.ONE : end.minus(sourceStart).seconds.dividedBy(localLength.seconds);
  const points = pts.map((p) => ({ time: p.time.seconds.toString(), value: p.value.seconds.toString(), interp: p.interp }));
  return { slope, sourceStart, points, interpolated };
}

function readMarker(ctx: Ctx, m: XmlElement, T: RationalTime, parentStart: RationalTime, scale: Rational = Rational.ONE): void {
  const start = time(ctx, m, 'start');
  if (!start) {
    ctx.diagnostics.push(warning('fcpxml/bad-marker', 'a marker without a readable start is skipped', place(ctx, m)));
    return;
  }
  if (ctx.scope.noMarkers === true) return;
  const one = scale.equals(Rational.ONE);
  const position = T.plus(one ? start.minus(parentStart) : start.minus(parentStart).scaledBy(scale));
  const w = ctx.scope.window;
  if (w && (position.lessThan(w.start) || !position.lessThan(w.end))) return; // hidden by its compound clip
  const rawDuration = time(ctx, m, 'duration');
  const duration = rawDuration && !one ? rawDuration.scaledBy(scale) : rawDuration;
  const note = attr(m, 'note');
  const x: Record<string, JsonValue> = { kind: m.name, path: ctx.paths.get(m) ?? [] };
  if (ctx.scope.depth > 0) x.inCompound = true;
  if (!one) x.scale = scale.toString();
  if (attr(m, 'completed') !== undefined) x.completed = attr(m, 'completed') === '1';
  if (attr(m, 'posterOffset') !== undefined) x.posterOffset = attr(m, 'posterOffset') as string;
  const marker: Marker = {
    name: attr(m, 'value') ?? '',
    position,
    ...(duration ? { duration } : {}),
    ...(note !== undefined && note !== '' ? { comment: note } : {}),
    metadata: { fcpxml: x },
  };
  x.read = markerFingerprint(marker);
  ctx.markers.push(marker);
}

// Tracks: video by lane, audio by role; a clip overlapping another of its group opens "<key> 2"….
function buildTracks(ctx: Ctx): Track[] {
  const order = [...ctx.placed].sort((a, b) => RationalTime.compare(a.clip.start, b.clip.start));
  const groups = new Map<string, { kind: 'audio' | 'video'; lanes: { clips: Clip[]; end: RationalTime }[] }>();
  for (const p of order) {
    const g = groups.get(`${p.kind}:${p.key}`) ?? { kind: p.kind, lanes: [] };
    groups.set(`${p.kind}:${p.key}`, g);
    const end = p.clip.start.plus(p.clip.duration);
    // Clips may overlap under a transition of their storyline (both play through it).
    const laneKey = videoKey(Number((p.clip.metadata.fcpxml as { lane?: number } | undefined)?.lane ?? 0));
    const covered = (l: { end: RationalTime }): boolean =>
      ctx.transitions.some((t) => t.key === laneKey && !p.clip.start.lessThan(t.t.start) && !t.t.start.plus(t.t.duration).lessThan(l.end));
    let lane = g.lanes.find((l) => !p.clip.start.lessThan(l.end) || covered(l));
    if (!lane) {
      lane = { clips: [], end };
      g.lanes.push(lane);
    }
    lane.clips.push(p.clip);
    lane.end = RationalTime.max(lane.end, end);
  }
  const tracks: Track[] = [];
  const keys = [...groups.keys()].sort((a, b) => {
    const [ka, na] = a.split(':') as [string, string];
    const [kb, nb] = b.split(':') as [string, string];
    if (ka !== kb) return ka === 'video' ? -1 : 1;
    if (ka === 'video') {
      // Lanes in order; a compound clip's picture tracks (`V2 ▸ name V1`) after the lane they sit on.
      const d = parseInt(na.slice(1), 10) - parseInt(nb.slice(1), 10);
      if (d !== 0) return d;
      return na < nb ? -1 : na > nb ? 1 : 0;
    }
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
  for (const k of keys) {
    const g = groups.get(k) as { kind: 'audio' | 'video'; lanes: { clips: Clip[] }[] };
    const key = k.slice(k.indexOf(':') + 1);
    g.lanes.forEach((l, i) => {
      const name = i === 0 ? key : `${key} ${i + 1}`;
      const transitions = g.kind === 'video' && i === 0 ? ctx.transitions.filter((t) => t.key === key).map((t) => t.t) : [];
      tracks.push({
        kind: g.kind,
        name,
        channels: g.kind === 'audio' ? Math.max(1, ...l.clips.map((c) => (c.media?.channel !== undefined ? 1 : ctx.assets.get(c.media?.mediaId ?? '')?.source.channels ?? 2))) : 0,
        clips: l.clips,
        transitions,
        metadata: { fcpxml: g.kind === 'audio' ? { role: key } : { lane: key } },
      });
    });
  }
  // Spine transitions also join the sound of the clips they sit between.
  const audioCross = ctx.transitions.filter((t) => t.key === 'V1' && (t.t.metadata.fcpxml as { audio?: boolean } | undefined)?.audio === true);
  if (audioCross.length > 0) {
    for (let i = 0; i < tracks.length; i++) {
      const t = tracks[i] as Track;
      if (t.kind !== 'audio') continue;
      const hits = audioCross.filter((x) => t.clips.some((c) => !c.start.plus(c.duration).lessThan(x.t.start) && !x.t.start.plus(x.t.duration).lessThan(c.start)));
      if (hits.length > 0) tracks[i] = { ...t, transitions: hits.map((x) => ({ ...x.t, kind: 'crossfade' as const })) };
    }
  }
  return tracks;
}
