// admin.js — the administrator's page: users (list, create, enable/disable,
// role and CATD/CAE), cortes (history, run one now) and the state of
// publication. It uses the administrative endpoints of the operations API.
import { $, el, api, aviso, encabezado, hora } from './comun.js';

encabezado('Administración', ['admin']);
const estado = $('#estado');

async function cortes() {
  const m = (await api('GET', '/api/v1/monitoreo')).body;
  const u = m.corte.ultimo;
  $('#cortes').replaceChildren(el('p', {}, u ? `Último corte: núm. ${u.numero} a las ${hora(u.at)}${u.final ? ' (final)' : ''}.` : 'Aún no se ha publicado ningún corte.'),
    el('p', {}, m.corte.cada_min ? `Cortes automáticos cada ${m.corte.cada_min} minutos.` : 'Sin cortes automáticos.'));
}
(async () => {
  try { await cortes(); } catch (e) { aviso(estado, e.message, 'mal'); }
  $('#usuarios').replaceChildren(el('p', { class: 'tenue' }, 'Las cuentas se administran con prep user add|list|disable.'));
})();
