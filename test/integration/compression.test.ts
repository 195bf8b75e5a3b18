import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { createTestEnv, makeTownship, TestEnv } from '../helpers/context';
import { makeListing } from '../helpers/fixtures';

// server/http/compression.ts: brotli or gzip by Accept-Encoding, with Vary; the read cache keeps the
// compressed bytes, so answers from memory are the same compressed bytes.

let env: TestEnv;
let server: http.Server;
let base: string;
beforeAll(async () => {
  env = await createTestEnv();
  server = env.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await env.close();
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
/** A GET whose body comes back exactly as sent (no client decoding). */
function get(path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, base), { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}
const decode = (r: Raw) =>
  r.headers['content-encoding'] === 'br'
    ? zlib.brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? zlib.gunzipSync(r.body)
      : r.body;
const varies = (r: Raw) =>
  String(r.headers.vary ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function townshipWithListings(n: number) {
  const tw = await makeTownship(env.ctx);
  for (let i = 0; i < n; i += 1) {
    await makeListing(env.ctx, {
      townshipId: tw.id,
      title: `压缩测试公告 ${i} 村道硬化工程`,
      bidOpensAt: new Date(Date.now() + 3600_000),
      bidDeadline: new Date(Date.now() + 7200_000),
    });
  }
  return tw;
}

describe('compressed answers', () => {
  it.each(['/api/v1/board', '/board'])(
    '%s (cached): brotli and gzip decode to the very bytes of the plain answer, with one ETag and Vary',
    async (path) => {
      const tw = await townshipWithListings(6);
      const url = `${path}?townshipId=${tw.id}`;
      const plain = await get(url, { 'Accept-Encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(1024);
      for (const [accept, coding] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        ['br;q=0.5, gzip', 'gzip'],
        ['br', 'br'],
      ]) {
        // three times: the first goes the long way, later ones are answered from memory
        for (let i = 0; i < 3; i += 1) {
          const r = await get(url, { 'Accept-Encoding': accept });
          expect(r.headers['content-encoding']).toBe(coding);
          expect(Number(r.headers['content-length'])).toBe(r.body.length);
          expect(r.body.length).toBeLessThan(plain.body.length / 2);
          expect(decode(r).equals(plain.body)).toBe(true);
          expect(r.headers.etag).toBe(plain.headers.etag);
          expect(varies(r)).toContain('accept-encoding');
          await sleep(20);
        }
      }
      const notModified = await get(url, { 'Accept-Encoding': 'br', 'If-None-Match': String(plain.headers.etag) });
      expect(notModified.status).toBe(304);
      expect(notModified.body.length).toBe(0);
      expect(notModified.headers['content-encoding']).toBeUndefined();
      expect(varies(notModified)).toContain('accept-encoding');
    },
  );

  it('a change of data gives a new ETag and newly compressed bytes of the new answer', async () => {
    const tw = await townshipWithListings(4);
    const url = `/api/v1/board?townshipId=${tw.id}`;
    const before = await get(url, { 'Accept-Encoding': 'br' });
    await makeListing(env.ctx, {
      townshipId: tw.id,
      title: '新加的公告',
      bidOpensAt: new Date(Date.now() + 3600_000),
      bidDeadline: new Date(Date.now() + 7200_000),
    });
    await sleep(300); // the NOTIFY of the insert reaches the read cache
    const after = await get(url, { 'Accept-Encoding': 'br' });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(decode(after).toString()).toContain('新加的公告');
    const stale = await get(url, { 'Accept-Encoding': 'br', 'If-None-Match': String(before.headers.etag) });
    expect(stale.status).toBe(200);
  });

  it('compresses answers that are not cached too (a listing search, a page), and leaves small ones plain', async () => {
    const tw = await townshipWithListings(8);
    for (const url of [`/api/v1/listings?townshipId=${tw.id}`, `/listings?townshipId=${tw.id}`]) {
      const plain = await get(url, { 'Accept-Encoding': 'identity' });
      const br = await get(url, { 'Accept-Encoding': 'br' });
      const gz = await get(url, { 'Accept-Encoding': 'gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(varies(br)).toContain('accept-encoding');
      // pages carry a per-request CSRF token and request id, so compare the decoded JSON or length
      if (url.startsWith('/api/')) {
        expect(decode(br).equals(plain.body)).toBe(true);
        expect(decode(gz).equals(plain.body)).toBe(true);
      } else {
        expect(decode(br).toString()).toContain('压缩测试公告 7');
      }
    }
    const small = await get('/healthz', { 'Accept-Encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});
