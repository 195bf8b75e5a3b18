/**
 * A tiny server-rendered horizontal bar chart as SVG: no script, no CDN, prints well and reads on
 * a phone (labels above the bars, width follows the container through the viewBox).
 * Values only set bar lengths; the text shown next to a bar is the caller's formatted string.
 */
export interface Bar {
  label: string;
  value: number;
  display: string;
}

export interface BarChartOptions {
  title: string;
  width?: number;
  /** a class per chart for its colour (CSS in app.css), never inline style */
  className?: string;
}

const ROW = 44; // label line + bar
const BAR = 18;
const PAD = 8;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function barChartSvg(bars: Bar[], opts: BarChartOptions): string {
  const width = opts.width ?? 420; // narrow viewBox: text stays readable when a phone scales it down
  const height = Math.max(1, bars.length) * ROW + PAD * 2;
  const max = Math.max(0, ...bars.map((b) => (Number.isFinite(b.value) ? b.value : 0)));
  const usable = width - PAD * 2;
  const title = escapeXml(opts.title);
  const rows = bars
    .map((b, i) => {
      const y = PAD + i * ROW;
      const len = max > 0 && b.value > 0 ? Math.max(2, Math.round((b.value / max) * usable * 0.75)) : 0;
      return (
        `<g class="bar-row"><text x="${PAD}" y="${y + 14}" class="bar-label">${escapeXml(b.label)}</text>` +
        `<rect x="${PAD}" y="${y + 20}" width="${len}" height="${BAR}" rx="3" class="bar"/>` +
        `<text x="${PAD + len + 6}" y="${y + 34}" class="bar-value">${escapeXml(b.display)}</text></g>`
      );
    })
    .join('');
  const empty = bars.length === 0 ? `<text x="${PAD}" y="${PAD + 20}" class="bar-label">—</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart ${escapeXml(opts.className ?? '')}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}"><title>${title}</title>${rows}${empty}</svg>`;
}
