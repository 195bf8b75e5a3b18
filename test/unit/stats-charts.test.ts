import { Decimal } from '../../server/http/money';
import { fillMonths, statsCharts } from '../../server/stats/stats.charts';
import type { TradingStats } from '../../server/stats/stats.service';
import '../../server/listings/listings.messages';
import '../../server/board/statspage.messages';

const m = (month: string, amount: string) => ({
  month,
  dealCount: 1,
  totalAmount: new Decimal(amount),
  savingsTotal: new Decimal('10.00'),
});

describe('fillMonths', () => {
  it('gives every month from the first deal to the end, months without a deal as zero', () => {
    const out = fillMonths([m('2025-11', '100.00'), m('2026-02', '50.50')], '2026-03');
    expect(out.map((x) => x.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(out.map((x) => x.totalAmount.toFixed(2))).toEqual(['100.00', '0.00', '0.00', '50.50', '0.00']);
    expect(out[1].dealCount).toBe(0);
  });
  it('keeps the last 24 and nothing before the first deal', () => {
    const out = fillMonths([m('2011-05', '1.00')], '2026-12');
    expect(out).toHaveLength(24);
    expect(out[0].month).toBe('2025-01');
    expect(out[23].month).toBe('2026-12');
    expect(fillMonths([], '2026-12')).toEqual([]);
  });
});

it('describes each chart in words with exact amounts, and carries amounts as two-decimal strings', () => {
  const zero = { count: 0, baseTotal: new Decimal(0), awardTotal: new Decimal(0), savings: new Decimal(0) };
  const stats = {
    procurement: { ...zero, count: 2, awardTotal: new Decimal('42000.5'), savings: new Decimal('8000') },
    lease: zero,
    byTownship: [
      { name: '兴桥镇', dealCount: 2, totalAmount: new Decimal('42000.5'), savingsTotal: new Decimal(8000) },
    ],
  } as unknown as TradingStats;
  const [byKind, byTownship, byMonth] = statsCharts(stats, [m('2026-01', '42000.50')], 'zh');
  expect(byKind.categories).toEqual(['采购/小型工程', '出租/发包']);
  expect(byKind.series.map((s) => s.values)).toEqual([
    ['42000.50', '0.00'],
    ['8000.00', '0.00'],
  ]);
  expect(byTownship.horizontal).toBe(true);
  expect(byTownship.summary).toContain('兴桥镇 成交金额 ¥42,000.50，增收节资 ¥8,000.00');
  expect(byMonth.categories).toEqual(['2026-01']);
});
