import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { sql } from 'kysely';
import { Client, ClientConfig, Pool } from 'pg';
import type { AppContext } from '../context';
import type { Db } from '../db/db';
import { chooseEncoding, encodeOnce, Encoding, MIN_COMPRESSED_BYTES } from '../http/compression';
import { detectLang } from '../http/i18n';
import { renderPage, renderPageToString } from '../http/views';
import { nextStatusChangeSql } from '../listings/status';
import { rememberResponse } from './responses';

/**
 * A read cache for the board, statistics and open data: read far more than written.
 *
 * Correct at once after any change, across several app instances on one database, because the
 * version is read from the database on every request — one query of index probes only, no scans
 * (counting rows cost 70–100 ms at 100,000 deals; see test/bench/RESULTS.md):
 *  - the audit head seq: every state change appends to the trail in its own transaction, so the new
 *    seq becomes visible exactly when the change does;
 *  - the newest listing update and award, so rows written without the trail (imports) are seen too;
 *  - the next moment the clock alone changes something (a listing opens or closes for bids, a
 *    publicity period ends): once it has passed, the version is different.
 * The same version gives the same ETag on every instance, so conditional requests get 304.
 */
export interface DataVersion {
  tag: string;
  nextChange: Date | null;
}

export async function readDataVersion(db: Db): Promise<DataVersion> {
  const { rows } = await sql<{ seq: string; fp: string; next_change: Date | null }>`
    SELECT
      (SELECT coalesce(max(seq), 0) FROM audit)::text AS seq,
      concat_ws(':',
        (SELECT max(updated_at) FROM listings)::text,
        (SELECT max(awarded_at) FROM awards)::text,
        (SELECT max(recorded_at) FROM contracts)::text,
        (SELECT max(created_at) FROM hall_entries)::text) AS fp,
      (SELECT min(t) FROM (
         SELECT ${nextStatusChangeSql()} AS t
         UNION ALL SELECT min(publicity_ends_at) FROM awards WHERE publicity_ends_at > now()
      ) x) AS next_change`.execute(db);
  const r = rows[0];
  const next = r.next_change ? new Date(r.next_change) : null;
  return { tag: `${r.seq}.${hash(r.fp).slice(0, 16)}.${next ? next.getTime() : 0}`, nextChange: next };
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

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

const CHANNEL = 'tts_data_changed';
const RETRY_MS = 1000;

/**
 * Keeps the data version without asking the database on every read: a LISTEN connection hears
 * the NOTIFY that triggers on the shown tables send (delivered only when the writing transaction
 * commits, to every instance), and the version is read again once per change, or once the clock
 * passes its next status change. While the connection is down every read asks the database.
 */
class VersionFeed {
  private client: Client | null = null;
  private live = false;
  private dirty = true;
  private retryAt = 0;
  private version: DataVersion | null = null;
  private refreshing: Promise<DataVersion> | null = null;

  constructor(
    private readonly db: Db,
    private readonly pool: Pool,
  ) {}

  /** This instance just changed data: read the version again before the next cached answer. */
  markDirty(): void {
    this.dirty = true;
  }

  /**
   * The version when it is known to be current without asking anyone: the feed is live, nothing
   * changed since it was read and the clock has not reached its next status change. Else null.
   */
  settled(): DataVersion | null {
    if (!this.live || this.dirty || !this.version) return null;
    const next = this.version.nextChange;
    return next && Date.now() >= next.getTime() ? null : this.version;
  }

  async current(): Promise<DataVersion> {
    this.listen();
    if (!this.live) return readDataVersion(this.db);
    const expired = this.version?.nextChange && Date.now() >= this.version.nextChange.getTime();
    if (this.dirty || !this.version || expired) return this.refresh();
    return this.version;
  }

  private refresh(): Promise<DataVersion> {
    this.refreshing ??= (async () => {
      try {
        for (;;) {
          this.dirty = false;
          const v = await readDataVersion(this.db);
          if (!this.dirty) {
            this.version = v;
            return v;
          }
        }
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private listen(): void {
    if (this.client || Date.now() < this.retryAt) return;
    const client = new Client((this.pool as unknown as { options: ClientConfig }).options);
    this.client = client;
    const drop = () => {
      if (this.client !== client) return;
      this.live = false;
      this.client = null;
      this.retryAt = Date.now() + RETRY_MS;
      client.end().catch(() => undefined);
    };
    client.on('notification', () => {
      this.dirty = true;
    });
    client.on('error', drop);
    client.on('end', drop);
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        if (this.client === client) {
          this.dirty = true;
          this.live = true;
        }
      }, drop);
  }
}

const feeds = new WeakMap<Db, VersionFeed>();
function feedFor(ctx: AppContext): VersionFeed {
  let f = feeds.get(ctx.db);
  if (!f) {
    f = new VersionFeed(ctx.db, ctx.pool);
    feeds.set(ctx.db, f);
  }
  return f;
}

/**
 * Called when a write request of this instance has finished: its own readers see the change at once
 * (read-your-writes), without waiting for the NOTIFY to come back.
 */
export function markDataChanged(ctx: AppContext): void {
  feedFor(ctx).markDirty();
}

/** The current data version (see VersionFeed): usually without a database round trip. */
export function currentVersion(ctx: AppContext): Promise<DataVersion> {
  return feedFor(ctx).current();
}

/** The current data version if it is known without a database round trip (see VersionFeed.settled). */
export function settledVersion(ctx: AppContext): DataVersion | null {
  return feedFor(ctx).settled();
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

/** Whether an If-None-Match header names this ETag (weak comparison, as for GET). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((s) => s.trim())
    .some((tag) => tag === '*' || tag === etag || tag.replace(/^W\//, '') === etag.replace(/^W\//, ''));
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
