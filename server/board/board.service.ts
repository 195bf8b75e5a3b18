import type { AppContext } from '../context';
import type { Checkpoint } from '../trail/checkpoint';
import { currentCheckpoint, trailHead } from '../trail/trail.service';
import type { Listing } from '../listings/listings';
import { boardAnnouncements, BoardResult, sortResults } from './board';
import * as repo from './board.repository';
import { cachedRead, defineRead, sourcesOf } from '../cache/cache';
import { Scope, scopeKey, scopeTownshipIds } from './scope';
import './board.messages';

export interface BoardData {
  announcements: Listing[];
  results: BoardResult[];
  pastWithoutAward: Listing[];
  audit: { entries: number; head: string };
  /** the transparency log's latest signed checkpoint */
  checkpoint: Checkpoint;
  updatedAt: Date;
}

// The board is read in parts, each through the read cache with its own sources, so a change
// recomputes only the parts that show it: an auction bid (its end moving) re-reads the live
// announcements, not the results, the past deals or the audit head. (A district's parts are keyed by
// its name: which townships are in it is part of what they show.)
const ANNOUNCEMENTS = defineRead('board.announcements', [
  'listings',
  'listings.ends_at',
  'clock.listings',
  'townships',
]);
const RESULTS = defineRead('board.results', ['awards', 'listings', 'users', 'townships']);
const PAST = defineRead('board.past', ['listings', 'townships']);
const TRAIL = defineRead('board.trail', ['audit']);
/** Everything loadBoard's value is made of (reads built on it declare these, and what else they show). */
export const BOARD_SOURCES = sourcesOf(ANNOUNCEMENTS, RESULTS, PAST, TRAIL);

/** Everything the board shows for a scope, through the read cache. */
export async function loadBoard(ctx: AppContext, scope: Scope): Promise<BoardData> {
  const ids = scopeTownshipIds(scope);
  const key = scopeKey(scope);
  const now = new Date();
  const [live, results, pastWithoutAward, trail] = await Promise.all([
    cachedRead(ctx, ANNOUNCEMENTS, `board.announcements:${key}`, async () => {
      const at = new Date();
      return boardAnnouncements(await repo.findLiveListings(ctx.db, ids, at), at);
    }),
    cachedRead(ctx, RESULTS, `board.results:${key}`, async () => sortResults(await repo.findResults(ctx.db, ids))),
    cachedRead(ctx, PAST, `board.past:${key}`, () => repo.findClosedWithoutAward(ctx.db, ids)),
    cachedRead(ctx, TRAIL, 'board.trail', async () => {
      const [audit, checkpoint] = await Promise.all([trailHead(ctx), currentCheckpoint(ctx)]);
      return { audit, checkpoint };
    }),
  ]);
  return {
    announcements: live.value,
    results: results.value,
    pastWithoutAward: pastWithoutAward.value,
    audit: trail.value.audit,
    checkpoint: trail.value.checkpoint,
    updatedAt: now,
  };
}
