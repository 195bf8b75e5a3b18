import type { ListingSteps } from './listings/life';
import { createListingSeal } from './bids/sealing.service';
import { countLiveBids } from './bids/bids.service';
import { endCancelledAuction } from './auctions/auctions.service';

/**
 * The steps other concepts take inside a listing's own use cases (listings/life.ts ListingSteps), wired here
 * at the composition root so that listings/ depends on neither bids/ nor auctions/ (no import circle).
 */
export const listingSteps: ListingSteps = {
  sealOnPublish: async (trx, listing, rules) => {
    await createListingSeal(trx, listing, rules.openingQuorum);
  },
  endAuctionOnCancel: (trx, listing) => endCancelledAuction(trx, listing),
  countLiveBids,
};
