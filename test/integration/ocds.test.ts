import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { insertAward, insertBid } from './board-fixtures';

const SCHEMA_DIR = path.resolve(__dirname, '../../../shared/ocds-1.1.5');
const load = (f: string) =>
  JSON.parse(fs.readFileSync(path.join(fs.existsSync(SCHEMA_DIR) ? SCHEMA_DIR : '/work/shared/ocds-1.1.5', f), 'utf8'));

// Both schemas locally: the package refers to the release schema by its id, never fetched.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(load('release-schema.json'));
const validatePackage = ajv.compile(load('release-package-schema.json'));

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ OCDS_PREFIX: 'ocds-test01' });
});
afterAll(async () => {
  await env.close();
});

const HOUR = 3600_000;

function expectValid(body: unknown) {
  const ok = validatePackage(body);
  if (!ok) throw new Error(JSON.stringify(validatePackage.errors?.slice(0, 5), null, 2));
}

describe('GET /api/v1/ocds/releases', () => {
  it('publishes a valid OCDS 1.1 package: tender, opening, award and contract releases; cancelled and failed tenders', async () => {
    const tw = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: tw.id });
    const winner = await makeUser(env.ctx, 'bidder', { name: '吉安兴旺建筑' });
    const loser = await makeUser(env.ctx, 'bidder', { name: '刘建国' });
    const open = await makeListing(env.ctx, { townshipId: tw.id, title: '村道硬化' });
    const lease = await makeListing(env.ctx, {
      townshipId: tw.id,
      state: 'concluded',
      kind: 'lease',
      category: 'water',
      basePrice: '3000.00',
      title: '水库水面发包',
      publishedAt: new Date(Date.now() - 30 * 24 * HOUR),
      bidOpensAt: new Date(Date.now() - 20 * 24 * HOUR),
      bidDeadline: new Date(Date.now() - 12 * 24 * HOUR),
      openedAt: new Date(Date.now() - 11 * 24 * HOUR),
    });
    await insertBid(env.ctx, lease, loser.id, '3100.00', true);
    const bid = await insertBid(env.ctx, lease, winner.id, '3600.00', true);
    const award = await insertAward(env.ctx, lease, bid, winner.id, '3600.00', new Date(Date.now() - 10 * 24 * HOUR));
    const contract = await env.ctx.db
      .insertInto('contracts')
      .values({
        listing_id: lease.id,
        signed_at: new Date(Date.now() - 2 * 24 * HOUR),
        amount: '3600.00',
        recorded_by: staff.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const cancelled = await makeListing(env.ctx, { townshipId: tw.id, state: 'cancelled' });
    await env.ctx.db
      .updateTable('listings')
      .set({ cancel_reason: '村民代表会议决定暂缓', cancelled_at: new Date() })
      .where('id', '=', cancelled.id)
      .execute();
    const failed = await makeListing(env.ctx, {
      townshipId: tw.id,
      state: 'failed',
      bidOpensAt: new Date(Date.now() - 48 * HOUR),
      bidDeadline: new Date(Date.now() - 24 * HOUR),
    });
    await makeListing(env.ctx, { townshipId: tw.id, state: 'draft', title: '草稿不公开' });

    const res = await request(env.app).get(`/api/v1/ocds/releases?townshipId=${tw.id}`).expect(200);
    expectValid(res.body);
    expect(res.body).toMatchObject({
      version: '1.1',
      publisher: { name: expect.any(String) },
      uri: expect.stringMatching(/^http:\/\/.+\/api\/v1\/ocds\/releases/),
    });
    const head = await env.ctx.db
      .selectFrom('audit')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    expect(res.body.auditTrail).toEqual({ entries: head ? Number(head.seq) : 0, head: head?.hash ?? '0'.repeat(64) });
    const releases = res.body.releases as Array<Record<string, any>>;
    expect(JSON.stringify(releases)).not.toContain('草稿不公开');
    const byListing = (code: string) => releases.filter((r) => r.ocid === `ocds-test01-${code}`);

    expect(byListing(open.code).map((r) => r.tag)).toEqual([['tender']]);
    expect(byListing(open.code)[0].tender).toMatchObject({
      status: 'active',
      mainProcurementCategory: 'works',
      value: { amount: 50000, currency: 'CNY' },
    });

    const leaseReleases = byListing(lease.code);
    expect(leaseReleases.map((r) => r.tag[0])).toEqual(['tender', 'tenderUpdate', 'award', 'contract']);
    expect(leaseReleases[0].tender).toMatchObject({
      mainProcurementCategory: 'services',
      minValue: { amount: 3000, currency: 'CNY' },
    });
    expect(leaseReleases[0].tender.description).toMatch(/出租\/发包/);
    expect(leaseReleases[0].tender.tenderers).toBeUndefined(); // the tender release is the moment of publication
    expect(leaseReleases[1].tender).toMatchObject({ numberOfTenderers: 2 });
    const awardRelease = leaseReleases[2];
    expect(awardRelease.awards[0]).toMatchObject({
      id: award.id,
      status: 'active',
      value: { amount: 3600, currency: 'CNY' },
      suppliers: [{ name: '吉安兴旺建筑' }],
    });
    expect(awardRelease.parties).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: tw.name, roles: ['buyer', 'procuringEntity'] }),
        expect.objectContaining({ name: '吉安兴旺建筑', roles: ['tenderer', 'supplier'] }),
        expect.objectContaining({ name: '刘建国', roles: ['tenderer'] }),
      ]),
    );
    expect(awardRelease.buyer).toEqual({ id: expect.any(String), name: tw.name });
    expect(leaseReleases[3].contracts[0]).toMatchObject({
      id: contract.id,
      awardID: award.id,
      status: 'active',
      value: { amount: 3600, currency: 'CNY' },
    });

    const cancel = byListing(cancelled.code);
    expect(cancel[cancel.length - 1]).toMatchObject({ tag: ['tenderCancellation'], tender: { status: 'cancelled' } });
    expect(cancel[cancel.length - 1].tender.description).toContain('村民代表会议决定暂缓');
    const fail = byListing(failed.code);
    expect(fail[fail.length - 1]).toMatchObject({ tag: ['tenderUpdate'], tender: { status: 'unsuccessful' } });
  });

  it('never reveals bidders, their number or amounts before opening', async () => {
    const tw = await makeTownship(env.ctx);
    const listing = await makeListing(env.ctx, {
      townshipId: tw.id,
      bidOpensAt: new Date(Date.now() - 5 * HOUR),
      bidDeadline: new Date(Date.now() - HOUR),
    }); // closed, sealed
    const bidder = await makeUser(env.ctx, 'bidder', { name: '密封投标人甲' });
    await insertBid(env.ctx, listing, bidder.id, '48888.88', false);
    const res = await request(env.app).get(`/api/v1/ocds/releases?townshipId=${tw.id}`).expect(200);
    expectValid(res.body);
    const text = JSON.stringify(res.body);
    for (const secret of ['密封投标人甲', bidder.id, '48888.88', 'numberOfTenderers', 'tenderers'])
      expect(text).not.toContain(secret);
  });

  it('filters by since, validates it, and answers conditional requests', async () => {
    const tw = await makeTownship(env.ctx);
    const old = await makeListing(env.ctx, { townshipId: tw.id, publishedAt: new Date('2026-01-05T00:00:00Z') });
    const recent = await makeListing(env.ctx, { townshipId: tw.id, publishedAt: new Date('2026-06-05T00:00:00Z') });
    // the package names its own address (Host included), so the ETag is per address: one Host here
    const host = 'data.example.org';
    const res = await request(env.app)
      .get(`/api/v1/ocds/releases?townshipId=${tw.id}&since=2026-03-01`)
      .set('Host', host)
      .expect(200);
    expectValid(res.body);
    const ocids = res.body.releases.map((r: { ocid: string }) => r.ocid);
    expect(ocids).toContain(`ocds-test01-${recent.code}`);
    expect(ocids).not.toContain(`ocds-test01-${old.code}`);
    expect(res.body.publishedDate).toBe('2026-06-05T00:00:00.000Z');
    expect(
      (await request(env.app).get('/api/v1/ocds/releases?since=soon').expect(422)).body.error.details.fields.since,
    ).toBeDefined();
    await request(env.app).get('/api/v1/ocds/releases?townshipId=x').expect(404);
    const again = await request(env.app)
      .get(`/api/v1/ocds/releases?townshipId=${tw.id}&since=2026-03-01`)
      .set('Host', host)
      .set('If-None-Match', res.headers.etag);
    expect([again.status, again.headers.etag]).toEqual([304, res.headers.etag]);
    const elsewhere = await request(env.app)
      .get(`/api/v1/ocds/releases?townshipId=${tw.id}&since=2026-03-01`)
      .set('Host', 'mirror.example.org')
      .set('If-None-Match', res.headers.etag)
      .expect(200);
    expect(elsewhere.body.uri).toBe(
      `http://mirror.example.org/api/v1/ocds/releases?townshipId=${tw.id}&since=2026-03-01`,
    );
  });
});
