/**
 * Reading OpenTimelineIO JSON (`.otio`) into the timeline model.
 *
 * OTIO nests items (a Stack of Tracks of Clips, Gaps and Transitions) and places each by the sum
 * of the durations before it; the model places clips at absolute positions. This reader walks
 * each top-level track, turns OTIO's double-valued times into exact ones (snapping to the frame
 * grid, then the sample grid, with `otio/off-grid` where neither fits), and keeps everything the
 * model has no field for in `metadata.otio` so that {@link write} gives the document back:
 * OTIO `metadata` dicts, effects, unknown keys, nested stacks/tracks and unknown schemas (kept
 * whole), generator and extra media references.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning, diagnostic } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../diagnostics/result.js';
import type { AutomationLane, Clip, JsonValue, Marker, MediaSource, Metadata, Timeline, Track, Transition } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { decodeText } from '../json/read.js';
import { isLosslessNumber, parseJsonText } from '../json/json-text.js';
import type { ReadOptions } from '../types.js';
import { decodeRationalTime, decodeTimeRange, snapRate, type OtioRationalTime } from './codecs.js';
import { DUBSTAGE_KEY, fromDubstageMetadata } from './dubstage-keys.js';

type Obj = { readonly [k: string]: JsonValue };

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function schemaOf(v: JsonValue | undefined): string | undefined {
  return isObj(v) && typeof v['OTIO_SCHEMA'] === 'string' ? v['OTIO_SCHEMA'] : undefined;
}

function schemaName(v: JsonValue | undefined): string | undefined {
  return schemaOf(v)?.replace(/\.\d+$/, '');
}

/** The keys of `o` not in `known`, or undefined when there are none. */
function extraKeys(o: Obj, known: readonly string[]): Obj | undefined {
  let out: Record<string, JsonValue> | undefined;
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    (out ??= {})[k] = o[k] as JsonValue;
  }
  return out;
}

