import type { Server } from 'node:http';
import { loadConfig } from './config';
import { createApp } from './app';
import { openContext } from './bootstrap';
import { ensureAdmin } from './accounts/accounts.service';
import { DEMO_ACCOUNTS } from '../seeds/demo-accounts';
import { seedDemo } from '../seeds/seed';

async function main() {
  const config = loadConfig();
  const { ctx, embedded, close } = await openContext(config);
  const { logger } = ctx;

  // the embedded default seeds demo data on its first run; a real server only when asked
  const empty = !(await ctx.db.selectFrom('townships').select('id').limit(1).executeTakeFirst());
  const seeded = (embedded && empty) || config.seedOnStart;
  if (seeded) {
    await seedDemo(ctx);
    logger.info('demo data seeded');
  }
  if (config.adminUsername && config.adminPassword) await ensureAdmin(ctx, config.adminUsername, config.adminPassword);

  const app = createApp(ctx);
  const server: Server = app.listen(config.port, () => {
    const url = `http://localhost:${config.port}/`;
    logger.info({ url, database: embedded ? 'embedded' : 'DATABASE_URL' }, 'listening');
    if (embedded || seeded) {
      const lines = DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(8)} ${a.username.padEnd(10)} ${a.password}`);
      process.stdout.write(`\n乡镇公共资源交易站 running at ${url}\nDemo accounts (demo only):\n${lines.join('\n')}\n\n`);
    }
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server.close(async () => {
      try {
        await close();
        logger.info('stopped');
        process.exit(0);
      } catch (e) {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      }
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
