import { sql } from 'kysely';
import type { Executor } from '../db/db';
import type { UserRow } from '../db/database';
import type { AuthUser, Role } from '../http/access';
import type { Person } from './accounts';

export function toAuthUser(row: Pick<UserRow, 'id' | 'username' | 'role' | 'township_id' | 'name'>): AuthUser {
  return { id: row.id, username: row.username, role: row.role, townshipId: row.township_id, name: row.name };
}

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function findActiveUserById(db: Executor, id: string): Promise<AuthUser | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'township_id', 'name'])
    .where('id', '=', id)
    .where('disabled', '=', false)
    .executeTakeFirst();
  return row ? toAuthUser(row) : undefined;
}

export interface NewUser {
  username: string;
  passwordHash: string;
  role: Role;
  townshipId?: string | null;
  name?: string | null;
  idNumber?: string | null;
  phone?: string | null;
}

export async function insertUser(db: Executor, u: NewUser): Promise<AuthUser> {
  const row = await db
    .insertInto('users')
    .values({
      username: u.username,
      password_hash: u.passwordHash,
      role: u.role,
      township_id: u.townshipId ?? null,
      name: u.name ?? null,
      id_number: u.idNumber ?? null,
      phone: u.phone ?? null,
    })
    .returning(['id', 'username', 'role', 'township_id', 'name'])
    .executeTakeFirstOrThrow();
  return toAuthUser(row);
}

export async function updatePassword(db: Executor, userId: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function listUsers(db: Executor): Promise<(AuthUser & { disabled: boolean; createdAt: Date })[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'township_id', 'name', 'disabled', 'created_at'])
    .orderBy('role')
    .orderBy('username')
    .execute();
  return rows.map((r) => ({ ...toAuthUser(r), disabled: r.disabled, createdAt: r.created_at }));
}

/** Each user's name as pages and the API show it (the username when no name was given), by id. */
export async function findDisplayNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'username'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name ?? r.username]));
}

const personColumns = ['id', 'username', 'name', 'role', 'township_id'] as const;
const toPerson = (r: {
  id: string;
  username: string;
  name: string | null;
  role: Role;
  township_id: string | null;
}) => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  townshipId: r.township_id,
});

export async function findPeople(db: Executor, ids: readonly string[]): Promise<Map<string, Person>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(personColumns)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, toPerson(r)]));
}

/** Who may hold a share of a township's listing: its staff and every auditor, not disabled (staff first). */
export async function listKeyHolderCandidates(db: Executor, townshipId: string): Promise<Person[]> {
  const rows = await db
    .selectFrom('users')
    .select(personColumns)
    .where('disabled', '=', false)
    .where((eb) =>
      eb.or([eb.and([eb('role', '=', 'staff'), eb('township_id', '=', townshipId)]), eb('role', '=', 'auditor')]),
    )
    .orderBy('role', 'desc')
    .orderBy('username')
    .execute();
  return rows.map(toPerson);
}

/** The ids of a township's staff whose accounts are not disabled. */
export async function listActiveStaffIds(db: Executor, townshipId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'staff')
    .where('township_id', '=', townshipId)
    .where('disabled', '=', false)
    .execute();
  return rows.map((r) => r.id);
}

// ---- tokens (only the sha256 of a token is stored)
export async function insertToken(db: Executor, userId: string, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('api_tokens').values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt }).execute();
}

export async function findUserByToken(db: Executor, tokenHash: string): Promise<AuthUser | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id', 'u.username', 'u.role', 'u.township_id', 'u.name'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
  return row ? toAuthUser(row) : undefined;
}

export async function revokeToken(db: Executor, tokenHash: string): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: sql`now()` as never })
    .where('token_hash', '=', tokenHash)
    .execute();
}

// ---- failed sign-ins, counted in PostgreSQL so every app instance sees the same numbers
/** Failures within the window for a username, an address, or the two together. */
export async function countRecentFailures(
  db: Executor,
  by: { username?: string; address?: string },
  windowMinutes: number,
): Promise<number> {
  let q = db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${windowMinutes})`);
  if (by.username !== undefined) q = q.where('username', '=', by.username);
  if (by.address !== undefined) q = q.where('address', '=', by.address);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function recordFailure(db: Executor, username: string, address: string): Promise<void> {
  await db.insertInto('login_failures').values({ username, address }).execute();
}

export async function clearFailures(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('username', '=', username).execute();
}
