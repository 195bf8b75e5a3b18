import crypto from 'node:crypto';
import type { AppContext } from '../../server/context';
import type { Township } from '../../server/townships/townships';
import { makeTownship, makeUser } from './context';
import { makeBids, makeListing } from './fixtures';
import { countDeal } from '../../server/stats/deal-days.repository';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type Who = 'anon' | 'bidder' | 'staffA' | 'staffB' | 'auditor' | 'admin';
export const EVERYONE: Who[] = ['anon', 'bidder', 'staffA', 'staffB', 'auditor', 'admin'];
export const USERS: Who[] = ['bidder', 'staffA', 'staffB', 'auditor', 'admin'];
type User = Awaited<ReturnType<typeof makeUser>>;

/** A township pair and one user of every role: staffA works for township A, where the listings are. */
export interface World {
  a: Township;
  b: Township;
  users: Record<Exclude<Who, 'anon'>, User>;
  /** a second bidder, who bids on the listings so the first one can act on them too */
  rival: User;
}

export async function makeWorld(ctx: AppContext): Promise<World> {
  const a = await makeTownship(ctx);
  const b = await makeTownship(ctx);
  const users = {
    bidder: await makeUser(ctx, 'bidder'),
    staffA: await makeUser(ctx, 'staff', { townshipId: a.id }),
    staffB: await makeUser(ctx, 'staff', { townshipId: b.id }),
    auditor: await makeUser(ctx, 'auditor'),
    admin: await makeUser(ctx, 'admin'),
  };
  return { a, b, users, rival: await makeUser(ctx, 'bidder') };
}

/** Values for the `:params` of a route, built fresh so that allowed writes never spoil other cases. */
export type Params = Record<string, string>;
export type SceneName = 'none' | 'draft' | 'open' | 'closed' | 'deposit' | 'opened' | 'awarded' | 'cancelled';

async function addAward(ctx: AppContext, listingId: string, bidId: string, bidderId: string, awardedAt: Date) {
  await ctx.db
    .insertInto('awards')
    .values({
      listing_id: listingId,
      bid_id: bidId,
      bidder_id: bidderId,
      kind: 'procurement',
      base_price: '50000.00',
      amount: '42000.00',
      savings: '8000.00',
      savings_rate: '0.1600',
      awarded_at: awardedAt,
      publicity_ends_at: new Date(awardedAt.getTime() + 3 * DAY),
    })
    .execute();
  await countDeal(ctx.db, listingId);
}

/**
 * Builds a small, realistic data set for one route: a listing of township A in the named state
 * (with a question, a document, registrations, bids, an award and an objection where they fit),
 * plus a notification for the bidder and a calendar day. Returns every path parameter a route may need.
 */
export async function buildScene(ctx: AppContext, w: World, scene: SceneName): Promise<Params> {
  const bidder = w.users.bidder;
  const note = await ctx.db
    .insertInto('notifications')
    .values({ user_id: bidder.id, message_key: 'error.NOT_FOUND', params: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const day = new Date(Date.UTC(2030 + crypto.randomInt(0, 60), crypto.randomInt(0, 12), crypto.randomInt(1, 28)))
    .toISOString()
    .slice(0, 10);
  await ctx.db
    .insertInto('calendar_days')
    .values({ day, kind: 'holiday', name: 'test' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const base: Params = { notificationId: note.id, day, townshipId: w.a.id };
  if (scene === 'none') return { ...base, id: w.a.id };

  const now = Date.now();
  const shapes: Record<Exclude<SceneName, 'none'>, Parameters<typeof makeListing>[1]> = {
    draft: { townshipId: w.a.id, state: 'draft' },
    open: { townshipId: w.a.id, state: 'published' },
    closed: {
      townshipId: w.a.id,
      state: 'published',
      bidOpensAt: new Date(now - 3 * DAY),
      bidDeadline: new Date(now - HOUR),
    },
    deposit: { townshipId: w.a.id, state: 'published', depositAmount: '1000.00' },
    opened: {
      townshipId: w.a.id,
      state: 'opened',
      bidOpensAt: new Date(now - 3 * DAY),
      bidDeadline: new Date(now - HOUR),
    },
    awarded: {
      townshipId: w.a.id,
      state: 'awarded',
      depositAmount: '1000.00',
      bidOpensAt: new Date(now - 3 * DAY),
      bidDeadline: new Date(now - 2 * HOUR),
    },
    cancelled: { townshipId: w.a.id, state: 'cancelled' },
  };
  const listing = await makeListing(ctx, shapes[scene]);
  const params: Params = { ...base, id: listing.id };

  const q = await ctx.db
    .insertInto('questions')
    .values({ listing_id: listing.id, asker_id: w.rival.id, text: '工期多长？' })
    .returning('id')
    .executeTakeFirstOrThrow();
  params.qid = q.id;
  const doc = await ctx.db
    .insertInto('listing_documents')
    .values({
      listing_id: listing.id,
      filename: 'notice.pdf',
      mime_type: 'application/pdf',
      size_bytes: 8,
      content: Buffer.from('%PDF-1.4'),
      sha256: crypto.createHash('sha256').update('%PDF-1.4').digest('hex'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  params.docId = doc.id;
  // the rival's registration: pending while bidding runs, refundable once the award is made
  const reg = await ctx.db
    .insertInto('registrations')
    .values({
      listing_id: listing.id,
      bidder_id: w.rival.id,
      status: scene === 'awarded' ? 'refundable' : 'pending',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  params.regId = reg.id;

  if (scene === 'opened' || scene === 'awarded') {
    const bids = await makeBids(ctx, listing.id, [
      { bidderId: w.rival.id, amount: '42000.00' },
      { bidderId: bidder.id, amount: '45000.00' },
    ]);
    if (scene === 'awarded') {
      await addAward(ctx, listing.id, bids[0].id, w.rival.id, new Date(now - HOUR));
      const objection = await ctx.db
        .insertInto('objections')
        .values({ listing_id: listing.id, bidder_id: bidder.id, text: '评标有误' })
        .returning('id')
        .executeTakeFirstOrThrow();
      params.oid = objection.id;
    }
  }
  params.oid ??= crypto.randomUUID();
  return params;
}
