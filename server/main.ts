import cluster from 'node:cluster';
import type { AppContext } from './context';
import { loadConfig } from './config';
import { openContext } from './bootstrap';
import { runPrimary, runWorker } from './cluster';
import { serve, stopOnSignals } from './serve';
import { ensureAdmin } from './accounts/accounts.service';
import { DEMO_ACCOUNTS } from '../seeds/demo-accounts';
import { seedDemo } from '../seeds/seed';

/** The embedded default seeds demo data on its first run; a real server only when asked. */
async function prepareData(ctx: AppContext, embedded: boolean): Promise<boolean> {
  const { config, logger } = ctx;
  const empty = !(await ctx.db.selectFrom('townships').select('id').limit(1).executeTakeFirst());
  const seeded = (embedded && empty) || config.seedOnStart;
  if (seeded) {
    await seedDemo(ctx);
    logger.info('demo data seeded');
  }
  if (config.adminUsername && config.adminPassword) await ensureAdmin(ctx, config.adminUsername, config.adminPassword);
  return seeded;
}

async function main() {
  const config = loadConfig();
  if (cluster.isWorker) return runWorker(config);

  // started, migrated and seeded once, whether one process serves or several workers do
  const { ctx, embedded, url, ownerUrl, close } = await openContext(config);
  const seeded = await prepareData(ctx, embedded);

  const announce = () => {
    const address = `http://localhost:${config.port}/`;
    ctx.logger.info(
      { url: address, database: embedded ? 'embedded' : 'DATABASE_URL', workers: config.webConcurrency },
      'listening',
    );
    if (embedded || seeded) {
      const lines = DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(8)} ${a.username.padEnd(10)} ${a.password}`);
      process.stdout.write(
        `\n乡镇公共资源交易站 running at ${address}\nDemo accounts (demo only):\n${lines.join('\n')}\n\n`,
      );
    }
  };

  if (config.webConcurrency > 1) {
    runPrimary({ config, url, ownerUrl, logger: ctx.logger, close, onListening: announce });
  } else {
    stopOnSignals(serve(ctx, close, announce).stop);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
