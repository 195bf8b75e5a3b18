import type { Request, Response } from 'express';
import type { AppContext } from '../context';
import type { Db } from '../db/db';
import { chooseEncoding, encodeOnce, Encoding, MIN_COMPRESSED_BYTES } from '../http/compression';
import { detectLang } from '../http/i18n';
import { renderPage, renderPageToString } from '../http/views';
import { rememberResponse } from './responses';
import { currentVersion, DataVersion, etagMatches, hash } from './version';

// The read cache and its answers; the data version it is keyed by lives in version.ts.
export { markDataChanged } from './version';

interface Entry {
  version: string;
  value: unknown;
  bytes?: Buffer;
  /** the same bytes brotli- or gzip-compressed, each made once, when first asked for */
  encoded?: Partial<Record<Exclude<Encoding, 'identity'>, Buffer>>;
}
const MAX_ENTRIES = 500;
// one cache per database handle: tests run several apps, each on its own database
const caches = new WeakMap<Db, Map<string, Entry>>();

function cacheFor(db: Db): Map<string, Entry> {
  let c = caches.get(db);
  if (!c) {
    c = new Map();
    caches.set(db, c);
  }
  return c;
}

export interface CachedRead<T> {
  etag: string;
  value: T;
  fresh: boolean;
}

function lookup<T>(ctx: AppContext, key: string, v: DataVersion, compute: () => Promise<T>): Promise<Entry> | Entry {
  const cache = cacheFor(ctx.db);
  const hit = cache.get(key);
  if (hit && hit.version === v.tag) return hit;
  return compute().then((value) => {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    const entry: Entry = { version: v.tag, value };
    cache.set(key, entry);
    return entry;
  });
}

/** The value for key at the current data version: from memory when unchanged, else computed. */
export async function cachedRead<T>(
  ctx: AppContext,
  key: string,
  compute: () => Promise<T>,
  version?: DataVersion,
): Promise<CachedRead<T>> {
  const v = version ?? (await currentVersion(ctx));
  const found = lookup(ctx, key, v, compute);
  const entry = found instanceof Promise ? await found : found;
  return { etag: etagFor(key, v), value: entry.value as T, fresh: found instanceof Promise };
}

export function etagFor(key: string, v: DataVersion): string {
  return `W/"${hash(`${key}|${v.tag}`).slice(0, 32)}"`;
}

/**
 * Answers a cached read: 304 when the client already has this version (without computing anything),
 * else 200 with the body, encoded once per version, and its ETag. The body goes in the coding the
 * client takes best (brotli, gzip), compressed once per version and kept beside the plain bytes; the
 * ETag is weak and the same for every coding (the same content). The answer is also left for
 * answerFromMemory (server/cache/responses.ts).
 */
async function sendCached(
  ctx: AppContext,
  req: Request,
  res: Response,
  key: string,
  type: string,
  compute: () => Promise<unknown>,
  toText: (value: unknown) => string,
): Promise<void> {
  const version = await currentVersion(ctx);
  const etag = etagFor(key, version);
  res.set('ETag', etag);
  res.set('Cache-Control', 'public, no-cache');
  res.vary('Accept-Encoding');
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  const found = lookup(ctx, key, version, compute);
  const entry = found instanceof Promise ? await found : found;
  entry.bytes ??= Buffer.from(toText(entry.value));
  const encoding = entry.bytes.length >= MIN_COMPRESSED_BYTES ? chooseEncoding(req) : 'identity';
  let body = entry.bytes;
  if (encoding !== 'identity') {
    entry.encoded ??= {};
    body = entry.encoded[encoding] ??= encodeOnce(entry.bytes, encoding);
    res.set('Content-Encoding', encoding);
  }
  res.type(type);
  rememberResponse(ctx, req, res, version, etag, body);
  res.send(body);
}

/** A public JSON read through the cache; `present` shapes the value into the body. */
export async function sendCachedJson<T>(
  ctx: AppContext,
  req: Request,
  res: Response,
  key: string,
  compute: () => Promise<T>,
  present: (value: T) => unknown = (v) => v,
): Promise<void> {
  await sendCached(ctx, req, res, key, 'application/json', compute, (value) => JSON.stringify(present(value as T)));
}

/**
 * A public page through the cache: anonymous readers of the same version and language get the same
 * HTML, rendered once (304 when they have it). Signed-in readers get their own render (their name,
 * their CSRF token) as usual.
 */
export async function sendCachedPage(
  ctx: AppContext,
  req: Request,
  res: Response,
  key: string,
  view: string,
  build: () => Promise<Record<string, unknown>>,
): Promise<void> {
  if (req.user) {
    renderPage(req, res, view, await build());
    return;
  }
  res.vary('Accept-Language').vary('Cookie');
  await sendCached(
    ctx,
    req,
    res,
    `page:${key}:${detectLang(req)}`,
    'html',
    async () => renderPageToString(req, res, view, await build()),
    (html) => html as string,
  );
}
