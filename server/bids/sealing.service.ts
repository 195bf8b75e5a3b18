import crypto from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import {
  isOwnPassword,
  keyHolderCandidatesOf,
  keyHolderCandidatesWithin,
  peopleOf,
} from '../accounts/accounts.service';
import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import type { AuthUser } from '../http/access';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../http/errors';
import {
  aesOpen,
  aesSeal,
  generateKeyPair,
  hkdf,
  openerOf,
  openWith,
  publicOf,
  SEAL_ALGORITHM,
  sealTo,
} from '../keys/crypto';
import { openPersonalKey, publicKeysWithin } from '../keys/keys.service';
import type { Listing } from '../listings/listings';
import { loadListing, statusNow } from '../listings/life';
import { findRules, rulesWithin } from '../townships/townships.service';
import { asHolder, byRoleThenUsername, Holder, holdersCanOpen, quorumMet } from './quorum';
import * as repo from './sealing.repository';
import { decoyOwnerParts, sealDecoy } from './sealed-offers';
import './bids.messages';

// A listing's sealing key, which nobody holds whole (API.md "Sealing that no single insider can open").
//
// At publish a fresh X25519 key pair is made; the private key is split with Shamir's scheme into one
// share per key holder (the township's staff and every auditor), each share encrypted to that holder's
// personal key, and then wiped: it is in no table, file, log or environment variable. After the
// deadline each holder confirms with their own password: the server opens their personal key, then
// their share, and keeps the share re-encrypted under a key derived from the server's seal key file
// (outside the database) until the opening. At the quorum the opening rebuilds the key in memory,
// decrypts and ranks, and forgets the key and the kept shares.

/** Decoys written with each seal, a random number up to this: the count of stored offers says little. */
const MAX_DECOYS = 12;

const shareAad = (listingId: string, holderId: string) => Buffer.from(`share|${listingId}|${holderId}`, 'utf8');
const keptAad = (listingId: string, holderId: string) => Buffer.from(`kept|${listingId}|${holderId}`, 'utf8');
const keptKey = (ctx: AppContext) => hkdf(ctx.sealKey, 'xzjyz-opening-confirmations');

/**
 * Makes the listing's seal inside the publishing transaction. Holders without a personal key yet
 * (never signed in since keys were introduced) get no share; if the rest cannot reach the quorum the
 * publication is refused (409 NOT_ENOUGH_KEY_HOLDERS) rather than make a listing nobody can open.
 */
export async function createListingSeal(
  trx: Trx,
  listing: Pick<Listing, 'id' | 'townshipId'>,
  quorum: number,
): Promise<repo.ListingSeal> {
  const candidates = (await keyHolderCandidatesWithin(trx, listing.townshipId)).map((p) =>
    asHolder(p, p.role === 'staff'),
  );
  const keys = await publicKeysWithin(
    trx,
    candidates.map((c) => c.id),
  );
  const holders = candidates.filter((c) => keys.has(c.id));
  if (holders.length > 255 || !holdersCanOpen(quorum, holders)) {
    throw new ConflictError(
      'NOT_ENOUGH_KEY_HOLDERS',
      undefined,
      { holders: holders.length, quorum },
      { holders: holders.length, quorum },
    );
  }
  const { publicKey, privateKey: privateRaw } = generateKeyPair();
  // quorum 1: every holder's share is the whole key (one confirmation opens); else t-of-n Shamir
  const shares: Uint8Array[] =
    quorum >= 2
      ? await split(Uint8Array.from(privateRaw), holders.length, quorum) // the library wants a plain Uint8Array
      : holders.map(() => Uint8Array.from(privateRaw));
  const seal = { listingId: listing.id, algorithm: SEAL_ALGORITHM, publicKey, quorum, holders: holders.length };
  try {
    await repo.insertSeal(
      trx,
      seal,
      holders.map((h, i) => ({
        holderId: h.id,
        townshipStaff: h.townshipStaff,
        holderPublicKey: keys.get(h.id)!,
        shareSealed: sealTo(keys.get(h.id)!, Buffer.from(shares[i]), shareAad(listing.id, h.id)),
      })),
    );
  } finally {
    privateRaw.fill(0);
    for (const s of shares) s.fill(0);
  }
  const decoys = crypto.randomInt(0, MAX_DECOYS + 1);
  await repo.insertSealedBids(
    trx,
    Array.from({ length: decoys }, () => ({ ...decoyOwnerParts(), offer: sealDecoy(publicKey, listing.id) })),
  );
  return seal;
}

