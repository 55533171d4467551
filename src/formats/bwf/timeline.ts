/**
 * A BWF as a timeline (the registry's `bwf` reader): one audio track holding one clip that plays
 * the whole file, placed at position 0 whose label is the file's start timecode, plus the cue
 * markers. A WAV is a media file, not a session, so there is no writer.
 */
import { error } from '../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult } from '../../diagnostics/result.js';
import type { JsonValue, Marker, MediaSource, Timeline } from '../../model/types.js';
import { RationalTime } from '../../time/rational-time.js';
import type { FrameRate } from '../../time/frame-rate.js';
import { bextToJson, ixmlToJson } from './json.js';
import { readBwfSync, startTimecode, type BwfFile } from './read.js';

/** Options of {@link bwfToTimeline}. */
export interface BwfTimelineOptions {
  /** Timecode rate for the start (default as `startTimecode`: iXML, Description, then 24). */
  readonly rate?: FrameRate;
  /** File name: becomes the timeline, track and clip name and the media URL. */
  readonly source?: string;
}

/**
 * Maps a read BWF to a {@link Timeline}. The clip starts at position 0 (= the start timecode);
 * its `sourceStart` and the media's `start` are the exact TimeReference as time since midnight, so
 * a sub-frame start is kept (the label is the frame holding the first sample). Cue positions are
 * relative to the first sample, so they are timeline positions as they are.
 */
export function bwfToTimeline(file: BwfFile, options: BwfTimelineOptions = {}): ParseResult<Timeline> {
  const format = file.format;
  if (!format || format.sampleRate === 0) return fail(error('bwf/missing-fmt', 'the file has no usable fmt chunk: no sample rate', { at: { offset: 12 } }));
  const start = startTimecode(file, options.rate ? { rate: options.rate } : {});
  if (!start) return fail(error('bwf/missing-fmt', 'no sample rate for the start timecode', { at: { offset: 12 } }));
  const sr = format.sampleRate;
  const name = options.source?.replace(/^.*[\\/]/, '') ?? (file.ixml?.scene ? `${file.ixml.scene}-${file.ixml.take ?? ''}` : 'BWF');
  const duration = RationalTime.fromSamples(file.frameCount ?? 0, sr);
  const origin = RationalTime.fromSamples(start.timeReference, sr);
  const bwfMeta: { [k: string]: JsonValue } = {
    container: file.layout.form,
    formatTag: format.formatTag,
    chunks: file.chunks.map((c) => (c.listType ? `${c.id}/${c.listType}` : c.id)),
  };
  if (file.bext) bwfMeta.bext = bextToJson(file.bext) as JsonValue;
  if (file.ixml) bwfMeta.ixml = ixmlToJson(file.ixml) as JsonValue;
  const media: MediaSource = {
    id: 'm1',
    name,
    kind: 'audio',
    ...(options.source !== undefined ? { url: options.source } : {}),
    sampleRate: sr,
    channels: format.channels,
    start: origin,
    duration,
    timeReference: start.timeReference,
    ...(file.bext?.umid ? { umid: file.bext.umid } : {}),
    metadata: { bwf: bwfMeta },
  };
  const markers: Marker[] = file.markers.map((m) => ({
    name: m.label ?? `Marker ${m.id}`,
    position: RationalTime.fromSamples(m.position, sr),
    ...(m.length !== undefined ? { duration: RationalTime.fromSamples(m.length, sr) } : {}),
    ...(m.note !== undefined ? { comment: m.note } : {}),
    metadata: { bwf: { id: m.id } },
  }));
  return ok({
    name,
    sampleRate: sr,
    bitDepth: format.bitsPerSample,
    frameRate: start.rate,
    startTimecode: start.timecode,
    tracks: [
      {
        kind: 'audio',
        name,
        channels: format.channels,
        clips: [{ name, start: RationalTime.ZERO, duration, sourceStart: origin, media: { mediaId: 'm1' }, metadata: {} }],
        transitions: [],
        metadata: {},
      },
    ],
    markers,
    media: [media],
    metadata: { bwf: { rateSource: start.rateSource } },
  });
}

/** Registry entry point: bytes → timeline (text input is refused: a WAV is binary). */
export function parseTimeline(input: string | Uint8Array, options: BwfTimelineOptions = {}): ParseResult<Timeline> {
  if (typeof input === 'string') return fail(error('bwf/not-binary', 'a Broadcast Wave file must be given as bytes, not text'));
  const r = readBwfSync(input, options.source !== undefined ? { source: options.source } : {});
  if (!r.ok) return r;
  const t = bwfToTimeline(r.value, options);
  return t.ok ? ok(t.value, [...r.diagnostics, ...t.diagnostics]) : fail(t.diagnostics[0], ...t.diagnostics.slice(1), ...r.diagnostics);
}
