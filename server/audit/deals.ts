import { isId } from '../http/access';
import type { Decimal } from '../http/money';
import { LISTING_STATUSES, ListingStatus } from '../listings/status';

// The auditor's workspace: a deal as the auditor reviews it, and the notes on it.

export const STATUSES = LISTING_STATUSES.filter((s) => s !== 'draft');
export const KINDS = ['procurement', 'lease'] as const;

export interface Deal {
  id: string;
  code: string;
  title: string;
  kind: 'procurement' | 'lease';
  /** by the database clock (server/listings/status.ts) */
  status: ListingStatus;
  townshipId: string;
  townshipName: string;
  basePrice: Decimal;
  awardAmount: Decimal | null;
  awardedAt: Date | null;
  bidDeadline: Date;
  reviewed: boolean;
}

export interface ReviewNote {
  id: string;
  listingId: string;
  text: string;
  reviewed: boolean;
  author: string;
  createdAt: Date;
}

/** Query-string filters from the workspace form; unknown values are ignored rather than refused. */
export function dealFilters(q: Record<string, unknown>) {
  const pick = <T extends string>(v: unknown, allowed: readonly T[]) =>
    allowed.includes(v as T) ? (v as T) : undefined;
  return {
    townshipId: isId(q.townshipId) ? q.townshipId : undefined,
    kind: pick(q.kind, KINDS),
    status: pick(q.status, STATUSES),
    flaggedOnly: q.flagged === '1' || q.flagged === 'on',
  };
}
