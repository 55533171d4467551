#!/usr/bin/env node
// Makes examples/data/premiere-cut.xml: a Final Cut Pro 7 XML (XMEML 5, the shape Premiere Pro
// exports) of the conform example's session, written by dubstage's own xmeml writer.
// Run after `npm run build`: node examples/data/make-premiere-xml.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTimeline, writeTimeline } from '../../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const session = readTimeline(readFileSync(join(here, '..', 'conform', 'session.json')), { fileName: 'session.json' });
if (!session.ok) throw new Error(session.diagnostics[0].message);
const out = writeTimeline({ ...session.value, name: 'Harbour Night – picture lock' }, 'xmeml');
for (const d of out.diagnostics) console.warn(`${d.severity} ${d.code}: ${d.message}`);
writeFileSync(join(here, 'premiere-cut.xml'), out.value);
console.log(`wrote ${join(here, 'premiere-cut.xml')}`);
