/**
 * Session Info as Text → {@link Timeline} (spec/protools.md §1; issue 9 "Into the timeline").
 *
 * - Header → name, sample rate, bit depth, frame rate, start timecode; timeline position 0 is the
 *   session start.
 * - Files → media sources (`id` = file name); clip lists map clip names to files and channels.
 * - Each track block → a track. Rows of a multichannel track that line up on every channel (same
 *   times and state, the usual `.L`/`.R` case) become one clip; otherwise each row is its own clip
 *   with `media.channel`. `(fade in)`/`(fade out)` pseudo-events become the neighbouring clip's
 *   fades (the clip is lengthened by them), `(cross fade)` becomes a transition.
 * - Positions are sample counts from the session start: timecode labels are absolute (frames
 *   truncated by Pro Tools' display, so they pin the frame, not the sample), samples are exact,
 *   min:secs, feet+frames and bars|beats are display values (an info diagnostic says so).
 *   DURATION is read from its own column, never from END − START (EXPECTED.md, TracksOnly).
 * - Markers: `Samples` markers use TIME REFERENCE (exact samples from the session start),
 *   `Ticks` markers their LOCATION. PT 2023.12 track markers carry `track`.
 * - ptulsconv tags in clip, track and marker names are parsed ({@link parseTags}) and compiled
 *   onto each clip in `metadata['pt-text'].fields` with ptulsconv's precedence.
 *
 * Everything the model has no field for stays in `metadata['pt-text']` so {@link write} gives back
 * the same bytes for an unchanged timeline.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { diagnostic } from '../../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../../diagnostics/result.js';
import { createMarker, createMediaSource, createTimeline, createTrack, createTransition } from '../../../model/build.js';
import type { Clip, JsonValue, Marker, MediaSource, Timeline, Track, Transition } from '../../../model/types.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { Rational } from '../../../time/rational.js';
import { RationalTime } from '../../../time/rational-time.js';
import { labelToFrames, Timecode } from '../../../time/timecode.js';
import { parseTags, type TaggedText } from '../tags.js';
import type { SessionTextEncoding } from './encoding.js';
import { readSessionText, type EventRow, type MarkerRow, type SessionTextDocument, type TrackBlock } from './syntax.js';
import { detectTimeFormat, durationToSamples, parseTimeValue, positionToSamples, timecodeLabelToSamples, type SessionClock, type SessionTimeFormat } from './time-values.js';

/** Options of {@link parse}. */
export interface PtTextReadOptions {
  /** Force the text encoding (default: detected, spec §1.9). */
  readonly encoding?: SessionTextEncoding;
  /** Tempo for bars|beats cells, which the export does not state (default 120 bpm, 4 beats per bar). */
  readonly tempo?: { readonly bpm: number; readonly beatsPerBar?: number };
  /** Film frames per second of feet+frames cells (Pro Tools' *feet+frames rate*; default 24). */
  readonly feetFramesFps?: number;
  /** `strict`: warnings become errors and the parse fails. */
  readonly mode?: 'strict' | 'tolerant';
  /** File name for diagnostics. */
  readonly source?: string;
}

/** The format id and metadata key. */
export const PT_TEXT = 'pt-text';

const FADE_NAMES = new Set(['(fade in)', '(fade out)', '(cross fade)']);

