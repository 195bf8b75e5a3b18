import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';

/**
 * The cookie-signing secret lives with the other keys, outside the database (a database read must not
 * give what it takes to forge a cookie): SESSION_SECRET, or a secret generated once in the data folder.
 * Every app instance needs the same one (a cluster's primary makes it before forking).
 */
export function loadSessionSecret(config: Config, logger: Logger): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  if (!fs.existsSync(file)) {
    if (config.databaseUrl)
      logger.warn(
        { file },
        'SESSION_SECRET is not set: generating one in the data folder; every app instance needs the same secret',
      );
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * The bid seal key never enters the database (a dump before opening must reveal no amount):
 * BID_SEAL_KEY, or a key generated once and kept in the data folder.
 */
export function loadSealKey(config: Config, logger: Logger): Buffer {
  if (config.bidSealKey) return config.bidSealKey;
  const file = path.join(config.dataDir, 'bid-seal.key');
  if (!fs.existsSync(file)) {
    if (config.databaseUrl)
      logger.warn(
        { file },
        'BID_SEAL_KEY is not set: generating one in the data folder; every app instance needs the same key',
      );
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}
