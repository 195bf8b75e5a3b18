import type { AppContext } from '../context';
import { Lang, t } from '../http/i18n';
import { Decimal, displayMoney, displayRate } from '../http/money';
import { barChartSvg } from '../board/bar-chart';
import { cachedRead } from '../cache/cache';
import { hallFilterKey, hallStats } from '../hall/hall.service';
import type { StatsFilter } from './stats';
import { computeStats, TradingStats } from './stats.service';
import './exports.messages';
import '../hall/hall.messages';
import '../listings/listings.messages';

const rate = (savings: Decimal, base: Decimal) => (base.isZero() ? '—' : displayRate(savings.dividedBy(base)));
const num = (d: Decimal) => Number(d.toFixed(2)); // bar length only, never shown

/** Trading figures, charts (server-rendered SVG) and the hall's figures for the /stats page and the kiosk. */
export async function statsView(ctx: AppContext, filter: StatsFilter, lang: Lang) {
  const { value: s } = await cachedRead<TradingStats>(ctx, `stats:${hallFilterKey(filter)}`, () =>
    computeStats(ctx.db, filter),
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
  const months = s.byMonth.slice(-24);
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
    charts: {
      savingsByKind: barChartSvg(
        (['procurement', 'lease'] as const).map((k) => ({
          label: t(lang, `listings.kind.${k}`),
          value: num(s[k].savings),
          display: displayMoney(s[k].savings),
        })),
        { title: t(lang, 'stats.page.savingsByKind'), className: 'chart-savings' },
      ),
      amountByTownship: barChartSvg(
        s.byTownship.map((tw) => ({
          label: tw.name,
          value: num(tw.totalAmount),
          display: `${displayMoney(tw.totalAmount)} · ${tw.dealCount}`,
        })),
        { title: t(lang, 'stats.page.amountByTownship'), className: 'chart-amount' },
      ),
      savingsByTownship: barChartSvg(
        s.byTownship.map((tw) => ({
          label: tw.name,
          value: num(tw.savingsTotal),
          display: displayMoney(tw.savingsTotal),
        })),
        { title: t(lang, 'stats.page.savingsByTownship'), className: 'chart-savings' },
      ),
      amountByMonth: barChartSvg(
        months.map((m) => ({
          label: m.month,
          value: num(m.totalAmount),
          display: `${displayMoney(m.totalAmount)} · ${m.dealCount}`,
        })),
        { title: t(lang, 'stats.page.amountByMonth'), className: 'chart-amount' },
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
