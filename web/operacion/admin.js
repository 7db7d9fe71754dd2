// admin.js — the administrator's page: accounts (create; change role, CATD
// or CAE; enable or disable; reset the password) and cortes (history, the
// cadence, publish one now), through /api/v1/usuarios and /api/v1/cortes
// (docs/operations-api.md). Every change is a bitácora entry on the server.
// Opening and closing publication are ceremonies at the console (prep
// ceremony), not buttons here.
import { $, el, api, aviso, encabezado, horaLocal, claveUnica } from './comun.js';

encabezado('Administración', ['admin']);
const estado = $('#estado');
const ROLES = ['acopio', 'digitalizacion', 'captura', 'verificacion', 'cotejo', 'cae', 'monitor', 'auditor', 'admin'];
const opciones = (sel) => ROLES.map((r) => el('option', { value: r, selected: r === sel }, r));

async function cambiar(nombre, cambios, hecho) {
  const ruta = `/api/v1/usuarios/${encodeURIComponent(nombre)}`;
  try {
    if (cambios.password !== undefined) await api('POST', ruta + '/password', { json: cambios, headers: { 'Idempotency-Key': claveUnica('adm') } });
    else await api('PATCH', ruta, { json: cambios, headers: { 'Idempotency-Key': claveUnica('adm') } });
    aviso(estado, `${nombre}: ${hecho}.`, 'ok');
    await usuarios();
  } catch (e) { aviso(estado, `${nombre}: ${e.message}`, 'mal'); }
}

async function usuarios() {
  const lista = (await api('GET', '/api/v1/usuarios')).body.usuarios;
  $('#usuarios').replaceChildren(
    el('thead', {}, el('tr', {}, ['Nombre', 'Rol', 'CATD', 'CAE', 'Estado', ''].map((t) => el('th', { scope: 'col' }, t)))),
    el('tbody', {}, lista.map((u) => {
      const rol = el('select', { 'aria-label': `Rol de ${u.nombre}` }, opciones(u.rol));
      const catd = el('input', { value: u.catd, size: 3, inputmode: 'numeric', 'aria-label': `CATD de ${u.nombre}` });
      const cae = el('input', { value: u.cae, size: 4, inputmode: 'numeric', 'aria-label': `CAE de ${u.nombre}` });
      const pw = el('input', { type: 'password', size: 8, placeholder: 'nueva', autocomplete: 'new-password', 'aria-label': `Nueva contraseña de ${u.nombre}` });
      return el('tr', { class: u.activo ? '' : 'alerta' }, el('th', { scope: 'row' }, u.nombre), el('td', {}, rol), el('td', {}, catd), el('td', {}, cae),
        el('td', {}, u.activo ? 'activa' : 'desactivada'),
        el('td', { class: 'nowrap' },
          el('button', { type: 'button', class: 'secundario', onclick: () => cambiar(u.nombre, { rol: rol.value, catd: Number(catd.value), cae: Number(cae.value) }, 'cambios guardados') }, 'Guardar'), ' ',
          el('button', { type: 'button', class: u.activo ? 'peligro' : '', onclick: () => cambiar(u.nombre, { activo: !u.activo }, u.activo ? 'desactivada' : 'activada') }, u.activo ? 'Desactivar' : 'Activar'), ' ',
          pw, el('button', { type: 'button', class: 'secundario', onclick: () => cambiar(u.nombre, { password: pw.value }, 'contraseña cambiada') }, 'Cambiar')));
    })));
}

async function cortes() {
  const c = (await api('GET', '/api/v1/cortes')).body;
  const final = c.cortes.find((k) => k.final);
  $('#publicacion').textContent = (final ? `Publicación cerrada: el corte ${final.numero} fue el final. ` : '') +
    (c.cada_min ? `Cortes automáticos cada ${c.cada_min} minutos.` : 'Sin cortes automáticos: se publican a mano.');
  $('#corte').disabled = Boolean(final);
  $('#cortes').replaceChildren(
    el('thead', {}, el('tr', {}, ['Corte', 'Hora (UTC-6)', 'Actas', 'Directorio', 'MANIFEST (SHA-256)'].map((t) => el('th', { scope: 'col' }, t)))),
    el('tbody', {}, c.cortes.length ? c.cortes.slice().reverse().map((k) => el('tr', {}, el('th', { scope: 'row' }, k.numero + (k.final ? ' (final)' : '')),
      el('td', {}, horaLocal(k.hora, true)), el('td', { class: 'num' }, k.actas), el('td', { class: 'hash' }, k.directorio), el('td', { class: 'hash' }, k.manifest_sha256.slice(0, 16) + '…')))
      : [el('tr', {}, el('td', { colspan: 5, class: 'tenue' }, 'Aún no hay cortes.'))]));
}

$('#f-nuevo').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const nombre = $('#n-nombre').value.trim();
  try {
    await api('POST', '/api/v1/usuarios', { json: { nombre, rol: $('#n-rol').value, catd: Number($('#n-catd').value || 0), cae: Number($('#n-cae').value || 0), password: $('#n-password').value } });
    aviso(estado, `Cuenta ${nombre} creada.`, 'ok');
    $('#n-nombre').value = $('#n-password').value = '';
    await usuarios();
  } catch (e) { aviso(estado, e.message, 'mal'); }
});
$('#corte').addEventListener('click', async () => {
  $('#corte').disabled = true;
  aviso(estado, 'Publicando el corte…');
  try {
    const r = await api('POST', '/api/v1/cortes', { json: {}, headers: { 'Idempotency-Key': claveUnica('corte') } });
    aviso(estado, `Corte ${r.body.corte.numero} publicado con ${r.body.corte.actas} actas.`, 'ok');
  } catch (e) { aviso(estado, e.message, 'mal'); }
  await cortes();
});

$('#n-rol').replaceChildren(...opciones('captura'));
(async () => {
  try { await Promise.all([usuarios(), cortes()]); } catch (e) { aviso(estado, e.message, 'mal'); }
})();
