import {
  aliasOf,
  AuctionBid,
  beatsBest,
  bestOf,
  directionOf,
  endAfterBid,
  historyItemToJson,
  isOnGrid,
  nextMinimum,
  rankBidders,
  refuseBid,
} from '../../server/auctions/auctions';
import { Decimal } from '../../server/http/money';

const d = (s: string) => new Decimal(s);
const lease = { kind: 'lease' as const, basePrice: d('10000.00'), increment: d('500.00') };
const procurement = { kind: 'procurement' as const, basePrice: d('50000.00'), increment: d('1000.00') };
const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 2, 0, 0) + ms);

describe('directionOf', () => {
  it('a lease rises, a procurement falls', () => {
    expect(directionOf('lease')).toBe('rising');
    expect(directionOf('procurement')).toBe('falling');
  });
});

describe('isOnGrid', () => {
  it('lease: the reserve plus a whole number of increments', () => {
    expect(isOnGrid(lease, d('10000'))).toBe(true);
    expect(isOnGrid(lease, d('10500.00'))).toBe(true);
    expect(isOnGrid(lease, d('25000'))).toBe(true);
    expect(isOnGrid(lease, d('10250'))).toBe(false);
    expect(isOnGrid(lease, d('10500.01'))).toBe(false);
    expect(isOnGrid(lease, d('9500'))).toBe(false); // below the reserve: k would be negative
  });
  it('procurement: the ceiling minus a whole number of increments, above zero', () => {
    expect(isOnGrid(procurement, d('50000'))).toBe(true);
    expect(isOnGrid(procurement, d('49000'))).toBe(true);
    expect(isOnGrid(procurement, d('1000'))).toBe(true);
    expect(isOnGrid(procurement, d('49500'))).toBe(false);
    expect(isOnGrid(procurement, d('51000'))).toBe(false);
  });
  it('works in fen: an increment of 0.05 on 100.10', () => {
    const t = { kind: 'lease' as const, basePrice: d('100.10'), increment: d('0.05') };
    expect(isOnGrid(t, d('100.15'))).toBe(true);
    expect(isOnGrid(t, d('100.12'))).toBe(false);
  });
});

describe('nextMinimum and beatsBest', () => {
  it('the base price while nobody has bid', () => {
    expect(nextMinimum(lease, null)!.toFixed(2)).toBe('10000.00');
    expect(nextMinimum(procurement, null)!.toFixed(2)).toBe('50000.00');
  });
  it('one increment past the best, upward for a lease and downward for a procurement', () => {
    expect(nextMinimum(lease, d('12000'))!.toFixed(2)).toBe('12500.00');
    expect(nextMinimum(procurement, d('42000'))!.toFixed(2)).toBe('41000.00');
    expect(beatsBest(lease, d('12000'), d('12500'))).toBe(true);
    expect(beatsBest(lease, d('12000'), d('13000'))).toBe(true); // a jump of several increments is fine
    expect(beatsBest(lease, d('12000'), d('12000'))).toBe(false);
    expect(beatsBest(procurement, d('42000'), d('41000'))).toBe(true);
    expect(beatsBest(procurement, d('42000'), d('43000'))).toBe(false);
  });
  it('a falling auction at its floor has no valid next bid', () => {
    expect(nextMinimum(procurement, d('1000'))).toBeNull();
    expect(beatsBest(procurement, d('1000'), d('1000'))).toBe(false);
  });
});

describe('refuseBid', () => {
  const state = { best: d('11000'), leaderId: 'b1' };
  it('takes a bid on the grid that beats the best, from someone else', () => {
    expect(refuseBid(lease, state, 'b2', d('11500'))).toBeNull();
    expect(refuseBid(lease, { best: null, leaderId: null }, 'b1', d('10000'))).toBeNull();
  });
  it('refuses off the grid first, then the leader, then a bid that does not beat the best', () => {
    expect(refuseBid(lease, state, 'b1', d('11250'))).toEqual({ code: 'INVALID_INCREMENT' });
    expect(refuseBid(lease, state, 'b1', d('11500'))).toEqual({ code: 'ALREADY_LEADING' });
    const notBetter = refuseBid(lease, state, 'b2', d('11000'));
    expect(notBetter?.code).toBe('BID_NOT_BETTER');
    expect(notBetter && 'nextMin' in notBetter && notBetter.nextMin?.toFixed(2)).toBe('11500.00');
  });
});

describe('endAfterBid (限时竞价)', () => {
  const end = at(300_000);
  it('a bid less than the window before the end moves the end to bid time + window', () => {
    expect(endAfterBid(end, at(1), 300)).toEqual(at(300_001));
    expect(endAfterBid(end, at(299_999), 300)).toEqual(at(599_999));
  });
  it('a bid exactly one window (or more) before the end leaves it', () => {
    expect(endAfterBid(end, at(0), 300)).toEqual(end);
    expect(endAfterBid(end, at(-5_000), 300)).toEqual(end);
  });
  it('counts in milliseconds with a one-second window', () => {
    expect(endAfterBid(at(1000), at(1), 1)).toEqual(at(1001));
    expect(endAfterBid(at(1000), at(0), 1)).toEqual(at(1000));
  });
});

describe('ranking at the close', () => {
  const bid = (seq: number, bidderId: string, amount: string, ms: number): AuctionBid => ({
    id: `id${seq}`,
    seq,
    bidderId,
    alias: aliasOf(seq),
    amount: d(amount),
    at: at(ms),
    endsAt: at(600_000),
  });
  const history = [
    bid(1, 'a', '10000', 0),
    bid(2, 'b', '10500', 10),
    bid(3, 'a', '11000', 20),
    bid(4, 'c', '12000', 30),
  ];

  it('the best is the last accepted bid', () => {
    expect(bestOf(history)?.seq).toBe(4);
    expect(bestOf([])).toBeNull();
  });
  it('one row per bidder (their best), best first; for a lease the highest', () => {
    const ranked = rankBidders('lease', history);
    expect(ranked.map((r) => [r.bidderId, r.amount.toFixed(2), r.rank])).toEqual([
      ['c', '12000.00', 1],
      ['a', '11000.00', 2],
      ['b', '10500.00', 3],
    ]);
  });
  it('for a procurement the lowest first; equal amounts go to the earlier bid', () => {
    const falling = [bid(1, 'a', '50000', 0), bid(2, 'b', '49000', 5), bid(3, 'c', '49000', 1)];
    expect(rankBidders('procurement', falling).map((r) => r.bidderId)).toEqual(['c', 'b', 'a']);
  });
});

describe('history items', () => {
  it('carry the alias and never a bidder id', () => {
    const json = historyItemToJson({ seq: 3, amount: d('10500'), at: at(0), alias: aliasOf(3) });
    expect(json).toEqual({ seq: 3, amount: '10500.00', at: at(0).toISOString(), alias: '3号' });
    expect(Object.keys(json)).not.toContain('bidderId');
  });
});
