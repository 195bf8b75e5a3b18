/**
 * axe (@axe-core/playwright) on every HTML page of the app, in real Chromium, signed in as the role
 * each page is for: a phone (390 px) for the pages people read on the way, the hall's 1920 px screens
 * for the kiosk and the LED ticker, in Chinese and in English. Any violation fails, listed by rule and
 * element. The list of pages is checked against the router, so a new page must be added here.
 */
import type { Server } from 'node:http';
import { sql } from 'kysely';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, listenLocally } from '../helpers/browser';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestEnv, TestEnv } from '../helpers/context';
import { buildScene, makeWorld, Params, SceneName, World } from '../helpers/scenes';
import { fillPath, listPageRoutes } from '../helpers/security';

type Role = 'anon' | 'bidder' | 'staffA' | 'auditor' | 'admin';
interface PageCase {
  who: Role;
  scene: SceneName;
  /** the hall's screens are 1920 px wide */
  wide?: boolean;
  auction?: boolean;
}

const PAGES: Record<string, PageCase> = {
  'GET /': { who: 'anon', scene: 'none' },
  'GET /login': { who: 'anon', scene: 'none' },
  'GET /register': { who: 'anon', scene: 'none' },
  'GET /listings': { who: 'anon', scene: 'open' },
  'GET /listings/:id': { who: 'anon', scene: 'deposit' },
  'GET /listings/:id/result': { who: 'anon', scene: 'awarded' },
  'GET /listings/:id/auction': { who: 'anon', scene: 'open', auction: true },
  'GET /board': { who: 'anon', scene: 'awarded' },
  'GET /board/kiosk': { who: 'anon', scene: 'open', wide: true },
  'GET /board/ticker': { who: 'anon', scene: 'open', wide: true },
  'GET /stats': { who: 'anon', scene: 'awarded' },
  'GET /admin': { who: 'admin', scene: 'none' },
  'GET /admin/users': { who: 'admin', scene: 'none' },
  'GET /admin/townships': { who: 'admin', scene: 'none' },
  'GET /admin/townships/:id/rules': { who: 'admin', scene: 'none' },
  'GET /admin/calendar': { who: 'admin', scene: 'none' },
  'GET /bidder': { who: 'bidder', scene: 'none' },
  'GET /bidder/bids': { who: 'bidder', scene: 'awarded' },
  'GET /listings/:id/bid': { who: 'bidder', scene: 'deposit' },
  'GET /listings/:id/bid/receipt': { who: 'bidder', scene: 'open' },
  'GET /listings/:id/bid/withdraw': { who: 'bidder', scene: 'open' },
  'GET /inbox': { who: 'bidder', scene: 'none' },
  'GET /staff': { who: 'staffA', scene: 'closed' },
  'GET /staff/listings/new': { who: 'staffA', scene: 'none' },
  'GET /staff/hall': { who: 'staffA', scene: 'none' },
  'GET /staff/disclosures': { who: 'staffA', scene: 'none' },
  'GET /staff/listings/:id/edit': { who: 'staffA', scene: 'draft' },
  'GET /staff/listings/:id/publish': { who: 'staffA', scene: 'draft' },
  'GET /staff/listings/:id/registrations': { who: 'staffA', scene: 'deposit' },
  'GET /staff/listings/:id/opening': { who: 'staffA', scene: 'opened' },
  'GET /staff/listings/:id/auction': { who: 'staffA', scene: 'open', auction: true },
  'GET /staff/listings/:id/award': { who: 'staffA', scene: 'opened' },
  'GET /staff/listings/:id/objections': { who: 'staffA', scene: 'awarded' },
  'GET /staff/listings/:id/contract': { who: 'staffA', scene: 'awarded' },
  'GET /staff/listings/:id/refunds': { who: 'staffA', scene: 'awarded' },
  'GET /auditor': { who: 'auditor', scene: 'awarded' },
  'GET /auditor/verify': { who: 'auditor', scene: 'none' },
  'GET /auditor/listings/:id': { who: 'auditor', scene: 'awarded' },
  'GET /supervision': { who: 'auditor', scene: 'closed' },
};
/** Routes that answer something other than a page (files, JSON, CSV). */
const NOT_PAGES = [
  'GET /healthz',
  'GET /favicon.ico',
  'GET /robots.txt',
  'GET /listings/:id/documents/:docId',
  'GET /auditor/export.json',
  'GET /auditor/listings/:id/timeline.csv',
];

