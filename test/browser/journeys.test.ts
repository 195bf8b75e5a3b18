/**
 * Browser journeys (issue 8): real Chromium drives the real app, one journey per role, in Chinese,
 * the way a person would — reading labels, filling forms, pressing buttons. Each step keeps a
 * screenshot in test-artifacts/journeys/ (git-ignored) and asserts what the page says.
 *
 * The journeys tell one deal's story in order (publish → register → ask → bid → open → award →
 * board → audit), so the tests of this file share that deal and run in sequence by design.
 * Time travel (moving bid_opens_at / bid_deadline by SQL) stands in for waiting days.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, listenLocally } from '../helpers/browser';
import { as, createTestEnv, makeUser, TEST_PASSWORD, TestEnv } from '../helpers/context';
import { defaultRules } from '../../server/townships/townships';
import { insertTownship, upsertRules } from '../../server/townships/townships.repository';
import { localInputValue } from '../../server/http/time';

const SHOTS = path.resolve(__dirname, '../../test-artifacts/journeys');
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1280, height: 900 };
const TITLE = '王家村机耕道硬化工程';

/** Text a person should never see: an i18n key that found no translation ("bids.xyz"). */
const RAW_KEY =
  /\b(?:listings|bids|awards|board|auditor|stats|hall|nav|accounts|home|supervision|inbox|objections|error|site|role|action)\.[a-z][A-Za-z]*(?:\.[A-Za-z]+)*\b/;

let env: TestEnv;
let server: Server;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
let staffPage: Page;
let bidderPage: Page;
let township: { id: string; name: string };
let staff: Awaited<ReturnType<typeof makeUser>>;
let bidder: Awaited<ReturnType<typeof makeUser>>;
let rival: Awaited<ReturnType<typeof makeUser>>;
let auditor: Awaited<ReturnType<typeof makeUser>>;
let listingId = '';
let listingCode = '';

/** Full-page screenshot named by journey and step, then the checks every page must pass. */
async function step(page: Page, journey: string, name: string) {
  await page.waitForLoadState('load');
  await page.screenshot({ path: path.join(SHOTS, `${journey}-${name}.png`), fullPage: true });
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(RAW_KEY);
  return text;
}

async function newPage(viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport,
    isMobile: mobile,
    hasTouch: mobile,
  });
  contexts.push(context);
  context.setDefaultTimeout(8000); // a missing text fails in seconds, not at Jest's minute
  return context.newPage();
}

async function signIn(page: Page, username: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

async function sql(text: string, params: unknown[]) {
  const client = await env.database.raw();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  // CI installs Debian's chromium; without it these journeys must fail, never pass silently.
  fs.mkdirSync(SHOTS, { recursive: true });
  env = await createTestEnv();
  // a township whose notice rule allows bidding to open minutes after publication (minNoticeDays 0)
  const tw = await insertTownship(env.ctx.db, { code: 'XQJ', name: '兴桥镇', district: '吉州区' });
  const rules = defaultRules();
  await upsertRules(env.ctx.db, tw.id, {
    ...rules,
    minNoticeDays: 0,
    procurement: { ...rules.procurement, minValidBids: 2 },
  });
  township = tw;
  staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id, name: '刘晓红' });
  bidder = await makeUser(env.ctx, 'bidder', { name: '王建国' });
  rival = await makeUser(env.ctx, 'bidder', { name: '吉安市恒达建筑队' });
  auditor = await makeUser(env.ctx, 'auditor', { name: '区纪委审计组' });
  ({ server, base } = await listenLocally(env.app));
  browser = await launchChromium([
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ]);
  staffPage = await newPage(DESK);
  bidderPage = await newPage(PHONE, true);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await env?.close();
});

