// captura.js — the capturista's page: takes the next acta of the captura
// queue (a lease no one else holds), shows its image beside the keyboard
// form, sends the capture and goes on to the next. Capture is blind: the
// server never shows this page another operator's figures.
import { $, api, aviso, encabezado, claveUnica, ESTADOS } from './comun.js';
import { visor } from './visor.js';
import { formularioValores } from './valores.js';

encabezado('Captura', ['captura']);
const v = visor($('#visor'));
const estado = $('#estado');
let actual = null, form = null, espera = null;

async function siguiente() {
  clearTimeout(espera);
  actual = null;
  $('#enviar').disabled = $('#liberar').disabled = true;
  $('#otra').hidden = true;
  $('#campos').replaceChildren();
  v.limpiar();
  try {
    const r = await api('POST', '/api/v1/trabajo/captura/siguiente', { json: {} });
    if (r.status === 204) {
      $('#titulo').textContent = 'Captura';
      $('#datos').textContent = '';
      aviso(estado, 'No hay actas por capturar ahora. Se buscará otra vez en 10 segundos.', 'info');
      $('#otra').hidden = false;
      espera = setTimeout(siguiente, 10000);
      return;
    }
    const { eleccion, clave, expira } = r.body;
    const acta = (await api('GET', `/api/v1/elecciones/${eleccion}/actas/${clave}`)).body;
    actual = { eleccion, clave, acta, idem: claveUnica('cap') };
    $('#titulo').textContent = `Acta ${eleccion} · casilla ${clave}`;
    $('#datos').textContent = `CATD ${acta.catd} · ${ESTADOS[acta.estado] || acta.estado} · reservada para usted hasta las ${expira.slice(11, 16)}`;
    aviso(estado, '', 'info');
    form = formularioValores($('#campos'), acta.campos, { alEnviar: enviar });
    $('#enviar').disabled = $('#liberar').disabled = false;
    form.enfocar();
    await v.mostrar(eleccion, clave, acta.imagen);
  } catch (e) {
    aviso(estado, e.message, 'mal');
    $('#otra').hidden = false;
  }
}

async function enviar() {
  if (!actual) return;
  const r = form.valores();
  if (r.falta) { aviso(estado, 'Falta un campo: escriba la cifra, I (Ilegible) o S (Sin dato).', 'mal'); r.falta.focus(); return; }
  $('#enviar').disabled = true;
  try {
    const res = await api('POST', `/api/v1/elecciones/${actual.eleccion}/actas/${actual.clave}/capturas`,
      { json: { valores: r.valores }, headers: { 'Idempotency-Key': actual.idem } });
    const est = res.body.acta.estado;
    await siguiente();
    aviso(estado, `Captura de ${res.body.acta.clave} enviada (${ESTADOS[est] || est}).`, 'ok');
  } catch (e) {
    $('#enviar').disabled = false;
    aviso(estado, e.message, 'mal');
  }
}

$('#f-captura').addEventListener('submit', (e) => { e.preventDefault(); enviar(); });
$('#otra').addEventListener('click', siguiente);
$('#liberar').addEventListener('click', async () => {
  if (!actual) return;
  try { await api('POST', '/api/v1/trabajo/captura/liberar', { json: { eleccion: actual.eleccion, clave: actual.clave } }); } catch (e) { aviso(estado, e.message, 'mal'); return; }
  await siguiente();
  aviso(estado, 'El acta quedó libre para otro capturista.', 'info');
});
siguiente();
