// The auction room and console, live: the best bid, the history, the next valid amount and a countdown
// that jumps (and says so) when a bid extends the end. Everything here is also on the page without
// JavaScript: a refresh shows the same. Money is counted in whole fen (integers), never as a float.
(function () {
  'use strict';
  // the room and the console have one; the kiosk and the LED ticker one per live auction
  if (window.EventSource) document.querySelectorAll('[data-auction]').forEach(live);

  function live(room) {
    var id = room.getAttribute('data-auction');
    var kind = room.getAttribute('data-kind');
    var seq = Number(room.getAttribute('data-seq')) || 0;
    var endsAt = Date.parse(room.getAttribute('data-ends-at'));
    // the server's clock decides; this corrects the phone's. The server's time was read when the page was made:
    // compare it with when the page's first byte arrived, not with now (a slow load would add its seconds)
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
    var pageAt = nav && nav.responseStart > 0 ? performance.timeOrigin + nav.responseStart : Date.now();
    var skew = Date.parse(room.getAttribute('data-server-time')) - pageAt;
    var incrementFen = toFen(room.getAttribute('data-increment'));
    var over = false;
    var $ = function (sel) {
      return room.querySelector(sel);
    };

    function toFen(text) {
      var m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text || ''));
      if (!m) return null;
      return Number(m[1]) * 100 + Number(((m[2] || '') + '00').slice(0, 2));
    }
    function fenToText(fen) {
      var yuan = String(Math.floor(fen / 100));
      var cents = String(fen % 100);
      return yuan + '.' + (cents.length < 2 ? '0' + cents : cents);
    }
    function display(fen) {
      var parts = fenToText(fen).split('.');
      return '¥' + parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + parts[1];
    }
    // the pages' one date format (server/http/time.ts displayDateTime): "2026-11-28 09:00", Beijing time
    // whatever the phone's own zone (UTC+8 all year: China keeps no summer time)
    function timeText(iso) {
      var d = new Date(Date.parse(iso) + 8 * 3600 * 1000);
      var pad = function (n) {
        return (n < 10 ? '0' : '') + n;
      };
      return (
        d.getUTCFullYear() +
        '-' +
        pad(d.getUTCMonth() + 1) +
        '-' +
        pad(d.getUTCDate()) +
        ' ' +
        pad(d.getUTCHours()) +
        ':' +
        pad(d.getUTCMinutes())
      );
    }
    function left(ms) {
      var s = Math.max(0, Math.ceil(ms / 1000));
      var h = Math.floor(s / 3600),
        m = Math.floor((s % 3600) / 60),
        sec = s % 60;
      var two = function (n) {
        return (n < 10 ? '0' : '') + n;
      };
      return (h > 0 ? h + ':' + two(m) : m) + ':' + two(sec);
    }

    var countdown = $('[data-auction-countdown]');
    function tick() {
      if (over || !countdown) return;
      var ms = endsAt - (Date.now() + skew);
      countdown.textContent = left(ms);
      countdown.classList.toggle('urgent', ms < 60 * 1000);
    }
    setInterval(tick, 250);
    tick();

    function finish(cancelled) {
      over = true;
      var said = cancelled && room.getAttribute('data-msg-cancelled');
      if (countdown) countdown.textContent = said || room.getAttribute('data-msg-over');
      var form = $('[data-auction-form]');
      if (form) form.classList.add('hidden');
      var note = $('[data-over-note]');
      if (note) note.classList.remove('hidden');
      if (room.hasAttribute('data-console'))
        setTimeout(function () {
          location.reload();
        }, 1500);
    }

    function onBid(b) {
      // a bid is never later than the server's now when it arrives: a page that took long between reading the
      // server's clock and its first byte (counted above as the phone's skew) is put right by the first bid
      var at = Date.parse(b.at);
      if (at - Date.now() > skew) skew = at - Date.now();
      if (b.seq <= seq) return;
      seq = b.seq;
      var fen = toFen(b.amount);
      var best = $('[data-best-amount]');
      if (best) {
        best.textContent = display(fen);
        best.classList.remove('flash');
        void best.offsetWidth;
        best.classList.add('flash');
      }
      var alias = $('[data-best-alias]');
      if (alias) alias.textContent = b.alias;
      var mine = $('[data-my-alias]');
      var lead = $('[data-you-lead]');
      if (lead && mine && mine.textContent !== b.alias) lead.classList.add('hidden');
      var count = $('[data-bid-count]');
      if (count) count.textContent = String(b.seq);
      var next = kind === 'lease' ? fen + incrementFen : fen - incrementFen;
      var nextText = $('[data-next-min-text]');
      if (nextText) nextText.textContent = next > 0 ? display(next) : '—';
      var input = $('[data-next-min]');
      if (input && next > 0) {
        input.value = fenToText(next);
        input.dispatchEvent(new Event('input'));
      }
      var list = $('[data-history]');
      if (list) {
        var li = document.createElement('li');
        li.innerHTML = '<span class="num"></span> <span></span> <small class="muted"></small>';
        li.children[0].textContent = display(fen);
        li.children[1].textContent = b.alias;
        li.children[2].textContent = timeText(b.at);
        list.insertBefore(li, list.firstChild);
      }
      var newEnd = Date.parse(b.endsAt);
      if (newEnd !== endsAt) {
        endsAt = newEnd;
        var endsText = $('[data-ends-text]');
        if (endsText) endsText.textContent = timeText(b.endsAt);
        var ext = $('[data-extended]');
        if (ext) ext.classList.remove('hidden');
        if (countdown) {
          countdown.classList.remove('jumped');
          void countdown.offsetWidth;
          countdown.classList.add('jumped');
        }
      }
      tick();
    }

    var source = new EventSource('/api/v1/listings/' + id + '/auction/events?after=' + seq);
    source.addEventListener('bid', function (e) {
      onBid(JSON.parse(e.data));
    });
    source.addEventListener('end', function (e) {
      source.close();
      finish(JSON.parse(e.data).cancelled === true);
    });
  }
})();
