import { Lang, t } from '../http/i18n';
import { displayMoney, displayRate } from '../http/money';
import { Listing } from '../listings/listings';
import { effectiveStatus } from '../listings/status';
import type { Township } from '../townships/townships';
import { BoardResult, isUnderPublicity } from './board';
import type { BoardData } from './board.service';
import { keyFingerprint } from '../trail/checkpoint';
import { displayDate, displayDateTime } from '../http/time';
import '../listings/listings.messages';
import './board.messages';

/** View models for the board, the kiosk and the LED ticker: money and dates already formatted. */
export function announcementView(
  l: Listing,
  lang: Lang,
  names: Map<string, string>,
  now: Date,
  status = effectiveStatus(l, now),
) {
  return {
    id: l.id,
    code: l.code,
    title: l.title,
    township: names.get(l.townshipId) ?? '',
    kind: t(lang, `listings.kind.${l.kind}`),
    category: t(lang, `listings.category.${l.category}`),
    basePriceLabel: t(lang, l.kind === 'procurement' ? 'board.ceiling' : 'board.reserve'),
    basePrice: displayMoney(l.basePrice),
    status: t(lang, `listings.status.${status}`),
    isOpen: status === 'open',
    opensAt: displayDateTime(l.bidOpensAt),
    opensAtIso: l.bidOpensAt.toISOString(),
    deadline: displayDateTime(l.bidDeadline),
    deadlineIso: l.bidDeadline.toISOString(),
  };
}

export function resultView(r: BoardResult, lang: Lang, names: Map<string, string>) {
  return {
    listingId: r.listingId,
    code: r.code,
    title: r.title,
    township: names.get(r.townshipId) ?? '',
    kind: t(lang, `listings.kind.${r.kind}`),
    category: t(lang, `listings.category.${r.category}`),
    winner: r.bidderName,
    basePrice: displayMoney(r.basePrice),
    amount: displayMoney(r.amount),
    savings: displayMoney(r.savings),
    rate: displayRate(r.savingsRate),
    awardedAt: displayDate(r.awardedAt),
    publicityEnds: displayDateTime(r.publicityEndsAt),
    publicityEndsIso: r.publicityEndsAt.toISOString(),
    status: t(lang, `listings.status.${r.listingState}`),
  };
}

export function pastWithoutAwardView(l: Listing, lang: Lang, names: Map<string, string>) {
  return {
    id: l.id,
    code: l.code,
    title: l.title,
    township: names.get(l.townshipId) ?? '',
    kind: t(lang, `listings.kind.${l.kind}`),
    status: t(lang, `listings.status.${l.state}`),
    basePrice: displayMoney(l.basePrice),
  };
}

export function boardView(board: BoardData, lang: Lang, townships: Township[], now = new Date()) {
  const names = new Map(townships.map((tw) => [tw.id, tw.name]));
  const current = board.results.filter((r) => isUnderPublicity(r, now));
  const past = board.results.filter((r) => !isUnderPublicity(r, now));
  return {
    announcements: board.announcements.map((l) => announcementView(l, lang, names, now, board.statuses.get(l.id))),
    results: current.map((r) => resultView(r, lang, names)),
    past: past.slice(0, 30).map((r) => resultView(r, lang, names)),
    pastWithoutAward: board.pastWithoutAward.map((l) => pastWithoutAwardView(l, lang, names)),
    audit: board.audit,
    checkpoint: checkpointView(board, lang),
    updatedAt: displayDateTime(board.updatedAt),
  };
}

/** The checkpoint as two printable lines for the 公开栏: anyone who copies them can hold the log to them. */
function checkpointView(board: BoardData, lang: Lang) {
  const cp = board.checkpoint;
  return {
    ...cp,
    dailyLine: t(lang, 'trail.dailyLine', { day: displayDate(cp.at), size: cp.size, root: cp.root }),
    signedLine: t(lang, 'trail.signedLine', {
      at: displayDateTime(cp.at),
      atIso: cp.at,
      signature: cp.signature,
      fingerprint: keyFingerprint(cp.publicKey),
    }),
  };
}

/** One line of notices for the LED display: announcements first, then results under publicity. */
export function tickerItems(
  board: BoardData,
  lang: Lang,
  townships: Township[],
  now = new Date(),
): { tag: string; text: string }[] {
  const v = boardView(board, lang, townships, now);
  const items = [
    ...v.announcements.map((a) => ({
      tag: t(lang, 'board.ticker.tagAnnounce'),
      text: t(lang, 'board.ticker.announce', a),
    })),
    ...v.results.map((r) => ({
      tag: t(lang, 'board.ticker.tagResult'),
      text: t(lang, 'board.ticker.result', { ...r, until: r.publicityEnds }),
    })),
  ];
  return items.length ? items : [{ tag: '', text: t(lang, 'board.ticker.empty') }];
}

/** Animation speed classes by length, since inline styles are not allowed under the CSP. */
export function tickerSpeedClass(n: number): string {
  if (n < 60) return 'ticker-s1';
  if (n < 150) return 'ticker-s2';
  if (n < 300) return 'ticker-s3';
  if (n < 600) return 'ticker-s4';
  return 'ticker-s5';
}
