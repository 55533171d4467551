/**
 * {@link Timeline} → Session Info as Text, in any of Pro Tools' five time formats, laid out as
 * Pro Tools lays it out (spec/protools.md §1). A timeline read by {@link parse} and written back
 * unchanged gives the same bytes: rows whose clip or marker still has the position, length, name
 * and state it was read with are written from their original text (kept in
 * `metadata['pt-text']`), everything else is formatted.
 *
 * What the format cannot hold is reported: source offsets, clip gain and automation, fade shapes,
 * marker durations and colours, video tracks (`pt-text/lossy-*` warnings).
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { warning } from '../../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../../diagnostics/result.js';
import type { Clip, Marker, Timeline, Track } from '../../../model/types.js';
import type { FrameRate } from '../../../time/frame-rate.js';
import type { RationalTime } from '../../../time/rational-time.js';
import type { SessionTextEncoding } from './encoding.js';
import { PT_TEXT, type RowMeta as ReadRowMeta } from './read.js';
import {
  encodeSessionTextDocument,
  formatSessionText,
  parseEventRow,
  SECTION_TITLES,
  type EventGroup,
  type EventRow,
  type HeaderField,
  type MarkerRow,
  type SessionTextDocument,
  type SessionTextSection,
  type TrackBlock,
} from './syntax.js';
import { formatDuration, formatPosition, timecodeLabelToSamples, parseTimeValue, type SessionClock, type SessionTimeFormat } from './time-values.js';

/** Options of {@link write}. */
export interface PtTextWriteOptions {
  /** Main time format (default: the one the timeline was read with, else timecode). */
  readonly timeFormat?: SessionTimeFormat;
  /** Show sub-frames (default: as read, else false). */
  readonly subframes?: boolean;
  /** Include the TIMESTAMP column (default: per track as read, else false). */
  readonly timestamps?: boolean;
  /** Marker layout (default: as read, else `legacy`; `2023.12` adds TRACK NAME and TRACK TYPE). */
  readonly markerLayout?: 'legacy' | '2023.12';
  /** Text encoding for {@link writeBytes} (default: as read, else Mac OS Roman, Pro Tools' default). */
  readonly encoding?: SessionTextEncoding;
  /** Film frames per second for feet+frames output (default 24). */
  readonly feetFramesFps?: number;
  /** Tempo for bars|beats output (default 120 bpm, 4 beats per bar). */
  readonly tempo?: { readonly bpm: number; readonly beatsPerBar?: number };
}

/** A row's metadata as the reader keeps it, with the fade rows written beside it. */
interface RowMeta extends ReadRowMeta {
  fadeIn?: RowMeta;
  fadeOut?: RowMeta;
}

interface TimelineMeta {
  encoding?: SessionTextEncoding;
  bom?: boolean;
  lineEnding?: '\n' | '\r\n' | '\r';
  finalNewline?: boolean;
  header?: { label: string; value: string; raw?: string }[];
  headerBlankLinesAfter?: number;
  preamble?: string[];
  sections?: (SessionTextSection | { kind: 'tracks'; title: string; blankLinesAfter: number } | { kind: 'markers'; title: string; layout: 'legacy' | '2023.12'; columns?: string; blankLinesAfter: number })[];
  timeFormat?: SessionTimeFormat;
  subframes?: boolean;
}

/** The Pro Tools name of a rate in TIMECODE FORMAT (`23.976`, `29.97`, `25`…). */
function rateLabel(rate: FrameRate): string {
  return rate.name.replace(/n?df$/, '');
}

