import type { AppContext } from '../context';
import type { Checkpoint } from '../trail/checkpoint';
import { currentCheckpoint, trailHead } from '../trail/trail.service';
import type { Listing } from '../listings/listings';
import { effectiveStatus, ListingStatus } from '../listings/status';
import { boardAnnouncements, BoardResult, sortResults } from './board';
import * as repo from './board.repository';
import { cachedRead, defineRead, sourcesOf } from '../cache/cache';
import { Scope, scopeKey, scopeTownshipIds } from './scope';
import './board.messages';

export interface BoardData {
  /**
   * Live announcements. Each one's endsAt is current only when loadBoard was asked for the current
   * ends; otherwise it is as of when the announcements were read, and must not be shown (the status is).
   */
  announcements: Listing[];
  /** each announcement's status, as of its reading: the clock's versions keep it current */
  statuses: ReadonlyMap<string, ListingStatus>;
  results: BoardResult[];
  pastWithoutAward: Listing[];
  audit: { entries: number; head: string };
  /** the transparency log's latest signed checkpoint */
  checkpoint: Checkpoint;
  updatedAt: Date;
}

// The board is read in parts, each through the read cache with its own sources, so a change
// recomputes only the parts that show it. An auction bid moves the auction's end alone: it re-reads
// only the current ends of the scope's live auctions (one small query), not the announcements, the
// results, the past deals or the audit head, and a board that does not show the ends (the page) stays
// as it is. (A district's parts are keyed by its name: which townships are in it is part of what they show.)
//
// Why the announcements need not follow an end moving: an end moves only while its auction is open
// and only later, so every status read with the old end stays right until the real end passes, and
// that moment is a clock change (clock.listings follows the real ends), which reads them again.
const ANNOUNCEMENTS = defineRead('board.announcements', ['listings', 'clock.listings', 'townships']);
const ENDS = defineRead('board.ends', ['listings', 'listings.ends_at', 'townships']);
const RESULTS = defineRead('board.results', ['awards', 'listings', 'users', 'townships']);
const PAST = defineRead('board.past', ['listings', 'townships']);
const TRAIL = defineRead('board.trail', ['audit']);
/** What loadBoard's value is made of without the current ends (the page shows no end). */
export const BOARD_SOURCES = sourcesOf(ANNOUNCEMENTS, RESULTS, PAST, TRAIL);
/** The same with the current ends of live auctions (the API shows each auction's endsAt). */
export const BOARD_WITH_ENDS_SOURCES = sourcesOf(ANNOUNCEMENTS, ENDS, RESULTS, PAST, TRAIL);

/**
 * Everything the board shows for a scope, through the read cache. With `currentEnds` each live auction's
 * endsAt is its current end (a read showing it declares BOARD_WITH_ENDS_SOURCES); without, BOARD_SOURCES.
 */
export async function loadBoard(ctx: AppContext, scope: Scope, currentEnds = true): Promise<BoardData> {
  const ids = scopeTownshipIds(scope);
  const key = scopeKey(scope);
  const now = new Date();
  const [live, ends, results, pastWithoutAward, trail] = await Promise.all([
    cachedRead(ctx, ANNOUNCEMENTS, `board.announcements:${key}`, async () => {
      const at = new Date();
      const listings = boardAnnouncements(await repo.findLiveListings(ctx.db, ids, at), at);
      return { listings, statuses: new Map(listings.map((l) => [l.id, effectiveStatus(l, at)])) };
    }),
    currentEnds ? cachedRead(ctx, ENDS, `board.ends:${key}`, () => repo.findLiveAuctionEnds(ctx.db, ids)) : null,
    cachedRead(ctx, RESULTS, `board.results:${key}`, async () => sortResults(await repo.findResults(ctx.db, ids))),
    cachedRead(ctx, PAST, `board.past:${key}`, () => repo.findClosedWithoutAward(ctx.db, ids)),
    cachedRead(ctx, TRAIL, 'board.trail', async () => {
      const [audit, checkpoint] = await Promise.all([trailHead(ctx), currentCheckpoint(ctx)]);
      return { audit, checkpoint };
    }),
  ]);
  const withEnd = (l: Listing): Listing => {
    const end = ends?.value.get(l.id);
    return end && end.getTime() !== l.endsAt.getTime() ? { ...l, endsAt: end } : l;
  };
  return {
    announcements: ends ? live.value.listings.map(withEnd) : live.value.listings,
    statuses: live.value.statuses,
    results: results.value,
    pastWithoutAward: pastWithoutAward.value,
    audit: trail.value.audit,
    checkpoint: trail.value.checkpoint,
    updatedAt: now,
  };
}
