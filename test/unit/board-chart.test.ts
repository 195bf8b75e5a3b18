import { barChartSvg, escapeXml } from '../../server/board/bar-chart';

describe('barChartSvg', () => {
  it('draws one bar per value, the largest spanning three quarters of the width, proportional to the rest', () => {
    const svg = barChartSvg(
      [
        { label: '兴桥镇', value: 200, display: '¥200.00' },
        { label: '长塘镇', value: 100, display: '¥100.00' },
      ],
      { title: '成交金额', width: 600 },
    );
    const widths = [...svg.matchAll(/<rect [^>]*width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([438, 219]); // (600 − 16) × 0.75 and half of it
    expect(svg).toContain('兴桥镇');
    expect(svg).toContain('¥100.00');
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 600 104"/);
    expect(svg).toContain('<title>成交金额</title>');
  });

  it('gives zero-length bars for zero values and survives all zeros and no data', () => {
    const zeros = barChartSvg([{ label: 'a', value: 0, display: '0' }], { title: 't' });
    expect(zeros).toMatch(/width="0"/);
    expect(barChartSvg([], { title: 't' })).toContain('—');
  });

  it('escapes text so labels cannot inject markup', () => {
    const svg = barChartSvg([{ label: '<script>alert(1)</script>', value: 1, display: '"x" & y' }], { title: '<b>' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('&quot;x&quot; &amp; y');
    expect(escapeXml("'")).toBe('&#39;');
  });
});
