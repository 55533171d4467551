/**
 * Building blocks of the AAF timeline writer: value encoders (`shared/spec/aaf.md` §7), property
 * and object constructors in the shape `readObjects` gives (so `writeObjects` stores them, §6),
 * storage names as the AAF SDK mangles them, and the MetaDictionary from `write-schema.ts`.
 */
import { guidToBytes } from '../../binary/cfb/write.js';
import { guidToString } from '../../binary/cfb/read.js';
import { SF, type AafObject, type AafTimeStamp, type AafProperty, type AafValue, type AafWeakRef } from './objects.js';
import { CLASS_ROWS, TYPE_ROWS } from './write-schema.js';

/** Weak-reference tables the writer uses: index → path of PIDs from the root (aaf.md §6). */
export const REFERENCED_PROPERTIES: readonly (readonly number[])[] = [
  [0x0001, 0x0003], // 0 MetaDictionary.ClassDefinitions
  [0x0001, 0x0004], // 1 MetaDictionary.TypeDefinitions
  [0x0002, 0x3b04, 0x2605], // 2 Header.Dictionary.DataDefinitions
  [0x0002, 0x3b04, 0x2608], // 3 ContainerDefinitions
  [0x0002, 0x3b04, 0x2609], // 4 InterpolationDefinitions
  [0x0002, 0x3b04, 0x2603], // 5 OperationDefinitions
  [0x0002, 0x3b04, 0x2604], // 6 ParameterDefinitions
];
export const TABLE = { classes: 0, types: 1, dataDefs: 2, containers: 3, interpolations: 4, operations: 5, parameters: 6 } as const;

/** The class AUID of a baseline class from its byte `XX` (`0d010101-0101-XX00-…`, aaf.md §3). */
export const cls = (xx: number): string => `0d010101-0101-${xx.toString(16).padStart(2, '0')}00-060e-2b3402060101`;

/** Class AUIDs used by the writer. */
export const CLASS = {
  Root: 'b3b398a5-1c90-11d4-8053-080036210804',
  MetaDictionary: '0d010101-0225-0000-060e-2b3402060101',
  ClassDefinition: '0d010101-0201-0000-060e-2b3402060101',
  PropertyDefinition: '0d010101-0202-0000-060e-2b3402060101',
  Header: cls(0x2f), Identification: cls(0x30), ContentStorage: cls(0x18), Dictionary: cls(0x22),
  DataDefinition: cls(0x1b), OperationDefinition: cls(0x1c), ParameterDefinition: cls(0x1d),
  ContainerDefinition: cls(0x20), InterpolationDefinition: cls(0x21),
  CompositionMob: cls(0x35), MasterMob: cls(0x36), SourceMob: cls(0x37),
  TimelineMobSlot: cls(0x3b), EventMobSlot: cls(0x39),
  Sequence: cls(0x0f), Filler: cls(0x09), SourceClip: cls(0x11), Transition: cls(0x17), OperationGroup: cls(0x0a),
  Selector: cls(0x0e), Timecode: cls(0x14), DescriptiveMarker: cls(0x41),
  ConstantValue: cls(0x3d), VaryingValue: cls(0x3e), ControlPoint: cls(0x19), TaggedValue: cls(0x3f),
  WAVEDescriptor: cls(0x2c), PCMDescriptor: cls(0x48), CDCIDescriptor: cls(0x28), TapeDescriptor: cls(0x2e), NetworkLocator: cls(0x32),
  EssenceData: cls(0x23),
} as const;

/** Type AUIDs of Indirect values (aaf.md §7). */
export const TYPE = {
  Rational: '03010100-0000-0000-060e-2b3401040101',
  String: '01100200-0000-0000-060e-2b3401040101',
  Int32: '01010700-0000-0000-060e-2b3401040101',
} as const;

// ---- value encoders (little-endian, aaf.md §7) ----

