/**
 * The lossless document layer of Pro Tools "Session Info as Text" exports (spec/protools.md §1):
 * every section, row and blank line, with cell values as Pro Tools wrote them (padding trimmed),
 * and each row's original text kept in `raw` so that {@link formatSessionText} reproduces an
 * unchanged export byte for byte. An edited row (its fields no longer match its `raw`) is written
 * with Pro Tools' own padding rules.
 */
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { warning } from '../../../diagnostics/diagnostic.js';
import { decodeSessionText, encodeSessionText, type SessionTextEncoding } from './encoding.js';

/** One `LABEL:<TAB>value` line of the header block (§1.2). Unknown labels are kept. */
export interface HeaderField {
  /** The label without its colon (`SESSION NAME`). */
  readonly label: string;
  readonly value: string;
  /** The line as read. */
  readonly raw?: string;
}

/** A row of a file list (§1.3). */
export interface FileRow {
  readonly name: string;
  /** HFS-style folder path ending in `:` (kept as written). */
  readonly location: string;
  readonly raw?: string;
}

/** A row of a clip list (§1.4). */
export interface ClipRow {
  readonly name: string;
  readonly sourceFile: string;
  /** 1-based channel of a multichannel file (`[n]`), if given. */
  readonly channel?: number;
  readonly raw?: string;
}

/** A row of the plug-in list (§1.5). An empty manufacturer means "same as the previous row". */
export interface PluginRow {
  readonly manufacturer: string;
  readonly name: string;
  readonly version: string;
  readonly format: string;
  readonly stems: string;
  /** `2 active` and the like, as written. */
  readonly instances: string;
  readonly raw?: string;
}

/** An event row of a track's EDL (§1.6). Time cells are the text as written, unpadded. */
export interface EventRow {
  readonly kind: 'event';
  /** 1-based channel. */
  readonly channel: number;
  /** 1-based event number within the channel. */
  readonly event: number;
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly duration: string;
  /** The user time stamp cell, when the table has a TIMESTAMP column. */
  readonly timestamp?: string;
  /** `Muted` or `Unmuted` as written. */
  readonly state: string;
  readonly raw?: string;
  /** 1-based line number in the input (not written). */
  readonly line?: number;
}

/** A line inside a track block that is not an event row; kept verbatim and reported. */
export interface OtherLine {
  readonly kind: 'other';
  readonly raw: string;
}

/** Rows of one channel, then the blank lines that end it. */
export interface EventGroup {
  readonly rows: readonly (EventRow | OtherLine)[];
  readonly blankLinesAfter: number;
}

/** One `TRACK NAME:` block (§1.6). */
export interface TrackBlock {
  readonly name: string;
  /** May contain line breaks. */
  readonly comments: string;
  /** The USER DELAY value as written (`0 Samples`). */
  readonly userDelay: string;
  /** STATE flags (`Inactive`, `Hidden`, `Muted`, `Solo`, `SoloSafe`…). */
  readonly state: readonly string[];
  /** PLUG-INS cells; absent when the export has no PLUG-INS line. */
  readonly plugins?: readonly string[];
  /** True when the event table has a TIMESTAMP column. */
  readonly hasTimestamp: boolean;
  /** False when the block has no column-header line (a truncated file). */
  readonly hasColumnHeader?: boolean;
  readonly groups: readonly EventGroup[];
  /** The header lines as read (TRACK NAME … column header), joined with `\n`. */
  readonly rawHeader?: string;
}

/** One memory location row (§1.7); `raw` holds all of its physical lines joined with `\n`. */
export interface MarkerRow {
  /** The `#` cell (memory-location number) as written. */
  readonly number: string;
  readonly location: string;
  readonly timeReference: string;
  /** `Samples` or `Ticks`. */
  readonly units: string;
  /** May contain TABs and line breaks. */
  readonly name: string;
  /** 2023.12 layout only. */
  readonly trackName?: string;
  /** 2023.12 layout only: `Ruler` or `Track`. */
  readonly trackType?: string;
  /** May contain TABs and line breaks. */
  readonly comments: string;
  readonly raw?: string;
  /** 1-based line number of the row's first line in the input (not written). */
  readonly line?: number;
}

/** Which of Pro Tools' section titles a section has (§1.1). */
export type FileListKind = 'all' | 'online' | 'offline';

interface SectionBase {
  /** The title line as read, e.g. `T R A C K  L I S T I N G`. */
  readonly title: string;
  /** Blank lines after the section's last line. */
  readonly blankLinesAfter: number;
}

/** A file list section. */
export interface FilesSection extends SectionBase {
  readonly kind: 'files';
  readonly list: FileListKind;
  /** The column-header line as read (`Filename<TAB>Location`, padded). */
  readonly columns?: string;
  readonly rows: readonly FileRow[];
}

/** A clip list section. */
export interface ClipsSection extends SectionBase {
  readonly kind: 'clips';
  readonly list: Exclude<FileListKind, 'all'>;
  readonly columns?: string;
  readonly rows: readonly ClipRow[];
}

