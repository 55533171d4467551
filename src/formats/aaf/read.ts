/**
 * AAF → Timeline: the top-level composition's slots become tracks, SourceClips resolve through
 * MasterMob → file SourceMob to media, Transitions become fades and crossfades, MonoAudioGain
 * and Avid clip-volume OperationGroups become clip gain and automation, EventMobSlot markers
 * become markers (`shared/spec/aaf.md` §1–5, §8).
 *
 * Positions stay exact: a slot position in edit units is `RationalTime.fromFrames(n, editRate)`.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../diagnostics/result.js';
import type { ByteInput } from '../../binary/byte-source.js';
import type { AutomationLane, AutomationPoint, Clip, FadeShape, GainPoint, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../model/types.js';
import { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { cleanUpProToolsTrack, type ProToolsCleanup } from './protools.js';
import { dataOf, objectsOf, property, readObjects, readObjectsSync, type AafData, type AafObject, type AafObjectFile, type AafRational, type AafReadOptions } from './objects.js';

/** Options of {@link readTimeline}. */
export interface AafTimelineOptions extends AafReadOptions {
  /** Name of the composition to read when a file holds several top-level ones (default: the first). */
  readonly composition?: string;
  /** Session sample rate when no media states one (default 48000). */
  readonly sampleRate?: number;
  /** Pro Tools files: rendered fades and sample-accurate edits (default: fades and merged edits). */
  readonly protools?: ProToolsCleanup;
  /** A file name or URL the diagnostics name as their `source`. */
  readonly source?: string;
}

// Well-known identifiers (aaf.md §4, §7).
const DD_SOUND_MASTER = '0e040101-0101-0000-060e-2b3404010101';
const DD_SOUND = new Set(['01030202-0200-0000-060e-2b3404010101', '78e1ebe1-6cef-11d2-807d-006008143e6f', DD_SOUND_MASTER]);
const DD_PICTURE = new Set(['01030202-0100-0000-060e-2b3404010101', '6f3c8ce1-6cef-11d2-807d-006008143e6f']);
const DD_EDGECODE = 'd2bb2af0-d234-11d2-89ee-006097116212';
const DD_TIMECODE = new Set(['01030201-0100-0000-060e-2b3404010101', '7f275e81-77e5-11d2-807f-006008143e6f']);
const USAGE_TOP_LEVEL = '0d010102-0101-0700-060e-2b3404010101';
const OP_EDIT_PROTOCOL = '0d011201-0100-0000-060e-2b3404010105';
const OP_MONO_GAIN = '9d2ea894-0968-11d3-8a38-0050040ef7d2';
const OP_STEREO_GAIN = '9d2ea895-0968-11d3-8a38-0050040ef7d2';
const OP_CHANNEL_COMBINER = '6b46dd7a-132d-4856-ab21-8b751d8462ec';
const PARAM_AMPLITUDE = 'e4962321-2267-11d3-8a4c-0050040ef7d2';
const PARAM_LEVEL = 'e4962320-2267-11d3-8a4c-0050040ef7d2';
/** ParameterDef Pan (0 = left, ½ = centre, 1 = right; aaf.md §4). */
const PARAM_PAN = 'e4962322-2267-11d3-8a4c-0050040ef7d2';
const INTERP_LINEAR = '5b6c85a4-0ede-11d3-80a9-006008143e6f';
const INTERP_CONSTANT = '5b6c85a5-0ede-11d3-80a9-006008143e6f';
/** Motion Control (AAF VideoSpeedControl), SpeedRatio (output/input length) and Avid's speed offset map. */
const OP_MOTION_CONTROL = '9d2ea890-0968-11d3-8a38-0050040ef7d2';
const PARAM_SPEED_RATIO = '72559a80-24d7-11d3-8a50-0050040ef7d2';
const PARAM_SPEED_OFFSET_MAP = '8d56827d-847e-11d5-935a-50f857c10000';
const PARAM_CLIP_RATIO = '47c00f7d-fb55-11d3-9ff7-0004ac969f50';
const PARAM_CURVE_TYPE = '8134fc48-3bd6-4904-9520-7a6360cc7127';
const INTERP_LOG = '15829ec3-1f24-458a-960d-c65bb23c2aa1';
const INTERP_POWER = 'c09153f7-bd18-4e5a-ad09-cbdd654fa001';

function isRational(d: AafData | undefined): d is AafRational {
  return typeof d === 'object' && d !== null && 'numerator' in d && 'denominator' in d;
}

function toRational(d: AafData | undefined): Rational | undefined {
  if (!isRational(d) || d.denominator === 0) return undefined;
  return Rational.of(d.numerator, d.denominator);
}

/** A Rational value, bare or inside an Indirect. */
function rationalValue(d: AafData | undefined): Rational | undefined {
  if (d !== null && typeof d === 'object' && 'type' in d && 'value' in d) return toRational((d as { value: AafData }).value);
  return toRational(d);
}

function toBig(d: AafData | undefined): bigint | undefined {
  if (typeof d === 'bigint') return d;
  if (typeof d === 'number' && Number.isInteger(d)) return BigInt(d);
  return undefined;
}

function str(d: AafData | undefined): string | undefined {
  return typeof d === 'string' ? d : undefined;
}

/** The value of an Indirect (or plain) parameter value as a number (linear gain, pan, curve type). */
function numeric(d: AafData | undefined): number | undefined {
  if (d === undefined) return undefined;
  if (typeof d === 'number') return d;
  if (typeof d === 'bigint') return Number(d);
  if (isRational(d)) return d.denominator === 0 ? undefined : d.numerator / d.denominator;
  if (typeof d === 'object' && 'type' in d && 'value' in d) return numeric((d as { value: AafData }).value);
  return undefined;
}

