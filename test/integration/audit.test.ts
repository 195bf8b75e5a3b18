import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { sql } from 'kysely';
import { appendAudit } from '../../server/trail/append';
import { verifyChain } from '../../server/trail/trail';
import { as, createTestEnv, csrfFrom, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

let env: TestEnv;
let auditor: Awaited<ReturnType<typeof makeUser>>;
let admin: Awaited<ReturnType<typeof makeUser>>;
let listingId: string;

beforeAll(async () => {
  env = await createTestEnv();
  auditor = await makeUser(env.ctx, 'auditor');
  admin = await makeUser(env.ctx, 'admin');
  const township = await makeTownship(env.ctx);
  listingId = (await makeListing(env.ctx, { townshipId: township.id, state: 'awarded' })).id;
  await env.ctx.db.transaction().execute(async (trx) => {
    await appendAudit(trx, { actor: 'staff1', action: 'listing.created', listingId, data: { title: '村道硬化' } });
    await appendAudit(trx, { actor: 'staff1', action: 'listing.published', listingId, data: {} });
    await appendAudit(trx, { actor: 'admin', action: 'township.created', data: { code: 'X' } });
    await appendAudit(trx, { actor: 'staff1', action: 'listing.opened', listingId, data: { bidCount: 3 } });
  });
});
afterAll(async () => {
  await env.close();
});

/** Reaches under the app: a superuser session with triggers off (replication replica mode). */
async function tamper(statements: string[]): Promise<void> {
  const client = await env.database.raw();
  try {
    await client.query('SET session_replication_role = replica');
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/** Puts the trail back exactly as it was, so later tests start from an intact chain. */
async function withTamperedTrail(statements: string[], check: () => Promise<void>): Promise<void> {
  const client = await env.database.raw();
  const saved = (await client.query('SELECT * FROM audit ORDER BY seq')).rows;
  await client.end();
  try {
    await tamper(statements);
    await check();
  } finally {
    const restore = await env.database.raw();
    await restore.query('SET session_replication_role = replica');
    await restore.query('DELETE FROM audit');
    for (const r of saved) {
      await restore.query(
        'INSERT INTO audit (seq, at, actor, action, listing_id, data, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)',
        [r.seq, r.at, r.actor, r.action, r.listing_id, JSON.stringify(r.data), r.prev_hash, r.hash],
      );
    }
    await restore.end();
  }
}

describe('GET /api/v1/audit/log', () => {
  it('lists the trail in order with hashes, filtered by listing and paged', async () => {
    const all = await as(env.app, auditor.token).get('/api/v1/audit/log').expect(200);
    expect(all.body).toHaveLength(4);
    expect(all.body[0]).toEqual({
      seq: 1,
      at: expect.any(String),
      actor: 'staff1',
      action: 'listing.created',
      listingId,
      data: { title: '村道硬化' },
      prevHash: '0'.repeat(64),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(all.body[1].prevHash).toBe(all.body[0].hash);
    const mine = await as(env.app, admin.token).get(`/api/v1/audit/log?listingId=${listingId}`).expect(200);
    expect(mine.body.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 4]);
    const page = await as(env.app, auditor.token).get('/api/v1/audit/log?after=1&limit=2').expect(200);
    expect(page.body.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
  });

  it('refuses staff and bidders, anonymous callers, and bad paging', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const bidder = await makeUser(env.ctx, 'bidder');
    expect((await as(env.app, staff.token).get('/api/v1/audit/log').expect(403)).body.error.code).toBe('FORBIDDEN');
    await as(env.app, bidder.token).get('/api/v1/audit/verify').expect(403);
    await request(env.app).get('/api/v1/audit/log').expect(401);
    expect((await as(env.app, auditor.token).get('/api/v1/audit/log?limit=0').expect(422)).body.error.code).toBe(
      'VALIDATION',
    );
    await as(env.app, auditor.token).get('/api/v1/audit/log?listingId=nope').expect(404);
  });
});

describe('the append-only trail', () => {
  it('refuses UPDATE, DELETE and TRUNCATE through the app’s own connection, and the trigger refuses them to the owner', async () => {
    await expect(sql`UPDATE audit SET actor = 'mallory' WHERE seq = 1`.execute(env.ctx.db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(sql`DELETE FROM audit WHERE seq = 4`.execute(env.ctx.db)).rejects.toThrow(/permission denied/);
    await expect(sql`TRUNCATE audit`.execute(env.ctx.db)).rejects.toThrow(/permission denied/);
    const owner = await env.database.raw();
    try {
      await expect(owner.query(`UPDATE audit SET actor = 'mallory' WHERE seq = 1`)).rejects.toThrow(/append-only/);
      await expect(owner.query('DELETE FROM audit WHERE seq = 4')).rejects.toThrow(/append-only/);
      await expect(owner.query('TRUNCATE audit')).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
    const rows = await env.ctx.db.selectFrom('audit').select(['seq', 'actor']).orderBy('seq').execute();
    expect(rows.map((r) => [Number(r.seq), r.actor])).toEqual([
      [1, 'staff1'],
      [2, 'staff1'],
      [3, 'admin'],
      [4, 'staff1'],
    ]);
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('recomputes every hash and answers the head', async () => {
    const log = await as(env.app, auditor.token).get('/api/v1/audit/log').expect(200);
    const res = await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200);
    expect(res.body).toEqual({ valid: true, entries: 4, head: log.body[3].hash });
  });

  it('finds an entry altered in SQL', async () => {
    await withTamperedTrail([`UPDATE audit SET data = '{"bidCount": 1}' WHERE seq = 4`], async () => {
      expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body).toEqual({
        valid: false,
        brokenAt: 4,
      });
    });
    expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body.valid).toBe(true);
  });

  it('finds an entry altered together with a recomputed hash, at the next entry', async () => {
    // even a tamperer who recomputes the row's own hash breaks the link to the next entry
    const log = await as(env.app, auditor.token).get('/api/v1/audit/log').expect(200);
    const { hashEntry } = await import('../../server/trail/trail');
    const e = { ...log.body[1], actor: 'someone-else' };
    await withTamperedTrail(
      [`UPDATE audit SET actor = 'someone-else', hash = '${hashEntry(e.prevHash, e)}' WHERE seq = 2`],
      async () => {
        expect((await as(env.app, admin.token).get('/api/v1/audit/verify').expect(200)).body).toEqual({
          valid: false,
          brokenAt: 3,
        });
      },
    );
  });

  it('finds a removed entry', async () => {
    await withTamperedTrail(['DELETE FROM audit WHERE seq = 2'], async () => {
      expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body).toEqual({
        valid: false,
        brokenAt: 2,
      });
    });
  });

  it('finds two entries swapped', async () => {
    await withTamperedTrail(
      [
        `UPDATE audit a SET at = b.at, actor = b.actor, action = b.action, listing_id = b.listing_id, data = b.data, prev_hash = b.prev_hash, hash = b.hash
         FROM audit b WHERE (a.seq = 2 AND b.seq = 3) OR (a.seq = 3 AND b.seq = 2)`,
      ],
      async () => {
        expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body).toEqual({
          valid: false,
          brokenAt: 2,
        });
      },
    );
  });

  it('finds tampering with the trigger disabled by ALTER TABLE', async () => {
    const client = await env.database.raw();
    const saved = (await client.query('SELECT data FROM audit WHERE seq = 3')).rows[0].data;
    try {
      await client.query('ALTER TABLE audit DISABLE TRIGGER audit_append_only');
      await client.query(`UPDATE audit SET data = '{"code": "Y"}' WHERE seq = 3`);
      expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body).toEqual({
        valid: false,
        brokenAt: 3,
      });
      await client.query('UPDATE audit SET data = $1 WHERE seq = 3', [JSON.stringify(saved)]);
    } finally {
      await client.query('ALTER TABLE audit ENABLE TRIGGER audit_append_only');
      await client.end();
    }
    expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body.valid).toBe(true);
  });
});

describe('export and offline verification', () => {
  it('exports every entry, and the standalone script verifies the file', async () => {
    const res = await as(env.app, auditor.token).get('/api/v1/audit/export').expect(200);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    expect(res.body).toHaveLength(4);
    expect(verifyChain(res.body)).toMatchObject({ valid: true, entries: 4 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    const good = path.join(dir, 'trail.json');
    const bad = path.join(dir, 'tampered.json');
    fs.writeFileSync(good, JSON.stringify(res.body));
    fs.writeFileSync(
      bad,
      JSON.stringify(res.body.map((e: { seq: number }) => (e.seq === 2 ? { ...e, actor: 'x' } : e))),
    );
    const cli = path.resolve(__dirname, '../../server/trail/verify-cli.ts');
    const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const ok = await promisify(execFile)(tsx, [cli, good]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, entries: 4 });
    const broken = await promisify(execFile)(tsx, [cli, bad]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(broken?.code).toBe(1);
    expect(JSON.parse(broken!.stdout)).toEqual({ valid: false, brokenAt: 2 });
  });
});

describe('review notes', () => {
  it('records an auditor’s note and reviewed mark, and writes it to the trail', async () => {
    const res = await as(env.app, auditor.token)
      .post(`/api/v1/audit/listings/${listingId}/notes`)
      .send({ text: '核对成交价', reviewed: true })
      .expect(201);
    expect(res.body).toMatchObject({ listingId, text: '核对成交价', reviewed: true, author: auditor.username });
    const row = await env.ctx.db
      .selectFrom('review_notes')
      .selectAll()
      .where('id', '=', res.body.id)
      .executeTakeFirstOrThrow();
    expect(row.reviewed).toBe(true);
    const last = await env.ctx.db
      .selectFrom('audit')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'review.noted', actor: auditor.username, listing_id: listingId });
    expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body).toMatchObject({
      valid: true,
      entries: 5,
    });
    const list = await as(env.app, admin.token).get(`/api/v1/audit/listings/${listingId}/notes`).expect(200);
    expect(list.body).toHaveLength(1);
  });

  it('refuses an empty note and staff authors', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    expect(
      (
        await as(env.app, auditor.token)
          .post(`/api/v1/audit/listings/${listingId}/notes`)
          .send({ text: ' ' })
          .expect(422)
      ).body.error.code,
    ).toBe('VALIDATION');
    await as(env.app, staff.token).post(`/api/v1/audit/listings/${listingId}/notes`).send({ text: 'x' }).expect(403);
    await as(env.app, auditor.token)
      .post('/api/v1/audit/listings/00000000-0000-4000-8000-000000000000/notes')
      .send({ text: 'x' })
      .expect(404);
  });
});