/** The plug-in list. */
export interface PluginsSection extends SectionBase {
  readonly kind: 'plugins';
  readonly columns?: string;
  readonly rows: readonly PluginRow[];
}

/** The track listing. */
export interface TracksSection extends SectionBase {
  readonly kind: 'tracks';
  readonly tracks: readonly TrackBlock[];
}

/** The markers listing, legacy 6-column or PT 2023.12+ 8-column layout. */
export interface MarkersSection extends SectionBase {
  readonly kind: 'markers';
  readonly layout: 'legacy' | '2023.12';
  readonly columns?: string;
  readonly rows: readonly MarkerRow[];
}

/** A section dubstage does not know; its lines are kept verbatim. */
export interface UnknownSection extends SectionBase {
  readonly kind: 'unknown';
  readonly lines: readonly string[];
}

/** Any section of an export. */
export type SessionTextSection = FilesSection | ClipsSection | PluginsSection | TracksSection | MarkersSection | UnknownSection;

/** A whole export, lossless. */
export interface SessionTextDocument {
  readonly encoding: SessionTextEncoding;
  readonly bom: boolean;
  /** Line ending of the input (LF in every Pro Tools sample; CRLF and CR are normalised on read). */
  readonly lineEnding: '\n' | '\r\n' | '\r';
  readonly header: readonly HeaderField[];
  /** Blank lines after the header block. */
  readonly headerBlankLinesAfter: number;
  readonly sections: readonly SessionTextSection[];
  /** Lines before the first header line that are not part of it (kept verbatim; normally none). */
  readonly preamble?: readonly string[];
  /** True when the last line ends with a line break (every Pro Tools sample does). */
  readonly finalNewline: boolean;
}

/** Options of {@link readSessionText}. */
export interface ReadSessionTextOptions {
  /** Force an encoding instead of detecting it (spec/protools.md §1.9). */
  readonly encoding?: SessionTextEncoding;
  /** File name for diagnostics. */
  readonly source?: string;
}

/** Known section titles (§1.1), mapped to what they hold. */
const TITLES: Readonly<Record<string, { kind: SessionTextSection['kind']; list?: FileListKind }>> = {
  'F I L E S  I N  S E S S I O N': { kind: 'files', list: 'all' },
  'O N L I N E  F I L E S  I N  S E S S I O N': { kind: 'files', list: 'online' },
  'O F F L I N E  F I L E S  I N  S E S S I O N': { kind: 'files', list: 'offline' },
  'O N L I N E  C L I P S  I N  S E S S I O N': { kind: 'clips', list: 'online' },
  'O F F L I N E  C L I P S  I N  S E S S I O N': { kind: 'clips', list: 'offline' },
  'P L U G - I N S  L I S T I N G': { kind: 'plugins' },
  'T R A C K  L I S T I N G': { kind: 'tracks' },
  'M A R K E R S  L I S T I N G': { kind: 'markers' },
};

/** The title Pro Tools writes for each section kind (newer layout for file lists). */
export const SECTION_TITLES = {
  filesAll: 'F I L E S  I N  S E S S I O N',
  filesOnline: 'O N L I N E  F I L E S  I N  S E S S I O N',
  filesOffline: 'O F F L I N E  F I L E S  I N  S E S S I O N',
  clipsOnline: 'O N L I N E  C L I P S  I N  S E S S I O N',
  clipsOffline: 'O F F L I N E  C L I P S  I N  S E S S I O N',
  plugins: 'P L U G - I N S  L I S T I N G',
  tracks: 'T R A C K  L I S T I N G',
  markers: 'M A R K E R S  L I S T I N G',
} as const;

/** Single characters separated by one space, words by two: an (unknown) section title (§1.1). */
const TITLE_SHAPE = /^[A-Z0-9&\-](?: {1,2}[A-Z0-9&\-])+$/;
const EVENT_ROW = /^(\d+) *\t(\d+) *\t/;
const MARKER_ROW = /^\d+ *\t[^\t]*\t[^\t]*\t(?:Samples|Ticks) *\t/;

/** Marker listing column headers (§1.7), as Pro Tools writes them. */
export const MARKER_COLUMNS_LEGACY = '#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tCOMMENTS';
/** The PT 2023.12+ marker column header. */
export const MARKER_COLUMNS_2023_12 =
  '#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tTRACK NAME                       \tTRACK TYPE   \tCOMMENTS';
/** The plug-in list column header (§1.5). */
export const PLUGIN_COLUMNS =
  'MANUFACTURER            \tPLUG-IN NAME            \tVERSION         \tFORMAT          \tSTEMS                   \tNUMBER OF INSTANCES';

