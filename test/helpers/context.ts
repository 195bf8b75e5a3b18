import crypto from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { loadConfig, Config } from '../../server/config';
import type { AppContext } from '../../server/context';
import type { AuthUser, Role } from '../../server/http/access';
import { createPasswordHasher } from '../../server/accounts/passwords';
import { insertUser } from '../../server/accounts/accounts.repository';
import { issueToken } from '../../server/accounts/accounts.service';
import { inboxNotifier } from '../../server/notifications/notifier';
import { KekParams, passwordKek } from '../../server/keys/crypto';
import { kekParamsOf, storeNewPersonalKey, unlockForSecret } from '../../server/keys/keys.service';
import { defaultRules, Township, TownshipRules } from '../../server/townships/townships';
import { insertTownship, upsertRules } from '../../server/townships/townships.repository';
import { createTestDatabase, TestDatabase } from './db';
import { listingSteps } from '../../server/listing-steps';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestEnv {
  ctx: AppContext;
  app: Express;
  database: TestDatabase;
  close(): Promise<void>;
}

/** A real app on its own cloned database. Call in beforeAll; close in afterAll. */
export async function createTestEnv(env: Record<string, string> = {}): Promise<TestEnv> {
  const database = await createTestDatabase();
  const config: Config = {
    ...loadConfig({ LOG_LEVEL: 'silent', SESSION_PRUNE_SECONDS: '0', ...env }),
    databaseUrl: database.url,
  };
  const ctx: AppContext = {
    db: database.db,
    pool: database.pool,
    config,
    logger: pino({ level: 'silent' }),
    hasher: createPasswordHasher(config.argon2),
    sealKey: crypto.randomBytes(32),
    sessionSecret: crypto.randomBytes(16).toString('hex'),
    notifier: inboxNotifier,
    auditSigningKey: crypto.generateKeyPairSync('ed25519').privateKey,
    listingSteps,
  };
  return { ctx, app: createApp(ctx), database, close: () => database.drop() };
}

let seq = 0;
/** A unique suffix for names and codes, so tests never collide on data. */
export function unique(prefix = 'u'): string {
  seq += 1;
  return `${prefix}${process.pid.toString(36)}${seq.toString(36)}${crypto.randomBytes(2).toString('hex')}`;
}

/** A township with default rules (or the given overrides). */
export async function makeTownship(
  ctx: AppContext,
  rules: Partial<TownshipRules> = {},
  district = '测试区',
): Promise<Township> {
  const code = unique('T').slice(0, 16).toUpperCase();
  const township = await insertTownship(ctx.db, { code, name: `测试镇${code}`, district });
  await upsertRules(ctx.db, township.id, { ...defaultRules(), ...rules });
  return township;
}

let cachedHash: Promise<string> | null = null;
/** A user inserted directly (hashing once per file keeps tests fast) with a bearer token. */
export async function makeUser(
  ctx: AppContext,
  role: Role,
  extra: { townshipId?: string; name?: string; idNumber?: string; phone?: string } = {},
): Promise<AuthUser & { token: string; password: string }> {
  cachedHash ??= ctx.hasher.hash(TEST_PASSWORD);
  const user = await insertUser(ctx.db, {
    username: unique(role),
    passwordHash: await cachedHash,
    role,
    townshipId: extra.townshipId ?? null,
    name: extra.name ?? `${role} ${unique('n')}`,
    idNumber: extra.idNumber ?? (role === 'bidder' ? `3608021990${crypto.randomInt(10_000_000, 99_999_999)}` : null),
    phone: extra.phone ?? (role === 'bidder' ? `139${crypto.randomInt(10_000_000, 99_999_999)}` : null),
  });
  const { token, expiresAt } = await issueToken(ctx, user);
  if (role !== 'admin') {
    // a personal key pair as sign-in makes it (keys.service), wrapped under TEST_PASSWORD; the argon2id
    // key-encryption key is derived once per file, like the password hash above
    cachedKek ??= (async () => {
      const salt = crypto.randomBytes(16);
      const params = kekParamsOf(ctx);
      return { key: await passwordKek(TEST_PASSWORD, salt, params), salt, params };
    })();
    const privateKey = await storeNewPersonalKey(ctx, user.id, await cachedKek);
    if (role === 'bidder') await unlockForSecret(ctx, user.id, privateKey, token, expiresAt);
  }
  return { ...user, token, password: TEST_PASSWORD };
}
let cachedKek: Promise<{ key: Buffer; salt: Buffer; params: KekParams }> | null = null;

/** supertest with the user's bearer token. */
export function as(app: Express, token?: string) {
  const agent = request(app);
  const auth = <T extends request.Test>(t: T) => (token ? t.set('Authorization', `Bearer ${token}`) : t);
  return {
    get: (url: string) => auth(agent.get(url)),
    post: (url: string) => auth(agent.post(url)),
    put: (url: string) => auth(agent.put(url)),
    patch: (url: string) => auth(agent.patch(url)),
    delete: (url: string) => auth(agent.delete(url)),
  };
}

/** Extracts the CSRF token from a rendered page. */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('no CSRF token in page');
  return m[1];
}
