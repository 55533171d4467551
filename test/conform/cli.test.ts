// `dubstage conform` on the bundled example (examples/conform: spec §8 fixture with Example 9's
// new cut). Expected positions are spec/conform.md Example 9's table; the session starts at
// picture start 00:59:52:00, so spec frame r is session frame r + 192 (2000 samples a frame).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { conformCommand } from '../../src/cli/commands/conform.js';
import { readTimeline } from '../../src/formats/registry.js';
import { unwrap } from '../../src/diagnostics/result.js';
import { cutFromEdl } from '../../src/conform/edl-cut.js';
import { FrameRate } from '../../src/time/frame-rate.js';

const EX = join(__dirname, '../../examples/conform');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, stdin: (async function* () {})(), stdinIsTty: true, stderrIsTty: false } };
}

test('dubstage conform: example session, v1 → v2 (Example 9)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'conform-'));
  const { out, err, io: cio } = io();
  const code = await conformCommand.run(['--old', join(EX, 'v1.edl'), '--new', join(EX, 'v2.edl'), join(EX, 'session.json'), '-o', join(dir, 'out.json'),
    '--rate', '24', '--picture-start', '00:59:52:00', '--report', join(dir, 'r.json'), '--svg', join(dir, 'r.svg'), '--change-edl', join(dir, 'c.edl'), '--markers', join(dir, 'm.txt'), '--shuffle', join(dir, 's.txt')], cio);
  expect(err.join('')).toBe('');
  expect(code).toBe(0);
  expect(out.join('')).toContain('  1  TRIM_TAIL   A001   01:00:03:12  -12');
  const t = unwrap(readTimeline(readFileSync(join(dir, 'out.json')), { fileName: 'out.json' }));
  const r = (name: string) => t.tracks.find((x) => x.name === name)?.clips.map((c) => [c.name, Number(c.start.toSamples(48000, 'floor')) / 2000 - 192, Number(c.sourceStart.toSamples(48000, 'floor')) / 2000]);
  expect(r('DX1')).toEqual([['dlgA', 10, 0], ['dlgB', 88, 0]]);
  expect(r('DX2')).toEqual([['dlgC', 158, 0]]);
  expect(r('FX1')).toEqual([['fxAB.c1', 80, 0], ['fxAB.c2', 84, 16], ['fxD', 302, 0]]);
  expect(r('MX1')).toEqual([['music.c1', 0, 0], ['music.c2', 84, 96], ['music.c3', 300, 288]]);
  expect(r('PFX')).toEqual([['pop2', -48, 0], ['tailpop', 395, 0]]);
  expect(r('DX1 (conform removed) 1')).toEqual([['dlgA (removed)', 84, 74]]);
  expect(t.tracks.find((x) => x.name === 'DX1 (conform removed) 1')?.muted).toBe(true);
  const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  expect(report.new.lfoaFeet).toBe('0033+11');
  expect(readFileSync(join(dir, 'r.svg'), 'utf8')).toMatch(/^<svg/);
  expect(readFileSync(join(dir, 'c.edl'), 'utf8')).toContain('004  OLDCUT');
  expect(readFileSync(join(dir, 'm.txt'), 'utf8').split('\r\n')).toHaveLength(3);
  expect(readFileSync(join(dir, 's.txt'), 'utf8')).toContain('at 01:00:11:12 insert 24 frames');
  expect(unwrap(cutFromEdl(readFileSync(join(dir, 'c.edl')), { rate: FrameRate.FPS_24 })).events).toHaveLength(4);
});

test('dubstage conform: usage and input errors', async () => {
  const a = io();
  await expect(conformCommand.run(['--old', 'x.edl'], a.io)).rejects.toThrow(/--old and --new/);
  const b = io();
  const code = await conformCommand.run(['--old', join(EX, 'v1.edl'), '--new', join(EX, 'nope.edl'), join(EX, 'session.json'), '-o', '/tmp/x.json', '--rate', '24'], b.io);
  expect(code).toBe(1);
  const c = io();
  await expect(conformCommand.run(['--old', join(EX, 'v1.edl'), '--new', join(EX, 'v2.edl'), join(EX, 'session.json'), '-o', '/tmp/x.json'], c.io)).rejects.toThrow(/--rate/);
});

test('dubstage conform --changes (relative change list, spec §5.10) with --verify gives Example 9', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'conform-'));
  const list = join(dir, 'changes.txt');
  // Example 9 as relative operations; the footage form of r84 is 84 + 192 = 276 = 17 ft 4 fr (16/ft)
  writeFileSync(list, '# Example 9\nDELETE 0017+04..0017+15\nINSERT 01:00:11:12 24 E001\n');
  const { out, err, io: cio } = io();
  const code = await conformCommand.run(['--old', join(EX, 'v1.edl'), '--changes', list, join(EX, 'session.json'), '-o', join(dir, 'out.json'),
    '--rate', '24', '--picture-start', '00:59:52:00', '--verify'], cio);
  expect(code).toBe(0);
  expect(err.join('')).toBe('verify: I1 I2 I3 I4 I5 I6 I10 I11 I12 I13 hold\n');
  expect(out.join('')).toContain('  1  TRIM_TAIL   A001   01:00:03:12  -12');
  expect(out.join('')).toContain('  2  INSERT      E001   01:00:11:12  +24');
  const t = unwrap(readTimeline(readFileSync(join(dir, 'out.json')), { fileName: 'out.json' }));
  const r = (name: string) => t.tracks.find((x) => x.name === name)?.clips.map((c) => [c.name, Number(c.start.toSamples(48000, 'floor')) / 2000 - 192]);
  expect(r('MX1')).toEqual([['music.c1', 0], ['music.c2', 84], ['music.c3', 300]]); // spec Example 9 table
  const bad = io();
  writeFileSync(list, 'DELETE 01:00:13:00 48\n');
  expect(await conformCommand.run(['--old', join(EX, 'v1.edl'), '--changes', list, join(EX, 'session.json'), '-o', join(dir, 'x.json'), '--rate', '24'], bad.io)).toBe(1);
  expect(bad.err.join('')).toContain('conform/change-out-of-range');
});
