export * from './types.js';
export * from './build.js';
export * from './edit.js';
export * from './validate.js';
