/**
 * Input and output types of the conform engine (spec/conform.md §2–§6).
 *
 * Cut arithmetic is in integer frame indices (frames since the label `00:00:00:00` at the cut's
 * nominal rate, spec §1.1); session positions are integer samples (spec §1.4). Frames and samples
 * are plain numbers checked to stay below 2^53 (a day at 192 kHz is 1.7e10 samples).
 */
import type { FrameRate } from '../time/frame-rate.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** An integer frame index (spec §1.1). */
export type Frame = number;

/** One picture event of a cut list (spec §2.1). Ranges are half-open `[in, out)`. */
export interface CutEvent {
  /** Event number as written (not unique when dissolves are present). */
  readonly num: string;
  /** Reel / tape field; `BL` is black. */
  readonly reel: string;
  /** Track field: `V`, `V2`, `B`, `A`, `AA`… Only tracks containing `V` or equal to `B` feed the map. */
  readonly track: string;
  /** Edit type: cut, dissolve, wipe or key. */
  readonly trans: 'C' | 'D' | 'W' | 'K';
  /** Transition length in frames (`D`, `W`). */
  readonly transLen?: number;
  /** Transition code as written (`D`, `W001`), for the report. */
  readonly transCode?: string;
  readonly srcIn: Frame;
  readonly srcOut: Frame;
  readonly recIn: Frame;
  readonly recOut: Frame;
  /** Source speed in frames per second from an `M2` line (negative = reverse, 0 = freeze). */
  readonly speedFps?: number;
  /** `* FROM CLIP NAME:` */
  readonly clipName?: string;
  /** `* SOURCE FILE:` */
  readonly sourceFile?: string;
}

/** One reel of a multi-reel film (spec §2.1, §5.8): reel 1 at 01:00:00:00, reel 2 at 02:00:00:00… */
export interface ReelSpec {
  readonly name: string;
  /** First frame of action of the reel (default: its earliest shot). */
  readonly ffoa?: Frame;
  /** The reel's picture start (leader start): the head zone of this reel begins here. */
  readonly pictureStart?: Frame;
  readonly events: readonly CutEvent[];
}

/** A picture cut (spec §2.1). */
export interface Cut {
  readonly name: string;
  readonly rate: FrameRate;
  /** First frame of action (default: the earliest record IN of the shots). */
  readonly ffoa?: Frame;
  /** Picture start (the `0000+00` of feet+frames), e.g. 00:59:52:00 for an 8-second leader. */
  readonly pictureStart?: Frame;
  /** Single-reel cut: its events. A multi-reel cut leaves this empty and lists `reels`. */
  readonly events: readonly CutEvent[];
  /** Multi-reel cut (spec §5.8): matching runs over all reels at once; each keeps its own head and tail. */
  readonly reels?: readonly ReelSpec[];
}

/** Material visible only under a transition (spec §3). */
export interface Hidden {
  readonly recIn: Frame;
  readonly recOut: Frame;
  readonly srcIn: Frame;
}

/** A normalised shot (spec §3): one stretch of one source on the flattened picture track. */
export interface Shot {
  readonly id: number;
  readonly key: string;
  /** Reel or clip name before key normalisation, for the report. */
  readonly label: string;
  readonly srcIn: Frame;
  readonly srcOut: Frame;
  readonly recIn: Frame;
  readonly recOut: Frame;
  /** Speed ratio, 1 = normal. */
  readonly speed: number;
  readonly hiddenBefore?: Hidden;
  readonly hiddenAfter?: Hidden;
  /** Transition that brings this shot in, as written (`D024`), if any. */
  readonly transIn?: string;
  readonly eventNums: readonly string[];
}

/** An audio file a region plays (spec §2.3). */
export interface FileRef {
  readonly id: string;
  readonly name: string;
  readonly tcStartSamples?: number;
  readonly lengthSamples?: number;
}

/** A fade, in samples. */
export interface Fade {
  readonly lengthSamples: number;
  readonly shape?: string;
}

/** A region (clip) on an audio track, in session samples `[start, end)` (spec §2.3). */
export interface Region {
  readonly id: string;
  readonly name: string;
  readonly file: FileRef;
  readonly start: number;
  readonly end: number;
  /** File sample that plays at `start`. */
  readonly fileOffset: number;
  readonly gainDb?: number;
  readonly fadeIn?: Fade;
  readonly fadeOut?: Fade;
  readonly muted?: boolean;
  readonly meta?: Readonly<Record<string, unknown>>;
  /**
   * Clip gain automation: `t` in samples from the region's start, `v` in dB (the model's
   * `Clip.gainAutomation`). Values between points are interpolated linearly; two points at one
   * `t` are a step.
   */
  readonly automation?: readonly AutomationPoint[];
}

/** One breakpoint of an automation curve. */
export interface AutomationPoint {
  readonly t: number;
  readonly v: number;
}

