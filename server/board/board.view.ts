import { BadRequestError } from '../http/errors';
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

// ---- the board page's first screen and its list pages (township links are slow: send little at first)

/** How many of each list the board's first screen shows, and how many a page of one list holds. */
export const BOARD_FIRST = 10;
export const BOARD_PAGE_SIZE = 20;
export const BOARD_SECTIONS = ['announcements', 'results', 'past'] as const;
export type BoardSection = (typeof BOARD_SECTIONS)[number];

export interface BoardPaging {
  /** one list alone, paged; null: the first screen (the first few of every list) */
  show: BoardSection | null;
  page: number;
}

/** ?show=announcements|results|past&page=N (N a whole number ≥ 1, only with show); anything else is 400. */
export function parseBoardPaging(query: Record<string, unknown>): BoardPaging {
  const { show, page } = query;
  if (show !== undefined && !BOARD_SECTIONS.includes(show as BoardSection))
    throw new BadRequestError('board.badSection');
  if (page !== undefined && (show === undefined || typeof page !== 'string' || !/^[1-9][0-9]{0,5}$/.test(page)))
    throw new BadRequestError('board.badPage');
  return { show: (show as BoardSection | undefined) ?? null, page: page === undefined ? 1 : Number(page) };
}

type BoardModel = ReturnType<typeof boardView>;
type PastItem =
  (ReturnType<typeof resultView> & { awarded: true }) | (ReturnType<typeof pastWithoutAwardView> & { awarded: false });

function pastItems(v: BoardModel): PastItem[] {
  return [
    ...v.past.map((r) => ({ ...r, awarded: true as const })),
    ...v.pastWithoutAward.map((l) => ({ ...l, awarded: false as const })),
  ];
}

/** How long one list of the board is (to bound ?page= before anything is rendered or cached). */
export function boardSectionSize(board: BoardData, section: BoardSection, now = new Date()): number {
  if (section === 'announcements') return board.announcements.length;
  const current = board.results.filter((r) => isUnderPublicity(r, now)).length;
  if (section === 'results') return current;
  return Math.min(board.results.length - current, 30) + board.pastWithoutAward.length;
}

/** The last page there is (a page past the end shows the last one). */
export function clampPage(page: number, size: number): number {
  return Math.min(page, Math.max(1, Math.ceil(size / BOARD_PAGE_SIZE)));
}

/**
 * The board page's lists: on the first screen the first BOARD_FIRST of each with a link to all of them (the past
 * folded); with `show`, that list alone, BOARD_PAGE_SIZE at a time, with previous/next links. `query` is the scope's
 * query string ('' or '?townshipId=…' / '?district=…'), kept in every link.
 */
export function boardLists(v: BoardModel, paging: BoardPaging, query: string, lang: Lang) {
  const href = (section: BoardSection, page = 1) =>
    `/board${query}${query ? '&' : '?'}show=${section}${page > 1 ? `&page=${page}` : ''}`;
  const lists = { announcements: v.announcements, results: v.results, past: pastItems(v) };
  if (!paging.show) {
    const more = (section: BoardSection) =>
      lists[section].length > BOARD_FIRST
        ? { href: href(section), text: t(lang, `board.more.${section}`, { n: lists[section].length }) }
        : null;
    return {
      overview: true,
      announcements: lists.announcements.slice(0, BOARD_FIRST),
      results: lists.results.slice(0, BOARD_FIRST),
      past: lists.past.slice(0, BOARD_FIRST),
      pastCount: lists.past.length,
      more: { announcements: more('announcements'), results: more('results'), past: more('past') },
    };
  }
  const all = lists[paging.show];
  const pages = Math.max(1, Math.ceil(all.length / BOARD_PAGE_SIZE));
  const page = clampPage(paging.page, all.length);
  const items = all.slice((page - 1) * BOARD_PAGE_SIZE, page * BOARD_PAGE_SIZE);
  return {
    overview: false,
    show: { [paging.show]: true },
    sectionTitle: t(lang, `board.${paging.show}`),
    announcements: paging.show === 'announcements' ? items : [],
    results: paging.show === 'results' ? items : [],
    past: paging.show === 'past' ? items : [],
    pastCount: paging.show === 'past' ? all.length : 0,
    pager: {
      text: t(lang, 'board.pager', { page, pages, total: all.length }),
      prevHref: page > 1 ? href(paging.show, page - 1) : null,
      nextHref: page < pages ? href(paging.show, page + 1) : null,
    },
    backHref: `/board${query}`,
  };
}
