import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { arbTimeline } from '../../../test/helpers/timeline-arb.js';
import { createClip, createMediaSource, createTimeline, createTrack } from '../../model/build.js';
import { FrameRate } from '../../time/frame-rate.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { unwrap } from '../../diagnostics/result.js';
import { detect, parse, write } from './index.js';

const rate = FrameRate.FPS_29_97_DF;
const tc = unwrap(Timecode.parse('01:00:00;00', { rate }));

describe('dubstage JSON', () => {
  test('model→text→model is the identity (fast-check)', () => {
    fc.assert(
      fc.property(arbTimeline, (t) => {
        const text = write(t).value;
        const back = parse(text);
        expect(back.diagnostics).toEqual([]);
        expect(back.ok && back.value).toEqual(t);
      }),
      { numRuns: 200 },
    );
  });

  test('bytes and string input read the same, and a BOM is ignored', () => {
    const t = createTimeline({ name: 'ü', frameRate: rate, startTimecode: tc });
    const text = write(t).value;
    const a = parse(text);
    const b = parse(new TextEncoder().encode('\uFEFF' + text));
    expect(a.ok && b.ok && b.value).toEqual(a.ok && a.value);
  });

  test('times and rates are exact strings, not floats', () => {
    // 1001/30000 s is one frame at 29.97 (SMPTE ST 12-1: 30000/1001 fps); the schema requires "N/D" strings.
    const clip = createClip({ name: 'c', start: RationalTime.fromFrames(1, rate), duration: RationalTime.fromSamples(1601, 48000) });
    const t = createTimeline({ frameRate: rate, startTimecode: tc, tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [clip] })] });
    const doc = JSON.parse(write(t).value);
    expect(doc.schema).toBe('dubstage.timeline');
    expect(doc.schemaVersion).toBe(1);
    expect(doc.frameRate).toBe('30000/1001');
    expect(doc.dropFrame).toBe(true);
    expect(doc.startTimecode).toBe('01:00:00;00');
    expect(doc.tracks[0].clips[0].start).toBe('1001/30000');
    expect(doc.tracks[0].clips[0].duration).toBe('1601/48000');
  });

  test('syntax errors are placed at line and column', () => {
    const r = parse('{\n  "schema": "dubstage.timeline",\n  "name": x\n}');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'json/syntax', at: { line: 3, column: 11 } });
  });

  test('invalid values name their JSON path', () => {
    const t = createTimeline({ tracks: [createTrack({ kind: 'audio', name: 'A', clips: [createClip({ name: 'c', start: RationalTime.ZERO, duration: RationalTime.fromSeconds(1) })] })] });
    const doc = JSON.parse(write(t).value);
    doc.tracks[0].clips[0].start = 1.5; // a float where an exact "N/D" string is required
    doc.media = [{ id: 'x', name: 'x', kind: 'tape' }];
    const r = parse(JSON.stringify(doc));
    expect(r.ok).toBe(false);
    const paths = r.diagnostics.map((d) => d.path?.join('/'));
    expect(paths).toContain('tracks[0]/clips[0]/start');
    expect(paths).toContain('media[0]/kind');
    expect(r.diagnostics.every((d) => d.code === 'json/invalid')).toBe(true);
  });

  test('newer schema versions and foreign documents are refused with a code', () => {
    expect(parse('{"schema":"dubstage.timeline","schemaVersion":2}').diagnostics[0]).toMatchObject({ code: 'json/unsupported-version', path: ['schemaVersion'] });
    expect(parse('{"OTIO_SCHEMA":"Timeline.1"}').diagnostics[0]).toMatchObject({ code: 'json/not-dubstage' });
    expect(parse('[]').diagnostics[0]).toMatchObject({ code: 'json/not-dubstage' });
  });

  test('an impossible drop-frame rate is a diagnostic, not an exception', () => {
    const doc = JSON.parse(write(createTimeline()).value);
    doc.dropFrame = true; // drop-frame does not exist at 24 fps (SMPTE ST 12-1 §5.2.2)
    expect(parse(JSON.stringify(doc)).diagnostics[0]).toMatchObject({ code: 'json/bad-rate', path: ['frameRate'] });
  });

  test('bigints and silence survive', () => {
    const m = createMediaSource({ id: 'a', timeReference: 2n ** 63n + 5n });
    const clip = createClip({ name: 'c', start: RationalTime.ZERO, duration: RationalTime.fromSeconds(1), gainDb: Number.NEGATIVE_INFINITY, media: { mediaId: 'a' } });
    const t = createTimeline({ media: [m], tracks: [createTrack({ kind: 'audio', name: 'A', clips: [clip] })] });
    const text = write(t).value;
    expect(text).toContain('"9223372036854775813"');
    expect(text).toContain('"-inf"');
    const r = parse(text);
    expect(r.ok && r.value).toEqual(t);
  });

  test('track automation lanes survive, -inf volume included', () => {
    const automation = [
      { parameter: 'volume', interpolation: 'linear' as const, points: [{ time: RationalTime.ZERO, value: 0 }, { time: RationalTime.fromSeconds(1), value: Number.NEGATIVE_INFINITY }] },
      { parameter: 'pan', points: [{ time: RationalTime.fromFrames(29, rate), value: -0.5 }] },
    ];
    const t = createTimeline({ tracks: [{ ...createTrack({ kind: 'audio', name: 'A' }), automation }] });
    const r = parse(write(t).value);
    expect(r.ok && r.value).toEqual(t);
  });

  test('detect', () => {
    expect(detect(new TextEncoder().encode(write(createTimeline()).value))).toBe(true);
    expect(detect(new TextEncoder().encode('{"OTIO_SCHEMA": "Timeline.1"}'))).toBe(false);
    expect(detect(new TextEncoder().encode('TITLE: x'))).toBe(false);
  });

  test('garbage never throws', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parse(s);
        expect(r.ok).toBe(false);
      }),
    );
  });
});
