import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { corpusFiles } from '../helpers/corpus.js';

const file = corpusFiles('aaf', (n) => n === 'libaaf__DR_Markers.aaf')[0];

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
});
