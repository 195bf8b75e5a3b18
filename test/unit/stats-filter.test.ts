import { AppError } from '../../server/http/errors';
import { parseBound, parseStatsFilter } from '../../server/stats/stats';
import { shanghaiDayStart } from '../../server/http/time';

describe('stats filter', () => {
  it('reads days as Asia/Shanghai calendar days, both ends inclusive', () => {
    const f = parseStatsFilter({ from: '2026-01-01', to: '2026-01-31' });
    expect(f.from?.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(f.until?.toISOString()).toBe('2026-01-31T16:00:00.000Z');
  });
  it('takes ISO instants as they are, inclusive', () => {
    expect(parseBound('2026-03-01T08:00:00+08:00', 'from')?.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseBound('2026-03-01T08:00:00Z', 'to')?.toISOString()).toBe('2026-03-01T08:00:00.001Z');
  });
  it('refuses days that do not exist and text that is no date with 422 VALIDATION naming the field', () => {
    expect(shanghaiDayStart('2026-02-30')).toBeNull();
    for (const query of [
      { from: '2026-02-30' },
      { to: 'yesterday' },
      { from: '2026-13-01' },
      { townshipId: 'xq' },
      { from: '2026-02-01', to: '2026-01-01' },
    ]) {
      let err: AppError | undefined;
      try {
        parseStatsFilter(query);
      } catch (e) {
        err = e as AppError;
      }
      expect(err?.code).toBe('VALIDATION');
      expect(Object.keys((err as AppError & { fields: object }).fields)).toHaveLength(1);
    }
  });
  it('leaves out what is not given', () => {
    expect(parseStatsFilter({})).toEqual({});
    expect(parseStatsFilter({ district: ' 吉州区 ' })).toEqual({ district: '吉州区' });
  });
});
