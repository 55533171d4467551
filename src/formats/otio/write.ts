/**
 * Writing the timeline model as OpenTimelineIO JSON, with the schema names and versions OTIO
 * itself writes (`Timeline.1`, `Stack.1`, `Track.1`, `Clip.2`, `Gap.1`, `Transition.1`,
 * `ExternalReference.1`, `MissingReference.1`, `Marker.2`, `RationalTime.1`, `TimeRange.1`).
 *
 * Gaps are derived from the space between clips. Times are written at the timeline's frame rate
 * when they are whole frames, else at the session sample rate when whole samples, else (with
 * `otio/inexact-time`) as a fractional frame count. Model fields OTIO has no place for are kept
 * under `metadata.dubstage` (see dubstage-keys.ts); what is kept under `metadata.otio` by the
 * reader is written back where it came from.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { warning } from '../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../diagnostics/result.js';
import type { Clip, JsonValue, Marker, MediaSource, Metadata, Timeline, Track, Transition } from '../../model/types.js';
import { clipEnd } from '../../model/build.js';
import type { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { losslessNumber, stringifyJson } from '../json/json-text.js';
import type { WriteOptions } from '../types.js';
import { toDubstageMetadata } from './dubstage-keys.js';
import { guessRate } from './read.js';

type Obj = { readonly [k: string]: JsonValue };
type MObj = Record<string, JsonValue>;

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A double for an OTIO double field. Whole values are written as JSON integers (`24`): OTIO's
 * reader takes an integer where it expects a double, as its own test files do (`"rate": 24` in
 * the corpus). Non-finite values are written as OTIO writes them (`Inf`, `-Inf`, `NaN`).
 */
