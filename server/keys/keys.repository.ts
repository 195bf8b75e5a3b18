import { sql } from 'kysely';
import type { Executor } from '../db/db';
import type { KekParams } from './crypto';

// Personal key pairs (user_keys) and their per-session copies (key_unlocks).

export interface StoredUserKey {
  userId: string;
  publicKey: Buffer;
  wrappedPrivate: Buffer;
  kekSalt: Buffer;
  kekParams: KekParams;
}

export async function findUserKey(db: Executor, userId: string): Promise<StoredUserKey | undefined> {
  const row = await db.selectFrom('user_keys').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row
    ? {
        userId: row.user_id,
        publicKey: row.public_key,
        wrappedPrivate: row.wrapped_private,
        kekSalt: row.kek_salt,
        kekParams: row.kek_params,
      }
    : undefined;
}

/** The public keys of the given users that have one (holders without a key get no share). */
export async function listPublicKeys(db: Executor, userIds: string[]): Promise<Map<string, Buffer>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('user_keys')
    .select(['user_id', 'public_key'])
    .where('user_id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [r.user_id, r.public_key]));
}

/** Inserts or replaces the user's key pair (a replaced pair cannot open what was sealed to the old one). */
export async function saveUserKey(db: Executor, k: StoredUserKey): Promise<void> {
  const values = {
    public_key: k.publicKey,
    wrapped_private: k.wrappedPrivate,
    kek_salt: k.kekSalt,
    kek_params: JSON.stringify(k.kekParams),
  };
  await db
    .insertInto('user_keys')
    .values({ user_id: k.userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...values, updated_at: sql`now()` as never }))
    .execute();
}

export async function saveUnlock(
  db: Executor,
  u: { handle: string; userId: string; wrappedPrivate: Buffer; expiresAt: Date },
): Promise<void> {
  const values = { user_id: u.userId, wrapped_private: u.wrappedPrivate, expires_at: u.expiresAt };
  await db
    .insertInto('key_unlocks')
    .values({ handle: u.handle, ...values })
    .onConflict((oc) => oc.column('handle').doUpdateSet(values))
    .execute();
}

export async function findUnlock(
  db: Executor,
  handle: string,
): Promise<{ userId: string; wrappedPrivate: Buffer } | undefined> {
  const row = await db
    .selectFrom('key_unlocks')
    .select(['user_id', 'wrapped_private'])
    .where('handle', '=', handle)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { userId: row.user_id, wrappedPrivate: row.wrapped_private } : undefined;
}

export async function deleteUnlock(db: Executor, handle: string): Promise<void> {
  await db.deleteFrom('key_unlocks').where('handle', '=', handle).execute();
}

/** Copies whose session or token has expired: nothing can use them any more. */
export async function pruneUnlocks(db: Executor): Promise<void> {
  await db
    .deleteFrom('key_unlocks')
    .where('expires_at', '<=', sql<Date>`now()`)
    .execute();
}
