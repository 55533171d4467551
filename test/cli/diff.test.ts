import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Expected verdicts are read off the example EDLs (examples/conform):
//   v1: 001 A001 10:00:00:00–10:00:04:00 @01:00:00:00, 002 B001 @01:00:04:00, 003 C001 @01:00:07:00, 004 D001 @01:00:12:00
//   v2: 001 A001 10:00:00:00–10:00:03:12 @01:00:00:00 (12 of 96 frames cut), B001 @01:00:03:12,
//       C001 @01:00:06:12, new 004 E001 @01:00:11:12, D001 @01:00:12:12.
describe('dubstage diff', () => {
  test('two cuts: trimmed, moved and inserted shots, with measured offsets', async () => {
    const r = await runCli(['diff', 'examples/conform/v1.edl', 'examples/conform/v2.edl', '--rate', '24']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('3 offset, 1 missing, 1 extra');
    expect(r.stdout).toContain("'A001' at 01:00:00:00 is only 87.5% present"); // 84 / 96 frames
    expect(r.stdout).toContain("'B001' is 12 frames early: 01:00:03:12, expected 01:00:04:00");
    expect(r.stdout).toContain("'D001' is 12 frames late: 01:00:12:12, expected 01:00:12:00");
    expect(r.stdout).toMatch(/extra .*'E001'.*01:00:11:12–01:00:12:12/);
  });

  test('--json, --only-differences and --exit-code', async () => {
    const r = await runCli(['diff', 'examples/conform/v1.edl', 'examples/conform/v2.edl', '--rate', '24', '--json', '--only-differences', '--exit-code']);
    expect(r.status).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.summary).toMatchObject({ match: 0, offset: 3, missing: 1, extra: 1 });
    expect(j.items.map((i: { verdict: string }) => i.verdict).sort()).toEqual(['extra', 'missing', 'offset', 'offset', 'offset']);
    const b = j.items.find((i: { id: string }) => i.id.includes('B001'));
    expect(b.evidence).toMatchObject({ expected: '01:00:04:00', actual: '01:00:03:12' });
  });

  test('a timeline against itself: every clip matches, exit 0 even with --exit-code', async () => {
    // examples/conform/session.json has 8 clips on 5 audio tracks.
    const r = await runCli(['diff', 'examples/conform/session.json', 'examples/conform/session.json', '--exit-code']);
    expect([r.status, r.stdout.split('\n')[0]]).toEqual([0, 'examples/conform/session.json → examples/conform/session.json: 8 match']);
  });

  test('--audio-only leaves the picture out; usage and read errors', async () => {
    expect((await runCli(['diff', 'examples/conform/v1.edl', 'examples/conform/v2.edl', '--rate', '24', '--audio-only'])).stdout).toContain('nothing to compare');
    expect((await runCli(['diff', 'examples/conform/v1.edl'])).status).toBe(2);
    expect((await runCli(['diff', 'a.edl', 'b.edl', '--tolerance', 'x'])).status).toBe(2);
    const missing = await runCli(['diff', 'examples/conform/v1.edl', 'nope.edl', '--rate', '24']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('nope.edl');
  });
});
