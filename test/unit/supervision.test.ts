import { calendarOf } from '../../server/calendar/calendar';
import {
  alertsAt,
  DealFacts,
  levelAt,
  levelCrossings,
  milestones,
  StepInstance,
  stepsOfDeal,
} from '../../server/supervision/supervision';
import { countCrossings, currentPeriods, reportByTownship } from '../../server/supervision/supervision.report';

const at = (s: string) => new Date(s);
const none = calendarOf([]);
const rules = { openWithinHours: 24, awardWithinDays: 3, contractWithinDays: 30 };

function deal(over: Partial<DealFacts> = {}): DealFacts {
  return {
    listingId: 'L1',
    townshipId: 'T1',
    state: 'published',
    bidDeadline: at('2026-11-20T10:00:00+08:00'),
    openedAt: null,
    failedAt: null,
    cancelledAt: null,
    concludedAt: null,
    awardedAt: null,
    publicityEndsAt: null,
    contractRecordedAt: null,
    objections: [],
    ...over,
  };
}

describe('levels of a step', () => {
  const m = milestones(at('2026-11-20T10:00:00+08:00'), { unit: 'hours', amount: 24 }, none);

  it('puts warning at 80 %, yellow after the due time and red at twice the limit (clock hours)', () => {
    expect(m.warningAt).toEqual(at('2026-11-21T05:12:00+08:00'));
    expect(m.dueAt).toEqual(at('2026-11-21T10:00:00+08:00'));
    expect(m.redAt).toEqual(at('2026-11-22T10:00:00+08:00'));
    expect(levelAt(m, at('2026-11-21T05:11:59+08:00'))).toBeNull();
    expect(levelAt(m, at('2026-11-21T05:12:00+08:00'))).toBe('warning');
    expect(levelAt(m, at('2026-11-21T10:00:00+08:00'))).toBe('warning'); // due, not yet overdue
    expect(levelAt(m, at('2026-11-21T10:00:01+08:00'))).toBe('yellow');
    expect(levelAt(m, at('2026-11-22T09:59:59+08:00'))).toBe('yellow');
    expect(levelAt(m, at('2026-11-22T10:00:00+08:00'))).toBe('red');
  });

  it('counts working-day limits in working time: the weekend does not eat the limit', () => {
    // opened Thursday noon, 3 working days → due Tuesday noon; warning at 2.4 → Monday 21:36; red at 6 → next Friday noon
    const w = milestones(at('2026-11-19T12:00:00+08:00'), { unit: 'workingDays', amount: 3 }, none);
    expect(w.warningAt).toEqual(at('2026-11-23T21:36:00+08:00'));
    expect(w.dueAt).toEqual(at('2026-11-24T12:00:00+08:00'));
    expect(w.redAt).toEqual(at('2026-11-27T12:00:00+08:00'));
    expect(levelAt(w, at('2026-11-22T23:00:00+08:00'))).toBeNull(); // Sunday night: only 1.5 working days used
  });

  it('holidays stretch working-day limits', () => {
    const cal = calendarOf([{ day: '2026-11-23', kind: 'holiday' }]);
    expect(milestones(at('2026-11-19T12:00:00+08:00'), { unit: 'workingDays', amount: 3 }, cal).dueAt).toEqual(
      at('2026-11-25T12:00:00+08:00'),
    );
  });

  it('goes straight to red when the limit is zero, and never warns', () => {
    const z = milestones(at('2026-11-20T10:00:00+08:00'), { unit: 'hours', amount: 0 }, none);
    expect(levelAt(z, at('2026-11-20T09:00:00+08:00'))).toBeNull();
    expect(levelAt(z, at('2026-11-20T10:00:00+08:00'))).toBeNull();
    expect(levelAt(z, at('2026-11-20T10:00:01+08:00'))).toBe('red');
  });

  it('uses calendar days for the contract limit', () => {
    const c = milestones(at('2026-11-20T10:00:00+08:00'), { unit: 'days', amount: 30 }, none);
    expect(c.dueAt).toEqual(at('2026-12-20T10:00:00+08:00'));
    expect(c.warningAt).toEqual(at('2026-12-14T10:00:00+08:00'));
  });
});

