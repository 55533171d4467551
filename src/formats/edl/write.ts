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
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../diagnostics/result.js';
import type { Clip, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../model/types.js';
import type { FrameRate } from '../../time/frame-rate.js';
import { Rational } from '../../time/rational.js';
import type { RationalTime } from '../../time/rational-time.js';
import { formatFrames } from '../../time/timecode.js';

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

/** One record line to write (an event, or each line of a two-line transition). */
interface Draft {
  readonly clip: Clip;
  readonly startFrames: number;
  readonly durationFrames: number;
  readonly sourceFrames: number;
  video: boolean;
  readonly audio: number[];
  /** By track name; the shared empty map until the event has a transition. */
  transitions: Map<string, Transition>;
  readonly order: number;
  /** Kind and length of the transition into this event ('' for none). */
  readonly trKey: string;
}

/**
 * Output lines, each followed by the line ending. Every few thousand lines are joined into one
 * flat string, so the pieces each line is built from die young instead of being kept (as
 * concatenation trees) until the end: writing a long list then costs little garbage collection.
 */
class LineBuffer {
  #pending: string[] = [];
  readonly #chunks: string[] = [];
  readonly #eol: string;

  constructor(eol: string) {
    this.#eol = eol;
  }

  push(line: string): void {
    this.#pending.push(line);
    if (this.#pending.length >= 4096) this.#flush();
  }

  #flush(): void {
    this.#chunks.push(this.#pending.join(this.#eol) + this.#eol);
    this.#pending = [];
  }

  text(): string {
    if (this.#pending.length > 0) this.#flush();
    return this.#chunks.join('');
  }
}

/** Shared empty lists (never written to). */
const NO_CHANNELS: number[] = [];
const NO_NOTES: string[] = [];
const NO_MARKERS: Marker[] = [];

/** The EDL channel field for a line carrying video `v` and audio channels `a` (sorted). */
function channelField(v: boolean, a: readonly number[]): string {
  if (!v && a.length === 1 && (a[0] as number) > 4) return `A${a[0] as number}`;
  const aa = a.includes(1) && a.includes(2) ? 'AA' : a.includes(1) ? 'A' : a.includes(2) ? 'A2' : '';
  if (v) return aa === '' ? 'V' : aa === 'A' ? 'B' : `${aa}/V`;
  return aa === '' ? 'NONE' : aa;
}

/** The transitions of events without any (never written to). */
const NO_TRANSITIONS: Map<string, Transition> = new Map();

const COLOUR_WORDS = new Set(['RED', 'GREEN', 'BLUE', 'CYAN', 'MAGENTA', 'YELLOW', 'BLACK', 'WHITE', 'PINK', 'ORANGE', 'PURPLE']);

/**
 * Writes one CMX 3600 list from a timeline: the chosen video track and (by default) every audio
 * track. Diagnostics list what the list could not hold (`edl/reel-truncated`,
 * `edl/off-frame-grid`, `edl/too-many-events`, `edl/not-written`…).
 */
export function write(timeline: Timeline, options: EdlWriteOptions = {}): WriteResult<string> {
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
  const sourceRateOf = (clip: Clip): FrameRate => {
    const sd = edlMeta(clip)['sourceDropFrame'];
    if (typeof sd === 'boolean' && rate.rate.den === 1001n && rate.nominalFps % 30 === 0) return rate.withDropFrame(sd);
    return rate;
  };
  const toFrames = (t: RationalTime, r: FrameRate, what: string): number => {
    // The hot path of writing: exact, in doubles where they hold the values.
    const exact = t.exactFrames(r);
    if (exact !== undefined) return exact;
    note('edl/off-frame-grid', `${what} positions between frames were rounded to the nearest frame`);
    return Number(t.seconds.times(r.rate).round('nearest'));
  };
  const mediaById = new Map<string, MediaSource>(timeline.media.map((m) => [m.id, m]));
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
  const drafts = new Map<string, Draft>();
  const byMetadata = new Map<object, Draft>();
  const allDrafts: Draft[] = [];
  let order = 0;
  const add = (track: Track, ch: number | undefined): void => {
    const transitionsAt = new Map<number, Transition[]>();
    for (const tr of track.transitions) {
      const k = toFrames(tr.start, rate, 'transition');
      const list = transitionsAt.get(k);
      if (list) list.push(tr);
      else transitionsAt.set(k, [tr]);
    }
    for (const clip of track.clips) {
      const e = edlMeta(clip);
      const startFrames = toFrames(clip.start, rate, 'clip');
      const durationFrames = toFrames(clip.duration, rate, 'clip');
      const sourceFrames = toFrames(clip.sourceStart, sourceRateOf(clip), 'source');
      // A transition belongs to the clip starting where it starts (the one of its event, if named),
      // and to one clip only.
      let tr: Transition | undefined;
      const candidates = transitionsAt.get(startFrames);
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
      // one event line. Clips read from one EDL event share their metadata object: try that first.
      const trKey = tr ? `${tr.kind}${toFrames(tr.duration, rate, 'transition')}` : '';
      let d = e['event'] !== undefined ? byMetadata.get(clip.metadata) : undefined;
      if (d && !(d.startFrames === startFrames && d.durationFrames === durationFrames && d.sourceFrames === sourceFrames &&
        d.clip.name === clip.name && d.clip.media?.mediaId === clip.media?.mediaId && d.trKey === trKey &&
        (d.clip.speed === clip.speed || (d.clip.speed !== undefined && clip.speed !== undefined && d.clip.speed.equals(clip.speed))))) {
        d = undefined;
      }
      if (!d) {
        if (e['event'] !== undefined) {
          d = { clip, startFrames, durationFrames, sourceFrames, video: false, audio: [], transitions: NO_TRANSITIONS, order: order++, trKey };
          byMetadata.set(clip.metadata, d);
          allDrafts.push(d);
        } else {
          const key = `${clip.media?.mediaId ?? ''}|${clip.name}|${startFrames}|${durationFrames}|${sourceFrames}|${clip.speed?.toString() ?? ''}|${trKey}`;
          d = drafts.get(key);
          if (!d) {
            d = { clip, startFrames, durationFrames, sourceFrames, video: false, audio: [], transitions: NO_TRANSITIONS, order: order++, trKey };
            drafts.set(key, d);
            allDrafts.push(d);
          }
        }
      }
      if (ch === undefined) d.video = true;
      else if (!d.audio.includes(ch)) d.audio.push(ch);
      if (tr) (d.transitions === NO_TRANSITIONS ? (d.transitions = new Map()) : d.transitions).set(ch === undefined ? 'V' : `A${ch}`, tr);
      if (clip.fadeIn || clip.fadeOut) note('edl/not-written', 'clip fades are not written (an EDL has no fades; use dissolves to or from BL)');
      if (clip.muted) note('edl/not-written', 'muted clips are written as ordinary events (an EDL has no mute)');
      if ((clip.gainDb !== undefined || clip.gainAutomation) && !fl.audioLevels) note('edl/not-written', 'clip gain is not written in this flavour (premiere writes AUDIO LEVEL notes)');
    }
  };
  if (video) add(video, undefined);
  for (const t of audioTracks) add(t, channelOf.get(t));
  const events = allDrafts.sort((a, b) => a.startFrames - b.startFrames || a.order - b.order);

  // Previous clip on each track, to write the outgoing side of transitions.
  const prevOnTrack = new Map<string, Clip[]>();
  const indexOnTrack = new Map<string, Map<Clip, number>>();
  const previousClip = (trackName: string, clip: Clip): Clip | undefined => {
    const list = prevOnTrack.get(trackName) ?? [];
    let index = indexOnTrack.get(trackName);
    if (!index) indexOnTrack.set(trackName, (index = new Map(list.map((c, i) => [c, i]))));
    const i = index.get(clip) ?? -1;
    return i > 0 ? list[i - 1] : undefined;
  };
  if (video) prevOnTrack.set('V', [...video.clips]);
  for (const t of audioTracks) prevOnTrack.set(`A${channelOf.get(t) as number}`, [...t.clips]);

  const lines = new LineBuffer(eol);
  const title = options.title ?? str(edlMeta(timeline)['title']) ?? timeline.name;
  lines.push(flavourName === 'avid' ? `TITLE:   ${title}` : `TITLE: ${title}`);
  const header = edlMeta(timeline)['header'];
  if (Array.isArray(header)) for (const h of header) if (typeof h === 'string') lines.push(h);
  lines.push(`FCM: ${rate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`);
  let fcmState = rate.dropFrame;

  const dfSep = fl.dfSeparator;
  const tc = (frames: number, r: FrameRate): string => {
    const day = r.framesPerDay;
    let f = frames;
    if (f < 0 || f >= day) {
      note('edl/timecode-wrapped', 'timecodes outside one day were wrapped to 24 hours');
      f = ((f % day) + day) % day;
    }
    return formatFrames(f, r, r.dropFrame ? dfSep : ':');
  };

  // Event numbers: 3 digits (CMX), 6 for File32/File128 lists, wider past 999 events.
  const totalEvents = events.length;
  const width = Math.max(reelWidth > 8 ? 6 : 3, String(totalEvents).length);
  if (totalEvents > 999 && reelWidth <= 8) {
    diagnostics.push(diagnostic('warning', 'edl/too-many-events', `${totalEvents} events: CMX 3600 numbers events 001–999; wider numbers were written`));
  }

  const reelOf = (clip: Clip): string => {
    const e = edlMeta(clip);
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
    const m = mediaById.get(clip.media.mediaId);
    const me = m ? edlMeta(m) : {};
    let reel = str(e['reel']) ?? str(me['reel']) ?? (fl.fileReelAx ? 'AX' : m?.name ?? clip.media.mediaId);
    if (/\s/.test(reel)) {
      note('edl/reel-renamed', 'blanks in reel names were replaced by _');
      reel = reel.replace(/\s+/g, '_');
    }
    if (reel.length > reelWidth) {
      note('edl/reel-truncated', `reel names longer than ${reelWidth} characters were truncated (the full name is in FROM CLIP NAME / SOURCE FILE notes)`);
      reel = reel.slice(0, reelWidth);
    }
    return reel;
  };

  const eventLine = (n: string, reel: string, channels: string, type: string, dur: string, sIn: string, sOut: string, rIn: string, rOut: string): string =>
    `${n}  ${reel.padEnd(reelWidth)} ${channels.padEnd(4)}  ${type.padEnd(4)} ${dur.padStart(3)} ${sIn} ${sOut} ${rIn} ${rOut}`;

  // Markers go after the event holding them (the one named in their metadata, else by position).
  const markersByEvent = new Map<Draft, Marker[]>();
  const eventsByNumber = new Map<string, Draft>();
  if (timeline.markers.length > 0) {
    for (const d of events) {
      const n = str(edlMeta(d.clip)['event']);
      if (n !== undefined && !eventsByNumber.has(n)) eventsByNumber.set(n, d);
    }
  }
  for (const m of timeline.markers) {
    const pos = toFrames(m.position, rate, 'marker');
    const named = str(edlMeta(m)['event']);
    let target = named !== undefined ? eventsByNumber.get(named) : undefined;
    if (!target) {
      // The last event starting at or before the marker (events are sorted by start), else the first.
      let lo = 0;
      let hi = events.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if ((events[mid] as Draft).startFrames <= pos) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      target = events[found >= 0 ? found : 0];
    }
    if (!target) {
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
  const splitPartner = new Map<Draft, { partner: Draft; text: string }>();
  const splitOf = (d: Draft): EdlMeta | undefined => {
    const sp = edlMeta(d.clip)['split'];
    return sp && typeof sp === 'object' && !Array.isArray(sp) ? (sp as EdlMeta) : undefined;
  };
  events.forEach((d, i) => {
    const sp = splitOf(d);
    if (!sp || sp['second'] === true || splitPartner.has(d)) return;
    const event = str(edlMeta(d.clip)['event']);
    for (let j = i + 1; j < Math.min(events.length, i + 64); j++) {
      const o = events[j] as Draft;
      const osp = splitOf(o);
      if (osp?.['second'] === true && str(edlMeta(o.clip)['event']) === event && !splitPartner.has(o)) {
        splitPartner.set(d, { partner: o, text: str(sp['text']) ?? '' });
        splitPartner.set(o, { partner: d, text: '' });
        break;
      }
    }
  });
  if (options.splitEdits) {
    const videoOnly = new Map<string, Draft>();
    const keyOf = (d: Draft): string => `${d.clip.media?.mediaId ?? ''}|${d.clip.name}|${d.startFrames + d.durationFrames}|${d.sourceFrames - d.startFrames}`;
    const plain = (d: Draft): boolean => !splitPartner.has(d) && d.transitions.size === 0 && (d.clip.speed === undefined || d.clip.speed.equals(Rational.ONE)) && d.clip.media !== undefined;
    for (const d of events) if (d.video && d.audio.length === 0 && plain(d)) videoOnly.set(keyOf(d), d);
    for (const a of events) {
      if (a.video || a.audio.length === 0 || !plain(a)) continue;
      const v = videoOnly.get(keyOf(a));
      if (!v || v.startFrames === a.startFrames || splitPartner.has(v)) continue;
      const [first, second] = v.startFrames < a.startFrames ? [v, a] : [a, v];
      const delay = second.startFrames - first.startFrames;
      splitPartner.set(first, { partner: second, text: `SPLIT:    ${second === a ? 'AUDIO' : 'VIDEO'} DELAY=  ${formatFrames(delay, rate, rate.dropFrame ? fl.dfSeparator : ':')}` });
      splitPartner.set(second, { partner: first, text: '' });
      videoOnly.delete(keyOf(a));
    }
  }
  const written = new Set<Draft>();

  let number = 0;
  const writeDraft = (d: Draft, n: string): void => {
    const clip = d.clip;
    const e = edlMeta(clip);
    const reel = reelOf(clip);
    const sRate = sourceRateOf(clip);
    if (sRate.dropFrame !== fcmState) {
      lines.push(`FCM: ${sRate.dropFrame ? 'DROP FRAME' : 'NON-DROP FRAME'}`);
      fcmState = sRate.dropFrame;
    }
    const audio = d.audio.length > 1 ? [...d.audio].sort((a, b) => a - b) : d.audio;
    let low: number[] = NO_CHANNELS;
    let aud: number[] = NO_CHANNELS;
    let high: number[] = NO_CHANNELS;
    for (const c of audio) {
      if (c <= 2) (low === NO_CHANNELS ? (low = []) : low).push(c);
      else if (c <= 4) (aud === NO_CHANNELS ? (aud = []) : aud).push(c);
      else (high === NO_CHANNELS ? (high = []) : high).push(c);
    }
    const recIn = origin + d.startFrames;
    const recOut = recIn + d.durationFrames;
    const speed = clip.speed;
    // Source out: as read (keeps M2 spans and the writer's own rounding), else from the duration.
    const readIn = num(e['sourceIn']);
    const readOut = num(e['sourceOut']);
    let srcOut: number;
    let span = d.durationFrames;
    if (speed && !speed.equals(Rational.ONE)) {
      span = speed.isZero() || d.durationFrames === 0 ? 1 : Number(Rational.of(BigInt(Math.max(0, d.durationFrames - 1))).times(speed.abs()).round('floor')) + 1;
    }
    if (readIn === d.sourceFrames && readOut !== undefined) srcOut = readOut;
    else srcOut = d.sourceFrames + span;

    const lineFor = (chv: boolean, cha: number[], n: string): void => {
      const out = lines;
      const field = channelField(chv, cha);
      const trackName = chv ? 'V' : `A${cha[0] ?? 1}`;
      const tr = d.transitions.get(trackName) ?? [...d.transitions.values()][0];
      if (tr) {
        const te = edlMeta(tr);
        const from = te['from'] && typeof te['from'] === 'object' && !Array.isArray(te['from']) ? (te['from'] as EdlMeta) : undefined;
        // The outgoing side: the clip before this one on the track, at its source out.
        let aReel = str(from?.['reel']);
        let aOut = num(from?.['sourceOut']);
        if (aReel === undefined || aOut === undefined) {
          const prev = previousClip(trackName, clip);
          if (prev && toFrames(prev.start.plus(prev.duration), rate, 'clip') === d.startFrames) {
            aReel = reelOf(prev);
            const pe = edlMeta(prev);
            const pIn = toFrames(prev.sourceStart, sourceRateOf(prev), 'source');
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
        out.push(eventLine(n, aReel, field, 'C', '', tc(aOut, sRate), tc(aOut, sRate), tc(recIn, rate), tc(recIn, rate)));
        out.push(eventLine(n, reel, field, editType, String(durFrames).padStart(3, '0'), tc(d.sourceFrames, sRate), tc(srcOut, sRate), tc(recIn, rate), tc(recOut, rate)));
      } else {
        out.push(eventLine(n, reel, field, 'C', '', tc(d.sourceFrames, sRate), tc(srcOut, sRate), tc(recIn, rate), tc(recOut, rate)));
      }
    };

    // The lines of this event: V/A1/A2 on one line (channels 3 and 4 on an AUD line), channels
    // past 4 on lines of their own (Avid's A5… form), each followed by the event's notes.
    const groups: { v: boolean; a: number[]; aud: number[] }[] = d.video || low.length > 0 || aud.length > 0 ? [{ v: d.video, a: low, aud }] : [];
    for (const ch of high) {
      if (flavourName === 'cmx3600') note('edl/channel-beyond-cmx', 'audio channels past 4 were written as A5… events (Avid form; classic CMX 3600 holds 4)');
      groups.push({ v: false, a: [ch], aud: [] });
    }
    const notes: string[] = [];
    let effectLine: string | undefined;
    const name = clip.name;
    if (d.transitions.size > 0) {
      const tr = [...d.transitions.values()][0] as Transition;
      const te = edlMeta(tr);
      const from = te['from'] && typeof te['from'] === 'object' && !Array.isArray(te['from']) ? (te['from'] as EdlMeta) : undefined;
      const effect = str(te['effect']);
      if (effect !== undefined) effectLine = `EFFECTS NAME IS ${effect}`;
      const fromName = str(from?.['clipName']) ?? str(e['fromClipName']);
      if (fromName !== undefined) notes.push(`* FROM CLIP NAME:${fl.clipNameSpaces}${fromName}`);
      notes.push(`* TO CLIP NAME:${fl.clipNameSpaces}${name}`);
    } else {
      notes.push(`* FROM CLIP NAME:${fl.clipNameSpaces}${name}`);
    }
    const sourceFile = str(e['sourceFile']) ?? (clip.media ? str(edlMeta(mediaById.get(clip.media.mediaId) ?? { metadata: {} })['sourceFile']) : undefined);
    if (sourceFile !== undefined && (fl.sourceFile || str(e['sourceFile']) !== undefined)) notes.push(`* SOURCE FILE: ${sourceFile}`);
    const kept = Array.isArray(e['notes']) ? (e['notes'] as JsonValue[]).filter((x): x is string => typeof x === 'string') : NO_NOTES;
    const levelNotes = fl.audioLevels && (clip.gainDb !== undefined || clip.gainAutomation !== undefined);
    for (const k of kept) {
      if (levelNotes && /AUDIO LEVEL/i.test(k)) continue;
      notes.push(k);
    }
    if (fl.freezeNote && speed?.isZero() && !kept.some((k) => /FREEZE FRAME/i.test(k))) notes.push('* * FREEZE FRAME');
    if (levelNotes) {
      for (const ch of audio) {
        if (clip.gainAutomation && clip.gainAutomation.length > 0) {
          for (const p of clip.gainAutomation) {
            notes.push(`* AUDIO LEVEL AT ${tc(d.sourceFrames + toFrames(p.time, sRate, 'gain'), sRate)} IS ${p.gainDb.toFixed(2)} DB  (REEL ${reel} A${ch})`);
          }
        } else if (clip.gainDb !== undefined) {
          notes.push(`* AUDIO LEVEL AT ${tc(d.sourceFrames, sRate)} IS ${clip.gainDb.toFixed(2)} DB  (REEL ${reel} A${ch})`);
        }
      }
    }
    let m2Line: string | undefined;
    if (speed) {
      const m2 = e['m2'] && typeof e['m2'] === 'object' && !Array.isArray(e['m2']) ? (e['m2'] as EdlMeta) : undefined;
      const fps = speed.times(Rational.of(rate.nominalFps));
      let speedText = str(m2?.['speed']);
      const readRatio = speedText !== undefined ? Rational.parse(speedText.replace(/^\+/, ''))?.dividedBy(Rational.of(rate.nominalFps)) : undefined;
      if (speedText === undefined || !readRatio || !readRatio.equals(speed)) {
        const tenths = fps.times(Rational.of(10)).round('nearest');
        if (!Rational.of(tenths, 10).equals(fps)) note('edl/speed-rounded', 'M2 speeds were rounded to 0.1 frame per second');
        const neg = tenths < 0n;
        const abs = neg ? -tenths : tenths;
        speedText = (neg ? '-' : '') + `${abs / 10n}`.padStart(3, '0') + '.' + `${abs % 10n}`;
      }
      const entryRead = num(m2?.['entryFrames']);
      const entry = entryRead !== undefined && readIn === d.sourceFrames ? entryRead : speed.sign() < 0 ? srcOut - 1 : d.sourceFrames;
      m2Line = `M2   ${reel.padEnd(reelWidth)}       ${speedText.padStart(5)}                ${tc(entry, sRate)}`;
    }
    const locs: string[] = [];
    for (const m of markersByEvent.get(d) ?? NO_MARKERS) {
      const pos = origin + toFrames(m.position, rate, 'marker');
      let colour = m.colour !== undefined ? m.colour.toUpperCase() : undefined;
      if (colour === undefined && COLOUR_WORDS.has((m.name.split(/\s+/)[0] ?? '').toUpperCase())) colour = 'WHITE';
      locs.push(`* LOC: ${tc(pos, rate)} ${colour !== undefined ? colour.padEnd(7) + ' ' : ''}${m.name}`.trimEnd());
    }
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi] as { v: boolean; a: number[]; aud: number[] };
      let num = n;
      if (gi > 0) {
        number++;
        num = String(number).padStart(width, '0');
      }
      lineFor(g.v, g.a, num);
      if (g.aud.length > 0) lines.push(`AUD  ${g.aud.includes(3) ? '3' : ' '}    ${g.aud.includes(4) ? '4' : ''}`.trimEnd());
      if (m2Line !== undefined) lines.push(m2Line);
      if (effectLine !== undefined && (d.transitions.has(g.v ? 'V' : `A${g.a[0] ?? 1}`) || d.transitions.size > 0)) lines.push(effectLine);
      for (const x of notes) lines.push(x);
      if (gi === 0) for (const x of locs) lines.push(x);
    }
  };
  for (const d of events) {
    if (written.has(d)) continue;
    number++;
    const n = String(number).padStart(width, '0');
    const split = splitPartner.get(d);
    if (split && split.text !== '') {
      // The first line of a split edit: SPLIT, this line, then its partner under the same number.
      lines.push(split.text);
      writeDraft(d, n);
      writeDraft(split.partner, n);
      written.add(split.partner);
      continue;
    }
    writeDraft(d, n);
  }
  const table = edlMeta(timeline)['sourceTable'];
  if (Array.isArray(table)) for (const h of table) if (typeof h === 'string') lines.push(h);
  for (const c of counts.values()) {
    diagnostics.push(diagnostic(c.code === 'edl/off-frame-grid' || c.code === 'edl/reel-truncated' || c.code === 'edl/transition-too-long' || c.code === 'edl/timecode-wrapped' || c.code === 'edl/speed-rounded' ? 'warning' : 'info', c.code, c.n > 1 ? `${c.message} (${c.n} times)` : c.message));
  }
  return { value: lines.text(), diagnostics };
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
