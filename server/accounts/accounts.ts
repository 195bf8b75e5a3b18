import crypto from 'node:crypto';
import type { AuthUser, Role } from '../http/access';

/** A person as other concepts show them: username, the name they gave (null if none), role and township. */
export interface Person {
  id: string;
  username: string;
  name: string | null;
  role: Role;
  townshipId: string | null;
}

/** The name a page shows for a person: the one they gave, else their username. */
export const shownName = (p: Pick<Person, 'name' | 'username'>): string => p.name ?? p.username;

export const ROLES: Role[] = ['admin', 'staff', 'auditor', 'bidder'];

/** Where each role lands after signing in. */
export function homePathFor(role: Role): string {
  return { admin: '/admin', staff: '/staff', auditor: '/auditor', bidder: '/bidder' }[role];
}

/**
 * How long a sign-in for a username waits after `failures` recent failures from anywhere: nothing up to
 * `after`, then base, 2·base, 4·base … up to `max`. A stranger can slow a bidder's sign-in this way but never
 * lock it (OWASP ASVS 2.2.1); locking is per username and address, and per address.
 */
export function signInDelayMs(failures: number, slow: { after: number; baseMs: number; maxMs: number }): number {
  if (failures < slow.after) return 0;
  return Math.min(slow.maxMs, slow.baseMs * 2 ** Math.min(failures - slow.after, 30));
}

export function userToJson(u: AuthUser) {
  return { id: u.id, username: u.username, role: u.role, townshipId: u.townshipId };
}

/** A bearer token is stored only as this hash. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
