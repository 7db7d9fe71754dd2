// digitalizacion.js — the CATD scanner station: pick an acta (from the
// acopiadas without image, or by clave), choose the scanned file, see its
// SHA-256 computed here, send it with that hash (the server recomputes it
// and refuses a mismatch), then see the hash the server stored, the QR it
// read and the image as the server has it.
import { $, el, api, aviso, encabezado, elecciones, sha256Hex, claveUnica, ESTADOS } from './comun.js';
import { visor } from './visor.js';

encabezado('Digitalización', ['digitalizacion']);
const v = visor($('#visor'));
const estado = $('#estado');
let archivo = null;

async function pendientes() {
  const r = await api('GET', '/api/v1/casillas');
  const filas = [];
  for (const c of r.body.casillas) {
    for (const e of r.body.elecciones) {
      if (c.actas[e] !== 'ACOPIADA' || filas.length >= 30) continue;
      filas.push(el('tr', {}, el('td', {}, e), el('td', { class: 'hash' }, c.clave), el('td', {}, ESTADOS[c.actas[e]]),
        el('td', {}, el('button', { type: 'button', class: 'secundario', onclick: () => elegir(e, c.clave) }, 'Elegir'))));
    }
  }
  $('#pendientes tbody').replaceChildren(...(filas.length ? filas : [el('tr', {}, el('td', { colspan: 4, class: 'tenue' }, 'No hay actas acopiadas esperando su imagen.'))]));
}

function elegir(e, clave) {
  $('#eleccion').value = e;
  $('#clave').value = clave;
  $('#archivo').focus();
}

$('#archivo').addEventListener('change', async () => {
  const f = $('#archivo').files[0];
  archivo = null;
  $('#enviar').disabled = true;
  $('#nombre-archivo').textContent = f ? `${f.name} (${Math.round(f.size / 1024)} KB)` : 'ningún archivo elegido';
  if (!f) return;
  const bytes = await f.arrayBuffer();
  archivo = { bytes, tipo: f.type === 'image/png' ? 'image/png' : 'image/jpeg', sha: await sha256Hex(bytes) };
  $('#sha-local').textContent = archivo.sha;
  $('#enviar').disabled = false;
});

$('#f-dig').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const eleccion = $('#eleccion').value, clave = $('#clave').value.trim().toUpperCase();
  if (!/^\d{6}[BCES]\d{4}$/.test(clave)) { aviso(estado, 'Escriba la clave de casilla (11 caracteres).', 'mal'); $('#clave').focus(); return; }
  if (!archivo) { aviso(estado, 'Elija el archivo escaneado.', 'mal'); return; }
  $('#enviar').disabled = true;
  aviso(estado, 'Enviando…');
  try {
    const r = await api('POST', `/api/v1/elecciones/${eleccion}/actas/${clave}/imagenes`, {
      body: archivo.bytes,
      headers: { 'Content-Type': archivo.tipo, 'X-Content-SHA256': archivo.sha, 'X-Origen': 'CATD', 'Idempotency-Key': claveUnica('dig') },
    });
    const im = r.body.imagen;
    $('#recibida').hidden = false;
    $('#sha-servidor').textContent = im.sha256 + (im.sha256 === archivo.sha ? '  ✓ igual al calculado aquí' : '  ✗ distinto');
    $('#qr').textContent = im.qr ? `${im.qr}${im.qr === clave ? ' ✓ coincide' : ''}` : 'no se encontró un código QR';
    $('#estado-acta').textContent = ESTADOS[r.body.acta.estado] + (im.activa ? ' · esta es la imagen activa' : ' · se guardó, pero el acta ya tenía una imagen activa');
    aviso(estado, r.body.noop ? `${clave}: esta imagen ya estaba guardada.` : `${clave}: imagen guardada.`, 'ok');
    await v.mostrar(eleccion, clave, im.sha256);
    $('#archivo').value = '';
    $('#nombre-archivo').textContent = 'ningún archivo elegido';
    archivo = null;
    pendientes().catch(() => {});
  } catch (e) {
    $('#enviar').disabled = false;
    aviso(estado, e.message, 'mal');
  }
});

(async () => {
  try {
    const els = await elecciones();
    $('#eleccion').replaceChildren(...els.map((e) => el('option', { value: e.codigo }, `${e.codigo} · ${e.nombre}`)));
    await pendientes();
  } catch (e) { aviso(estado, e.message, 'mal'); }
})();
