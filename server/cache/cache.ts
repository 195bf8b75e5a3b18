import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, Response } from 'express';
import type { AppContext } from '../context';
import type { Db } from '../db/db';
import { chooseEncoding, encodeDynamic, Encoding, MIN_COMPRESSED_BYTES } from '../http/compression';
import { detectLang } from '../http/i18n';
import { renderPage, renderPageToString } from '../http/views';
import { rememberResponse } from './responses';
import type { ReadSpec } from './reads';
import { currentVersions, DataVersions, etagMatches, hash, tagFor } from './version';

// The read cache and its answers; the data versions it is keyed by live in version.ts.
export { markDataChanged } from './version';
export { defineRead, definedReads, sourcesOf } from './reads';
export type { ReadSpec } from './reads';

/**
 * Watches the cached reads as they compute: for the dependency test, which records what each compute
 * queries (the reads computing are the store of `computing`) and which reads each compute uses.
 */
export interface ReadObserver {
  /** `inner` was read (from memory or computed) while `outer` computed: outer depends on inner's sources. */
  used(outer: readonly ReadSpec[], inner: ReadSpec): void;
  computed(spec: ReadSpec): void;
}
let observer: ReadObserver | null = null;
export function observeReads(o: ReadObserver | null): void {
  observer = o;
}
// set only while an observer watches (see lookup)
const computing = new AsyncLocalStorage<readonly ReadSpec[]>();
/** The cached reads computing in this async context, outermost first (empty outside any). */
export function readsComputing(): readonly ReadSpec[] {
  return computing.getStore() ?? [];
}

interface Entry {
  tag: string;
  etag: string;
  value?: unknown;
  /** while the value is computed: every request for this version waits on the one computation */
  pending?: Promise<Entry>;
  bytes?: Buffer;
  /** the same bytes brotli- or gzip-compressed, each made once (off the event loop), when first asked for */
  encoded?: Partial<Record<Exclude<Encoding, 'identity'>, Promise<Buffer>>>;
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

export function etagFor(key: string, tag: string): string {
  return `W/"${hash(`${key}|${tag}`).slice(0, 32)}"`;
}

/**
 * The entry for key at these versions: from memory when its sources are unchanged, else computed once
 * (single flight: requests arriving meanwhile wait on the same computation, never start their own).
 */
function lookup(
  ctx: AppContext,
  spec: ReadSpec,
  key: string,
  v: DataVersions,
  compute: () => Promise<unknown>,
): Promise<Entry> | Entry {
  const outer = observer ? computing.getStore() : undefined;
  if (outer && observer) observer.used(outer, spec);
  const cache = cacheFor(ctx.db);
  const tag = tagFor(v, spec.dependsOn);
  const hit = cache.get(key);
  if (hit && hit.tag === tag) return hit.pending ?? hit;
  const entry: Entry = { tag, etag: etagFor(key, tag) };
  const computeEntry = async () => {
    try {
      observer?.computed(spec);
      entry.value = await Promise.resolve().then(compute);
      return entry;
    } catch (err) {
      if (cache.get(key) === entry) cache.delete(key);
      throw err;
    } finally {
      entry.pending = undefined;
    }
  };
  // the async context is kept only while a test watches: an AsyncLocalStorage once run turns on
  // Node's async hooks for the whole process, which every request then pays for (promises, sockets)
  entry.pending = observer ? computing.run([...(outer ?? []), spec], computeEntry) : computeEntry();
  if (!hit && cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, entry);
  return entry.pending;
}

/** The value for key at the current versions of the read's sources: from memory when unchanged, else computed. */
export async function cachedRead<T>(
  ctx: AppContext,
  spec: ReadSpec,
  key: string,
  compute: () => Promise<T>,
): Promise<CachedRead<T>> {
  const v = await currentVersions(ctx);
  const found = lookup(ctx, spec, key, v, compute);
  const entry = found instanceof Promise ? await found : found;
  return { etag: entry.etag, value: entry.value as T, fresh: found instanceof Promise };
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
  spec: ReadSpec,
  key: string,
  type: string,
  compute: () => Promise<unknown>,
  toText: (value: unknown) => string,
): Promise<void> {
  const versions = await currentVersions(ctx);
  const tag = tagFor(versions, spec.dependsOn);
  const known = cacheFor(ctx.db).get(key);
  const etag = known?.tag === tag ? known.etag : etagFor(key, tag);
  res.set('ETag', etag);
  res.set('Cache-Control', 'public, no-cache');
  res.vary('Accept-Encoding');
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  const found = lookup(ctx, spec, key, versions, compute);
  const entry = found instanceof Promise ? await found : found;
  entry.bytes ??= Buffer.from(toText(entry.value));
  const encoding = entry.bytes.length >= MIN_COMPRESSED_BYTES ? chooseEncoding(req) : 'identity';
  let body = entry.bytes;
  if (encoding !== 'identity') {
    entry.encoded ??= {};
    body = await (entry.encoded[encoding] ??= encodeDynamic(entry.bytes, encoding));
    res.set('Content-Encoding', encoding);
  }
  res.type(type);
  rememberResponse(ctx, req, res, spec, tag, etag, body);
  res.send(body);
}

/** A public JSON read through the cache; `present` shapes the value into the body. */
export async function sendCachedJson<T>(
  ctx: AppContext,
  req: Request,
  res: Response,
  spec: ReadSpec,
  key: string,
  compute: () => Promise<T>,
  present: (value: T) => unknown = (v) => v,
): Promise<void> {
  await sendCached(ctx, req, res, spec, key, 'application/json', compute, (value) =>
    JSON.stringify(present(value as T)),
  );
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
  spec: ReadSpec,
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
    spec,
    `page:${key}:${detectLang(req)}`,
    'html',
    async () => renderPageToString(req, res, view, await build()),
    (html) => html as string,
  );
}
