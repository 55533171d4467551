import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import { Progress } from '../../src/cli/progress.js';
import { write as writeJson } from '../../src/formats/json/write.js';
import { createClip, createTimeline, createTrack } from '../../src/model/build.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, corpusDir } from '../helpers/corpus.js';

// Issue 12, CLI polish: folders and globs as inputs for batch commands, `--jobs N` on worker
// threads with results in input order, one file's failure reported with its path while the batch
// goes on, and progress bars only on a terminal.

const scratch = mkdtempSync(join(tmpdir(), 'dubstage-batch-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const otioDir = corpusDir('otio');
const edlDir = corpusDir('edl');
const aafDir = corpusDir('aaf');
const bwfDir = corpusDir('bwf');
const xmemlDir = corpusDir('xmeml');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const built = existsSync(CLI);
if (!built) process.stderr.write(`skipping worker-thread batch tests: ${CLI} is absent (npm run build)\n`);

/** Runs the built CLI with stdout and stderr piped (so neither is a terminal). */
function runBuilt(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI in-process with stderr claiming to be a terminal of `columns` columns. */
async function runOnTty(argv: string[], columns = 100): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: Object.assign({ write: (t: string) => (stderr += t) }, { columns }),
    stdin: (async function* () {})(),
    stdinIsTty: true,
    stderrIsTty: true,
  };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

/** SHA-256 of a file (comparing digests: a deep equality over megabytes of bytes is very slow). */
const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A small dubstage JSON timeline (its content is not what these tests check). */
function timelineText(name: string): string {
  const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_25);
  return writeJson(createTimeline({ name, frameRate: FrameRate.FPS_25, tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [createClip({ name: 'a', start: f(0), duration: f(25) })] })] })).value;
}