const EMPTY: Metadata = Object.freeze({});

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly media: MediaSource[] = [];
  readonly markers: Marker[] = [];
  private readonly mediaKeys = new Map<string, string>();
  private readonly explicitKind = new Set<string>();
  frameRate: FrameRate;
  sampleRate: number;
  /** Index of the top-level track being read (markers remember it: track names may repeat). */
  trackIndex = 0;

  constructor(
    private readonly options: ReadOptions,
    frameRate: FrameRate,
  ) {
    this.frameRate = frameRate;
    this.sampleRate = options.sampleRate ?? 48000;
  }

  warn(code: `otio/${string}`, message: string, path: readonly string[]): void {
    this.diagnostics.push(warning(code, message, this.place(path)));
  }

  err(code: `otio/${string}`, message: string, path: readonly string[]): void {
    this.diagnostics.push(error(code, message, this.place(path)));
  }

  private place(path: readonly string[]): { path: readonly string[]; source?: string } {
    return this.options.source !== undefined ? { path, source: this.options.source } : { path };
  }

  /**
   * An exact time from an OTIO RationalTime: whole values at a rate are exact; fractional values
   * snap to the nearest frame when within 1e-6 of one, else to the sample grid; a value on
   * neither grid is rounded to the nearest sample with `otio/off-grid`.
   */
  time(rt: OtioRationalTime, path: readonly string[]): RationalTime {
    const snapped = snapRate(rt.rate);
    if (!snapped) {
      this.err('otio/bad-rate', `rate ${rt.rate} is not a positive number`, path);
      return RationalTime.ZERO;
    }
    const rate = snapped.rate;
    const v = rt.value;
    if (!Number.isFinite(v)) {
      this.err('otio/bad-time', `time value ${v} is not finite`, path);
      return RationalTime.ZERO;
    }
    if (Number.isSafeInteger(v)) return RationalTime.fromFrames(BigInt(v), rate);
    const nearest = Math.round(v);
    if (Math.abs(v - nearest) < 1e-6 && Number.isSafeInteger(nearest)) {
      return RationalTime.fromFrames(BigInt(nearest), rate);
    }
    // Not a whole number of units at its own rate: try the session's sample grid.
    const secondsApprox = Rational.fromNumber(v, 1_000_000_000).dividedBy(rate);
    const samples = secondsApprox.times(Rational.of(this.sampleRate));
    const s = samples.round('nearest');
    const exactSeconds = (v / rate.toNumber()) * this.sampleRate;
    if (Math.abs(exactSeconds - Number(s)) < 1e-6) return RationalTime.fromSamples(s, this.sampleRate);
    this.warn('otio/off-grid', `time ${v} at rate ${rt.rate} is on neither the frame nor the ${this.sampleRate} Hz sample grid; rounded to the nearest sample`, path);
    return RationalTime.fromSamples(s, this.sampleRate);
  }

  timeOf(u: JsonValue | undefined, path: readonly string[]): RationalTime | undefined {
    if (u === undefined || u === null) return undefined;
    const rt = decodeRationalTime(u);
    if (!rt) {
      this.err('otio/bad-time', 'expected a RationalTime {rate, value}', path);
      return undefined;
    }
    return this.time(rt, path);
  }

  rangeOf(u: JsonValue | undefined, path: readonly string[]): { start: RationalTime; duration: RationalTime } | undefined {
    if (u === undefined || u === null) return undefined;
    const tr = decodeTimeRange(u);
    if (!tr) {
      this.err('otio/bad-time', 'expected a TimeRange {start_time, duration}', path);
      return undefined;
    }
    const duration = this.time(tr.duration, [...path, 'duration']);
    if (duration.isNegative()) this.err('otio/negative-duration', `negative duration ${tr.duration.value}`, [...path, 'duration']);
    return { start: this.time(tr.start_time, [...path, 'start_time']), duration };
  }

  /** The length an item takes in its parent track (OTIO `duration()`), for items kept whole. */
  itemDuration(item: Obj, path: readonly string[]): RationalTime {
    const sr = this.rangeOf(item['source_range'], [...path, 'source_range']);
    if (sr) return sr.duration;
    const kind = schemaName(item);
    const children = Array.isArray(item['children']) ? (item['children'] as JsonValue[]) : [];
    if (kind === 'Track') {
      let sum = RationalTime.ZERO;
      children.forEach((c, i) => {
        if (isObj(c) && schemaName(c) !== 'Transition') sum = sum.plus(this.itemDuration(c, [...path, `children[${i}]`]));
      });
      return sum;
    }
    if (kind === 'Stack') {
      let max = RationalTime.ZERO;
      children.forEach((c, i) => {
        if (isObj(c)) max = RationalTime.max(max, this.itemDuration(c, [...path, `children[${i}]`]));
      });
      return max;
    }
    if (kind === 'Clip') {
      const ref = activeReference(item);
      const avail = ref && isObj(ref) ? this.rangeOf(ref['available_range'], [...path, 'media_reference', 'available_range']) : undefined;
      if (avail) return avail.duration;
    }
    if (kind !== 'Transition') this.warn('otio/no-duration', `${schemaOf(item) ?? 'item'} has no source_range; taken as 0 long`, path);
    return RationalTime.ZERO;
  }

  /** A media source for an ExternalReference (shared between clips with the same reference). */
  mediaFor(ref: Obj, trackKind: 'audio' | 'video', path: readonly string[]): string {
    const key = JSON.stringify(ref);
    const known = this.mediaKeys.get(key);
    if (known !== undefined) {
      // The same media on audio and video tracks is audio-video (unless the writer said otherwise).
      const i = this.media.findIndex((m) => m.id === known);
      const m = this.media[i];
      if (m && !this.explicitKind.has(known) && m.kind !== trackKind && (m.kind === 'audio' || m.kind === 'video')) {
        this.media[i] = { ...m, kind: 'audio-video' };
      }
      return known;
    }
    const restored = fromDubstageMetadata(isObj(ref['metadata']) ? ref['metadata'] : undefined);
    const dub = restored.fields;
    const wanted = typeof dub['id'] === 'string' ? dub['id'] : undefined;
    const id = wanted !== undefined && !this.media.some((m) => m.id === wanted) ? wanted : `media-${this.media.length + 1}`;
    const avail = this.rangeOf(ref['available_range'], [...path, 'available_range']);
    const name = typeof ref['name'] === 'string' && ref['name'] !== '' ? ref['name'] : typeof ref['target_url'] === 'string' ? basename(ref['target_url']) : id;
    const otio: Record<string, JsonValue> = { schema: schemaOf(ref) ?? 'ExternalReference.1' };
    if (isObj(ref['metadata']) && Object.keys(ref['metadata']).length > 0) otio['metadata'] = ref['metadata'];
    if (ref['name'] === null || (typeof ref['name'] === 'string' && ref['name'] !== name)) otio['name'] = ref['name'];
    // available_image_bounds null is OTIO's default, which the writer emits anyway.
    const extra = extraKeys(ref, ['OTIO_SCHEMA', 'name', 'metadata', 'target_url', 'available_range', ...(ref['available_image_bounds'] === null ? ['available_image_bounds'] : [])]);
    if (extra) otio['extra'] = extra;
    if (ref['available_range'] === null) otio['availableRangeNull'] = true;
    if (restored.stripped !== undefined) {
      if (Object.keys(restored.stripped).length > 0) otio['metadata'] = restored.stripped;
      else delete otio['metadata'];
    }
    const source: MediaSource = {
      id,
      name,
      kind: (dub['kind'] as MediaSource['kind'] | undefined) ?? trackKind,
      ...(typeof ref['target_url'] === 'string' ? { url: ref['target_url'] } : {}),
      // The model's media start defaults to 0, so a zero start is left out.
      ...(avail ? { ...(avail.start.isZero() ? {} : { start: avail.start }), duration: avail.duration } : {}),
      ...mediaFields(dub),
      metadata: { ...restored.other, otio },
    };
    if (typeof dub['kind'] === 'string') this.explicitKind.add(id);
    this.media.push(source);
    this.mediaKeys.set(key, id);
    return id;
  }

  marker(m: Obj, offset: RationalTime, track: string | undefined, scope: 'stack' | 'track' | 'item', path: readonly string[], item?: string): void {
    const range = this.rangeOf(m['marked_range'], [...path, 'marked_range']);
    if (!range) {
      this.warn('otio/bad-marker', 'marker without a marked_range; placed at 0', path);
    }
    const color = m['color'];
    const colour = typeof color === 'string' ? color : isObj(color) && typeof color['name'] === 'string' ? color['name'] : undefined;
    const restored = fromDubstageMetadata(isObj(m['metadata']) ? m['metadata'] : undefined);
    const otio: Record<string, JsonValue> = { scope, schema: schemaOf(m) ?? 'Marker.2' };
    if (item !== undefined) otio['item'] = item;
    if (scope !== 'stack') otio['trackIndex'] = this.trackIndex;
    const md = restored.stripped ?? m['metadata'];
    if (isObj(md) && Object.keys(md).length > 0) otio['metadata'] = md;
    if (isObj(color) || color === null) otio['color'] = color;
    const extra = extraKeys(m, ['OTIO_SCHEMA', 'name', 'metadata', 'color', 'marked_range', 'comment']);
    if (extra) otio['extra'] = extra;
    const position = offset.plus(range?.start ?? RationalTime.ZERO);
    const dub = restored.fields;
    const comment = typeof m['comment'] === 'string' && m['comment'] !== '' ? m['comment'] : typeof dub['comment'] === 'string' ? dub['comment'] : undefined;
    const noColour = dub['noColour'] === true;
    this.markers.push({
      name: typeof m['name'] === 'string' ? m['name'] : '',
      position,
      ...(range && !range.duration.isZero() ? { duration: range.duration } : {}),
      ...(comment !== undefined ? { comment } : {}),
      ...(colour !== undefined && !noColour ? { colour } : {}),
      ...(track !== undefined ? { track } : {}),
      metadata: { ...restored.other, otio },
    });
  }

  markersOf(item: Obj, offset: RationalTime, track: string | undefined, scope: 'stack' | 'track' | 'item', path: readonly string[], key?: string): void {
    const ms = item['markers'];
    if (!Array.isArray(ms)) return;
    ms.forEach((m, i) => {
      if (isObj(m)) this.marker(m, offset, track, scope, [...path, `markers[${i}]`], key);
    });
  }

  track(raw: Obj, index: number, stackOffset: RationalTime, path: readonly string[]): Track {
    const name = typeof raw['name'] === 'string' ? raw['name'] : '';
    this.trackIndex = index;
    const kindText = raw['kind'];
    const kind: 'audio' | 'video' = kindText === 'Audio' ? 'audio' : 'video';
    if (kindText !== 'Audio' && kindText !== 'Video') this.warn('otio/unknown-track-kind', `track kind ${JSON.stringify(kindText)} read as video`, [...path, 'kind']);
    const sr = this.rangeOf(raw['source_range'], [...path, 'source_range']);
    // A track's source_range trims its content: track time t sits at parent time t - start.
    const offset = sr ? stackOffset.minus(sr.start) : stackOffset;
    const restored = fromDubstageMetadata(isObj(raw['metadata']) ? raw['metadata'] : undefined);
    const dub = restored.fields;
    const otio: Record<string, JsonValue> = { kind: kindText ?? null };
    const md = restored.stripped ?? raw['metadata'];
    if (isObj(md) && Object.keys(md).length > 0) otio['metadata'] = md;
    if (sr) otio['sourceRange'] = { start: sr.start.toString(), duration: sr.duration.toString() };
    if (Array.isArray(raw['effects']) && raw['effects'].length > 0) otio['effects'] = raw['effects'];
    const extra = extraKeys(raw, ['OTIO_SCHEMA', 'name', 'kind', 'metadata', 'source_range', 'effects', 'markers', 'enabled', 'children']);
    if (extra) otio['extra'] = extra;
    if (schemaOf(raw) !== 'Track.1') otio['schema'] = schemaOf(raw) ?? null;
    this.markersOf(raw, offset, name, 'track', path);
    const clips: Clip[] = [];
    const transitions: Transition[] = [];
    let pos = RationalTime.ZERO;
    const children = Array.isArray(raw['children']) ? raw['children'] : [];
    if (!Array.isArray(raw['children'])) this.err('otio/bad-track', 'track without a children list', path);
    children.forEach((child, i) => {
      const p = [...path, `children[${i}]`];
      if (!isObj(child)) {
        this.err('otio/bad-item', 'track child is not an object', p);
        return;
      }
      const kindName = schemaName(child);
      if (kindName === 'Transition') {
        transitions.push(this.transition(child, offset.plus(pos), kind, p));
        return;
      }
      if (kindName === 'Gap' && isPlainGap(child)) {
        pos = pos.plus(this.itemDuration(child, p));
        return;
      }
      if (kindName === 'Clip') {
        const c = this.clip(child, offset.plus(pos), kind, name, p);
        clips.push(c);
        pos = pos.plus(c.duration);
        return;
      }
      // Gaps that carry something, nested stacks and tracks, and unknown schemas are kept whole.
      const duration = this.itemDuration(child, p);
      if (kindName !== 'Gap' && kindName !== 'Stack' && kindName !== 'Track') {
        this.diagnostics.push(diagnostic('info', 'otio/kept-unknown', `${schemaOf(child) ?? 'an item without OTIO_SCHEMA'} is kept as written`, this.place(p)));
      }
      // Markers of an item kept whole stay in it; the model lists them too, tied to it by a key.
      const keyed = Array.isArray(child['markers']) && child['markers'].length > 0 ? p.join('/') : undefined;
      this.markersOf(child, offset.plus(pos), name, 'item', p, keyed);
      clips.push({
        name: typeof child['name'] === 'string' ? child['name'] : '',
        start: offset.plus(pos),
        duration,
        sourceStart: RationalTime.ZERO,
        ...(child['enabled'] === false ? { muted: true } : {}),
        metadata: { otio: { schema: schemaOf(child) ?? null, raw: child, ...(keyed !== undefined ? { markerKey: keyed } : {}) } },
      });
      pos = pos.plus(duration);
    });
    return {
      kind,
      name,
      channels: typeof dub['channels'] === 'number' ? dub['channels'] : kind === 'audio' ? 1 : 0,
      clips,
      transitions,
      ...(raw['enabled'] === false ? { muted: true } : {}),
      ...(typeof dub['solo'] === 'boolean' ? { solo: dub['solo'] } : {}),
      ...(typeof dub['comments'] === 'string' ? { comments: dub['comments'] } : {}),
      ...(Array.isArray(dub['automation']) ? { automation: automationField(dub['automation']) } : {}),
      metadata: { ...restored.other, otio },
    };
  }

  transition(raw: Obj, cut: RationalTime, trackKind: 'audio' | 'video', path: readonly string[]): Transition {
    const inOffset = this.timeOf(raw['in_offset'], [...path, 'in_offset']) ?? RationalTime.ZERO;
    const outOffset = this.timeOf(raw['out_offset'], [...path, 'out_offset']) ?? RationalTime.ZERO;
    const type = typeof raw['transition_type'] === 'string' ? raw['transition_type'] : '';
    const kind: Transition['kind'] = type === 'SMPTE_Dissolve' ? (trackKind === 'audio' ? 'crossfade' : 'dissolve') : type === 'SMPTE_Wipe' ? 'wipe' : 'other';
    const restored = fromDubstageMetadata(isObj(raw['metadata']) ? raw['metadata'] : undefined);
    const otio: Record<string, JsonValue> = { name: raw['name'] ?? null, transitionType: type, inOffset: inOffset.toString() };
    const md = restored.stripped ?? raw['metadata'];
    if (isObj(md) && Object.keys(md).length > 0) otio['metadata'] = md;
    if (isObj(raw['parameters']) && Object.keys(raw['parameters']).length > 0) otio['parameters'] = raw['parameters'];
    const extra = extraKeys(raw, ['OTIO_SCHEMA', 'name', 'metadata', 'transition_type', 'parameters', 'in_offset', 'out_offset']);
    if (extra) otio['extra'] = extra;
    const shape = restored.fields['shape'];
    return {
      kind,
      start: cut.minus(inOffset),
      duration: inOffset.plus(outOffset),
      ...(typeof shape === 'string' ? { shape: shape as Transition['shape'] & string } : {}),
      metadata: { ...restored.other, otio },
    };
  }

  clip(raw: Obj, start: RationalTime, trackKind: 'audio' | 'video', trackName: string, path: readonly string[]): Clip {
    const name = typeof raw['name'] === 'string' ? raw['name'] : '';
    const schema = schemaOf(raw) ?? 'Clip.2';
    const otio: Record<string, JsonValue> = { schema };
    const restored = fromDubstageMetadata(isObj(raw['metadata']) ? raw['metadata'] : undefined);
    const md = restored.stripped ?? raw['metadata'];
    if (isObj(md) && Object.keys(md).length > 0) otio['metadata'] = md;
    // The media: Clip.1 has one media_reference; Clip.2 a map and the active key.
    let refs: Obj | undefined;
    let activeKey = 'DEFAULT_MEDIA';
    if (isObj(raw['media_references'])) {
      refs = raw['media_references'];
      if (typeof raw['active_media_reference_key'] === 'string') activeKey = raw['active_media_reference_key'];
    } else if (raw['media_reference'] !== undefined) {
      refs = { [activeKey]: raw['media_reference'] };
    }
    const active = refs?.[activeKey];
    let mediaId: string | undefined;
    const keptRefs: Record<string, JsonValue> = {};
    for (const [k, ref] of Object.entries(refs ?? {})) {
      if (k === activeKey && isObj(ref) && schemaName(ref) === 'ExternalReference') {
        mediaId = this.mediaFor(ref, trackKind, [...path, 'media_references', k]);
        keptRefs[k] = { $media: mediaId };
      } else keptRefs[k] = ref;
    }
    if (refs !== undefined) otio['mediaReferences'] = keptRefs;
    if (activeKey !== 'DEFAULT_MEDIA') otio['activeKey'] = activeKey;
    // Length and source position: source_range, else the media's available range (OTIO's rule).
    let sr = this.rangeOf(raw['source_range'], [...path, 'source_range']);
    if (!sr) {
      otio['sourceRangeNull'] = true;
      const avail = isObj(active) ? this.rangeOf(active['available_range'], [...path, 'media_reference', 'available_range']) : undefined;
      if (avail) sr = avail;
      else {
        this.err('otio/no-duration', `clip "${name}" has neither a source_range nor a media available_range`, path);
        sr = { start: RationalTime.ZERO, duration: RationalTime.ZERO };
      }
    }
    // Effects: a LinearTimeWarp or FreezeFrame gives the speed; every effect is kept as written.
    let speed: Rational | undefined;
    const effects = Array.isArray(raw['effects']) ? raw['effects'] : [];
    if (effects.length > 0) otio['effects'] = effects;
    for (const e of effects) {
      const en = schemaName(e);
      if (isObj(e) && (en === 'LinearTimeWarp' || en === 'FreezeFrame')) {
        const scalar = e['time_scalar'];
        const s = en === 'FreezeFrame' ? 0 : typeof scalar === 'number' ? scalar : undefined;
        if (s !== undefined && Number.isFinite(s)) speed = (speed ?? Rational.ONE).times(Rational.fromNumber(s, 1_000_000));
      }
    }
    const extra = extraKeys(raw, ['OTIO_SCHEMA', 'name', 'metadata', 'source_range', 'effects', 'markers', 'enabled', 'media_reference', 'media_references', 'active_media_reference_key']);
    if (extra) otio['extra'] = extra;
    // Clip markers are in the clip's source time: timeline position = start + (mark - source start).
    // The marker remembers its clip by a key (the clip's place as read), so a writer puts it back
    // on that clip even where it lies outside the clip's range, and after the clip moved.
    const hasMarkers = Array.isArray(raw['markers']) && raw['markers'].length > 0;
    const key = hasMarkers ? path.join('/') : undefined;
    if (key !== undefined) otio['markerKey'] = key;
    this.markersOf(raw, start.minus(sr.start), trackName, 'item', path, key);
    const dub = restored.fields;
    const exactSpeed = typeof dub['speed'] === 'string' ? Rational.parse(dub['speed']) : undefined;
    if (exactSpeed) speed = exactSpeed;
    return {
      name,
      start,
      duration: sr.duration,
      sourceStart: sr.start,
      ...(mediaId !== undefined ? { media: typeof dub['channel'] === 'number' ? { mediaId, channel: dub['channel'] } : { mediaId } } : {}),
      ...clipFields(dub),
      ...(raw['enabled'] === false ? { muted: true } : {}),
      ...(speed !== undefined && !speed.equals(Rational.ONE) ? { speed } : {}),
      metadata: { ...restored.other, otio },
    };
  }
}

