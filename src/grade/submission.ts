/**
 * Reading a submission and a rubric's references for the checks: which submitted file a check
 * reads (its `file` glob, else the first file of a kind it can use), and that file as a timeline
 * (through the format registry), a cue sheet (CSV), or marker MIDI. Parsed results are cached per
 * file so several checks reading one export parse it once; references are cached per rubric so a
 * class graded in one process parses them once.
 */
import { readFully, toByteSource } from '../binary/byte-source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { error } from '../diagnostics/diagnostic.js';
import type { ParseResult } from '../diagnostics/result.js';
import { readCueSheet, type CueSheet } from '../formats/csv/cue-sheet.js';
import { readMarkerMidi, type MarkerMidi } from '../formats/midi/markers.js';
import { detectFormat, extensionOf, readTimeline } from '../formats/registry.js';
import type { Timeline } from '../model/types.js';
import { globToRegExp, type Rubric } from './rubric.js';
import type { Submission, SubmissionFile } from './types.js';

/** Reference files by the path the rubric names (bytes or text), loaded by the caller. */
export type References = ReadonlyMap<string, Uint8Array | string> | Readonly<Record<string, Uint8Array | string>>;

/** Largest file read whole for a timeline, cue sheet or MIDI check (audio is read by the audio checks in pieces). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/** Extensions of audio files: never parsed as a timeline unless a check's `file` names them. */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set(['.wav', '.wave', '.bwf', '.aif', '.aiff', '.mp3', '.flac', '.caf']);

/** What a check may read: the submission's files and the rubric's references, parsed on demand. */
export class GradeContext {
  private readonly bytesCache = new Map<string, Promise<Uint8Array | undefined>>();
  private readonly timelineCache = new Map<string, Promise<ParseResult<Timeline>>>();

  constructor(
    readonly rubric: Rubric,
    readonly submission: Submission,
    private readonly references: References,
  ) {}

