import { z } from 'zod';
import type { AppContext } from '../context';
import { appendAudit } from '../trail/append';
import type { AuthUser } from '../http/access';
import { FieldErrors, ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import { Decimal, formatMoney, parseMoney } from '../http/money';
import { isoDateTime, parseInput, text } from '../http/validate';
import { rulesWithin, townshipWithin } from '../townships/townships.service';
import { assertTransition } from './lifecycle';
import { formatListingCode, Listing } from './listings';
import { effectiveStatus, isRevealed, LISTING_STATUSES } from './status';
import { loadListing, transitionListing } from './life';
import * as repo from './listings.repository';
import { AREA_UNITS, parseArea, PRICE_BASES } from './price-basis';
import { checkTerms, ListingTerms } from './terms';
import './listings.messages';

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

/** One schema for the terms; money stays unknown here and goes through parseMoney (INVALID_AMOUNT). */
export const termsInput = z.object({
  kind: z.enum(['procurement', 'lease']),
  category: z.string().trim().min(1).max(40),
  title: text(200),
  description: z.string().trim().max(5000).optional(),
  location: optionalText(200),
  quantity: optionalText(200),
  basePrice: z.unknown(),
  depositAmount: z.unknown().optional(),
  leaseTermMonths: z.number().int().min(1).max(1200).nullable().optional(),
  priceBasis: z.enum(PRICE_BASES).optional(),
  area: z.unknown().optional(),
  areaUnit: z.enum(AREA_UNITS).nullable().optional(),
  bidOpensAt: isoDateTime,
  bidDeadline: isoDateTime,
  method: z.enum(['sealed', 'auction']).optional(),
  increment: z.unknown().optional(),
  extensionSeconds: z.number().int().min(1).max(86_400).nullable().optional(),
});
type TermsInput = z.infer<typeof termsInput>;

export const cancelInput = z.object({ reason: text(1000) });
/** Creating also names the township, which must be the staff user's own (API.md: never silently replaced). */
const createInput = termsInput.extend({ townshipId: z.string().optional() });

/** Raw (validated) input over existing terms: what PATCH sends replaces, what it omits stays. */
function toTerms(raw: Partial<TermsInput>, base?: ListingTerms): ListingTerms {
  if (!base && raw.basePrice === undefined) throw new ValidationError({ basePrice: { key: 'field.required' } });
  const money = (v: unknown, fallback: Decimal | undefined, allowZero: boolean) =>
    v === undefined || (allowZero && v === null) ? (fallback ?? new Decimal(0)) : parseMoney(v, { allowZero });
  const kind = raw.kind ?? base!.kind;
  // a lease keeps its basis and area across edits; when a draft becomes procurement they go, unless sent
  const keep = kind === 'lease' && base?.kind === 'lease';
  return {
    kind,
    category: raw.category ?? base!.category,
    title: raw.title ?? base!.title,
    description: raw.description ?? base?.description ?? '',
    location: raw.location !== undefined ? raw.location || null : (base?.location ?? null),
    quantity: raw.quantity !== undefined ? raw.quantity || null : (base?.quantity ?? null),
    basePrice: money(raw.basePrice, base?.basePrice, false),
    depositAmount: money(raw.depositAmount, base?.depositAmount, true),
    leaseTermMonths:
      kind === 'lease'
        ? raw.leaseTermMonths !== undefined
          ? raw.leaseTermMonths
          : (base?.leaseTermMonths ?? null)
        : null,
    priceBasis: raw.priceBasis ?? (keep ? base.priceBasis : 'term'),
    area: raw.area !== undefined ? areaOf(raw.area) : keep ? base.area : null,
    areaUnit: raw.areaUnit !== undefined ? raw.areaUnit : keep ? base.areaUnit : null,
    bidOpensAt: raw.bidOpensAt ? new Date(raw.bidOpensAt) : base!.bidOpensAt,
    bidDeadline: raw.bidDeadline ? new Date(raw.bidDeadline) : base!.bidDeadline,
    ...saleTerms(raw, base),
  };
}

/** How the listing is sold; an auction needs its increment (money > 0) and extension window (seconds ≥ 1). */
function saleTerms(
  raw: Partial<TermsInput>,
  base?: ListingTerms,
): Pick<ListingTerms, 'method' | 'increment' | 'extensionSeconds'> {
  const method = raw.method ?? base?.method ?? 'sealed';
  if (method === 'sealed') return { method, increment: null, extensionSeconds: null };
  const fields: FieldErrors = {};
  let increment = base?.increment ?? null;
  if (raw.increment === null || raw.increment === '') increment = null;
  else if (raw.increment !== undefined) {
    try {
      increment = parseMoney(raw.increment);
    } catch {
      fields.increment = { key: 'listings.incrementInvalid' };
    }
  }
  if (!increment && !fields.increment) fields.increment = { key: 'listings.incrementRequired' };
  const extensionSeconds = raw.extensionSeconds !== undefined ? raw.extensionSeconds : (base?.extensionSeconds ?? null);
  if (extensionSeconds === null) fields.extensionSeconds = { key: 'listings.extensionRequired' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { method, increment, extensionSeconds };
}

function areaOf(v: unknown) {
  if (v === null || v === '') return null;
  const area = parseArea(v);
  if (!area) throw new ValidationError({ area: { key: 'listings.areaInvalid' } });
  return area;
}

function termsOf(l: Listing): ListingTerms {
  const {
    kind,
    category,
    title,
    description,
    location,
    quantity,
    basePrice,
    depositAmount,
    leaseTermMonths,
    priceBasis,
    area,
    areaUnit,
    bidOpensAt,
    bidDeadline,
    method,
    increment,
    extensionSeconds,
  } = l;
  return {
    kind,
    category,
    title,
    description,
    location,
    quantity,
    basePrice,
    depositAmount,
    leaseTermMonths,
    priceBasis,
    area,
    areaUnit,
    bidOpensAt,
    bidDeadline,
    method,
    increment,
    extensionSeconds,
  };
}

/** What the audit trail keeps of the terms (never anything about bids). */
function auditTerms(t: ListingTerms) {
  return {
    kind: t.kind,
    category: t.category,
    title: t.title,
    basePrice: formatMoney(t.basePrice),
    depositAmount: formatMoney(t.depositAmount),
    leaseTermMonths: t.leaseTermMonths,
    priceBasis: t.priceBasis,
    area: t.area ? t.area.toFixed(2) : null,
    areaUnit: t.areaUnit,
    bidOpensAt: t.bidOpensAt.toISOString(),
    bidDeadline: t.bidDeadline.toISOString(),
    method: t.method,
    ...(t.method === 'auction'
      ? { increment: t.increment ? formatMoney(t.increment) : null, extensionSeconds: t.extensionSeconds }
      : {}),
  };
}

/** Staff create in their own township; anyone else is refused before anything is read. */
function staffTownship(user: AuthUser): string {
  if (user.role !== 'staff' || !user.townshipId) throw new ForbiddenError();
  return user.townshipId;
}

async function insertDraft(
  trx: Parameters<typeof repo.insertListing>[0],
  user: AuthUser,
  townshipId: string,
  terms: ListingTerms,
  relistedFrom: string | null,
): Promise<Listing> {
  const township = await townshipWithin(trx, townshipId);
  if (!township) throw new NotFoundError();
  const { year, number } = await repo.takeNextListingNumber(trx, townshipId);
  const listing = await repo.insertListing(trx, {
    code: formatListingCode(township.code, year, number),
    townshipId,
    createdBy: user.id,
    relistedFrom,
    terms,
  });
  await appendAudit(trx, {
    actor: user.username,
    action: relistedFrom ? 'listing.relisted' : 'listing.created',
    listingId: listing.id,
    data: { code: listing.code, relistedFrom, ...auditTerms(terms) },
  });
  return listing;
}

export async function createListing(ctx: AppContext, user: AuthUser, body: unknown): Promise<Listing> {
  const townshipId = staffTownship(user);
  const input = parseInput(createInput, body);
  if (input.townshipId !== undefined && input.townshipId !== townshipId)
    throw new ForbiddenError('error.FORBIDDEN.township');
  const terms = toTerms(input);
  return ctx.db.transaction().execute(async (trx) => {
    checkTerms(terms, await rulesWithin(trx, townshipId), new Date()); // as if published now
    return insertDraft(trx, user, townshipId, terms, null);
  });
}

export async function updateListing(ctx: AppContext, user: AuthUser, id: string, body: unknown): Promise<Listing> {
  staffTownship(user);
  const raw = parseInput(termsInput.partial(), body);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, id, { access: 'staff', lock: true });
    assertTransition(effectiveStatus(listing, new Date()), 'edit');
    const terms = toTerms(raw, termsOf(listing));
    checkTerms(terms, await rulesWithin(trx, listing.townshipId), new Date());
    const updated = await repo.updateListingTerms(trx, id, terms);
    await appendAudit(trx, { actor: user.username, action: 'listing.updated', listingId: id, data: auditTerms(terms) });
    return updated;
  });
}

