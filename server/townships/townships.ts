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
  };
}

export function rulesToJson(rules: TownshipRules) {
  const band = (b: KindBand) => ({ minAmount: b.minAmount.toFixed(2), maxAmount: b.maxAmount.toFixed(2), minValidBids: b.minValidBids });
  return {
    procurement: band(rules.procurement),
    lease: band(rules.lease),
    minNoticeDays: rules.minNoticeDays,
    publicityDays: rules.publicityDays,
    openWithinHours: rules.openWithinHours,
    awardWithinDays: rules.awardWithinDays,
    contractWithinDays: rules.contractWithinDays,
  };
}

export function townshipToJson(t: Township) {
  return { id: t.id, code: t.code, name: t.name, district: t.district };
}

/** The six disclosures (六公开) a hall shows; staff edit their text per township. */
export const DISCLOSURE_KEYS = ['services', 'procedures', 'materials', 'timeLimits', 'fees', 'complaints'] as const;
export type DisclosureKey = (typeof DISCLOSURE_KEYS)[number];
