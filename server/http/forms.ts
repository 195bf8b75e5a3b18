import type { Request } from 'express';
import { AppError, FieldErrors } from './errors';
import { detectLang, Lang, t } from './i18n';

/** Per-field reasons in the reader's language: the API's details.fields and a form's messages alike. */
export function translateFields(lang: Lang, fields: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, t(lang, f.key, f.params)]));
}

/** Turns an AppError into what a form shows: one message and the per-field reasons. */
export function formErrors(req: Request, err: unknown): { error: string; fieldErrors: Record<string, string> } {
  if (!(err instanceof AppError) || err.status >= 500) throw err;
  const lang = detectLang(req);
  const fields = (err as AppError & { fields?: FieldErrors }).fields ?? {};
  return { error: t(lang, err.messageKey, err.params), fieldErrors: translateFields(lang, fields) };
}

/** The parsed request body as an untyped record (services validate it with their own schema). */
export function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** One text field of a submitted form: '' when it is absent or not text. */
export function formField(req: Request, name: string): string {
  const value = bodyOf(req)[name];
  return typeof value === 'string' ? value : '';
}
