// comun.js — what every operator page shares: the session (bearer token kept
// in sessionStorage, so closing the tab logs the station out; PREP Casilla
// keeps it in localStorage instead), JSON calls to /api/v1 with the server's
// error message shown as is, the header bar, acta images fetched with the
// token (an <img> cannot send it), and Spanish names of states and fields.
// It does no page logic.

const CLAVE = 'prep.sesion';
let almacen = sessionStorage;
export function usarAlmacen(s) { almacen = s; }

export function sesion() {
  try { return JSON.parse(almacen.getItem(CLAVE)); } catch { return null; }
}
export function guardarSesion(s) { almacen.setItem(CLAVE, JSON.stringify(s)); }
export function olvidarSesion() { almacen.removeItem(CLAVE); }

export const $ = (sel, raiz = document) => raiz.querySelector(sel);
export const $$ = (sel, raiz = document) => [...raiz.querySelectorAll(sel)];

// el('td', {class: 'num'}, 'texto', otroNodo)
export function el(tag, attrs = {}, ...hijos) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else if (k === 'class') n.className = v;
    else n.setAttribute(k, v === true ? '' : v);
  }
  for (const h of hijos.flat()) if (h !== null && h !== undefined) n.append(h instanceof Node ? h : String(h));
  return n;
}

// The API's messages are English (they are also for scripts and logs): the
// operator reads a Spanish sentence chosen by the stable error code, and the
// server's own words after it, for whoever supports the station.
const MENSAJES = {
  invalid: 'Datos no válidos', not_found: 'No existe', state: 'El acta no está en la etapa para esta operación',
  conflict: 'Conflicto con lo ya registrado', forbidden: 'Su cuenta no puede hacer esto',
  unauthorized: 'Sesión no válida o terminada', hash_mismatch: 'La imagen llegó dañada; envíela de nuevo',
  too_large: 'El archivo es demasiado grande', rate_limited: 'Demasiados intentos; espere un momento',
  io: 'El servidor no pudo completar la operación; intente de nuevo', nomem: 'El servidor está saturado; intente de nuevo',
};
export class ErrorApi extends Error {
  constructor(status, code, message) {
    super(MENSAJES[code] ? `${MENSAJES[code]} (${message})` : message);
    this.status = status; this.code = code; this.detalle = message;
  }
}

// Calls the API; resolves {status, body} for 2xx, throws ErrorApi otherwise.
// A 401 (session expired or closed) sends the operator back to the login.
export async function api(method, path, { json, body, headers = {}, token, sinRedirigir } = {}) {
  const h = { ...headers };
  const s = sesion();
  const t = token || (s && s.token);
  if (t) h.Authorization = 'Bearer ' + t;
  let b = body;
  if (json !== undefined) { b = JSON.stringify(json); h['Content-Type'] = 'application/json'; }
  const r = await fetch(path, { method, headers: h, body: b, cache: 'no-store' });
  let cuerpo = null;
  const texto = await r.text();
  if (texto) { try { cuerpo = JSON.parse(texto); } catch { cuerpo = texto; } }
  if (r.ok) return { status: r.status, body: cuerpo };
  const e = cuerpo && cuerpo.error ? cuerpo.error : { code: 'http_' + r.status, message: `Error ${r.status}` };
  if (r.status === 401 && !sinRedirigir && !path.endsWith('/session')) {
    olvidarSesion();
    location.href = rutaEntrada() + '?volver=' + encodeURIComponent(location.pathname);
  }
  throw new ErrorApi(r.status, e.code, e.message);
}

function rutaEntrada() { return new URL('/operacion/index.html', location.href).pathname; }

export const ROLES = {
  acopio: ['Acopio', 'acopio.html'],
  digitalizacion: ['Digitalización', 'digitalizacion.html'],
  captura: ['Captura', 'captura.html'],
  verificacion: ['Verificación', 'verificacion.html'],
  cotejo: ['Cotejo', 'cotejo.html'],
  cae: ['PREP Casilla', 'casilla/'],
  monitor: ['Monitoreo', 'monitoreo.html'],
  auditor: ['Monitoreo', 'monitoreo.html'],
  admin: ['Administración', 'admin.html'],
};
// Pages each role may open (admin and auditor also watch the monitoring page).
export function paginasDe(rol) {
  const p = [ROLES[rol]];
  if (rol === 'admin') p.push(ROLES.monitor);
  return p.filter(Boolean);
}

export const ESTADOS = {
  ESPERADA: 'Esperada', ACOPIADA: 'Acopiada', DIGITALIZADA: 'Digitalizada', CAPTURADA: 'Capturada (1 de 2)',
  DISCREPANCIA: 'Discrepancia', POR_VERIFICAR: 'Por verificar', VERIFICADA: 'Verificada',
  PUBLICADA: 'Publicada', SIN_ACTA: 'Sin acta',
};
export const MOTIVOS = {
  paquete_no_entregado: 'Paquete no entregado', casilla_no_instalada: 'Casilla no instalada',
  sin_sobre: 'Paquete sin sobre (acta no localizada)',
};

