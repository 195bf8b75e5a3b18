import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort } from './load';

// The app as an operator runs it (`node --import tsx server/main.ts`), in its own process tree,
// so the load generator (this process) never shares an event loop with what it measures.

const ROOT = path.resolve(__dirname, '../..');
export const SEAL_KEY = 'be'.repeat(32);

export interface AppProcess {
  url: string;
  stop(): Promise<number | null>;
}

function healthWorker(url: string): Promise<string | null> {
  return new Promise((resolve) => {
    http
      .get(`${url}/healthz`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? String(res.headers['x-worker']) : null));
      })
      .on('error', () => resolve(null));
  });
}

/** Polls /healthz until `count` distinct processes have answered (bounded: 60 s). */
export async function waitForWorkers(url: string, count: number, child: ChildProcess): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < 600 && seen.size < count; i += 1) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    const w = await healthWorker(url);
    if (w) seen.add(w);
    else await new Promise((r) => setTimeout(r, 100));
  }
  if (seen.size < count) throw new Error(`${url}: ${seen.size} of ${count} workers answered`);
}

/**
 * Extra node flags for one side only, from an environment variable: BENCH_APP_NODE_ARGS for the app,
 * BENCH_CEILING_NODE_ARGS for the ceiling, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 */
export const nodeArgs = (variable: string): string[] => (process.env[variable] ?? '').split(' ').filter(Boolean);

export async function startApp(databaseUrl: string, workers: number): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs('BENCH_APP_NODE_ARGS'), '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      WEB_CONCURRENCY: String(workers),
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'info',
      BID_SEAL_KEY: SEAL_KEY,
      SESSION_PRUNE_SECONDS: '0',
    },
    // request logs go to /dev/null: written (as in production) but not read back by the bench
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForWorkers(url, workers, child);
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve(child.exitCode);
          return;
        }
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
