import { Request, Response, Router } from 'express';
import { bodyOf, formErrors, formField } from '../http/forms';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { AppError, RuleError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { displayMoney, parseMoney } from '../http/money';
import { renderPage } from '../http/views';
import { loadListing } from '../listings/life';
import { displayTime } from '../http/time';
import { listingView } from '../listings/listings.view';
import { depositView } from '../townships/deposit.view';
import { depositTermsFor } from '../townships/townships.service';
import { isAmountInRange, sortOpenedBids } from './bids';
import * as repo from './bids.repository';
import { findMyBid, submitBid, withdrawMyBid } from './bids.service';
import { amountView, openedBidView, ownBidView, registrationView } from './bids.view';
import { openBids } from './opening.service';
import { confirmDeposit, listForStaff, register } from './registrations.service';
import './bids.messages';

/** Bid form (two steps: amount → confirmation with 大写 → submit), my bids, registrations and opening. */
export function bidsPages(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());
  const bidder = requireRole('bidder');
  const reader = requireRole('staff', 'auditor', 'admin');

  // ---- bidder: the bid form
  const showForm = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const listing = await loadListing(ctx.db, req.user, pathId(req), { access: 'view' });
    const depositRequired = listing.depositAmount.gt(0);
    const [myBid, registration, deposit] = await Promise.all([
      findMyBid(ctx, user, listing.id),
      repo.findRegistration(ctx.db, listing.id, user.id),
      depositRequired ? depositTermsFor(ctx.db, listing.townshipId) : undefined,
    ]);
    const l = listingView(listing, lang);
    renderPage(
      req,
      res,
      'bids/form',
      {
        title: `${t(lang, 'bids.formTitle')} · ${listing.code}`,
        l,
        myBid: myBid ? ownBidView(myBid, lang) : null,
        depositRequired,
        registration: registration ? registrationView(registration, lang) : null,
        canRegister: depositRequired && !registration && l.beforeDeadline,
        canBid: l.isOpen && (!depositRequired || registration?.status === 'confirmed'),
        isAnnounced: l.status === 'announced',
        isClosed: !l.beforeDeadline,
        depositNote: t(lang, 'bids.depositNeeded', { deposit: displayMoney(listing.depositAmount) }),
        deposit: deposit && depositView(listing, deposit.terms, deposit.townshipName, lang),
        ...extra,
      },
      status,
    );
  };
  const failOnForm = async (req: Request, res: Response, err: unknown, values: Record<string, unknown> = {}) =>
    showForm(req, res, { ...formErrors(req, err), values }, (err as AppError).status);

  r.get('/listings/:id/bid', bidder, (req, res) =>
    showForm(req, res, {
      notice: req.query.registered ? t(detectLang(req), 'bids.registered') : undefined,
    }),
  );
  r.post('/listings/:id/bid', bidder, async (req, res) => {
    const lang = detectLang(req);
    const amount = bodyOf(req).amount;
    const raw = typeof amount === 'string' ? amount.replace(/[,，\s]/g, '') : amount;
    try {
      if (formField(req, 'confirm') !== '1') {
        // step one: check the amount and show it back in numerals and 大写 before anything is stored
        const listing = await loadListing(ctx.db, req.user, pathId(req), { access: 'view' });
        const amount = parseMoney(raw);
        if (!isAmountInRange(listing.kind, listing.basePrice, amount)) {
          throw new RuleError(
            'OUT_OF_RANGE',
            `error.OUT_OF_RANGE.${listing.kind === 'procurement' ? 'ceiling' : 'reserve'}`,
            { basePrice: displayMoney(listing.basePrice) },
          );
        }
        return renderPage(req, res, 'bids/confirm', {
          title: t(lang, 'bids.confirmTitle'),
          l: listingView(listing, lang),
          bid: amountView(amount),
        });
      }
      const bid = await submitBid(ctx, currentUser(req), pathId(req), raw);
      // POST/redirect/GET: a reload of the receipt shows it again, it never places the bid twice
      res.redirect(303, `/listings/${bid.listingId}/bid/receipt`);
    } catch (err) {
      await failOnForm(req, res, err, { amount: typeof raw === 'string' ? raw : '' });
    }
  });
  r.get('/listings/:id/bid/receipt', bidder, async (req, res) => {
    const lang = detectLang(req);
    const listing = await loadListing(ctx.db, req.user, pathId(req), { access: 'view' });
    const bid = await findMyBid(ctx, currentUser(req), listing.id);
    if (!bid) return res.redirect(303, `/listings/${listing.id}/bid`);
    renderPage(req, res, 'bids/submitted', {
      title: t(lang, 'bids.receiptTitle'),
      l: listingView(listing, lang),
      bid: ownBidView(bid, lang),
    });
  });
  r.post('/listings/:id/registration', bidder, async (req, res) => {
    try {
      await register(ctx, currentUser(req), pathId(req));
      res.redirect(303, `/listings/${pathId(req)}/bid?registered=1`);
    } catch (err) {
      await failOnForm(req, res, err);
    }
  });
  r.post('/listings/:id/bid/withdraw', bidder, async (req, res) => {
    try {
      await withdrawMyBid(ctx, currentUser(req), pathId(req));
      res.redirect(303, '/bidder/bids?withdrawn=1');
    } catch (err) {
      await failOnForm(req, res, err);
    }
  });

  // ---- bidder: my bids — deals still running as cards, finished ones in a compact table
  r.get('/bidder/bids', bidder, async (req, res) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const current = [];
    const past = [];
    for (const id of await repo.listMyBidListingIds(ctx.db, user.id)) {
      const listing = await loadListing(ctx.db, user, id, { access: 'view' });
      const [bid, registration] = await Promise.all([
        findMyBid(ctx, user, id),
        repo.findRegistration(ctx.db, id, user.id),
      ]);
      const l = listingView(listing, lang);
      const row = {
        l,
        bid: bid ? ownBidView(bid, lang) : null,
        registration: registration ? registrationView(registration, lang) : null,
        canWithdraw: Boolean(bid) && l.isOpen,
      };
      if (listing.state === 'published') {
        current.push(row);
      } else {
        const stored = bid ? await repo.findLiveBid(ctx.db, id, user.id) : undefined;
        past.push({
          ...row,
          result:
            stored?.valid === false
              ? t(lang, 'bids.invalid')
              : stored?.rank
                ? t(lang, 'bids.rankN', { rank: stored.rank })
                : '',
        });
      }
    }
    current.sort((a, b) => a.l.bidDeadline.localeCompare(b.l.bidDeadline));
    past.sort((a, b) => b.l.bidDeadline.localeCompare(a.l.bidDeadline));
    renderPage(req, res, 'bids/mine', {
      title: t(lang, 'bids.myBidsTitle'),
      current,
      past,
      none: current.length + past.length === 0,
      notice: req.query.withdrawn ? t(lang, 'bids.withdrawn') : undefined,
    });
  });

  // ---- staff: registrations and deposits
  const showRegistrations = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const { listing, registrations } = await listForStaff(ctx, user, pathId(req));
    const canConfirm = user.role === 'staff' && listing.state === 'published';
    renderPage(
      req,
      res,
      'bids/registrations',
      {
        title: `${t(lang, 'bids.registrationsTitle')} · ${listing.code}`,
        l: listingView(listing, lang),
        canConfirm,
        registrations: registrations.map((reg) => ({
          ...registrationView(reg, lang),
          canConfirm: canConfirm && reg.status === 'pending',
        })),
        ...extra,
      },
      status,
    );
  };
  r.get('/staff/listings/:id/registrations', reader, (req, res) => showRegistrations(req, res));
  r.post('/staff/listings/:id/registrations/:regId/confirm', requireRole('staff'), async (req, res) => {
    try {
      await confirmDeposit(ctx, currentUser(req), pathId(req), pathId(req, 'regId'));
      res.redirect(303, `/staff/listings/${pathId(req)}/registrations`);
    } catch (err) {
      await showRegistrations(req, res, formErrors(req, err), (err as AppError).status);
    }
  });

  // ---- staff: the opening and its printable record (开标记录)
  const showOpening = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const listing = await loadListing(ctx.db, user, pathId(req), { access: 'read' });
    const l = listingView(listing, lang);
    const revealed = listing.openedAt !== null;
    const bids = revealed
      ? sortOpenedBids(await repo.listOpenedBids(ctx.db, listing.id)).map((b) => openedBidView(b, lang))
      : [];
    renderPage(
      req,
      res,
      'bids/opening',
      {
        title: `${t(lang, revealed ? 'bids.openingRecord' : 'bids.openingTitle')} · ${listing.code}`,
        l,
        revealed,
        bids,
        printable: revealed,
        outcomeLabel: revealed ? t(lang, `bids.outcome.${listing.state === 'failed' ? 'failed' : 'opened'}`) : '',
        openedAtText: listing.openedAt ? displayTime(listing.openedAt, lang) : '',
        canOpen: user.role === 'staff' && l.status === 'closed',
        waiting: l.beforeDeadline,
        ...extra,
      },
      status,
    );
  };
  r.get('/staff/listings/:id/opening', reader, (req, res) => showOpening(req, res));
  r.post('/staff/listings/:id/open', requireRole('staff'), async (req, res) => {
    try {
      await openBids(ctx, currentUser(req), pathId(req));
      res.redirect(303, `/staff/listings/${pathId(req)}/opening`);
    } catch (err) {
      await showOpening(req, res, formErrors(req, err), (err as AppError).status);
    }
  });
  return r;
}
