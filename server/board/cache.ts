import crypto from 'node:crypto';
import type { Request, Response } from 'express';
import { sql } from 'kysely';
import type { AppContext } from '../context';
import type { Db } from '../db/db';

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
export interface DataVersion { tag: string; nextChange: Date | null }

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
         SELECT min(bid_opens_at) AS t FROM listings WHERE state = 'published' AND bid_opens_at > now()
         UNION ALL SELECT min(bid_deadline) FROM listings WHERE state = 'published' AND bid_deadline > now()
         UNION ALL SELECT min(publicity_ends_at) FROM awards WHERE publicity_ends_at > now()
      ) x) AS next_change`.execute(db);
  const r = rows[0];
  const next = r.next_change ? new Date(r.next_change) : null;
  return { tag: `${r.seq}.${hash(r.fp).slice(0, 16)}.${next ? next.getTime() : 0}`, nextChange: next };
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

interface Entry { version: string; value: unknown }
const MAX_ENTRIES = 500;
// one cache per database handle: tests run several apps, each on its own database
const caches = new WeakMap<Db, Map<string, Entry>>();

function cacheFor(db: Db): Map<string, Entry> {
  let c = caches.get(db);
  if (!c) { c = new Map(); caches.set(db, c); }
  return c;
}

export interface CachedRead<T> { etag: string; value: T; fresh: boolean }

/** The value for key at the current data version: from memory when unchanged, else computed. */
export async function cachedRead<T>(ctx: AppContext, key: string, compute: () => Promise<T>, version?: DataVersion): Promise<CachedRead<T>> {
  const v = version ?? await readDataVersion(ctx.db);
  const etag = etagFor(key, v);
  const cache = cacheFor(ctx.db);
  const hit = cache.get(key);
  if (hit && hit.version === v.tag) return { etag, value: hit.value as T, fresh: false };
  const value = await compute();
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, { version: v.tag, value });
  return { etag, value, fresh: true };
}

export function etagFor(key: string, v: DataVersion): string {
  return `W/"${hash(`${key}|${v.tag}`).slice(0, 32)}"`;
}

function matches(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').map((s) => s.trim()).some((tag) => tag === '*' || tag === etag || tag.replace(/^W\//, '') === etag.replace(/^W\//, ''));
}

/**
 * Answers a public JSON read through the cache: 304 when the client already has this version
 * (without computing anything), else 200 with the body and its ETag.
 */
export async function sendCachedJson<T>(ctx: AppContext, req: Request, res: Response, key: string, compute: () => Promise<T>, present: (value: T) => unknown = (v) => v): Promise<void> {
  const version = await readDataVersion(ctx.db);
  const etag = etagFor(key, version);
  res.set('ETag', etag);
  res.set('Cache-Control', 'public, no-cache');
  if (matches(req, etag)) { res.status(304).end(); return; }
  const { value } = await cachedRead(ctx, key, compute, version);
  res.json(present(value));
}
