// cotejo.js — after publication: the next acta of the cotejo queue, its
// published figures in the form beside the image; accept them (COTEJADA 1),
// correct them (2, the new values are published at the next corte) or mark
// the acta en corrección (3).
import { $, api, aviso, encabezado, claveUnica, ESTADOS } from './comun.js';
import { visor } from './visor.js';
import { colaDeTrabajo } from './trabajo.js';
import { formularioValores } from './valores.js';

encabezado('Cotejo', ['cotejo']);
const v = visor($('#visor'));
const estado = $('#estado');
let actual = null, form = null;
const botones = () => ['#aceptar', '#corregir', '#en-correccion'].map((s) => $(s));

const siguiente = colaDeTrabajo({
  fase: 'cotejo', titulo: 'Cotejo', vacio: 'No hay actas publicadas por cotejar ahora.', estado,
  limpiar() {
    actual = null;
    botones().forEach((b) => { b.disabled = true; });
    $('#campos').replaceChildren();
    v.limpiar();
  },
  async mostrar({ eleccion, clave, acta }) {
    actual = { eleccion, clave, acta };
    $('#datos').textContent = `CATD ${acta.catd} · ${ESTADOS[acta.estado]} en el corte ${acta.corte ?? '—'}`;
    form = formularioValores($('#campos'), acta.campos, { inicial: acta.valores || [], alEnviar: corregir });
    botones().forEach((b) => { b.disabled = false; });
    $('#aceptar').focus();
    await v.mostrar(eleccion, clave, acta.imagen);
  },
});

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
siguiente();
