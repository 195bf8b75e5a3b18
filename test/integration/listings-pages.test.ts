import request from 'supertest';
import { createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
  // a key holder from outside the townships, so publishing can seal (quorum 2 needs one)
  await makeUser(env.ctx, 'auditor');
});
afterAll(async () => {
  await env.close();
});

const DAY = 24 * 3600_000;
/** datetime-local value in Beijing time, d days from now */
const local = (d: number) => new Date(Date.now() + d * DAY + 8 * 3600_000).toISOString().slice(0, 16);

async function signIn(role: 'staff' | 'bidder', townshipId?: string) {
  const user = await makeUser(env.ctx, role, { townshipId });
  const agent = request.agent(env.app);
  const login = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username: user.username, password: user.password })
    .expect(303);
  return { user, agent };
}

describe('staff pages', () => {
  it('shows the dashboard and a form carrying the township’s band for the script', async () => {
    const township = await makeTownship(env.ctx);
    const { agent } = await signIn('staff', township.id);
    await makeListing(env.ctx, { townshipId: township.id, state: 'draft', title: '草稿项目甲' });
    const desk = await agent.get('/staff').expect(200);
    expect(desk.text).toContain('草稿项目甲');
    expect(desk.text).toContain('/staff/listings/new');
    const form = await agent.get('/staff/listings/new').expect(200);
    expect(form.text).toContain('data-bands=');
    expect(form.text).toContain('10000.00');
    expect(form.text).toMatch(/\/static\/listings\.[0-9a-f]{10}\.js/);
  });

  it('creates a listing from the form, and explains a refusal in plain words without storing it', async () => {
    const township = await makeTownship(env.ctx);
    const { agent, user } = await signIn('staff', township.id);
    const csrf = csrfFrom((await agent.get('/staff/listings/new')).text);
    const fields = {
      _csrf: csrf,
      kind: 'procurement',
      category: 'goods',
      title: '办公桌椅采购',
      description: '',
      basePrice: '5000',
      depositAmount: '0',
      leaseTermMonths: '',
      bidOpensAt: local(7),
      bidDeadline: local(10),
    };
    const refused = await agent.post('/staff/listings').type('form').send(fields).expect(422);
    expect(refused.text).toContain('无需进入交易站');
    expect(refused.text).toContain('办公桌椅采购'); // the form keeps what was typed
    const created = await agent
      .post('/staff/listings')
      .type('form')
      .send({ ...fields, basePrice: '15000' })
      .expect(303);
    const rows = await env.ctx.db.selectFrom('listings').selectAll().where('created_by', '=', user.id).execute();
    expect(rows).toHaveLength(1); // the refused attempt left nothing behind
    const row = rows[0];
    expect(created.headers.location).toBe(`/listings/${row.id}`);
    expect(row).toMatchObject({ title: '办公桌椅采购', base_price: '15000.00', state: 'draft' });
    // the datetime-local value is Beijing time
    expect(Math.abs(row.bid_opens_at.getTime() - (Date.now() + 7 * DAY))).toBeLessThan(120_000);
    const published = await agent
      .post(`/staff/listings/${row.id}/publish`)
      .type('form')
      .send({ _csrf: csrf, confirm: '1' })
      .expect(303);
    expect(published.headers.location).toBe(`/listings/${row.id}`);
    expect(
      (await env.ctx.db.selectFrom('listings').select('state').where('id', '=', row.id).executeTakeFirstOrThrow())
        .state,
    ).toBe('published');
  });

  it('refuses a form post without the CSRF token', async () => {
    const township = await makeTownship(env.ctx);
    const { agent } = await signIn('staff', township.id);
    await agent.post('/staff/listings').type('form').send({ title: 'x' }).expect(403);
  });
});

describe('public pages', () => {
  it('lists published listings and prints the announcement with a countdown and no bid count', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, {
      townshipId: township.id,
      title: '鱼塘承包公告',
      kind: 'lease',
      category: 'water',
    });
    const list = await request(env.app).get(`/listings?townshipId=${township.id}`).expect(200);
    expect(list.text).toContain('鱼塘承包公告');
    const page = await request(env.app).get(`/listings/${listing.id}`).expect(200);
    expect(page.text).toMatch(/\/static\/print\.[0-9a-f]{10}\.css/);
    expect(page.text).toContain(`data-countdown="${listing.bidDeadline.toISOString()}"`);
    expect(page.text).toContain('底价');
    expect(page.text).not.toContain('有效报价人数');
    // signed out, 我要报价 leads through sign-in and back to the bid form
    expect(page.text).toContain(`/login?next&#x3D;${encodeURIComponent(`/listings/${listing.id}/bid`)}`);
    expect(page.text).toContain('登录后可提问');
  });

  it('lets a signed-in bidder ask from the page', async () => {
    const township = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, { townshipId: township.id });
    const { agent } = await signIn('bidder');
    const page = await agent.get(`/listings/${listing.id}`).expect(200);
    await agent
      .post(`/listings/${listing.id}/questions`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), text: '需要资质证书吗？' })
      .expect(303);
    const after = await request(env.app).get(`/listings/${listing.id}`).expect(200);
    expect(after.text).toContain('需要资质证书吗？');
  });

  it('answers 404 for a draft to the public', async () => {
    const township = await makeTownship(env.ctx);
    const draft = await makeListing(env.ctx, { townshipId: township.id, state: 'draft' });
    await request(env.app).get(`/listings/${draft.id}`).expect(404);
  });
});
