import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { write as writeJson } from '../../src/formats/json/write.js';
import { createClip, createTimeline, createTrack } from '../../src/model/build.js';
import { FrameRate } from '../../src/time/frame-rate.js';
import { RationalTime } from '../../src/time/rational-time.js';
import { runCli } from '../helpers/cli.js';
import { corpusFiles } from '../helpers/corpus.js';

const enabled = corpusFiles('otio', (n) => n === 'otio-cmx3600__enabled.otio')[0];
const dir = mkdtempSync(join(tmpdir(), 'dubstage-cli-'));

describe.skipIf(!enabled)('dubstage inspect', () => {
  test('summarizes an OTIO file', async () => {
    // EXPECTED.md (otio-cmx3600-adapter test_enabled): timeline enable_test, 2 tracks Track-001 (2 clips) and Track-002 (gap + 1 clip).
    const r = await runCli(['inspect', enabled as string]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('name:        enable_test');
    expect(r.stdout).toContain('OpenTimelineIO JSON (otio)');
    expect(r.stdout).toContain('tracks:      2');
    expect(r.stdout).toMatch(/"Track-001" 2 clips, 00:00:00:00 - 00:00:00:06/);
    expect(r.stdout).toMatch(/"Track-002" 2 clips/); // the named gap "Gap A" is kept as an item
  });

  test('--json prints dubstage JSON that reads back', async () => {
    const r = await runCli(['inspect', enabled as string, '--json']);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schema: 'dubstage.timeline', schemaVersion: 1, name: 'enable_test', frameRate: '24' });
    expect(doc.tracks[0].clips[1]).toMatchObject({ name: 'Clip-002', start: '1/8', sourceStart: '1/8', duration: '1/8' }); // 3 frames @24 = 1/8 s
  });
});

describe('dubstage inspect errors', () => {
  test('usage and unreadable input', async () => {
    expect((await runCli(['inspect'])).status).toBe(2);
    expect((await runCli(['inspect', 'x', '--format', 'nope'])).status).toBe(2);
    expect((await runCli(['inspect', join(dir, 'missing.otio')])).status).toBe(1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"schema": "dubstage.timeline", "schemaVersion": 1, "name": 3}');
    const r = await runCli(['inspect', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('json/invalid');
  });
});

describe('dubstage convert', () => {
  test.skipIf(!enabled)('otio → json → otio keeps the timeline', async () => {
    const json = join(dir, 'a.json');
    const otio = join(dir, 'a.otio');
    expect((await runCli(['convert', enabled as string, json])).status).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).schema).toBe('dubstage.timeline');
    const r = await runCli(['convert', json, otio]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const a = await runCli(['inspect', enabled as string, '--json']);
    const b = await runCli(['inspect', otio, '--json']);
    expect(b.stdout).toBe(a.stdout);
  });

  test('losses are listed; --strict writes nothing and exits 1', async () => {
    const f = (n: number) => RationalTime.fromFrames(n, FrameRate.FPS_25);
    const t = createTimeline({
      frameRate: FrameRate.FPS_25,
      tracks: [createTrack({ kind: 'audio', name: 'A1', clips: [createClip({ name: 'a', start: f(0), duration: f(10) }), createClip({ name: 'b', start: f(5), duration: f(10) })] })],
    });
    const src = join(dir, 'overlap.json');
    writeFileSync(src, writeJson(t).value);
    const strictOut = join(dir, 'strict.otio');
    const s = await runCli(['convert', src, strictOut, '--strict']);
    expect(s.status).toBe(1);
    expect(s.stderr).toContain('otio/overlap-trimmed');
    expect(existsSync(strictOut)).toBe(false);
    const loose = join(dir, 'loose.otio');
    const l = await runCli(['convert', src, loose, '--json']);
    expect(l.status).toBe(0);
    expect(JSON.parse(l.stdout)).toMatchObject({ from: 'json', to: 'otio', written: true, losses: [{ code: 'otio/overlap-trimmed' }] });
    expect(existsSync(loose)).toBe(true);
  });

  test('usage errors', async () => {
    expect((await runCli(['convert', 'a'])).status).toBe(2);
    expect((await runCli(['convert', 'a', '-'])).status).toBe(2);
    expect((await runCli(['convert', 'a', 'b', '--to', 'nope'])).status).toBe(2);
  });
});