/** Builds the lossless document for a timeline (what {@link write} formats). */
export function toDocument(timeline: Timeline, options: PtTextWriteOptions = {}): { document: SessionTextDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lossyCodes = new Set<string>();
  const lossy = (code: `pt-text/${string}`, message: string): void => {
    if (lossyCodes.has(code)) return; // once per kind: a 10,000-clip session must not give 10,000 warnings
    lossyCodes.add(code);
    diagnostics.push(warning(code, message));
  };
  const meta = (timeline.metadata[PT_TEXT] ?? {}) as TimelineMeta;
  const sr = BigInt(timeline.sampleRate);
  if (!Number.isSafeInteger(timeline.sampleRate) || timeline.sampleRate <= 0) {
    diagnostics.push(warning('pt-text/lossy-sample-rate', `sample rate ${timeline.sampleRate} is not a whole number of Hz; positions are rounded to it`));
  }
  const rate = timeline.frameRate;
  const startTc = timeline.startTimecode;
  const startSub = startTc.subframeBase === 100 ? startTc.subframes : Math.round((startTc.subframes * 100) / startTc.subframeBase);
  const startSamples = timecodeLabelToSamples(
    { format: 'timecode', ...labelParts(startTc.toString({ subframes: false })), subframes: startSub, dropSeparator: rate.dropFrame },
    { sampleRate: sr, rate, startSamples: 0n },
  );
  const bpm = options.tempo ? toFraction(options.tempo.bpm) : undefined;
  const clock: SessionClock = { sampleRate: sr, rate, startSamples, ...(bpm ? { bpm } : {}), ...(options.tempo?.beatsPerBar !== undefined ? { beatsPerBar: options.tempo.beatsPerBar } : {}), ...(options.feetFramesFps !== undefined ? { feetFramesFps: options.feetFramesFps } : {}) };
  const timeFormat = options.timeFormat ?? meta.timeFormat ?? 'timecode';
  const subframes = options.subframes ?? (options.timeFormat === undefined || options.timeFormat === meta.timeFormat ? meta.subframes ?? false : false);
  const tf = { format: timeFormat, subframes };
  // Rows as read can be reused only in the time format they were read in.
  const sameFormat = timeFormat === (meta.timeFormat ?? 'timecode') && subframes === (meta.subframes ?? false);
  const samplesOf = (t: RationalTime): bigint => t.toSamples(sr, 'nearest');
  const pos = (s: bigint): string => formatPosition(s, clock, tf);
  const dur = (s: bigint): string => formatDuration(s, clock, tf);

  // Header: as read where the model agrees, else from the model.
  const startText = startTc.toString({ subframes: false }) + (subframes ? '.' + String(startSub).padStart(2, '0') : '');
  const audioClips = timeline.tracks.reduce((n, t) => n + (t.kind === 'audio' ? t.clips.length : 0), 0);
  const modelHeader: Record<string, string> = {
    'SESSION NAME': timeline.name,
    'SAMPLE RATE': `${timeline.sampleRate}.000000`,
    'BIT DEPTH': `${timeline.bitDepth ?? 24}-bit`,
    'SESSION START TIMECODE': startText,
    'TIMECODE FORMAT': `${rateLabel(rate)} ${rate.dropFrame ? 'Drop Frame' : 'Frame'}`,
    '# OF AUDIO TRACKS': String(timeline.tracks.filter((t) => t.kind === 'audio').length),
    '# OF AUDIO CLIPS': String(audioClips),
    '# OF AUDIO FILES': String(timeline.media.length),
  };
  let header: HeaderField[];
  if (meta.header) {
    header = meta.header.map((h) => {
      const mine = modelHeader[h.label];
      // Counts are Pro Tools' own (they count the whole session, not the listing): keep them.
      if (mine === undefined || h.label.startsWith('#')) return h;
      if (h.label === 'SAMPLE RATE' && Number(h.value) === timeline.sampleRate) return h;
      if (h.label === 'SESSION START TIMECODE' && options.subframes === undefined && h.value.replace(/\.\d+$/, '') === startText.replace(/\.\d+$/, '')) return h;
      return mine === h.value ? h : { label: h.label, value: mine };
    });
  } else {
    header = Object.entries(modelHeader).map(([label, value]) => ({ label, value }));
  }

  const tracks = timeline.tracks.map((t) => trackBlock(t));
  const markerLayout = options.markerLayout;
  const sections: SessionTextSection[] = [];
  if (meta.sections) {
    for (const s of meta.sections) {
      if (s.kind === 'tracks') sections.push({ kind: 'tracks', title: s.title, blankLinesAfter: s.blankLinesAfter, tracks });
      else if (s.kind === 'markers' && !('rows' in s)) sections.push(markersSection(s.title, markerLayout ?? s.layout, s.blankLinesAfter, markerLayout === undefined || markerLayout === s.layout ? s.columns : undefined));
      else sections.push(s as SessionTextSection);
    }
  } else {
    // A timeline from another format: Pro Tools' default export options (files, clips, plug-ins, tracks, markers).
    const audioMedia = timeline.media.filter((m) => m.kind !== 'video');
    sections.push({ kind: 'files', list: 'online', title: SECTION_TITLES.filesOnline, rows: audioMedia.map((m) => ({ name: m.name, location: folderOf(m.url) })), blankLinesAfter: 2 });
    sections.push({ kind: 'files', list: 'offline', title: SECTION_TITLES.filesOffline, rows: [], blankLinesAfter: 2 });
    const clipRows = new Map<string, { name: string; sourceFile: string; channel?: number }>();
    for (const t of timeline.tracks) for (const c of t.clips) {
      const m = c.media ? timeline.media.find((x) => x.id === c.media?.mediaId) : undefined;
      if (m && !clipRows.has(c.name)) clipRows.set(c.name, { name: c.name, sourceFile: m.name, ...(c.media?.channel !== undefined ? { channel: c.media.channel } : {}) });
    }
    if (clipRows.size > 0) sections.push({ kind: 'clips', list: 'online', title: SECTION_TITLES.clipsOnline, rows: [...clipRows.values()], blankLinesAfter: 2 });
    sections.push({ kind: 'plugins', title: SECTION_TITLES.plugins, rows: [], blankLinesAfter: 2 });
    sections.push({ kind: 'tracks', title: SECTION_TITLES.tracks, tracks, blankLinesAfter: 0 });
    sections.push(markersSection(SECTION_TITLES.markers, markerLayout ?? 'legacy', 0, undefined));
  }

  function markersSection(title: string, layout: 'legacy' | '2023.12', blankLinesAfter: number, columns: string | undefined): SessionTextSection {
    const rows = timeline.markers.map((m) => markerRow(m, layout));
    return { kind: 'markers', title, layout, ...(columns !== undefined ? { columns } : {}), rows, blankLinesAfter };
  }

  function markerRow(m: Marker, layout: 'legacy' | '2023.12'): MarkerRow {
    const mm = (m.metadata[PT_TEXT] ?? {}) as { number?: string; location?: string; timeReference?: string; units?: string; trackName?: string; trackType?: string; position?: string; raw?: string; ruler?: string | null };
    if (m.duration !== undefined && !m.duration.isZero()) diagnostics.push(warning('pt-text/lossy-marker-duration', `marker "${m.name}": the export lists only a start position`));
    const s = samplesOf(m.position);
    const unchanged = mm.position === String(s);
    const ticks = mm.units === 'Ticks' && unchanged;
    const trackType = m.track !== undefined ? 'Track' : (mm.trackType ?? 'Ruler');
    const trackName = m.track ?? (mm.trackType === 'Track' ? 'Markers' : (mm.trackName ?? mm.ruler ?? 'Markers'));
    const row: MarkerRow = {
      number: mm.number ?? String(timeline.markers.indexOf(m) + 1),
      location: unchanged && mm.location !== undefined && sameFormat ? mm.location : pos(s),
      timeReference: ticks ? (sameFormat && mm.timeReference !== undefined ? mm.timeReference : formatPosition(s, clock, { format: 'bars-beats', subframes })) : String(s),
      units: ticks ? 'Ticks' : 'Samples',
      name: m.name,
      ...(layout === '2023.12' ? { trackName, trackType } : {}),
      comments: m.comment ?? '',
      ...(mm.raw !== undefined ? { raw: mm.raw } : {}),
    };
    return row;
  }

  function trackBlock(t: Track): TrackBlock {
    const tm = (t.metadata[PT_TEXT] ?? {}) as { userDelay?: string; state?: string[]; plugins?: string[]; hasTimestamp?: boolean; hasColumnHeader?: boolean; layout?: number[]; rawHeader?: string; otherRows?: string[] };
    if (t.kind === 'video') diagnostics.push(warning('pt-text/lossy-video-track', `video track "${t.name}" is listed like an audio track`));
    let state = [...(tm.state ?? [])];
    const setFlag = (flag: string, on: boolean | undefined): void => {
      const has = state.includes(flag);
      if (on && !has) state.push(flag);
      if (!on && has) state = state.filter((s) => s !== flag);
    };
    setFlag('Muted', t.muted);
    setFlag('Solo', t.solo);
    const hasTimestamp = options.timestamps ?? tm.hasTimestamp ?? false;
    const channels = Math.max(1, t.channels);
    const perChannel: { start: bigint; order: number; row: Omit<EventRow, 'event' | 'kind'>; meta?: RowMeta }[][] = Array.from({ length: channels }, () => []);
    let order = 0;
    const push = (channel: number, start: bigint, durationSamples: bigint, name: string, muted: boolean, rm: RowMeta | undefined, timestamp: string | undefined): void => {
      const list = perChannel[channel - 1];
      if (!list) return;
      const state = muted ? 'Muted' : 'Unmuted';
      // An unchanged row keeps its cells as read: Pro Tools' END need not be START + DURATION in
      // display units (EXPECTED.md, TracksOnly), so it cannot be recomputed.
      const asRead = rm?.raw !== undefined && sameFormat ? parseEventRow(rm.raw, tm.hasTimestamp ?? false) : undefined;
      const cells = asRead && asRead.name === name && asRead.state === state && asRead.channel === channel
        ? { start: asRead.start, end: asRead.end, duration: asRead.duration, timestamp: asRead.timestamp }
        : { start: pos(start), end: pos(start + durationSamples), duration: dur(durationSamples), timestamp };
      list.push({
        start,
        order: order++,
        row: { channel, name, start: cells.start, end: cells.end, duration: cells.duration, ...(hasTimestamp ? { timestamp: cells.timestamp ?? timestamp ?? '' } : {}), state, ...(asRead && hasTimestamp === (tm.hasTimestamp ?? false) ? { raw: rm?.raw as string } : {}) },
        ...(rm ? { meta: rm } : {}),
      });
    };
    for (const c of t.clips) clipRows(c, channels, push);
    for (const tr of t.transitions) {
      const rows = ((tr.metadata[PT_TEXT] as { rows?: RowMeta[] } | undefined)?.rows ?? []) as RowMeta[];
      const s = samplesOf(tr.start);
      const d = samplesOf(tr.duration);
      for (let ch = 1; ch <= channels; ch++) {
        const rm = rows.find((r) => r.channel === ch);
        push(ch, s, d, '(cross fade)', false, rm && rm.start === String(s) && rm.duration === String(d) ? rm : undefined, rm?.timestamp);
      }
    }
    const groups: EventGroup[] = [];
    perChannel.forEach((list, k) => {
      list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.order - b.order));
      const rows: EventRow[] = list.map((e, i) => {
        const row: EventRow = { kind: 'event', ...e.row, event: i + 1 };
        // The original text stands only when the row still says what it said when read.
        if (e.meta && (e.meta.event !== i + 1 || e.meta.channel !== row.channel || e.meta.name !== row.name || e.meta.state !== row.state)) {
          const { raw: _drop, ...rest } = row;
          return rest;
        }
        return row;
      });
      groups.push({ rows, blankLinesAfter: tm.layout && tm.layout.length === channels ? (tm.layout[k] as number) : 2 });
    });
    if (tm.layout && groups.every((g) => g.rows.length === 0)) {
      // An empty track: keep its blank lines exactly as read.
      groups.length = 0;
      for (const n of tm.layout) groups.push({ rows: [], blankLinesAfter: n });
    } else if (tm.layout && tm.layout.length !== channels) {
      // Groups as read had a different shape (a channel without events): drop empty groups but keep the last spacing.
      const nonEmpty = groups.filter((g) => g.rows.length > 0);
      if (nonEmpty.length === tm.layout.length) nonEmpty.forEach((g, k) => (nonEmpty[k] = { ...g, blankLinesAfter: tm.layout?.[k] ?? 2 }));
      groups.length = 0;
      groups.push(...nonEmpty);
    }
    if (tm.otherRows && tm.otherRows.length > 0) {
      const last = groups.pop() ?? { rows: [], blankLinesAfter: 2 };
      groups.push({ rows: [...last.rows, ...tm.otherRows.map((raw) => ({ kind: 'other' as const, raw }))], blankLinesAfter: last.blankLinesAfter });
    }
    return {
      name: t.name,
      comments: t.comments ?? '',
      userDelay: tm.userDelay ?? '0 Samples',
      state,
      // Read tracks keep their PLUG-INS line or its absence; new tracks get an empty one, as Pro Tools writes by default.
      ...(tm.userDelay === undefined ? { plugins: [] } : tm.plugins !== undefined ? { plugins: tm.plugins } : {}),
      hasTimestamp,
      ...(tm.hasColumnHeader === false ? { hasColumnHeader: false } : {}),
      groups,
      ...(tm.rawHeader !== undefined && hasTimestamp === (tm.hasTimestamp ?? false) ? { rawHeader: tm.rawHeader } : {}),
    };
  }

  function clipRows(c: Clip, channels: number, push: (channel: number, start: bigint, durationSamples: bigint, name: string, muted: boolean, rm: RowMeta | undefined, timestamp: string | undefined) => void): void {
    const cm = (c.metadata[PT_TEXT] ?? {}) as { rows?: RowMeta[]; timestamp?: string };
    if (c.sourceStart && !c.sourceStart.isZero()) lossy('pt-text/lossy-source-offset', `clip "${c.name}": the export has no source offsets`);
    if (c.gainDb !== undefined && c.gainDb !== 0) lossy('pt-text/lossy-gain', `clip "${c.name}": the export has no clip gain`);
    if (c.gainAutomation && c.gainAutomation.length > 0) lossy('pt-text/lossy-gain', `clip "${c.name}": the export has no automation`);
    const start = samplesOf(c.start);
    const total = samplesOf(c.duration);
    const fi = c.fadeIn ? samplesOf(c.fadeIn.duration) : 0n;
    const fo = c.fadeOut ? samplesOf(c.fadeOut.duration) : 0n;
    const rows = cm.rows ?? [];
    const first = rows[0];
    const renamed = first !== undefined && first.name !== c.name;
    const chans: number[] = rows.length > 0 ? rows.map((r) => r.channel) : c.media?.channel !== undefined && channels > 1 ? [c.media.channel] : Array.from({ length: channels }, (_, k) => k + 1);
    for (const ch of chans) {
      const rm = rows.find((r) => r.channel === ch);
      let name = rm?.name ?? c.name;
      if (renamed || rm === undefined) name = channelName(c.name, first?.name, rm?.name);
      const bodyStart = start + fi;
      const bodyDur = total - fi - fo;
      const keep = (m: RowMeta | undefined, s: bigint, d: bigint): RowMeta | undefined => (m && m.start === String(s) && m.duration === String(d) ? m : undefined);
      if (fi > 0n) push(ch, start, fi, '(fade in)', false, keep(rm?.fadeIn, start, fi), rm?.fadeIn?.timestamp);
      push(ch, bodyStart, bodyDur, name, c.muted === true, keep(rm, bodyStart, bodyDur), rm?.timestamp ?? cm.timestamp);
      if (fo > 0n) push(ch, bodyStart + bodyDur, fo, '(fade out)', false, keep(rm?.fadeOut, bodyStart + bodyDur, fo), rm?.fadeOut?.timestamp);
    }
  }


  const document: SessionTextDocument = {
    encoding: options.encoding ?? meta.encoding ?? 'mac-roman',
    bom: meta.bom ?? false,
    lineEnding: meta.lineEnding ?? '\n',
    header,
    headerBlankLinesAfter: meta.headerBlankLinesAfter ?? 2,
    sections,
    ...(meta.preamble ? { preamble: meta.preamble } : {}),
    finalNewline: meta.finalNewline ?? true,
  };
  return { document, diagnostics };
}