/** GET /listings/:id/seal: public once published; 404 for drafts and for listings sealed the old way. */
export async function findPublicSeal(ctx: AppContext, listingId: string): Promise<repo.ListingSeal> {
  await loadListing(ctx.db, undefined, listingId, { access: 'view' }); // a draft has no public seal: 404
  const seal = await repo.findSeal(ctx.db, listingId);
  if (!seal) throw new NotFoundError();
  return seal;
}

/** A listing's holders and how the quorum stands, for the opening page and the answers. */
export interface OpeningProgress {
  quorum: number;
  present: number;
  met: boolean;
  holders: (Holder & { confirmed: boolean })[];
}

async function holdersOf(ctx: AppContext, listing: Listing): Promise<{ quorum: number; holders: Holder[] }> {
  const { db } = ctx;
  const seal = await repo.findSeal(db, listing.id);
  if (seal) {
    const shares = await repo.listShareHolders(db, listing.id);
    const people = await peopleOf(
      ctx,
      shares.map((s) => s.holderId),
    );
    const holders = shares.flatMap((s) => {
      const p = people.get(s.holderId);
      return p ? [asHolder(p, s.townshipStaff)] : [];
    });
    return { quorum: seal.quorum, holders: holders.sort(byRoleThenUsername) };
  }
  // sealed the old way (before listing keys): the township's staff and the auditors confirm, no share
  const rules = await findRules(ctx, listing.townshipId);
  return {
    quorum: rules.openingQuorum,
    holders: (await keyHolderCandidatesOf(ctx, listing.townshipId)).map((p) => asHolder(p, p.role === 'staff')),
  };
}

export async function openingProgress(ctx: AppContext, listing: Listing): Promise<OpeningProgress> {
  const { db } = ctx;
  const [{ quorum, holders }, confirmations] = await Promise.all([
    holdersOf(ctx, listing),
    repo.listConfirmations(db, listing.id),
  ]);
  const done = new Set(confirmations.map((c) => c.holderId));
  return {
    quorum,
    present: confirmations.length,
    met: quorumMet(quorum, confirmations),
    holders: holders.map((h) => ({ ...h, confirmed: done.has(h.id) })),
  };
}

/** 401 INVALID_CREDENTIALS unless this is the user's current sign-in password. */
async function assertOwnPassword(ctx: AppContext, user: AuthUser, password: unknown): Promise<string> {
  const pw = typeof password === 'string' && password.length > 0 && password.length <= 1024 ? password : null;
  if (!pw || !(await isOwnPassword(ctx, user, pw))) {
    throw new AppError(401, 'INVALID_CREDENTIALS');
  }
  return pw;
}

/**
 * A holder's confirmation (POST /listings/:id/opening-shares, and the opener's own in POST …/open).
 * Order of answers: 404 no listing, 403 not a holder, 409 already opened or before the deadline,
 * 401 wrong password, 409 SHARE_UNREADABLE when their share no longer opens (their key was reset).
 * A second confirmation by the same holder answers the same counts and changes nothing.
 */
