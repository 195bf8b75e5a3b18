import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import type { Township } from '../townships/townships';
import { workingCalendar } from '../calendar/calendar.service';
import { listTownships } from '../townships/townships.service';
import { Alert, alertScope, alertsAt, StepInstance, stepsOfDeal } from './supervision';
import { reportByTownship, TownshipReport } from './supervision.report';
import * as repo from './supervision.repository';

// deals untouched for longer than this cannot cross into a level in the current month
const REPORT_LOOKBACK_MS = 400 * 24 * 3600_000;

async function watch(ctx: AppContext, townshipId: string | undefined, now: Date) {
  const [deals, rules, cal] = await Promise.all([
    repo.loadWatchedDeals(ctx.db, { townshipId, since: new Date(+now - REPORT_LOOKBACK_MS) }),
    repo.loadStepRules(ctx.db),
    workingCalendar(ctx),
  ]);
  const instances: StepInstance[] = deals.flatMap((d) => {
    const r = rules.get(d.townshipId);
    return r ? stepsOfDeal(d, r) : [];
  });
  const byId = new Map(deals.map((d) => [d.listingId, d]));
  return { instances, cal, byId };
}

/** A pending step's alert, with the deal it belongs to. */
export type DealAlert = Alert & { code: string; title: string };

function withDeal(alerts: Alert[], byId: Map<string, { code: string; title: string }>): DealAlert[] {
  return alerts.map((a) => ({ ...a, code: byId.get(a.listingId)!.code, title: byId.get(a.listingId)!.title }));
}

/** The alerts the caller may watch (GET /supervision/alerts, the staff dashboard), worst first. */
export async function listAlerts(
  ctx: AppContext,
  user: AuthUser,
  rawTownshipId: unknown,
  now = new Date(),
): Promise<DealAlert[]> {
  const townshipId = alertScope(user, rawTownshipId);
  const { instances, cal, byId } = await watch(ctx, townshipId, now);
  return withDeal(alertsAt(instances, cal, now), byId);
}

/** The district page: all alerts (or one township's) and per-township counts for day/week/month. */
export async function districtReport(
  ctx: AppContext,
  user: AuthUser,
  rawTownshipId: unknown,
  now = new Date(),
): Promise<{ alerts: DealAlert[]; report: TownshipReport[]; townships: Township[]; townshipId: string | undefined }> {
  const townshipId = alertScope(user, rawTownshipId);
  const townships = (await listTownships(ctx)).filter((tw) => !townshipId || tw.id === townshipId);
  const { instances, cal, byId } = await watch(ctx, townshipId, now);
  const report = reportByTownship(
    instances,
    townships.map((tw) => tw.id),
    cal,
    now,
  );
  return { alerts: withDeal(alertsAt(instances, cal, now), byId), report, townships, townshipId };
}
