/**
 * The AAF object layer: every object of a structured-storage AAF file as a lossless tree, with
 * each property's stored form, raw bytes and decoded value (`shared/spec/aaf.md` §6–7).
 *
 * Classes and properties the built-in tables do not know are named and typed through the
 * file's own MetaDictionary; anything still unknown is kept as bytes.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning } from '../../diagnostics/diagnostic.js';
import type { ParseResult } from '../../diagnostics/result.js';
import { toByteSource, type ByteInput } from '../../binary/byte-source.js';
import { guidToString, openCfb, openCfbSync, type CfbEntry, type CfbFile, type CfbReadOptions, type ReadGen } from '../../binary/cfb/read.js';
import { BUILTIN_PROPERTIES, BUILTIN_TYPES, builtinClassName, type AafValueType } from './dictionary.js';

/** Stored forms of properties (aaf.md §6). */
export const SF = {
  DATA: 0x82,
  DATA_STREAM: 0x42,
  STRONG_REF: 0x22,
  STRONG_REF_VECTOR: 0x32,
  STRONG_REF_SET: 0x3a,
  WEAK_REF: 0x02,
  WEAK_REF_VECTOR: 0x12,
  WEAK_REF_SET: 0x1a,
} as const;

/** A Rational as stored (numerator and denominator as written; the denominator may be 0). */
export interface AafRational {
  readonly numerator: number;
  readonly denominator: number;
}

/** An AAF TimeStamp: date and time fields as stored (fraction in 1/100 s). */
export interface AafTimeStamp {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly fraction: number;
}

/** An `Indirect` value: its type AUID and the value decoded by that type (bytes when unknown). */
export interface AafIndirect {
  readonly type: string;
  readonly value: AafData;
}

/** A decoded data value. 64-bit integers are bigints; AUIDs and MobIDs are text. */
export type AafData =
  | number | bigint | boolean | string | AafRational | AafTimeStamp | AafIndirect | Uint8Array
  | readonly number[] | readonly string[] | { readonly [member: string]: AafData };

/** What a property holds, by stored form. */
export type AafValue =
  | { readonly kind: 'data'; readonly data: AafData }
  | { readonly kind: 'stream'; readonly streamName: string; readonly entry: CfbEntry | undefined }
  | { readonly kind: 'strong'; readonly storageName: string; readonly object: AafObject | undefined }
  | { readonly kind: 'strong-vector' | 'strong-set'; readonly collectionName: string; readonly objects: readonly AafObject[]; readonly keyPid?: number }
  | { readonly kind: 'weak'; readonly ref: AafWeakRef }
  | { readonly kind: 'weak-vector' | 'weak-set'; readonly collectionName: string; readonly refs: readonly AafWeakRef[] }
  | { readonly kind: 'unknown' };

/** A weak reference: which referenced-properties path (`tableIndex`) and which key in that set. */
export interface AafWeakRef {
  readonly tableIndex: number;
  readonly keyPid: number;
  /** The key as text: GUID text for 16-byte keys, hex for others. */
  readonly key: string;
}

/** One property of an object, as stored. */
export interface AafProperty {
  readonly pid: number;
  readonly storedForm: number;
  /** Baseline or MetaDictionary name; `pid-0xNNNN` when neither knows it. */
  readonly name: string;
  /** The property definition's AUID when the MetaDictionary gives one. */
  readonly auid?: string;
  /** The value bytes as stored in the `properties` stream (for lossless writing); a view, do not modify. */
  readonly bytes: Uint8Array;
  readonly value: AafValue;
}

/** An AAF object: a storage in the compound file. */
export interface AafObject {
  /** Class AUID (the storage's CLSID). */
  readonly classId: string;
  /** Class name from the baseline tables or the MetaDictionary; the AUID when unknown. */
  readonly className: string;
  /** The storage path in the compound file. */
  readonly path: string;
  readonly properties: readonly AafProperty[];
}

/** A whole AAF file as an object tree. */
export interface AafObjectFile {
  readonly cfb: CfbFile;
  /** The root object (class Root): `MetaDictionary` and `Header`. */
  readonly root: AafObject;
  /** Paths of weak-reference tables (the `referenced properties` stream), as PID lists. */
  readonly referencedProperties: readonly (readonly number[])[];
  /** Class names by AUID from the file's MetaDictionary and the built-in tables. */
  readonly classNames: ReadonlyMap<string, string>;
  /** Parent class AUID of each class the MetaDictionary defines. */
  readonly classParents: ReadonlyMap<string, string>;
  /** Resolves a weak reference to its target object. */
  resolve(ref: AafWeakRef): AafObject | undefined;
  /** Number of objects read. */
  readonly objectCount: number;
}

