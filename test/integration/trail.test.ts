import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { Checkpoint, verifyCheckpointSignature } from '../../server/trail/checkpoint';
import { leafHash, MerkleTree, verifyConsistency, verifyInclusion } from '../../server/trail/merkle';
import { entryBytes, hashEntry, StoredAuditEntry } from '../../server/trail/trail';
import { appendAudit } from '../../server/trail/append';
import { createApp } from '../../server/app';
import { createDb, createPool } from '../../server/db/db';
import { as, createTestEnv, csrfFrom, makeUser, TestEnv } from '../helpers/context';

let env: TestEnv;
let auditor: Awaited<ReturnType<typeof makeUser>>;

async function append(n: number, action = 'township.created'): Promise<void> {
  await env.ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i += 1) await appendAudit(trx, { actor: 'admin', action, data: { i, note: '记录' } });
  });
}

const checkpoint = async (): Promise<Checkpoint> =>
  (await request(env.app).get('/api/v1/audit/checkpoint').expect(200)).body as Checkpoint;
const log = async (): Promise<StoredAuditEntry[]> =>
  (await as(env.app, auditor.token).get('/api/v1/audit/export').expect(200)).body as StoredAuditEntry[];
const verify = async (kept: { size: number; root: string }) =>
  (await as(env.app, auditor.token).get(`/api/v1/audit/verify?size=${kept.size}&root=${kept.root}`).expect(200)).body;

beforeAll(async () => {
  env = await createTestEnv();
  auditor = await makeUser(env.ctx, 'auditor');
  await append(6);
});
afterAll(async () => {
  await env.close();
});

/** Another instance on the same database (or this one restarted): it reads the trail afresh. */
async function restarted<T>(use: (app: ReturnType<typeof createApp>) => Promise<T>): Promise<T> {
  const db = createDb(createPool(env.database.url, 2));
  try {
    return await use(createApp({ ...env.ctx, db }));
  } finally {
    await db.destroy();
  }
}

/** Under the app, as the database owner: the statements run with the append-only trigger off, then the trail is put back. */
async function withTamperedTrail(statements: (c: Awaited<ReturnType<TestEnv['database']['raw']>>) => Promise<void>) {
  const client = await env.database.raw();
  const saved = (await client.query('SELECT * FROM audit ORDER BY seq')).rows;
  return {
    async run(check: () => Promise<void>) {
      try {
        await client.query('SET session_replication_role = replica');
        await statements(client);
        await check();
      } finally {
        await client.query('DELETE FROM audit');
        for (const r of saved)
          await client.query(
            'INSERT INTO audit (seq, at, actor, action, listing_id, data, prev_hash, hash, leaf_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)',
            [r.seq, r.at, r.actor, r.action, r.listing_id, JSON.stringify(r.data), r.prev_hash, r.hash, r.leaf_hash],
          );
        await client.end();
      }
    },
  };
}

describe('GET /api/v1/audit/checkpoint', () => {
  it('is public, signed with Ed25519 over size|root|at, and its root is the RFC 9162 root of the entries', async () => {
    const cp = await checkpoint();
    const entries = await log();
    expect(cp).toEqual({
      size: entries.length,
      root: new MerkleTree(entries.map((e) => leafHash(entryBytes(e)))).root().toString('hex'),
      at: entries[entries.length - 1].at,
      signature: expect.any(String),
      publicKey: expect.stringContaining('BEGIN PUBLIC KEY'),
    });
    expect(verifyCheckpointSignature(cp)).toBe(true);
    // each entry's stored leaf hash is the one recomputed from the entry
    const stored = await env.ctx.db.selectFrom('audit').select(['seq', 'leaf_hash']).orderBy('seq').execute();
    expect(stored.map((r) => r.leaf_hash?.toString('hex'))).toEqual(
      entries.map((e) => leafHash(entryBytes(e)).toString('hex')),
    );
    expect(verifyCheckpointSignature({ ...cp, size: cp.size + 1 })).toBe(false);
    // the same log gives the same checkpoint; a new entry a new one
    expect(await checkpoint()).toEqual(cp);
    await append(1);
    const next = await checkpoint();
    expect(next.size).toBe(cp.size + 1);
    expect(next.root).not.toBe(cp.root);
  });
});

