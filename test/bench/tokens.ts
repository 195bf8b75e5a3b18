import crypto from 'node:crypto';
import type { Db } from '../../server/db/db';

/** A bearer token for the user, written straight into the table (no argon2, no login round trip), valid an hour. */
export async function insertBearerToken(db: Db, userId: string): Promise<string> {
  const token = crypto.randomBytes(24).toString('hex');
  await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      token_hash: crypto.createHash('sha256').update(token).digest('hex'),
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();
  return token;
}
