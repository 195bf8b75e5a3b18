import http from 'node:http';
import { cpuSeconds } from './app-process';

// autocannon ships no types: the little of its programmatic API the bench uses.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface Measurement {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  failures: number;
}

export const BENCH_SECONDS = Number(process.env.BENCH_SECONDS || 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
/** What every request of the bench accepts, as a browser does: the app and the ceiling send the same compressed bytes. */
export const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br';
const withEncoding = (headers: Record<string, string>) => ({ 'Accept-Encoding': ACCEPT_ENCODING, ...headers });

const measurement = (r: AutocannonResult): Measurement => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  total: r.requests.total,
  failures: r.non2xx + r.errors + r.timeouts,
});

/** GETs url from CONNECTIONS keep-alive connections for BENCH_SECONDS (after a short warm-up). */
export async function measure(
  url: string,
  seconds = BENCH_SECONDS,
  headers: Record<string, string> = {},
): Promise<Measurement> {
  const sent = withEncoding(headers);
  await autocannon({ url, headers: sent, connections: CONNECTIONS, duration: 1 }); // warm-up: JIT, caches, pools
  return measurement(await autocannon({ url, headers: sent, connections: CONNECTIONS, duration: seconds }));
}

/**
 * The app and the ceiling loaded at the same time, CONNECTIONS connections each, for BENCH_SECONDS:
 * on one shared core (app-process.ts, PINNED) the scheduler gives each an equal share, so whatever
 * the machine does meanwhile (another guest on the host, a slower clock) moves both alike, and their
 * req/s ratio is the ratio of what one request costs each. Measured one after the other instead, the
 * ratio of the same two processes moved from round to round by 0.56–1.28 on the 2-core machine.
 */
export async function measureTogether(
  app: { url: string; pid: number },
  ceiling: { url: string; pid: number },
  path: string,
  headers: Record<string, string> = {},
  seconds = BENCH_SECONDS,
): Promise<{ app: Measurement; ceiling: Measurement; cpuShare: number | null }> {
  const sent = withEncoding(headers);
  const plain = withEncoding({});
  const run = (url: string, h: Record<string, string>, duration: number) =>
    autocannon({ url, headers: h, connections: CONNECTIONS, duration });
  await Promise.all([run(app.url + path, sent, 1), run(ceiling.url + path, plain, 1)]); // warm-up
  const before = [cpuSeconds(app.pid), cpuSeconds(ceiling.pid)];
  const [a, c] = await Promise.all([run(app.url + path, sent, seconds), run(ceiling.url + path, plain, seconds)]);
  const after = [cpuSeconds(app.pid), cpuSeconds(ceiling.pid)];
  const used = before.map((b, i) => (b === null || after[i] === null ? null : after[i] - b));
  // the app's share of the CPU time the two used: 0.50 when the core was shared evenly
  const cpuShare = used[0] === null || used[1] === null ? null : used[0] / (used[0] + used[1]);
  return { app: measurement(a), ceiling: measurement(c), cpuShare };
}

export interface Captured {
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

// hop-by-hop and per-response headers a replay must not copy
const NOT_REPLAYED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** One plain GET: status, headers and body bytes (base64) of what the app answers. */
export function capture(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<Captured & { ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, base), { agent: false, headers: withEncoding(headers) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined && !NOT_REPLAYED.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            path,
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks).toString('base64'),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          });
        });
      })
      .on('error', reject);
  });
}

/** Median time of n sequential single requests: what one visitor waits when nobody else is asking. */
export async function singleRequestMs(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  n = 5,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) times.push((await capture(base, path, headers)).ms);
  return times.sort((a, b) => a - b)[Math.floor(n / 2)];
}
