import crypto from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createDb, createPool } from '../../server/db/db';
import { createPasswordHasher } from '../../server/accounts/passwords';
import { inboxNotifier } from '../../server/notifications/notifier';
import { listingSteps } from '../../server/listing-steps';

describe('when the database does not answer', () => {
  const config = loadConfig({ LOG_LEVEL: 'silent', SESSION_PRUNE_SECONDS: '0' });
  const pool = createPool('postgres://nobody:x@127.0.0.1:9/none', 2);
  const db = createDb(pool);
  const app = createApp({
    db,
    pool,
    config,
    logger: pino({ level: 'silent' }),
    hasher: createPasswordHasher(config.argon2),
    sealKey: crypto.randomBytes(32),
    sessionSecret: 'x'.repeat(32),
    notifier: inboxNotifier,
    auditSigningKey: crypto.generateKeyPairSync('ed25519').privateKey,
    listingSteps,
  });
  afterAll(() => db.destroy());

  it('reports 503 on /healthz', async () => {
    await request(app).get('/healthz').expect(503, { ok: false });
  });
  it('answers API calls with a clear 503, never a 500', async () => {
    const res = await request(app).get('/api/v1/townships').expect(503);
    expect(res.body.error.code).toBe('UNAVAILABLE');
    expect(res.body.error.message).toContain('数据库');
  });
});
