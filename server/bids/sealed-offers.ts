import crypto from 'node:crypto';
import { Decimal } from '../http/money';
import { hkdf, Opener, openWith, randomBox, sealTo } from '../keys/crypto';

// What a sealed offer holds, and how its bytes look. Every plaintext is padded to one length, so
// neither an offer nor the bidder's copy says anything by its size, and a decoy reads like a bid.

const PLAINTEXT_BYTES = 384;

function pad(json: unknown): Buffer {
  const text = Buffer.from(JSON.stringify(json), 'utf8');
  if (text.length > PLAINTEXT_BYTES) throw new Error('sealed payload too long');
  return Buffer.concat([text, Buffer.alloc(PLAINTEXT_BYTES - text.length, 0x20)]);
}
const unpad = (b: Buffer): unknown => JSON.parse(b.toString('utf8').trimEnd());

/** The offer, encrypted to the listing's key: only a quorum of holders can rebuild that key. */
export interface Offer {
  listingId: string;
  bidderId: string;
  amount: Decimal;
  /** ISO 8601 as the API returned it */
  submittedAt: string;
  nonce: string;
}

/** The bidder's own copy, encrypted to the bidder's personal key. */
export interface OwnerCopy {
  id: string;
  listingId: string;
  amount: Decimal;
  submittedAt: string;
  nonce: string;
  receipt: string;
}

const offerAad = (listingId: string) => Buffer.from(`offer|${listingId}`, 'utf8');
const ownerAad = (tag: Buffer) => Buffer.from(`own|${tag.toString('hex')}`, 'utf8');

export function sealOffer(listingPublicKey: Buffer, o: Offer): Buffer {
  const payload = { v: 1, ...o, amount: o.amount.toFixed(2) };
  return sealTo(listingPublicKey, pad(payload), offerAad(o.listingId));
}

/** A decoy: encrypted to the listing's key like an offer, recognised and dropped at opening. */
export function sealDecoy(listingPublicKey: Buffer, listingId: string): Buffer {
  return sealTo(listingPublicKey, pad({ v: 1, decoy: crypto.randomBytes(8).toString('hex') }), offerAad(listingId));
}

/** A decoy's bidder copy and tag: random bytes of the same size. */
export function decoyOwnerParts(): { ownerTag: Buffer; ownerCopy: Buffer } {
  return { ownerTag: crypto.randomBytes(32), ownerCopy: randomBox(PLAINTEXT_BYTES) };
}

/**
 * Opens a stored offer with the listing's rebuilt key. `undefined`: not an offer of this listing
 * (another listing's, or changed bytes); `'decoy'`: one of the listing's decoys.
 */
export function openOffer(listing: Opener, listingId: string, sealed: Buffer): Offer | 'decoy' | undefined {
  let plain: Buffer;
  try {
    plain = openWith(listing, sealed, offerAad(listingId));
  } catch {
    return undefined;
  }
  const p = unpad(plain) as Record<string, string>;
  if (p.decoy) return 'decoy';
  if (p.listingId !== listingId) return undefined;
  return {
    listingId: p.listingId,
    bidderId: p.bidderId,
    amount: new Decimal(p.amount),
    submittedAt: p.submittedAt,
    nonce: p.nonce,
  };
}

/** HMAC of the listing id under a key only the bidder's private key gives: their offer's handle. */
export function ownerTagOf(bidderPrivateKey: Buffer, listingId: string): Buffer {
  const key = hkdf(bidderPrivateKey, 'xzjyz-bid-tag');
  const tag = crypto.createHmac('sha256', key).update(listingId, 'utf8').digest();
  key.fill(0);
  return tag;
}

export function sealOwnerCopy(bidderPublicKey: Buffer, tag: Buffer, c: OwnerCopy): Buffer {
  return sealTo(bidderPublicKey, pad({ v: 1, ...c, amount: c.amount.toFixed(2) }), ownerAad(tag));
}

export function openOwnerCopy(bidder: Opener, tag: Buffer, sealed: Buffer): OwnerCopy {
  const p = unpad(openWith(bidder, sealed, ownerAad(tag))) as Record<string, string>;
  return {
    id: p.id,
    listingId: p.listingId,
    amount: new Decimal(p.amount),
    submittedAt: p.submittedAt,
    nonce: p.nonce,
    receipt: p.receipt,
  };
}