export async function publishListing(ctx: AppContext, user: AuthUser, id: string): Promise<Listing> {
  staffTownship(user);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, id, { access: 'staff', lock: true });
    assertTransition(effectiveStatus(listing, new Date()), 'publish');
    const rules = await rulesWithin(trx, listing.townshipId);
    checkTerms(termsOf(listing), rules, new Date()); // rules or the clock may have moved since the draft
    const { listing: published } = await transitionListing(trx, listing, 'publish');
    // a sealed listing's key: split among its holders, then forgotten (bids/sealing.service.ts)
    if (listing.method === 'sealed') await ctx.listingSteps.sealOnPublish(trx, listing, rules);
    await appendAudit(trx, {
      actor: user.username,
      action: 'listing.published',
      listingId: id,
      data: { code: listing.code, publishedAt: published.publishedAt!.toISOString() },
    });
    return published;
  });
}

export async function cancelListing(ctx: AppContext, user: AuthUser, id: string, body: unknown): Promise<Listing> {
  staffTownship(user);
  const { reason } = parseInput(cancelInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, id, { access: 'staff', lock: true });
    const { listing: cancelled, from } = await transitionListing(trx, listing, 'cancel', { cancelReason: reason });
    // a running auction ends now: its watchers on every instance get `end` and their streams close
    if (listing.method === 'auction') await ctx.listingSteps.endAuctionOnCancel(trx, listing);
    await appendAudit(trx, {
      actor: user.username,
      action: 'listing.cancelled',
      listingId: id,
      data: { code: listing.code, from, reason },
    });
    return cancelled;
  });
}

