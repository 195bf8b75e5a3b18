import type { Request } from 'express';
import request from 'supertest';
import type { AuthUser } from '../../server/http/access';
import { keyOfRequest } from '../../server/keys/keys.service';
import { secretOf } from '../../server/keys/secrets';
import { createTestEnv, makeTownship, makeUser, TestEnv } from '../helpers/context';
import { signIn } from '../helpers/security';

// A bidder's personal key kept for one session or token (keys.service, keys/secrets.ts): made at sign-in, found
// and opened only with that raw secret, gone at sign-out or revocation; the database holds neither the secret nor
// the private key.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

/** Just enough of a request for secretOf: its Authorization header and, for a page, its session. */
const requestWith = (o: { authorization?: string; sessionID?: string; signedIn?: boolean }) =>
  ({
    get: (name: string) => (name.toLowerCase() === 'authorization' ? o.authorization : undefined),
    sessionID: o.sessionID,
    isAuthenticated: () => o.signedIn ?? false,
  }) as unknown as Request;

const bearer = (token: string) => requestWith({ authorization: `Bearer ${token}` });

const unlocksOf = (userId: string) =>
  env.ctx.db.selectFrom('key_unlocks').select(['handle', 'wrapped_private']).where('user_id', '=', userId).execute();

const publicKeyOf = async (userId: string) =>
  (
    await env.ctx.db
      .selectFrom('user_keys')
      .select('public_key')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow()
  ).public_key;

async function tokenFor(user: { username: string; password: string }): Promise<string> {
  const res = await request(env.app)
    .post('/api/v1/auth/token')
    .send({ username: user.username, password: user.password })
    .expect(200);
  return res.body.token as string;
}

const asAuth = (u: { id: string; role: AuthUser['role'] }) => ({ id: u.id, role: u.role }) as AuthUser;

describe('secretOf', () => {
  it('is the bearer token when there is one, else the session id of a signed-in session, else nothing', () => {
    expect(secretOf(bearer('tok-1'))).toBe('tok-1');
    expect(secretOf(requestWith({ authorization: 'bearer tok-2', sessionID: 'sid', signedIn: true }))).toBe('tok-2');
    expect(secretOf(requestWith({ sessionID: 'sid-1', signedIn: true }))).toBe('sid-1');
    expect(secretOf(requestWith({ sessionID: 'sid-2', signedIn: false }))).toBeNull();
    expect(secretOf(requestWith({ authorization: 'Basic abc' }))).toBeNull();
    expect(secretOf(requestWith({}))).toBeNull();
  });
});

describe("a bidder's kept key", () => {
  it('is kept per token under a handle that is not the token, and opens only for that token and that bidder', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const other = await makeUser(env.ctx, 'bidder');
    const before = (await unlocksOf(bidder.id)).length;
    const token = await tokenFor(bidder);
    const rows = await unlocksOf(bidder.id);
    expect(rows).toHaveLength(before + 1);
    for (const r of rows) {
      expect(r.handle).not.toContain(token);
      expect(r.wrapped_private.includes(Buffer.from(token))).toBe(false);
    }

    const key = await keyOfRequest(env.ctx, bearer(token), asAuth(bidder));
    expect(key).toBeDefined();
    expect(key!.userId).toBe(bidder.id);
    expect(key!.publicKey.equals(await publicKeyOf(bidder.id))).toBe(true);
    // neither the private key nor the token is in what the database keeps
    const stored = await env.ctx.db
      .selectFrom('user_keys')
      .select('wrapped_private')
      .where('user_id', '=', bidder.id)
      .executeTakeFirstOrThrow();
    for (const blob of [stored.wrapped_private, ...rows.map((r) => r.wrapped_private)])
      expect(blob.includes(key!.privateKey)).toBe(false);

    // another bidder presenting this token, or this bidder with a made-up one, gets no key
    expect(await keyOfRequest(env.ctx, bearer(token), asAuth(other))).toBeUndefined();
    expect(await keyOfRequest(env.ctx, bearer(`${token}x`), asAuth(bidder))).toBeUndefined();
    expect(await keyOfRequest(env.ctx, requestWith({}), asAuth(bidder))).toBeUndefined();
  });

  it('is gone when the token is revoked, and the bidder’s other tokens keep theirs', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const [first, second] = [await tokenFor(bidder), await tokenFor(bidder)];
    const before = (await unlocksOf(bidder.id)).length;
    await request(env.app).delete('/api/v1/auth/token').set('Authorization', `Bearer ${first}`).expect(204);
    expect(await unlocksOf(bidder.id)).toHaveLength(before - 1);
    expect(await keyOfRequest(env.ctx, bearer(first), asAuth(bidder))).toBeUndefined();
    expect(await keyOfRequest(env.ctx, bearer(second), asAuth(bidder))).toBeDefined();
  });

  it('is kept for a page session and gone at sign-out', async () => {
    const bidder = await makeUser(env.ctx, 'bidder');
    const before = (await unlocksOf(bidder.id)).length;
    const { agent, csrf } = await signIn(env.app, bidder);
    expect(await unlocksOf(bidder.id)).toHaveLength(before + 1);
    await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    expect(await unlocksOf(bidder.id)).toHaveLength(before);
  });

  it('is not kept for staff: their key opens only with their password, at an opening', async () => {
    const staff = await makeUser(env.ctx, 'staff', { townshipId: (await makeTownship(env.ctx)).id });
    await tokenFor(staff);
    await signIn(env.app, staff);
    expect(await unlocksOf(staff.id)).toEqual([]);
    expect(await publicKeyOf(staff.id)).toHaveLength(32);
  });
});
