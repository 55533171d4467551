/**
 * Changing a BWF's metadata: a plan of byte writes, in place where the changed chunks fit (same
 * size, or a neighbouring JUNK/PAD/FLLR chunk gives or takes the difference), else a full layout
 * of the new file as segments copied from the source or freshly written, so a 4 GiB recording is
 * streamed, never loaded. Unknown chunks and their order survive; an unchanged file is the same
 * bytes; a file past 4 GiB becomes RF64 (a leading JUNK placeholder becomes `ds64`).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { WriteResult } from '../../diagnostics/result.js';
import { readFully, type ByteSource } from '../../binary/byte-source.js';
import { writeLatin1, writeU32, writeU64 } from '../../binary/cursor.js';
import type { RiffChunk, RiffForm } from '../../binary/riff.js';
import { patchBext, type BextChanges } from './bext.js';
import { editIxml, EMPTY_IXML, type IxmlChanges } from './ixml.js';
import { checkMarkers, encodeAdtl, encodeCue, type MarkerSpec } from './markers.js';
import { FILLER_IDS, type BwfFile } from './read.js';

/** What to change. Absent parts are left as they are. */
export interface BwfChanges {
  readonly bext?: BextChanges;
  readonly ixml?: IxmlChanges;
  /** Replaces every cue marker (an empty list removes them). */
  readonly markers?: readonly MarkerSpec[];
}

/** One piece of an output file: bytes copied from the source, or new bytes. */
export type Segment = { readonly kind: 'copy'; readonly offset: number; readonly length: number } | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

/** A write at an offset of the existing file (in-place edits). */
export interface Patch {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** How to produce the changed file. */
export interface EditPlan {
  /** The whole new file, in order. */
  readonly segments: readonly Segment[];
  /** Length of the new file in bytes. */
  readonly size: number;
  /** The container of the new file. */
  readonly form: RiffForm;
  /** Present when the file can be changed by these writes alone (its size does not change). */
  readonly patches?: readonly Patch[];
  /** True when nothing changes. */
  readonly unchanged: boolean;
}

/** Options of {@link planBwfEdit}. */
export interface PlanOptions {
  /** Never patch in place (the plan still copies unchanged bytes). */
  readonly forceRewrite?: boolean;
  /** RIFF sizes above this become RF64 (default 0xFFFFFFFF; lower it to test the upgrade). */
  readonly rf64Threshold?: number;
}

const U32_MAX = 0xffffffff;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { ignoreBOM: true });

interface Item {
  readonly id: string;
  /** The source chunk, absent for new chunks. */
  readonly chunk?: RiffChunk;
  /** New payload; absent = keep the source bytes. */
  payload?: Uint8Array;
  /** Drop this chunk. */
  remove?: boolean;
}

function chunkBytes(id: string, payload: Uint8Array, sizeField = payload.byteLength): Uint8Array {
  const out = new Uint8Array(8 + payload.byteLength + (payload.byteLength & 1));
  writeLatin1(out, 0, id);
  writeU32(out, 4, sizeField);
  out.set(payload, 8);
  return out;
}

/** A filler chunk of `total` bytes (header included; total ≥ 8 and even). */
function fillerBytes(total: number): Uint8Array {
  const out = new Uint8Array(total);
  writeLatin1(out, 0, 'JUNK');
  writeU32(out, 4, total - 8);
  return out;
}

/**
 * iXML is padded with whitespace by recorders so it can be edited in place: pad a shorter
 * version to the old size, and let a longer one eat trailing whitespace after the root.
 */
function fitIxml(bytes: Uint8Array, oldSize: number, padByte: number): Uint8Array {
  if (bytes.byteLength === oldSize) return bytes;
  if (bytes.byteLength < oldSize) {
    const out = new Uint8Array(oldSize).fill(padByte);
    out.set(bytes);
    return out;
  }
  let end = bytes.byteLength;
  while (end > oldSize && [0x20, 0x0a, 0x0d, 0x09, 0x00].includes(bytes[end - 1] as number)) end--;
  return bytes.subarray(0, end);
}

