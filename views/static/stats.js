// Draws the /stats charts with Apache ECharts (echarts.min.js, served from our own origin).
// The figures come from the page itself (#stats-charts); without JavaScript the figures stay hidden
// and the tables beside them carry everything. Canvas rendering keeps within the CSP (no style attributes).
(function () {
  var source = document.getElementById('stats-charts');
  if (!source || !window.echarts) return;
  var specs = JSON.parse(source.textContent);
  var zh = document.documentElement.lang === 'zh-CN';
  var money = new Intl.NumberFormat(zh ? 'zh-CN' : 'en', { style: 'currency', currency: 'CNY' });
  var font = getComputedStyle(document.body).fontFamily;
  function short(v) {
    var a = Math.abs(v);
    if (zh && a >= 1e8) return v / 1e8 + '亿';
    if (zh && a >= 1e4) return v / 1e4 + '万';
    if (!zh && a >= 1e6) return v / 1e6 + 'M';
    if (!zh && a >= 1e3) return v / 1e3 + 'k';
    return String(v);
  }
  var charts = [];
  specs.forEach(function (spec) {
    var figure = document.querySelector('[data-chart="' + spec.id + '"]');
    if (!figure) return;
    figure.hidden = false;
    var el = figure.querySelector('.echart');
    if (spec.horizontal) el.style.height = Math.max(220, 90 + spec.categories.length * 64) + 'px';
    var many = spec.categories.length > 8;
    var valueAxis = { type: 'value', axisLabel: { formatter: short, hideOverlap: true } };
    var categoryAxis = {
      type: 'category',
      data: spec.categories,
      axisLabel: { interval: many ? 'auto' : 0, rotate: many && !spec.horizontal ? 45 : 0, hideOverlap: many },
    };
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      color: ['#b3261e', '#1b7f3b'],
      textStyle: { fontFamily: font, fontSize: 13, color: '#1d2733' },
      legend: { top: 0, textStyle: { fontSize: 14 } },
      tooltip: {
        trigger: 'axis',
        valueFormatter: function (v) {
          return money.format(v);
        },
      },
      grid: { left: 8, right: 28, top: 40, bottom: 8, containLabel: true },
      xAxis: spec.horizontal ? valueAxis : categoryAxis,
      yAxis: spec.horizontal ? Object.assign({ inverse: true }, categoryAxis) : valueAxis,
      series: spec.series.map(function (s) {
        return { name: s.name, type: 'bar', barMaxWidth: 26, data: s.values.map(Number) };
      }),
    });
    charts.push(chart);
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) {
      c.resize();
    });
  });
})();
