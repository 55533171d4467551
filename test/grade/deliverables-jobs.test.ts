// The deliverables check with its loudness measured elsewhere (`measureLoudness` hook; worker
// threads in `dubstage/node` with `jobs`) must give the same result, number for number, as the
// single-thread path: the requirement of issue 11's parallel grading. The single-thread result is
// the reference here (its loudness figures are checked against EBU Tech 3341 and ffmpeg in
// audio-loudness.test.ts and deliverables.test.ts).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { measureFileLoudness, runDeliverablesCheck, type DeliverablesCheck, type LoudnessJob } from '../../src/grade/deliverables.js';
import { planLoudnessJobs } from '../../src/node-worker.js';
import type { Submission } from '../../src/grade/types.js';
import { noise, wav } from './audio-signals.js';

const SR = 48000;
const N = 3 * SR + 1234; // not a multiple of any block size

function toInt(x: Float32Array): Int32Array {
  return Int32Array.from(x, (v) => Math.round(v * 8388607));
}

/** Three 24-bit stereo stems, their exact integer sum as printmaster, and a 6-channel float file outside the null test. */
function handIn(): { path: string; source: Uint8Array }[] {
  const stems = [1, 2, 3].map((k) => [toInt(noise(N, 0.1 * k, k)), toInt(noise(N, 0.05 * k, k + 10))]);
  const pm = [0, 1].map((c) => {
    const out = new Int32Array(N);
    for (const s of stems) for (let i = 0; i < N; i++) out[i] = out[i]! + s[c]![i]!;
    return out;
  });
  const files = [
    { path: 'PM.wav', source: wav({ sampleRate: SR, bitsPerSample: 24, channels: pm, bext: { timeReference: 0n } }) },
    ...stems.map((s, k) => ({ path: `ST${k + 1}.wav`, source: wav({ sampleRate: SR, bitsPerSample: 24, channels: s, bext: { timeReference: 0n } }) })),
    { path: 'MIX51.wav', source: wav({ sampleRate: SR, bitsPerSample: 32, encoding: 'float', channels: [1, 2, 3, 4, 5, 6].map((k) => noise(N, 0.02 * k, 20 + k)), bext: { timeReference: 0n } }) },
  ];
  return files;
}

const CHECK: DeliverablesCheck = {
  kind: 'deliverables',
  weight: 1,
  files: [{ pattern: '*.wav', loudness: { integrated: { target: -20, tolerance: 30 }, truePeakMax: 0, lraMax: 30, samplePeakMax: 0 } }],
  stems: { printmaster: 'PM.wav', stems: ['ST1.wav', 'ST2.wav', 'ST3.wav'], nullThresholdDb: -120 },
};

describe('deliverables: loudness measured elsewhere', () => {
  const submission: Submission = { name: 'jobs', files: handIn() };

  test('a hook measuring with measureFileLoudness gives the same result as the single-thread path', async () => {
    const single = await runDeliverablesCheck(CHECK, submission);
    expect(single.items.filter((i) => i.id.endsWith('/true-peak'))).toHaveLength(5);
    const seen: LoudnessJob[] = [];
    const hooked = await runDeliverablesCheck(CHECK, submission, {
      measureLoudness: (jobs) => {
        seen.push(...jobs);
        return jobs.map((j) => measureFileLoudness(j.file.source, j.request));
      },
    });
    expect(hooked).toEqual(single);
    expect(seen.map((j) => [j.file.path, j.decodedHere, j.request.truePeak])).toEqual([
      ['MIX51.wav', false, true],
      ['PM.wav', true, true],
      ['ST1.wav', true, true],
      ['ST2.wav', true, true],
      ['ST3.wav', true, true],
    ]);
  });

  test('files the hook declines, rejects or answers undefined are measured here: same result', async () => {
    const single = await runDeliverablesCheck(CHECK, submission);
    const hooked = await runDeliverablesCheck(CHECK, submission, {
      measureLoudness: (jobs) => jobs.map((j, i) => (i === 0 ? undefined : i === 1 ? Promise.reject(new Error('worker died')) : i === 2 ? Promise.resolve(undefined) : measureFileLoudness(j.file.source, j.request))),
    });
    expect(hooked).toEqual(single);
  });

  test('the plan keeps ⌊jobs / (threads + 1)⌋ null-test files here and deals the rest to the workers', () => {
    const job = (decodedHere: boolean): LoudnessJob => ({ file: { path: 'x', source: new Uint8Array(0) }, request: { truePeak: true }, decodedHere });
    expect(planLoudnessJobs([false, true, true, true, true, true].map(job), 2)).toEqual([0, -1, -1, 0, 0, 0]);
    expect(planLoudnessJobs([true, true, true, true, true, true].map(job), 3)).toEqual([-1, 0, 1, 0, 1, 0]);
    expect(planLoudnessJobs([false, false].map(job), 2)).toEqual([0, 0]);
    expect(planLoudnessJobs([true, true].map(job), 1)).toEqual([-1, -1]);
  });

  // Real worker threads need the built package (dist/node.js and dist/node-worker.js: `npx tsup`).
  const dist = resolve(__dirname, '../../dist');
  const built = existsSync(join(dist, 'node.js')) && existsSync(join(dist, 'node-worker.js'));
  test.skipIf(!built)('dubstage/node with jobs: 2 and 3 on worker threads equals jobs: 1 (skipped without dist/: run `npx tsup`)', async () => {
    const node = await import(pathToFileURL(join(dist, 'node.js')).href);
    expect(node.deliverablesWorkersAvailable()).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'dubstage-jobs-'));
    try {
      for (const f of submission.files) writeFileSync(join(dir, f.path), f.source as Uint8Array);
      const run = async (jobs: number): Promise<unknown> => {
        const sources = submission.files.map((f) => node.openFileSourceSync(join(dir, f.path)));
        try {
          return await node.runDeliverablesCheck(CHECK, { name: 'jobs', files: submission.files.map((f, i) => ({ path: f.path, source: sources[i] })) }, { jobs });
        } finally {
          for (const s of sources) await s.close();
        }
      };
      const one = await run(1);
      expect(await run(2)).toEqual(one);
      expect(await run(3)).toEqual(one);
      // And the same as the source tree's single-thread result on the bytes in memory.
      expect(one).toEqual(await runDeliverablesCheck(CHECK, submission));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