/**
 * Plans a metadata change. Returns the plan and diagnostics (fields too long, bad values: those
 * fields are left unchanged and reported as errors).
 */
export function planBwfEdit(file: BwfFile, changes: BwfChanges, options: PlanOptions = {}): WriteResult<EditPlan> {
  const diagnostics: Diagnostic[] = [];
  const items: Item[] = file.chunks.map((c) => ({ id: c.id, chunk: c }));
  const find = (id: string, listType?: string) => items.find((it) => it.id === id && (listType === undefined || it.chunk?.listType === listType));
  const missingPayload = (it: Item): boolean => {
    if (it.chunk && !('payload' in it.chunk && it.chunk.payload)) {
      diagnostics.push(error('bwf/chunk-not-loaded', `chunk "${it.id}" was not loaded (too large); it cannot be edited`, { at: { offset: it.chunk.offset } }));
      return true;
    }
    return false;
  };
  const payloadOf = (it: Item): Uint8Array | undefined => (it.chunk as { payload?: Uint8Array } | undefined)?.payload;
  // Index for new metadata chunks: after a leading ds64/JUNK placeholder, before everything else.
  const headIndex = (): number => (items[0] && (items[0].id === 'ds64' || FILLER_IDS.has(items[0].id)) ? 1 : 0);

  let bextChanges = changes.bext;
  let ixmlChanges = changes.ixml;
  // Keep iXML's timestamp and BEXT mirror in step with a new TimeReference.
  if (bextChanges?.timeReference !== undefined && file.ixml && ixmlChanges?.timeReference === undefined) {
    ixmlChanges = { ...(ixmlChanges ?? {}), timeReference: bextChanges.timeReference };
  }
  if (bextChanges && Object.keys(bextChanges).length > 0) {
    const it = find('bext');
    if (it) {
      if (!missingPayload(it)) it.payload = patchBext(payloadOf(it), bextChanges, diagnostics);
    } else {
      items.splice(headIndex(), 0, { id: 'bext', payload: patchBext(undefined, bextChanges, diagnostics) });
    }
  }
  if (ixmlChanges && Object.keys(ixmlChanges).length > 0) {
    const it = find('iXML');
    if (it) {
      const old = payloadOf(it);
      if (old && !missingPayload(it)) {
        const edited = editIxml(dec.decode(old), ixmlChanges, diagnostics);
        if (edited !== undefined) {
          const last = old.byteLength > 0 ? (old[old.byteLength - 1] as number) : 0x20;
          it.payload = fitIxml(enc.encode(edited), old.byteLength, last === 0 ? 0 : 0x20);
        }
      }
    } else {
      const edited = editIxml(EMPTY_IXML, ixmlChanges, diagnostics);
      if (edited !== undefined) {
        const b = items.findIndex((x) => x.id === 'bext');
        items.splice(b >= 0 ? b + 1 : headIndex(), 0, { id: 'iXML', payload: enc.encode(edited) });
      }
    }
  }
  if (changes.markers && checkMarkers(changes.markers, diagnostics)) {
    const cue = find('cue ');
    const adtl = find('LIST', 'adtl') ?? find('list', 'adtl');
    if (changes.markers.length === 0) {
      if (cue) cue.remove = true;
      if (adtl) adtl.remove = true;
    } else {
      const cuePayload = encodeCue(changes.markers);
      const adtlPayload = encodeAdtl(changes.markers);
      if (cue) cue.payload = cuePayload;
      else items.push({ id: 'cue ', payload: cuePayload });
      if (adtl) {
        if (adtlPayload) adtl.payload = adtlPayload;
        else adtl.remove = true;
      } else if (adtlPayload) items.push({ id: 'LIST', payload: adtlPayload });
    }
  }
  const changed = items.some((it) => it.payload !== undefined || it.remove);
  const threshold = options.rf64Threshold ?? U32_MAX;
  if (!changed && !options.forceRewrite) {
    return { value: { segments: [{ kind: 'copy', offset: 0, length: file.layout.fileSize }], size: file.layout.fileSize, form: file.layout.form, patches: [], unchanged: true }, diagnostics };
  }
  if (!options.forceRewrite) {
    const patches = planInPlace(file, items);
    if (patches) {
      return { value: { segments: overlay(file.layout.fileSize, patches), size: file.layout.fileSize, form: file.layout.form, patches, unchanged: !changed }, diagnostics };
    }
  }
  return { value: planRewrite(file, items, threshold, diagnostics), diagnostics };
}

