/**
 * {@link Timeline} to Final Cut Pro 7 XML (XMEML), in the shape Premiere Pro and DaVinci Resolve
 * export and import: one `sequence` with video and audio tracks, every `file` defined at its first
 * use and referenced by id afterwards, `masterclipid`, `link`s between the clip items of one
 * source event, Audio Levels filters for gain and automation, audio transitions for fades and
 * crossfades, and sequence and clip markers.
 *
 * What a timeline read from XMEML carried in `metadata.xmeml` (unknown elements and attributes,
 * the document around the sequence) is written back, so XMEML → model → XMEML loses nothing.
 * @packageDocumentation
 */
import { error, warning, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../../diagnostics/result.js';
import type { Clip, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import { Timecode } from '../../../time/timecode.js';
import type { WriteOptions } from '../../types.js';
import { child, childText, el, leaf, writeXml, type XmlAttribute, type XmlElement, type XmlNode } from '../xml-tree.js';
import { dbToLinear, nestedKey } from './read.js';
import { frameRateOf, parseInteger, rateElement, xmemlRateOf, type XmemlRate } from './rate.js';

/** Options of {@link write}. */
export interface XmemlWriteOptions extends WriteOptions {
  /** `xmeml` version attribute (default: as read, else 5; Premiere Pro writes 4, Resolve 5). */
  readonly version?: 4 | 5;
}

type Obj = { readonly [k: string]: JsonValue };

function obj(v: JsonValue | undefined): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function elems(v: JsonValue | undefined): XmlElement[] {
  return Array.isArray(v) ? (v as unknown as XmlElement[]) : [];
}

function attrs(v: JsonValue | undefined): XmlAttribute[] {
  return Array.isArray(v) ? (v as unknown as XmlAttribute[]) : [];
}

function xrateOf(v: JsonValue | undefined): XmemlRate | undefined {
  const o = obj(v);
  if (!o || typeof o.timebase !== 'number' || typeof o.ntsc !== 'boolean') return undefined;
  return { timebase: o.timebase, ntsc: o.ntsc };
}

function withAttr(list: readonly XmlAttribute[], name: string, value: string): XmlAttribute[] {
  const out = list.filter((a) => a[0] !== name);
  return [[name, value], ...out];
}

function replaceChildren(e: XmlElement, repl: Record<string, XmlNode>): XmlElement {
  return { ...e, offset: -1, children: e.children.map((k) => (typeof k !== 'string' && repl[k.name] !== undefined ? (repl[k.name] as XmlNode) : k)) };
}

interface WCtx {
  readonly diagnostics: Diagnostic[];
  readonly seqRate: FrameRate;
  readonly seqXRate: XmemlRate;
  readonly media: Map<string, MediaSource>;
  readonly fileIds: Map<string, string>;
  readonly written: Set<string>;
  readonly keepOutside: boolean;
  readonly usedClipIds: Set<string>;
  nextClipId: number;
  readonly clipMarkers: Map<string, Marker[]>;
}

/**
 * Writes a timeline as XMEML text. Never throws (an `xmeml/write-failed` error with an empty value
 * when a value cannot be stated at all); the diagnostics list what XMEML cannot hold
 * (positions off the frame grid are rounded to the nearest frame, speed changes, fade shapes
 * other than linear or equal power, solo) as warnings.
 */
export function write(timeline: Timeline, options: XmemlWriteOptions = {}): WriteResult<string> {
  try {
    return writeTimelineXml(timeline, options);
  } catch (e) {
    // A model value past what the format can state (a frame count beyond exact range): nothing is written.
    return { value: '', diagnostics: [error('xmeml/write-failed', `not written: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

function writeTimelineXml(timeline: Timeline, options: XmemlWriteOptions): WriteResult<string> {
  const diagnostics: Diagnostic[] = [];
  const meta = obj(timeline.metadata.xmeml);
  let seqXRate = xmemlRateOf(timeline.frameRate);
  if (!seqXRate) {
    const tb = Math.round(timeline.frameRate.rate.toNumber());
    seqXRate = { timebase: Math.max(1, tb), ntsc: false };
    diagnostics.push(warning('xmeml/rate-approximated', `XMEML cannot state ${timeline.frameRate.name} fps; written as ${tb}`));
  }
  const seqRate = frameRateOf(seqXRate, timeline.frameRate.dropFrame);
  const ctx: WCtx = {
    diagnostics,
    seqRate,
    seqXRate,
    media: new Map(timeline.media.map((m) => [m.id, m])),
    fileIds: new Map(),
    written: new Set(),
    keepOutside: meta?.root !== undefined,
    usedClipIds: new Set(),
    nextClipId: 1,
    clipMarkers: new Map(),
  };
  // File ids: kept when read from XMEML, else file-N.
  const usedFileIds = new Set<string>();
  for (const m of timeline.media) if (obj(m.metadata.xmeml) && !usedFileIds.has(m.id)) usedFileIds.add(m.id);
  let fileNo = 1;
  for (const m of timeline.media) {
    if (obj(m.metadata.xmeml) && !ctx.fileIds.has(m.id)) {
      ctx.fileIds.set(m.id, m.id);
      continue;
    }
    while (usedFileIds.has(`file-${fileNo}`)) fileNo++;
    const id = `file-${fileNo++}`;
    usedFileIds.add(id);
    ctx.fileIds.set(m.id, id);
  }
  for (const t of timeline.tracks) for (const c of t.clips) {
    const x = obj(c.metadata.xmeml);
    for (const v of [x, ...(Array.isArray(x?.members) ? x.members.map(obj) : [])]) {
      const id = v?.id;
      if (typeof id === 'string' && id !== '') ctx.usedClipIds.add(id);
    }
  }
  const seqMarkers: Marker[] = [];
  for (const m of timeline.markers) {
    // Markers read from inside a nested sequence are written with it (as read), not again here.
    if (obj(m.metadata.xmeml)?.nestedFrom !== undefined) continue;
    const clipId = obj(m.metadata.xmeml)?.clipitem;
    if (typeof clipId === 'string' && ctx.usedClipIds.has(clipId)) {
      const list = ctx.clipMarkers.get(clipId) ?? [];
      list.push(m);
      ctx.clipMarkers.set(clipId, list);
    } else seqMarkers.push(m);
  }

  // An XMEML clip item plays one channel: a multichannel clip from another format becomes one
  // track per channel, linked, as Premiere exports a stereo track ("exploded" tracks).
  // Tracks holding the flattened sound of nested sequences are not written: the nested sequences
  // themselves are (inside their clip items, as read). Changes made to them are reported.
  for (const t of timeline.tracks) {
    if (obj(t.metadata.xmeml)?.nestedFrom === undefined) continue;
    for (const c of t.clips) {
      if (obj(c.metadata.xmeml)?.read !== nestedKey(c)) {
        diagnostics.push(warning('xmeml/nested-edit-dropped', `clip "${c.name}" on "${t.name}" comes from a nested sequence, which is written back as read; its change is not written`));
      }
    }
  }
  const tracks = timeline.tracks.filter((t) => obj(t.metadata.xmeml)?.nestedFrom === undefined).flatMap((t) => explode(t, ctx.media));

  // Clip ids first (links need every member's id), then elements.
  const clipIds = new Map<Clip, string>();
  const seenIds = new Set<string>();
  for (const t of tracks) for (const c of t.clips) {
    let id = obj(c.metadata.xmeml)?.id;
    if (typeof id !== 'string' || id === '' || seenIds.has(id)) {
      while (ctx.usedClipIds.has(`clipitem-${ctx.nextClipId}`)) ctx.nextClipId++;
      id = `clipitem-${ctx.nextClipId++}`;
      ctx.usedClipIds.add(id);
    }
    seenIds.add(id);
    clipIds.set(c, id);
  }
  const links = buildLinks(tracks, clipIds);

  const video = tracks.filter((t) => t.kind === 'video');
  const audio = tracks.filter((t) => t.kind === 'audio');
  const videoTracks = video.map((t) => writeTrack(ctx, t, clipIds, links));
  const audioTracks = audio.map((t, i) => writeTrack(ctx, t, clipIds, links, i + 1));

  let endFrames = 0n;
  for (const t of tracks) for (const c of t.clips) {
    const e = c.start.plus(c.duration).toFrames(seqRate, 'ceil');
    if (e > endFrames) endFrames = e;
  }
  const sm = obj(meta?.sequence);
  const tcFrames = timeline.startTimecode.frames;
  const tcLabel = keptLabel(sm?.timecodeString, BigInt(tcFrames), seqRate) ?? Timecode.fromFrames(tcFrames, seqRate, { overflow: 'wrap' }).toString();
  const timecode = el(
    'timecode',
    [],
    rateElement(seqXRate),
    leaf('string', tcLabel),
    leaf('frame', tcFrames),
    leaf('displayformat', seqRate.dropFrame ? 'DF' : 'NDF'),
    ...elems(sm?.timecodeUnknown),
  );
  const videoUnknown = elems(sm?.videoUnknown);
  const videoFormat = videoUnknown.some((e) => e.name === 'format')
    ? []
    : [el('format', [], el('samplecharacteristics', [], rateElement(seqXRate)))];
  const audioUnknown = elems(sm?.audioUnknown).filter((e) => {
    if (e.name !== 'format') return true;
    const sc = child(e, 'samplecharacteristics');
    return sc !== undefined && childText(sc, 'samplerate') === String(timeline.sampleRate);
  });
  const audioHead: XmlElement[] = [];
  if (!audioUnknown.some((e) => e.name === 'format')) {
    audioHead.push(
      el('format', [], el('samplecharacteristics', [], leaf('depth', timeline.bitDepth ?? 24), leaf('samplerate', timeline.sampleRate))),
    );
  }
  if (!sm) {
    audioHead.unshift(leaf('numOutputChannels', Math.max(1, audio.length)));
    audioHead.push(
      el('outputs', [], ...audio.map((_, i) => el('group', [], leaf('index', i + 1), leaf('numchannels', 1), leaf('downmix', 0), el('channel', [], leaf('index', i + 1))))),
    );
  }
  const seqAttrs = sm ? attrs(sm.attributes) : [['id', 'sequence-1'] as XmlAttribute];
  const sequence = el(
    'sequence',
    seqAttrs,
    leaf('name', timeline.name),
    // The duration as read (Premiere states its own), else the end of the last clip.
    leaf('duration', typeof sm?.duration === 'number' ? sm.duration : endFrames),
    rateElement(seqXRate),
    timecode,
    el(
      'media',
      [],
      el('video', [], ...videoFormat, ...videoUnknown, ...videoTracks),
      el('audio', [], ...audioUnknown, ...audioHead, ...audioTracks),
    ),
    ...seqMarkers.map((m) => markerElement(ctx, m, seqRate, RationalTime.ZERO, 0n)),
    ...elems(sm?.unknown),
  );
  const version = options.version !== undefined ? String(options.version) : typeof meta?.version === 'string' ? meta.version : '5';
  let root: XmlElement;
  const stub = meta?.root as unknown as XmlElement | undefined;
  const path = Array.isArray(meta?.sequencePath) ? (meta?.sequencePath as number[]) : undefined;
  if (stub && typeof stub === 'object' && stub.name === 'xmeml' && path && path.length > 0) {
    root = replaceAt(stub, path, sequence);
    root = { ...root, attributes: withAttr(root.attributes, 'version', version) };
  } else {
    root = el('xmeml', [['version', version]], sequence);
  }
  return { value: writeXml(root, { doctype: 'xmeml' }), diagnostics };
}

// The label as read when it still names the same frame (Premiere writes `00;00;00;00` on NDF files).
function keptLabel(text: JsonValue | undefined, frames: bigint, rate: FrameRate): string | undefined {
  if (typeof text !== 'string') return undefined;
  const t = Timecode.parse(text, { rate, overflow: 'wrap' });
  if (t.ok && BigInt(t.value.frames) === frames) return text;
  // Premiere labels timebase-30/60 non-NTSC files marked DF with the drop-frame label of `frame`.
  if (!rate.dropFrame && (rate.nominalFps === 30 || rate.nominalFps === 60)) {
    const df = FrameRate.of(rate.nominalFps * 1000, 1001, { dropFrame: true });
    const d = Timecode.parse(text, { rate: df, overflow: 'wrap' });
    if (d.ok && BigInt(d.value.frames) === frames) return text;
  }
  return undefined;
}

function explode(t: Track, media: ReadonlyMap<string, MediaSource>): Track[] {
  const tx = obj(t.metadata.xmeml);
  if (t.kind === 'audio' && tx && Array.isArray(tx.members)) return reExplode(t, tx, tx.members);
  if (t.kind !== 'audio' || tx) return [t];
  const widthOf = (c: Clip): number => (c.media && c.media.channel === undefined && !obj(c.metadata.xmeml) ? (media.get(c.media.mediaId)?.channels ?? 1) : 1);
  const width = Math.max(1, ...t.clips.map(widthOf));
  if (width === 1) return [t];
  const out: Track[] = [];
  for (let j = 1; j <= width; j++) {
    const clips: Clip[] = [];
    for (const c of t.clips) {
      const w = widthOf(c);
      if (j > w) continue;
      clips.push(w > 1 && c.media ? { ...c, media: { mediaId: c.media.mediaId, channel: j } } : c);
    }
    out.push({
      ...t,
      clips,
      metadata: {
        ...t.metadata,
        xmemlExploded: { premiereTrackType: width === 2 ? 'Stereo' : 'Multichannel', currentExplodedTrackIndex: j - 1, totalExplodedTrackCount: width },
      },
    });
  }
  return out;
}

// A track read from Premiere's exploded tracks: member j gets channel j+1 of each clip, with the
// member's own XMEML (ids, links, unknown elements) as read. Clips added since play channel 1 only
// on the first member unless they play every channel.
function reExplode(t: Track, tx: Obj, members: readonly JsonValue[]): Track[] {
  const { members: _m, ...x0 } = tx;
  const first: Track = {
    ...t,
    clips: t.clips.map((c) => {
      const cx = obj(c.metadata.xmeml);
      const { members: _cm, ...rest } = cx ?? {};
      const metadata = { ...c.metadata, ...(cx ? { xmeml: rest } : {}) };
      if (!c.media) return { ...c, metadata };
      if (c.media.channel !== undefined) return c;
      return { ...c, media: { mediaId: c.media.mediaId, channel: 1 }, metadata };
    }),
    metadata: { ...t.metadata, xmeml: x0 },
  };
  const out: Track[] = [first];
  members.forEach((mv, j) => {
    const m = obj(mv);
    const trs = Array.isArray(m?.transitions) ? m.transitions : [];
    out.push({
      ...t,
      ...(m?.muted === true ? { muted: true } : {}),
      clips: t.clips.flatMap((c) => {
        const mm = obj(c.metadata.xmeml)?.members;
        const cx = Array.isArray(mm) ? mm[j] : undefined;
        const meta = cx !== undefined && cx !== null ? { ...c.metadata, xmeml: cx } : {};
        if (!c.media) return cx !== undefined && cx !== null ? [{ ...c, metadata: meta }] : [];
        if (c.media.channel !== undefined) return [];
        return [{ ...c, media: { mediaId: c.media.mediaId, channel: j + 2 }, metadata: meta }];
      }),
      transitions: t.transitions.map((tr, k) => (trs[k] !== undefined && trs[k] !== null ? { ...tr, metadata: { xmeml: trs[k] as JsonValue } } : tr)),
      metadata: m?.track !== undefined && m.track !== null ? { xmeml: m.track } : {},
    });
  });
  return out;
}

function replaceAt(root: XmlElement, path: readonly number[], e: XmlElement): XmlElement {
  const [i, ...rest] = path as [number, ...number[]];
  const children = root.children.slice();
  const cur = children[i];
  if (cur === undefined || typeof cur === 'string') return { ...root, children: [...children, e] };
  children[i] = rest.length === 0 ? e : replaceAt(cur, rest, e);
  return { ...root, children };
}

// Clip items of one source event (same media, same timeline range and source position) on
// different tracks are linked, as Premiere and FCP export a picture clip with its audio channels.
function buildLinks(tracks: readonly Track[], ids: Map<Clip, string>): Map<Clip, XmlElement[]> {
  const groups = new Map<string, { clip: Clip; track: Track; trackIndex: number; clipIndex: number }[]>();
  const kindIndex = { audio: 0, video: 0 };
  for (const t of tracks) {
    const trackIndex = ++kindIndex[t.kind];
    t.clips.forEach((c, i) => {
      if (!c.media) return;
      const x = obj(c.metadata.xmeml);
      if (x && elems(x.unknown).some((e) => e.name === 'link')) return; // links as read are kept
      const key = `${c.media.mediaId}|${c.start.toString()}|${c.duration.toString()}|${c.sourceStart.toString()}`;
      const g = groups.get(key) ?? [];
      g.push({ clip: c, track: t, trackIndex, clipIndex: i + 1 });
      groups.set(key, g);
    });
  }
  const out = new Map<Clip, XmlElement[]>();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const linkEls = g.map((m) =>
      el(
        'link',
        [],
        leaf('linkclipref', ids.get(m.clip) as string),
        leaf('mediatype', m.track.kind),
        leaf('trackindex', m.trackIndex),
        leaf('clipindex', m.clipIndex),
        m.track.kind === 'audio' ? leaf('groupindex', 1) : undefined,
      ),
    );
    for (const m of g) out.set(m.clip, linkEls);
  }
  return out;
}

function frames(ctx: WCtx, t: RationalTime, rate: FrameRate, what: string): bigint {
  if (!t.isOnFrameGrid(rate)) {
    ctx.diagnostics.push(warning('xmeml/rounded-to-frame', `${what} at ${t.toString()} s is not on the ${rate.name} fps frame grid; rounded to the nearest frame`));
  }
  return t.toFrames(rate, 'nearest');
}

interface Item {
  readonly at: RationalTime;
  readonly order: number;
  readonly node: () => XmlElement;
}

function writeTrack(ctx: WCtx, track: Track, ids: Map<Clip, string>, links: Map<Clip, XmlElement[]>, outputIndex?: number): XmlElement {
  const x = obj(track.metadata.xmeml);
  const items: Item[] = [];
  const seqRate = ctx.seqRate;
  // Transition ranges in sequence frames, for clip edges written as -1.
  const ranges = track.transitions.map((t) => ({
    s: frames(ctx, t.start, seqRate, 'a transition'),
    e: frames(ctx, t.start.plus(t.duration), seqRate, 'a transition end'),
  }));
  for (const [i, t] of track.transitions.entries()) {
    const r = ranges[i] as { s: bigint; e: bigint };
    items.push({ at: t.start, order: 0, node: () => transitionElement(ctx, t, r.s, r.e, track.kind) });
  }
  for (const c of track.clips) {
    const id = ids.get(c) as string;
    const cs = frames(ctx, c.start, seqRate, `clip "${c.name}"`);
    const ce = frames(ctx, c.start.plus(c.duration), seqRate, `clip "${c.name}" end`);
    const startUnder = c.fadeIn !== undefined || ranges.some((r) => r.s <= cs && cs < r.e);
    const endUnder = c.fadeOut !== undefined || ranges.some((r) => r.s < ce && ce <= r.e);
    if (c.fadeIn) {
      const d = frames(ctx, c.fadeIn.duration, seqRate, 'a fade-in');
      items.push({ at: c.start, order: 0, node: () => fadeElement(ctx, c, 'in', cs, cs + d) });
    }
    items.push({ at: c.start, order: 1, node: () => clipElement(ctx, c, id, cs, ce, startUnder, endUnder, links.get(c), track) });
    if (c.fadeOut) {
      const d = frames(ctx, c.fadeOut.duration, seqRate, 'a fade-out');
      items.push({ at: c.start.plus(c.duration), order: 2, node: () => fadeElement(ctx, c, 'out', ce - d, ce) });
    }
  }
  items.sort((a, b) => RationalTime.compare(a.at, b.at) || a.order - b.order);
  if (track.solo) ctx.diagnostics.push(warning('xmeml/solo-dropped', `track "${track.name}" is soloed; XMEML has no solo`));
  const tail: XmlElement[] = [leaf('enabled', track.muted ? 'FALSE' : 'TRUE')];
  if (x) tail.push(...elems(x.unknown));
  else {
    tail.push(leaf('locked', 'FALSE'));
    if (outputIndex !== undefined) tail.push(leaf('outputchannelindex', outputIndex));
  }
  const name = x?.named === true ? leaf('name', track.name) : undefined;
  const ex = obj(track.metadata.xmemlExploded);
  const exAttrs: XmlAttribute[] = ex
    ? [
        ['premiereTrackType', String(ex.premiereTrackType)],
        ['currentExplodedTrackIndex', String(ex.currentExplodedTrackIndex)],
        ['totalExplodedTrackCount', String(ex.totalExplodedTrackCount)],
      ]
    : [];
  return el('track', x ? attrs(x.attributes) : exAttrs, name, ...items.map((i) => i.node()), ...tail);
}

function crossfadeEffect(kind: 'audio' | 'video', t: Transition | undefined): XmlElement {
  if (kind === 'video') {
    return el('effect', [], leaf('name', 'Cross Dissolve'), leaf('effectid', 'Cross Dissolve'), leaf('effectcategory', 'Dissolve'), leaf('effecttype', 'transition'), leaf('mediatype', 'video'));
  }
  const zero = t?.shape === 'linear';
  return el(
    'effect',
    [],
    leaf('name', zero ? 'Cross Fade (0dB)' : 'Cross Fade (+3dB)'),
    leaf('effectid', zero ? 'KGAudioTransCrossFade0dB' : 'KGAudioTransCrossFade3dB'),
    leaf('effectcategory', 'audiotransition'),
    leaf('effecttype', 'transition'),
    leaf('mediatype', 'audio'),
  );
}

function transitionElement(ctx: WCtx, t: Transition, s: bigint, e: bigint, kind: 'audio' | 'video'): XmlElement {
  const raw = obj(t.metadata.xmeml)?.element as unknown as XmlElement | undefined;
  if (raw && typeof raw === 'object' && raw.name === 'transitionitem') return replaceChildren(raw, { start: leaf('start', s), end: leaf('end', e) });
  if (t.shape && t.shape !== 'linear' && t.shape !== 'equal-power') {
    ctx.diagnostics.push(warning('xmeml/fade-shape', `a ${t.shape} crossfade is written as Cross Fade (+3dB)`));
  }
  return el('transitionitem', [], leaf('start', s), leaf('end', e), leaf('alignment', 'center'), rateElement(ctx.seqXRate), crossfadeEffect(kind, t));
}

function fadeElement(ctx: WCtx, c: Clip, which: 'in' | 'out', s: bigint, e: bigint): XmlElement {
  const fade = which === 'in' ? c.fadeIn : c.fadeOut;
  const raw = obj(c.metadata.xmeml)?.[which === 'in' ? 'fadeIn' : 'fadeOut'] as unknown as XmlElement | undefined;
  if (raw && typeof raw === 'object' && raw.name === 'transitionitem') return replaceChildren(raw, { start: leaf('start', s), end: leaf('end', e) });
  if (fade && fade.shape !== 'linear' && fade.shape !== 'equal-power') {
    ctx.diagnostics.push(warning('xmeml/fade-shape', `clip "${c.name}": a ${fade.shape} fade is written as Cross Fade (+3dB)`));
  }
  return el(
    'transitionitem',
    [],
    leaf('start', s),
    leaf('end', e),
    leaf('alignment', which === 'in' ? 'start-black' : 'end-black'),
    rateElement(ctx.seqXRate),
    crossfadeEffect('audio', fade ? { kind: 'crossfade', start: RationalTime.ZERO, duration: fade.duration, shape: fade.shape, metadata: {} } : undefined),
  );
}

function clipRateOf(ctx: WCtx, c: Clip): XmemlRate {
  const x = obj(c.metadata.xmeml);
  const own = xrateOf(x?.rate);
  if (own) return own;
  const m = c.media ? ctx.media.get(c.media.mediaId) : undefined;
  return xrateOf(obj(m?.metadata.xmeml)?.rate) ?? ctx.seqXRate;
}

function sameGain(c: Clip, levels: Obj): boolean {
  const g = levels.gainDb;
  if ((c.gainDb ?? null) !== (typeof g === 'number' ? g : null)) return false;
  const a = c.gainAutomation;
  const b = levels.automation;
  if (!a || a.length === 0) return b === null || b === undefined;
  if (!Array.isArray(b) || b.length !== a.length) return false;
  return a.every((p, i) => {
    const q = obj(b[i]);
    return q !== undefined && q.gainDb === p.gainDb && q.time === p.time.toString();
  });
}

function linearText(db: number): string {
  return String(Number(dbToLinear(db).toFixed(6)));
}

function clipElement(
  ctx: WCtx,
  c: Clip,
  id: string,
  cs: bigint,
  ce: bigint,
  startUnder: boolean,
  endUnder: boolean,
  links: XmlElement[] | undefined,
  track: Track,
): XmlElement {
  const x = obj(c.metadata.xmeml);
  const xrate = clipRateOf(ctx, c);
  const rate = frameRateOf(xrate);
  const m = c.media ? ctx.media.get(c.media.mediaId) : undefined;
  const mediaStart = m?.start ?? RationalTime.ZERO;
  const inF = frames(ctx, c.sourceStart.minus(mediaStart), rate, `clip "${c.name}" source in`);
  // `in`/`out` count source frames: a speed change scales the length on the timeline.
  const speed = c.speed ?? Rational.ONE;
  const sourceLength = speed.equals(Rational.ONE) ? c.duration : c.duration.scaledBy(speed.abs());
  let outF = inF + frames(ctx, sourceLength, rate, `clip "${c.name}" length`);
  // Speed: the Time Remap filter as read while the speed is unchanged, else a constant one.
  const kept = obj(x?.timeremap);
  const keptSpeed = typeof kept?.speed === 'string' ? kept.speed : undefined;
  const speedChanged = keptSpeed === undefined ? !speed.equals(Rational.ONE) : keptSpeed !== speed.toString();
  // Keep the out point as read when nothing moved (writers disagree on in/out under a remap).
  if (!speedChanged && x && x.in === Number(inF) && typeof x.out === 'number' && typeof x.start === 'number' && typeof x.end === 'number') {
    const sameStart = x.start < 0 || x.start === Number(cs);
    const sameEnd = x.end < 0 || x.end === Number(ce);
    if (sameStart && sameEnd) outF = BigInt(x.out);
  }
  const element = typeof x?.element === 'string' && x.element === 'generatoritem' ? 'generatoritem' : 'clipitem';
  const children: (XmlNode | undefined)[] = [];
  let unknown = elems(x?.unknown);
  if (speedChanged) {
    unknown = unknown.filter((k) => !isTimeRemap(k));
    if (!speed.equals(Rational.ONE)) unknown = [timeRemapElement(ctx, c, speed), ...unknown];
  }
  // A speed ramp from another format (an FCPXML timeMap), or one changed since reading, has no
  // Time Remap written for it here: the clip keeps its average speed.
  const retime = obj(c.metadata.retime);
  if (retime && (retime.kind !== 'xmeml-graphdict' || speedChanged)) {
    ctx.diagnostics.push(warning('xmeml/ramp-dropped', `clip "${c.name}" has a speed ramp; written as a constant Time Remap at its average speed ${speed.toString()}`));
  }
  if (!x && m) children.push(leaf('masterclipid', `masterclip-${(ctx.fileIds.get(m.id) ?? m.id).replace(/^file-/, '')}`));
  children.push(leaf('name', c.name), leaf('enabled', c.muted ? 'FALSE' : 'TRUE'));
  let mediaFrames: bigint | undefined;
  if (typeof x?.duration === 'number') mediaFrames = BigInt(x.duration);
  else if (m?.duration) mediaFrames = m.duration.toFrames(rate, 'nearest');
  const texts = obj(x?.texts);
  const num = (name: string, v: bigint | number): XmlElement => {
    const t = texts?.[name];
    return leaf(name, typeof t === 'string' && parseInteger(t) === Number(v) ? t : v);
  };
  children.push(num('duration', mediaFrames ?? outF));
  children.push(rateElement(xrate));
  children.push(num('start', startUnder ? -1 : cs), num('end', endUnder ? -1 : ce), num('in', inF), num('out', outF));
  if (m) children.push(fileElement(ctx, m, xrate));
  else if (x?.file) children.push(x.file as unknown as XmlElement);
  if (track.kind === 'audio' && (m || x?.sourcetrack)) {
    const st = obj(x?.sourcetrack);
    const ti = c.media?.channel ?? (typeof st?.trackindex === 'number' ? st.trackindex : 1);
    children.push(el('sourcetrack', [], leaf('mediatype', 'audio'), leaf('trackindex', ti)));
  } else if (x?.sourcetrack) {
    const st = obj(x.sourcetrack);
    children.push(el('sourcetrack', [], leaf('mediatype', String(st?.mediatype ?? 'video')), leaf('trackindex', Number(st?.trackindex ?? 1))));
  }
  const levels = obj(x?.levels);
  if (levels && sameGain(c, levels)) children.push(levels.element as unknown as XmlElement);
  else if (c.gainDb !== undefined || (c.gainAutomation && c.gainAutomation.length > 0)) {
    const keys = (c.gainAutomation ?? []).map((p) =>
      el('keyframe', [], leaf('when', inF + frames(ctx, p.time, rate, `clip "${c.name}" gain point`)), leaf('value', linearText(p.gainDb))),
    );
    children.push(
      el(
        'filter',
        [],
        el(
          'effect',
          [],
          leaf('name', 'Audio Levels'),
          leaf('effectid', 'audiolevels'),
          leaf('effectcategory', 'audiolevels'),
          leaf('effecttype', 'audiolevels'),
          leaf('mediatype', 'audio'),
          el(
            'parameter',
            [],
            leaf('parameterid', 'level'),
            leaf('name', 'Level'),
            leaf('valuemin', 0),
            leaf('valuemax', '3.98109'),
            leaf('value', linearText(c.gainDb ?? c.gainAutomation?.[0]?.gainDb ?? 0)),
            ...keys,
          ),
        ),
      ),
    );
  }
  for (const mk of ctx.clipMarkers.get(typeof x?.id === 'string' ? x.id : id) ?? []) children.push(markerElement(ctx, mk, rate, c.start, inF));
  children.push(...unknown);
  if (links && !unknown.some((e) => e.name === 'link')) children.push(...links);
  const attributes = withAttr(attrs(x?.attributes), 'id', id);
  return el(element, attributes, ...children);
}

function fileElement(ctx: WCtx, m: MediaSource, clipRate: XmemlRate): XmlElement {
  const id = ctx.fileIds.get(m.id) ?? m.id;
  const x = obj(m.metadata.xmeml);
  if (ctx.written.has(id) || (x?.definedOutside === true && ctx.keepOutside)) return el('file', [['id', id]]);
  ctx.written.add(id);
  const xrate = xrateOf(x?.rate) ?? clipRate;
  const rate = frameRateOf(xrate);
  const children: (XmlNode | undefined)[] = [leaf('name', m.name)];
  if (m.url !== undefined) children.push(leaf('pathurl', m.url));
  children.push(rateElement(xrate));
  if (typeof x?.duration === 'number') children.push(leaf('duration', x.duration));
  else if (m.duration) children.push(leaf('duration', m.duration.toFrames(rate, 'nearest')));
  const tcx = obj(x?.timecode);
  const tcXRate = xrateOf(tcx?.rate) ?? xrate;
  const df = tcx ? tcx.dropFrame === true : ctx.seqRate.dropFrame && xrate.ntsc && (xrate.timebase === 30 || xrate.timebase === 60);
  const tcRate = frameRateOf(tcXRate, df);
  if (m.start !== undefined || tcx) {
    const f = (m.start ?? RationalTime.ZERO).toFrames(tcRate, 'nearest');
    const label = keptLabel(tcx?.string, f, tcRate) ?? Timecode.fromFrames(f, tcRate, { overflow: 'wrap' }).toString();
    children.push(el('timecode', [], rateElement(tcXRate), leaf('string', label), leaf('frame', f), leaf('displayformat', df ? 'DF' : 'NDF'), ...elems(tcx?.unknown)));
  }
  const mx = obj(x?.media);
  if (mx && (mx.sampleRate ?? undefined) === m.sampleRate && (mx.channels ?? undefined) === m.channels) {
    children.push(mx.element as unknown as XmlElement);
  } else {
    const hasVideo = m.kind === 'video' || m.kind === 'audio-video';
    const hasAudio = m.kind === 'audio' || m.kind === 'audio-video' || m.sampleRate !== undefined;
    children.push(
      el(
        'media',
        [],
        hasVideo ? el('video', [], el('samplecharacteristics', [], rateElement(xrate))) : undefined,
        hasAudio
          ? el(
              'audio',
              [],
              el('samplecharacteristics', [], leaf('depth', typeof mx?.depth === 'number' ? mx.depth : 24), leaf('samplerate', m.sampleRate ?? 48000)),
              leaf('channelcount', m.channels ?? 1),
            )
          : undefined,
      ),
    );
  }
  children.push(...elems(x?.unknown));
  return el('file', withAttr(attrs(x?.attributes), 'id', id), ...children);
}

function markerElement(ctx: WCtx, mk: Marker, rate: FrameRate, base: RationalTime, inF: bigint): XmlElement {
  const x = obj(mk.metadata.xmeml);
  const at = inF + frames(ctx, mk.position.minus(base), rate, `marker "${mk.name}"`);
  const out = mk.duration ? at + frames(ctx, mk.duration, rate, `marker "${mk.name}" length`) : -1n;
  return el('marker', [], leaf('comment', mk.comment ?? ''), leaf('name', mk.name), leaf('in', at), leaf('out', out), ...elems(x?.unknown));
}

/** The FCP7 sequence frame rate used for a timeline (exported for tests and converters). */
export function sequenceRateOf(timeline: Timeline): FrameRate {
  const x = xmemlRateOf(timeline.frameRate);
  return x ? frameRateOf(x, timeline.frameRate.dropFrame) : FrameRate.of(Math.max(1, Math.round(timeline.frameRate.rate.toNumber())));
}

function isTimeRemap(e: XmlElement): boolean {
  if (e.name !== 'filter') return false;
  const effect = child(e, 'effect');
  return effect !== undefined && childText(effect, 'effectid')?.trim() === 'timeremap';
}

/**
 * A decimal text of a rational: exact when its denominator has only the factors 2 and 5, else
 * rounded to six decimals (`rounded` is then true).
 */
export function decimalText(r: Rational): { text: string; rounded: boolean } {
  let d = r.den;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  let digits = 0;
  let rounded = false;
  if (d === 1n) {
    let p = 1n;
    while (p % r.den !== 0n) {
      p *= 10n;
      digits++;
    }
  } else {
    digits = 6;
    rounded = true;
  }
  const scale = 10n ** BigInt(digits);
  const n = r.times(Rational.of(scale)).round('nearest');
  const neg = n < 0n;
  const a = neg ? -n : n;
  const whole = a / scale;
  const frac = digits > 0 ? (a % scale).toString().padStart(digits, '0').replace(/0+$/, '') : '';
  return { text: `${neg ? '-' : ''}${whole}${frac !== '' ? `.${frac}` : ''}`, rounded };
}

// A constant-speed Time Remap filter in the shape Premiere exports (speed in percent, `reverse`
// for negative speeds; a freeze frame is speed 0).
function timeRemapElement(ctx: WCtx, c: Clip, speed: Rational): XmlElement {
  const percent = decimalText(speed.abs().times(Rational.of(100)));
  if (percent.rounded) {
    ctx.diagnostics.push(warning('xmeml/speed-rounded', `clip "${c.name}" plays at speed ${speed.toString()}; XMEML states it as ${percent.text}%`));
  }
  const param = (id: string, value: string, extra: XmlElement[] = []): XmlElement => el('parameter', [], leaf('parameterid', id), leaf('name', id), ...extra, leaf('value', value));
  return el(
    'filter',
    [],
    el(
      'effect',
      [],
      leaf('name', 'Time Remap'),
      leaf('effectid', 'timeremap'),
      leaf('effectcategory', 'motion'),
      leaf('effecttype', 'motion'),
      leaf('mediatype', 'video'),
      param('variablespeed', '0', [leaf('valuemin', 0), leaf('valuemax', 1)]),
      param('speed', percent.text, [leaf('valuemin', -100000), leaf('valuemax', 100000)]),
      param('reverse', speed.sign() < 0 ? 'TRUE' : 'FALSE'),
      param('frameblending', 'FALSE'),
    ),
  );
}