/** Limits of {@link readObjects}. */
export interface AafReadOptions extends CfbReadOptions {
  /** Most objects read (default 2,000,000). */
  readonly maxObjects?: number;
  /** Deepest strong-reference nesting followed (default 200). */
  readonly maxObjectDepth?: number;
}

const utf16 = new TextDecoder('utf-16le');

/** A UTF-16LE string up to its first NUL. */
function readString(b: Uint8Array): string {
  const s = utf16.decode(b.subarray(0, b.length - (b.length % 2)));
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const v of b) s += v.toString(16).padStart(2, '0');
  return s;
}

/** MobID (32 bytes) as text: the 12-byte label, length, instance, then the material AUID. */
export function mobIdToString(b: Uint8Array): string {
  if (b.length !== 32) return hex(b);
  return `urn:smpte:umid:${hex(b.subarray(0, 12))}.${hex(b.subarray(12, 16))}.${guidToString(b, 16)}`;
}

/** Decodes value bytes by a type; undefined when the bytes do not fit the type. */
export function decodeData(type: AafValueType, b: Uint8Array): AafData | undefined {
  // Plain byte arithmetic for the common scalar types: no DataView per value.
  const need = (n: number) => b.length >= n;
  const u16 = () => (b[0] as number) | ((b[1] as number) << 8);
  const u32 = (o = 0) => ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
  switch (type) {
    case 'UInt8': return need(1) ? (b[0] as number) : undefined;
    case 'Int8': return need(1) ? ((b[0] as number) << 24) >> 24 : undefined;
    case 'UInt16': return need(2) ? u16() : undefined;
    case 'Int16': return need(2) ? (u16() << 16) >> 16 : undefined;
    case 'UInt32': return need(4) ? u32() : undefined;
    case 'Int32': return need(4) ? u32() | 0 : undefined;
    case 'UInt64': return need(8) ? (BigInt(u32(4)) << 32n) | BigInt(u32()) : undefined;
    case 'Int64': return need(8) ? BigInt.asIntN(64, (BigInt(u32(4)) << 32n) | BigInt(u32())) : undefined;
    case 'Rational': return need(8) ? { numerator: u32() | 0, denominator: u32(4) | 0 } : undefined;
    default: return decodeOther(type, b);
  }
}

function decodeOther(type: AafValueType, b: Uint8Array): AafData | undefined {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const need = (n: number) => b.length >= n;
  switch (type) {
    case 'Boolean': return need(1) ? dv.getUint8(0) !== 0 : undefined;
    case 'TimeStamp':
      return need(8)
        ? { year: dv.getInt16(0, true), month: b[2] as number, day: b[3] as number, hour: b[4] as number, minute: b[5] as number, second: b[6] as number, fraction: b[7] as number }
        : undefined;
    case 'AUID': return need(16) ? guidToString(b) : undefined;
    case 'MobID': return need(32) ? mobIdToString(b.subarray(0, 32)) : undefined;
    case 'String': return readString(b);
    case 'StringArray': return utf16.decode(b.subarray(0, b.length - (b.length % 2))).split('\0').filter((s, i, a) => s !== '' || i < a.length - 1);
    case 'Version': return need(2) ? `${dv.getInt8(0)}.${dv.getInt8(1)}` : undefined;
    case 'ProductVersion':
      return need(9)
        ? { major: dv.getUint16(0, true), minor: dv.getUint16(2, true), tertiary: dv.getUint16(4, true), patchLevel: dv.getUint16(6, true), type: b[8] as number }
        : undefined;
    case 'UInt32Array': {
      const out: number[] = [];
      for (let i = 0; i + 4 <= b.length; i += 4) out.push(dv.getUint32(i, true));
      return out;
    }
    case 'AUIDArray': {
      const out: string[] = [];
      for (let i = 0; i + 16 <= b.length; i += 16) out.push(guidToString(b, i));
      return out;
    }
    case 'RGBColor': return need(6) ? { red: dv.getUint16(0, true), green: dv.getUint16(2, true), blue: dv.getUint16(4, true) } : undefined;
    case 'Indirect': {
      // u8 byte order (0x4C), 16-byte type AUID, value (aaf.md §7).
      if (!need(17)) return undefined;
      const t = guidToString(b, 1);
      const inner = BUILTIN_TYPES.get(t);
      const v = inner ? decodeData(inner, b.subarray(17)) : undefined;
      return { type: t, value: v ?? b.slice(17) };
    }
    case 'Bytes':
    case 'Reference':
      return b;
    default:
      return undefined;
  }
}

