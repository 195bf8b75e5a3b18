// The listing form: shows the township's value band for the chosen kind while staff type the price,
// and keeps the category list and the lease term field in step with the kind. The server checks
// everything again; this only explains early, in plain words.
(function () {
  'use strict';
  function fill(text, params) {
    return text.replace(/\{(\w+)\}/g, function (m, k) {
      return k in params ? params[k] : m;
    });
  }
  // compares two non-negative decimal strings exactly (no floats for money)
  function cents(text) {
    var m = /^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text);
    if (!m) return null;
    return m[1].replace(/^0+(?=\d)/, '') + ((m[2] || '') + '00').slice(0, 2);
  }
  function cmp(a, b) {
    if (a.length !== b.length) return a.length < b.length ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('form.listing-form');
    if (!form) return;
    var bands = JSON.parse(form.getAttribute('data-bands') || '{}');
    var kind = form.querySelector('[data-kind]');
    var category = form.querySelector('[data-category]');
    var price = form.querySelector('[data-price]');
    var hint = form.querySelector('[data-band-hint]');
    var priceLabel = form.querySelector('[data-price-label]');
    var leaseOnly = form.querySelector('[data-lease-only]');

    function update() {
      var k = kind.value;
      var band = bands[k];
      if (priceLabel) priceLabel.textContent = form.getAttribute('data-label-' + k) || priceLabel.textContent;
      if (leaseOnly) leaseOnly.hidden = k !== 'lease';
      // only the categories of the chosen kind can be picked
      Array.prototype.forEach.call(category.querySelectorAll('optgroup'), function (g) {
        var mine = g.getAttribute('data-for-kind') === k;
        g.hidden = !mine;
        g.disabled = !mine;
      });
      var chosen = category.options[category.selectedIndex];
      if (!chosen || chosen.parentNode.getAttribute('data-for-kind') !== k) {
        var first = category.querySelector('optgroup[data-for-kind="' + k + '"] option');
        if (first) first.selected = true;
      }
      if (!band) return;
      var text = fill(form.getAttribute('data-msg-band'), { kind: band.label, min: band.minText, max: band.maxText });
      var value = cents(price.value);
      hint.className = 'band-hint';
      if (value !== null && price.value.trim() !== '') {
        if (cmp(value, cents(band.min)) < 0) {
          text = fill(form.getAttribute('data-msg-below'), { min: band.minText });
          hint.className += ' band-out';
        } else if (cmp(value, cents(band.max)) > 0) {
          text = fill(form.getAttribute('data-msg-above'), { max: band.maxText });
          hint.className += ' band-out';
        } else {
          text = form.getAttribute('data-msg-ok') + ' ' + text;
          hint.className += ' band-ok';
        }
      }
      hint.textContent = text;
    }
    kind.addEventListener('change', update);
    price.addEventListener('input', update);
    update();
  });
})();
