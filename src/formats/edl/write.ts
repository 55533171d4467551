/**
 * {@link Timeline} → CMX 3600 EDL text (spec/edl.md §2–§7), in the conventions of a flavour:
 *
 * | flavour | reel width | events | notes | DF separator | line end |
 * |---|---|---|---|---|---|
 * | `cmx3600` | 8 | 3 digits (more past 999, reported) | `* FROM CLIP NAME: ` | `;` | LF |
 * | `avid` | 8 (32, 128 with `reelWidth`: 6-digit events) | 3 | `* FROM CLIP NAME:  `, `* SOURCE FILE:`, `* * FREEZE FRAME` | `:` | CRLF |
 * | `premiere` | 8, file media as `AX` | 3 | `* FROM CLIP NAME: `, `* AUDIO LEVEL AT …` | `;` | CRLF |
 * | `resolve` | 8 | 3 | `* FROM CLIP NAME: ` | `;` | LF |
 *
 * One list holds one video track (`videoTrack`) and the audio tracks; {@link writeLists} writes one
 * list per video track. Audio channels 3 and 4 go on `AUD` lines, channels 5 and up as `A5`…
 * events (Avid's form). Whatever the list cannot hold is reported in the diagnostics.
 *
 * Lines go into an {@link EdlSink} ({@link AsciiSink}: bytes in one growing array, decoded once),
 * and the events being written are typed-array columns, so a 100,000-event list makes no object
 * per event (see the `Drafts` and `MetadataIndex` classes below).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../diagnostics/result.js';
import type { Clip, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../model/types.js';
import type { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import type { RationalTime } from '../../time/rational-time.js';
import { formatFrames } from '../../time/timecode.js';
import { AsciiSink, type EdlSink } from './text-sink.js';

/** Writer conventions (see the module comment). */
export type EdlFlavour = 'cmx3600' | 'avid' | 'premiere' | 'resolve';

/** Options of {@link write}. */
export interface EdlWriteOptions {
  /** Conventions to follow (default `cmx3600`). */
  readonly flavour?: EdlFlavour;
  /** List rate (default the timeline's `frameRate`); its drop flag sets the FCM line. */
  readonly rate?: FrameRate;
  /** Title (default the timeline's `metadata.edl.title`, else its name). */
  readonly title?: string;
  /** Which video track this list holds: index among video tracks or name (default the first). */
  readonly videoTrack?: number | string;
  /** Write the audio tracks too (default true). */
  readonly audio?: boolean;
  /** Reel field width: 8 (CMX 3600), 32 (File32), 128 (File128). Default 8. */
  readonly reelWidth?: number;
  /** Line ending (default by flavour). */
  readonly eol?: '\n' | '\r\n';
  /**
   * Write split edits as `SPLIT:` statements with both lines under one event number (default
   * false: separate V and A events, which audio post prefers; spec/edl.md §8). Split edits read
   * from a list are written back in their `SPLIT:` form either way.
   */
  readonly splitEdits?: boolean;
}

interface Flavour {
  readonly clipNameSpaces: string;
  readonly sourceFile: boolean;
  readonly freezeNote: boolean;
  readonly audioLevels: boolean;
  readonly fileReelAx: boolean;
  readonly dfSeparator: ':' | ';';
  readonly eol: '\n' | '\r\n';
}

const FLAVOURS: Record<EdlFlavour, Flavour> = {
  cmx3600: { clipNameSpaces: ' ', sourceFile: false, freezeNote: false, audioLevels: false, fileReelAx: false, dfSeparator: ';', eol: '\n' },
  avid: { clipNameSpaces: '  ', sourceFile: true, freezeNote: true, audioLevels: false, fileReelAx: false, dfSeparator: ':', eol: '\r\n' },
  premiere: { clipNameSpaces: ' ', sourceFile: false, freezeNote: false, audioLevels: true, fileReelAx: true, dfSeparator: ';', eol: '\r\n' },
  resolve: { clipNameSpaces: ' ', sourceFile: false, freezeNote: false, audioLevels: false, fileReelAx: false, dfSeparator: ';', eol: '\n' },
};

type EdlMeta = { readonly [k: string]: JsonValue | undefined };