/** Linear amplitude → dB (a level, not a time; rounded to 1/1000 dB for stable output). */
function amplitudeToDb(v: number): number {
  if (v <= 0) return -Infinity;
  return Math.round(20 * Math.log10(v) * 1000) / 1000;
}

/** The components of a Sequence with nested Sequences spliced in place (nesting bounded). */
function flattenSequence(seq: AafObject, depth = 0): AafObject[] {
  const out: AafObject[] = [];
  for (const c of objectsOf(seq, 'Components')) {
    if (c.className === 'Sequence' && depth < 64) out.push(...flattenSequence(c, depth + 1));
    else out.push(c);
  }
  return out;
}

/** A TaggedValue list (vector of TaggedValue) as name → value. */
function taggedValues(obj: AafObject, listName: string): Map<string, AafData> {
  const out = new Map<string, AafData>();
  for (const t of objectsOf(obj, listName)) {
    const n = str(dataOf(t, 'Name'));
    const v = dataOf(t, 'Value');
    if (n !== undefined && v !== undefined) out.set(n, typeof v === 'object' && v !== null && 'value' in v ? (v as { value: AafData }).value : v);
  }
  return out;
}

function jsonOf(d: AafData | undefined): JsonValue {
  if (d === undefined) return null;
  if (typeof d === 'bigint') return d.toString();
  if (d instanceof Uint8Array) return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
  if (Array.isArray(d)) return d.map((x) => jsonOf(x as AafData));
  if (typeof d === 'object' && d !== null) {
    const o: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(d)) o[k] = jsonOf(v as AafData);
    return o;
  }
  return d as JsonValue;
}

interface Placed {
  kind: 'clip' | 'filler' | 'transition';
  position: bigint;
  length: bigint;
  component: AafObject;
}

/**
 * Reads an AAF file into a {@link Timeline}. Never throws on bad input; what cannot be read is
 * reported with the object path.
 */
export async function readTimeline(input: ByteInput, options: AafTimelineOptions = {}): Promise<ParseResult<Timeline>> {
  if (input instanceof Uint8Array) return readTimelineSync(input, options);
  return withObjects(await readObjects(input, options), options);
}

/** {@link readTimeline} for a file in memory, synchronously. */
export function readTimelineSync(bytes: Uint8Array, options: AafTimelineOptions = {}): ParseResult<Timeline> {
  return withObjects(readObjectsSync(bytes, options), options);
}

function withObjects(objects: ParseResult<AafObjectFile>, options: AafTimelineOptions): ParseResult<Timeline> {
  const src = options.source;
  const named = (ds: readonly Diagnostic[]): Diagnostic[] => (src === undefined ? [...ds] : ds.map((d) => (d.source === undefined ? { ...d, source: src } : d)));
  if (!objects.ok) return { ok: false, diagnostics: named(objects.diagnostics) as [Diagnostic, ...Diagnostic[]] };
  const r = timelineFromObjects(objects.value, options);
  return r.ok ? { ...r, diagnostics: named([...objects.diagnostics, ...r.diagnostics]) } : { ok: false, diagnostics: named([...r.diagnostics, ...objects.diagnostics]) as [Diagnostic, ...Diagnostic[]] };
}