  /** Submitted files matching `glob` (all when undefined), in path order. */
  files(glob?: string): SubmissionFile[] {
    const re = glob !== undefined ? globToRegExp(glob) : undefined;
    return this.submission.files.filter((f) => !re || re.test(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The whole bytes of a small submitted file, or undefined (with a diagnostic) when too big or unreadable. */
  async bytes(file: SubmissionFile, diagnostics: Diagnostic[]): Promise<Uint8Array | undefined> {
    let p = this.bytesCache.get(file.path);
    if (!p) {
      p = (async () => {
        try {
          const src = toByteSource(file.source);
          if (src.size > MAX_DOCUMENT_BYTES) return undefined;
          return await readFully(src, 0, src.size);
        } catch {
          return undefined;
        }
      })();
      this.bytesCache.set(file.path, p);
    }
    const b = await p;
    if (!b) diagnostics.push(error('grade/unreadable', `${file.path} could not be read (or is larger than ${MAX_DOCUMENT_BYTES} bytes)`, { source: file.path }));
    return b;
  }

  /** A submitted file read as a timeline through the format registry (cached). */
  timeline(file: SubmissionFile): Promise<ParseResult<Timeline>> {
    let p = this.timelineCache.get(file.path);
    if (!p) {
      p = (async (): Promise<ParseResult<Timeline>> => {
        const diags: Diagnostic[] = [];
        const b = await this.bytes(file, diags);
        if (!b) return { ok: false, diagnostics: diags as [Diagnostic, ...Diagnostic[]] };
        return readTimeline(b, { fileName: file.path, source: file.path, rate: this.rubric.rate, sampleRate: this.rubric.sampleRate });
      })();
      this.timelineCache.set(file.path, p);
    }
    return p;
  }

  /**
   * The first submitted timeline: among files matching `glob` (else all non-audio files) the first
   * that a registered format recognises by content or extension and reads without error.
   */
  async firstTimeline(glob: string | undefined, diagnostics: Diagnostic[]): Promise<{ file: SubmissionFile; timeline: Timeline } | undefined> {
    const candidates = this.files(glob).filter((f) => glob !== undefined || !AUDIO_EXTENSIONS.has(extensionOf(f.path)));
    const failures: Diagnostic[] = [];
    for (const f of candidates) {
      const b = await this.bytes(f, failures);
      if (!b || !detectFormat(b.subarray(0, 4096), f.path)) continue;
      const r = await this.timeline(f);
      if (r.ok) {
        diagnostics.push(...r.diagnostics.filter((d) => d.severity !== 'info'));
        return { file: f, timeline: r.value };
      }
      failures.push(...r.diagnostics);
    }
    diagnostics.push(...failures);
    return undefined;
  }

  /** A reference named by the rubric, as bytes, or undefined with a `grade/no-reference` diagnostic. */
  referenceBytes(path: string, diagnostics: Diagnostic[]): Uint8Array | undefined {
    const v = this.references instanceof Map ? this.references.get(path) : (this.references as Readonly<Record<string, Uint8Array | string>>)[path];
    if (v === undefined) {
      diagnostics.push(error('grade/no-reference', `the rubric's reference "${path}" was not provided`, { source: path }));
      return undefined;
    }
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  }

  /** A reference read as a timeline (cached per rubric). */
  referenceTimeline(path: string, diagnostics: Diagnostic[]): Timeline | undefined {
    const cache = cacheFor(this.rubric, this.references);
    let r = cache.get(path);
    if (!r) {
      const b = this.referenceBytes(path, diagnostics);
      if (!b) return undefined;
      r = readTimeline(b, { fileName: path, source: path, rate: this.rubric.rate, sampleRate: this.rubric.sampleRate });
      cache.set(path, r);
    }
    if (!r.ok) {
      diagnostics.push(...r.diagnostics.map((d) => ({ ...d, message: `reference: ${d.message}` })));
      return undefined;
    }
    return r.value;
  }
}

const CACHES = new WeakMap<Rubric, WeakMap<object, Map<string, ParseResult<Timeline>>>>();

function cacheFor(rubric: Rubric, refs: References): Map<string, ParseResult<Timeline>> {
  let byRefs = CACHES.get(rubric);
  if (!byRefs) {
    byRefs = new WeakMap();
    CACHES.set(rubric, byRefs);
  }
  let m = byRefs.get(refs);
  if (!m) {
    m = new Map();
    byRefs.set(refs, m);
  }
  return m;
}

/** What a cue source read as: a CSV sheet, a marker MIDI file, or a timeline. */
export type CueSource =
  | { readonly kind: 'csv'; readonly sheet: CueSheet }
  | { readonly kind: 'midi'; readonly midi: MarkerMidi }
  | { readonly kind: 'timeline'; readonly timeline: Timeline };

/** True when the bytes start a Standard MIDI File. */
export function isMidi(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x4d && b[1] === 0x54 && b[2] === 0x68 && b[3] === 0x64;
}

/**
 * Reads bytes as a cue source: MIDI by its `MThd` magic, CSV by extension (or when no timeline
 * format recognises the text and it has a cue header), else a timeline through the registry.
 */
export function readCueSource(b: Uint8Array, path: string, rubric: Rubric): ParseResult<CueSource> {
  if (isMidi(b)) {
    const m = readMarkerMidi(b);
    return m.ok ? { ok: true, value: { kind: 'midi', midi: m.value }, diagnostics: m.diagnostics } : m;
  }
  const ext = extensionOf(path);
  if (ext === '.csv' || (ext !== '.txt' && !detectFormat(b.subarray(0, 4096), path))) {
    const s = readCueSheet(b);
    const withSource = (d: Diagnostic): Diagnostic => ({ ...d, source: path });
    return s.ok ? { ok: true, value: { kind: 'csv', sheet: s.value }, diagnostics: s.diagnostics.map(withSource) } : { ok: false, diagnostics: s.diagnostics.map(withSource) as [Diagnostic, ...Diagnostic[]] };
  }
  const t = readTimeline(b, { fileName: path, source: path, rate: rubric.rate, sampleRate: rubric.sampleRate });
  return t.ok ? { ok: true, value: { kind: 'timeline', timeline: t.value }, diagnostics: t.diagnostics } : t;
}
