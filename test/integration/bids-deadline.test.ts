import { sql } from 'kysely';
import { as, createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the deadline under a burst of concurrent bids', () => {
  it('loses no accepted bid and accepts no late one', async () => {
    const township = await makeTownship(env.ctx);
    const bidders = await Promise.all(Array.from({ length: 40 }, () => makeUser(env.ctx, 'bidder')));
    // the deadline ~1.5 s ahead by the database clock
    const { rows } = await sql<{
      deadline: Date;
    }>`SELECT clock_timestamp() + interval '1500 milliseconds' AS deadline`.execute(env.ctx.db);
    const deadline = rows[0].deadline;
    const listing = await makeListing(env.ctx, { townshipId: township.id, bidDeadline: deadline });

    // 40 bidders post concurrently, spread over 0–3 s so requests land on both sides of the deadline
    const answers = await Promise.all(
      bidders.map(async (bidder, i) => {
        await sleep(i * 75);
        const res = await as(env.app, bidder.token)
          .post(`/api/v1/listings/${listing.id}/bids`)
          .send({ amount: `${40000 + i}.00` });
        return { bidder, status: res.status, body: res.body };
      }),
    );

    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(accepted.length + refused.length).toBe(40);
    // every refusal is the deadline, nothing else
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('BIDDING_CLOSED');
    }
    // the last requests were sent well after the deadline: they must have been refused
    expect(refused.length).toBeGreaterThan(0);

    const stored = await env.ctx.db
      .selectFrom('bids')
      .select(['id', 'bidder_id', 'submitted_at', 'status', 'receipt'])
      .where('listing_id', '=', listing.id)
      .execute();
    // every 201 has its stored live bid, before the deadline, with the receipt it was given …
    for (const a of accepted) {
      const row = stored.find((s) => s.id === a.body.id);
      expect(row).toMatchObject({ bidder_id: a.bidder.id, status: 'live', receipt: a.body.receipt });
      expect(row!.submitted_at.getTime()).toBeLessThan(deadline.getTime());
    }
    // … and every stored bid got a 201: nothing late slipped in, nothing accepted is missing
    expect(stored.map((s) => s.id).sort()).toEqual(accepted.map((a) => a.body.id).sort());
  });
});
