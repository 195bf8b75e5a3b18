import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { chooseEncoding, Encoding } from '../http/compression';
import { accessLog, requestId } from '../http/logger';
import type { ReadSpec } from './reads';
import { currentVersions, DataVersions, etagMatches, settledVersions, tagFor } from './version';

/**
 * Whole answers to anonymous public reads (the board, statistics, hall figures, open data), kept
 * ready to send: the headers the full middleware stack set, the ETag and the body bytes, per request,
 * each at the version of its read's own sources (a change elsewhere leaves it in place).
 *
 * The first anonymous GET of a URL goes the long way (helmet, the logger, routing, the scope lookup,
 * the read cache) and leaves its answer here. The same request is then answered from here, at the front
 * of the app, with the very same status, headers and bytes and one access log line, for as long as the
 * sources its read depends on are at the version it was made at (read again first when a change may
 * have happened: see answerFromMemory). A change of those sources, a cookie, an Authorization header,
 * another language, another Host takes the long way again.
 */
interface Stored {
  etag: string;
  /** the read the answer came from and its version then */
  spec: ReadSpec;
  tag: string;
  /** what the request carried that the answer may depend on (see sameVariant) */
  host: string | undefined;
  lang: string | undefined;
  proto: string | undefined;
  /** the coding the request's Accept-Encoding chose (a small body goes plain whatever it is) */
  encoding: Encoding;
  /** name, value, name, value… for writeHead: the 200's headers, Content-Length included */
  head: (string | number)[];
  /** the same without the body's headers, for a 304 */
  notModified: (string | number)[];
  body: Buffer;
}

interface Answers {
  size: number;
  byUrl: Map<string, Stored[]>;
}

/** Per-request keys are chosen by callers (any query string): bound how many are kept (then all go). */
const MAX_ANSWERS = 2000;
// one store per database handle, like the read cache: tests run several apps side by side
const stores = new WeakMap<object, Answers>();

// answered per request, never replayed: the request id, and what node writes itself
const PER_REQUEST = new Set([
  'x-request-id',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);
const BODY_HEADERS = new Set(['content-type', 'content-length', 'content-encoding']);

/**
 * Only anonymous GETs are answered from memory: requests with a cookie (a session, a language
 * choice) or an Authorization header always take the long way.
 */
function anonymousGet(req: IncomingMessage): boolean {
  return req.method === 'GET' && req.headers.cookie === undefined && req.headers.authorization === undefined;
}

/**
 * Besides the data and the URL (scope, filters, ?lang=), an answer may depend on the language asked
 * for and on the Host and scheme (open data prints its own address), and its bytes on the coding the
 * client accepts: a stored answer is used only for a request that carries the same.
 */
function sameVariant(stored: Stored, req: IncomingMessage): boolean {
  const h = req.headers;
  return (
    stored.host === h.host &&
    stored.lang === h['accept-language'] &&
    stored.proto === h['x-forwarded-proto'] &&
    stored.encoding === chooseEncoding(req)
  );
}

/** Called by the read cache just before it sends a 200 it computed the long way. */
export function rememberResponse(
  ctx: AppContext,
  req: Request,
  res: Response,
  spec: ReadSpec,
  tag: string,
  etag: string,
  body: Buffer,
): void {
  if (!anonymousGet(req) || res.getHeader('set-cookie') !== undefined) return;
  let store = stores.get(ctx.db);
  if (!store) {
    store = { size: 0, byUrl: new Map() };
    stores.set(ctx.db, store);
  }
  if (store.size >= MAX_ANSWERS) {
    store.byUrl.clear();
    store.size = 0;
  }
  const h = req.headers;
  const head: (string | number)[] = [];
  const notModified: (string | number)[] = [];
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (PER_REQUEST.has(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      head.push(name, v);
      if (!BODY_HEADERS.has(name)) notModified.push(name, v);
    }
  }
  head.push('content-length', body.length);
  const before = store.byUrl.get(req.originalUrl) ?? [];
  const variants = before.filter((v) => !sameVariant(v, req));
  variants.push({
    etag,
    spec,
    tag,
    host: h.host,
    lang: h['accept-language'],
    proto: h['x-forwarded-proto'] as string | undefined,
    encoding: chooseEncoding(req),
    head,
    notModified,
    body,
  });
  store.byUrl.set(req.originalUrl, variants);
  store.size += variants.length - before.length;
}

/**
 * Mounted first: answers a remembered request while its read's sources are still at the version it was
 * made at. When a change may have happened (a write, a NOTIFY, a status due by the clock, the LISTEN
 * connection down) the versions are read first, once for all the requests waiting, and an answer whose
 * sources did not change is still sent from here.
 */
export function answerFromMemory(ctx: AppContext): RequestHandler {
  const logAnswered = accessLog(ctx.logger);
  /** Sends the stored answer whose sources are still at `versions`; false when none is. */
  const send = (variants: Stored[], versions: DataVersions, req: Request, res: Response): boolean => {
    const hit = variants.find((v) => sameVariant(v, req) && tagFor(versions, v.spec.dependsOn) === v.tag);
    if (!hit) return false;
    const startedAt = Date.now();
    const id = requestId(req);
    if (etagMatches(req.headers['if-none-match'], hit.etag)) {
      res.writeHead(304, [...hit.notModified, 'x-request-id', id]);
      res.end();
    } else {
      res.writeHead(200, [...hit.head, 'x-request-id', id]);
      res.end(hit.body);
    }
    logAnswered(req, id, res.statusCode, startedAt);
    return true;
  };
  return (req, res, next) => {
    if (!anonymousGet(req)) {
      next();
      return;
    }
    const variants = stores.get(ctx.db)?.byUrl.get(req.url);
    if (!variants) {
      next();
      return;
    }
    const settled = settledVersions(ctx);
    if (settled) {
      if (!send(variants, settled, req, res)) next();
      return;
    }
    currentVersions(ctx).then(
      (versions) => {
        if (!send(variants, versions, req, res)) next();
      },
      () => next(),
    );
  };
}