export function float(x: number): JsonValue {
  if (!Number.isFinite(x)) return losslessNumber(Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf');
  return x;
}

function otioOf(m: Metadata): Obj {
  const o = m['otio'];
  return isObj(o) ? o : {};
}

/** Options of {@link write}. */
export interface OtioWriteOptions extends WriteOptions {
  /** Spaces per indent level (default 4, as OTIO writes). */
  readonly indent?: number;
}

class Writer {
  readonly diagnostics: Diagnostic[] = [];
  private readonly frameRateNumber: number;
  private readonly frameRate: Rational;
  private readonly media: Map<string, MediaSource>;
  /** Media ids some written clip refers to; the others have no place in OTIO. */
  readonly used = new Set<string>();
  private readonly refCache = new Map<string, JsonValue>();
  /** The media kind a reader derives from the tracks that use each media (see read.ts). */
  private readonly derivedKind = new Map<string, MediaSource['kind']>();

  constructor(private readonly timeline: Timeline) {
    this.frameRate = timeline.frameRate.rate;
    this.frameRateNumber = this.frameRate.toNumber();
    this.media = new Map(timeline.media.map((m) => [m.id, m]));
    for (const track of timeline.tracks) {
      for (const c of track.clips) {
        if (!c.media) continue;
        const was = this.derivedKind.get(c.media.mediaId);
        this.derivedKind.set(c.media.mediaId, was === undefined || was === track.kind ? track.kind : 'audio-video');
      }
    }
  }

  loss(code: `otio/${string}`, message: string, path: readonly string[]): void {
    this.diagnostics.push(warning(code, message, { path }));
  }

  time(t: RationalTime, path: readonly string[]): JsonValue {
    if (t.isOnFrameGrid(this.frameRate)) {
      return { OTIO_SCHEMA: 'RationalTime.1', rate: float(this.frameRateNumber), value: float(Number(t.toFrames(this.frameRate, 'trunc'))) };
    }
    const sr = this.timeline.sampleRate;
    if (t.isOnSampleGrid(sr)) return { OTIO_SCHEMA: 'RationalTime.1', rate: float(sr), value: float(Number(t.toSamples(sr, 'trunc'))) };
    // Off both grids (FCPXML's 1/120000 s grid, retimed sources): a whole value at the time's own
    // denominator as the rate is still exact, as long as both fit a double's integers.
    const { num, den } = t.seconds;
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    if (den <= safe && num <= safe && -num <= safe) return { OTIO_SCHEMA: 'RationalTime.1', rate: float(Number(den)), value: float(Number(num)) };
    this.loss('otio/inexact-time', `${t} s is on neither the frame nor the sample grid; OTIO stores it as a double`, path);
    return { OTIO_SCHEMA: 'RationalTime.1', rate: float(this.frameRateNumber), value: float(t.seconds.times(this.frameRate).toNumber()) };
  }

  range(start: RationalTime, duration: RationalTime, path: readonly string[]): JsonValue {
    return { OTIO_SCHEMA: 'TimeRange.1', duration: this.time(duration, [...path, 'duration']), start_time: this.time(start, [...path, 'start_time']) };
  }

  mediaReference(c: Clip, trackKind: 'audio' | 'video', path: readonly string[]): JsonValue {
    const m = c.media ? this.media.get(c.media.mediaId) : undefined;
    // Clips of the same media share one reference object (written out for each clip as OTIO does).
    const cacheKey = m ? `${trackKind}\u0000${m.id}` : undefined;
    const cached = cacheKey !== undefined ? this.refCache.get(cacheKey) : undefined;
    if (cached) return cached;
    if (c.media && !m) this.loss('otio/unknown-media', `clip "${c.name}" refers to unknown media "${c.media.mediaId}"; written as a MissingReference`, path);
    if (!m) return { OTIO_SCHEMA: 'MissingReference.1', metadata: {}, name: '', available_range: null, available_image_bounds: null };
    const o = otioOf(m.metadata);
    const fields: MObj = {};
    // Ids the reader makes up (media-N, in order) come back the same; others travel along.
    if (!/^media-\d+$/.test(m.id)) fields['id'] = m.id;
    if (m.kind !== this.derivedKind.get(m.id)) fields['kind'] = m.kind;
    this.used.add(m.id);
    if (m.sampleRate !== undefined) fields['sampleRate'] = m.sampleRate;
    if (m.channels !== undefined) fields['channels'] = m.channels;
    if (m.timeReference !== undefined) fields['timeReference'] = m.timeReference.toString();
    if (m.umid !== undefined) fields['umid'] = m.umid;
    if (m.embedded !== undefined) fields['embedded'] = m.embedded;
    const ref: MObj = {
      OTIO_SCHEMA: typeof o['schema'] === 'string' ? o['schema'] : 'ExternalReference.1',
      metadata: toDubstageMetadata(o['metadata'], fields, m.metadata),
      name: o['name'] !== undefined ? (o['name'] as JsonValue) : m.name,
      available_range:
        m.duration !== undefined ? this.range(m.start ?? RationalTime.ZERO, m.duration, [...path, 'available_range']) : null,
      available_image_bounds: null,
      target_url: m.url ?? '',
    };
    if (isObj(o['extra'])) Object.assign(ref, o['extra']);
    if (cacheKey !== undefined) this.refCache.set(cacheKey, ref);
    return ref;
  }

  clip(c: Clip, trackKind: 'audio' | 'video', markers: readonly Marker[], path: readonly string[]): JsonValue {
    const o = otioOf(c.metadata);
    if (o['raw'] !== undefined && (typeof o['schema'] === 'string' || o['schema'] === null)) return o['raw'] as JsonValue; // kept whole on read
    const fields: MObj = {};
    if (c.gainDb !== undefined) fields['gainDb'] = c.gainDb === Number.NEGATIVE_INFINITY ? '-inf' : c.gainDb;
    if (c.gainAutomation) fields['gainAutomation'] = c.gainAutomation.map((p) => ({ time: p.time.toString(), gainDb: p.gainDb === Number.NEGATIVE_INFINITY ? '-inf' : p.gainDb }));
    if (c.fadeIn) fields['fadeIn'] = { duration: c.fadeIn.duration.toString(), shape: c.fadeIn.shape };
    if (c.fadeOut) fields['fadeOut'] = { duration: c.fadeOut.duration.toString(), shape: c.fadeOut.shape };
    if (c.media?.channel !== undefined) fields['channel'] = c.media.channel;
    let effects: JsonValue[] = Array.isArray(o['effects']) ? [...(o['effects'] as JsonValue[])] : [];
    const hasWarp = effects.some((e) => isObj(e) && /^(LinearTimeWarp|FreezeFrame)\./.test(String(e['OTIO_SCHEMA'])));
    if (c.speed && !hasWarp) {
      effects = [
        ...effects,
        c.speed.isZero()
          ? { OTIO_SCHEMA: 'FreezeFrame.1', metadata: {}, name: '', effect_name: 'FreezeFrame', time_scalar: float(0) }
          : { OTIO_SCHEMA: 'LinearTimeWarp.1', metadata: {}, name: '', effect_name: 'LinearTimeWarp', time_scalar: float(c.speed.toNumber()) },
      ];
      // The double in time_scalar may not hold the ratio exactly; the exact one travels alongside.
      fields['speed'] = c.speed.toString();
    }
    const schema = typeof o['schema'] === 'string' ? o['schema'] : 'Clip.2';
    const out: MObj = {
      OTIO_SCHEMA: schema,
      metadata: toDubstageMetadata(o['metadata'], fields, c.metadata),
      name: c.name,
      // A clip read without source_range (it plays its whole media) gets none back while it still does.
      source_range: o['sourceRangeNull'] === true && this.playsWholeMedia(c) ? null : this.range(c.sourceStart, c.duration, [...path, 'source_range']),
      effects,
      markers: markers.map((m, i) => this.marker(m, c.start.minus(c.sourceStart), [...path, `markers[${i}]`])),
      enabled: c.muted !== true,
    };
    // Media: the references as read (the active one rebuilt from the model), else the model's.
    const kept = o['mediaReferences'];
    const activeKey = typeof o['activeKey'] === 'string' ? o['activeKey'] : 'DEFAULT_MEDIA';
    const refs: MObj = {};
    if (isObj(kept)) {
      for (const [k, v] of Object.entries(kept)) {
        if (k === activeKey) continue;
        refs[k] = isObj(v) && typeof v['$media'] === 'string' ? this.mediaReferenceById(v['$media'], c, trackKind, [...path, 'media_references', k]) : v;
      }
    }
    const activeKept = isObj(kept) ? kept[activeKey] : undefined;
    refs[activeKey] =
      c.media || !(activeKept !== undefined && !(isObj(activeKept) && typeof activeKept['$media'] === 'string'))
        ? this.mediaReference(c, trackKind, [...path, 'media_references', activeKey])
        : (activeKept as JsonValue);
    if (schema === 'Clip.1') out['media_reference'] = refs[activeKey] as JsonValue;
    else {
      out['media_references'] = orderLike(refs, isObj(kept) ? Object.keys(kept) : [activeKey]);
      out['active_media_reference_key'] = activeKey;
    }
    if (isObj(o['extra'])) Object.assign(out, o['extra']);
    return out;
  }

  private playsWholeMedia(c: Clip): boolean {
    const m = c.media ? this.media.get(c.media.mediaId) : undefined;
    return m?.duration !== undefined && m.duration.equals(c.duration) && (m.start ?? RationalTime.ZERO).equals(c.sourceStart);
  }

  private mediaReferenceById(id: string, c: Clip, trackKind: 'audio' | 'video', path: readonly string[]): JsonValue {
    return this.mediaReference({ ...c, media: { mediaId: id } }, trackKind, path);
  }

  marker(m: Marker, offset: RationalTime, path: readonly string[]): JsonValue {
    const o = otioOf(m.metadata);
    const fields: MObj = {};
    const out: MObj = {
      OTIO_SCHEMA: typeof o['schema'] === 'string' ? o['schema'] : 'Marker.2',
      metadata: {},
      name: m.name,
      color: o['color'] !== undefined ? (o['color'] as JsonValue) : (m.colour ?? 'RED'),
      marked_range: this.range(m.position.minus(offset), m.duration ?? RationalTime.ZERO, [...path, 'marked_range']),
    };
    if (m.colour === undefined && o['color'] === undefined) fields['noColour'] = true;
    if (m.comment !== undefined) {
      if (out['OTIO_SCHEMA'] === 'Marker.2') fields['comment'] = m.comment;
      else out['comment'] = m.comment;
    }
    out['metadata'] = toDubstageMetadata(o['metadata'], fields, m.metadata);
    if (isObj(o['extra'])) Object.assign(out, o['extra']);
    return out;
  }

  gap(duration: RationalTime, path: readonly string[]): JsonValue {
    return {
      OTIO_SCHEMA: 'Gap.1',
      metadata: {},
      name: '',
      source_range: this.range(RationalTime.ZERO, duration, [...path, 'source_range']),
      effects: [],
      markers: [],
      enabled: true,
    };
  }

  transition(t: Transition, cut: RationalTime, path: readonly string[]): JsonValue {
    const o = otioOf(t.metadata);
    const inOffset = cut.minus(t.start);
    const type = typeof o['transitionType'] === 'string' ? o['transitionType'] : t.kind === 'wipe' ? 'SMPTE_Wipe' : t.kind === 'other' ? 'Custom_Transition' : 'SMPTE_Dissolve';
    const fields: MObj = {};
    if (t.shape) fields['shape'] = t.shape;
    const out: MObj = {
      OTIO_SCHEMA: 'Transition.1',
      metadata: toDubstageMetadata(o['metadata'], fields, t.metadata),
      name: o['name'] !== undefined ? (o['name'] as JsonValue) : '',
      transition_type: type,
      parameters: isObj(o['parameters']) ? o['parameters'] : {},
      in_offset: this.time(inOffset, [...path, 'in_offset']),
      out_offset: this.time(t.duration.minus(inOffset), [...path, 'out_offset']),
    };
    if (isObj(o['extra'])) Object.assign(out, o['extra']);
    return out;
  }

  /**
   * The cut point of a transition: where the OTIO reader found it; else the start of the clip
   * that enters during it (an EDL dissolve starts at the incoming clip, so in_offset is 0);
   * else its middle.
   */
  cutOf(t: Transition, track: Track): RationalTime {
    const o = otioOf(t.metadata);
    const inOffset = typeof o['inOffset'] === 'string' ? RationalTime.parse(o['inOffset']) : undefined;
    if (inOffset && !inOffset.isNegative() && inOffset.compare(t.duration) <= 0) return t.start.plus(inOffset);
    const end = t.start.plus(t.duration);
    const incoming = track.clips.find((c) => c.start.compare(t.start) >= 0 && c.start.compare(end) <= 0);
    if (incoming) return incoming.start;
    return t.start.plus(t.duration.scaledBy(HALF));
  }

  track(track: Track, index: number, markers: readonly Marker[], stackOffset: RationalTime): JsonValue {
    const path = ['tracks', `children[${index}]`];
    const o = otioOf(track.metadata);
    if (o['stackChild'] !== undefined) return o['stackChild'] as JsonValue;
    const sr = isObj(o['sourceRange']) ? o['sourceRange'] : undefined;
    const srStart = sr && typeof sr['start'] === 'string' ? RationalTime.parse(sr['start']) : undefined;
    const srDuration = sr && typeof sr['duration'] === 'string' ? RationalTime.parse(sr['duration']) : undefined;
    // Track time = timeline time − stack offset + track source start.
    const toTrack = (t: RationalTime): RationalTime => t.minus(stackOffset).plus(srStart ?? RationalTime.ZERO);
    const children: JsonValue[] = [];
    const trackMarkers: JsonValue[] = [];
    // Markers of this track go on the clip that holds them (item scope), else on the track.
    const byClip = new Map<Clip, Marker[]>();
    for (const m of markers) {
      const mo = otioOf(m.metadata);
      const key = mo['item'];
      const holder =
        mo['scope'] !== 'item'
          ? undefined
          : ((typeof key === 'string' ? track.clips.find((c) => otioOf(c.metadata)['markerKey'] === key) : undefined) ?? track.clips.find((c) => holds(c, m.position)));
      if (holder && otioOf(holder.metadata)['raw'] === undefined) {
        const list = byClip.get(holder) ?? [];
        list.push(m);
        byClip.set(holder, list);
      } else if (holder) {
        // The marker belongs to an item kept whole: its raw form already holds it.
      } else trackMarkers.push(this.marker(m, stackOffset.minus(srStart ?? RationalTime.ZERO), [...path, `markers[${trackMarkers.length}]`]));
    }
    type Ev = { at: RationalTime; clip?: Clip; transition?: Transition; order: number };
    const events: Ev[] = [];
    track.clips.forEach((c, i) => events.push({ at: toTrack(c.start), clip: c, order: 1 + i * 2 }));
    track.transitions.forEach((t, i) => events.push({ at: toTrack(this.cutOf(t, track)), transition: t, order: i * 2 }));
    events.sort((a, b) => a.at.compare(b.at) || (a.transition ? 0 : 1) - (b.transition ? 0 : 1) || a.order - b.order);
    let cursor = RationalTime.ZERO;
    for (const ev of events) {
      const p = [...path, `children[${children.length}]`];
      if (ev.at.compare(cursor) > 0) {
        children.push(this.gap(ev.at.minus(cursor), p));
        cursor = ev.at;
      }
      const p2 = [...path, `children[${children.length}]`];
      if (ev.transition) {
        if (ev.at.compare(cursor) < 0) this.loss('otio/transition-moved', `a transition's cut point ${ev.at} s lies inside the previous clip; placed after it`, p2);
        children.push(this.transition(ev.transition, ev.at.compare(cursor) < 0 ? cursor.plus(stackOffset).minus(srStart ?? RationalTime.ZERO) : this.cutOf(ev.transition, track), p2));
        continue;
      }
      let c = ev.clip as Clip;
      if (ev.at.compare(cursor) < 0) {
        // Overlap: an OTIO track plays one item at a time, so the later clip loses its head.
        const cut = cursor.minus(ev.at);
        if (cut.compare(c.duration) >= 0) {
          this.loss('otio/overlap-dropped', `clip "${c.name}" lies under the previous clip and cannot be placed on an OTIO track; dropped`, p2);
          continue;
        }
        this.loss('otio/overlap-trimmed', `clip "${c.name}" overlaps the previous clip by ${cut} s; its head is trimmed`, p2);
        c = { ...c, start: c.start.plus(cut), sourceStart: c.sourceStart.plus(c.speed ? cut.scaledBy(c.speed) : cut), duration: c.duration.minus(cut) };
      }
      children.push(this.clip(c, track.kind, byClip.get(ev.clip as Clip) ?? [], p2));
      cursor = toTrack(clipEnd(c));
    }
    const fields: MObj = {};
    if (track.kind === 'audio' ? track.channels !== 1 : track.channels !== 0) fields['channels'] = track.channels;
    if (track.solo !== undefined) fields['solo'] = track.solo;
    if (track.comments !== undefined) fields['comments'] = track.comments;
    if (track.automation) {
      fields['automation'] = track.automation.map((l) => ({
        parameter: l.parameter,
        ...(l.interpolation ? { interpolation: l.interpolation } : {}),
        points: l.points.map((p) => ({ time: p.time.toString(), value: p.value === Number.NEGATIVE_INFINITY ? '-inf' : p.value })),
      }));
    }
    const out: MObj = {
      OTIO_SCHEMA: typeof o['schema'] === 'string' ? o['schema'] : 'Track.1',
      metadata: toDubstageMetadata(o['metadata'], fields, track.metadata),
      name: track.name,
      source_range: srStart && srDuration ? this.range(srStart, srDuration, [...path, 'source_range']) : null,
      effects: Array.isArray(o['effects']) ? (o['effects'] as JsonValue[]) : [],
      markers: trackMarkers,
      enabled: track.muted !== true,
      children,
      kind: typeof o['kind'] === 'string' ? o['kind'] : track.kind === 'audio' ? 'Audio' : 'Video',
    };
    if (isObj(o['extra'])) Object.assign(out, o['extra']);
    return out;
  }

  document(): JsonValue {
    const t = this.timeline;
    const o = otioOf(t.metadata);
    const stackMeta = isObj(o['stack']) ? o['stack'] : {};
    const sr = isObj(stackMeta['sourceRange']) ? stackMeta['sourceRange'] : undefined;
    const srStart = sr && typeof sr['start'] === 'string' ? RationalTime.parse(sr['start']) : undefined;
    const srDuration = sr && typeof sr['duration'] === 'string' ? RationalTime.parse(sr['duration']) : undefined;
    const stackOffset = srStart ? srStart.negate() : RationalTime.ZERO;
    const trackNames = new Set(t.tracks.map((k) => k.name));
    const stackMarkers: JsonValue[] = [];
    const markersByTrack = new Map<number, Marker[]>();
    const keyTrack = new Map<string, number>();
    t.tracks.forEach((k, i) => {
      for (const c of k.clips) {
        const key = otioOf(c.metadata)['markerKey'];
        if (typeof key === 'string') keyTrack.set(key, i);
      }
    });
    for (const m of t.markers) {
      const mo = otioOf(m.metadata);
      let target: number | undefined;
      if (m.track !== undefined && mo['scope'] !== 'stack') {
        // The track the marker was read from (track names may repeat), else the first of its name.
        const byKey = typeof mo['item'] === 'string' ? keyTrack.get(mo['item']) : undefined;
        const idx = mo['trackIndex'];
        if (byKey !== undefined && t.tracks[byKey]?.name === m.track) target = byKey;
        else if (typeof idx === 'number' && t.tracks[idx]?.name === m.track) target = idx;
        else {
          const i = t.tracks.findIndex((k) => k.name === m.track);
          if (i >= 0) target = i;
        }
      }
      if (target !== undefined) {
        const list = markersByTrack.get(target) ?? [];
        list.push(m);
        markersByTrack.set(target, list);
      } else {
        if (m.track !== undefined && !trackNames.has(m.track)) {
          this.loss('otio/marker-track', `marker "${m.name}" names track "${m.track}", which does not exist; written on the stack`, ['tracks', 'markers']);
        }
        stackMarkers.push(this.marker(m, stackOffset, ['tracks', `markers[${stackMarkers.length}]`]));
      }
    }
    const children = t.tracks.map((k, i) => this.track(k, i, markersByTrack.get(i) ?? [], stackOffset));
    const fields: MObj = {};
    if (t.sampleRate !== 48000) fields['sampleRate'] = t.sampleRate;
    if (t.bitDepth !== undefined) fields['bitDepth'] = t.bitDepth;
    if (t.frameRate.dropFrame) fields['dropFrame'] = true;
    const startFrames = t.startTimecode.frames;
    const stack: MObj = {
      OTIO_SCHEMA: 'Stack.1',
      metadata: isObj(stackMeta['metadata']) ? stackMeta['metadata'] : {},
      name: stackMeta['name'] !== undefined ? (stackMeta['name'] as JsonValue) : 'tracks',
      source_range: srStart && srDuration ? this.range(srStart, srDuration, ['tracks', 'source_range']) : null,
      effects: Array.isArray(stackMeta['effects']) ? (stackMeta['effects'] as JsonValue[]) : [],
      markers: stackMarkers,
      enabled: stackMeta['enabled'] !== false,
      children,
    };
    if (isObj(stackMeta['extra'])) Object.assign(stack, stackMeta['extra']);
    const doc: MObj = {
      OTIO_SCHEMA: 'Timeline.1',
      metadata: toDubstageMetadata(o['metadata'], fields, t.metadata),
      name: t.name,
      global_start_time:
        startFrames !== 0 || o['globalStartTime'] !== undefined
          ? { OTIO_SCHEMA: 'RationalTime.1', rate: float(this.frameRateNumber), value: float(startFrames) }
          : null,
      tracks: stack,
    };
    for (const m of t.media) {
      if (!this.used.has(m.id)) this.loss('otio/unreferenced-media', `media "${m.name}" (${m.id}) is used by no clip; OTIO keeps media only on clips`, ['media']);
    }
    if (t.startTimecode.subframes !== 0) this.loss('otio/subframes', 'the start timecode\'s subframes are not written', ['global_start_time']);
    if (isObj(o['extra'])) Object.assign(doc, o['extra']);
    // Where nothing in the document shows the frame rate (no start time, no clips), keep it.
    if (!guessRate(doc)?.rate.equals(t.frameRate.rate)) {
      fields['frameRate'] = t.frameRate.rate.toString();
      doc['metadata'] = toDubstageMetadata(o['metadata'], fields, t.metadata);
    }
    return doc;
  }
}

const HALF = RationalTime.fromSeconds(1).seconds.dividedBy(RationalTime.fromSeconds(2).seconds);

function holds(c: Clip, t: RationalTime): boolean {
  return c.start.compare(t) <= 0 && (clipEnd(c).compare(t) > 0 || (c.duration.isZero() && c.start.equals(t)));
}

function orderLike(refs: MObj, order: readonly string[]): MObj {
  const out: MObj = {};
  for (const k of order) if (k in refs) out[k] = refs[k] as JsonValue;
  for (const k of Object.keys(refs)) if (!(k in out)) out[k] = refs[k] as JsonValue;
  return out;
}

/**
 * Writes a timeline as OTIO JSON text. Diagnostics (all warnings, each a loss): `otio/inexact-time`,
 * `otio/overlap-trimmed`, `otio/overlap-dropped`, `otio/transition-moved`, `otio/unknown-media`,
 * `otio/marker-track`, `otio/subframes`.
 */
export function write(timeline: Timeline, options: OtioWriteOptions = {}): WriteResult<string> {
  const w = new Writer(timeline);
  const doc = w.document();
  return { value: stringifyJson(doc, { indent: options.indent ?? 4 }) + '\n', diagnostics: w.diagnostics };
}
