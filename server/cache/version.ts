import crypto from 'node:crypto';
import { sql } from 'kysely';
import { Client, ClientConfig, Pool } from 'pg';
import type { AppContext } from '../context';
import type { Db } from '../db/db';
import { nextStatusChangeSql, passedStatusChangeSql } from '../listings/status';

/**
 * The data versions the read cache is keyed by: one per source of data a public read shows.
 *
 * Every cached read declares the sources it depends on (defineRead in cache.ts); its version is made of
 * those sources' versions only, so a change elsewhere leaves it in memory. Correct at once after any
 * change, across several app instances on one database, because the versions are read from the
 * database (one query of a few-row table and index probes, no scans) whenever a change may have
 * happened, and a change becomes visible together with its new version:
 *  - a table source has a row in data_versions that statement triggers add one to at the commit of any
 *    transaction that changed it, whoever wrote it (migrations/2026_12_01_160000_data_versions.ts);
 *    the rows are bumped in commit order, so no reader sees a newer number with older data;
 *  - a clock source changes when the clock alone changes what a read shows: its version is the last
 *    such moment already passed, and the versions are read again once the next one comes.
 * The same versions give the same ETags on every instance, so conditional requests get 304.
 */
export const SOURCES = {
  audit: 'the audit trail (its head and checkpoint are shown)',
  listings: "any change of a listing but an open auction's end moving alone",
  'listings.ends_at': "an open auction's end moved (限时竞价), nothing else of the listing",
  awards: 'awards',
  contracts: 'contracts',
  bids: 'bids of listings whose bids are revealed (sealed bids before opening are not shown)',
  users: "a user's name or user name (winners and bidders are shown by name)",
  townships: 'townships, their disclosures (六公开)',
  township_rules: 'township rules',
  hall_entries: 'hall figures',
  deal_days: 'daily deal totals',
  'clock.listings': "a published listing's status moved by the clock (opens, closes)",
  'clock.publicity': 'a publicity period ended',
} as const;
export type Source = keyof typeof SOURCES;
export const CLOCK_SOURCES = ['clock.listings', 'clock.publicity'] as const satisfies readonly Source[];
/** Sources that are a table's rows (or part of them), each kept by triggers on the table before the dot. */
export type TableSource = Exclude<Source, (typeof CLOCK_SOURCES)[number]>;
export const TABLE_SOURCES = (Object.keys(SOURCES) as Source[]).filter(
  (s): s is TableSource => !s.startsWith('clock.'),
);

export interface DataVersions {
  /** each source's version as text */
  of: Readonly<Record<Source, string>>;
  /** the next moment a clock source changes, if any */
  nextChange: Date | null;
  /** tags already made from these versions, per list of sources */
  tags: Map<readonly Source[], string>;
}

const time = (d: Date | null) => (d ? String(new Date(d).getTime()) : '0');

export async function readVersions(db: Db): Promise<DataVersions> {
  const { rows } = await sql<{
    sources: Record<string, string | number>;
    listings_passed: Date | null;
    listings_next: Date | null;
    publicity_passed: Date | null;
    publicity_next: Date | null;
  }>`
    SELECT
      (SELECT json_object_agg(source, version) FROM data_versions) AS sources,
      ${passedStatusChangeSql()} AS listings_passed,
      ${nextStatusChangeSql()} AS listings_next,
      (SELECT max(publicity_ends_at) FROM awards WHERE publicity_ends_at <= now()) AS publicity_passed,
      (SELECT min(publicity_ends_at) FROM awards WHERE publicity_ends_at > now()) AS publicity_next`.execute(db);
  const r = rows[0];
  const of = {} as Record<Source, string>;
  for (const s of TABLE_SOURCES) of[s] = String(r.sources?.[s] ?? 'none');
  of['clock.listings'] = time(r.listings_passed);
  of['clock.publicity'] = time(r.publicity_passed);
  const next = [r.listings_next, r.publicity_next]
    .filter((d): d is Date => d !== null)
    .map((d) => new Date(d).getTime());
  return { of, nextChange: next.length ? new Date(Math.min(...next)) : null, tags: new Map() };
}

/** The version of a read that depends on these sources: the same text on every instance for the same data. */
export function tagFor(v: DataVersions, dependsOn: readonly Source[]): string {
  let tag = v.tags.get(dependsOn);
  if (tag === undefined) {
    tag = dependsOn.map((s) => v.of[s]).join('.');
    v.tags.set(dependsOn, tag);
  }
  return tag;
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
  private version: DataVersions | null = null;
  private refreshing: Promise<DataVersions> | null = null;

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
  settled(): DataVersions | null {
    if (!this.live || this.dirty || this.refreshing || !this.version) return null;
    const next = this.version.nextChange;
    return next && Date.now() >= next.getTime() ? null : this.version;
  }

  async current(): Promise<DataVersions> {
    this.listen();
    if (!this.live) return readVersions(this.db);
    const expired = this.version?.nextChange && Date.now() >= this.version.nextChange.getTime();
    // while the versions are read again (a change was heard) the ones held are not current: wait for the read
    if (this.dirty || this.refreshing || !this.version || expired) return this.refresh();
    return this.version;
  }

  private refresh(): Promise<DataVersions> {
    this.refreshing ??= (async () => {
      try {
        for (;;) {
          this.dirty = false;
          const v = await readVersions(this.db);
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

/** The current data versions (see VersionFeed): usually without a database round trip. */
export function currentVersions(ctx: AppContext): Promise<DataVersions> {
  return feedFor(ctx).current();
}

/** The current data versions if they are known without a database round trip (see VersionFeed.settled). */
export function settledVersions(ctx: AppContext): DataVersions | null {
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
