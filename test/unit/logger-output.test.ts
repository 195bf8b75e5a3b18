import { spawn } from 'node:child_process';
import path from 'node:path';

// server/http/logger.ts writes standard output in blocks: lines must still come out while the
// process runs (within the flush interval) and when it dies of an uncaught error.

const ROOT = path.resolve(__dirname, '../..');

function run(script: string): { lines: { text: string; at: number }[]; started: number; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = Date.now();
  const lines: { text: string; at: number }[] = [];
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) lines.push({ text, at: Date.now() });
  });
  return { lines, started, done: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

const LOGGER = `const { createLogger } = require('./server/http/logger.ts'); const log = createLogger('info');`;

describe('buffered log output', () => {
  it('writes a lone line within the flush interval while the process keeps running', async () => {
    const r = run(
      `${LOGGER} setTimeout(() => log.info({ step: 'first' }, 'hello'), 300); setTimeout(() => process.exit(0), 5000);`,
    );
    for (let i = 0; i < 100 && r.lines.length === 0; i += 1) await new Promise((ok) => setTimeout(ok, 25));
    expect(r.lines).toHaveLength(1);
    expect(JSON.parse(r.lines[0].text)).toMatchObject({ level: 30, step: 'first', msg: 'hello' });
    // logged at 300 ms, out well before the process ends at 5 s
    expect(r.lines[0].at - r.started).toBeLessThan(4000);
    expect(await r.done).toBe(0);
  }, 15000);

  it('writes the lines of the last turn when the process exits in the same turn', async () => {
    const r = run(`${LOGGER} for (let i = 0; i < 30; i += 1) log.info({ i }, 'line'); process.exit(0);`);
    expect(await r.done).toBe(0);
    expect(r.lines.map((l) => JSON.parse(l.text).i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  }, 15000);

  it('keeps the order of lines across turns and blocks', async () => {
    const r = run(
      `${LOGGER} let i = 0; const t = setInterval(() => { for (let k = 0; k < 40; k += 1) log.info({ i: i++ }, 'line'); if (i >= 400) { clearInterval(t); setTimeout(() => process.exit(0), 700); } }, 1);`,
    );
    expect(await r.done).toBe(0);
    expect(r.lines.map((l) => JSON.parse(l.text).i)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  }, 15000);

  it('writes every buffered line when the process dies of an uncaught error', async () => {
    const r = run(
      `${LOGGER} for (let i = 0; i < 50; i += 1) log.info({ i }, 'line'); setTimeout(() => { throw new Error('boom'); }, 50);`,
    );
    expect(await r.done).not.toBe(0);
    expect(r.lines.map((l) => JSON.parse(l.text).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  }, 15000);
});
