import crypto, { KeyObject } from 'node:crypto';
import argon2 from 'argon2';

// The sealing primitives, all from node:crypto (argon2 for password-derived keys):
// - X25519 key pairs, kept as raw 32-byte halves in the database;
// - ECIES: a fresh ephemeral X25519 key per message, HKDF-SHA256 of the shared secret, AES-256-GCM;
// - AES-256-GCM wrapping of a private key under a key-encryption key (argon2id of a password, or
//   HKDF of a session secret).

const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export const SEAL_ALGORITHM = 'X25519-HKDF-SHA256-AES-256-GCM';

export interface KeyPair {
  /** raw 32 bytes */
  publicKey: Buffer;
  /** raw 32 bytes: wipe with .fill(0) when done */
  privateKey: Buffer;
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('x25519');
  return { publicKey: rawPublic(publicKey), privateKey: rawPrivate(privateKey) };
}

function rawPublic(k: KeyObject): Buffer {
  return k.export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519.length);
}
function rawPrivate(k: KeyObject): Buffer {
  return k.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_X25519.length);
}

export function publicKeyObject(raw: Buffer): KeyObject {
  if (raw.length !== KEY_BYTES) throw new Error('an X25519 public key has 32 bytes');
  return crypto.createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
}
export function privateKeyObject(raw: Buffer | Uint8Array): KeyObject {
  if (raw.length !== KEY_BYTES) throw new Error('an X25519 private key has 32 bytes');
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
}

/** The public half of a raw private key (to check a rebuilt key against the published one). */
export function publicOf(privateRaw: Buffer | Uint8Array): Buffer {
  return rawPublic(crypto.createPublicKey(privateKeyObject(privateRaw)));
}

export function aesSeal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

/** Throws when the key or the additional data differ, or a byte was changed. */
export function aesOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed data too short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

function eciesKey(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  const salt = Buffer.concat([ephemeralPublic, recipientPublic]);
  return Buffer.from(crypto.hkdfSync('sha256', shared, salt, 'xzjyz-ecies-v1', KEY_BYTES));
}

/** ECIES to a raw X25519 public key: ephemeral public (32) | iv (12) | tag (16) | ciphertext. */
export function sealTo(recipientPublic: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const eph = crypto.generateKeyPairSync('x25519');
  const ephPublic = rawPublic(eph.publicKey);
  const shared = crypto.diffieHellman({ privateKey: eph.privateKey, publicKey: publicKeyObject(recipientPublic) });
  const key = eciesKey(shared, ephPublic, recipientPublic);
  shared.fill(0);
  const box = aesSeal(key, plaintext, aad);
  key.fill(0);
  return Buffer.concat([ephPublic, box]);
}

/** The recipient's private key as a KeyObject plus its raw public half, parsed once for many messages. */
export interface Opener {
  privateKey: KeyObject;
  publicKey: Buffer;
}
export function openerOf(privateRaw: Buffer | Uint8Array): Opener {
  return { privateKey: privateKeyObject(privateRaw), publicKey: publicOf(privateRaw) };
}

/** Opens an ECIES box; throws when it was not sealed to this key with this additional data. */
export function openWith(opener: Opener, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < KEY_BYTES + IV_BYTES + TAG_BYTES) throw new Error('sealed data too short');
  const ephPublic = sealed.subarray(0, KEY_BYTES);
  const shared = crypto.diffieHellman({ privateKey: opener.privateKey, publicKey: publicKeyObject(ephPublic) });
  const key = eciesKey(shared, ephPublic, opener.publicKey);
  shared.fill(0);
  try {
    return aesOpen(key, sealed.subarray(KEY_BYTES), aad);
  } finally {
    key.fill(0);
  }
}

export function hkdf(secret: Buffer | string, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), info, KEY_BYTES));
}

export interface KekParams {
  m: number;
  t: number;
  p: number;
}

/** argon2id of the password: the raw 32-byte output is the key-encryption key of a personal key. */
export async function passwordKek(password: string, salt: Buffer, params: KekParams): Promise<Buffer> {
  return argon2.hash(password, {
    type: argon2.argon2id,
    raw: true,
    salt,
    hashLength: KEY_BYTES,
    memoryCost: params.m,
    timeCost: params.t,
    parallelism: params.p,
  });
}

/** Random bytes the size of an ECIES box of `plaintextBytes`: decoys that read like real ones. */
export function randomBox(plaintextBytes: number): Buffer {
  return crypto.randomBytes(KEY_BYTES + IV_BYTES + TAG_BYTES + plaintextBytes);
}
