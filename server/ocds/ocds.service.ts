import type { AppContext } from '../context';
import type { Checkpoint } from '../trail/checkpoint';
import { currentCheckpoint, trailHead } from '../trail/trail.service';
import { Scope, scopeTownshipIds } from '../board/scope';
import { OcdsRelease, releasesFor } from './ocds';
import * as repo from './ocds.repository';

/** Every release in scope dated at or after `since`, oldest first, with the audit head. */
export async function loadReleases(
  ctx: AppContext,
  scope: Scope,
  since: Date | null,
): Promise<{ releases: OcdsRelease[]; audit: { entries: number; head: string }; checkpoint: Checkpoint }> {
  const listings = await repo.findPublishedListings(ctx.db, scopeTownshipIds(scope));
  const ids = listings.map((x) => x.listing.id);
  const [bidders, awards, contracts, audit, checkpoint] = await Promise.all([
    repo.findOpenedBidders(ctx.db, ids),
    repo.findAwards(ctx.db, ids),
    repo.findContracts(ctx.db, ids),
    trailHead(ctx),
    currentCheckpoint(ctx),
  ]);
  const townships = new Map(scope.townships.map((t) => [t.id, t]));
  const releases: OcdsRelease[] = [];
  for (const x of listings) {
    const township = townships.get(x.listing.townshipId);
    if (!township) continue;
    const award = awards.get(x.listing.id) ?? null;
    releases.push(
      ...releasesFor(
        {
          listing: x.listing,
          township,
          failedAt: x.failedAt,
          cancelledAt: x.cancelledAt,
          bidders: bidders.get(x.listing.id) ?? [],
          award,
          contract: award ? (contracts.get(x.listing.id) ?? null) : null,
        },
        ctx.config.ocdsPrefix,
      ),
    );
  }
  const sinceIso = since?.toISOString();
  return { releases: sinceIso ? releases.filter((r) => r.date >= sinceIso) : releases, audit, checkpoint };
}
