import cluster from 'node:cluster';
import { loadConfig } from './config';
import { openContext } from './bootstrap';
import { runPrimary, runWorker } from './cluster';
import { httpPortRefusal, serve, stopOnSignals } from './serve';
import { DEMO_ACCOUNTS } from '../seeds/demo-accounts';
import { prepareData } from './prepare-data';
import { StartRefusal } from './start-refusal';
import { embeddedPreflight } from './db/embedded';

async function main() {
  const config = loadConfig();
  if (cluster.isWorker) return runWorker(config);

  // before the database is touched: a second checkout's start says what is in its way, all of it at once
  const refused = StartRefusal.all(
    (
      await Promise.all([
        httpPortRefusal(config.port),
        config.databaseUrl ? null : embeddedPreflight(config.dataDir, config.embeddedPort),
      ])
    ).filter((r) => r !== null),
  );
  if (refused) throw refused;

  // started, migrated and seeded once, whether one process serves or several workers do
  const { ctx, embedded, url, ownerUrl, close } = await openContext(config);
  let seeded: boolean;
  try {
    seeded = await prepareData(ctx, embedded);
  } catch (e) {
    await close(); // stops the embedded PostgreSQL, which a bare exit would leave running
    throw e;
  }

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

main().catch((e: unknown) => {
  // a refusal the operator can act on is its message alone; anything else with its stack
  if (e instanceof StartRefusal) console.error(`\n${e.message}\n`);
  else console.error(e ?? 'start failed (no error given) / 启动失败（未给出原因）');
  process.exit(1);
});
