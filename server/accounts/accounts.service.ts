import crypto from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context';
import type { Db, Trx } from '../db/db';
import type { AuthUser } from '../http/access';
import { appendAudit } from '../trail/append';
import { AppError, ConflictError, RateLimitedError, ValidationError } from '../http/errors';
import { parseInput, text } from '../http/validate';
import { findTownship } from '../townships/townships.service';
import { hashToken, Person, ROLES, signInDelayMs } from './accounts';
import * as repo from './accounts.repository';
import { checkPasswordPolicy, PasswordHasher } from './passwords';
import { onSignIn } from '../keys/keys.service';
import './accounts.messages';

const username = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_.@-]{3,40}$/u);
// length is checked by the policy so the message can say why
const password = z.string().max(1024);

export const bidderInput = z.object({
  username,
  password,
  name: text(100),
  idNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z]{15,18}$/),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{5,19}$/),
});

export const userInput = z.object({
  username,
  password,
  role: z.enum(ROLES as [string, ...string[]]),
  townshipId: z.string().uuid().nullish(),
  name: text(100).optional(),
});

function assertPasswordPolicy(pw: string): void {
  const problem = checkPasswordPolicy(pw);
  if (problem) throw new ValidationError({ password: { key: `password.${problem}` } });
}

async function insertUnique(db: Db, actor: string, user: repo.NewUser): Promise<AuthUser> {
  return db
    .transaction()
    .execute(async (trx) => {
      if (await repo.findUserByUsername(trx, user.username)) throw new ConflictError('USERNAME_TAKEN');
      const created = await repo.insertUser(trx, user);
      await appendAudit(trx, {
        actor,
        action: 'user.created',
        data: { userId: created.id, username: created.username, role: created.role, townshipId: created.townshipId },
      });
      return created;
    })
    .catch((e: { code?: string }) => {
      if (e?.code === '23505') throw new ConflictError('USERNAME_TAKEN');
      throw e;
    });
}

/** Public self-registration: always a bidder. */
export async function registerBidder(ctx: AppContext, body: unknown): Promise<AuthUser> {
  const input = parseInput(bidderInput, body);
  assertPasswordPolicy(input.password);
  const passwordHash = await ctx.hasher.hash(input.password);
  const user = await insertUnique(ctx.db, input.username, {
    username: input.username,
    passwordHash,
    role: 'bidder',
    name: input.name,
    idNumber: input.idNumber.toUpperCase(),
    phone: input.phone,
  });
  // the password is known now: the personal key pair is made with it (keys/keys.service.ts)
  await onSignIn(ctx, user, input.password, null, new Date());
  return user;
}

/** The admin makes staff, auditor and admin accounts (staff bound to a township). */
export async function createUser(ctx: AppContext, actor: AuthUser, body: unknown): Promise<AuthUser> {
  const input = parseInput(userInput, body);
  assertPasswordPolicy(input.password);
  const role = input.role as AuthUser['role'];
  if (role === 'staff' && !input.townshipId)
    throw new ValidationError({ townshipId: { key: 'accounts.townshipRequired' } });
  if (input.townshipId && !(await findTownship(ctx, input.townshipId)))
    throw new ValidationError({ townshipId: { key: 'accounts.townshipUnknown' } });
  const passwordHash = await ctx.hasher.hash(input.password);
  const user = await insertUnique(ctx.db, actor.username, {
    username: input.username,
    passwordHash,
    role,
    townshipId: role === 'staff' ? input.townshipId : (input.townshipId ?? null),
    name: input.name ?? null,
  });
  // a key holder holds shares of listings published from now on: their key pair is made now
  await onSignIn(ctx, user, input.password, null, new Date());
  return user;
}