function edlMeta(m: { readonly metadata: { readonly [k: string]: JsonValue } }): EdlMeta {
  const e = m.metadata['edl'];
  return e && typeof e === 'object' && !Array.isArray(e) ? (e as EdlMeta) : {};
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

/**
 * The record lines to write (an event, or each line of a two-line transition), one column per
 * field, indexed by draft number (the order they were made in). Typed arrays hold the numbers
 * and the clip's place (track, index): a list of 100,000 events makes a handful of arrays, not
 * an object or array entry per event that lives to the end (which is what makes garbage
 * collection expensive).
 */
class Drafts {
  count = 0;
  /** The clips of the list's tracks, by track number. */
  readonly #tracks: readonly (readonly Clip[])[];
  readonly #track: Int32Array;
  readonly #index: Int32Array;
  /** Which of the writer's rates the source timecodes count in. */
  readonly rate: Uint8Array;
  readonly start: Float64Array;
  readonly duration: Float64Array;
  readonly source: Float64Array;
  /** 1 when the line carries video. */
  readonly video: Uint8Array;
  /** Audio channels 1–30 as bits (channel c is bit c − 1); others are in `#more`. */
  readonly #audioBits: Int32Array;
  #more: Map<number, number[]> | undefined;
  /** Kind and length of the transition into a draft, where it has one. */
  #trKeys: Map<number, string> | undefined;
  /** Transitions into a draft by track name, where it has any. */
  readonly transitions = new Map<number, Map<string, Transition>>();
  /** 1 once written (the second line of a split pair). */
  readonly written: Uint8Array;

  constructor(tracks: readonly (readonly Clip[])[]) {
    let capacity = 0;
    for (const t of tracks) capacity += t.length;
    this.#tracks = tracks;
    this.#track = new Int32Array(capacity);
    this.#index = new Int32Array(capacity);
    this.rate = new Uint8Array(capacity);
    this.start = new Float64Array(capacity);
    this.duration = new Float64Array(capacity);
    this.source = new Float64Array(capacity);
    this.video = new Uint8Array(capacity);
    this.#audioBits = new Int32Array(capacity);
    this.written = new Uint8Array(capacity);
  }

  /** A new draft for clip `index` of track `track`; returns its number. */
  add(track: number, index: number, rate: number, start: number, duration: number, source: number, trKey: string): number {
    const i = this.count++;
    this.#track[i] = track;
    this.#index[i] = index;
    this.rate[i] = rate;
    this.start[i] = start;
    this.duration[i] = duration;
    this.source[i] = source;
    if (trKey !== '') (this.#trKeys ??= new Map()).set(i, trKey);
    return i;
  }

  /** The (first) clip of draft `i`. */
  clip(i: number): Clip {
    return (this.#tracks[this.#track[i] as number] as readonly Clip[])[this.#index[i] as number] as Clip;
  }

  /** `metadata.edl` of the clip of draft `i`. */
  meta(i: number): EdlMeta {
    return edlMeta(this.clip(i));
  }

  trKey(i: number): string {
    return this.#trKeys?.get(i) ?? '';
  }

  addChannel(i: number, ch: number): void {
    if (ch >= 1 && ch <= 30) {
      this.#audioBits[i] = (this.#audioBits[i] as number) | (1 << (ch - 1));
      return;
    }
    const more = (this.#more ??= new Map());
    const list = more.get(i);
    if (!list) more.set(i, [ch]);
    else if (!list.includes(ch)) list.push(ch);
  }

  hasAudio(i: number): boolean {
    return this.#audioBits[i] !== 0 || (this.#more?.has(i) ?? false);
  }

  /** The audio channels of draft `i`, ascending (shared lists: never written to). */
  audio(i: number): number[] {
    const bits = this.#audioBits[i] as number;
    const more = this.#more?.get(i);
    if (!more && bits < CHANNEL_LISTS.length) return CHANNEL_LISTS[bits] as number[];
    const list: number[] = more ? [...more] : [];
    for (let c = 1; c <= 30; c++) if (bits & (1 << (c - 1))) list.push(c);
    return list.sort((a, b) => a - b);
  }

  /** Draft numbers in record order, then in the order made. */
  byStart(): Int32Array {
    const n = this.count;
    const order = new Int32Array(n);
    if (n === 0) return order;
    const start = this.start;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const s = start[i] as number;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    if ((max - min + 1) * n <= Number.MAX_SAFE_INTEGER) {
      // One exact number per draft, (start − min) · n + draft, sorted as numbers: no comparator.
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = ((start[i] as number) - min) * n + i;
      keys.sort();
      for (let i = 0; i < n; i++) order[i] = (keys[i] as number) % n;
      return order;
    }
    const list = Array.from({ length: n }, (_, i) => i).sort((a, b) => (start[a] as number) - (start[b] as number) || a - b);
    order.set(list);
    return order;
  }
}

/** Channel lists by bit set, for channels 1–6. */
const CHANNEL_LISTS: number[][] = Array.from({ length: 64 }, (_, bits) => {
  const list: number[] = [];
  for (let c = 1; c <= 6; c++) if (bits & (1 << (c - 1))) list.push(c);
  return list;
});

/** Chains longer than this move to a Map. */
const CHAIN_LIMIT = 16;
const SPILLED = -1;

/**
 * Drafts by the metadata object of their clip (the reader gives the clips of one EDL event one
 * object): the newest draft made for an object. A hash table over typed arrays rather than a
 * Map entry per clip: objects hash by the `edl.line` they hold (else their `edl.event`), and a
 * bucket's chain is walked comparing hashes, then objects. A bucket whose chain passes
 * {@link CHAIN_LIMIT} drafts (many objects with the same line) moves to a Map, so a lookup never
 * walks further than that.
 */
class MetadataIndex {
  readonly #drafts: Drafts;
  /** Newest draft + 1 per bucket (0: empty, -1: the bucket lives in `#spill`). */
  readonly #head: Int32Array;
  /** Next older draft + 1 in the same bucket, per draft. */
  readonly #next: Int32Array;
  /** The hash of each draft's metadata. */
  readonly #hash: Int32Array;
  /** Chain length per bucket. */
  readonly #length: Uint8Array;
  readonly #mask: number;
  #spill: Map<object, number> | undefined;

  constructor(drafts: Drafts, capacity: number) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.#drafts = drafts;
    this.#head = new Int32Array(size);
    this.#length = new Uint8Array(size);
    this.#next = new Int32Array(Math.max(1, capacity));
    this.#hash = new Int32Array(Math.max(1, capacity));
    this.#mask = size - 1;
  }

  /** The hash of a clip's metadata whose `edl` is `e` (the same for one object, as it never changes). */
  static hash(e: EdlMeta): number {
    let h = 0x811c9dc5;
    const line = e['line'];
    if (typeof line === 'number') h = Math.imul(h ^ (line | 0), 0x01000193);
    else {
      const event = e['event'];
      if (typeof event === 'string') for (let i = 0; i < event.length; i++) h = Math.imul(h ^ event.charCodeAt(i), 0x01000193);
      else if (typeof event === 'number') h = Math.imul(h ^ (event | 0), 0x01000193);
    }
    return h ^ (h >>> 15);
  }

  /** The newest draft made for `metadata` (of hash `h`), or -1. */
  newest(metadata: object, h: number): number {
    const bucket = h & this.#mask;
    const head = this.#head[bucket] as number;
    if (head === SPILLED) return (this.#spill as Map<object, number>).get(metadata) ?? -1;
    const drafts = this.#drafts;
    const next = this.#next;
    const hashes = this.#hash;
    for (let x = head; x !== 0; x = next[x - 1] as number) {
      if (hashes[x - 1] === h && drafts.clip(x - 1).metadata === metadata) return x - 1;
    }
    return -1;
  }

  /** Records draft `d` (the newest) for `metadata`, of hash `h`. */
  add(metadata: object, h: number, d: number): void {
    const bucket = h & this.#mask;
    if (this.#head[bucket] === SPILLED) {
      (this.#spill as Map<object, number>).set(metadata, d);
      return;
    }
    this.#hash[d] = h;
    this.#next[d] = this.#head[bucket] as number;
    this.#head[bucket] = d + 1;
    const length = (this.#length[bucket] as number) + 1;
    this.#length[bucket] = length;
    if (length <= CHAIN_LIMIT) return;
    const spill = (this.#spill ??= new Map());
    // Too many objects share this bucket: its drafts go to the Map, oldest first (newest wins).
    const chain: number[] = [];
    for (let x = this.#head[bucket] as number; x !== 0; x = this.#next[x - 1] as number) chain.push(x - 1);
    for (let k = chain.length - 1; k >= 0; k--) spill.set(this.#drafts.clip(chain[k] as number).metadata, chain[k] as number);
    this.#head[bucket] = SPILLED;
  }
}

/** Shared empty values (never written to). */
const NO_CHANNELS: number[] = [];
const NO_META: EdlMeta = {};
const NO_LOCS: string[] = [];
const NO_MEDIA_META = { metadata: {} };

/** Channel groups of the channel lists of {@link CHANNEL_LISTS}, by list. */
const CHANNEL_GROUPS = new Map<readonly number[], readonly [number[], number[], number[]]>();

/**
 * Channels 1–2 (on the event line), 3–4 (on an AUD line), 5 and up (lines of their own), of an
 * ascending channel list; shared lists for the common ones (never written to).
 */
function channelGroups(audio: number[]): readonly [number[], number[], number[]] {
  const known = CHANNEL_GROUPS.get(audio);
  if (known) return known;
  let low: number[] = NO_CHANNELS;
  let aud: number[] = NO_CHANNELS;
  let high: number[] = NO_CHANNELS;
  for (const c of audio) {
    if (c <= 2) (low === NO_CHANNELS ? (low = []) : low).push(c);
    else if (c <= 4) (aud === NO_CHANNELS ? (aud = []) : aud).push(c);
    else (high === NO_CHANNELS ? (high = []) : high).push(c);
  }
  return [low, aud, high];
}

for (const list of CHANNEL_LISTS) CHANNEL_GROUPS.set(list, channelGroups(list));

/** The EDL channel field for a line carrying video `v` and audio channels `a` (sorted). */
function channelField(v: boolean, a: readonly number[]): string {
  if (!v && a.length === 1 && (a[0] as number) > 4) return `A${a[0] as number}`;
  const aa = a.includes(1) && a.includes(2) ? 'AA' : a.includes(1) ? 'A' : a.includes(2) ? 'A2' : '';
  if (v) return aa === '' ? 'V' : aa === 'A' ? 'B' : aa === 'AA' ? 'AA/V' : 'A2/V';
  return aa === '' ? 'NONE' : aa;
}

/** True when `s` has a character `\s` matches (checked by the regular expression only past ASCII graphics). */
function hasBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return /\s/.test(s);
  }
  return false;
}

const COLOUR_WORDS = new Set(['RED', 'GREEN', 'BLUE', 'CYAN', 'MAGENTA', 'YELLOW', 'BLACK', 'WHITE', 'PINK', 'ORANGE', 'PURPLE']);

/**
 * Writes one CMX 3600 list from a timeline: the chosen video track and (by default) every audio
 * track. Diagnostics list what the list could not hold (`edl/reel-truncated`,
 * `edl/off-frame-grid`, `edl/too-many-events`, `edl/not-written`…).
 */
export function write(timeline: Timeline, options: EdlWriteOptions = {}): WriteResult<string> {
  return writeInto(timeline, options, (eol, clips) => new AsciiSink(eol, Math.min(1 << 26, 65536 + 128 * clips)));
}

/**
 * {@link write} into a sink made by `makeSink` (given the line ending and the number of clips on
 * the timeline). `write` uses an {@link AsciiSink}; the tests check it against plain strings.
 * @internal
 */
export function writeInto(timeline: Timeline, options: EdlWriteOptions, makeSink: (eol: '\n' | '\r\n', clips: number) => EdlSink): WriteResult<string> {
  const flavourName = options.flavour ?? 'cmx3600';
  const fl = FLAVOURS[flavourName];
  const eol = options.eol ?? fl.eol;
  const rate = options.rate ?? timeline.frameRate;
  const reelWidth = options.reelWidth ?? 8;
  const diagnostics: Diagnostic[] = [];
  const counts = new Map<string, { code: `edl/${string}`; message: string; n: number }>();
  const note = (code: `edl/${string}`, message: string): void => {
    const c = counts.get(code + message);
    if (c) c.n++;
    else counts.set(code + message, { code, message, n: 1 });
  };
  // Source timecodes may count in the other drop-frame mode than the list (as read): those two
  // rates, made on first use.
  const canSwitch = rate.rate.den === 1001n && rate.nominalFps % 30 === 0;
  const rates: FrameRate[] = [rate];
  let dfCode = 0;
  let ndfCode = 0;
  /** The index in `rates` of the rate the source timecodes of a clip with `metadata.edl` `e` count in. */
  const sourceRateCode = (e: EdlMeta): number => {
    const sd = e['sourceDropFrame'];
    if (typeof sd !== 'boolean' || !canSwitch) return 0;
    if (sd) {
      if (dfCode === 0) dfCode = rates.push(rate.withDropFrame(true)) - 1;
      return dfCode;
    }
    if (ndfCode === 0) ndfCode = rates.push(rate.withDropFrame(false)) - 1;
    return ndfCode;
  };
  const sourceRateOf = (e: EdlMeta): FrameRate => rates[sourceRateCode(e)] as FrameRate;
  const toFrames = (t: RationalTime, r: FrameRate, what: string): number => {
    // The hot path of writing: exact, in doubles where they hold the values.
    const exact = t.exactFrames(r);
    if (exact !== undefined) return exact;
    note('edl/off-frame-grid', `${what} positions between frames were rounded to the nearest frame`);
    return Number(t.seconds.times(r.rate).round('nearest'));
  };
  // Media by id, made on first use: lists whose clips carry their reels (as read) never need it.
  let mediaMap: Map<string, MediaSource> | undefined;
  const mediaById = (id: string): MediaSource | undefined => (mediaMap ??= new Map(timeline.media.map((m) => [m.id, m]))).get(id);
  const origin = timeline.startTimecode.rate.equals(rate)
    ? timeline.startTimecode.frames
    : Number(timeline.startTimecode.toRationalTime().toFrames(rate, 'nearest'));

  // Which tracks go in this list, and the channel each audio track is.
  const videoTracks = timeline.tracks.filter((t) => t.kind === 'video');
  let video: Track | undefined;
  if (typeof options.videoTrack === 'string') video = videoTracks.find((t) => t.name === options.videoTrack);
  else video = videoTracks[options.videoTrack ?? 0];
  const audioTracks = options.audio === false ? [] : timeline.tracks.filter((t) => t.kind === 'audio');
  const channelOf = new Map<Track, number>();
  const used = new Set<number>();
  for (const t of audioTracks) {
    const m = /^A(\d{1,2})$/i.exec(t.name);
    const n = m ? Number(m[1]) : 0;
    if (n > 0 && !used.has(n)) {
      channelOf.set(t, n);
      used.add(n);
    }
  }
  let nextFree = 1;
  for (const t of audioTracks) {
    if (channelOf.has(t)) continue;
    while (used.has(nextFree)) nextFree++;
    channelOf.set(t, nextFree);
    used.add(nextFree);
  }
  if (videoTracks.length > 1) {
    diagnostics.push(diagnostic('info', 'edl/one-video-track', `a list holds one video track; ${videoTracks.length - 1} other video track(s) need their own list (writeLists)`));
  }

  // Events: clips on several tracks with the same source, record range and event become one line.
  const listTracks = video ? [video, ...audioTracks] : audioTracks;
  const dr = new Drafts(listTracks.map((t) => t.clips));
  let clipCount = 0;
  for (const t of listTracks) clipCount += t.clips.length;
  const byKey = new Map<string, number>();
  const byMetadata = new MetadataIndex(dr, clipCount);
  // Met while the drafts are made (their metadata is at hand then): the first draft in record
  // order of each event number a marker names, and the drafts of split edits.
  const wanted = new Set<string>();
  for (const m of timeline.markers) {
    const named = str(edlMeta(m)['event']);
    if (named !== undefined) wanted.add(named);
  }
  const eventsByNumber = new Map<string, number>();
  const splitDrafts: number[] = [];
  const made = (d: number, e: EdlMeta, startFrames: number): void => {
    if (wanted.size > 0) {
      const n = e['event'];
      if (typeof n === 'string' && wanted.has(n)) {
        const was = eventsByNumber.get(n);
        // Drafts are made in order: an earlier one wins unless this one starts before it.
        if (was === undefined || startFrames < (dr.start[was] as number)) eventsByNumber.set(n, d);
      }
    }
    const sp = e['split'];
    if (sp && typeof sp === 'object' && !Array.isArray(sp)) splitDrafts.push(d);
  };
  const add = (trackNo: number, ch: number | undefined): void => {
    const track = listTracks[trackNo] as Track;
    const transitionsAt = new Map<number, Transition[]>();
    for (const tr of track.transitions) {
      const k = toFrames(tr.start, rate, 'transition');
      const list = transitionsAt.get(k);
      if (list) list.push(tr);
      else transitionsAt.set(k, [tr]);
    }
    const clips = track.clips;
    for (let j = 0; j < clips.length; j++) {
      const clip = clips[j] as Clip;
      const e = edlMeta(clip);
      const rateCode = sourceRateCode(e);
      const sourceRate = rates[rateCode] as FrameRate;
      const startFrames = toFrames(clip.start, rate, 'clip');
      const durationFrames = toFrames(clip.duration, rate, 'clip');
      const sourceFrames = toFrames(clip.sourceStart, sourceRate, 'source');
      // A transition belongs to the clip starting where it starts (the one of its event, if named),
      // and to one clip only.
      let tr: Transition | undefined;
      const candidates = transitionsAt.size > 0 ? transitionsAt.get(startFrames) : undefined;
      if (candidates) {
        const event = str(e['event']);
        const i = candidates.findIndex((x) => {
          const te = str(edlMeta(x)['event']);
          return te === undefined || te === event;
        });
        if (i >= 0) {
          tr = candidates[i] as Transition;
          candidates.splice(i, 1);
        }
      }
      // Clips of several tracks with the same source, record range and event (and transition) make
      // one event line. Clips read from one EDL event share their metadata object: the newest
      // draft of that object is the one to join.
      const trKey = tr ? `${tr.kind}${toFrames(tr.duration, rate, 'transition')}` : '';
      const named = e['event'] !== undefined;
      const hash = named ? MetadataIndex.hash(e) : 0;
      let d = named ? byMetadata.newest(clip.metadata, hash) : -1;
      if (d >= 0) {
        const other = dr.clip(d);
        if (!(dr.start[d] === startFrames && dr.duration[d] === durationFrames && dr.source[d] === sourceFrames &&
          other.name === clip.name && other.media?.mediaId === clip.media?.mediaId && dr.trKey(d) === trKey &&
          (other.speed === clip.speed || (other.speed !== undefined && clip.speed !== undefined && other.speed.equals(clip.speed))))) {
          d = -1;
        }
      }
      if (d < 0) {
        if (named) {
          d = dr.add(trackNo, j, rateCode, startFrames, durationFrames, sourceFrames, trKey);
          byMetadata.add(clip.metadata, hash, d);
          made(d, e, startFrames);
        } else {
          const key = `${clip.media?.mediaId ?? ''}|${clip.name}|${startFrames}|${durationFrames}|${sourceFrames}|${clip.speed?.toString() ?? ''}|${trKey}`;
          d = byKey.get(key) ?? -1;
          if (d < 0) {
            d = dr.add(trackNo, j, rateCode, startFrames, durationFrames, sourceFrames, trKey);
            byKey.set(key, d);
            made(d, e, startFrames);
          }
        }
      }
      if (ch === undefined) dr.video[d] = 1;
      else dr.addChannel(d, ch);
      if (tr) {
        let trs = dr.transitions.get(d);
        if (!trs) dr.transitions.set(d, (trs = new Map()));
        trs.set(ch === undefined ? 'V' : `A${ch}`, tr);
      }
      if (clip.fadeIn || clip.fadeOut) note('edl/not-written', 'clip fades are not written (an EDL has no fades; use dissolves to or from BL)');
      if (clip.muted) note('edl/not-written', 'muted clips are written as ordinary events (an EDL has no mute)');
      if ((clip.gainDb !== undefined || clip.gainAutomation) && !fl.audioLevels) note('edl/not-written', 'clip gain is not written in this flavour (premiere writes AUDIO LEVEL notes)');
    }
  };
  for (let k = 0; k < listTracks.length; k++) {
    const t = listTracks[k] as Track;
    add(k, t === video ? undefined : channelOf.get(t));
  }
  // Drafts in record order (then in the order made).
  const events = dr.byStart();
  const eventCount = events.length;

  // Previous clip on each track, to write the outgoing side of transitions.
  const prevOnTrack = new Map<string, readonly Clip[]>();
  const indexOnTrack = new Map<string, Map<Clip, number>>();
  const previousClip = (trackName: string, clip: Clip): Clip | undefined => {
    const list = prevOnTrack.get(trackName) ?? [];
    let index = indexOnTrack.get(trackName);
    if (!index) indexOnTrack.set(trackName, (index = new Map(list.map((c, i) => [c, i]))));
    const i = index.get(clip) ?? -1;
    return i > 0 ? list[i - 1] : undefined;
  };
  if (video) prevOnTrack.set('V', video.clips);
  for (const t of audioTracks) prevOnTrack.set(`A${channelOf.get(t) as number}`, t.clips);

  const out = makeSink(eol, clipCount);
  const line = (s: string): void => {
    out.text(s);
    out.eol();
  };
  const title = options.title ?? str(edlMeta(timeline)['title']) ?? timeline.name;
  line(flavourName === 'avid' ? `TITLE:   ${title}` : `TITLE: ${title}`);
  const header = edlMeta(timeline)['header'];
  if (Array.isArray(header)) for (const h of header) if (typeof h === 'string') line(h);
  line(`FCM: ${rate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`);
  let fcmState = rate.dropFrame;

  const dfSep = fl.dfSeparator;
  /** A frame count as a label within one day (wrapped and reported past it). */
  const inDay = (frames: number, r: FrameRate): number => {
    const day = r.framesPerDay;
    if (frames >= 0 && frames < day) return frames;
    note('edl/timecode-wrapped', 'timecodes outside one day were wrapped to 24 hours');
    return ((frames % day) + day) % day;
  };
  const tcText = (frames: number, r: FrameRate): string => formatFrames(inDay(frames, r), r, r.dropFrame ? dfSep : ':');
  const tc = (frames: number, r: FrameRate): void => out.timecode(inDay(frames, r), r, r.dropFrame ? dfSep : ':');

  // Event numbers: 3 digits (CMX), 6 for File32/File128 lists, wider past 999 events.
  const width = Math.max(reelWidth > 8 ? 6 : 3, String(eventCount).length);
  if (eventCount > 999 && reelWidth <= 8) {
    diagnostics.push(diagnostic('warning', 'edl/too-many-events', `${eventCount} events: CMX 3600 numbers events 001–999; wider numbers were written`));
  }

  const truncatedMessage = `reel names longer than ${reelWidth} characters were truncated (the full name is in FROM CLIP NAME / SOURCE FILE notes)`;
  const reelOf = (clip: Clip, e: EdlMeta): string => {
    if (!clip.media) {
      // A clip without media: black, unless it names a reel (as read from an EDL, or OTIO's
      // cmx_3600 adapter metadata on a missing reference).
      const otio = clip.metadata['otio'];
      const otioMeta = otio && typeof otio === 'object' && !Array.isArray(otio) ? (otio as EdlMeta)['metadata'] : undefined;
      const cmx = otioMeta && typeof otioMeta === 'object' && !Array.isArray(otioMeta) ? (otioMeta as EdlMeta)['cmx_3600'] : undefined;
      const cmxReel = cmx && typeof cmx === 'object' && !Array.isArray(cmx) ? str((cmx as EdlMeta)['reel']) : undefined;
      const named = e['black'] === true ? undefined : cmxReel;
      if (named === undefined) {
        if (e['black'] !== true) note('edl/no-media', 'clips without media were written as black (reel BL)');
        return 'BL';
      }
      return named.length > reelWidth ? named.slice(0, reelWidth) : named.replace(/\s+/g, '_');
    }
    // The reel as read; else the media's; else a name for it.
    let reel = str(e['reel']);
    if (reel === undefined) {
      const m = mediaById(clip.media.mediaId);
      reel = str((m ? edlMeta(m) : NO_META)['reel']) ?? (fl.fileReelAx ? 'AX' : m?.name ?? clip.media.mediaId);
    }
    if (hasBlank(reel)) {
      note('edl/reel-renamed', 'blanks in reel names were replaced by _');
      reel = reel.replace(/\s+/g, '_');
    }
    if (reel.length > reelWidth) {
      note('edl/reel-truncated', truncatedMessage);
      reel = reel.slice(0, reelWidth);
    }
    return reel;
  };

  /** `NNN  REEL     CHAN  TYPE DUR SRCIN SRCOUT RECIN RECOUT` in the spec's columns (spec/edl.md §2). */
  const eventLine = (n: number, reel: string, channels: string, type: string, dur: string, sIn: number, sOut: number, sRate: FrameRate, rIn: number, rOut: number): void => {
    out.zeroPadded(n, width);
    out.spaces(2);
    out.text(reel);
    out.spaces(Math.max(0, reelWidth - reel.length) + 1);
    out.text(channels);
    out.spaces(Math.max(0, 4 - channels.length) + 2);
    out.text(type);
    out.spaces(Math.max(0, 4 - type.length) + 1);
    out.spaces(3 - dur.length);
    out.text(dur);
    out.spaces(1);
    tc(sIn, sRate);
    out.spaces(1);
    tc(sOut, sRate);
    out.spaces(1);
    tc(rIn, rate);
    out.spaces(1);
    tc(rOut, rate);
    out.eol();
  };

  // Markers go after the event holding them (the one named in their metadata, else by position).
  const markersByEvent = new Map<number, Marker[]>();
  for (const m of timeline.markers) {
    const pos = toFrames(m.position, rate, 'marker');
    const named = str(edlMeta(m)['event']);
    let target = named !== undefined ? eventsByNumber.get(named) : undefined;
    if (target === undefined) {
      // The last event starting at or before the marker (events are sorted by start), else the first.
      let lo = 0;
      let hi = eventCount - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((dr.start[events[mid] as number] as number) <= pos) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      target = events[found >= 0 ? found : 0];
    }
    if (target === undefined) {
      diagnostics.push(diagnostic('warning', 'edl/marker-dropped', `marker "${m.name}" was not written: the list has no event to carry a LOC note`));
      continue;
    }
    if (m.duration || m.comment) note('edl/not-written', 'marker durations and comments are not written (a LOC note holds a timecode, a colour and a name)');
    let list = markersByEvent.get(target);
    if (!list) markersByEvent.set(target, (list = []));
    list.push(m);
  }

  // Split edits (spec/edl.md §8): the two lines of a pair share one event number, after a
  // `SPLIT:` statement. Pairs come from a read list's metadata, or (with `splitEdits`) from a
  // video-only and an audio-only event of one shot that end together in sync but start apart.
  const splitPartner = new Map<number, { partner: number; text: string }>();
  const splitOf = (d: number): EdlMeta | undefined => {
    const sp = dr.meta(d)['split'];
    return sp && typeof sp === 'object' && !Array.isArray(sp) ? (sp as EdlMeta) : undefined;
  };
  if (splitDrafts.length > 0) {
    // Each split draft in record order looks for its second line among the next 63 events.
    const rank = new Int32Array(eventCount);
    const isSplit = new Uint8Array(eventCount);
    for (let k = 0; k < eventCount; k++) rank[events[k] as number] = k;
    for (const d of splitDrafts) isSplit[d] = 1;
    splitDrafts.sort((a, b) => (rank[a] as number) - (rank[b] as number));
    for (const d of splitDrafts) {
      const sp = splitOf(d) as EdlMeta;
      if (sp['second'] === true || splitPartner.has(d)) continue;
      const event = str(dr.meta(d)['event']);
      const i = rank[d] as number;
      for (let j = i + 1; j < Math.min(eventCount, i + 64); j++) {
        const o = events[j] as number;
        if (isSplit[o] !== 1) continue;
        const osp = splitOf(o);
        if (osp?.['second'] === true && str(dr.meta(o)['event']) === event && !splitPartner.has(o)) {
          splitPartner.set(d, { partner: o, text: str(sp['text']) ?? '' });
          splitPartner.set(o, { partner: d, text: '' });
          break;
        }
      }
    }
  }
  if (options.splitEdits) {
    const videoOnly = new Map<string, number>();
    const keyOf = (d: number): string => `${dr.clip(d).media?.mediaId ?? ''}|${dr.clip(d).name}|${(dr.start[d] as number) + (dr.duration[d] as number)}|${(dr.source[d] as number) - (dr.start[d] as number)}`;
    const plain = (d: number): boolean => {
      const clip = dr.clip(d);
      return !splitPartner.has(d) && !dr.transitions.has(d) && (clip.speed === undefined || clip.speed.equals(Rational.ONE)) && clip.media !== undefined;
    };
    for (let k = 0; k < eventCount; k++) {
      const d = events[k] as number;
      if (dr.video[d] === 1 && !dr.hasAudio(d) && plain(d)) videoOnly.set(keyOf(d), d);
    }
    for (let k = 0; k < eventCount; k++) {
      const a = events[k] as number;
      if (dr.video[a] === 1 || !dr.hasAudio(a) || !plain(a)) continue;
      const v = videoOnly.get(keyOf(a));
      if (v === undefined || dr.start[v] === dr.start[a] || splitPartner.has(v)) continue;
      const [first, second] = (dr.start[v] as number) < (dr.start[a] as number) ? [v, a] : [a, v];
      const delay = (dr.start[second] as number) - (dr.start[first] as number);
      splitPartner.set(first, { partner: second, text: `SPLIT:    ${second === a ? 'AUDIO' : 'VIDEO'} DELAY=  ${formatFrames(delay, rate, rate.dropFrame ? fl.dfSeparator : ':')}` });
      splitPartner.set(second, { partner: first, text: '' });
      videoOnly.delete(keyOf(a));
    }
  }

  // The edit line(s) of one line group of draft `d`: with a transition into it, the outgoing
  // side's cut and then the transition line.
  const lineFor = (d: number, reel: string, chv: boolean, cha: readonly number[], n: number, recIn: number, recOut: number, srcOut: number): void => {
    const clip = dr.clip(d);
    const sRate = rates[dr.rate[d] as number] as FrameRate;
    const sourceFrames = dr.source[d] as number;
    const field = channelField(chv, cha);
    const trs = dr.transitions.size > 0 ? dr.transitions.get(d) : undefined;
    let tr: Transition | undefined;
    let trackName = '';
    if (trs) {
      trackName = chv ? 'V' : `A${cha[0] ?? 1}`;
      tr = trs.get(trackName) ?? (trs.values().next().value as Transition);
    }
    if (!tr) {
      eventLine(n, reel, field, 'C', '', sourceFrames, srcOut, sRate, recIn, recOut);
      return;
    }
    const te = edlMeta(tr);
    const from = te['from'] && typeof te['from'] === 'object' && !Array.isArray(te['from']) ? (te['from'] as EdlMeta) : undefined;
    // The outgoing side: the clip before this one on the track, at its source out.
    let aReel = str(from?.['reel']);
    let aOut = num(from?.['sourceOut']);
    if (aReel === undefined || aOut === undefined) {
      const prev = previousClip(trackName, clip);
      if (prev && toFrames(prev.start.plus(prev.duration), rate, 'clip') === dr.start[d]) {
        const pe = edlMeta(prev);
        aReel = reelOf(prev, pe);
        const pIn = toFrames(prev.sourceStart, sourceRateOf(pe), 'source');
        aOut = num(pe['sourceIn']) === pIn && num(pe['sourceOut']) !== undefined ? (num(pe['sourceOut']) as number) : pIn + toFrames(prev.duration, rate, 'clip');
      } else {
        aReel = 'BL';
        aOut = 0;
      }
    }
    const editType = str(te['editType']) ?? (tr.kind === 'wipe' ? 'W001' : tr.kind === 'other' ? 'K' : 'D');
    let durFrames = toFrames(tr.duration, rate, 'transition');
    if (durFrames > 999) {
      note('edl/transition-too-long', 'transitions longer than 999 frames were shortened to 999');
      durFrames = 999;
    }
    eventLine(n, aReel, field, 'C', '', aOut, aOut, sRate, recIn, recIn);
    eventLine(n, reel, field, editType, String(durFrames).padStart(3, '0'), sourceFrames, srcOut, sRate, recIn, recOut);
  };

  // M2 speeds as read (frames per second at the list's nominal rate) as ratios, once per text.
  const nominal = Rational.of(rate.nominalFps);
  const speedRatios = new Map<string, Rational | undefined>();
  const speedRatio = (text: string): Rational | undefined => {
    if (speedRatios.has(text)) return speedRatios.get(text);
    const ratio = Rational.parse(text.replace(/^\+/, ''))?.dividedBy(nominal);
    speedRatios.set(text, ratio);
    return ratio;
  };

  // Per-event scratch, reused (never shrunk, so no event allocates it again): the notes of an
  // event as (prefix, text) pairs, `noteCount` entries.
  const notes: string[] = [];
  let noteCount = 0;
  const addNote = (prefix: string, text: string): void => {
    notes[noteCount++] = prefix;
    notes[noteCount++] = text;
  };
  const fromPrefix = `* FROM CLIP NAME:${fl.clipNameSpaces}`;
  const toPrefix = `* TO CLIP NAME:${fl.clipNameSpaces}`;
  let number = 0;
  const writeDraft = (d: number, n: number): void => {
    const clip = dr.clip(d);
    const e = edlMeta(clip);
    const startFrames = dr.start[d] as number;
    const durationFrames = dr.duration[d] as number;
    const sourceFrames = dr.source[d] as number;
    const trs = dr.transitions.size > 0 ? dr.transitions.get(d) : undefined;
    const reel = reelOf(clip, e);
    const sRate = rates[dr.rate[d] as number] as FrameRate;
    if (sRate.dropFrame !== fcmState) {
      line(`FCM: ${sRate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`);
      fcmState = sRate.dropFrame;
    }
    const audio = dr.audio(d);
    const groups = channelGroups(audio);
    const low = groups[0];
    const aud = groups[1];
    const high = groups[2];
    const recIn = origin + startFrames;
    const recOut = recIn + durationFrames;
    const speed = clip.speed;
    // Source out: as read (keeps M2 spans and the writer's own rounding), else from the duration.
    const readIn = num(e['sourceIn']);
    const readOut = num(e['sourceOut']);
    let srcOut: number;
    let span = durationFrames;
    if (speed && !speed.equals(Rational.ONE)) {
      span = speed.isZero() || durationFrames === 0 ? 1 : Number(Rational.of(BigInt(Math.max(0, durationFrames - 1))).times(speed.abs()).round('floor')) + 1;
    }
    if (readIn === sourceFrames && readOut !== undefined) srcOut = readOut;
    else srcOut = sourceFrames + span;

    // The lines of this event: V/A1/A2 on one line (channels 3 and 4 on an AUD line), channels
    // past 4 on lines of their own (Avid's A5… form), each followed by the event's notes.
    const video = dr.video[d] === 1;
    const first = video || low.length > 0 || aud.length > 0;
    if (flavourName === 'cmx3600') for (let i = 0; i < high.length; i++) note('edl/channel-beyond-cmx', 'audio channels past 4 were written as A5… events (Avid form; classic CMX 3600 holds 4)');
    noteCount = 0;
    let effectLine: string | undefined;
    const name = clip.name;
    if (trs) {
      const tr = trs.values().next().value as Transition;
      const te = edlMeta(tr);
      const from = te['from'] && typeof te['from'] === 'object' && !Array.isArray(te['from']) ? (te['from'] as EdlMeta) : undefined;
      const effect = str(te['effect']);
      if (effect !== undefined) effectLine = `EFFECTS NAME IS ${effect}`;
      const fromName = str(from?.['clipName']) ?? str(e['fromClipName']);
      if (fromName !== undefined) addNote(fromPrefix, fromName);
      addNote(toPrefix, name);
    } else {
      addNote(fromPrefix, name);
    }
    // SOURCE FILE: the event's own (as read), else the media's where the flavour writes it.
    let sourceFile = str(e['sourceFile']);
    if (sourceFile === undefined && fl.sourceFile && clip.media) sourceFile = str(edlMeta(mediaById(clip.media.mediaId) ?? NO_MEDIA_META)['sourceFile']);
    if (sourceFile !== undefined) addNote('* SOURCE FILE: ', sourceFile);
    const kept = e['notes'];
    const levelNotes = fl.audioLevels && (clip.gainDb !== undefined || clip.gainAutomation !== undefined);
    let keptFreeze = false;
    if (Array.isArray(kept)) {
      for (const k of kept) {
        if (typeof k !== 'string') continue;
        if (fl.freezeNote && /FREEZE FRAME/i.test(k)) keptFreeze = true;
        if (levelNotes && /AUDIO LEVEL/i.test(k)) continue;
        addNote('', k);
      }
    }
    if (fl.freezeNote && speed?.isZero() && !keptFreeze) addNote('* * FREEZE FRAME', '');
    if (levelNotes) {
      for (const ch of audio) {
        if (clip.gainAutomation && clip.gainAutomation.length > 0) {
          for (const p of clip.gainAutomation) {
            addNote('', `* AUDIO LEVEL AT ${tcText(sourceFrames + toFrames(p.time, sRate, 'gain'), sRate)} IS ${p.gainDb.toFixed(2)} DB  (REEL ${reel} A${ch})`);
          }
        } else if (clip.gainDb !== undefined) {
          addNote('', `* AUDIO LEVEL AT ${tcText(sourceFrames, sRate)} IS ${clip.gainDb.toFixed(2)} DB  (REEL ${reel} A${ch})`);
        }
      }
    }
    let speedText: string | undefined;
    let entryFrames = 0;
    if (speed) {
      const m2 = e['m2'] && typeof e['m2'] === 'object' && !Array.isArray(e['m2']) ? (e['m2'] as EdlMeta) : undefined;
      speedText = str(m2?.['speed']);
      const readRatio = speedText !== undefined ? speedRatio(speedText) : undefined;
      if (speedText === undefined || !readRatio || !readRatio.equals(speed)) {
        const fps = speed.times(nominal);
        const tenths = fps.times(Rational.of(10)).round('nearest');
        if (!Rational.of(tenths, 10).equals(fps)) note('edl/speed-rounded', 'M2 speeds were rounded to 0.1 frame per second');
        const neg = tenths < 0n;
        const abs = neg ? -tenths : tenths;
        speedText = (neg ? '-' : '') + `${abs / 10n}`.padStart(3, '0') + '.' + `${abs % 10n}`;
      }
      const entryRead = num(m2?.['entryFrames']);
      entryFrames = inDay(entryRead !== undefined && readIn === sourceFrames ? entryRead : speed.sign() < 0 ? srcOut - 1 : sourceFrames, sRate);
    }
    const marks = markersByEvent.size > 0 ? markersByEvent.get(d) : undefined;
    const locs: string[] = marks ? [] : NO_LOCS;
    if (marks) {
      for (const m of marks) {
        const pos = origin + toFrames(m.position, rate, 'marker');
        let colour = m.colour !== undefined ? m.colour.toUpperCase() : undefined;
        if (colour === undefined && COLOUR_WORDS.has((m.name.split(/\s+/)[0] ?? '').toUpperCase())) colour = 'WHITE';
        locs.push(`* LOC: ${tcText(pos, rate)} ${colour !== undefined ? colour.padEnd(7) + ' ' : ''}${m.name}`.trimEnd());
      }
    }
    const audLine = aud.length === 0 ? '' : aud.includes(3) ? (aud.includes(4) ? 'AUD  3    4' : 'AUD  3') : 'AUD       4';
    // Group 0 is V/A1/A2 (with the AUD line and the LOC notes) when the event has any of them;
    // the others are one channel past 4 each, numbered as events of their own.
    const lowGroup = first ? 1 : 0;
    const groupCount = lowGroup + high.length;
    for (let gi = 0; gi < groupCount; gi++) {
      const isLow = gi < lowGroup;
      lineFor(d, reel, isLow && video, isLow ? low : [high[gi - lowGroup] as number], gi === 0 ? n : ++number, recIn, recOut, srcOut);
      if (isLow && audLine !== '') line(audLine);
      if (speedText !== undefined) {
        // `M2   REEL            SPEED                ENTRY` (spec/edl.md §5).
        out.text('M2   ');
        out.text(reel);
        out.spaces(Math.max(0, reelWidth - reel.length) + 7 + Math.max(0, 5 - speedText.length));
        out.text(speedText);
        out.spaces(16);
        out.timecode(entryFrames, sRate, sRate.dropFrame ? dfSep : ':');
        out.eol();
      }
      if (effectLine !== undefined) line(effectLine);
      for (let i = 0; i < noteCount; i += 2) {
        out.text(notes[i] as string);
        out.text(notes[i + 1] as string);
        out.eol();
      }
      if (gi === 0) for (const x of locs) line(x);
    }
  };
  for (let k = 0; k < eventCount; k++) {
    const d = events[k] as number;
    if (dr.written[d] === 1) continue;
    number++;
    const n = number;
    const split = splitPartner.size > 0 ? splitPartner.get(d) : undefined;
    if (split && split.text !== '') {
      // The first line of a split edit: SPLIT, this line, then its partner under the same number.
      line(split.text);
      writeDraft(d, n);
      writeDraft(split.partner, n);
      dr.written[split.partner] = 1;
      continue;
    }
    writeDraft(d, n);
  }
  const table = edlMeta(timeline)['sourceTable'];
  if (Array.isArray(table)) for (const h of table) if (typeof h === 'string') line(h);
  for (const c of counts.values()) {
    diagnostics.push(diagnostic(c.code === 'edl/off-frame-grid' || c.code === 'edl/reel-truncated' || c.code === 'edl/transition-too-long' || c.code === 'edl/timecode-wrapped' || c.code === 'edl/speed-rounded' ? 'warning' : 'info', c.code, c.n > 1 ? `${c.message} (${c.n} times)` : c.message));
  }
  return { value: out.finish(), diagnostics };
}

/** One list per video track (the audio tracks go in the first), as Resolve and FCP 7 need. */
export function writeLists(timeline: Timeline, options: Omit<EdlWriteOptions, 'videoTrack'> = {}): WriteResult<string>[] {
  const videoCount = timeline.tracks.filter((t) => t.kind === 'video').length;
  if (videoCount <= 1) return [write(timeline, options)];
  const out: WriteResult<string>[] = [];
  for (let i = 0; i < videoCount; i++) {
    const r = write(timeline, { ...options, videoTrack: i, audio: i === 0 && options.audio !== false });
    out.push({ value: r.value, diagnostics: r.diagnostics.filter((d) => d.code !== 'edl/one-video-track') });
  }
  return out;
}

/** Options of {@link writeMarkerList}. */
export interface EdlMarkerListOptions {
  /** List rate (default the timeline's `frameRate`). */
  readonly rate?: FrameRate;
  /** Title (default the timeline's name). */
  readonly title?: string;
  /** Line ending (default LF). */
  readonly eol?: '\n' | '\r\n';
}

const RESOLVE_COLOURS = new Set(['Blue', 'Cyan', 'Green', 'Yellow', 'Red', 'Pink', 'Purple', 'Fuchsia', 'Rose', 'Lavender', 'Sky', 'Mint', 'Lemon', 'Sand', 'Cocoa', 'Cream']);

/**
 * The timeline's markers as a DaVinci Resolve marker list (Timelines > Export > Timeline Markers
 * to EDL; spec/edl.md §6): each marker a one-frame event on reel `001`, `V`, followed by
 * `comment |C:ResolveColorBlue |M:name |D:frames`. Colours Resolve does not have become Blue
 * (reported); positions off the frame grid are rounded to the nearest frame (reported).
 */
export function writeMarkerList(timeline: Timeline, options: EdlMarkerListOptions = {}): WriteResult<string> {
  const rate = options.rate ?? timeline.frameRate;
  const eol = options.eol ?? '\n';
  const diagnostics: Diagnostic[] = [];
  const origin = timeline.startTimecode.rate.equals(rate) ? timeline.startTimecode.frames : Number(timeline.startTimecode.toRationalTime().toFrames(rate, 'nearest'));
  const lines = [`TITLE: ${options.title ?? timeline.name}`, `FCM: ${rate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`, ''];
  const frames = (t: RationalTime): number => {
    const q = t.seconds.times(rate.rate);
    if (!q.isInteger()) diagnostics.push(diagnostic('warning', 'edl/off-frame-grid', 'a marker between frames was rounded to the nearest frame'));
    return Number(q.round('nearest'));
  };
  const sorted = [...timeline.markers].sort((a, b) => a.position.compare(b.position));
  sorted.forEach((m, i) => {
    const pos = origin + frames(m.position);
    const day = rate.framesPerDay;
    const at = ((pos % day) + day) % day;
    const label = (f: number): string => formatFrames(((f % day) + day) % day, rate, ':');
    const duration = m.duration ? Math.max(1, frames(m.duration)) : 1;
    let colour = m.colour ? m.colour.replace(/^ResolveColor/i, '') : 'Blue';
    colour = colour.charAt(0).toUpperCase() + colour.slice(1).toLowerCase();
    if (!RESOLVE_COLOURS.has(colour)) {
      diagnostics.push(diagnostic('info', 'edl/colour-changed', `marker colour "${m.colour}" does not exist in Resolve; written as Blue`));
      colour = 'Blue';
    }
    const n = String(i + 1).padStart(3, '0');
    lines.push(`${n}  001      V     C        ${label(at)} ${label(at + 1)} ${label(at)} ${label(at + 1)}  `);
    lines.push(`${(m.comment ?? '').replace(/[|\r\n]/g, ' ')} |C:ResolveColor${colour} |M:${m.name.replace(/[|\r\n]/g, ' ')} |D:${duration}`);
    lines.push('');
  });
  return { value: lines.join(eol) + eol, diagnostics };
}
