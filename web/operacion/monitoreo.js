// monitoreo.js — the monitoring page (monitor, admin, auditor): progress
// per election, phase and CATD (/api/v1/avance), actas per hour, operators
// active, capturistas' disagreement rates and alerts for stuck actas and a
// late corte (/api/v1/monitoreo), and the queues from /metrics. Refreshes
// itself every 15 seconds; it changes nothing.
import { $, el, api, aviso, encabezado, hora } from './comun.js';

encabezado('Monitoreo', ['monitor', 'admin', 'auditor']);
const estado = $('#estado');
let ultimoAvance = null;

// Phases as the acta's state says they are done (cumulative).
const FASES = [
  ['Acopiadas', ['ACOPIADA', 'DIGITALIZADA', 'CAPTURADA', 'DISCREPANCIA', 'POR_VERIFICAR', 'VERIFICADA', 'PUBLICADA']],
  ['Digitalizadas', ['DIGITALIZADA', 'CAPTURADA', 'DISCREPANCIA', 'POR_VERIFICAR', 'VERIFICADA', 'PUBLICADA']],
  ['Capturadas', ['POR_VERIFICAR', 'VERIFICADA', 'PUBLICADA']],
  ['Verificadas', ['VERIFICADA', 'PUBLICADA']],
  ['Publicadas', ['PUBLICADA']],
];
const ROL = { admin: 'administración', acopio: 'acopio', digitalizacion: 'digitalización', captura: 'captura', verificacion: 'verificación', cotejo: 'cotejo', cae: 'CAE', monitor: 'monitoreo', auditor: 'auditoría' };
const suma = (est, lista) => lista.reduce((s, k) => s + (est[k] || 0), 0);
const pct = (n, d) => (d ? Math.floor((n * 10000) / d) / 100 : 0);
const celdaPct = (n, d) => el('td', { class: 'num' }, `${n} `, el('span', { class: 'tenue' }, `(${pct(n, d)} %)`));

function porEleccion(av) {
  $('#por-eleccion').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Elección'), el('th', { scope: 'col', class: 'num' }, 'Esperadas'),
      FASES.map(([n]) => el('th', { scope: 'col', class: 'num' }, n)), el('th', { scope: 'col', class: 'num' }, 'Sin acta'),
      el('th', { scope: 'col', class: 'num' }, 'Fuera de catálogo'))),
    el('tbody', {}, av.elecciones.map((e) => el('tr', {}, el('th', { scope: 'row' }, e.eleccion), el('td', { class: 'num' }, e.esperadas),
      FASES.map(([, l]) => celdaPct(suma(e.estados, l), e.esperadas)), el('td', { class: 'num' }, e.estados.SIN_ACTA || 0),
      el('td', { class: 'num' }, e.fuera_catalogo)))));
}

function porCatd(av) {
  const sel = $('#catd-eleccion');
  if (!sel.options.length) {
    sel.replaceChildren(...av.elecciones.map((e) => el('option', { value: e.eleccion }, e.eleccion)));
    sel.onchange = () => porCatd(ultimoAvance);
  }
  const e = av.elecciones.find((x) => x.eleccion === sel.value) || av.elecciones[0];
  $('#por-catd').replaceChildren(
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'CATD'),
      [['Esp.', 'Esperadas'], ['Acop.', 'Acopiadas'], ['Capt.', 'Capturadas'], ['Publ.', 'Publicadas'], ['% publ.', 'Porcentaje publicado']]
        .map(([c, largo]) => el('th', { scope: 'col', class: 'num' }, el('abbr', { title: largo }, c))))),
    el('tbody', {}, e.por_catd.map((c) => el('tr', {}, el('th', { scope: 'row' }, c.catd), el('td', { class: 'num' }, c.esperadas),
      [0, 2, 4].map((k) => el('td', { class: 'num' }, suma(c.estados, FASES[k][1]))),
      el('td', { class: 'num' }, pct(suma(c.estados, FASES[4][1]), c.esperadas) + ' %')))));
}

// prep_backlog{eleccion="GUB",fase="captura"} 12 → {GUB: {captura: 12}}
function leerMetricas(texto) {
  const b = {};
  let cola = null;
  for (const l of texto.split('\n')) {
    const m = l.match(/^prep_backlog\{eleccion="([^"]+)",fase="([^"]+)"\} (\d+)/);
    if (m) (b[m[1]] ||= {})[m[2]] = Number(m[3]);
    const w = l.match(/^prep_writer_queue (\d+)/);
    if (w) cola = Number(w[1]);
  }
  return { backlog: b, cola };
}

