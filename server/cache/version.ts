import crypto from 'node:crypto';
import { sql } from 'kysely';
import { Client, ClientConfig, Pool } from 'pg';
import type { AppContext } from '../context';
import type { Db } from '../db/db';
import { nextStatusChangeSql } from '../listings/status';

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

export function hash(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
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

/** Whether an If-None-Match header names this ETag (weak comparison, as for GET). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((s) => s.trim())
    .some((tag) => tag === '*' || tag === etag || tag.replace(/^W\//, '') === etag.replace(/^W\//, ''));
}
