import type { Lang } from '../http/i18n';
import { t } from '../http/i18n';
import { displayMoney, formatMoney } from '../http/money';
import { displayDateTime } from '../http/time';
import { toCapitalNumerals } from '../http/capital-numerals';
import { listingView } from '../listings/listings.view';
import type { Executor } from '../db/db';
import { aliasOf } from './auctions';
import { listLiveAuctions } from './auctions.repository';
import type { AuctionListing, AuctionRoom } from './auctions.service';

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

/** At most this many live auctions on a hall screen: each keeps one event stream open. */
const SCREEN_LIMIT = 4;

/** The live auctions of the hall's kiosk and LED ticker, with what auction.js needs to keep them live. */
export async function liveAuctionsView(db: Executor, townshipIds: string[], lang: Lang) {
  const rows = await listLiveAuctions(db, townshipIds, SCREEN_LIMIT);
  const now = new Date();
  return rows.map((a) => ({
    id: a.listingId,
    code: a.code,
    title: a.title,
    kind: a.kind,
    directionLabel: t(lang, a.kind === 'lease' ? 'auctions.rising' : 'auctions.falling'),
    increment: formatMoney(a.increment),
    endsAt: a.endsAt.toISOString(),
    endsAtText: displayDateTime(a.endsAt),
    serverTime: now.toISOString(),
    lastSeq: a.lastSeq,
    bestText: a.best ? displayMoney(a.best) : t(lang, 'auctions.noBid'),
    alias: a.bestNumber ? aliasOf(a.bestNumber) : '',
    startText: displayMoney(a.basePrice),
  }));
}
