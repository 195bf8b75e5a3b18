import crypto from 'node:crypto';
import { Decimal } from '../http/money';

// Sealing a bid: the amount is encrypted with AES-256-GCM under the app's seal key, bound to the
// listing and the bidder (additional authenticated data), so a sealed amount copied onto another
// row or listing fails to open. Stored as iv (12 bytes) | tag (16 bytes) | ciphertext.
const IV_BYTES = 12;
const TAG_BYTES = 16;

function aad(listingId: string, bidderId: string): Buffer {
  return Buffer.from(`${listingId}|${bidderId}`, 'utf8');
}

export function sealAmount(key: Buffer, amount: Decimal, listingId: string, bidderId: string): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(listingId, bidderId));
  const ciphertext = Buffer.concat([cipher.update(amount.toFixed(2), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Throws when the key, the listing or the bidder does not match, or the bytes were changed. */
export function unsealAmount(key: Buffer, sealed: Buffer, listingId: string, bidderId: string): Decimal {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad(listingId, bidderId));
  decipher.setAuthTag(tag);
  const text = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
    'utf8',
  );
  return new Decimal(text);
}

/** A fresh random nonce (hex): it keeps the receipt from revealing a guessable amount. */
export function makeNonce(): string {
  return crypto.randomBytes(16).toString('hex');
}

export interface ReceiptInput {
  listingId: string;
  bidderId: string;
  /** two-decimal string, "42000.00" */
  amount: string;
  /** ISO 8601 as returned by the API, "2026-11-30T01:59:59.123Z" */
  submittedAt: string;
  nonce: string;
}

/**
 * The receipt a bidder keeps: SHA-256 (hex) of
 * "listingId|bidderId|amount|submittedAt|nonce" in UTF-8. The opening record publishes receipts
 * and nonces, so each bidder can recompute theirs and see the opened amount is the one they sent.
 */
export function computeReceipt(r: ReceiptInput): string {
  const text = [r.listingId, r.bidderId, r.amount, r.submittedAt, r.nonce].join('|');
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
