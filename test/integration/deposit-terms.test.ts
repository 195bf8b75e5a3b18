import request from 'supertest';
import { as, createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { signIn } from '../helpers/security';
import { displayDateTime } from '../../server/http/time';

// A township states how deposits are paid (account, how many hours before the deadline, refund rule);
// every announcement that asks for a deposit says so, and so does the bid page after 报名.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const ACCOUNT = '户名：兴桥镇财政所 开户行：吉州农商银行兴桥支行 账号：6230 1234 5678 9012';
const RULE = '未成交者在成交后 3 个工作日内原路退还。';

async function setTerms(townshipId: string, dueHours: string) {
  const admin = await makeUser(env.ctx, 'admin');
  const { agent } = await signIn(env.app, admin);
  const page = await agent.get(`/admin/townships/${townshipId}/rules`).expect(200);
  expect(page.text).toContain('name="deposit.account"');
  const current = (await as(env.app, admin.token).get(`/api/v1/townships/${townshipId}/rules`).expect(200)).body as {
    procurement: Record<string, string | number>;
    lease: Record<string, string | number>;
    [k: string]: unknown;
  };
  const form: Record<string, string> = { _csrf: csrfFrom(page.text) };
  for (const kind of ['procurement', 'lease'] as const)
    for (const [k, v] of Object.entries(current[kind])) form[`${kind}.${k}`] = String(v);
  for (const k of ['minNoticeDays', 'publicityDays', 'openWithinHours', 'awardWithinDays', 'contractWithinDays'])
    form[k] = String(current[k]);
  Object.assign(form, { 'deposit.account': ACCOUNT, 'deposit.dueHours': dueHours, 'deposit.refundRule': RULE });
  return { admin, res: await agent.post(`/admin/townships/${townshipId}/rules`).type('form').send(form) };
}

it('lets an admin set the deposit terms on the rules page; the API shows them and keeps them when left out', async () => {
  const township = await makeTownship(env.ctx);
  const { admin, res } = await setTerms(township.id, '48');
  expect(res.status).toBe(303);
  const rules = await as(env.app, admin.token).get(`/api/v1/townships/${township.id}/rules`).expect(200);
  expect(rules.body.deposit).toEqual({ account: ACCOUNT, dueHours: 48, refundRule: RULE });

  // a client that does not know the deposit terms yet replaces the other rules without losing them
  const { deposit: _kept, ...older } = rules.body as Record<string, unknown>;
  const put = await as(env.app, admin.token)
    .put(`/api/v1/townships/${township.id}/rules`)
    .send({ ...older, publicityDays: 4 })
    .expect(200);
  expect(put.body.deposit).toEqual({ account: ACCOUNT, dueHours: 48, refundRule: RULE });

  const bad = await setTerms(township.id, '9999');
  expect(bad.res.status).toBe(422);
  const after = await as(env.app, admin.token).get(`/api/v1/townships/${township.id}/rules`).expect(200);
  expect(after.body.deposit.dueHours).toBe(48);
});

it('states account, deadline and refund rule on the announcement and tells a registered bidder how to pay', async () => {
  const township = await makeTownship(env.ctx);
  await setTerms(township.id, '24');
  const listing = await makeListing(env.ctx, { townshipId: township.id, depositAmount: '2000.00' });
  const due = displayDateTime(new Date(listing.bidDeadline.getTime() - 24 * 3600_000));

  const announcement = await request(env.app).get(`/listings/${listing.id}`).expect(200);
  for (const text of ['保证金怎么交', ACCOUNT, due, RULE, listing.code]) expect(announcement.text).toContain(text);

  const plain = await makeListing(env.ctx, { townshipId: township.id });
  expect((await request(env.app).get(`/listings/${plain.id}`).expect(200)).text).not.toContain('保证金怎么交');

  const bidder = await makeUser(env.ctx, 'bidder');
  const { agent, csrf } = await signIn(env.app, bidder);
  await agent.post(`/listings/${listing.id}/registration`).type('form').send({ _csrf: csrf }).expect(303);
  const page = await agent.get(`/listings/${listing.id}/bid`).expect(200);
  expect(page.text).toContain('待确认保证金');
  for (const text of ['转账到下面的账户', ACCOUNT, due, RULE]) expect(page.text).toContain(text);
});