describe('proofs', () => {
  it('prove each entry’s inclusion in the checkpoint’s tree, from the entry itself', async () => {
    const cp = await checkpoint();
    const entries = await log();
    for (const e of entries) {
      const res = await request(env.app).get(`/api/v1/audit/proof?seq=${e.seq}&size=${cp.size}`).expect(200);
      expect(res.body).toMatchObject({ leafIndex: e.seq - 1, size: cp.size });
      const path = (res.body.path as string[]).map((p) => Buffer.from(p, 'hex'));
      expect(verifyInclusion(leafHash(entryBytes(e)), e.seq - 1, cp.size, path, Buffer.from(cp.root, 'hex'))).toBe(
        true,
      );
      expect(
        verifyInclusion(
          leafHash(entryBytes({ ...e, actor: 'x' })),
          e.seq - 1,
          cp.size,
          path,
          Buffer.from(cp.root, 'hex'),
        ),
      ).toBe(false);
    }
  });

  it('prove an earlier checkpoint is a prefix of a later one', async () => {
    const old = await checkpoint();
    await append(5);
    const now = await checkpoint();
    const res = await request(env.app).get(`/api/v1/audit/consistency?from=${old.size}&to=${now.size}`).expect(200);
    expect(res.body).toMatchObject({ from: old.size, to: now.size });
    const path = (res.body.path as string[]).map((p) => Buffer.from(p, 'hex'));
    const [a, b] = [Buffer.from(old.root, 'hex'), Buffer.from(now.root, 'hex')];
    expect(verifyConsistency(old.size, now.size, a, b, path)).toBe(true);
    expect(verifyConsistency(old.size, now.size, b, a, path)).toBe(false);
  });

  it.each([
    ['/audit/proof', 422, 'VALIDATION'],
    ['/audit/proof?seq=0', 422, 'VALIDATION'],
    ['/audit/proof?seq=abc', 422, 'VALIDATION'],
    ['/audit/proof?seq=1&size=999999', 422, 'VALIDATION'],
    ['/audit/proof?seq=5&size=3', 422, 'VALIDATION'],
    ['/audit/proof?seq=1.5', 422, 'VALIDATION'],
    ['/audit/consistency', 422, 'VALIDATION'],
    ['/audit/consistency?from=-1', 422, 'VALIDATION'],
    ['/audit/consistency?from=5&to=3', 422, 'VALIDATION'],
    ['/audit/consistency?from=1&to=999999', 422, 'VALIDATION'],
    ['/audit/consistency?from=1e400', 422, 'VALIDATION'],
  ])('refuse %s with %s', async (url, status, code) => {
    const res = await request(env.app).get(`/api/v1${url}`).set('Accept-Language', 'en').expect(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
  });
});

describe('GET /api/v1/audit/verify against a kept checkpoint', () => {
  let kept: Checkpoint;
  beforeAll(async () => {
    kept = await checkpoint();
    await append(2); // the log goes on after the checkpoint was kept
  });

  it('holds for the untouched log, and refuses bad parameters', async () => {
    const now = await checkpoint();
    expect(await verify(kept)).toEqual({
      valid: true,
      entries: now.size,
      head: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const bad = async (q: string) =>
      (await as(env.app, auditor.token).get(`/api/v1/audit/verify?${q}`).expect(422)).body.error.code;
    expect(await bad(`size=${kept.size}`)).toBe('VALIDATION');
    expect(await bad(`root=${kept.root}`)).toBe('VALIDATION');
    expect(await bad(`size=${kept.size}&root=xyz`)).toBe('VALIDATION');
    expect(await bad(`size=-3&root=${kept.root}`)).toBe('VALIDATION');
    await request(env.app).get(`/api/v1/audit/verify?size=${kept.size}&root=${kept.root}`).expect(401);
  });

  it('catches an altered entry', async () => {
    await (
      await withTamperedTrail(async (c) => {
        await c.query(`UPDATE audit SET data = '{"i": 99}' WHERE seq = 3`);
      })
    ).run(async () => {
      expect(await verify(kept)).toEqual({ valid: false, reason: 'CHAIN_BROKEN', brokenAt: 3 });
    });
    expect((await verify(kept)).valid).toBe(true);
  });

  it('catches a removed middle entry', async () => {
    await (
      await withTamperedTrail(async (c) => {
        await c.query('DELETE FROM audit WHERE seq = 4');
      })
    ).run(async () => {
      expect(await verify(kept)).toEqual({ valid: false, reason: 'CHAIN_BROKEN', brokenAt: 4 });
    });
  });

  it('catches a cut-off tail, which the bare chain check cannot', async () => {
    await (
      await withTamperedTrail(async (c) => {
        await c.query('DELETE FROM audit WHERE seq > $1', [kept.size - 2]);
      })
    ).run(async () => {
      expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body.valid).toBe(true);
      expect(await verify(kept)).toEqual({ valid: false, reason: 'TRUNCATED', entries: kept.size - 2 });
    });
  });

  it('catches a fully rewritten chain (every hash recomputed), which the bare chain check cannot', async () => {
    await (
      await withTamperedTrail(async (c) => {
        const rows = (await c.query('SELECT * FROM audit ORDER BY seq')).rows;
        let prev = '0'.repeat(64);
        for (const r of rows) {
          const entry = {
            seq: Number(r.seq),
            at: new Date(r.at).toISOString(),
            actor: Number(r.seq) === 2 ? 'mallory' : r.actor,
            action: r.action,
            listingId: r.listing_id,
            data: r.data,
          };
          const hash = hashEntry(prev, entry);
          await c.query('UPDATE audit SET actor = $1, prev_hash = $2, hash = $3, leaf_hash = $4 WHERE seq = $5', [
            entry.actor,
            prev,
            hash,
            leafHash(entryBytes(entry)),
            r.seq,
          ]);
          prev = hash;
        }
      })
    ).run(async () => {
      expect((await as(env.app, auditor.token).get('/api/v1/audit/verify').expect(200)).body.valid).toBe(true);
      expect(await verify(kept)).toEqual({ valid: false, reason: 'ROOT_MISMATCH', entries: expect.any(Number) });
      // and an instance that signs the rewrite cannot prove it consistent with the kept checkpoint
      const { now, proof } = await restarted(async (app) => {
        const cp = (await request(app).get('/api/v1/audit/checkpoint').expect(200)).body as Checkpoint;
        return { now: cp, proof: await request(app).get(`/api/v1/audit/consistency?from=${kept.size}&to=${cp.size}`) };
      });
      expect(now.root).not.toBe(kept.root);
      const path = (proof.body.path as string[]).map((p) => Buffer.from(p, 'hex'));
      expect(
        verifyConsistency(kept.size, now.size, Buffer.from(kept.root, 'hex'), Buffer.from(now.root, 'hex'), path),
      ).toBe(false);
    });
    expect((await verify(kept)).valid).toBe(true);
  });
});

describe('npm run audit:verify against a running instance', () => {
  const cli = path.resolve(__dirname, '../../server/trail/verify-cli.ts');
  const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
  const run = (args: string[]) =>
    promisify(execFile)(tsx, [cli, ...args]).then(
      (r) => ({ code: 0, out: JSON.parse(r.stdout) as Record<string, unknown> }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: JSON.parse(e.stdout) as Record<string, unknown> }),
    );

  it('saves a checkpoint, accepts a log that grew, and refuses one that was cut or rewritten', async () => {
    const server = env.app.listen(0);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kept-')), 'checkpoint.json');
    try {
      const first = await run(['--url', url, '--checkpoint', file]);
      expect(first).toMatchObject({ code: 0, out: { valid: true, kept: null } });
      const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
      expect(verifyCheckpointSignature(saved)).toBe(true);

      await append(3);
      const grown = await run(['--url', url, '--checkpoint', file]);
      expect(grown).toMatchObject({ code: 0, out: { valid: true, kept: saved.size, size: saved.size + 3 } });
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
      expect(kept.size).toBe(saved.size + 3);

      await (
        await withTamperedTrail(async (c) => {
          await c.query('DELETE FROM audit WHERE seq > $1', [kept.size - 1]);
        })
      ).run(async () => {
        const cut = await run(['--url', url, '--checkpoint', file]);
        expect(cut.code).toBe(1);
        expect(cut.out.problem).toMatch(/cut off/);
      });
      await (
        await withTamperedTrail(async (c) => {
          await c.query(`UPDATE audit SET data = '{"i": 7}', leaf_hash = NULL WHERE seq = 2`);
        })
      ).run(async () =>
        // an instance started after the rewrite signs what it finds; it cannot be proved consistent
        restarted(async (app) => {
          const other = app.listen(0);
          try {
            const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
            const rewritten = await run(['--url', otherUrl, '--checkpoint', file]);
            expect(rewritten.code).toBe(1);
            expect(rewritten.out.problem).toMatch(/altered or removed/);
          } finally {
            other.close();
          }
        }),
      );
      // a refused check keeps the file as it was
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(kept);
      expect((await run(['--url', url, '--checkpoint', file])).code).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('the checkpoint in public', () => {
  it('is on the board (a printable line) and its JSON, and in the OCDS package', async () => {
    await append(1);
    const cp = await checkpoint();
    const board = await request(env.app).get('/api/v1/board').expect(200);
    expect(board.body.checkpoint).toEqual(cp);
    const page = await request(env.app).get('/board').expect(200);
    expect(page.text).toContain(`审计日志检查点：共 ${cp.size} 条，根 ${cp.root}`);
    expect(page.text).toContain(cp.signature.replace(/=/g, '&#x3D;'));
    const ocds = await request(env.app).get('/api/v1/ocds/releases').expect(200);
    expect(ocds.body.auditCheckpoint).toEqual(cp);
    // cached by data version: a new entry (written here outside the app) shows once its NOTIFY arrives
    await append(1);
    let size = cp.size;
    for (let i = 0; i < 50 && size === cp.size; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      size = (await request(env.app).get('/api/v1/board').expect(200)).body.checkpoint.size;
    }
    expect(size).toBe(cp.size + 1);
  });
});

describe('/auditor/verify', () => {
  async function signIn() {
    const agent = request.agent(env.app);
    const form = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: auditor.username, password: auditor.password })
      .expect(303);
    return agent;
  }

  it('shows the checkpoint and checks a pasted one (POST/redirect/GET), the JSON or the printed line', async () => {
    const agent = await signIn();
    const cp = await checkpoint();
    const page = await agent.get('/auditor/verify').expect(200);
    expect(page.text).toContain(cp.root);
    const posted = await agent
      .post('/auditor/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kept: JSON.stringify(cp) })
      .expect(303);
    expect(posted.headers.location).toBe(`/auditor/verify?size=${cp.size}&root=${cp.root}`);
    expect((await agent.get(posted.headers.location).expect(200)).text).toContain('kept-ok');
    const line = `2026-12-01 审计日志检查点：共 ${cp.size} 条，根 ${cp.root}`;
    const byLine = await agent
      .post('/auditor/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kept: line });
    expect(byLine.headers.location).toBe(`/auditor/verify?size=${cp.size}&root=${cp.root}`);

    const garbage = await agent
      .post('/auditor/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kept: 'not a checkpoint' })
      .expect(422);
    expect(garbage.text).toContain('无法识别');
    const forged = await agent
      .post('/auditor/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), kept: JSON.stringify({ ...cp, size: cp.size - 1 }) })
      .expect(422);
    expect(forged.text).toContain('签名无效');
    await agent.get('/auditor/verify?size=abc&root=00').expect(422);

    await (
      await withTamperedTrail(async (c) => {
        await c.query('DELETE FROM audit WHERE seq = $1', [cp.size]);
      })
    ).run(async () => {
      const broken = await agent.get(posted.headers.location).expect(200);
      expect(broken.text).toContain('kept-broken');
      expect(broken.text).toContain('截断');
    });
  });
});
