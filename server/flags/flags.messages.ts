import { defineMessages } from '../http/i18n';

export const flagMessages = defineMessages({
  'flag.SINGLE_VALID_BID': { zh: '仅有一个有效报价即成交', en: 'Awarded with only one valid bid' },
  'flag.AWARD_NOT_TOP': {
    zh: '未授予排名第一的报价（授予第 {rank} 名）',
    en: 'Awarded to a bid other than the top-ranked (rank {rank})',
  },
  'flag.NEAR_BASE_PRICE': {
    zh: '成交价与最高限价/底价相差仅 {rate}%',
    en: 'Winning amount within {rate}% of the base price',
  },
  'flag.LARGE_SAVINGS': { zh: '采购成交价低于最高限价 {rate}%', en: 'Procurement awarded {rate}% below the ceiling' },
  'flag.SHORT_BIDDING_WINDOW': {
    zh: '报价时间仅 {hours} 小时（不足 3 天）',
    en: 'Bids open for only {hours} hours (under 3 days)',
  },
  'flag.NEAR_TOWNSHIP_LIMIT': {
    zh: '标的额接近乡镇进场上限 {max} 元（5% 以内）',
    en: 'Base price within 5% under the township maximum of {max}',
  },
  'flag.IDENTICAL_BIDS': { zh: '两名竞买人报价完全相同', en: 'Two bidders bid the same amount' },
  'flag.SHARED_CONTACT': { zh: '两名竞买人使用相同的{what}', en: 'Two bidders share a {what}' },
  'flag.REPEAT_WINNER': {
    zh: '同一中标人 12 个月内在本乡镇中标 {count} 次',
    en: 'The same bidder won {count} deals in this township within 12 months',
  },
  'flag.RELIST_PRICE_CUT': {
    zh: '重新挂牌时价格放宽超过 20%（{from} → {to}）',
    en: 'Relisted on terms over 20% kinder to bidders ({from} → {to})',
  },
  'flag.what.phone': { zh: '手机号', en: 'phone number' },
  'flag.what.idNumber': { zh: '身份证号', en: 'ID number' },
  'flag.what.both': { zh: '手机号和身份证号', en: 'phone and ID number' },
});