/** One automation lane; `t` in session samples. */
export interface AutomationLane {
  readonly param: string;
  /** Between points: `linear` (default) or `constant` (hold each point's value to the next). */
  readonly interpolation?: 'linear' | 'constant';
  readonly points: readonly AutomationPoint[];
}

/**
 * A crossfade between two adjacent regions of a track, in session samples: the fade runs over
 * `[start, end)`, the playlist cut between the two regions is at `at` (spec §5.2 item 6).
 */
export interface Crossfade {
  readonly start: number;
  readonly end: number;
  readonly at: number;
  /** Anything the caller needs to write it back (the model transition's index and metadata). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Track kinds used for reporting and grading weights. */
export type TrackKind = 'DX' | 'ADR' | 'FX' | 'FOLEY' | 'BG' | 'MX' | 'PFX' | 'GUIDE' | 'OTHER';

/** An audio track (spec §2.3): regions sorted, not overlapping. */
export interface Track {
  readonly id: string;
  readonly name: string;
  readonly kind?: TrackKind;
  /** `false` copies the track verbatim. */
  readonly conform?: boolean;
  readonly muted?: boolean;
  readonly regions: readonly Region[];
  readonly automation?: readonly AutomationLane[];
  /** Crossfades between adjacent regions; they survive a conform only where both sides move together. */
  readonly crossfades?: readonly Crossfade[];
}

/** A sound session in sync with one picture cut (spec §2.3). */
export interface Session {
  readonly name: string;
  readonly sampleRate: number;
  readonly rate: FrameRate;
  /** Frame index of session sample 0. */
  readonly startFrame: Frame;
  readonly tracks: readonly Track[];
}

/** Conform options (spec §2.4); every field has the spec's default. */
export interface ConformOptions {
  readonly match: 'auto' | 'reel' | 'clip' | 'file' | 'reel+clip';
  readonly videoTracks: 'all' | 'V1';
  readonly nonUniqueReels: readonly string[];
  readonly vfxVersionPatterns: readonly RegExp[];
  readonly bRollRename: boolean;
  readonly transitionCut: 'centre' | 'start' | 'end';
  readonly transitionOverlapMatching: boolean;
  readonly reuse: 'copy' | 'primaryOnly';
  readonly bridgeGaps: boolean;
  readonly heal: boolean;
  /** Track names or globs (`*`, `?`) copied verbatim. */
  readonly excludeTracks: readonly string[];
  /** Track names or globs dropped from the output (replaced by guide fill when configured). */
  readonly guideTracks: readonly string[];
  readonly removedPlacement: 'lanes' | 'list';
  readonly editPoints: { readonly mode: 'none' | 'fades' | 'crossfade'; readonly lengthFrames: number };
  readonly guideFill?: { readonly file: FileRef; readonly startFrame: Frame; readonly ranges: readonly ('insert' | 'gap')[] };
  readonly anchors: { readonly ffoaOld?: Frame; readonly ffoaNew?: Frame };
}

/** Kind of a conform map entry (spec §4.1). */
export type EntryKind = 'match' | 'bridge' | 'insert' | 'gap';

/** Where a map entry's frames come from, per shot. */
export interface EntryPart {
  readonly key: string;
  readonly newShot?: number;
  readonly oldShot?: number;
  readonly new: readonly [Frame, Frame];
  readonly src: readonly [Frame, Frame];
}

/** One entry of the conform map (new record → old record, spec §4.1). */
export interface MapEntry {
  readonly kind: EntryKind;
  readonly new: readonly [Frame, Frame];
  /** For match and bridge: the old range (same length as `new`). */
  readonly old?: readonly [Frame, Frame];
  /** `new − old`, constant over the entry (match and bridge). */
  readonly delta?: number;
  readonly role?: 'primary' | 'copy';
  readonly backbone?: boolean;
  readonly secondary?: boolean;
  readonly parts: readonly EntryPart[];
}

/** Summary of one side of the conform (spec §1.5). */
export interface CutSummary {
  readonly name: string;
  readonly ffoa: Frame;
  /** Exclusive end (latest record OUT). */
  readonly end: Frame;
  readonly pictureStart?: Frame;
  readonly shots: readonly Shot[];
  /** The reels in record order (one for a single-reel cut), each with its own ffoa and end. */
  readonly reels: readonly ReelSummary[];
}

/** One reel's anchors (spec §5.8); `delta*` are new − old for the reel of the same index. */
export interface ReelSummary {
  readonly name: string;
  readonly ffoa: Frame;
  /** Exclusive end (latest record OUT of the reel). */
  readonly end: Frame;
  readonly pictureStart?: Frame;
}

/** Change row types (spec §6.1). */
export type RowType =
  | 'TRIM_HEAD' | 'TRIM_TAIL' | 'DELETE' | 'REMOVE_PART' | 'OLD_GAP'
  | 'MOVE_FROM' | 'MOVE_TO' | 'COPY' | 'INSERT' | 'EXTEND_HEAD' | 'EXTEND_TAIL' | 'GAP_OPEN'
  | 'TRANSITION_CHANGED' | 'TRANSITION_REALIGNED' | 'VFX_VERSION_CHANGED' | 'SPEED_CHANGED'
  | 'AUDIO_ONLY_CHANGE' | 'REEL_MOVE';

/** One change row (spec §6.1); lengths are signed frames, anchors new frame indices. */
export interface ChangeRow {
  readonly id: number;
  readonly type: RowType;
  readonly key: string;
  readonly anchor: Frame;
  readonly length: number;
  /** Old record range (removals, moves, copies). */
  readonly old?: readonly [Frame, Frame];
  /** New record range (additions). */
  readonly new?: readonly [Frame, Frame];
  readonly runningTotal: number;
  /** Grouping label for the table (spec §6.1 item 9). */
  readonly group?: 'REPLACE' | 'LIFT' | 'SLIP';
  readonly moveId?: number;
  /** Extra text for informational rows (`D024 -> D048`). */
  readonly detail?: string;
}

/** The conform map and its rows (spec §4, §6.1). */
export interface ConformMap {
  readonly rate: FrameRate;
  readonly old: CutSummary;
  readonly new: CutSummary;
  /** Entries tiling `[ffoaNew, endNew)` in new order. */
  readonly entries: readonly MapEntry[];
  readonly headDelta: number;
  readonly tailDelta: number;
  readonly rows: readonly ChangeRow[];
  /** Backbone shots moved without a row of their own (spec §6.1 item 10). */
  readonly shifted: readonly { readonly key: string; readonly delta: number }[];
  readonly diagnostics: readonly Diagnostic[];
}

/** One output piece of an input region (spec §5.2). */
export interface Piece {
  readonly regionId: string;
  readonly track: string;
  readonly role: 'primary' | 'copy';
  readonly start: number;
  readonly end: number;
  readonly fileOffset: number;
  readonly oldStart: number;
  readonly oldEnd: number;
  readonly deltaS: number;
  readonly cutHead: boolean;
  readonly cutTail: boolean;
  /** The output region built from this piece. */
  readonly region: Region;
}

/** Why material was set aside (spec §5.2). */
export type RemovalReason = 'TRIM_HEAD' | 'TRIM_TAIL' | 'DELETE' | 'REMOVE_PART' | 'OLD_GAP';

/** A piece of a region whose picture was removed (spec §5.2, §5.5). */
export interface RemovedPiece {
  readonly regionId: string;
  readonly track: string;
  readonly oldStart: number;
  readonly oldEnd: number;
  readonly fileOffset: number;
  readonly reason: RemovalReason;
  readonly rowId: number;
  /** Session sample where the piece is placed on its removed lane. */
  readonly placedStart: number;
  /** Removed lane name (`DX1 (conform removed) 1`), when placed on a lane. */
  readonly lane?: string;
}

/** What became of one input region (spec §6.2). */
export interface RegionOutcome {
  readonly regionId: string;
  readonly track: string;
  readonly name: string;
  readonly op: 'UNCHANGED' | 'MOVED' | 'TRIMMED' | 'SPLIT' | 'REMOVED';
  readonly copied: boolean;
  readonly pieces: readonly Piece[];
  readonly removed: readonly RemovedPiece[];
}

/** An edit-point treatment (spec §5.4), layered on top of the core pieces. */
export interface Treatment {
  readonly kind: 'fadeIn' | 'fadeOut' | 'crossfade';
  readonly track: string;
  /** Session sample of the edit point. */
  readonly at: number;
  readonly lengthSamples: number;
  /** Samples piece A is extended past the edit (crossfade), or 0. */
  readonly extendA: number;
  /** Samples piece B is extended before the edit (crossfade), or 0. */
  readonly extendB: number;
}

/** A report warning (spec codes such as `HOLE_IN_CONTINUOUS`). */
export interface ConformWarning {
  readonly code: string;
  readonly message: string;
  readonly track?: string;
  /** New frame index where it applies. */
  readonly at?: Frame;
}

/** Result of {@link applyConformMap} / {@link conform}. */
export interface ConformResult {
  readonly map: ConformMap;
  readonly sampleRate: number;
  /** Session start frame (sample 0). */
  readonly startFrame: Frame;
  readonly session: Session;
  readonly regions: readonly RegionOutcome[];
  readonly removed: readonly RemovedPiece[];
  readonly treatments: readonly Treatment[];
  readonly warnings: readonly ConformWarning[];
  /** Track-lane breakpoints whose material was removed (spec §5.3), at their old positions. */
  readonly removedAutomation: readonly { readonly track: string; readonly param: string; readonly points: readonly AutomationPoint[] }[];
}