/** The event-table column header (§1.6), with or without TIMESTAMP. */
export function eventColumns(hasTimestamp: boolean): string {
  return `CHANNEL \tEVENT   \tCLIP NAME                     \tSTART TIME    \tEND TIME      \tDURATION      \t${hasTimestamp ? 'TIMESTAMP         \t' : ''}STATE`;
}

/** The blank prefix before a continued marker comment line (§1.7 "phantom" cells). */
function phantomPrefix(layout: 'legacy' | '2023.12'): string {
  const cells = [4, 13, 18, 11, 33, ...(layout === '2023.12' ? [33, 33] : [])];
  return cells.map((n) => ' '.repeat(n) + '\t').join('');
}

function padEnd(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

function padStart(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Reads an export into its lossless document. Never throws; lines that fit nowhere are kept (in
 * an `other` row or an unknown section) with a `pt-text/unexpected-line` warning at their line.
 * Diagnostics: `pt-text/no-header` (warning: the first line is not `SESSION NAME:`).
 */
export function readSessionText(input: string | Uint8Array, options: ReadSessionTextOptions = {}): { document: SessionTextDocument; diagnostics: Diagnostic[] } {
  const decoded = typeof input === 'string' ? { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: options.encoding ?? ('utf-8' as const), bom: input.charCodeAt(0) === 0xfeff } : decodeSessionText(input, options.encoding);
  let text = decoded.text;
  let lineEnding: SessionTextDocument['lineEnding'] = '\n';
  if (text.includes('\r')) {
    lineEnding = text.includes('\r\n') ? '\r\n' : '\r';
    text = lineEnding === '\r\n' ? text.replace(/\r\n/g, '\n') : text.replace(/\r/g, '\n');
  }
  const lines = text.split('\n');
  const finalNewline = lines.length > 1 && lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  const p = new Reader(lines, options.source);
  const doc = p.document(decoded.encoding, decoded.bom, lineEnding, finalNewline);
  return { document: doc, diagnostics: p.diagnostics };
}

class Reader {
  i = 0;
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly lines: string[],
    readonly source: string | undefined,
  ) {}

  warn(code: `pt-text/${string}`, message: string, line: number): void {
    if (this.diagnostics.length >= 1000) return; // a garbage file must not produce unbounded output
    this.diagnostics.push(warning(code, message, { at: { offset: this.offsetOf(line), line: line + 1, column: 1 }, ...(this.source !== undefined ? { source: this.source } : {}) }));
  }

  private offsets: number[] | undefined;
  offsetOf(line: number): number {
    // Offsets in the decoded text (LF-normalised); computed only when a diagnostic needs one.
    if (!this.offsets) {
      this.offsets = new Array<number>(this.lines.length + 1);
      let o = 0;
      for (let k = 0; k < this.lines.length; k++) {
        this.offsets[k] = o;
        o += (this.lines[k] as string).length + 1;
      }
      this.offsets[this.lines.length] = o;
    }
    return this.offsets[Math.min(line, this.lines.length)] as number;
  }

  blanks(): number {
    let n = 0;
    while (this.i < this.lines.length && this.lines[this.i] === '') {
      n++;
      this.i++;
    }
    return n;
  }

  isTitle(line: string, afterBlank: boolean): boolean {
    if (TITLES[line] !== undefined) return true;
    return afterBlank && TITLE_SHAPE.test(line);
  }

  document(encoding: SessionTextEncoding, bom: boolean, lineEnding: SessionTextDocument['lineEnding'], finalNewline: boolean): SessionTextDocument {
    const lines = this.lines;
    const preamble: string[] = [];
    while (this.i < lines.length && !/^[A-Z#][^\t]*:\t?/.test(lines[this.i] as string) && !TITLES[lines[this.i] as string]) {
      if (preamble.length === 0 && (lines[this.i] as string) !== '') this.warn('pt-text/no-header', 'the export does not start with the SESSION NAME header line', this.i);
      preamble.push(lines[this.i] as string);
      this.i++;
    }
    const header: HeaderField[] = [];
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      if (line === '' || TITLES[line] !== undefined) break;
      const m = /^([^\t:]+):\t?(.*)$/.exec(line);
      if (m) header.push({ label: m[1] as string, value: (m[2] as string).trim(), raw: line });
      else {
        this.warn('pt-text/unexpected-line', 'a header line without "LABEL:"', this.i);
        header.push({ label: '', value: line, raw: line });
      }
      this.i++;
    }
    const headerBlankLinesAfter = this.blanks();
    const sections: SessionTextSection[] = [];
    let afterBlank = true;
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      if (!this.isTitle(line, afterBlank)) {
        // Stray text between sections: keep it as an untitled unknown section.
        this.warn('pt-text/unexpected-line', 'text outside any section', this.i);
        const kept: string[] = [];
        while (this.i < lines.length && lines[this.i] !== '' && !this.isTitle(lines[this.i] as string, false)) kept.push(lines[this.i++] as string);
        sections.push({ kind: 'unknown', title: '', lines: kept, blankLinesAfter: this.blanks() });
        afterBlank = true;
        continue;
      }
      this.i++;
      const known = TITLES[line];
      if (!known) sections.push(this.unknown(line));
      else if (known.kind === 'files') sections.push(this.files(line, known.list ?? 'all'));
      else if (known.kind === 'clips') sections.push(this.clips(line, known.list === 'offline' ? 'offline' : 'online'));
      else if (known.kind === 'plugins') sections.push(this.plugins(line));
      else if (known.kind === 'tracks') sections.push(this.tracks(line));
      else sections.push(this.markers(line));
      const last = sections[sections.length - 1] as SessionTextSection;
      afterBlank = last.blankLinesAfter > 0;
    }
    return {
      encoding,
      bom,
      lineEnding,
      header,
      headerBlankLinesAfter,
      sections,
      ...(preamble.length > 0 ? { preamble } : {}),
      finalNewline,
    };
  }

  /** Lines of a simple table section: up to the first blank line or known title. */
  tableLines(): { start: number; lines: string[] } {
    const start = this.i;
    const out: string[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i] as string;
      if (line === '' || TITLES[line] !== undefined) break;
      out.push(line);
      this.i++;
    }
    return { start, lines: out };
  }

  unknown(title: string): UnknownSection {
    const { lines } = this.tableLines();
    return { kind: 'unknown', title, lines, blankLinesAfter: this.blanks() };
  }

  files(title: string, list: FileListKind): FilesSection {
    const { start, lines } = this.tableLines();
    let columns: string | undefined;
    const rows: FileRow[] = [];
    lines.forEach((line, k) => {
      if (k === 0 && /^Filename\s*\t/.test(line)) {
        columns = line;
        return;
      }
      const cells = line.split('\t');
      if (cells.length < 2) this.warn('pt-text/unexpected-line', 'a file row without a TAB before its location', start + k);
      rows.push({ name: (cells[0] as string).trimEnd(), location: cells.slice(1).join('\t'), raw: line });
    });
    return { kind: 'files', list, title, ...(columns !== undefined ? { columns } : {}), rows, blankLinesAfter: this.blanks() };
  }

  clips(title: string, list: 'online' | 'offline'): ClipsSection {
    const { start, lines } = this.tableLines();
    let columns: string | undefined;
    const rows: ClipRow[] = [];
    lines.forEach((line, k) => {
      if (k === 0 && /^CLIP NAME\s*\t/.test(line)) {
        columns = line;
        return;
      }
      const cells = line.split('\t');
      if (cells.length < 2) this.warn('pt-text/unexpected-line', 'a clip row without a TAB before its source file', start + k);
      const last = cells.length > 2 ? /^\[(\d+)\]$/.exec((cells[cells.length - 1] as string).trim()) : null;
      const fileCells = last ? cells.slice(1, -1) : cells.slice(1);
      rows.push({
        name: (cells[0] as string).trimEnd(),
        sourceFile: fileCells.join('\t'),
        ...(last ? { channel: Number(last[1]) } : {}),
        raw: line,
      });
    });
    return { kind: 'clips', list, title, ...(columns !== undefined ? { columns } : {}), rows, blankLinesAfter: this.blanks() };
  }

  plugins(title: string): PluginsSection {
    const { start, lines } = this.tableLines();
    let columns: string | undefined;
    const rows: PluginRow[] = [];
    lines.forEach((line, k) => {
      if (k === 0 && /^MANUFACTURER\s*\t/.test(line)) {
        columns = line;
        return;
      }
      const c = line.split('\t').map((s) => s.trim());
      if (c.length < 6) this.warn('pt-text/unexpected-line', `a plug-in row with ${c.length} cells (6 expected)`, start + k);
      rows.push({
        manufacturer: c[0] ?? '',
        name: c[1] ?? '',
        version: c[2] ?? '',
        format: c[3] ?? '',
        stems: c[4] ?? '',
        instances: c.slice(5).join('\t'),
        raw: line,
      });
    });
    return { kind: 'plugins', title, ...(columns !== undefined ? { columns } : {}), rows, blankLinesAfter: this.blanks() };
  }

  tracks(title: string): TracksSection {
    const tracks: TrackBlock[] = [];
    const lines = this.lines;
    let blankLinesAfter = 0;
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      if (TITLES[line] !== undefined) break;
      if (line === '') {
        // Blank lines not owned by a track (an empty listing followed by blanks).
        const save = this.i;
        const n = this.blanks();
        if (this.i < lines.length && (lines[this.i] as string).startsWith('TRACK NAME:')) {
          this.warn('pt-text/unexpected-line', 'blank lines before a track block', save);
        }
        blankLinesAfter = n;
        if (this.i >= lines.length || !(lines[this.i] as string).startsWith('TRACK NAME:')) break;
        continue;
      }
      if (!line.startsWith('TRACK NAME:')) {
        if (this.isTitle(line, true) && (lines[this.i - 1] === '' || tracks.length === 0)) break;
        this.warn('pt-text/unexpected-line', 'a line outside any track block', this.i);
        // Keep it as an "other" row of the previous track (or skip it when there is none).
        const prev = tracks[tracks.length - 1];
        if (prev) {
          const groups = [...prev.groups];
          const g = groups.pop() ?? { rows: [], blankLinesAfter: 0 };
          groups.push({ rows: [...g.rows, { kind: 'other', raw: line }], blankLinesAfter: g.blankLinesAfter });
          tracks[tracks.length - 1] = { ...prev, groups };
        }
        this.i++;
        continue;
      }
      tracks.push(this.track());
      blankLinesAfter = 0;
    }
    return { kind: 'tracks', title, tracks, blankLinesAfter };
  }

  track(): TrackBlock {
    const lines = this.lines;
    const first = this.i;
    const name = (lines[this.i++] as string).slice('TRACK NAME:'.length).replace(/^\t/, '');
    let comments = '';
    let userDelay = '';
    let state: string[] = [];
    let plugins: string[] | undefined;
    let hasTimestamp = false;
    let hasColumnHeader = false;
    if (this.i < lines.length && (lines[this.i] as string).startsWith('COMMENTS:')) {
      const parts = [(lines[this.i++] as string).slice('COMMENTS:'.length).replace(/^\t/, '')];
      // Comments may span lines: everything up to USER DELAY belongs to them (§1.6).
      while (this.i < lines.length && !(lines[this.i] as string).startsWith('USER DELAY:') && !(lines[this.i] as string).startsWith('TRACK NAME:') && TITLES[lines[this.i] as string] === undefined) {
        parts.push(lines[this.i++] as string);
      }
      comments = parts.join('\n');
    }
    if (this.i < lines.length && (lines[this.i] as string).startsWith('USER DELAY:')) {
      userDelay = (lines[this.i++] as string).slice('USER DELAY:'.length).replace(/^\t/, '');
    }
    if (this.i < lines.length && (lines[this.i] as string).startsWith('STATE:')) {
      state = (lines[this.i++] as string).slice('STATE:'.length).split(' ').filter((s) => s !== '');
    }
    if (this.i < lines.length && (lines[this.i] as string).startsWith('PLUG-INS:')) {
      plugins = (lines[this.i++] as string).slice('PLUG-INS:'.length).split('\t').slice(1);
    }
    if (this.i < lines.length && (lines[this.i] as string).startsWith('CHANNEL ')) {
      hasTimestamp = (lines[this.i] as string).includes('\tTIMESTAMP');
      hasColumnHeader = true;
      this.i++;
    } else {
      this.warn('pt-text/missing-columns', `track "${name}" has no event column header`, this.i);
    }
    const rawHeader = lines.slice(first, this.i).join('\n');
    const groups: EventGroup[] = [];
    let rows: (EventRow | OtherLine)[] = [];
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      if (line === '') {
        const n = this.blanks();
        groups.push({ rows, blankLinesAfter: n });
        rows = [];
        const next = lines[this.i];
        if (next === undefined || !EVENT_ROW.test(next)) break;
        continue;
      }
      if (line.startsWith('TRACK NAME:') || TITLES[line] !== undefined) break;
      const row = parseEventRow(line, hasTimestamp, this.i + 1);
      if (row) rows.push(row);
      else {
        this.warn('pt-text/bad-event', 'an event row that does not have the columns of the track header', this.i);
        rows.push({ kind: 'other', raw: line });
      }
      this.i++;
    }
    if (rows.length > 0) groups.push({ rows, blankLinesAfter: 0 });
    return {
      name,
      comments,
      userDelay,
      state,
      ...(plugins !== undefined ? { plugins } : {}),
      hasTimestamp,
      ...(hasColumnHeader ? {} : { hasColumnHeader: false }),
      groups,
      rawHeader,
    };
  }

  markers(title: string): MarkersSection {
    const lines = this.lines;
    let columns: string | undefined;
    let layout: MarkersSection['layout'] = 'legacy';
    if (this.i < lines.length && (lines[this.i] as string).startsWith('#')) {
      columns = lines[this.i++] as string;
      if (columns.includes('\tTRACK TYPE')) layout = '2023.12';
    }
    const rows: MarkerRow[] = [];
    let current: string[] | undefined;
    let currentLine = 0;
    const flush = (): void => {
      if (current) rows.push({ ...parseMarkerLines(current, layout), line: currentLine });
      current = undefined;
    };
    while (this.i < lines.length) {
      const line = lines[this.i] as string;
      if (TITLES[line] !== undefined) break;
      if (MARKER_ROW.test(line)) {
        flush();
        current = [line];
        currentLine = this.i + 1;
      } else if (line === '') {
        // A blank line may be part of a multi-line name or comment; the section ends only when
        // no marker row follows the blank run.
        let k = this.i;
        while (k < lines.length && lines[k] === '') k++;
        const next = lines[k];
        if (next === undefined || TITLES[next] !== undefined || current === undefined || this.isTitle(next, true)) break;
        for (; this.i < k; this.i++) current.push('');
        continue;
      } else if (current) {
        current.push(line);
      } else {
        this.warn('pt-text/unexpected-line', 'a line before the first marker row', this.i);
        current = [line];
        currentLine = this.i + 1;
      }
      this.i++;
    }
    flush();
    return { kind: 'markers', title, layout, ...(columns !== undefined ? { columns } : {}), rows, blankLinesAfter: this.blanks() };
  }
}

