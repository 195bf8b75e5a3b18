/**
 * A printed board (公开栏) shows what the page folds away on screen: the past deals and each township's
 * disclosures. Real Chromium on the real app with the demo data: with JavaScript off (CSS alone,
 * ::details-content) and with it on (app.js opens the folds on beforeprint and closes them after).
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, listenLocally } from '../helpers/browser';
import { seedDemo } from '../../seeds/seed';
import { createTestEnv, TestEnv } from '../helpers/context';

let env: TestEnv;
let server: Server;
let base = '';
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  await seedDemo(env.ctx); // the demo deal history: past deals for the fold
  ({ server, base } = await listenLocally(env.app));
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  server?.close();
  await env?.close();
});

async function boardPage(javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    javaScriptEnabled,
  });
  contexts.push(context);
  context.setDefaultTimeout(8000);
  const page = await context.newPage();
  await page.goto(`${base}/board`);
  return page;
}

/** How many of the fold's entries a reader sees (a closed <details> skips its content: not rendered). */
const visibleCount = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.filter((e) => e.checkVisibility()).length);

/** Pages of a PDF Chromium printed (each page is one /Type /Page object). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length;

describe('the printed board', () => {
  it('without JavaScript: the folded past deals and disclosures print, the screen keeps them folded', async () => {
    const page = await boardPage(false);
    const past = page.locator('details.past-fold');
    await expect(past.evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false);
    const entries = await page.locator('.past-list > li').count();
    expect(entries).toBeGreaterThan(0);
    const disclosures = await page.locator('details.disclosure').count();
    expect(disclosures).toBe(3);
    // on screen: folded
    expect(await visibleCount(page, '.past-list > li')).toBe(0);
    expect(await visibleCount(page, 'details.disclosure .disclosure-list')).toBe(0);

    const folded = await page.pdf({ format: 'A4' });
    await page.emulateMedia({ media: 'print' });
    expect(await visibleCount(page, '.past-list > li')).toBe(entries);
    expect(await visibleCount(page, 'details.disclosure .disclosure-list')).toBe(disclosures);
    expect(await page.locator('.past-list > li').first().innerText()).toContain('成交');
    // the summary still says what the list is, without the disclosure triangle
    expect(await past.locator('summary').isVisible()).toBe(true);
    expect(await past.locator('summary').evaluate((s) => getComputedStyle(s).listStyleType)).toBe('none');

    // page.pdf prints with the print media whatever is emulated: compare with the same page, its folds unmarked
    const printed = await page.pdf({ format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await page.locator('details.print-open').evaluateAll((els) => els.forEach((e) => e.classList.remove('print-open')));
    const unmarked = await page.pdf({ format: 'A4' });
    expect(pdfPages(printed)).toBe(pdfPages(folded));
    expect(pdfPages(printed)).toBeGreaterThan(pdfPages(unmarked));
    // still a closed fold after printing
    await expect(past.evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(false);
  });

  it('with JavaScript: beforeprint opens the closed folds, afterprint closes only those it opened', async () => {
    const page = await boardPage(true);
    await page.waitForLoadState('load');
    // a reader opened one disclosure by hand before printing
    const first = page.locator('details.disclosure').first();
    await first.locator('summary').click();
    await expect(first.evaluate((d) => (d as HTMLDetailsElement).open)).resolves.toBe(true);
    const open = () =>
      page.locator('details.print-open').evaluateAll((els) => els.map((d) => (d as HTMLDetailsElement).open));
    expect(await open()).toEqual([false, true, false, false]);

    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    expect(await open()).toEqual([true, true, true, true]);
    // open for real: visible even on screen, so any browser prints them
    expect(await visibleCount(page, '.past-list > li')).toBe(await page.locator('.past-list > li').count());

    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    expect(await open()).toEqual([false, true, false, false]);
    expect(await page.locator('details[data-print-opened]').count()).toBe(0);
  });
});