// Readable field names: "TOTAL_PERSONAS_VOTARON" → "Total personas votaron"; parties stay as written.
export function nombreCampo(n) {
  const fijos = {
    TOTAL_BOLETAS_SOBRANTES: 'Boletas sobrantes', TOTAL_PERSONAS_VOTARON: 'Personas que votaron',
    TOTAL_REP_PARTIDO_CI_VOTARON: 'Representantes que votaron', TOTAL_VOTOS_SACADOS: 'Votos sacados de la urna',
    NO_REGISTRADAS: 'Candidaturas no registradas', NULOS: 'Votos nulos', TOTAL_VOTOS_ASENTADO: 'Total de votos asentado',
  };
  if (fijos[n]) return fijos[n];
  const ci = n.match(/^CAND_IND_(\d+)$/);
  if (ci) return 'Candidatura independiente ' + ci[1];
  return n.replace(/_/g, ' + ');
}
// Fields summed into TOTAL_VOTOS_CALCULADO: every vote column, no registradas, nulos.
export function esVoto(n) { return !n.startsWith('TOTAL_'); }

// Wall-clock time in Mexico City (UTC-6) of a Date or ISO string: "19:47".
export function horaLocal(d, segundos = false) {
  return new Date(d).toLocaleTimeString('es-MX', { timeZone: 'America/Mexico_City', hour: '2-digit', minute: '2-digit',
    second: segundos ? '2-digit' : undefined, hour12: false });
}

export function hora(iso) {
  if (!iso) return '—';
  const m = String(iso).match(/T(\d\d:\d\d:\d\d)/);
  return m ? m[1] : iso;
}

// The header bar; checks the session and the role first. Returns the session.
export function encabezado(titulo, roles) {
  const s = sesion();
  if (!s) { location.href = rutaEntrada() + '?volver=' + encodeURIComponent(location.pathname); throw new Error('sin sesión'); }
  if (roles && !roles.includes(s.usuario.rol)) {
    document.body.prepend(el('main', {}, el('p', { class: 'estado mal', role: 'alert' },
      `Esta página es para ${roles.join(', ')}; su cuenta tiene el rol ${s.usuario.rol}. `,
      el('a', { href: rutaEntrada() }, 'Volver al inicio'))));
    throw new Error('rol');
  }
  const donde = s.usuario.catd ? `CATD ${s.usuario.catd}` : s.usuario.cae ? `CAE ${s.usuario.cae}` : 'central';
  const barra = el('header', { class: 'barra' },
    el('h1', {}, 'PREP · ' + titulo),
    el('nav', { 'aria-label': 'Páginas' }, paginasDe(s.usuario.rol).filter((p) => p[0] !== titulo)
      .map(([n, href]) => el('a', { href: new URL('/operacion/' + href, location.href).pathname }, n))),
    el('span', { class: 'quien' }, `${s.usuario.nombre} · ${s.usuario.rol} · ${donde} · estación ${s.estacion}`),
    el('button', { type: 'button', onclick: salir }, 'Salir'));
  document.body.prepend(barra);
  return s;
}

export async function salir() {
  try { await api('DELETE', '/api/v1/session', { sinRedirigir: true }); } catch { /* ya cerrada */ }
  olvidarSesion();
  location.href = rutaEntrada();
}

// Status line (role=status, aria-live) of a page.
export function aviso(nodo, texto, tipo = 'info') {
  nodo.className = 'estado ' + tipo;
  nodo.textContent = texto;
}

// An acta image as an object URL (the request needs the bearer token).
export async function urlImagen(eleccion, clave, sha) {
  const s = sesion();
  const r = await fetch(`/api/v1/elecciones/${eleccion}/actas/${clave}/imagenes/${sha}`,
    { headers: { Authorization: 'Bearer ' + s.token } });
  if (!r.ok) throw new ErrorApi(r.status, 'imagen', 'No se pudo obtener la imagen del acta');
  return URL.createObjectURL(await r.blob());
}

export async function sha256Hex(buf) {
  const d = await crypto.subtle.digest('SHA-256', buf);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The clave (and election, if printed) in a QR text, e.g. "PREP|GUB|090123B0100".
export function leerQr(texto, elecciones = []) {
  const m = String(texto).match(/(?:^|[^A-Za-z0-9])(\d{6}[BCES]\d{4})(?![A-Za-z0-9])/);
  const e = elecciones.find((c) => new RegExp(`(^|[^A-Za-z0-9])${c}([^A-Za-z0-9]|$)`).test(texto));
  return m ? { clave: m[1], eleccion: e || null } : null;
}

export async function elecciones() {
  const k = 'prep.elecciones';
  const c = sessionStorage.getItem(k);
  if (c) return JSON.parse(c);
  const r = await api('GET', '/api/v1/elecciones');
  sessionStorage.setItem(k, JSON.stringify(r.body.elecciones));
  return r.body.elecciones;
}

// A fresh Idempotency-Key (getRandomValues works outside secure contexts too).
export function claveUnica(prefijo = 'k') {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return prefijo + '-' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}
