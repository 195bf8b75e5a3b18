import path from 'node:path';

/** Every environment variable, read and validated once. */
export interface Config {
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  migrateOnStart: boolean;
  seedOnStart: boolean;
  adminUsername: string | null;
  adminPassword: string | null;
  bidSealKey: Buffer | null;
  sessionSecret: string | null;
  ocdsPrefix: string;
  tokenTtlHours: number;
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  loginLimit: {
    windowMinutes: number;
    /** failures of one username from one address that lock that pair (429) */
    perUsernameAndAddress: number;
    /** failures from one address, any usernames, that lock the address (429) */
    perAddress: number;
    /** failures of one username from anywhere after which its sign-ins are slowed, never locked */
    slowAfter: number;
    slowBaseMs: number;
    slowMaxMs: number;
  };
  maxDocumentBytes: number;
  webConcurrency: number;
  logLevel: string;
  trustProxy: boolean;
  /** how often expired sessions are removed; 0 turns pruning off (tests) */
  sessionPruneSeconds: number;
  embeddedPort: number;
  /** AUDIT_SIGNING_KEY: Ed25519 private key (PEM or base64 PKCS#8) signing audit checkpoints */
  auditSigningKey: string | null;
  /** MIGRATION_DATABASE_URL: the owner, for migrations, when DATABASE_URL is the serving role */
  migrationDatabaseUrl: string | null;
  /** APP_DB_ROLE, APP_DB_PASSWORD: the serving role the app makes when given one owner URL */
  appDbRole: string | null;
  appDbPassword: string | null;
  /** AUCTION_HEARTBEAT_MS: how often an idle auction event stream gets a keep-alive comment (15 s) */
  auctionHeartbeatMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

export function parseSealKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('BID_SEAL_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

function migrationDatabaseUrl(env: NodeJS.ProcessEnv): string | null {
  if (!env.MIGRATION_DATABASE_URL) return null;
  if (!env.DATABASE_URL) throw new Error('MIGRATION_DATABASE_URL needs DATABASE_URL (the serving role) too');
  return env.MIGRATION_DATABASE_URL;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const ocdsPrefix = env.OCDS_PREFIX || 'ocds-xzjyz1';
  if (!/^ocds-[a-z0-9]{6}$/.test(ocdsPrefix)) throw new Error('OCDS_PREFIX must look like ocds-xxxxxx');
  return {
    port: int(env, 'PORT', 3000),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.DATA_DIR || path.join(__dirname, '..', '.data')),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    seedOnStart: bool(env, 'SEED_ON_START', false),
    adminUsername: env.ADMIN_USERNAME || null,
    adminPassword: env.ADMIN_PASSWORD || null,
    bidSealKey: env.BID_SEAL_KEY ? parseSealKey(env.BID_SEAL_KEY) : null,
    sessionSecret: env.SESSION_SECRET || null,
    ocdsPrefix,
    tokenTtlHours: int(env, 'TOKEN_TTL_HOURS', 12, 1),
    argon2: {
      memoryCost: int(env, 'ARGON2_MEMORY_KIB', 19456, 19456),
      timeCost: int(env, 'ARGON2_TIME_COST', 2, 2),
      parallelism: int(env, 'ARGON2_PARALLELISM', 1, 1),
    },
    loginLimit: {
      windowMinutes: int(env, 'LOGIN_LIMIT_WINDOW_MINUTES', 15, 1),
      perUsernameAndAddress: int(
        env,
        'LOGIN_LIMIT_PER_USERNAME_AND_ADDRESS',
        int(env, 'LOGIN_LIMIT_PER_USERNAME', 5, 1), // its name before the pair was counted
        1,
      ),
      perAddress: int(env, 'LOGIN_LIMIT_PER_ADDRESS', 20, 1),
      slowAfter: int(env, 'LOGIN_SLOW_AFTER', 5, 1),
      slowBaseMs: int(env, 'LOGIN_SLOW_BASE_MS', 1000, 0),
      slowMaxMs: int(env, 'LOGIN_SLOW_MAX_MS', 8000, 0),
    },
    maxDocumentBytes: int(env, 'MAX_DOCUMENT_BYTES', 10 * 1024 * 1024, 1024),
    webConcurrency: int(env, 'WEB_CONCURRENCY', 1, 1),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: bool(env, 'TRUST_PROXY', false),
    sessionPruneSeconds: int(env, 'SESSION_PRUNE_SECONDS', 900),
    embeddedPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1),
    auditSigningKey: env.AUDIT_SIGNING_KEY || null,
    migrationDatabaseUrl: migrationDatabaseUrl(env),
    appDbRole: env.APP_DB_ROLE || null,
    appDbPassword: env.APP_DB_PASSWORD || null,
    auctionHeartbeatMs: int(env, 'AUCTION_HEARTBEAT_MS', 15_000, 100),
  };
}