/** Reads an export into a timeline. Never throws; see the module comment for the mapping. */
export function parse(input: string | Uint8Array, options: PtTextReadOptions = {}): ParseResult<Timeline> {
  const { document, diagnostics } = readSessionText(input, {
    ...(options.encoding !== undefined ? { encoding: options.encoding } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
  return buildTimeline(document, options, diagnostics);
}

/** The session clock of a document (sample rate, frame rate, start), with diagnostics for missing or bad header values. */
export function sessionClock(doc: SessionTextDocument, options: PtTextReadOptions = {}, diagnostics: Diagnostic[] = []): { clock: SessionClock; start: Timecode; name: string; bitDepth?: number } {
  const get = (label: string): string | undefined => doc.header.find((h) => h.label === label)?.value;
  const here = (label: string): Diagnostic['at'] => {
    const k = doc.header.findIndex((h) => h.label === label);
    return { offset: 0, line: (doc.preamble?.length ?? 0) + (k < 0 ? 0 : k) + 1, column: 1 };
  };
  const name = get('SESSION NAME') ?? '';
  let sampleRate = 48000n;
  const srText = get('SAMPLE RATE');
  const sr = srText !== undefined ? Rational.parse(srText) : undefined;
  if (sr && sr.isInteger() && sr.sign() > 0) sampleRate = sr.num;
  else diagnostics.push(diagnostic('warning', 'pt-text/bad-sample-rate', srText === undefined ? 'no SAMPLE RATE in the header; assuming 48000' : `SAMPLE RATE "${srText}" is not a whole number of Hz; assuming 48000`, { at: here('SAMPLE RATE'), ...(srText !== undefined ? { received: srText } : {}) }));
  let rate = FrameRate.FPS_30;
  const tf = get('TIMECODE FORMAT');
  const tfm = tf !== undefined ? /^([\d.]+)\s+(Drop\s+)?Frame$/i.exec(tf) : null;
  const parsedRate = tfm ? FrameRate.parse(`${tfm[1]}${tfm[2] ? 'df' : ''}`) : undefined;
  if (parsedRate?.ok) rate = parsedRate.value;
  else diagnostics.push(diagnostic('warning', 'pt-text/bad-timecode-format', tf === undefined ? 'no TIMECODE FORMAT in the header; assuming 30 fps' : `TIMECODE FORMAT "${tf}" is not "<rate> Frame" or "<rate> Drop Frame"; assuming 30 fps`, { at: here('TIMECODE FORMAT'), ...(tf !== undefined ? { received: tf } : {}) }));
  const stText = get('SESSION START TIMECODE');
  let startSamples = 0n;
  let start = Timecode.fromFrames(0, rate);
  const st = stText !== undefined ? parseTimeValue(stText) : undefined;
  if (st && st.format === 'timecode' && st.hours < 24 && st.minutes < 60 && st.seconds < 60 && st.frames < rate.nominalFps) {
    const clock0: SessionClock = { sampleRate, rate, startSamples: 0n };
    startSamples = timecodeLabelToSamples(st, clock0);
    start = Timecode.fromFrames(labelToFrames(st.hours, st.minutes, st.seconds, st.frames, rate), rate, st.subframes !== undefined ? { subframes: Math.min(st.subframes, 99), subframeBase: 100 } : {});
  } else {
    diagnostics.push(diagnostic('warning', 'pt-text/bad-start', stText === undefined ? 'no SESSION START TIMECODE; assuming 00:00:00:00' : `SESSION START TIMECODE "${stText}" is not a timecode at ${rate.name}; assuming 00:00:00:00`, { at: here('SESSION START TIMECODE'), ...(stText !== undefined ? { received: stText } : {}) }));
  }
  const bd = /^(\d+)-bit$/.exec(get('BIT DEPTH') ?? '');
  const bpm = options.tempo ? Rational.fromNumber(options.tempo.bpm) : undefined;
  const clock: SessionClock = {
    sampleRate,
    rate,
    startSamples,
    ...(bpm ? { bpm: [bpm.num, bpm.den] as const } : {}),
    ...(options.tempo?.beatsPerBar !== undefined ? { beatsPerBar: options.tempo.beatsPerBar } : {}),
    ...(options.feetFramesFps !== undefined ? { feetFramesFps: options.feetFramesFps } : {}),
  };
  return { clock, start, name, ...(bd ? { bitDepth: Number(bd[1]) } : {}) };
}

/** Metadata kept per event row so the writer can tell an unchanged row and give back its bytes. */
export interface RowMeta {
  channel: number;
  event: number;
  name: string;
  state: string;
  /** Samples from the session start, as decimal strings (JSON has no bigint). */
  start: string;
  duration: string;
  timestamp?: string;
  raw?: string;
}

interface Entry {
  start: bigint;
  duration: bigint;
  muted: boolean;
  row: RowMeta;
  fadeIn?: RowMeta;
  fadeOut?: RowMeta;
}

/** Builds the timeline of a document (the second half of {@link parse}). */
export function buildTimeline(doc: SessionTextDocument, options: PtTextReadOptions = {}, diagnostics: Diagnostic[] = []): ParseResult<Timeline> {
  const src = options.source !== undefined ? { source: options.source } : {};
  const { clock, start, name, bitDepth } = sessionClock(doc, options, diagnostics);
  const sr = clock.sampleRate;
  const toTime = (samples: bigint): RationalTime => RationalTime.fromSamples(samples, sr);

  // Media: every file list; clip lists map clip names to a file and channel.
  const media: MediaSource[] = [];
  const mediaIds = new Set<string>();
  const clipFiles = new Map<string, { file: string; channel?: number }>();
  for (const s of doc.sections) {
    if (s.kind === 'files') {
      for (const f of s.rows) {
        if (mediaIds.has(f.name)) continue;
        mediaIds.add(f.name);
        media.push(createMediaSource({ id: f.name, name: f.name, kind: 'audio', url: f.location + f.name, metadata: { [PT_TEXT]: { location: f.location, list: s.list, ...(s.list === 'offline' ? { offline: true } : {}) } } }));
      }
    } else if (s.kind === 'clips') {
      for (const c of s.rows) clipFiles.set(c.name, { file: c.sourceFile, ...(c.channel !== undefined ? { channel: c.channel } : {}) });
    }
  }

  // Time format: from the first start cell (or marker location).
  const startCells: string[] = [];
  for (const s of doc.sections) {
    if (s.kind === 'tracks') for (const t of s.tracks) for (const g of t.groups) for (const r of g.rows) if (r.kind === 'event') startCells.push(r.start);
    if (s.kind === 'markers') for (const m of s.rows) startCells.push(m.location);
    if (startCells.length > 0) break;
  }
  const detected = detectTimeFormat(startCells.slice(0, 4));
  const timeFormat: SessionTimeFormat = detected?.format ?? 'timecode';
  const subframes = detected?.subframes ?? /\.\d+$/.test(doc.header.find((h) => h.label === 'SESSION START TIMECODE')?.value ?? '');
  if (timeFormat === 'min-secs' || timeFormat === 'bars-beats' || timeFormat === 'feet-frames') {
    diagnostics.push(diagnostic('info', 'pt-text/display-resolution', `positions are in ${timeFormat}, a display format: clip times are exact only to its resolution${timeFormat === 'bars-beats' ? ` and assume ${options.tempo?.bpm ?? 120} bpm` : ''}`, src));
  }

  const time = (text: string, line: number | undefined, what: 'position' | 'duration'): bigint | undefined => {
    const v = parseTimeValue(text);
    if (!v) {
      diagnostics.push(diagnostic('warning', 'pt-text/bad-time', `"${text}" is not a time in any of Pro Tools' formats`, { at: { offset: 0, line: line ?? 0, column: 1 }, received: text, ...src }));
      return undefined;
    }
    if (v.format === 'timecode' && (v.minutes > 59 || v.seconds > 59 || v.frames > clock.rate.nominalFps)) {
      diagnostics.push(diagnostic('warning', 'pt-text/bad-time', `"${text}" is not a valid label at ${clock.rate.name}`, { at: { offset: 0, line: line ?? 0, column: 1 }, received: text, ...src }));
      return undefined;
    }
    return (what === 'position' ? positionToSamples(v, clock) : durationToSamples(v, clock)).samples;
  };

  const tracks: Track[] = [];
  const trackBlocks: TrackBlock[] = [];
  const sections: JsonValue[] = [];
  const markers: Marker[] = [];
  // Markers first: clip tags compile against them (ptulsconv precedence).
  for (const s of doc.sections) {
    if (s.kind !== 'markers') continue;
    for (const m of s.rows) {
      const mk = buildMarker(m);
      if (mk) markers.push(mk);
    }
  }
  const tagCtx = tagContext(markers, name);
  for (const s of doc.sections) {
    if (s.kind === 'tracks') {
      sections.push({ kind: 'tracks', title: s.title, blankLinesAfter: s.blankLinesAfter });
      for (const t of s.tracks) {
        trackBlocks.push(t);
        tracks.push(buildTrack(t));
      }
    } else if (s.kind === 'markers') {
      sections.push({ kind: 'markers', title: s.title, layout: s.layout, ...(s.columns !== undefined ? { columns: s.columns } : {}), blankLinesAfter: s.blankLinesAfter });
    } else {
      sections.push(JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === 'line' ? undefined : v))) as JsonValue);
    }
  }

  function buildTrack(t: TrackBlock): Track {
    const byChannel = new Map<number, Entry[]>();
    const transitions: Transition[] = [];
    const otherRows: string[] = [];
    for (const g of t.groups) {
      for (let k = 0; k < g.rows.length; k++) {
        const r = g.rows[k] as EventRow | { kind: 'other'; raw: string };
        if (r.kind === 'other') {
          otherRows.push(r.raw);
          continue;
        }
        const st = time(r.start, r.line, 'position');
        const du = time(r.duration, r.line, 'duration');
        if (st === undefined || du === undefined) {
          if (r.raw !== undefined) otherRows.push(r.raw);
          continue;
        }
        const meta: RowMeta = { channel: r.channel, event: r.event, name: r.name, state: r.state, start: String(st), duration: String(du) };
        if (r.timestamp !== undefined) meta.timestamp = r.timestamp;
        if (r.raw !== undefined) meta.raw = r.raw;
        let list = byChannel.get(r.channel);
        if (!list) byChannel.set(r.channel, (list = []));
        if (r.state !== 'Muted' && r.state !== 'Unmuted') {
          diagnostics.push(diagnostic('warning', 'pt-text/bad-state', `event state "${r.state}" is neither Muted nor Unmuted`, { at: { offset: 0, line: r.line ?? 0, column: 1 }, received: r.state, ...src }));
        }
        if (r.name === '(cross fade)') {
          if (r.channel === 1) transitions.push(createTransition({ kind: 'crossfade', start: toTime(st), duration: toTime(du), metadata: { [PT_TEXT]: { rows: [meta as unknown as JsonValue] } } }));
          else {
            const tr = transitions.find((x) => x.start.equals(toTime(st)) && x.duration.equals(toTime(du)));
            if (tr) {
              const rows = ((tr.metadata[PT_TEXT] as { rows: JsonValue[] }).rows);
              rows.push(meta as unknown as JsonValue);
            } else transitions.push(createTransition({ kind: 'crossfade', start: toTime(st), duration: toTime(du), metadata: { [PT_TEXT]: { rows: [meta as unknown as JsonValue] } } }));
          }
          continue;
        }
        if (r.name === '(fade in)') {
          // Held until the clip it leads into (the next row of the channel).
          list.push({ start: st, duration: du, muted: false, row: meta, fadeIn: meta });
          continue;
        }
        const prev = list[list.length - 1];
        if (r.name === '(fade out)' && prev && prev.row.name !== '(fade in)' && prev.start + prev.duration === st) {
          prev.duration += du;
          prev.fadeOut = meta;
          continue;
        }
        if (prev && prev.row.name === '(fade in)' && prev.start + prev.duration === st && !FADE_NAMES.has(r.name)) {
          list[list.length - 1] = { start: prev.start, duration: prev.duration + du, muted: r.state === 'Muted', row: meta, fadeIn: prev.row };
          continue;
        }
        list.push({ start: st, duration: du, muted: r.state === 'Muted', row: meta });
      }
    }
    // A fade-in that leads into no clip stays a row of its own.
    for (const l of byChannel.values()) for (const e of l) if (e.row.name === '(fade in)') delete e.fadeIn;
    const channelNumbers = [...byChannel.keys()].sort((a, b) => a - b);
    const totalBlanks = t.groups.reduce((n, g) => n + g.blankLinesAfter, 0);
    const channels = Math.max(1, channelNumbers[channelNumbers.length - 1] ?? Math.floor(totalBlanks / 2));
    const clips: Clip[] = [];
    const lists = channelNumbers.map((c) => byChannel.get(c) as Entry[]);
    const first = lists[0] ?? [];
    const aligned =
      lists.length > 1 &&
      lists.length === channels &&
      lists.every((l) => l.length === first.length && l.every((e, k) => { const f = first[k] as Entry; return e.start === f.start && e.duration === f.duration && e.muted === f.muted && !!e.fadeIn === !!f.fadeIn && !!e.fadeOut === !!f.fadeOut; }));
    const nameTags = parseTags(t.name);
    const commentTags = parseTags(t.comments);
    const ownSpans: Span[] = [];
    const mk = (entries: Entry[], channel: number | undefined): Clip => {
      const e = entries[0] as Entry;
      const file = clipFiles.get(e.row.name);
      const tags = parseTags(e.row.name, true);
      const fadeDur = (m: RowMeta | undefined): RationalTime | undefined => (m ? toTime(BigInt(m.duration)) : undefined);
      const fi = fadeDur(e.fadeIn);
      const fo = fadeDur(e.fadeOut);
      let mediaRef: Clip['media'];
      if (file) {
        const sameFile = entries.every((x, k) => { const f = clipFiles.get(x.row.name); return f && f.file === file.file && (f.channel ?? k + 1) === k + 1; });
        mediaRef = channel === undefined && entries.length > 1 && sameFile ? { mediaId: file.file } : { mediaId: file.file, ...(file.channel !== undefined ? { channel: file.channel } : {}) };
      }
      // Built as one literal with conditional assignments: this runs once per clip of big sessions.
      const start = toTime(e.start);
      const duration = toTime(e.duration);
      const ptMeta: Record<string, JsonValue> = {
        rows: (entries.length === 1 && !e.fadeIn && !e.fadeOut ? [e.row] : entries.map((x) => (x.fadeIn || x.fadeOut ? { ...x.row, ...(x.fadeIn ? { fadeIn: x.fadeIn } : {}), ...(x.fadeOut ? { fadeOut: x.fadeOut } : {}) } : x.row))) as unknown as JsonValue,
        tags: tagsJson(tags),
      };
      if (e.row.timestamp !== undefined) ptMeta['timestamp'] = e.row.timestamp;
      if (fi || fo) ptMeta['fadeShape'] = 'unknown';
      if (tags.mode === 'timespan') ownSpans.push({ start, end: start.plus(duration), fields: tags.fields });
      else if (tags.mode !== 'directive') ptMeta['fields'] = tagCtx.fieldsFor(start, tags.fields, nameTags.fields, commentTags.fields);
      const clip: { -readonly [K in keyof Clip]: Clip[K] } = { name: e.row.name, start, duration, sourceStart: RationalTime.ZERO, metadata: { [PT_TEXT]: ptMeta } };
      if (mediaRef) clip.media = mediaRef;
      if (fi) clip.fadeIn = { duration: fi, shape: 'linear' };
      if (fo) clip.fadeOut = { duration: fo, shape: 'linear' };
      if (e.muted) clip.muted = true;
      return clip;
    };
    if (aligned || lists.length === 1) {
      for (let k = 0; k < first.length; k++) clips.push(mk(lists.map((l) => l[k] as Entry), lists.length === 1 && channels > 1 ? channelNumbers[0] : undefined));
    } else {
      for (let i = 0; i < lists.length; i++) for (const e of lists[i] as Entry[]) clips.push(mk([e], channelNumbers[i]));
    }
    tagCtx.addSpans(ownSpans);
    const muted = t.state.includes('Muted');
    const solo = t.state.includes('Solo');
    return createTrack({
      kind: 'audio',
      name: t.name,
      channels,
      clips,
      transitions,
      ...(muted ? { muted: true } : {}),
      ...(solo ? { solo: true } : {}),
      ...(t.comments !== '' ? { comments: t.comments } : {}),
      metadata: {
        [PT_TEXT]: {
          userDelay: t.userDelay,
          state: [...t.state],
          ...(t.plugins !== undefined ? { plugins: [...t.plugins] } : {}),
          hasTimestamp: t.hasTimestamp,
          ...(t.hasColumnHeader === false ? { hasColumnHeader: false } : {}),
          layout: t.groups.map((g) => g.blankLinesAfter),
          ...(t.rawHeader !== undefined ? { rawHeader: t.rawHeader } : {}),
          ...(otherRows.length > 0 ? { otherRows } : {}),
          nameTags: tagsJson(nameTags),
          commentTags: tagsJson(commentTags),
        },
      },
    });
  }

  function buildMarker(m: MarkerRow): Marker | undefined {
    let samples: bigint | undefined;
    if (m.units === 'Samples' && /^-?\d+$/.test(m.timeReference)) samples = BigInt(m.timeReference);
    else samples = time(m.location, m.line, 'position');
    if (samples === undefined) return undefined;
    const isTrack = m.trackType === 'Track';
    return createMarker({
      name: m.name,
      position: toTime(samples),
      ...(m.comments !== '' ? { comment: m.comments } : {}),
      ...(isTrack && m.trackName !== undefined ? { track: m.trackName } : {}),
      metadata: {
        [PT_TEXT]: {
          number: m.number,
          location: m.location,
          timeReference: m.timeReference,
          units: m.units,
          // Legacy listings hold only ruler markers of the first ruler (DAWFileKit's default, §1.7).
          ruler: m.trackType === undefined ? 'Markers' : isTrack ? null : (m.trackName ?? 'Markers'),
          ...(m.trackName !== undefined ? { trackName: m.trackName } : {}),
          ...(m.trackType !== undefined ? { trackType: m.trackType } : {}),
          position: String(samples),
          ...(m.raw !== undefined ? { raw: m.raw } : {}),
          nameTags: tagsJson(parseTags(m.name)),
          commentTags: tagsJson(parseTags(m.comments)),
        },
      },
    });
  }


  const timeline = createTimeline({
    name,
    sampleRate: Number(sr),
    ...(bitDepth !== undefined ? { bitDepth } : {}),
    frameRate: clock.rate,
    startTimecode: start,
    tracks,
    markers,
    media,
    metadata: {
      [PT_TEXT]: {
        encoding: doc.encoding,
        bom: doc.bom,
        lineEnding: doc.lineEnding,
        finalNewline: doc.finalNewline,
        header: doc.header.map((h) => ({ label: h.label, value: h.value, ...(h.raw !== undefined ? { raw: h.raw } : {}) })),
        headerBlankLinesAfter: doc.headerBlankLinesAfter,
        ...(doc.preamble ? { preamble: [...doc.preamble] } : {}),
        sections,
        timeFormat,
        subframes,
        sessionTags: tagsJson(parseTags(name)),
      },
    },
  });
  // Document-level and model-level findings in input order.
  diagnostics.sort((a, b) => (a.at?.line ?? 0) - (b.at?.line ?? 0));
  if (options.mode === 'strict') {
    const bad = diagnostics.filter((d) => d.severity === 'warning').map((d) => ({ ...d, severity: 'error' as const }));
    if (bad.length > 0) return fail(bad[0] as Diagnostic, ...bad.slice(1));
  }
  return ok(timeline, diagnostics);
}

