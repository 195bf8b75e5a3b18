// The LED ticker fetches its own page again every few minutes and swaps in the new line only when
// the text changed, so the scroll never jumps back for nothing and the screen never flashes white.
// Without JavaScript a <noscript> meta refresh reloads the whole page instead.
(function () {
  'use strict';
  var frame = document.querySelector('[data-ticker-refresh]');
  var seconds = frame && Number(frame.getAttribute('data-ticker-refresh'));
  if (!seconds || !window.fetch || !window.DOMParser) return;
  // what the line says, leaving out the live auctions' changing figures (only which auctions run)
  function signature(line) {
    var clone = line.cloneNode(true);
    var auctions = [];
    clone.querySelectorAll('.ticker-auction').forEach(function (a) {
      auctions.push(a.getAttribute('data-auction'));
      a.remove();
    });
    return [line.className, auctions.join(','), clone.textContent].join('|');
  }
  function refresh() {
    fetch(location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin', cache: 'no-cache' })
      .then(function (res) {
        return res.ok ? res.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var next = new DOMParser().parseFromString(html, 'text/html').querySelector('.ticker-line');
        var line = document.querySelector('.ticker-line');
        if (!next || !line || signature(next) === signature(line)) return;
        // a live auction's figures are kept current by auction.js, which starts with the page
        if (next.querySelector('.ticker-auction') || line.querySelector('.ticker-auction')) location.reload();
        else line.replaceWith(document.importNode(next, true));
      })
      .catch(function () {
        // the hall's network dropped: keep showing the last line and try again next time
      });
  }
  setInterval(refresh, seconds * 1000);
})();
