import { Lang, t } from '../http/i18n';
import { displayDateTime } from '../http/time';
import type { Township } from '../townships/townships';
import type { TownshipReport } from './supervision.report';
import type { DealAlert } from './supervision.service';
import './supervision.messages';

/** GET /supervision/alerts: [{listingId, step, dueAt, level, code, title, townshipId, objectionId?}]. */
export function alertToJson(a: DealAlert) {
  return {
    listingId: a.listingId,
    step: a.step,
    dueAt: a.dueAt.toISOString(),
    level: a.level,
    code: a.code,
    title: a.title,
    townshipId: a.townshipId,
    ...(a.ref ? { objectionId: a.ref } : {}),
  };
}

function alertView(lang: Lang, a: DealAlert, townshipNames?: Map<string, string>) {
  return {
    ...alertToJson(a),
    township: townshipNames?.get(a.townshipId) ?? '',
    stepLabel: t(lang, `supervision.step.${a.step}`),
    levelLabel: t(lang, `supervision.level.${a.level}`),
    dueDisplay: displayDateTime(a.dueAt),
  };
}

/** For the staff dashboard's partial (views/partials/supervisionAlerts.hbs): own township only. */
export function staffAlertsView(lang: Lang, alerts: DealAlert[]) {
  return { alerts: alerts.map((a) => alertView(lang, a)) };
}

/** The district page's model: alerts with township names, and the counts per township and period. */
export function districtView(
  lang: Lang,
  m: { alerts: DealAlert[]; report: TownshipReport[]; townships: Township[]; townshipId: string | undefined },
) {
  const names = new Map(m.townships.map((tw) => [tw.id, tw.name]));
  return {
    alerts: m.alerts.map((a) => alertView(lang, a, names)),
    report: m.report.map((r) => ({
      township: names.get(r.townshipId),
      townshipId: r.townshipId,
      periods: r.periods.map((p) => ({ ...p, periodLabel: t(lang, `supervision.period.${p.period}`) })),
    })),
    townships: m.townships,
    townshipId: m.townshipId,
  };
}
