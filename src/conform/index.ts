/**
 * The conform engine (spec/conform.md): re-time a sound session from an old picture cut to a new
 * one. Pure functions over plain data; see `docs/conform.md`.
 */
export * from './types.js';
export { DEFAULT_OPTIONS, resolveOptions, normalizeCut, isBlack, type NormalizedCut } from './normalize.js';
export { buildConformMap, mergeRanges } from './map.js';
export { applyConformMap, conform, frameToSample } from './apply.js';
export { cutFromEdl, type CutFromEdlOptions } from './edl-cut.js';
export { reportObject, renderJson, renderTable, renderShuffle, renderChangeEdl, renderSvg, renderMarkers, renderReport, feetFrames } from './report.js';
export { cutFromTimeline, sessionFromTimeline, timelineFromResult } from './model.js';
