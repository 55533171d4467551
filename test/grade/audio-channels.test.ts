import { describe, expect, test } from 'vitest';
import type { BwfFile } from '../../src/formats/bwf/read.js';
import { channelLayout, channelWeight, roleOfName } from '../../src/grade/audio/channels.js';

/** Just the fields channelLayout reads. */
function file(parts: { channels: number; channelMask?: number; tracks?: { name?: string; function?: string; interleaveIndex?: number }[]; chna?: [number, string][] }): BwfFile {
  return {
    format: { formatTag: 1, channels: parts.channels, sampleRate: 48000, byteRate: 0, blockAlign: 0, bitsPerSample: 24, encoding: 'pcm', ...(parts.channelMask !== undefined ? { channelMask: parts.channelMask } : {}) },
    ...(parts.tracks ? { ixml: { xml: '', tracks: parts.tracks } } : {}),
    ...(parts.chna ? { chna: { numTracks: parts.chna.length, numUids: parts.chna.length, entries: parts.chna.map(([trackIndex, ref]) => ({ trackIndex, audioTrackUid: 'ATU', audioTrackFormatRef: ref, audioPackFormatRef: 'AP' })) } } : {}),
  } as unknown as BwfFile;
}

describe('channel roles and BS.1770-4 weights', () => {
  test('weights: front 1.0, surrounds 1.41, LFE 0 (BS.1770-4 Table 3)', () => {
    expect(['L', 'R', 'C'].map((r) => channelWeight(r as 'L'))).toEqual([1, 1, 1]);
    expect(channelWeight('Ls')).toBe(1.41);
    expect(channelWeight('Rrs')).toBe(1.41);
    expect(channelWeight('LFE')).toBe(0);
  });

  test('WAVE masks: 0x3F (5.1 back) and 0x63F (7.1: sides are Ls/Rs, backs Lrs/Rrs)', () => {
    // Speaker bits per Microsoft's WAVEFORMATEXTENSIBLE (spec/bwf.md §2).
    expect(channelLayout(file({ channels: 6, channelMask: 0x3f })).roles).toEqual(['L', 'R', 'C', 'LFE', 'Ls', 'Rs']);
    expect(channelLayout(file({ channels: 8, channelMask: 0x63f })).roles).toEqual(['L', 'R', 'C', 'LFE', 'Lrs', 'Rrs', 'Ls', 'Rs']);
  });

  test('a mask whose bit count differs from the channel count is ignored', () => {
    expect(channelLayout(file({ channels: 2, channelMask: 0x3f }))).toEqual({ roles: ['L', 'R'], source: 'count' });
  });

  test('ADM chna common definitions AT_00010001…6 (BS.2094)', () => {
    const f = file({ channels: 3, chna: [[1, 'AT_00010003_01'], [2, 'AT_00010001_01'], [3, 'AT_00010002_01']] });
    expect(channelLayout(f)).toEqual({ roles: ['C', 'L', 'R'], source: 'chna' });
  });

  test('iXML track names in interleave order (film order L C R Ls Rs LFE)', () => {
    const names = ['L', 'C', 'R', 'Ls', 'Rs', 'LFE'];
    const f = file({ channels: 6, tracks: names.map((name, i) => ({ name, interleaveIndex: i + 1 })).reverse() });
    expect(channelLayout(f)).toEqual({ roles: ['L', 'C', 'R', 'Ls', 'Rs', 'LFE'], source: 'ixml' });
  });

  test('unrecognised iXML names fall back to the count', () => {
    expect(channelLayout(file({ channels: 2, tracks: [{ name: 'Boom' }, { name: 'Lav 1' }] })).source).toBe('count');
  });

  test('names people write', () => {
    expect(['Left', 'centre', 'SL', 'Lfe', 'L-5.1', 'Right Surround'].map(roleOfName)).toEqual(['L', 'C', 'Ls', 'LFE', 'L', 'Rs']);
  });
});
