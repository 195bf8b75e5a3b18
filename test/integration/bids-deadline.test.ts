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
    // (the app and PostgreSQL share this machine's clock, so the test's times compare with the database's)
    const answers = await Promise.all(
      bidders.map(async (bidder, i) => {
        await sleep(i * 75);
        const sentAt = Date.now();
        const res = await as(env.app, bidder.token)
          .post(`/api/v1/listings/${listing.id}/bids`)
          .send({ amount: `${40000 + i}.00` });
        return { bidder, sentAt, answeredAt: Date.now(), status: res.status, body: res.body };
      }),
    );

    const accepted = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    // both sides of the deadline were reached
    expect(accepted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    // every refusal is the deadline, nothing else, and came once the deadline had passed by the clock
    for (const r of refused) {
      expect([r.status, r.body.error.code]).toEqual([409, 'BIDDING_CLOSED']);
      expect(r.answeredAt).toBeGreaterThanOrEqual(deadline.getTime());
    }
    // a request sent at or after the deadline is never accepted
    expect(accepted.filter((a) => a.sentAt >= deadline.getTime()).map((a) => a.bidder.id)).toEqual([]);

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