/** Parses one event row; undefined when it does not have the header's columns. */
/** Leading decimal digits of `line` from `from`, then spaces, then a TAB: [value, index after the TAB] or undefined. */
function digitsCell(line: string, from: number): [number, number] | undefined {
  let k = from;
  let v = 0;
  while (k < line.length) {
    const c = line.charCodeAt(k);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    k++;
  }
  if (k === from) return undefined;
  while (line.charCodeAt(k) === 32) k++;
  return line.charCodeAt(k) === 9 ? [v, k + 1] : undefined;
}

/** The text between two offsets with spaces trimmed at both ends. */
function trimmedSlice(line: string, a: number, b: number): string {
  while (a < b && line.charCodeAt(a) === 32) a++;
  while (b > a && line.charCodeAt(b - 1) === 32) b--;
  return line.slice(a, b);
}

const TABS: number[] = [];

/** Parses one event row; undefined when it does not have the header's columns. */
export function parseEventRow(line: string, hasTimestamp: boolean, lineNumber?: number): EventRow | undefined {
  // This is the hot loop of big exports: no regex, no intermediate cell strings.
  const ch = digitsCell(line, 0);
  if (!ch) return undefined;
  const ev = digitsCell(line, ch[1]);
  if (!ev) return undefined;
  const tabs = TABS;
  tabs.length = 0;
  for (let t = line.indexOf('\t'); t >= 0; t = line.indexOf('\t', t + 1)) tabs.push(t);
  const n = tabs.length + 1; // cells
  const timeCells = hasTimestamp ? 5 : 4; // start end duration [timestamp] state
  if (n < 3 + timeCells) return undefined;
  const t0 = n - timeCells;
  // Cell k spans (tabs[k-1] + 1, tabs[k]); the last cell runs to the end of the line.
  const cell = (k: number): string => trimmedSlice(line, (tabs[k - 1] as number) + 1, k === n - 1 ? line.length : (tabs[k] as number));
  // The clip name is everything between EVENT and the time cells: it may hold TABs. Its padding
  // (to 30 characters) is removed; a longer name is never padded.
  let name = line.slice((tabs[1] as number) + 1, tabs[t0 - 1] as number);
  if (name.length <= 30 && name.endsWith(' ')) name = name.trimEnd();
  const row: { -readonly [K in keyof EventRow]: EventRow[K] } = {
    kind: 'event',
    channel: ch[0],
    event: ev[0],
    name,
    start: cell(t0),
    end: cell(t0 + 1),
    duration: cell(t0 + 2),
    state: cell(n - 1),
    raw: line,
  };
  if (hasTimestamp) row.timestamp = cell(t0 + 3);
  if (lineNumber !== undefined) row.line = lineNumber;
  return row;
}