interface PropertyEntry {
  pid: number;
  form: number;
  bytes: Uint8Array;
}

/** Parses a `properties` stream: header, entry table, values (aaf.md §6). */
function parseProperties(b: Uint8Array, path: string, diags: Diagnostic[]): PropertyEntry[] {
  if (b.length < 4) {
    diags.push(error('aaf/bad-properties', `${path}: the properties stream is ${b.length} bytes, too short for its header`, { path: [path] }));
    return [];
  }
  if (b[0] !== 0x4c) diags.push(warning('aaf/byte-order', `${path}: byte order 0x${(b[0] as number).toString(16)} ('L' expected); read as little-endian`, { path: [path] }));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const count = dv.getUint16(2, true);
  const tableEnd = 4 + count * 6;
  if (tableEnd > b.length) {
    diags.push(error('aaf/bad-properties', `${path}: ${count} property entries do not fit the ${b.length}-byte stream`, { path: [path] }));
    return [];
  }
  const out: PropertyEntry[] = [];
  let at = tableEnd;
  for (let i = 0; i < count; i++) {
    const pid = dv.getUint16(4 + i * 6, true);
    const form = dv.getUint16(6 + i * 6, true);
    const len = dv.getUint16(8 + i * 6, true);
    if (at + len > b.length) {
      diags.push(error('aaf/bad-properties', `${path}: property 0x${pid.toString(16)} runs past the end of the stream`, { path: [path] }));
      break;
    }
    out.push({ pid, form, bytes: b.subarray(at, at + len) });
    at += len;
  }
  return out;
}

/** Dynamic property definitions from the MetaDictionary: PID → name, AUID, type AUID. */
interface DynamicProperty {
  name: string;
  auid: string;
  typeId: string | undefined;
}

/**
 * Reads every object of an AAF file into a lossless tree. Never throws on bad input: broken
 * structure gives diagnostics with the storage path (and the compound file's byte offsets).
 */
export async function readObjects(input: ByteInput, options: AafReadOptions = {}): Promise<ParseResult<AafObjectFile>> {
  if (input instanceof Uint8Array) return readObjectsSync(input, options);
  const opened = await openCfb(input, options);
  if (!opened.ok) return opened;
  const source = toByteSource(input);
  const g = objectsCore(opened.value, opened.diagnostics, options);
  let r = g.next();
  while (!r.done) r = g.next(await source.read(r.value.offset, r.value.length));
  return r.value;
}

/** {@link readObjects} for a file in memory, synchronously. */
export function readObjectsSync(bytes: Uint8Array, options: AafReadOptions = {}): ParseResult<AafObjectFile> {
  const opened = openCfbSync(bytes, options);
  if (!opened.ok) return opened;
  const g = objectsCore(opened.value, opened.diagnostics, options);
  let r = g.next();
  while (!r.done) r = g.next(bytes.subarray(Math.min(r.value.offset, bytes.length), Math.min(bytes.length, r.value.offset + r.value.length)));
  return r.value;
}

