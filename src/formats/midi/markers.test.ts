// Marker MIDI files. Expected bytes follow the Standard MIDI File 1.0 specification (MThd/MTrk
// layout, VLQ delta times, meta events FF 06 / FF 51 / FF 54 / FF 2F); the independent reader is
// the `midi-file` npm package (a devDependency used only here).
import { parseMidi } from 'midi-file';
import { describe, expect, test } from 'vitest';
import { createMarker, createTimeline } from '../../model/build.js';
import { FrameRate } from '../../time/frame-rate.js';
import { RationalTime } from '../../time/rational-time.js';
import { Timecode } from '../../time/timecode.js';
import { readMarkerMidi, writeMarkerMidi } from './markers.js';

const rate = FrameRate.FPS_23_976;
const timeline = createTimeline({
  name: 'Spot',
  sampleRate: 48000,
  frameRate: rate,
  startTimecode: Timecode.fromFrames(((59 * 60 + 55) * 24), rate), // 00:59:55:00
  markers: [
    createMarker({ name: 'Marker 1', position: RationalTime.fromSamples(144144, 48000), comment: 'c' }),
    createMarker({ name: 'Reel 2 — “B”', position: RationalTime.fromSamples(240240, 48000) }),
  ],
});

describe('marker MIDI files', () => {
  test('the bytes of a two-marker file (SMF 1.0)', () => {
    const w = writeMarkerMidi(timeline, { encoding: 'mac-roman' });
    // 144144 samples = 3.003 s; at 120 bpm × 960 ppq = 1920 ticks a second → 5765.76 → 5766 (nearest).
    // 240240 samples = 5.005 s → 9609.6 → 9610; delta 3844.
    const name2 = [0x52, 0x65, 0x65, 0x6c, 0x20, 0x32, 0x20, 0xd1, 0x20, 0xd2, 0x42, 0xd3]; // Mac OS Roman: — D1, “ D2, ” D3
    const track = [
      0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, // tempo 500000 µs/quarter
      0x00, 0xff, 0x54, 0x05, 0x00, 0x3b, 0x37, 0x00, 0x00, // 24 fps code 0, 00:59:55:00.00
      0xad, 0x06, 0xff, 0x06, 0x08, ...new TextEncoder().encode('Marker 1'), // VLQ 5766 = 0xAD 0x06
      0x9e, 0x04, 0xff, 0x06, name2.length, ...name2, // VLQ 3844 = 0x9E 0x04
      0x00, 0xff, 0x2f, 0x00,
    ];
    const expected = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x03, 0xc0, 0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, track.length, ...track];
    expect([...w.value]).toEqual(expected);
    expect(w.diagnostics.map((d) => d.code)).toEqual(['midi/tick-rounding']);
  });
  test('midi-file reads our file: format 0, 960 ppq, tempo, SMPTE offset, markers at their ticks', () => {
    const m = parseMidi(writeMarkerMidi(timeline).value);
    expect(m.header).toMatchObject({ format: 0, numTracks: 1, ticksPerBeat: 960 });
    const ev = m.tracks[0] ?? [];
    expect(ev.map((e) => e.type)).toEqual(['setTempo', 'smpteOffset', 'marker', 'marker', 'endOfTrack']);
    expect(ev[1]).toMatchObject({ frameRate: 24, hour: 0, min: 59, sec: 55, frame: 0 });
    // midi-file hands meta text back one character per byte; our names are UTF-8 bytes.
    const utf8 = (text: string): string => new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
    expect(ev.filter((e) => e.type === 'marker').map((e) => [e.deltaTime, utf8((e as { text: string }).text)])).toEqual([
      [5766, 'Marker 1'],
      [3844, 'Reel 2 — “B”'],
    ]);
  });
  test('write → read gives the markers back within half a tick', () => {
    const r = readMarkerMidi(writeMarkerMidi(timeline).value);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.markers.map((m) => m.name)).toEqual(['Marker 1', 'Reel 2 — “B”']);
    const halfTick = RationalTime.fromSeconds(1).scaledBy(RationalTime.fromSamples(1, 3840).seconds);
    r.value.markers.forEach((m, k) => {
      const diff = m.position.minus(timeline.markers[k]?.position as RationalTime);
      expect(diff.isNegative() ? diff.negate().compare(halfTick) : diff.compare(halfTick)).toBeLessThanOrEqual(0);
    });
    expect(r.value.smpteOffset).toEqual([0, 59, 55, 0, 0]);
  });
  test('29.97 DF start: rate code 2 in the hours byte (SMF 1.0 FF 54)', () => {
    const df = FrameRate.FPS_29_97_DF;
    const t = createTimeline({ frameRate: df, startTimecode: Timecode.fromFrames(107892, df), markers: [] }); // 01:00:00;00
    const m = parseMidi(writeMarkerMidi(t).value);
    expect(m.tracks[0]?.[1]).toMatchObject({ type: 'smpteOffset', frameRate: 29, hour: 1, min: 0, sec: 0, frame: 0 });
  });
  test('bad input: not an SMF, truncated track → diagnostics with an offset, never a throw', () => {
    expect(readMarkerMidi(new Uint8Array([1, 2, 3])).diagnostics[0]).toMatchObject({ code: 'midi/not-smf', at: { offset: 0 } });
    const good = writeMarkerMidi(timeline).value;
    for (let cut = 14; cut < good.length; cut++) expect(() => readMarkerMidi(good.subarray(0, cut))).not.toThrow();
    expect(readMarkerMidi(good.subarray(0, good.length - 5)).ok).toBe(false);
  });
});
