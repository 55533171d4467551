/**
 * Writes an AAF object tree (as `readObjects` gives it, or built or edited by a program) back to
 * a structured-storage AAF file: one storage per object with its class in the CLSID, a
 * `properties` stream per object, index streams for collections, data streams copied from the
 * source file without holding them in memory (`shared/spec/aaf.md` §6).
 *
 * Property values are written from their stored bytes, so every property, known or not,
 * survives. Collection index streams are regenerated from the objects they hold (vectors get
 * local keys 0…n−1 in order; sets keep their key property), so a tree edited by a program stays
 * consistent.
 */
import type { ByteSource } from '../../binary/byte-source.js';
import type { CfbFile } from '../../binary/cfb/read.js';
import { guidToBytes, writeCfb, writeCfbSync, writeCfbTo, type CfbLazyStorage, type CfbRoot, type CfbSink, type CfbTreeNode, type CfbWriteOptions } from '../../binary/cfb/write.js';
import { ROOT_CLASS } from './dictionary.js';
// Stream bytes are carved from write-build's shared slabs: the compound-file writer copies them
// as soon as a storage's children are listed, so they are garbage at once.
import { alloc, put32 } from './write-build.js';
import { SF, type AafObject, type AafProperty, type AafWeakRef } from './objects.js';

/** What {@link writeObjects} needs: the root object, the referenced-properties table, and the file data streams come from. */
export interface AafObjectTree {
  readonly root: AafObject;
  readonly referencedProperties: readonly (readonly number[])[];
  /** The compound file that data streams (embedded essence) are read from, when copying a file. */
  readonly cfb?: CfbFile;
  /**
   * The contents of data-stream properties (embedded essence) that do not come from `cfb`: bytes
   * or a byte source read in chunks while writing. Consulted first.
   */
  readonly streamData?: (property: AafProperty) => Uint8Array | ByteSource | undefined;
}

/** Options of the object writer. */
export interface AafObjectWriteOptions {
  /** 4096 (default; what Media Composer and Resolve write) or 512 (Pro Tools, Premiere). */
  readonly sectorSize?: 512 | 4096;
}

/** The header CLSIDs AAF writers use for each sector size (cfb.md §9). */
export const AAF_FILE_KIND = { 512: '42464141-000d-4d4f-060e-2b34010101ff', 4096: '0d010201-0200-0000-060e-2b3403020101' } as const;

function readUtf16z(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i + 1 < b.length; i += 2) {
    const c = (b[i] as number) | ((b[i + 1] as number) << 8);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** The `properties` stream of an object: 'L', version 0x20, entry table, values (aaf.md §6). */
export function encodeProperties(props: readonly Pick<AafProperty, 'pid' | 'storedForm' | 'bytes'>[], allocate: (n: number) => Uint8Array = (n) => new Uint8Array(n)): Uint8Array {
  const head = 4 + props.length * 6;
  let total = head;
  for (const p of props) {
    if (p.bytes.length > 0xffff) throw new RangeError(`property 0x${p.pid.toString(16)} is ${p.bytes.length} bytes; AAF values hold at most 65535 (use a stream)`);
    total += p.bytes.length;
  }
  const out = allocate(total);
  const put16 = (at: number, v: number) => {
    out[at] = v & 0xff;
    out[at + 1] = (v >>> 8) & 0xff;
  };
  out[0] = 0x4c;
  out[1] = 0x20;
  put16(2, props.length);
  let at = head;
  for (let i = 0; i < props.length; i++) {
    const p = props[i] as (typeof props)[number];
    put16(4 + i * 6, p.pid);
    put16(6 + i * 6, p.storedForm);
    put16(8 + i * 6, p.bytes.length);
    out.set(p.bytes, at);
    at += p.bytes.length;
  }
  return out;
}

/** Key bytes of a weak-reference key text (inverse of the reader's key text). */
function keyBytes(key: string): Uint8Array {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key)) return guidToBytes(key);
  const m = /^urn:smpte:umid:([0-9a-f]{24})\.([0-9a-f]{8})\.(.+)$/.exec(key);
  if (m) {
    const out = new Uint8Array(32);
    out.set(hexBytes(m[1] as string), 0);
    out.set(hexBytes(m[2] as string), 12);
    guidToBytes(m[3] as string, out, 16);
    return out;
  }
  return hexBytes(key);
}

function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function u32(dv: DataView, at: number, v: number): void {
  dv.setUint32(at, v >>> 0, true);
}

/** A byte source over a stream of the source compound file. */
function streamSource(cfb: CfbFile, entry: NonNullable<Extract<AafProperty['value'], { kind: 'stream' }>['entry']>): ByteSource {
  return {
    size: entry.size,
    async read(offset, length) {
      const r = await cfb.readStream(entry, offset, length);
      if (!r.ok) throw new Error(`cannot copy stream ${entry.path}: ${r.diagnostics[0].message}`);
      return r.value;
    },
  };
}

function objectStorage(obj: AafObject, name: string, tree: AafObjectTree, depth: number): CfbLazyStorage {
  if (depth > 1000) throw new RangeError('AAF object tree nests deeper than 1000 levels');
  // Listed when the compound-file writer reaches this storage, which copies the streams' bytes
  // into place at once: the tree of storages is never held whole.
  return { type: 'storage', name, clsid: obj.classId, children: () => objectChildren(obj, tree, depth) };
}

