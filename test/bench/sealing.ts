import crypto from 'node:crypto';
import { sql } from 'kysely';
import { insertUser } from '../../server/accounts/accounts.repository';
import { submitBid } from '../../server/bids/bids.service';
import { openBids } from '../../server/bids/opening.service';
import { ownerTagOf, sealOffer, sealOwnerCopy } from '../../server/bids/sealed-offers';
import { confirmOpening, createListingSeal } from '../../server/bids/sealing.service';
import type { Db } from '../../server/db/db';
import { Decimal } from '../../server/http/money';
import { passwordKek, publicOf } from '../../server/keys/crypto';
import { ensurePersonalKey, kekParamsOf, storeNewPersonalKey, UnlockedKey } from '../../server/keys/keys.service';
import { defaultRules } from '../../server/townships/townships';
import { insertTownship, upsertRules } from '../../server/townships/townships.repository';
import { benchContext } from './bench-client';

// Sealing costs (API.md "Sealing that no single insider can open"), in process against the bench
// database: one bid sealed to the listing's key and to its bidder's key, and the opening of 500
// sealed bids at quorum 2 (an auditor's confirmation, then the staff member's open with password).

export const SEALED_BIDS = 500;
const PASSWORD = 'bench sealing password';

export interface SealingResult {
  bids: number;
  /** the crypto of one bid alone: two ECIES boxes and the owner tag */
  sealCryptoMs: number;
  /** one submitBid through the service (listing lock, clock, crypto, upsert, commit), median */
  submitMedianMs: number;
  /** the auditor's confirmation (argon2id of the password, share re-encrypted) */
  confirmMs: number;
  /** POST …/open's work: the opener's confirmation, key rebuilt, every offer tried and opened, ranked, stored, audited, notified */
  openMs: number;
  openedBids: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runSealingBench(db: Db): Promise<SealingResult> {
  const ctx = benchContext(db);
  const run = crypto.randomBytes(3).toString('hex');
  const township = await insertTownship(db, {
    code: `SEAL${run}`.toUpperCase(),
    name: `封标镇${run}`,
    district: '封标区',
  });
  const rules = defaultRules();
  await upsertRules(db, township.id, {
    ...rules,
    openingQuorum: 2,
    procurement: { ...rules.procurement, minValidBids: 1 },
  });
  const passwordHash = await ctx.hasher.hash(PASSWORD);
  const staff = await insertUser(db, {
    username: `seal_staff_${run}`,
    passwordHash,
    role: 'staff',
    townshipId: township.id,
    name: '封标工作人员',
  });
  const auditor = await insertUser(db, {
    username: `seal_audit_${run}`,
    passwordHash,
    role: 'auditor',
    name: '封标监督人',
  });
  for (const u of [staff, auditor]) (await ensurePersonalKey(ctx, u.id, PASSWORD)).fill(0);

  const listing = await db
    .insertInto('listings')
    .values({
      code: `SEAL-${run}`,
      township_id: township.id,
      kind: 'procurement',
      category: 'works',
      title: '封标基准项目',
      description: '500 份密封报价',
      base_price: '50000.00',
      deposit_amount: '0.00',
      bid_opens_at: new Date(Date.now() - 3600_000),
      bid_deadline: new Date(Date.now() + 3600_000),
      state: 'published',
      published_at: new Date(Date.now() - 86400_000),
    })
    .returning(['id', 'township_id'])
    .executeTakeFirstOrThrow();
  const seal = await db
    .transaction()
    .execute((trx) => createListingSeal(trx, { id: listing.id, townshipId: listing.township_id }, 2));

  // bidders with personal keys, as sign-in leaves them for one session (one argon2id for them all)
  const salt = crypto.randomBytes(16);
  const params = kekParamsOf(ctx);
  const kek = { key: await passwordKek(PASSWORD, salt, params), salt, params };
  const bidders: { user: Awaited<ReturnType<typeof insertUser>>; key: UnlockedKey }[] = [];
  for (let i = 0; i < SEALED_BIDS; i += 1) {
    const user = await insertUser(db, {
      username: `seal_b_${run}_${i}`,
      passwordHash: 'bench-no-login',
      role: 'bidder',
      name: `封标投标人${i}`,
      idNumber: `36080219900102${String(i).padStart(4, '0')}`,
      phone: `137${String(i).padStart(8, '0')}`,
    });
    const privateKey = await storeNewPersonalKey(ctx, user.id, kek);
    bidders.push({ user, key: { userId: user.id, publicKey: publicOf(privateKey), privateKey } });
  }

  // the crypto of one bid, alone
  const t0 = process.hrtime.bigint();
  for (const { user, key } of bidders) {
    const tag = ownerTagOf(key.privateKey, listing.id);
    const amount = new Decimal('42000.00');
    const at = new Date().toISOString();
    const nonce = crypto.randomBytes(16).toString('hex');
    sealOffer(seal.publicKey, { listingId: listing.id, bidderId: user.id, amount, submittedAt: at, nonce });
    sealOwnerCopy(key.publicKey, tag, {
      id: user.id,
      listingId: listing.id,
      amount,
      submittedAt: at,
      nonce,
      receipt: nonce,
    });
  }
  const sealCryptoMs = Number(process.hrtime.bigint() - t0) / 1e6 / bidders.length;

  // every bidder bids through the service
  const submits: number[] = [];
  for (const [i, { user, key }] of bidders.entries()) {
    const s = process.hrtime.bigint();
    await submitBid(ctx, user, listing.id, (40000 + i).toFixed(2), key);
    submits.push(Number(process.hrtime.bigint() - s) / 1e6);
  }

  await sql`UPDATE listings SET bid_deadline = now() - interval '1 second' WHERE id = ${listing.id}`.execute(db);
  const c0 = process.hrtime.bigint();
  await confirmOpening(ctx, auditor, listing.id, PASSWORD);
  const confirmMs = Number(process.hrtime.bigint() - c0) / 1e6;
  const o0 = process.hrtime.bigint();
  const opened = await openBids(ctx, staff, listing.id, PASSWORD);
  const openMs = Number(process.hrtime.bigint() - o0) / 1e6;
  for (const b of bidders) b.key.privateKey.fill(0);
  return {
    bids: SEALED_BIDS,
    sealCryptoMs,
    submitMedianMs: median(submits),
    confirmMs,
    openMs,
    openedBids: opened.bids.filter((b) => b.amount !== null).length,
  };
}
