import { Decimal } from '../http/money';

export type DealKind = 'procurement' | 'lease';

export interface Township {
  id: string;
  code: string;
  name: string;
  district: string;
}

export interface KindBand {
  minAmount: Decimal;
  maxAmount: Decimal;
  minValidBids: number;
}

/** A township's rules: the value band per kind of deal and the time limits of each step. */
export interface TownshipRules {
  procurement: KindBand;
  lease: KindBand;
  minNoticeDays: number;
  publicityDays: number;
  openWithinHours: number;
  awardWithinDays: number;
  contractWithinDays: number;
  /** key holders who must confirm before a listing's bids can be decrypted (at least one from outside the township when ≥ 2) */
  openingQuorum: number;
  deposit: DepositTerms;
}

/** How deposits are paid and refunded in a township (shown on announcements and after 报名). */
export interface DepositTerms {
  /** payee, bank and account number, as staff write them */
  account: string;
  /** the deposit must have arrived this many hours before the bid deadline */
  dueHours: number;
  refundRule: string;
}

export const DEFAULT_DEPOSIT_REFUND_RULE =
  '未成交的竞买人，保证金在确定成交后 5 个工作日内无息原路退还；成交人的保证金转为履约保证金。';

/** The moment a listing's deposit must have arrived. */
export function depositDueAt(bidDeadline: Date, terms: DepositTerms): Date {
  return new Date(bidDeadline.getTime() - terms.dueHours * 3600_000);
}

/** Jizhou's practice (DOMAIN.md): works from 10,000 yuan, property deals from 1,000 yuan. */
export function defaultRules(): TownshipRules {
  return {
    procurement: { minAmount: new Decimal('10000.00'), maxAmount: new Decimal('2000000.00'), minValidBids: 3 },
    lease: { minAmount: new Decimal('1000.00'), maxAmount: new Decimal('2000000.00'), minValidBids: 1 },
    minNoticeDays: 5,
    publicityDays: 3,
    openWithinHours: 24,
    awardWithinDays: 3,
    contractWithinDays: 30,
    deposit: { account: '', dueHours: 24, refundRule: DEFAULT_DEPOSIT_REFUND_RULE },
    openingQuorum: 2,
  };
}

export function rulesToJson(rules: TownshipRules) {
  const band = (b: KindBand) => ({
    minAmount: b.minAmount.toFixed(2),
    maxAmount: b.maxAmount.toFixed(2),
    minValidBids: b.minValidBids,
  });
  return {
    procurement: band(rules.procurement),
    lease: band(rules.lease),
    minNoticeDays: rules.minNoticeDays,
    publicityDays: rules.publicityDays,
    openWithinHours: rules.openWithinHours,
    awardWithinDays: rules.awardWithinDays,
    contractWithinDays: rules.contractWithinDays,
    deposit: { ...rules.deposit },
    openingQuorum: rules.openingQuorum,
  };
}

export function townshipToJson(t: Township) {
  return { id: t.id, code: t.code, name: t.name, district: t.district };
}

/** The six disclosures (六公开) a hall shows; staff edit their text per township. */
export const DISCLOSURE_KEYS = ['services', 'procedures', 'materials', 'timeLimits', 'fees', 'complaints'] as const;
export type DisclosureKey = (typeof DISCLOSURE_KEYS)[number];

/** What a new township's hall shows until its staff edit it (/staff/disclosures). */
export const DEFAULT_DISCLOSURES: Record<DisclosureKey, string> = {
  services: '小型工程建设、货物与服务采购；集体资产、资源的出租与发包（店面、房屋、林场、水面、土地）。',
  procedures: '申请进站 → 发布公告 → 报名交保证金 → 密封报价 → 公开开标 → 确定成交 → 结果公示 → 签订合同。',
  materials: '个人：身份证；单位：营业执照、法定代表人身份证明或授权委托书；需缴纳保证金的项目另附缴款凭证。',
  timeLimits:
    '公告不少于 5 天；截止后 24 小时内开标；开标后 3 个工作日内确定成交；公示 3 天；公示结束后 30 天内签订合同。',
  fees: '进站交易不收取任何费用；保证金在成交后无息退还（成交人转为履约保证金）。',
  complaints: '对交易过程或结果有异议的，可在公示期内通过本平台提交异议，或拨打区纪委监委监督电话 0796-12388。',
};
