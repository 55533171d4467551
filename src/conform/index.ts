/**
 * The conform engine (spec/conform.md): re-time a sound session from an old picture cut to a new
 * one. Pure functions over plain data; see `docs/conform.md`.
 */
export * from './types.js';
export { DEFAULT_OPTIONS, resolveOptions, normalizeCut, isBlack, type NormalizedCut } from './normalize.js';
export { buildConformMap, mergeRanges, reelIndexOf } from './map.js';
export { applyConformMap, conform, frameToSample } from './apply.js';
export { cutFromEdl, type CutFromEdlOptions } from './edl-cut.js';
export { reportObject, renderJson, renderTable, renderShuffle, renderChangeEdl, renderSvg, renderMarkers, renderReport, feetFrames, totalChange } from './report.js';
export { cutFromTimeline, sessionFromTimeline, timelineFromResult } from './model.js';
export { checkInvariants, type InvariantReport } from './verify.js';
export { cutFromChangeList, parseChangeList, type ChangeOp, type ChangeListParseOptions } from './change-list.js';
export { audioOnlyChanges, type AudioOnlyFinding } from './audio-only.js';
export { valueLeft, valueRight, sliceCurve, simplifyCurve } from './automation.js';
