/**
 * The JSON view of a BWF's metadata (what `dubstage bwf --json` prints): plain JSON values only,
 * 64-bit integers as decimal strings, loudness as decimal strings with two places.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Bext } from './bext.js';
import { LOUDNESS_FIELDS } from './bext.js';
import type { Ixml } from './ixml.js';
import type { BwfFile, BwfStart } from './read.js';

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Signed hundredths as a decimal with two places (`-8000` → `"-80.00"`). */
export function hundredthsToDecimal(v: number): string {
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** bext as JSON: every field of the list, absent optional ones as null. */
export function bextToJson(b: Bext): Json {
  const out: { [key: string]: Json } = {
    description: b.description,
    originator: b.originator,
    originatorReference: b.originatorReference,
    originationDate: b.originationDate,
    originationTime: b.originationTime,
    timeReference: b.timeReference.toString(),
    version: b.version,
    umid: b.umid ?? null,
  };
  for (const f of LOUDNESS_FIELDS) {
    const v = b[f];
    out[f] = v === undefined ? null : hundredthsToDecimal(v);
  }
  out.codingHistory = b.codingHistory;
  return out;
}

function drop(o: { [key: string]: Json | undefined }): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** iXML as JSON: the typed fields plus the raw XML (`xml`). */
export function ixmlToJson(x: Ixml): Json {
  const speed = x.speed
    ? drop({ ...x.speed, timestampSamplesSinceMidnight: x.speed.timestampSamplesSinceMidnight?.toString() } as { [key: string]: Json | undefined })
    : undefined;
  return drop({
    version: x.version,
    project: x.project,
    scene: x.scene,
    take: x.take,
    tape: x.tape,
    note: x.note,
    circled: x.circled,
    ubits: x.ubits,
    fileUid: x.fileUid,
    takeType: x.takeType,
    user: x.user,
    speed,
    fileSet: x.fileSet ? drop({ ...x.fileSet }) : undefined,
    tracks: x.tracks.map((t) => drop({ ...t })),
    bextTimeReference: x.bextTimeReference?.toString(),
    xml: x.xml,
  });
}

/** The whole `dubstage bwf --json` object for one file. */
export function bwfToJson(fileName: string, file: BwfFile, start: BwfStart | undefined, diagnostics: readonly Diagnostic[]): Json {
  const f = file.format;
  const ds64 = file.layout.ds64;
  return {
    file: fileName,
    container: file.layout.form,
    format: f
      ? drop({
          sampleRate: f.sampleRate,
          channels: f.channels,
          bitsPerSample: f.bitsPerSample,
          formatTag: f.formatTag,
          encoding: f.encoding,
          blockAlign: f.blockAlign,
          validBitsPerSample: f.validBitsPerSample,
          channelMask: f.channelMask,
        })
      : null,
    frameCount: file.frameCount ?? null,
    chunks: file.chunks.map((c) => drop({ id: c.id, offset: c.offset, size: c.size, listType: c.listType, truncated: c.truncated || undefined })),
    ds64: ds64 ? { riffSize: ds64.riffSize.toString(), dataSize: ds64.dataSize.toString(), sampleCount: ds64.sampleCount.toString() } : null,
    bext: file.bext ? bextToJson(file.bext) : null,
    ixml: file.ixml ? ixmlToJson(file.ixml) : null,
    markers: file.markers.map((m) => drop({ ...m })),
    info: file.info.map((t) => ({ id: t.id, value: t.value })),
    chna: file.chna ? file.chna.entries.map((e) => ({ ...e })) : null,
    start: start ? { timeReference: start.timeReference.toString(), timecode: start.timecode.toString(), rate: start.rate.name, rateSource: start.rateSource } : null,
    diagnostics: diagnostics.map((d) => drop({ severity: d.severity, code: d.code, message: d.message, offset: d.at?.offset, path: d.path ? [...d.path] : undefined })),
  };
}
