// `dubstage conform diff` and `dubstage conform apply` (spec/conform.md §11) through the CLI, on
// the spec's worked examples (§8 fixture, §9 examples). Every expected number is the spec's: map
// entries, rows, anchors, totals, LFOA labels and region positions from §9's tables, the table
// layout from §6.3, exit statuses from §11. The bundled session (examples/conform/session.json)
// is the §8 fixture starting at picture start 00:59:52:00, so spec frame r is session sample
// 2000 × (r + 192) there.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readTimeline } from '../../src/formats/registry.js';
import { unwrap } from '../../src/diagnostics/result.js';
import { createBwf } from '../../src/formats/bwf/create.js';
import { runCli } from '../helpers/cli.js';

const EX = join(__dirname, '../../examples/conform');
const V1 = join(EX, 'v1.edl');
const V2_EX9 = join(EX, 'v2.edl');
const SESSION = join(EX, 'session.json');
const dir = mkdtempSync(join(tmpdir(), 'conform-sub-'));

/** Writes an EDL (events as the spec lists them) and returns its path. */
function edlFile(name: string, events: string, fcm = 'NON-DROP FRAME'): string {
  const path = join(dir, `${name}.edl`);
  writeFileSync(path, `TITLE: ${name}\nFCM: ${fcm}\n${events}`);
  return path;
}

