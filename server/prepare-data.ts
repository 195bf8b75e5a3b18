import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context';
import { ensureAdmin } from './accounts/accounts.service';
import { anyTownship } from './townships/townships.service';
import { seedDemo } from '../seeds/seed';

/** In the data folder while the embedded database's demo data is being seeded: a start that dies leaves it. */
export const SEEDING_MARK = 'seeding-unfinished';

/**
 * The embedded default seeds demo data on its first run; a real server only when asked. A first run stopped
 * while seeding (the mark is still there) is seeded again at the next start, which completes it: every seed
 * step leaves what exists as it is.
 */
export async function prepareData(ctx: AppContext, embedded: boolean): Promise<boolean> {
  const { config, logger } = ctx;
  const mark = path.join(config.dataDir, SEEDING_MARK);
  const unfinished = embedded && fs.existsSync(mark);
  const empty = !(await anyTownship(ctx));
  const seeded = (embedded && (empty || unfinished)) || config.seedOnStart;
  if (seeded) {
    if (unfinished)
      logger.warn(
        '上次启动在装入演示数据时中断：现在补完 / an earlier start stopped while seeding the demo data: finishing it',
      );
    if (embedded) {
      fs.mkdirSync(config.dataDir, { recursive: true });
      fs.writeFileSync(mark, `${new Date().toISOString()}\n`);
    }
    await seedDemo(ctx);
    if (embedded) fs.rmSync(mark, { force: true });
    logger.info('demo data seeded');
  }
  if (config.adminUsername && config.adminPassword) await ensureAdmin(ctx, config.adminUsername, config.adminPassword);
  return seeded;
}
