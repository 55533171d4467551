/**
 * AAF (structured-storage encoding): the lossless object tree (`readObjects`, `writeObjects`),
 * the timeline reader (issue 7) and the timeline writer (issue 8).
 */
export * from './objects.js';
export { BUILTIN_PROPERTIES, BUILTIN_TYPES, builtinClassName, ROOT_CLASS, type AafValueType, type BuiltinProperty } from './dictionary.js';
export { readTimeline, readTimelineSync, timelineFromObjects, type AafTimelineOptions } from './read.js';
export { cleanUpProToolsTrack, PROTOOLS_FADE_NAMES, PROTOOLS_SAE_NAMES, type ProToolsCleanup } from './protools.js';
import type { FormatModule } from '../types.js';
import { error } from '../../diagnostics/diagnostic.js';
import { isCfb } from '../../binary/cfb/read.js';
import { readTimelineSync } from './read.js';
import { writeTimelineSync } from './write-timeline.js';

/** The AAF entry of the formats registry: reads a timeline, writes one for Pro Tools (the default target). */
export const aafFormat: FormatModule = {
  id: 'aaf',
  name: 'AAF (structured storage)',
  extensions: ['.aaf'],
  output: 'binary',
  detect: (bytes) => isCfb(bytes),
  parse: (input, options) =>
    typeof input === 'string'
      ? { ok: false, diagnostics: [error('aaf/not-binary', 'AAF is a binary format: pass the file bytes, not text', { at: { offset: 0 } })] }
      : readTimelineSync(input, { ...(options?.sampleRate !== undefined ? { sampleRate: options.sampleRate } : {}), ...(options?.source !== undefined ? { source: options.source } : {}) }),
  write: (timeline) => writeTimelineSync(timeline),
};
export { writeObjects, writeObjectsSync, writeObjectsTo, encodeProperties, AAF_FILE_KIND, type AafObjectTree, type AafObjectWriteOptions } from './write-objects.js';
export { listEmbeddedEssence, extractEssence, type EmbeddedEssence } from './essence.js';
export { timelineToObjects, writeTimeline, writeTimelineSync, writeTimelineTo, fileUrl, type AafTarget, type AafWriteOptions, type EmbeddedPcm } from './write-timeline.js';