function basename(url: string): string {
  const s = url.replace(/[?#].*$/, '');
  const i = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
  try {
    return decodeURIComponent(s.slice(i + 1));
  } catch {
    return s.slice(i + 1);
  }
}

/** A gap that only takes time (no name, metadata, markers or effects): derived again on write. */
function isPlainGap(g: Obj): boolean {
  const name = g['name'];
  const md = g['metadata'];
  const ms = g['markers'];
  const fx = g['effects'];
  return (
    (name === undefined || name === '' || name === null) &&
    (md === undefined || (isObj(md) && Object.keys(md).length === 0)) &&
    (ms === undefined || (Array.isArray(ms) && ms.length === 0)) &&
    (fx === undefined || (Array.isArray(fx) && fx.length === 0)) &&
    g['enabled'] !== false &&
    extraKeys(g, ['OTIO_SCHEMA', 'name', 'metadata', 'source_range', 'markers', 'effects', 'enabled']) === undefined
  );
}

function activeReference(clip: Obj): JsonValue | undefined {
  if (isObj(clip['media_references'])) {
    const key = typeof clip['active_media_reference_key'] === 'string' ? clip['active_media_reference_key'] : 'DEFAULT_MEDIA';
    return clip['media_references'][key];
  }
  return clip['media_reference'];
}

function timeField(v: JsonValue | undefined): RationalTime | undefined {
  return typeof v === 'string' ? RationalTime.parse(v) : undefined;
}

function fadeField(v: JsonValue | undefined): Clip['fadeIn'] {
  if (!isObj(v)) return undefined;
  const duration = timeField(v['duration']);
  return duration && typeof v['shape'] === 'string' ? { duration, shape: v['shape'] as NonNullable<Clip['fadeIn']>['shape'] } : undefined;
}

function db(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  return v === '-inf' ? Number.NEGATIVE_INFINITY : undefined;
}

/** Track automation lanes a dubstage OTIO writer kept in `metadata.dubstage.automation`. */
function automationField(v: readonly JsonValue[]): AutomationLane[] {
  return v.flatMap((l) => {
    if (!isObj(l) || typeof l['parameter'] !== 'string' || !Array.isArray(l['points'])) return [];
    const points = l['points'].flatMap((p) => {
      if (!isObj(p)) return [];
      const time = timeField(p['time']);
      const value = db(p['value']);
      return time && value !== undefined ? [{ time, value }] : [];
    });
    const interp = l['interpolation'];
    return [{ parameter: l['parameter'], ...(interp === 'linear' || interp === 'constant' ? { interpolation: interp } : {}), points }];
  });
}

/** Model-only clip fields that a dubstage OTIO writer kept in `metadata.dubstage`. */
function clipFields(d: Obj): Partial<Clip> {
  const out: { -readonly [K in keyof Clip]?: Clip[K] } = {};
  const g = db(d['gainDb']);
  if (g !== undefined) out.gainDb = g;
  if (Array.isArray(d['gainAutomation'])) {
    const pts = d['gainAutomation'].flatMap((p) => {
      if (!isObj(p)) return [];
      const time = timeField(p['time']);
      const gain = db(p['gainDb']);
      return time && gain !== undefined ? [{ time, gainDb: gain }] : [];
    });
    out.gainAutomation = pts;
  }
  const fi = fadeField(d['fadeIn']);
  if (fi) out.fadeIn = fi;
  const fo = fadeField(d['fadeOut']);
  if (fo) out.fadeOut = fo;
  return out;
}

function mediaFields(d: Obj): Partial<MediaSource> {
  const out: { -readonly [K in keyof MediaSource]?: MediaSource[K] } = {};
  if (typeof d['sampleRate'] === 'number') out.sampleRate = d['sampleRate'];
  if (typeof d['channels'] === 'number') out.channels = d['channels'];
  if (typeof d['timeReference'] === 'string' && /^\d+$/.test(d['timeReference'])) out.timeReference = BigInt(d['timeReference']);
  if (typeof d['umid'] === 'string') out.umid = d['umid'];
  if (typeof d['embedded'] === 'boolean') out.embedded = d['embedded'];
  return out;
}

/** Options of {@link parse} beyond the registry's `ReadOptions`. */
export type OtioReadOptions = ReadOptions;

/**
 * Reads an OTIO JSON document whose root is a `Timeline`. Never throws.
 *
 * Each top-level track of the timeline's stack becomes a model track (`kind` Audio → audio, else
 * video). Clips become clips at absolute positions; plain gaps become space; transitions become
 * model transitions (`start` = cut − in_offset, `duration` = in_offset + out_offset); markers on
 * the stack, tracks and items become timeline markers at absolute positions. The frame rate is
 * `options.rate`, else the global start time's rate, else the first rate in the tracks.
 *
 * Diagnostics: `otio/syntax`, `otio/not-timeline`, `otio/bad-time`, `otio/bad-rate`,
 * `otio/off-grid` (a time on neither grid), `otio/no-duration`, `otio/kept-unknown` (info).
 */
export function parse(input: string | Uint8Array, options: OtioReadOptions = {}): ParseResult<Timeline> {
  const text = decodeText(input);
  const src = options.source !== undefined ? { source: options.source } : {};
  const json = parseJsonText(text, { nonFinite: true, area: 'otio', ...src, ...(options.limits?.maxDepth !== undefined ? { maxDepth: options.limits.maxDepth } : {}) });
  if (!json.ok) return json;
  let root = json.value;
  if (!isObj(root)) return { ok: false, diagnostics: [error('otio/not-timeline', 'the document is not an OTIO object', src)] };
  const pre: Diagnostic[] = [];
  if (schemaName(root) === 'SerializableCollection' && Array.isArray(root['children'])) {
    const timelines = root['children'].filter((c) => schemaName(c) === 'Timeline');
    if (timelines.length > 1) pre.push(warning('otio/collection', `the collection holds ${timelines.length} timelines; reading the first`, src));
    root = timelines[0] ?? null;
    if (!isObj(root)) return { ok: false, diagnostics: [error('otio/not-timeline', 'the collection holds no Timeline', src)] };
  }
  if (schemaName(root) !== 'Timeline') {
    return { ok: false, diagnostics: [error('otio/not-timeline', `the root is ${schemaOf(root) ?? 'not an OTIO object'}, not a Timeline`, { ...src, path: ['OTIO_SCHEMA'] })] };
  }
  const rootDub = fromDubstageMetadata(isObj(root['metadata']) ? root['metadata'] : undefined).fields;
  const storedRate = typeof rootDub['frameRate'] === 'string' ? Rational.parse(rootDub['frameRate']) : undefined;
  const rate = options.rate ?? (storedRate && storedRate.sign() > 0 ? FrameRate.of(storedRate.num, storedRate.den) : undefined) ?? guessRate(root) ?? FrameRate.FPS_24;
  const r = new Reader(options, rate);
  r.diagnostics.push(...pre);
  const restored = fromDubstageMetadata(isObj(root['metadata']) ? root['metadata'] : undefined);
  const dub = restored.fields;
  if (typeof dub['sampleRate'] === 'number' && options.sampleRate === undefined) r.sampleRate = dub['sampleRate'];
  if (typeof dub['dropFrame'] === 'boolean' && options.rate === undefined && dub['dropFrame'] !== rate.dropFrame) {
    try {
      r.frameRate = rate.withDropFrame(dub['dropFrame']);
    } catch {
      // The stored flag does not fit the rate: keep non-drop.
    }
  }
  const frameRate = r.frameRate;
  // Global start time → start timecode (frames at the frame rate, floor).
  const gst = r.timeOf(root['global_start_time'], ['global_start_time']);
  let startTimecode = Timecode.fromFrames(0, frameRate);
  if (gst) {
    if (!gst.isOnFrameGrid(frameRate)) r.warn('otio/off-grid', `global_start_time ${gst} s is not on the ${frameRate.name} frame grid; floored`, ['global_start_time']);
    startTimecode = Timecode.fromFrames(gst.toFrames(frameRate, 'floor'), frameRate, { overflow: 'wrap' });
  }
  const otio: Record<string, JsonValue> = {};
  const md = restored.stripped ?? root['metadata'];
  if (isObj(md) && Object.keys(md).length > 0) otio['metadata'] = md;
  if (gst) otio['globalStartTime'] = gst.toString();
  const extra = extraKeys(root, ['OTIO_SCHEMA', 'name', 'metadata', 'global_start_time', 'tracks']);
  if (extra) otio['extra'] = extra;
  const tracks: Track[] = [];
  const stack = root['tracks'];
  if (isObj(stack)) {
    const sr = r.rangeOf(stack['source_range'], ['tracks', 'source_range']);
    const offset = sr ? sr.start.negate() : RationalTime.ZERO;
    const stackMeta: Record<string, JsonValue> = {};
    if (stack['name'] !== 'tracks') stackMeta['name'] = stack['name'] ?? null;
    if (isObj(stack['metadata']) && Object.keys(stack['metadata']).length > 0) stackMeta['metadata'] = stack['metadata'];
    if (Array.isArray(stack['effects']) && stack['effects'].length > 0) stackMeta['effects'] = stack['effects'];
    if (sr) stackMeta['sourceRange'] = { start: sr.start.toString(), duration: sr.duration.toString() };
    if (stack['enabled'] === false) stackMeta['enabled'] = false;
    const sx = extraKeys(stack, ['OTIO_SCHEMA', 'name', 'metadata', 'effects', 'source_range', 'enabled', 'markers', 'children']);
    if (sx) stackMeta['extra'] = sx;
    if (Object.keys(stackMeta).length > 0) otio['stack'] = stackMeta;
    r.markersOf(stack, offset, undefined, 'stack', ['tracks']);
    const children = Array.isArray(stack['children']) ? stack['children'] : [];
    children.forEach((c, i) => {
      const p = ['tracks', `children[${i}]`];
      if (isObj(c) && schemaName(c) === 'Track') tracks.push(r.track(c, i, offset, p));
      else {
        // A stack child that is not a track (a clip straight in the stack) is kept whole on a track of its own.
        r.diagnostics.push(diagnostic('info', 'otio/kept-unknown', `${schemaOf(c) ?? 'a value'} directly in the stack is kept as written`, { ...src, path: p }));
        tracks.push({ kind: 'video', name: '', channels: 0, clips: [], transitions: [], metadata: { otio: { stackChild: c } } });
      }
    });
  } else if (stack !== undefined && stack !== null) r.err('otio/bad-stack', 'tracks is not a Stack', ['tracks']);
  const timeline: Timeline = {
    name: typeof root['name'] === 'string' ? root['name'] : '',
    sampleRate: r.sampleRate,
    ...(typeof dub['bitDepth'] === 'number' ? { bitDepth: dub['bitDepth'] } : {}),
    frameRate,
    startTimecode,
    tracks,
    markers: r.markers, // document order (stack, then each track and its items), so a rewrite keeps it
    media: r.media,
    metadata: Object.keys(otio).length > 0 || Object.keys(restored.other).length > 0 ? { ...restored.other, otio } : EMPTY,
  };
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 && options.mode === 'strict') return { ok: false, diagnostics: r.diagnostics as [Diagnostic, ...Diagnostic[]] };
  return { ok: true, value: timeline, diagnostics: r.diagnostics };
}

/** The picture rate a document uses: its global start time's rate, else the first clip's rate. */
export function guessRate(root: Obj): FrameRate | undefined {
  const g = decodeRationalTime(root['global_start_time']);
  const from = (rate: number): FrameRate | undefined => {
    const s = snapRate(rate);
    if (!s) return undefined;
    try {
      return FrameRate.of(s.rate.num, s.rate.den);
    } catch {
      return undefined;
    }
  };
  if (g) return from(g.rate);
  let found: FrameRate | undefined;
  const visit = (v: JsonValue | undefined, depth: number): void => {
    if (found || depth > 64) return;
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObj(v)) {
      const sn = schemaName(v);
      if (sn === 'Clip' || sn === 'Gap') {
        const tr = decodeTimeRange(v['source_range']);
        if (tr && tr.duration.rate > 1) {
          found = from(tr.duration.rate);
          return;
        }
      }
      for (const k of Object.keys(v)) if (k !== 'metadata') visit(v[k], depth + 1);
    }
  };
  visit(root['tracks'], 0);
  return found;
}

export { isLosslessNumber, DUBSTAGE_KEY };
