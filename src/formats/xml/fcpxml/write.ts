/**
 * {@link Timeline} to FCPXML 1.10 (or 1.8 on request) for Final Cut Pro import.
 *
 * Layout (the shape of spec/xml.md 2.5): one `format`, one `asset` per media source, and a project
 * whose spine holds one `gap` as long as the timeline, numbered from `tcStart` as FCP numbers its
 * own spines. Every clip is connected to that gap: video tracks on lanes 1, 2…, audio tracks on
 * lanes −1, −2…, each with its audio role taken from the track (`dialogue`, `music`, `effects`
 * by name, else `dialogue.<track name>`). Times are exact rationals over the frame denominator.
 * @packageDocumentation
 */
import { error, warning, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../../diagnostics/result.js';
import type { Clip, Fade, MediaSource, Timeline, Track } from '../../../model/types.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import type { WriteOptions } from '../../types.js';
import { el, writeXml, type XmlAttribute, type XmlElement } from '../xml-tree.js';
import { writeOver, type NewAssetBuilder, type NewClipBuilder } from './lossless.js';
import { formatFcpxmlTimeOver } from './time.js';
import { validate } from './validate.js';

/** Options of {@link write}. */
export interface FcpxmlWriteOptions extends WriteOptions {
  /** Document version: `1.10` (default, `media-rep` children) or `1.8` (asset `src`). */
  readonly version?: '1.10' | '1.8';
  /** Library event name (default `dubstage`). */
  readonly eventName?: string;
  /**
   * Write a new document even when the timeline was read from FCPXML (default false: a timeline
   * read from FCPXML is written over the document it came from, keeping every element).
   */
  readonly fresh?: boolean;
  /**
   * Check the written document against the FCPXML grammar of its version (default true): every
   * problem is an error diagnostic (validate.ts). Off only to save time on documents known good.
   */
  readonly validate?: boolean;
  /** Picture size of the sequence format (default 1920×1080). */
  readonly width?: number;
  readonly height?: number;
}

/** The audio role of a track: its FCPXML role as read, else one derived from the track's name. */
export function roleOfTrack(track: Track): string {
  const r = (track.metadata.fcpxml as { role?: unknown } | undefined)?.role;
  if (typeof r === 'string' && r !== '') return r;
  const n = track.name.trim();
  const lower = n.toLowerCase();
  if (/^(dialog|dialogue|dx|dia)\b/.test(lower) || lower === 'dialogue') return lower === 'dialogue' ? 'dialogue' : `dialogue.${n}`;
  if (/^(music|mx|mus)\b/.test(lower)) return lower === 'music' ? 'music' : `music.${n}`;
  if (/^(effects|fx|sfx|efx)\b/.test(lower)) return lower === 'effects' ? 'effects' : `effects.${n}`;
  return n === '' ? 'dialogue' : `dialogue.${n.replace(/\./g, '_')}`;
}

function db(v: number): string {
  return `${Number(v.toFixed(4))}dB`;
}

function fadeType(f: Fade): string {
  return f.shape === 's-curve' ? 'easeInOut' : f.shape === 'equal-power' || f.shape === 'logarithmic' ? 'easeOut' : 'linear';
}

/**
 * Writes a timeline as FCPXML. Never throws; the diagnostics list what FCPXML written this way
 * cannot hold: clips without media, speed changes, crossfades (written as fade handles), solo.
 */
export function write(timeline: Timeline, options: FcpxmlWriteOptions = {}): WriteResult<string> {
  try {
    // A timeline read from FCPXML is written over its own document (lossless.ts) unless another
    // version is asked for or `fresh` is set.
    const meta = timeline.metadata.fcpxml as { version?: unknown; document?: unknown } | undefined;
    const readVersion = meta?.version;
    if (options.fresh !== true && (options.version === undefined || options.version === readVersion)) {
      const over = writeOver(timeline, builders(timeline));
      if (over) {
        if (options.validate === false) return over;
        // Problems the document already had when it was read are not the writer's: only new ones are reported.
        const doc = meta?.document;
        const before = new Set((doc !== null && typeof doc === 'object' ? validate(doc as XmlElement) : []).map(problemKey));
        return checked(over, (d) => !before.has(problemKey(d)));
      }
    }
    const fresh = writeTimelineXml(timeline, options);
    // A new document is checked as the tree it was built from (no second parse of the text).
    return options.validate === false ? fresh.result : checked(fresh.result, () => true, fresh.tree);
  } catch (e) {
    // A model value past what the format can state (a frame count beyond exact range): nothing is written.
    return { value: '', diagnostics: [error('fcpxml/write-failed', `not written: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

function problemKey(d: Diagnostic): string {
  return `${d.code}|${d.message}`;
}

// The written document checked against the grammar of its version (validate.ts): Final Cut Pro
// rejects a whole import that does not validate, so every problem is an error of the write.
function checked(result: WriteResult<string>, keep: (d: Diagnostic) => boolean, tree?: XmlElement): WriteResult<string> {
  const problems = validate(tree ?? result.value).filter((d) => d.severity === 'error' && keep(d));
  if (problems.length === 0) return result;
  return {
    value: result.value,
    diagnostics: [...result.diagnostics, ...problems.map((d) => error(d.code, `the written document does not validate: ${d.message}`, { ...(d.path ? { path: d.path } : {}), ...(d.at ? { at: d.at } : {}) }))],
  };
}

function writeTimelineXml(timeline: Timeline, options: FcpxmlWriteOptions): { result: WriteResult<string>; tree: XmlElement } {
  const diagnostics: Diagnostic[] = [];
  const version = options.version ?? '1.10';
  const rate = timeline.frameRate;
  const frame = rate.frameDuration; // seconds per frame, exact
  const den = frame.den; // frame-aligned times print over this denominator, as FCP does
  const t = (x: RationalTime): string => formatFcpxmlTimeOver(x, den);
  const tcStart = timeline.startTimecode.toRationalTime();

  // Resources.
  const resources: XmlElement[] = [
    el('format', [
      ['id', 'r1'],
      ['frameDuration', formatFcpxmlTimeOver(RationalTime.fromSeconds(frame), den)],
      ['width', String(options.width ?? 1920)],
      ['height', String(options.height ?? 1080)],
    ]),
  ];
  const assetIds = new Map<string, string>();
  const used = new Set<string>();
  for (const tr of timeline.tracks) for (const c of tr.clips) if (c.media) used.add(c.media.mediaId);
  // Each source's extent as used, for assets that state no duration.
  const extent = new Map<string, RationalTime>();
  for (const tr of timeline.tracks) for (const c of tr.clips) {
    if (!c.media) continue;
    const e = c.sourceStart.plus(c.duration);
    const prev = extent.get(c.media.mediaId);
    if (!prev || prev.lessThan(e)) extent.set(c.media.mediaId, e);
  }
  let n = 2;
  for (const m of timeline.media) {
    if (!used.has(m.id) || assetIds.has(m.id)) continue;
    const id = `r${n++}`;
    assetIds.set(m.id, id);
    resources.push(assetElement(m, id, version, t, extent.get(m.id), timeline.sampleRate));
    if (m.url === undefined || m.url.trim() === '') diagnostics.push(warning('fcpxml/media-url-invented', `media "${m.name}" has no location; written as src="${mediaUrl(m)}" (offline in Final Cut Pro until relinked)`));
  }

  // Clips connected to one gap that spans the timeline.
  let end = RationalTime.ZERO;
  // Clips without media are not written, so they do not lengthen the gap either.
  for (const tr of timeline.tracks) for (const c of tr.clips) if (c.media && assetIds.has(c.media.mediaId)) end = RationalTime.max(end, c.start.plus(c.duration));
  for (const m of timeline.markers) end = RationalTime.max(end, m.position.plus(m.duration ?? RationalTime.ZERO));
  const duration = end.isZero() ? RationalTime.fromSeconds(frame) : end.snappedToFrames(rate, 'ceil');
  const connected: XmlElement[] = [];
  let videoLane = 0;
  let audioLane = 0;
  const mediaById = new Map(timeline.media.map((m) => [m.id, m]));
  for (const tr of timeline.tracks) {
    // Lanes count only tracks that have something to write.
    const writable = tr.clips.some((c) => c.media !== undefined && assetIds.has(c.media.mediaId));
    if (!writable) {
      for (const c of tr.clips) diagnostics.push(warning('fcpxml/no-media-dropped', `clip "${c.name}" on "${tr.name}" plays no media file; not written`));
      continue;
    }
    const lane = tr.kind === 'video' ? ++videoLane : -++audioLane;
    const role = tr.kind === 'audio' ? roleOfTrack(tr) : undefined;
    if (tr.solo) diagnostics.push(warning('fcpxml/solo-dropped', `track "${tr.name}" is soloed; FCPXML has no solo`));
    // Crossfades become fade handles on the clips they join.
    const fades = new Map<Clip, { fadeIn?: Fade; fadeOut?: Fade }>();
    for (const x of tr.transitions) {
      const xEnd = x.start.plus(x.duration);
      for (const c of tr.clips) {
        const cEnd = c.start.plus(c.duration);
        const f = fades.get(c) ?? {};
        if (!c.start.lessThan(x.start) && c.start.lessThan(xEnd)) f.fadeIn = { duration: xEnd.minus(c.start), shape: x.shape ?? 'linear' };
        else if (x.start.lessThan(cEnd) && !xEnd.lessThan(cEnd) && c.start.lessThan(x.start)) f.fadeOut = { duration: cEnd.minus(x.start), shape: x.shape ?? 'linear' };
        fades.set(c, f);
      }
      if (tr.kind === 'audio') diagnostics.push(warning('fcpxml/crossfade-as-fades', `a crossfade on "${tr.name}" is written as fade handles on the clips it joins`));
      else diagnostics.push(warning('fcpxml/transition-dropped', `a video transition on "${tr.name}" is not written (clips are connected, not in the spine)`));
    }
    for (const c of tr.clips) {
      const m = c.media ? mediaById.get(c.media.mediaId) : undefined;
      const ref = c.media ? assetIds.get(c.media.mediaId) : undefined;
      if (!m || !ref) {
        diagnostics.push(warning('fcpxml/no-media-dropped', `clip "${c.name}" on "${tr.name}" plays no media file; not written`));
        continue;
      }
      if (c.speed !== undefined && c.speed.sign() <= 0) {
        diagnostics.push(warning('fcpxml/speed-dropped', `clip "${c.name}" plays at speed ${c.speed.toString()} (frozen or reversed); written at normal speed`));
      }
      if (c.metadata.retime !== undefined && !rampOf(c)) {
        diagnostics.push(warning('fcpxml/ramp-dropped', `clip "${c.name}" on "${tr.name}" has a speed ramp that no longer matches the clip (or comes from another format); written at its average speed`));
      }
      const f = fades.get(c) ?? {};
      connected.push(clipElement(c, tr, m, ref, lane, role, tcStart, t, { fadeIn: c.fadeIn ?? f.fadeIn, fadeOut: c.fadeOut ?? f.fadeOut }));
    }
  }
  const markers = timeline.markers.map((mk) => {
    const kind = (mk.metadata.fcpxml as { kind?: unknown } | undefined)?.kind === 'chapter-marker' ? 'chapter-marker' : 'marker';
    const a: XmlAttribute[] = [
      ['start', t(tcStart.plus(mk.position))],
      ['duration', t(mk.duration ?? RationalTime.fromSeconds(frame))],
      ['value', mk.name],
    ];
    if (mk.comment !== undefined) a.push(['note', mk.comment]);
    return el(kind, a);
  });
  const gap = el(
    'gap',
    [
      ['name', 'Gap'],
      ['offset', t(tcStart)],
      ['start', t(tcStart)],
      ['duration', t(duration)],
    ],
    ...connected,
    ...markers,
  );
  const channels = Math.max(0, ...timeline.tracks.filter((k) => k.kind === 'audio').map((k) => k.channels));
  const rateName = audioRateName(timeline.sampleRate);
  if (rateName === undefined) diagnostics.push(warning('fcpxml/audio-rate-dropped', `the session rate ${timeline.sampleRate} Hz is not one FCPXML can state (32k to 192k); the sequence is written without audioRate`));
  const sequence = el(
    'sequence',
    [
      ['format', 'r1'],
      ['duration', t(duration)],
      ['tcStart', t(tcStart)],
      ['tcFormat', rate.dropFrame ? 'DF' : 'NDF'],
      ['audioLayout', channels > 2 ? 'surround' : 'stereo'],
      ...(rateName !== undefined ? ([['audioRate', rateName]] as XmlAttribute[]) : []),
    ],
    el('spine', [], gap),
  );
  const root = el(
    'fcpxml',
    [['version', version]],
    el('resources', [], ...resources),
    el('library', [], el('event', [['name', options.eventName ?? 'dubstage']], el('project', [['name', timeline.name || 'Untitled']], sequence))),
  );
  return { result: { value: writeXml(root, { doctype: 'fcpxml', indent: '    ' }), diagnostics }, tree: root };
}

// Element builders for clips and assets added to a timeline read from FCPXML.
function builders(timeline: Timeline): { clip: NewClipBuilder; asset: NewAssetBuilder } {
  const den = timeline.frameRate.frameDuration.den;
  const t = (x: RationalTime): string => formatFcpxmlTimeOver(x, den);
  return {
    clip: (c, tr, m, ref, lane, base) =>
      clipElement(c, tr, m, ref, lane, tr.kind === 'audio' ? roleOfTrack(tr) : undefined, base, t, { fadeIn: c.fadeIn, fadeOut: c.fadeOut }),
    asset: (m, id, formatId) => {
      const v = (timeline.metadata.fcpxml as { version?: unknown } | undefined)?.version;
      const minor = typeof v === 'string' ? Number(v.split('.')[1]) : 10;
      const a = assetElement(m, id, minor < 9 ? '1.8' : '1.10', t, undefined, timeline.sampleRate);
      return formatId === undefined ? a : { ...a, attributes: a.attributes.map((x) => (x[0] === 'format' ? ([x[0], formatId] as const) : x)) };
    },
  };
}

function assetElement(
  m: MediaSource,
  id: string,
  version: string,
  t: (x: RationalTime) => string,
  extent: RationalTime | undefined,
  sessionRate: number,
): XmlElement {
  const hasVideo = m.kind === 'video' || m.kind === 'audio-video';
  const hasAudio = m.kind !== 'video';
  const start = m.start ?? RationalTime.ZERO;
  const duration = m.duration ?? (extent ? extent.minus(start) : RationalTime.ZERO);
  const a: XmlAttribute[] = [
    ['id', id],
    ['name', m.name],
    ['start', t(start)],
    ['duration', t(duration)],
  ];
  // `videoSources` is an attribute of FCPXML 1.9 and later.
  if (hasVideo) a.push(['hasVideo', '1'], ['format', 'r1'], ...(version === '1.8' ? [] : ([['videoSources', '1']] as XmlAttribute[])));
  if (hasAudio) {
    a.push(['hasAudio', '1'], ['audioSources', '1'], ['audioChannels', String(m.channels ?? 1)], ['audioRate', String(m.sampleRate ?? sessionRate)]);
  }
  // The grammar requires a location: `src` (1.8) or at least one `media-rep` (1.9 on).
  const src = mediaUrl(m);
  if (version === '1.8') a.push(['src', src]);
  const reps = version !== '1.8' ? [el('media-rep', [['kind', 'original-media'], ['src', src]])] : [];
  return el('asset', a, ...reps);
}

/**
 * The `src` FCPXML names a media file by: the media's URL or path as the model has it (a timeline
 * read from XMEML or FCPXML carries the URL as written), and for media without a location
 * (embedded AAF essence, XMEML files without `pathurl`, a missing OTIO reference) its name as a
 * relative URL reference, which Final Cut Pro shows offline until relinked (reported by the
 * writer). The grammar requires one: `src` on 1.8 assets, a `media-rep` from 1.9 on.
 */
export function mediaUrl(m: MediaSource): string {
  const u = m.url?.trim();
  if (u !== undefined && u !== '') return m.url as string;
  return encodeURI(m.name || m.id);
}

/** The sequence `audioRate` value for a sample rate (the grammar lists 32k to 192k), or undefined. */
function audioRateName(sampleRate: number): string | undefined {
  const names: Record<number, string> = { 32000: '32k', 44100: '44.1k', 48000: '48k', 88200: '88.2k', 96000: '96k', 176400: '176.4k', 192000: '192k' };
  return names[sampleRate];
}

/**
 * The speed ramp a clip carries (`metadata.retime`, written by the FCPXML reader for a timeMap of
 * more than two points) when it still applies: same source position, length and average speed as
 * read, and read from a clip whose local time ran at the timeline's rate. Undefined otherwise.
 */
export function rampOf(c: Clip): { localStart: RationalTime; points: { time: RationalTime; value: RationalTime; interp: string }[]; preservesPitch: boolean } | undefined {
  const r = c.metadata.retime as { kind?: unknown; read?: unknown; localStart?: unknown; points?: unknown; preservesPitch?: unknown } | undefined;
  if (!r || r.kind !== 'fcpxml-timeMap' || !Array.isArray(r.points) || typeof r.localStart !== 'string') return undefined;
  if ((c.metadata.fcpxml as { localScale?: unknown } | undefined)?.localScale !== undefined) return undefined;
  if (r.read !== `${c.sourceStart}|${c.duration}|${c.speed ?? Rational.ONE}`) return undefined;
  const localStart = Rational.parse(r.localStart);
  const points: { time: RationalTime; value: RationalTime; interp: string }[] = [];
  for (const p of r.points as { time?: unknown; value?: unknown; interp?: unknown }[]) {
    const time = typeof p.time === 'string' ? Rational.parse(p.time) : undefined;
    const value = typeof p.value === 'string' ? Rational.parse(p.value) : undefined;
    if (!time || !value) return undefined;
    points.push({ time: RationalTime.fromSeconds(time), value: RationalTime.fromSeconds(value), interp: typeof p.interp === 'string' ? p.interp : 'linear' });
  }
  return localStart ? { localStart: RationalTime.fromSeconds(localStart), points, preservesPitch: r.preservesPitch !== false } : undefined;
}

function clipElement(
  c: Clip,
  tr: Track,
  m: MediaSource,
  ref: string,
  lane: number,
  role: string | undefined,
  tcStart: RationalTime,
  t: (x: RationalTime) => string,
  fades: { fadeIn?: Fade | undefined; fadeOut?: Fade | undefined },
): XmlElement {
  const a: XmlAttribute[] = [
    ['ref', ref],
    ['lane', String(lane)],
    ['offset', t(tcStart.plus(c.start))],
    ['name', c.name],
    ['start', t(c.sourceStart)],
    ['duration', t(c.duration)],
  ];
  // A constant speed is a two-point timeMap from local time to source time (0 → 0, T → T·speed);
  // the local start is then the source position divided by the speed.
  const retimed = c.speed !== undefined && c.speed.sign() > 0 && !(c.speed.num === 1n && c.speed.den === 1n) ? c.speed : undefined;
  let timeMap: XmlElement | undefined;
  let localStart = c.sourceStart;
  const ramp = rampOf(c);
  if (ramp) {
    // A speed ramp read from FCPXML, unchanged since: its timeMap as read, from its local start.
    localStart = ramp.localStart;
    a[4] = ['start', t(localStart)];
    timeMap = el('timeMap', ramp.preservesPitch ? [] : [['preservesPitch', '0']], ...ramp.points.map((p) => el('timept', [['time', t(p.time)], ['value', t(p.value)], ['interp', p.interp]])));
  } else if (retimed) {
    const local = RationalTime.fromSeconds(c.sourceStart.seconds.dividedBy(retimed));
    localStart = local;
    a[4] = ['start', t(local)];
    const end = local.plus(c.duration);
    timeMap = el(
      'timeMap',
      [],
      el('timept', [['time', '0s'], ['value', '0s'], ['interp', 'linear']]),
      el('timept', [['time', t(end)], ['value', t(end.scaledBy(retimed))], ['interp', 'linear']]),
    );
  }
  // A file with picture and sound is placed as a `video` or `audio` element (one side of it); a
  // sound-only or picture-only file as an `asset-clip`.
  const split = m.kind === 'audio-video';
  const name = split ? (tr.kind === 'video' ? 'video' : 'audio') : 'asset-clip';
  if (role !== undefined) a.push([split ? 'role' : 'audioRole', role]);
  if (split && tr.kind === 'audio' && c.media?.channel !== undefined) a.push(['srcCh', String(c.media.channel)]);
  if (c.muted) a.push(['enabled', '0']);
  const kids: XmlElement[] = timeMap ? [timeMap] : [];
  // Child order as FCP writes it: timeMap, adjustments, then markers, then audio-channel-source.
  if (tr.kind === 'audio') {
    const params: XmlElement[] = [];
    const keys = (c.gainAutomation ?? []).map((p) => el('keyframe', [['time', t(localStart.plus(p.time))], ['value', db(p.gainDb)]]));
    const fadeEls: XmlElement[] = [];
    if (fades.fadeIn) fadeEls.push(el('fadeIn', [['type', fadeType(fades.fadeIn)], ['duration', t(fades.fadeIn.duration)]]));
    if (fades.fadeOut) fadeEls.push(el('fadeOut', [['type', fadeType(fades.fadeOut)], ['duration', t(fades.fadeOut.duration)]]));
    if (keys.length > 0 || fadeEls.length > 0) {
      params.push(el('param', [['name', 'amount']], ...fadeEls, ...(keys.length > 0 ? [el('keyframeAnimation', [], ...keys)] : [])));
    }
    if (c.gainDb !== undefined || params.length > 0) kids.push(el('adjust-volume', c.gainDb !== undefined ? [['amount', db(c.gainDb)]] : [], ...params));
  }
  if (!split && tr.kind === 'audio' && c.media?.channel !== undefined) {
    kids.push(el('audio-channel-source', [['srcCh', String(c.media.channel)], ...(role !== undefined ? ([['role', role]] as XmlAttribute[]) : [])]));
  }
  return el(name, a, ...kids);
}
