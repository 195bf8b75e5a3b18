import { Decimal, displayMoney, displayRate, formatMoney, formatRate, parseMoney } from '../../server/http/money';
import { AppError } from '../../server/http/errors';

describe('parseMoney', () => {
  it.each([
    ['12345.6', '12345.60'],
    [12345.6, '12345.60'],
    ['0.01', '0.01'],
    ['999999999999.99', '999999999999.99'],
    [' 42 ', '42.00'],
    [100, '100.00'],
  ])('accepts %p as %s', (input, expected) => {
    expect(formatMoney(parseMoney(input))).toBe(expected);
  });
  it.each([
    ['1.234'],
    ['-1'],
    [-1],
    ['1e3'],
    [1e21],
    ['abc'],
    [''],
    [null],
    [true],
    [{}],
    [[]],
    ['1000000000000'],
    [1e12],
    ['0'],
    [0],
    ['0.00'],
    [NaN],
    [Infinity],
    ['1,000'],
    ['١٢'],
  ])('refuses %p with INVALID_AMOUNT', (input) => {
    expect(() => parseMoney(input)).toThrow(AppError);
    try {
      parseMoney(input);
    } catch (e) {
      expect((e as AppError).code).toBe('INVALID_AMOUNT');
    }
  });
  it('accepts zero only when allowed', () => {
    expect(formatMoney(parseMoney('0', { allowZero: true }))).toBe('0.00');
  });
});

describe('formatting', () => {
  it('rounds half-up to the fen and to four decimals for rates', () => {
    expect(formatMoney(new Decimal('0.005'))).toBe('0.01');
    expect(formatMoney(new Decimal('2.675'))).toBe('2.68'); // a float would give 2.67
    expect(formatRate(new Decimal('0.00005'))).toBe('0.0001');
    expect(formatRate(new Decimal(1).div(3))).toBe('0.3333');
  });
  it('shows money and rates for people', () => {
    expect(displayMoney('6310000')).toBe('¥6,310,000.00');
    expect(displayRate('0.1617')).toBe('16.17%');
  });
});
