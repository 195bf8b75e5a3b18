import http from 'node:http';

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

/** GETs url from CONNECTIONS keep-alive connections for BENCH_SECONDS (after a short warm-up). */
export async function measure(
  url: string,
  seconds = BENCH_SECONDS,
  headers: Record<string, string> = {},
): Promise<Measurement> {
  const sent = withEncoding(headers);
  await autocannon({ url, headers: sent, connections: CONNECTIONS, duration: 1 }); // warm-up: JIT, caches, pools
  const r = await autocannon({ url, headers: sent, connections: CONNECTIONS, duration: seconds });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    failures: r.non2xx + r.errors + r.timeouts,
  };
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
