import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import {
  AppError,
  BadRequestError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
} from './errors';
import { csrfToken } from './csrf';
import { translateFields } from './forms';
import { loginPathFor, safeNext } from './next';
import { detectLang, t } from './i18n';
import './messages';

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);
const DB_BAD_INPUT_CODES = new Set(['22P02', '22003', '22007', '22008', '22001', '22021', '54000']);

export function isApiRequest(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

/** Maps anything thrown to an AppError; unknown errors become a logged 500. */
function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number; code?: string; message?: string; name?: string };
  if (e?.type === 'entity.parse.failed') return new BadRequestError('error.BAD_REQUEST.json');
  if (e?.type === 'entity.too.large') return new AppError(413, 'PAYLOAD_TOO_LARGE');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new BadRequestError();
  if (e?.code && DB_DOWN_CODES.has(e.code)) return new UnavailableError();
  if (
    e?.message &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      e.message,
    )
  )
    return new UnavailableError();
  if (e?.code && DB_BAD_INPUT_CODES.has(e.code)) return new BadRequestError();
  return null;
}

/**
 * A signed-out person who opened a page that needs an account is not left at a bare 401: the page
 * offers the sign-in form (and registration), and both lead back to the page they asked for.
 */
function signInInstead(req: Request) {
  const next = req.method === 'GET' ? safeNext(req.originalUrl) : undefined;
  return {
    signIn: true,
    next,
    registerHref: loginPathFor(next, 'register'),
    csrfToken: req.session ? csrfToken(req) : undefined,
  };
}

export const apiNotFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  const lang = detectLang(req);
  if (!appError) {
    req.log?.error({ err }, 'unhandled error');
  }
  const error = appError ?? new AppError(500, 'INTERNAL');
  if (res.headersSent) return;
  if (error instanceof RateLimitedError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  const message = t(lang, error.messageKey, error.params);
  const fields = error instanceof ValidationError || error instanceof BadRequestError ? error.fields : undefined;
  const details: Record<string, unknown> = { ...(error.details ?? {}) };
  if (fields) {
    details.fields = translateFields(lang, fields);
  }
  res.status(error.status);
  if (isApiRequest(req)) {
    res.json({ error: { code: error.code, message, ...(Object.keys(details).length ? { details } : {}) } });
    return;
  }
  res.render('error', {
    title: t(lang, 'page.errorTitle'),
    lang,
    htmlLang: lang === 'zh' ? 'zh-CN' : 'en',
    otherLang: lang === 'zh' ? 'en' : 'zh',
    status: error.status,
    code: error.code,
    message,
    fields: details.fields,
    ...(error.status === 401 ? signInInstead(req) : {}),
  });
};
