import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/corpus.js';

// Expected values: ../shared/spec/timecode.md §10 vectors (numbers in the test names) and §5.
describe('dubstage tc', () => {
  test('default: timecode → frames (#6, #14)', async () => {
    expect(await runCli(['tc', '01:00:00;00', '--rate', '29.97df'])).toMatchObject({ status: 0, stdout: '107892\n' });
    expect((await runCli(['tc', '01:00:00:00', '--rate', '23.976'])).stdout).toBe('86400\n');
  });

  test('frames → tc (#4, #27)', async () => {
    expect((await runCli(['tc', '17982', '--rate', '29.97df', '--from', 'frames', '--to', 'tc'])).stdout).toBe('00:10:00;00\n');
    expect((await runCli(['tc', '431568', '--rate', '119.88df', '--from', 'frames', '--to', 'tc'])).stdout).toBe('01:00:00;000\n');
  });

  test('tc → samples and samples → tc (#31, #32, #33, #37)', async () => {
    expect((await runCli(['tc', '01:00:00:00', '--rate', '23.976', '--to', 'samples'])).stdout).toBe('172972800\n');
    expect((await runCli(['tc', '01:00:00;00', '--rate', '29.97df', '--to', 'samples'])).stdout).toBe('172799827\n');
    expect((await runCli(['tc', '172799827', '--rate', '29.97df', '--from', 'samples', '--to', 'tc'])).stdout).toBe('01:00:00;00\n');
    expect((await runCli(['tc', '172799827', '--rate', '29.97df', '--from', 'samples', '--to', 'tc', '--round', 'floor'])).stdout).toBe('00:59:59;29\n');
    expect((await runCli(['tc', '172800000', '--rate', '29.97ndf', '--from', 'samples', '--to', 'tc'])).stdout).toBe('00:59:56:12\n');
    expect((await runCli(['tc', '2350375830', '--rate', '25', '--from', 'samples', '--to', 'tc'])).stdout).toBe('13:36:06:04\n');
  });

  test('samples at other sample rates', async () => {
    // 25 fps @ 96 kHz: 3840 samples a frame (digest §6 table) → 01:00:00:00 = 90000 × 3840
    expect((await runCli(['tc', '01:00:00:00', '--rate', '25', '--to', 'samples', '--sample-rate', '96000'])).stdout).toBe('345600000\n');
    // samples → samples keeps the value (no half-sample shift)
    expect((await runCli(['tc', '12345', '--rate', '25', '--from', 'samples', '--to', 'samples'])).stdout).toBe('12345\n');
  });

  test('seconds, exact (#43, #44)', async () => {
    expect((await runCli(['tc', '01:00:00:00', '--rate', '23.976', '--to', 'seconds'])).stdout).toBe('3603.6\n');
    expect((await runCli(['tc', '01:00:00;00', '--rate', '29.97df', '--to', 'seconds'])).stdout).toBe('3599.9964\n');
    expect((await runCli(['tc', '00:00:00:01', '--rate', '29.97ndf', '--to', 'seconds'])).stdout).toBe('1001/30000\n');
    expect((await runCli(['tc', '18018/5', '--rate', '23.976', '--from', 'seconds', '--to', 'tc'])).stdout).toBe('01:00:00:00\n');
  });

  test('feet+frames (#40, #41)', async () => {
    expect((await runCli(['tc', '1440', '--rate', '24', '--from', 'frames', '--to', 'feet35'])).stdout).toBe('90+00\n');
    expect((await runCli(['tc', '1440', '--rate', '24', '--from', 'frames', '--to', 'feet16'])).stdout).toBe('36+00\n');
    expect((await runCli(['tc', '12+00', '--rate', '24', '--from', 'feet35', '--to', 'tc'])).stdout).toBe('00:00:08:00\n');
  });

  test('--to-rate via time and via label', async () => {
    expect((await runCli(['tc', '01:00:00:00', '--rate', '25', '--to', 'tc', '--to-rate', '23.976'])).stdout).toBe('00:59:56:09\n');
    expect((await runCli(['tc', '01:00:00:00', '--rate', '25', '--to', 'tc', '--to-rate', '23.976', '--round', 'nearest'])).stdout).toBe('00:59:56:10\n');
    expect((await runCli(['tc', '01:00:00:13', '--rate', '23.976', '--to', 'tc', '--to-rate', '24', '--via', 'label'])).stdout).toBe('01:00:00:13\n');
  });

  test('overflow: wrap and signed are explicit (#29)', async () => {
    const r = await runCli(['tc', '2160000', '--rate', '25', '--from', 'frames', '--to', 'tc']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('tc/out-of-range');
    expect((await runCli(['tc', '2160000', '--rate', '25', '--from', 'frames', '--to', 'tc', '--overflow', 'wrap'])).stdout).toBe('00:00:00:00\n');
    expect((await runCli(['tc', '-25', '--rate', '25', '--from', 'frames', '--to', 'tc', '--overflow', 'signed'])).stdout).toBe('-00:00:01:00\n');
    expect((await runCli(['tc', '-00:00:01:00', '--rate', '25', '--overflow', 'signed'])).stdout).toBe('-25\n');
  });

  test('stdin batch keeps order; an invalid line does not stop the batch; exit 1', async () => {
    const r = await runCli(['tc', '--rate', '29.97df'], '00:00:59;29\r\n00:01:00;00\nnonsense\n01:00:00;00');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('1799\n\n\n107892\n');
    expect(r.stderr).toMatch(/stdin:2:10: error tc\/dropped-label/);
    expect(r.stderr).toMatch(/stdin:3:1: error tc\/syntax/);
  });

  test('--json: one object per line, invalid values carry diagnostics with their line', async () => {
    const r = await runCli(['tc', '--rate', '25', '--to', 'tc', '--from', 'frames', '--json'], '90000\nx\n');
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ input: '90000', ok: true, value: '01:00:00:00' });
    expect(lines[1]).toMatchObject({ input: 'x', ok: false, diagnostics: [{ code: 'tc/bad-frames', at: { line: 2 } }] });
    expect(r.status).toBe(1);
    const n = await runCli(['tc', '01:00:00:00', '--rate', '25', '--json']);
    expect(JSON.parse(n.stdout)).toEqual({ input: '01:00:00:00', ok: true, value: 90000 });
  });

  test('usage errors exit 2', async () => {
    expect((await runCli(['tc', '01:00:00:00'])).status).toBe(2); // no --rate
    expect((await runCli(['tc', '01:00:00:00', '--rate', '25df'])).status).toBe(2);
    expect((await runCli(['tc', '1', '--rate', '25', '--to', 'parsecs'])).status).toBe(2);
    expect((await runCli(['tc', '1', '--rate', '25', '--bogus'])).status).toBe(2);
    expect((await runCli(['nope'])).status).toBe(2);
  });

  test('the built CLI runs as the bin path names it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: { dubstage: string } };
    const bin = join(REPO_ROOT, pkg.bin.dubstage);
    if (!existsSync(bin)) {
      console.warn(`skipping: ${bin} is not built (npm test builds it first)`);
      return;
    }
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('tc');
    const r = spawnSync(process.execPath, [bin, 'tc', '--rate', '59.94df'], { input: '00:01:00;04\n00:10:00;00\n', encoding: 'utf8' });
    expect(r.stdout).toBe('3600\n35964\n'); // vectors #21, #22
    expect(r.status).toBe(0);
  });
});