function objectChildren(obj: AafObject, tree: AafObjectTree, depth: number): CfbTreeNode[] {
  const children: CfbTreeNode[] = [{ type: 'stream', name: 'properties', data: encodeProperties(obj.properties, alloc) }];
  for (const p of obj.properties) {
    const v = p.value;
    switch (v.kind) {
      case 'strong':
        if (v.object) children.push(objectStorage(v.object, v.storageName, tree, depth + 1));
        break;
      case 'strong-vector': {
        const n = v.objects.length;
        const index = alloc(12 + n * 4);
        put32(index, 0, n);
        put32(index, 4, n);
        put32(index, 8, 0xffffffff);
        for (let i = 0; i < n; i++) {
          put32(index, 12 + i * 4, i);
          children.push(objectStorage(v.objects[i] as AafObject, `${v.collectionName}{${i.toString(16)}}`, tree, depth + 1));
        }
        children.push({ type: 'stream', name: `${v.collectionName} index`, data: index });
        break;
      }
      case 'strong-set': {
        const keyPid = v.keyPid ?? 0;
        const n = v.objects.length;
        const keyOf = (o: AafObject): Uint8Array | undefined => {
          for (const q of o.properties) if (q.pid === keyPid) return q.bytes;
          return undefined;
        };
        const keySize = n > 0 ? keyOf(v.objects[0] as AafObject)?.length ?? 16 : 16;
        const index = alloc(15 + n * (8 + keySize));
        put32(index, 0, n);
        put32(index, 4, n);
        put32(index, 8, 0xffffffff);
        index[12] = keyPid & 0xff;
        index[13] = keyPid >>> 8;
        index[14] = keySize;
        for (let i = 0; i < n; i++) {
          const o = v.objects[i] as AafObject;
          const at = 15 + i * (8 + keySize);
          put32(index, at, i);
          put32(index, at + 4, 1);
          const key = keyOf(o);
          if (key) index.set(key.length > keySize ? key.subarray(0, keySize) : key, at + 8);
          children.push(objectStorage(o, `${v.collectionName}{${i.toString(16)}}`, tree, depth + 1));
        }
        children.push({ type: 'stream', name: `${v.collectionName} index`, data: index });
        break;
      }
      case 'weak-vector':
      case 'weak-set': {
        const first: AafWeakRef | undefined = v.refs[0];
        const keys = v.refs.map((r) => keyBytes(r.key));
        const keySize = keys[0]?.length ?? 16;
        const index = alloc(9 + keys.length * keySize);
        put32(index, 0, keys.length);
        const table = first?.tableIndex ?? 0;
        const kp = first?.keyPid ?? 0;
        index[4] = table & 0xff;
        index[5] = table >>> 8;
        index[6] = kp & 0xff;
        index[7] = kp >>> 8;
        index[8] = keySize;
        keys.forEach((k, i) => index.set(k.subarray(0, keySize), 9 + i * keySize));
        children.push({ type: 'stream', name: `${v.collectionName} index`, data: index });
        break;
      }
      case 'stream': {
        const streamName = readUtf16z(p.bytes.subarray(1));
        const data: Uint8Array | ByteSource = tree.streamData?.(p) ?? (v.entry && tree.cfb ? streamSource(tree.cfb, v.entry) : new Uint8Array(0));
        children.push({ type: 'stream', name: streamName, data });
        break;
      }
      default:
        break;
    }
  }
  return children;
}


function referencedPropertiesStream(paths: readonly (readonly number[])[]): Uint8Array {
  const pidCount = paths.reduce((n, p) => n + p.length + 1, 0);
  const out = new Uint8Array(7 + pidCount * 2);
  const dv = new DataView(out.buffer);
  out[0] = 0x4c;
  dv.setUint16(1, paths.length, true);
  dv.setUint32(3, pidCount, true);
  let at = 7;
  for (const p of paths) {
    for (const pid of p) {
      dv.setUint16(at, pid, true);
      at += 2;
    }
    at += 2; // terminator 0x0000
  }
  return out;
}

function rootNode(tree: AafObjectTree): CfbRoot {
  const root = objectStorage(tree.root, 'Root Entry', tree, 0);
  return { ...root, children: () => [...root.children(), { type: 'stream', name: 'referenced properties', data: referencedPropertiesStream(tree.referencedProperties) }] };
}

function cfbOptions(options: AafObjectWriteOptions): CfbWriteOptions {
  const ss = options.sectorSize ?? 4096;
  return { sectorSize: ss, headerClsid: AAF_FILE_KIND[ss], rootClsid: ROOT_CLASS };
}

/** Writes an object tree to an AAF file in memory. */
export function writeObjects(tree: AafObjectTree, options: AafObjectWriteOptions = {}): Promise<Uint8Array> {
  return writeCfb(rootNode(tree), cfbOptions(options));
}

/** Writes an object tree to a sink, streaming data streams (embedded essence) from the source file. */
export function writeObjectsTo(tree: AafObjectTree, sink: CfbSink, options: AafObjectWriteOptions = {}): Promise<number> {
  return writeCfbTo(rootNode(tree), sink, cfbOptions(options));
}


/**
 * Writes an object tree to an AAF file in memory, synchronously. Data streams must come from
 * `streamData` as bytes or sources with `readSync` (streams copied from `cfb` need {@link writeObjects}).
 * @throws RangeError when a stream cannot be read synchronously.
 */
export function writeObjectsSync(tree: AafObjectTree, options: AafObjectWriteOptions = {}): Uint8Array {
  return writeCfbSync(rootNode(tree), cfbOptions(options));
}
