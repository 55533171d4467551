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
import { RationalTime } from '../../../time/rational-time.js';
import type { WriteOptions } from '../../types.js';
import { el, writeXml, type XmlAttribute, type XmlElement } from '../xml-tree.js';
import { writeOver, type NewAssetBuilder, type NewClipBuilder } from './lossless.js';
import { formatFcpxmlTimeOver } from './time.js';

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
    const readVersion = (timeline.metadata.fcpxml as { version?: unknown } | undefined)?.version;
    if (options.fresh !== true && (options.version === undefined || options.version === readVersion)) {
      const over = writeOver(timeline, builders(timeline));
      if (over) return over;
    }
    return writeTimelineXml(timeline, options);
  } catch (e) {
    // A model value past what the format can state (a frame count beyond exact range): nothing is written.
    return { value: '', diagnostics: [error('fcpxml/write-failed', `not written: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

function writeTimelineXml(timeline: Timeline, options: FcpxmlWriteOptions): WriteResult<string> {
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
  const sequence = el(
    'sequence',
    [
      ['format', 'r1'],
      ['duration', t(duration)],
      ['tcStart', t(tcStart)],
      ['tcFormat', rate.dropFrame ? 'DF' : 'NDF'],
      ['audioLayout', channels > 2 ? 'surround' : 'stereo'],
      ['audioRate', `${timeline.sampleRate / 1000}k`],
    ],
    el('spine', [], gap),
  );
  const root = el(
    'fcpxml',
    [['version', version]],
    el('resources', [], ...resources),
    el('library', [], el('event', [['name', options.eventName ?? 'dubstage']], el('project', [['name', timeline.name || 'Untitled']], sequence))),
  );
  return { value: writeXml(root, { doctype: 'fcpxml', indent: '    ' }), diagnostics };
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
  if (hasVideo) a.push(['hasVideo', '1'], ['format', 'r1'], ['videoSources', '1']);
  if (hasAudio) {
    a.push(['hasAudio', '1'], ['audioSources', '1'], ['audioChannels', String(m.channels ?? 1)], ['audioRate', String(m.sampleRate ?? sessionRate)]);
  }
  if (version === '1.8' && m.url !== undefined) a.push(['src', m.url]);
  const reps = version !== '1.8' && m.url !== undefined ? [el('media-rep', [['kind', 'original-media'], ['src', m.url]])] : [];
  return el('asset', a, ...reps);
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
  if (retimed) {
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
