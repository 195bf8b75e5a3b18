import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { encodingOf, Encoding } from '../http/compression';
import { accessLog, AccessRequest, accessRequest, requestIdFrom } from '../http/logger';
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
  /**
   * name, value, name, value… for writeHead: the 200's headers, Content-Length included, and last
   * X-Request-Id, whose value is set just before each writeHead (which copies the headers at once)
   */
  head: (string | number)[];
  /** the same without the body's headers, for a 304 */
  notModified: (string | number)[];
  body: Buffer;
  /** what its access lines say of the request */
  logged: AccessRequest;
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

/** The request headers an answer from memory depends on (the same names as in req.headers). */
interface Asked {
  cookie?: string;
  authorization?: string;
  host?: string;
  'accept-language'?: string;
  'x-forwarded-proto'?: string;
  'accept-encoding'?: string;
  'if-none-match'?: string;
  'x-request-id'?: string;
}
/**
 * The headers of `Asked`, read from rawHeaders in one pass. Node builds req.headers (every header
 * lower-cased, repeated ones joined) only when it is first asked for, and that cost more than finding
 * the stored answer. When one of these comes twice, req.headers (which joins them) decides, as on the
 * long way.
 */
function askedOf(req: IncomingMessage): Asked {
  const raw = req.rawHeaders;
  // one shape for every request (all the fields, in this order)
  const asked: Required<Record<keyof Asked, string | undefined>> = {
    cookie: undefined,
    authorization: undefined,
    host: undefined,
    'accept-language': undefined,
    'x-forwarded-proto': undefined,
    'accept-encoding': undefined,
    'if-none-match': undefined,
    'x-request-id': undefined,
  };
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase() as keyof Asked;
    if (!Object.hasOwn(asked, name)) continue;
    if (asked[name] !== undefined) return req.headers;
    asked[name] = raw[i + 1];
  }
  return asked;
}

/**
 * Only anonymous GETs are answered from memory: requests with a cookie (a session, a language
 * choice) or an Authorization header always take the long way.
 */
function anonymousGet(req: IncomingMessage, h: Asked): boolean {
  return req.method === 'GET' && h.cookie === undefined && h.authorization === undefined;
}

/**
 * Besides the data and the URL (scope, filters, ?lang=), an answer may depend on the language asked
 * for and on the Host and scheme (open data prints its own address), and its bytes on the coding the
 * client accepts: a stored answer is used only for a request that carries the same.
 */
function sameVariant(stored: Stored, h: Asked): boolean {
  return (
    stored.host === h.host &&
    stored.lang === h['accept-language'] &&
    stored.proto === h['x-forwarded-proto'] &&
    stored.encoding === encodingOf(h['accept-encoding'])
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
  const h = req.headers as Asked;
  if (!anonymousGet(req, h) || res.getHeader('set-cookie') !== undefined) return;
  let store = stores.get(ctx.db);
  if (!store) {
    store = { size: 0, byUrl: new Map() };
    stores.set(ctx.db, store);
  }
  if (store.size >= MAX_ANSWERS) {
    store.byUrl.clear();
    store.size = 0;
  }
  const head: (string | number)[] = [];
  const notModified: (string | number)[] = [];
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (PER_REQUEST.has(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      head.push(name, v);
      if (!BODY_HEADERS.has(name)) notModified.push(name, v);
    }
  }
  head.push('content-length', body.length, 'x-request-id', '');
  notModified.push('x-request-id', '');
  const before = store.byUrl.get(req.originalUrl) ?? [];
  const variants = before.filter((v) => !sameVariant(v, h));
  variants.push({
    etag,
    spec,
    tag,
    host: h.host,
    lang: h['accept-language'],
    proto: h['x-forwarded-proto'],
    encoding: encodingOf(h['accept-encoding']),
    head,
    notModified,
    body,
    logged: accessRequest(req.method, req.originalUrl),
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
  const send = (variants: Stored[], versions: DataVersions, h: Asked, req: Request, res: Response): boolean => {
    let hit: Stored | undefined;
    for (const v of variants) {
      if (sameVariant(v, h) && tagFor(versions, v.spec.dependsOn) === v.tag) {
        hit = v;
        break;
      }
    }
    if (!hit) return false;
    const startedAt = Date.now();
    const id = requestIdFrom(h['x-request-id']);
    const notModified = etagMatches(h['if-none-match'], hit.etag);
    const headers = notModified ? hit.notModified : hit.head;
    headers[headers.length - 1] = id; // writeHead copies the headers before anything else runs
    res.writeHead(notModified ? 304 : 200, headers);
    res.end(notModified ? undefined : hit.body);
    logAnswered(hit.logged, id, res.statusCode, startedAt);
    return true;
  };
  return (req, res, next) => {
    if (req.method !== 'GET') {
      next();
      return;
    }
    const variants = stores.get(ctx.db)?.byUrl.get(req.url);
    if (!variants) {
      next();
      return;
    }
    const h = askedOf(req);
    if (!anonymousGet(req, h)) {
      next();
      return;
    }
    const settled = settledVersions(ctx);
    if (settled) {
      if (!send(variants, settled, h, req, res)) next();
      return;
    }
    currentVersions(ctx).then(
      (versions) => {
        if (!send(variants, versions, h, req, res)) next();
      },
      () => next(),
    );
  };
}