describe('steps of a deal', () => {
  it('watches opening from the deadline while a listing is published and not opened', () => {
    const steps = stepsOfDeal(deal(), rules);
    expect(steps).toEqual([
      expect.objectContaining({
        step: 'open',
        startedAt: at('2026-11-20T10:00:00+08:00'),
        completedAt: null,
        limit: { unit: 'hours', amount: 24 },
      }),
    ]);
    expect(alertsAt(steps, none, at('2026-11-21T12:00:00+08:00'))).toEqual([
      { listingId: 'L1', townshipId: 'T1', step: 'open', dueAt: at('2026-11-21T10:00:00+08:00'), level: 'yellow' },
    ]);
    expect(alertsAt(steps, none, at('2026-11-20T09:00:00+08:00'))).toEqual([]);
  });

  it('watches the award in working days once opened, and stops when awarded', () => {
    const opened = deal({ state: 'opened', openedAt: at('2026-11-20T11:00:00+08:00') });
    const steps = stepsOfDeal(opened, rules);
    expect(steps.map((s) => [s.step, s.completedAt])).toEqual([
      ['open', opened.openedAt],
      ['award', null],
    ]);
    const [alert] = alertsAt(steps, none, at('2026-11-26T12:00:00+08:00'));
    expect(alert).toMatchObject({ step: 'award', level: 'yellow', dueAt: at('2026-11-25T11:00:00+08:00') });
    const awarded = stepsOfDeal(
      {
        ...opened,
        state: 'awarded',
        awardedAt: at('2026-11-23T09:00:00+08:00'),
        publicityEndsAt: at('2026-11-26T09:00:00+08:00'),
      },
      rules,
    );
    expect(
      alertsAt(
        awarded.filter((s) => s.step === 'award'),
        none,
        at('2026-12-20T00:00:00+08:00'),
      ),
    ).toEqual([]);
  });

  it('watches the contract from the end of publicity until it is recorded', () => {
    const awarded = deal({
      state: 'awarded',
      openedAt: at('2026-11-20T11:00:00+08:00'),
      awardedAt: at('2026-11-21T09:00:00+08:00'),
      publicityEndsAt: at('2026-11-24T09:00:00+08:00'),
    });
    const alerts = alertsAt(stepsOfDeal(awarded, rules), none, at('2026-12-25T09:00:00+08:00'));
    expect(alerts).toEqual([
      expect.objectContaining({ step: 'contract', level: 'yellow', dueAt: at('2026-12-24T09:00:00+08:00') }),
    ]);
    const signed = stepsOfDeal(
      {
        ...awarded,
        state: 'concluded',
        contractRecordedAt: at('2026-12-01T09:00:00+08:00'),
        concludedAt: at('2026-12-01T09:00:00+08:00'),
      },
      rules,
    );
    expect(alertsAt(signed, none, at('2026-12-25T09:00:00+08:00'))).toEqual([]);
  });

  it('watches each open objection for 3 working days', () => {
    const d = deal({
      state: 'awarded',
      openedAt: at('2026-11-16T11:00:00+08:00'),
      awardedAt: at('2026-11-17T09:00:00+08:00'),
      publicityEndsAt: at('2026-12-20T09:00:00+08:00'),
      objections: [
        { id: 'O1', createdAt: at('2026-11-18T10:00:00+08:00'), answeredAt: null },
        { id: 'O2', createdAt: at('2026-11-18T10:00:00+08:00'), answeredAt: at('2026-11-19T10:00:00+08:00') },
      ],
    });
    const alerts = alertsAt(stepsOfDeal(d, rules), none, at('2026-11-23T10:30:00+08:00'));
    expect(alerts).toEqual([
      {
        listingId: 'L1',
        townshipId: 'T1',
        step: 'objection',
        ref: 'O1',
        dueAt: at('2026-11-23T10:00:00+08:00'),
        level: 'yellow',
      },
    ]);
  });

  it('has no steps for a draft, and no opening step when cancelled before the deadline', () => {
    expect(stepsOfDeal(deal({ state: 'draft' }), rules)).toEqual([]);
    expect(stepsOfDeal(deal({ state: 'cancelled', cancelledAt: at('2026-11-19T10:00:00+08:00') }), rules)).toEqual([]);
  });

  it('sorts alerts red first, then by due time', () => {
    const inst = (id: string, start: string): StepInstance => ({
      listingId: id,
      townshipId: 'T',
      step: 'open',
      startedAt: at(start),
      completedAt: null,
      limit: { unit: 'hours', amount: 24 },
    });
    const now = at('2026-11-23T00:00:00+08:00');
    const alerts = alertsAt(
      [
        inst('warn', '2026-11-22T00:00:00+08:00'),
        inst('yellow2', '2026-11-21T12:00:00+08:00'),
        inst('yellow1', '2026-11-21T06:00:00+08:00'),
        inst('red', '2026-11-20T00:00:00+08:00'),
      ],
      none,
      now,
    );
    expect(alerts.map((a) => `${a.listingId}:${a.level}`)).toEqual([
      'red:red',
      'yellow1:yellow',
      'yellow2:yellow',
      'warn:warning',
    ]);
  });
});

