/**
 * Broadcast Wave (BWF, RF64, BW64): streaming metadata read and write (`fmt `, `bext`, iXML,
 * markers, LIST/INFO, raw chunks), start timecode, sample access, and new files from samples.
 * @packageDocumentation
 */
import { bytesSource } from '../../binary/byte-source.js';
import type { WriteResult } from '../../diagnostics/result.js';
import { error } from '../../diagnostics/diagnostic.js';
import { readBwf } from './read.js';
import { planBwfEdit, renderPlan, type BwfChanges, type PlanOptions } from './write.js';
import { parseTimeline } from './timeline.js';
import type { FormatModule, ReadOptions } from '../types.js';

export * from './bext.js';
export * from './fmt.js';
export * from './ixml.js';
export * from './markers.js';
export * from './read.js';
export * from './write.js';
export * from './samples.js';
export * from './create.js';
export * from './json.js';
export * from './timeline.js';
export * from './chna.js';

/**
 * Reads, changes and re-encodes a BWF held in memory. Files on disk are better changed with
 * `writeBwfFile` from `dubstage/node`, which patches in place or streams.
 */
export async function editBwf(bytes: Uint8Array, changes: BwfChanges, options: PlanOptions = {}): Promise<WriteResult<Uint8Array | undefined>> {
  const read = await readBwf(bytes);
  if (!read.ok) return { value: undefined, diagnostics: read.diagnostics };
  const plan = planBwfEdit(read.value, changes, options);
  if (plan.diagnostics.some((d) => d.severity === 'error')) return { value: undefined, diagnostics: plan.diagnostics };
  try {
    return { value: await renderPlan(bytesSource(bytes), plan.value), diagnostics: plan.diagnostics };
  } catch (e) {
    return { value: undefined, diagnostics: [...plan.diagnostics, error('bwf/write-failed', e instanceof Error ? e.message : String(e))] };
  }
}

/** True when the first bytes look like a RIFF/RF64/BW64 WAVE file. */
export function detect(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 12) return false;
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  return (magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE';
}

/**
 * The registry entry (id `bwf`): detects RIFF/RF64/BW64 WAVE and reads it as a one-clip timeline
 * ({@link bwfToTimeline}); no writer (use {@link editBwf} / `writeBwfFile` for metadata).
 */
export const bwfFormat: FormatModule = {
  id: 'bwf',
  name: 'Broadcast Wave (BWF, RF64, BW64)',
  extensions: ['.wav', '.bwf', '.rf64'],
  output: 'binary',
  detect,
  parse: (input: string | Uint8Array, options: ReadOptions = {}) =>
    parseTimeline(input, { ...(options.rate ? { rate: options.rate } : {}), ...(options.source !== undefined ? { source: options.source } : {}) }),
};