/** Builds the timeline from an object tree read by `readObjects`. */
export function timelineFromObjects(file: AafObjectFile, options: AafTimelineOptions = {}): ParseResult<Timeline> {
  const diags: Diagnostic[] = [];
  const header = objectsOf(file.root, 'Header')[0];
  const content = header && objectsOf(header, 'Content')[0];
  if (!header || !content) return { ok: false, diagnostics: [error('aaf/no-content', 'the file has no Header/ContentStorage', { path: [header?.path ?? file.root.path] })] };
  const ident = objectsOf(header, 'IdentificationList');
  const company = ident.map((i) => str(dataOf(i, 'CompanyName')) ?? '').join(' ');
  const product = ident.map((i) => str(dataOf(i, 'ProductName')) ?? '').join(' ');
  const isProTools = /Digidesign/.test(company) && /ProTools/.test(product);
  const mobs = objectsOf(content, 'Mobs');
  const mobById = new Map<string, AafObject>();
  for (const m of mobs) {
    const id = str(dataOf(m, 'MobID'));
    if (id) mobById.set(id, m);
  }
  const embedded = new Set<string>();
  for (const e of objectsOf(content, 'EssenceData')) {
    const id = str(dataOf(e, 'MobID'));
    if (id) embedded.add(id);
  }

  // The composition: top-level CompositionMobs (only those under the Edit Protocol), else the first
  // CompositionMob, else a MasterMob with slots (a bin of one clip).
  const comps = mobs.filter((m) => m.className === 'CompositionMob');
  const editProtocol = dataOf(header, 'OperationalPattern') === OP_EDIT_PROTOCOL;
  let candidates = comps.filter((m) => dataOf(m, 'UsageCode') === USAGE_TOP_LEVEL);
  if (candidates.length === 0 && !editProtocol) candidates = comps;
  if (candidates.length === 0) candidates = mobs.filter((m) => m.className === 'MasterMob');
  let comp = options.composition ? candidates.find((m) => dataOf(m, 'Name') === options.composition) : candidates[0];
  if (!comp && options.composition) {
    diags.push(warning('aaf/no-such-composition', `no top-level composition named "${options.composition}"; reading the first`));
    comp = candidates[0];
  }
  if (!comp) return { ok: false, diagnostics: [error('aaf/no-composition', 'the file has no composition to read', { path: [content.path] }), ...diags] as [Diagnostic, ...Diagnostic[]] };
  if (candidates.length > 1) diags.push(warning('aaf/several-compositions', `${candidates.length} top-level compositions; reading "${dataOf(comp, 'Name')}"`, { path: [comp.path] }));

  const dataDefOf = (c: AafObject): string | undefined => {
    const p = property(c, 'DataDefinition');
    if (!p || p.value.kind !== 'weak') return undefined;
    const target = file.resolve(p.value.ref);
    return (target && str(dataOf(target, 'Identification'))) ?? p.value.ref.key;
  };
  const opIdOf = (og: AafObject): string | undefined => {
    const p = property(og, 'Operation');
    if (!p || p.value.kind !== 'weak') return undefined;
    const target = file.resolve(p.value.ref);
    return (target && str(dataOf(target, 'Identification'))) ?? p.value.ref.key;
  };
  const interpolationOf = (vv: AafObject): string | undefined => {
    const p = property(vv, 'Interpolation');
    if (!p || p.value.kind !== 'weak') return undefined;
    const target = file.resolve(p.value.ref);
    return (target && str(dataOf(target, 'Identification'))) ?? p.value.ref.key;
  };

  // Timecode: the composition's Timecode slot (PhysicalTrackNumber 1 preferred).
  const slots = objectsOf(comp, 'Slots');
  let frameRate = FrameRate.FPS_25;
  let startFrames = 0n;
  let tcEditRate: Rational | undefined;
  let tcStart = 0n;
  const tcSlot = slots.find((s) => findTimecode(s) !== undefined);
  function findTimecode(slot: AafObject): AafObject | undefined {
    const seg = objectsOf(slot, 'Segment')[0];
    if (!seg) return undefined;
    if (seg.className === 'Timecode') return seg;
    if (seg.className === 'Sequence') return objectsOf(seg, 'Components').find((c) => c.className === 'Timecode');
    return undefined;
  }
  if (tcSlot) {
    const tc = findTimecode(tcSlot) as AafObject;
    const fps = Number(dataOf(tc, 'FPS') ?? 0);
    const drop = dataOf(tc, 'Drop') === true;
    const rate = toRational(dataOf(tcSlot, 'EditRate'));
    tcEditRate = rate;
    tcStart = toBig(dataOf(tc, 'Start')) ?? 0n;
    if (fps > 0) {
      // The exact rate is the slot's edit rate when it rounds to FPS (30000/1001 for FPS 30).
      const exact = rate && Number(rate.round('nearest')) === fps ? rate : Rational.of(fps);
      try {
        frameRate = FrameRate.of(exact.num, exact.den, { dropFrame: drop && exact.den === 1001n });
      } catch {
        frameRate = FrameRate.of(fps);
      }
      if (drop && !frameRate.dropFrame) diags.push(warning('aaf/drop-frame-impossible', `the Timecode says drop-frame at ${exact} fps; read as non-drop`, { path: [tc.path] }));
      // Start is in the slot's edit units; convert to frames at the timecode's rate.
      startFrames = rate ? RationalTime.fromFrames(tcStart, rate).toFrames(frameRate, 'floor') : tcStart;
    }
  } else {
    diags.push(warning('aaf/no-timecode', 'the composition has no Timecode slot; start 00:00:00:00 at 25 fps assumed', { path: [comp.path] }));
  }
  const startTimecode = Timecode.fromFrames(startFrames, frameRate, { overflow: 'wrap' });
  // Composition position 0 is the timecode Start: slot positions are relative to it.

  const media = new Map<string, MediaSource>();
  let dominantRate: number | undefined;

  /** Follows a SourceClip down to a file SourceMob: the media id, the offset in the file, the clip name. */
  function resolveSource(sc: AafObject, editRate: Rational, extra: bigint): { mediaId?: string; offset: RationalTime; name?: string } {
    let t = RationalTime.fromFrames((toBig(dataOf(sc, 'StartTime')) ?? 0n) + extra, editRate);
    let name: string | undefined; // the first named mob down the chain: a sub-clip or the MasterMob
    let masterName: string | undefined;
    let mobId = str(dataOf(sc, 'SourceID'));
    let slotId = dataOf(sc, 'SourceMobSlotID');
    const seen = new Set<string>();
    for (let hop = 0; hop < 32 && mobId && !/^urn:smpte:umid:0+\.0+\.00000000-0000-0000-0000-000000000000$/.test(mobId); hop++) {
      if (seen.has(mobId + '/' + String(slotId))) {
        diags.push(warning('aaf/mob-cycle', `source chain loops at mob ${mobId}`, { path: [sc.path] }));
        break;
      }
      seen.add(mobId + '/' + String(slotId));
      const mob = mobById.get(mobId);
      if (!mob) {
        diags.push(warning('aaf/missing-mob', `SourceClip names mob ${mobId}, which the file does not hold`, { path: [sc.path] }));
        return { offset: t, ...(name ? { name } : {}) };
      }
      if (mob.className === 'MasterMob' || mob.className === 'CompositionMob') name ??= str(dataOf(mob, 'Name'));
      if (mob.className === 'MasterMob') masterName ??= str(dataOf(mob, 'Name'));
      const slot = objectsOf(mob, 'Slots').find((s) => dataOf(s, 'SlotID') === slotId);
      if (!slot) {
        diags.push(warning('aaf/missing-slot', `mob "${dataOf(mob, 'Name') ?? mobId}" has no slot ${String(slotId)}`, { path: [mob.path] }));
        return { offset: t, ...(name ? { name } : {}) };
      }
      const rate = toRational(dataOf(slot, 'EditRate')) ?? editRate;
      const origin = toBig(dataOf(slot, 'Origin')) ?? 0n;
      if (mob.className === 'SourceMob') {
        const desc = objectsOf(mob, 'EssenceDescription')[0];
        const isFile = desc && /Descriptor$/.test(desc.className) && !['TapeDescriptor', 'ImportDescriptor', 'PhysicalDescriptor', 'BWFImportDescriptor', 'FilmDescriptor', 'RecordingDescriptor', 'AuxiliaryDescriptor'].includes(desc.className);
        if (isFile) {
          const offset = RationalTime.fromFrames(t.toFrames(rate, 'floor') + origin, rate);
          ensureMedia(mob, desc, masterName, slot);
          return { mediaId: mobId, offset, ...(name ? { name } : {}) };
        }
      }
      // Descend: find the SourceClip at our position in this slot.
      const pos = t.toFrames(rate, 'floor') + origin;
      const seg = objectsOf(slot, 'Segment')[0];
      const hit = seg && sourceClipAt(seg, pos);
      if (!hit) return { offset: t, ...(name ? { name } : {}) };
      t = RationalTime.fromFrames((toBig(dataOf(hit.clip, 'StartTime')) ?? 0n) + (pos - hit.position), rate);
      mobId = str(dataOf(hit.clip, 'SourceID'));
      slotId = dataOf(hit.clip, 'SourceMobSlotID');
    }
    return { offset: t, ...(name ? { name } : {}) };
  }

  function sourceClipAt(seg: AafObject, pos: bigint): { clip: AafObject; position: bigint } | undefined {
    if (seg.className === 'SourceClip') return { clip: seg, position: 0n };
    if (seg.className === 'Sequence') {
      let at = 0n;
      for (const c of objectsOf(seg, 'Components')) {
        const len = toBig(dataOf(c, 'Length')) ?? 0n;
        if (c.className === 'Transition') {
          at -= len;
          continue;
        }
        if (pos >= at && pos < at + len) return c.className === 'SourceClip' ? { clip: c, position: at } : undefined;
        at += len;
      }
      return undefined;
    }
    if (seg.className === 'EssenceGroup') {
      const choice = objectsOf(seg, 'Choices')[0];
      return choice ? sourceClipAt(choice, pos) : undefined;
    }
    if (seg.className === 'OperationGroup') {
      const input = objectsOf(seg, 'InputSegments')[0];
      return input ? sourceClipAt(input, pos) : undefined;
    }
    return undefined;
  }

  /**
   * The source timecode of a file's first sample: the file slot's SourceClip points into a
   * physical (tape or import) SourceMob, whose Timecode slot gives the timecode of its position 0
   * (OTIO's AAF reader adds the two the same way).
   */
  function tapeStart(fileSlot: AafObject): RationalTime | undefined {
    const rate = toRational(dataOf(fileSlot, 'EditRate'));
    const seg = objectsOf(fileSlot, 'Segment')[0];
    const sc = seg && sourceClipAt(seg, 0n);
    const tapeId = sc && str(dataOf(sc.clip, 'SourceID'));
    const tape = tapeId ? mobById.get(tapeId) : undefined;
    if (!rate || !sc || !tape) return undefined;
    for (const ts of objectsOf(tape, 'Slots')) {
      const tc = findTimecode(ts);
      const tsRate = toRational(dataOf(ts, 'EditRate'));
      if (!tc || !tsRate) continue;
      const start = RationalTime.fromFrames(toBig(dataOf(tc, 'Start')) ?? 0n, tsRate);
      return start.plus(RationalTime.fromFrames(toBig(dataOf(sc.clip, 'StartTime')) ?? 0n, rate));
    }
    return undefined;
  }

  function ensureMedia(mob: AafObject, desc: AafObject, masterName: string | undefined, fileSlot: AafObject): void {
    const id = str(dataOf(mob, 'MobID')) as string;
    if (media.has(id)) return;
    const slotDd = (() => {
      const seg = objectsOf(fileSlot, 'Segment')[0];
      return seg ? dataDefOf(seg) : undefined;
    })();
    const isVideo = (slotDd !== undefined && DD_PICTURE.has(slotDd)) || /CDCI|RGBA|DigitalImage/.test(desc.className);
    const start = tapeStart(fileSlot);
    const sr = toRational(dataOf(desc, 'AudioSamplingRate')) ?? toRational(dataOf(desc, 'SampleRate'));
    const sampleRate = !isVideo && sr && sr.isInteger() ? Number(sr.num) : undefined;
    if (sampleRate && (dominantRate === undefined || sampleRate > dominantRate)) dominantRate = sampleRate;
    const channels = dataOf(desc, 'Channels');
    const len = toBig(dataOf(desc, 'Length'));
    const rate = toRational(dataOf(desc, 'SampleRate'));
    const locator = objectsOf(desc, 'Locator').map((l) => str(dataOf(l, 'URLString'))).find((u) => u !== undefined);
    const source: MediaSource = {
      id,
      name: masterName ?? str(dataOf(mob, 'Name')) ?? id,
      kind: isVideo ? 'video' : 'audio',
      ...(locator ? { url: locator } : {}),
      ...(start && !start.isZero() ? { start } : {}),
      ...(sampleRate ? { sampleRate } : {}),
      ...(typeof channels === 'number' ? { channels } : {}),
      ...(len !== undefined && rate ? { duration: RationalTime.fromFrames(len, rate) } : {}),
      ...(embedded.has(id) ? { embedded: true } : {}),
      metadata: { aaf: { descriptor: desc.className, sourceMobName: str(dataOf(mob, 'Name')) ?? null } },
    };
    media.set(id, source);
  }

  /** Gain and automation of an OperationGroup (MonoAudioGain Amplitude, Avid clip ratio). */
  function gainOf(og: AafObject, duration: RationalTime, into: { gainDb?: number; automation?: GainPoint[] }): void {
    for (const p of objectsOf(og, 'Parameters')) {
      const def = str(dataOf(p, 'Definition'));
      if (def !== PARAM_AMPLITUDE && def !== PARAM_CLIP_RATIO) continue;
      if (p.className === 'ConstantValue') {
        const v = numeric(dataOf(p, 'Value'));
        if (v !== undefined && v !== 1) into.gainDb = (into.gainDb ?? 0) + amplitudeToDb(v);
      } else if (p.className === 'VaryingValue') {
        const points: GainPoint[] = [];
        for (const cp of objectsOf(p, 'PointList')) {
          const time = toRational(dataOf(cp, 'Time'));
          const v = numeric(dataOf(cp, 'Value'));
          if (!time || v === undefined) continue;
          points.push({ time: duration.scaledBy(time), gainDb: amplitudeToDb(v) });
        }
        // A flat curve is a constant gain (Premiere writes +6 dB as two equal points), and a flat
        // unity curve (Pro Tools writes one on every clip) is none.
        const first = points[0];
        if (first && points.every((pt) => pt.gainDb === first.gainDb)) {
          if (first.gainDb !== 0) into.gainDb = (into.gainDb ?? 0) + first.gainDb;
        } else if (points.length > 0) into.automation = points;
      }
    }
  }

  /**
   * Volume and pan of a track-level OperationGroup (one that wraps the slot's sequence, aaf.md §4)
   * as automation lanes. ControlPoint times are fractions of the group's length, so a point's
   * position is `start + fraction × length`, exact. A flat curve (Media Composer writes two equal
   * points for a fixed pan) and a ConstantValue are one-point lanes.
   */
  function trackAutomationOf(og: AafObject, start: RationalTime, length: RationalTime): AutomationLane[] {
    const lanes: AutomationLane[] = [];
    for (const p of objectsOf(og, 'Parameters')) {
      const def = str(dataOf(p, 'Definition'));
      const parameter = def === PARAM_PAN ? 'pan' : def === PARAM_AMPLITUDE ? 'volume' : undefined;
      if (!parameter) continue;
      const convert = (v: number): number => (parameter === 'pan' ? v * 2 - 1 : amplitudeToDb(v));
      let points: AutomationPoint[] = [];
      let constant = false;
      if (p.className === 'ConstantValue') {
        const v = numeric(dataOf(p, 'Value'));
        if (v !== undefined) points.push({ time: start, value: convert(v) });
      } else if (p.className === 'VaryingValue') {
        for (const cp of objectsOf(p, 'PointList')) {
          const time = toRational(dataOf(cp, 'Time'));
          const v = numeric(dataOf(cp, 'Value'));
          if (!time || v === undefined) continue;
          points.push({ time: start.plus(length.scaledBy(time)), value: convert(v) });
        }
        const first = points[0];
        if (first && points.every((pt) => pt.value === first.value)) points = [{ time: first.time, value: first.value }];
        const interp = interpolationOf(p);
        if (interp === INTERP_CONSTANT) constant = true;
        else if (interp !== undefined && interp !== INTERP_LINEAR) {
          diags.push(warning('aaf/automation-interpolation', `track ${parameter} automation uses interpolation ${interp}; read as linear`, { path: [p.path] }));
        }
      }
      if (points.length > 0) lanes.push({ parameter, interpolation: constant ? 'constant' : 'linear', points });
    }
    return lanes;
  }

  /**
   * The playback speed (source time per timeline time) of a Motion Control group: the slope of
   * a two-point linear speed offset map (source offset against group time, both in edit units),
   * as otio-aaf-adapter reads it, else 1 / SpeedRatio (SpeedRatio is output length over input
   * length). Exact rationals both ways.
   */
  function speedOf(og: AafObject): Rational | undefined {
    let ratio: Rational | undefined;
    for (const p of objectsOf(og, 'Parameters')) {
      const def = str(dataOf(p, 'Definition'));
      if (def === PARAM_SPEED_OFFSET_MAP && p.className === 'VaryingValue') {
        const pts = objectsOf(p, 'PointList');
        const interp = interpolationOf(p);
        if (pts.length === 2 && (interp === undefined || interp === INTERP_LINEAR)) {
          const [a, b] = pts as [AafObject, AafObject];
          const t0 = toRational(dataOf(a, 'Time'));
          const t1 = toRational(dataOf(b, 'Time'));
          const v0 = rationalValue(dataOf(a, 'Value'));
          const v1 = rationalValue(dataOf(b, 'Value'));
          if (t0 && t1 && v0 && v1 && !t1.equals(t0)) return v1.minus(v0).dividedBy(t1.minus(t0));
        }
      } else if (def === PARAM_SPEED_RATIO && p.className === 'ConstantValue') {
        ratio = rationalValue(dataOf(p, 'Value'));
      }
    }
    return ratio && ratio.sign() !== 0 ? Rational.ONE.dividedBy(ratio) : undefined;
  }

  function curveOf(og: AafObject | undefined): FadeShape {
    if (!og) return 'linear';
    for (const p of objectsOf(og, 'Parameters')) {
      const def = str(dataOf(p, 'Definition'));
      if (def === PARAM_CURVE_TYPE) return numeric(dataOf(p, 'Value')) === 1 ? 'equal-power' : 'linear';
      if (def === PARAM_LEVEL && p.className === 'VaryingValue') {
        const interp = interpolationOf(p);
        if (interp === INTERP_POWER) return 'equal-power';
        if (interp === INTERP_LOG) return 'logarithmic';
      }
    }
    const attrs = taggedValues(og, 'ComponentAttributeList');
    const avid = attrs.get('_ATN_AUDIO_DISSOLVE_CURVETYPE');
    if (avid !== undefined && numeric(avid) === 1) return 'equal-power';
    return 'linear';
  }

  // Tracks.
  const tracks: Track[] = [];
  /** Track names by SlotID: one per layer (a NestedScope's layers share the slot's id). */
  const trackBySlotId = new Map<number, string[]>();
  const baseNameBySlotId = new Map<number, string>();
  const slotCount = { audio: 0, video: 0 };
  const markers: Marker[] = [];
  const eventSlots: AafObject[] = [];
  const soundMasterSlots: JsonValue[] = [];
  // Work list: each slot once; a NestedScope (Avid picture layers) adds one entry per layer.
  const work: { slot: AafObject; segment?: AafObject; layer?: number }[] = slots.map((slot) => ({ slot }));
  for (let w = 0; w < work.length; w++) {
    const { slot, segment, layer } = work[w] as (typeof work)[number];
    if (slot === tcSlot) continue;
    if (slot.className === 'EventMobSlot') {
      eventSlots.push(slot);
      continue;
    }
    const seg = segment ?? objectsOf(slot, 'Segment')[0];
    if (!seg) continue;
    const dd = dataDefOf(seg);
    const kind = dd && DD_SOUND.has(dd) ? 'audio' : dd && DD_PICTURE.has(dd) ? 'video' : undefined;
    if (!kind) {
      if (dd && (DD_TIMECODE.has(dd) || dd === DD_EDGECODE || dd === '01030201-1000-0000-060e-2b3404010101')) {
        // Markers with a duration in a TimelineMobSlot (MC 23.12) or extra timecode tracks.
        if (dd === '01030201-1000-0000-060e-2b3404010101') eventSlots.push(slot);
        continue;
      }
      diags.push(warning('aaf/unknown-track-kind', `slot ${String(dataOf(slot, 'SlotID'))} carries data definition ${dd ?? '?'}; skipped`, { path: [slot.path] }));
      continue;
    }
    const editRate = toRational(dataOf(slot, 'EditRate'));
    if (!editRate || editRate.sign() <= 0) {
      diags.push(error('aaf/bad-edit-rate', `slot ${String(dataOf(slot, 'SlotID'))} has no usable EditRate`, { path: [slot.path] }));
      continue;
    }
    const origin = toBig(dataOf(slot, 'Origin')) ?? 0n;
    const attrs = new Map([...taggedValues(slot, 'TimelineMobAttributeList'), ...taggedValues(slot, 'TimelineMobSlotAttributes')]);
    const trackFormat = numeric(attrs.get('_TRACK_FORMAT'));
    const name = str(dataOf(slot, 'SlotName')) ?? '';
    const at = (units: bigint) => RationalTime.fromFrames(units - origin, editRate);

    // Track-level OperationGroups (volume, pan) wrap the track's sequence.
    let body: AafObject | undefined = seg;
    const trackEffects: JsonValue[] = [];
    const automation: AutomationLane[] = [];
    while (body && body.className === 'OperationGroup') {
      trackEffects.push(opIdOf(body) ?? null);
      automation.push(...trackAutomationOf(body, at(0n), RationalTime.fromFrames(toBig(dataOf(body, 'Length')) ?? 0n, editRate)));
      body = objectsOf(body, 'InputSegments')[0];
    }
    if (body && body.className === 'NestedScope') {
      // Layers of a NestedScope: the first is this track; the others become tracks of their own.
      // ScopeReferences inside a layer point at lower layers and read as gaps.
      const layers = objectsOf(body, 'Slots');
      layers.slice(1).forEach((l, i) => work.splice(w + 1 + i, 0, { slot, segment: l, layer: (layer ?? 0) + i + 1 }));
      body = layers[0];
    }
    // A Sequence inside the track's Sequence (Media Composer nests one around a clip and its
    // fade) plays its components in place: flatten it.
    const components = !body ? [] : body.className === 'Sequence' ? flattenSequence(body) : [body];
    // Lay out components: transitions overlap their neighbours.
    const placed: Placed[] = [];
    let pos = 0n;
    for (const c of components) {
      const len = toBig(dataOf(c, 'Length')) ?? 0n;
      if (c.className === 'Transition') {
        pos -= len;
        placed.push({ kind: 'transition', position: pos, length: len, component: c });
        continue;
      }
      placed.push({ kind: c.className === 'Filler' || c.className === 'ScopeReference' ? 'filler' : 'clip', position: pos, length: len, component: c });
      pos += len;
    }
    const clips: Clip[] = [];
    const transitions: Transition[] = [];
    const clipAt = new Map<number, number>(); // placed index → clips index
    let channels = trackFormat === 2 ? 2 : trackFormat === 3 ? 6 : trackFormat === 4 ? 8 : 1;
    placed.forEach((pl, idx) => {
      if (pl.kind !== 'clip' || pl.length <= 0n) return;
      const duration = RationalTime.fromFrames(pl.length, editRate);
      const gain: { gainDb?: number; automation?: GainPoint[] } = {};
      let node: AafObject | undefined = pl.component;
      let muted = false;
      let speed: Rational | undefined;
      const meta: Record<string, JsonValue> = {};
      const channelMedia: string[] = [];
      let sourceClips: AafObject[] = [];
      // Unwrap: Selector (muted clips), OperationGroups (gain, channel combiner), EssenceGroup.
      for (let guard = 0; node && guard < 16; guard++) {
        if (node.className === 'Selector') {
          const selected = objectsOf(node, 'Selected')[0];
          if (selected && selected.className === 'Filler') {
            const alt: AafObject | undefined = objectsOf(node, 'Alternates')[0];
            muted = true;
            node = alt;
          } else node = selected;
        } else if (node.className === 'OperationGroup') {
          const op = opIdOf(node);
          if (op === OP_MOTION_CONTROL) {
            const s = speedOf(node);
            if (s !== undefined) speed = s;
            node = objectsOf(node, 'InputSegments')[0];
            continue;
          }
          if (op === OP_CHANNEL_COMBINER) {
            sourceClips = objectsOf(node, 'InputSegments').flatMap((s) => unwrapToSourceClip(s));
            break;
          }
          if (op === OP_MONO_GAIN || op === OP_STEREO_GAIN || objectsOf(node, 'Parameters').some((p) => str(dataOf(p, 'Definition')) === PARAM_CLIP_RATIO)) {
            gainOf(node, duration, gain);
          } else {
            (meta.effects ??= [] as JsonValue[]);
            (meta.effects as JsonValue[]).push(op ?? null);
          }
          node = objectsOf(node, 'InputSegments')[0];
        } else if (node.className === 'EssenceGroup') {
          node = objectsOf(node, 'Choices')[0];
        } else break;
      }
      if (sourceClips.length === 0 && node && node.className === 'SourceClip') sourceClips = [node];
      if (node && node.className === 'Filler' && sourceClips.length === 0) return;
      if (sourceClips.length === 0) {
        diags.push(warning('aaf/unsupported-component', `a ${node?.className ?? 'missing'} component on track "${name}" is kept as a clip without media`, { path: [pl.component.path] }));
      }
      const attrsC = taggedValues(pl.component, 'ComponentAttributeList');
      if (numeric(attrsC.get('_DISABLE_CLIP_FLAG')) === 1) muted = true;
      let first: ReturnType<typeof resolveSource> | undefined;
      for (const sc of sourceClips) {
        const r = resolveSource(sc, editRate, 0n);
        first ??= r;
        if (r.mediaId) channelMedia.push(r.mediaId);
      }
      if (channelMedia.length > channels) channels = channelMedia.length;
      const mediaSource = first?.mediaId ? media.get(first.mediaId) : undefined;
      const comments = taggedValues(pl.component, 'UserComments');
      if (comments.size > 0) meta.userComments = Object.fromEntries([...comments].map(([k, v]) => [k, jsonOf(v)]));
      if (channelMedia.length > 1) meta.channelMedia = channelMedia;
      const clip: Clip = {
        name: first?.name ?? mediaSource?.name ?? '',
        start: at(pl.position),
        duration,
        sourceStart: (mediaSource?.start ?? RationalTime.ZERO).plus(first?.offset ?? RationalTime.ZERO),
        ...(first?.mediaId ? { media: { mediaId: first.mediaId } } : {}),
        ...(gain.gainDb !== undefined ? { gainDb: gain.gainDb } : {}),
        ...(gain.automation ? { gainAutomation: gain.automation } : {}),
        ...(muted ? { muted: true } : {}),
        ...(speed !== undefined && !speed.equals(Rational.ONE) ? { speed } : {}),
        metadata: Object.keys(meta).length > 0 ? { aaf: meta } : {},
      };
      clipAt.set(idx, clips.length);
      clips.push(clip);
    });
    // Transitions: filler→clip = fade in, clip→filler = fade out, clip→clip = crossfade.
    placed.forEach((pl, idx) => {
      if (pl.kind !== 'transition') return;
      const og = objectsOf(pl.component, 'OperationGroup')[0];
      const shape = curveOf(og);
      const duration = RationalTime.fromFrames(pl.length, editRate);
      const prev = clipAt.get(idx - 1);
      const next = clipAt.get(idx + 1);
      const cut = toBig(dataOf(pl.component, 'CutPoint'));
      if (prev !== undefined && next !== undefined) {
        transitions.push({ kind: 'crossfade', start: at(pl.position), duration, shape, metadata: { aaf: { cutPoint: cut !== undefined ? RationalTime.fromFrames(cut, editRate).toString() : null } } });
      } else if (next !== undefined) {
        clips[next] = { ...(clips[next] as Clip), fadeIn: { duration, shape } };
      } else if (prev !== undefined) {
        clips[prev] = { ...(clips[prev] as Clip), fadeOut: { duration, shape } };
      }
    });
    if (dd === DD_SOUND_MASTER && clips.length === 0) {
      // Media Composer's master fader lane: not a track of clips (aaftool does not list it).
      soundMasterSlots.push(jsonOf(dataOf(slot, 'SlotID')));
      continue;
    }
    const solo = numeric(attrs.get('AudioMixerCompSolo')) === 1;
    const mute = numeric(attrs.get('AudioMixerCompMute')) === 1;
    const slotId = dataOf(slot, 'SlotID');
    // Layers of one slot share its base name: V1, V1.2, V1.3…
    if (!layer) slotCount[kind]++;
    const base = (layer && typeof slotId === 'number' ? baseNameBySlotId.get(slotId) : undefined) ?? (name || `${kind === 'audio' ? 'A' : 'V'}${slotCount[kind]}`);
    const trackName = base + (layer ? `.${layer + 1}` : '');
    if (typeof slotId === 'number') {
      baseNameBySlotId.set(slotId, base);
      const layers = trackBySlotId.get(slotId) ?? [];
      layers.push(trackName);
      trackBySlotId.set(slotId, layers);
    }
    tracks.push({
      kind,
      name: trackName,
      channels: kind === 'video' ? 0 : channels,
      clips,
      transitions,
      ...(mute ? { muted: true } : {}),
      ...(solo ? { solo: true } : {}),
      ...(automation.length > 0 ? { automation } : {}),
      metadata: { aaf: { slotId: typeof slotId === 'number' ? slotId : null, dataDefinition: dd ?? null, editRate: editRate.toString(), physicalTrackNumber: jsonOf(dataOf(slot, 'PhysicalTrackNumber')), ...(trackEffects.length ? { trackEffects } : {}) } },
    });
  }

  // Markers: DescriptiveMarkers in event slots (positions in the slot's edit units).
  // Media Composer writes one EventMobSlot per picture layer, all describing the NestedScope's
  // slot, in layer order (otio-aaf__multiple_markers.aaf: the marker texts name V1…V5): the k-th
  // event slot describing a layered slot belongs to its k-th layer.
  const eventSlotsSeen = new Map<number, number>();
  for (const slot of eventSlots) {
    const rate = toRational(dataOf(slot, 'EditRate'));
    if (!rate || rate.sign() <= 0) continue;
    const origin = toBig(dataOf(slot, 'EventSlotOrigin')) ?? toBig(dataOf(slot, 'Origin')) ?? 0n;
    const seg = objectsOf(slot, 'Segment')[0];
    const events = !seg ? [] : seg.className === 'Sequence' ? objectsOf(seg, 'Components') : [seg];
    const layerOf = new Map<number, number>();
    const layerFor = (slotId: number): number => {
      let k = layerOf.get(slotId);
      if (k === undefined) {
        k = eventSlotsSeen.get(slotId) ?? 0;
        eventSlotsSeen.set(slotId, k + 1);
        layerOf.set(slotId, k);
      }
      return k;
    };
    for (const ev of events) {
      if (!/Marker$|^Event$/.test(ev.className)) continue;
      const position = toBig(dataOf(ev, 'Position'));
      if (position === undefined) continue;
      const user = str(dataOf(ev, 'CommentMarkerUser')) ?? str(dataOf(ev, 'CommentMarkerUSer'));
      const comment = str(dataOf(ev, 'Comment'));
      // Resolve and Media Composer 2022+ keep the marker's name in CommentMarkerUser (older Avid
      // versions kept the user's login there); the text is Comment. As LibAAF's aaftool, the
      // name is the user field when there is one, else the comment.
      const useUser = user !== undefined && user !== '';
      const markerName = (useUser ? user : comment) ?? '';
      const len = toBig(dataOf(ev, 'Length'));
      const colour = dataOf(ev, 'CommentMarkerColor');
      const described = dataOf(ev, 'DescribedSlots');
      const describedId = Array.isArray(described) && typeof described[0] === 'number' ? described[0] : undefined;
      const layers = describedId !== undefined ? trackBySlotId.get(describedId) : undefined;
      const trackName = layers && describedId !== undefined ? (layers.length === 1 ? layers[0] : layers[layerFor(describedId)] ?? layers[0]) : undefined;
      markers.push({
        name: markerName,
        position: RationalTime.fromFrames(position - origin, rate),
        ...(len !== undefined && len > 0n ? { duration: RationalTime.fromFrames(len, rate) } : {}),
        ...(useUser && comment ? { comment } : {}),
        ...(colour && typeof colour === 'object' && 'red' in colour ? { colour: rgbHex(colour as { red: number; green: number; blue: number }) } : {}),
        ...(trackName ? { track: trackName } : {}),
        metadata: { aaf: { slotId: jsonOf(dataOf(slot, 'SlotID')) } },
      });
    }
  }
  markers.sort((a, b) => a.position.compare(b.position));

  const finalTracks = isProTools ? tracks.map((t) => (t.kind === 'audio' ? cleanUpProToolsTrack(t, media, options.protools) : t)) : tracks;
  const timeline: Timeline = {
    name: str(dataOf(comp, 'Name')) ?? '',
    sampleRate: options.sampleRate ?? dominantRate ?? 48000,
    frameRate,
    startTimecode,
    tracks: finalTracks,
    markers,
    media: [...media.values()],
    metadata: {
      aaf: {
        company: company || null,
        product: product || null,
        compositionMobId: str(dataOf(comp, 'MobID')) ?? null,
        timecodeEditRate: tcEditRate?.toString() ?? null,
        timecodeStart: tcStart.toString(),
        ...(soundMasterSlots.length > 0 ? { soundMasterSlots } : {}),
      },
    },
  };
  return { ok: true, value: timeline, diagnostics: diags };

  function unwrapToSourceClip(s: AafObject): AafObject[] {
    let n: AafObject | undefined = s;
    for (let g = 0; n && g < 8; g++) {
      if (n.className === 'SourceClip') return [n];
      if (n.className === 'Sequence') {
        const inner: AafObject[] = objectsOf(n, 'Components').filter((c) => c.className !== 'Filler');
        n = inner[0];
      } else if (n.className === 'OperationGroup') n = objectsOf(n, 'InputSegments')[0];
      else return [];
    }
    return [];
  }
}

/** 16-bit RGB → `#rrggbb` from the high bytes (as aaftool prints Avid colours). */
function rgbHex(c: { red: number; green: number; blue: number }): string {
  const h = (v: number) => (v >> 8).toString(16).padStart(2, '0');
  return `#${h(c.red)}${h(c.green)}${h(c.blue)}`;
}