function* objectsCore(cfb: CfbFile, openDiagnostics: readonly Diagnostic[], options: AafReadOptions): ReadGen<ParseResult<AafObjectFile>> {
  const diags: Diagnostic[] = [...openDiagnostics];
  const maxObjects = options.maxObjects ?? 2_000_000;
  const maxDepth = options.maxObjectDepth ?? 200;
  let objectCount = 0;
  let stopped = false;

  function* readAll(e: CfbEntry): ReadGen<Uint8Array | undefined> {
    const r = yield* cfb.readStreamGen(e);
    if (!r.ok) {
      diags.push(...r.diagnostics);
      return undefined;
    }
    return r.value;
  }

  // Pass 1 builds raw objects (property entries and children) without naming dynamic PIDs;
  // pass 2 (after the MetaDictionary is known) names and decodes them.
  interface RawObject {
    entry: CfbEntry;
    props: PropertyEntry[];
    // Per-PID extras, created only when an object has such properties (most have few).
    children?: Map<number, RawObject[] | RawObject | undefined>;
    keys?: Map<number, number>; // set key PIDs
    streams?: Map<number, CfbEntry | undefined>;
    weakCollections?: Map<number, AafWeakRef[]>;
  }

  function* readRaw(entry: CfbEntry, depth: number): ReadGen<RawObject | undefined> {
    if (stopped) return undefined;
    if (++objectCount > maxObjects) {
      stopped = true;
      diags.push(warning('aaf/too-many-objects', `more than ${maxObjects} objects; the rest are not read`, { path: [entry.path] }));
      return undefined;
    }
    const raw: RawObject = { entry, props: [] };
    const propsEntry = cfb.child(entry, 'properties');
    if (!propsEntry) {
      diags.push(error('aaf/missing-properties', `${entry.path} has no properties stream`, { path: [entry.path] }));
      return raw;
    }
    const bytes = yield* readAll(propsEntry);
    if (!bytes) return raw;
    raw.props = parseProperties(bytes, entry.path, diags);
    for (const p of raw.props) {
      const name = () => readString(p.form === SF.DATA_STREAM ? p.bytes.subarray(1) : p.bytes);
      switch (p.form) {
        case SF.DATA_STREAM: {
          const s = cfb.child(entry, name());
          if (!s) diags.push(error('aaf/missing-stream', `${entry.path}: stream "${name()}" of property 0x${p.pid.toString(16)} is missing`, { path: [entry.path] }));
          (raw.streams ??= new Map()).set(p.pid, s);
          break;
        }
        case SF.STRONG_REF: {
          const child = cfb.child(entry, name());
          if (!child || child.type !== 'storage') {
            diags.push(error('aaf/missing-object', `${entry.path}: storage "${name()}" of property 0x${p.pid.toString(16)} is missing`, { path: [entry.path] }));
            (raw.children ??= new Map()).set(p.pid, undefined);
          } else if (depth >= maxDepth) {
            diags.push(warning('aaf/too-deep', `${child.path}: objects nest deeper than ${maxDepth}`, { path: [child.path] }));
          } else (raw.children ??= new Map()).set(p.pid, yield* readRaw(child, depth + 1));
          break;
        }
        case SF.STRONG_REF_VECTOR:
        case SF.STRONG_REF_SET: {
          const base = name();
          const index = cfb.child(entry, `${base} index`);
          const list: RawObject[] = [];
          (raw.children ??= new Map()).set(p.pid, list);
          if (!index) {
            diags.push(error('aaf/missing-index', `${entry.path}: "${base} index" is missing`, { path: [entry.path] }));
            break;
          }
          const ib = yield* readAll(index);
          if (!ib || ib.length < 12) break;
          const dv = new DataView(ib.buffer, ib.byteOffset, ib.byteLength);
          const count = dv.getUint32(0, true);
          const isSet = p.form === SF.STRONG_REF_SET;
          let at = 12;
          let stride = 4;
          if (isSet) {
            if (ib.length < 15) break;
            (raw.keys ??= new Map()).set(p.pid, dv.getUint16(12, true));
            const keySize = ib[14] as number;
            at = 15;
            stride = 8 + keySize;
          }
          if (at + count * stride > ib.length) {
            diags.push(error('aaf/bad-index', `${index.path}: ${count} elements do not fit the ${ib.length}-byte index`, { path: [index.path] }));
          }
          for (let i = 0; i < count && at + (i + 1) * stride <= ib.length; i++) {
            const key = dv.getUint32(at + i * stride, true);
            const child = cfb.child(entry, `${base}{${key.toString(16)}}`);
            if (!child || child.type !== 'storage') {
              diags.push(error('aaf/missing-object', `${entry.path}: element "${base}{${key.toString(16)}}" is missing`, { path: [entry.path] }));
              continue;
            }
            if (depth >= maxDepth) {
              diags.push(warning('aaf/too-deep', `${child.path}: objects nest deeper than ${maxDepth}`, { path: [child.path] }));
              break;
            }
            const obj = yield* readRaw(child, depth + 1);
            if (obj) list.push(obj);
          }
          break;
        }
        case SF.WEAK_REF_VECTOR:
        case SF.WEAK_REF_SET: {
          const base = name();
          const index = cfb.child(entry, `${base} index`);
          const refs: AafWeakRef[] = [];
          (raw.weakCollections ??= new Map()).set(p.pid, refs);
          if (!index) {
            diags.push(error('aaf/missing-index', `${entry.path}: "${base} index" is missing`, { path: [entry.path] }));
            break;
          }
          const ib = yield* readAll(index);
          if (!ib || ib.length < 9) break;
          const dv = new DataView(ib.buffer, ib.byteOffset, ib.byteLength);
          const count = dv.getUint32(0, true);
          const tableIndex = dv.getUint16(4, true);
          const keyPid = dv.getUint16(6, true);
          const keySize = ib[8] as number;
          for (let i = 0; i < count && 9 + (i + 1) * keySize <= ib.length && keySize > 0; i++) {
            refs.push({ tableIndex, keyPid, key: keyText(ib.subarray(9 + i * keySize, 9 + (i + 1) * keySize)) });
          }
          break;
        }
      }
    }
    return raw;
  }

  const rootRaw = yield* readRaw(cfb.root, 0);
  if (!rootRaw) return { ok: false, diagnostics: [error('aaf/no-root', 'the root object could not be read', { path: ['/'] }), ...diags] };

  // referenced properties: u8 byte order, u16 path count, u32 pid count, PIDs with 0 terminators.
  const referencedProperties: number[][] = [];
  const refEntry = cfb.child(cfb.root, 'referenced properties');
  if (refEntry) {
    const b = yield* readAll(refEntry);
    if (b && b.length >= 7) {
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      const pathCount = dv.getUint16(1, true);
      let cur: number[] = [];
      for (let at = 7; at + 2 <= b.length && referencedProperties.length < pathCount; at += 2) {
        const pid = dv.getUint16(at, true);
        if (pid === 0) {
          referencedProperties.push(cur);
          cur = [];
        } else cur.push(pid);
      }
    }
  }

  // MetaDictionary: class names and parents; dynamic property definitions by PID.
  const classNames = new Map<string, string>();
  const classParents = new Map<string, string>();
  const dynamic = new Map<number, DynamicProperty>();
  const typeDefs = new Map<string, RawObject>();
  const prop = (o: RawObject, pid: number) => o.props.find((p) => p.pid === pid);
  const metaRaw = rootRaw.children?.get(0x0001);
  if (metaRaw && !Array.isArray(metaRaw)) {
    const types = metaRaw.children?.get(0x0004);
    if (Array.isArray(types)) {
      for (const t of types) {
        const id = prop(t, 0x0005);
        if (id && id.bytes.length >= 16) typeDefs.set(guidToString(id.bytes), t);
      }
    }
    const classes = metaRaw.children?.get(0x0003);
    if (Array.isArray(classes)) {
      for (const c of classes) {
        const id = prop(c, 0x0005);
        const nm = prop(c, 0x0006);
        if (!id || id.bytes.length < 16) continue;
        const auid = guidToString(id.bytes);
        if (nm) classNames.set(auid, readString(nm.bytes));
        const parent = refAuid(prop(c, 0x0008));
        if (parent) classParents.set(auid, parent);
        const pdefs = c.children?.get(0x0009);
        if (!Array.isArray(pdefs)) continue;
        for (const pd of pdefs) {
          const local = prop(pd, 0x000d);
          const pname = prop(pd, 0x0006);
          const pid = prop(pd, 0x0005);
          const ptype = prop(pd, 0x000b);
          if (!local || local.bytes.length < 2 || !pname) continue;
          const n = new DataView(local.bytes.buffer, local.bytes.byteOffset).getUint16(0, true);
          dynamic.set(n, {
            name: readString(pname.bytes),
            auid: pid && pid.bytes.length >= 16 ? guidToString(pid.bytes) : '',
            typeId: refAuid(ptype),
          });
        }
      }
    }
  }

  /** The value type of a type AUID, through the MetaDictionary's type definitions. */
  const typeCache = new Map<string, AafValueType | undefined>();
  const resolveType = (typeId: string | undefined, depth = 0): AafValueType | undefined => {
    if (!typeId || depth > 16) return undefined;
    if (typeCache.has(typeId)) return typeCache.get(typeId);
    let t: AafValueType | undefined = BUILTIN_TYPES.get(typeId);
    const def = t ? undefined : typeDefs.get(typeId);
    if (def) {
      const cls = builtinClassName(def.entry.clsid);
      if (cls === 'TypeDefinitionInteger') {
        const size = prop(def, 0x000f)?.bytes[0];
        const signed = prop(def, 0x0010)?.bytes[0] === 1;
        t = size === 1 ? (signed ? 'Int8' : 'UInt8') : size === 2 ? (signed ? 'Int16' : 'UInt16') : size === 4 ? (signed ? 'Int32' : 'UInt32') : size === 8 ? (signed ? 'Int64' : 'UInt64') : undefined;
      } else if (cls === 'TypeDefinitionString') t = 'String';
      else if (cls === 'TypeDefinitionIndirect' || cls === 'TypeDefinitionOpaque') t = 'Indirect';
      else if (cls === 'TypeDefinitionExtendibleEnumeration') t = 'AUID';
      else if (cls === 'TypeDefinitionRename' || cls === 'TypeDefinitionEnumeration') {
        const target = refAuid(prop(def, 0x001e) ?? prop(def, 0x0014) ?? prop(def, 0x001b));
        t = target ? resolveType(target, depth + 1) : undefined;
      } else if (cls === 'TypeDefinitionRecord') {
        const names = prop(def, 0x001d) ?? prop(def, 0x001a);
        const n = names ? readString(names.bytes) : '';
        if (/red/i.test(n) || typeId === 'e96e6d43-c383-11d3-a069-006094eb75cb') t = 'RGBColor';
      }
    }
    if (typeId === 'e96e6d43-c383-11d3-a069-006094eb75cb') t = 'RGBColor'; // Avid RGBColor record
    typeCache.set(typeId, t);
    return t;
  };

  // Pass 2: build the public tree.
  const built = new Map<RawObject, AafObject>();
  const classNameCache = new Map<string, string>();
  const build = (raw: RawObject): AafObject => {
    const cached = built.get(raw);
    if (cached) return cached;
    const properties: AafProperty[] = [];
    let className = classNameCache.get(raw.entry.clsid);
    if (className === undefined) {
      className = builtinClassName(raw.entry.clsid) ?? classNames.get(raw.entry.clsid) ?? raw.entry.clsid;
      classNameCache.set(raw.entry.clsid, className);
    }
    const obj: AafObject = {
      classId: raw.entry.clsid,
      className,
      path: raw.entry.path,
      properties,
    };
    built.set(raw, obj);
    for (const p of raw.props) {
      const builtin = BUILTIN_PROPERTIES.get(p.pid);
      const dyn = p.pid >= 0x8000 || !builtin ? dynamic.get(p.pid) : undefined;
      const name = builtin && p.pid < 0x8000 ? builtin.name : dyn?.name ?? `pid-0x${p.pid.toString(16).padStart(4, '0')}`;
      let value: AafValue;
      if (p.form === SF.DATA) {
        // Data values decode on first access: a timeline reader touches few of them.
        const type = builtin && p.pid < 0x8000 ? builtin.type : resolveType(dyn?.typeId);
        properties.push(new DataProperty(p.pid, name, p.bytes, type, dyn?.auid || undefined));
        continue;
      }
      switch (p.form) {
        case SF.DATA_STREAM:
          value = { kind: 'stream', streamName: readString(p.bytes.subarray(1)), entry: raw.streams?.get(p.pid) };
          break;
        case SF.STRONG_REF: {
          const c = raw.children?.get(p.pid);
          value = { kind: 'strong', storageName: readString(p.bytes), object: c && !Array.isArray(c) ? build(c) : undefined };
          break;
        }
        case SF.STRONG_REF_VECTOR:
        case SF.STRONG_REF_SET: {
          const c = raw.children?.get(p.pid);
          const objects = Array.isArray(c) ? c.map(build) : [];
          const keyPid = raw.keys?.get(p.pid);
          value = p.form === SF.STRONG_REF_SET
            ? { kind: 'strong-set', collectionName: readString(p.bytes), objects, ...(keyPid !== undefined ? { keyPid } : {}) }
            : { kind: 'strong-vector', collectionName: readString(p.bytes), objects };
          break;
        }
        case SF.WEAK_REF: {
          if (p.bytes.length < 5) {
            value = { kind: 'unknown' };
            break;
          }
          const dv = new DataView(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength);
          const keySize = p.bytes[4] as number;
          value = { kind: 'weak', ref: { tableIndex: dv.getUint16(0, true), keyPid: dv.getUint16(2, true), key: keyText(p.bytes.subarray(5, 5 + keySize)) } };
          break;
        }
        case SF.WEAK_REF_VECTOR:
        case SF.WEAK_REF_SET:
          value = { kind: p.form === SF.WEAK_REF_SET ? 'weak-set' : 'weak-vector', collectionName: readString(p.bytes), refs: raw.weakCollections?.get(p.pid) ?? [] };
          break;
        default:
          value = { kind: 'unknown' };
      }
      properties.push({ pid: p.pid, storedForm: p.form, name, ...(dyn?.auid ? { auid: dyn.auid } : {}), bytes: p.bytes, value });
    }
    return obj;
  };
  const root = build(rootRaw);

  // Weak reference resolution: follow the table's PID path from the root, index the set by key.
  const tables = new Map<number, Map<string, AafObject>>();
  const resolve = (ref: AafWeakRef): AafObject | undefined => {
    let table = tables.get(ref.tableIndex);
    if (!table) {
      table = new Map();
      tables.set(ref.tableIndex, table);
      const path = referencedProperties[ref.tableIndex];
      let cur: AafObject | undefined = root;
      let targets: readonly AafObject[] = [];
      for (let i = 0; path && i < path.length && cur; i++) {
        const p: AafProperty | undefined = cur.properties.find((q) => q.pid === path[i]);
        if (!p) {
          cur = undefined;
          break;
        }
        if (p.value.kind === 'strong') cur = p.value.object;
        else if (p.value.kind === 'strong-set' || p.value.kind === 'strong-vector') {
          targets = p.value.objects;
          cur = undefined;
        } else cur = undefined;
      }
      for (const t of targets) {
        const keyProp = t.properties.find((q) => q.pid === ref.keyPid);
        if (keyProp) table.set(keyText(keyProp.bytes), t);
      }
    }
    return table.get(ref.key);
  };

  return {
    ok: true,
    value: { cfb, root, referencedProperties, classNames, classParents, resolve, objectCount: Math.min(objectCount, maxObjects) },
    diagnostics: diags,
  };
}