function monitoreo(m, met) {
  const alertas = [];
  if (m.corte.retrasado) alertas.push(el('li', { class: 'insignia mal' }, `Corte retrasado: el último (núm. ${m.corte.ultimo.numero}) fue hace ${m.corte.minutos_desde} min; se publican cada ${m.corte.cada_min} min.`));
  if (m.atascadas.total) alertas.push(el('li', {}, el('span', { class: 'insignia mal' }, `${m.atascadas.total} acta(s) detenidas más de ${m.atascadas.minutos} min`), ' ',
    m.atascadas.actas.slice(0, 8).map((a) => `${a.eleccion} ${a.clave} (${a.estado.toLowerCase()}, ${a.minutos} min)`).join(' · ')));
  for (const c of m.capturistas.filter((x) => x.alerta)) alertas.push(el('li', {}, el('span', { class: 'insignia aviso' }, `Capturista ${c.nombre}`), ` pierde ${(c.tasa_desacuerdo * 100).toFixed(1)} % de sus discrepancias`));
  $('#alertas').replaceChildren(...(alertas.length ? alertas : [el('li', { class: 'tenue' }, 'Sin alertas.')]));
  const ult = m.corte.ultimo;
  $('#cifras').replaceChildren(
    el('div', { class: 'cifra' }, el('strong', {}, ult ? `núm. ${ult.numero}` : '—'), ult ? `último corte, ${hora(ult.at)}` : 'aún no hay cortes'),
    el('div', { class: 'cifra' }, el('strong', {}, met.cola ?? '—'), 'escrituras en cola'));
  const act = Object.entries(m.operadores_activos).map(([r, n]) => [ROL[r] || r, n]);
  $('#activos').textContent = act.length ? act.map(([r, n]) => `${r}: ${n}`).join(' · ') : 'Nadie ha operado en los últimos 15 minutos.';
  const fases = [['digitalizacion', 'Digitalización'], ['captura', 'Captura'], ['verificacion', 'Verificación'], ['publicacion', 'Publicación']];
  $('#backlog').replaceChildren(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Elección'), fases.map(([, n]) => el('th', { scope: 'col', class: 'num' }, n)))),
    el('tbody', {}, Object.entries(met.backlog).map(([e, b]) => el('tr', {}, el('th', { scope: 'row' }, e), fases.map(([f]) => el('td', { class: 'num' }, b[f] ?? 0))))));
  const horas = m.por_hora.filter((h, i) => i >= m.por_hora.length - 8);
  const cols = [['acopio', 'Acopio'], ['imagen', 'Imágenes'], ['captura', 'Capturas'], ['verificacion', 'Verificadas']];
  $('#por-hora').replaceChildren(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Hora (UTC-6)'), cols.map(([, n]) => el('th', { scope: 'col', class: 'num' }, n)))),
    el('tbody', {}, horas.reverse().map((h) => el('tr', {}, el('th', { scope: 'row' }, hora(h.hora).slice(0, 5)), cols.map(([k]) => el('td', { class: 'num' }, h[k]))))));
  const caps = m.capturistas.filter((c) => c.capturas > 0).sort((a, b) => b.tasa_desacuerdo - a.tasa_desacuerdo);
  $('#capturistas').replaceChildren(el('thead', {}, el('tr', {}, ['Capturista', 'Capturas', 'Perdidas', 'Tasa'].map((n, i) => el('th', { scope: 'col', class: i ? 'num' : '' }, n)))),
    el('tbody', {}, caps.length ? caps.map((c) => el('tr', { class: c.alerta ? 'alerta' : '' }, el('th', { scope: 'row' }, c.nombre, c.activo ? '' : el('span', { class: 'tenue' }, ' (inactivo)')),
      el('td', { class: 'num' }, c.capturas), el('td', { class: 'num' }, c.perdidas), el('td', { class: 'num' }, (c.tasa_desacuerdo * 100).toFixed(1) + ' %')))
      : [el('tr', {}, el('td', { colspan: 4, class: 'tenue' }, 'Aún no hay capturas.'))]));
}

async function refrescar() {
  try {
    const q = new URLSearchParams(location.search);
    const extra = ['atascada_min', 'min_capturas', 'umbral_milesimas'].filter((k) => q.has(k)).map((k) => `${k}=${encodeURIComponent(q.get(k))}`).join('&');
    const [av, mon, met] = await Promise.all([api('GET', '/api/v1/avance'), api('GET', '/api/v1/monitoreo' + (extra ? '?' + extra : '')),
      fetch('/metrics', { cache: 'no-store' }).then((r) => r.text())]);
    ultimoAvance = av.body;
    porEleccion(av.body);
    porCatd(av.body);
    monitoreo(mon.body, leerMetricas(met));
    aviso(estado, `Actualizado a las ${hora(mon.body.at)} (UTC-6); se actualiza solo cada 15 s.`, 'info');
  } catch (e) { aviso(estado, 'No se pudo actualizar: ' + e.message, 'mal'); }
}
refrescar();
setInterval(refrescar, 15000);
