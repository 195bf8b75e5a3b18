import type { Config } from './config';
import type { AppContext } from './context';
import { createPasswordHasher } from './accounts/passwords';
import { connectDatabase } from './db/connect';
import { loadSealKey, loadSessionSecret } from './db/secrets';
import { loadAuditSigningKey } from './trail/signing-key';
import { createLogger } from './http/logger';
import { inboxNotifier } from './notifications/notifier';
import { listingSteps } from './listing-steps';

/** Connects (embedded or DATABASE_URL), migrates when configured, and assembles the context. */
export async function openContext(
  config: Config,
): Promise<{ ctx: AppContext; embedded: boolean; url: string; ownerUrl: string; close: () => Promise<void> }> {
  const logger = createLogger(config.logLevel);
  const conn = await connectDatabase(config, (m) => logger.warn(m));
  try {
    if (conn.applied.length) logger.info({ applied: conn.applied }, 'migrations applied');
    const ctx: AppContext = {
      db: conn.db,
      pool: conn.pool,
      config,
      logger,
      hasher: createPasswordHasher(config.argon2),
      sealKey: loadSealKey(config, logger),
      sessionSecret: loadSessionSecret(config, logger),
      notifier: inboxNotifier,
      auditSigningKey: loadAuditSigningKey(config, logger),
      listingSteps,
    };
    return { ctx, embedded: conn.embedded, url: conn.url, ownerUrl: conn.ownerUrl, close: conn.close };
  } catch (e) {
    await conn.close();
    throw e;
  }
}
