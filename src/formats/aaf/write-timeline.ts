/**
 * Timeline → AAF (issue 8): one top-level CompositionMob with a timecode slot and one
 * TimelineMobSlot per audio track, SourceClips → MasterMobs → file SourceMobs (WAVE descriptors
 * with NetworkLocators for linked media, PCM descriptors with EssenceData for embedded media,
 * streamed), fades and crossfades as Transitions, clip gain and volume automation as
 * MonoAudioGain OperationGroups, clip speed as Motion Control groups, track volume/pan as
 * track-level OperationGroups, picture tracks (Media Composer, Resolve) as Picture slots of
 * CDCI-described media, markers as DescriptiveMarkers (`shared/spec/aaf.md` §1–9).
 *
 * Targets differ as aaf.md §8–9 describe: `protools` (default) writes audio slots at the session
 * sample rate, legacy data definitions, clip gain as a MonoAudioGain VaryingValue and no markers;
 * `mediacomposer` writes audio at the picture rate, the Edit Protocol operational pattern and
 * markers with Avid's `CommentMarkerUSer` spelling; `resolve` writes audio at the sample rate (as
 * the Resolve exports in the corpus do), Resolve's `CommentMarkerUser` spelling, and keeps
 * multichannel media interleaved.
 *
 * Lossy steps are diagnostics, never silent: positions off the edit-unit grid are rounded
 * (nearest); video tracks (Pro Tools target), picture transitions, freeze/reverse speeds and
 * unsupported fade shapes are dropped.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic, warning } from '../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../diagnostics/result.js';
import type { ByteSource } from '../../binary/byte-source.js';
import type { CfbSink } from '../../binary/cfb/write.js';
import { guidToString } from '../../binary/cfb/read.js';
import type { Clip, FadeShape, MediaSource, Timeline, Track } from '../../model/types.js';
import { Rational } from '../../time/rational.js';
import { RationalTime } from '../../time/rational-time.js';
import type { AafObject, AafProperty } from './objects.js';
import { writeObjects, writeObjectsSync, writeObjectsTo, type AafObjectTree } from './write-objects.js';
import {
  CLASS, REFERENCED_PROPERTIES, TABLE, TYPE, auid, buildMetaDictionary, data, i32, i64, indirect, mobIdBytes, mobIdFromText, obj, rational,
  stream, strong, strongSet, strongVector, timestamp, u16, u32, u8, utf16z, weak, type AafDate, type Prop,
} from './write-build.js';

/** Applications the writer shapes files for (aaf.md §8–9). */
export type AafTarget = 'protools' | 'mediacomposer' | 'resolve';

/** Raw interleaved little-endian integer PCM to embed for one media source. */
export interface EmbeddedPcm {
  /** The PCM bytes, or a source read in chunks while writing (never held whole). */
  readonly data: Uint8Array | ByteSource;
  readonly channels: number;
  readonly bitsPerSample: 8 | 16 | 24 | 32;
  readonly sampleRate: number;
}

/** Options of the AAF timeline writer. */
export interface AafWriteOptions {
  /** Which application the file is shaped for (default `protools`). */
  readonly target?: AafTarget;
  /** Compound file sector size (default 512 for Pro Tools, 4096 for the others, as they write). */
  readonly sectorSize?: 512 | 4096;
  /**
   * Seed for MobIDs and generation AUIDs: the same timeline, options and seed give the same
   * bytes. Without it, MobIDs are random (`crypto.getRandomValues`).
   */
  readonly idSeed?: string;
  /** Creation and modification time stored in mobs and the header (default: now, UTC). */
  readonly timestamp?: AafDate;
  /** Media to embed, by `MediaSource.id`; other media is linked by its URL. */
  readonly embed?: ReadonlyMap<string, EmbeddedPcm>;
  /** Bits per sample of linked media when the timeline does not say (default 24). */
  readonly bitsPerSample?: number;
  /** Write markers (default: true except for `protools`, which does not import them from AAF). */
  readonly markers?: boolean;
  /**
   * Edit rate of the composition's audio slots. Default: the rate a timeline read from AAF had
   * (`metadata.aaf.editRate` of its audio tracks, when they agree), else the session sample rate
   * for `protools` and `resolve` (what their exports use) and the picture rate for `mediacomposer`.
   */
  readonly editRate?: Rational;
  /**
   * Pro Tools target: wrap clips without gain in a flat unity MonoAudioGain group too, as Pro
   * Tools' own exports do (aaf.md §8). Off by default: it adds four objects per clip, and the AAF
   * object model does not require it (whether Pro Tools needs it is untested here).
   */
  readonly unityGainGroups?: boolean;
}

/** The audio edit rate an AAF source stated for every audio track, when they agree. */
function sourceEditRate(timeline: Timeline): Rational | undefined {
  const rates = new Set<string>();
  for (const t of timeline.tracks) {
    if (t.kind !== 'audio') continue;
    const a = t.metadata.aaf;
    const r = a && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, unknown>).editRate : undefined;
    if (typeof r !== 'string') return undefined;
    rates.add(r);
  }
  if (rates.size !== 1) return undefined;
  const r = Rational.parse([...rates][0] as string);
  return r && r.sign() > 0 && r.num <= 0x7fffffffn && r.den <= 0x7fffffffn ? r : undefined;
}

// Identifiers (aaf.md §4, §5, §7).
const DD = {
  protools: { sound: '78e1ebe1-6cef-11d2-807d-006008143e6f', timecode: '7f275e81-77e5-11d2-807f-006008143e6f' },
  smpte: { sound: '01030202-0200-0000-060e-2b3404010101', timecode: '01030201-0100-0000-060e-2b3404010101' },
  descriptive: '01030201-1000-0000-060e-2b3404010101',
} as const;
const DATA_DEFS: readonly [string, string][] = [
  ['01030202-0200-0000-060e-2b3404010101', 'Sound'],
  ['78e1ebe1-6cef-11d2-807d-006008143e6f', 'Sound'],
  ['01030201-0100-0000-060e-2b3404010101', 'Timecode'],
  ['7f275e81-77e5-11d2-807f-006008143e6f', 'Timecode'],
  ['01030202-0100-0000-060e-2b3404010101', 'Picture'],
  ['6f3c8ce1-6cef-11d2-807d-006008143e6f', 'Picture'],
  ['01030201-1000-0000-060e-2b3404010101', 'Descriptive Metadata'],
];
const OP = {
  gain: '9d2ea894-0968-11d3-8a38-0050040ef7d2',
  pan: '9d2ea893-0968-11d3-8a38-0050040ef7d2',
  motion: '9d2ea890-0968-11d3-8a38-0050040ef7d2',
  dissolve: '0c3bea41-fc05-11d2-8a29-0050040ef7d2',
  combiner: '6b46dd7a-132d-4856-ab21-8b751d8462ec',
} as const;
const PARAM = {
  amplitude: 'e4962321-2267-11d3-8a4c-0050040ef7d2',
  level: 'e4962320-2267-11d3-8a4c-0050040ef7d2',
  pan: 'e4962322-2267-11d3-8a4c-0050040ef7d2',
  speedRatio: '72559a80-24d7-11d3-8a50-0050040ef7d2',
  speedOffsetMap: '8d56827d-847e-11d5-935a-50f857c10000',
} as const;
const INTERP = {
  linear: '5b6c85a4-0ede-11d3-80a9-006008143e6f',
  constant: '5b6c85a5-0ede-11d3-80a9-006008143e6f',
  power: 'c09153f7-bd18-4e5a-ad09-cbdd654fa001',
  log: '15829ec3-1f24-458a-960d-c65bb23c2aa1',
} as const;
const CONTAINER = { aaf: '4313b571-d8ba-11d2-809b-006008143e6f', external: '4313b572-d8ba-11d2-809b-006008143e6f', klv: '4b464141-000d-4d4f-060e-2b34010101ff' } as const;
const USAGE_TOP_LEVEL = '0d010102-0101-0700-060e-2b3404010101';
const OP_EDIT_PROTOCOL = '0d011201-0100-0000-060e-2b3404010105';
const EXT = {
  componentAttributes: '60958184-47b1-11d4-a01c-0004ac969f50',
  timelineMobAttributes: '107f8331-1914-4234-b2c4-5a3eb755b7ca',
  markerUser: 'c4c45d9a-0967-11d4-a08a-006094eb75cb',
  markerColour: 'e96e6d44-c383-11d3-a069-006094eb75cb',
} as const;
const ZERO_MOB = new Uint8Array(32);
/** Unity gain as Pro Tools and Media Composer write it (aaf.md §4). */
const UNITY = 1 << 29;
const PRODUCT_ID = '6d6f7364-6775-6574-2d64-756273746167';

/** A deterministic 16-byte material number from a seed and a label (FNV-1a, 4 × 32 bits). */
function seededBytes(seed: string, label: string): Uint8Array {
  const out = new Uint8Array(16);
  const text = `${seed}\u0000${label}`;
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x811c9dc5 ^ (lane * 0x9e3779b1)) >>> 0;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d) >>> 0;
    h ^= h >>> 12;
    out.set(u32(h), lane * 4);
  }
  // RFC 4122 version 4 / variant bits, so the AUID reads as a well-formed UUID.
  out[7] = ((out[7] as number) & 0x0f) | 0x40;
  out[8] = ((out[8] as number) & 0x3f) | 0x80;
  return out;
}

