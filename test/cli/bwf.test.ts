// `dubstage bwf`: show and set, checked with ffprobe and mediainfo on the same files (skipped with a
// message where they are absent) and with facts from ../shared/corpus/EXPECTED.md.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusFiles } from '../helpers/corpus.js';
import { ffprobe, HAVE_FFPROBE, HAVE_MEDIAINFO, mediainfo } from '../helpers/probe.js';

const files = corpusFiles('bwf');
const pick = (n: string) => files.find((f) => f.endsWith(n)) as string;
const tmp = mkdtempSync(join(tmpdir(), 'dubstage-bwf-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(files.length === 0)('dubstage bwf FILE --json', () => {
  test('one object per file with the issue keys; values as ffprobe reports them', async () => {
    const a = pick('wavinfo__A101_4.WAV');
    const b = pick('wavinfo__wavinfo_Test_Project_-_Audio_-_5.1.wav');
    const r = await runCli(['bwf', a, b, '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(2);
    for (const o of lines) for (const k of ['file', 'format', 'chunks', 'bext', 'ixml', 'markers', 'diagnostics']) expect(o).toHaveProperty(k);
    const [x, y] = lines;
    expect(Object.keys(x.bext)).toEqual([
      'description', 'originator', 'originatorReference', 'originationDate', 'originationTime', 'timeReference', 'version', 'umid',
      'loudnessValue', 'loudnessRange', 'maxTruePeakLevel', 'maxMomentaryLoudness', 'maxShortTermLoudness', 'codingHistory',
    ]);
    expect(x.format).toMatchObject({ sampleRate: 48000, channels: 2, bitsPerSample: 24, formatTag: 1 });
    expect(x.chunks.map((c: { id: string }) => c.id)).toEqual(['bext', 'iXML', 'fmt ', 'data']);
    expect(x.ixml).toMatchObject({ project: 'BMH', scene: 'A101', take: '4', tape: '18Y12M31' }); // EXPECTED.md
    expect(typeof x.bext.timeReference).toBe('string');
    if (HAVE_FFPROBE) expect(x.bext.timeReference).toBe(ffprobe(a).tags.time_reference);
    // Nuendo v2 loudness: mediainfo prints -80.00 / 0.00 / -120.00 / -80.00 / -80.00.
    if (HAVE_MEDIAINFO) {
      const m = mediainfo(b).audio;
      expect([y.bext.loudnessValue, y.bext.loudnessRange, y.bext.maxTruePeakLevel, y.bext.maxMomentaryLoudness, y.bext.maxShortTermLoudness]).toEqual([
        m.LoudnessValue, m.LoudnessRange, m.MaxTruePeakLevel, m.MaxMomentaryLoudness, m.MaxShortTermLoudness,
      ]);
    }
    expect(y.format.channelMask).toBe(0x3f);
  });

  test('markers of the RX file; start timecode with --rate', async () => {
    const r = await runCli(['bwf', pick('wavinfo__izotoperx_cues_test.wav'), '--json', '--rate', '25']);
    const o = JSON.parse(r.stdout);
    expect(o.markers.map((m: { label: string }) => m.label)).toEqual(['Marker 1', 'Marker 2', 'Marker 3']);
    expect(o.start).toMatchObject({ timecode: '00:00:00:00', rate: '25', rateSource: 'option' });
  });

  test('human output names the start timecode and iXML fields', async () => {
    const r = await runCli(['bwf', pick('wavinfo__Scene_1_2AG-T001_Tr1.WAV')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('22:40:10:00 at 25 (rate from ixml)');
    expect(r.stdout).toContain('Scene_1_2AG');
  });
});

describe('dubstage bwf errors', () => {
  test('not a WAVE: exit 1 with a diagnostic; missing file: exit 1; no FILE: exit 2', async () => {
    const junk = join(tmp, 'junk.wav');
    writeFileSync(junk, 'hello, not a wave file');
    const r = await runCli(['bwf', junk, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics[0]).toMatchObject({ code: 'riff/not-riff' });
    expect((await runCli(['bwf', join(tmp, 'absent.wav')])).status).toBe(1);
    expect((await runCli(['bwf'])).status).toBe(2);
    expect((await runCli(['bwf', 'set', junk, '--timecode', '01:00:00:00'])).status).toBe(2);
  });
});

describe.skipIf(files.length === 0)('dubstage bwf set', () => {
  test('in place: description, scene, timecode at 25 fps; ffprobe and mediainfo read the new values', async () => {
    const f = join(tmp, 'a4.wav');
    copyFileSync(pick('wavinfo__A101_4.WAV'), f);
    const r = await runCli(['bwf', 'set', f, '--description', 'conformed', '--scene', 'B202', '--take', '7', '--timecode', '01:00:00:00', '--rate', '25', '--json']);
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o.mode).toBe('in-place');
    // 01:00:00:00 at 25 fps = 3600 s = 172 800 000 samples at 48 kHz (timecode digest §6).
    expect(o.timeReference).toBe('172800000');
    if (HAVE_FFPROBE) {
      const { tags, stream } = ffprobe(f);
      expect([tags.comment, tags.time_reference]).toEqual(['conformed', '172800000']);
      expect(stream.duration_ts).toBe(144140); // EXPECTED.md frame count of the take, unchanged
    }
    if (HAVE_MEDIAINFO) expect(mediainfo(f).audio.Delay).toBe('3600.000');
    const shown = JSON.parse((await runCli(['bwf', f, '--json'])).stdout);
    expect(shown.ixml).toMatchObject({ scene: 'B202', take: '7', speed: { timestampSamplesSinceMidnight: '172800000' } });
    expect(shown.diagnostics.filter((d: { code: string }) => d.code === 'bwf/time-reference-mismatch')).toEqual([]);
    expect(readFileSync(f).length).toBe(readFileSync(pick('wavinfo__A101_4.WAV')).length);
  });

  test('--out writes a new file and leaves the original byte for byte; a file without bext is rewritten', async () => {
    const src = join(tmp, 'adm.wav');
    copyFileSync(pick('wavinfo__Test_ADM_ProTools.wav'), src);
    const before = readFileSync(src);
    const out = join(tmp, 'adm-out.wav');
    const r = await runCli(['bwf', 'set', src, '--originator', 'dubstage', '--time-reference', '86400', '--note', 'printmaster', '--out', out, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).mode).toBe('rewrite');
    expect(readFileSync(src).equals(before)).toBe(true);
    if (HAVE_FFPROBE) {
      const { tags, stream } = ffprobe(out);
      expect([tags.encoded_by, tags.time_reference]).toEqual(['dubstage', '86400']);
      expect(stream.channels).toBe(14);
    }
    const shown = JSON.parse((await runCli(['bwf', out, '--json'])).stdout);
    expect(shown.chunks.map((c: { id: string }) => c.id)).toEqual(['JUNK', 'bext', 'iXML', 'fmt ', 'data', 'axml', 'chna', 'dbmd']);
    expect(shown.ixml.note).toBe('printmaster');
  });

  test('a value that does not fit: exit 1, file untouched', async () => {
    const f = join(tmp, 'a3.wav');
    copyFileSync(pick('wavinfo__A101_3.WAV'), f);
    const before = readFileSync(f);
    const r = await runCli(['bwf', 'set', f, '--originator', 'x'.repeat(33)]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bwf/field-too-long');
    expect(readFileSync(f).equals(before)).toBe(true);
  });
});

describe('writeBwfFile (dubstage/node)', () => {
  test('in place, rewrite via a temporary file (none left behind), and a failed target leaves the original', async () => {
    const { createBwf } = await import('../../src/formats/bwf/create.js');
    const { writeBwfFile } = await import('../../src/node.js');
    const { readdirSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmp, 'w-'));
    const f = join(dir, 'take.wav');
    writeFileSync(f, createBwf({ sampleRate: 48000, bitsPerSample: 24, channels: [new Int32Array(4800)], ixml: { scene: '1' } }).value);
    const size = readFileSync(f).length;
    const a = await writeBwfFile(f, { bext: { originator: 'rec' } });
    expect(a.mode).toBe('in-place');
    expect(readFileSync(f).length).toBe(size);
    const b = await writeBwfFile(f, { ixml: { note: 'a longer note than the chunk has room for' } });
    expect(b.mode).toBe('rewrite');
    expect(readdirSync(dir)).toEqual(['take.wav']);
    if (HAVE_FFPROBE) {
      const { tags, stream } = ffprobe(f);
      expect(tags.encoded_by).toBe('rec');
      expect(stream.duration_ts).toBe(4800);
    }
    const before = readFileSync(f);
    const c = await writeBwfFile(f, { ixml: { note: 'x'.repeat(500) } }, { out: join(dir, 'missing-dir', 'out.wav') });
    expect(c.mode).toBe('failed');
    expect(c.diagnostics.map((d) => d.code)).toContain('bwf/write-failed');
    expect(readFileSync(f).equals(before)).toBe(true);
    expect((await writeBwfFile(f, {})).mode).toBe('unchanged');
  });
});

describe('RF64 output read by ffprobe and mediainfo', () => {
  test('a RIFF rewritten as RF64 (threshold lowered to 0): JUNK became ds64, sizes and bext as the independent readers see them', async () => {
    const { createBwf } = await import('../../src/formats/bwf/create.js');
    const { writeBwfFile } = await import('../../src/node.js');
    const { readBwfSync } = await import('../../src/formats/bwf/read.js');
    const f = join(tmp, 'to-rf64.wav');
    writeFileSync(f, createBwf({ sampleRate: 48000, bitsPerSample: 24, channels: [new Int32Array(48000), new Int32Array(48000)] }).value);
    const r = await writeBwfFile(f, { bext: { originator: 'rf64 test', timeReference: 172_800_000n } }, { forceRewrite: true, rf64Threshold: 0 });
    expect(r.mode).toBe('rewrite');
    const bytes = new Uint8Array(readFileSync(f));
    const read = readBwfSync(bytes);
    if (!read.ok) throw new Error('read');
    expect(read.value.layout.form).toBe('RF64');
    expect(read.value.chunks[0]).toMatchObject({ id: 'ds64', offset: 12, size: 28 });
    expect(read.value.layout.ds64).toMatchObject({ riffSize: BigInt(bytes.length - 8), dataSize: 288000n, sampleCount: 48000n });
    if (HAVE_FFPROBE) {
      const { tags, stream } = ffprobe(f);
      expect(stream.duration_ts).toBe(48000);
      expect([tags.encoded_by, tags.time_reference]).toEqual(['rf64 test', '172800000']);
    }
    if (HAVE_MEDIAINFO) expect(mediainfo(f).audio.SamplingCount).toBe('48000');
  });
});

/** ffprobe's chapters (one per cue point: start in samples at 1/sample-rate, title from `labl`). */
function ffprobeChapters(path: string): { start: number; title?: string }[] {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_chapters', '-of', 'json', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe failed on ${path}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { chapters: { start: number; time_base: string; tags?: { title?: string } }[] };
  return j.chapters.map((c) => ({ start: c.start, ...(c.tags?.title !== undefined ? { title: c.tags.title } : {}) }));
}

describe('dubstage bwf set --marker / --clear-markers', () => {
  /** 2 s of silence at 48 kHz, starting at 01:00:00:00 at 25 fps (TimeReference 172 800 000). */
  async function take(name: string): Promise<string> {
    const { createBwf } = await import('../../src/formats/bwf/create.js');
    const f = join(tmp, name);
    writeFileSync(f, createBwf({ sampleRate: 48000, bitsPerSample: 24, channels: [new Int32Array(96000)], bext: { timeReference: 172_800_000n }, ixml: { scene: '1' } }).value);
    return f;
  }

  test('samples and timecode markers with labels: ffprobe chapters and the cue/adtl bytes say the same', async () => {
    const f = await take('markers.wav');
    const r = await runCli(['bwf', 'set', f, '--marker', '24000:Slate', '--marker', '01:00:01:12:Clap: take 2', '--marker=90000', '--rate', '25', '--json']);
    expect(r.status).toBe(0);
    // 01:00:01:12 at 25 fps is 1 s + 12 frames = 1.48 s after the 01:00:00:00 start: 71 040 samples at 48 kHz.
    const expected = [
      { start: 24000, title: 'Slate' },
      { start: 71040, title: 'Clap: take 2' },
      { start: 90000 },
    ];
    expect(JSON.parse(r.stdout).markers).toEqual([
      { id: 1, position: 24000, label: 'Slate' },
      { id: 2, position: 71040, label: 'Clap: take 2' },
      { id: 3, position: 90000 },
    ]);
    if (HAVE_FFPROBE) expect(ffprobeChapters(f)).toEqual(expected);
    // Byte level, BWF digest §7: `cue ` = u32 count, then 24-byte points (dwName, dwPosition,
    // fccChunk 'data', dwChunkStart, dwBlockStart, dwSampleOffset); LIST 'adtl' holds `labl`
    // sub-chunks (u32 cue id + NUL-terminated text, padded to even size).
    const bytes = readFileSync(f);
    const cue = bytes.indexOf('cue ');
    expect(cue).toBeGreaterThan(0);
    expect(bytes.readUInt32LE(cue + 4)).toBe(4 + 3 * 24);
    expect(bytes.readUInt32LE(cue + 8)).toBe(3);
    const points = [0, 1, 2].map((i) => {
      const o = cue + 12 + 24 * i;
      return [bytes.readUInt32LE(o), bytes.readUInt32LE(o + 4), bytes.toString('latin1', o + 8, o + 12), bytes.readUInt32LE(o + 12), bytes.readUInt32LE(o + 16), bytes.readUInt32LE(o + 20)];
    });
    expect(points).toEqual([
      [1, 24000, 'data', 0, 0, 24000],
      [2, 71040, 'data', 0, 0, 71040],
      [3, 90000, 'data', 0, 0, 90000],
    ]);
    const list = cue + 8 + 76;
    expect(bytes.toString('latin1', list, list + 4)).toBe('LIST');
    expect(bytes.toString('latin1', list + 8, list + 12)).toBe('adtl');
    expect(bytes.toString('latin1', list + 12, list + 16)).toBe('labl');
    expect(bytes.readUInt32LE(list + 16)).toBe(4 + 'Slate'.length + 1);
    expect(bytes.readUInt32LE(list + 20)).toBe(1);
    expect(bytes.toString('latin1', list + 24, list + 30)).toBe('Slate\0');
    // The audio is where it was: ffprobe still counts 96 000 frames.
    if (HAVE_FFPROBE) expect(ffprobe(f).stream.duration_ts).toBe(96000);
  });

  test('--marker adds to the markers already there (next cue id); --clear-markers removes cue and adtl', async () => {
    const f = await take('add.wav');
    expect((await runCli(['bwf', 'set', f, '--marker', '100:first'])).status).toBe(0);
    const r = await runCli(['bwf', 'set', f, '--marker', '200:second', '--json']);
    expect(JSON.parse(r.stdout).markers).toEqual([
      { id: 1, position: 100, label: 'first' },
      { id: 2, position: 200, label: 'second' },
    ]);
    if (HAVE_FFPROBE) expect(ffprobeChapters(f)).toEqual([{ start: 100, title: 'first' }, { start: 200, title: 'second' }]);
    const replaced = await runCli(['bwf', 'set', f, '--clear-markers', '--marker', '300:only']);
    expect(replaced.status).toBe(0);
    if (HAVE_FFPROBE) expect(ffprobeChapters(f)).toEqual([{ start: 300, title: 'only' }]);
    expect((await runCli(['bwf', 'set', f, '--clear-markers'])).status).toBe(0);
    const shown = JSON.parse((await runCli(['bwf', f, '--json'])).stdout);
    expect(shown.markers).toEqual([]);
    expect(shown.chunks.map((c: { id: string }) => c.id)).not.toContain('cue ');
    if (HAVE_FFPROBE) expect(ffprobeChapters(f)).toEqual([]);
  });

  test('a marker before the start or past the end: exit 1, file untouched; a malformed one: exit 2', async () => {
    const f = await take('refused.wav');
    const before = readFileSync(f);
    const early = await runCli(['bwf', 'set', f, '--marker', '00:59:59:00', '--rate', '25']);
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('bwf/bad-marker');
    const late = await runCli(['bwf', 'set', f, '--marker', '96001:too late']);
    expect(late.status).toBe(1);
    expect(late.stderr).toContain('past the end');
    expect(readFileSync(f).equals(before)).toBe(true);
    expect((await runCli(['bwf', 'set', f, '--marker', 'soon'])).status).toBe(2);
    expect((await runCli(['bwf', 'set', f, '--marker'])).status).toBe(2);
  });
});

describe.skipIf(files.length === 0)('dubstage bwf set --marker on a corpus file with markers', () => {
  test('the iZotope RX cues are kept (ffprobe: 1000, 5000, 10000 as before) and one is added', async () => {
    const f = join(tmp, 'rx.wav');
    copyFileSync(pick('wavinfo__izotoperx_cues_test.wav'), f);
    const before = HAVE_FFPROBE ? ffprobeChapters(f) : [];
    const r = await runCli(['bwf', 'set', f, '--marker', '20000:added', '--json']);
    expect(r.status).toBe(0);
    const shown = JSON.parse((await runCli(['bwf', f, '--json'])).stdout);
    expect(shown.markers.map((m: { label: string }) => m.label)).toEqual(['Marker 1', 'Marker 2', 'Marker 3', 'added']);
    if (HAVE_FFPROBE) {
      expect(before.map((c) => c.start)).toEqual([1000, 5000, 10000]);
      expect(ffprobeChapters(f).map((c) => c.start)).toEqual([1000, 5000, 10000, 20000]);
    }
  });
});
