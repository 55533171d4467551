/**
 * AAF (structured-storage encoding). Today: the lossless object tree (`readObjects`). The
 * timeline reader and the writer build on it (issues 7 and 8).
 */
export * from './objects.js';
export { BUILTIN_PROPERTIES, BUILTIN_TYPES, builtinClassName, ROOT_CLASS, type AafValueType, type BuiltinProperty } from './dictionary.js';
export { readTimeline, readTimelineSync, timelineFromObjects, type AafTimelineOptions } from './read.js';
export { cleanUpProToolsTrack, PROTOOLS_FADE_NAMES, PROTOOLS_SAE_NAMES, type ProToolsCleanup } from './protools.js';
import type { FormatModule } from '../types.js';
import { error } from '../../diagnostics/diagnostic.js';
import { isCfb } from '../../binary/cfb/read.js';
import { readTimelineSync } from './read.js';

/** The AAF entry of the formats registry (reading only; the writer is issue 8). */
export const aafFormat: FormatModule = {
  id: 'aaf',
  name: 'AAF (structured storage)',
  extensions: ['.aaf'],
  output: 'binary',
  detect: (bytes) => isCfb(bytes),
  parse: (input, options) =>
    typeof input === 'string'
      ? { ok: false, diagnostics: [error('aaf/not-binary', 'AAF is a binary format: pass the file bytes, not text', { at: { offset: 0 } })] }
      : readTimelineSync(input, options?.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {}),
};
export { writeObjects, writeObjectsTo, encodeProperties, AAF_FILE_KIND, type AafObjectTree, type AafObjectWriteOptions } from './write-objects.js';
export { listEmbeddedEssence, extractEssence, type EmbeddedEssence } from './essence.js';
