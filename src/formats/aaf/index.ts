/**
 * AAF (structured-storage encoding). Today: the lossless object tree (`readObjects`). The
 * timeline reader and the writer build on it (issues 7 and 8).
 */
export * from './objects.js';
export { BUILTIN_PROPERTIES, BUILTIN_TYPES, builtinClassName, ROOT_CLASS, type AafValueType, type BuiltinProperty } from './dictionary.js';
export { readTimeline, timelineFromObjects, type AafTimelineOptions } from './read.js';
