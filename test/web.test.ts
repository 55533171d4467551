import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.js';

// Issue 12: examples/web in a real browser. The page is served on localhost and driven in Debian's
// Chromium (headless, through playwright-core); it reads bundled example files with dubstage's
// ESM build and draws them. Expected counts are read off the example files themselves (quoted
// below). The screenshot is kept in test-artifacts/.

const CHROMIUM = process.env.DUBSTAGE_CHROMIUM ?? '/usr/bin/chromium';
const built = existsSync(join(REPO_ROOT, 'dist', 'index.js'));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set DUBSTAGE_CHROMIUM)`);

type Page = import('playwright-core').Page;
type Browser = import('playwright-core').Browser;

describe.skipIf(!built || !haveChromium)('examples/web in headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let url = '';
  const errors: string[] = [];

  beforeAll(async () => {
    const { buildWeb } = (await import(join(REPO_ROOT, 'examples/web/build.mjs'))) as { buildWeb: () => Promise<string> };
    const { serve } = (await import(join(REPO_ROOT, 'examples/web/serve.mjs'))) as { serve: (port: number) => Promise<Server> };
    await buildWeb();
    server = await serve(0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
  });

  test('draws the conform example session: 5 audio tracks, 8 clips, no markers', async () => {
    // examples/conform/session.json: tracks PFX (2 clips), DX1 (2), DX2 (1), FX1 (2), MX1 (1).
    await page.setInputFiles('#file', join(REPO_ROOT, 'examples/conform/session.json'));
    await page.waitForFunction(() => document.querySelector('#summary')?.textContent?.includes('session.json'));
    const tracks = await page.$$eval('[data-track]', (els) => els.map((e) => [e.getAttribute('data-track'), e.querySelectorAll('[data-clip]').length]));
    expect(tracks).toEqual([['PFX', 2], ['DX1', 2], ['DX2', 1], ['FX1', 2], ['MX1', 1]]);
    expect(await page.textContent('#summary')).toContain('5 tracks, 8 clips, 0 markers');
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'web-session.png'), fullPage: true });
  }, 60_000);

  test('reads an EDL at the chosen rate: 4 video events of examples/conform/v1.edl', async () => {
    // v1.edl: events 001–004 on V, record 01:00:00:00–01:00:14:00 (NON-DROP FRAME).
    await page.selectOption('#rate', '24');
    await page.setInputFiles('#file', join(REPO_ROOT, 'examples/conform/v1.edl'));
    await page.waitForFunction(() => document.querySelector('#summary')?.textContent?.includes('v1.edl'));
    const clips = await page.$$eval('[data-kind="video"] [data-clip]', (els) => els.length);
    expect(clips).toBe(4);
    expect(await page.textContent('#summary')).toContain('starts 01:00:00:00');
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'web-edl.png'), fullPage: true });
  }, 60_000);

  test('a broken file shows its diagnostics with their place, and the page keeps working', async () => {
    await page.setInputFiles('#file', { name: 'broken.edl', mimeType: 'text/plain', buffer: Buffer.from('TITLE: X\nFCM: NON-DROP FRAME\n001  A001  V  C  10:00:00:00 10:00:0x:00 01:00:00:00 01:00:04:00\n') });
    await page.waitForFunction(() => document.querySelector('#summary')?.textContent?.includes('broken.edl'));
    const items = await page.$$eval('#diagnostics li', (els) => els.map((e) => e.textContent ?? ''));
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((t) => /3:\d+/.test(t))).toBe(true); // line 3, with a column
    expect(errors).toEqual([]);
  }, 60_000);
});