// A hash of a random password: unknown usernames cost the same time as wrong passwords.
let dummyHash: Promise<string> | null = null;
function dummy(hasher: PasswordHasher) {
  dummyHash ??= hasher.hash(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}

/**
 * Checks a username and password. Too many recent failures for that username from that address, or
 * from that address at all, answer 429 before any password is tried; many failures for the username
 * from elsewhere only slow the attempt down (signInDelayMs), so nobody can lock someone else out.
 * Unknown user and wrong password answer the same 401.
 */
export async function authenticate(
  ctx: AppContext,
  rawUsername: unknown,
  rawPassword: unknown,
  address: string,
): Promise<AuthUser> {
  const name = typeof rawUsername === 'string' ? rawUsername.trim().toLowerCase().slice(0, 100) : '';
  const pw = typeof rawPassword === 'string' ? rawPassword : '';
  const limit = ctx.config.loginLimit;
  const [byPair, byAddress, byName] = await Promise.all([
    repo.countRecentFailures(ctx.db, { username: name, address }, limit.windowMinutes),
    repo.countRecentFailures(ctx.db, { address }, limit.windowMinutes),
    repo.countRecentFailures(ctx.db, { username: name }, limit.windowMinutes),
  ]);
  if (byPair >= limit.perUsernameAndAddress || byAddress >= limit.perAddress)
    throw new RateLimitedError(limit.windowMinutes * 60);
  const delay = signInDelayMs(byName, { after: limit.slowAfter, baseMs: limit.slowBaseMs, maxMs: limit.slowMaxMs });
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const row = name ? await repo.findUserByUsername(ctx.db, name) : undefined;
  const ok =
    row && !row.disabled && pw.length > 0 && pw.length <= 1024
      ? await ctx.hasher.verify(row.password_hash, pw)
      : (await ctx.hasher.verify(await dummy(ctx.hasher), pw || 'x'), false);
  if (!ok || !row) {
    await repo.recordFailure(ctx.db, name, address);
    throw new AppError(401, 'INVALID_CREDENTIALS');
  }
  await repo.clearFailures(ctx.db, name);
  return repo.toAuthUser(row);
}

/** Every account, for the admin's list. */
export async function listUsers(ctx: AppContext): Promise<(AuthUser & { disabled: boolean; createdAt: Date })[]> {
  return repo.listUsers(ctx.db);
}

/** Each user's name as shown (the username when no name was given), by id. */
export async function displayNamesOf(ctx: AppContext, userIds: readonly string[]): Promise<Map<string, string>> {
  return repo.findDisplayNames(ctx.db, userIds);
}

/** People by id as other concepts show them (accounts/ owns who someone is); an unknown id is left out. */
export async function peopleOf(ctx: AppContext, ids: readonly string[]): Promise<Map<string, Person>> {
  return repo.findPeople(ctx.db, ids);
}

/** peopleOf as a step of another use case's transaction. */
export async function peopleWithin(trx: Trx, ids: readonly string[]): Promise<Map<string, Person>> {
  return repo.findPeople(trx, ids);
}

/** A step of publishing a sealed listing: who may hold a share, its township's staff and every auditor. */
export async function keyHolderCandidatesWithin(trx: Trx, townshipId: string): Promise<Person[]> {
  return repo.listKeyHolderCandidates(trx, townshipId);
}

/** The same outside a transaction (the opening page of a listing sealed before listing keys). */
export async function keyHolderCandidatesOf(ctx: AppContext, townshipId: string): Promise<Person[]> {
  return repo.listKeyHolderCandidates(ctx.db, townshipId);
}

/** A step of another use case's transaction: the township's staff (active accounts) to tell of something. */
export async function activeStaffIdsWithin(trx: Trx, townshipId: string): Promise<string[]> {
  return repo.listActiveStaffIds(trx, townshipId);
}

/** DELETE /auth/token: the bearer token stops working at once. */
export async function revokeToken(ctx: AppContext, token: string): Promise<void> {
  await repo.revokeToken(ctx.db, hashToken(token));
}

/** A bearer token: 256 random bits, stored only as its hash, valid for tokenTtlHours. */
export async function issueToken(ctx: AppContext, user: AuthUser): Promise<{ token: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ctx.config.tokenTtlHours * 3600_000);
  await repo.insertToken(ctx.db, user.id, hashToken(token), expiresAt);
  return { token, expiresAt };
}

/** ADMIN_USERNAME + ADMIN_PASSWORD at start: that admin exists and has that password. */
export async function ensureAdmin(ctx: AppContext, name: string, pw: string): Promise<void> {
  const existing = await repo.findUserByUsername(ctx.db, name);
  if (existing) {
    if (existing.role !== 'admin') throw new Error(`ADMIN_USERNAME ${name} belongs to a ${existing.role} account`);
    if (!(await ctx.hasher.verify(existing.password_hash, pw)))
      await repo.updatePassword(ctx.db, existing.id, await ctx.hasher.hash(pw));
    return;
  }
  const problem = checkPasswordPolicy(pw);
  if (problem) throw new Error(`ADMIN_PASSWORD refused: ${problem}`);
  await insertUnique(ctx.db, 'system', { username: name, passwordHash: await ctx.hasher.hash(pw), role: 'admin' });
}

/** Whether this is the user's current sign-in password (a holder's confirmation at an opening asks for it). */
export async function isOwnPassword(ctx: AppContext, user: AuthUser, password: string): Promise<boolean> {
  const row = await repo.findUserByUsername(ctx.db, user.username);
  return Boolean(row) && (await ctx.hasher.verify(row!.password_hash, password));
}
