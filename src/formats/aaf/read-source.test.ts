import { describe, expect, test } from 'vitest';
import { readTimelineSync } from './read.js';
import { aafFormat } from './index.js';

// Diagnostics name the file they are about (DESIGN.md: every diagnostic carries its place), so a
// batch over many AAFs can say which file a problem is in.
describe('AAF diagnostics carry the source name', () => {
  // The compound-file signature (cfb.md §2: D0 CF 11 E0 A1 B1 1A E1) followed by nothing valid.
  const broken = new Uint8Array(600);
  broken.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

  test('readTimelineSync({ source }) names the file on every diagnostic', () => {
    const r = readTimelineSync(broken, { source: 'reel1.aaf' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.source).toBe('reel1.aaf');
  });

  test('the registry entry passes the source through', () => {
    const parse = aafFormat.parse;
    if (!parse) throw new Error('the AAF registry entry has no parser');
    const r = parse(broken, { source: 'reel2.aaf' });
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(d.source).toBe('reel2.aaf');
  });
});
