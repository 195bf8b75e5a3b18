import { z } from 'zod';
import type { Db } from '../db/db';
import type { AuthUser } from '../http/access';
import { appendAudit } from '../trail/trail.repository';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors';
import { parseMoney } from '../http/money';
import { parseInput, text } from '../http/validate';
import {
  DEFAULT_DISCLOSURES,
  defaultRules,
  DepositTerms,
  KindBand,
  rulesToJson,
  Township,
  TownshipRules,
} from './townships';
import * as repo from './townships.repository';
import './townships.messages';

export const townshipInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,16}$/),
    name: text(50),
    district: text(50),
  })
  .strict();

const count = z.number().int().min(0).max(10_000);
const bandInput = z.object({
  minAmount: z.unknown(),
  maxAmount: z.unknown(),
  minValidBids: z.number().int().min(1).max(100),
});
export const rulesInput = z.object({
  procurement: bandInput,
  lease: bandInput,
  minNoticeDays: count,
  publicityDays: count,
  openWithinHours: count,
  awardWithinDays: count,
  contractWithinDays: count,
  deposit: z
    .object({
      account: z.string().trim().max(500),
      dueHours: z.number().int().min(0).max(720),
      refundRule: z.string().trim().min(1).max(500),
    })
    .optional(),
  openingQuorum: z.number().int().min(1).max(255).optional(),
});

function toBand(name: string, raw: z.infer<typeof bandInput>): KindBand {
  const band = {
    minAmount: parseMoney(raw.minAmount),
    maxAmount: parseMoney(raw.maxAmount),
    minValidBids: raw.minValidBids,
  };
  if (band.minAmount.gt(band.maxAmount))
    throw new ValidationError({ [`${name}.minAmount`]: { key: 'townships.bandInverted' } });
  return band;
}

export function parseRules(body: unknown): TownshipRules {
  const raw = parseInput(rulesInput, body);
  return {
    ...raw,
    procurement: toBand('procurement', raw.procurement),
    lease: toBand('lease', raw.lease),
    deposit: raw.deposit ?? defaultRules().deposit,
    openingQuorum: raw.openingQuorum ?? defaultRules().openingQuorum,
  };
}

export async function createTownship(db: Db, actor: AuthUser, body: unknown): Promise<Township> {
  const input = parseInput(townshipInput, body);
  return db.transaction().execute(async (trx) => {
    if (await repo.findTownshipByCode(trx, input.code)) throw new ConflictError('CODE_TAKEN');
    const township = await repo.insertTownship(trx, input);
    await repo.upsertRules(trx, township.id, defaultRules());
    await repo.updateDisclosures(trx, township.id, DEFAULT_DISCLOSURES);
    await appendAudit(trx, {
      actor: actor.username,
      action: 'township.created',
      data: { townshipId: township.id, ...input },
    });
    return township;
  });
}

export async function getRules(db: Db, townshipId: string): Promise<TownshipRules> {
  const rules = await repo.findRules(db, townshipId);
  if (!rules) throw new NotFoundError();
  return rules;
}

export async function replaceRules(db: Db, actor: AuthUser, townshipId: string, body: unknown): Promise<TownshipRules> {
  const parsed = parseRules(body);
  return db.transaction().execute(async (trx) => {
    if (!(await repo.findTownship(trx, townshipId))) throw new NotFoundError();
    // deposit terms left out of the body are kept as they were (they came later than the other rules)
    const hasDeposit = typeof body === 'object' && body !== null && 'deposit' in body;
    const current = hasDeposit ? undefined : await repo.findRules(trx, townshipId);
    const rules = current ? { ...parsed, deposit: current.deposit } : parsed;
    await repo.upsertRules(trx, townshipId, rules);
    await appendAudit(trx, {
      actor: actor.username,
      action: 'township.rules_replaced',
      data: { townshipId, rules: rulesToJson(rules) },
    });
    return rules;
  });
}

/** A township's deposit terms and its name, for the pages that tell a bidder how to pay. */
export async function depositTermsFor(
  db: Db,
  townshipId: string,
): Promise<{ terms: DepositTerms; townshipName: string }> {
  const [rules, township] = await Promise.all([repo.findRules(db, townshipId), repo.findTownship(db, townshipId)]);
  return { terms: (rules ?? defaultRules()).deposit, townshipName: township?.name ?? '' };
}
