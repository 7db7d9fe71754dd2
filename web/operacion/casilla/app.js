// app.js — PREP Casilla, the CAE's phone app: log in, see the casillas
// assigned to this CAE (kept for offline use), photograph each acta with the
// camera, look at the photo and confirm it. The SHA-256 is computed here
// (WebCrypto) and sent as X-Content-SHA256; the photo waits in the offline
// queue (cola.js) until it is acknowledged, and every retry carries the same
// Idempotency-Key, so a photo is stored exactly once however often the
// signal drops. The page itself works offline through sw.js.
import { $, el, api, aviso, usarAlmacen, sesion, guardarSesion, olvidarSesion, sha256Hex, claveUnica, horaLocal, ESTADOS, ErrorApi } from '../comun.js';
import { guardar, todas } from './cola.js';

// The phone keeps its session across restarts (a CAE has no shared station).
if (!localStorage.getItem('prep.sesion') && sessionStorage.getItem('prep.sesion'))
  localStorage.setItem('prep.sesion', sessionStorage.getItem('prep.sesion'));
usarAlmacen(localStorage);
const estado = $('#estado');
const LISTA = 'prep.casilla.lista';
let dispositivo = localStorage.getItem('prep.dispositivo');
if (!dispositivo) { dispositivo = claveUnica('tel').slice(0, 20); localStorage.setItem('prep.dispositivo', dispositivo); }
let foto = null, objetivo = null, enviando = false;

if ('serviceWorker' in navigator) navigator.serviceWorker.register('/operacion/casilla/sw.js', { scope: '/operacion/casilla/' }).catch(() => {});

function red() {
  const en = navigator.onLine;
  $('#red').textContent = en ? 'En línea' : 'Sin señal';
  $('#red').className = 'red' + (en ? '' : ' sin');
}
addEventListener('online', () => { red(); enviarPendientes(); });
addEventListener('offline', red);
red();

function mostrar(cual) {
  for (const id of ['entrada', 'foto', 'lista', 'cola']) $('#' + id).hidden = !cual.includes(id);
}

async function cargarLista() {
  try {
    const r = await api('GET', '/api/v1/casillas', { sinRedirigir: true });
    localStorage.setItem(LISTA, JSON.stringify(r.body));
    return r.body;
  } catch (e) {
    if (e instanceof ErrorApi && e.status === 401) throw e;
    const c = localStorage.getItem(LISTA);
    if (c) return JSON.parse(c);
    throw e;
  }
}

async function pintar() {
  const s = sesion();
  $('#quien').textContent = s ? `${s.usuario.nombre} · CAE ${s.usuario.cae}` : '';
  let lista = null;
  try { lista = await cargarLista(); } catch (e) {
    if (e instanceof ErrorApi && e.status === 401) return pedirEntrada('Su sesión terminó: entre de nuevo. Las fotos pendientes se conservan.');
    aviso(estado, 'No se pudo obtener la lista de casillas: ' + e.message, 'mal');
  }
  const fotos = await todas();
  const pend = (e, c) => fotos.find((f) => f.eleccion === e && f.clave === c && f.estado === 'pendiente');
  const enviada = (e, c) => fotos.find((f) => f.eleccion === e && f.clave === c && f.estado === 'enviada');
  if (lista) {
    $('#casillas').replaceChildren(...(lista.casillas.length ? lista.casillas.map((c) => el('div', { class: 'casilla' },
      el('h3', {}, `Casilla ${c.clave}`, el('span', { class: 'tenue' }, ` · sección ${c.seccion}`)),
      lista.elecciones.map((e) => {
        const p = pend(e, c.clave), env = enviada(e, c.clave);
        const st = c.actas[e];
        const marca = p ? el('span', { class: 'insignia aviso' }, 'en cola')
          : env ? el('span', { class: 'insignia ok' }, 'enviada')
            : el('span', { class: 'insignia' }, ESTADOS[st] || st);
        return el('div', { class: 'acta-movil' }, el('span', {}, `Acta ${e} `, marca),
          el('button', { type: 'button', class: env || p ? 'secundario' : '', 'aria-label': `Fotografiar acta ${e} de la casilla ${c.clave}`,
            onclick: () => fotografiar(e, c.clave) }, env || p ? 'Otra foto' : 'Fotografiar'));
      }))) : [el('p', {}, 'No tiene casillas asignadas.')]));
  }
  const pendientes = fotos.filter((f) => f.estado === 'pendiente');
  $('#resumen-cola').textContent = `${pendientes.length} en cola por enviar · ${fotos.filter((f) => f.estado === 'enviada').length} recibidas por el servidor`;
  $('#envios').replaceChildren(...fotos.sort((a, b) => (a.creada < b.creada ? 1 : -1)).slice(0, 30).map((f) => el('li', { 'data-estado': f.estado },
    `${f.eleccion} ${f.clave} · foto de las ${horaLocal(f.creada)} · `,
    f.estado === 'pendiente' ? el('strong', {}, 'en cola, se enviará al haber señal')
      : f.estado === 'enviada' ? el('span', {}, `recibida a las ${horaLocal(f.enviada)} (${ESTADOS[f.estadoActa] || f.estadoActa}${f.activa === false ? ', el acta ya tenía imagen' : ''})`)
        : el('span', { class: 'insignia mal' }, 'rechazada: ' + f.mensaje))));
  mostrar(foto ? ['foto'] : ['lista', 'cola']);
}

