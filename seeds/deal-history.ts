import { sql } from 'kysely';
import type { AppContext } from '../server/context';
import type { Trx } from '../server/db/db';
import { appendAudit } from '../server/trail/append';
import { computeSavings } from '../server/awards/savings';
import { computeReceipt, makeNonce, sealAmount } from '../server/bids/seal';
import { createListingSeal } from '../server/bids/sealing.service';
import { Decimal } from '../server/http/money';
import { countDeal } from '../server/stats/deal-days.service';
import { defaultRules } from '../server/townships/townships';
import type { SeedStep } from './seed';
import { planDealHistory, TownshipCode } from './deal-history.plan';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const BIDDERS = ['bidder1', 'bidder2', 'bidder3'];
const STAFF: Record<TownshipCode, string> = { XQ: 'xq_staff', CT: 'ct_staff', QL: 'ql_staff' };

/** One listing to write: its terms, its clock, and what happened to it. */
interface SeedListing {
  township: TownshipCode;
  kind: 'procurement' | 'lease';
  category: string;
  title: string;
  basePrice: Decimal;
  depositAmount?: Decimal;
  leaseTermMonths: number | null;
  publishedAt: Date;
  bidOpensAt: Date;
  bidDeadline: Date;
  state: 'published' | 'opened' | 'failed' | 'awarded' | 'concluded';
  openedAt: Date | null;
  bids: { bidder: number; amount: Decimal }[];
  award?: { awardedAt: Date; publicityDays: number };
  contractSignedAt?: Date | null;
  objection?: { bidder: number; text: string };
}

/** The 65 historic deals (all awarded; the last three still under publicity) on the deal's own clock. */
function historicDeals(now: Date): SeedListing[] {
  return planDealHistory(now).map((d, i) => {
    const openedAt = new Date(d.awardedAt.getTime() - DAY);
    const bidDeadline = new Date(openedAt.getTime() - HOUR);
    const bidOpensAt = new Date(bidDeadline.getTime() - 4 * DAY);
    return {
      township: d.township,
      kind: d.kind,
      category: d.category,
      title: d.title,
      basePrice: d.basePrice,
      leaseTermMonths: d.leaseTermMonths,
      publishedAt: new Date(bidOpensAt.getTime() - 6 * DAY),
      bidOpensAt,
      bidDeadline,
      openedAt,
      state: d.contractSignedAt ? 'concluded' : 'awarded',
      bids: d.bids,
      award: { awardedAt: d.awardedAt, publicityDays: 3 },
      contractSignedAt: d.contractSignedAt,
      // one result under publicity has an open objection, so the objection pages have work to show
      objection:
        i === 64
          ? { bidder: d.bids[1].bidder, text: '对第一名的施工资质有疑问，请核实其资质证书是否在有效期内。' }
          : undefined,
    };
  });
}

/** What is happening right now: open and announced calls, failed ones, one opened awaiting its award. */
function currentListings(now: Date): SeedListing[] {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const d = (s: string) => new Decimal(s);
  return [
    {
      township: 'XQ',
      kind: 'procurement',
      category: 'works',
      title: '兴桥镇樟山村村道硬化工程（二期）',
      basePrice: d('180000.00'),
      leaseTermMonths: null,
      publishedAt: at(-8),
      bidOpensAt: at(-2),
      bidDeadline: at(3),
      state: 'published',
      openedAt: null,
      bids: [],
    },
    {
      township: 'QL',
      kind: 'procurement',
      category: 'goods',
      title: '曲濑镇坪里村防汛物资储备采购',
      basePrice: d('45000.00'),
      leaseTermMonths: null,
      publishedAt: at(-7),
      bidOpensAt: at(-1),
      bidDeadline: at(4),
      state: 'published',
      openedAt: null,
      bids: [],
    },
    {
      township: 'CT',
      kind: 'lease',
      category: 'shop',
      title: '长塘镇农贸市场5号店面出租',
      basePrice: d('24000.00'),
      depositAmount: d('1000.00'),
      leaseTermMonths: 36,
      publishedAt: at(-1),
      bidOpensAt: at(5),
      bidDeadline: at(10),
      state: 'published',
      openedAt: null,
      bids: [],
    },
    {
      township: 'XQ',
      kind: 'procurement',
      category: 'works',
      title: '兴桥镇南塘村山塘清淤工程',
      basePrice: d('120000.00'),
      leaseTermMonths: null,
      publishedAt: at(-40),
      bidOpensAt: at(-34),
      bidDeadline: at(-25),
      state: 'failed',
      openedAt: at(-25 + 1 / 24),
      bids: [
        { bidder: 0, amount: d('105000.00') },
        { bidder: 1, amount: d('112000.00') },
      ],
    },
    {
      township: 'QL',
      kind: 'lease',
      category: 'house',
      title: '曲濑镇塘东村集体闲置房屋出租',
      basePrice: d('6000.00'),
      leaseTermMonths: 36,
      publishedAt: at(-30),
      bidOpensAt: at(-24),
      bidDeadline: at(-16),
      state: 'failed',
      openedAt: at(-16 + 1 / 24),
      bids: [],
    },
    {
      township: 'CT',
      kind: 'procurement',
      category: 'works',
      title: '长塘镇秀溪村太阳能路灯安装工程',
      basePrice: d('68000.00'),
      leaseTermMonths: null,
      publishedAt: at(-12),
      bidOpensAt: at(-6),
      bidDeadline: at(-3 / 24),
      state: 'opened',
      openedAt: at(-2 / 24),
      bids: [
        { bidder: 2, amount: d('59800.00') },
        { bidder: 0, amount: d('61200.00') },
        { bidder: 1, amount: d('63500.00') },
      ],
    },
  ];
}

