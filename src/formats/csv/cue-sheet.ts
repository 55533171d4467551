/**
 * Spotting sheets and ADR cue lists as CSV (RFC 4180: comma-separated, fields with commas, quotes
 * or line breaks quoted, `""` for a quote inside), read and written, and turned into a timeline's
 * clips or markers (issue 9 "Getting data back into Pro Tools").
 *
 * Columns: cue number, character, line, start and end timecode, reason, notes. Headers are
 * matched by name (case and punctuation ignored; aliases such as `QN`, `Cue #`, `TC In`, `Char`,
 * ptulsconv's field names); other columns are kept per row in `extra` and written back.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import { fail, ok, type ParseResult, type WriteResult } from '../../diagnostics/result.js';
import { createClip, createMarker, createTimeline, createTrack } from '../../model/build.js';
import type { Clip, Marker, Timeline, Track } from '../../model/types.js';
import type { FrameRate } from '../../time/frame-rate.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { parseTags } from '../protools/tags.js';

/** The standard columns of a cue sheet, in the order {@link writeCueSheet} writes them. */
export const CUE_COLUMNS = ['cue', 'character', 'line', 'start', 'end', 'reason', 'notes'] as const;
/** One standard column. */
export type CueColumn = (typeof CUE_COLUMNS)[number];

/** Header titles written for each column. */
export const CUE_TITLES: Readonly<Record<CueColumn, string>> = { cue: 'Cue', character: 'Character', line: 'Line', start: 'Start', end: 'End', reason: 'Reason', notes: 'Notes' };

const ALIASES: Readonly<Record<string, CueColumn>> = {
  cue: 'cue', cuenumber: 'cue', cueno: 'cue', cue_: 'cue', qn: 'cue', number: 'cue', id: 'cue',
  character: 'character', char: 'character', role: 'character', cn: 'character',
  line: 'line', dialogue: 'line', dialog: 'line', text: 'line', prompt: 'line',
  start: 'start', starttc: 'start', tcin: 'start', in: 'start', timecodein: 'start', starttimecode: 'start',
  end: 'end', endtc: 'end', tcout: 'end', out: 'end', finish: 'end', timecodeout: 'end', endtimecode: 'end',
  reason: 'reason', r: 'reason',
  notes: 'notes', note: 'notes', comments: 'notes', comment: 'notes',
};

/** One cue. Times are timecode labels as written (empty when the sheet has none). */
export interface CueRow {
  readonly cue: string;
  readonly character: string;
  readonly line: string;
  readonly start: string;
  readonly end: string;
  readonly reason: string;
  readonly notes: string;
  /** Columns the sheet has beyond the standard ones, by header title. */
  readonly extra: Readonly<Record<string, string>>;
  /** 1-based line of the row in the input. */
  readonly lineNumber?: number;
}

/** A parsed sheet: its header titles in order (to write back the same columns) and its rows. */
export interface CueSheet {
  readonly headers: readonly string[];
  readonly rows: readonly CueRow[];
}

