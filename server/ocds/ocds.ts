import type { Decimal } from '../http/money';
import type { Listing } from '../listings/listings';
import { termBasePrice } from '../listings/terms';
import type { Township } from '../townships/townships';
import { isRevealed } from '../listings/status';

/**
 * OCDS 1.1 releases for one listing, as pure functions. One release per event: the tender when
 * published, a tenderUpdate at opening (bidders become public only then), tenderCancellation or an
 * unsuccessful tender, the award, the contract. Sealed information never enters a release before
 * opening: callers pass bidders only for opened listings, and this module checks it again.
 *
 * Leases (出租/发包) map onto OCDS as a tender of mainProcurementCategory "services" in which the
 * township (or village collective) is the buyer; the description says it is a lease, minValue is the
 * reserve price (底价) and the award goes to the highest valid offer.
 */
export interface OcdsBidder {
  id: string;
  name: string;
}
export interface OcdsAward {
  id: string;
  bidderId: string;
  bidderName: string;
  amount: Decimal;
  awardedAt: Date;
  publicityEndsAt: Date;
}
export interface OcdsContract {
  id: string;
  signedAt: Date;
  amount: Decimal;
  recordedAt: Date;
}

export interface OcdsProcess {
  listing: Listing;
  township: Township;
  failedAt: Date | null;
  cancelledAt: Date | null;
  /** live bidders, given only once bids are opened */
  bidders: OcdsBidder[];
  award: OcdsAward | null;
  contract: OcdsContract | null;
}

const money = (d: Decimal) => ({ amount: Number(d.toFixed(2)), currency: 'CNY' });
const iso = (d: Date) => d.toISOString();

export const buyerPartyId = (t: Township) => `CN-TOWNSHIP-${t.code}`;
export const bidderPartyId = (id: string) => `BIDDER-${id}`;

const LEASE_NOTE =
  '【出租/发包 Lease of collective property】本项目为集体资产出租或发包，成交人向集体支付租金/承包费；minValue 为底价，价高者得。 ' +
  'This is a lease or contracting-out of collective property: the winner pays the collective; minValue is the reserve price and the highest valid offer wins.';

function wasOpened(l: Listing): boolean {
  return l.openedAt !== null && isRevealed(l);
}

type Stage = 'tender' | 'opening' | 'failed' | 'cancelled' | 'award' | 'contract';

function tenderStatus(stage: Stage) {
  if (stage === 'cancelled') return 'cancelled';
  if (stage === 'failed') return 'unsuccessful';
  if (stage === 'award' || stage === 'contract') return 'complete';
  return 'active';
}

