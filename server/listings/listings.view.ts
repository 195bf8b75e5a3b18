import type { Lang } from '../http/i18n';
import { t } from '../http/i18n';
import { displayMoney } from '../http/money';
import { loginPathFor } from '../http/next';
import { displayDateTime, localInputValue } from '../http/time';
import { capitalsLine } from '../http/capital-numerals';
import type { DealKind, TownshipRules } from '../townships/townships';
import { Listing, listingToJson } from './listings';
import { effectiveStatus, isBeforeDeadline, isDeal, ListingStatus, PUBLISHED_STATUSES } from './status';
import { CATEGORIES, termBasePrice } from './terms';
import type { DocumentInfo } from './documents';
import type { Question } from './questions';
import { canTransition } from './lifecycle';

/** A datetime-local value is Beijing time; the API wants an offset. */
export function fromLocalInput(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}+08:00` : v;
}

export function kindOptions(lang: Lang, selected?: string) {
  return (['procurement', 'lease'] as DealKind[]).map((k) => ({
    value: k,
    label: t(lang, `listings.kind.${k}`),
    selected: k === selected,
  }));
}

export function categoryGroups(lang: Lang, selected?: string) {
  return (['procurement', 'lease'] as DealKind[]).map((k) => ({
    kind: k,
    label: t(lang, `listings.kind.${k}`),
    options: CATEGORIES[k].map((c) => ({
      value: c,
      label: t(lang, `listings.category.${c}`),
      selected: c === selected,
    })),
  }));
}

/** The township's band for each kind, as data the form script reads (plain numbers as strings). */
export function bandData(rules: TownshipRules, lang: Lang) {
  return JSON.stringify({
    procurement: {
      min: rules.procurement.minAmount.toFixed(2),
      max: rules.procurement.maxAmount.toFixed(2),
      minText: displayMoney(rules.procurement.minAmount),
      maxText: displayMoney(rules.procurement.maxAmount),
      label: t(lang, 'listings.kind.procurement'),
    },
    lease: {
      min: rules.lease.minAmount.toFixed(2),
      max: rules.lease.maxAmount.toFixed(2),
      minText: displayMoney(rules.lease.minAmount),
      maxText: displayMoney(rules.lease.maxAmount),
      label: t(lang, 'listings.kind.lease'),
    },
  });
}

/**
 * A lease's price as people read it: "¥24,000.00/年" or "¥24,000.00（全期）"; procurement as it is.
 * For a yearly price, the whole term's total beside it.
 */
export function priceView(l: Listing, lang: Lang) {
  const amount = displayMoney(l.basePrice);
  if (l.kind !== 'lease') return { basePriceText: amount, priceBasisText: null, termBasePriceText: null };
  return {
    basePriceText: t(lang, `listings.price.${l.priceBasis}`, { amount }),
    priceBasisText: t(lang, `listings.priceBasis.${l.priceBasis}`),
    termBasePriceText:
      l.priceBasis === 'year' && l.leaseTermMonths
        ? t(lang, 'listings.termTotal', { amount: displayMoney(termBasePrice(l)) })
        : null,
  };
}

/** "12.5 亩", "350 平方米", or null. */
export function areaText(l: Pick<Listing, 'area' | 'areaUnit'>, lang: Lang): string | null {
  return l.area && l.areaUnit ? `${l.area.toString()} ${t(lang, `listings.areaUnit.${l.areaUnit}`)}` : null;
}

/** Everything a template shows of a listing: words, formatted money, Beijing times. */
export function listingView(l: Listing, lang: Lang, now = new Date()) {
  const status = effectiveStatus(l, now);
  return {
    ...listingToJson(l, now),
    status,
    statusLabel: t(lang, `listings.status.${status}`),
    nextStep: t(lang, `listings.next.${status}`),
    kindLabel: t(lang, `listings.kind.${l.kind}`),
    categoryLabel: t(lang, `listings.category.${l.category}`),
    basePriceLabel: t(lang, `listings.basePrice.${l.kind}`),
    ...priceView(l, lang),
    areaText: areaText(l, lang),
    depositText: displayMoney(l.depositAmount),
    // printed announcements state amounts in 大写 too, as cheques and contracts do
    basePriceCapitals: capitalsLine(lang, l.basePrice),
    depositCapitals: capitalsLine(lang, l.depositAmount),
    hasDeposit: l.depositAmount.gt(0),
    leaseTermText: l.leaseTermMonths ? t(lang, 'listings.months', { n: l.leaseTermMonths }) : null,
    isAuction: l.method === 'auction',
    incrementText: l.increment ? displayMoney(l.increment) : null,
    endsAtText: displayDateTime(l.endsAt),
    opensAtText: displayDateTime(l.bidOpensAt),
    deadlineText: displayDateTime(l.bidDeadline),
    publishedAtText: l.publishedAt ? displayDateTime(l.publishedAt) : null,
    isDraft: status === 'draft',
    isOpen: status === 'open',
    beforeDeadline: isBeforeDeadline(status),
    canCancel: canTransition(status, 'cancel'),
    canRelist: canTransition(status, 'relist'),
    canAddDocuments: l.state === 'draft' || l.state === 'published',
    resultHref: isDeal(l.state) ? `/listings/${l.id}/result` : null,
    staffSteps: staffStepLinks(l, status, lang),
  };
}

/**
 * The staff pages of the later steps (bids, awards) that apply at this status, in the order of
 * a deal's life, so the dashboard and the listing page lead on to the next thing to do.
 */
export function staffStepLinks(l: Listing, status: ListingStatus, lang: Lang) {
  const base = `/staff/listings/${l.id}`;
  const published = PUBLISHED_STATUSES.includes(status);
  const awarded = isDeal(l.state);
  const deposit = l.depositAmount.gt(0);
  const steps: [string, string, boolean][] = [
    ['registrations', `${base}/registrations`, published && deposit],
    ['auction', `${base}/auction`, l.method === 'auction' && published],
    ['opening', `${base}/opening`, published || status === 'opened' || status === 'failed'],
    ['award', `${base}/award`, status === 'opened'],
    ['result', `/listings/${l.id}/result`, awarded],
    ['objections', `${base}/objections`, awarded],
    ['contract', `${base}/contract`, awarded],
    ['refunds', `${base}/refunds`, awarded && deposit],
  ];
  return steps
    .filter(([, , shown]) => shown)
    .map(([step, href]) => ({ step, href, label: t(lang, `listings.step.${step}`) }));
}

/**
 * The bidder's way in from the announcement: bidding while open, and registration (with its
 * deposit) from publication on, since the deposit must be confirmed before bidding opens.
 */
export function bidEntry(l: ReturnType<typeof listingView>, role: string | undefined, lang: Lang) {
  if (role === 'staff' || role === 'auditor' || role === 'admin') return null;
  // signed out: the same button leads through sign-in (or registration) and back to the bid form
  // an auction's room is public (it offers sign-in itself); deposits are registered on the bid form
  if (l.isAuction && (l.isOpen || l.status === 'announced'))
    return { href: `/listings/${l.id}/auction`, label: t(lang, 'listings.auctionRoom') };
  const href = role ? `/listings/${l.id}/bid` : loginPathFor(`/listings/${l.id}/bid`);
  if (l.isOpen) return { href, label: t(lang, 'listings.bid') };
  if (l.status === 'announced' && l.hasDeposit) return { href, label: t(lang, 'listings.register') };
  return null;
}

/** Form values from a listing (edit) so the same template serves new and edit. */
export function formValues(l: Listing) {
  return {
    kind: l.kind,
    category: l.category,
    title: l.title,
    description: l.description,
    location: l.location ?? '',
    quantity: l.quantity ?? '',
    basePrice: l.basePrice.toFixed(2),
    depositAmount: l.depositAmount.toFixed(2),
    leaseTermMonths: l.leaseTermMonths ?? '',
    priceBasis: l.priceBasis,
    area: l.area ? l.area.toString() : '',
    areaUnit: l.areaUnit ?? '',
    bidOpensAt: localInputValue(l.bidOpensAt),
    bidDeadline: localInputValue(l.bidDeadline),
    method: l.method,
    increment: l.increment ? l.increment.toFixed(2) : '',
    extensionSeconds: l.extensionSeconds ?? 300,
  };
}

/** Form fields arrive as strings; the service takes the API's shape. */
export function termsFromForm(b: Record<string, unknown>) {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const term = str(b.leaseTermMonths);
  const seconds = str(b.extensionSeconds);
  return {
    kind: str(b.kind),
    category: str(b.category),
    title: str(b.title),
    description: str(b.description),
    location: str(b.location) || null,
    quantity: str(b.quantity) || null,
    basePrice: str(b.basePrice) || undefined,
    depositAmount: str(b.depositAmount) || '0',
    leaseTermMonths: term ? (/^\d+$/.test(term.trim()) ? Number(term) : term) : null,
    // the lease price basis and area, when the form has them (a procurement form sends none)
    ...(str(b.priceBasis) ? { priceBasis: str(b.priceBasis) } : {}),
    ...(b.area !== undefined ? { area: str(b.area) || null } : {}),
    ...(b.areaUnit !== undefined ? { areaUnit: str(b.areaUnit) || null } : {}),
    bidOpensAt: fromLocalInput(b.bidOpensAt),
    bidDeadline: fromLocalInput(b.bidDeadline),
    method: str(b.method) || 'sealed',
    increment: str(b.increment) || null,
    extensionSeconds: seconds ? (/^\d+$/.test(seconds.trim()) ? Number(seconds) : seconds) : null,
  };
}

export function documentView(d: DocumentInfo) {
  const kb = Math.max(1, Math.round(d.sizeBytes / 1024));
  return {
    ...d,
    sizeText: kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`,
    uploadedAtText: displayDateTime(d.uploadedAt),
  };
}

export function questionView(q: Question) {
  return {
    ...q,
    askedAtText: displayDateTime(q.askedAt),
    answeredAtText: q.answeredAt ? displayDateTime(q.answeredAt) : null,
  };
}
