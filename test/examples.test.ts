import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.js';

// Issue 12: CI runs every example. Each top-level examples/*.mjs script runs with no arguments on
// its bundled data and must exit 0; the ones below also have their output checked against the
// data they read (quoted from the data files).

const built = existsSync(join(REPO_ROOT, 'dist', 'index.js'));
const examples = readdirSync(join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.mjs'));
const run = (script: string, args: string[] = []) => execFileSync(process.execPath, [join(REPO_ROOT, script), ...args], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.skipIf(!built)('examples', () => {
  test.each(examples)('examples/%s runs on its bundled data', (name) => {
    expect(() => run(`examples/${name}`)).not.toThrow();
  }, 120_000);

  test('adr-cues lists the five $QN clips of examples/data/adr-session.txt with their tags', () => {
    const out = run('examples/adr-cues.mjs');
    // adr-session.txt: marker "{Title=Harbour Night} $Reel=R1"; Maya's clip 1 "$QN=MY101 {R=Noise on set}"
    // 01:00:12:04–01:00:14:10; Tom's clip 2 "(breath, effort) $QN=TM102 [EFF]" 01:01:50:08–01:01:52:00.
    expect(out).toContain('Harbour Night, reel R1 — 5 ADR cues (23.976 fps)');
    expect(out).toMatch(/MY101 +Maya +01:00:12:04 +01:00:14:10 +Noise on set/);
    expect(out).toMatch(/TM102 +Tom +01:01:50:08 +01:01:52:00 +EFF +\(breath, effort\)/);
  });

  test('adr-session.txt is what make-adr-session.mjs writes (the data is reproducible)', () => {
    const file = join(REPO_ROOT, 'examples/data/adr-session.txt');
    const before = readFileSync(file);
    run('examples/data/make-adr-session.mjs');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test('xml-to-aaf turns the Premiere XML into a Pro Tools AAF that reads back clip for clip', () => {
    // premiere-cut.xml holds the conform example session: 5 audio tracks, clips pop2+tailpop,
    // dlgA+dlgB, dlgC, fxAB+fxD, music (examples/conform/session.json).
    const out = run('examples/xml-to-aaf.mjs');
    expect(out).toContain('(protools, ');
    expect(out).toMatch(/A1 +2 clips: pop2, tailpop/);
    expect(out).toMatch(/A2 +2 clips: dlgA, dlgB/);
    expect(out).toMatch(/A5 +1 clips: music/);
  });

  test('premiere-cut.xml is what make-premiere-xml.mjs writes', () => {
    const file = join(REPO_ROOT, 'examples/data/premiere-cut.xml');
    const before = readFileSync(file);
    run('examples/data/make-premiere-xml.mjs');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  test("stamp-bwf stamps 01:00:00:00 at each file's own sample rate", () => {
    // 01:00:00:00 at 24 fps = 3600 s: 172,800,000 samples at 48 kHz, 345,600,000 at 96 kHz,
    // 158,760,000 at 44.1 kHz.
    const out = run('examples/stamp-bwf.mjs');
    expect(out).toMatch(/boom\.wav +48000 Hz +TimeReference +172800000 .*now starts 01:00:00:00/);
    expect(out).toMatch(/lav\.wav +96000 Hz +TimeReference +345600000/);
    expect(out).toMatch(/room-tone\.wav +44100 Hz +TimeReference +158760000/);
  });
});
