// Audio-only changes (spec/conform.md §5.9): the §8 fixture cut with the picture editor's audio
// events. Rule-derived numbers: the audio event's implied delta is new record − old record of the
// same source frame; the picture delta at those frames comes from the map (Example 9: δ0 on A).
import { describe, expect, test } from 'vitest';
import { buildConformMap } from '../../src/conform/map.js';
import { unwrap } from '../../src/diagnostics/result.js';
import { F0, V1_EDL, edl, fixture, run } from './fixture.js';

const AUDIO_V1 = `005  A001  A  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
006  B001  A  C        11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
007  C001  A2 C        12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
`;

describe('§5.9 audio-only changes', () => {
  test('same picture; B001 audio swapped for another take, C001 audio slipped 2 frames: two rows, map unchanged', () => {
    const v1 = edl(V1_EDL + AUDIO_V1, 'v1');
    const v2 = edl(V1_EDL + `005  A001  A  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
006  B001T2  A  C      21:00:00:00 21:00:03:00 01:00:04:00 01:00:07:00
007  C001  A2 C        12:00:00:02 12:00:05:00 01:00:07:00 01:00:11:22
`, 'v2');
    const m = unwrap(buildConformMap(v1, v2));
    expect(m.entries.map((e) => [e.kind, e.new[0] - F0, e.new[1] - F0, e.delta])).toEqual([['match', 0, 336, 0]]);
    // C001 source 12:00:00:02 plays at new r168, at old r170: audio delta −2 against picture δ0.
    expect(m.rows.map((r) => [r.type, r.key, r.anchor - F0, r.length, r.detail])).toEqual([
      ['AUDIO_ONLY_CHANGE', 'B001T2', 96, 0, 'take swapped: B001 -> B001T2 on A'],
      ['AUDIO_ONLY_CHANGE', 'C001', 168, 0, 'sync slipped -2 frames on A2'],
    ]);
    const r = run(v1, v2);
    expect(r.session).toEqual(fixture()); // report only: the session does not move
  });

  test('audio that follows its picture (Example 9 trims and inserts) raises no row', () => {
    const v1 = edl(V1_EDL + AUDIO_V1, 'v1');
    const v2 = edl(`001  A001  V  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:03:12 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  E001  V  C  14:00:00:00 14:00:01:00 01:00:11:12 01:00:12:12
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:12 01:00:14:12
006  A001  A  C  10:00:00:00 10:00:03:12 01:00:00:00 01:00:03:12
007  B001  A  C  11:00:10:00 11:00:13:00 01:00:03:12 01:00:06:12
008  C001  A2 C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
009  E001  A  C  14:00:00:00 14:00:01:00 01:00:11:12 01:00:12:12
`, 'v2');
    const m = unwrap(buildConformMap(v1, v2));
    expect(m.rows.map((r) => r.type)).toEqual(['TRIM_TAIL', 'INSERT']); // spec Example 9 rows only
  });
});