describe('period counts', () => {
  const inst = (over: Partial<StepInstance>): StepInstance => ({
    listingId: 'L',
    townshipId: 'T1',
    step: 'open',
    startedAt: at('2026-11-16T10:00:00+08:00'),
    completedAt: null,
    limit: { unit: 'hours', amount: 24 },
    ...over,
  });

  it('records the moment a step entered each level, cut off by its completion', () => {
    const crossings = levelCrossings(inst({}), none, at('2026-11-30T00:00:00+08:00'));
    expect(crossings).toEqual([
      { level: 'warning', at: at('2026-11-17T05:12:00+08:00') },
      { level: 'yellow', at: at('2026-11-17T10:00:00+08:00') },
      { level: 'red', at: at('2026-11-18T10:00:00+08:00') },
    ]);
    // opened at 08:00 on the due day: it had a warning, nothing more
    expect(
      levelCrossings(inst({ completedAt: at('2026-11-17T08:00:00+08:00') }), none, at('2026-11-30T00:00:00+08:00')).map(
        (c) => c.level,
      ),
    ).toEqual(['warning']);
    // zero limit: straight to red
    expect(
      levelCrossings(inst({ limit: { unit: 'hours', amount: 0 } }), none, at('2026-11-30T00:00:00+08:00')).map(
        (c) => c.level,
      ),
    ).toEqual(['red']);
  });

  it('finds the Shanghai day, Monday week and month that hold now', () => {
    const [day, week, month] = currentPeriods(at('2026-11-18T20:00:00Z')); // Thursday 04:00 in Shanghai
    expect(day).toMatchObject({
      label: '2026-11-19',
      from: at('2026-11-19T00:00:00+08:00'),
      to: at('2026-11-20T00:00:00+08:00'),
    });
    expect(week).toMatchObject({
      label: '2026-11-16',
      from: at('2026-11-16T00:00:00+08:00'),
      to: at('2026-11-23T00:00:00+08:00'),
    });
    expect(month).toMatchObject({
      label: '2026-11',
      from: at('2026-11-01T00:00:00+08:00'),
      to: at('2026-12-01T00:00:00+08:00'),
    });
  });

  it('counts crossings per day, week and month and per township', () => {
    const now = at('2026-11-18T12:00:00+08:00');
    const instances = [
      inst({}),
      inst({
        listingId: 'L2',
        startedAt: at('2026-11-03T10:00:00+08:00'),
        completedAt: at('2026-11-04T08:00:00+08:00'),
      }),
      inst({ townshipId: 'T2' }),
    ];
    expect(countCrossings(instances.slice(0, 2), none, now, currentPeriods(now)[0])).toEqual({
      warning: 0,
      yellow: 0,
      red: 1,
    });
    const [t1, t2] = reportByTownship(instances, ['T1', 'T2'], none, now);
    expect(t1.periods.map((p) => [p.period, p.counts])).toEqual([
      ['day', { warning: 0, yellow: 0, red: 1 }],
      ['week', { warning: 1, yellow: 1, red: 1 }],
      ['month', { warning: 2, yellow: 1, red: 1 }],
    ]);
    expect(t2.periods[2].counts).toEqual({ warning: 1, yellow: 1, red: 1 });
  });
});
