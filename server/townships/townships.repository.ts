import type { Executor } from '../db/db';
import type { TownshipRulesRow } from '../db/database';
import { Decimal } from '../http/money';
import { Township, TownshipRules } from './townships';

const townshipColumns = ['id', 'code', 'name', 'district'] as const;

export async function anyTownship(db: Executor): Promise<boolean> {
  return (await db.selectFrom('townships').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function listTownships(db: Executor, district?: string): Promise<Township[]> {
  let q = db.selectFrom('townships').select(townshipColumns).orderBy('district').orderBy('code');
  if (district) q = q.where('district', '=', district);
  return q.execute();
}

export async function findTownship(db: Executor, id: string): Promise<Township | undefined> {
  return db.selectFrom('townships').select(townshipColumns).where('id', '=', id).executeTakeFirst();
}

export async function findTownshipByCode(db: Executor, code: string): Promise<Township | undefined> {
  return db.selectFrom('townships').select(townshipColumns).where('code', '=', code).executeTakeFirst();
}

export async function insertTownship(db: Executor, t: Omit<Township, 'id'>): Promise<Township> {
  return db.insertInto('townships').values(t).returning(townshipColumns).executeTakeFirstOrThrow();
}

export async function findDisclosures(db: Executor, townshipId: string): Promise<Record<string, string>> {
  const row = await db.selectFrom('townships').select('disclosures').where('id', '=', townshipId).executeTakeFirst();
  return row?.disclosures ?? {};
}

export async function updateDisclosures(
  db: Executor,
  townshipId: string,
  disclosures: Record<string, string>,
): Promise<void> {
  await db
    .updateTable('townships')
    .set({ disclosures: JSON.stringify(disclosures) })
    .where('id', '=', townshipId)
    .execute();
}

function toRules(row: TownshipRulesRow): TownshipRules {
  return {
    procurement: {
      minAmount: new Decimal(row.procurement_min),
      maxAmount: new Decimal(row.procurement_max),
      minValidBids: row.procurement_min_valid_bids,
    },
    lease: {
      minAmount: new Decimal(row.lease_min),
      maxAmount: new Decimal(row.lease_max),
      minValidBids: row.lease_min_valid_bids,
    },
    minNoticeDays: row.min_notice_days,
    publicityDays: row.publicity_days,
    openWithinHours: row.open_within_hours,
    awardWithinDays: row.award_within_days,
    contractWithinDays: row.contract_within_days,
    deposit: { account: row.deposit_account, dueHours: row.deposit_due_hours, refundRule: row.deposit_refund_rule },
    openingQuorum: row.opening_quorum,
  };
}

export async function findRules(db: Executor, townshipId: string): Promise<TownshipRules | undefined> {
  const row = await db
    .selectFrom('township_rules')
    .selectAll()
    .where('township_id', '=', townshipId)
    .executeTakeFirst();
  return row ? toRules(row) : undefined;
}

export async function upsertRules(db: Executor, townshipId: string, r: TownshipRules): Promise<void> {
  const values = {
    procurement_min: r.procurement.minAmount.toFixed(2),
    procurement_max: r.procurement.maxAmount.toFixed(2),
    procurement_min_valid_bids: r.procurement.minValidBids,
    lease_min: r.lease.minAmount.toFixed(2),
    lease_max: r.lease.maxAmount.toFixed(2),
    lease_min_valid_bids: r.lease.minValidBids,
    min_notice_days: r.minNoticeDays,
    publicity_days: r.publicityDays,
    open_within_hours: r.openWithinHours,
    award_within_days: r.awardWithinDays,
    contract_within_days: r.contractWithinDays,
    deposit_account: r.deposit.account,
    deposit_due_hours: r.deposit.dueHours,
    deposit_refund_rule: r.deposit.refundRule,
    opening_quorum: r.openingQuorum,
  };
  await db
    .insertInto('township_rules')
    .values({ township_id: townshipId, ...values })
    .onConflict((oc) => oc.column('township_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}
