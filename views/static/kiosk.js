// The hall's touch screen: back to the start screen after a minute without a touch, and fresh data
// every two minutes while nobody is using it. Loaded only by the kiosk layout.
(function () {
  'use strict';
  var home = document.body.getAttribute('data-kiosk-home');
  if (!home) return;
  var IDLE_MS = 60 * 1000;
  var REFRESH_MS = 2 * 60 * 1000;
  var last = Date.now();
  var loaded = Date.now();
  ['pointerdown', 'touchstart', 'keydown', 'wheel', 'scroll'].forEach(function (ev) {
    window.addEventListener(
      ev,
      function () {
        last = Date.now();
      },
      { passive: true, capture: true },
    );
  });
  var atHome =
    location.pathname + location.search === home ||
    (location.pathname === home && !/townshipId=/.test(location.search));
  setInterval(function () {
    var idle = Date.now() - last;
    if (!atHome && idle >= IDLE_MS) {
      location.href = home;
      return;
    }
    if (idle >= 30 * 1000 && Date.now() - loaded >= REFRESH_MS) location.reload();
  }, 5000);
  // no context menu or text selection by a long press on a touch screen
  document.addEventListener('contextmenu', function (e) {
    e.preventDefault();
  });
})();
