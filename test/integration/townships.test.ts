import { as, createTestEnv, makeTownship, makeUser, TestEnv, unique } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const rules = {
  procurement: { minAmount: '10000.00', maxAmount: '2000000.00', minValidBids: 3 },
  lease: { minAmount: '1000.00', maxAmount: '2000000.00', minValidBids: 1 },
  minNoticeDays: 5,
  publicityDays: 3,
  openWithinHours: 24,
  awardWithinDays: 3,
  contractWithinDays: 30,
  openingQuorum: 2,
};

describe('townships and rules', () => {
  it('lets the admin create a township with default rules, readable by anyone', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const code = unique('C').slice(0, 12).toUpperCase();
    const res = await as(env.app, admin.token)
      .post('/api/v1/townships')
      .send({ code, name: '测试镇', district: '吉州区' })
      .expect(201);
    expect(res.body).toEqual({ id: expect.any(String), code, name: '测试镇', district: '吉州区' });
    const list = await as(env.app).get('/api/v1/townships').expect(200);
    expect(list.body).toContainEqual(res.body);
    const got = await as(env.app).get(`/api/v1/townships/${res.body.id}/rules`).expect(200);
    // a new township takes deposits at the window until the admin enters an account
    expect(got.body).toEqual({ ...rules, deposit: { account: '', dueHours: 24, refundRule: expect.any(String) } });
    const stored = await env.ctx.db
      .selectFrom('townships')
      .select('disclosures')
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(Object.keys(stored.disclosures).sort()).toEqual([
      'complaints',
      'fees',
      'materials',
      'procedures',
      'services',
      'timeLimits',
    ]);
    const taken = await as(env.app, admin.token)
      .post('/api/v1/townships')
      .send({ code, name: '另一个', district: '吉州区' })
      .expect(409);
    expect(taken.body.error.code).toBe('CODE_TAKEN');
  });

  it('replaces rules (admin only), keeping money as two-decimal strings', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const next = {
      ...rules,
      procurement: { minAmount: 20000, maxAmount: '1500000.5', minValidBids: 2 },
      publicityDays: 5,
    };
    await as(env.app, staff.token).put(`/api/v1/townships/${township.id}/rules`).send(next).expect(403);
    const res = await as(env.app, admin.token).put(`/api/v1/townships/${township.id}/rules`).send(next).expect(200);
    expect(res.body.procurement).toEqual({ minAmount: '20000.00', maxAmount: '1500000.50', minValidBids: 2 });
    expect(res.body.publicityDays).toBe(5);
    const row = await env.ctx.db
      .selectFrom('township_rules')
      .select(['procurement_min', 'procurement_max'])
      .where('township_id', '=', township.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ procurement_min: '20000.00', procurement_max: '1500000.50' });
  });

  it.each([
    ['three decimals', '10000.001'],
    ['negative', '-5'],
    ['exponent', '1e5'],
    ['not a number', 'abc'],
    ['10^12', '1000000000000'],
    ['zero', '0'],
  ])('refuses an amount that is %s with 422 INVALID_AMOUNT and changes nothing', async (_label, amount) => {
    const admin = await makeUser(env.ctx, 'admin');
    const township = await makeTownship(env.ctx);
    const res = await as(env.app, admin.token)
      .put(`/api/v1/townships/${township.id}/rules`)
      .send({ ...rules, lease: { ...rules.lease, minAmount: amount } })
      .expect(422);
    expect(res.body.error.code).toBe('INVALID_AMOUNT');
    const got = await as(env.app).get(`/api/v1/townships/${township.id}/rules`).expect(200);
    expect(got.body.lease.minAmount).toBe('1000.00');
  });

  it('refuses a band whose minimum exceeds its maximum (422 VALIDATION) and unknown townships (404)', async () => {
    const admin = await makeUser(env.ctx, 'admin');
    const township = await makeTownship(env.ctx);
    const res = await as(env.app, admin.token)
      .put(`/api/v1/townships/${township.id}/rules`)
      .send({ ...rules, lease: { ...rules.lease, minAmount: '5000000.00' } })
      .expect(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.fields['lease.minAmount']).toBeDefined();
    await as(env.app).get('/api/v1/townships/00000000-0000-0000-0000-000000000000/rules').expect(404);
    await as(env.app).get('/api/v1/townships/not-an-id/rules').expect(404);
  });
});
