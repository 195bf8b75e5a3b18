import type { AppContext } from '../server/context';
import { findUserByUsername, insertUser } from '../server/accounts/accounts.repository';
import { DEFAULT_DISCLOSURES, defaultRules } from '../server/townships/townships';
import {
  findTownshipByCode,
  insertTownship,
  updateDisclosures,
  upsertRules,
} from '../server/townships/townships.repository';
import { ensurePersonalKey } from '../server/keys/keys.service';
import { DEMO_ACCOUNTS, DEMO_TOWNSHIPS } from './demo-accounts';
import { seedDealHistory } from './deal-history';
import { seedHallHistory } from './hall-history';

export type SeedStep = (ctx: AppContext, ids: SeedIds) => Promise<void>;
export interface SeedIds {
  townships: Record<string, string>; // code → id
  users: Record<string, string>; // username → id
}

/** Townships, rules and demo accounts. Idempotent: what exists is left as it is. */
export const seedBase: SeedStep = async (ctx, ids) => {
  for (const tw of DEMO_TOWNSHIPS) {
    let township = await findTownshipByCode(ctx.db, tw.code);
    if (!township) {
      township = await insertTownship(ctx.db, tw);
      const rules = defaultRules();
      // a demo account (not a real one), so the announcements show how a transfer is made
      const account = `户名：${tw.name}财政所（演示） 开户行：吉州农村商业银行${tw.name}支行 账号：6230 0000 0000 0000`;
      await upsertRules(ctx.db, township.id, { ...rules, deposit: { ...rules.deposit, account } });
      await updateDisclosures(ctx.db, township.id, DEFAULT_DISCLOSURES);
    }
    ids.townships[tw.code] = township.id;
  }
  for (const a of DEMO_ACCOUNTS) {
    const existing = await findUserByUsername(ctx.db, a.username);
    if (existing) {
      ids.users[a.username] = existing.id;
      // demo holders and bidders have their personal key pair (sealing), as a sign-in would make it
      if (a.role !== 'admin') await ensurePersonalKey(ctx, existing.id, a.password);
      continue;
    }
    const user = await insertUser(ctx.db, {
      username: a.username,
      passwordHash: await ctx.hasher.hash(a.password),
      role: a.role,
      townshipId: a.township ? ids.townships[a.township] : null,
      name: a.name,
      idNumber: 'idNumber' in a ? a.idNumber : null,
      phone: 'phone' in a ? a.phone : null,
    });
    ids.users[a.username] = user.id;
    if (a.role !== 'admin') await ensurePersonalKey(ctx, user.id, a.password);
  }
};

/** Later concepts append their steps (deal history, hall figures) here, in order. */
export const SEED_STEPS: SeedStep[] = [seedBase, seedDealHistory, seedHallHistory];

export async function seedDemo(ctx: AppContext): Promise<SeedIds> {
  const ids: SeedIds = { townships: {}, users: {} };
  for (const step of SEED_STEPS) await step(ctx, ids);
  return ids;
}