test('staff signs in and publishes a listing with a deposit', async () => {
  const page = staffPage;
  await signIn(page, staff.username);
  expect(await step(page, 'staff', '01-desk')).toContain('交易站工作台');

  await page.getByRole('link', { name: '新建交易项目' }).click();
  await page.getByLabel('交易类型').selectOption({ label: '采购/小型工程' });
  await page.getByLabel('类别').selectOption({ label: '小型工程' });
  await page.getByLabel('项目名称').fill(TITLE);
  await page.getByLabel('项目说明').fill('王家村至李家村机耕道 1.2 公里混凝土硬化，宽 3.5 米。');
  await page.getByLabel(/最高限价/).fill('50000');
  await page.getByLabel(/保证金/).fill('1000');
  const soon = new Date(Date.now() + 5 * 60_000);
  await page.getByLabel('开始报价时间').fill(localInputValue(soon));
  await page.getByLabel('报价截止时间').fill(localInputValue(new Date(Date.now() + 3 * 24 * 3600_000)));
  await step(page, 'staff', '02-new-listing-form');
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.waitForURL(/\/listings\/[0-9a-f-]{36}$/);
  listingId = page.url().split('/').pop()!;
  let text = await step(page, 'staff', '03-draft');
  expect(text).toContain('草稿');
  expect(text).toContain(TITLE);

  await page.getByRole('link', { name: '发布公告' }).click();
  text = await step(page, 'staff', '03b-confirm-publish');
  expect(text).toContain('发布后公告立即对外公开');
  expect(text).toContain('大写：伍万元整');
  await page.getByRole('button', { name: '确认发布' }).click();
  text = await step(page, 'staff', '04-published');
  expect(text).toContain('公告中');
  expect(text).toContain('¥50,000.00');
  listingCode = (await page.locator('.announcement-code').innerText()).trim();
  // the staff view leads on to registrations and the opening
  await expect(page.getByRole('link', { name: '报名与保证金' }).count()).resolves.toBe(1);
});

test('bidder on a phone registers during the notice period and asks a question', async () => {
  expect(listingId).not.toBe('');
  const page = bidderPage;
  await signIn(page, bidder.username);
  await page.goto(`${base}/listings`);
  await page.getByRole('link', { name: TITLE }).first().click();
  let text = await step(page, 'bidder', '01-announcement');
  expect(text).toContain('公告中');
  expect(text).toContain('¥1,000.00');

  await page.getByRole('link', { name: '我要报名（交保证金）' }).click();
  text = await step(page, 'bidder', '02-bid-form-announced');
  expect(text).toContain('保证金');
  await page.getByRole('button', { name: /报名/ }).click();
  text = await step(page, 'bidder', '03-registered');
  expect(text).toContain('已报名');
  expect(text).toContain('待确认保证金');

  await page.goto(`${base}/listings/${listingId}`);
  await page.getByLabel(/我要提问/).fill('施工期间是否需要中标人自行负责交通疏导？');
  await page.getByRole('button', { name: '提交问题' }).click();
  text = await step(page, 'bidder', '04-question-asked');
  expect(text).toContain('施工期间是否需要中标人自行负责交通疏导？');
  expect(text).toContain('待答复');

  // a second bidder registers through the API, so the opening has a ranking to show
  const reg = await as(env.app, rival.token).post(`/api/v1/listings/${listingId}/registrations`).send({});
  expect(reg.status).toBe(201);
});

test('staff confirms the deposits and answers the question before the deadline', async () => {
  const page = staffPage;
  await page.goto(`${base}/staff`);
  await page.locator('.listing-row', { hasText: TITLE }).getByRole('link', { name: '报名与保证金' }).click();
  let text = await step(page, 'staff', '05-registrations');
  expect(text).toContain('王建国');
  expect(text).toContain('吉安市恒达建筑队');
  for (let i = 0; i < 2; i += 1) {
    await page.getByRole('button', { name: '确认已收保证金' }).first().click();
    await page.waitForLoadState('load');
  }
  text = await step(page, 'staff', '06-deposits-confirmed');
  expect(text.match(/保证金已确认/g)?.length).toBe(2);
  await expect(page.getByRole('button', { name: '确认已收保证金' }).count()).resolves.toBe(0);

  await page.goto(`${base}/listings/${listingId}`);
  await page.getByLabel('答复', { exact: true }).fill('需要。施工期间由中标人设置警示标志并安排专人疏导。');
  await page.getByRole('button', { name: '提交答复' }).click();
  text = await step(page, 'staff', '07-question-answered');
  expect(text).toContain('由中标人设置警示标志');
});

