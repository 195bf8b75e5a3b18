import { defineMessages, Lang, t } from '../http/i18n';
import { Decimal, displayMoney } from '../http/money';
import type { TradingStats } from './stats.service';

// What the /stats charts draw (Apache ECharts in views/static/stats.js, served from our own origin):
// a title, series with a legend, every month of the range (a month with no deal is a zero, not a gap),
// and a sentence a screen reader reads instead of the picture. Amounts travel as two-decimal strings;
// the browser turns them into numbers only to size the bars. The tables beside each chart carry the
// exact figures and are what a browser without JavaScript shows.

export interface ChartSeries {
  name: string;
  values: string[];
}
export interface ChartSpec {
  id: string;
  title: string;
  /** the chart in words (aria-label of the drawing) */
  summary: string;
  /** bars run left to right with the categories down the side (long township names stay readable) */
  horizontal: boolean;
  categories: string[];
  series: ChartSeries[];
}

type Totals = { dealCount: number; totalAmount: Decimal; savingsTotal: Decimal };
export type MonthTotals = Totals & { month: string };

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/**
 * The last `count` months up to `end` (YYYY-MM), starting no earlier than the first month with a deal,
 * each present: months without a deal are zeros.
 */
export function fillMonths(byMonth: MonthTotals[], end: string, count = 24): MonthTotals[] {
  const known = new Map(byMonth.map((m) => [m.month, m]));
  const first = byMonth.map((m) => m.month).sort()[0];
  if (!first) return [];
  const last = byMonth.map((m) => m.month).sort()[byMonth.length - 1];
  const stop = last > end ? last : end;
  const out: MonthTotals[] = [];
  for (let m = first; m <= stop; m = nextMonth(m))
    out.push(known.get(m) ?? { month: m, dealCount: 0, totalAmount: new Decimal(0), savingsTotal: new Decimal(0) });
  return out.slice(-count);
}

const money = (d: Decimal) => d.toFixed(2);

function summarize(lang: Lang, title: string, categories: string[], series: ChartSeries[]): string {
  if (categories.length === 0) return `${title}：${t(lang, 'stats.chart.empty')}`;
  const parts = categories.map(
    (c, i) => `${c} ${series.map((s) => `${s.name} ${displayMoney(new Decimal(s.values[i]))}`).join('，')}`,
  );
  return `${title}：${parts.join('；')}`;
}

function chart(lang: Lang, id: string, title: string, horizontal: boolean, categories: string[], rows: Totals[]) {
  const series = [
    { name: t(lang, 'stats.page.totalAmount'), values: rows.map((r) => money(r.totalAmount)) },
    { name: t(lang, 'stats.page.savingsTotal'), values: rows.map((r) => money(r.savingsTotal)) },
  ];
  return { id, title, horizontal, categories, series, summary: summarize(lang, title, categories, series) };
}

export function statsCharts(s: TradingStats, months: MonthTotals[], lang: Lang): ChartSpec[] {
  const kinds = ['procurement', 'lease'] as const;
  return [
    chart(
      lang,
      'by-kind',
      t(lang, 'stats.chart.byKind'),
      false,
      kinds.map((k) => t(lang, `listings.kind.${k}`)),
      kinds.map((k) => ({ dealCount: s[k].count, totalAmount: s[k].awardTotal, savingsTotal: s[k].savings })),
    ),
    chart(
      lang,
      'by-township',
      t(lang, 'stats.chart.byTownship'),
      true,
      s.byTownship.map((tw) => tw.name),
      s.byTownship,
    ),
    chart(
      lang,
      'by-month',
      t(lang, 'stats.chart.byMonth'),
      false,
      months.map((m) => m.month),
      months,
    ),
  ];
}

defineMessages({
  'stats.chart.byKind': { zh: '成交金额与增收节资（按交易类型）', en: 'Amount traded and gain/savings by kind' },
  'stats.chart.byTownship': { zh: '成交金额与增收节资（按乡镇）', en: 'Amount traded and gain/savings by township' },
  'stats.chart.byMonth': {
    zh: '成交金额与增收节资（按月，最近 24 个月，无成交的月份为 0）',
    en: 'Amount traded and gain/savings by month (last 24 months; months without a deal show 0)',
  },
  'stats.chart.empty': { zh: '暂无成交', en: 'no deals yet' },
  'stats.chart.tableNote': {
    zh: '图表下方的表格列出全部准确数字。',
    en: 'The table under each chart gives the exact figures.',
  },
  'stats.chart.scrollTable': { zh: '{title}（表格，可左右滑动）', en: '{title} (table, scrolls sideways)' },
});
