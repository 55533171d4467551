/**
 * Grading (issue 11): compare a student's session with an expected one by content, check spotting
 * and ADR cues, track layouts and deliverables against a rubric, and report a score with feedback
 * a student can act on. Pure and browser-safe; `dubstage grade` (src/cli) reads files and runs it.
 */
export * from './types.js';
export * from './evidence.js';
export * from './points.js';
export * from './compare.js';
export * from './rubric.js';
export * from './submission.js';
export * from './grade.js';
export * from './feedback.js';
export * from './gradescope.js';
export * from './report-html.js';
export { runCuesCheck, cuePoints } from './checks/cues.js';
export { runTracksCheck } from './checks/tracks.js';
export { runTimelineCheck, type TimelineView, type ViewTrack, type ViewRegion } from './checks/timeline.js';
// Checks implemented in their own modules: audio deliverables (and the measurements under
// `grade.audio`) and conform grading (spec/conform.md §10).
export * from './deliverables.js';
export * from './conform-grade.js';
export * as audio from './audio/index.js';