test('bidder on a phone bids, checks the amount in 大写 and confirms', async () => {
  // bidding opens: the notice period is over
  await sql("UPDATE listings SET bid_opens_at = now() - interval '1 minute' WHERE id = $1", [listingId]);
  const page = bidderPage;
  await page.goto(`${base}/listings/${listingId}`);
  let text = await step(page, 'bidder', '05-open-with-answer');
  expect(text).toContain('报价中');
  expect(text).toContain('由中标人设置警示标志');

  await page.getByRole('link', { name: '我要报价' }).click();
  expect(await step(page, 'bidder', '06-bid-form')).toContain('保证金已确认');
  await page.getByLabel(/报价金额/).fill('42000');
  // the 大写 appears while typing (views/static/bids.js)
  await page.waitForFunction(() => document.querySelector('#bid-capitals')?.textContent === '肆万贰仟元整');
  await step(page, 'bidder', '07-amount-typed');
  await page.getByRole('button', { name: '下一步：核对' }).click();
  text = await step(page, 'bidder', '08-confirm-capitals');
  expect(text).toContain('请核对报价');
  expect(text).toContain('¥42,000.00');
  expect(text).toContain('肆万贰仟元整');

  await page.getByRole('button', { name: '确认提交' }).click();
  text = await step(page, 'bidder', '09-submitted');
  expect(text).toContain('报价已提交');
  expect(text).toMatch(/[0-9a-f]{64}/); // the receipt the bidder keeps
  expect(text).toContain('打印回执');
  await page.getByRole('link', { name: '我的报价' }).first().click();
  text = await step(page, 'bidder', '10-my-bids');
  expect(text).toContain(TITLE);
  expect(text).toContain('¥42,000.00');

  const rivalBid = await as(env.app, rival.token)
    .post(`/api/v1/listings/${listingId}/bids`)
    .send({ amount: '46500.50' });
  expect(rivalBid.status).toBe(201);
});

