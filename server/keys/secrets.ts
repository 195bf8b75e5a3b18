import type { Request } from 'express';
import { hkdf } from './crypto';

// The raw secret a request is signed in with (a bearer token or the session id, which the database keeps only as a
// hash) and what it derives: the handle a bidder's kept key is found by, and the key that key is wrapped under.
// Pure: nothing here is stored, logged or kept in memory beyond the call.

/** The raw secret this request was signed in with: its bearer token, else its session id. */
export function secretOf(req: Request): string | null {
  const header = req.get('authorization');
  const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (bearer) return bearer[1];
  return req.isAuthenticated?.() && req.sessionID ? req.sessionID : null;
}

/** The handle the kept copy is stored under: one-way, so the database never holds the secret itself. */
export const unlockHandleOf = (secret: string) => hkdf(secret, 'xzjyz-unlock-handle').toString('hex');

/** The key the kept copy is wrapped under (wipe with .fill(0) when done). */
export const unlockWrapKeyOf = (secret: string) => hkdf(secret, 'xzjyz-unlock-wrap');

/** The additional data binding a wrapped private key to its owner. */
export const wrapAad = (userId: string) => Buffer.from(`user-key|${userId}`, 'utf8');