function tender(p: OcdsProcess, stage: Stage, withBidders: boolean) {
  const l = p.listing;
  const isLease = l.kind === 'lease';
  const buyer = { id: buyerPartyId(p.township), name: p.township.name };
  return {
    id: `${l.code}-tender`,
    title: l.title,
    description: [
      isLease ? LEASE_NOTE : '',
      l.description,
      stage === 'cancelled' && l.cancelReason ? `终止原因 (reason for cancellation): ${l.cancelReason}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    status: tenderStatus(stage),
    procuringEntity: buyer,
    mainProcurementCategory: isLease ? 'services' : l.category,
    additionalProcurementCategories: [],
    // whole-term values: a yearly lease price (元/年) × months ÷ 12, as the statistics count them
    ...(isLease ? { minValue: money(termBasePrice(l)) } : { value: money(l.basePrice) }),
    procurementMethod: 'open',
    procurementMethodDetails:
      l.method === 'auction'
        ? `乡镇公共资源交易站网络竞价，${isLease ? '加价' : '降价'}幅度 ${l.increment?.toFixed(2)} 元，限时竞价 ${l.extensionSeconds} 秒 (open electronic auction at the township station)`
        : '乡镇公共资源交易站公开交易，密封报价 (open sealed-bid trading at the township station)',
    awardCriteria: 'priceOnly',
    awardCriteriaDetails: isLease
      ? '价高者得 (highest valid offer at or above the reserve)'
      : '价低者得 (lowest valid offer at or below the ceiling)',
    submissionMethod: [l.method === 'auction' ? 'electronicAuction' : 'electronicSubmission'],
    tenderPeriod: { startDate: iso(l.bidOpensAt), endDate: iso(l.endsAt) },
    items: [{ id: '1', description: l.quantity ? `${l.title}（${l.quantity}）` : l.title }],
    ...(withBidders
      ? {
          numberOfTenderers: p.bidders.length,
          tenderers: p.bidders.map((b) => ({ id: bidderPartyId(b.id), name: b.name })),
        }
      : {}),
  };
}

function parties(p: OcdsProcess, withBidders: boolean, supplier: OcdsBidder | null) {
  const list: { id: string; name: string; roles: string[] }[] = [
    { id: buyerPartyId(p.township), name: p.township.name, roles: ['buyer', 'procuringEntity'] },
  ];
  const bidders = withBidders ? p.bidders : [];
  for (const b of bidders)
    list.push({
      id: bidderPartyId(b.id),
      name: b.name,
      roles: supplier?.id === b.id ? ['tenderer', 'supplier'] : ['tenderer'],
    });
  if (supplier && !bidders.some((b) => b.id === supplier.id))
    list.push({ id: bidderPartyId(supplier.id), name: supplier.name, roles: ['supplier'] });
  return list;
}

export function releasesFor(p: OcdsProcess, ocdsPrefix: string) {
  const l = p.listing;
  if (!l.publishedAt || l.state === 'draft') return [];
  const opened = wasOpened(l);
  const base = (
    id: string,
    date: Date,
    tag: string[],
    stage: Stage,
    extra: Record<string, unknown> = {},
    supplier: OcdsBidder | null = null,
  ) => {
    const withBidders = opened && stage !== 'tender';
    return {
      ocid: `${ocdsPrefix}-${l.code}`,
      id: `${l.code}-${id}`,
      date: iso(date),
      tag,
      initiationType: 'tender',
      language: 'zh',
      parties: parties(p, withBidders, supplier),
      buyer: { id: buyerPartyId(p.township), name: p.township.name },
      tender: tender(p, stage, withBidders),
      ...extra,
    };
  };
  const out = [base('tender', l.publishedAt, ['tender'], 'tender')];
  if (opened && l.openedAt) out.push(base('opening', l.openedAt, ['tenderUpdate'], 'opening'));
  if (l.state === 'failed')
    out.push(base('failed', p.failedAt ?? l.openedAt ?? l.publishedAt, ['tenderUpdate'], 'failed'));
  if (l.state === 'cancelled')
    out.push(base('cancelled', p.cancelledAt ?? l.publishedAt, ['tenderCancellation'], 'cancelled'));
  if (p.award) {
    const a = p.award;
    const supplier = { id: a.bidderId, name: a.bidderName };
    const award = {
      id: a.id,
      title: l.title,
      status: 'active',
      date: iso(a.awardedAt),
      value: money(a.amount),
      suppliers: [{ id: bidderPartyId(a.bidderId), name: a.bidderName }],
      ...(l.leaseTermMonths ? { contractPeriod: { durationInDays: Math.round(l.leaseTermMonths * 30.4375) } } : {}),
    };
    out.push(base('award', a.awardedAt, ['award'], 'award', { awards: [award] }, supplier));
    if (p.contract) {
      const c = p.contract;
      out.push(
        base(
          'contract',
          c.signedAt,
          ['contract'],
          'contract',
          {
            awards: [award],
            contracts: [
              {
                id: c.id,
                awardID: a.id,
                title: l.title,
                status: 'active',
                dateSigned: iso(c.signedAt),
                value: money(c.amount),
              },
            ],
          },
          supplier,
        ),
      );
    }
  }
  return out;
}

export type OcdsRelease = ReturnType<typeof releasesFor>[number];

export function releasePackage(
  releases: OcdsRelease[],
  meta: {
    uri: string;
    publisherName: string;
    audit: { entries: number; head: string };
    checkpoint: { size: number; root: string; at: string; signature: string; publicKey: string };
    now: Date;
  },
) {
  // stable sort: releases of one process at the same instant keep their event order
  const sorted = [...releases].sort((a, b) => a.date.localeCompare(b.date));
  const latest = sorted.length ? sorted[sorted.length - 1].date : iso(meta.now);
  return {
    uri: meta.uri,
    version: '1.1',
    publishedDate: latest,
    publisher: { name: meta.publisherName, scheme: null, uid: null },
    releases: sorted,
    // Not part of OCDS (the package schema allows extra properties): the head of the hash-chained
    // audit trail at the time of this package, so a later rewrite of history can be detected.
    auditTrail: meta.audit,
    // Also an extension: the transparency log's signed checkpoint (README, "Transparency log"); anyone
    // holding it can later ask GET /api/v1/audit/consistency whether the log still extends it.
    auditCheckpoint: meta.checkpoint,
  };
}
