// captura.js — the capturista's page: takes the next acta of the captura
// queue (a lease no one else holds), shows its image beside the keyboard
// form, sends the capture and goes on to the next. Capture is blind: the
// server never shows this page another operator's figures.
import { $, api, aviso, encabezado, claveUnica, ESTADOS } from './comun.js';
import { colaDeTrabajo } from './trabajo.js';
import { visor } from './visor.js';
import { formularioValores } from './valores.js';

encabezado('Captura', ['captura']);
const v = visor($('#visor'));
const estado = $('#estado');
let actual = null, form = null;

const siguiente = colaDeTrabajo({
  fase: 'captura', titulo: 'Captura', vacio: 'No hay actas por capturar ahora.', estado,
  limpiar() {
    actual = null;
    $('#enviar').disabled = $('#liberar').disabled = true;
    $('#campos').replaceChildren();
    v.limpiar();
  },
  async mostrar({ eleccion, clave, expira, acta }) {
    actual = { eleccion, clave, acta, idem: claveUnica('cap') };
    $('#datos').textContent = `CATD ${acta.catd} · ${ESTADOS[acta.estado] || acta.estado} · reservada para usted hasta las ${expira.slice(11, 16)}`;
    form = formularioValores($('#campos'), acta.campos, { alEnviar: enviar });
    $('#enviar').disabled = $('#liberar').disabled = false;
    form.enfocar();
    await v.mostrar(eleccion, clave, acta.imagen);
  },
});

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
$('#liberar').addEventListener('click', async () => {
  if (!actual) return;
  try { await api('POST', '/api/v1/trabajo/captura/liberar', { json: { eleccion: actual.eleccion, clave: actual.clave } }); } catch (e) { aviso(estado, e.message, 'mal'); return; }
  await siguiente();
  aviso(estado, 'El acta quedó libre para otro capturista.', 'info');
});
siguiente();