describe('auditor pages', () => {
  async function signIn(user: { username: string; password: string }) {
    const agent = request.agent(env.app);
    const form = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: user.username, password: user.password })
      .expect(303);
    return agent;
  }

  it('shows the workspace, a deal’s timeline, verification, and takes a note', async () => {
    const agent = await signIn(auditor);
    const desk = await agent.get('/auditor').expect(200);
    expect(desk.text).toContain(`/auditor/listings/${listingId}`);
    const deal = await agent.get(`/auditor/listings/${listingId}`).expect(200);
    expect(deal.text).toContain('listing.opened');
    const posted = await agent
      .post(`/auditor/listings/${listingId}/notes`)
      .type('form')
      .send({ _csrf: csrfFrom(deal.text), text: '页面审阅意见', reviewed: '1' })
      .expect(303);
    expect(posted.headers.location).toBe(`/auditor/listings/${listingId}?noted=1`);
    expect((await agent.get(posted.headers.location).expect(200)).text).toContain('页面审阅意见');
    const verify = await agent.get('/auditor/verify').expect(200);
    expect(verify.text).toContain('verify-ok');
    const csv = await agent.get(`/auditor/listings/${listingId}/timeline.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    expect(csv.text).toContain('review.noted');
  });

  it('shows a broken chain on the verification page', async () => {
    const agent = await signIn(admin);
    await withTamperedTrail(['DELETE FROM audit WHERE seq = 1'], async () => {
      const page = await agent.get('/auditor/verify').expect(200);
      expect(page.text).toContain('verify-broken');
    });
  });

  it('is closed to staff', async () => {
    const township = await makeTownship(env.ctx);
    const staff = await makeUser(env.ctx, 'staff', { townshipId: township.id });
    const agent = await signIn(staff);
    await agent.get('/auditor').expect(403);
  });
});
