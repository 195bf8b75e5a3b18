import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { closedAuction } from '../helpers/auctions';

const SCHEMA_DIR = path.resolve(__dirname, '../../../shared/ocds-1.1.5');
const load = (f: string): object =>
  JSON.parse(
    fs.readFileSync(path.join(fs.existsSync(SCHEMA_DIR) ? SCHEMA_DIR : '/work/shared/ocds-1.1.5', f), 'utf8'),
  ) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(load('release-schema.json'));
const validatePackage = ajv.compile(load('release-package-schema.json'));

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ OCDS_PREFIX: 'ocds-test02' });
});
afterAll(async () => {
  await env.close();
});

interface Release {
  tag: string[];
  tender?: { submissionMethod: string[]; tenderPeriod: { endDate: string } };
  awards?: { value: { amount: number } }[];
}

describe('an auction in open data', () => {
  it('is an OCDS 1.1 release with submissionMethod electronicAuction, its real end, then its award; valid against the schema', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const [b1, b2] = await Promise.all([makeUser(env.ctx, 'bidder'), makeUser(env.ctx, 'bidder')]);
    const { listing, closed, endsAt } = await closedAuction(env, township.id, staff.token, [
      { token: b1.token, amount: '10000' },
      { token: b2.token, amount: '12000' },
    ]);
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/award`)
      .send({ bidId: closed.body.bids[0].id })
      .expect(201);

    const res = await as(env.app).get(`/api/v1/ocds/releases?townshipId=${township.id}`).expect(200);
    if (!validatePackage(res.body)) throw new Error(JSON.stringify(validatePackage.errors?.slice(0, 5), null, 2));
    const releases = (res.body as { releases: Release[] }).releases;
    const tender = releases.find((r) => r.tender)!;
    expect(tender.tender!.submissionMethod).toEqual(['electronicAuction']);
    expect(new Date(tender.tender!.tenderPeriod.endDate).getTime()).toBe(endsAt.getTime());
    const award = releases.find((r) => r.tag.includes('award'))!;
    expect(award.awards![0].value.amount).toBe(12000);
  });
});
