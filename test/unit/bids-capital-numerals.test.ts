import { toCapitalNumerals } from '../../server/http/capital-numerals';
import { Decimal } from '../../server/http/money';

describe('toCapitalNumerals (大写金额)', () => {
  it.each([
    ['42123.45', '肆万贰仟壹佰贰拾叁元肆角伍分'],
    ['100', '壹佰元整'],
    ['10005.06', '壹万零伍元零陆分'],
    ['0', '零元整'],
    ['0.50', '伍角'],
    ['0.05', '伍分'],
    ['0.56', '伍角陆分'],
    ['1', '壹元整'],
    ['10', '壹拾元整'],
    ['15', '壹拾伍元整'],
    ['1010', '壹仟零壹拾元整'],
    ['1001', '壹仟零壹元整'],
    ['1000.5', '壹仟元伍角'],
    ['1680.32', '壹仟陆佰捌拾元叁角贰分'],
    ['100000', '壹拾万元整'],
    ['105000', '壹拾万伍仟元整'],
    ['1001000', '壹佰万壹仟元整'],
    ['10010000', '壹仟零壹万元整'],
    ['100100000', '壹亿零壹拾万元整'],
    ['1100000000', '壹拾壹亿元整'],
    ['1000001', '壹佰万零壹元整'],
    ['100000000', '壹亿元整'],
    ['100010000', '壹亿零壹万元整'],
    ['100000001', '壹亿零壹元整'],
    ['2000000.00', '贰佰万元整'],
    ['50000.01', '伍万元零壹分'],
    ['999999999999.99', '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
  ])('%s → %s', (amount, expected) => {
    expect(toCapitalNumerals(amount)).toBe(expected);
  });

  it('takes a Decimal as well as a string', () => {
    expect(toCapitalNumerals(new Decimal('42123.45'))).toBe('肆万贰仟壹佰贰拾叁元肆角伍分');
  });

  it('refuses what is not a money amount', () => {
    expect(() => toCapitalNumerals('-1')).toThrow(RangeError);
    expect(() => toCapitalNumerals('1.234')).toThrow(RangeError);
    expect(() => toCapitalNumerals('1000000000000')).toThrow(RangeError);
  });

  it('gives the same text as the browser copy in views/static/bids.js', () => {
    // the page script exposes the same function for live display; both must agree
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const browser = require('../../views/static/bids.js') as { toCapitalNumerals(s: string): string | null };
    for (const amount of [
      '42123.45',
      '100',
      '10005.06',
      '0.05',
      '1001000',
      '100010000',
      '999999999999.99',
      '1000.5',
      '10',
    ]) {
      expect(browser.toCapitalNumerals(amount)).toBe(toCapitalNumerals(amount));
    }
    expect(browser.toCapitalNumerals('12.345')).toBeNull();
    expect(browser.toCapitalNumerals('abc')).toBeNull();
  });
});
