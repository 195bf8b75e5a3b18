import type { Db } from '../db/db';
import { AuthUser, isId } from '../http/access';
import { ForbiddenError, NotFoundError } from '../http/errors';
import { Lang, t } from '../http/i18n';
import { displayDateTime } from '../http/time';
import { loadWorkingCalendar } from '../calendar/calendar.repository';
import { listTownships } from '../townships/townships.repository';
import { alertsAt, StepInstance, stepsOfDeal } from './supervision';
import { reportByTownship } from './supervision.report';
import * as repo from './supervision.repository';
import './supervision.messages';

// deals untouched for longer than this cannot cross into a level in the current month
const REPORT_LOOKBACK_MS = 400 * 24 * 3600_000;

/**
 * Which township a caller may watch: auditors and admins any (or all), staff only their own,
 * bidders none. A malformed id names no township.
 */
export function alertScope(user: AuthUser, raw: unknown): string | undefined {
  if (user.role === 'bidder') throw new ForbiddenError();
  const given = raw === undefined || raw === '' ? undefined : raw;
  if (user.role === 'staff') {
    if (given !== undefined && given !== user.townshipId) throw new ForbiddenError('error.FORBIDDEN.township');
    return user.townshipId ?? undefined;
  }
  if (given === undefined) return undefined;
  if (!isId(given)) throw new NotFoundError();
  return given;
}

async function watch(db: Db, townshipId: string | undefined, now: Date) {
  const [deals, rules, cal] = await Promise.all([
    repo.loadWatchedDeals(db, { townshipId, since: new Date(+now - REPORT_LOOKBACK_MS) }),
    repo.loadStepRules(db),
    loadWorkingCalendar(db),
  ]);
  const instances: StepInstance[] = deals.flatMap((d) => {
    const r = rules.get(d.townshipId);
    return r ? stepsOfDeal(d, r) : [];
  });
  const byId = new Map(deals.map((d) => [d.listingId, d]));
  return { instances, cal, byId };
}

/** The API's alerts: [{listingId, step, dueAt, level, code, title, townshipId}]. */
export async function listAlerts(db: Db, user: AuthUser, rawTownshipId: unknown, now = new Date()) {
  const townshipId = alertScope(user, rawTownshipId);
  const { instances, cal, byId } = await watch(db, townshipId, now);
  return alertsAt(instances, cal, now).map((a) => {
    const deal = byId.get(a.listingId)!;
    return {
      listingId: a.listingId,
      step: a.step,
      dueAt: a.dueAt.toISOString(),
      level: a.level,
      code: deal.code,
      title: deal.title,
      townshipId: a.townshipId,
      ...(a.ref ? { objectionId: a.ref } : {}),
    };
  });
}

type AlertJson = Awaited<ReturnType<typeof listAlerts>>[number];
function alertView(lang: Lang, a: AlertJson, townshipNames?: Map<string, string>) {
  return {
    ...a,
    township: townshipNames?.get(a.townshipId) ?? '',
    stepLabel: t(lang, `supervision.step.${a.step}`),
    levelLabel: t(lang, `supervision.level.${a.level}`),
    dueDisplay: displayDateTime(a.dueAt),
  };
}

/** For the staff dashboard's partial (views/partials/supervisionAlerts.hbs): own township only. */
export async function staffAlertsView(db: Db, user: AuthUser, lang: Lang) {
  const alerts = await listAlerts(db, user, undefined);
  return { alerts: alerts.map((a) => alertView(lang, a)) };
}

/** The district page: all alerts (or one township's) and per-township counts for day/week/month. */
export async function districtView(db: Db, user: AuthUser, rawTownshipId: unknown, lang: Lang, now = new Date()) {
  const townshipId = alertScope(user, rawTownshipId);
  const townships = (await listTownships(db)).filter((tw) => !townshipId || tw.id === townshipId);
  const names = new Map(townships.map((tw) => [tw.id, tw.name]));
  const { instances, cal, byId } = await watch(db, townshipId, now);
  const alerts = alertsAt(instances, cal, now).map((a) =>
    alertView(
      lang,
      {
        listingId: a.listingId,
        step: a.step,
        dueAt: a.dueAt.toISOString(),
        level: a.level,
        code: byId.get(a.listingId)!.code,
        title: byId.get(a.listingId)!.title,
        townshipId: a.townshipId,
      },
      names,
    ),
  );
  const report = reportByTownship(
    instances,
    townships.map((tw) => tw.id),
    cal,
    now,
  ).map((r) => ({
    township: names.get(r.townshipId),
    townshipId: r.townshipId,
    periods: r.periods.map((p) => ({ ...p, periodLabel: t(lang, `supervision.period.${p.period}`) })),
  }));
  return { alerts, report, townships, townshipId };
}
