import { describe, expect, test } from 'vitest';
import { createClip, createTimeline, createTrack } from '../model/build.js';
import { FrameRate } from '../time/frame-rate.js';
import { RationalTime } from '../time/rational-time.js';
import { write as writeJson } from './json/write.js';
import { write as writeOtio } from './otio/write.js';
import { FORMATS, convertTimeline, detectFormat, extensionOf, formatById, readTimeline, writeTimeline } from './registry.js';

const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_25);
const timeline = createTimeline({
  name: 'r',
  frameRate: FrameRate.FPS_25,
  tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [createClip({ name: 'a', start: f(25), duration: f(50) })] })],
});
const bytes = (s: string) => new TextEncoder().encode(s);

describe('registry', () => {
  test('json and otio are registered with their extensions', () => {
    expect(formatById('JSON')?.extensions).toEqual(['.json']);
    expect(formatById('otio')?.extensions).toEqual(['.otio']);
    expect(new Set(FORMATS.map((x) => x.id)).size).toBe(FORMATS.length); // ids are unique
  });

  test('content wins over the extension', () => {
    const otioText = writeOtio(timeline).value;
    expect(detectFormat(bytes(otioText), 'misnamed.json')?.id).toBe('otio');
    expect(detectFormat(bytes(writeJson(timeline).value), 'x.otio')?.id).toBe('json');
    expect(detectFormat(otioText)?.id).toBe('otio'); // text input too
  });

  test('the extension decides when the content says nothing', () => {
    expect(detectFormat(new Uint8Array(0), 'empty.OTIO')?.id).toBe('otio');
    expect(detectFormat(new Uint8Array(0))).toBeUndefined();
    expect(extensionOf('C:\\a\\b.Json')).toBe('.json');
    expect(extensionOf('.hidden')).toBe('');
  });

  test('readTimeline and writeTimeline never throw', () => {
    expect(readTimeline(new Uint8Array([0, 1, 2])).diagnostics[0]).toMatchObject({ code: 'format/unknown' });
    expect(readTimeline('{}', { format: 'nope' }).diagnostics[0]).toMatchObject({ code: 'format/unknown' });
    expect(writeTimeline(timeline, 'nope')).toMatchObject({ value: undefined, diagnostics: [{ code: 'format/unknown' }] });
    const r = readTimeline(writeJson(timeline).value, { fileName: 't.json' });
    expect(r.ok && r.value).toEqual(timeline);
  });

  test('convertTimeline: json → otio → json keeps the timeline (apart from metadata.otio), no loss', () => {
    const a = convertTimeline(writeJson(timeline).value, { to: 'otio' });
    expect(a).toMatchObject({ from: 'json', to: 'otio', losses: [] });
    const b = convertTimeline(a.value as string, { outFileName: 'back.json' });
    expect(b.to).toBe('json');
    const strip = (text: string): unknown =>
      JSON.parse(text, (key, v: unknown) => {
        if (key !== 'metadata' || typeof v !== 'object' || v === null) return v;
        const { otio: _, ...rest } = v as Record<string, unknown>;
        return Object.keys(rest).length > 0 ? rest : undefined;
      });
    expect(strip(b.value as string)).toEqual(strip(writeJson(timeline).value));
  });
});
