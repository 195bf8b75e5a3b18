import { Lang, t } from './i18n';
import { Decimal } from './money';
import './messages';

// Chinese capital numerals (大写金额) as written on cheques and bid forms, following the
// payment-settlement rules: 元整 after whole yuan, no 整 after 角 or 分, one 零 for any run of zeros
// inside the number except zeros closing a 万/亿 section (壹拾万伍仟 but 壹万零伍), 零 before a lone 分 (壹元零伍分), and 壹拾 spelled out.
// views/static/bids.js holds the same algorithm for live display as the bidder types: keep them in step.
const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UNITS = ['', '拾', '佰', '仟'];
const SECTIONS = ['', '万', '亿'];

/** The integer part (a string of digits, no leading zeros but "0") in capital numerals, without 元. */
function integerToCapitals(digits: string): string {
  let out = '';
  let pendingZero = false;
  let sectionHasDigit = false;
  for (let i = 0; i < digits.length; i++) {
    const position = digits.length - 1 - i;
    const d = Number(digits[i]);
    if (d === 0) {
      if (out !== '') pendingZero = true;
    } else {
      if (pendingZero) out += '零';
      pendingZero = false;
      out += DIGITS[d] + UNITS[position % 4];
      sectionHasDigit = true;
    }
    if (position % 4 === 0 && position > 0) {
      if (sectionHasDigit) out += SECTIONS[position / 4];
      sectionHasDigit = false;
      pendingZero = false; // zeros closing a section are not read (壹拾万伍仟), only those inside one
    }
  }
  return out;
}

/**
 * 42123.45 → 肆万贰仟壹佰贰拾叁元肆角伍分; 100 → 壹佰元整; 10005.06 → 壹万零伍元零陆分.
 * Accepts non-negative amounts below 10^12 with at most two decimals (what parseMoney lets through).
 */
export function toCapitalNumerals(amount: Decimal | string): string {
  const value = new Decimal(amount);
  if (value.isNegative() || value.gte('1e12') || !value.times(100).isInteger()) {
    throw new RangeError(`not a money amount: ${value.toString()}`);
  }
  const [intPart, frac] = value.toFixed(2).split('.');
  const jiao = Number(frac[0]);
  const fen = Number(frac[1]);
  const yuan = intPart === '0' ? '' : `${integerToCapitals(intPart)}元`;
  if (jiao === 0 && fen === 0) return yuan ? `${yuan}整` : '零元整';
  let out = yuan;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan) out += '零';
  if (fen > 0) out += `${DIGITS[fen]}分`;
  return out;
}

/** "大写：壹万贰仟元整" — the line printed notices put under an amount (API.md money stays numerals). */
export function capitalsLine(lang: Lang, amount: Decimal | string): string {
  return t(lang, 'money.capitals', { capitals: toCapitalNumerals(amount) });
}
