import { Request, Response, Router } from 'express';
import { bodyOf, formErrors, formField } from '../http/forms';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { AppError, RuleError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { displayMoney, formatMoney, parseMoney } from '../http/money';
import { renderPage } from '../http/views';
import { loadListing } from '../listings/life';
import { displayDateTime } from '../http/time';
import { listingView } from '../listings/listings.view';
import { depositView } from '../townships/deposit.view';
import { depositTermsFor } from '../townships/townships.service';
import { isAmountInRange } from './bids';
import { findMyBid, listMyBids, listOpenedBidsFor, submitBid, withdrawMyBid } from './bids.service';
import { keyOfRequest } from '../keys/keys.service';
import { confirmOpening, openingProgress } from './sealing.service';
import { amountView, openedBidView, ownBidView, registrationView } from './bids.view';
import { openBids } from './opening.service';
import { confirmDeposit, findMyRegistration, listForStaff, register } from './registrations.service';
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
      findMyBid(ctx, user, listing.id, await keyOfRequest(ctx, req, user)),
      findMyRegistration(ctx, user, listing.id),
      depositRequired ? depositTermsFor(ctx, listing.townshipId) : undefined,
    ]);
    const l = listingView(listing, lang);
    renderPage(
      req,
      res,
      'bids/form',
      {
        title: `${t(lang, 'bids.formTitle')} · ${listing.code}`,
        l,
        myBid: myBid ? ownBidView(myBid) : null,
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
      const user = currentUser(req);
      const bid = await submitBid(ctx, user, pathId(req), raw, await keyOfRequest(ctx, req, user));
      // POST/redirect/GET: a reload of the receipt shows it again, it never places the bid twice
      res.redirect(303, `/listings/${bid.listingId}/bid/receipt`);
    } catch (err) {
      await failOnForm(req, res, err, { amount: typeof raw === 'string' ? raw : '' });
    }
  });
  r.get('/listings/:id/bid/receipt', bidder, async (req, res) => {
    const lang = detectLang(req);
    const listing = await loadListing(ctx.db, req.user, pathId(req), { access: 'view' });
    const user = currentUser(req);
    const bid = await findMyBid(ctx, user, listing.id, await keyOfRequest(ctx, req, user));
    if (!bid) return res.redirect(303, `/listings/${listing.id}/bid`);
    renderPage(req, res, 'bids/submitted', {
      title: t(lang, 'bids.receiptTitle'),
      l: listingView(listing, lang),
      bid: ownBidView(bid),
      // the receipt's preimage without its nonce, which the opening record publishes
      receiptLine: `${bid.listingId}|${user.id}|${formatMoney(bid.amount)}|${bid.submittedAt.toISOString()}|`,
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
  // withdrawing asks first, without JavaScript: the button leads to this page, whose form posts confirm=1
  r.get('/listings/:id/bid/withdraw', bidder, async (req, res) => {
    const lang = detectLang(req);
    const listing = await loadListing(ctx.db, req.user, pathId(req), { access: 'view' });
    const user = currentUser(req);
    const bid = await findMyBid(ctx, user, listing.id, await keyOfRequest(ctx, req, user));
    const l = listingView(listing, lang);
    // nothing to withdraw, or too late to: the bid page says where things stand
    if (!bid || !l.isOpen) return res.redirect(303, `/listings/${listing.id}/bid`);
    renderPage(req, res, 'bids/withdraw', {
      title: t(lang, 'bids.withdrawTitle'),
      l,
      bid: ownBidView(bid),
    });
  });
  r.post('/listings/:id/bid/withdraw', bidder, async (req, res) => {
    // a post that did not come from the confirmation page withdraws nothing: it is shown the question
    if (formField(req, 'confirm') !== '1') return res.redirect(303, `/listings/${pathId(req)}/bid/withdraw`);
    try {
      const user = currentUser(req);
      await withdrawMyBid(ctx, user, pathId(req), await keyOfRequest(ctx, req, user));
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
    const key = await keyOfRequest(ctx, req, user);
    for (const { listing, bid, registration, stored } of await listMyBids(ctx, user, key)) {
      const l = listingView(listing, lang);
      const row = {
        l,
        bid: bid ? ownBidView(bid) : null,
        registration: registration ? registrationView(registration, lang) : null,
        canWithdraw: Boolean(bid) && l.isOpen,
      };
      if (listing.state === 'published') {
        current.push(row);
      } else {
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

  // ---- staff: the opening and its printable record (开标记录); holders confirm here, on a phone too
  const showOpening = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const listing = await loadListing(ctx.db, user, pathId(req), { access: 'read' });
    const l = listingView(listing, lang);
    const revealed = listing.openedAt !== null;
    const bids = revealed ? (await listOpenedBidsFor(ctx, user, listing.id)).map((b) => openedBidView(b, lang)) : [];
    const progress = !revealed && listing.state === 'published' ? await openingProgress(ctx, listing) : null;
    const me = progress?.holders.find((h) => h.id === user.id);
    const closed = l.status === 'closed';
    const who = (h: { name: string | null; username: string; role: string }) => ({
      name: h.name ?? h.username,
      role: t(lang, `role.${h.role}`),
    });
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
        openedAtText: listing.openedAt ? displayDateTime(listing.openedAt) : '',
        canOpen: user.role === 'staff' && user.townshipId === listing.townshipId && closed,
        canConfirm: closed && Boolean(me) && !me?.confirmed && user.role !== 'staff',
        progress: progress && {
          text: t(lang, 'bids.quorumProgress', { present: progress.present, quorum: progress.quorum }),
          met: progress.met,
          waitingFor: progress.holders.filter((h) => !h.confirmed).map(who),
          confirmedBy: progress.holders.filter((h) => h.confirmed).map(who),
          outsiderNote: progress.quorum >= 2 ? t(lang, 'bids.quorumOutsider') : '',
        },
        notice: req.query.confirmed ? t(lang, 'bids.confirmedShare') : undefined,
        waiting: l.beforeDeadline,
        ...extra,
      },
      status,
    );
  };
  r.get('/staff/listings/:id/opening', reader, (req, res) => showOpening(req, res));
  r.post('/staff/listings/:id/opening-shares', requireRole('staff', 'auditor'), async (req, res) => {
    try {
      await confirmOpening(ctx, currentUser(req), pathId(req), bodyOf(req).password);
      res.redirect(303, `/staff/listings/${pathId(req)}/opening?confirmed=1`);
    } catch (err) {
      await showOpening(req, res, formErrors(req, err), (err as AppError).status);
    }
  });
  r.post('/staff/listings/:id/open', requireRole('staff'), async (req, res) => {
    try {
      await openBids(ctx, currentUser(req), pathId(req), bodyOf(req).password);
      res.redirect(303, `/staff/listings/${pathId(req)}/opening`);
    } catch (err) {
      await showOpening(req, res, formErrors(req, err), (err as AppError).status);
    }
  });
  return r;
}
