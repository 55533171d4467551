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
export * as edl from './formats/edl/index.js';
export * as xmeml from './formats/xml/fcp7/index.js';
export * as fcpxml from './formats/xml/fcpxml/index.js';
export * from './formats/registry.js';
export * as json from './formats/json/index.js';
export * as otio from './formats/otio/index.js';
export * as protools from './formats/protools/index.js';
export * as conform from './conform/index.js';
export * as grade from './grade/index.js';
