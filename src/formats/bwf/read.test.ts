// Robustness: reading, planning and rendering never throw on damaged files (fast-check), and
// truncation is reported with a place. Inputs are built with createBwf (layout checked elsewhere
// against wavefile and ffprobe).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { bytesSource } from '../../binary/byte-source.js';
import { createBwf } from './create.js';
import { readBwf, readBwfSync } from './read.js';
import { planBwfEdit, renderPlan } from './write.js';

const sample = createBwf({
  sampleRate: 48000,
  bitsPerSample: 24,
  channels: [new Int32Array(300), new Int32Array(300)],
  bext: { description: 'sSCENE=1\r\n', originator: 'fuzz', timeReference: 123n, loudnessValue: -2300 },
  ixml: { scene: '1', take: '2', note: 'n' },
  markers: [{ position: 3, label: 'a' }, { position: 9, label: 'b', length: 4, note: 'c' }],
}).value;

describe('damaged files', () => {
  test('byte flips and truncation: read, plan and render never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.integer({ min: 0, max: sample.length }),
        async (flips, cut) => {
          const bytes = sample.slice(0, cut);
          for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
          const r = await readBwf(bytes);
          const s = readBwfSync(bytes);
          expect(s.ok).toBe(r.ok);
          if (!r.ok) return;
          const plan = planBwfEdit(r.value, { bext: { description: 'x' }, ixml: { scene: '9' }, markers: [{ position: 1 }] });
          if (plan.diagnostics.some((d) => d.severity === 'error')) return;
          const out = await renderPlan(bytesSource(bytes), plan.value);
          expect(out.length).toBe(plan.value.size);
        },
      ),
      { numRuns: 400 },
    );
  });

  test('a file cut inside the audio: the chunks that exist, a truncation warning at the data size field', async () => {
    const cut = sample.slice(0, sample.length - 1000);
    const r = await readBwf(cut);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const data = r.value.chunks.find((c) => c.id === 'data')!;
    expect(data.truncated).toBe(true);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'riff/truncated-chunk', at: { offset: data.offset + 4 } }));
    expect(r.value.bext?.originator).toBe('fuzz');
  });
});

test('a data chunk with size 0 ("to the end") gets its real size when markers are appended after it', async () => {
  const bytes = sample.slice();
  const r0 = readBwfSync(bytes);
  if (!r0.ok) throw new Error('read');
  const data = r0.value.chunks.find((c) => c.id === 'data')!;
  // Cut the file after the audio and zero the data size, as an unfinished recording leaves it.
  const cut = bytes.slice(0, data.end);
  new DataView(cut.buffer).setUint32(data.offset + 4, 0, true);
  new DataView(cut.buffer).setUint32(4, cut.length - 8, true);
  const r = readBwfSync(cut);
  if (!r.ok) throw new Error('read');
  expect(r.diagnostics.map((d) => d.code)).toContain('riff/data-size-unknown');
  const plan = planBwfEdit(r.value, { markers: [{ position: 7, label: 'after' }] });
  expect(plan.diagnostics.map((d) => d.code)).toContain('bwf/data-size-repaired');
  const out = await renderPlan(bytesSource(cut), plan.value);
  const back = readBwfSync(out);
  if (!back.ok) throw new Error('read back');
  expect(back.value.markers).toEqual([{ id: 1, position: 7, label: 'after' }]);
  expect(back.value.frameCount).toBe(300);
});
