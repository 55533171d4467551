/**
 * examples/rubrics: each assignment's rubric grades its good and flawed example submissions
 * (written by examples/rubrics/make-examples.mjs with our own writers) to known scores, through the
 * `dubstage grade` CLI. Every expected score is worked out by hand from the rubric's weights and
 * the credit rules of docs/grading.md, as commented.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = join(__dirname, '../../examples/rubrics');
const scratch = mkdtempSync(join(tmpdir(), 'dubstage-grade-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function gradeJson(kind: string, which: 'good' | 'flawed', root = join(dir, kind, 'submissions')): Promise<{ score: number; maxScore: number; checks: { id: string; score: number; items: { id: string; verdict: string; credit: number }[]; feedback: string[] }[]; feedback: string[] }> {
  const r = await runCli(['grade', join(dir, kind, 'rubric.json'), join(root, which), '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('examples/rubrics', () => {
  test('spotting: good 100; flawed 52.5', async () => {
    expect((await gradeJson('spotting', 'good')).score).toBe(100);
    const r = await gradeJson('spotting', 'flawed');
    // Markers: position .75, name .25; tolerance 1 frame, half position credit within 2 frames.
    // car pass 1; door slam 3 frames late → name only .25; dog bark 2 frames late → .375 + .25 =
    // .625; glass break missing 0; phone ring named "Phone" → .75. (1 + .25 + .625 + 0 + .75) / 5
    // = .525 → 52.5 of 100. "Bird" (4.75 s after glass break, another name) is extra, not a moved
    // glass break; no penalty by default.
    expect(r.checks[0]?.items.map((i) => [i.verdict, i.credit])).toEqual([['match', 1], ['offset', 0.25], ['offset', 0.625], ['missing', 0], ['wrong-value', 0.75], ['extra', 0]]);
    expect(r.score).toBe(52.5);
  });

  test('ADR cues: good 100; flawed 55', async () => {
    // Case and punctuation of lines are ignored: the good sheet lower-cases them and drops . and ?.
    expect((await gradeJson('adr', 'good')).score).toBe(100);
    const r = await gradeJson('adr', 'flawed');
    // Weights position .5, line .2, character .15, reason .15. A1 reason empty → .85; A2 wrong
    // character → .85; A3 3 frames late (beyond warn 2) → .5; A4 missing → 0.
    // (.85 + .85 + .5 + 0) / 4 = .55 → 55.
    expect(r.checks[0]?.items.map((i) => i.credit)).toEqual([0.85, 0.85, 0.5, 0]);
    expect(r.score).toBe(55);
    expect(r.feedback.join('\n')).toContain("Cue A3 'With who?' is 3 frames late: 01:00:10:07, expected 01:00:10:04.");
  });

  test('backgrounds from MIDI marker files: good 100; flawed 43.33', async () => {
    expect((await gradeJson('backgrounds', 'good')).score).toBe(100);
    const r = await gradeJson('backgrounds', 'flawed');
    // Position .6, line .4; tolerance 12 frames, half within 24, window 3 s. BG1 missing 0; BG2 24
    // frames late (half) and misnamed → .3; BG3 1. (0 + .3 + 1) / 3 = .4333… → 43.33.
    // MIDI ticks (1/1920 s) are not on the 23.976 frame grid, so positions are off by under a tick:
    // well within the tolerance.
    expect(r.checks[0]?.items.map((i) => i.verdict)).toEqual(['missing', 'offset', 'match', 'extra']);
    expect(r.score).toBe(43.33);
  });

  test('Foley tracks and sync: good 100; flawed 74', async () => {
    expect((await gradeJson('foley', 'good')).score).toBe(100);
    const r = await gradeJson('foley', 'flawed');
    const [layout, sync] = r.checks;
    // layout groups: required 4/4 = 1; order 1; overlaps (FS 1, CLOTH, PROPS) 1; placement 6/6
    // (steps on an FS track, keys and cup on PROPS) = 1; checkerboard: FS 1 3 of 3 pairs butt
    // different media → 0, FS 2 is empty, so only one FS track has regions → a `missing` item 0;
    // group 0. mean(1, 1, 1, 1, 0) = .8 → 24 of 30.
    expect(layout?.score).toBe(0.8);
    // sync: 7 expected regions; steps_R ×2 on FS 1 instead of FS 2 → wrong-track .5 each; cup 2
    // frames late → offset 0 (beyond 1 frame). (4 + 1 + 0) / 7 = .714285… → 50 of 70.
    expect(sync?.items.map((i) => i.verdict)).toEqual(['match', 'match', 'wrong-track', 'wrong-track', 'match', 'match', 'offset']);
    expect(r.score).toBe(74);
  });

  test('conform: good 100; flawed 36.1 (spec/conform.md §10.6 worked example)', async () => {
    expect((await gradeJson('conform', 'good')).score).toBe(100);
    const r = await gradeJson('conform', 'flawed');
    // §10.6: syncCoverage .2684, rowScore .5, hygiene .5 → 100 × (.6 × .2684 + .3 × .5 + .1 × .5) = 36.1.
    expect(r.score).toBeCloseTo(36.1, 1);
  });

  // The stems example's WAVs (12 s of 24-bit stereo each) are not committed: the script writes them
  // with the built library's BWF writer.
  const HAVE_DIST = existsSync(join(__dirname, '../../dist/index.js'));
  test.skipIf(!HAVE_DIST)('stems and printmaster (helper check `deliverables`): good 100; flawed 93.55' + (HAVE_DIST ? '' : ' — skipped: needs dist/ (npm run build)'), async () => {
    const audio = join(scratch, 'stems');
    const made = spawnSync(process.execPath, [join(dir, 'make-examples.mjs'), '--audio', audio], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    expect((await gradeJson('stems', 'good', audio)).score).toBe(100);
    const r = await gradeJson('stems', 'flawed', audio);
    // Items (docs/grading.md, deliverables): 9 per file matching *.wav — 3 files handed in, 27
    // items, all right except DX's 2-pop (one frame late); 3 printmaster loudness items, right
    // (the printmaster is the good mix); the null test is `missing` (no FX stem). 29 of 31 items
    // → 100 × 29/31 = 93.548… → 93.55.
    const items = r.checks[0]?.items ?? [];
    expect(items.filter((i) => i.verdict !== 'match').map((i) => i.id)).toEqual(['stems/DX.wav/two-pop', 'stems/null-test']);
    expect(items).toHaveLength(31);
    expect(r.score).toBe(93.55);
  });

  test('Gradescope results.json and the HTML report', async () => {
    const out = join(scratch, 'results.json');
    const html = join(scratch, 'report.html');
    const r = await runCli(['grade', join(dir, 'foley', 'rubric.json'), join(dir, 'foley', 'submissions', 'flawed'), '--format', 'gradescope', '-o', out, '--html', html]);
    expect(r.status, r.stderr).toBe(0);
    const gs = JSON.parse(readFileSync(out, 'utf8'));
    // Gradescope's fields: score, tests[] with name, score, max_score, output, visibility.
    expect(gs.score).toBe(74);
    expect(gs.tests.map((t: { name: string; score: number; max_score: number; visibility: string }) => [t.name, t.score, t.max_score, t.visibility])).toEqual([['Track layout', 24, 30, 'visible'], ['Sync against the reference cut', 50, 70, 'visible']]);
    expect(gs.tests[1].output).toContain("PROPS 'cup' is 2 frames late: 01:00:04:06, expected 01:00:04:04.");
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  test('batch: a gradebook row per submission folder', async () => {
    const csv = join(scratch, 'gradebook.csv');
    const r = await runCli(['grade', join(dir, 'adr', 'rubric.json'), '--batch', join(dir, 'adr', 'submissions'), '--csv', csv]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(csv, 'utf8')).toBe('submission,score,max_score,percent,adr,problems\r\nflawed,55,100,55,55,0\r\ngood,100,100,100,100,0\r\n');
  });

  test.skipIf(!existsSync(join(__dirname, '../../dist/cli.js')))('batch with --jobs 2 on worker threads (built CLI) gives the same gradebook as one thread' + (existsSync(join(__dirname, '../../dist/cli.js')) ? '' : ' — skipped: needs dist/ (npm run build)'), () => {
    const cli = join(__dirname, '../../dist/cli.js');
    const books = [1, 2].map((jobs) => {
      const csv = join(scratch, `gradebook-jobs${jobs}.csv`);
      const r = spawnSync(process.execPath, [cli, 'grade', join(dir, 'foley', 'rubric.json'), '--batch', join(dir, 'foley', 'submissions'), '--jobs', String(jobs), '--csv', csv], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      // Progress bars only on a terminal: spawnSync's stderr is a pipe.
      expect(r.stderr).not.toContain('[#');
      return readFileSync(csv, 'utf8');
    });
    // Scores as derived in the Foley test above: flawed 24 + 50 = 74, good 100.
    expect(books[0]).toBe('submission,score,max_score,percent,layout,sync,problems\r\nflawed,74,100,74,24,50,0\r\ngood,100,100,100,30,70,0\r\n');
    expect(books[1]).toBe(books[0]);
  });

  test('an invalid rubric exits 1 with the JSON path', async () => {
    const bad = join(scratch, 'bad.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, JSON.stringify({ schema: 'dubstage.rubric/1', checks: [{ kind: 'cues', weight: 'ten' }] }));
    const r = await runCli(['grade', bad, join(dir, 'adr', 'submissions', 'good')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('checks[0].weight');
  });
});
