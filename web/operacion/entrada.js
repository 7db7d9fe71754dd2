// entrada.js — the login page: usuario, contraseña and estación become a
// session (POST /api/v1/session); then the operator goes to the page of
// their role (or back to the page that sent them here), or sees the menu.
import { $, el, api, aviso, sesion, guardarSesion, paginasDe, salir, ErrorApi } from './comun.js';

const volver = new URLSearchParams(location.search).get('volver');

function menu(s) {
  $('#entrada').hidden = true;
  $('#menu').hidden = false;
  $('#saludo').textContent = `${s.usuario.nombre} (${s.usuario.rol}): páginas de su rol`;
  $('#paginas').replaceChildren(...paginasDe(s.usuario.rol).map(([n, href]) =>
    el('li', {}, el('a', { href: '/operacion/' + href }, n))));
  $('#salir').onclick = salir;
}

const s = sesion();
if (s) menu(s);
else {
  $('#entrada').hidden = false;
  $('#estacion').value = localStorage.getItem('prep.estacion') || '';
}

$('#f-entrada').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const estado = $('#estado');
  const datos = { usuario: $('#usuario').value.trim(), password: $('#password').value, estacion: $('#estacion').value.trim() };
  aviso(estado, 'Entrando…');
  try {
    const r = await api('POST', '/api/v1/session', { json: datos });
    localStorage.setItem('prep.estacion', datos.estacion);
    const ses = { token: r.body.token, expira: r.body.expira, usuario: r.body.usuario, estacion: datos.estacion };
    guardarSesion(ses);
    const destino = volver && volver.startsWith('/operacion/') ? volver : null;
    const propia = paginasDe(ses.usuario.rol)[0];
    if (destino) location.href = destino;
    else if (propia) location.href = '/operacion/' + propia[1];
    else menu(ses);
  } catch (e) {
    $('#password').value = '';
    aviso(estado, e instanceof ErrorApi && e.status === 401 ? 'Usuario o contraseña incorrectos.' : e.message, 'mal');
    $('#password').focus();
  }
});
