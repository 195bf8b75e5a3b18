import cluster, { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openContext } from './bootstrap';
import { serve, stopOnSignals } from './serve';

// WEB_CONCURRENCY > 1: one primary process owns the database (it started the embedded server or
// checked DATABASE_URL, migrated and seeded, in main.ts) and forks the workers. Each worker opens
// its own pool on the primary's URL and listens on the same port (node:cluster shares it). The
// app keeps no state between requests that another worker would miss: sessions, the session secret
// and the read cache's version all live in PostgreSQL; the bid seal key is in the environment or
// the data folder, which the primary created before forking.

const SHUTDOWN = 'shutdown';
/** How long workers get to finish requests in flight before they are killed. */
const STOP_TIMEOUT_MS = 20_000;

export interface PrimaryOptions {
  config: Config;
  /** the serving role's connection string the primary used; the workers connect with it */
  url: string;
  /** the owner's: passed so that workers know the serving role is ready (they never migrate) */
  ownerUrl: string;
  logger: Logger;
  /** closes the primary's pool and stops the embedded PostgreSQL, once every worker is gone */
  close: () => Promise<void>;
  /** called once, when every worker is listening */
  onListening: () => void;
}

export function runPrimary({ config, url, ownerUrl, logger, close, onListening }: PrimaryOptions): void {
  // workers must not start a second embedded server, nor migrate or seed again
  const workerEnv = {
    DATABASE_URL: url,
    MIGRATION_DATABASE_URL: ownerUrl,
    MIGRATE_ON_START: 'false',
    SEED_ON_START: 'false',
  };
  const alive = new Set<Worker>();
  const listening = new Set<number>();
  let announced = false;
  let stopping = false;

  const fork = (): void => {
    alive.add(cluster.fork(workerEnv));
  };

  cluster.on('listening', (worker) => {
    listening.add(worker.id);
    logger.debug({ worker: worker.process.pid }, 'worker listening');
    if (!announced && listening.size >= config.webConcurrency) {
      announced = true;
      onListening();
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    alive.delete(worker);
    const wasListening = listening.delete(worker.id);
    if (stopping) {
      if (alive.size === 0) void finish(0);
      return;
    }
    // one that crashed while serving is replaced; one that never started would crash again
    if (wasListening) {
      logger.error({ worker: worker.process.pid, code, signal }, 'worker died: starting another');
      fork();
    } else {
      logger.error({ worker: worker.process.pid, code, signal }, 'worker failed to start: stopping');
      stop('worker failed to start', 1);
    }
  });

  let exitCode = 0;
  const finish = async (code: number) => {
    try {
      await close();
      logger.info('stopped');
    } catch (e) {
      logger.error({ err: e }, 'shutdown failed');
      code = 1;
    }
    process.exit(Math.max(code, exitCode));
  };

  const stop = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ reason, workers: alive.size }, 'shutting down the workers gracefully');
    if (alive.size === 0) {
      void finish(code);
      return;
    }
    for (const w of alive) if (w.isConnected()) w.send(SHUTDOWN);
    const force = setTimeout(() => {
      logger.error('workers did not stop in time: killing them');
      for (const w of alive) w.process.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    force.unref();
  };

  stopOnSignals((reason) => stop(reason));
  logger.info({ workers: config.webConcurrency }, 'starting workers');
  for (let i = 0; i < config.webConcurrency; i += 1) fork();
}

/** A forked worker: its own pool on DATABASE_URL (set by the primary), the app, the shared port. */
export async function runWorker(config: Config): Promise<void> {
  const { ctx, close } = await openContext(config);
  const { stop } = serve(ctx, close);
  process.on('message', (message) => {
    if (message === SHUTDOWN) stop('asked by the primary');
  });
  // Ctrl-C reaches the whole process group: the worker stops by itself, the primary waits for it
  stopOnSignals(stop);
  // the primary was killed outright: do not linger as an orphan holding the port
  process.on('disconnect', () => stop('primary gone'));
}
