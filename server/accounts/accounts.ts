import type { AuthUser, Role } from '../http/access';

export const ROLES: Role[] = ['admin', 'staff', 'auditor', 'bidder'];

/** Where each role lands after signing in. */
export function homePathFor(role: Role): string {
  return { admin: '/admin', staff: '/staff', auditor: '/auditor', bidder: '/bidder' }[role];
}

export function userToJson(u: AuthUser) {
  return { id: u.id, username: u.username, role: u.role, townshipId: u.townshipId };
}
