import { Request, Response, Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import type { AppError } from '../http/errors';
import { bodyOf, formErrors, formField } from '../http/forms';
import { detectLang, t } from '../http/i18n';
import { parseMoney } from '../http/money';
import { renderPage } from '../http/views';
import { findMyRegistration, register } from '../bids/registrations.service';
import type { ListingState } from '../db/database';
import { loadListing } from '../listings/life';
import { invalidIncrement, isOnGrid } from './auctions';
import { closeAuction } from './auctions.close';
import { findVisibleAuction, placeAuctionBid, readAuctionRoom } from './auctions.service';
import { auctionRoomView, bidConfirmView } from './auctions.view';
import './auctions.messages';

/**
 * The auction room (phone first, works without JavaScript by refreshing: every bid is a form, two steps
 * with the amount in 大写, POST/redirect/GET) and the staff console. Mounted before the bid pages: the
 * sealed opening form of an auction listing closes the auction instead.
 */
export function auctionsPages(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());

  const showRoom = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const room = await readAuctionRoom(ctx, req.user, pathId(req));
    const view = auctionRoomView(room, lang);
    const user = req.user;
    const depositRequired = room.listing.depositAmount.gt(0);
    const registration =
      user?.role === 'bidder' && depositRequired ? await findMyRegistration(ctx, user, room.listing.id) : undefined;
    const registered = !depositRequired || registration?.status === 'confirmed';
    renderPage(
      req,
      res,
      'auctions/room',
      {
        title: `${t(lang, 'auctions.room')} · ${room.listing.code}`,
        ...view,
        signedOut: !user,
        loginHref: `/login?next=${encodeURIComponent(`/listings/${room.listing.id}/auction`)}`,
        isBidder: user?.role === 'bidder',
        canBid: user?.role === 'bidder' && view.isOpen && registered && !view.youLead && view.nextMin !== null,
        mustRegister: user?.role === 'bidder' && !registered && !view.isOver,
        registration: registration
          ? { status: registration.status, label: t(lang, `bids.regStatus.${registration.status}`) }
          : null,
        canRegister: user?.role === 'bidder' && depositRequired && !registration && !view.isOver,
        depositText: view.l.depositText,
        isStaff: user?.role === 'staff' && user.townshipId === room.listing.townshipId,
        values: { amount: view.nextMin ?? '' },
        ...extra,
      },
      status,
    );
  };

  r.get('/listings/:id/auction', async (req, res) => {
    const accepted = typeof req.query.accepted === 'string' ? req.query.accepted : undefined;
    const lang = detectLang(req);
    const notice = req.query.registered
      ? t(lang, 'bids.registered')
      : accepted && /^\d{1,9}$/.test(accepted)
        ? t(lang, 'auctions.acceptedShort')
        : undefined;
    await showRoom(req, res, { notice });
  });

  r.post('/listings/:id/auction/bid', requireRole('bidder'), async (req, res) => {
    const lang = detectLang(req);
    const amount = bodyOf(req).amount;
    const raw = typeof amount === 'string' ? amount.replace(/[,，\s¥]/g, '') : amount;
    try {
      if (formField(req, 'confirm') !== '1') {
        // step one: the amount back in numerals and 大写; nothing is stored yet
        const listing = await findVisibleAuction(ctx, pathId(req));
        const value = parseMoney(raw);
        if (!isOnGrid(listing.auction, value)) throw invalidIncrement(listing.auction);
        return renderPage(req, res, 'auctions/confirm', {
          title: t(lang, 'auctions.confirmTitle'),
          l: { id: listing.id, code: listing.code, title: listing.title },
          bid: bidConfirmView(value),
        });
      }
      const bid = await placeAuctionBid(ctx, currentUser(req), pathId(req), raw);
      res.redirect(303, `/listings/${pathId(req)}/auction?accepted=${bid.seq}`);
    } catch (err) {
      await showRoom(
        req,
        res,
        { ...formErrors(req, err), values: { amount: typeof raw === 'string' ? raw : '' } },
        (err as AppError).status,
      );
    }
  });

  // registration (报名) with its deposit, from the room; the sealed bid form of an auction leads to the room
  r.post('/listings/:id/auction/registration', requireRole('bidder'), async (req, res) => {
    try {
      await register(ctx, currentUser(req), pathId(req));
      res.redirect(303, `/listings/${pathId(req)}/auction?registered=1`);
    } catch (err) {
      await showRoom(req, res, formErrors(req, err), (err as AppError).status);
    }
  });
  r.all('/listings/:id/bid', async (req, res, next) =>
    (await isAuction(ctx, req, ['published', 'opened', 'failed', 'awarded', 'concluded', 'cancelled']))
      ? res.redirect(303, `/listings/${pathId(req)}/auction`)
      : next(),
  );

  // ---- staff: watch the room and close it once over
  const showConsole = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    // 404, then 403 for another township, before anything of the room is read
    const listing = await loadListing(ctx.db, user, pathId(req), { access: 'read' });
    const room = await readAuctionRoom(ctx, undefined, listing.id);
    const view = auctionRoomView(room, lang);
    renderPage(
      req,
      res,
      'auctions/console',
      {
        title: `${t(lang, 'auctions.console')} · ${room.listing.code}`,
        ...view,
        history: view.history,
        canClose: user.role === 'staff' && room.status === 'closed',
        closeAction: `/staff/listings/${room.listing.id}/auction/close`,
        recordHref: `/staff/listings/${room.listing.id}/opening`,
        ...extra,
      },
      status,
    );
  };
  r.get('/staff/listings/:id/auction', requireRole('staff', 'auditor', 'admin'), (req, res) => showConsole(req, res));
  const close = async (req: Request, res: Response) => {
    try {
      await closeAuction(ctx, currentUser(req), pathId(req));
      res.redirect(303, `/staff/listings/${pathId(req)}/opening`);
    } catch (err) {
      await showConsole(req, res, formErrors(req, err), (err as AppError).status);
    }
  };
  r.post('/staff/listings/:id/auction/close', requireRole('staff'), close);
  // the sealed opening's page and form, for an auction listing: the console until it is closed
  r.post('/staff/listings/:id/open', requireRole('staff'), async (req, res, next) =>
    (await isRunningAuction(ctx, req)) ? close(req, res) : next(),
  );
  r.get('/staff/listings/:id/opening', requireRole('staff', 'auditor', 'admin'), async (req, res, next) =>
    (await isRunningAuction(ctx, req)) ? res.redirect(303, `/staff/listings/${pathId(req)}/auction`) : next(),
  );
  return r;
}

/** Whether the listing of the path is an auction in one of these states (anything else is left to the next router). */
async function isAuction(ctx: AppContext, req: Request, states: readonly ListingState[]): Promise<boolean> {
  const listing = await loadListing(ctx.db, undefined, pathId(req), { access: 'app' });
  return listing.method === 'auction' && states.includes(listing.state);
}

const isRunningAuction = (ctx: AppContext, req: Request) => isAuction(ctx, req, ['published']);