/** A renamed multichannel clip: the new name with the channel suffix (`.L`, `.R`…) the row had. */
function channelName(name: string, firstName: string | undefined, rowName: string | undefined): string {
  if (firstName === undefined || rowName === undefined) return name;
  const suffix = /\.[A-Za-z0-9]{1,3}$/.exec(rowName)?.[0];
  const firstSuffix = /\.[A-Za-z0-9]{1,3}$/.exec(firstName)?.[0];
  if (suffix && firstSuffix && name.endsWith(firstSuffix)) return name.slice(0, -firstSuffix.length) + suffix;
  return name;
}

function folderOf(url: string | undefined): string {
  if (url === undefined) return '';
  const k = Math.max(url.lastIndexOf(':'), url.lastIndexOf('/'));
  return k < 0 ? '' : url.slice(0, k + 1);
}

function labelParts(text: string): { hours: number; minutes: number; seconds: number; frames: number } {
  const v = parseTimeValue(text.replace(/^-/, ''));
  if (v && v.format === 'timecode') return { hours: v.hours, minutes: v.minutes, seconds: v.seconds, frames: v.frames };
  return { hours: 0, minutes: 0, seconds: 0, frames: 0 };
}

function toFraction(x: number): readonly [bigint, bigint] {
  // Tempi are given to at most three decimals (Pro Tools shows 120.000 bpm).
  const den = 1000n;
  return [BigInt(Math.round(x * 1000)), den];
}

/**
 * Writes a timeline as Session Info text (a string, LF line endings unless the timeline was read
 * with others). See the module comment for what is kept and what is reported.
 */
export function write(timeline: Timeline, options: PtTextWriteOptions = {}): WriteResult<string> {
  const { document, diagnostics } = toDocument(timeline, options);
  let text = formatSessionText(document);
  if (document.lineEnding !== '\n') text = text.replace(/\n/g, document.lineEnding);
  return { value: text, diagnostics };
}

/** Writes a timeline as the bytes Pro Tools would write (Mac OS Roman by default, or UTF-8). */
export function writeBytes(timeline: Timeline, options: PtTextWriteOptions = {}): WriteResult<Uint8Array> {
  const { document, diagnostics } = toDocument(timeline, options);
  const enc = encodeSessionTextDocument(document, options.encoding ?? document.encoding);
  return { value: enc.bytes, diagnostics: [...diagnostics, ...enc.diagnostics] };
}

