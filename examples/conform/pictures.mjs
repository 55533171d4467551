// Draws the conform pictures of docs/conform.md (docs/img/conform-*.svg) with dubstage's own
// report code (renderSvg), from the bundled example and three of spec/conform.md's worked
// examples on the same fixture. Run after a build: `npx tsup && node examples/conform/pictures.mjs`.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { conform, FrameRate, readTimeline } from '../../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../docs/img');
mkdirSync(out, { recursive: true });
const rate = FrameRate.FPS_24;
const header = 'TITLE: V\nFCM: NON-DROP FRAME\n';
const cut = (text, name) => {
  const r = conform.cutFromEdl(text.startsWith('TITLE') ? text : header + text, { rate, name, pictureStart: '00:59:52:00' });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
};
const v1 = cut(readFileSync(join(here, 'v1.edl'), 'utf8'), 'v1');
const timeline = readTimeline(readFileSync(join(here, 'session.json')), { fileName: 'session.json' });
if (!timeline.ok) throw new Error(timeline.diagnostics[0].message);
const session = conform.sessionFromTimeline(timeline.value);

const pictures = {
  // spec Example 9: A001 loses 12 frames, E001 is inserted between C001 and D001
  'conform-example9': readFileSync(join(here, 'v2.edl'), 'utf8'),
  // spec Example 1: B001 and C001 swap (B moves, C shifts)
  'conform-move': `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  C001  V  C  12:00:00:00 12:00:05:00 01:00:04:00 01:00:09:00
003  B001  V  C  11:00:10:00 11:00:13:00 01:00:09:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`,
  // spec Example 4, lift variant: B001 removed, black left in its place
  'conform-lift': `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
`,
  // spec Example 7a: the first 36 frames of B001 reused after D001 (a copy)
  'conform-copy': `001  A001  V  C  10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  B001  V  C  11:00:10:00 11:00:13:00 01:00:04:00 01:00:07:00
003  C001  V  C  12:00:00:00 12:00:05:00 01:00:07:00 01:00:12:00
004  D001  V  C  13:00:02:00 13:00:04:00 01:00:12:00 01:00:14:00
005  B001  V  C  11:00:10:00 11:00:11:12 01:00:14:00 01:00:15:12
`,
};
for (const [name, text] of Object.entries(pictures)) {
  const r = conform.conform(v1, cut(text, 'v2'), session);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  writeFileSync(join(out, `${name}.svg`), conform.renderSvg(r.value));
  console.log(`docs/img/${name}.svg`);
}
