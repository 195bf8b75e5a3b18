import request from 'supertest';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const DAY = 24 * 3600_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
/** the raw JSON text of a listing, so number literals go on the wire exactly as written */
const rawBody = (basePrice: string, extra = '') =>
  `{"kind":"procurement","category":"works","title":"村道硬化","basePrice":${basePrice},"depositAmount":0${extra},` +
  `"bidOpensAt":"${inDays(7)}","bidDeadline":"${inDays(14)}"}`;

async function staffOfNewTownship() {
  const township = await makeTownship(env.ctx);
  return { township, staff: await makeUser(env.ctx, 'staff', { townshipId: township.id }) };
}
const countListings = async (townshipId: string) =>
  (await env.ctx.db.selectFrom('listings').select('id').where('township_id', '=', townshipId).execute()).length;
const postRaw = (token: string, text: string) =>
  as(env.app, token).post('/api/v1/listings').set('Content-Type', 'application/json').send(text);

describe('JSON number amounts keep their written form', () => {
  it.each(['5e4', '5.0E4', '50000.000', '50000.001', '1.2345e4'])(
    'refuses %s like the same string (422 INVALID_AMOUNT) and creates nothing',
    async (literal) => {
      const { township, staff } = await staffOfNewTownship();
      const res = await postRaw(staff.token, rawBody(literal)).expect(422);
      expect(res.body.error.code).toBe('INVALID_AMOUNT');
      const asString = await postRaw(staff.token, rawBody(`"${literal}"`)).expect(422);
      expect(asString.body.error).toEqual(res.body.error);
      expect(await countListings(township.id)).toBe(0);
    },
  );
  it('accepts plain numbers with up to two decimals', async () => {
    const { staff } = await staffOfNewTownship();
    const res = await postRaw(staff.token, rawBody('50000.5')).expect(201);
    expect(res.body.basePrice).toBe('50000.50');
  });
  it('leaves digits inside strings alone and still refuses broken JSON with 400', async () => {
    const { staff } = await staffOfNewTownship();
    const res = await postRaw(staff.token, rawBody('50000', ',"description":"长 1.2345e3 米"')).expect(201);
    expect(res.body.description).toBe('长 1.2345e3 米');
    const broken = await postRaw(staff.token, '{"basePrice": 1e3').expect(400);
    expect(broken.body.error.code).toBe('BAD_REQUEST');
  });
});

describe('a query parameter given twice is 400 BAD_REQUEST', () => {
  it.each(['/api/v1/board', '/api/v1/ocds/releases', '/api/v1/listings', '/api/v1/stats'])(
    '%s?townshipId=…&townshipId=…',
    async (path) => {
      const a = await makeTownship(env.ctx);
      const b = await makeTownship(env.ctx);
      const res = await request(env.app)
        .get(`${path}?townshipId=${a.id}&townshipId=${b.id}`)
        .set('Accept-Language', 'en')
        .expect(400);
      expect(res.body.error).toMatchObject({ code: 'BAD_REQUEST', details: { parameter: 'townshipId' } });
      expect(res.body.error.message).toMatch(/townshipId/);
      await request(env.app).get(`${path}?townshipId=${a.id}`).expect(200);
    },
  );
});

describe('a known path with a method it does not serve is 405 with Allow', () => {
  it('names the methods the path serves, in the API error format', async () => {
    const res = await request(env.app).delete('/api/v1/listings').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
    expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
    expect(res.body.error.message).toContain('GET, HEAD, POST');
    const item = await request(env.app).put('/api/v1/listings/00000000-0000-4000-8000-000000000000').expect(405);
    expect(item.headers.allow).toBe('GET, HEAD, PATCH');
  });
  it('keeps 404 for paths nobody serves', async () => {
    const res = await request(env.app).delete('/api/v1/nothing-here').expect(404);
    expect(res.headers.allow).toBeUndefined();
  });
});

describe('listing rules at the edge', () => {
  it('refuses a deposit above the base price with 422 VALIDATION naming depositAmount', async () => {
    const { township, staff } = await staffOfNewTownship();
    const res = await postRaw(staff.token, rawBody('50000').replace('"depositAmount":0', '"depositAmount":"50000.01"'))
      .set('Accept-Language', 'en')
      .expect(422);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details.fields.depositAmount).toMatch(/above the base price/);
    expect(await countListings(township.id)).toBe(0);
    await postRaw(staff.token, rawBody('50000').replace('"depositAmount":0', '"depositAmount":"50000.00"')).expect(201);
  });
  it('refuses a staff user naming another township with 403, creating nothing anywhere', async () => {
    const { township, staff } = await staffOfNewTownship();
    const other = await makeTownship(env.ctx);
    const res = await postRaw(staff.token, rawBody('50000', `,"townshipId":"${other.id}"`)).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await countListings(township.id)).toBe(0);
    expect(await countListings(other.id)).toBe(0);
    const own = await postRaw(staff.token, rawBody('50000', `,"townshipId":"${township.id}"`)).expect(201);
    expect(own.body.townshipId).toBe(township.id);
  });
});