/** Tries to express the change as writes inside the existing file; undefined when it does not fit. */
function planInPlace(file: BwfFile, items: readonly Item[]): Patch[] | undefined {
  const patches: Patch[] = [];
  const used = new Set<RiffChunk>();
  const chunks = file.chunks;
  // Fillers that can give space: never the first chunk when it could become ds64 later, unless what stays is still ≥ 28 bytes.
  const fillerRoom = (c: RiffChunk, index: number): number => (index === 0 ? c.size - 36 : c.size + (c.padded ? 1 : 0));
  for (const it of items) {
    if (it.payload === undefined && !it.remove) continue;
    if (it.chunk && it.remove) {
      // A removed chunk becomes filler of the same length.
      const hdr = new Uint8Array(4);
      writeLatin1(hdr, 0, 'JUNK');
      patches.push({ offset: it.chunk.offset, bytes: hdr });
      continue;
    }
    const payload = it.payload as Uint8Array;
    const total = 8 + payload.byteLength + (payload.byteLength & 1);
    if (it.chunk) {
      const c = it.chunk;
      if (c.truncated || c.openEnded) return undefined;
      const oldTotal = c.end - c.offset;
      if (payload.byteLength === c.size) {
        patches.push({ offset: c.dataOffset, bytes: payload });
        continue;
      }
      if (oldTotal - total >= 8) {
        // Shrinks: the freed tail becomes a filler chunk.
        patches.push({ offset: c.offset, bytes: concat(chunkBytes(c.id, payload), fillerBytes(oldTotal - total).subarray(0, 8)) });
        continue;
      }
      // Grow or shrink into a filler chunk right after it.
      const idx = chunks.indexOf(c);
      const next = chunks[idx + 1];
      if (!next || !FILLER_IDS.has(next.id) || next.truncated || used.has(next)) return undefined;
      const space = oldTotal + (next.end - next.offset);
      const rest = space - total;
      if (rest !== 0 && rest < 8) return undefined;
      used.add(next);
      patches.push({ offset: c.offset, bytes: rest > 0 ? concat(chunkBytes(c.id, payload), fillerBytes(rest).subarray(0, 8)) : chunkBytes(c.id, payload) });
      continue;
    }
    // A new chunk takes the start of a filler chunk before the audio, or the whole of it.
    let placed = false;
    for (let i = 0; i < chunks.length && !placed; i++) {
      const f = chunks[i] as RiffChunk;
      if (f.id === 'data') break;
      if (!FILLER_IDS.has(f.id) || used.has(f) || f.truncated) continue;
      const room = fillerRoom(f, i) + 8;
      const rest = room - total;
      if (rest < 0 || (rest !== 0 && rest < 8)) continue;
      used.add(f);
      const start = i === 0 ? f.offset + 36 : f.offset;
      const parts: Uint8Array[] = [];
      if (i === 0) {
        const head = new Uint8Array(8);
        writeLatin1(head, 0, f.id);
        writeU32(head, 4, 28);
        parts.push(head);
        patches.push({ offset: f.offset, bytes: head });
      }
      patches.push({ offset: start, bytes: rest > 0 ? concat(chunkBytes(it.id, payload), fillerBytes(rest).subarray(0, 8)) : chunkBytes(it.id, payload) });
      placed = true;
    }
    if (!placed) return undefined;
  }
  return patches.sort((a, b) => a.offset - b.offset);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

/** The segments of a file of `size` bytes with `patches` written over it. */
export function overlay(size: number, patches: readonly Patch[]): Segment[] {
  const out: Segment[] = [];
  let pos = 0;
  for (const p of [...patches].sort((a, b) => a.offset - b.offset)) {
    if (p.offset > pos) out.push({ kind: 'copy', offset: pos, length: p.offset - pos });
    const skip = Math.max(0, pos - p.offset);
    if (skip < p.bytes.byteLength) out.push({ kind: 'bytes', bytes: p.bytes.subarray(skip) });
    pos = Math.max(pos, p.offset + p.bytes.byteLength);
  }
  if (pos < size) out.push({ kind: 'copy', offset: pos, length: size - pos });
  return out;
}

/** Lays the new file out in full: copies of unchanged chunks, new bytes for the rest. */
function planRewrite(file: BwfFile, items: Item[], threshold: number, diagnostics: Diagnostic[]): EditPlan {
  const layout = file.layout;
  const body: Segment[] = [];
  let bodySize = 0;
  const push = (s: Segment): void => {
    body.push(s);
    bodySize += s.kind === 'copy' ? s.length : s.bytes.byteLength;
  };
  const kept = items.filter((it) => !it.remove);
  // Offsets of each item's header in the new file, and where the data chunk's size field lands.
  let dataHeaderIndex = -1;
  for (let k = 0; k < kept.length; k++) {
    const it = kept[k] as Item;
    if (it.payload === undefined && it.chunk) {
      const c = it.chunk;
      if (c.id === 'data') {
        dataHeaderIndex = body.length;
        let sizeField = c.sizeField;
        if (c.openEnded && layout.form === 'RIFF' && k < kept.length - 1) {
          // "Size 0 = to the end" would swallow the chunks written after it: store the real size.
          sizeField = c.size;
          diagnostics.push(warning('bwf/data-size-repaired', `the data chunk's size field said ${c.sizeField}; written as ${c.size} because chunks follow it`, { at: { offset: c.offset + 4 } }));
        }
        push({ kind: 'bytes', bytes: c.sizeField === U32_MAX && layout.form !== 'RIFF' ? dataHeader(U32_MAX) : dataHeader(sizeField) });
        push({ kind: 'copy', offset: c.dataOffset, length: c.end - c.dataOffset });
      } else push({ kind: 'copy', offset: c.offset, length: c.end - c.offset });
    } else if (it.payload) {
      push({ kind: 'bytes', bytes: chunkBytes(it.id, it.payload) });
    }
  }
  // Bytes after the last chunk (trailing data some writers leave) are kept.
  if (layout.end < layout.fileSize) push({ kind: 'copy', offset: layout.end, length: layout.fileSize - layout.end });
  let form: RiffForm = layout.form;
  let size = 12 + bodySize;
  const data = file.data;
  const first = kept[0];
  if (form === 'RIFF' && size - 8 > threshold) {
    form = 'RF64';
    if (first && first.chunk && (first.id === 'JUNK' || first.id === 'junk') && first.chunk.size >= 28 && first.payload === undefined) {
      // The placeholder trick: the leading JUNK becomes ds64 in place (same size).
      body[0] = { kind: 'bytes', bytes: ds64Chunk(first.chunk.size, 0n, 0n, 0n) };
    } else {
      body.unshift({ kind: 'bytes', bytes: ds64Chunk(28, 0n, 0n, 0n) });
      size += 36;
      if (dataHeaderIndex >= 0) dataHeaderIndex++;
    }
    diagnostics.push(warning('bwf/rf64-upgrade', `the file is ${size} bytes, past the 4 GiB RIFF limit: written as RF64`, {}));
    if (dataHeaderIndex >= 0) body[dataHeaderIndex] = { kind: 'bytes', bytes: dataHeader(U32_MAX) };
  }
  const header = new Uint8Array(12);
  writeLatin1(header, 0, form);
  // Same length and container: keep the stored RIFF size as it was (some writers store odd ones).
  writeU32(header, 4, form === layout.form && size === layout.fileSize ? layout.riffSizeField : form === 'RIFF' ? size - 8 : U32_MAX);
  writeLatin1(header, 8, layout.formType);
  if (form !== 'RIFF') {
    // ds64 carries the 64-bit sizes: write its first 24 bytes; its table and extra bytes are kept.
    const dataSize = BigInt(data?.size ?? 0);
    const frames = file.format && file.format.blockAlign > 0 ? dataSize / BigInt(file.format.blockAlign) : (layout.ds64?.sampleCount ?? 0n);
    const sampleCount = layout.ds64 && layout.ds64.sampleCount > 0n ? layout.ds64.sampleCount : frames;
    const head = body[0];
    const existing = kept[0]?.id === 'ds64' && kept[0].payload === undefined ? kept[0].chunk : undefined;
    if (existing && existing.size >= 24 && head?.kind === 'copy' && head.offset === existing.offset) {
      const b = new Uint8Array(32);
      writeLatin1(b, 0, 'ds64');
      writeU32(b, 4, existing.sizeField);
      writeU64(b, 8, BigInt(size - 8));
      writeU64(b, 16, dataSize);
      writeU64(b, 24, sampleCount);
      body.splice(0, 1, { kind: 'bytes', bytes: b }, { kind: 'copy', offset: existing.dataOffset + 24, length: existing.end - existing.dataOffset - 24 });
    } else if (head?.kind === 'bytes' && head.bytes.byteLength >= 32 && String.fromCharCode(...head.bytes.subarray(0, 4)) === 'ds64') {
      writeU64(head.bytes, 8, BigInt(size - 8));
      writeU64(head.bytes, 16, dataSize);
      writeU64(head.bytes, 24, sampleCount);
    } else {
      diagnostics.push(error('bwf/missing-ds64', `an ${form} file needs a ds64 chunk first; the source has none, so the 64-bit sizes cannot be written`, {}));
    }
  }
  const segments = mergeCopies([{ kind: 'bytes', bytes: header }, ...body]);
  return { segments, size, form, unchanged: false };
}

function dataHeader(sizeField: number): Uint8Array {
  const h = new Uint8Array(8);
  writeLatin1(h, 0, 'data');
  writeU32(h, 4, sizeField);
  return h;
}

function ds64Chunk(payloadBytes: number, riffSize: bigint, dataSize: bigint, sampleCount: bigint): Uint8Array {
  const out = new Uint8Array(8 + payloadBytes + (payloadBytes & 1));
  writeLatin1(out, 0, 'ds64');
  writeU32(out, 4, payloadBytes);
  writeU64(out, 8, riffSize);
  writeU64(out, 16, dataSize);
  writeU64(out, 24, sampleCount);
  return out;
}

function mergeCopies(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    if (s.kind === 'copy' && last?.kind === 'copy' && last.offset + last.length === s.offset) out[out.length - 1] = { kind: 'copy', offset: last.offset, length: last.length + s.length };
    else if (s.kind === 'copy' && s.length === 0) continue;
    else out.push(s);
  }
  return out;
}

/**
 * Streams the bytes of a plan's new file, reading copied ranges from `source` in blocks of
 * `blockBytes` (default 4 MiB), so memory stays flat whatever the file size.
 */
export async function* streamPlan(source: ByteSource, plan: EditPlan, blockBytes = 4 * 1024 * 1024): AsyncGenerator<Uint8Array> {
  for (const s of plan.segments) {
    if (s.kind === 'bytes') {
      yield s.bytes;
      continue;
    }
    for (let o = 0; o < s.length; o += blockBytes) {
      const n = Math.min(blockBytes, s.length - o);
      const b = await readFully(source, s.offset + o, n);
      if (b.byteLength < n) throw new RangeError(`the source ended at ${s.offset + o + b.byteLength} while copying (it changed while being written?)`);
      yield b;
    }
  }
}

/** The whole new file in memory (for `Uint8Array` input, tests and small files). */
export async function renderPlan(source: ByteSource, plan: EditPlan): Promise<Uint8Array> {
  const out = new Uint8Array(plan.size);
  let o = 0;
  for await (const b of streamPlan(source, plan)) {
    out.set(b, o);
    o += b.byteLength;
  }
  return out;
}

