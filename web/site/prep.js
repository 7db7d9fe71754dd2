/* prep.js — optional: once the reader's clock passes the time announced for
 * the next corte, show "la actualización se ha retrasado". Every table and
 * link of the site works without it. */
(function () {
  var c = document.getElementById('corte'), r = document.getElementById('retraso');
  var t = c && r ? Number(c.getAttribute('data-proximo')) : 0;
  if (!t) return;
  function mira() {
    var falta = t - Date.now();
    if (falta <= 0) { r.hidden = false; return; }
    setTimeout(mira, Math.min(falta + 1000, 60000));
  }
  mira();
})();
