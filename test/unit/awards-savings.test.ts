import { computeSavings } from '../../server/awards/savings';
import { formatMoney, formatRate } from '../../server/http/money';

describe('computeSavings (增收节资)', () => {
  const cases: [string, 'procurement' | 'lease', string, string, string, string][] = [
    ['procurement saves ceiling − award (API.md example)', 'procurement', '50000.00', '42000.00', '8000.00', '0.1600'],
    ['a lease gains award − reserve', 'lease', '10000.00', '12500.00', '2500.00', '0.2500'],
    ['nothing saved when the award equals the ceiling', 'procurement', '30000.00', '30000.00', '0.00', '0.0000'],
    ['nothing gained when a lease goes at its reserve', 'lease', '1000.00', '1000.00', '0.00', '0.0000'],
    ['a rate of exactly 0.00005 rounds half-up to 0.0001', 'procurement', '20000.00', '19999.00', '1.00', '0.0001'],
    ['a rate just under 0.00005 rounds down', 'procurement', '20000.02', '19999.02', '1.00', '0.0000'],
    ['0.16165 rounds half-up to 0.1617', 'procurement', '100000.00', '83835.00', '16165.00', '0.1617'],
    ['a third rounds down to 0.3333', 'procurement', '30000.00', '20000.00', '10000.00', '0.3333'],
    ['two thirds round up to 0.6667', 'procurement', '3.00', '1.00', '2.00', '0.6667'],
    ['a third of a fen-sized base stays exact in money', 'lease', '0.03', '0.04', '0.01', '0.3333'],
    ['fens stay exact (no float drift: 0.1 + 0.2)', 'procurement', '0.30', '0.10', '0.20', '0.6667'],
    ['the largest amounts are exact', 'procurement', '999999999999.99', '0.01', '999999999999.98', '1.0000'],
    [
      'large lease amounts are exact to the fen',
      'lease',
      '123456789012.34',
      '999999999999.99',
      '876543210987.65',
      '7.1000',
    ],
  ];
  it.each(cases)('%s', (_name, kind, base, amount, savings, rate) => {
    const result = computeSavings(kind, base, amount);
    expect(formatMoney(result.savings)).toBe(savings);
    expect(formatRate(result.savingsRate)).toBe(rate);
  });

  it('returns a rate already rounded to four decimals, not just formatted', () => {
    const { savingsRate } = computeSavings('procurement', '30000.00', '20000.00');
    expect(savingsRate.toString()).toBe('0.3333');
  });
});

describe('computeSavings for a yearly lease price (元/年): whole-term figures', () => {
  const year = (months: number) => ({ priceBasis: 'year' as const, leaseTermMonths: months });
  it('takes the yearly gain over the term: (amount − basePrice) × months ÷ 12', () => {
    const r = computeSavings('lease', '24000.00', '26000.00', year(36));
    expect(formatMoney(r.savings)).toBe('6000.00');
    expect(formatMoney(r.termAmount)).toBe('78000.00');
    expect(formatMoney(r.termBasePrice)).toBe('72000.00');
    expect(formatRate(r.savingsRate)).toBe('0.0833');
  });
  it('rounds each figure half-up to the fen, from the exact difference (not from rounded totals)', () => {
    // 0.01 × 7 ÷ 12 = 0.00583… → 0.01; the totals 1000.01 × 7 ÷ 12 = 583.339… and 1000 × 7 ÷ 12 = 583.333…
    const r = computeSavings('lease', '1000.00', '1000.01', year(7));
    expect(formatMoney(r.savings)).toBe('0.01');
    expect(formatMoney(r.termAmount)).toBe('583.34');
    expect(formatMoney(r.termBasePrice)).toBe('583.33');
    // 0.005 exactly rounds up: 0.03 × 2 ÷ 12 = 0.005
    expect(formatMoney(computeSavings('lease', '10.00', '10.03', year(2)).savings)).toBe('0.01');
    // and 0.0049… rounds down: 0.01 × 5 ÷ 12 = 0.004166…
    expect(formatMoney(computeSavings('lease', '10.00', '10.01', year(5)).savings)).toBe('0.00');
  });
  it('keeps a rate consistent with the whole-term base', () => {
    const r = computeSavings('lease', '12345.67', '13000.00', year(30));
    expect(formatMoney(r.termBasePrice)).toBe('30864.18'); // 12345.67 × 2.5 = 30864.175
    expect(formatMoney(r.savings)).toBe('1635.83'); // 654.33 × 2.5 = 1635.825
    expect(formatRate(r.savingsRate)).toBe('0.0530'); // 1635.83 ÷ 30864.18 = 0.05300…
  });
  it('changes nothing for a term price or a listing without a term', () => {
    const term = computeSavings('lease', '24000.00', '26000.00', { priceBasis: 'term', leaseTermMonths: 36 });
    expect(formatMoney(term.savings)).toBe('2000.00');
    expect(formatMoney(term.termAmount)).toBe('26000.00');
    expect(
      formatMoney(computeSavings('lease', '1.00', '2.00', { priceBasis: 'year', leaseTermMonths: null }).savings),
    ).toBe('1.00');
  });
});
