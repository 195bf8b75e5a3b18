import { Decimal } from '../../server/http/money';
import { DealAward, dealDayChange } from '../../server/stats/deal-days';

const award = (f: Partial<DealAward> = {}): DealAward => ({
  townshipId: 't1',
  listingState: 'awarded',
  kind: 'procurement',
  awardedAt: new Date('2026-04-15T03:00:00Z'),
  basePrice: new Decimal('50000.00'),
  amount: new Decimal('42000.10'),
  savings: new Decimal('7999.90'),
  term: null,
  ...f,
});

describe('dealDayChange: which award counts, on which day, with which amounts', () => {
  it('counts an award of an awarded or concluded listing once, with its amounts', () => {
    for (const listingState of ['awarded', 'concluded'] as const) {
      const c = dealDayChange(award({ listingState }))!;
      expect({
        ...c,
        baseTotal: c.baseTotal.toFixed(2),
        awardTotal: c.awardTotal.toFixed(2),
        savings: c.savings.toFixed(2),
      }).toEqual({
        townshipId: 't1',
        day: '2026-04-15',
        kind: 'procurement',
        deals: 1,
        baseTotal: '50000.00',
        awardTotal: '42000.10',
        savings: '7999.90',
      });
    }
  });

  it('does not count an award whose listing is no deal', () => {
    for (const listingState of ['opened', 'cancelled', 'failed', 'published', 'draft'] as const) {
      expect(dealDayChange(award({ listingState }))).toBeNull();
    }
  });

  it('dates by the calendar day in Asia/Shanghai, whatever the server zone', () => {
    expect(dealDayChange(award({ awardedAt: new Date('2026-03-31T15:59:59.999Z') }))!.day).toBe('2026-03-31');
    expect(dealDayChange(award({ awardedAt: new Date('2026-03-31T16:00:00.000Z') }))!.day).toBe('2026-04-01');
    expect(dealDayChange(award({ awardedAt: new Date('2026-12-31T16:00:00Z') }))!.day).toBe('2027-01-01');
  });

  it('counts a yearly-priced lease over its whole term', () => {
    const c = dealDayChange(
      award({
        kind: 'lease',
        basePrice: new Decimal('12000.00'),
        amount: new Decimal('13000.00'),
        savings: new Decimal('2500.00'),
        term: { basePrice: new Decimal('30000.00'), amount: new Decimal('32500.00') },
      }),
    )!;
    expect([c.kind, c.baseTotal.toFixed(2), c.awardTotal.toFixed(2), c.savings.toFixed(2)]).toEqual([
      'lease',
      '30000.00',
      '32500.00',
      '2500.00',
    ]);
  });
});
