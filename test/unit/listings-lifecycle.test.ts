import { assertTransition, availableActions, ListingAction, nextState } from '../../server/listings/lifecycle';
import type { ListingStatus } from '../../server/listings/status';

const ALL: ListingStatus[] = [
  'draft',
  'announced',
  'open',
  'closed',
  'opened',
  'failed',
  'awarded',
  'concluded',
  'cancelled',
];

describe('listing lifecycle', () => {
  it.each<[ListingStatus, ListingAction, string]>([
    ['draft', 'edit', 'draft'],
    ['draft', 'publish', 'published'],
    ['closed', 'open', 'opened'],
    ['closed', 'fail', 'failed'],
    ['opened', 'fail', 'failed'],
    ['opened', 'award', 'awarded'],
    ['awarded', 'conclude', 'concluded'],
    ['draft', 'cancel', 'cancelled'],
    ['announced', 'cancel', 'cancelled'],
    ['open', 'cancel', 'cancelled'],
    ['closed', 'cancel', 'cancelled'],
    ['opened', 'cancel', 'cancelled'],
    ['failed', 'relist', 'failed'],
    ['cancelled', 'relist', 'cancelled'],
  ])('%s --%s--> %s', (from, action, to) => {
    expect(nextState(from, action)).toBe(to);
    expect(assertTransition(from, action)).toBe(to);
  });

  it('allows editing only a draft', () => {
    for (const s of ALL.filter((x) => x !== 'draft'))
      expect(() => assertTransition(s, 'edit')).toThrow(
        expect.objectContaining({ status: 409, code: 'INVALID_STATE' }),
      );
  });

  it('refuses to cancel after an award, after the contract and twice', () => {
    for (const s of ['awarded', 'concluded', 'cancelled', 'failed'] as const) {
      expect(() => assertTransition(s, 'cancel')).toThrow(
        expect.objectContaining({ status: 409, code: 'INVALID_STATE' }),
      );
    }
  });

  it('opens bids only after the deadline, and awards only opened listings', () => {
    for (const s of ['draft', 'announced', 'open', 'opened', 'awarded'] as const)
      expect(nextState(s, 'open')).toBeNull();
    for (const s of ALL.filter((x) => x !== 'opened')) expect(nextState(s, 'award')).toBeNull();
    for (const s of ALL.filter((x) => x !== 'awarded')) expect(nextState(s, 'conclude')).toBeNull();
  });

  it('publishes only a draft and relists only failed or cancelled listings', () => {
    for (const s of ALL.filter((x) => x !== 'draft')) expect(nextState(s, 'publish')).toBeNull();
    for (const s of ALL.filter((x) => x !== 'failed' && x !== 'cancelled')) expect(nextState(s, 'relist')).toBeNull();
  });

  it('lists the next actions for the dashboard', () => {
    expect(availableActions('draft').sort()).toEqual(['cancel', 'edit', 'publish']);
    expect(availableActions('closed').sort()).toEqual(['cancel', 'fail', 'open']);
    expect(availableActions('concluded')).toEqual([]);
  });
});
