import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import { AppError, ConflictError, NotFoundError } from '../http/errors';
import type { AuthUser } from '../http/access';
import type { Listing } from '../listings/listings';
import { listingClock, loadListing } from '../listings/life';
import { peopleOf } from '../accounts/accounts.service';
import { Registration, withRegistrantNames } from './bids';
import * as repo from './bids.repository';
import './bids.messages';

// Registration (报名) and deposits. Who registered reveals who means to bid, so nothing here is
// written to the audit trail before opening (the opening entry lists the registrations) and the
// list is shown to the township's staff (deposit handling), auditors and admins only.

/**
 * Registers the bidder while the listing is published and before the deadline (database clock).
 * Registering twice is refused with 409 ALREADY_REGISTERED; details carry the existing registration.
 */
/** The bidder's own registration for this listing, if any. */
export async function findMyRegistration(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
): Promise<Registration | undefined> {
  return repo.findRegistration(ctx.db, listingId, user.id);
}

export async function register(ctx: AppContext, user: AuthUser, listingId: string): Promise<Registration> {
  const listing = await loadListing(ctx.db, user, listingId, { access: 'view' });
  if (listing.depositAmount.lte(0)) throw new ConflictError('DEPOSIT_NOT_REQUIRED');
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    if (locked.state !== 'published') throw new ConflictError('REGISTRATION_CLOSED');
    if ((await listingClock(trx, locked)).status === 'closed') throw new ConflictError('REGISTRATION_CLOSED');
    const created = await repo.insertRegistration(trx, listingId, user.id);
    if (created) return created;
    const existing = await repo.findRegistration(trx, listingId, user.id);
    throw new ConflictError(
      'ALREADY_REGISTERED',
      undefined,
      {},
      existing ? { id: existing.id, status: existing.status } : undefined,
    );
  });
}

/** Staff of the township record that the deposit arrived. Confirming twice answers the same. */
export async function confirmDeposit(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  registrationId: string,
): Promise<Registration> {
  await loadListing(ctx.db, user, listingId, { access: 'staff' });
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    const registration = await repo.findRegistrationById(trx, listingId, registrationId);
    if (!registration) throw new NotFoundError();
    if (registration.status === 'confirmed') return registration;
    if (registration.status !== 'pending' || locked.state !== 'published') {
      throw new ConflictError(
        'INVALID_STATE',
        'error.INVALID_STATE',
        { status: registration.status },
        { status: registration.status },
      );
    }
    return repo.confirmRegistration(trx, registrationId, user.id);
  });
}

export async function listForStaff(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
): Promise<{ listing: Listing; registrations: Registration[] }> {
  const listing = await loadListing(ctx.db, user, listingId, { access: 'read' });
  return { listing, registrations: await namedRegistrations(ctx, listingId) };
}

/** The listing's registrations for its staff's pages (deposits to refund), oldest first. */
export async function registrationsOf(
  ctx: AppContext,
  listing: Listing,
): Promise<(Registration & { bidderUsername: string })[]> {
  return namedRegistrations(ctx, listing.id);
}

async function namedRegistrations(ctx: AppContext, listingId: string) {
  const rows = await repo.listRegistrations(ctx.db, listingId);
  return withRegistrantNames(
    rows,
    await peopleOf(
      ctx,
      rows.map((r) => r.bidderId),
    ),
  );
}

/** The listing's registrations, oldest first: a step of an opening's transaction (an auction's close records them). */
export async function registrationsWithin(trx: Trx, listingId: string): Promise<Registration[]> {
  return repo.listRegistrations(trx, listingId);
}

/** A step of the award: every deposit but the winner's is to be returned. The number of them. */
export async function markDepositsRefundable(trx: Trx, listingId: string, winnerId: string): Promise<number> {
  return repo.markRefundableExcept(trx, listingId, winnerId);
}

/** A step of a deposit's refund: the registration, locked until the transaction ends. */
export async function lockRegistrationWithin(
  trx: Trx,
  listingId: string,
  registrationId: string,
): Promise<Registration | undefined> {
  return repo.lockRegistration(trx, listingId, registrationId);
}

/** A step of a deposit's refund: the registration becomes refunded, by this user at this moment. */
export async function markDepositRefunded(trx: Trx, registrationId: string, by: string, at: Date): Promise<void> {
  await repo.markRefunded(trx, registrationId, by, at);
}

/** 403 NOT_REGISTERED: the listing asks a deposit and this bidder's is not confirmed. */
export class NotRegisteredError extends AppError {
  constructor() {
    super(403, 'NOT_REGISTERED');
  }
}

/**
 * A step of a bid's own transaction (an auction bid, under the listing lock): 403 NOT_REGISTERED unless the
 * bidder's deposit for this listing is confirmed.
 */
export async function assertRegisteredWithin(trx: Trx, listingId: string, bidderId: string): Promise<void> {
  const registration = await repo.findRegistration(trx, listingId, bidderId);
  if (registration?.status !== 'confirmed') throw new NotRegisteredError();
}
