import type { Lang } from '../http/i18n';
import { t } from '../http/i18n';
import { displayMoney, formatMoney } from '../http/money';
import { displayDateTime } from '../http/time';
import { toCapitalNumerals } from '../http/capital-numerals';
import { listingView } from '../listings/listings.view';
import type { AuctionListing, LiveAuction } from './auctions';
import type { AuctionRoom } from './auctions.service';

// View models of the auction pages: money formatted (numerals and 大写), times in Beijing time, and
// the data attributes the small script (views/static/auction.js) reads to go on live.

/** The rules an announcement and the room explain: grid, 限时竞价, deposit, aliases. */
export function auctionRules(l: AuctionListing, lang: Lang) {
  const a = l.auction;
  return {
    directionLabel: t(lang, a.kind === 'lease' ? 'auctions.rising' : 'auctions.falling'),
    incrementLabel: t(lang, a.kind === 'lease' ? 'auctions.increment' : 'auctions.decrement'),
    incrementText: displayMoney(a.increment),
    startText: displayMoney(a.basePrice),
    extensionSeconds: a.extensionSeconds,
    lines: [
      t(lang, 'auctions.gridRule'),
      t(lang, 'auctions.extensionRule', { seconds: a.extensionSeconds }),
      l.depositAmount.gt(0)
        ? t(lang, 'auctions.depositRule', { deposit: displayMoney(l.depositAmount) })
        : t(lang, 'auctions.noDepositRule'),
      t(lang, 'auctions.aliasRule'),
    ],
  };
}

export function auctionRoomView(room: AuctionRoom, lang: Lang) {
  const l = room.listing;
  return {
    l: listingView(l, lang, room.now),
    rules: auctionRules(l, lang),
    status: room.status,
    statusLabel: t(lang, `listings.status.${room.status}`),
    isOpen: room.status === 'open',
    isAnnounced: room.status === 'announced',
    isOver: !['announced', 'open'].includes(room.status),
    endsAt: room.endsAt.toISOString(),
    endsAtText: displayDateTime(room.endsAt),
    extended: room.endsAt.getTime() !== l.bidDeadline.getTime(),
    serverTime: room.now.toISOString(),
    increment: formatMoney(l.auction.increment),
    kind: l.kind,
    lastSeq: room.best?.seq ?? 0,
    bidCount: room.history.length,
    best: room.best
      ? { amountText: displayMoney(room.best.amount), alias: room.best.alias, atText: displayDateTime(room.best.at) }
      : null,
    nextMin: room.nextMin ? formatMoney(room.nextMin) : null,
    nextMinText: room.nextMin ? displayMoney(room.nextMin) : null,
    myAlias: room.myAlias,
    youLead: room.myAlias !== null && room.best?.alias === room.myAlias,
    history: room.history.slice(0, 50).map((b) => ({
      seq: b.seq,
      alias: b.alias,
      amountText: displayMoney(b.amount),
      atText: displayDateTime(b.at),
    })),
  };
}

/** The confirmation step: the amount in numerals and 大写 before anything is stored. */
export function bidConfirmView(amount: Parameters<typeof toCapitalNumerals>[0]) {
  return { amount: formatMoney(amount), amountText: displayMoney(amount), capitals: toCapitalNumerals(amount) };
}

/** The hall's kiosk and LED ticker: the live auctions (listLiveAuctions) with what auction.js needs to go on live. */
export function liveAuctionsView(auctions: readonly LiveAuction[], lang: Lang, now = new Date()) {
  return auctions.map(({ listing: l, lastSeq, best, bestAlias }) => ({
    id: l.id,
    code: l.code,
    title: l.title,
    kind: l.kind,
    directionLabel: t(lang, l.kind === 'lease' ? 'auctions.rising' : 'auctions.falling'),
    increment: formatMoney(l.auction.increment),
    endsAt: l.endsAt.toISOString(),
    endsAtText: displayDateTime(l.endsAt),
    serverTime: now.toISOString(),
    lastSeq,
    bestText: best ? displayMoney(best) : t(lang, 'auctions.noBid'),
    alias: bestAlias ?? '',
    startText: displayMoney(l.basePrice),
  }));
}