/** Listing codes, as the listings concept makes them: township code, year (Asia/Shanghai), number. */
function assignCodes(listings: SeedListing[]): { listing: SeedListing; code: string; year: number; number: number }[] {
  const counters = new Map<string, number>();
  return [...listings]
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())
    .map((listing) => {
      const year = new Date(listing.publishedAt.getTime() + 8 * HOUR).getUTCFullYear();
      const key = `${listing.township}-${year}`;
      const number = (counters.get(key) ?? 0) + 1;
      counters.set(key, number);
      return { listing, code: `${key}-${String(number).padStart(4, '0')}`, year, number };
    });
}

async function writeListing(
  trx: Trx,
  ctx: AppContext,
  ids: Parameters<SeedStep>[1],
  s: SeedListing,
  code: string,
): Promise<void> {
  const staffId = ids.users[STAFF[s.township]];
  const row = await trx
    .insertInto('listings')
    .values({
      code,
      township_id: ids.townships[s.township],
      kind: s.kind,
      category: s.category,
      title: s.title,
      description: `${s.title}。详见交易公告及附件。`,
      base_price: s.basePrice.toFixed(2),
      deposit_amount: (s.depositAmount ?? new Decimal(0)).toFixed(2),
      lease_term_months: s.leaseTermMonths,
      bid_opens_at: s.bidOpensAt,
      bid_deadline: s.bidDeadline,
      state: s.state,
      created_by: staffId,
      created_at: new Date(s.publishedAt.getTime() - DAY),
      updated_at: s.contractSignedAt ?? s.award?.awardedAt ?? s.openedAt ?? s.publishedAt,
      published_at: s.publishedAt,
      opened_at: s.openedAt,
      failed_at: s.state === 'failed' ? s.openedAt : null,
      concluded_at: s.contractSignedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // a listing still taking bids is sealed as publishing seals it: a key split among its holders
  if (s.state === 'published') {
    await createListingSeal(trx, { id: row.id, townshipId: ids.townships[s.township] }, defaultRules().openingQuorum);
  }

  // ranked best first: lowest for procurement, highest for a lease (the plan puts no ties)
  const ranked = [...s.bids].sort((a, b) =>
    s.kind === 'procurement' ? a.amount.comparedTo(b.amount) : b.amount.comparedTo(a.amount),
  );
  const bidIds: string[] = [];
  for (const [i, b] of s.bids.entries()) {
    const bidderId = ids.users[BIDDERS[b.bidder]];
    const submittedAt = new Date(s.bidOpensAt.getTime() + (i + 1) * 7 * HOUR);
    const nonce = makeNonce();
    const bid = await trx
      .insertInto('bids')
      .values({
        listing_id: row.id,
        bidder_id: bidderId,
        amount_sealed: sealAmount(ctx.sealKey, b.amount, row.id, bidderId),
        amount: b.amount.toFixed(2),
        nonce,
        receipt: computeReceipt({
          listingId: row.id,
          bidderId,
          amount: b.amount.toFixed(2),
          submittedAt: submittedAt.toISOString(),
          nonce,
        }),
        submitted_at: submittedAt,
        status: 'live',
        valid: true,
        rank: ranked.indexOf(b) + 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    bidIds.push(bid.id);
  }
  const trail = (action: string, occurredAt: Date, data: Record<string, unknown> = {}) =>
    appendAudit(trx, {
      actor: STAFF[s.township],
      action,
      listingId: row.id,
      // the step happened on the deal's own clock; the entry is written now, and says it was entered afterwards
      data: { code, ...data, occurredAt: occurredAt.toISOString(), imported: true },
    });
  await trail('listing.created', new Date(s.publishedAt.getTime() - DAY), { title: s.title, kind: s.kind });
  await trail('listing.published', s.publishedAt, { publishedAt: s.publishedAt.toISOString() });
  if (s.openedAt) {
    await trail(s.state === 'failed' ? 'listing.failed' : 'listing.opened', s.openedAt, {
      status: s.state === 'failed' ? 'failed' : 'opened',
      bidCount: s.bids.length,
      validBids: s.bids.length,
      bids: s.bids.map((b, i) => ({ bidId: bidIds[i], amount: b.amount.toFixed(2), rank: ranked.indexOf(b) + 1 })),
    });
  }
  if (!s.award) return;
  const winner = s.bids[0];
  const { savings, savingsRate } = computeSavings(s.kind, s.basePrice, winner.amount);
  await trx
    .insertInto('awards')
    .values({
      listing_id: row.id,
      bid_id: bidIds[0],
      bidder_id: ids.users[BIDDERS[winner.bidder]],
      kind: s.kind,
      base_price: s.basePrice.toFixed(2),
      amount: winner.amount.toFixed(2),
      savings: savings.toFixed(2),
      savings_rate: savingsRate.toFixed(4),
      awarded_by: staffId,
      awarded_at: s.award.awardedAt,
      publicity_ends_at: new Date(s.award.awardedAt.getTime() + s.award.publicityDays * DAY),
    })
    .execute();
  await countDeal(trx, row.id); // the daily deal totals, as recording the award counts it
  await trail('listing.awarded', s.award.awardedAt, {
    bidId: bidIds[0],
    bidderId: ids.users[BIDDERS[winner.bidder]],
    amount: winner.amount.toFixed(2),
    savings: savings.toFixed(2),
  });
  if (s.contractSignedAt) {
    await trail('listing.concluded', s.contractSignedAt, {
      signedAt: s.contractSignedAt.toISOString(),
      amount: winner.amount.toFixed(2),
    });
    await trx
      .insertInto('contracts')
      .values({
        listing_id: row.id,
        signed_at: s.contractSignedAt,
        amount: winner.amount.toFixed(2),
        recorded_by: staffId,
        recorded_at: s.contractSignedAt,
      })
      .execute();
  }
  if (!s.contractSignedAt) {
    // results still under publicity: their bidders have the award message in the inbox, as after a live award
    const winnerId = ids.users[BIDDERS[winner.bidder]];
    await ctx.notifier.send(
      trx,
      s.bids
        .map((b) => ids.users[BIDDERS[b.bidder]])
        .map((userId) => ({
          userId,
          listingId: row.id,
          messageKey: userId === winnerId ? 'notify.awardedWinner' : 'notify.awarded',
          params: { title: s.title, code },
        })),
    );
  }
  if (s.objection) {
    const raisedAt = new Date(s.award.awardedAt.getTime() + 6 * HOUR);
    const objection = await trx
      .insertInto('objections')
      .values({
        listing_id: row.id,
        bidder_id: ids.users[BIDDERS[s.objection.bidder]],
        text: s.objection.text,
        created_at: raisedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trail('objection.raised', raisedAt, { objectionId: objection.id });
  }
}

/**
 * 吉州区's trading history since 2011 plus what is going on now. Idempotent: the first historic
 * listing's code marks the step as done, and the whole step is one transaction.
 */
export const seedDealHistory: SeedStep = async (ctx, ids) => {
  const now = new Date();
  const coded = assignCodes([...historicDeals(now), ...currentListings(now)]);
  const marker = coded[0].code;
  if (await ctx.db.selectFrom('listings').select('id').where('code', '=', marker).executeTakeFirst()) return;
  await ctx.db.transaction().execute(async (trx) => {
    for (const { listing, code } of coded) await writeListing(trx, ctx, ids, listing, code);
    // the listings concept numbers new listings from these counters: keep them past the seeded codes
    for (const { listing, year, number } of coded) {
      await sql`INSERT INTO listing_code_counters (township_id, year, last_number) VALUES (${ids.townships[listing.township]}, ${year}, ${number})
        ON CONFLICT (township_id, year) DO UPDATE SET last_number = GREATEST(listing_code_counters.last_number, EXCLUDED.last_number)`.execute(
        trx,
      );
    }
    await appendAudit(trx, {
      actor: 'seed',
      action: 'seed.deal_history',
      data: { listings: coded.length, firstCode: marker },
    });
  });
};
