/**
 * Red flags (warning signs) on deals for auditors, each a pure function of a deal's facts.
 * Computed only for deals whose bids were opened (opened, failed, awarded, concluded, or cancelled
 * after opening): nothing here may reveal sealed information. Money is compared with Decimal.
 */
import { Decimal } from '../http/money';
import type { DealKind } from '../townships/townships';
import type { ListingState } from '../db/database';
import { isRevealed } from '../listings/status';

export type FlagCode =
  | 'SINGLE_VALID_BID'
  | 'AWARD_NOT_TOP'
  | 'NEAR_BASE_PRICE'
  | 'LARGE_SAVINGS'
  | 'SHORT_BIDDING_WINDOW'
  | 'NEAR_TOWNSHIP_LIMIT'
  | 'IDENTICAL_BIDS'
  | 'SHARED_CONTACT'
  | 'REPEAT_WINNER'
  | 'RELIST_PRICE_CUT';

export const FLAG_CODES: readonly FlagCode[] = [
  'SINGLE_VALID_BID',
  'AWARD_NOT_TOP',
  'NEAR_BASE_PRICE',
  'LARGE_SAVINGS',
  'SHORT_BIDDING_WINDOW',
  'NEAR_TOWNSHIP_LIMIT',
  'IDENTICAL_BIDS',
  'SHARED_CONTACT',
  'REPEAT_WINNER',
  'RELIST_PRICE_CUT',
];

export interface FlagBid {
  bidId: string;
  bidderId: string;
  bidderName: string;
  amount: Decimal | null;
  valid: boolean | null;
  rank: number | null;
  phone: string | null;
  idNumber: string | null;
}

export interface FlagAward {
  bidId: string;
  bidderId: string;
  amount: Decimal;
  awardedAt: Date;
}

export interface FlagDeal {
  listingId: string;
  townshipId: string;
  kind: DealKind;
  state: ListingState;
  openedAt: Date | null;
  basePrice: Decimal;
  bidOpensAt: Date;
  bidDeadline: Date;
  townshipMax: Decimal;
  bids: FlagBid[]; // live bids only
  award: FlagAward | null;
  previous: { basePrice: Decimal } | null; // the listing this one was relisted from
}

/** A township's awards, for REPEAT_WINNER. */
export interface TownshipWin {
  listingId: string;
  townshipId: string;
  bidderId: string;
  awardedAt: Date;
}

export interface Flag {
  listingId: string;
  code: FlagCode;
  params: Record<string, string | number>;
}

const HOUR_MS = 3600_000;
export const MIN_BIDDING_WINDOW_MS = 72 * HOUR_MS;

/** Only deals past opening are flagged: before it, bids and bidders are secret even from auditors. */
export { isRevealed };

const validBids = (d: FlagDeal) => d.bids.filter((b) => b.valid === true);

export function singleValidBid(d: FlagDeal): Flag | null {
  if (!d.award || validBids(d).length !== 1) return null;
  return { listingId: d.listingId, code: 'SINGLE_VALID_BID', params: {} };
}

export function awardNotTop(d: FlagDeal): Flag | null {
  if (!d.award) return null;
  const ranked = validBids(d)
    .filter((b) => b.rank !== null)
    .sort((a, b) => a.rank! - b.rank!);
  const top = ranked[0];
  if (!top || top.bidId === d.award.bidId) return null;
  const won = d.bids.find((b) => b.bidId === d.award!.bidId);
  return { listingId: d.listingId, code: 'AWARD_NOT_TOP', params: { rank: won?.rank ?? '?' } };
}

/** |award − base| ≤ 1 % of base: an offer that knew the base price. */
export function nearBasePrice(d: FlagDeal): Flag | null {
  if (!d.award) return null;
  const gap = d.award.amount.minus(d.basePrice).abs();
  if (gap.gt(d.basePrice.times('0.01'))) return null;
  return {
    listingId: d.listingId,
    code: 'NEAR_BASE_PRICE',
    params: { rate: gap.div(d.basePrice).times(100).toFixed(2) },
  };
}

/** Procurement awarded 30 % or more below the ceiling: an inflated ceiling or an unrealistic offer. */
export function largeSavings(d: FlagDeal): Flag | null {
  if (!d.award || d.kind !== 'procurement') return null;
  const saved = d.basePrice.minus(d.award.amount);
  if (saved.lt(d.basePrice.times('0.30'))) return null;
  return {
    listingId: d.listingId,
    code: 'LARGE_SAVINGS',
    params: { rate: saved.div(d.basePrice).times(100).toFixed(2) },
  };
}

