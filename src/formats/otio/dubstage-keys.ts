/**
 * Where the OTIO writer keeps model fields that OTIO has no place for (clip gain and fades, the
 * media's sample rate, BWF TimeReference and UMID, track channel counts, the session sample
 * rate…) and the model metadata of other formats: under the key `dubstage` of the OTIO object's
 * own `metadata` dict, the way OTIO adapters keep theirs (`fcp_xml`, `cmx_3600`). OTIO and other
 * tools carry it along untouched; this reader restores it.
 */
import type { JsonValue, Metadata } from '../../model/types.js';

/** The OTIO metadata key holding dubstage's fields. */
export const DUBSTAGE_KEY = 'dubstage';

type Obj = { readonly [k: string]: JsonValue };

/** What {@link fromDubstageMetadata} found. */
export interface DubstageFields {
  /** The model fields kept by the writer (camelCase names as in the model). */
  readonly fields: Obj;
  /** The model metadata of other formats (`edl`, `aaf`…). */
  readonly other: Metadata;
  /** The OTIO metadata without the `dubstage` key, when it had one; undefined otherwise. */
  readonly stripped: Obj | undefined;
}

const NONE: DubstageFields = { fields: {}, other: {}, stripped: undefined };

/** Splits an OTIO metadata dict into dubstage's fields and the rest. */
export function fromDubstageMetadata(md: Obj | undefined): DubstageFields {
  if (!md) return NONE;
  const d = md[DUBSTAGE_KEY];
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return NONE;
  const { [DUBSTAGE_KEY]: _, ...stripped } = md;
  const { metadata, ...fields } = d as Obj;
  const other = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Metadata) : {};
  return { fields, other, stripped };
}

/**
 * An OTIO metadata dict: `otio` (the dict as read) plus, when there is anything to keep, a
 * `dubstage` entry with `fields` and the model metadata of other formats.
 */
export function toDubstageMetadata(otio: JsonValue | undefined, fields: Record<string, JsonValue>, model: Metadata): Obj {
  const base: Record<string, JsonValue> = typeof otio === 'object' && otio !== null && !Array.isArray(otio) ? { ...(otio as Obj) } : {};
  const other: Record<string, JsonValue> = {};
  for (const k of Object.keys(model)) if (k !== 'otio') other[k] = model[k] as JsonValue;
  const d: Record<string, JsonValue> = { ...fields };
  if (Object.keys(other).length > 0) d['metadata'] = other;
  if (Object.keys(d).length > 0) base[DUBSTAGE_KEY] = d;
  return base;
}
