import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';

export type Role = 'admin' | 'staff' | 'auditor' | 'bidder';

/** Who is acting: established by passport (session or bearer token), never from the body. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  townshipId: string | null;
  name: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}

export function currentUser(req: Request): AuthUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

/** Route guard: the caller must be signed in with one of these roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(new UnauthenticatedError());
    if (!roles.includes(req.user.role)) return next(new ForbiddenError());
    next();
  };
}

export const requireUser: RequestHandler = (req, _res, next) => next(req.user ? undefined : new UnauthenticatedError());

/** Staff act only on their own township. */
export function assertTownshipStaff(user: AuthUser, townshipId: string): void {
  if (user.role !== 'staff') throw new ForbiddenError();
  if (user.townshipId !== townshipId) throw new ForbiddenError('error.FORBIDDEN.township');
}

/** Staff of that township, auditors and admins may read a township's internal records. */
export function assertCanReadTownship(user: AuthUser, townshipId: string): void {
  if (user.role === 'admin' || user.role === 'auditor') return;
  assertTownshipStaff(user, townshipId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are opaque to clients but uuids here: anything else cannot exist. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The path parameters that name a row by its uuid (listing, document, question, registration, objection). */
const ID_PARAMS = ['id', 'docId', 'qid', 'regId', 'oid'] as const;

/**
 * At the edge of a router: an id that is not a uuid cannot exist, so it is 404 before any handler runs
 * and before PostgreSQL sees it (which would answer a malformed uuid with an error).
 */
export function refuseMalformedIds(router: Router): Router {
  for (const name of ID_PARAMS)
    router.param(name, (_req, _res, next, value) => next(isId(value) ? undefined : new NotFoundError()));
  return router;
}

/** A uuid path parameter of a router that refuses malformed ids (refuseMalformedIds). */
export function pathId(req: Request, name: (typeof ID_PARAMS)[number] = 'id'): string {
  return String(req.params[name]);
}
