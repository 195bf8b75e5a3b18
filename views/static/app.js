// Small progressive enhancements; every page works without this file.
(function () {
  'use strict';
  // Countdowns: <span data-countdown="ISO time"> shows the time left, in the page language.
  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }
  function tick() {
    var zh = document.documentElement.lang !== 'en';
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var left = Math.floor((Date.parse(el.getAttribute('data-countdown')) - Date.now()) / 1000);
      if (isNaN(left)) return;
      if (left <= 0) {
        el.textContent = zh ? '已截止' : 'closed';
        return;
      }
      var d = Math.floor(left / 86400),
        h = Math.floor((left % 86400) / 3600),
        m = Math.floor((left % 3600) / 60),
        s = left % 60;
      el.textContent = zh
        ? (d ? d + '天' : '') + pad(h) + ':' + pad(m) + ':' + pad(s)
        : (d ? d + 'd ' : '') + pad(h) + ':' + pad(m) + ':' + pad(s);
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    tick();
    setInterval(tick, 1000);
    // <button data-print> prints the page (no inline script under the CSP)
    document.querySelectorAll('[data-print]').forEach(function (b) {
      b.addEventListener('click', function () {
        window.print();
      });
    });
  });
  // Printing opens the folds marked print-open (a printed board shows its past deals and disclosures) and
  // closes again, after printing, the ones it opened: for browsers without ::details-content (app.css).
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details.print-open:not([open])').forEach(function (d) {
      d.setAttribute('data-print-opened', '');
      d.open = true;
    });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-print-opened]').forEach(function (d) {
      d.removeAttribute('data-print-opened');
      d.open = false;
    });
  });
})();
