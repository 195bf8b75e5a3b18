import crypto from 'node:crypto';
import pino, { Logger } from 'pino';
import pinoHttp from 'pino-http';

/**
 * Structured logs with a request id. Request serializers keep only method, path and status:
 * no bodies, no headers, so no passwords, tokens, ID numbers or bid amounts can reach a log line.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'idNumber', '*.idNumber', 'amount', '*.amount', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  });
}

export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
}
