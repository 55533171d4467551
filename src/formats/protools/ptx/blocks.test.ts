// Binary sessions. Expected values are ptformat's test oracles as transcribed in
// ../shared/corpus/EXPECTED.md ("Pro Tools binary sessions", tests t.5, t.8, t.12: version,
// session sample rate, WAV names and native lengths, which ptftool prints unscaled), ptformat's
// older oracle for Fa_16_48's placement positions (tests/t.5/basicaudio2 at commit 877fa28),
// ptformat-objc's metadata oracles (bit depth), PROVENANCE.md (original paths), the text exports
// beside the PT 10+ sessions, and spec/protools.md §2.2 (header, XOR types) and §2.7 (Charade: 1 file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { corpusDir } from '../../../../test/helpers/corpus.js';
import { FrameRate } from '../../../time/frame-rate.js';
import { decodePtx, detectPtx, readPtxBlocks, readPtxSession, type PtxBlock } from './blocks.js';
import { parsePtx } from './read.js';

const dir = corpusDir('ptx');
const bytes = (n: string): Uint8Array => new Uint8Array(readFileSync(join(dir as string, n)));

describe.skipIf(!dir)('ptx first slice (corpus)', () => {
  const oracle: [string, number, number, [string, bigint][]][] = [
    ['ptformat__RegionTest.ptx', 12, 44100, [['region_name_WAV.wav', 5910132n]]],
    ['ptformat__Damien_monos.pts', 5, 48000, [['cymb_R_01.aif', 1355463n], ['Rhodes_R_01.aif', 1377004n], ['Rhodes_L_01.aif', 1377004n], ['DR_R.aif', 1377004n], ['DR_L.aif', 1377004n], ['cymb_L_01.aif', 1355463n], ['Bass_L_01.aif', 1377004n], ['Bass_R_01.aif', 1377004n]]],
    ['ptformat__Fa_16_48.pts', 5, 48000, [['24000.aif', 24000n]]],
    ['ptformat__goodplaylists2.ptf', 8, 48000, [['24000.wav', 24000n], ['24000.1.wav', 24000n], ['24000.2.wav', 24000n]]],
    ['ptformat__midi345x.ptf', 8, 48000, []],
  ];
  test.each(oracle)('%s: version %i, %i Hz, audio files as ptftool prints them', (name, version, rate, files) => {
    const r = readPtxSession(bytes(name));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.value.version, r.value.sampleRate]).toEqual([version, rate]);
    expect(r.value.audioFiles.map((f) => [f.name, f.lengthSamples])).toEqual(files);
  });
  test('regions as ptftool lists them (name, WAV index, into-sample, length; EXPECTED.md oracles)', () => {
    const regions = (n: string): [string, number, bigint, bigint][] => {
      const r = readPtxSession(bytes(n));
      return r.ok ? r.value.regions.map((x) => [x.name, x.fileIndex, x.sourceOffset, x.length]) : [];
    };
    expect(regions('ptformat__goodplaylists2.ptf')).toEqual([
      ['24000', 0, 0n, 24000n],
      ['24000-01', 0, 1000n, 23000n],
      ['24000.1', 1, 0n, 24000n],
      ['24000.1-01', 1, 8000n, 16000n],
      ['24000.2', 2, 0n, 24000n],
      ['24000.2-01', 2, 2000n, 22000n],
    ]);
    expect(regions('ptformat__Damien_monos.pts').map((r) => [r[0], r[1]])).toEqual([
      ['Bass_L_01', 6], ['Bass_R_01', 7], ['cymb_L_01', 5], ['cymb_R_01', 0], ['DR_L', 4], ['DR_R', 3], ['Rhodes_L_01', 2], ['Rhodes_R_01', 1],
    ]);
    expect(regions('ptformat__Fa_16_48.pts')).toEqual([['24000', 0, 0n, 24000n]]);
    // RegionTest is a 44.1 kHz session: native values per the EXPECTED.md audit (5910132; 950000, 1290000);
    // region-01's oracle 2884353 is floor(2650000 × 48000 / 44100).
    const rt = regions('ptformat__RegionTest.ptx');
    expect(rt).toEqual([
      ['region_name_region', 0, 0n, 5910132n],
      ['region_name_region-01', 0, 0n, 2650000n],
      ['region_name_region-03', 0, 950000n, 1290000n],
    ]);
    expect((rt[1]?.[3] as bigint) * 48000n / 44100n).toBe(2884353n);
    // Charade: the stereo picture-guide clip as two regions of its one file (spec §2.7).
    expect(regions('ptulsconv__Charade.ptx').map((r) => [r[0], r[1]])).toEqual([['Charade-1963.1.L', 0], ['Charade-1963.1.R', 0]]);
  });
  test('placements (track, track#, region#, absolute start) as ptftool lists them (EXPECTED.md oracles)', () => {
    const pl = (n: string): [string, number, number, bigint][] => {
      const r = readPtxSession(bytes(n));
      return r.ok ? r.value.placements.map((x) => [x.track, x.trackIndex, x.regionIndex, x.start]) : [];
    };
    expect(pl('ptformat__goodplaylists2.ptf')).toEqual([
      ...[0n, 23000n, 46000n, 69000n, 92000n, 115000n, 138000n, 161000n, 184000n, 207000n].map((s) => ['4', 0, 1, s]),
      ['1', 1, 1, 3000n],
      ['2', 2, 3, 32000n],
      ['3', 3, 5, 52000n],
    ]);
    // 44.1 kHz session: the oracle's 1034013 is floor(950000 × 48000 / 44100).
    expect(pl('ptformat__RegionTest.ptx')).toEqual([
      ['Track_Name', 0, 1, 0n],
      ['Audio 1', 1, 1, 0n],
      ['Audio 2', 2, 1, 0n],
      ['Audio 2', 3, 1, 0n],
      ['Audio 3', 4, 2, 950000n],
      ['Audio 3', 5, 2, 950000n],
    ]);
  });
  test('PT 5 placements (map 0x1012): tracks, regions and lengths as the EXPECTED.md oracles list them', () => {
    const pl = (n: string): [string, number, number, bigint, bigint | undefined, bigint | undefined][] => {
      const r = readPtxSession(bytes(n));
      return r.ok ? r.value.placements.map((x) => [x.track, x.trackIndex, x.regionIndex, x.start, x.length, x.sourceOffset]) : [];
    };
    // EXPECTED.md, Damien_monos.pts "Track name (Track#) (WAV filename) @ Absolute + Into-sample, Length".
    expect(pl('ptformat__Damien_monos.pts')).toEqual([
      ['DR_L', 0, 4, 0n, 1377004n, 0n], ['DR_R', 1, 5, 0n, 1377004n, 0n], ['Rhodes_L', 2, 6, 0n, 1377004n, 0n], ['Rhodes_R', 3, 7, 0n, 1377004n, 0n],
      ['Bass_L', 4, 0, 0n, 1377004n, 0n], ['Bass_R', 5, 1, 0n, 1377004n, 0n], ['cymb_L', 6, 2, 0n, 1355463n, 0n], ['cymb_R', 7, 3, 0n, 1355463n, 0n],
    ]);
    // Fa_16_48.pts: tracks and regions per EXPECTED.md (8 × "24000" t(0), 3 × "Audio 1" t(1), 2 × "Audio 2"
    // t(2), "Audio 3" t(3), all r(0), 24000 long). Positions: EXPECTED.md's current ptformat oracle prints
    // "@ 0" for all 14 (the region's own position); ptformat's oracle for the same file when it still
    // read the placement record (tests/t.5/basicaudio2 at commit 877fa28, 2018) lists 0, 24000, 48000,
    // 72000, 96000, 120000, 144000, 168000; 16384, 80832, 153024; 45440, 136448; 94528.
    expect(pl('ptformat__Fa_16_48.pts')).toEqual([
      ...[0n, 24000n, 48000n, 72000n, 96000n, 120000n, 144000n, 168000n].map((s) => ['24000', 0, 0, s, 24000n, 0n]),
      ...[16384n, 80832n, 153024n].map((s) => ['Audio 1', 1, 0, s, 24000n, 0n]),
      ...[45440n, 136448n].map((s) => ['Audio 2', 2, 0, s, 24000n, 0n]),
      ['Audio 3', 3, 0, 94528n, 24000n, 0n],
    ]);
    const t = parsePtx(bytes('ptformat__Fa_16_48.pts'));
    if (!t.ok) throw new Error('ptx');
    expect(t.value.tracks.map((x) => [x.name, x.clips.length])).toEqual([['24000', 8], ['Audio 1', 3], ['Audio 2', 2], ['Audio 3', 1]]);
    expect(t.value.tracks[0]?.clips[7]?.start.toSamples(48000, 'nearest')).toBe(168000n);
    expect(t.value.tracks[0]?.clips[7]?.media?.mediaId).toBe('24000.aif');
  });
  test('MIDI of midi345x.ptf as ptftool lists it (EXPECTED.md, test t.8 "PT8 with midi")', () => {
    const r = readPtxSession(bytes('ptformat__midi345x.ptf'));
    if (!r.ok || !r.value.midi) throw new Error('no MIDI');
    const { regions, placements } = r.value.midi;
    // "MIDI Region (Region#) @ into-sample, length": MIDI 1-01 … 1-05 8000000 long, MIDI 3-01 4000000;
    // each region's notes are chromatic from n(48), one every 400000 ticks, 400000 long (20 notes, 10
    // for MIDI 3-01), velocities 80, 80, 127, 40, 40, 127.
    expect(regions.map((x) => [x.name, x.length, x.notes.length])).toEqual([
      ['MIDI 1-01', 8000000n, 20], ['MIDI 1-02', 8000000n, 20], ['MIDI 1-03', 8000000n, 20],
      ['MIDI 1-04', 8000000n, 20], ['MIDI 1-05', 8000000n, 20], ['MIDI 3-01', 4000000n, 10],
    ]);
    regions.forEach((x, i) => {
      const v = [80, 80, 127, 40, 40, 127][i] as number;
      expect(x.notes).toEqual(x.notes.map((_, k) => ({ position: BigInt(k) * 400000n, length: 400000n, note: 48 + k, velocity: v })));
    });
    // "MIDI Track name (MIDITrack#) (MIDIRegion#) @ Absolute".
    expect(placements.map((p) => [p.track, p.trackIndex, p.regionIndex, p.start])).toEqual([
      ['MIDI 1', 0, 1, 0n], ...[8, 12, 16, 20, 24, 28, 32, 36].map((m) => ['MIDI 1', 0, 5, BigInt(m) * 1000000n]),
      ['MIDI 2', 1, 2, 8000000n], ...[16, 20, 24, 28, 32, 36].map((m) => ['MIDI 2', 1, 5, BigInt(m) * 1000000n]),
      ...[16, 24, 32].map((m) => ['MIDI 3', 2, 3, BigInt(m) * 1000000n]),
    ]);
    // Not on the timeline (ticks; no tempo map), said so.
    const t = parsePtx(bytes('ptformat__midi345x.ptf'));
    expect(t.ok && t.diagnostics.map((d) => d.code)).toContain('ptx/midi-not-in-timeline');
    // The audio-only sessions have no MIDI.
    expect(['ptformat__goodplaylists2.ptf', 'ptulsconv__Charade.ptx'].map((n) => { const x = readPtxSession(bytes(n)); return x.ok && x.value.midi; })).toEqual([undefined, undefined]);
  });
  test('Tag Tests: every placement lies where the text export beside it puts a clip (track name and start sample)', () => {
    const r = readPtxSession(bytes('ptulsconv__Tag_Tests.ptx'));
    if (!r.ok) throw new Error('ptx');
    // Starts of ../shared/corpus/pt-text/ptulsconv__Tag_Tests.txt in samples from its session start
    // 01:00:00:00 at 23.976 (2002 samples a frame): e.g. Audio 6 "Region 02" at 01:00:02:00 = 48 frames → 96096.
    const text: [string, bigint][] = [
      ['Audio 1', 0n], ['Audio 2 $A=1', 0n], ['Audio 2 $A=1', 480480n], ['Audio 2 $A=1', 960960n],
      ['Audio 3 $A=2', 720720n], ['Audio 3 $A=2', 1201200n], ['Audio 3 $A=2', 1681680n], ['Audio 4 $A=3', 0n],
      ['Audio 5', 0n], ['Audio 5', 480480n], ['Audio 5', 960960n], ['Audio 6', 96096n], ['Audio 6', 576576n], ['Audio 6', 1057056n],
      ['Audio 7', 0n], ['Audio 8', 192192n],
    ];
    expect(r.value.placements.map((p) => [p.track, p.start])).toEqual(text);
  });
  test('as a timeline: goodplaylists2 track "2" holds region 24000.1-01 at 32000 with source offset 8000 (oracle lines)', () => {
    const r = parsePtx(bytes('ptformat__goodplaylists2.ptf'));
    if (!r.ok) throw new Error('ptx');
    const t = r.value;
    // The oracle lists tracks that hold clips; the timeline also keeps the session's empty tracks
    // (checked against a text export in test/corpus/ptx.test.ts, Test Export).
    const used = t.tracks.filter((x) => x.clips.length > 0);
    expect(used.map((x) => [x.name, x.clips.length])).toEqual([['4', 10], ['1', 1], ['2', 1], ['3', 1]]);
    const c = used[2]?.clips[0];
    expect([c?.name, c?.start.toSamples(48000, 'nearest'), c?.sourceStart.toSamples(48000, 'nearest'), c?.duration.toSamples(48000, 'nearest'), c?.media?.mediaId]).toEqual(['24000.1-01', 32000n, 8000n, 16000n, '24000.1.wav']);
    // PT 8's timecode block has a layout not read: reported as info, the timeline keeps 24 fps from 00:00:00:00.
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ptx/no-timecode', 'ptx/unread-blocks', 'ptx/partial']);
    expect([t.frameRate.name, t.startTimecode.toString()]).toEqual(['24', '00:00:00:00']);
  });
  test('bit depth: 16 for Fa_16_48, 24 for the others (ptformat-objc TestObjCApi.m metadata oracles; text exports say 24-bit)', () => {
    // skirsdeda/ptformat-objc Tests/PtFormatObjCTests/TestObjCApi.m: Damien_monos 24, Fa_16_48 16,
    // goodplaylists2 24, RegionTest 24; pt-text/ptulsconv__Charade.txt, ptulsconv__Tag_Tests.txt and
    // protoolstext__Test_Export_*.txt "BIT DEPTH: 24-bit".
    const depth = (n: string): number | undefined => {
      const r = readPtxSession(bytes(n));
      return r.ok ? r.value.bitDepth : -1;
    };
    expect(['ptformat__Damien_monos.pts', 'ptformat__Fa_16_48.pts', 'ptformat__goodplaylists2.ptf', 'ptformat__RegionTest.ptx'].map(depth)).toEqual([24, 16, 24, 24]);
    expect(['ptulsconv__Charade.ptx', 'ptulsconv__Tag_Tests.ptx', 'protoolstext__Test_Export.ptx', 'ptformat__midi345x.ptf'].map(depth)).toEqual([24, 24, 24, 24]);
  });
  test('saved path and session name (0x2067): the folders, then the file; the name is the file name without extension', () => {
    // PROVENANCE.md original paths: ptulsconv example/Charade/Charade.ptx, ProToolsText
    // PKitTests/Test Export/Test Export.ptx; the text exports' SESSION NAME: Charade, Test Export.
    const path = (n: string): readonly string[] | undefined => {
      const r = readPtxSession(bytes(n));
      return r.ok ? r.value.path : undefined;
    };
    expect(path('ptulsconv__Charade.ptx')?.slice(-3)).toEqual(['example', 'Charade', 'Charade.ptx']);
    expect(path('protoolstext__Test_Export.ptx')?.slice(-3)).toEqual(['PKitTests', 'Test Export', 'Test Export.ptx']);
    // A PT5 (big-endian) session has the same layout; the corpus file was saved as Damien_monos.pts.
    expect(path('ptformat__Damien_monos.pts')?.at(-1)).toBe('Damien_monos.pts');
    const r = parsePtx(bytes('ptulsconv__Charade.ptx'));
    expect(r.ok && r.value.name).toBe('Charade');
  });
  test('PT 2018+ sessions: version 12, 48 kHz; Charade lists its one picture-guide file, the others none (spec §2.7)', () => {
    for (const n of ['ptulsconv__Charade.ptx', 'ptulsconv__Tag_Tests.ptx', 'protoolstext__Test_Export.ptx']) {
      const r = readPtxSession(bytes(n));
      expect(r.ok && [r.value.version, r.value.sampleRate]).toEqual([12, 48000]);
      expect(r.ok && r.value.audioFiles.length).toBe(n.includes('Charade') ? 1 : 0);
    }
  });
  test('blocks nothing decodes are kept and listed: tempo (0x2028) and meter (0x2029) are, markers (0x271a) are not', () => {
    // spec §2.5 lists 0x2028/0x2029 as tempo/meter (issue #22) and 0x271a as the marker list.
    const r = readPtxSession(bytes('ptulsconv__Tag_Tests.ptx'));
    if (!r.ok) throw new Error('ptx');
    expect(r.value.unreadContentTypes).toEqual(expect.arrayContaining(['0x2028', '0x2029']));
    expect(r.value.unreadContentTypes).not.toContain('0x271a');
    expect(r.diagnostics.find((d) => d.code === 'ptx/unread-blocks')?.message).toMatch(/^\d+ of \d+ top-level blocks are kept but not decoded/);
    const doc = readPtxBlocks(bytes('ptulsconv__Tag_Tests.ptx'));
    expect(doc.ok && doc.value.blocks.some((x) => x.contentType === 0x2028)).toBe(true);
  });
  test('XOR type and byte order from the header (spec §2.1–2.2: PT5 big-endian type 1, PT8 little-endian type 1, PT10+ type 5)', () => {
    const d = (n: string): [number, boolean] => {
      const r = decodePtx(bytes(n));
      return r.ok ? [r.value.xorType, r.value.bigEndian] : [-1, false];
    };
    expect(d('ptformat__Damien_monos.pts')).toEqual([1, true]);
    expect(d('ptformat__goodplaylists2.ptf')).toEqual([1, false]);
    expect(d('ptformat__RegionTest.ptx')).toEqual([5, false]);
  });
  test('truncated and corrupted sessions never throw', () => {
    const b = bytes('ptformat__RegionTest.ptx');
    for (let cut = 0; cut < b.length; cut += 997) expect(() => readPtxSession(b.subarray(0, cut))).not.toThrow();
    const junk = new Uint8Array(b);
    for (let i = 0x14; i < junk.length; i += 13) junk[i] = 0x5a;
    expect(() => readPtxBlocks(junk)).not.toThrow();
  });
  test('a track list that names a playlist the placement map lacks is dropped with ptx/track-list', () => {
    // Test Export's third track (empty, "Audio 3" in its text export) names playlist 2; point it at 7.
    const orig = bytes('protoolstext__Test_Export.ptx');
    const dec = readPtxBlocks(orig);
    if (!dec.ok) throw new Error('ptx');
    const d = dec.value.bytes;
    const all: PtxBlock[] = [];
    const walk = (bs: readonly PtxBlock[]): void => {
      for (const x of bs) {
        all.push(x);
        walk(x.children);
      }
    };
    walk(dec.value.blocks);
    const third = all.filter((x) => x.contentType === 0x1014)[2];
    if (!third) throw new Error('no third track');
    const nameLen = d[third.offset + 2] as number; // u32 little-endian, < 256 here
    const at = third.offset + 2 + 4 + nameLen + 1 + 4; // the first u16 playlist index
    expect(d[at]).toBe(2);
    const bad = new Uint8Array(orig);
    bad[at] = (orig[at] as number) ^ (d[at] as number) ^ 7; // re-obfuscate: XOR is its own inverse
    const r = readPtxSession(bad);
    expect(r.ok && r.value.tracks).toEqual([]);
    expect(r.diagnostics.map((x) => x.code)).toContain('ptx/track-list');
    const t = parsePtx(bad);
    expect(t.ok && t.value.tracks.map((x) => x.clips.length)).toEqual([1, 1, 3]);
  });
  test('a timecode rate code no export verifies is a ptx/unknown-timecode-rate warning, and the timeline keeps the caller\'s rate', () => {
    // Test Export's rate code (u32 at payload+23 of 0x204d) is 7 (30 fps, its text exports); make it 4.
    const orig = bytes('protoolstext__Test_Export.ptx');
    const dec = readPtxBlocks(orig);
    if (!dec.ok) throw new Error('ptx');
    const blk = dec.value.blocks.find((x) => x.contentType === 0x204d);
    if (!blk) throw new Error('no 0x204d');
    const at = blk.offset + 23;
    expect(dec.value.bytes[at]).toBe(7);
    const bad = new Uint8Array(orig);
    bad[at] = (orig[at] as number) ^ 7 ^ 4; // re-obfuscate: XOR is its own inverse
    const r = parsePtx(bad, { rate: FrameRate.FPS_25 });
    if (!r.ok) throw new Error('ptx');
    expect(r.diagnostics.map((d) => d.code)).toContain('ptx/unknown-timecode-rate');
    expect([r.value.frameRate.name, r.value.startTimecode.toString()]).toEqual(['25', '00:00:00:00']);
    // The clips are still read (positions count from the session start, whatever its label).
    expect(r.value.tracks.map((x) => x.clips.length)).toEqual([1, 1, 0, 3]);
  });
  test('truncated PT 5, marker and MIDI sessions never throw, and never invent a placement, marker or MIDI region', () => {
    // Fa_16_48 holds 14 placements (EXPECTED.md), Charade 3 markers (its text export's MARKERS LISTING).
    // midi345x holds 6 MIDI regions (EXPECTED.md).
    for (const [n, step, max] of [['ptformat__Fa_16_48.pts', 97, 14], ['ptulsconv__Charade.ptx', 1499, 3], ['ptformat__midi345x.ptf', 89, 6]] as const) {
      const b = bytes(n);
      for (let cut = 0; cut < b.length; cut += step) {
        const r = readPtxSession(b.subarray(0, cut));
        if (r.ok) expect(n.endsWith('.pts') ? r.value.placements.length : n.endsWith('.ptf') ? (r.value.midi?.regions.length ?? 0) : r.value.markers.length).toBeLessThanOrEqual(max);
        expect(() => parsePtx(b.subarray(0, cut))).not.toThrow();
      }
    }
  });
  test('truncated sessions with clip groups never throw, and never invent a group', () => {
    // Tag Tests holds 16 clip groups (its text export lists 16 clips, pt-text/ptulsconv__Tag_Tests.txt).
    const b = bytes('ptulsconv__Tag_Tests.ptx');
    for (let cut = 0; cut < b.length; cut += 211) {
      const r = readPtxSession(b.subarray(0, cut));
      if (r.ok) expect(r.value.clipGroups.length).toBeLessThanOrEqual(16);
      expect(() => parsePtx(b.subarray(0, cut))).not.toThrow();
    }
  });
});

test('detect: byte 0 = 0x03 and the bit string at 1 (spec §2.2)', () => {
  const h = new Uint8Array(0x20);
  h[0] = 3;
  h.set(new TextEncoder().encode('0010111100101011'), 1);
  expect(detectPtx(h)).toBe(true);
  h[0] = 4;
  expect(detectPtx(h)).toBe(false);
  expect(decodePtx(new Uint8Array(4)).diagnostics[0]).toMatchObject({ code: 'ptx/not-a-session', at: { offset: 0 } });
});
