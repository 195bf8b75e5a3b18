import type { AppContext } from '../context';
import type { DealRow } from './exports';
import { findDeals } from './exports.repository';
import type { StatsFilter } from './stats';

/** Every awarded deal (成交) of the filter, one row each, as the exports list them. */
export async function listDeals(ctx: AppContext, filter: StatsFilter): Promise<DealRow[]> {
  return findDeals(ctx.db, filter);
}