/**
 * The AUID a MetaDictionary reference names: a weak reference (`u16 table, u16 keyPid, u8 size,
 * key`) or, as some writers store it, the plain 16-byte AUID.
 */
function refAuid(p: PropertyEntry | undefined): string | undefined {
  if (!p) return undefined;
  if (p.form === SF.WEAK_REF && p.bytes.length >= 21) return guidToString(p.bytes, 5);
  if (p.bytes.length === 16) return guidToString(p.bytes);
  return undefined;
}

/** A data property whose value is decoded when first read. */
class DataProperty implements AafProperty {
  readonly storedForm = SF.DATA;
  readonly auid?: string;
  private decoded: AafValue | undefined;

  constructor(
    readonly pid: number,
    readonly name: string,
    readonly bytes: Uint8Array,
    private readonly type: AafValueType | undefined,
    auid: string | undefined,
  ) {
    if (auid !== undefined) this.auid = auid;
  }

  get value(): AafValue {
    return (this.decoded ??= { kind: 'data', data: (this.type ? decodeData(this.type, this.bytes) : undefined) ?? this.bytes });
  }
}

/** A reference key as text: GUID text for 16-byte keys (AUIDs), MobID text for 32-byte keys. */
function keyText(b: Uint8Array): string {
  if (b.length === 16) return guidToString(b);
  if (b.length === 32) return mobIdToString(b);
  return hex(b);
}

/** The property of an object by name (first match) or PID. */
export function property(obj: AafObject, key: string | number): AafProperty | undefined {
  return obj.properties.find((p) => (typeof key === 'number' ? p.pid === key : p.name === key));
}

/** The decoded data of a property, when it is a data property. */
export function dataOf(obj: AafObject, key: string | number): AafData | undefined {
  const p = property(obj, key);
  return p && p.value.kind === 'data' ? p.value.data : undefined;
}

/** The objects a strong reference, vector or set property holds. */
export function objectsOf(obj: AafObject, key: string | number): readonly AafObject[] {
  const p = property(obj, key);
  if (!p) return [];
  if (p.value.kind === 'strong') return p.value.object ? [p.value.object] : [];
  if (p.value.kind === 'strong-vector' || p.value.kind === 'strong-set') return p.value.objects;
  return [];
}
