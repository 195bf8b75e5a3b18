import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../../server/app';
import { computeReceipt } from '../../server/bids/seal';
import { loadSealKey } from '../../server/db/secrets';
import { as, createTestEnv, makeTownship, makeUser, TEST_PASSWORD, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';
import { confirmShare, openAtQuorum } from '../helpers/opening';

// Sealing that no single insider can open (API.md "Additions (2026-12)"): listing keys split among
// holders, opening by quorum, receipts that cannot be brute-forced, and what an insider learns.

let env: TestEnv;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-data-'));
  env = await createTestEnv({ DATA_DIR: dataDir });
  // the server's seal key as the data folder keeps it (db/secrets.ts), not a random one in memory
  env.ctx.sealKey = loadSealKey(env.ctx.config, env.ctx.logger);
  env.app = createApp(env.ctx);
});
afterAll(async () => {
  await env.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type User = Awaited<ReturnType<typeof makeUser>>;
const HOUR = 3600_000;

async function setup(rules: { openingQuorum?: number } = {}) {
  const township = await makeTownship(env.ctx, rules);
  const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const staff2 = await makeUser(env.ctx, 'staff', { townshipId: township.id });
  const auditor = await makeUser(env.ctx, 'auditor');
  return { township, staff, staff2, auditor };
}

const draftBody = (townshipId: string, extra: Record<string, unknown> = {}) => ({
  townshipId,
  kind: 'procurement',
  category: 'works',
  title: '村道硬化工程',
  description: '测试',
  basePrice: '50000.00',
  depositAmount: '0.00',
  bidOpensAt: new Date(Date.now() + 6 * 24 * HOUR).toISOString(),
  bidDeadline: new Date(Date.now() + 8 * 24 * HOUR).toISOString(),
  ...extra,
});

/** A listing published through the API (so publishing makes its seal), deadline in an hour. */
async function publish(staff: User, townshipId: string, extra: Record<string, unknown> = {}) {
  const draft = await as(env.app, staff.token).post('/api/v1/listings').send(draftBody(townshipId, extra)).expect(201);
  await as(env.app, staff.token).post(`/api/v1/listings/${draft.body.id}/publish`).expect(200);
  // the notice period is over: bidding opens now
  await setWindow(draft.body.id, new Date(Date.now() - HOUR), new Date(Date.now() + HOUR));
  return draft.body as { id: string };
}

async function setWindow(listingId: string, opensAt: Date, deadline: Date) {
  await env.ctx.db
    .updateTable('listings')
    .set({ bid_opens_at: opensAt, bid_deadline: deadline })
    .where('id', '=', listingId)
    .execute();
}
const closeBidding = (listingId: string) =>
  setWindow(listingId, new Date(Date.now() - 2 * HOUR), new Date(Date.now() - 1000));

async function bid(user: User, listingId: string, amount: string) {
  return (await as(env.app, user.token).post(`/api/v1/listings/${listingId}/bids`).send({ amount }).expect(201))
    .body as { id: string; amount: string; submittedAt: string; receipt: string };
}

/** Everything a database reader has: every row of every table, as text (read as the owner). */
async function dumpDatabase(): Promise<string> {
  const client = await env.database.raw();
  try {
    const { rows: tables } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const out: string[] = [];
    for (const { tablename } of tables) {
      const { rows } = await client.query<{ line: string }>(`SELECT t::text AS line FROM "${tablename}" t`);
      for (const r of rows) out.push(`${tablename} ${r.line}`);
    }
    return out.join('\n');
  } finally {
    await client.end();
  }
}

describe('GET /api/v1/listings/:id/seal and publishing', () => {
  it('publishing makes a seal: the public key, the quorum and the holder count; drafts have none', async () => {
    const { township, staff } = await setup();
    const listing = await publish(staff, township.id);
    const seal = (await as(env.app).get(`/api/v1/listings/${listing.id}/seal`).expect(200)).body;
    const { count } = await env.ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where((eb) => eb.or([eb('township_id', '=', township.id), eb('role', '=', 'auditor')]))
      .where('role', 'in', ['staff', 'auditor'])
      .executeTakeFirstOrThrow();
    expect(seal).toEqual({
      algorithm: 'X25519-HKDF-SHA256-AES-256-GCM',
      publicKey: expect.any(String),
      quorum: 2,
      holders: Number(count),
    });
    expect(Buffer.from(seal.publicKey, 'base64')).toHaveLength(32);
    const shares = await env.ctx.db
      .selectFrom('listing_seal_shares')
      .select('holder_id')
      .where('listing_id', '=', listing.id)
      .execute();
    expect(shares).toHaveLength(Number(count));

    const draft = await as(env.app, staff.token).post('/api/v1/listings').send(draftBody(township.id)).expect(201);
    await as(env.app).get(`/api/v1/listings/${draft.body.id}/seal`).expect(404);
    await as(env.app).get(`/api/v1/listings/not-an-id/seal`).expect(404);
  });

  it('refuses to publish what the holders could never open (409 NOT_ENOUGH_KEY_HOLDERS), changing nothing', async () => {
    const township = await makeTownship(env.ctx, { openingQuorum: 200 });
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const draft = await as(env.app, staff.token)
      .post('/api/v1/listings')
      .send(draftBody(township.id, { title: '法定人数过高' }))
      .expect(201);
    const res = await as(env.app, staff.token).post(`/api/v1/listings/${draft.body.id}/publish`).expect(409);
    expect(res.body.error.code).toBe('NOT_ENOUGH_KEY_HOLDERS');
    expect(res.body.error.details).toEqual({ holders: expect.any(Number), quorum: 200 });
    const row = await env.ctx.db
      .selectFrom('listings')
      .select('state')
      .where('id', '=', draft.body.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('draft');
  });
});

describe('township rules: openingQuorum', () => {
  it('defaults to 2, is kept by PUT and refused below 1 or when not an integer', async () => {
    const township = await makeTownship(env.ctx);
    const admin = await makeUser(env.ctx, 'admin');
    const rules = (await as(env.app).get(`/api/v1/townships/${township.id}/rules`).expect(200)).body;
    expect(rules.openingQuorum).toBe(2);
    await as(env.app, admin.token)
      .put(`/api/v1/townships/${township.id}/rules`)
      .send({ ...rules, openingQuorum: 3 })
      .expect(200);
    expect((await as(env.app).get(`/api/v1/townships/${township.id}/rules`).expect(200)).body.openingQuorum).toBe(3);
    for (const bad of [0, -1, 256]) {
      const res = await as(env.app, admin.token)
        .put(`/api/v1/townships/${township.id}/rules`)
        .send({ ...rules, openingQuorum: bad })
        .expect(422);
      expect(res.body.error.code).toBe('VALIDATION');
    }
    // a wrong type is a bad request, as for every other number of the rules
    for (const bad of ['2', null, 1.5]) {
      await as(env.app, admin.token)
        .put(`/api/v1/townships/${township.id}/rules`)
        .send({ ...rules, openingQuorum: bad })
        .expect(400);
    }
    expect((await as(env.app).get(`/api/v1/townships/${township.id}/rules`).expect(200)).body.openingQuorum).toBe(3);
  });
});

describe('sealed offers and the opening by quorum', () => {
  it('keeps the bidder’s own offer readable to them only, replaces and withdraws it', async () => {
    const { township, staff } = await setup();
    const listing = await publish(staff, township.id);
    const a = await makeUser(env.ctx, 'bidder');
    await as(env.app, a.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
    const first = await bid(a, listing.id, '45000.00');
    expect((await as(env.app, a.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(200)).body).toEqual({
      ...first,
      listingId: listing.id,
    });
    const second = await bid(a, listing.id, '44000.50');
    const mine = (await as(env.app, a.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(200)).body;
    expect(mine).toMatchObject({ id: second.id, amount: '44000.50', receipt: second.receipt });
    // another bidder sees nothing of it
    const b = await makeUser(env.ctx, 'bidder');
    await as(env.app, b.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
    // a token without a kept key (made before personal keys) is asked to sign in again
    const { token: bare } = await (
      await import('../../server/accounts/accounts.service')
    ).issueToken(env.ctx, { id: a.id, username: a.username, role: 'bidder', townshipId: null, name: a.name });
    const locked = await as(env.app, bare).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(401);
    expect(locked.body.error.code).toBe('UNAUTHENTICATED');
    await as(env.app, bare).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '1000' }).expect(401);

    await as(env.app, a.token).delete(`/api/v1/listings/${listing.id}/bids/mine`).expect(204);
    await as(env.app, a.token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
    await as(env.app, a.token).delete(`/api/v1/listings/${listing.id}/bids/mine`).expect(404);
  });

  it('opens only at the quorum with an outsider, publishes each nonce, and answers 4xx to every bad try', async () => {
    const { township, staff, staff2, auditor } = await setup();
    const listing = await publish(staff, township.id);
    const bidders = await Promise.all([1, 2, 3].map(() => makeUser(env.ctx, 'bidder')));
    const sent = [];
    for (const [i, u] of bidders.entries()) sent.push(await bid(u, listing.id, `${41000 + i * 1000}.00`));

    // before the deadline
    expect((await confirmShare(env.app, auditor, listing.id).expect(409)).body.error.code).toBe('NOT_CLOSED');
    await closeBidding(listing.id);
    // not a holder: another township's staff, a bidder, an admin
    const outsider = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    expect((await confirmShare(env.app, outsider, listing.id).expect(403)).body.error.code).toBe('FORBIDDEN');
    await confirmShare(env.app, bidders[0], listing.id).expect(403);
    await confirmShare(env.app, await makeUser(env.ctx, 'admin'), listing.id).expect(403);
    // a wrong or missing password
    expect((await confirmShare(env.app, auditor, listing.id, 'wrong password!!').expect(401)).body.error.code).toBe(
      'INVALID_CREDENTIALS',
    );
    await as(env.app, auditor.token).post(`/api/v1/listings/${listing.id}/opening-shares`).send({}).expect(401);
    await as(env.app, auditor.token)
      .post(`/api/v1/listings/${listing.id}/opening-shares`)
      .send({ password: { $ne: 1 } })
      .expect(401);

    // two of the township's own staff are not enough: one confirmation must come from outside
    expect((await confirmShare(env.app, staff2, listing.id).expect(200)).body).toEqual({ present: 1, quorum: 2 });
    const notMet = await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/open`)
      .send({ password: TEST_PASSWORD })
      .expect(409);
    expect(notMet.body.error).toMatchObject({ code: 'QUORUM_NOT_MET', details: { present: 2, quorum: 2 } });
    // the opener's wrong password counts nothing
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/open`)
      .send({ password: 'not my password' })
      .expect(401);

    // the auditor confirms; again: the same answer, idempotent
    expect((await confirmShare(env.app, auditor, listing.id).expect(200)).body).toEqual({ present: 3, quorum: 2 });
    expect((await confirmShare(env.app, auditor, listing.id).expect(200)).body).toEqual({ present: 3, quorum: 2 });

    // two openings at once: one opens, the other finds it opened
    const [x, y] = await Promise.all(
      [0, 1].map(() =>
        as(env.app, staff.token).post(`/api/v1/listings/${listing.id}/open`).send({ password: TEST_PASSWORD }),
      ),
    );
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const opened = x.status === 200 ? x.body : y.body;
    expect(opened.status).toBe('opened');
    expect(opened.bids.map((b: { id: string; amount: string }) => [b.id, b.amount])).toEqual(
      sent.map((s) => [s.id, s.amount]),
    );
    for (const [i, b] of (opened.bids as { nonce: string; receipt: string; submittedAt: string }[]).entries()) {
      expect(b.nonce).toMatch(/^[0-9a-f]{32,}$/);
      expect(b.receipt).toBe(sent[i].receipt);
      expect(b.submittedAt).toBe(sent[i].submittedAt);
      expect(
        computeReceipt({
          listingId: listing.id,
          bidderId: bidders[i].id,
          amount: sent[i].amount,
          submittedAt: sent[i].submittedAt,
          nonce: b.nonce,
        }),
      ).toBe(sent[i].receipt);
    }
    const record = (await as(env.app, auditor.token).get(`/api/v1/listings/${listing.id}/bids`).expect(200)).body;
    expect(record.map((b: { nonce: string }) => b.nonce)).toEqual(opened.bids.map((b: { nonce: string }) => b.nonce));
    // the bidder still sees their offer, now from the opened record
    expect(
      (await as(env.app, bidders[1].token).get(`/api/v1/listings/${listing.id}/bids/mine`).expect(200)).body,
    ).toMatchObject({ id: sent[1].id, amount: sent[1].amount });
    // nothing of the listing stays sealed or kept: its offers, decoys and kept shares are gone
    const keptShares = await env.ctx.db
      .selectFrom('opening_confirmations')
      .select('holder_id')
      .where('listing_id', '=', listing.id)
      .execute();
    expect(keptShares).toEqual([]);
    expect((await confirmShare(env.app, auditor, listing.id).expect(409)).body.error.code).toBe('INVALID_STATE');
  });

  it('opens with the opener alone when the quorum is 1', async () => {
    const { township, staff } = await setup({ openingQuorum: 1 });
    const listing = await publish(staff, township.id);
    const a = await makeUser(env.ctx, 'bidder');
    const sent = await bid(a, listing.id, '30000.00');
    await closeBidding(listing.id);
    await env.ctx.db
      .updateTable('township_rules')
      .set({ procurement_min_valid_bids: 1 })
      .where('township_id', '=', township.id)
      .execute();
    const res = await openAtQuorum(env.app, staff, listing.id, []);
    expect(res.body).toMatchObject({ status: 'opened', bids: [{ id: sent.id, amount: '30000.00', rank: 1 }] });
  });

  it('a holder whose key was reset cannot give a share; the others still reach the quorum', async () => {
    const { township, staff, auditor } = await setup();
    const auditor2 = await makeUser(env.ctx, 'auditor');
    const listing = await publish(staff, township.id);
    const a = await makeUser(env.ctx, 'bidder');
    await bid(a, listing.id, '30000.00');
    await closeBidding(listing.id);
    // an admin reset: the old wrapped key no longer opens with the password; sign-in makes a new pair
    await env.ctx.db
      .updateTable('user_keys')
      .set({ kek_salt: crypto.randomBytes(16) })
      .where('user_id', '=', auditor.id)
      .execute();
    expect((await confirmShare(env.app, auditor, listing.id).expect(409)).body.error.code).toBe('SHARE_UNREADABLE');
    await as(env.app)
      .post('/api/v1/auth/token')
      .send({ username: auditor.username, password: TEST_PASSWORD })
      .expect(200);
    expect((await confirmShare(env.app, auditor, listing.id).expect(409)).body.error.code).toBe('SHARE_UNREADABLE');
    // a tampered share: 409 too, never 500
    await env.ctx.db
      .updateTable('listing_seal_shares')
      .set({ share_sealed: crypto.randomBytes(93) })
      .where('listing_id', '=', listing.id)
      .where('holder_id', '=', auditor2.id)
      .execute();
    expect((await confirmShare(env.app, auditor2, listing.id).expect(409)).body.error.code).toBe('SHARE_UNREADABLE');
    const other = (
      await env.ctx.db
        .selectFrom('listing_seal_shares as s')
        .innerJoin('users as u', 'u.id', 's.holder_id')
        .select('u.id')
        .where('s.listing_id', '=', listing.id)
        .where('u.role', '=', 'auditor')
        .where('u.id', 'not in', [auditor.id, auditor2.id])
        .executeTakeFirst()
    )?.id;
    // every auditor of this file's database holds a share: one untouched is enough with the staff member
    expect(other).toBeDefined();
    const holder = await env.ctx.db
      .selectFrom('users')
      .select(['id', 'username'])
      .where('id', '=', other!)
      .executeTakeFirstOrThrow();
    const token = (
      await as(env.app).post('/api/v1/auth/token').send({ username: holder.username, password: TEST_PASSWORD })
    ).body.token as string;
    const res = await openAtQuorum(env.app, staff, listing.id, [{ token }]);
    expect(res.body.status).toBe('failed'); // one valid bid of three needed: still opened and read
    expect(res.body.bids[0].amount).toBe('30000.00');
  });

  it('old-scheme bids (the server’s AES seal key) of a listing without a seal still open, at the quorum', async () => {
    const { township, staff, auditor } = await setup();
    const listing = await makeListing(env.ctx, { townshipId: township.id });
    const a = await makeUser(env.ctx, 'bidder');
    const sent = await bid(a, listing.id, '39000.00');
    const row = await env.ctx.db
      .selectFrom('bids')
      .select(['amount_sealed', 'nonce'])
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(row.nonce).toMatch(/^[0-9a-f]{32}$/);
    await closeBidding(listing.id);
    await as(env.app, staff.token)
      .post(`/api/v1/listings/${listing.id}/open`)
      .send({ password: TEST_PASSWORD })
      .expect(409);
    const res = await openAtQuorum(env.app, staff, listing.id, [auditor]);
    expect(res.body.bids).toEqual([expect.objectContaining({ id: sent.id, amount: '39000.00', nonce: row.nonce })]);
  });
});

describe('what a database reader with the data folder learns before the opening', () => {
  it('finds no amount, cannot brute-force a receipt, and cannot tell how many bids a listing has', async () => {
    const { township, staff } = await setup();
    const listing = await publish(staff, township.id);
    const empty = await publish(staff, township.id);
    const bidders = await Promise.all([1, 2, 3].map(() => makeUser(env.ctx, 'bidder')));
    const before = await dumpDatabase();
    const amounts = ['43210.55', '43999.01', '44444.44'];
    const sent = [];
    for (const [i, u] of bidders.entries()) sent.push(await bid(u, listing.id, amounts[i]));
    const after = await dumpDatabase();
    const keyFiles = fs.readdirSync(dataDir).map((f) => fs.readFileSync(path.join(dataDir, f)));
    expect(keyFiles.length).toBeGreaterThan(0);

    // no amount in any form, no receipt, no nonce in clear
    for (const a of amounts) {
      expect(after).not.toContain(a);
      expect(after).not.toContain(a.replace('.', ''));
    }
    for (const s of sent) expect(after).not.toContain(s.receipt);
    // brute force: every 64-hex string of the dump against every amount near the real ones, with
    // every 32-hex string of the dump as a nonce guess, for each bidder and submission time
    const hex64 = new Set(after.match(/[0-9a-f]{64}/g) ?? []);
    const nonces = [...new Set(after.match(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g) ?? [])];
    let found = 0;
    for (const [i, s] of sent.entries()) {
      for (let fen = -200; fen <= 200; fen++) {
        const amount = (Number(amounts[i]) + fen / 100).toFixed(2);
        for (const nonce of nonces.slice(0, 50)) {
          const r = computeReceipt({
            listingId: listing.id,
            bidderId: bidders[i].id,
            amount,
            submittedAt: s.submittedAt,
            nonce,
          });
          if (hex64.has(r)) found++;
        }
      }
    }
    expect(found).toBe(0);
    // the key files open nothing that was stored for these offers
    const sealedRows = await env.ctx.db.selectFrom('sealed_bids').selectAll().execute();
    for (const file of keyFiles) {
      const key = Buffer.from(file.toString('utf8').trim(), 'hex');
      for (const r of sealedRows) {
        for (const blob of [r.offer, r.owner_copy]) {
          let opened = false;
          try {
            const d = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
            d.setAuthTag(blob.subarray(12, 28));
            Buffer.concat([d.update(blob.subarray(28)), d.final()]);
            opened = true;
          } catch {
            opened = false;
          }
          expect(opened).toBe(false);
        }
      }
    }
    // the count: no row names the listing or a bidder more than before the bids came in; the listing
    // with three bids and the one with none look alike
    const lines = (dump: string, needle: string) => dump.split('\n').filter((l) => l.includes(needle)).length;
    expect(lines(after, listing.id)).toBe(lines(before, listing.id));
    expect(lines(after, listing.id)).toBe(lines(after, empty.id));
    for (const u of bidders) expect(lines(after, u.id)).toBe(lines(before, u.id));
    // stored offers carry no listing, bidder or time: only opaque bytes of one size
    const sizes = new Set(sealedRows.map((r) => `${r.offer.length}/${r.owner_copy.length}`));
    expect(sizes.size).toBe(1);
  });
});

describe('logs before the opening', () => {
  it('name no listing for a bid, a withdrawal or a registration, and keep the request id', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      }),
    );
    const app = createApp({ ...env.ctx, logger });
    const { township, staff } = await setup();
    const listing = await publish(staff, township.id);
    const deposit = await makeListing(env.ctx, { townshipId: township.id, depositAmount: '1000.00', sealed: true });
    const a = await makeUser(env.ctx, 'bidder');
    await as(app, a.token).post(`/api/v1/listings/${listing.id}/bids`).send({ amount: '45000' }).expect(201);
    await as(app, a.token)
      .get(`/api/v1/listings/${listing.id}/bids/mine`)
      .set('X-Request-Id', 'support-123')
      .expect(200);
    await as(app, a.token).delete(`/api/v1/listings/${listing.id}/bids/mine`).expect(204);
    const reg = await as(app, a.token).post(`/api/v1/listings/${deposit.id}/registrations`).expect(201);
    await as(app, staff.token).post(`/api/v1/listings/${deposit.id}/registrations/${reg.body.id}/confirm`).expect(200);
    const text = lines.join('\n');
    expect(text).not.toContain(listing.id);
    expect(text).not.toContain(deposit.id);
    expect(text).not.toContain(reg.body.id);
    const paths = lines.map((l) => (JSON.parse(l) as { req?: { path?: string; id?: string } }).req);
    expect(paths.map((p) => p?.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/listings/:id/bids',
        '/api/v1/listings/:id/bids/mine',
        '/api/v1/listings/:id/registrations',
        '/api/v1/listings/:id/registrations/:regId/confirm',
      ]),
    );
    expect(paths.some((p) => p?.id === 'support-123')).toBe(true);
  });
});
