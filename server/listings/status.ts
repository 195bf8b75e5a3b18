import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ListingState } from '../db/database';

/**
 * A listing's status, defined once. The stored state is what a use case last wrote; while it is
 * 'published' the status follows from the clock, window after window. Both the TypeScript reading
 * (effectiveStatus) and the SQL one (statusSql, statusIs) are built from PUBLISHED_WINDOWS below, so a new
 * window (or another end for a window) is written here and nowhere else.
 */
export const LISTING_STATUSES = [
  'draft',
  'announced',
  'open',
  'closed',
  'opened',
  'failed',
  'awarded',
  'concluded',
  'cancelled',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * The clock's windows of a published listing, in order: each lasts until its moment (the last has none).
 * Bidding ends at endsAt: the deadline, or later once an auction bid extended it (限时竞价).
 */
const PUBLISHED_WINDOWS = [
  { status: 'announced', until: 'bidOpensAt' },
  { status: 'open', until: 'endsAt' },
  { status: 'closed', until: null },
] as const satisfies readonly { status: ListingStatus; until: WindowEnd | null }[];
type WindowEnd = 'bidOpensAt' | 'endsAt';
/** Each window end in SQL, over a row of `listings` or its alias (ends_at is NULL until an auction is extended). */
const MOMENT: Record<WindowEnd, (table: string) => RawBuilder<Date>> = {
  bidOpensAt: (t) => sql<Date>`${sql.ref(`${t}.bid_opens_at`)}`,
  endsAt: (t) => sql<Date>`coalesce(${sql.ref(`${t}.ends_at`)}, ${sql.ref(`${t}.bid_deadline`)})`,
};

/** The statuses of a published listing, one per window of the clock. */
export const PUBLISHED_STATUSES: readonly ListingStatus[] = PUBLISHED_WINDOWS.map((w) => w.status);

/** What the status of a listing is read from. */
export type StatusSource = { state: ListingState } & Record<WindowEnd, Date>;

/** The status at `now`: the stored state, or the clock's window while published. */
export function effectiveStatus(l: StatusSource, now: Date): ListingStatus {
  if (l.state !== 'published') return l.state;
  for (const w of PUBLISHED_WINDOWS) if (w.until === null || now < l[w.until]) return w.status;
  return 'closed'; // unreachable: the last window has no end
}

/** The SQL clock a read compares with: the statement's `now()` unless a caller needs `clock_timestamp()`. */
export const NOW = sql<Date>`now()`;
export const CLOCK = sql<Date>`clock_timestamp()`;

/** The same rule as effectiveStatus over a row of `listings` (or the alias given), as one SQL expression. */
export function statusSql(table = 'listings', clock: RawBuilder<Date> = NOW): RawBuilder<ListingStatus> {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const whens = PUBLISHED_WINDOWS.map((w) =>
    w.until === null
      ? sql`ELSE ${sql.lit(w.status)}`
      : sql`WHEN ${clock} < ${MOMENT[w.until](table)} THEN ${sql.lit(w.status)}`,
  );
  return sql<ListingStatus>`(CASE WHEN ${col('state')} <> 'published' THEN ${col('state')} ${sql.join(whens, sql` `)} END)`;
}

/**
 * "The status is one of these", as a predicate an index on (state, bid_opens_at, bid_deadline) can serve:
 * a stored state is compared as it is, a clock window as its bounds.
 */
export function statusIs(
  statuses: readonly ListingStatus[],
  table = 'listings',
  clock: RawBuilder<Date> = NOW,
): RawBuilder<SqlBool> {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const parts: RawBuilder<unknown>[] = [];
  const stored = statuses.filter((s) => !PUBLISHED_WINDOWS.some((w) => w.status === s));
  if (stored.length) parts.push(sql`${col('state')} IN (${sql.join(stored.map((s) => sql.lit(s)))})`);
  // consecutive windows asked for make one range (announced or open: published and before the deadline)
  let runStart: number | null = null;
  PUBLISHED_WINDOWS.forEach((w, i) => {
    if (!statuses.includes(w.status)) return;
    if (runStart === null) runStart = i;
    const next = PUBLISHED_WINDOWS[i + 1];
    if (next && statuses.includes(next.status)) return;
    const from = runStart > 0 ? PUBLISHED_WINDOWS[runStart - 1].until : null;
    const bounds = [sql`${col('state')} = 'published'`];
    if (from) bounds.push(sql`${clock} >= ${MOMENT[from](table)}`);
    if (w.until) bounds.push(sql`${clock} < ${MOMENT[w.until](table)}`);
    parts.push(sql`(${sql.join(bounds, sql` AND `)})`);
    runStart = null;
  });
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : sql<SqlBool>`false`;
}

/** The next moment the clock alone changes some listing's status: the nearest window end still ahead. */
export function nextStatusChangeSql(): RawBuilder<Date | null> {
  const ends = PUBLISHED_WINDOWS.flatMap((w) => (w.until ? [MOMENT[w.until]('listings')] : []));
  const each = ends.map((c) => sql`SELECT min(${c}) AS t FROM listings WHERE state = 'published' AND ${c} > now()`);
  return sql<Date | null>`(SELECT min(t) FROM (${sql.join(each, sql` UNION ALL `)}) ends)`;
}

/**
 * The last moment the clock alone changed some published listing's status: the latest window end already
 * passed. It moves exactly when the clock moves a status, and not when a window end still ahead moves (an
 * auction's end extended), so a read keyed by it changes when it must and only then.
 */
export function passedStatusChangeSql(): RawBuilder<Date | null> {
  const ends = PUBLISHED_WINDOWS.flatMap((w) => (w.until ? [MOMENT[w.until]('listings')] : []));
  const each = ends.map((c) => sql`SELECT max(${c}) AS t FROM listings WHERE state = 'published' AND ${c} <= now()`);
  return sql<Date | null>`(SELECT max(t) FROM (${sql.join(each, sql` UNION ALL `)}) ends)`;
}

/** Announced or open: on the board, open to questions and registration, before the deadline. */
export const BEFORE_DEADLINE = ['announced', 'open'] as const satisfies readonly ListingStatus[];
export function isBeforeDeadline(status: ListingStatus): boolean {
  return (BEFORE_DEADLINE as readonly ListingStatus[]).includes(status);
}

/** A deal: awarded, and still one once its contract is signed. Statistics, exports and results count these. */
export const DEAL_STATES = ['awarded', 'concluded'] as const satisfies readonly ListingState[];
export type DealState = (typeof DEAL_STATES)[number];
export function isDeal(state: ListingState): state is DealState {
  return (DEAL_STATES as readonly ListingState[]).includes(state);
}

/** States only an opening leads to: 开标 makes a listing opened or failed (流标); award and contract follow. */
export const OPENED_STATES = ['opened', 'failed', 'awarded', 'concluded'] as const satisfies readonly ListingState[];

/**
 * Were the bids revealed? After an opening, whatever follows; a cancellation keeps the opening record when
 * it came after one (opened_at set). API.md shows the bid count "after opening", and open data and red flags
 * read a listing cancelled after opening as opened too; one cancelled before opening reveals nothing.
 */
export function isRevealed(l: { state: ListingState; openedAt: Date | null }): boolean {
  return (
    (OPENED_STATES as readonly ListingState[]).includes(l.state) || (l.state === 'cancelled' && l.openedAt !== null)
  );
}

/** isRevealed in SQL, over a row of `listings` (or the alias given). */
export function revealedSql(table = 'listings'): RawBuilder<SqlBool> {
  const col = (c: string) => sql.ref(`${table}.${c}`);
  const opened = sql.join(OPENED_STATES.map((s) => sql.lit(s)));
  return sql<SqlBool>`(${col('state')} IN (${opened}) OR (${col('state')} = 'cancelled' AND ${col('opened_at')} IS NOT NULL))`;
}
