import { displayDate, displayDateTime } from '../http/time';
import { Lang, t } from '../http/i18n';
import { displayMoney, displayRate } from '../http/money';
import { capitalsLine } from '../http/capital-numerals';
import { Listing } from '../listings/listings';
import { effectiveStatus } from '../listings/status';
import type { Award, Contract } from './awards';
import type { Objection } from './objections';
import type { Registration } from '../bids/bids';

// View models for the award pages: money and rates formatted, dates in Asia/Shanghai, labels translated.

/** The listing as the head of every award page shows it, with its township's name. */
export function listingHeader(l: Listing, townshipName: string, lang: Lang, now = new Date()) {
  return {
    id: l.id,
    code: l.code,
    title: l.title,
    townshipName,
    kind: l.kind,
    kindLabel: t(lang, `awards.kind.${l.kind}`),
    basePriceLabel: t(lang, `awards.basePrice.${l.kind}`),
    basePrice: displayMoney(l.basePrice),
    status: effectiveStatus(l, now),
    leaseTermMonths: l.leaseTermMonths,
  };
}

export function awardView(a: Award, lang: Lang, now = new Date()) {
  return {
    bidderName: a.bidderName,
    // a yearly-priced lease (the only award with a separate whole-term amount) reads 元/年, with its total
    amount: a.termAmount ? t(lang, 'listings.price.year', { amount: displayMoney(a.amount) }) : displayMoney(a.amount),
    termAmount: a.termAmount ? t(lang, 'listings.termTotal', { amount: displayMoney(a.termAmount) }) : null,
    basePrice: displayMoney(a.basePrice),
    // the printed 成交公示 states its amounts in 大写 as well
    amountCapitals: capitalsLine(lang, a.amount),
    termAmountCapitals: a.termAmount ? capitalsLine(lang, a.termAmount) : null,
    basePriceCapitals: capitalsLine(lang, a.basePrice),
    savings: displayMoney(a.savings),
    savingsRate: displayRate(a.savingsRate),
    savingsLabel: t(lang, `awards.savings.${a.kind}`),
    basePriceLabel: t(lang, `awards.basePrice.${a.kind}`),
    reason: a.reason,
    awardedAt: displayDateTime(a.awardedAt),
    awardedOn: displayDate(a.awardedAt),
    publicityEndsAt: displayDateTime(a.publicityEndsAt),
    underPublicity: now < a.publicityEndsAt,
  };
}

/** The recorded contract as the result notice and the contract page show it: the day, the amount and its 大写. */
export function contractView(c: Pick<Contract, 'signedAt' | 'amount'>, lang: Lang) {
  return {
    signedAt: displayDate(c.signedAt),
    amount: displayMoney(c.amount),
    amountCapitals: capitalsLine(lang, c.amount),
  };
}

export function objectionView(o: Objection, lang: Lang) {
  return {
    id: o.id,
    text: o.text,
    bidderName: o.bidderName,
    createdAt: displayDateTime(o.createdAt),
    open: o.status === 'open',
    statusLabel: t(lang, `objections.status.${o.status}`),
    answer: o.answer,
    answeredAt: displayDateTime(o.answeredAt),
  };
}

export function registrationView(r: Registration & { bidderUsername: string }, lang: Lang) {
  return {
    id: r.id,
    bidderName: r.bidderName ?? r.bidderUsername,
    status: r.status,
    statusLabel: t(lang, `awards.reg.status.${r.status}`),
    refundable: r.status === 'refundable',
    refundedAt: displayDateTime(r.refundedAt),
  };
}
