import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { freePort } from './load';

// The app as an operator runs it (`node --import tsx server/main.ts`), in its own process tree,
// so the load generator (this process) never shares an event loop with what it measures.

const ROOT = path.resolve(__dirname, '../..');
export const SEAL_KEY = 'be'.repeat(32);

export interface AppProcess {
  url: string;
  /** the serving process (with one worker, the only one) */
  pid: number;
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

/**
 * Where the processes run while the app is measured against the ceiling: both servers on the last core,
 * the load generator (this process, every thread) on the others. Then neither side takes the other's
 * core, and the app and the ceiling, measured at the same time, share one core evenly (measureTogether).
 * Used where taskset exists and there are two cores or more; BENCH_PIN=0 turns it off.
 */
const cores = os.availableParallelism();
export const PINNED = process.env.BENCH_PIN !== '0' && cores >= 2 && hasTaskset();
function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const SERVER_CORE = String(cores - 1);

/** User + system CPU seconds a process (every thread) has used so far, from /proc; null elsewhere. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after the command name (which may hold spaces): state is field 3, utime and stime fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ
  } catch {
    return null;
  }
}

/** Puts the load generator on every core but the servers' (on = true) or back on all of them. */
export function pinLoadGenerator(on: boolean): void {
  if (!PINNED) return;
  const set = on ? (cores === 2 ? '0' : `0-${cores - 2}`) : `0-${cores - 1}`;
  execFileSync('taskset', ['-a', '-p', '-c', set, String(process.pid)], { stdio: 'ignore' });
}

/** The command and arguments that start `node args…`, on the servers' core when pinned. */
export function serverCommand(args: string[], pinned: boolean): [string, string[]] {
  return pinned && PINNED ? ['taskset', ['-c', SERVER_CORE, process.execPath, ...args]] : [process.execPath, args];
}

/** Starts the app; `pinned`: on the servers' core (see PINNED), for one worker against the ceiling. */
export async function startApp(databaseUrl: string, workers: number, pinned = false): Promise<AppProcess> {
  const port = await freePort();
  const [command, args] = serverCommand(
    [...nodeArgs('BENCH_APP_NODE_ARGS'), '--import', 'tsx', 'server/main.ts'],
    pinned,
  );
  const child = spawn(command, args, {
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
    pid: child.pid ?? -1,
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
