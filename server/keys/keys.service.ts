import crypto from 'node:crypto';
import type { Request } from 'express';
import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import type { AuthUser } from '../http/access';
import { aesOpen, aesSeal, generateKeyPair, KekParams, passwordKek, publicOf } from './crypto';
import * as repo from './keys.repository';
import { secretOf, unlockHandleOf, unlockWrapKeyOf, wrapAad } from './secrets';

// Personal keys. Every key holder (staff, auditor) and every bidder has an X25519 key pair whose
// private half is stored only wrapped under argon2id(their password). The server can open it only
// when the password is given: at sign-in, or when a holder confirms an opening. For a bidder, sign-in
// also re-wraps it under a key derived from the raw session id or bearer token (which the database
// keeps only as a hash), so the server can read the bidder's own sealed copy while serving that
// bidder's signed-in requests, and at no other time.

const KEYED_ROLES = new Set<AuthUser['role']>(['staff', 'auditor', 'bidder']);

export function kekParamsOf(ctx: AppContext): KekParams {
  const a = ctx.config.argon2;
  return { m: a.memoryCost, t: a.timeCost, p: a.parallelism };
}

/** Makes and stores a new key pair wrapped under the given key-encryption key; returns the private half. */
export async function storeNewPersonalKey(
  ctx: AppContext,
  userId: string,
  kek: { key: Buffer; salt: Buffer; params: KekParams },
): Promise<Buffer> {
  const pair = generateKeyPair();
  await repo.saveUserKey(ctx.db, {
    userId,
    publicKey: pair.publicKey,
    wrappedPrivate: aesSeal(kek.key, pair.privateKey, wrapAad(userId)),
    kekSalt: kek.salt,
    kekParams: kek.params,
  });
  return pair.privateKey;
}

/** The personal private key, opened with the password; undefined when there is none or it will not open. */
export async function openPersonalKey(ctx: AppContext, userId: string, password: string): Promise<Buffer | undefined> {
  const stored = await repo.findUserKey(ctx.db, userId);
  if (!stored) return undefined;
  const kek = await passwordKek(password, stored.kekSalt, stored.kekParams);
  try {
    return aesOpen(kek, stored.wrappedPrivate, wrapAad(userId));
  } catch {
    return undefined;
  } finally {
    kek.fill(0);
  }
}

/**
 * At sign-in (the password was just verified): the user's private key, made now when they have none
 * yet. A key that no longer opens with the verified password was wrapped under a password an admin
 * has since reset: it is replaced by a new pair, and what was sealed to the old one is lost to them.
 */
export async function ensurePersonalKey(ctx: AppContext, userId: string, password: string): Promise<Buffer> {
  const opened = await openPersonalKey(ctx, userId, password);
  if (opened) return opened;
  const salt = crypto.randomBytes(16);
  const params = kekParamsOf(ctx);
  const key = await passwordKek(password, salt, params);
  try {
    return await storeNewPersonalKey(ctx, userId, { key, salt, params });
  } finally {
    key.fill(0);
  }
}

/** Keeps the bidder's private key for one session or token, wrapped under a key only that secret gives. */
export async function unlockForSecret(
  ctx: AppContext,
  userId: string,
  privateKey: Buffer,
  secret: string,
  expiresAt: Date,
): Promise<void> {
  const wrapKey = unlockWrapKeyOf(secret);
  const wrappedPrivate = aesSeal(wrapKey, privateKey, wrapAad(userId));
  wrapKey.fill(0);
  await repo.saveUnlock(ctx.db, { handle: unlockHandleOf(secret), userId, wrappedPrivate, expiresAt });
}

/**
 * After a password was verified for this user: makes sure they have a key pair, and for a bidder
 * keeps the key for the session or token `secret` until `expiresAt`.
 */
export async function onSignIn(
  ctx: AppContext,
  user: AuthUser,
  password: string,
  secret: string | null,
  expiresAt: Date,
): Promise<void> {
  if (!KEYED_ROLES.has(user.role)) return;
  const privateKey = await ensurePersonalKey(ctx, user.id, password);
  try {
    if (user.role === 'bidder' && secret) await unlockForSecret(ctx, user.id, privateKey, secret, expiresAt);
  } finally {
    privateKey.fill(0);
  }
}

/** A signed-in user's own key pair, opened for this request only. */
export interface UnlockedKey {
  userId: string;
  publicKey: Buffer;
  privateKey: Buffer;
}

/** The key kept for this request's session or token; undefined when none was kept (signed in before keys). */
export async function keyOfRequest(ctx: AppContext, req: Request, user: AuthUser): Promise<UnlockedKey | undefined> {
  const secret = secretOf(req);
  if (!secret) return undefined;
  const unlock = await repo.findUnlock(ctx.db, unlockHandleOf(secret));
  if (!unlock || unlock.userId !== user.id) return undefined;
  const wrapKey = unlockWrapKeyOf(secret);
  try {
    const privateKey = aesOpen(wrapKey, unlock.wrappedPrivate, wrapAad(user.id));
    return { userId: user.id, publicKey: publicOf(privateKey), privateKey };
  } catch {
    return undefined;
  } finally {
    wrapKey.fill(0);
  }
}

/** At sign-out or token revocation: the kept copy goes. */
export async function forgetSecret(ctx: AppContext, secret: string): Promise<void> {
  await repo.deleteUnlock(ctx.db, unlockHandleOf(secret));
}

/** A step of another use case's transaction (a listing's seal at publish): these users' public keys, by user id. */
export async function publicKeysWithin(trx: Trx, userIds: string[]): Promise<Map<string, Buffer>> {
  return repo.listPublicKeys(trx, userIds);
}
