import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { chooseEncoding, encodeOnce } from './compression';

// Static assets under names that carry their content's hash (`/static/app.3f9c2b1a7d.css`): a page
// names the exact bytes it was made with, so browsers may keep them for a year without asking again
// (Cache-Control: immutable) and a new release is fetched at once because its names differ. Each file
// is read once and compressed at most once per coding, so serving one costs no compression.
// The plain names (`/static/app.css`) still answer, with a short cache, for anything that links them.

const STATIC_DIR = path.resolve(__dirname, '../../views/static');
/** Files served from node_modules under our own origin (no CDN). */
const FROM_PACKAGES: Record<string, string> = {
  'echarts.min.js': require.resolve('echarts/dist/echarts.min.js'),
};
const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};
const YEAR = 365 * 24 * 3600;

interface Asset {
  file: string;
  hash: string;
  type: string;
  body: Buffer;
  encoded: Partial<Record<'br' | 'gzip', Buffer>>;
}

let assets: Map<string, Asset> | undefined;

function load(): Map<string, Asset> {
  const files: Record<string, string> = { ...FROM_PACKAGES };
  for (const name of fs.readdirSync(STATIC_DIR)) files[name] = path.join(STATIC_DIR, name);
  const map = new Map<string, Asset>();
  for (const [name, file] of Object.entries(files)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(file);
    const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 10);
    map.set(name, { file, hash, type, body, encoded: {} });
  }
  return map;
}

function all(): Map<string, Asset> {
  // in development the files change under a running server: read them again each time
  if (!assets || process.env.NODE_ENV === 'development') assets = load();
  return assets;
}

/** The hashed address of a static file, e.g. assetUrl('app.css') → '/static/app.3f9c2b1a7d.css'. */
export function assetUrl(name: string): string {
  const asset = all().get(name);
  if (!asset) throw new Error(`no static asset named ${name}`);
  const ext = path.extname(name);
  return `/static/${name.slice(0, -ext.length)}.${asset.hash}${ext}`;
}

const HASHED = /^\/([A-Za-z0-9_.-]+)\.([0-9a-f]{10})(\.[a-z]+)$/;
const TEXT = new Set(['.css', '.js', '.svg']);

function send(asset: Asset, name: string, immutable: boolean): RequestHandler {
  return (req, res) => {
    res.setHeader('Content-Type', asset.type);
    res.setHeader('Cache-Control', immutable ? `public, max-age=${YEAR}, immutable` : 'public, max-age=3600');
    res.setHeader('ETag', `"${asset.hash}"`);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === `"${asset.hash}"`) return void res.status(304).end();
    const enc = TEXT.has(path.extname(name)) ? chooseEncoding(req) : 'identity';
    let body = asset.body;
    if (enc !== 'identity') {
      body = asset.encoded[enc] ??= encodeOnce(asset.body, enc);
      res.setHeader('Content-Encoding', enc);
    }
    res.setHeader('Content-Length', String(body.length));
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };
}

/** Serves /static/<name>.<hash>.<ext> for a year and /static/<name> for an hour; anything else falls through. */
export const serveAssets: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const hashed = HASHED.exec(req.path);
  if (hashed) {
    const name = `${hashed[1]}${hashed[3]}`;
    const asset = all().get(name);
    // an old hash after a release: the current bytes, but not promised forever
    if (asset) return send(asset, name, asset.hash === hashed[2])(req, res, next);
    return next();
  }
  const name = req.path.slice(1);
  const asset = all().get(name);
  if (asset) return send(asset, name, false)(req, res, next);
  next();
};

/**
 * /robots.txt: the public pages may be indexed (announcements are meant to be found); the desks behind sign-in
 * and the API are not pages to index.
 */
export const serveRobots: RequestHandler = (_req, res) => {
  res
    .type('text/plain')
    .set('Cache-Control', 'public, max-age=86400')
    .send(
      'User-agent: *\nDisallow: /staff\nDisallow: /admin\nDisallow: /auditor\nDisallow: /bidder\nDisallow: /api/\n',
    );
};

/** The site's icon where browsers look for it without being told. */
export const serveFavicon: RequestHandler = (req, res, next) => {
  const asset = all().get('favicon.ico');
  return asset ? send(asset, 'favicon.ico', false)(req, res, next) : next();
};
