/**
 * The auction room live in real Chromium on a phone: a bid taken elsewhere shows at once, the countdown jumps
 * (and says 已延时) when the bid extends the end, and a cancel ends the room with 竞价已终止.
 */
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { launchChromium, listenLocally } from '../helpers/browser';
import { auctionLive } from '../../server/auctions/auctions.live';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { dbClockPlus, makeAuction } from '../helpers/auctions';
import { displayDateTime } from '../../server/http/time';

let env: TestEnv;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  env = await createTestEnv();
  ({ server, base } = await listenLocally(env.app));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await auctionLive(env.ctx).stop(); // ends the open event streams, so the server can close
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await env?.close();
});

/** "m:ss" or "h:mm:ss" as seconds. */
function seconds(text: string): number {
  const parts = text.trim().split(':').map(Number);
  return parts.reduce((n, p) => n * 60 + p, 0);
}

it('shows a bid at once, jumps the countdown on an extension, and ends the room when the auction is cancelled', async () => {
  const township = await makeTownship(env.ctx);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const bidder = await makeUser(env.ctx, 'bidder');
  // 60 s left and a 300 s window: the first bid moves the end to its time + 300 s
  const listing = await makeAuction(env.ctx, {
    townshipId: township.id,
    bidDeadline: await dbClockPlus(env.ctx, 60_000),
    extensionSeconds: 300,
  });
  const context = await browser.newContext({
    locale: 'zh-CN',
    // a phone set to another zone still shows Beijing time, in the pages' one format
    timezoneId: 'America/New_York',
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/listings/${listing.id}/auction`);
    const countdown = page.locator('[data-auction-countdown]');
    await page.waitForFunction(() =>
      /^\d+:\d\d$/.test(document.querySelector('[data-auction-countdown]')!.textContent),
    );
    const before = seconds(await countdown.innerText());
    expect(before).toBeGreaterThan(40);
    expect(before).toBeLessThanOrEqual(60);
    await expect(page.locator('[data-extended]').isHidden()).resolves.toBe(true);
    // the room's event stream is open before the bid is sent
    for (let i = 0; i < 100 && auctionLive(env.ctx).watcherCount(listing.id) === 0; i += 1)
      await new Promise((r) => setTimeout(r, 50));

    const bid = await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '10000' })
      .expect(201);
    await page.waitForFunction(() => document.querySelector('[data-best-amount]')!.textContent.includes('10,000.00'));
    await page.waitForFunction(() => document.querySelector('[data-auction-countdown]')!.classList.contains('jumped'));
    const after = seconds(await countdown.innerText());
    expect(after).toBeGreaterThan(280); // jumped from under a minute to about five
    expect(after).toBeLessThanOrEqual(301);
    await expect(page.locator('[data-extended]').isVisible()).resolves.toBe(true);
    expect(await page.locator('[data-bid-count]').innerText()).toBe('1');
    // the moved end, written by the script, reads as the server writes it: "2026-12-01 21:35", Beijing time
    const endsAt = (bid.body as { endsAt: string }).endsAt;
    await expect(page.locator('[data-ends-text]').innerText()).resolves.toBe(displayDateTime(endsAt));
    expect(await page.locator('[data-next-min-text]').innerText()).toBe('¥10,500.00');

    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/cancel`)
      .send({ reason: '权属争议' })
      .expect(200);
    await page.waitForFunction(() => document.querySelector('[data-auction-countdown]')!.textContent === '竞价已终止');
  } finally {
    await context.close();
  }
});

it('takes the server’s clock from a bid when the page was slow between reading the clock and its first byte', async () => {
  const township = await makeTownship(env.ctx);
  const bidder = await makeUser(env.ctx, 'bidder');
  const listing = await makeAuction(env.ctx, {
    townshipId: township.id,
    bidDeadline: await dbClockPlus(env.ctx, 60_000),
    extensionSeconds: 300,
  });
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  try {
    const page = await context.newPage();
    // the page as a server that read its clock 20 s before it sent the first byte would send it
    await page.route(`**/listings/${listing.id}/auction`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        /data-server-time="([^"]+)"/,
        (_m, time: string) => `data-server-time="${new Date(Date.parse(time) - 20_000).toISOString()}"`,
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${base}/listings/${listing.id}/auction`);
    const countdown = page.locator('[data-auction-countdown]');
    await page.waitForFunction(() =>
      /^\d+:\d\d$/.test(document.querySelector('[data-auction-countdown]')!.textContent),
    );
    expect(seconds(await countdown.innerText())).toBeGreaterThan(70); // 60 s left, shown as 20 s more
    for (let i = 0; i < 100 && auctionLive(env.ctx).watcherCount(listing.id) === 0; i += 1)
      await new Promise((r) => setTimeout(r, 50));

    await as(env.app, bidder.token)
      .post(`/api/v1/listings/${listing.id}/auction/bids`)
      .send({ amount: '10000' })
      .expect(201);
    await page.waitForFunction(() => document.querySelector('[data-auction-countdown]')!.classList.contains('jumped'));
    const after = seconds(await countdown.innerText());
    expect(after).toBeGreaterThan(280);
    expect(after).toBeLessThanOrEqual(301); // not 320: the bid's time corrected the clock
  } finally {
    await context.close();
  }
});
