import type { AppContext } from '../server/context';
import { findUserByUsername, insertUser } from '../server/accounts/accounts.repository';
import { defaultRules } from '../server/townships/townships';
import { findTownshipByCode, insertTownship, upsertRules } from '../server/townships/townships.repository';
import { DEMO_ACCOUNTS, DEMO_TOWNSHIPS } from './demo-accounts';
import { seedDealHistory } from './deal-history';
import { seedHallHistory } from './hall-history';

export type SeedStep = (ctx: AppContext, ids: SeedIds) => Promise<void>;
export interface SeedIds {
  townships: Record<string, string>; // code → id
  users: Record<string, string>; // username → id
}

const DEFAULT_DISCLOSURES = {
  services: '小型工程建设、货物与服务采购；集体资产、资源的出租与发包（店面、房屋、林场、水面、土地）。',
  procedures: '申请进站 → 发布公告 → 报名交保证金 → 密封报价 → 公开开标 → 确定成交 → 结果公示 → 签订合同。',
  materials: '个人：身份证；单位：营业执照、法定代表人身份证明或授权委托书；需缴纳保证金的项目另附缴款凭证。',
  timeLimits: '公告不少于 5 天；截止后 24 小时内开标；开标后 3 个工作日内确定成交；公示 3 天；公示结束后 30 天内签订合同。',
  fees: '进站交易不收取任何费用；保证金在成交后无息退还（成交人转为履约保证金）。',
  complaints: '对交易过程或结果有异议的，可在公示期内通过本平台提交异议，或拨打区纪委监委监督电话 0796-12388。',
};

/** Townships, rules and demo accounts. Idempotent: what exists is left as it is. */
export const seedBase: SeedStep = async (ctx, ids) => {
  for (const tw of DEMO_TOWNSHIPS) {
    let township = await findTownshipByCode(ctx.db, tw.code);
    if (!township) {
      township = await insertTownship(ctx.db, tw);
      await upsertRules(ctx.db, township.id, defaultRules());
      await ctx.db.updateTable('townships').set({ disclosures: JSON.stringify(DEFAULT_DISCLOSURES) }).where('id', '=', township.id).execute();
    }
    ids.townships[tw.code] = township.id;
  }
  for (const a of DEMO_ACCOUNTS) {
    const existing = await findUserByUsername(ctx.db, a.username);
    if (existing) { ids.users[a.username] = existing.id; continue; }
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
  }
};

/** Later concepts append their steps (deal history, hall figures) here, in order. */
export const SEED_STEPS: SeedStep[] = [seedBase, seedDealHistory, seedHallHistory];

export async function seedDemo(ctx: AppContext): Promise<SeedIds> {
  const ids: SeedIds = { townships: {}, users: {} };
  for (const step of SEED_STEPS) await step(ctx, ids);
  return ids;
}
