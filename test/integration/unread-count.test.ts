import { sql } from 'kysely';
import request from 'supertest';
import { createTestEnv, makeUser, TestEnv } from '../helpers/context';
import { signIn } from '../helpers/security';

// The header shows a signed-in person how many of their messages are unread, on every page, from one count
// on a partial index; it goes down as they read them and is not there for anonymous readers.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

async function giveMessages(userId: string, n: number): Promise<string[]> {
  const rows = await env.ctx.db
    .insertInto('notifications')
    .values(
      Array.from({ length: n }, (_, i) => ({
        user_id: userId,
        listing_id: null,
        message_key: 'inbox.empty',
        params: JSON.stringify({ i: `${i}` }),
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

const countIn = (html: string) => /<span class="unread-count" aria-hidden="true">([^<]+)<\/span>/.exec(html)?.[1];

describe('the unread count in the header', () => {
  it('counts the person’s unread messages on every page and goes down as they are read', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const other = await makeUser(env.ctx, 'bidder');
    const ids = await giveMessages(bidder.id, 3);
    await giveMessages(other.id, 5); // someone else's never count
    const { agent, csrf } = await signIn(env.app, bidder);

    for (const path of ['/', '/bidder', '/board', '/listings']) {
      const page = await agent.get(path).expect(200);
      expect(countIn(page.text)).toBe('3');
      expect(page.text).toContain('（3 条未读）');
      expect(page.text).toContain('href="/inbox"');
    }
    await agent.post(`/inbox/${ids[0]}/read`).type('form').send({ _csrf: csrf }).expect(303);
    expect(countIn((await agent.get('/bidder').expect(200)).text)).toBe('2');
    const en = await agent.get('/bidder').set('Accept-Language', 'en').expect(200);
    expect(en.text).toContain('(2 unread)');

    for (const id of ids.slice(1)) await agent.post(`/inbox/${id}/read`).type('form').send({ _csrf: csrf }).expect(303);
    const none = await agent.get('/bidder').expect(200);
    expect(countIn(none.text)).toBeUndefined();
    expect(none.text).toContain('href="/inbox"'); // the inbox stays reachable
  });

  it('shows 99+ beyond 99', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    await giveMessages(bidder.id, 120);
    const { agent } = await signIn(env.app, bidder);
    expect(countIn((await agent.get('/bidder').expect(200)).text)).toBe('99+');
  });

  it('is not shown to anonymous readers', async () => {
    const page = await request(env.app).get('/board').expect(200);
    expect(page.text).not.toContain('unread-count');
    expect(page.text).not.toContain('href="/inbox"');
  });

  it('is one count that an index holding only unread messages answers', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    await giveMessages(bidder.id, 3);
    const plan = await env.ctx.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const r = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT count(*) FROM notifications
        WHERE user_id = ${bidder.id} AND read_at IS NULL`.execute(trx);
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('notifications_user_unread_idx');
  });
});