// §9 new cuts.
const EX1 = edlFile('ex1', `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  C001  V  C  12:00:00:00 12:00:05:00 01:00:04:00 01:00:09:00
003  B001  V  C  11:00:10:00 11:00:13:00 01:00:09:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
const EX2 = edlFile('ex2', `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:12 11:00:13:00 01:00:04:00 01:00:06:12
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:06:12 01:00:11:12
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:11:12 01:00:13:12
`);
const EX4_LIFT = edlFile('ex4lift', `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
const EX5 = edlFile('ex5', `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  E001  V  C  14:00:00:00 14:00:02:00 01:00:07:00 01:00:09:00
004  C001  V  C  12:00:00:00 12:00:05:00 01:00:09:00 01:00:14:00
005  D001  V  C  13:00:02:00 13:00:04:00 01:00:14:00 01:00:16:00
`);
const EX7A = edlFile('ex7a', `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
005  B001  V  C  11:00:10:00 11:00:11:12 01:00:14:00 01:00:15:12
`);
// Example 8: the old cut with a centred 24-frame dissolve, and 8a's 48-frame one.
const EX8_OLD = edlFile('ex8old', `001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:12:12 01:00:04:00 01:00:06:12
003  B001  V  C        11:00:12:12 11:00:12:12 01:00:06:12 01:00:06:12
003  C001  V  D    024 11:59:59:12 12:00:05:00 01:00:06:12 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
const EX8A = edlFile('ex8a', `001  A001  V  C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C        11:00:10:00 11:00:12:00 01:00:04:00 01:00:06:00
003  B001  V  C        11:00:12:00 11:00:12:00 01:00:06:00 01:00:06:00
003  C001  V  D    048 11:59:59:00 12:00:05:00 01:00:06:00 01:00:12:00
004  D001  V  C        13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`);
// Example 10 (29.97 DF).
const EX10_OLD = edlFile('ex10old', `001  A001  V  C  10:00:00;00 10:00:05;00 01:00:55;00 01:01:00;02
002  B001  V  C  11:00:00;00 11:00:10;00 01:01:00;02 01:01:10;02
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:10;02 01:01:14;02
`, 'DROP FRAME');
const EX10_NEW = edlFile('ex10new', `001  A001  V  C  10:00:00;00 10:00:04;20 01:00:55;00 01:00:59;20
002  B001  V  C  11:00:00;00 11:00:10;00 01:00:59;20 01:01:09;22
003  C001  V  C  12:00:00;00 12:00:04;00 01:01:09;22 01:01:13;22
`, 'DROP FRAME');

/** Rows of a JSON report as `[type, key, anchor, length, runningTotal]`. */
const rowsOf = (report: { rows: { type: string; key: string; anchor: string; length: number; runningTotal: number }[] }) =>
  report.rows.map((r) => [r.type, r.key, r.anchor, r.length, r.runningTotal]);
/** Map entries as `[kind, newFrames, oldFrames, delta]` (frames relative to each side's ffoa, §6.2). */
const mapOf = (report: { map: { kind: string; newFrames: number[]; oldFrames: number[] | null; delta: number | null }[] }) =>
  report.map.map((e) => [e.kind, e.newFrames, e.oldFrames, e.delta]);

describe('conform diff', () => {
  test('Example 9: the §6.3 table, exit 1 (changes found)', async () => {
    const r = await runCli(['conform', 'diff', V1, V2_EX9, '--fps', '24', '--picture-start', '00:59:52:00']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    // spec §6.3, without the sample-rate column (a diff has no session)
    expect(r.stdout.split('\n')).toEqual([
      'CONFORM  v1 -> v2     24 fps NDF',
      'OLD  FFOA 01:00:00:00  LFOA 01:00:13:23 (0032+15)  336 fr',
      'NEW  FFOA 01:00:00:00  LFOA 01:00:14:11 (0033+11)  348 fr      TOTAL CHANGE +12 fr (+0s12f)',
      '',
      '  #  TYPE        SHOT   AT (NEW)     LEN   OLD IN       OLD OUT      NEW IN       NEW OUT      TOTAL',
      '  1  TRIM_TAIL   A001   01:00:03:12  -12   01:00:03:12  01:00:04:00  -            -            -12',
      '  2  INSERT      E001   01:00:11:12  +24   -            -            01:00:11:12  01:00:12:12  +12',
      'SHIFTED: B001 -12, C001 -12, D001 +12',
      '',
    ]);
  });

  test('Example 9 --json: map, rows, anchors and LFOA of §9 and §6.2', async () => {
    const r = await runCli(['conform', 'diff', V1, V2_EX9, '--rate', '24', '--picture-start', '00:59:52:00', '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.schema).toBe('dubstage.conform.report/1');
    expect(mapOf(j)).toEqual([
      ['match', [0, 84], [0, 84], 0], ['match', [84, 276], [96, 288], -12], ['insert', [276, 300], null, null], ['match', [300, 348], [288, 336], 12],
    ]);
    expect(rowsOf(j)).toEqual([['TRIM_TAIL', 'A001', '01:00:03:12', -12, -12], ['INSERT', 'E001', '01:00:11:12', 24, 12]]);
    expect(j.new).toMatchObject({ lfoa: '01:00:14:11', lfoaFeet: '0033+11', lengthFrames: 348 });
    expect(j).toMatchObject({ totalChangeFrames: 12, headDelta: 0, tailDelta: 12, regions: [] });
  });

  test('the same cut twice: no rows, exit 0 (I6)', async () => {
    const r = await runCli(['conform', 'diff', V1, V1, '--fps', '24', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rows).toEqual([]);
    expect(mapOf(j)).toEqual([['match', [0, 336], [0, 336], 0]]);
  });

  test('Example 1 (B and C swap): B moved, C shifted −72', async () => {
    const j = JSON.parse((await runCli(['conform', 'diff', V1, EX1, '--fps', '24', '--json'])).stdout);
    expect(mapOf(j)).toEqual([
      ['match', [0, 96], [0, 96], 0], ['match', [96, 216], [168, 288], -72], ['match', [216, 288], [96, 168], 120], ['match', [288, 336], [288, 336], 0],
    ]);
    expect(rowsOf(j)).toEqual([['MOVE_FROM', 'B001', '01:00:04:00', -72, -72], ['MOVE_TO', 'B001', '01:00:09:00', 72, 0]]);
    expect(j.shifted).toEqual([{ key: 'C001', delta: -72 }]);
  });

  test('Example 4, lift variant: DELETE and GAP_OPEN grouped as a LIFT, total 0', async () => {
    const r = await runCli(['conform', 'diff', V1, EX4_LIFT, '--fps', '24', '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(mapOf(j)).toEqual([['match', [0, 96], [0, 96], 0], ['gap', [96, 168], null, null], ['match', [168, 336], [168, 336], 0]]);
    expect(rowsOf(j)).toEqual([['DELETE', 'B001', '01:00:04:00', -72, -72], ['GAP_OPEN', 'BL', '01:00:04:00', 72, 0]]);
    expect(j.rows.map((x: { group: string }) => x.group)).toEqual(['LIFT', 'LIFT']);
  });

  test('Example 7a (reprise of B): one COPY row, tailDelta +36', async () => {
    const j = JSON.parse((await runCli(['conform', 'diff', V1, EX7A, '--fps', '24', '--json'])).stdout);
    expect(rowsOf(j)).toEqual([['COPY', 'B001', '01:00:14:00', 36, 36]]);
    expect(j.map[1]).toMatchObject({ kind: 'match', newFrames: [336, 372], oldFrames: [96, 132], delta: 240, role: 'copy' });
    expect(j.tailDelta).toBe(36);
    expect(j.new.lfoa).toBe('01:00:15:11');
  });

  test('Example 8a: a longer centred dissolve is no length change; --transition start reads it literally', async () => {
    const centre = await runCli(['conform', 'diff', EX8_OLD, EX8A, '--fps', '24', '--json']);
    expect(centre.status).toBe(1); // the transition changed, which is a change
    const j = JSON.parse(centre.stdout);
    expect(mapOf(j)).toEqual([['match', [0, 336], [0, 336], 0]]);
    expect(j.rows.map((x: { type: string; anchor: string; length: number; detail: string }) => [x.type, x.anchor, x.length, x.detail])).toEqual([['TRANSITION_CHANGED', '01:00:07:00', 0, 'D024 -> D048']]);
    const start = JSON.parse((await runCli(['conform', 'diff', EX8_OLD, EX8A, '--fps', '24', '--transition', 'start', '--json'])).stdout);
    // the negative test of Example 8a: TRIM_TAIL B001 −12 and EXTEND_HEAD C001 +12 at 01:00:06:00
    expect(rowsOf(start).filter((x) => x[3] !== 0)).toEqual([['TRIM_TAIL', 'B001', '01:00:06:00', -12, -12], ['EXTEND_HEAD', 'C001', '01:00:06:00', 12, 0]]);
  });

  test('Example 10 (29.97 DF, --fps 29.97 --df): TRIM_TAIL at 01:00:59;20, not the naive 01:00:59;22', async () => {
    const r = await runCli(['conform', 'diff', EX10_OLD, EX10_NEW, '--fps', '29.97', '--df', '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(rowsOf(j)).toEqual([['TRIM_TAIL', 'A001', '01:00:59;20', -10, -10]]);
    expect(j.rows[0].old).toEqual(['01:00:59;20', '01:01:00;02']);
    expect(j.old.lfoa).toBe('01:01:14;01');
    expect(j.new.lfoa).toBe('01:01:13;21');
    expect(j.rate).toEqual({ num: 30000, den: 1001, nominal: 30, dropFrame: true });
    // entries relative to each ffoa (01:00:55;00 on both sides, r 1650): [1650,1790) δ0 · [1790,2210)←[1800,2220) δ−10
    expect(mapOf(j)).toEqual([['match', [0, 140], [0, 140], 0], ['match', [140, 560], [150, 570], -10]]);
  });

  test('--vfx-pattern: a new VFX version is the same shot (spec §2.2), flagged VFX_VERSION_CHANGED', async () => {
    const old = edlFile('vfx1', V1_BODY.replace('B001', 'B001_v1'));
    const nu = edlFile('vfx2', V1_BODY.replace('B001', 'B001_v3'));
    const plain = JSON.parse((await runCli(['conform', 'diff', old, nu, '--fps', '24', '--json'])).stdout);
    expect(rowsOf(plain)).toEqual([['DELETE', 'B001_v1', '01:00:04:00', -72, -72], ['INSERT', 'B001_v3', '01:00:04:00', 72, 0]]);
    const r = await runCli(['conform', 'diff', old, nu, '--fps', '24', '--vfx-pattern', '_v[0-9]+$', '--json']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(mapOf(j)).toEqual([['match', [0, 336], [0, 336], 0]]);
    expect(j.rows.map((x: { type: string; detail: string }) => [x.type, x.detail])).toEqual([['VFX_VERSION_CHANGED', 'B001_v1 -> B001_v3']]);
  });

  test('input and usage errors exit 2 (1 means "changes found")', async () => {
    const missing = await runCli(['conform', 'diff', V1, join(dir, 'nope.edl'), '--fps', '24']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.edl');
    const noRate = await runCli(['conform', 'diff', V1, V2_EX9]);
    expect(noRate.status).toBe(2);
    expect(noRate.stderr).toContain('--rate is required');
    expect((await runCli(['conform', 'diff', V1, V2_EX9, '--fps', '24', '--df'])).stderr).toContain('drop-frame exists only at 29.97 and 59.94');
    expect((await runCli(['conform', 'diff', V1, V2_EX9, '--fps', '24', '--json', '--table'])).status).toBe(2);
    expect((await runCli(['conform', 'diff', V1, V2_EX9, '--fps', '24', '--vfx-pattern', '('])).stderr).toContain('--vfx-pattern (');
    expect((await runCli(['conform', 'diff', V1, '--fps', '24'])).stderr).toContain('expected OLD_CUT and NEW_CUT');
  });

  test('help for each subcommand: usage, examples and its own exit statuses', async () => {
    const d = await runCli(['conform', 'diff', '--help']);
    expect(d.status).toBe(0);
    expect(d.stdout).toMatch(/^usage: dubstage conform diff OLD_CUT NEW_CUT/);
    expect(d.stdout).toContain('examples:');
    expect(d.stdout).toContain('Exit status: 0 no changes, 1 changes found, 2 usage error or unreadable input.');
    const a = await runCli(['conform', 'apply', '--help']);
    expect(a.stdout).toMatch(/^usage: dubstage conform apply --old OLD_CUT/);
    expect(a.stdout).toContain('--guide-start TC');
    expect(a.stdout).toContain('Exit status: 0 conformed, 1 invalid input, 2 usage error, 3 invariant violated (--verify).');
  });
});

const V1_BODY = readFileSync(V1, 'utf8').split('\n').slice(2).join('\n');

/** Clips of a written session track as `[name, spec frame r of start, file offset in frames]`. */
function clips(path: string, track: string): (string | number)[][] | undefined {
  const t = unwrap(readTimeline(readFileSync(path), { fileName: path }));
  return t.tracks.find((x) => x.name === track)?.clips.map((c) => [c.name, Number(c.start.toSamples(48000, 'floor')) / 2000 - 192, Number(c.sourceStart.toSamples(48000, 'floor')) / 2000]);
}

describe('conform apply', () => {
  test('Example 1 through --session/--out: every region of the §9 table, --verify holds', async () => {
    const out = join(dir, 'ex1.json');
    const r = await runCli(['conform', 'apply', '--old', V1, '--new', EX1, '--session', SESSION, '--out', out, '--fps', '24', '--verify']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('verify: I1 I2 I3 I4 I5 I6 I10 I11 I12 I13 hold\n');
    expect(clips(out, 'DX1')).toEqual([['dlgA', 10, 0], ['dlgB', 220, 0]]);
    expect(clips(out, 'DX2')).toEqual([['dlgC', 98, 0]]);
    expect(clips(out, 'FX1')).toEqual([['fxAB.c1', 80, 0], ['fxAB.c2', 216, 16], ['fxD', 290, 0]]);
    expect(clips(out, 'MX1')).toEqual([['music.c1', 0, 0], ['music.c2', 96, 168], ['music.c3', 216, 96], ['music.c4', 288, 288]]);
    expect(clips(out, 'PFX')).toEqual([['pop2', -48, 0], ['tailpop', 383, 0]]);
  });

  test('Example 2 with --removed list: no removed lanes, the removed pieces only in the report', async () => {
    const out = join(dir, 'ex2.json');
    const report = join(dir, 'ex2-report.json');
    const r = await runCli(['conform', 'apply', '--old', V1, '--new', EX2, '--session', SESSION, '--out', out, '--rate', '24', '--removed', 'list', '--report', report]);
    expect(r.status).toBe(0);
    expect(clips(out, 'DX1')).toEqual([['dlgA', 10, 0], ['dlgB', 96, 8]]);
    expect(clips(out, 'DX2')).toEqual([['dlgC', 158, 0]]);
    expect(clips(out, 'FX1')).toEqual([['fxAB.c1', 80, 0], ['fxAB.c2', 96, 28], ['fxD', 278, 0]]);
    expect(clips(out, 'MX1')).toEqual([['music.c1', 0, 0], ['music.c2', 96, 108]]);
    expect(clips(out, 'PFX')).toEqual([['pop2', -48, 0], ['tailpop', 371, 0]]);
    expect(readFileSync(out, 'utf8')).not.toContain('(conform removed)');
    const j = JSON.parse(readFileSync(report, 'utf8'));
    // removed (row 1): dlgB old [100,108) file +0, fxAB old [96,108) file +16, music old [96,108) file +96
    const removed = j.regions.flatMap((x: { name: string; removed: { oldStart: number; oldEnd: number; fileOffset: number; rowId: number; lane: string | null }[] }) =>
      x.removed.map((p) => [x.name, p.oldStart / 2000 - 192, p.oldEnd / 2000 - 192, p.fileOffset / 2000, p.rowId, p.lane]));
    expect(removed).toEqual([['dlgB', 100, 108, 0, 1, null], ['fxAB', 96, 108, 16, 1, null], ['music', 96, 108, 96, 1, null]]);
  });

  test('Example 2 with --edit-points crossfade --edit-length 2: the FX1 crossfade over new r[95,97)', async () => {
    const out = join(dir, 'ex2x.json');
    const r = await runCli(['conform', 'apply', '--old', V1, '--new', EX2, '--session', SESSION, '--out', out, '--fps', '24', '--edit-points', 'crossfade', '--edit-length', '2', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    // spec: fxAB.c1 extends 1 frame, fxAB.c2 back 1 frame, crossfade over new r[95,97) = 4000 samples at r96
    expect(j.treatments.filter((t: { track: string; kind: string }) => t.track === 'FX1' && t.kind === 'crossfade'))
      .toEqual([{ kind: 'crossfade', track: 'FX1', at: (96 + 192) * 2000, lengthSamples: 4000, extendA: 2000, extendB: 2000 }]);
    expect(clips(out, 'FX1')).toEqual([['fxAB.c1', 80, 0], ['fxAB.c2', 96, 28], ['fxD', 278, 0]]); // core pieces unchanged
  });

  test('--exclude-track (repeatable, globs) copies those tracks verbatim', async () => {
    const out = join(dir, 'ex9x.json');
    const r = await runCli(['conform', 'apply', '--old', V1, '--new', V2_EX9, '--session', SESSION, '--out', out, '--fps', '24', '--exclude-track', 'MX*', '--exclude-track', 'P?X']);
    expect(r.status).toBe(0);
    expect(clips(out, 'MX1')).toEqual([['music', 0, 0]]);
    expect(clips(out, 'PFX')).toEqual([['pop2', -48, 0], ['tailpop', 383, 0]]);
    expect(clips(out, 'DX1')).toEqual([['dlgA', 10, 0], ['dlgB', 88, 0]]); // Example 9's table
    expect(clips(out, 'MX1 (conform removed) 1')).toBeUndefined();
  });

  test('Example 5 with --guide: the guide fills the inserted E001 on CONFORM GUIDE', async () => {
    const wav = join(dir, 'guide.wav');
    // a 20 s guide mix of the new cut whose first sample is at 00:59:52:00: BWF time reference
    // (59·60 + 52) s × 48000 = 172,416,000 samples since midnight
    const made = createBwf({ sampleRate: 48000, bitsPerSample: 16, channels: [new Int32Array(20 * 48000)], bext: { timeReference: 172_416_000n } });
    writeFileSync(wav, made.value);
    const out = join(dir, 'ex5.json');
    const r = await runCli(['conform', 'apply', '--old', V1, '--new', EX5, '--session', SESSION, '--out', out, '--fps', '24', '--guide', wav, '--guide-ranges', 'insert']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // spec Example 5: insert [168,216); fileOffset = S(n0) − S(guide start) = (168 + 192) frames
    expect(clips(out, 'CONFORM GUIDE')).toEqual([['guide.wav', 168, 168 + 192]]);
    const t = unwrap(readTimeline(readFileSync(out), { fileName: out }));
    const g = t.tracks.find((x) => x.name === 'CONFORM GUIDE')?.clips[0];
    expect(Number(g?.duration.toSamples(48000, 'floor'))).toBe(96_000); // samples [336000, 432000) of the spec: 48 frames
    expect(t.media.find((m) => m.id === g?.media?.mediaId)?.name).toBe('guide.wav');
    expect(clips(out, 'DX2')).toEqual([['dlgC', 218, 0]]); // Example 5's table

    // --guide-start overrides the time reference; a guide too short for the range is reported
    const short = join(dir, 'short.wav');
    writeFileSync(short, createBwf({ sampleRate: 48000, bitsPerSample: 16, channels: [new Int32Array(48000)] }).value);
    const s = await runCli(['conform', 'apply', '--old', V1, '--new', EX5, '--session', SESSION, '--out', join(dir, 'ex5s.json'), '--fps', '24', '--guide', short, '--guide-start', '01:00:07:00']);
    expect(s.status).toBe(0);
    expect(clips(join(dir, 'ex5s.json'), 'CONFORM GUIDE')).toEqual([['short.wav', 168, 0]]);
    expect(s.stderr).toContain('conform/guide-short');
  });

  test('apply errors: unreadable session exits 1; the session twice, or --guide-start alone, is a usage error', async () => {
    const bad = await runCli(['conform', 'apply', '--old', V1, '--new', V2_EX9, '--session', join(dir, 'none.json'), '--out', join(dir, 'x.json'), '--fps', '24']);
    expect(bad.status).toBe(1);
    const twice = await runCli(['conform', 'apply', '--old', V1, '--new', V2_EX9, '--session', SESSION, SESSION, '--out', join(dir, 'x.json'), '--fps', '24']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain('give the session once');
    const lone = await runCli(['conform', 'apply', '--old', V1, '--new', V2_EX9, '--session', SESSION, '--out', join(dir, 'x.json'), '--fps', '24', '--guide-start', '01:00:00:00']);
    expect(lone.status).toBe(2);
    expect(lone.stderr).toContain('--guide-start and --guide-ranges need --guide');
  });
});
