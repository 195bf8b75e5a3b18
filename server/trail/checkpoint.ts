import crypto, { KeyObject } from 'node:crypto';

/** A signed tree head: the log had `size` entries whose Merkle root is `root` (hex); `at` is its newest entry's time. */
export interface Checkpoint {
  size: number;
  root: string;
  at: string;
  /** base64 Ed25519 signature over the UTF-8 string `size|root|at` */
  signature: string;
  /** PEM (SPKI) of the signing key's public half */
  publicKey: string;
}

/** What is signed: the UTF-8 bytes of `size|root|at`. */
export const checkpointMessage = (size: number, root: string, at: string): Buffer =>
  Buffer.from(`${size}|${root}|${at}`, 'utf8');

/** The time of the empty log's checkpoint, so that every instance signs the same one. */
export const EMPTY_LOG_AT = new Date(0).toISOString();

export function signCheckpoint(key: KeyObject, size: number, root: string, at: string): Checkpoint {
  const signature = crypto.sign(null, checkpointMessage(size, root, at), key).toString('base64');
  const publicKey = crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return { size, root, at, signature, publicKey };
}

/** True when the signature is a valid Ed25519 signature of `size|root|at` by `publicKey` (or by `trusted`). */
export function verifyCheckpointSignature(cp: Checkpoint, trusted: string = cp.publicKey): boolean {
  try {
    const key = crypto.createPublicKey(trusted);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return crypto.verify(null, checkpointMessage(cp.size, cp.root, cp.at), key, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A checkpoint read from outside (a file, a form, an answer): the right shape, or a reason it is not. */
export function parseCheckpoint(value: unknown): Checkpoint | { error: string } {
  const v = value as Partial<Record<keyof Checkpoint, unknown>> | null;
  if (!v || typeof v !== 'object') return { error: 'not a JSON object' };
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0)
    return { error: 'size must be an integer ≥ 0' };
  if (typeof v.root !== 'string' || !/^[0-9a-f]{64}$/.test(v.root)) return { error: 'root must be 64 hex characters' };
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return { error: 'at must be an ISO time' };
  if (typeof v.signature !== 'string') return { error: 'signature missing' };
  if (typeof v.publicKey !== 'string') return { error: 'publicKey missing' };
  return { size: v.size, root: v.root, at: v.at, signature: v.signature, publicKey: v.publicKey };
}

/** The signing key from AUDIT_SIGNING_KEY (PEM, or base64 of PKCS#8 DER): Ed25519 only. */
export function parseSigningKey(raw: string): KeyObject {
  const text = raw.includes('BEGIN') ? raw.replace(/\\n/g, '\n') : null;
  const key = text
    ? crypto.createPrivateKey(text)
    : crypto.createPrivateKey({ key: Buffer.from(raw, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('AUDIT_SIGNING_KEY must be an Ed25519 private key');
  return key;
}

/** A short name for a public key people can compare by eye: the first 16 hex of SHA-256 over its SPKI DER. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = crypto.createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/**
 * What an auditor pastes: a whole checkpoint as JSON (its signature is then checked too), or the
 * printed line from the board ("… 共 N 条，根 <64 hex>"), or just "N <64 hex>". Null when neither.
 */
export function readKeptCheckpoint(text: string): { size: number; root: string; signed?: Checkpoint } | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const cp = parseCheckpoint(JSON.parse(trimmed));
      return 'error' in cp ? null : { size: cp.size, root: cp.root, signed: cp };
    } catch {
      return null;
    }
  }
  const root = trimmed.match(/\b[0-9a-f]{64}\b/)?.[0];
  const size = trimmed.match(/(\d+)\s*(?:条|entries)/)?.[1] ?? trimmed.match(/^(\d+)\s+[0-9a-f]{64}$/)?.[1];
  if (!root || size === undefined || !Number.isSafeInteger(Number(size))) return null;
  return { size: Number(size), root };
}
