// Bid form: shows the amount in Chinese capital numerals (大写) while the bidder types.
// The same algorithm as server/http/capital-numerals.ts (a unit test checks they agree).
// No floats: the amount is handled as text, digit by digit.
(function (root) {
  'use strict';
  var DIGITS = '零壹贰叁肆伍陆柒捌玖';
  var UNITS = ['', '拾', '佰', '仟'];
  var SECTIONS = ['', '万', '亿'];
  var MONEY = /^\d{1,12}(\.\d{1,2})?$/;

  function integerToCapitals(digits) {
    var out = '',
      pendingZero = false,
      sectionHasDigit = false;
    for (var i = 0; i < digits.length; i++) {
      var position = digits.length - 1 - i;
      var d = Number(digits.charAt(i));
      if (d === 0) {
        if (out !== '') pendingZero = true;
      } else {
        if (pendingZero) out += '零';
        pendingZero = false;
        out += DIGITS.charAt(d) + UNITS[position % 4];
        sectionHasDigit = true;
      }
      if (position % 4 === 0 && position > 0) {
        if (sectionHasDigit) out += SECTIONS[position / 4];
        sectionHasDigit = false;
        pendingZero = false;
      }
    }
    return out;
  }

  /** "42123.45" → "肆万贰仟壹佰贰拾叁元肆角伍分"; null when the text is not an amount. */
  function toCapitalNumerals(text) {
    text = String(text).trim();
    if (!MONEY.test(text)) return null;
    var parts = text.split('.');
    var intPart = parts[0].replace(/^0+(?=\d)/, '');
    var frac = ((parts[1] || '') + '00').slice(0, 2);
    var jiao = Number(frac.charAt(0)),
      fen = Number(frac.charAt(1));
    var yuan = intPart === '0' ? '' : integerToCapitals(intPart) + '元';
    if (jiao === 0 && fen === 0) return yuan ? yuan + '整' : '零元整';
    var out = yuan;
    if (jiao > 0) out += DIGITS.charAt(jiao) + '角';
    else if (yuan) out += '零';
    if (fen > 0) out += DIGITS.charAt(fen) + '分';
    return out;
  }

  if (typeof module === 'object' && module.exports) module.exports = { toCapitalNumerals: toCapitalNumerals };
  if (!root.document) return;

  // <input data-capitals="target-id">: the element with that id shows the capitals live.
  root.document.addEventListener('DOMContentLoaded', function () {
    root.document.querySelectorAll('input[data-capitals]').forEach(function (input) {
      var target = root.document.getElementById(input.getAttribute('data-capitals'));
      if (!target) return;
      var empty = target.getAttribute('data-empty') || '';
      var invalid = target.getAttribute('data-invalid') || '';
      function show() {
        var value = input.value.replace(/[,，\s]/g, '');
        if (value === '') {
          target.textContent = empty;
          target.classList.remove('bad');
          return;
        }
        var text = toCapitalNumerals(value);
        target.textContent = text || invalid;
        target.classList.toggle('bad', !text);
      }
      input.addEventListener('input', show);
      show();
    });
  });
})(typeof window !== 'undefined' ? window : {});
