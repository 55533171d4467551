/**
 * A conform `Cut` from an EDL (spec/conform.md §2.1), built on the EDL module's statement and
 * event layers (`readStatements`, `groupEvents`) rather than a second EDL parser.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { warning } from '../diagnostics/diagnostic.js';
import type { ParseResult } from '../diagnostics/result.js';
import { ok } from '../diagnostics/result.js';
import { groupEvents } from '../formats/edl/read.js';
import type { EventStatement } from '../formats/edl/syntax.js';
import { readStatements } from '../formats/edl/syntax.js';
import type { FrameRate } from '../time/frame-rate.js';
import { Timecode } from '../time/timecode.js';
import type { Cut, CutEvent, Frame } from './types.js';

/** Options of {@link cutFromEdl}. */
export interface CutFromEdlOptions {
  /** Picture rate (EDLs carry none, spec §1.2); `FCM: DROP FRAME` sets the drop flag at 29.97/59.94. */
  readonly rate: FrameRate;
  /** Cut name (default: the EDL title, else `cut`). */
  readonly name?: string;
  /** First frame of action as a label (default: the earliest shot). */
  readonly ffoa?: string;
  /** Picture start as a label (for feet+frames in the report). */
  readonly pictureStart?: string;
  /** File name for diagnostics. */
  readonly source?: string;
}

/**
 * Reads an EDL into a conform {@link Cut}: every edit line becomes a {@link CutEvent} (both lines
 * of a transition), `M2` lines attach their speed to the event of the same reel, and
 * `FROM CLIP NAME` / `SOURCE FILE` notes give the clip and file keys. Lines the EDL reader could
 * not read come back as warnings; an unreadable timecode drops its event with a warning.
 */
export function cutFromEdl(input: string | Uint8Array, options: CutFromEdlOptions): ParseResult<Cut> {
  const doc = readStatements(input, options.source !== undefined ? { source: options.source } : {});
  const list = groupEvents(doc);
  const diagnostics: Diagnostic[] = [...doc.diagnostics];
  const canDrop = options.rate.nominalFps === 30 || options.rate.nominalFps === 60;
  const rate = list.recordDropFrame !== undefined && canDrop ? options.rate.withDropFrame(list.recordDropFrame) : options.rate;
  const tc = (text: string, line: number): Frame | undefined => {
    const r = Timecode.parse(text, { rate, line, overflow: 'wrap' });
    if (r.ok) return r.value.frames;
    diagnostics.push(...r.diagnostics.map((d) => ({ ...d, severity: 'warning' as const })));
    return undefined;
  };
  const events: CutEvent[] = [];
  for (const g of list.events) {
    const clip = g.notes.find((n) => n.key === 'FROM CLIP NAME')?.value;
    const file = g.notes.find((n) => n.key === 'SOURCE FILE' || n.key === 'FROM FILE')?.value;
    g.lines.forEach((l: EventStatement, i) => {
      const srcIn = tc(l.sourceIn, l.line);
      const srcOut = tc(l.sourceOut, l.line);
      const recIn = tc(l.recordIn, l.line);
      const recOut = tc(l.recordOut, l.line);
      if (srcIn === undefined || srcOut === undefined || recIn === undefined || recOut === undefined) {
        diagnostics.push(warning('conform/event-skipped', `event ${l.number}: unreadable timecode, event left out of the cut`, { at: { offset: l.offset, line: l.line } }));
        return;
      }
      const type = l.editType.toUpperCase();
      const trans: CutEvent['trans'] = type.startsWith('D') ? 'D' : type.startsWith('W') ? 'W' : type.startsWith('K') ? 'K' : 'C';
      const len = l.transition !== undefined ? Number.parseInt(l.transition, 10) : undefined;
      const m2 = g.m2.find((m) => m.reel === l.reel);
      const speed = m2 ? Number.parseFloat(m2.speed) : undefined;
      const clipName = i === g.lines.length - 1 ? (g.notes.find((n) => n.key === 'TO CLIP NAME')?.value ?? clip) : clip;
      events.push({
        num: l.number, reel: l.reel, track: l.channels, trans,
        ...(trans !== 'C' && len !== undefined && Number.isFinite(len) ? { transLen: len, transCode: type } : {}),
        srcIn, srcOut, recIn, recOut,
        ...(speed !== undefined && Number.isFinite(speed) ? { speedFps: speed } : {}),
        ...(clipName !== undefined && (g.lines.length === 1 || i === 0 || g.notes.some((n) => n.key === 'TO CLIP NAME')) ? { clipName } : {}),
        ...(file !== undefined ? { sourceFile: file } : {}),
      });
    });
  }
  const ffoa = options.ffoa !== undefined ? tc(options.ffoa, 0) : undefined;
  const pictureStart = options.pictureStart !== undefined ? tc(options.pictureStart, 0) : undefined;
  return ok({
    name: options.name ?? list.title ?? 'cut', rate, events,
    ...(ffoa !== undefined ? { ffoa } : {}), ...(pictureStart !== undefined ? { pictureStart } : {}),
  }, diagnostics);
}
