/**
 * dubstage: exact, typed audio post-production interchange.
 *
 * Everything exported here is browser-safe: no `node:*`, `Buffer` or `process`.
 * Node helpers (reading files) live in `dubstage/node`.
 * @packageDocumentation
 */
export * from './time/index.js';
export * from './diagnostics/index.js';
export * from './model/index.js';
export { openCfb, isCfb, guidToString, type CfbFile, type CfbEntry, type CfbHeader, type CfbReadOptions } from './binary/cfb/index.js';
export * as bwf from './formats/bwf/index.js';
export { bytesSource, blobSource, toByteSource, readFully, type ByteSource, type ByteInput, type BlobLike } from './binary/byte-source.js';
export * as aaf from './formats/aaf/index.js';
