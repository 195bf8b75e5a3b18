import { Decimal } from '../../server/http/money';
import '../../server/listings/listings.messages';
import type { Listing } from '../../server/listings/listings';
import { bidEntry, listingView, staffStepLinks } from '../../server/listings/listings.view';

const HOUR = 3600_000;
const now = new Date('2026-11-21T10:00:00Z');

function listing(over: Partial<Listing> = {}): Listing {
  const l = {
    id: '00000000-0000-4000-8000-000000000001',
    code: 'XQ-2026-0001',
    townshipId: 't',
    kind: 'procurement',
    category: 'works',
    title: '机耕道硬化',
    description: '',
    location: null,
    quantity: null,
    basePrice: new Decimal('50000'),
    depositAmount: new Decimal('1000'),
    leaseTermMonths: null,
    bidOpensAt: new Date(now.getTime() + HOUR),
    bidDeadline: new Date(now.getTime() + 48 * HOUR),
    state: 'published',
    cancelReason: null,
    relistedFrom: null,
    createdAt: now,
    publishedAt: now,
    openedAt: null,
    ...over,
  };
  // a sealed listing: bidding ends at its deadline
  return { method: 'sealed', increment: null, extensionSeconds: null, endsAt: l.bidDeadline, ...l } as Listing;
}
const steps = (l: Listing, status: Parameters<typeof staffStepLinks>[1]) =>
  staffStepLinks(l, status, 'zh').map((s) => s.step);

describe('links from a listing to the pages of its later steps', () => {
  test('published with a deposit: registrations and the opening; without a deposit: only the opening', () => {
    expect(steps(listing(), 'announced')).toEqual(['registrations', 'opening']);
    expect(steps(listing(), 'closed')).toEqual(['registrations', 'opening']);
    expect(steps(listing({ depositAmount: new Decimal(0) }), 'open')).toEqual(['opening']);
  });
  test('opened leads to the award; awarded and concluded to the result, objections, contract and refunds', () => {
    expect(steps(listing({ state: 'opened' }), 'opened')).toEqual(['opening', 'award']);
    expect(steps(listing({ state: 'awarded' }), 'awarded')).toEqual(['result', 'objections', 'contract', 'refunds']);
    expect(steps(listing({ state: 'concluded', depositAmount: new Decimal(0) }), 'concluded')).toEqual([
      'result',
      'objections',
      'contract',
    ]);
  });
  test('a draft or a cancelled listing has no later steps', () => {
    expect(steps(listing({ state: 'draft' }), 'draft')).toEqual([]);
    expect(steps(listing({ state: 'cancelled' }), 'cancelled')).toEqual([]);
  });
  test('the href of each step names the listing; labels are translated', () => {
    const [reg] = staffStepLinks(listing(), 'announced', 'zh');
    expect(reg).toEqual({
      step: 'registrations',
      href: '/staff/listings/00000000-0000-4000-8000-000000000001/registrations',
      label: '报名与保证金',
    });
  });
});

describe("the bidder's way in from the announcement", () => {
  test('registration opens at publication when a deposit is required; bidding when open', () => {
    expect(bidEntry(listingView(listing(), 'zh', now), 'bidder', 'zh')?.label).toBe('我要报名（交保证金）');
    expect(bidEntry(listingView(listing({ depositAmount: new Decimal(0) }), 'zh', now), 'bidder', 'zh')).toBeNull();
    const open = listing({ bidOpensAt: new Date(now.getTime() - HOUR) });
    expect(bidEntry(listingView(open, 'zh', now), 'bidder', 'zh')).toEqual({
      href: `/listings/${open.id}/bid`,
      label: '我要报价',
    });
    // signed out: through sign-in and back to the bid form
    expect(bidEntry(listingView(open, 'zh', now), undefined, 'zh')).toEqual({
      href: `/login?next=${encodeURIComponent(`/listings/${open.id}/bid`)}`,
      label: '我要报价',
    });
  });
  test('staff and auditors get no bid entry; an awarded listing links to its result notice instead', () => {
    const open = listingView(listing({ bidOpensAt: new Date(now.getTime() - HOUR) }), 'zh', now);
    expect(bidEntry(open, 'staff', 'zh')).toBeNull();
    expect(bidEntry(open, 'auditor', 'zh')).toBeNull();
    const awarded = listingView(listing({ state: 'awarded' }), 'zh', now);
    expect(bidEntry(awarded, 'bidder', 'zh')).toBeNull();
    expect(awarded.resultHref).toBe(`/listings/${awarded.id}/result`);
  });
});