function pedirEntrada(msg) {
  mostrar(['entrada']);
  if (msg) aviso(estado, msg, 'info');
  $('#usuario').focus();
}

function fotografiar(eleccion, clave) {
  objetivo = { eleccion, clave };
  $('#camara').value = '';
  $('#camara').click();
}

$('#camara').addEventListener('change', async () => {
  const f = $('#camara').files[0];
  if (!f || !objetivo) return;
  const bytes = await f.arrayBuffer();
  foto = { ...objetivo, bytes, tipo: f.type === 'image/png' ? 'image/png' : 'image/jpeg', sha: await sha256Hex(bytes) };
  $('#previa').src = URL.createObjectURL(new Blob([bytes], { type: foto.tipo }));
  $('#sha').textContent = foto.sha;
  $('#t-foto').textContent = `Revise la foto del acta ${foto.eleccion} · ${foto.clave}`;
  aviso(estado, '', 'info');
  mostrar(['foto']);
  $('#confirmar').focus();
});

$('#repetir').addEventListener('click', () => { const o = foto; foto = null; pintar(); if (o) fotografiar(o.eleccion, o.clave); });

$('#confirmar').addEventListener('click', async () => {
  if (!foto) return;
  const item = { id: claveUnica('foto'), eleccion: foto.eleccion, clave: foto.clave, tipo: foto.tipo, sha: foto.sha,
    bytes: foto.bytes, creada: new Date().toISOString(), estado: 'pendiente', intentos: 0 };
  await guardar(item);
  URL.revokeObjectURL($('#previa').src);
  foto = null;
  aviso(estado, `Foto del acta ${item.eleccion} ${item.clave} guardada en el teléfono; enviando…`, 'info');
  await pintar();
  enviarPendientes();
});

// Sends every queued photo, oldest first; stops at the first network failure.
async function enviarPendientes() {
  if (enviando || !sesion()) return;
  enviando = true;
  let enviadas = 0, sinRed = false;
  try {
    const cola = (await todas()).filter((f) => f.estado === 'pendiente').sort((a, b) => (a.creada < b.creada ? -1 : 1));
    for (const f of cola) {
      f.intentos++;
      try {
        const r = await api('POST', `/api/v1/elecciones/${f.eleccion}/actas/${f.clave}/imagenes`, {
          body: f.bytes, sinRedirigir: true,
          headers: { 'Content-Type': f.tipo, 'X-Content-SHA256': f.sha, 'X-Origen': 'CASILLA', 'X-Dispositivo': dispositivo, 'Idempotency-Key': f.id },
        });
        Object.assign(f, { estado: 'enviada', enviada: new Date().toISOString(), estadoActa: r.body.acta.estado, activa: r.body.imagen.activa, bytes: null });
        enviadas++;
      } catch (e) {
        if (!(e instanceof ErrorApi)) { sinRed = true; await guardar(f); break; }
        if (e.status === 401) { await guardar(f); olvidarSesion(); pedirEntrada('Su sesión terminó: entre de nuevo para enviar las fotos en cola.'); return; }
        if (e.status === 429 || e.status >= 500) { sinRed = true; await guardar(f); break; }
        Object.assign(f, { estado: 'rechazada', mensaje: e.message, bytes: null });
      }
      await guardar(f);
    }
  } finally { enviando = false; }
  if (enviadas) aviso(estado, `${enviadas} foto(s) recibida(s) por el servidor.`, 'ok');
  else if (sinRed) aviso(estado, 'Sin señal: las fotos siguen en cola y se enviarán solas cuando vuelva la señal.', 'mal');
  if (!foto) pintar();
}
setInterval(enviarPendientes, 10000);

$('#f-entrada').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    const r = await api('POST', '/api/v1/session', { json: { usuario: $('#usuario').value.trim(), password: $('#password').value, estacion: dispositivo } });
    guardarSesion({ token: r.body.token, expira: r.body.expira, usuario: r.body.usuario, estacion: dispositivo });
    $('#password').value = '';
    aviso(estado, '', 'info');
    await pintar();
    enviarPendientes();
  } catch (e) { aviso(estado, e.status === 401 ? 'Usuario o contraseña incorrectos.' : e.message, 'mal'); }
});
$('#salir').addEventListener('click', async () => {
  try { await api('DELETE', '/api/v1/session', { sinRedirigir: true }); } catch { /* sin señal o ya cerrada */ }
  olvidarSesion();
  localStorage.removeItem(LISTA);
  pedirEntrada();
});

if (sesion()) { pintar().then(enviarPendientes); } else pedirEntrada();
