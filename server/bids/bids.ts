import { Decimal, formatMoney } from '../http/money';
import type { DealKind } from '../townships/townships';
import { Person, shownName } from '../accounts/accounts';

// Pure rules of sealed bidding: the valid range, the ranking and the outcome of an opening.

/** Procurement: 0 < amount ≤ ceiling. Lease: amount ≥ reserve. */
export function isAmountInRange(kind: DealKind, basePrice: Decimal, amount: Decimal): boolean {
  if (kind === 'procurement') return amount.gt(0) && amount.lte(basePrice);
  return amount.gte(basePrice);
}

/** Why a bid is set aside at opening; shown as codes in the API and translated on pages. */
export type InvalidReason = 'OUT_OF_RANGE' | 'NOT_REGISTERED' | 'UNREADABLE';

export interface BidToOpen {
  id: string;
  bidderId: string;
  /** null when the sealed amount could not be opened (tampered or wrong key) */
  amount: Decimal | null;
  submittedAt: Date;
  /** the bidder holds a confirmed registration (deposit received) */
  registrationConfirmed: boolean;
}

export interface OpenedBidResult {
  id: string;
  valid: boolean;
  invalidReason: InvalidReason | null;
  rank: number | null;
}

export interface OpeningTerms {
  kind: DealKind;
  basePrice: Decimal;
  depositRequired: boolean;
  minValidBids: number;
}

export function invalidReasonOf(terms: OpeningTerms, bid: BidToOpen): InvalidReason | null {
  if (bid.amount === null) return 'UNREADABLE';
  if (terms.depositRequired && !bid.registrationConfirmed) return 'NOT_REGISTERED';
  if (!isAmountInRange(terms.kind, terms.basePrice, bid.amount)) return 'OUT_OF_RANGE';
  return null;
}

/** Best first: lowest for procurement, highest for a lease; a tie goes to the earlier bid. */
export function compareBids(
  kind: DealKind,
  a: { amount: Decimal; submittedAt: Date },
  b: { amount: Decimal; submittedAt: Date },
): number {
  const byAmount = kind === 'procurement' ? a.amount.comparedTo(b.amount) : b.amount.comparedTo(a.amount);
  return byAmount !== 0 ? byAmount : a.submittedAt.getTime() - b.submittedAt.getTime();
}

/**
 * Validates and ranks the live bids at opening. Results come valid bids first (rank 1, 2 …), then
 * invalid ones (rank null) in order of submission. Fewer valid bids than the township's minimum
 * means the deal fails (流标).
 */
export function evaluateOpening(
  terms: OpeningTerms,
  bids: BidToOpen[],
): { status: 'opened' | 'failed'; results: OpenedBidResult[] } {
  const checked = bids.map((bid) => ({ bid, reason: invalidReasonOf(terms, bid) }));
  // a bid with no reason against it has an amount (UNREADABLE is the reason when it has none)
  const valid = checked
    .filter((c) => c.reason === null)
    .map((c) => ({ ...c.bid, amount: c.bid.amount as Decimal }))
    .sort((a, b) => compareBids(terms.kind, a, b));
  const invalid = checked
    .filter((c) => c.reason !== null)
    .sort((a, b) => a.bid.submittedAt.getTime() - b.bid.submittedAt.getTime() || (a.bid.id < b.bid.id ? -1 : 1));
  const results: OpenedBidResult[] = [
    ...valid.map((bid, i) => ({ id: bid.id, valid: true, invalidReason: null, rank: i + 1 })),
    ...invalid.map((c) => ({ id: c.bid.id, valid: false, invalidReason: c.reason, rank: null })),
  ];
  return { status: valid.length >= Math.max(terms.minValidBids, 1) ? 'opened' : 'failed', results };
}

/** A bid as its owner sees it (own live bid) and as the submit answer gives it. */
export interface OwnBid {
  id: string;
  listingId: string;
  amount: Decimal;
  submittedAt: Date;
  receipt: string;
}

export function ownBidToJson(b: OwnBid) {
  return {
    id: b.id,
    listingId: b.listingId,
    amount: formatMoney(b.amount),
    submittedAt: b.submittedAt.toISOString(),
    receipt: b.receipt,
  };
}

/** Gives each row its bidder's name as pages show it (accounts/ owns names: the one given, else the username). */
export function withBidderNames<T extends { bidderId: string }>(
  rows: readonly T[],
  people: ReadonlyMap<string, Person>,
): (T & { bidderName: string })[] {
  return rows.map((r) => {
    const p = people.get(r.bidderId);
    return { ...r, bidderName: p ? shownName(p) : '' };
  });
}

/** Registrations with the name the bidder gave (null if none) and their username, for the staff's list. */
export function withRegistrantNames(
  rows: readonly Registration[],
  people: ReadonlyMap<string, Person>,
): (Registration & { bidderUsername: string })[] {
  return rows.map((r) => {
    const p = people.get(r.bidderId);
    return { ...r, bidderName: p?.name ?? null, bidderUsername: p?.username ?? '' };
  });
}

/** A bid in the opening record: public once opened. */
export interface OpenedBid {
  id: string;
  bidderId: string;
  bidderName: string;
  amount: Decimal | null;
  submittedAt: Date;
  receipt: string;
  nonce: string;
  rank: number | null;
  valid: boolean;
  invalidReason: string | null;
}

export function openedBidToJson(b: OpenedBid) {
  return {
    id: b.id,
    bidderId: b.bidderId,
    bidderName: b.bidderName,
    amount: b.amount ? formatMoney(b.amount) : null,
    submittedAt: b.submittedAt.toISOString(),
    receipt: b.receipt,
    nonce: b.nonce,
    rank: b.rank,
    valid: b.valid,
    invalidReason: b.invalidReason,
  };
}

/** Valid bids by rank, then invalid ones by time: the order of the opening record. */
export function sortOpenedBids(bids: OpenedBid[]): OpenedBid[] {
  return [...bids].sort((a, b) => {
    if (a.valid !== b.valid) return a.valid ? -1 : 1;
    if (a.rank !== null && b.rank !== null && a.rank !== b.rank) return a.rank - b.rank;
    // same millisecond: the id decides, so the record reads the same every time
    return a.submittedAt.getTime() - b.submittedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

export type RegistrationStatus = 'pending' | 'confirmed' | 'refundable' | 'refunded' | 'retained';

export interface Registration {
  id: string;
  listingId: string;
  bidderId: string;
  bidderName: string | null;
  status: RegistrationStatus;
  createdAt: Date;
  confirmedAt: Date | null;
  /** when staff recorded the deposit paid back (status refunded) */
  refundedAt: Date | null;
}

export function registrationToJson(r: Registration) {
  return {
    id: r.id,
    listingId: r.listingId,
    bidderId: r.bidderId,
    bidderName: r.bidderName,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    confirmedAt: r.confirmedAt ? r.confirmedAt.toISOString() : null,
  };
}
