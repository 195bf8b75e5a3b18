import { checkAwardChoice, inPublicity, publicityEndsAt, RankedBid, topValidBid } from '../../server/awards/awards';
import { AppError } from '../../server/http/errors';
import { Decimal } from '../../server/http/money';

const bid = (id: string, rank: number | null, valid: boolean | null, amount: string | null = '100.00'): RankedBid => ({
  id,
  bidderId: `b-${id}`,
  rank,
  valid,
  amount: amount === null ? null : new Decimal(amount),
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).code;
  }
  return undefined;
}

describe('award choice', () => {
  const bids = [bid('a', 1, true), bid('x', 2, false), bid('b', 3, true)];

  it('accepts the top-ranked valid bid without a reason', () => {
    expect(checkAwardChoice(bids, 'a', null).id).toBe('a');
  });
  it('skips invalid bids when finding the top one', () => {
    expect(topValidBid([bid('x', 1, false), bid('b', 2, true)])?.id).toBe('b');
    expect(checkAwardChoice([bid('x', 1, false), bid('b', 2, true)], 'b', null).id).toBe('b');
  });
  it('requires a written reason for any other valid bid', () => {
    expect(codeOf(() => checkAwardChoice(bids, 'b', null))).toBe('REASON_REQUIRED');
    expect(codeOf(() => checkAwardChoice(bids, 'b', ''))).toBe('REASON_REQUIRED');
    expect(checkAwardChoice(bids, 'b', '第一名放弃成交').id).toBe('b');
  });
  it('refuses an invalid bid, an unopened bid or a bid of another listing with INVALID_BID, reason or not', () => {
    expect(codeOf(() => checkAwardChoice(bids, 'x', 'because'))).toBe('INVALID_BID');
    expect(codeOf(() => checkAwardChoice([bid('s', null, null, null)], 's', null))).toBe('INVALID_BID');
    expect(codeOf(() => checkAwardChoice(bids, 'elsewhere', 'because'))).toBe('INVALID_BID');
  });
});

describe('publicity period (公示期)', () => {
  const awardedAt = new Date('2026-11-21T10:00:00+08:00');
  it('ends publicityDays calendar days after the award', () => {
    expect(publicityEndsAt(awardedAt, 3).toISOString()).toBe(new Date('2026-11-24T10:00:00+08:00').toISOString());
    expect(publicityEndsAt(awardedAt, 0).getTime()).toBe(awardedAt.getTime());
  });
  it('is open from the award up to (not including) its end', () => {
    const award = { awardedAt, publicityEndsAt: publicityEndsAt(awardedAt, 3) };
    expect(inPublicity(award, awardedAt)).toBe(true);
    expect(inPublicity(award, new Date(award.publicityEndsAt.getTime() - 1))).toBe(true);
    expect(inPublicity(award, award.publicityEndsAt)).toBe(false);
    expect(inPublicity(award, new Date(awardedAt.getTime() - 1))).toBe(false);
  });
});