test('staff opens the bids after the deadline and records the award', async () => {
  // the deadline passes (bids are judged by the database clock)
  await sql("UPDATE listings SET bid_deadline = now() - interval '1 second' WHERE id = $1", [listingId]);
  const page = staffPage;
  await page.goto(`${base}/staff`);
  let text = await step(page, 'staff', '08-desk-closed');
  expect(text).toContain('已截止待开标');
  await page.locator('.listing-row', { hasText: TITLE }).getByRole('link', { name: '开标' }).click();
  text = await step(page, 'staff', '09-opening');
  expect(text).not.toContain('42,000'); // still sealed
  expect(text).toContain('已有 0 人确认，需 2 人');
  // the supervisor (an auditor, from outside the township) confirms from a phone with their password
  const phone = await newPage(PHONE, true);
  await signIn(phone, auditor.username);
  await phone.goto(`${base}/staff/listings/${listingId}/opening`);
  await phone.getByLabel('您的登录密码').fill(TEST_PASSWORD);
  await phone.getByRole('button', { name: '确认开标' }).click();
  text = await step(phone, 'auditor', '09-confirm-opening');
  expect(text).toContain('您的开标确认已记录');
  expect(text).not.toContain('42,000');
  // the opener's own password is the second confirmation: the quorum is in, the bids open
  await page.reload();
  await page.getByLabel('您的登录密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '开标' }).click();
  text = await step(page, 'staff', '10-opening-record');
  expect(text).toContain('开标记录');
  expect(text).toContain('王建国');
  expect(text).toContain('¥42,000.00');
  expect(text).toContain('¥46,500.50');
  expect(text.indexOf('王建国')).toBeLessThan(text.indexOf('吉安市恒达建筑队')); // lowest offer ranks first

  await page.goto(`${base}/staff`);
  await page.locator('.listing-row', { hasText: TITLE }).getByRole('link', { name: '确定成交' }).click();
  expect(await page.getByRole('radio').first().isChecked()).toBe(true); // the top-ranked valid offer is preselected
  await step(page, 'staff', '11-award-form');
  await page.getByRole('button', { name: '确认成交' }).click();
  text = await step(page, 'staff', '12-awarded');
  expect(text).toContain('已确定成交');
  expect(text).toContain('¥8,000.00'); // 节资 = 50,000 − 42,000

  await page.goto(`${base}/listings/${listingId}`);
  await page.getByRole('link', { name: '查看成交结果公示' }).click();
  text = await step(page, 'staff', '13-result-notice');
  expect(text).toContain('成交结果公示');
  expect(text).toContain('王建国');
  expect(text).toContain('16.00%');
});

test('the public board, the hall kiosk and the LED ticker show the result', async () => {
  const page = await newPage(DESK);
  await page.goto(`${base}/board?townshipId=${township.id}`);
  let text = await step(page, 'board', '01-board');
  expect(text).toContain('成交结果公示');
  const result = page.locator('#results .board-item', { hasText: TITLE });
  await expect(result.innerText()).resolves.toContain('王建国');
  await expect(result.innerText()).resolves.toContain('¥42,000.00');

  const phone = await newPage(PHONE, true);
  await phone.goto(`${base}/board?townshipId=${township.id}`);
  await step(phone, 'board', '02-board-phone');

  const kiosk = await newPage({ width: 1920, height: 1080 });
  await kiosk.goto(`${base}/board/kiosk`);
  expect(await step(kiosk, 'kiosk', '01-pick-township')).toContain('三务公开一点通');
  await kiosk.getByRole('link', { name: /兴桥镇/ }).click();
  await kiosk.getByRole('link', { name: '成交结果公示' }).click();
  text = await step(kiosk, 'kiosk', '02-results');
  expect(text).toContain(TITLE);
  expect(text).toContain('王建国');

  const ticker = await newPage({ width: 1920, height: 200 });
  await ticker.goto(`${base}/board/ticker?townshipId=${township.id}`);
  // the line enters from the right edge; stop its animation where the text has come into view
  await ticker.evaluate(() => {
    const line = document.querySelector('.ticker-line') as HTMLElement;
    for (const a of line.getAnimations()) {
      a.pause();
      a.currentTime =
        Number(a.effect!.getTiming().duration) * ((window.innerWidth * 0.95) / line.getBoundingClientRect().width);
    }
  });
  text = await step(ticker, 'ticker', '01-line');
  expect(text).toContain(TITLE);
});

test('auditor reads the deal timeline and verifies the audit chain', async () => {
  const page = await newPage(DESK);
  await signIn(page, auditor.username);
  await page.goto(`${base}/auditor`);
  let text = await step(page, 'auditor', '01-workspace');
  expect(text).toContain(listingCode);
  await page.getByRole('link', { name: listingCode }).click();
  text = await step(page, 'auditor', '02-deal-timeline');
  for (const action of ['listing.created', 'listing.published', 'listing.opened', 'listing.awarded'])
    expect(text).toContain(action);
  for (const label of ['创建项目', '发布公告', '答疑', '开标', '确定成交']) expect(text).toContain(label);
  expect(text).toContain('王建国');

  await page.goto(`${base}/auditor`);
  await page.getByRole('link', { name: '一键校验审计链' }).click();
  text = await step(page, 'auditor', '03-chain-verified');
  expect(text).toContain('校验通过');
});
