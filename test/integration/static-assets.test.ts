import fs from 'node:fs';
import type { Readable } from 'node:stream';
import request from 'supertest';
import { createTestEnv, TestEnv } from '../helpers/context';

// Static files go out under hashed names with a year's immutable caching, compressed once; the
// charting library comes from node_modules through our own origin; the site has an icon.

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

it('links hashed names from pages and serves them immutable, compressed and byte-exact', async () => {
  const home = await request(env.app).get('/').expect(200);
  const css = /href="(\/static\/app\.[0-9a-f]{10}\.css)"/.exec(home.text)?.[1];
  expect(css).toBeDefined();
  expect(home.text).toMatch(/rel="icon" href="\/static\/favicon\.[0-9a-f]{10}\.svg"/);

  const res = await request(env.app)
    .get(css!)
    .set('Accept-Encoding', 'br')
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
  expect(res.headers['content-encoding']).toBe('br');
  const original = fs.readFileSync('views/static/app.css');
  // (the client decodes the brotli it was sent)
  expect((res.body as Buffer).equals(original)).toBe(true);
  await request(env.app).get(css!).set('If-None-Match', String(res.headers.etag)).expect(304);

  // the plain name still answers, but is not promised forever; a stale hash neither
  const plain = await request(env.app).get('/static/app.css').expect(200);
  expect(plain.headers['cache-control']).toBe('public, max-age=3600');
  const stale = await request(env.app).get('/static/app.0000000000.css').expect(200);
  expect(stale.headers['cache-control']).toBe('public, max-age=3600');
  await request(env.app).get('/static/nothing.0000000000.css').expect(404);
});

it('serves ECharts from node_modules on our own origin and a favicon', async () => {
  const stats = await request(env.app).get('/stats').expect(200);
  const src = /src="(\/static\/echarts\.min\.[0-9a-f]{10}\.js)"/.exec(stats.text)?.[1];
  expect(src).toBeDefined();
  const lib = await request(env.app)
    .get(src!)
    .set('Accept-Encoding', 'gzip')
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  expect(lib.headers['content-encoding']).toBe('gzip');
  const fromPackage = fs.readFileSync(require.resolve('echarts/dist/echarts.min.js'));
  expect((lib.body as Buffer).equals(fromPackage)).toBe(true);

  const icon = await request(env.app)
    .get('/favicon.ico')
    .buffer(true)
    .parse(binary as never)
    .expect(200);
  expect(icon.headers['content-type']).toBe('image/x-icon');
  expect((icon.body as Buffer).subarray(0, 4).equals(Buffer.from([0, 0, 1, 0]))).toBe(true);
});

function binary(res: Readable, done: (e: Error | null, b: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

it('serves robots.txt and gives pages a description and their language, error pages too', async () => {
  const robots = await request(env.app).get('/robots.txt').expect(200);
  expect(robots.headers['content-type']).toMatch(/^text\/plain/);
  expect(robots.text).toContain('User-agent: *');
  expect(robots.text).toContain('Disallow: /staff');
  const home = await request(env.app).get('/').expect(200);
  expect(home.text).toMatch(/<meta name="description" content="[^"]{20,}">/);
  const missing = await request(env.app).get('/no-such-page').set('Accept-Language', 'en').expect(404);
  expect(missing.text).toContain('<html lang="en">');
});
