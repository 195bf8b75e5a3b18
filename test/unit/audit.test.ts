import {
  GENESIS_HASH,
  hashEntry,
  StoredAuditEntry,
  verifyChain,
  checkChainPage,
  initialChainState,
} from '../../server/trail/trail';
import { timelineCsv } from '../../server/audit/timeline';

function chain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      seq,
      at: `2026-11-2${seq % 9}T01:00:00.000Z`,
      actor: `user${seq}`,
      action: 'listing.published',
      listingId: null,
      data: { n: seq, note: '公告' },
    };
    const hash = hashEntry(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const c = chain(5);
    expect(verifyChain(c)).toEqual({ valid: true, entries: 5, head: c[4].hash });
    expect(verifyChain([])).toEqual({ valid: true, entries: 0, head: GENESIS_HASH });
  });

  it('finds an altered entry', () => {
    const c = chain(5);
    c[2] = { ...c[2], data: { n: 3, note: '改过' } };
    expect(verifyChain(c)).toEqual({ valid: false, brokenAt: 3 });
  });

  it('finds an entry altered together with its own hash at the next entry', () => {
    const c = chain(5);
    const altered = { ...c[2], actor: 'someone else' };
    c[2] = { ...altered, hash: hashEntry(altered.prevHash, altered) };
    expect(verifyChain(c)).toEqual({ valid: false, brokenAt: 4 });
  });

  it('finds a removed entry and a reordering', () => {
    const removed = chain(5);
    removed.splice(1, 1);
    expect(verifyChain(removed)).toEqual({ valid: false, brokenAt: 2 });
    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(verifyChain(swapped)).toEqual({ valid: false, brokenAt: 2 });
  });

  it('gives the same answer page by page', () => {
    const c = chain(7);
    let state = initialChainState();
    for (const page of [c.slice(0, 3), c.slice(3, 6), c.slice(6)]) {
      const next = checkChainPage(state, page);
      if ('brokenAt' in next) throw new Error('broken');
      state = next;
    }
    expect(state).toEqual({ expectedSeq: 8, prevHash: c[6].hash, count: 7 });
  });
});

describe('timelineCsv', () => {
  it('starts with a BOM, quotes commas and quotes, and defuses formulas', () => {
    const [e] = chain(1);
    const csv = timelineCsv([{ ...e, actor: '=cmd()', data: { text: 'a, "b"' } }]);
    expect(csv.startsWith('\uFEFFseq,')).toBe(true);
    const line = csv.split('\r\n')[1];
    expect(line).toContain(`'=cmd()`);
    expect(line).toContain('"{""text"":""a, \\""b\\""""}"');
    expect(line).toContain('2026-11-21 09:00');
  });
});
