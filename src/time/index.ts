export * from './rational.js';
export * from './frame-rate.js';
export * from './rational-time.js';
export * from './time-range.js';
export * from './timecode.js';
export * from './feet-frames.js';
export * from './pull.js';
export * from './bwf-time.js';
