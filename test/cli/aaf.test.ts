import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readBwfSync } from '../../src/formats/bwf/read.js';
import { ffprobe, HAVE_FFPROBE } from '../helpers/probe.js';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusFiles } from '../helpers/corpus.js';

const file = corpusFiles('aaf', (n) => n === 'libaaf__DR_Markers.aaf')[0];
const ptPcm = corpusFiles('aaf', (n) => n === 'libaaf__PT_PCM_Internal.aaf')[0];
const prWav = corpusFiles('aaf', (n) => n === 'libaaf__PR_WAV_Internal.aaf')[0];

describe('dubstage aaf dump', () => {
  test('usage errors exit 2', async () => {
    expect((await runCli(['aaf'])).status).toBe(2);
    expect((await runCli(['aaf', 'list', 'x.aaf'])).status).toBe(2);
  });

  test('a missing file exits 1', async () => {
    expect((await runCli(['aaf', 'dump', '/nonexistent/x.aaf'])).status).toBe(1);
  });

  test.skipIf(!file)('prints the object tree with the marker properties (EXPECTED.md, DR_Markers audit)', async () => {
    const r = await runCli(['aaf', 'dump', file!]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('DescriptiveMarker');
    expect(r.stdout).toContain('CommentMarkerUser (0xffff data): "Marker1Name"');
    expect(r.stdout).toContain('Position (0x0601 data): 2160');
    const j = await runCli(['aaf', 'dump', file!, '--json', '--depth', '1']);
    const doc = JSON.parse(j.stdout);
    expect(doc.class).toBe('Root');
    expect(doc.properties.map((p: { name: string }) => p.name).sort()).toEqual(['Header', 'MetaDictionary']);
    expect(basename(file!)).toBe('libaaf__DR_Markers.aaf');
  });

  test.skipIf(!ptPcm)('extract: Pro Tools raw PCM becomes a BWF: 16 kHz mono 16-bit, 32000 samples (EXPECTED.md: PCM - 01 ch - 16000 Hz - 16 bits Length 32000)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dubstage-aaf-'));
    const r = await runCli(['aaf', 'extract', ptPcm!, '--out', out, '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.extracted.length).toBe(1);
    const wav = doc.extracted[0].file as string;
    expect(basename(wav)).toBe('1000hz-18dbs16b44.1k-01.wav');
    const b = readBwfSync(new Uint8Array(readFileSync(wav)));
    expect(b.ok).toBe(true);
    if (!b.ok) return;
    expect(b.value.format).toMatchObject({ sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(b.value.bext).toBeDefined();
    if (HAVE_FFPROBE) {
      const f = ffprobe(wav);
      expect(f.stream).toMatchObject({ sample_rate: '16000', channels: 1, duration_ts: 32000 });
    }
  });

  test.skipIf(!prWav)('extract: a Premiere embedded WAV is copied whole (EXPECTED.md: WAVE - 01 ch - 48000 Hz - 16 bits Length 51252)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dubstage-aaf-'));
    const r = await runCli(['aaf', 'extract', prWav!, '--out', out]);
    expect(r.status).toBe(0);
    const files = readdirSync(out);
    expect(files).toEqual(['1000hz-18dbs16b44.1k.wav']);
    const bytes = new Uint8Array(readFileSync(join(out, files[0]!)));
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RIFF');
    if (HAVE_FFPROBE) {
      const f = ffprobe(join(out, files[0]!));
      expect(f.stream).toMatchObject({ sample_rate: '48000', channels: 1, duration_ts: 51252 });
    }
  });

  test('extract needs --out', async () => {
    expect((await runCli(['aaf', 'extract', 'x.aaf'])).status).toBe(2);
  });
});
