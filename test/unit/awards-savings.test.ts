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
