import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Config } from './config';
import type { Db } from './db/db';
import type { PasswordHasher } from './accounts/passwords';
import type { Notifier } from './notifications/notifier';
import type { ListingSteps } from './listings/life';

/** What every router and service may need; built once in main.ts (or a test) and passed down. */
export interface AppContext {
  db: Db;
  /** the same pool Kysely uses; the session store shares it */
  pool: Pool;
  config: Config;
  logger: Logger;
  hasher: PasswordHasher;
  /** 32-byte AES-256-GCM key sealing bid amounts until opening */
  sealKey: Buffer;
  /** signs the session cookie; SESSION_SECRET or the data folder, never the database; the same on every instance */
  sessionSecret: string;
  notifier: Notifier;
  /** Ed25519 private key signing the audit checkpoints; kept outside the database like the seal key */
  auditSigningKey: KeyObject;
  /** what bids/ and auctions/ do inside a listing's publishing and cancelling (server/listing-steps.ts) */
  listingSteps: ListingSteps;
}