function tagsJson(t: TaggedText): JsonValue {
  // parseTags returns a fresh object: no copy needed.
  return t as unknown as JsonValue;
}

interface Span {
  readonly start: RationalTime;
  readonly end: RationalTime;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * ptulsconv's tag precedence (spec §1.11, `tag_compiler.py`), lowest first: session name, markers
 * at or before the clip's start in time order (comment, then name; track markers skipped), the
 * time-span (`@`) clip listed first on an earlier track whose span holds the clip's start
 * (inclusive), track comment, track name, clip name. The result goes to
 * `metadata['pt-text'].fields` of every clip that is not itself a time span or directive. Muted
 * clips get fields too (ptulsconv leaves them out of its reports).
 */
function tagContext(markers: readonly Marker[], sessionName: string): {
  fieldsFor(start: RationalTime, clip: Readonly<Record<string, string>>, trackName: Readonly<Record<string, string>>, trackComment: Readonly<Record<string, string>>): Record<string, string>;
  addSpans(spans: readonly Span[]): void;
} {
  const session = parseTags(sessionName).fields;
  const ruler = markers.filter((m) => (m.metadata[PT_TEXT] as { trackType?: string } | undefined)?.trackType !== 'Track').sort((a, b) => a.position.compare(b.position));
  // markerFields[k] = session fields merged with markers 0..k (comment, then name), computed once.
  const markerFields: Record<string, string>[] = [];
  let acc: Record<string, string> = { ...session };
  for (const mk of ruler) {
    const mm = mk.metadata[PT_TEXT] as { nameTags: { fields: Record<string, string> }; commentTags: { fields: Record<string, string> } };
    acc = { ...acc, ...mm.commentTags.fields, ...mm.nameTags.fields };
    markerFields.push(acc);
  }
  const spans: Span[] = [];
  return {
    fieldsFor(start, clip, trackName, trackComment) {
      // The last marker at or before the clip's start (binary search), then its prefix-merged fields.
      let lo = 0;
      let hi = ruler.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((ruler[mid] as Marker).position.compare(start) <= 0) lo = mid + 1;
        else hi = mid;
      }
      const span = spans.find((s) => s.start.compare(start) <= 0 && start.compare(s.end) <= 0);
      return { ...(lo > 0 ? markerFields[lo - 1] : session), ...span?.fields, ...trackComment, ...trackName, ...clip };
    },
    addSpans(more) {
      spans.push(...more);
    },
  };
}