describe.skipIf(!otioDir || !edlDir)('dubstage inspect: folders and globs', () => {
  test('a folder: one JSON line per timeline file in it, in name order', async () => {
    const names = readdirSync(otioDir!).filter((n) => n.endsWith('.otio')).sort();
    const r = await runCli(['inspect', otioDir!, '--json']);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => basename(l.file as string))).toEqual(names);
    // EXPECTED.md (otio-cmx3600-adapter test_enabled): otio-cmx3600__enabled.otio is timeline "enable_test".
    const enabled = lines.find((l) => basename(l.file as string) === 'otio-cmx3600__enabled.otio') as { timeline: { name: string } };
    expect(enabled.timeline.name).toBe('enable_test');
  });

  test('a quoted glob, and the human summary of each file starts with its path', async () => {
    const glob = join(edlDir!, '*screening_example.edl');
    const j = await runCli(['inspect', glob, '--rate', '24', '--json']);
    expect(j.status).toBe(0);
    const [line] = jsonLines(j.stdout) as { file: string; format: string; timeline: { tracks: { clips: unknown[] }[] } }[];
    // EXPECTED.md: otio-cmx3600__screening_example.edl (read at 24 fps): 1 track with 9 clips.
    expect(basename(line!.file)).toBe('otio-cmx3600__screening_example.edl');
    expect(line!.format).toBe('edl');
    expect(line!.timeline.tracks.map((t) => t.clips.length)).toEqual([9]);
    const h = await runCli(['inspect', glob, '--rate', '24']);
    expect(h.stdout).toMatch(/^file: {8}\S*otio-cmx3600__screening_example\.edl\nname: /);
  });

  test('a failing file in the middle is reported with its path; the others still print, in order; exit 1', async () => {
    const bad = join(scratch, 'broken.otio');
    writeFileSync(bad, '{"OTIO_SCHEMA": "Timeline.1", "tracks": ');
    const [first, last] = ['otio-cmx3600__enabled.otio', 'otio__simple_cut.otio'].map((n) => join(otioDir!, n)) as [string, string];
    const r = await runCli(['inspect', first, bad, last, '--json']);
    expect(r.status).toBe(1);
    const lines = jsonLines(r.stdout) as { file: string; timeline: unknown; diagnostics: { severity: string }[] }[];
    expect(lines.map((l) => l.file)).toEqual([first, bad, last]);
    expect(lines[1]!.timeline).toBeNull();
    expect(lines[1]!.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(lines[0]!.timeline).not.toBeNull();
    expect(lines[2]!.timeline).not.toBeNull();
    expect(r.stderr).toContain(bad);
    // Each good file's timeline is what inspecting it alone gives.
    const alone = await runCli(['inspect', last, '--json']);
    expect(lines[2]!.timeline).toEqual(JSON.parse(alone.stdout));
  });

  test('a glob that matches nothing is reported and makes the exit status 1', async () => {
    const r = await runCli(['inspect', join(otioDir!, 'otio-cmx3600__enabled.otio'), join(otioDir!, 'no-such-*.otio'), '--json']);
    expect(r.status).toBe(1);
    expect(jsonLines(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain('no-such-*.otio: no timeline files there');
  });

  test('--jobs in-process (no built CLI) works in this thread and says so', async () => {
    const r = await runCli(['inspect', otioDir!, '--json', '--jobs', '2']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('--jobs needs the built CLI');
    expect(r.stdout).toBe((await runCli(['inspect', otioDir!, '--json'])).stdout);
  });

  test('bad --jobs values are usage errors', async () => {
    for (const v of ['0', '-1', 'two', '1.5']) expect((await runCli(['inspect', otioDir!, '--jobs', v])).status).toBe(2);
  });
});

describe('dubstage convert: many inputs into a folder', () => {
  const src = join(scratch, 'convert-src');
  mkdirSync(join(src, 'a'), { recursive: true });
  mkdirSync(join(src, 'b'), { recursive: true });
  writeFileSync(join(src, 'a', 'reel1.json'), timelineText('reel one'));
  writeFileSync(join(src, 'a', 'reel2.json'), timelineText('reel two'));
  writeFileSync(join(src, 'b', 'REEL1.json'), timelineText('clash')); // same output name as a/reel1 on a case-insensitive volume

  test('a folder converts to -o DIR/ with the target extension; a name clash is reported, not written', async () => {
    const out = join(scratch, 'out1') + '/';
    const r = await runCli(['convert', src, '-o', out, '--to', 'otio', '--json']);
    expect(r.status).toBe(1); // the clash
    expect(readdirSync(out).sort()).toEqual(['reel1.otio', 'reel2.otio']);
    expect(r.stderr).toContain(`${join(src, 'b', 'REEL1.json')}: not converted: ${join(out, 'REEL1.otio')} would be the same file as ${join(out, 'reel1.otio')} (from ${join(src, 'a', 'reel1.json')})`);
    const lines = jsonLines(r.stdout) as { file: string; out: string; written: boolean; to: string }[];
    expect(lines.map((l) => [basename(l.file), basename(l.out), l.written, l.to])).toEqual([
      ['reel1.json', 'reel1.otio', true, 'otio'],
      ['reel2.json', 'reel2.otio', true, 'otio'],
    ]);
    // The first of the clashing pair won: reel1.otio holds "reel one".
    expect(JSON.parse(readFileSync(join(out, 'reel1.otio'), 'utf8')).name).toBe('reel one');
  });

  test('existing files are never overwritten silently; --force replaces them', async () => {
    const out = join(scratch, 'out2');
    mkdirSync(out);
    writeFileSync(join(out, 'reel2.otio'), 'keep me');
    const r = await runCli(['convert', join(src, 'a'), '--out-dir', out, '--to', 'otio']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/reel2\.json: not converted: .*reel2\.otio already exists \(--force replaces it\)/);
    expect(readFileSync(join(out, 'reel2.otio'), 'utf8')).toBe('keep me');
    expect(r.stdout).toMatch(/reel1\.json -> .*reel1\.otio\n$/);
    const f = await runCli(['convert', join(src, 'a'), '--out-dir', out, '--to', 'otio', '--force']);
    expect(f.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'reel2.otio'), 'utf8')).name).toBe('reel two');
  });

  test('an OUT that is a folder makes a batch too (like cp); a batch needs --to; many inputs need a folder', async () => {
    const out = join(scratch, 'out3');
    mkdirSync(out);
    expect((await runCli(['convert', join(src, 'a', 'reel1.json'), join(src, 'a', 'reel2.json'), out, '--to', 'otio'])).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['reel1.otio', 'reel2.otio']);
    expect((await runCli(['convert', join(src, 'a'), '-o', join(scratch, 'out4') + '/'])).status).toBe(2);
    expect((await runCli(['convert', join(src, 'a', 'reel1.json'), join(src, 'a', 'reel2.json'), '-o', join(scratch, 'x.otio')])).status).toBe(2);
  });
});

