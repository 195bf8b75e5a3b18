import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from './errors';
import { formField } from './forms';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
    lang?: 'zh' | 'en';
    flash?: string;
  }
}

/** The session's synchronizer token, made on first use. Forms carry it as _csrf. */
export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(24).toString('base64url');
  return req.session.csrfToken;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Every state-changing page request must carry the session's token (body, query or header). */
export const verifyCsrf: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const expected = req.session?.csrfToken;
  const given =
    formField(req, '_csrf') || (typeof req.query._csrf === 'string' && req.query._csrf) || req.get('x-csrf-token');
  if (!expected || !given || !sameToken(expected, given)) return next(new ForbiddenError('error.FORBIDDEN.csrf'));
  next();
};
