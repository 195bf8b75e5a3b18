import crypto, { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { parseSigningKey } from './checkpoint';

/**
 * The key that signs audit checkpoints is kept outside the database, like the bid seal key: whoever
 * can rewrite the trail must not also be able to sign a checkpoint for the rewrite. AUDIT_SIGNING_KEY,
 * or an Ed25519 key generated once into the data folder (audit-signing.pem, mode 0600). Every app
 * instance needs the same key (a cluster's primary makes it before forking).
 */
export function loadAuditSigningKey(config: Config, logger: Logger): KeyObject {
  if (config.auditSigningKey) return parseSigningKey(config.auditSigningKey);
  const file = path.join(config.dataDir, 'audit-signing.pem');
  if (!fs.existsSync(file)) {
    if (config.databaseUrl)
      logger.warn(
        { file },
        'AUDIT_SIGNING_KEY is not set: generating one in the data folder; every app instance needs the same key',
      );
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return parseSigningKey(fs.readFileSync(file, 'utf8'));
}