export async function confirmOpening(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  password: unknown,
): Promise<OpeningProgress> {
  const listing = await loadListing(ctx.db, undefined, listingId, { access: 'view' }); // 404 for a draft too
  const seal = await repo.findSeal(ctx.db, listingId);
  const share = seal ? await repo.findShare(ctx.db, listingId, user.id) : undefined;
  const isHolder = seal
    ? Boolean(share)
    : user.role === 'auditor' || (user.role === 'staff' && user.townshipId === listing.townshipId);
  if (!isHolder) throw new ForbiddenError();
  if (listing.state !== 'published') {
    throw new ConflictError(
      'INVALID_STATE',
      'error.INVALID_STATE',
      { status: listing.state },
      { status: listing.state },
    );
  }
  if ((await statusNow(ctx.db, listing)) !== 'closed') {
    throw new ConflictError('NOT_CLOSED', undefined, {}, { bidDeadline: listing.bidDeadline.toISOString() });
  }
  const pw = await assertOwnPassword(ctx, user, password);
  if (!(await repo.hasConfirmed(ctx.db, listingId, user.id))) {
    let shareKept: Buffer | null = null;
    if (share) {
      const personal = await openPersonalKey(ctx, user.id, pw);
      let plain: Buffer | undefined;
      try {
        if (personal && publicOf(personal).equals(share.holderPublicKey)) {
          plain = openWith(openerOf(personal), share.shareSealed, shareAad(listingId, user.id));
        }
      } catch {
        plain = undefined;
      } finally {
        personal?.fill(0);
      }
      if (!plain) throw new ConflictError('SHARE_UNREADABLE');
      const key = keptKey(ctx);
      shareKept = aesSeal(key, plain, keptAad(listingId, user.id));
      key.fill(0);
      plain.fill(0);
    }
    await repo.insertConfirmation(ctx.db, listingId, {
      holderId: user.id,
      townshipStaff: user.role === 'staff',
      shareKept,
    });
  }
  return openingProgress(ctx, listing);
}

/**
 * Inside the opening transaction: the listing's private key rebuilt from the kept shares, or
 * 409 QUORUM_NOT_MET. `null` for a listing sealed the old way (its bids open with the seal key).
 * The caller wipes the key when done.
 */
export async function rebuildListingKey(ctx: AppContext, trx: Trx, listingId: string): Promise<Buffer | null> {
  const seal = await repo.findSeal(trx, listingId);
  const confirmations = await repo.listConfirmations(trx, listingId);
  const quorum = seal?.quorum ?? (await quorumOfOldListing(trx, listingId));
  if (!quorumMet(quorum, confirmations)) {
    throw new ConflictError(
      'QUORUM_NOT_MET',
      undefined,
      { present: confirmations.length, quorum },
      { present: confirmations.length, quorum },
    );
  }
  if (!seal) return null;
  const key = keptKey(ctx);
  const shares: Buffer[] = [];
  try {
    for (const c of confirmations) {
      if (!c.shareKept) continue;
      try {
        shares.push(aesOpen(key, c.shareKept, keptAad(listingId, c.holderId)));
      } catch {
        // a kept share that no longer opens (another seal key file, changed bytes) counts for nothing
      }
    }
  } finally {
    key.fill(0);
  }
  let rebuilt: Buffer | null = null;
  try {
    if (seal.quorum === 1) rebuilt = shares[0] ? Buffer.from(shares[0]) : null;
    else if (shares.length >= seal.quorum) rebuilt = Buffer.from(await combine(shares.map((x) => Uint8Array.from(x))));
  } catch {
    rebuilt = null;
  } finally {
    for (const s of shares) s.fill(0);
  }
  if (!rebuilt || rebuilt.length !== 32 || !publicOf(rebuilt).equals(seal.publicKey)) {
    rebuilt?.fill(0);
    throw new ConflictError('SHARE_UNREADABLE', 'error.SHARE_UNREADABLE.rebuild');
  }
  return rebuilt;
}

async function quorumOfOldListing(trx: Trx, listingId: string): Promise<number> {
  const listing = await loadListing(trx, undefined, listingId, { access: 'app' });
  return (await rulesWithin(trx, listing.townshipId)).openingQuorum;
}
