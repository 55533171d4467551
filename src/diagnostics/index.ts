export * from './diagnostic.js';
export * from './result.js';
export * from './locate.js';
export * from './limits.js';
