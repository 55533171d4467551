/**
 * Embedded essence: the media an AAF carries inside itself (EssenceData `Data` streams,
 * `shared/spec/aaf.md` §5), listed and extracted as files without holding them in memory.
 *
 * - Raw PCM described by a PCMDescriptor (Pro Tools, pyaaf2) becomes a Broadcast Wave file with a
 *   bext chunk whose TimeReference is the media's source timecode (from its tape mob).
 * - Whole WAV or AIFF files (Premiere writes them with a WAVE/AIFC descriptor) are copied as they are.
 */
import type { ByteSource } from '../../binary/byte-source.js';
import { createBwf } from '../bwf/create.js';
import type { Timeline } from '../../model/types.js';
import { dataOf, objectsOf, type AafObject, type AafObjectFile, type AafRational } from './objects.js';

/** One embedded media file. */
export interface EmbeddedEssence {
  /** MobID of the file SourceMob (the `id` of the timeline's media source). */
  readonly mediaId: string;
  /** Name for the extracted file (the media source's name). */
  readonly name: string;
  /** `wav` for raw PCM (written as BWF) and WAVE files, `aif` for AIFC files. */
  readonly extension: 'wav' | 'aif';
  /** How the stream is stored: raw PCM (a header is written) or a whole file (copied). */
  readonly layout: 'raw-pcm' | 'whole-file';
  readonly sampleRate?: number;
  readonly channels?: number;
  readonly bitsPerSample?: number;
  /** Size of the embedded stream in bytes. */
  readonly sizeBytes: number;
}

function num(d: unknown): number | undefined {
  if (typeof d === 'number') return d;
  if (d && typeof d === 'object' && 'numerator' in d) {
    const r = d as AafRational;
    return r.denominator === 0 ? undefined : r.numerator / r.denominator;
  }
  return undefined;
}

function essenceObjects(file: AafObjectFile): Map<string, AafObject> {
  const header = objectsOf(file.root, 'Header')[0];
  const content = header && objectsOf(header, 'Content')[0];
  const out = new Map<string, AafObject>();
  for (const e of content ? objectsOf(content, 'EssenceData') : []) {
    const id = dataOf(e, 'MobID');
    if (typeof id === 'string') out.set(id, e);
  }
  return out;
}

function descriptorOf(file: AafObjectFile, mobId: string): AafObject | undefined {
  const header = objectsOf(file.root, 'Header')[0];
  const content = header && objectsOf(header, 'Content')[0];
  const mob = content && objectsOf(content, 'Mobs').find((m) => dataOf(m, 'MobID') === mobId);
  return mob && objectsOf(mob, 'EssenceDescription')[0];
}

/** The embedded media of a file, with what is needed to extract each. */
export function listEmbeddedEssence(file: AafObjectFile, timeline?: Timeline): EmbeddedEssence[] {
  const out: EmbeddedEssence[] = [];
  for (const [mediaId, ed] of essenceObjects(file)) {
    const data = ed.properties.find((p) => p.name === 'Data');
    const entry = data && data.value.kind === 'stream' ? data.value.entry : undefined;
    if (!entry) continue;
    const desc = descriptorOf(file, mediaId);
    const cls = desc?.className ?? '';
    const name = timeline?.media.find((m) => m.id === mediaId)?.name ?? mediaId;
    const whole = cls === 'WAVEDescriptor' || cls === 'AIFCDescriptor';
    const sr = num(desc && (dataOf(desc, 'AudioSamplingRate') ?? dataOf(desc, 'SampleRate')));
    const channels = num(desc && dataOf(desc, 'Channels'));
    const bits = num(desc && dataOf(desc, 'QuantizationBits'));
    out.push({
      mediaId,
      name,
      extension: cls === 'AIFCDescriptor' ? 'aif' : 'wav',
      layout: whole ? 'whole-file' : 'raw-pcm',
      ...(sr !== undefined ? { sampleRate: Math.round(sr) } : {}),
      ...(channels !== undefined ? { channels } : {}),
      ...(bits !== undefined ? { bitsPerSample: bits } : {}),
      sizeBytes: entry.size,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The bytes of one extracted file, in order, reading the embedded stream in chunks of
 * `chunkBytes` (default 4 MiB). Raw PCM gets a BWF header (JUNK, bext with `timeReference`,
 * fmt, data) first; whole files are copied.
 * @throws Error when the stream cannot be read (a broken chain), or the PCM format is not stated.
 */
export async function* extractEssence(
  file: AafObjectFile,
  essence: EmbeddedEssence,
  options: { timeReference?: bigint; description?: string; chunkBytes?: number } = {},
): AsyncGenerator<Uint8Array> {
  const ed = essenceObjects(file).get(essence.mediaId);
  const data = ed?.properties.find((p) => p.name === 'Data');
  const entry = data && data.value.kind === 'stream' ? data.value.entry : undefined;
  if (!entry) throw new Error(`no embedded stream for ${essence.mediaId}`);
  const source: ByteSource = {
    size: entry.size,
    async read(offset, length) {
      const r = await file.cfb.readStream(entry, offset, length);
      if (!r.ok) throw new Error(r.diagnostics[0].message);
      return r.value;
    },
  };
  if (essence.layout === 'raw-pcm') {
    if (!essence.sampleRate || !essence.channels || !essence.bitsPerSample) throw new Error(`the descriptor of ${essence.name} does not state rate, channels and bit depth`);
    // A BWF with an empty data chunk, then its sizes patched to the stream's length.
    const head = createBwf({
      sampleRate: essence.sampleRate,
      bitsPerSample: essence.bitsPerSample,
      channels: Array.from({ length: essence.channels }, () => new Float32Array(0)),
      bext: { ...(options.timeReference !== undefined ? { timeReference: options.timeReference } : {}), description: options.description ?? essence.name, originator: 'dubstage', codingHistory: '' },
    }).value;
    const dataAt = findDataChunk(head);
    const size = entry.size;
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    dv.setUint32(dataAt + 4, Math.min(size, 0xffffffff), true);
    dv.setUint32(4, Math.min(dataAt + 8 + size + (size & 1) - 8, 0xffffffff), true);
    yield head.subarray(0, dataAt + 8);
    yield* chunks(source, options.chunkBytes);
    if (size & 1) yield new Uint8Array(1);
    return;
  }
  yield* chunks(source, options.chunkBytes);
}

async function* chunks(source: ByteSource, chunkBytes = 4 << 20): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < source.size; off += chunkBytes) yield await source.read(off, Math.min(chunkBytes, source.size - off));
}

/** Offset of the `data` chunk header in a RIFF file we just built. */
function findDataChunk(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 12;
  while (at + 8 <= b.length) {
    const id = String.fromCharCode(b[at] as number, b[at + 1] as number, b[at + 2] as number, b[at + 3] as number);
    if (id === 'data') return at;
    const size = dv.getUint32(at + 4, true);
    at += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}