let env: TestEnv;
let world: World;
let server: Server;
let base = '';
let browser: Browser;
const contexts = new Map<string, BrowserContext>();

async function contextFor(who: Role, lang: 'zh' | 'en', wide: boolean): Promise<BrowserContext> {
  const key = `${who}-${lang}-${wide}`;
  let context = contexts.get(key);
  if (context) return context;
  context = await browser.newContext({
    locale: lang === 'zh' ? 'zh-CN' : 'en-US',
    extraHTTPHeaders: { 'Accept-Language': lang === 'zh' ? 'zh-CN' : 'en' },
    timezoneId: 'Asia/Shanghai',
    viewport: wide ? { width: 1920, height: 1080 } : { width: 390, height: 844 },
  });
  context.setDefaultTimeout(8000);
  if (who !== 'anon') {
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.locator('input[name=username]').fill(world.users[who].username);
    await page.locator('input[name=password]').fill(world.users[who].password);
    await page.locator('form[action="/login"] button[type=submit]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.close();
  }
  contexts.set(key, context);
  return context;
}

async function paramsFor(c: PageCase): Promise<Params> {
  const params = await buildScene(env.ctx, world, c.scene);
  if (c.auction) {
    await sql`UPDATE listings SET method = 'auction', increment = '500.00', extension_seconds = 300
              WHERE id = ${params.id}`.execute(env.ctx.db);
  }
  if (c.scene === 'none') params.id = world.a.id;
  return params;
}

beforeAll(async () => {
  env = await createTestEnv();
  world = await makeWorld(env.ctx);
  ({ server, base } = await listenLocally(env.app));
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts.values()) await c.close().catch(() => undefined);
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await env?.close();
});

it('knows every page of the app', () => {
  const routes = listPageRoutes(env.app)
    .filter((r) => r.method === 'GET')
    .map((r) => r.key);
  expect(routes.filter((k) => !PAGES[k] && !NOT_PAGES.includes(k))).toEqual([]);
  expect(Object.keys(PAGES).filter((k) => !routes.includes(k))).toEqual([]);
});

// pages for the public and for bidders in both languages; the staff desks in Chinese, the language they work in
describe.each(['zh', 'en'] as const)('axe finds nothing to fix (%s)', (lang) => {
  const keys = Object.keys(PAGES).filter((k) => lang === 'zh' || ['anon', 'bidder'].includes(PAGES[k].who));
  it.each(keys)('%s', async (key) => {
    const c = PAGES[key];
    const params = await paramsFor(c);
    const context = await contextFor(c.who, lang, c.wide ?? false);
    const page = await context.newPage();
    try {
      if (key === 'GET /listings/:id/bid/receipt' || key === 'GET /listings/:id/bid/withdraw') {
        await page.goto(`${base}/listings/${params.id}/bid`);
        await page.locator('input[name=amount]').fill('40000');
        await page.locator('form.stack button[type=submit]').click();
        await page.getByRole('button', { name: lang === 'zh' ? '确认提交' : 'Confirm and submit' }).click();
        await page.waitForURL(/\/bid\/receipt$/);
        if (key.endsWith('/withdraw')) await page.goto(`${base}/listings/${params.id}/bid/withdraw`);
      } else {
        const res = await page.goto(`${base}${fillPath(key.split(' ')[1], params)}`);
        expect({ key, status: res?.status() }).toEqual({ key, status: 200 });
      }
      await page.waitForLoadState('load');
      // the charts and the ticker draw after load; give them their moment
      await page.waitForTimeout(key === 'GET /stats' ? 500 : 50);
      const result = await new AxeBuilder({ page }).analyze();
      const found = result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        where: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.slice(0, 300)),
      }));
      expect({ key, found }).toEqual({ key, found: [] });
    } finally {
      await page.close();
    }
  });
});