/** Splits `text` at the first TAB that ends a cell at least `width` characters long (§1.7 padding cue). */
function takeCell(text: string, width: number): [string, string | undefined] {
  let from = 0;
  let firstTab = -1;
  for (;;) {
    const t = text.indexOf('\t', from);
    if (t < 0) break;
    if (firstTab < 0) firstTab = t;
    if (t >= width) return [t === width ? text.slice(0, t).trimEnd() : text.slice(0, t), text.slice(t + 1)];
    from = t + 1;
  }
  // No padded cell: fall back to the first TAB (hand-made files), or the whole text.
  if (firstTab >= 0) return [text.slice(0, firstTab).trimEnd(), text.slice(firstTab + 1)];
  return [text.trimEnd(), undefined];
}

/** Rebuilds one marker from its physical lines (DAWFileKit's algorithm, spec §1.7). */
export function parseMarkerLines(lines: readonly string[], layout: 'legacy' | '2023.12'): MarkerRow {
  const raw = lines.join('\n');
  const first = lines[0] as string;
  const c = first.split('\t');
  const fixed = c.slice(0, 4).map((s) => s.trim());
  const phantom = phantomPrefix(layout);
  // Rest of the row after the four fixed cells, with continuation lines: a line that starts with
  // the phantom prefix continues the comment, any other line continues the name.
  let rest = c.slice(4).join('\t');
  for (let k = 1; k < lines.length; k++) {
    const l = lines[k] as string;
    rest += '\n' + (l.startsWith(phantom) ? l.slice(phantom.length) : l);
  }
  let name: string;
  let trackName: string | undefined;
  let trackType: string | undefined;
  let comments: string;
  const [n, afterName] = takeCell(rest, 33);
  name = n;
  if (layout === '2023.12') {
    const [tn, afterTrack] = takeCell(afterName ?? '', 33);
    const [tt, afterType] = takeCell(afterTrack ?? '', 33);
    trackName = tn;
    trackType = tt;
    comments = afterType ?? '';
  } else {
    comments = afterName ?? '';
  }
  return {
    number: fixed[0] ?? '',
    location: fixed[1] ?? '',
    timeReference: fixed[2] ?? '',
    units: fixed[3] ?? '',
    name,
    ...(trackName !== undefined ? { trackName } : {}),
    ...(trackType !== undefined ? { trackType } : {}),
    comments,
    raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Pro Tools' layout of an event row (§1.6): channel and event padded to 8, name to 30, times right-aligned in 14 (timestamp 18). */
export function formatEventRow(row: Omit<EventRow, 'kind' | 'raw'>, hasTimestamp: boolean): string {
  let s = padEnd(String(row.channel), 8) + '\t' + padEnd(String(row.event), 8) + '\t' + padEnd(row.name, 30) + '\t' + padStart(row.start, 14) + '\t' + padStart(row.end, 14) + '\t' + padStart(row.duration, 14) + '\t';
  if (hasTimestamp) s += padStart(row.timestamp ?? '', 18) + '\t';
  return s + row.state;
}

/** Pro Tools' layout of a marker (§1.7); line breaks in the comment get the phantom prefix. */
export function formatMarkerRow(row: Omit<MarkerRow, 'raw'>, layout: 'legacy' | '2023.12'): string {
  let s = padEnd(row.number, 4) + '\t' + padEnd(row.location, 13) + '\t' + padEnd(row.timeReference, 18) + '\t' + padEnd(row.units, 9) + '\t' + padEnd(row.name, 33) + '\t';
  if (layout === '2023.12') s += padEnd(row.trackName ?? 'Markers', 33) + '\t' + padEnd(row.trackType ?? 'Ruler', 33) + '\t';
  return s + row.comments.split('\n').join('\n' + phantomPrefix(layout));
}

function sameEventRow(a: EventRow, b: Omit<EventRow, 'kind' | 'raw'>): boolean {
  return a.channel === b.channel && a.event === b.event && a.name === b.name && a.start === b.start && a.end === b.end && a.duration === b.duration && (a.timestamp ?? '') === (b.timestamp ?? '') && a.state === b.state;
}

function sameMarker(a: MarkerRow, b: Omit<MarkerRow, 'raw'>): boolean {
  return a.number === b.number && a.location === b.location && a.timeReference === b.timeReference && a.units === b.units && a.name === b.name && (a.trackName ?? '') === (b.trackName ?? '') && (a.trackType ?? '') === (b.trackType ?? '') && a.comments === b.comments;
}

/** An event row's text: its `raw` when the fields still match it, else Pro Tools' layout. */
export function eventRowText(row: Omit<EventRow, 'kind'>, hasTimestamp: boolean): string {
  if (row.raw !== undefined) {
    const back = parseEventRow(row.raw, hasTimestamp);
    if (back && sameEventRow(back, row)) return row.raw;
  }
  return formatEventRow(row, hasTimestamp);
}

/** A marker's text: its `raw` when the fields still match it, else Pro Tools' layout. */
export function markerRowText(row: MarkerRow, layout: 'legacy' | '2023.12'): string {
  if (row.raw !== undefined && sameMarker(parseMarkerLines(row.raw.split('\n'), layout), row)) return row.raw;
  return formatMarkerRow(row, layout);
}

function trackHeaderText(t: TrackBlock): string {
  const lines = [
    'TRACK NAME:\t' + t.name,
    'COMMENTS:\t' + t.comments,
    'USER DELAY:\t' + t.userDelay,
    'STATE: ' + t.state.map((s) => s + ' ').join(''),
  ];
  if (t.plugins !== undefined) lines.push('PLUG-INS: ' + t.plugins.map((p) => '\t' + p).join(''));
  if (t.hasColumnHeader !== false) lines.push(eventColumns(t.hasTimestamp));
  const formatted = lines.join('\n');
  if (t.rawHeader !== undefined && t.rawHeader !== formatted) {
    // Keep the header as read when it still says the same thing (odd spacing in hand-edited files).
    const r = t.rawHeader;
    const same =
      r.startsWith('TRACK NAME:') &&
      r.includes('\n') &&
      r.split('\n')[0]?.slice('TRACK NAME:'.length).replace(/^\t/, '') === t.name &&
      r.includes('COMMENTS:\t' + t.comments + '\n') === formatted.includes('COMMENTS:\t' + t.comments + '\n');
    if (same && r.replace(/[ \t]+/g, ' ') === formatted.replace(/[ \t]+/g, ' ')) return r;
  }
  return formatted;
}

function blankLines(n: number): string {
  return '\n'.repeat(n);
}

/** Width of a list's name column: the longest name of all lists of that kind, at least the label (§1.3). */
function nameWidth(doc: SessionTextDocument, kind: 'files' | 'clips'): number {
  let w = kind === 'files' ? 'Filename'.length : 'CLIP NAME'.length;
  for (const s of doc.sections) if (s.kind === kind) for (const r of s.rows) w = Math.max(w, r.name.length);
  return w;
}

/**
 * Writes a document back as text (LF-normalised, before encoding). An unchanged document gives
 * the text it was read from; edited rows are laid out as Pro Tools lays them out.
 */
export function formatSessionText(doc: SessionTextDocument): string {
  const out: string[] = [];
  if (doc.preamble) out.push(...doc.preamble);
  for (const h of doc.header) {
    const formatted = h.label === '' ? h.value : `${h.label}:\t${h.value}`;
    out.push(h.raw !== undefined && /^([^\t:]*):\t?(.*)$/.exec(h.raw)?.[2]?.trim() === h.value && (h.label === '' || h.raw.startsWith(h.label + ':')) ? h.raw : formatted);
  }
  let text = out.join('\n') + '\n' + blankLines(doc.headerBlankLinesAfter);
  const fileWidth = nameWidth(doc, 'files');
  const clipWidth = nameWidth(doc, 'clips');
  for (const s of doc.sections) {
    const parts: string[] = [];
    if (s.title !== '') parts.push(s.title);
    switch (s.kind) {
      case 'files':
        parts.push(s.columns ?? padEnd('Filename', fileWidth) + '\tLocation');
        for (const r of s.rows) {
          const f = padEnd(r.name, fileWidth) + '\t' + r.location;
          parts.push(r.raw !== undefined && r.raw.split('\t')[0]?.trimEnd() === r.name && r.raw.split('\t').slice(1).join('\t') === r.location ? r.raw : f);
        }
        break;
      case 'clips':
        parts.push(s.columns ?? padEnd('CLIP NAME', clipWidth) + '\tSource File');
        for (const r of s.rows) {
          const f = padEnd(r.name, clipWidth) + '\t' + r.sourceFile + (r.channel !== undefined ? `\t[${r.channel}]` : '');
          parts.push(r.raw !== undefined && f.replace(/ +\t/g, '\t') === r.raw.replace(/ +\t/g, '\t') ? r.raw : f);
        }
        break;
      case 'plugins': {
        parts.push(s.columns ?? PLUGIN_COLUMNS);
        for (const r of s.rows) {
          const f = padEnd(r.manufacturer, 24) + '\t' + padEnd(r.name, 24) + '\t' + padEnd(r.version, 16) + '\t' + padEnd(r.format, 16) + '\t' + padEnd(r.stems, 24) + '\t' + r.instances;
          parts.push(r.raw !== undefined && r.raw.split('\t').map((x) => x.trim()).join('\t') === f.split('\t').map((x) => x.trim()).join('\t') ? r.raw : f);
        }
        break;
      }
      case 'tracks':
        for (const t of s.tracks) {
          let block = trackHeaderText(t) + '\n';
          for (const g of t.groups) {
            for (const r of g.rows) block += (r.kind === 'other' ? r.raw : eventRowText(r, t.hasTimestamp)) + '\n';
            block += blankLines(g.blankLinesAfter);
          }
          parts.push(block.slice(0, -1));
        }
        break;
      case 'markers':
        parts.push(s.columns ?? (s.layout === '2023.12' ? MARKER_COLUMNS_2023_12 : MARKER_COLUMNS_LEGACY));
        for (const r of s.rows) parts.push(markerRowText(r, s.layout));
        break;
      case 'unknown':
        parts.push(...s.lines);
        break;
    }
    text += parts.join('\n') + (parts.length > 0 ? '\n' : '') + blankLines(s.blankLinesAfter);
  }
  if (!doc.finalNewline && text.endsWith('\n')) text = text.slice(0, -1);
  return text;
}

/**
 * Writes a document as bytes in its encoding (or `encoding`), with its line ending and BOM.
 * Characters Mac OS Roman cannot hold become `?` and are listed in a `pt-text/unmappable` warning.
 */
export function encodeSessionTextDocument(doc: SessionTextDocument, encoding: SessionTextEncoding = doc.encoding): { bytes: Uint8Array; diagnostics: Diagnostic[] } {
  let text = formatSessionText(doc);
  if (doc.lineEnding !== '\n') text = text.replace(/\n/g, doc.lineEnding);
  const { bytes, unmappable } = encodeSessionText(text, encoding, doc.bom);
  const diagnostics: Diagnostic[] = unmappable.length > 0 ? [warning('pt-text/unmappable', `${encoding} cannot hold ${unmappable.slice(0, 10).join(' ')}; written as "?"`, { received: unmappable.join('') })] : [];
  return { bytes, diagnostics };
}
