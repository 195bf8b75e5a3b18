import { Decimal } from '../../server/http/money';
import {
  awardNotTop,
  FlagBid,
  FlagDeal,
  flagDeals,
  identicalBids,
  isRevealed,
  largeSavings,
  nearBasePrice,
  nearTownshipLimit,
  relistPriceCut,
  repeatWinner,
  sharedContact,
  shortBiddingWindow,
  singleValidBid,
  TownshipWin,
} from '../../server/flags/flags';

const D = (s: string) => new Decimal(s);
const at = (s: string) => new Date(s);

function bid(n: number, amount: string | null, over: Partial<FlagBid> = {}): FlagBid {
  return {
    bidId: `b${n}`,
    bidderId: `u${n}`,
    bidderName: `bidder ${n}`,
    amount: amount === null ? null : D(amount),
    valid: true,
    rank: n,
    phone: `1390000000${n}`,
    idNumber: `36080219900101000${n}`,
    ...over,
  };
}

function deal(over: Partial<FlagDeal> = {}): FlagDeal {
  return {
    listingId: 'L',
    townshipId: 'T',
    kind: 'procurement',
    state: 'awarded',
    openedAt: at('2026-11-20T10:00:00Z'),
    basePrice: D('50000.00'),
    bidOpensAt: at('2026-11-10T00:00:00Z'),
    bidDeadline: at('2026-11-20T00:00:00Z'),
    townshipMax: D('2000000.00'),
    bids: [bid(1, '40000.00'), bid(2, '42000.00'), bid(3, '45000.00')],
    award: { bidId: 'b1', bidderId: 'u1', amount: D('40000.00'), awardedAt: at('2026-11-21T00:00:00Z') },
    previous: null,
    ...over,
  };
}

describe('a clean deal', () => {
  it('raises no flag', () => {
    expect(flagDeals([deal()], [])).toEqual([]);
  });
});

describe('SINGLE_VALID_BID', () => {
  it('flags an award with exactly one valid bid', () => {
    const d = deal({ bids: [bid(1, '40000.00'), bid(2, '60000.00', { valid: false, rank: null })] });
    expect(singleValidBid(d)?.code).toBe('SINGLE_VALID_BID');
    expect(singleValidBid(deal())).toBeNull();
    expect(singleValidBid({ ...d, award: null })).toBeNull();
  });
});

describe('AWARD_NOT_TOP', () => {
  it('flags an award to a bid other than the top-ranked valid one', () => {
    const d = deal({
      award: { bidId: 'b2', bidderId: 'u2', amount: D('42000.00'), awardedAt: at('2026-11-21T00:00:00Z') },
    });
    expect(awardNotTop(d)).toEqual({ listingId: 'L', code: 'AWARD_NOT_TOP', params: { rank: 2 } });
    expect(awardNotTop(deal())).toBeNull();
  });
});

describe('NEAR_BASE_PRICE', () => {
  it('flags a winning amount within 1 % of the base price, exactly at the edge too', () => {
    expect(
      nearBasePrice(deal({ award: { bidId: 'b1', bidderId: 'u1', amount: D('49500.00'), awardedAt: new Date() } }))
        ?.code,
    ).toBe('NEAR_BASE_PRICE');
    expect(
      nearBasePrice(deal({ award: { bidId: 'b1', bidderId: 'u1', amount: D('49499.99'), awardedAt: new Date() } })),
    ).toBeNull();
    // a lease just above its reserve
    expect(
      nearBasePrice(
        deal({
          kind: 'lease',
          basePrice: D('10000.00'),
          award: { bidId: 'b1', bidderId: 'u1', amount: D('10100.00'), awardedAt: new Date() },
        }),
      )?.code,
    ).toBe('NEAR_BASE_PRICE');
  });
});

