import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, TestDatabase } from '../helpers/db';

// WEB_CONCURRENCY=2 as an operator runs it: the real entry point in its own process tree.
const ROOT = path.resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** GET /healthz; null while nothing listens yet. */
function health(port: number): Promise<{ status: number; worker: string; body: unknown } | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, worker: String(res.headers['x-worker']), body: JSON.parse(text) }),
      );
    });
    req.on('error', () => resolve(null));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('WEB_CONCURRENCY=2', () => {
  let database: TestDatabase;
  let child: ChildProcess;
  let port: number;
  let stderr = '';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-cluster-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        WEB_CONCURRENCY: '2',
        PORT: String(port),
        DATABASE_URL: database.url,
        MIGRATION_DATABASE_URL: database.ownerUrl,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        SESSION_PRUNE_SECONDS: '0',
        BID_SEAL_KEY: 'ab'.repeat(32),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (c) => {
      stderr += c;
    });
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz from two distinct worker processes, then SIGTERM ends every process', async () => {
    const workers = new Set<string>();
    // the workers start in parallel; ask until both have answered (bounded, never a timing assertion)
    for (let i = 0; i < 400 && workers.size < 2; i += 1) {
      const res = await health(port);
      if (res) {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true });
        workers.add(res.worker);
      } else {
        await sleep(100);
      }
    }
    if (workers.size < 2)
      throw new Error(`expected two workers, saw ${[...workers].join(', ') || 'none'}; stderr:\n${stderr}`);
    const pids = [...workers].map(Number);
    expect(pids).not.toContain(child.pid);
    expect(pids.every(isAlive)).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // the primary waits for its workers before it exits: none may be left behind
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await health(port)).toBeNull();
  });
});
