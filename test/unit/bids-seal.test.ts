import crypto from 'node:crypto';
import { computeReceipt, makeNonce, sealAmount, unsealAmount } from '../../server/bids/seal';
import { Decimal } from '../../server/http/money';

const key = crypto.randomBytes(32);
const listingId = crypto.randomUUID();
const bidderId = crypto.randomUUID();

describe('sealing an amount (AES-256-GCM)', () => {
  it('opens to the same amount for the same listing and bidder', () => {
    const sealed = sealAmount(key, new Decimal('42123.45'), listingId, bidderId);
    expect(unsealAmount(key, sealed, listingId, bidderId).toFixed(2)).toBe('42123.45');
  });

  it('stores iv | tag | ciphertext without the plaintext, and differs each time', () => {
    const a = sealAmount(key, new Decimal('42123.45'), listingId, bidderId);
    const b = sealAmount(key, new Decimal('42123.45'), listingId, bidderId);
    expect(a.length).toBe(12 + 16 + '42123.45'.length);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('42123.45');
  });

  it('refuses to open under another listing, another bidder, another key or changed bytes', () => {
    const sealed = sealAmount(key, new Decimal('500.00'), listingId, bidderId);
    expect(() => unsealAmount(key, sealed, crypto.randomUUID(), bidderId)).toThrow();
    expect(() => unsealAmount(key, sealed, listingId, crypto.randomUUID())).toThrow();
    expect(() => unsealAmount(crypto.randomBytes(32), sealed, listingId, bidderId)).toThrow();
    const changed = Buffer.from(sealed);
    changed[changed.length - 1] ^= 1;
    expect(() => unsealAmount(key, changed, listingId, bidderId)).toThrow();
  });
});

describe('receipts', () => {
  const base = {
    listingId,
    bidderId,
    amount: '42000.00',
    submittedAt: '2026-11-30T01:59:59.123Z',
    nonce: 'ab'.repeat(16),
  };

  it('is the SHA-256 hex of the documented text, so a bidder can recompute it', () => {
    const expected = crypto
      .createHash('sha256')
      .update(`${listingId}|${bidderId}|42000.00|2026-11-30T01:59:59.123Z|${'ab'.repeat(16)}`)
      .digest('hex');
    expect(computeReceipt(base)).toBe(expected);
    expect(computeReceipt(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any committed part changes', () => {
    const r = computeReceipt(base);
    for (const change of [
      { listingId: crypto.randomUUID() },
      { bidderId: crypto.randomUUID() },
      { amount: '42000.01' },
      { submittedAt: '2026-11-30T01:59:59.124Z' },
      { nonce: 'cd'.repeat(16) },
    ]) {
      expect(computeReceipt({ ...base, ...change })).not.toBe(r);
    }
  });

  it('makes 128-bit random nonces', () => {
    const n = makeNonce();
    expect(n).toMatch(/^[0-9a-f]{32}$/);
    expect(makeNonce()).not.toBe(n);
  });
});