describe('LARGE_SAVINGS', () => {
  it('flags procurement awarded 30 % or more below the ceiling, not leases', () => {
    const award = (amount: string) => ({ bidId: 'b1', bidderId: 'u1', amount: D(amount), awardedAt: new Date() });
    expect(largeSavings(deal({ award: award('35000.00') }))).toEqual({
      listingId: 'L',
      code: 'LARGE_SAVINGS',
      params: { rate: '30.00' },
    });
    expect(largeSavings(deal({ award: award('35000.01') }))).toBeNull();
    expect(largeSavings(deal({ kind: 'lease', award: award('35000.00') }))).toBeNull();
  });
});

describe('SHORT_BIDDING_WINDOW', () => {
  it('flags bids open for less than 72 hours', () => {
    expect(
      shortBiddingWindow(deal({ bidOpensAt: at('2026-11-17T00:00:01Z'), bidDeadline: at('2026-11-20T00:00:00Z') })),
    ).toEqual({ listingId: 'L', code: 'SHORT_BIDDING_WINDOW', params: { hours: 71 } });
    expect(
      shortBiddingWindow(deal({ bidOpensAt: at('2026-11-17T00:00:00Z'), bidDeadline: at('2026-11-20T00:00:00Z') })),
    ).toBeNull();
  });
});

describe('NEAR_TOWNSHIP_LIMIT', () => {
  it('flags a base price within 5 % under the township maximum', () => {
    expect(nearTownshipLimit(deal({ basePrice: D('1900000.00') }))?.code).toBe('NEAR_TOWNSHIP_LIMIT');
    expect(nearTownshipLimit(deal({ basePrice: D('2000000.00') }))?.code).toBe('NEAR_TOWNSHIP_LIMIT');
    expect(nearTownshipLimit(deal({ basePrice: D('1899999.99') }))).toBeNull();
  });
});

describe('IDENTICAL_BIDS', () => {
  it('flags two bidders offering the same amount', () => {
    expect(identicalBids(deal({ bids: [bid(1, '40000.00'), bid(2, '40000.0')] }))?.code).toBe('IDENTICAL_BIDS');
    expect(identicalBids(deal())).toBeNull();
  });

  it('ignores amounts not revealed', () => {
    expect(identicalBids(deal({ bids: [bid(1, null), bid(2, null)] }))).toBeNull();
  });
});

describe('SHARED_CONTACT', () => {
  it('flags two bidders sharing a phone or an ID number', () => {
    expect(sharedContact(deal({ bids: [bid(1, '1'), bid(2, '2', { phone: '13900000001' })] }))?.params).toEqual({
      what: 'phone',
    });
    expect(
      sharedContact(deal({ bids: [bid(1, '1'), bid(2, '2', { idNumber: '360802199001010001' })] }))?.params,
    ).toEqual({ what: 'idNumber' });
    expect(
      sharedContact(
        deal({
          bids: [
            bid(1, '1', { idNumber: '36080219900101000x' }),
            bid(2, '2', { idNumber: '36080219900101000X', phone: '13900000001' }),
          ],
        }),
      )?.params,
    ).toEqual({ what: 'both' });
    expect(sharedContact(deal())).toBeNull();
    expect(sharedContact(deal({ bids: [bid(1, '1', { phone: null }), bid(2, '2', { phone: null })] }))).toBeNull();
  });
});