function randomBytes(): Uint8Array {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[7] = ((b[7] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  return b;
}

function nowUtc(): AafDate {
  const d = new Date();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), fraction: Math.floor(d.getUTCMilliseconds() / 10) };
}

/** Linear amplitude of a level in dB as an AAF Rational (unity 2^29/2^29 as Avid writes it). */
function amplitude(db: number): [number, number] {
  if (db === Number.NEGATIVE_INFINITY) return [0, UNITY];
  if (db === 0) return [UNITY, UNITY];
  const amp = 10 ** (db / 20);
  // Best rational approximation with a numerator that fits Int32 (amplitudes up to ~16 = +24 dB).
  const r = Rational.fromNumber(amp, 1 << 26);
  return [Number(r.num), Number(r.den)];
}

/** A file URL for a path (`/a b.wav` → `file:///a%20b.wav`, `C:\x` → `file:///C:/x`); URLs stay as they are. */
export function fileUrl(pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)) return pathOrUrl;
  let p = pathOrUrl.replace(/\\/g, '/');
  if (/^[a-zA-Z]:\//.test(p)) p = `/${p}`;
  return `file://${p.split('/').map((seg, i) => (i === 1 && /^[a-zA-Z]:$/.test(seg) ? seg : encodeURIComponent(seg))).join('/')}`;
}

/** The canonical 44-byte WAV header (RIFF, `fmt ` PCM, `data` chunk header) a WAVEDescriptor summarises. */
function waveSummary(channels: number, sampleRate: number, bits: number, frames: bigint): Uint8Array {
  const b = new Uint8Array(44);
  const dv = new DataView(b.buffer);
  const blockAlign = channels * Math.ceil(bits / 8);
  const dataBytes = Number(frames) * blockAlign;
  const ascii = (s: string, at: number) => { for (let i = 0; i < 4; i++) b[at + i] = s.charCodeAt(i); };
  ascii('RIFF', 0);
  dv.setUint32(4, Math.min(0xffffffff, 36 + dataBytes), true);
  ascii('WAVE', 8);
  ascii('fmt ', 12);
  dv.setUint32(16, 16, true);
  dv.setUint16(20, 1, true);
  dv.setUint16(22, channels, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * blockAlign, true);
  dv.setUint16(32, blockAlign, true);
  dv.setUint16(34, bits, true);
  ascii('data', 36);
  dv.setUint32(40, Math.min(0xffffffff, dataBytes), true);
  return b;
}

/** One channel of interleaved PCM as a byte source (Pro Tools wants mono media, aaf.md §9.5). */
function channelSource(pcm: EmbeddedPcm, channel: number): ByteSource {
  const bps = pcm.bitsPerSample / 8;
  const frameBytes = bps * pcm.channels;
  const total = pcm.data instanceof Uint8Array ? pcm.data.length : pcm.data.size;
  const frames = Math.floor(total / frameBytes);
  const pick = (inter: Uint8Array, out: Uint8Array) => {
    for (let f = 0, o = 0, i = channel * bps; o < out.length; f++, o += bps, i += frameBytes) out.set(inter.subarray(i, i + bps), o);
  };
  const span = (offset: number, length: number): [number, number] => {
    const start = Math.min(offset, frames * bps);
    return [start / bps, Math.min(frames * bps, offset + length) / bps];
  };
  const src = pcm.data;
  const readSync = (offset: number, length: number): Uint8Array => {
    const [f0, f1] = span(offset, length);
    const out = new Uint8Array((f1 - f0) * bps);
    const inter = src instanceof Uint8Array ? src.subarray(f0 * frameBytes, f1 * frameBytes) : (src.readSync as (o: number, n: number) => Uint8Array)(f0 * frameBytes, (f1 - f0) * frameBytes);
    pick(inter, out);
    return out;
  };
  return {
    size: frames * bps,
    async read(offset, length) {
      if (src instanceof Uint8Array || src.readSync) return readSync(offset, length);
      const [f0, f1] = span(offset, length);
      const out = new Uint8Array((f1 - f0) * bps);
      pick(await src.read(f0 * frameBytes, (f1 - f0) * frameBytes), out);
      return out;
    },
    ...(src instanceof Uint8Array || src.readSync ? { readSync } : {}),
  };
}

