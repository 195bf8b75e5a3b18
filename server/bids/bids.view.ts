import type { Lang } from '../http/i18n';
import { t } from '../http/i18n';
import { Decimal, displayMoney, formatMoney } from '../http/money';
import { displayDateTime } from '../http/time';
import type { OpenedBid, OwnBid, Registration } from './bids';
import { toCapitalNumerals } from '../http/capital-numerals';
import { receiptView } from './receipt.view';

// View models for the bid pages: money already formatted (numerals and 大写), times in Beijing time.

export function amountView(amount: Decimal) {
  return { amount: formatMoney(amount), amountText: displayMoney(amount), capitals: toCapitalNumerals(amount) };
}

export function ownBidView(b: OwnBid) {
  return {
    id: b.id,
    ...amountView(b.amount),
    receipt: b.receipt,
    receiptParts: receiptView(b.receipt),
    submittedAtText: displayDateTime(b.submittedAt),
    submittedAt: b.submittedAt.toISOString(),
  };
}

export function registrationView(r: Registration, lang: Lang) {
  return {
    id: r.id,
    bidderName: r.bidderName,
    status: r.status,
    statusLabel: t(lang, `bids.regStatus.${r.status}`),
    isPending: r.status === 'pending',
    createdAtText: displayDateTime(r.createdAt),
    confirmedAtText: r.confirmedAt ? displayDateTime(r.confirmedAt) : '',
  };
}

export function openedBidView(b: OpenedBid, lang: Lang) {
  return {
    ...b,
    ...(b.amount ? amountView(b.amount) : { amount: null, amountText: '—', capitals: '' }),
    submittedAtText: displayDateTime(b.submittedAt),
    invalidLabel: b.invalidReason ? t(lang, `bids.invalid.${b.invalidReason}`) : '',
  };
}