export function shortBiddingWindow(d: FlagDeal): Flag | null {
  const ms = +d.bidDeadline - +d.bidOpensAt;
  if (ms >= MIN_BIDDING_WINDOW_MS) return null;
  return { listingId: d.listingId, code: 'SHORT_BIDDING_WINDOW', params: { hours: Math.floor(ms / HOUR_MS) } };
}

/** Base price within 5 % under the township maximum: a deal perhaps sized to stay out of the county centre. */
export function nearTownshipLimit(d: FlagDeal): Flag | null {
  if (d.basePrice.gt(d.townshipMax) || d.basePrice.lt(d.townshipMax.times('0.95'))) return null;
  return { listingId: d.listingId, code: 'NEAR_TOWNSHIP_LIMIT', params: { max: d.townshipMax.toFixed(2) } };
}

function pairsWithSame(bids: FlagBid[], key: (b: FlagBid) => string | null): boolean {
  const seen = new Map<string, string>();
  for (const b of bids) {
    const k = key(b);
    if (!k) continue;
    const other = seen.get(k);
    if (other !== undefined && other !== b.bidderId) return true;
    seen.set(k, b.bidderId);
  }
  return false;
}

export function identicalBids(d: FlagDeal): Flag | null {
  if (!pairsWithSame(d.bids, (b) => (b.amount ? b.amount.toFixed(2) : null))) return null;
  return { listingId: d.listingId, code: 'IDENTICAL_BIDS', params: {} };
}

export function sharedContact(d: FlagDeal): Flag | null {
  const norm = (s: string | null) => (s && s.trim() ? s.trim().toUpperCase() : null);
  const phone = pairsWithSame(d.bids, (b) => norm(b.phone));
  const idNumber = pairsWithSame(d.bids, (b) => norm(b.idNumber));
  if (!phone && !idNumber) return null;
  return {
    listingId: d.listingId,
    code: 'SHARED_CONTACT',
    params: { what: phone && idNumber ? 'both' : phone ? 'phone' : 'idNumber' },
  };
}

function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r;
}

/** The winner's wins in this township that, with this one, make 3 or more within 12 months. */
export function repeatWinner(d: FlagDeal, wins: TownshipWin[]): Flag | null {
  if (!d.award) return null;
  const times = wins
    .filter((w) => w.townshipId === d.townshipId && w.bidderId === d.award!.bidderId)
    .map((w) => +w.awardedAt)
    .sort((a, b) => a - b);
  const t = +d.award.awardedAt;
  // some window of 12 months holding this award and at least two other wins
  for (let i = 0; i < times.length; i++) {
    const from = times[i];
    if (from > t) break;
    const until = +addMonths(new Date(from), 12);
    if (t >= until) continue;
    const inWindow = times.filter((x) => x >= from && x < until).length;
    if (inWindow >= 3) return { listingId: d.listingId, code: 'REPEAT_WINNER', params: { count: inWindow } };
  }
  return null;
}

/** Relisted on terms more than 20 % kinder to bidders: a higher ceiling, or a lower reserve. */
export function relistPriceCut(d: FlagDeal): Flag | null {
  if (!d.previous) return null;
  const old = d.previous.basePrice;
  const kinder = d.kind === 'procurement' ? d.basePrice.gt(old.times('1.2')) : d.basePrice.lt(old.times('0.8'));
  if (!kinder) return null;
  return {
    listingId: d.listingId,
    code: 'RELIST_PRICE_CUT',
    params: { from: old.toFixed(2), to: d.basePrice.toFixed(2) },
  };
}

/** Every flag of every revealed deal, in the fixed order of FLAG_CODES per deal. */
export function flagDeals(deals: FlagDeal[], wins: TownshipWin[]): Flag[] {
  const out: Flag[] = [];
  for (const d of deals) {
    if (!isRevealed(d)) continue;
    const found = [
      singleValidBid(d),
      awardNotTop(d),
      nearBasePrice(d),
      largeSavings(d),
      shortBiddingWindow(d),
      nearTownshipLimit(d),
      identicalBids(d),
      sharedContact(d),
      repeatWinner(d, wins),
      relistPriceCut(d),
    ];
    for (const f of found) if (f) out.push(f);
  }
  return out;
}
