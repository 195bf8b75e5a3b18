// Award form: the reason field matters only when the top-ranked valid bid is not chosen.
// Without this script the field is always shown, with a hint saying when it is required.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('.award-form');
    if (!form) return;
    var reason = form.querySelector('[data-award-reason]');
    function update() {
      var chosen = form.querySelector('input[name="bidId"]:checked');
      var needed = chosen && !chosen.hasAttribute('data-top');
      reason.hidden = !needed;
      reason.querySelector('textarea').required = Boolean(needed);
    }
    form.addEventListener('change', update);
    update();
  });
})();
