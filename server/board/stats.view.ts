import type { AppContext } from '../context';
import { Lang, t } from '../http/i18n';
import { Decimal, displayMoney, displayRate } from '../http/money';
import { barChartSvg } from './bar-chart';
import { cachedRead } from '../cache/cache';
import { hallStats } from '../hall/hall.service';
import { displayDate } from '../http/time';
import { statsFilterKey, StatsFilter } from '../stats/stats';
import { fillMonths, statsCharts } from '../stats/stats.charts';
import { computeStats, STATS_READ, TradingStats } from '../stats/stats.service';
import '../stats/exports.messages';
import '../hall/hall.messages';
import '../listings/listings.messages';

const rate = (savings: Decimal, base: Decimal) => (base.isZero() ? '—' : displayRate(savings.dividedBy(base)));
const num = (d: Decimal) => Number(d.toFixed(2)); // bar length only, never shown

/** Trading figures, charts (server-rendered SVG) and the hall's figures for the /stats page and the kiosk. */
export async function statsView(ctx: AppContext, filter: StatsFilter, lang: Lang) {
  const { value: s } = await cachedRead<TradingStats>(ctx, STATS_READ, `stats:${statsFilterKey(filter)}`, () =>
    computeStats(ctx, filter),
  );
  const hall = await hallStats(ctx, filter);
  const kinds = (['procurement', 'lease'] as const).map((k) => ({
    label: t(lang, `listings.kind.${k}`),
    count: s[k].count,
    baseTotal: displayMoney(s[k].baseTotal),
    awardTotal: displayMoney(s[k].awardTotal),
    savings: displayMoney(s[k].savings),
    rate: rate(s[k].savings, s[k].baseTotal),
    savingsLabel: t(lang, k === 'procurement' ? 'stats.page.saved' : 'stats.page.gained'),
  }));
  // every month up to the end of the range (or now), a month without a deal included as zero
  const end = displayDate(filter.until ? new Date(filter.until.getTime() - 1) : new Date()).slice(0, 7);
  const months = fillMonths(s.byMonth, end);
  const charts = statsCharts(s, months, lang);
  return {
    totals: {
      dealCount: s.dealCount,
      totalAmount: displayMoney(s.totalAmount),
      savingsTotal: displayMoney(s.savingsTotal),
      failedCount: s.failedCount,
      openCount: s.openCount,
    },
    kinds,
    byTownship: s.byTownship.map((tw) => ({
      name: tw.name,
      dealCount: tw.dealCount,
      totalAmount: displayMoney(tw.totalAmount),
      savingsTotal: displayMoney(tw.savingsTotal),
    })),
    byMonth: months.map((m) => ({
      month: m.month,
      dealCount: m.dealCount,
      totalAmount: displayMoney(m.totalAmount),
      savingsTotal: displayMoney(m.savingsTotal),
    })),
    chartSpecs: charts,
    // read by views/static/stats.js from a non-executed script element: '<' escaped so no tag can end it
    chartJson: JSON.stringify(charts).replace(/</g, '\\u003c'),
    // the kiosk shows one server-drawn chart (no script on the hall screen)
    charts: {
      savingsByKind: barChartSvg(
        (['procurement', 'lease'] as const).map((k) => ({
          label: t(lang, `listings.kind.${k}`),
          value: num(s[k].savings),
          display: displayMoney(s[k].savings),
        })),
        { title: t(lang, 'stats.page.savingsByKind'), className: 'chart-savings' },
      ),
    },
    hall: {
      servicesHandled: hall.servicesHandled.toLocaleString('en-US'),
      disputesMediated: hall.disputesMediated.toLocaleString('en-US'),
      infoPublished: hall.infoPublished.toLocaleString('en-US'),
      consultations: hall.consultations.toLocaleString('en-US'),
    },
  };
}