describe('progress bars', () => {
  test('the renderer draws in place on a terminal, is throttled, and clears itself', () => {
    let clock = 0;
    let screen = '';
    const tty = { write: (t: string) => (screen += t) };
    const p = new Progress(tty, { enabled: true, total: 4, title: 'inspect', columns: 60, intervalMs: 100, now: () => clock });
    p.start();
    // ECMA-48: CR returns to column 0, ESC [ K (EL) erases to the end of the line.
    expect(screen).toBe('\r\x1b[Kinspect [........................] 0/4   0%');
    screen = '';
    clock = 10;
    p.tick('a.edl'); // within 100 ms of the last draw: not redrawn
    expect(screen).toBe('');
    clock = 200;
    p.tick('b.edl');
    expect(screen).toBe('\r\x1b[Kinspect [############............] 2/4  50%  b.edl');
    screen = '';
    clock = 210;
    p.print(tty, 'a line of output\n'); // output moves the bar out of the way ...
    expect(screen).toBe('\r\x1b[Ka line of output\n');
    screen = '';
    p.tick('c.wav'); // ... and the next tick puts it back at once, though within 100 ms
    expect(screen).toBe('\r\x1b[Kinspect [##################......] 3/4  75%  c.wav');
    screen = '';
    clock = 250;
    p.tick('a/very/long/path/that/does/not/fit/in/sixty/columns/at/all.wav'); // the last always draws
    expect(screen).toBe('\r\x1b[Kinspect [########################] 4/4 100%  …ns/at/all.wav');
    expect(screen.length - '\r\x1b[K'.length).toBe(59); // one less than the width: never wraps
    screen = '';
    p.finish();
    expect(screen).toBe('\r\x1b[K');
    p.finish(); // nothing left to clear
    expect(screen).toBe('\r\x1b[K');
  });

  test('control characters in a file name are not sent to the terminal', () => {
    let screen = '';
    const p = new Progress({ write: (t: string) => (screen += t) }, { enabled: true, total: 1, columns: 80 });
    p.tick('evil\x1b]0;title\x07.wav');
    expect(screen).toBe('\r\x1b[K[########################] 1/1 100%  evil?]0;title?.wav');
  });

  test('disabled: print just writes and nothing else is drawn', () => {
    let screen = '';
    const p = new Progress({ write: (t: string) => (screen += t) }, { enabled: false, total: 3 });
    p.start();
    p.tick('x');
    p.print({ write: (t: string) => (screen += t) }, 'out\n');
    p.finish();
    expect(screen).toBe('out\n');
  });

  describe.skipIf(!otioDir)('in a command', () => {
    test('a batch on a terminal draws a bar on stderr and clears it at the end', async () => {
      const r = await runOnTty(['inspect', otioDir!]);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('\r\x1b[Kinspect [');
      expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
      expect(r.stdout).not.toContain('\x1b');
    });

    test('no bar with --json or --quiet, even on a terminal, and none when stderr is not one', async () => {
      for (const extra of ['--json', '--quiet']) expect((await runOnTty(['inspect', otioDir!, extra])).stderr).not.toContain('\x1b[');
      expect((await runCli(['inspect', otioDir!])).stderr).not.toContain('\x1b[');
    });
  });

  test.skipIf(!built || !otioDir)('piped output of the built CLI holds no escape codes', () => {
    for (const args of [['inspect', otioDir!, '--jobs', '2'], ['bwf', bwfDir ?? otioDir!, '--jobs', '2']]) {
      const r = runBuilt(args);
      expect(r.stdout + r.stderr).not.toContain('\x1b[');
    }
  });
});