interface Built {
  readonly tree: AafObjectTree;
  readonly sectorSize: 512 | 4096;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Builds the AAF object tree of a timeline (what {@link writeTimeline} stores). Never throws on a
 * timeline it cannot represent exactly: each loss is a diagnostic.
 */
export function timelineToObjects(timeline: Timeline, options: AafWriteOptions = {}): Built {
  const target = options.target ?? 'protools';
  const pt = target === 'protools';
  const diags: Diagnostic[] = [];
  const note = new Map<string, number>();
  const lossy = (code: `aaf/${string}`, message: string, path?: string[]) => {
    // One diagnostic per code and place kind, counted, so a 10,000-clip timeline does not flood.
    const n = (note.get(code) ?? 0) + 1;
    note.set(code, n);
    if (n === 1) diags.push(warning(code, message, path ? { path } : {}));
  };
  const ts = options.timestamp ?? nowUtc();
  const seed = options.idSeed;
  let idCounter = 0;
  const newMaterial = (label: string) => (seed !== undefined ? seededBytes(seed, label) : randomBytes());
  const newMobId = (label: string) => mobIdBytes(newMaterial(`mob:${label}:${idCounter++}`));
  const dd = pt ? DD.protools : DD.smpte;
  const renames = new Map<string, string>(target === 'mediacomposer' ? [[EXT.markerUser, 'CommentMarkerUSer']] : [[EXT.markerUser, 'CommentMarkerUser']]);
  const meta = buildMetaDictionary(renames);
  const dyn = (auidText: string) => meta.dynamicPids.get(auidText) as number;

  const sampleRate = timeline.sampleRate;
  // Composition audio edit rate: as read from AAF, else the session sample rate (Pro Tools,
  // Resolve) or the picture rate (Media Composer).
  const editRate = options.editRate ?? sourceEditRate(timeline) ?? (target === 'mediacomposer' ? timeline.frameRate.rate : Rational.of(sampleRate));
  const rateBytes = (r: Rational) => rational(Number(r.num), Number(r.den));
  // Picture-rate compositions (Media Composer style) keep their mob chains at that rate too.
  const frameMode = editRate.lessThan(Rational.of(1000));
  const units = (t: RationalTime, what: string, path: string[]): bigint => {
    const exact = t.seconds.times(editRate);
    if (!exact.isInteger()) lossy('aaf/rounded-to-edit-unit', `${what} ${t.toString()} s is not a whole number of edit units at ${editRate.toString()}; rounded to the nearest (further roundings are counted in the summary)`, path);
    return exact.round('nearest');
  };
  /**
   * A SourceClip's StartTime (composition edit units) for an offset into a mob slot at `slotRate`.
   * Readers convert it down the chain with floor (aaf.md §2), so an offset between composition
   * units is still exact when some StartTime floors to it: the smallest such one is written.
   */
  const startUnits = (offset: RationalTime, slotRate: Rational, path: string[]): bigint => {
    const exact = offset.seconds.times(editRate);
    if (exact.isInteger()) return exact.round('floor');
    const target = offset.seconds.times(slotRate);
    if (target.isInteger()) {
      const u = target.times(editRate).dividedBy(slotRate).round('ceil');
      if (Rational.of(u).times(slotRate).dividedBy(editRate).round('floor') === target.round('floor')) return u;
    }
    return units(offset, 'source start of clip', path);
  };

  // Properties are immutable, so one object serves every place with the same value: a
  // 10,000-clip timeline repeats a few hundred distinct ones ~10^5 times (fewer objects to build
  // and to collect).
  const shared = new Map<string, Prop>();
  const once = (key: string, make: () => Prop): Prop => {
    let p = shared.get(key);
    if (!p) shared.set(key, (p = make()));
    return p;
  };
  const ddRef = (id: string) => once(`dd:${id}`, () => weak(0x0201, 'DataDefinition', TABLE.dataDefs, id));
  const lengths = new Map<bigint, Prop>();
  const len = (n: bigint) => {
    let p = lengths.get(n);
    if (!p) lengths.set(n, (p = data(0x0202, 'Length', i64(n))));
    return p;
  };
  const startTimes = new Map<bigint, Prop>();
  const startTime = (n: bigint) => {
    let p = startTimes.get(n);
    if (!p) startTimes.set(n, (p = data(0x1201, 'StartTime', i64(n))));
    return p;
  };
  const u32Prop = (pid: number, name: string, v: number) => once(`${pid}:${v}`, () => data(pid, name, u32(v)));
  const lastModified = data(0x4404, 'LastModified', timestamp(ts));
  const creationTime = data(0x4405, 'CreationTime', timestamp(ts));
  const origin0 = data(0x4b02, 'Origin', i64(0n));
  const editRateProp = (r: Rational) => once(`rate:${r.toString()}`, () => data(0x4b01, 'EditRate', rateBytes(r)));
  const weakDef = (pid: number, name: string, table: number, id: string) => once(`w:${pid}:${id}`, () => weak(pid, name, table, id));
  const filler = (n: bigint, dataDef: string = dd.sound) => obj(CLASS.Filler, 'Filler', [ddRef(dataDef), len(n)]);
  const tagged = (name: string, type: string, value: Uint8Array) => obj(CLASS.TaggedValue, 'TaggedValue', [data(0x5001, 'Name', utf16z(name)), data(0x5003, 'Value', indirect(type, value))]);

  // ---- media: file SourceMobs, tape mobs, EssenceData ----
  const mobs: AafObject[] = [];
  const essence: AafObject[] = [];
  const streams = new Map<AafProperty, Uint8Array | ByteSource>();
  interface MediaMobs { readonly fileMobs: readonly Uint8Array[]; readonly channels: number; readonly slotRate: Rational; readonly slotLength: bigint; readonly start: RationalTime; readonly name: string; masterSlots?: AafObject[] }
  const mediaMobs = new Map<string, MediaMobs>();
  const mediaById = new Map(timeline.media.map((m) => [m.id, m]));
  const usedLength = new Map<string, bigint>();
  const offGrid = new Set<string>(); // media some clip enters between edit units of the composition
  for (const t of timeline.tracks) {
    for (const c of t.clips) {
      if (!c.media) continue;
      const m = mediaById.get(c.media.mediaId);
      const played = c.speed && c.speed.sign() > 0 ? c.duration.scaledBy(c.speed) : c.duration;
      const end = c.sourceStart.minus(m?.start ?? RationalTime.ZERO).plus(played).toSamples(sampleRate, 'ceil');
      usedLength.set(c.media.mediaId, end > (usedLength.get(c.media.mediaId) ?? 0n) ? end : (usedLength.get(c.media.mediaId) ?? 0n));
      if (!c.sourceStart.minus(m?.start ?? RationalTime.ZERO).seconds.times(editRate).isInteger()) offGrid.add(c.media.mediaId);
    }
  }
  const bitsDefault = options.bitsPerSample ?? timeline.bitDepth ?? 24;

  const mediaFor = (m: MediaSource): MediaMobs => {
    const have = mediaMobs.get(m.id);
    if (have) return have;
    const path = [`media[${m.id}]`];
    const rate = m.sampleRate ?? sampleRate;
    if (rate !== sampleRate) lossy('aaf/media-rate-differs', `media "${m.name}" runs at ${rate} Hz, the session at ${sampleRate} Hz; its slots are written at its own rate`, path);
    const embedded = options.embed?.get(m.id);
    const channels = Math.max(1, embedded?.channels ?? m.channels ?? 1);
    const start = m.start ?? RationalTime.ZERO;
    const lengthSamples = m.duration ? m.duration.toSamples(rate, 'ceil') : (usedLength.get(m.id) ?? 0n);
    // Mob slots run at the media's sample rate, or at the picture rate when the composition does
    // (Media Composer keeps the whole chain at the project rate, so frame offsets stay exact).
    const slotRate = frameMode && !offGrid.has(m.id) ? editRate : Rational.of(rate);
    const frameSlots = slotRate === editRate;
    const slotLength = frameSlots ? Rational.of(lengthSamples, rate).times(editRate).round('ceil') : lengthSamples;
    if (!m.duration) diags.push(diagnostic('info', 'aaf/media-length-assumed', `media "${m.name}" states no length; the length its clips use (${lengthSamples} samples) is written`, { path }));
    if (m.embedded && !embedded) lossy('aaf/embedded-media-linked', `media "${m.name}" was embedded but no audio was supplied for it (options.embed); it is written as a link`, path);
    if (!embedded && channels > 1 && pt) lossy('aaf/multichannel-link', `media "${m.name}" has ${channels} channels: Pro Tools does not follow links to multichannel files (aaf.md §9.5); split it to mono files`, path);
    // Tape mob: carries the source timecode of the file's first sample (MediaSource.start).
    let tape: { id: Uint8Array; startUnits: bigint } | undefined;
    if (!start.isZero()) {
      const id = newMobId(`tape:${m.id}`);
      const fr = timeline.frameRate;
      // The source timecode goes in the tape's Timecode slot when it is a whole frame (Avid
      // practice); otherwise the file starts that many samples into the tape.
      const onFrames = start.isOnFrameGrid(fr.rate);
      const tcStart = onFrames ? start.toFrames(fr.rate, 'floor') : 0n;
      const startUnits = onFrames ? 0n : start.seconds.times(slotRate).round('nearest');
      if (!onFrames && !start.seconds.times(slotRate).isInteger()) lossy('aaf/rounded-to-edit-unit', `media "${m.name}" starts between edit units of ${slotRate.toString()}; rounded to the nearest`, path);
      mobs.push(obj(CLASS.SourceMob, 'SourceMob', [
        data(0x4401, 'MobID', id),
        data(0x4402, 'Name', utf16z(m.name)),
        strongVector(0x4403, 'Slots', [
          obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
            data(0x4801, 'SlotID', u32(1)), data(0x4802, 'SlotName', utf16z('A1')), data(0x4804, 'PhysicalTrackNumber', u32(1)),
            data(0x4b01, 'EditRate', rateBytes(slotRate)), data(0x4b02, 'Origin', i64(0n)),
            strong(0x4803, 'Segment', obj(CLASS.SourceClip, 'SourceClip', [ddRef(dd.sound), len(startUnits + slotLength), data(0x1101, 'SourceID', ZERO_MOB), data(0x1102, 'SourceMobSlotID', u32(0)), data(0x1201, 'StartTime', i64(0n))])),
          ]),
          obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
            data(0x4801, 'SlotID', u32(2)), data(0x4802, 'SlotName', utf16z('Timecode')),
            data(0x4b01, 'EditRate', rateBytes(fr.rate)), data(0x4b02, 'Origin', i64(0n)),
            strong(0x4803, 'Segment', obj(CLASS.Timecode, 'Timecode', [ddRef(dd.timecode), len(BigInt(fr.framesPerDay)), data(0x1501, 'Start', i64(tcStart)), data(0x1502, 'FPS', u16(fr.nominalFps)), data(0x1503, 'Drop', u8(fr.dropFrame ? 1 : 0))])),
          ]),
        ]),
        data(0x4404, 'LastModified', timestamp(ts)),
        data(0x4405, 'CreationTime', timestamp(ts)),
        strong(0x4701, 'EssenceDescription', obj(CLASS.TapeDescriptor, 'TapeDescriptor', [])),
      ]));
      tape = { id, startUnits };
    }
    // File mobs: one per channel when embedding for Avid targets (mono media), else one.
    const split = embedded !== undefined && channels > 1 && target !== 'resolve';
    if (split) diags.push(diagnostic('info', 'aaf/split-to-mono', `embedded media "${m.name}" is split into ${channels} mono files, as Avid applications keep media (aaf.md §5)`, { path }));
    const fileMobs: Uint8Array[] = [];
    for (let k = 0; k < (split ? channels : 1); k++) {
      const id = !split && mobIdFromText(m.id) ? (mobIdFromText(m.id) as Uint8Array) : newMobId(`file:${m.id}:${k}`);
      const fileChannels = split ? 1 : channels;
      const props: Prop[] = [
        data(0x3001, 'SampleRate', rational(rate, 1)),
        data(0x3002, 'Length', i64(lengthSamples)),
      ];
      let descriptor: AafObject;
      if (embedded) {
        const bits = embedded.bitsPerSample;
        const blockAlign = fileChannels * (bits / 8);
        descriptor = obj(CLASS.PCMDescriptor, 'PCMDescriptor', [
          ...props,
          weak(0x3004, 'ContainerFormat', TABLE.containers, CONTAINER.klv),
          data(0x3d03, 'AudioSamplingRate', rational(rate, 1)),
          data(0x3d07, 'Channels', u32(fileChannels)),
          data(0x3d01, 'QuantizationBits', u32(bits)),
          data(0x3d0a, 'BlockAlign', u16(blockAlign)),
          data(0x3d09, 'AverageBPS', u32(rate * blockAlign)),
        ]);
        const dataProp = stream(0x2702, 'Data');
        streams.set(dataProp, split ? channelSource(embedded, k) : embedded.data);
        essence.push(obj(CLASS.EssenceData, 'EssenceData', [data(0x2701, 'MobID', id), dataProp]));
      } else {
        descriptor = obj(CLASS.WAVEDescriptor, 'WAVEDescriptor', [
          ...props,
          weak(0x3004, 'ContainerFormat', TABLE.containers, CONTAINER.aaf),
          data(0x3801, 'Summary', waveSummary(fileChannels, rate, bitsDefault, lengthSamples)),
          ...(m.url ? [strongVector(0x2f01, 'Locator', [obj(CLASS.NetworkLocator, 'NetworkLocator', [data(0x4001, 'URLString', utf16z(fileUrl(m.url)))])])] : []),
        ]);
        if (!m.url) lossy('aaf/media-without-url', `media "${m.name}" has no URL or path: written without a locator, importers will ask for it`, path);
      }
      mobs.push(obj(CLASS.SourceMob, 'SourceMob', [
        data(0x4401, 'MobID', id),
        data(0x4402, 'Name', utf16z(split ? `${m.name}.${k + 1}` : m.name)),
        strongVector(0x4403, 'Slots', [obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
          data(0x4801, 'SlotID', u32(1)), data(0x4802, 'SlotName', utf16z('')),
          data(0x4b01, 'EditRate', rateBytes(slotRate)), data(0x4b02, 'Origin', i64(0n)),
          strong(0x4803, 'Segment', obj(CLASS.SourceClip, 'SourceClip', [
            ddRef(dd.sound), len(slotLength),
            data(0x1101, 'SourceID', tape ? tape.id : ZERO_MOB), data(0x1102, 'SourceMobSlotID', u32(tape ? 1 : 0)), data(0x1201, 'StartTime', i64(tape ? tape.startUnits : 0n)),
          ])),
        ])]),
        data(0x4404, 'LastModified', timestamp(ts)),
        data(0x4405, 'CreationTime', timestamp(ts)),
        strong(0x4701, 'EssenceDescription', descriptor),
      ]));
      fileMobs.push(id);
    }
    const built: MediaMobs = { fileMobs, channels, slotRate, slotLength, start, name: m.name };
    mediaMobs.set(m.id, built);
    return built;
  };

  // MasterMobs: one per media and clip name (the MasterMob name is the clip name, aaf.md §8).
  const masters = new Map<string, Uint8Array>();
  const masterFor = (m: MediaSource, clipName: string): Uint8Array => {
    const key = `${m.id}\u0000${clipName}`;
    const have = masters.get(key);
    if (have) return have;
    const mm = mediaFor(m);
    const id = newMobId(`master:${key}`);
    // The slots of every MasterMob of one media are the same: built once per media.
    const slots = mm.masterSlots ??= Array.from({ length: mm.channels }, (_, k) => obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
      u32Prop(0x4801, 'SlotID', k + 1), data(0x4802, 'SlotName', utf16z(m.name)), u32Prop(0x4804, 'PhysicalTrackNumber', k + 1),
      editRateProp(mm.slotRate), origin0,
      strong(0x4803, 'Segment', obj(CLASS.SourceClip, 'SourceClip', [
        ddRef(dd.sound), len(mm.slotLength),
        data(0x1101, 'SourceID', (mm.fileMobs[k] ?? mm.fileMobs[0]) as Uint8Array), u32Prop(0x1102, 'SourceMobSlotID', 1), startTime(0n),
      ])),
    ]));
    mobs.push(obj(CLASS.MasterMob, 'MasterMob', [
      data(0x4401, 'MobID', id),
      data(0x4402, 'Name', utf16z(clipName)),
      once('masterSlots:' + m.id, () => strongVector(0x4403, 'Slots', slots)),
      lastModified,
      creationTime,
    ]));
    masters.set(key, id);
    return id;
  };

  // ---- gain ----
  const amplitudeValue = (db: number) => indirect(TYPE.Rational, rational(...amplitude(db)));
  const gainGroup = (inner: AafObject, n: bigint, param: AafObject) => obj(CLASS.OperationGroup, 'OperationGroup', [
    ddRef(dd.sound), len(n),
    weakDef(0x0b01, 'Operation', TABLE.operations, OP.gain),
    strongVector(0x0b02, 'InputSegments', [inner]),
    strongSet(0x0b03, 'Parameters', [param], 0x4c01),
  ]);
  const controlPoints = new Map<string, AafObject>();
  const controlPoint = (time: Rational, db: number): AafObject => {
    const key = `${time.toString()}@${db}`;
    let cp = controlPoints.get(key);
    if (!cp) {
      controlPoints.set(key, (cp = obj(CLASS.ControlPoint, 'ControlPoint', [
        data(0x1a02, 'Value', amplitudeValue(db)),
        data(0x1a03, 'Time', rational(Number(time.num), Number(time.den))),
      ])));
    }
    return cp;
  };
  const curve = (points: readonly { time: Rational; db: number }[], interpolation: string, definition: string) => obj(CLASS.VaryingValue, 'VaryingValue', [
    once(`def:${definition}`, () => data(0x4c01, 'Definition', auid(definition))),
    weakDef(0x4e01, 'Interpolation', TABLE.interpolations, interpolation),
    strongVector(0x4e02, 'PointList', points.map((p) => controlPoint(p.time, p.db))),
  ]);
  const fitsInt32 = (r: Rational) => r.num >= -0x80000000n && r.num <= 0x7fffffffn && r.den <= 0x7fffffffn;

  const used = { motion: false, pan: false, constant: false };
  /** A rational that fits an AAF Rational (Int32 numerator and denominator), else its nearest. */
  const int32Rational = (r: Rational, what: string, path: string[]): Rational => {
    if (fitsInt32(r)) return r;
    lossy('aaf/rational-approximated', `${what} ${r.toString()} does not fit an AAF Rational (32-bit); written as the nearest that does`, path);
    return Rational.fromNumber(r.toNumber(), 1 << 24);
  };
  const rationalBytes = (r: Rational) => rational(Number(r.num), Number(r.den));
  const constantValue = (definition: string, value: Uint8Array) => obj(CLASS.ConstantValue, 'ConstantValue', [
    once(`def:${definition}`, () => data(0x4c01, 'Definition', auid(definition))),
    data(0x4d01, 'Value', value),
  ]);
  /**
   * Motion Control as Media Composer writes it (otio-aaf-adapter's time_warp_test.avid_media_composer.aaf):
   * VideoSpeedControl OperationGroup of the timeline length, SpeedRatio = output/input length
   * (1 / speed), and PARAM_SPEED_OFFSET_MAP_U, a linear map from group time to source offset
   * (both in edit units) whose slope is the speed; the input holds the source length.
   */
  const motionControl = (inner: AafObject, n: bigint, speed: Rational, dataDef: string, name: string, path: string[]): AafObject => {
    used.motion = true;
    const ratio = int32Rational(Rational.ONE.dividedBy(speed), `speed ratio of clip "${name}"`, path);
    const end = Rational.of(n).times(speed);
    const params: AafObject[] = [constantValue(PARAM.speedRatio, indirect(TYPE.Rational, rationalBytes(ratio)))];
    if (fitsInt32(end) && n <= 0x7fffffffn) {
      params.push(obj(CLASS.VaryingValue, 'VaryingValue', [
        once(`def:${PARAM.speedOffsetMap}`, () => data(0x4c01, 'Definition', auid(PARAM.speedOffsetMap))),
        weakDef(0x4e01, 'Interpolation', TABLE.interpolations, INTERP.linear),
        strongVector(0x4e02, 'PointList', [
          obj(CLASS.ControlPoint, 'ControlPoint', [data(0x1a02, 'Value', indirect(TYPE.Rational, rational(0, 1))), data(0x1a03, 'Time', rational(0, 1))]),
          obj(CLASS.ControlPoint, 'ControlPoint', [data(0x1a02, 'Value', indirect(TYPE.Rational, rationalBytes(end))), data(0x1a03, 'Time', rational(Number(n), 1))]),
        ]),
      ]));
    }
    return obj(CLASS.OperationGroup, 'OperationGroup', [
      ddRef(dataDef), len(n),
      weakDef(0x0b01, 'Operation', TABLE.operations, OP.motion),
      strongVector(0x0b02, 'InputSegments', [inner]),
      strongSet(0x0b03, 'Parameters', params, 0x4c01),
    ]);
  };

  /**
   * Track automation (volume in dB, pan −1…+1) as OperationGroups wrapping the track's Sequence
   * (aaf.md §4: a group that is the slot's segment applies to the whole track), one per lane,
   * the first lane outermost. ControlPoint times are exact fractions of the group length.
   */
  const trackAutomation = (track: Track, body: AafObject, length: bigint, tpath: string[]): AafObject => {
    let node = body;
    const lanes = [...(track.automation ?? [])];
    for (let li = lanes.length - 1; li >= 0; li--) {
      const lane = lanes[li] as NonNullable<Track['automation']>[number];
      const path = [...tpath, `automation[${li}]`];
      const isPan = lane.parameter === 'pan';
      if (!isPan && lane.parameter !== 'volume') {
        lossy('aaf/automation-dropped', `track "${track.name}" automates "${lane.parameter}"; AAF track automation is written for volume and pan only`, path);
        continue;
      }
      if (lane.points.length === 0) continue;
      const constant = lane.interpolation === 'constant';
      if (constant) used.constant = true;
      if (isPan) used.pan = true;
      const points = lane.points.map((p, pi) => {
        const at = p.time.seconds.times(editRate);
        const time = length === 0n ? Rational.ZERO : int32Rational(at.dividedBy(Rational.of(length)), `time of automation point ${pi}`, path);
        const value = isPan ? Rational.fromNumber((Math.min(1, Math.max(-1, p.value)) + 1) / 2, 1 << 24) : Rational.of(...amplitude(p.value));
        return obj(CLASS.ControlPoint, 'ControlPoint', [
          data(0x1a02, 'Value', indirect(TYPE.Rational, rationalBytes(value))),
          data(0x1a03, 'Time', rationalBytes(time)),
        ]);
      });
      const definition = isPan ? PARAM.pan : PARAM.amplitude;
      // A setting that holds from the start (one point at 0) is a ConstantValue, as fixed levels
      // are written (LibAAF shows it as a value, not as automation).
      const only = lane.points.length === 1 ? lane.points[0] : undefined;
      const fixed = only !== undefined && only.time.isZero() && !constant;
      node = obj(CLASS.OperationGroup, 'OperationGroup', [
        ddRef(dd.sound), len(length),
        weakDef(0x0b01, 'Operation', TABLE.operations, isPan ? OP.pan : OP.gain),
        strongVector(0x0b02, 'InputSegments', [node]),
        strongSet(0x0b03, 'Parameters', [fixed
          ? constantValue(definition, (points[0] as AafObject).properties[0]?.bytes as Uint8Array)
          : obj(CLASS.VaryingValue, 'VaryingValue', [
            once(`def:${definition}`, () => data(0x4c01, 'Definition', auid(definition))),
            weakDef(0x4e01, 'Interpolation', TABLE.interpolations, constant ? INTERP.constant : INTERP.linear),
            strongVector(0x4e02, 'PointList', points),
          ])], 0x4c01),
      ]);
    }
    return node;
  };

  /**
   * A muted clip: a Selector playing a Filler, the clip as its alternate (aaf.md §4). Media
   * Composer marks it `_DISABLE_CLIP_FLAG` 1 / `_AAF_SELECTED` 0 (libaaf__MC_Clip_Mute.aaf), and
   * LibAAF reads the alternate as a muted clip only with that flag.
   */
  const mutedSelector = (node: AafObject, n: bigint, dataDef: string): AafObject => obj(CLASS.Selector, 'Selector', [
    ddRef(dataDef),
    len(n),
    strongVector(dyn(EXT.componentAttributes), 'ComponentAttributeList', [tagged('_DISABLE_CLIP_FLAG', TYPE.Int32, i32(1)), tagged('_AAF_SELECTED', TYPE.Int32, i32(0))]),
    strong(0x0f01, 'Selected', filler(n, dataDef)),
    strongVector(0x0f02, 'Alternates', [node]),
  ]);

  /** The clip as a component: SourceClip(s), wrapped for channels, gain, automation, mute. */
  const clipComponent = (c: Clip, n: bigint, trackChannels: number, path: string[]): AafObject => {
    const m = c.media ? mediaById.get(c.media.mediaId) : undefined;
    if (c.media && !m) lossy('aaf/missing-media', `clip "${c.name}" names media "${c.media.mediaId}", which the timeline does not list; written without media`, path);
    // Speed: a Motion Control group of the clip's timeline length around a SourceClip of the
    // source length it plays (Media Composer's layout). Freeze frames and reverse play are not
    // written: they need Avid's speed maps.
    let speed = c.speed && !c.speed.equals(Rational.ONE) ? c.speed : undefined;
    if (speed && speed.sign() <= 0) {
      lossy('aaf/speed-dropped', `clip "${c.name}" plays at speed ${speed.toString()} (freeze or reverse); written at normal speed`, path);
      speed = undefined;
    }
    const sourceN = speed ? Rational.of(n).times(speed).round('ceil') : n;
    let node: AafObject;
    if (m) {
      const master = masterFor(m, c.name);
      const mm = mediaMobs.get(m.id) as MediaMobs;
      const start = startUnits(c.sourceStart.minus(mm.start), mm.slotRate, path);
      const sourceId = data(0x1101, 'SourceID', master);
      const sc = (slot: number) => obj(CLASS.SourceClip, 'SourceClip', [
        ddRef(dd.sound), len(sourceN),
        sourceId, u32Prop(0x1102, 'SourceMobSlotID', slot), startTime(start),
      ]);
      if (trackChannels > 1 && mm.channels >= trackChannels) {
        node = obj(CLASS.OperationGroup, 'OperationGroup', [
          ddRef(dd.sound), len(sourceN),
          weak(0x0b01, 'Operation', TABLE.operations, OP.combiner),
          strongVector(0x0b02, 'InputSegments', Array.from({ length: trackChannels }, (_, k) => sc(k + 1))),
        ]);
      } else node = sc(c.media?.channel ?? 1);
    } else {
      if (c.name !== '') lossy('aaf/clip-name-dropped', `clip "${c.name}" has no media: its name cannot be stored (the name comes from the MasterMob)`, path);
      node = obj(CLASS.SourceClip, 'SourceClip', [ddRef(dd.sound), len(sourceN), data(0x1101, 'SourceID', ZERO_MOB), data(0x1102, 'SourceMobSlotID', u32(0)), data(0x1201, 'StartTime', i64(units(c.sourceStart, 'source start of clip', path)))]);
    }
    if (speed) node = motionControl(node, n, speed, dd.sound, c.name, path);
    const auto = c.gainAutomation ?? [];
    if (auto.length > 0) {
      const d = units(c.duration, 'clip duration', path);
      const pts = auto.map((p) => {
        const u = units(p.time, 'automation point', path);
        let time = d === 0n ? Rational.ZERO : Rational.of(u, d);
        if (!fitsInt32(time)) time = Rational.fromNumber(time.toNumber(), 1 << 24);
        return { time, db: p.gainDb };
      });
      node = gainGroup(node, n, curve(pts, INTERP.linear, PARAM.amplitude));
    }
    const gain = c.gainDb ?? 0;
    if (gain !== 0) {
      node = gainGroup(node, n, pt
        ? curve([{ time: Rational.ZERO, db: gain }, { time: Rational.ONE, db: gain }], INTERP.linear, PARAM.amplitude)
        : obj(CLASS.ConstantValue, 'ConstantValue', [data(0x4c01, 'Definition', auid(PARAM.amplitude)), data(0x4d01, 'Value', amplitudeValue(gain))]));
    } else if (pt && auto.length === 0 && options.unityGainGroups === true) {
      // Pro Tools wraps every clip in a gain group with a flat unity curve (aaf.md §8).
      node = gainGroup(node, n, curve([{ time: Rational.ZERO, db: 0 }, { time: Rational.ONE, db: 0 }], INTERP.linear, PARAM.amplitude));
    }
    if (c.muted) node = mutedSelector(node, n, dd.sound);
    return node;
  };

  const shapeInterpolation = (shape: FadeShape, path: string[]): string => {
    if (shape === 'equal-power') return INTERP.power;
    if (shape === 'logarithmic') return INTERP.log;
    if (shape !== 'linear') lossy('aaf/fade-shape', `fade shape "${shape}" has no AAF interpolation; written linear`, path);
    return INTERP.linear;
  };
  // A dissolve's level ramp (0 → 1) is the same for every transition of one shape.
  const levelRamps = new Map<string, Prop>();
  const levelRamp = (interpolation: string): Prop => {
    let p = levelRamps.get(interpolation);
    if (!p) {
      levelRamps.set(interpolation, (p = strongSet(0x0b03, 'Parameters', [obj(CLASS.VaryingValue, 'VaryingValue', [
        data(0x4c01, 'Definition', auid(PARAM.level)),
        weakDef(0x4e01, 'Interpolation', TABLE.interpolations, interpolation),
        strongVector(0x4e02, 'PointList', [
          obj(CLASS.ControlPoint, 'ControlPoint', [data(0x1a02, 'Value', indirect(TYPE.Rational, rational(0, 1))), data(0x1a03, 'Time', rational(0, 1))]),
          obj(CLASS.ControlPoint, 'ControlPoint', [data(0x1a02, 'Value', indirect(TYPE.Rational, rational(1, 1))), data(0x1a03, 'Time', rational(1, 1))]),
        ]),
      ])], 0x4c01)));
    }
    return p;
  };
  const transition = (n: bigint, shape: FadeShape, cut: bigint, path: string[]) => obj(CLASS.Transition, 'Transition', [
    ddRef(dd.sound), len(n),
    strong(0x1801, 'OperationGroup', obj(CLASS.OperationGroup, 'OperationGroup', [
      ddRef(dd.sound), len(n),
      weakDef(0x0b01, 'Operation', TABLE.operations, OP.dissolve),
      levelRamp(shapeInterpolation(shape, path)),
    ])),
    data(0x1802, 'CutPoint', i64(cut)),
  ]);

  // ---- picture: video tracks (Media Composer, Resolve targets) ----
  // A picture track is a TimelineMobSlot at the picture rate whose Sequence has the Picture data
  // definition; its clips play MasterMobs → file SourceMobs with a CDCIDescriptor and a
  // NetworkLocator (aaf.md §3, §8: Media Composer compositions carry a picture slot).
  const picture = pt ? '6f3c8ce1-6cef-11d2-807d-006008143e6f' : '01030202-0100-0000-060e-2b3404010101';
  const frameRate = timeline.frameRate.rate;
  const frames = (t: RationalTime, what: string, path: string[]): bigint => {
    const exact = t.seconds.times(frameRate);
    if (!exact.isInteger()) lossy('aaf/rounded-to-frame', `${what} ${t.toString()} s is not a whole frame at ${frameRate.toString()}; rounded to the nearest`, path);
    return exact.round('nearest');
  };
  const videoFiles = new Map<string, { id: Uint8Array; length: bigint; start: RationalTime }>();
  const videoLength = new Map<string, bigint>();
  for (const t of timeline.tracks) {
    if (t.kind !== 'video') continue;
    for (const c of t.clips) {
      if (!c.media) continue;
      const m = mediaById.get(c.media.mediaId);
      const played = c.speed && c.speed.sign() > 0 ? c.duration.scaledBy(c.speed) : c.duration;
      const end = c.sourceStart.minus(m?.start ?? RationalTime.ZERO).plus(played).seconds.times(frameRate).round('ceil');
      if (end > (videoLength.get(c.media.mediaId) ?? 0n)) videoLength.set(c.media.mediaId, end);
    }
  }
  const videoFileFor = (m: MediaSource): { id: Uint8Array; length: bigint; start: RationalTime } => {
    const have = videoFiles.get(m.id);
    if (have) return have;
    const path = [`media[${m.id}]`];
    const length = m.duration ? m.duration.seconds.times(frameRate).round('ceil') : (videoLength.get(m.id) ?? 0n);
    const start = m.start ?? RationalTime.ZERO;
    let tape: Uint8Array | undefined;
    if (!start.isZero()) {
      tape = newMobId(`tape:${m.id}:picture`);
      const fr = timeline.frameRate;
      mobs.push(obj(CLASS.SourceMob, 'SourceMob', [
        data(0x4401, 'MobID', tape),
        data(0x4402, 'Name', utf16z(m.name)),
        strongVector(0x4403, 'Slots', [
          obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
            u32Prop(0x4801, 'SlotID', 1), data(0x4802, 'SlotName', utf16z('V1')), u32Prop(0x4804, 'PhysicalTrackNumber', 1),
            editRateProp(frameRate), origin0,
            strong(0x4803, 'Segment', obj(CLASS.SourceClip, 'SourceClip', [ddRef(picture), len(length), data(0x1101, 'SourceID', ZERO_MOB), u32Prop(0x1102, 'SourceMobSlotID', 0), startTime(0n)])),
          ]),
          obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
            u32Prop(0x4801, 'SlotID', 2), data(0x4802, 'SlotName', utf16z('Timecode')),
            editRateProp(frameRate), origin0,
            strong(0x4803, 'Segment', obj(CLASS.Timecode, 'Timecode', [ddRef(dd.timecode), len(BigInt(fr.framesPerDay)), data(0x1501, 'Start', i64(frames(start, 'source start', path))), data(0x1502, 'FPS', u16(fr.nominalFps)), data(0x1503, 'Drop', u8(fr.dropFrame ? 1 : 0))])),
          ]),
        ]),
        lastModified, creationTime,
        strong(0x4701, 'EssenceDescription', obj(CLASS.TapeDescriptor, 'TapeDescriptor', [])),
      ]));
    }
    // The model keeps no picture geometry: HD 4:2:2 8-bit is written (the descriptor's
    // required fields), which importers replace when they link the file.
    const size = (k: string, d: number) => { const v = m.metadata[k]; return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : d; };
    const width = size('width', 1920);
    const height = size('height', 1080);
    if (m.metadata.width === undefined || m.metadata.height === undefined) {
      lossy('aaf/picture-size-assumed', `media "${m.name}" states no picture size (metadata width/height); its descriptor says ${width}×${height}`, path);
    }
    const lineMap = new Uint8Array(8);
    lineMap.set(u32(42), 0); // first active line of a 1080-line frame (SMPTE 274M), as Avid writes it
    const id = mobIdFromText(m.id) ?? newMobId(`file:${m.id}:picture`);
    mobs.push(obj(CLASS.SourceMob, 'SourceMob', [
      data(0x4401, 'MobID', id),
      data(0x4402, 'Name', utf16z(m.name)),
      strongVector(0x4403, 'Slots', [obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
        u32Prop(0x4801, 'SlotID', 1), data(0x4802, 'SlotName', utf16z('')),
        editRateProp(frameRate), origin0,
        strong(0x4803, 'Segment', obj(CLASS.SourceClip, 'SourceClip', [
          ddRef(picture), len(length),
          data(0x1101, 'SourceID', tape ?? ZERO_MOB), u32Prop(0x1102, 'SourceMobSlotID', tape ? 1 : 0), startTime(0n),
        ])),
      ])]),
      lastModified, creationTime,
      strong(0x4701, 'EssenceDescription', obj(CLASS.CDCIDescriptor, 'CDCIDescriptor', [
        data(0x3001, 'SampleRate', rateBytes(frameRate)),
        data(0x3002, 'Length', i64(length)),
        weak(0x3004, 'ContainerFormat', TABLE.containers, CONTAINER.aaf),
        data(0x3202, 'StoredHeight', u32(height)),
        data(0x3203, 'StoredWidth', u32(width)),
        data(0x320c, 'FrameLayout', u8(0)),
        data(0x320d, 'VideoLineMap', lineMap),
        data(0x320e, 'ImageAspectRatio', rational(width, height)),
        data(0x3301, 'ComponentWidth', u32(8)),
        data(0x3302, 'HorizontalSubsampling', u32(2)),
        ...(m.url ? [strongVector(0x2f01, 'Locator', [obj(CLASS.NetworkLocator, 'NetworkLocator', [data(0x4001, 'URLString', utf16z(fileUrl(m.url)))])])] : []),
      ])),
    ]));
    if (!m.url) lossy('aaf/media-without-url', `media "${m.name}" has no URL or path: written without a locator, importers will ask for it`, path);
    const built = { id, length, start };
    videoFiles.set(m.id, built);
    return built;
  };
  const videoMasters = new Map<string, Uint8Array>();
  const videoMasterFor = (m: MediaSource, clipName: string): { master: Uint8Array; start: RationalTime } => {
    const file = videoFileFor(m);
    const key = `${m.id}\u0000${clipName}`;
    let id = videoMasters.get(key);
    if (!id) {
      id = newMobId(`master:picture:${key}`);
      mobs.push(obj(CLASS.MasterMob, 'MasterMob', [
        data(0x4401, 'MobID', id),
        data(0x4402, 'Name', utf16z(clipName)),
        strongVector(0x4403, 'Slots', [obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
          u32Prop(0x4801, 'SlotID', 1), data(0x4802, 'SlotName', utf16z(m.name)), u32Prop(0x4804, 'PhysicalTrackNumber', 1),
          editRateProp(frameRate), origin0,
          strong(0x4803, 'Segment', obj(CLASS.SourceClip, 'SourceClip', [ddRef(picture), len(file.length), data(0x1101, 'SourceID', file.id), u32Prop(0x1102, 'SourceMobSlotID', 1), startTime(0n)])),
        ])]),
        lastModified, creationTime,
      ]));
      videoMasters.set(key, id);
    }
    return { master: id, start: file.start };
  };
  const videoSlot = (track: Track, slotId: number, physicalNumber: number, tpath: string[]): { slot: AafObject; length: bigint } => {
    if (track.transitions.length > 0) lossy('aaf/video-transition-dropped', `track "${track.name}": picture transitions are not written (the picture editor's AAF carries them)`, tpath);
    const clips = [...track.clips].sort((a, b) => a.start.compare(b.start));
    const comps: AafObject[] = [];
    let cursor = 0n;
    clips.forEach((c, ci) => {
      const path = [...tpath, `clip[${ci}]`];
      const s = frames(c.start, 'clip start', path);
      const n = frames(c.start.plus(c.duration), 'clip end', path) - s;
      if (n <= 0n || s < cursor) {
        lossy('aaf/overlapping-clips', `clip "${c.name}" is empty or overlaps the previous picture clip; not written`, path);
        return;
      }
      if (c.fadeIn || c.fadeOut || c.gainDb || c.gainAutomation) lossy('aaf/video-clip-effects-dropped', `picture clip "${c.name}": fades and gain are not written on picture`, path);
      if (s > cursor) comps.push(filler(s - cursor, picture));
      let speed = c.speed && !c.speed.equals(Rational.ONE) ? c.speed : undefined;
      if (speed && speed.sign() <= 0) {
        lossy('aaf/speed-dropped', `clip "${c.name}" plays at speed ${speed.toString()} (freeze or reverse); written at normal speed`, path);
        speed = undefined;
      }
      const sourceN = speed ? Rational.of(n).times(speed).round('ceil') : n;
      const m = c.media ? mediaById.get(c.media.mediaId) : undefined;
      if (c.media && !m) lossy('aaf/missing-media', `clip "${c.name}" names media "${c.media.mediaId}", which the timeline does not list; written without media`, path);
      let node: AafObject;
      if (m) {
        const { master, start } = videoMasterFor(m, c.name);
        node = obj(CLASS.SourceClip, 'SourceClip', [ddRef(picture), len(sourceN), data(0x1101, 'SourceID', master), u32Prop(0x1102, 'SourceMobSlotID', 1), startTime(frames(c.sourceStart.minus(start), 'source start of clip', path))]);
      } else {
        node = obj(CLASS.SourceClip, 'SourceClip', [ddRef(picture), len(sourceN), data(0x1101, 'SourceID', ZERO_MOB), u32Prop(0x1102, 'SourceMobSlotID', 0), startTime(frames(c.sourceStart, 'source start of clip', path))]);
      }
      if (speed) node = motionControl(node, n, speed, picture, c.name, path);
      if (c.muted) node = mutedSelector(node, n, picture);
      comps.push(node);
      cursor = s + n;
    });
    const slot = obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
      data(0x4801, 'SlotID', u32(slotId)),
      data(0x4802, 'SlotName', utf16z(track.name)),
      data(0x4804, 'PhysicalTrackNumber', u32(physicalNumber)),
      editRateProp(frameRate), origin0,
      strong(0x4803, 'Segment', obj(CLASS.Sequence, 'Sequence', [ddRef(picture), len(cursor), strongVector(0x1001, 'Components', comps)])),
    ]);
    return { slot, length: cursor };
  };

  // ---- tracks → slots ----
  const tcSlotId = pt ? 1002 : 1;
  let nextSlot = pt ? 3 : 2;
  let physical = 0;
  let videoPhysical = 0;
  const slots: AafObject[] = [];
  const slotOfTrack = new Map<string, number>();
  let compLength = 0n;
  timeline.tracks.forEach((track: Track, ti) => {
    const tpath = [`track[${ti}]`];
    if (track.kind !== 'audio') {
      if (pt) {
        lossy('aaf/video-track-dropped', `video track "${track.name}" is not written: the Pro Tools target writes audio (Pro Tools takes picture from a video file)`, tpath);
        return;
      }
      const slotId = nextSlot++;
      slotOfTrack.set(track.name, slotId);
      const { slot, length } = videoSlot(track, slotId, ++videoPhysical, tpath);
      const audioUnits = Rational.of(length).dividedBy(timeline.frameRate.rate).times(editRate).round('ceil');
      if (audioUnits > compLength) compLength = audioUnits;
      slots.push(slot);
      return;
    }
    const channels = Math.max(1, track.channels);
    const clips = [...track.clips].sort((a, b) => a.start.compare(b.start));
    const comps: AafObject[] = [];
    let cursor = 0n; // end of the last clip, in edit units
    let pendingFill = 0n; // fade-out length the next Filler must cover
    let prevLen = 0n;
    let prevFadeOut = false;
    clips.forEach((c, ci) => {
      const path = [...tpath, `clip[${ci}]`];
      const s = units(c.start, 'clip start', path);
      const n = units(c.start.plus(c.duration), 'clip end', path) - s;
      if (n <= 0n) {
        lossy('aaf/empty-clip', `clip "${c.name}" has no length; not written`, path);
        return;
      }
      if (s < 0n) {
        lossy('aaf/clip-before-start', `clip "${c.name}" starts before the timeline start; not written`, path);
        return;
      }
      const overlap = ci > 0 && comps.length > 0 ? cursor - s : 0n;
      if (overlap > 0n) {
        if (overlap > prevLen || overlap > n || prevFadeOut) {
          lossy('aaf/overlapping-clips', `clip "${c.name}" overlaps the previous clip beyond a crossfade; not written`, path);
          return;
        }
        const xf = track.transitions.find((t) => t.start.equals(c.start));
        const cutText = xf?.metadata.aaf && typeof xf.metadata.aaf === 'object' && !Array.isArray(xf.metadata.aaf) ? (xf.metadata.aaf as Record<string, unknown>).cutPoint : undefined;
        const cutTime = typeof cutText === 'string' ? RationalTime.parse(cutText) : undefined;
        const cut = cutTime ? cutTime.seconds.times(editRate).round('nearest') : overlap / 2n;
        comps.push(transition(overlap, xf?.shape ?? 'linear', cut, path));
        if (c.fadeIn) lossy('aaf/fade-in-under-crossfade', `clip "${c.name}" has a fade-in and a crossfade; the fade-in is dropped`, path);
      } else {
        const fi = c.fadeIn ? units(c.fadeIn.duration, 'fade-in', path) : 0n;
        const fill = s - cursor + pendingFill + (fi > 0n ? fi : 0n);
        if (fill > 0n) comps.push(filler(fill));
        if (fi > 0n) comps.push(transition(fi, c.fadeIn?.shape ?? 'linear', 0n, path));
      }
      comps.push(clipComponent(c, n, channels, path));
      cursor = s + n;
      prevLen = n;
      pendingFill = 0n;
      prevFadeOut = false;
      const next = clips[ci + 1];
      const fo = c.fadeOut ? units(c.fadeOut.duration, 'fade-out', path) : 0n;
      if (fo > 0n) {
        const nextStart = next ? units(next.start, 'clip start', path) : undefined;
        if (nextStart !== undefined && nextStart < cursor) lossy('aaf/fade-out-under-crossfade', `clip "${c.name}" has a fade-out and a crossfade; the fade-out is dropped`, path);
        else if (fo > n) lossy('aaf/fade-too-long', `the fade-out of clip "${c.name}" is longer than the clip; dropped`, path);
        else {
          comps.push(transition(fo, c.fadeOut?.shape ?? 'linear', fo, path));
          pendingFill = fo;
          prevFadeOut = true;
        }
      }
    });
    if (pendingFill > 0n) comps.push(filler(pendingFill));
    let seqLength = 0n;
    for (const k of comps) {
      const l = k.properties.find((p) => p.pid === 0x0202);
      const v = l ? new DataView(l.bytes.buffer, l.bytes.byteOffset, 8).getBigInt64(0, true) : 0n;
      seqLength += k.classId === CLASS.Transition ? -v : v;
    }
    // Automation past the last clip: the track runs on in Filler so the groups reach it.
    let autoEnd = 0n;
    for (const lane of track.automation ?? []) {
      for (const p of lane.points) {
        const u = p.time.seconds.times(editRate).round('ceil');
        if (u > autoEnd) autoEnd = u;
      }
    }
    if (autoEnd > seqLength) {
      comps.push(filler(autoEnd - seqLength));
      seqLength = autoEnd;
    }
    if (seqLength > compLength) compLength = seqLength;
    const slotId = nextSlot++;
    slotOfTrack.set(track.name, slotId);
    physical++;
    const format = channels === 2 ? 2 : channels === 6 ? 3 : channels === 8 ? 4 : undefined;
    if (channels > 1 && format === undefined) lossy('aaf/track-format', `track "${track.name}" has ${channels} channels; Pro Tools track formats are stereo, 5.1 and 7.1`, tpath);
    slots.push(obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
      data(0x4801, 'SlotID', u32(slotId)),
      data(0x4802, 'SlotName', utf16z(track.name)),
      data(0x4804, 'PhysicalTrackNumber', u32(physical)),
      data(0x4b01, 'EditRate', rateBytes(editRate)),
      data(0x4b02, 'Origin', i64(0n)),
      strong(0x4803, 'Segment', trackAutomation(track, obj(CLASS.Sequence, 'Sequence', [ddRef(dd.sound), len(seqLength), strongVector(0x1001, 'Components', comps)]), seqLength, tpath)),
      ...(format !== undefined ? [strongVector(dyn(EXT.timelineMobAttributes), 'TimelineMobAttributeList', [tagged('_TRACK_FORMAT', TYPE.Int32, i32(format))])] : []),
    ]));
  });

  // ---- timecode slot ----
  const fr = timeline.frameRate;
  const tcLength = compLength === 0n ? 1n : Rational.of(compLength).dividedBy(editRate).times(fr.rate).round('ceil');
  slots.unshift(obj(CLASS.TimelineMobSlot, 'TimelineMobSlot', [
    data(0x4801, 'SlotID', u32(tcSlotId)),
    data(0x4802, 'SlotName', utf16z('Timecode')),
    data(0x4804, 'PhysicalTrackNumber', u32(1)),
    data(0x4b01, 'EditRate', rateBytes(fr.rate)),
    data(0x4b02, 'Origin', i64(0n)),
    strong(0x4803, 'Segment', obj(CLASS.Timecode, 'Timecode', [
      ddRef(dd.timecode), len(tcLength),
      data(0x1501, 'Start', i64(BigInt(timeline.startTimecode.toFrames()))),
      data(0x1502, 'FPS', u16(fr.nominalFps)),
      data(0x1503, 'Drop', u8(fr.dropFrame ? 1 : 0)),
    ])),
  ]));

  // ---- markers ----
  const writeMarkers = options.markers ?? !pt;
  if (!writeMarkers && timeline.markers.length > 0) {
    diags.push(warning('aaf/markers-dropped', `${timeline.markers.length} marker(s) not written: Pro Tools does not import markers from AAF (aaf.md §8); pass markers: true to write them anyway`));
  } else if (timeline.markers.length > 0) {
    const events = [...timeline.markers].sort((a, b) => a.position.compare(b.position)).map((mk, i) => {
      const path = [`marker[${i}]`];
      const props: Prop[] = [
        weak(0x0201, 'DataDefinition', TABLE.dataDefs, DD.descriptive),
        data(0x0601, 'Position', i64(units(mk.position, 'marker position', path))),
      ];
      if (mk.duration && !mk.duration.isZero()) props.push(len(units(mk.duration, 'marker duration', path)));
      // Name and comment: the name goes to CommentMarkerUser when there is a comment (as Resolve
      // and Media Composer 2022+ write it), else to Comment (aaf.md §4).
      if (mk.comment !== undefined && mk.comment !== '' && mk.name !== '') {
        props.push(data(0x0602, 'Comment', utf16z(mk.comment)));
        props.push(data(dyn(EXT.markerUser), 'CommentMarkerUser', utf16z(mk.name)));
      } else props.push(data(0x0602, 'Comment', utf16z(mk.name || (mk.comment ?? ''))));
      if (mk.colour) {
        const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(mk.colour);
        if (m) {
          const c = (h: string) => parseInt(h, 16) * 257;
          const rgb = new Uint8Array(6);
          rgb.set(u16(c(m[1] as string)), 0);
          rgb.set(u16(c(m[2] as string)), 2);
          rgb.set(u16(c(m[3] as string)), 4);
          props.push(data(dyn(EXT.markerColour), 'CommentMarkerColor', rgb));
        } else lossy('aaf/marker-colour', `marker colour "${mk.colour}" is not #rrggbb; dropped`, path);
      }
      if (mk.track !== undefined) {
        const sid = slotOfTrack.get(mk.track);
        if (sid !== undefined) props.push(data(0x6102, 'DescribedSlots', u32(sid)));
        else lossy('aaf/marker-track', `marker "${mk.name}" names track "${mk.track}", which is not written`, path);
      }
      return obj(CLASS.DescriptiveMarker, 'DescriptiveMarker', props);
    });
    slots.push(obj(CLASS.EventMobSlot, 'EventMobSlot', [
      data(0x4801, 'SlotID', u32(1000)),
      data(0x4802, 'SlotName', utf16z('Markers')),
      data(0x4901, 'EditRate', rateBytes(editRate)),
      strong(0x4803, 'Segment', obj(CLASS.Sequence, 'Sequence', [weak(0x0201, 'DataDefinition', TABLE.dataDefs, DD.descriptive), strongVector(0x1001, 'Components', events)])),
    ]));
  }

  const compositionId = newMobId('composition');
  mobs.unshift(obj(CLASS.CompositionMob, 'CompositionMob', [
    data(0x4401, 'MobID', compositionId),
    data(0x4402, 'Name', utf16z(timeline.name)),
    strongVector(0x4403, 'Slots', slots),
    data(0x4404, 'LastModified', timestamp(ts)),
    data(0x4405, 'CreationTime', timestamp(ts)),
    data(0x4408, 'UsageCode', auid(USAGE_TOP_LEVEL)),
  ]));

  // ---- dictionary, header ----
  const def = (classId: string, className: string, id: string, name: string, extra: Prop[] = []) =>
    obj(classId, className, [...extra, data(0x1b01, 'Identification', auid(id)), data(0x1b02, 'Name', utf16z(name)), data(0x1b03, 'Description', utf16z(''))]);
  const soundDef = () => weak(0x1e01, 'DataDefinition', TABLE.dataDefs, dd.sound);
  const dictionary = obj(CLASS.Dictionary, 'Dictionary', [
    strongSet(0x2603, 'OperationDefinitions', [
      def(CLASS.OperationDefinition, 'OperationDefinition', OP.gain, 'Mono Audio Gain', [soundDef(), data(0x1e07, 'NumberInputs', i32(1)), data(0x1e08, 'Bypass', u32(0))]),
      def(CLASS.OperationDefinition, 'OperationDefinition', OP.dissolve, 'Mono Audio Dissolve', [soundDef(), data(0x1e07, 'NumberInputs', i32(2)), data(0x1e08, 'Bypass', u32(0))]),
      def(CLASS.OperationDefinition, 'OperationDefinition', OP.combiner, 'Audio Channel Combiner', [soundDef(), data(0x1e07, 'NumberInputs', i32(-1))]),
      ...(used.pan ? [def(CLASS.OperationDefinition, 'OperationDefinition', OP.pan, 'Mono Audio Pan', [soundDef(), data(0x1e07, 'NumberInputs', i32(1)), data(0x1e08, 'Bypass', u32(0))])] : []),
      // Media Composer names it "Motion Control", a time warp on picture (its data definition) and sound.
      ...(used.motion ? [def(CLASS.OperationDefinition, 'OperationDefinition', OP.motion, 'Motion Control', [
        weak(0x1e01, 'DataDefinition', TABLE.dataDefs, pt ? '6f3c8ce1-6cef-11d2-807d-006008143e6f' : '01030202-0100-0000-060e-2b3404010101'),
        data(0x1e02, 'IsTimeWarp', u8(1)), data(0x1e07, 'NumberInputs', i32(1)), data(0x1e08, 'Bypass', u32(0)),
      ])] : []),
    ], 0x1b01),
    strongSet(0x2604, 'ParameterDefinitions', [
      def(CLASS.ParameterDefinition, 'ParameterDefinition', PARAM.amplitude, 'Amplitude', [weak(0x1f01, 'Type', TABLE.types, TYPE.Rational, 0x0005)]),
      def(CLASS.ParameterDefinition, 'ParameterDefinition', PARAM.level, 'Level', [weak(0x1f01, 'Type', TABLE.types, TYPE.Rational, 0x0005)]),
      ...(used.pan ? [def(CLASS.ParameterDefinition, 'ParameterDefinition', PARAM.pan, 'Pan', [weak(0x1f01, 'Type', TABLE.types, TYPE.Rational, 0x0005)])] : []),
      ...(used.motion ? [
        def(CLASS.ParameterDefinition, 'ParameterDefinition', PARAM.speedRatio, 'SpeedRatio', [weak(0x1f01, 'Type', TABLE.types, TYPE.Rational, 0x0005)]),
        def(CLASS.ParameterDefinition, 'ParameterDefinition', PARAM.speedOffsetMap, 'PARAM_SPEED_OFFSET_MAP_U', [weak(0x1f01, 'Type', TABLE.types, TYPE.Rational, 0x0005)]),
      ] : []),
    ], 0x1b01),
    strongSet(0x2605, 'DataDefinitions', DATA_DEFS.map(([id, name]) => def(CLASS.DataDefinition, 'DataDefinition', id, name)), 0x1b01),
    strongSet(0x2608, 'ContainerDefinitions', [
      def(CLASS.ContainerDefinition, 'ContainerDefinition', CONTAINER.aaf, 'AAF'),
      def(CLASS.ContainerDefinition, 'ContainerDefinition', CONTAINER.external, 'External'),
      def(CLASS.ContainerDefinition, 'ContainerDefinition', CONTAINER.klv, 'MXF'),
    ], 0x1b01),
    strongSet(0x2609, 'InterpolationDefinitions', [
      def(CLASS.InterpolationDefinition, 'InterpolationDefinition', INTERP.linear, 'Linear'),
      def(CLASS.InterpolationDefinition, 'InterpolationDefinition', INTERP.power, 'Power'),
      def(CLASS.InterpolationDefinition, 'InterpolationDefinition', INTERP.log, 'Log'),
      ...(used.constant ? [def(CLASS.InterpolationDefinition, 'InterpolationDefinition', INTERP.constant, 'Constant')] : []),
    ], 0x1b01),
  ]);
  const productVersion = new Uint8Array(9);
  productVersion.set(u16(0), 0);
  productVersion[8] = 1;
  const identification = obj(CLASS.Identification, 'Identification', [
    data(0x3c01, 'CompanyName', utf16z('dubstage')),
    data(0x3c02, 'ProductName', utf16z('dubstage')),
    data(0x3c03, 'ProductVersion', productVersion),
    data(0x3c04, 'ProductVersionString', utf16z('dubstage AAF writer')),
    data(0x3c05, 'ProductID', auid(PRODUCT_ID)),
    data(0x3c06, 'Date', timestamp(ts)),
    data(0x3c08, 'Platform', utf16z('JavaScript')),
    data(0x3c09, 'GenerationAUID', auid(guidToString(newMaterial('generation')))),
  ]);
  const header = obj(CLASS.Header, 'Header', [
    data(0x3b01, 'ByteOrder', u16(0x4949)),
    data(0x3b02, 'LastModified', timestamp(ts)),
    strong(0x3b03, 'Content', obj(CLASS.ContentStorage, 'ContentStorage', [
      strongSet(0x1901, 'Mobs', mobs, 0x4401),
      ...(essence.length > 0 ? [strongSet(0x1902, 'EssenceData', essence, 0x2701)] : []),
    ])),
    strong(0x3b04, 'Dictionary', dictionary),
    data(0x3b05, 'Version', Uint8Array.of(1, 1)),
    strongVector(0x3b06, 'IdentificationList', [identification]),
    data(0x3b07, 'ObjectModelVersion', u32(1)),
    ...(pt ? [] : [data(0x3b09, 'OperationalPattern', auid(OP_EDIT_PROTOCOL))]),
  ]);
  const root = obj(CLASS.Root, 'Root', [strong(0x0001, 'MetaDictionary', meta.metaDictionary), strong(0x0002, 'Header', header)]);
  for (const [code, n] of note) {
    if (n > 1) diags.push(diagnostic('info', 'aaf/repeated', `${code} happened ${n} times in all`));
  }
  return {
    tree: { root, referencedProperties: REFERENCED_PROPERTIES, streamData: (p) => streams.get(p) },
    sectorSize: options.sectorSize ?? (pt ? 512 : 4096),
    diagnostics: diags,
  };
}

/** Writes a timeline as an AAF file in memory (embedded media read in chunks). */
export async function writeTimeline(timeline: Timeline, options: AafWriteOptions = {}): Promise<WriteResult<Uint8Array>> {
  const b = timelineToObjects(timeline, options);
  return { value: await writeObjects(b.tree, { sectorSize: b.sectorSize }), diagnostics: b.diagnostics };
}

/** Writes a timeline as an AAF file to a sink, streaming embedded media; resolves to the byte count. */
export async function writeTimelineTo(timeline: Timeline, sink: CfbSink, options: AafWriteOptions = {}): Promise<WriteResult<number>> {
  const b = timelineToObjects(timeline, options);
  return { value: await writeObjectsTo(b.tree, sink, { sectorSize: b.sectorSize }), diagnostics: b.diagnostics };
}

/**
 * Writes a timeline as an AAF file synchronously (the format registry's writer). Embedded media
 * must be bytes or sources with `readSync`.
 */
export function writeTimelineSync(timeline: Timeline, options: AafWriteOptions = {}): WriteResult<Uint8Array> {
  const b = timelineToObjects(timeline, options);
  return { value: writeObjectsSync(b.tree, { sectorSize: b.sectorSize }), diagnostics: b.diagnostics };
}
