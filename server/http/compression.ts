import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import compression from 'compression';
import type { RequestHandler } from 'express';

/**
 * Pages and API answers go compressed: brotli where the client takes it, else gzip, else as they are
 * (Accept-Encoding decides; Vary: Accept-Encoding says so to caches).
 *
 * Two paths: the read cache (server/cache/) compresses an answer once per data version and keeps the
 * compressed bytes, so an answer from memory costs no compression at all; everything else is
 * compressed on the way out by the `compression` middleware, which leaves an answer alone when it
 * already carries a Content-Encoding. Event streams are never buffered by a compressor.
 */
export type Encoding = 'br' | 'gzip' | 'identity';

const negotiated = new Map<string, Encoding>();
const MAX_REMEMBERED = 200;

function parseAcceptEncoding(header: string): Encoding {
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    if (token) q.set(token, Number.isFinite(value) ? value : 0);
  }
  const weight = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  const br = weight('br');
  const gzip = Math.max(weight('gzip'), q.get('x-gzip') ?? 0);
  if (br > 0 && br >= gzip) return 'br';
  if (gzip > 0) return 'gzip';
  return 'identity';
}

/** The coding to answer a request with (memoised per header text: clients send a handful of them). */
export function chooseEncoding(req: IncomingMessage): Encoding {
  return encodingOf(req.headers['accept-encoding']);
}

/** The coding an Accept-Encoding header's text asks for (none given: identity). */
export function encodingOf(header: string | undefined): Encoding {
  if (typeof header !== 'string' || header === '') return 'identity';
  let enc = negotiated.get(header);
  if (!enc) {
    enc = parseAcceptEncoding(header);
    if (negotiated.size >= MAX_REMEMBERED) negotiated.clear();
    negotiated.set(header, enc);
  }
  return enc;
}

/** Compressed once and kept for good (a static asset): the strongest settings that still cost milliseconds. */
export function encodeOnce(body: Buffer, enc: Exclude<Encoding, 'identity'>): Buffer {
  if (enc === 'br') {
    return zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  return zlib.gzipSync(body, { level: 9 });
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compressed once per data version (a cached read's answer), off the event loop (zlib's thread pool), at
 * settings chosen for bytes that change while readers wait: the board of 300 live listings (305 KB of
 * JSON) took 75–85 ms at brotli quality 9 and 5–16 ms at quality 5, for 34.5 KB against 35.3 KB; gzip
 * level 6 is within 2% of level 9 at half its time.
 */
export function encodeDynamic(body: Buffer, enc: Exclude<Encoding, 'identity'>): Promise<Buffer> {
  if (enc === 'br') {
    return brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  return gzip(body, { level: 6 });
}

/** Bodies smaller than this go as they are: the coding would cost more than it saves. */
export const MIN_COMPRESSED_BYTES = 1024;

/** Everything not answered from the read cache: compressed on the way out. */
export function compressAnswers(): RequestHandler {
  return compression({
    threshold: MIN_COMPRESSED_BYTES,
    filter: (req, res) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.startsWith('text/event-stream')) return false;
      return compression.filter(req, res);
    },
  });
}