function key(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Splits CSV text into records (RFC 4180, also LF-only line ends and a leading BOM). Returns each
 * record's fields and its 1-based line. An unterminated quote is a `csv/unterminated-quote` error.
 */
export function readCsvRecords(text: string): { records: { fields: string[]; line: number }[]; diagnostics: Diagnostic[] } {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { fields: string[]; line: number }[] = [];
  const diagnostics: Diagnostic[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let any = false;
  while (i < s.length) {
    const c = s[i] as string;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      any = true;
      i++;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      any = true;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (any || field !== '') {
        fields.push(field);
        records.push({ fields, line: recordLine });
      }
      fields = [];
      field = '';
      any = false;
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted) diagnostics.push(error('csv/unterminated-quote', 'a quoted field is not closed before the end of the input', { at: { offset: s.length, line } }));
  if (any || field !== '') {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  return { records, diagnostics };
}

/**
 * Reads a cue sheet. The first record is the header; rows with fewer or more cells than it draw
 * a `csv/ragged-row` warning (missing cells read as empty). A sheet with no cue, line or start
 * column is a `csv/no-cue-columns` error. Never throws.
 */
export function readCueSheet(input: string | Uint8Array): ParseResult<CueSheet> {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const { records, diagnostics } = readCsvRecords(text);
  const head = records[0];
  if (!head) return fail(error('csv/empty', 'the sheet has no header row', { at: { offset: 0, line: 1 } }));
  const headers = head.fields.map((h) => h.trim());
  const map = headers.map((h) => ALIASES[key(h)]);
  if (!map.some((m) => m === 'cue' || m === 'line' || m === 'start')) {
    return fail(error('csv/no-cue-columns', `no cue, line or start column among: ${headers.join(', ')}`, { at: { offset: 0, line: head.line } }));
  }
  const rows: CueRow[] = [];
  for (const r of records.slice(1)) {
    if (r.fields.length !== headers.length) {
      diagnostics.push(warning('csv/ragged-row', `row has ${r.fields.length} cells, the header ${headers.length}`, { at: { offset: 0, line: r.line } }));
    }
    const std: Record<CueColumn, string> = { cue: '', character: '', line: '', start: '', end: '', reason: '', notes: '' };
    const extra: Record<string, string> = {};
    r.fields.forEach((v, k) => {
      const col = map[k];
      if (col !== undefined && std[col] === '') std[col] = v;
      else extra[headers[k] ?? `column ${k + 1}`] = v;
    });
    rows.push({ ...std, start: std.start.trim(), end: std.end.trim(), extra, lineNumber: r.line });
  }
  return ok({ headers, rows }, diagnostics);
}

function quote(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes a cue sheet as RFC 4180 CSV (CRLF line ends unless `lineEnding` says otherwise). */
export function writeCueSheet(sheet: CueSheet, options: { lineEnding?: '\r\n' | '\n' } = {}): string {
  const eol = options.lineEnding ?? '\r\n';
  const headers = sheet.headers.length > 0 ? sheet.headers : CUE_COLUMNS.map((c) => CUE_TITLES[c]);
  const map = headers.map((h) => ALIASES[key(h)]);
  const used = new Set<CueColumn>();
  const cols = map.map((m) => (m !== undefined && !used.has(m) ? (used.add(m), m) : undefined));
  const lines = [headers.map(quote).join(',')];
  for (const r of sheet.rows) lines.push(headers.map((h, k) => quote(cols[k] !== undefined ? r[cols[k] as CueColumn] : (r.extra[h] ?? ''))).join(','));
  return lines.join(eol) + eol;
}

/** Options of {@link cueSheetToTimeline}. */
export interface CueSheetTimelineOptions {
  readonly rate: FrameRate;
  /** Default 48000. */
  readonly sampleRate?: number;
  /** Timecode of timeline position 0 (default: the earliest start in the sheet, else 00:00:00:00). */
  readonly startTimecode?: Timecode;
  /** `clips` (default): one track per character, one clip per cue; `markers`: one marker per cue. */
  readonly as?: 'clips' | 'markers';
}

/**
 * Turns a sheet into a timeline: cues become clips (one track per character, ptulsconv-style name
 * `line $QN=cue {R=reason} {Note=notes}` so a Pro Tools text export of it carries the fields) or
 * markers (name = cue and line, comment = reason and notes). A row without a valid start is left
 * out with a `csv/bad-timecode` warning at its line; a missing end gives a one-frame cue.
 */
export function cueSheetToTimeline(sheet: CueSheet, options: CueSheetTimelineOptions): ParseResult<Timeline> {
  const rate = options.rate;
  const diagnostics: Diagnostic[] = [];
  const parsed: { row: CueRow; start: Timecode; end: Timecode }[] = [];
  for (const row of sheet.rows) {
    const at = { offset: 0, line: row.lineNumber ?? 0 };
    const s = Timecode.parse(row.start, { rate, line: at.line });
    if (!s.ok) {
      diagnostics.push(warning('csv/bad-timecode', `cue "${row.cue}": start "${row.start}" is not a timecode at ${rate.name}`, { at, received: row.start }));
      continue;
    }
    let end = s.value.plus(1);
    if (row.end !== '') {
      const e = Timecode.parse(row.end, { rate, line: at.line });
      if (e.ok && e.value.frames > s.value.frames) end = e.value;
      else diagnostics.push(warning('csv/bad-timecode', `cue "${row.cue}": end "${row.end}" is not a timecode after the start; one frame used`, { at, received: row.end }));
    }
    parsed.push({ row, start: s.value, end });
  }
  const origin = options.startTimecode ?? parsed.reduce<Timecode | undefined>((m, p) => (m === undefined || p.start.frames < m.frames ? p.start : m), undefined) ?? Timecode.fromFrames(0, rate);
  const pos = (tc: Timecode): RationalTime => RationalTime.fromFrames(tc.frames - origin.frames, rate);
  const sheetMeta = (row: CueRow): Record<string, string> => ({ cue: row.cue, character: row.character, line: row.line, reason: row.reason, notes: row.notes, ...row.extra });
  if (options.as === 'markers') {
    const markers: Marker[] = parsed.map(({ row, start, end }) =>
      createMarker({
        name: [row.cue, row.line].filter((x) => x !== '').join(' '),
        position: pos(start),
        duration: RationalTime.fromFrames(end.frames - start.frames, rate),
        ...(row.reason !== '' || row.notes !== '' ? { comment: [row.reason, row.notes].filter((x) => x !== '').join(' — ') } : {}),
        metadata: { csv: sheetMeta(row) },
      }),
    );
    return ok(createTimeline({ frameRate: rate, sampleRate: options.sampleRate ?? 48000, startTimecode: origin, markers }), diagnostics);
  }
  const byCharacter = new Map<string, Clip[]>();
  for (const { row, start, end } of parsed) {
    const tags = [row.cue !== '' ? `$QN=${row.cue.replace(/\s+/g, '_')}` : '', row.reason !== '' ? `{R=${row.reason.replace(/}/g, ')')}}` : '', row.notes !== '' ? `{Note=${row.notes.replace(/}/g, ')').replace(/\n/g, ' ')}}` : ''].filter((x) => x !== '');
    const clip = createClip({
      name: [row.line.replace(/\n/g, ' '), ...tags].filter((x) => x !== '').join(' '),
      start: pos(start),
      duration: RationalTime.fromFrames(end.frames - start.frames, rate),
      metadata: { csv: sheetMeta(row) },
    });
    const list = byCharacter.get(row.character) ?? [];
    list.push(clip);
    byCharacter.set(row.character, list);
  }
  const tracks: Track[] = [...byCharacter].map(([character, clips]) => createTrack({ kind: 'audio', name: character === '' ? 'Cues' : character, clips }));
  return ok(createTimeline({ frameRate: rate, sampleRate: options.sampleRate ?? 48000, startTimecode: origin, tracks }), diagnostics);
}

/**
 * A cue sheet from a timeline: from clips (default; each unmuted clip with a cue number —
 * ptulsconv `QN` field, else `metadata.csv.cue` — is a cue, character from `Char`/the track name,
 * line from `Line`/the name's text, reason `R`, notes `Note`; an `&` clip that starts at or after
 * the previous cue's end on its track is appended to it) or from markers (every marker). Times are
 * labels at the timeline's rate, start rounded down and end up to whole frames (named rounding).
 */
export function timelineToCueSheet(timeline: Timeline, options: { from?: 'clips' | 'markers' } = {}): WriteResult<CueSheet> {
  const rate = timeline.frameRate;
  const label = (t: RationalTime, rounding: 'floor'): string => Timecode.fromFrames(timeline.startTimecode.frames + Number(t.toFrames(rate, rounding)), rate, { overflow: 'wrap' }).toString();
  const rows: CueRow[] = [];
  const empty = { cue: '', character: '', line: '', start: '', end: '', reason: '', notes: '', extra: {} };
  if (options.from === 'markers') {
    for (const m of timeline.markers) {
      const csv = (m.metadata['csv'] ?? {}) as Record<string, string>;
      const tags = parseTags(m.name);
      rows.push({
        ...empty,
        cue: tags.fields['QN'] ?? csv['cue'] ?? '',
        line: tags.fields['Line'] ?? csv['line'] ?? tags.content,
        character: tags.fields['Char'] ?? csv['character'] ?? '',
        start: label(m.position, 'floor'),
        end: label(m.position.plus(m.duration ?? RationalTime.ZERO), 'floor'),
        reason: tags.fields['R'] ?? csv['reason'] ?? '',
        notes: m.comment ?? csv['notes'] ?? '',
      });
    }
  } else {
    for (const t of timeline.tracks) {
      // The last cue of this track and where it ends, for `&` (append) clips.
      let last: { row: CueRow; end: RationalTime; index: number } | undefined;
      for (const c of t.clips) {
        const pt = c.metadata['pt-text'] as { fields?: Record<string, string>; tags?: { content: string; mode: string } } | undefined;
        const csv = (c.metadata['csv'] ?? {}) as Record<string, string>;
        const own = parseTags(c.name, true);
        if (own.mode === 'timespan' || own.mode === 'directive' || c.muted) continue;
        const f = pt?.fields ?? { ...parseTags(t.name).fields, ...own.fields };
        const end = c.start.plus(c.duration);
        if (own.mode === 'append' && last && c.start.compare(last.end) >= 0) {
          // ptulsconv: contents joined with a space, the end taken from this clip, and (as its
          // code does) this clip's own tags override the earlier cue's (spec §1.11).
          const prev = last.row;
          const merged: CueRow = {
            ...prev,
            line: own.fields['Line'] ?? [prev.line, own.content].filter((x) => x !== '').join(' '),
            end: label(end, 'floor'),
            ...(own.fields['QN'] !== undefined ? { cue: own.fields['QN'] } : {}),
            ...(own.fields['R'] !== undefined ? { reason: own.fields['R'] } : {}),
            ...(own.fields['Note'] !== undefined ? { notes: own.fields['Note'] } : {}),
            ...(own.fields['Char'] !== undefined ? { character: own.fields['Char'] } : {}),
          };
          rows[last.index] = merged;
          last = { row: merged, end, index: last.index };
          continue;
        }
        const cue = f['QN'] ?? csv['cue'];
        if (cue === undefined) {
          last = undefined;
          continue;
        }
        const row: CueRow = {
          ...empty,
          cue,
          character: f['Char'] ?? csv['character'] ?? parseTags(t.name).content,
          line: f['Line'] ?? csv['line'] ?? own.content,
          start: label(c.start, 'floor'),
          end: label(end, 'floor'),
          reason: f['R'] ?? csv['reason'] ?? '',
          notes: f['Note'] ?? csv['notes'] ?? '',
        };
        rows.push(row);
        last = { row, end, index: rows.length - 1 };
      }
    }
    rows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }
  return { value: { headers: CUE_COLUMNS.map((c) => CUE_TITLES[c]), rows }, diagnostics: [] };
}