describe('REPEAT_WINNER', () => {
  const win = (id: string, when: string, bidderId = 'u1', townshipId = 'T'): TownshipWin => ({
    listingId: id,
    townshipId,
    bidderId,
    awardedAt: at(when),
  });
  const award = (when: string) => ({ bidId: 'b1', bidderId: 'u1', amount: D('40000.00'), awardedAt: at(when) });

  it('flags the deals of a bidder who won 3 deals in one township within 12 months', () => {
    const wins = [win('A', '2026-01-10T00:00:00Z'), win('B', '2026-06-10T00:00:00Z'), win('C', '2026-12-01T00:00:00Z')];
    expect(repeatWinner(deal({ award: award('2026-01-10T00:00:00Z') }), wins)).toEqual({
      listingId: 'L',
      code: 'REPEAT_WINNER',
      params: { count: 3 },
    });
    expect(repeatWinner(deal({ award: award('2026-12-01T00:00:00Z') }), wins)?.code).toBe('REPEAT_WINNER');
  });

  it('does not flag wins spread over more than 12 months, in other townships or by others', () => {
    expect(
      repeatWinner(deal({ award: award('2027-01-10T00:00:00Z') }), [
        win('A', '2026-01-10T00:00:00Z'),
        win('B', '2026-06-10T00:00:00Z'),
        win('C', '2027-01-10T00:00:00Z'),
      ]),
    ).toBeNull();
    expect(
      repeatWinner(deal({ award: award('2026-03-01T00:00:00Z') }), [
        win('A', '2026-01-10T00:00:00Z'),
        win('B', '2026-02-10T00:00:00Z', 'u1', 'T2'),
        win('C', '2026-03-01T00:00:00Z'),
      ]),
    ).toBeNull();
    expect(
      repeatWinner(deal({ award: award('2026-03-01T00:00:00Z') }), [
        win('A', '2026-01-10T00:00:00Z', 'u9'),
        win('B', '2026-02-10T00:00:00Z'),
        win('C', '2026-03-01T00:00:00Z'),
      ]),
    ).toBeNull();
  });
});

describe('RELIST_PRICE_CUT', () => {
  it('flags a procurement relisted with a ceiling more than 20 % higher', () => {
    expect(relistPriceCut(deal({ basePrice: D('60000.01'), previous: { basePrice: D('50000.00') } }))?.code).toBe(
      'RELIST_PRICE_CUT',
    );
    expect(relistPriceCut(deal({ basePrice: D('60000.00'), previous: { basePrice: D('50000.00') } }))).toBeNull();
  });

  it('flags a lease relisted with a reserve more than 20 % lower, not a higher one', () => {
    expect(
      relistPriceCut(deal({ kind: 'lease', basePrice: D('7999.99'), previous: { basePrice: D('10000.00') } }))?.code,
    ).toBe('RELIST_PRICE_CUT');
    expect(
      relistPriceCut(deal({ kind: 'lease', basePrice: D('8000.00'), previous: { basePrice: D('10000.00') } })),
    ).toBeNull();
    expect(
      relistPriceCut(deal({ kind: 'lease', basePrice: D('20000.00'), previous: { basePrice: D('10000.00') } })),
    ).toBeNull();
  });
});

describe('the seal', () => {
  it('computes flags only for deals past opening', () => {
    expect(isRevealed({ state: 'published', openedAt: null })).toBe(false);
    expect(isRevealed({ state: 'cancelled', openedAt: null })).toBe(false);
    expect(isRevealed({ state: 'cancelled', openedAt: new Date() })).toBe(true);
    expect(isRevealed({ state: 'failed', openedAt: null })).toBe(true);
    const sealed = deal({
      state: 'published',
      openedAt: null,
      award: null,
      bidOpensAt: at('2026-11-19T00:00:00Z'),
      bids: [bid(1, '1'), bid(2, '1', { phone: '13900000001' })],
    });
    expect(flagDeals([sealed], [])).toEqual([]);
  });

  it('lists every flag of a deal', () => {
    const d = deal({
      bids: [bid(1, '49800.00'), bid(2, '49800.00', { phone: '13900000001', valid: false, rank: null })],
      award: { bidId: 'b1', bidderId: 'u1', amount: D('49800.00'), awardedAt: new Date() },
    });
    expect(flagDeals([d], []).map((f) => f.code)).toEqual([
      'SINGLE_VALID_BID',
      'NEAR_BASE_PRICE',
      'IDENTICAL_BIDS',
      'SHARED_CONTACT',
    ]);
  });
});
