/**
 * The contract every grading check shares: what a submission is, what a check returns, and how a
 * result carries its evidence and the feedback a student can act on.
 *
 * A check is a pure (or async, for audio) function of its rubric entry and the submission; it
 * returns a {@link CheckResult} whose `score` is a fraction in [0, 1] and whose items say, one by
 * one, what was expected, what was found, and what to do about it.
 */
import type { ByteInput } from '../binary/byte-source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** One file handed in by a student. */
export interface SubmissionFile {
  /** Path relative to the submission root, `/`-separated (`stems/DX.wav`). */
  readonly path: string;
  /** The bytes: in memory, a `Blob`, or a random-access source (big WAVs are never read whole). */
  readonly source: ByteInput;
}

/** What a student handed in: a single file or the files of a folder. */
export interface Submission {
  /** A name for reports (student id, folder name). */
  readonly name: string;
  readonly files: readonly SubmissionFile[];
}

/** How one expected or submitted item fared. */
export type ItemVerdict =
  | 'match'
  | 'offset'
  | 'missing'
  | 'extra'
  | 'wrong-media'
  | 'wrong-track'
  | 'wrong-value'
  | 'fail';

/**
 * The facts behind a verdict: expected and actual values as people read them (timecode, sample
 * rate, name), and the measured difference where there is one.
 */
export interface Evidence {
  readonly expected?: string;
  readonly actual?: string;
  /** Measured offset or difference, signed (actual − expected), with its unit. */
  readonly delta?: { readonly value: number; readonly unit: 'frames' | 'samples' | 'seconds' | 'LU' | 'dB' | 'bytes' | 'percent' };
  /** Anything else that explains the verdict (file name, track, measured loudness…). */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** One expected or submitted item and its verdict. */
export interface CheckItem {
  /** Stable id within the check (`cue 12`, `DX.wav/sample-rate`). */
  readonly id: string;
  readonly verdict: ItemVerdict;
  /** Credit for this item in [0, 1] (partial credit for an offset within tolerance, say). */
  readonly credit: number;
  /** A sentence a student can act on: "Cue 12 'door slam' is 3 frames late: 01:02:03:10, expected 01:02:03:07". */
  readonly feedback: string;
  readonly evidence: Evidence;
}

/** The result of one rubric check. */
export interface CheckResult {
  /** The rubric entry's id (or its index when it has none). */
  readonly id: string;
  /** The check kind (`markers`, `cues`, `conform`, `tracks`, `deliverables`, `timeline`). */
  readonly kind: string;
  /** Human title from the rubric. */
  readonly title: string;
  /** Weight from the rubric (points available). */
  readonly weight: number;
  /** Fraction of the weight earned, in [0, 1]. */
  readonly score: number;
  readonly items: readonly CheckItem[];
  /** Summary lines for the student, most important first. */
  readonly feedback: readonly string[];
  /** Problems reading the submission or the reference (unreadable file, wrong format). */
  readonly diagnostics: readonly Diagnostic[];
}
