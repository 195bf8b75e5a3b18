import { computeSavings } from '../../server/awards/savings';
import { Decimal } from '../../server/http/money';
import { planDealHistory } from '../../seeds/deal-history.plan';

describe('the seeded deal history of 吉州区', () => {
  const now = new Date('2026-11-21T10:00:00+08:00');
  const plan = planDealHistory(now);

  it('adds up to exactly 65 deals, 6,310,000.00 traded and 1,020,000.00 增收节资', () => {
    expect(plan).toHaveLength(65);
    expect(plan.reduce((s, d) => s.plus(d.amount), new Decimal(0)).toFixed(2)).toBe('6310000.00');
    expect(plan.reduce((s, d) => s.plus(d.savings), new Decimal(0)).toFixed(2)).toBe('1020000.00');
  });

  it('is the same on every run, apart from the dates of the results still under publicity', () => {
    const again = planDealHistory(new Date('2027-01-01T00:00:00Z'));
    expect(again.map((d) => [d.title, d.amount.toFixed(2), d.basePrice.toFixed(2)])).toEqual(
      plan.map((d) => [d.title, d.amount.toFixed(2), d.basePrice.toFixed(2)]),
    );
  });

  it('spans 2011 to now across three townships and both kinds, each deal consistent with its bids and the rules', () => {
    expect(new Set(plan.map((d) => d.township))).toEqual(new Set(['XQ', 'CT', 'QL']));
    expect(new Set(plan.map((d) => d.kind))).toEqual(new Set(['procurement', 'lease']));
    expect(plan[0].awardedAt.getUTCFullYear()).toBe(2011);
    expect(plan.filter((d) => d.contractSignedAt === null)).toHaveLength(3);
    for (const d of plan) {
      expect(computeSavings(d.kind, d.basePrice, d.amount).savings.toFixed(2)).toBe(d.savings.toFixed(2));
      expect(d.savings.gt(0)).toBe(true);
      expect(d.basePrice.gte(d.kind === 'procurement' ? 10000 : 1000) && d.basePrice.lte(2000000)).toBe(true);
      expect(d.bids[0].amount.eq(d.amount)).toBe(true);
      if (d.kind === 'procurement') {
        expect(d.bids.length).toBeGreaterThanOrEqual(3);
        for (const b of d.bids.slice(1)) expect(b.amount.gt(d.amount) && b.amount.lte(d.basePrice)).toBe(true);
      } else {
        for (const b of d.bids.slice(1)) expect(b.amount.lt(d.amount) && b.amount.gte(d.basePrice)).toBe(true);
      }
      expect(d.awardedAt.getTime()).toBeLessThan(now.getTime());
    }
  });
});
