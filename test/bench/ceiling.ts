import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Captured } from './measure';
import { freePort } from './load';
import { nodeArgs, serverCommand, waitForWorkers } from './app-process';

// The ceiling: the same Express, bare, serving the very bytes the app answered (same status and
// headers) from memory. app / ceiling is the share of Express's own best the app keeps once it does
// its real work (queries, cache checks, rendering). It runs in its own process, like the app.

export interface Ceiling {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startCeiling(captured: Captured[]): Promise<Ceiling> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ceiling-')), 'responses.json');
  fs.writeFileSync(file, JSON.stringify(captured));
  const port = await freePort();
  const args = [...nodeArgs('BENCH_CEILING_NODE_ARGS'), '--import', 'tsx', __filename, file, String(port)];
  const child: ChildProcess = spawn(...serverCommand(args, true), {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForWorkers(url, 1, child);
  return {
    url,
    pid: child.pid ?? -1,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve(); // stopped already (the ratio run stops it, then the bench's cleanup asks again)
          return;
        }
        child.once('exit', () => {
          fs.rmSync(path.dirname(file), { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function serveCaptured(file: string, port: number): void {
  const responses = new Map(
    (JSON.parse(fs.readFileSync(file, 'utf8')) as Captured[]).map((c) => [
      c.path,
      { ...c, bytes: Buffer.from(c.body, 'base64') },
    ]),
  );
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.set('X-Worker', String(process.pid)).json({ ok: true });
  });
  app.use((req, res) => {
    const hit = responses.get(req.originalUrl);
    if (!hit) {
      res.status(404).end();
      return;
    }
    res.status(hit.status).set(hit.headers).end(hit.bytes);
  });
  const server = app.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

if (require.main === module) serveCaptured(process.argv[2], Number(process.argv[3]));
