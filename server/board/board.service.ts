import type { AppContext } from '../context';
import type { Checkpoint } from '../trail/checkpoint';
import { currentCheckpoint, trailHead } from '../trail/trail.service';
import type { Listing } from '../listings/listings';
import { boardAnnouncements, BoardResult, sortResults } from './board';
import * as repo from './board.repository';
import { cachedRead } from '../cache/cache';
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

/** Everything the board shows for a scope, through the read cache. */
export async function loadBoard(ctx: AppContext, scope: Scope): Promise<BoardData> {
  const { value } = await cachedRead(ctx, `board:${scopeKey(scope)}`, async () => {
    const now = new Date();
    const ids = scopeTownshipIds(scope);
    const [live, results, pastWithoutAward, audit, checkpoint] = await Promise.all([
      repo.findLiveListings(ctx.db, ids, now),
      repo.findResults(ctx.db, ids),
      repo.findClosedWithoutAward(ctx.db, ids),
      trailHead(ctx),
      currentCheckpoint(ctx),
    ]);
    return {
      announcements: boardAnnouncements(live, now),
      results: sortResults(results),
      pastWithoutAward,
      audit,
      checkpoint,
      updatedAt: now,
    };
  });
  return value;
}
