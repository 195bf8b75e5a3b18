import { Request, Response, Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { AppError } from '../http/errors';
import { detectLang, Lang, t } from '../http/i18n';
import { redirectWithNotice, renderPage } from '../http/views';
import { bodyOf, formErrors } from '../http/forms';
import { DISCLOSURE_KEYS, Township } from '../townships/townships';
import { getDisclosures, saveDisclosures } from '../townships/townships.service';
import { BOARD_SOURCES, loadBoard } from './board.service';
import {
  boardLists,
  boardSectionSize,
  boardView,
  clampPage,
  parseBoardPaging,
  tickerItems,
  tickerSpeedClass,
} from './board.view';
import { listLiveAuctions } from '../auctions/auctions.service';
import { liveAuctionsView } from '../auctions/auctions.view';
import { kioskStats } from './kiosk.stats';
import { allTownships, resolveScope, Scope, scopeKey } from './scope';
import { defineRead, sendCachedPage } from '../cache/cache';
import './board.messages';

function scopeTitle(lang: Lang, scope: Scope): string {
  if (scope.townshipId) return scope.townships[0]?.name ?? '';
  if (scope.district) return t(lang, 'board.district', { district: scope.district });
  return t(lang, 'board.allTownships');
}

/** Picker entries: all, each district, each township; the current one marked. */
function scopeChoices(all: Township[], scope: Scope, base: string, lang: Lang) {
  const districts = [...new Set(all.map((tw) => tw.district))];
  return [
    { label: t(lang, 'board.allTownships'), href: base, current: !scope.townshipId && !scope.district },
    ...districts.map((d) => ({
      label: t(lang, 'board.district', { district: d }),
      href: `${base}?district=${encodeURIComponent(d)}`,
      current: scope.district === d,
    })),
    ...all.map((tw) => ({ label: tw.name, href: `${base}?townshipId=${tw.id}`, current: scope.townshipId === tw.id })),
  ];
}

async function disclosuresFor(ctx: AppContext, townships: Township[], lang: Lang) {
  return Promise.all(
    townships.map(async (tw) => {
      const d = await getDisclosures(ctx, tw.id);
      return {
        township: tw.name,
        items: DISCLOSURE_KEYS.map((k) => ({ key: k, label: t(lang, `board.disclosures.${k}`), text: d[k] })),
      };
    }),
  );
}

// the board's parts, the townships (names, the picker, the six disclosures) and the clock (statuses, publicity)
const BOARD_PAGE = defineRead('board.page', [...BOARD_SOURCES, 'townships', 'clock.listings', 'clock.publicity']);

export function boardPages(ctx: AppContext): Router {
  const r = Router();

  r.get('/board', async (req, res) => {
    const lang = detectLang(req);
    const paging = parseBoardPaging(req.query);
    const [scope, all] = await Promise.all([resolveScope(ctx, req.query), allTownships(ctx)]);
    // a page past the end is the last page: bounded before the key, so no ?page= makes a new cache entry
    if (paging.show)
      paging.page = clampPage(paging.page, boardSectionSize(await loadBoard(ctx, scope, false), paging.show));
    const key = `board:${scopeKey(scope)}${paging.show ? `:${paging.show}:${paging.page}` : ''}`;
    await sendCachedPage(ctx, req, res, BOARD_PAGE, key, 'board/index', async () => {
      // the page shows statuses, not ends: an auction bid leaves it as it is (see board.service.ts)
      const board = await loadBoard(ctx, scope, false);
      const query = scope.townshipId
        ? `?townshipId=${scope.townshipId}`
        : scope.district
          ? `?district=${encodeURIComponent(scope.district)}`
          : '';
      const v = boardView(board, lang, all);
      const lists = boardLists(v, paging, query, lang);
      return {
        title: [t(lang, 'board.title'), scopeTitle(lang, scope), lists.sectionTitle, lists.pager?.text]
          .filter(Boolean)
          .join(' · '),
        scopeTitle: scopeTitle(lang, scope),
        choices: scopeChoices(all, scope, '/board', lang),
        ...v,
        ...lists,
        disclosures: lists.overview ? await disclosuresFor(ctx, scope.townships, lang) : [],
        singleTownship: Boolean(scope.townshipId),
        query,
        printable: true,
      };
    });
  });

  r.get('/board/kiosk', async (req, res) => {
    const lang = detectLang(req);
    const all = await allTownships(ctx);
    const tabs = ['announcements', 'results', 'disclosures', 'stats'];
    const tab = typeof req.query.tab === 'string' && tabs.includes(req.query.tab) ? req.query.tab : 'announcements';
    const picked = typeof req.query.townshipId === 'string' && req.query.townshipId !== '';
    const model: Record<string, unknown> = {
      title: t(lang, 'board.kiosk.title'),
      layout: 'kiosk',
      bodyClass: 'kiosk',
      kioskHome: '/board/kiosk',
      townships: all,
      picked,
      tab,
    };
    if (picked) {
      const scope = await resolveScope(ctx, { townshipId: req.query.townshipId });
      const board = await loadBoard(ctx, scope);
      const base = `/board/kiosk?townshipId=${scope.townshipId}`;
      Object.assign(model, {
        scopeTitle: scopeTitle(lang, scope),
        townshipIdParam: scope.townshipId,
        tabs: ['announcements', 'results', 'disclosures', 'stats'].map((k) => ({
          key: k,
          href: `${base}&tab=${k}`,
          current: k === tab,
          label: t(lang, k === 'stats' ? 'board.kiosk.stats' : `board.${k}`),
        })),
        ...boardView(board, lang, all),
        disclosures: tab === 'disclosures' ? await disclosuresFor(ctx, scope.townships, lang) : [],
        stats: tab === 'stats' ? await kioskStats(ctx, scope, lang) : null,
        // open auctions live (not through the read cache: a bid changes them, server/auctions/ streams it)
        liveAuctions:
          tab === 'announcements'
            ? liveAuctionsView(
                await listLiveAuctions(
                  ctx,
                  scope.townships.map((tw) => tw.id),
                ),
                lang,
              )
            : [],
      });
    }
    renderPage(req, res, 'board/kiosk', model);
  });

  r.get('/board/ticker', async (req, res) => {
    const lang = detectLang(req);
    const [scope, all] = await Promise.all([resolveScope(ctx, req.query), allTownships(ctx)]);
    const items = tickerItems(await loadBoard(ctx, scope), lang, all);
    const liveAuctions = liveAuctionsView(
      await listLiveAuctions(
        ctx,
        scope.townships.map((tw) => tw.id),
      ),
      lang,
    );
    const length = items.reduce((n, i) => n + i.tag.length + i.text.length + 6, 0);
    renderPage(req, res, 'board/ticker', {
      title: t(lang, 'board.ticker'),
      layout: 'kiosk',
      bodyClass: 'ticker',
      refreshSeconds: 120,
      items,
      liveAuctions,
      speed: tickerSpeedClass(length + liveAuctions.length * 40),
    });
  });

  const showDisclosures = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const values =
      (extra.values as Record<string, string> | undefined) ?? (await getDisclosures(ctx, user.townshipId!));
    const fieldErrors = (extra.fieldErrors as Record<string, string> | undefined) ?? {};
    renderPage(
      req,
      res,
      'board/disclosures',
      {
        title: t(lang, 'board.staff.disclosures'),
        items: DISCLOSURE_KEYS.map((k) => ({
          key: k,
          label: t(lang, `board.disclosures.${k}`),
          value: values[k] ?? '',
          error: fieldErrors[k],
        })),
        boardHref: `/board?townshipId=${user.townshipId}`,
        ...extra,
      },
      status,
    );
  };
  r.get('/staff/disclosures', requireRole('staff'), (req, res) => showDisclosures(req, res));
  r.post('/staff/disclosures', requireRole('staff'), async (req, res) => {
    try {
      await saveDisclosures(ctx, currentUser(req), bodyOf(req));
      redirectWithNotice(req, res, '/staff/disclosures', 'board.staff.saved');
    } catch (err) {
      await showDisclosures(req, res, { ...formErrors(req, err), values: req.body }, (err as AppError).status);
    }
  });
  return r;
}
