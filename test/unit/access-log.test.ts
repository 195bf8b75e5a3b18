import pino from 'pino';
import { accessLog, accessRequest, newRequestId, requestIdFrom, RequestId } from '../../server/http/logger';

const asId = (id: string): RequestId => requestIdFrom(id);

// server/http/logger.ts: the access line of an answer from memory is put together from pino's own
// pieces. It must be the line pino itself writes for the same fields, byte for byte but the time.

function capturing(options: pino.LoggerOptions = {}) {
  const written: string[] = [];
  const logger = pino({ level: 'info', ...options }, { write: (s: string) => written.push(s) });
  return { logger, written };
}

const request = (url: string) => accessRequest('GET', url);
const withoutTime = (line: string) => line.replace(/"time":\d+,/, '"time":0,');

/** What pino writes for the same line: the reference the fast line must equal. */
function throughPino(logger: pino.Logger, url: string, id: string, statusCode: number, responseTime: number) {
  logger
    .child({}, { redact: [] })
    .info(
      { req: { id, method: 'GET', path: url.split('?')[0] }, res: { statusCode }, responseTime, fromMemory: true },
      'request completed',
    );
}

describe('access lines of answers from memory', () => {
  it('writes the line pino writes, with the logger’s bindings, as one JSON line', () => {
    const { logger, written } = capturing();
    const worker = logger.child({ worker: 3 });
    const startedAt = Date.now();
    accessLog(worker)(request('/board?district=%E5%90%89%E5%B7%9E%E5%8C%BA'), asId('abc-123'), 200, startedAt);
    const responseTime = (JSON.parse(written[0]) as { responseTime: number }).responseTime;
    throughPino(worker, '/board', 'abc-123', 200, responseTime);
    expect(written).toHaveLength(2);
    expect(written[0].endsWith('}\n')).toBe(true);
    expect(withoutTime(written[0])).toBe(withoutTime(written[1]));
    expect(JSON.parse(written[0])).toMatchObject({ worker: 3, fromMemory: true, res: { statusCode: 200 } });
  });

  it('escapes what it writes and keeps sealed paths as their pattern', () => {
    const { logger, written } = capturing();
    const url = '/listings/11111111-2222-4333-8444-555555555555/bids';
    accessLog(logger)(request('/board/"quoted"\\'), asId('x'), 304, Date.now());
    accessLog(logger)(request(url), asId('y'), 200, Date.now());
    expect((JSON.parse(written[0]) as { req: { path: string } }).req.path).toBe('/board/"quoted"\\');
    expect((JSON.parse(written[1]) as { req: { path: string } }).req.path).toBe('/listings/:id/bids');
  });

  it('writes nothing below its level, and takes pino’s own path for a logger with a mixin', () => {
    const quiet = capturing({ level: 'warn' });
    accessLog(quiet.logger)(request('/board'), asId('x'), 200, Date.now());
    expect(quiet.written).toHaveLength(0);

    const mixed = capturing({ mixin: () => ({ region: '吉州' }) });
    accessLog(mixed.logger)(request('/board'), asId('x'), 200, Date.now());
    expect(JSON.parse(mixed.written[0])).toMatchObject({ region: '吉州', fromMemory: true, req: { path: '/board' } });
  });
});

describe('request ids', () => {
  it('are new for every request, shaped as a version 4 UUID, and a sane caller’s id is kept', () => {
    const ids = Array.from({ length: 1000 }, () => newRequestId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestIdFrom('kiosk-7-abc')).toBe('kiosk-7-abc');
    for (const insane of ['a b', 'x'.repeat(65), '<script>', ['a', 'b']])
      expect(requestIdFrom(insane)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