// Values are small and many (a 10,000-clip timeline has ~10^6): they are carved from shared slabs,
// as views, so each costs no ArrayBuffer of its own.
const SLAB_BYTES = 64 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;
/** A zeroed view of `n` bytes, from a shared slab when small. */
export function alloc(n: number): Uint8Array {
  if (n > 1024) return new Uint8Array(n);
  if (slabUsed + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const b = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += (n + 7) & ~7;
  return b;
}
/** Writes a little-endian UInt32. */
export function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
export function u8(v: number): Uint8Array {
  const b = alloc(1);
  b[0] = v & 0xff;
  return b;
}
export function u16(v: number): Uint8Array {
  const b = alloc(2);
  b[0] = v & 0xff;
  b[1] = (v >>> 8) & 0xff;
  return b;
}
export function u32(v: number): Uint8Array {
  const b = alloc(4);
  put32(b, 0, v);
  return b;
}
export function i32(v: number): Uint8Array {
  return u32(v | 0);
}
export function i64(v: bigint): Uint8Array {
  const b = alloc(8);
  if (v >= -0x80000000n && v <= 0x7fffffffn) {
    const n = Number(v);
    put32(b, 0, n);
    put32(b, 4, n < 0 ? -1 : 0);
  } else {
    const u = BigInt.asUintN(64, v);
    put32(b, 0, Number(u & 0xffffffffn));
    put32(b, 4, Number(u >> 32n));
  }
  return b;
}
export function rational(num: number, den: number): Uint8Array {
  const b = alloc(8);
  put32(b, 0, num);
  put32(b, 4, den);
  return b;
}
/** UTF-16LE with a NUL terminator. */
export function utf16z(s: string): Uint8Array {
  const b = alloc((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    b[i * 2] = c & 0xff;
    b[i * 2 + 1] = c >>> 8;
  }
  return b;
}
const auidCache = new Map<string, Uint8Array>();
/** AUID text → 16 bytes (GUID layout); the same bytes for the same text (callers must not modify them). */
export function auid(text: string): Uint8Array {
  let b = auidCache.get(text);
  if (!b) {
    b = guidToBytes(text);
    if (auidCache.size < 4096) auidCache.set(text, b);
  }
  return b;
}
/** An AAF TimeStamp (aaf.md §7: Int16 year, then month, day, hour, minute, second, 1/100 s). */
export type AafDate = AafTimeStamp;
export function timestamp(t: AafDate): Uint8Array {
  const b = alloc(8);
  b[0] = t.year & 0xff;
  b[1] = (t.year >>> 8) & 0xff;
  b.set([t.month, t.day, t.hour, t.minute, t.second, t.fraction], 2);
  return b;
}
/** An Indirect value: byte order 'L', the value's type AUID, the value. */
export function indirect(type: string, value: Uint8Array): Uint8Array {
  const b = alloc(17 + value.length);
  b[0] = 0x4c;
  b.set(auid(type), 1);
  b.set(value, 17);
  return b;
}
function hexBytes(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A MobID (UMID, aaf.md §7): SMPTE label, length 0x13, instance 0, material number (AUID layout). */
export function mobIdBytes(material: Uint8Array): Uint8Array {
  const b = new Uint8Array(32);
  b.set([0x06, 0x0a, 0x2b, 0x34, 0x01, 0x01, 0x01, 0x05, 0x01, 0x01, 0x0f, 0x10, 0x13, 0, 0, 0]);
  b.set(material.subarray(0, 16), 16);
  return b;
}
/** MobID bytes from its URN text (`urn:smpte:umid:<24 hex>.<8 hex>.<AUID>`), or undefined. */
export function mobIdFromText(text: string): Uint8Array | undefined {
  const m = /^urn:smpte:umid:([0-9a-f]{24})\.([0-9a-f]{8})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(text);
  if (!m) return undefined;
  const b = new Uint8Array(32);
  b.set(hexBytes(m[1] as string), 0);
  b.set(hexBytes(m[2] as string), 12);
  guidToBytes(m[3] as string, b, 16);
  return b;
}
// ---- storage names (AAF SDK mangleName, aaf.md §6) ----

/** `<PropertyName>-<pid hex>`, the name squeezed (head-tail) so the whole fits `limit` characters. */
export function mangle(name: string, pid: number, limit: number): string {
  const suffix = `-${pid.toString(16)}`;
  const room = limit - suffix.length;
  if (name.length <= room) return name + suffix;
  const tail = Math.floor((room - 1) / 2);
  const head = room - 1 - tail;
  return `${name.slice(0, head)}-${name.slice(name.length - tail)}${suffix}`;
}

// ---- properties and objects ----

/** A property of an object under construction. */
export type Prop = AafProperty;

function prop(pid: number, storedForm: number, name: string, bytes: Uint8Array, value: AafValue): Prop {
  return { pid, storedForm, name, bytes, value };
}
/** A simple value (SF_DATA). */
export function data(pid: number, name: string, bytes: Uint8Array): Prop {
  return prop(pid, SF.DATA, name, bytes, { kind: 'data', data: bytes });
}
/** A strong reference to one child object. */
export function strong(pid: number, name: string, child: AafObject): Prop {
  const storageName = mangle(name, pid, 31);
  return prop(pid, SF.STRONG_REF, name, utf16z(storageName), { kind: 'strong', storageName, object: child });
}
/** A strong-reference vector. */
export function strongVector(pid: number, name: string, children: readonly AafObject[]): Prop {
  const collectionName = mangle(name, pid, 21);
  return prop(pid, SF.STRONG_REF_VECTOR, name, utf16z(collectionName), { kind: 'strong-vector', collectionName, objects: children });
}
/** A strong-reference set keyed by the element property `keyPid`. */
export function strongSet(pid: number, name: string, children: readonly AafObject[], keyPid: number): Prop {
  const collectionName = mangle(name, pid, 21);
  return prop(pid, SF.STRONG_REF_SET, name, utf16z(collectionName), { kind: 'strong-set', collectionName, objects: children, keyPid });
}
function weakBytes(tableIndex: number, keyPid: number, key: Uint8Array): Uint8Array {
  const b = alloc(5 + key.length);
  b.set(u16(tableIndex), 0);
  b.set(u16(keyPid), 2);
  b[4] = key.length;
  b.set(key, 5);
  return b;
}
/** A weak reference to a definition (key PID 0x1b01) or meta definition (0x0005) by AUID. */
export function weak(pid: number, name: string, tableIndex: number, target: string, keyPid = 0x1b01): Prop {
  const ref: AafWeakRef = { tableIndex, keyPid, key: target };
  return prop(pid, SF.WEAK_REF, name, weakBytes(tableIndex, keyPid, auid(target)), { kind: 'weak', ref });
}
/** A weak-reference vector of AUID-keyed targets. */
export function weakVector(pid: number, name: string, tableIndex: number, targets: readonly string[], keyPid: number): Prop {
  const collectionName = mangle(name, pid, 21);
  return prop(pid, SF.WEAK_REF_VECTOR, name, utf16z(collectionName), { kind: 'weak-vector', collectionName, refs: targets.map((key) => ({ tableIndex, keyPid, key })) });
}
/** A data stream property (SF_DATA_STREAM): byte order 'U' (unspecified) and the stream name. */
export function stream(pid: number, name: string): Prop {
  const streamName = mangle(name, pid, 31);
  const nameBytes = utf16z(streamName);
  const bytes = alloc(1 + nameBytes.length);
  bytes[0] = 0x55;
  bytes.set(nameBytes, 1);
  return prop(pid, SF.DATA_STREAM, name, bytes, { kind: 'stream', streamName, entry: undefined });
}

/** An object of a class with properties. */
export function obj(classId: string, className: string, properties: readonly Prop[]): AafObject {
  return { classId, className, path: '', properties };
}

// ---- MetaDictionary ----

/** Dynamic PIDs the writer gives the extension properties it declares (by property AUID). */
export interface MetaDictionaryBuild {
  readonly metaDictionary: AafObject;
  /** Extension property AUID → the dynamic PID allocated in this file. */
  readonly dynamicPids: ReadonlyMap<string, number>;
}

/**
 * The MetaDictionary: every class of `write-schema.ts` (with its properties) and every type.
 * Extension properties get PIDs from 0xFFFF down, in table order (aaf.md §6). `renames` gives a
 * property AUID a vendor's spelling (Media Composer's `CommentMarkerUSer`).
 */
export function buildMetaDictionary(renames: ReadonlyMap<string, string> = new Map()): MetaDictionaryBuild {
  // The same for every file with the same renames: built once (objects are immutable).
  const key = [...renames].map(([k, v]) => `${k}=${v}`).join(';');
  const cached = metaCache.get(key);
  if (cached) return cached;
  const built = buildMetaDictionaryUncached(renames);
  metaCache.set(key, built);
  return built;
}
const metaCache = new Map<string, MetaDictionaryBuild>();

function buildMetaDictionaryUncached(renames: ReadonlyMap<string, string>): MetaDictionaryBuild {
  const dynamicPids = new Map<string, number>();
  let nextPid = 0xffff;
  const classes = CLASS_ROWS.map(([id, name, parent, concrete, props]) => {
    const propObjs = props.map(([pid, pname, pauid, type, optional, unique]) => {
      let local = pid;
      if (local === 0) {
        local = dynamicPids.get(pauid) ?? nextPid--;
        dynamicPids.set(pauid, local);
      }
      return obj(CLASS.PropertyDefinition, 'PropertyDefinition', [
        data(0x000d, 'LocalIdentification', u16(local)),
        data(0x000c, 'IsOptional', u8(optional)),
        data(0x000b, 'Type', auid(type)),
        data(0x0005, 'Identification', auid(pauid)),
        data(0x0006, 'Name', utf16z(renames.get(pauid) ?? pname)),
        ...(unique ? [data(0x000e, 'IsUniqueIdentifier', u8(1))] : []),
      ]);
    });
    return obj(CLASS.ClassDefinition, 'ClassDefinition', [
      data(0x000a, 'IsConcrete', u8(concrete)),
      ...(propObjs.length > 0 ? [strongSet(0x0009, 'Properties', propObjs, 0x0005)] : []),
      weak(0x0008, 'ParentClass', TABLE.classes, parent, 0x0005),
      data(0x0005, 'Identification', auid(id)),
      data(0x0006, 'Name', utf16z(name)),
    ]);
  });
  const types = TYPE_ROWS.map(([, typeClass, props]) =>
    obj(typeClass, 'TypeDefinition', props.map(([pid, form, hex, keys]) => {
      const bytes = hexBytes(hex);
      if (form === SF.WEAK_REF_VECTOR) {
        // The stored collection name is kept as the applications wrote it.
        const collectionName = new TextDecoder('utf-16le').decode(bytes).replace(/\0+$/, '');
        return prop(pid, form, '', bytes, { kind: 'weak-vector', collectionName, refs: (keys ?? []).map((key) => ({ tableIndex: TABLE.types, keyPid: 0x0005, key })) });
      }
      if (form === SF.WEAK_REF) {
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const key = guidToString(bytes, 5);
        return prop(pid, form, '', bytes, { kind: 'weak', ref: { tableIndex: dv.getUint16(0, true), keyPid: dv.getUint16(2, true), key } });
      }
      return prop(pid, form, '', bytes, { kind: 'data', data: bytes });
    })),
  );
  const metaDictionary = obj(CLASS.MetaDictionary, 'MetaDictionary', [
    strongSet(0x0003, 'ClassDefinitions', classes, 0x0005),
    strongSet(0x0004, 'TypeDefinitions', types, 0x0005),
  ]);
  return { metaDictionary, dynamicPids };
}
