import { z } from 'zod';
import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import { isId, type AuthUser } from '../http/access';
import { appendAudit } from '../trail/append';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import { parseMoney } from '../http/money';
import { parseInput, text } from '../http/validate';
import {
  DEFAULT_DISCLOSURES,
  defaultRules,
  DISCLOSURE_KEYS,
  DisclosureKey,
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

function parseRules(body: unknown): TownshipRules {
  const raw = parseInput(rulesInput, body);
  return {
    ...raw,
    procurement: toBand('procurement', raw.procurement),
    lease: toBand('lease', raw.lease),
    deposit: raw.deposit ?? defaultRules().deposit,
    openingQuorum: raw.openingQuorum ?? defaultRules().openingQuorum,
  };
}

/** Every township (of one district if given), by district and code. */
/** Whether any township exists yet (an empty database is seeded with the demo on the embedded default). */
export async function anyTownship(ctx: AppContext): Promise<boolean> {
  return repo.anyTownship(ctx.db);
}

export async function listTownships(ctx: AppContext, district?: string): Promise<Township[]> {
  return repo.listTownships(ctx.db, district);
}

/** The township with this id, or undefined (an id that is not a uuid cannot exist). */
export async function findTownship(ctx: AppContext, id: unknown): Promise<Township | undefined> {
  return isId(id) ? repo.findTownship(ctx.db, id) : undefined;
}

/** The township with this id, or 404. */
export async function getTownship(ctx: AppContext, id: unknown): Promise<Township> {
  const township = await findTownship(ctx, id);
  if (!township) throw new NotFoundError();
  return township;
}

/** A step of another use case's transaction: the township as that transaction sees it. */
export async function townshipWithin(trx: Trx, id: string): Promise<Township | undefined> {
  return repo.findTownship(trx, id);
}

/**
 * A step of another use case's transaction: the rules the township trades under. One rule for every concept:
 * a township with no stored rules (created before they existed, or by hand) trades under defaultRules().
 */
export async function rulesWithin(trx: Trx, townshipId: string): Promise<TownshipRules> {
  return (await repo.findRules(trx, townshipId)) ?? defaultRules();
}

/** The rules the township trades under, as rulesWithin (the defaults when none are stored). */
export async function findRules(ctx: AppContext, townshipId: string): Promise<TownshipRules> {
  return (await repo.findRules(ctx.db, townshipId)) ?? defaultRules();
}

export async function createTownship(ctx: AppContext, actor: AuthUser, body: unknown): Promise<Township> {
  const input = parseInput(townshipInput, body);
  return ctx.db.transaction().execute(async (trx) => {
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

export async function getRules(ctx: AppContext, townshipId: string): Promise<TownshipRules> {
  const rules = isId(townshipId) ? await repo.findRules(ctx.db, townshipId) : undefined;
  if (!rules) throw new NotFoundError();
  return rules;
}

export async function replaceRules(
  ctx: AppContext,
  actor: AuthUser,
  townshipId: string,
  body: unknown,
): Promise<TownshipRules> {
  if (!isId(townshipId)) throw new NotFoundError();
  const parsed = parseRules(body);
  return ctx.db.transaction().execute(async (trx) => {
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
  ctx: AppContext,
  townshipId: string,
): Promise<{ terms: DepositTerms; townshipName: string }> {
  const [rules, township] = await Promise.all([
    repo.findRules(ctx.db, townshipId),
    repo.findTownship(ctx.db, townshipId),
  ]);
  return { terms: (rules ?? defaultRules()).deposit, townshipName: township?.name ?? '' };
}

/** A township's six disclosures (六公开), each an empty string until written. */
export async function getDisclosures(ctx: AppContext, townshipId: string): Promise<Record<DisclosureKey, string>> {
  const stored = await repo.findDisclosures(ctx.db, townshipId);
  return Object.fromEntries(DISCLOSURE_KEYS.map((k) => [k, typeof stored[k] === 'string' ? stored[k] : ''])) as Record<
    DisclosureKey,
    string
  >;
}

const MAX_DISCLOSURE = 2000;

/** Staff edit their own township's six disclosures (六公开); the change is audited. */
export async function saveDisclosures(
  ctx: AppContext,
  user: AuthUser,
  input: Record<string, unknown>,
): Promise<Record<DisclosureKey, string>> {
  if (user.role !== 'staff' || !user.townshipId) throw new ForbiddenError();
  const townshipId = user.townshipId;
  const values = {} as Record<DisclosureKey, string>;
  const fields: ConstructorParameters<typeof ValidationError>[0] = {};
  for (const key of DISCLOSURE_KEYS) {
    const raw = input[key];
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (!text) fields[key] = { key: 'field.required' };
    else if (text.length > MAX_DISCLOSURE) fields[key] = { key: 'field.tooLong', params: { max: MAX_DISCLOSURE } };
    values[key] = text;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.updateDisclosures(trx, townshipId, values);
    await appendAudit(trx, {
      actor: user.username,
      action: 'township.disclosures.updated',
      data: { townshipId, keys: [...DISCLOSURE_KEYS] },
    });
  });
  return values;
}