describe.skipIf(!built || !edlDir || !aafDir || !bwfDir || !xmemlDir)('--jobs 2 on worker threads (built CLI) gives the output of --jobs 1, byte for byte', () => {
  test('inspect --json over EDL, FCP7 XML, AAF and WAV files', () => {
    const args = ['inspect', edlDir!, join(xmemlDir!, '*.xml'), aafDir!, bwfDir!, '--rate', '24', '--json'];
    const one = runBuilt([...args, '--jobs', '1']);
    const two = runBuilt([...args, '--jobs', '2']);
    expect(two.stderr).not.toContain('--jobs needs the built CLI');
    expect(two.status).toBe(one.status);
    const lines = jsonLines(one.stdout);
    const expected = [edlDir!, xmemlDir!, aafDir!, bwfDir!].flatMap((d) => readdirSync(d).filter((n) => /\.(edl|txt|xml|aaf|wav|bwf|rf64)$/i.test(n)));
    expect(lines.map((l) => basename(l.file as string)).sort()).toEqual(expected.sort());
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  }, 600_000);

  test('inspect (summaries), with a failing file in the middle of the list', () => {
    const bad = join(scratch, 'garbage.aaf');
    writeFileSync(bad, 'this is not a compound file');
    const files = readdirSync(aafDir!).filter((n) => n.endsWith('.aaf')).sort().map((n) => join(aafDir!, n)).slice(0, 10);
    const list = [...files.slice(0, 5), bad, ...files.slice(5)];
    const one = runBuilt(['inspect', ...list, '--jobs', '1']);
    const two = runBuilt(['inspect', ...list, '--jobs', '3']);
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr).toContain(bad);
    // Every good file's summary is there, in the order given.
    const heads = [...one.stdout.matchAll(/^file: +(.*)$/gm)].map((m) => m[1]);
    expect(heads).toEqual(files);
  }, 600_000);

  test('convert into a folder', () => {
    const outs = [1, 2].map((jobs) => {
      const out = join(scratch, `otio-jobs${jobs}`);
      const r = runBuilt(['convert', edlDir!, '-o', out + '/', '--to', 'otio', '--rate', '24', '--jobs', String(jobs), '--json']);
      return { r, out };
    });
    expect(outs[1]!.r.stdout.replaceAll('otio-jobs2', 'otio-jobs1')).toBe(outs[0]!.r.stdout);
    expect(outs[1]!.r.status).toBe(outs[0]!.r.status);
    const names = readdirSync(outs[0]!.out).sort();
    expect(readdirSync(outs[1]!.out).sort()).toEqual(names);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(digest(join(outs[1]!.out, n)), n).toBe(digest(join(outs[0]!.out, n)));
  }, 600_000);

  test('bwf set over a folder: same files, TimeReference = 1 h × the sample rate', async () => {
    const { parseFile } = await import('music-metadata');
    const waves = readdirSync(bwfDir!).filter((n) => /\.wav$/i.test(n)).sort();
    const dirs = [1, 2].map((jobs) => {
      const d = join(scratch, `bwf-jobs${jobs}`);
      mkdirSync(d);
      for (const n of waves) copyFileSync(join(bwfDir!, n), join(d, n));
      const r = runBuilt(['bwf', 'set', d, '--timecode', '01:00:00:00', '--rate', '25', '--jobs', String(jobs), '--json']);
      return { d, r };
    });
    expect(dirs[1]!.r.status).toBe(dirs[0]!.r.status);
    expect(dirs[1]!.r.stdout.replaceAll('bwf-jobs2', 'bwf-jobs1')).toBe(dirs[0]!.r.stdout);
    for (const n of waves) expect(digest(join(dirs[1]!.d, n)), n).toBe(digest(join(dirs[0]!.d, n)));
    // 01:00:00:00 is 3600 s after midnight; the sample rate comes from music-metadata, not dubstage.
    const lines = jsonLines(dirs[0]!.r.stdout) as { file: string; mode: string; timeReference: string }[];
    let checked = 0;
    for (const l of lines.filter((x) => x.mode !== 'failed')) {
      let rate: number | undefined;
      try {
        rate = (await parseFile(l.file)).format.sampleRate;
      } catch {
        rate = undefined; // a file music-metadata cannot read is not counted
      }
      if (rate === undefined) continue;
      expect(BigInt(l.timeReference)).toBe(3600n * BigInt(rate));
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  }, 600_000);
});