/** A failed or cancelled deal comes back as a new draft with the same terms; dates are set again before publishing. */
export async function relistListing(ctx: AppContext, user: AuthUser, id: string): Promise<Listing> {
  staffTownship(user);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, id, { access: 'staff', lock: true });
    assertTransition(effectiveStatus(listing, new Date()), 'relist');
    return insertDraft(trx, user, listing.townshipId, termsOf(listing), listing.id);
  });
}

export async function getVisibleListing(ctx: AppContext, viewer: AuthUser | undefined, id: string): Promise<Listing> {
  return loadListing(ctx.db, viewer, id, { access: 'view' });
}

/** The bid count is read only once bids are opened (sealed means not even how many). */
export async function revealedBidCount(ctx: AppContext, l: Listing): Promise<number | undefined> {
  if (!isRevealed(l)) return undefined;
  return ctx.listingSteps.countLiveBids(ctx, l.id);
}

const pageNumber = (max: number) => z.coerce.number().int().min(1).max(max);
export const searchInput = z.object({
  townshipId: z.string().optional(),
  status: z.enum(LISTING_STATUSES).optional(),
  kind: z.enum(['procurement', 'lease']).optional(),
  category: z.string().max(40).optional(),
  q: z.string().trim().max(100).optional(),
  page: pageNumber(100_000).default(1),
  pageSize: pageNumber(100).default(20),
});

export async function searchVisibleListings(ctx: AppContext, viewer: AuthUser | undefined, query: unknown) {
  const s = parseInput(
    searchInput,
    Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([, v]) => v !== '')),
  );
  const draftsOfTownship = viewer?.role === 'staff' ? viewer.townshipId : null;
  if (s.townshipId !== undefined && !/^[0-9a-f-]{36}$/i.test(s.townshipId))
    return { items: [] as Listing[], total: 0, page: s.page, pageSize: s.pageSize };
  const result = await repo.searchListings(ctx.db, {
    ...s,
    q: s.q || undefined,
    draftsOfTownship,
  });
  return { ...result, page: s.page, pageSize: s.pageSize };
}

/** The staff dashboard: every listing of the caller's township, drafts included (500 at most). */
export async function listTownshipListings(ctx: AppContext, user: AuthUser): Promise<Listing[]> {
  const townshipId = staffTownship(user);
  const { items } = await repo.searchListings(ctx.db, {
    townshipId,
    draftsOfTownship: townshipId,
    page: 1,
    pageSize: 500,
  });
  return items;
}

/** Published auctions with their current end (endsAt): what each instance's end timers watch (server/auctions/). */
export async function listPublishedAuctions(ctx: AppContext): Promise<Listing[]> {
  return repo.findPublishedAuctions(ctx.db);
}

/** At most `limit` auctions taking bids now in these townships, the soonest end first (the hall's screens). */
export async function listOpenAuctions(ctx: AppContext, townshipIds: string[], limit: number): Promise<Listing[]> {
  return repo.findOpenAuctions(ctx.db, townshipIds, limit);
}
