import type { Express } from 'express';
import { as, TEST_PASSWORD } from './context';

// Opening needs a quorum of key holders (API.md "Sealing that no single insider can open"): each
// confirms with their own password, then staff of the township open with theirs.

interface Holder {
  token: string;
}

/** One holder's confirmation: POST /listings/:id/opening-shares with their password. */
export function confirmShare(app: Express, holder: Holder, listingId: string, password = TEST_PASSWORD) {
  return as(app, holder.token).post(`/api/v1/listings/${listingId}/opening-shares`).send({ password });
}

/** The others confirm (an auditor, for the default quorum 2), then the staff member opens: that answer, 200 expected. */
export async function openAtQuorum(app: Express, staff: Holder, listingId: string, others: Holder[], status = 200) {
  for (const h of others) await confirmShare(app, h, listingId).expect(200);
  return as(app, staff.token)
    .post(`/api/v1/listings/${listingId}/open`)
    .send({ password: TEST_PASSWORD })
    .expect(status);
}
