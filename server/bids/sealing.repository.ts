import type { Executor, Trx } from '../db/db';

// The SQL of listing seals, key shares, opening confirmations and not-yet-opened offers.

export interface ListingSeal {
  listingId: string;
  algorithm: string;
  publicKey: Buffer;
  quorum: number;
  holders: number;
}

/** Which of these listings have a seal (were published since listing keys). */
export async function listSealedAmong(db: Executor, listingIds: string[]): Promise<Set<string>> {
  if (listingIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('listing_seals')
    .select('listing_id')
    .where('listing_id', 'in', listingIds)
    .execute();
  return new Set(rows.map((r) => r.listing_id));
}

export async function findSeal(db: Executor, listingId: string): Promise<ListingSeal | undefined> {
  const row = await db.selectFrom('listing_seals').selectAll().where('listing_id', '=', listingId).executeTakeFirst();
  return row
    ? {
        listingId: row.listing_id,
        algorithm: row.algorithm,
        publicKey: row.public_key,
        quorum: row.quorum,
        holders: row.holders,
      }
    : undefined;
}

export async function insertSeal(
  trx: Trx,
  seal: ListingSeal,
  shares: { holderId: string; townshipStaff: boolean; holderPublicKey: Buffer; shareSealed: Buffer }[],
): Promise<void> {
  await trx
    .insertInto('listing_seals')
    .values({
      listing_id: seal.listingId,
      algorithm: seal.algorithm,
      public_key: seal.publicKey,
      quorum: seal.quorum,
      holders: seal.holders,
    })
    .execute();
  await trx
    .insertInto('listing_seal_shares')
    .values(
      shares.map((s) => ({
        listing_id: seal.listingId,
        holder_id: s.holderId,
        township_staff: s.townshipStaff,
        holder_public_key: s.holderPublicKey,
        share_sealed: s.shareSealed,
      })),
    )
    .execute();
}

export interface StoredShare {
  holderId: string;
  townshipStaff: boolean;
  holderPublicKey: Buffer;
  shareSealed: Buffer;
}

export async function findShare(db: Executor, listingId: string, holderId: string): Promise<StoredShare | undefined> {
  const row = await db
    .selectFrom('listing_seal_shares')
    .selectAll()
    .where('listing_id', '=', listingId)
    .where('holder_id', '=', holderId)
    .executeTakeFirst();
  return row
    ? {
        holderId: row.holder_id,
        townshipStaff: row.township_staff,
        holderPublicKey: row.holder_public_key,
        shareSealed: row.share_sealed,
      }
    : undefined;
}

/** Who holds a share of a sealed listing, and whether from its township's staff (names: accounts/). */
export async function listShareHolders(
  db: Executor,
  listingId: string,
): Promise<{ holderId: string; townshipStaff: boolean }[]> {
  const rows = await db
    .selectFrom('listing_seal_shares')
    .select(['holder_id', 'township_staff'])
    .where('listing_id', '=', listingId)
    .execute();
  return rows.map((r) => ({ holderId: r.holder_id, townshipStaff: r.township_staff }));
}

// ---- confirmations

export interface Confirmation {
  holderId: string;
  townshipStaff: boolean;
  shareKept: Buffer | null;
}

/** Idempotent: a second confirmation by the same holder changes nothing. */
export async function insertConfirmation(db: Executor, listingId: string, c: Confirmation): Promise<void> {
  await db
    .insertInto('opening_confirmations')
    .values({
      listing_id: listingId,
      holder_id: c.holderId,
      township_staff: c.townshipStaff,
      share_kept: c.shareKept,
    })
    .onConflict((oc) => oc.columns(['listing_id', 'holder_id']).doNothing())
    .execute();
}

export async function listConfirmations(db: Executor, listingId: string): Promise<Confirmation[]> {
  const rows = await db
    .selectFrom('opening_confirmations')
    .select(['holder_id', 'township_staff', 'share_kept'])
    .where('listing_id', '=', listingId)
    .orderBy('confirmed_at')
    .execute();
  return rows.map((r) => ({ holderId: r.holder_id, townshipStaff: r.township_staff, shareKept: r.share_kept }));
}

export async function hasConfirmed(db: Executor, listingId: string, holderId: string): Promise<boolean> {
  const row = await db
    .selectFrom('opening_confirmations')
    .select('holder_id')
    .where('listing_id', '=', listingId)
    .where('holder_id', '=', holderId)
    .executeTakeFirst();
  return Boolean(row);
}

/** After the opening the kept shares have done their work: they go. */
export async function deleteConfirmations(trx: Trx, listingId: string): Promise<void> {
  await trx.deleteFrom('opening_confirmations').where('listing_id', '=', listingId).execute();
}

// ---- offers not yet opened (they name neither listing nor bidder)

export interface SealedBidRow {
  id: string;
  ownerTag: Buffer;
  offer: Buffer;
  ownerCopy: Buffer;
}

/** The bidder's one offer per listing: a new one replaces the old (same tag). */
export async function upsertSealedBid(trx: Trx, b: SealedBidRow): Promise<void> {
  await trx
    .insertInto('sealed_bids')
    .values({ id: b.id, owner_tag: b.ownerTag, offer: b.offer, owner_copy: b.ownerCopy })
    .onConflict((oc) => oc.column('owner_tag').doUpdateSet({ id: b.id, offer: b.offer, owner_copy: b.ownerCopy }))
    .execute();
}

export async function insertSealedBids(trx: Trx, rows: Omit<SealedBidRow, 'id'>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('sealed_bids')
    .values(rows.map((b) => ({ owner_tag: b.ownerTag, offer: b.offer, owner_copy: b.ownerCopy })))
    .execute();
}

export async function findSealedBidsByTags(db: Executor, tags: Buffer[]): Promise<SealedBidRow[]> {
  if (tags.length === 0) return [];
  const rows = await db.selectFrom('sealed_bids').selectAll().where('owner_tag', 'in', tags).execute();
  return rows.map((r) => ({ id: r.id, ownerTag: r.owner_tag, offer: r.offer, ownerCopy: r.owner_copy }));
}

export async function deleteSealedBidByTag(trx: Trx, tag: Buffer): Promise<number> {
  const r = await trx.deleteFrom('sealed_bids').where('owner_tag', '=', tag).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Every offer not yet opened, of every listing: the opening tries its key on each. */
export async function listAllSealedOffers(trx: Trx): Promise<{ id: string; offer: Buffer }[]> {
  return trx.selectFrom('sealed_bids').select(['id', 'offer']).execute();
}

export async function deleteSealedBids(trx: Trx, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('sealed_bids').where('id', 'in', ids).execute();
}

/** Opened offers join the bids table, in the shape of every other opened bid. */
export async function insertOpenedOffers(
  trx: Trx,
  rows: {
    id: string;
    listingId: string;
    bidderId: string;
    offer: Buffer;
    nonce: string;
    receipt: string;
    submittedAt: Date;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('bids')
    .values(
      rows.map((b) => ({
        id: b.id,
        listing_id: b.listingId,
        bidder_id: b.bidderId,
        amount_sealed: b.offer,
        nonce: b.nonce,
        receipt: b.receipt,
        submitted_at: b.submittedAt,
      })),
    )
    .execute();
}
