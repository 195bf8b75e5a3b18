import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { Logger } from 'pino';
import pinoHttp from 'pino-http';

/**
 * Structured logs with a request id. Request serializers keep only method, path and status:
 * no bodies, no headers, so no passwords, tokens, ID numbers or bid amounts can reach a log line.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'idNumber',
          '*.idNumber',
          'amount',
          '*.amount',
          'req.headers.authorization',
          'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    bufferedStdout(),
  );
}

const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_MS = 500;

/**
 * Standard output, written in blocks of about 4 KiB rather than one write per line: under load one
 * write per access line cost a fifth of the CPU of answering a cached board read. Lines wait at most
 * half a second; pino writes what is left when the process exits (also after an uncaught error).
 */
function bufferedStdout() {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES });
  setInterval(() => stream.flush(), LOG_FLUSH_MS).unref();
  return stream;
}

/** The caller's X-Request-Id when it is sane, else a new one. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
}

const pathOf = (url: string | undefined) => String(url).split('?')[0];

// Before an opening no log line may tie a bid, a withdrawal or a registration to its listing (the
// access log would count bidders per listing): those paths are logged as their route's pattern,
// `/api/v1/listings/:id/bids`; the request id still finds the line for support.
const SEALED_PATHS = /^((?:\/api\/v1)?(?:\/staff)?\/listings\/)[^/]+(\/(?:bids?|registrations?)(?:\/.*)?)$/;
const IDS = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi;

/** The path as an access line shows it. */
export function loggedPath(url: string | undefined): string {
  const path = pathOf(url);
  const m = SEALED_PATHS.exec(path);
  return m ? `${m[1]}:id${m[2].replace(IDS, '/:regId')}` : path;
}

export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const id = requestId(req);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: string; method: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        path: loggedPath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
}

/**
 * The access lines of answers sent without pino-http (the response cache), in the fields pino-http
 * writes, so log readers see one format, plus `fromMemory: true`. They hold only the request id,
 * method, path (no query), status and time, so they need no redaction.
 *
 * These answers cost a quarter of a millisecond, and pino's general path (merging objects,
 * serialising them, redaction checks) was an eighth of that: the line is put together here from
 * pino's own pieces instead (its level prefix, its clock, the logger's bindings, its message key) and
 * handed to the logger's stream, the same bytes `logger.info` writes (test/unit/access-log.test.ts).
 * A logger with a mixin or hooks takes pino's own path.
 */
export function accessLog(logger: Logger) {
  const lines = logger.child({}, { redact: [] });
  const { lsCacheSym, timeSym, chindingsSym, messageKeySym, streamSym, mixinSym, hooksSym } = pino.symbols;
  const own = lines as unknown as Record<symbol, unknown>;
  const hooks = own[hooksSym] as { logMethod?: unknown; streamWrite?: unknown } | undefined;
  const plain = !own[mixinSym] && !hooks?.logMethod && !hooks?.streamWrite;
  const levelPrefix = (own[lsCacheSym] as Record<number, string> | undefined)?.[lines.levels.values.info];
  const time = own[timeSym] as (() => string) | undefined;
  const stream = own[streamSym] as { write(line: string): unknown } | undefined;
  if (!plain || !levelPrefix || !time || !stream) return accessLogThroughPino(lines);
  const tail = `,"fromMemory":true,${JSON.stringify(own[messageKeySym])}:"request completed"}\n`;
  return (req: IncomingMessage, id: string, statusCode: number, startedAt: number): void => {
    if (!lines.isLevelEnabled('info')) return;
    stream.write(
      `${levelPrefix}${time()}${own[chindingsSym] as string},"req":{"id":${JSON.stringify(id)},"method":${JSON.stringify(req.method)},` +
        `"path":${JSON.stringify(loggedPath(req.url))}},"res":{"statusCode":${statusCode}},"responseTime":${Date.now() - startedAt}${tail}`,
    );
  };
}

function accessLogThroughPino(lines: Logger) {
  return (req: IncomingMessage, id: string, statusCode: number, startedAt: number): void => {
    lines.info(
      {
        req: { id, method: req.method, path: loggedPath(req.url) },
        res: { statusCode },
        responseTime: Date.now() - startedAt,
        fromMemory: true,
      },
      'request completed',
    );
  };
}
