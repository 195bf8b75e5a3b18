import { compareBids, evaluateOpening, isAmountInRange, OpenedBid, sortOpenedBids } from '../../server/bids/bids';
import { Decimal } from '../../server/http/money';

const d = (s: string) => new Decimal(s);
const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 1, 0, s));

describe('isAmountInRange', () => {
  it('procurement: above zero and at most the ceiling', () => {
    expect(isAmountInRange('procurement', d('50000'), d('50000.00'))).toBe(true);
    expect(isAmountInRange('procurement', d('50000'), d('0.01'))).toBe(true);
    expect(isAmountInRange('procurement', d('50000'), d('50000.01'))).toBe(false);
    expect(isAmountInRange('procurement', d('50000'), d('0'))).toBe(false);
  });
  it('lease: at least the reserve', () => {
    expect(isAmountInRange('lease', d('3000'), d('3000.00'))).toBe(true);
    expect(isAmountInRange('lease', d('3000'), d('999999'))).toBe(true);
    expect(isAmountInRange('lease', d('3000'), d('2999.99'))).toBe(false);
  });
});

describe('compareBids', () => {
  it('puts the lowest first for procurement and the highest first for a lease; ties go to the earlier bid', () => {
    const a = { amount: d('100'), submittedAt: at(2) };
    const b = { amount: d('200'), submittedAt: at(1) };
    const c = { amount: d('100'), submittedAt: at(1) };
    expect([a, b, c].sort((x, y) => compareBids('procurement', x, y))).toEqual([c, a, b]);
    expect([a, b, c].sort((x, y) => compareBids('lease', x, y))).toEqual([b, c, a]);
  });
});

describe('evaluateOpening', () => {
  const bid = (id: string, amount: string | null, s: number, registrationConfirmed = true) => ({
    id,
    bidderId: `u-${id}`,
    amount: amount === null ? null : d(amount),
    submittedAt: at(s),
    registrationConfirmed,
  });
  const procurement = { kind: 'procurement' as const, basePrice: d('50000'), depositRequired: false, minValidBids: 3 };

  it('ranks valid procurement bids lowest first with ties by time, and opens with enough valid bids', () => {
    const { status, results } = evaluateOpening(procurement, [
      bid('a', '45000', 1),
      bid('b', '42000', 3),
      bid('c', '42000', 2),
      bid('d', '49000', 0),
    ]);
    expect(status).toBe('opened');
    expect(results.map((r) => [r.id, r.rank])).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 3],
      ['d', 4],
    ]);
    expect(results.every((r) => r.valid && r.invalidReason === null)).toBe(true);
  });

  it('ranks a lease highest first', () => {
    const { results } = evaluateOpening({ ...procurement, kind: 'lease', basePrice: d('3000'), minValidBids: 1 }, [
      bid('a', '3000', 1),
      bid('b', '3600', 2),
    ]);
    expect(results.map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('sets out-of-range, unregistered and unreadable bids aside with a reason, after the valid ones', () => {
    const terms = { ...procurement, depositRequired: true, minValidBids: 1 };
    const { status, results } = evaluateOpening(terms, [
      bid('over', '50000.01', 0),
      bid('unreg', '30000', 1, false),
      bid('bad', null, 2),
      bid('ok', '40000', 3),
    ]);
    expect(status).toBe('opened');
    expect(results).toEqual([
      { id: 'ok', valid: true, invalidReason: null, rank: 1 },
      { id: 'over', valid: false, invalidReason: 'OUT_OF_RANGE', rank: null },
      { id: 'unreg', valid: false, invalidReason: 'NOT_REGISTERED', rank: null },
      { id: 'bad', valid: false, invalidReason: 'UNREADABLE', rank: null },
    ]);
  });

  it('fails (流标) with fewer valid bids than the minimum, and with no bids at all', () => {
    expect(evaluateOpening(procurement, [bid('a', '1', 0), bid('b', '2', 1), bid('c', '60000', 2)]).status).toBe(
      'failed',
    );
    expect(evaluateOpening({ ...procurement, minValidBids: 0 }, []).status).toBe('failed');
    expect(evaluateOpening({ ...procurement, minValidBids: 2 }, [bid('a', '1', 0), bid('b', '2', 1)]).status).toBe(
      'opened',
    );
  });
});

describe('sortOpenedBids', () => {
  it('orders the record valid by rank, then invalid by time', () => {
    const mk = (id: string, rank: number | null, s: number): OpenedBid => ({
      id,
      bidderId: id,
      bidderName: id,
      amount: d('1'),
      submittedAt: at(s),
      receipt: '',
      nonce: '',
      rank,
      valid: rank !== null,
      invalidReason: rank === null ? 'OUT_OF_RANGE' : null,
    });
    expect(sortOpenedBids([mk('x', null, 5), mk('b', 2, 0), mk('y', null, 1), mk('a', 1, 9)]).map((b) => b.id)).toEqual(
      ['a', 'b', 'y', 'x'],
    );
  });
});
