import { Router, Request, Response } from 'express';
import type { AppContext } from '../context';
import { bodyOf, formErrors, formField } from '../http/forms';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { AppError, NotFoundError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import { findRules, findTownship } from '../townships/townships.service';
import { depositView } from '../townships/deposit.view';
import { listAlerts } from '../supervision/supervision.service';
import { staffAlertsView } from '../supervision/supervision.view';
import * as documents from './documents.service';
import { effectiveStatus, ListingStatus } from './status';
import * as service from './listings.service';
import * as view from './listings.view';
import * as questions from './questions.service';
import { documentUpload } from './upload';

const DASHBOARD_ORDER: ListingStatus[] = [
  'draft',
  'closed',
  'opened',
  'open',
  'announced',
  'awarded',
  'failed',
  'cancelled',
  'concluded',
];

export function listingsPages(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());

  // ---- staff: the dashboard, grouped by status with the next step for each
  r.get('/staff', requireRole('staff'), async (req, res) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const items = await service.listTownshipListings(ctx, user);
    const now = new Date();
    const groups = DASHBOARD_ORDER.map((status) => ({
      status,
      label: t(lang, `listings.status.${status}`),
      collapsed: status === 'concluded', // finished deals stay folded away
      items: items.filter((l) => effectiveStatus(l, now) === status).map((l) => view.listingView(l, lang, now)),
    })).filter((g) => g.items.length > 0);
    const supervision = staffAlertsView(lang, await listAlerts(ctx, user, undefined)); // time-limit alerts (server/supervision)
    renderPage(req, res, 'listings/dashboard', {
      title: t(lang, 'listings.dashboard'),
      groups,
      supervision,
      notice: req.query.saved ? t(lang, 'listings.saved') : undefined,
    });
  });

  // ---- staff: create and edit (the same form; the township's band shown as the user types)
  const showForm = async (
    req: Request,
    res: Response,
    m: { id?: string; values: Record<string, unknown>; error?: string; fieldErrors?: Record<string, string> },
    status = 200,
  ) => {
    const lang = detectLang(req);
    const rules = await findRules(ctx, currentUser(req).townshipId!);
    const values = m.values as { kind?: string; category?: string };
    renderPage(
      req,
      res,
      'listings/form',
      {
        title: t(lang, m.id ? 'listings.edit' : 'listings.new'),
        ...m,
        action: m.id ? `/staff/listings/${m.id}/edit` : '/staff/listings',
        kinds: view.kindOptions(lang, values.kind ?? 'procurement'),
        categoryGroups: view.categoryGroups(lang, values.category),
        bands: view.bandData(rules, lang),
        minNoticeDays: rules.minNoticeDays,
      },
      status,
    );
  };
  r.get('/staff/listings/new', requireRole('staff'), (req, res) =>
    showForm(req, res, { values: { kind: 'procurement', depositAmount: '0' } }),
  );
  r.post('/staff/listings', requireRole('staff'), async (req, res) => {
    try {
      const listing = await service.createListing(ctx, currentUser(req), view.termsFromForm(bodyOf(req)));
      res.redirect(303, `/listings/${listing.id}`);
    } catch (err) {
      await showForm(req, res, { values: bodyOf(req), ...formErrors(req, err) }, (err as AppError).status);
    }
  });
  r.get('/staff/listings/:id/edit', requireRole('staff'), async (req, res) => {
    const listing = await service.getVisibleListing(ctx, req.user, pathId(req));
    if (!listing || listing.townshipId !== currentUser(req).townshipId) throw new NotFoundError();
    await showForm(req, res, { id: listing.id, values: view.formValues(listing) });
  });
  r.post('/staff/listings/:id/edit', requireRole('staff'), async (req, res) => {
    const id = pathId(req);
    try {
      await service.updateListing(ctx, currentUser(req), id, view.termsFromForm(bodyOf(req)));
      res.redirect(303, `/listings/${id}`);
    } catch (err) {
      await showForm(req, res, { id, values: bodyOf(req), ...formErrors(req, err) }, (err as AppError).status);
    }
  });

  // ---- public: the list with filters, and the announcement
  r.get('/listings', async (req, res) => {
    const lang = detectLang(req);
    const filters = Object.fromEntries(
      ['status', 'kind', 'q', 'townshipId'].map((k) => [k, typeof req.query[k] === 'string' ? req.query[k] : '']),
    );
    let result;
    try {
      result = await service.searchVisibleListings(ctx, req.user, req.query);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      result = { items: [], total: 0, page: 1, pageSize: 20 };
    }
    const qs = (page: number) => `?${new URLSearchParams({ ...filters, page: String(page) }).toString()}`;
    const lastPage = Math.max(1, Math.ceil(result.total / result.pageSize));
    renderPage(req, res, 'listings/index', {
      title: t(lang, 'listings.title'),
      filters,
      statuses: ['announced', 'open', 'closed', 'opened', 'awarded', 'concluded', 'failed', 'cancelled'].map((s) => ({
        value: s,
        label: t(lang, `listings.status.${s}`),
        selected: s === filters.status,
      })),
      kinds: view.kindOptions(lang, filters.kind),
      items: result.items.map((l) => view.listingView(l, lang)),
      total: result.total,
      pageText: t(lang, 'listings.page', { page: result.page, total: result.total }),
      prevHref: result.page > 1 ? qs(result.page - 1) : null,
      nextHref: result.page < lastPage ? qs(result.page + 1) : null,
    });
  });

  const showListing = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const listing = await service.getVisibleListing(ctx, req.user, pathId(req));
    const [docs, qs, bidCount, township, rules] = await Promise.all([
      documents.listVisibleDocuments(ctx, req.user, listing.id),
      questions.listVisibleQuestions(ctx, req.user, listing.id),
      service.revealedBidCount(ctx, listing),
      findTownship(ctx, listing.townshipId),
      findRules(ctx, listing.townshipId),
    ]);
    const l = view.listingView(listing, lang);
    const isOwnStaff = req.user?.role === 'staff' && req.user.townshipId === listing.townshipId;
    renderPage(
      req,
      res,
      'listings/show',
      {
        title: `${listing.title} · ${listing.code}`,
        metaDescription: `${listing.code} ${listing.title} · ${l.basePriceLabel} ${l.basePriceText} · ${t(lang, 'listings.bidDeadline')} ${l.deadlineText}`,
        printable: true,
        l,
        bidCount,
        townshipName: township?.name,
        hasBidCount: bidCount !== undefined,
        documents: docs.map((d) => view.documentView(d)),
        questions: qs.map((q) => view.questionView(q)),
        isOwnStaff,
        canAsk: req.user?.role === 'bidder' && l.beforeDeadline,
        askLogin: !req.user && l.beforeDeadline,
        bidEntry: view.bidEntry(l, req.user?.role, lang),
        deposit: l.hasDeposit && rules ? depositView(listing, rules.deposit, township?.name ?? '', lang) : undefined,
        ...extra,
      },
      status,
    );
  };
  r.get('/listings/:id', (req, res) => showListing(req, res));
  r.get('/listings/:id/documents/:docId', async (req, res) => {
    const doc = await documents.readVisibleDocument(ctx, req.user, pathId(req), pathId(req, 'docId'));
    res.attachment(doc.filename).type(doc.mimeType).set('X-Content-Type-Options', 'nosniff').send(doc.content);
  });

  /** A form action on a listing: success goes to the listing it returns; a refusal is explained on the page. */
  const act =
    (fn: (req: Request, res: Response) => Promise<string>, anchor = '') =>
    async (req: Request, res: Response) => {
      try {
        res.redirect(303, `/listings/${await fn(req, res)}${anchor}`);
      } catch (err) {
        await showListing(req, res, formErrors(req, err), (err as AppError).status);
      }
    };
  const upload = documentUpload(ctx.config);
  // multer runs inside the action so that a too-large file is explained on the page, not a bare error
  const receiveFile = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) =>
      upload(req, res, (e?: unknown) => (e ? reject(e instanceof Error ? e : new Error('upload failed')) : resolve())),
    );
  // publishing asks first, without JavaScript: the button leads to this page, showing the terms as they will go
  // out, whose form posts confirm=1; a post without it publishes nothing and is shown the question
  r.get('/staff/listings/:id/publish', requireRole('staff'), async (req, res) => {
    const lang = detectLang(req);
    const listing = await service.getVisibleListing(ctx, req.user, pathId(req));
    const l = view.listingView(listing, lang);
    if (!l.isDraft || currentUser(req).townshipId !== listing.townshipId) return res.redirect(303, `/listings/${l.id}`);
    renderPage(req, res, 'listings/publish', { title: `${t(lang, 'listings.publishTitle')} · ${l.code}`, l });
  });
  r.post('/staff/listings/:id/publish', requireRole('staff'), (req, res, next) =>
    formField(req, 'confirm') === '1' ? next() : res.redirect(303, `/staff/listings/${pathId(req)}/publish`),
  );
  r.post(
    '/staff/listings/:id/publish',
    requireRole('staff'),
    act(async (req) => (await service.publishListing(ctx, currentUser(req), pathId(req))).id),
  );
  r.post(
    '/staff/listings/:id/cancel',
    requireRole('staff'),
    act(
      async (req) =>
        (await service.cancelListing(ctx, currentUser(req), pathId(req), { reason: formField(req, 'reason') })).id,
    ),
  );
  r.post(
    '/staff/listings/:id/relist',
    requireRole('staff'),
    act(async (req) => (await service.relistListing(ctx, currentUser(req), pathId(req))).id),
  );
  r.post(
    '/staff/listings/:id/documents',
    requireRole('staff'),
    act(async (req, res) => {
      await receiveFile(req, res);
      return (await documents.addDocument(ctx, currentUser(req), pathId(req), req.file)).listingId;
    }, '#documents'),
  );
  r.post(
    '/staff/listings/:id/questions/:qid/answer',
    requireRole('staff'),
    act(
      async (req) =>
        (
          await questions.answerQuestion(ctx, currentUser(req), pathId(req), pathId(req, 'qid'), {
            text: formField(req, 'text'),
          })
        ).listingId,
      '#questions',
    ),
  );
  r.post(
    '/listings/:id/questions',
    requireRole('bidder'),
    act(
      async (req) =>
        (await questions.askQuestion(ctx, currentUser(req), pathId(req), { text: formField(req, 'text') })).listingId,
      '#questions',
    ),
  );
  return r;
}
