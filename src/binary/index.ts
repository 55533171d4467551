/**
 * Binary building blocks shared by the binary formats (BWF now, the AAF compound file later):
 * random-access byte sources, little-endian cursors and the RIFF/RF64 chunk walker.
 * @packageDocumentation
 */
export * from './byte-source.js';
export * from './cursor.js';
export * from './riff.js';
