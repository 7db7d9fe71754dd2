// cotejo.js — after publication: the next acta of the cotejo queue, its
// published figures in the form beside the image; accept them (COTEJADA 1),
// correct them (2, the new values are published at the next corte) or mark
// the acta en corrección (3).
import { $, api, aviso, encabezado, claveUnica, ESTADOS } from './comun.js';
import { visor } from './visor.js';
import { formularioValores } from './valores.js';

encabezado('Cotejo', ['cotejo']);
const v = visor($('#visor'));
const estado = $('#estado');
let actual = null, form = null, espera = null;
const botones = () => ['#aceptar', '#corregir', '#en-correccion'].map((s) => $(s));

async function siguiente() {
  clearTimeout(espera);
  actual = null;
  botones().forEach((b) => { b.disabled = true; });
  $('#otra').hidden = true;
  $('#campos').replaceChildren();
  v.limpiar();
  try {
    const r = await api('POST', '/api/v1/trabajo/cotejo/siguiente', { json: {} });
    if (r.status === 204) {
      $('#titulo').textContent = 'Cotejo';
      $('#datos').textContent = '';
      aviso(estado, 'No hay actas publicadas por cotejar ahora. Se buscará otra vez en 10 segundos.', 'info');
      $('#otra').hidden = false;
      espera = setTimeout(siguiente, 10000);
      return;
    }
    const { eleccion, clave } = r.body;
    const acta = (await api('GET', `/api/v1/elecciones/${eleccion}/actas/${clave}`)).body;
    actual = { eleccion, clave, acta };
    $('#titulo').textContent = `Acta ${eleccion} · casilla ${clave}`;
    $('#datos').textContent = `CATD ${acta.catd} · ${ESTADOS[acta.estado]} en el corte ${acta.corte ?? '—'}`;
    aviso(estado, '', 'info');
    form = formularioValores($('#campos'), acta.campos, { inicial: acta.valores || [], alEnviar: corregir });
    botones().forEach((b) => { b.disabled = false; });
    $('#aceptar').focus();
    await v.mostrar(eleccion, clave, acta.imagen);
  } catch (e) {
    aviso(estado, e.message, 'mal');
    $('#otra').hidden = false;
  }
}

async function enviar(cuerpo, hecho) {
  botones().forEach((b) => { b.disabled = true; });
  try {
    await api('POST', `/api/v1/elecciones/${actual.eleccion}/actas/${actual.clave}/cotejo`,
      { json: cuerpo, headers: { 'Idempotency-Key': claveUnica('cot') } });
    const clave = actual.clave;
    await siguiente();
    aviso(estado, `${clave}: ${hecho}.`, 'ok');
  } catch (e) {
    botones().forEach((b) => { b.disabled = false; });
    aviso(estado, e.message, 'mal');
  }
}
function corregir() {
  const r = form.valores();
  if (r.falta) { aviso(estado, 'Falta un campo.', 'mal'); r.falta.focus(); return; }
  enviar({ resultado: 'corregida', valores: r.valores }, 'corregida');
}
$('#f-cotejo').addEventListener('submit', (e) => { e.preventDefault(); corregir(); });
$('#aceptar').addEventListener('click', () => enviar({ resultado: 'aceptada' }, 'aceptada'));
$('#en-correccion').addEventListener('click', () => enviar({ resultado: 'en_correccion' }, 'marcada en corrección'));
$('#otra').addEventListener('click', siguiente);
siguiente();
