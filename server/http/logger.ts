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
/** How many characters of lines gather here before they go to the file stream as one string. */
const LOG_BLOCK_CHARS = 16_000;

/** What pino needs of its destination, and what the exit handlers call. */
interface LineStream {
  write(line: string): boolean;
  flush(cb?: (err?: Error | null) => void): void;
  flushSync(): void;
}

/**
 * Standard output, written in blocks of a few KiB rather than one write per line: under load one
 * write per access line cost a fifth of the CPU of answering a cached board read. Lines wait at most
 * half a second; what is left is written when the process exits (also after an uncaught error).
 *
 * Lines gather here and reach the file stream (pino's sonic-boom) a block at a time: sonic-boom
 * measures the byte length of the whole block it appends to at every write, which at one write per
 * line cost about 3 µs a line, more than putting the line together. The blocks are written
 * synchronously (pino's default), on the event loop's own thread: an asynchronous write hands each
 * block to a thread of libuv's pool, and that hand-over cost more than the write itself. Measured
 * per line into /dev/null: one sonic-boom write per line, asynchronous, about 3 µs; blocks handed
 * over, asynchronous, 0.9 µs; blocks written synchronously 0.5 µs (0.8 µs into a pipe). A block
 * waits only for a reader that is a whole pipe buffer (64 KiB) behind.
 */
function bufferedStdout(): LineStream {
  const file = pino.destination({ dest: 1, sync: true, minLength: LOG_BUFFER_BYTES });
  let lines: string[] = [];
  let chars = 0;
  const handOver = () => {
    if (lines.length === 0) return;
    const block = lines.join('');
    lines = [];
    chars = 0;
    file.write(block);
  };
  const stream: LineStream = {
    write(line: string) {
      lines.push(line);
      chars += line.length;
      if (chars >= LOG_BLOCK_CHARS) handOver();
      return true;
    },
    flush(cb) {
      handOver();
      file.flush(cb);
    },
    flushSync() {
      handOver();
      file.flushSync();
    },
  };
  setInterval(() => stream.flush(), LOG_FLUSH_MS).unref();
  // pino flushes its stream at exit before this runs; the lines still gathered here follow, in order
  process.on('exit', () => {
    try {
      stream.flushSync();
    } catch {
      // standard output is gone (a closed pipe): nothing left to write to
    }
  });
  return stream;
}

/** The caller's X-Request-Id when it is sane, else a new one. */
export function requestId(req: IncomingMessage): RequestId {
  return requestIdFrom(req.headers['x-request-id']);
}

/** A request id: word characters and hyphens only (so it goes into a log line as it is). */
export type RequestId = string & { readonly requestId: unique symbol };

/** The X-Request-Id header's value when it is sane, else a new id. */
export function requestIdFrom(given: string | string[] | undefined): RequestId {
  return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? (given as RequestId) : newRequestId();
}

// A new request id has the form of a UUID (version 4): 74 random bits drawn once per process, then a
// counter of 48 bits. Ids are told apart across processes and instances by the random part and within
// one by the counter, as pino-http's own counter does; they are not secrets (every answer carries its
// own). A random UUID per request cost 3% of the throughput of an answer from memory (measured).
const ID_RANDOM = crypto.randomUUID().slice(0, 24); // xxxxxxxx-xxxx-4xxx-yxxx-
let idCounter = crypto.randomInt(2 ** 40); // a restarted process does not start at 0 again
export function newRequestId(): RequestId {
  idCounter = (idCounter + 1) % 2 ** 48;
  return (ID_RANDOM + idCounter.toString(16).padStart(12, '0')) as RequestId;
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

/** The request part of an access line, made once per stored answer: its method and logged path. */
export interface AccessRequest {
  method: string;
  path: string;
  /** `"method":…,"path":…` as pino writes them */
  json: string;
}
export function accessRequest(method: string | undefined, url: string | undefined): AccessRequest {
  const m = String(method);
  const path = loggedPath(url);
  return { method: m, path, json: `"method":${JSON.stringify(m)},"path":${JSON.stringify(path)}` };
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
  // a RequestId has nothing to escape
  return (req: AccessRequest, id: RequestId, statusCode: number, startedAt: number): void => {
    if (!lines.isLevelEnabled('info')) return;
    stream.write(
      `${levelPrefix}${time()}${own[chindingsSym] as string},"req":{"id":"${id}",${req.json}},` +
        `"res":{"statusCode":${statusCode}},"responseTime":${Date.now() - startedAt}${tail}`,
    );
  };
}

function accessLogThroughPino(lines: Logger) {
  return (req: AccessRequest, id: RequestId, statusCode: number, startedAt: number): void => {
    lines.info(
      {
        req: { id, method: req.method, path: req.path },
        res: { statusCode },
        responseTime: Date.now() - startedAt,
        fromMemory: true,
      },
      'request completed',
    );
  };
}
