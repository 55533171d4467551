/**
 * Spotting sheets and ADR cue lists as CSV: {@link readCueSheet} / {@link writeCueSheet}, and
 * {@link cueSheetToTimeline} / {@link timelineToCueSheet} between a sheet and a timeline's clips or
 * markers.
 */
export * from './cue-sheet.js';
