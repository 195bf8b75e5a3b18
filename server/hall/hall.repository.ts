import { sql } from 'kysely';
import type { Executor } from '../db/db';
import type { StatsFilter } from '../stats/stats';
import type { HallKind } from './hall';

export interface NewHallEntry {
  townshipId: string;
  date: string;
  kind: HallKind;
  count: number;
  createdBy: string | null;
}

export async function insertHallEntry(db: Executor, e: NewHallEntry) {
  return db
    .insertInto('hall_entries')
    .values({
      township_id: e.townshipId,
      entry_date: e.date,
      kind: e.kind,
      count: e.count,
      created_by: e.createdBy,
    })
    .returning(['id', 'township_id', 'entry_date', 'kind', 'count', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** A township (or district) condition on a column holding a township id. */
function inScope(f: StatsFilter, column: string) {
  if (f.townshipId) return sql`${sql.ref(column)} = ${f.townshipId}`;
  if (f.district) return sql`${sql.ref(column)} IN (SELECT id FROM townships WHERE district = ${f.district})`;
  return sql`true`;
}

/** An instant column within [from, until). */
function inRange(f: StatsFilter, expr: ReturnType<typeof sql>) {
  return sql`(${f.from ?? null}::timestamptz IS NULL OR ${expr} >= ${f.from ?? null}::timestamptz)
    AND (${f.until ?? null}::timestamptz IS NULL OR ${expr} < ${f.until ?? null}::timestamptz)`;
}

/** Sums of the recorded counts per kind; a day counts from its start in Asia/Shanghai. */
export interface StoredHallEntry {
  date: string;
  kind: HallKind;
  count: number;
  createdAt: Date;
}

/** A township's latest entries, the newest first. */
export async function listRecentHallEntries(
  db: Executor,
  townshipId: string,
  limit: number,
): Promise<StoredHallEntry[]> {
  const rows = await db
    .selectFrom('hall_entries')
    .select(['entry_date', 'kind', 'count', 'created_at'])
    .where('township_id', '=', townshipId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ date: r.entry_date, kind: r.kind, count: r.count, createdAt: r.created_at }));
}

export async function sumHallEntries(db: Executor, f: StatsFilter): Promise<Partial<Record<HallKind, number>>> {
  const { rows } = await sql<{ kind: HallKind; total: string }>`
    SELECT kind, coalesce(sum(count), 0)::text AS total FROM hall_entries
    WHERE ${inScope(f, 'township_id')} AND ${inRange(f, sql`(entry_date::timestamp AT TIME ZONE 'Asia/Shanghai')`)}
    GROUP BY kind`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.kind, Number(r.total)]));
}

/** Notices the board published: each published listing's announcement and each award's result notice. */
export async function countBoardNotices(
  db: Executor,
  f: StatsFilter,
): Promise<{ announcements: number; results: number }> {
  const { rows } = await sql<{ announcements: string; results: string }>`
    SELECT
      (SELECT count(*) FROM listings WHERE published_at IS NOT NULL AND ${inScope(f, 'township_id')} AND ${inRange(f, sql.ref('published_at'))})::text AS announcements,
      (SELECT count(*) FROM awards a JOIN listings l ON l.id = a.listing_id WHERE ${inScope(f, 'l.township_id')} AND ${inRange(f, sql.ref('a.awarded_at'))})::text AS results`.execute(
    db,
  );
  return { announcements: Number(rows[0].announcements), results: Number(rows[0].results) };
}
