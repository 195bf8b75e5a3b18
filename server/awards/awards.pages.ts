import { Request, Response, Router } from 'express';
import type { AppContext } from '../context';
import { formErrors, formField } from '../http/forms';
import { shanghaiToday } from '../http/time';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { loadListing } from '../listings/life';
import type { Listing } from '../listings/listings';
import { findTownship } from '../townships/townships.service';
import { isDeal } from '../listings/status';
import { AppError, NotFoundError } from '../http/errors';
import { detectLang, Lang, t } from '../http/i18n';
import { displayMoney } from '../http/money';
import { renderPage } from '../http/views';
import { openedBidsOf } from '../bids/bidders.service';
import { registrationsOf } from '../bids/registrations.service';
import { topValidBid } from './awards';
import * as service from './awards.service';
import * as objections from './objections.service';
import { awardView, contractView, listingHeader, objectionView, registrationView } from './awards.view';
import './awards.messages';

type Extra = Record<string, unknown>;

/** Staff pages after opening (award, objections, contract, refunds), the public result notice (成交公示). */
export function awardsPages(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());

  /** The head of every page: the listing and its township's name (read here, mapped by the view). */
  const header = async (listing: Listing, lang: Lang) =>
    listingHeader(listing, (await findTownship(ctx, listing.townshipId))?.name ?? '', lang);
  const staffListing = (req: Request) => loadListing(ctx.db, currentUser(req), pathId(req), { access: 'staff' });
  /** POST handlers: on a rule's refusal, show the same page again with the message. */
  const form =
    (
      show: (req: Request, res: Response, extra?: Extra, status?: number) => Promise<void>,
      act: (req: Request) => Promise<string>,
    ) =>
    async (req: Request, res: Response) => {
      try {
        res.redirect(303, await act(req));
      } catch (err) {
        await show(req, res, { ...formErrors(req, err), values: req.body }, (err as AppError).status);
      }
    };

  // ---- award (成交), beside the ranked bids
  async function showAward(req: Request, res: Response, extra: Extra = {}, status = 200) {
    const lang = detectLang(req);
    const listing = await staffListing(req);
    const award = await service.findAward(ctx, listing.id);
    const opened = listing.state === 'opened' || isDeal(listing.state);
    const bids = opened ? await openedBidsOf(ctx, listing) : [];
    const top = topValidBid(bids);
    const chosen = (extra.values as { bidId?: string } | undefined)?.bidId ?? top?.id;
    renderPage(
      req,
      res,
      'awards/award',
      {
        title: t(lang, 'awards.pageTitle'),
        listing: await header(listing, lang),
        award: award && awardView(award, lang),
        canAward: listing.state === 'opened' && top !== undefined,
        opened,
        noValidBid: opened && !top,
        bids: bids.map((b) => ({
          id: b.id,
          rank: b.rank,
          bidderName: b.bidderName,
          amount: b.amount ? displayMoney(b.amount) : '',
          valid: b.valid === true,
          top: b.id === top?.id,
          checked: b.id === chosen,
        })),
        notice: req.query.done ? t(lang, 'awards.done') : undefined,
        ...extra,
      },
      status,
    );
  }
  r.get('/staff/listings/:id/award', requireRole('staff'), (req, res) => showAward(req, res));
  r.post(
    '/staff/listings/:id/award',
    requireRole('staff'),
    form(showAward, async (req) => {
      await service.recordAward(ctx, currentUser(req), pathId(req), {
        bidId: formField(req, 'bidId'),
        reason: formField(req, 'reason') || null,
      });
      return `/staff/listings/${pathId(req)}/award?done=1`;
    }),
  );

  // ---- the public result notice, printable; a bidder who bid may object here during publicity
  async function showResult(req: Request, res: Response, extra: Extra = {}, status = 200) {
    const lang = detectLang(req);
    const listing = await loadListing(ctx.db, req.user, pathId(req), { access: 'view' });
    const award = await service.findAward(ctx, listing.id);
    if (!award || !isDeal(listing.state)) throw new NotFoundError('awards.noAward');
    const contract = await service.findContract(ctx, listing.id);
    const mayObject = await objections.mayObject(ctx, req.user, listing, award);
    renderPage(
      req,
      res,
      'awards/result',
      {
        title: `${t(lang, 'awards.resultTitle')} · ${listing.title}`,
        printable: true,
        listing: await header(listing, lang),
        award: awardView(award, lang),
        contract: contract && contractView(contract, lang),
        mayObject,
        notice: req.query.objected ? t(lang, 'awards.objected') : undefined,
        ...extra,
      },
      status,
    );
  }
  r.get('/listings/:id/result', (req, res) => showResult(req, res));
  r.post(
    '/listings/:id/objections',
    requireRole('bidder'),
    form(showResult, async (req) => {
      await objections.raiseObjection(ctx, currentUser(req), pathId(req), { text: formField(req, 'text') });
      return `/listings/${pathId(req)}/result?objected=1`;
    }),
  );

  // ---- objections: staff answer them
  async function showObjections(req: Request, res: Response, extra: Extra = {}, status = 200) {
    const lang = detectLang(req);
    const listing = await staffListing(req);
    const award = await service.findAward(ctx, listing.id);
    renderPage(
      req,
      res,
      'awards/objections',
      {
        title: t(lang, 'awards.objectionsTitle'),
        listing: await header(listing, lang),
        award: award && awardView(award, lang),
        objections: (await objections.objectionsOf(ctx, listing)).map((o) => objectionView(o, lang)),
        notice: req.query.done ? t(lang, 'objections.answered') : undefined,
        ...extra,
      },
      status,
    );
  }
  r.get('/staff/listings/:id/objections', requireRole('staff'), (req, res) => showObjections(req, res));
  r.post(
    '/staff/listings/:id/objections/:oid/answer',
    requireRole('staff'),
    form(showObjections, async (req) => {
      await objections.answerObjection(ctx, currentUser(req), pathId(req), pathId(req, 'oid'), {
        text: formField(req, 'text'),
      });
      return `/staff/listings/${pathId(req)}/objections?done=1`;
    }),
  );

  // ---- contract (合同签订)
  async function showContract(req: Request, res: Response, extra: Extra = {}, status = 200) {
    const lang = detectLang(req);
    const listing = await staffListing(req);
    const award = await service.findAward(ctx, listing.id);
    const contract = await service.findContract(ctx, listing.id);
    renderPage(
      req,
      res,
      'awards/contract',
      {
        title: t(lang, 'awards.contractTitle'),
        listing: await header(listing, lang),
        award: award && awardView(award, lang),
        contract: contract && contractView(contract, lang),
        canRecord: listing.state === 'awarded',
        today: shanghaiToday(),
        defaultAmount: award?.amount.toFixed(2),
        notice: req.query.done ? t(lang, 'awards.contractDone') : undefined,
        ...extra,
      },
      status,
    );
  }
  r.get('/staff/listings/:id/contract', requireRole('staff'), (req, res) => showContract(req, res));
  r.post(
    '/staff/listings/:id/contract',
    requireRole('staff'),
    form(showContract, async (req) => {
      await service.recordContract(ctx, currentUser(req), pathId(req), {
        signedAt: formField(req, 'signedAt'),
        amount: formField(req, 'amount') || null,
      });
      return `/staff/listings/${pathId(req)}/contract?done=1`;
    }),
  );

  // ---- deposits to refund after the award
  async function showRefunds(req: Request, res: Response, extra: Extra = {}, status = 200) {
    const lang = detectLang(req);
    const listing = await staffListing(req);
    renderPage(
      req,
      res,
      'awards/refunds',
      {
        title: t(lang, 'awards.refundsTitle'),
        listing: await header(listing, lang),
        deposit: displayMoney(listing.depositAmount),
        registrations: (await registrationsOf(ctx, listing)).map((x) => registrationView(x, lang)),
        notice: req.query.done ? t(lang, 'awards.reg.done') : undefined,
        ...extra,
      },
      status,
    );
  }
  r.get('/staff/listings/:id/refunds', requireRole('staff'), (req, res) => showRefunds(req, res));
  r.post(
    '/staff/listings/:id/registrations/:regId/refund',
    requireRole('staff'),
    form(showRefunds, async (req) => {
      await service.refundDeposit(ctx, currentUser(req), pathId(req), pathId(req, 'regId'));
      return `/staff/listings/${pathId(req)}/refunds?done=1`;
    }),
  );
  return r;
}
