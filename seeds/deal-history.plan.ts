import { computeSavings } from '../server/awards/savings';
import { Decimal } from '../server/http/money';

/**
 * Jizhou's trading history since 2011 (DOMAIN.md): 65 deals, 6,310,000.00 yuan traded and
 * 1,020,000.00 yuan 增收节资 — as a deterministic plan (a fixed-seed PRNG, no clock but `now` for the
 * few deals still under publicity). Pure, so a unit test checks the totals without a database.
 */
export const HISTORY_DEALS = 65;
export const HISTORY_TOTAL = new Decimal('6310000.00');
export const HISTORY_SAVINGS = new Decimal('1020000.00');
const UNDER_PUBLICITY = 3;

export type TownshipCode = 'XQ' | 'CT' | 'QL';
export interface PlannedDeal {
  township: TownshipCode;
  kind: 'procurement' | 'lease';
  category: string;
  title: string;
  leaseTermMonths: number | null;
  basePrice: Decimal;
  amount: Decimal;
  savings: Decimal;
  /** the winner's index among the three demo bidders, and every bid (winner first) */
  bids: { bidder: number; amount: Decimal }[];
  awardedAt: Date;
  /** null while the result is still under publicity */
  contractSignedAt: Date | null;
}

const VILLAGES: Record<TownshipCode, { town: string; villages: string[] }> = {
  XQ: { town: '兴桥镇', villages: ['钟家村', '兴桥村', '樟山村', '永和村', '蒋家村', '南塘村'] },
  CT: { town: '长塘镇', villages: ['长塘村', '秀溪村', '湴塘村', '燕山村', '新建村'] },
  QL: { town: '曲濑镇', villages: ['曲濑村', '坪里村', '官田村', '塘东村', '桥头村'] },
};

// [category, title pattern ({v} village, {n} number), raw award range in yuan, lease term]
type Template = [string, string, number, number, number | null];
const PROCUREMENT: Template[] = [
  ['works', '{v}水渠修缮工程', 40_000, 260_000, null],
  ['works', '{v}村道硬化工程', 80_000, 320_000, null],
  ['works', '{v}机耕道修建工程', 30_000, 150_000, null],
  ['works', '{v}山塘除险加固工程', 60_000, 240_000, null],
  ['works', '{v}文化活动中心改造工程', 50_000, 180_000, null],
  ['works', '{v}太阳能路灯安装工程', 25_000, 90_000, null],
  ['goods', '防汛抢险物资采购', 15_000, 60_000, null],
  ['goods', '村级办公设备采购', 12_000, 45_000, null],
  ['services', '{v}垃圾清运保洁服务', 20_000, 70_000, null],
];
const LEASE: Template[] = [
  ['shop', '农贸市场{n}号店面出租', 12_000, 60_000, 36],
  ['forest', '林场承包经营权发包', 60_000, 260_000, 120],
  ['water', '{v}水库养殖水面发包', 20_000, 110_000, 60],
  ['house', '{v}集体闲置房屋出租', 8_000, 40_000, 36],
  ['land', '{v}集体土地经营权发包', 30_000, 150_000, 60],
];

/** mulberry32: a tiny fixed-seed PRNG, so the history is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tens = (d: Decimal) => d.dividedBy(10).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(10);
const DAY = 24 * 3600_000;

/** Scales raw figures to an exact total in whole tens of yuan; the remainder goes to the largest. */
function scaleTo(raw: Decimal[], total: Decimal): Decimal[] {
  const sum = raw.reduce((a, b) => a.plus(b), new Decimal(0));
  const scaled = raw.map((r) => tens(r.times(total).dividedBy(sum)));
  const rest = total.minus(scaled.reduce((a, b) => a.plus(b), new Decimal(0)));
  const largest = scaled.reduce((best, v, i) => (v.gt(scaled[best]) ? i : best), 0);
  scaled[largest] = scaled[largest].plus(rest);
  return scaled;
}

export function planDealHistory(now: Date): PlannedDeal[] {
  const rand = prng(20110101);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const codes: TownshipCode[] = ['XQ', 'CT', 'QL'];
  const start = Date.parse('2011-04-01T02:00:00Z');
  const end = Date.parse('2026-10-31T02:00:00Z');
  const concluded = HISTORY_DEALS - UNDER_PUBLICITY;

  const drafts = Array.from({ length: HISTORY_DEALS }, (_, i) => {
    const township = codes[i % 3];
    const kind: 'procurement' | 'lease' = rand() < 0.58 ? 'procurement' : 'lease';
    const [category, pattern, lo, hi, term] = pick(kind === 'procurement' ? PROCUREMENT : LEASE);
    const { town, villages } = VILLAGES[township];
    const title = town + pattern.replace('{v}', pick(villages)).replace('{n}', String(1 + Math.floor(rand() * 12)));
    // 节资 as a share of the ceiling, 增收 as a share of the reserve
    const rate = kind === 'procurement' ? between(0.08, 0.22) : between(0.1, 0.45);
    const rawAmount = new Decimal(Math.round(between(lo, hi)));
    const rawSavings =
      kind === 'procurement' ? rawAmount.times(rate / (1 - rate)) : rawAmount.minus(rawAmount.dividedBy(1 + rate));
    const awardedAt =
      i < concluded
        ? new Date(start + (i + between(0.15, 0.85)) * ((end - start) / concluded))
        : new Date(now.getTime() - (1 + (i - concluded) * 0.5) * DAY);
    return {
      township,
      kind,
      category,
      title,
      leaseTermMonths: term,
      rawAmount,
      rawSavings,
      awardedAt,
      winner: Math.floor(rand() * 3),
      spread: [between(0.01, 0.07), between(0.02, 0.09)],
    };
  });

  const amounts = scaleTo(
    drafts.map((d) => d.rawAmount),
    HISTORY_TOTAL,
  );
  const savings = scaleTo(
    drafts.map((d) => d.rawSavings),
    HISTORY_SAVINGS,
  );
  return drafts.map((d, i) => {
    const amount = amounts[i];
    const basePrice = d.kind === 'procurement' ? amount.plus(savings[i]) : amount.minus(savings[i]);
    // the others bid worse: higher (up to the ceiling) for procurement, lower (down to the reserve) for a lease
    const others = [0, 1, 2].filter((b) => b !== d.winner).slice(0, d.kind === 'procurement' ? 2 : 1 + (i % 2));
    const bids = [
      { bidder: d.winner, amount },
      ...others.map((bidder, k) => {
        const worse =
          d.kind === 'procurement'
            ? Decimal.min(basePrice, tens(amount.times(1 + d.spread[k])).plus(10 * (k + 1)))
            : Decimal.max(basePrice, tens(amount.times(1 - d.spread[k])).minus(10 * (k + 1)));
        return { bidder, amount: worse };
      }),
    ];
    const underPublicity = i >= concluded;
    return {
      township: d.township,
      kind: d.kind,
      category: d.category,
      title: d.title,
      leaseTermMonths: d.leaseTermMonths,
      basePrice,
      amount,
      savings: computeSavings(d.kind, basePrice, amount).savings,
      bids,
      awardedAt: d.awardedAt,
      contractSignedAt: underPublicity ? null : new Date(d.awardedAt.getTime() + (8 + (i % 15)) * DAY),
    };
  });
}
