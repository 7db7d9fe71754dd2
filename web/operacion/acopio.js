// acopio.js — the CATD's acopio: the clave of each arriving acta comes from
// its QR code (the station's camera, read with the vendored jsQR) or is
// typed; arrival or sin acta (with its motivo) is registered; an unknown
// clave can be registered fuera de catálogo. Beside it, the CATD's actas
// expected vs received, per election.
import { $, el, api, aviso, encabezado, elecciones, leerQr, claveUnica, horaLocal, MOTIVOS, ESTADOS } from './comun.js';

const s = encabezado('Acopio', ['acopio']);
const estado = $('#estado');
let codigos = [];

async function avance() {
  const r = await api('GET', '/api/v1/casillas');
  const filas = r.body.elecciones.map((e) => {
    let esperadas = 0, recibidas = 0, sin = 0;
    for (const c of r.body.casillas) {
      esperadas++;
      const st = c.actas[e];
      if (st === 'SIN_ACTA') sin++;
      else if (st !== 'ESPERADA') recibidas++;
    }
    const hechas = recibidas + sin, pct = esperadas ? Math.floor((hechas * 1000) / esperadas) / 10 : 0;
    return el('tr', {}, el('th', { scope: 'row' }, e), el('td', { class: 'num' }, esperadas), el('td', { class: 'num' }, recibidas),
      el('td', { class: 'num' }, sin), el('td', { class: 'num' }, esperadas - hechas),
      el('td', {}, el('div', { class: 'barra-avance', role: 'img', 'aria-label': `${pct} %` }, el('span', { style: `width:${pct}%` })), ` ${pct} %`));
  });
  $('#avance tbody').replaceChildren(...filas);
  $('#t-avance').textContent = s.usuario.catd ? `Avance del acopio · CATD ${s.usuario.catd}` : 'Avance del acopio · todos los CATD';
}

function anotar(eleccion, clave, texto, ok) {
  const t = horaLocal(Date.now(), true);
  $('#ultimos tbody').prepend(el('tr', { class: ok ? '' : 'alerta' }, el('td', {}, t), el('td', {}, eleccion), el('td', { class: 'hash' }, clave), el('td', {}, texto)));
  while ($('#ultimos tbody').children.length > 12) $('#ultimos tbody').lastChild.remove();
}

function leerFormulario() {
  const clave = $('#clave').value.trim().toUpperCase();
  const eleccion = $('#eleccion').value;
  if (!/^\d{6}[BCES]\d{4}$/.test(clave)) {
    aviso(estado, 'La clave de casilla tiene 11 caracteres: entidad (2), sección (4), tipo (B, C, E o S), número (2) y extensión (2).', 'mal');
    $('#clave').focus();
    return null;
  }
  return { clave, eleccion };
}

async function registrar(ruta, cuerpo, hecho) {
  const f = leerFormulario();
  if (!f) return;
  $('#fuera').hidden = true;
  try {
    const r = await api('POST', `/api/v1/elecciones/${f.eleccion}/actas/${f.clave}/${ruta}`,
      { json: cuerpo, headers: { 'Idempotency-Key': claveUnica('aco') } });
    const texto = r.body.noop ? `ya estaba registrada (${ESTADOS[r.body.acta.estado]})` : `${hecho} (${ESTADOS[r.body.acta.estado]})`;
    aviso(estado, `${f.eleccion} ${f.clave}: ${texto}.`, 'ok');
    anotar(f.eleccion, f.clave, texto, true);
    $('#clave').value = '';
    avance().catch(() => {});
  } catch (e) {
    aviso(estado, `${f.eleccion} ${f.clave}: ${e.message}`, 'mal');
    anotar(f.eleccion, f.clave, e.message, false);
    if (e.status === 404 && /catalog/.test(e.detalle || '')) {
      $('#fuera-clave').textContent = f.clave;
      $('#fuera').hidden = false;
    }
  }
  $('#clave').focus();
}

$('#f-acopio').addEventListener('submit', (e) => { e.preventDefault(); registrar('acopio', {}, 'llegada registrada'); });
$('#f-sin-acta').addEventListener('submit', (e) => { e.preventDefault(); registrar('sin-acta', { motivo: $('#motivo').value }, 'sin acta: ' + MOTIVOS[$('#motivo').value]); });
$('#registrar-fuera').addEventListener('click', async () => {
  const eleccion = $('#eleccion').value, id = $('#fuera-clave').textContent;
  try {
    await api('POST', `/api/v1/elecciones/${eleccion}/fuera-catalogo`, { json: { identificacion: id }, headers: { 'Idempotency-Key': claveUnica('fc') } });
    aviso(estado, `${eleccion} ${id}: registrada fuera de catálogo.`, 'ok');
    anotar(eleccion, id, 'fuera de catálogo', true);
    $('#fuera').hidden = true;
  } catch (e) { aviso(estado, e.message, 'mal'); }
});

// The camera: frames go through jsQR until a clave is read, then it registers.
let flujo = null, temporizador = null;
function parar() {
  clearInterval(temporizador);
  if (flujo) flujo.getTracks().forEach((t) => t.stop());
  flujo = null;
  $('#escaner').hidden = true;
  $('#camara').textContent = 'Escanear QR con la cámara';
}
$('#camara').addEventListener('click', async () => {
  if (flujo) return parar();
  try {
    flujo = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch (e) {
    aviso(estado, 'No se pudo usar la cámara: ' + e.message + '. Escriba la clave.', 'mal');
    return;
  }
  const video = $('#video');
  video.srcObject = flujo;
  await video.play();
  $('#escaner').hidden = false;
  $('#camara').textContent = 'Detener la cámara';
  const lienzo = document.createElement('canvas');
  const ctx = lienzo.getContext('2d', { willReadFrequently: true });
  temporizador = setInterval(() => {
    if (!video.videoWidth || typeof window.jsQR !== 'function') return;
    lienzo.width = video.videoWidth;
    lienzo.height = video.videoHeight;
    ctx.drawImage(video, 0, 0);
    const img = ctx.getImageData(0, 0, lienzo.width, lienzo.height);
    const qr = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
    const leido = qr && leerQr(qr.data, codigos);
    if (!leido) return;
    parar();
    $('#clave').value = leido.clave;
    if (leido.eleccion) $('#eleccion').value = leido.eleccion;
    aviso(estado, `QR leído: ${leido.clave}`, 'info');
    registrar('acopio', {}, 'llegada registrada');
  }, 250);
});

(async () => {
  try {
    const els = await elecciones();
    codigos = els.map((e) => e.codigo);
    $('#eleccion').replaceChildren(...els.map((e) => el('option', { value: e.codigo }, `${e.codigo} · ${e.nombre}`)));
    $('#motivo').replaceChildren(...Object.entries(MOTIVOS).map(([k, t]) => el('option', { value: k }, t)));
    await avance();
  } catch (e) { aviso(estado, e.message, 'mal'); }
})();
