/* prep.js — optional. On a sección page (which names no corte, so that it
 * stays the same file while its actas do not change) it reads the corte
 * being consulted from json/index.json and shows its number, time and the
 * next corte in the header. On every page, once the reader's clock passes
 * the time announced for the next corte, it shows "la actualización se ha
 * retrasado". Every table and link of the site works without it. */
(function () {
  var c = document.getElementById('corte'), r = document.getElementById('retraso');
  if (!c || !r) return;

  function vigila(t) {
    if (!t) return;
    var falta = t - Date.now();
    if (falta <= 0) { r.hidden = false; return; }
    setTimeout(function () { vigila(t); }, Math.min(falta + 1000, 60000));
  }

  function hora(iso, texto) {
    var t = document.createElement('time');
    t.setAttribute('datetime', iso);
    t.textContent = texto;
    return t;
  }

  function muestra(k) {
    if (!k || typeof k.numero !== 'number') return;
    var n = [document.createTextNode('Corte ' + k.numero + (k.final ? ' (final)' : '') + ': '),
      hora(k.iso, k.fecha_hora), document.createTextNode('.')];
    if (k.proximo) {
      n.push(document.createTextNode(' Próximo corte previsto: '), hora(k.proximo, k.proximo_fecha_hora),
        document.createTextNode('.'));
    }
    while (c.firstChild) c.removeChild(c.firstChild);
    for (var i = 0; i < n.length; i++) c.appendChild(n[i]);
    vigila(k.proximo ? Date.parse(k.proximo) : 0);
  }

  var fuente = c.getAttribute('data-corte');
  if (fuente && window.fetch) {
    fetch(fuente, { cache: 'no-cache' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (j) { if (j) muestra(j.corte); })
      .catch(function () { /* the header keeps its link to the home page */ });
  } else {
    vigila(Number(c.getAttribute('data-proximo')));
  }
})();
