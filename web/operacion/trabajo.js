// trabajo.js — the work-queue loop shared by captura, verificación and
// cotejo: lease the next acta of the phase (POST /api/v1/trabajo/{fase}/
// siguiente), read it, hand it to the page; with nothing to do, say so and
// look again in 10 seconds (or at «Buscar acta»). The page decides what to
// show and what to send; this file only fetches work.
import { $, api, aviso } from './comun.js';

export function colaDeTrabajo({ fase, titulo, vacio, estado, limpiar, mostrar }) {
  let espera = null;
  async function siguiente() {
    clearTimeout(espera);
    limpiar();
    $('#otra').hidden = true;
    try {
      const r = await api('POST', `/api/v1/trabajo/${fase}/siguiente`, { json: {} });
      if (r.status === 204) {
        $('#titulo').textContent = titulo;
        $('#datos').textContent = '';
        aviso(estado, `${vacio} Se buscará otra vez en 10 segundos.`, 'info');
        $('#otra').hidden = false;
        espera = setTimeout(siguiente, 10000);
        return;
      }
      const { eleccion, clave, expira } = r.body;
      const acta = (await api('GET', `/api/v1/elecciones/${eleccion}/actas/${clave}`)).body;
      $('#titulo').textContent = `Acta ${eleccion} · casilla ${clave}`;
      aviso(estado, '', 'info');
      await mostrar({ eleccion, clave, expira, acta });
    } catch (e) {
      aviso(estado, e.message, 'mal');
      $('#otra').hidden = false;
    }
  }
  $('#otra').addEventListener('click', siguiente);
  return siguiente;
}
