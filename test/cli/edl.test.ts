// `dubstage inspect x.edl --rate 24` and `dubstage convert x.edl y.otio --rate 23.976` (issue 4).
// The list is spec/edl.md §11 example A (an Avid-style dialogue EDL, 23.976 NDF); its expected
// clips are the table under that example.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseOtio } from '../../src/formats/otio/read.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dubstage-edl-cli-'));
const edl = join(dir, 'dub_r1.edl');
writeFileSync(edl, [
  'TITLE: DUB_R1_DX',
  'FCM: NON-DROP FRAME',
  '',
  '001  A012C003 A     C        14:22:10:05 14:22:14:17 01:00:00:00 01:00:04:12',
  '* FROM CLIP NAME:  12A-3',
  '* SOURCE FILE: A012C003_220314_R1AB',
  '002  SR018    AA    C        19:11:54:10 19:11:58:18 01:00:04:12 01:00:08:20',
  '* FROM CLIP NAME:  1-2B',
  '003  SR018    NONE  C        19:11:54:10 19:11:58:18 01:00:04:12 01:00:08:20',
  'AUD  3    4',
  '* FROM CLIP NAME:  1-2B',
  '004  BL       A     C        00:00:00:00 00:00:01:00 01:00:08:20 01:00:09:20',
  '',
].join('\r\n'));

describe('dubstage with EDLs', () => {
  test('inspect needs --rate (an EDL states none) and then reads the list', async () => {
    const without = await runCli(['inspect', edl]);
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('rate');
    const r = await runCli(['inspect', edl, '--rate', '23.976', '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    // spec/edl.md §11 A: A1 holds events 1, 2 and 4 (4 is BL, silence); A2 event 2; A3 and A4 event 3.
    expect(doc.tracks.map((t: { name: string; clips: unknown[] }) => [t.name, t.clips.length])).toEqual([['A1', 3], ['A2', 1], ['A3', 1], ['A4', 1]]);
    expect(doc.name).toBe('DUB_R1_DX');
  });

  test('convert to OTIO at 23.976: clip names and 24000/1001 time survive', async () => {
    const out = join(dir, 'dub_r1.otio');
    const r = await runCli(['convert', edl, out, '--rate', '23.976']);
    expect(r.status).toBe(0);
    const back = parseOtio(readFileSync(out, 'utf8'));
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    const a1 = back.value.tracks.find((t) => t.name === 'A1');
    expect(a1?.clips.map((c) => c.name)).toEqual(['12A-3', '1-2B', 'BL']);
    // Event 1 lasts 108 frames (spec §11 A table: 86400–86508); at 24000/1001 that is 108 × 1001/24000 s.
    expect(a1?.clips[0]?.duration.toString()).toBe('9009/2000');
  });
});
