// sw.js — PREP Casilla's service worker: keeps the app's own files so it
// opens without signal (network first, the stored copy when there is none).
// It never touches /api/: photos are queued and sent by app.js, not here.
const CACHE = 'prep-casilla-1';
const SHELL = ['/operacion/casilla/', '/operacion/casilla/index.html', '/operacion/casilla/app.js',
  '/operacion/casilla/cola.js', '/operacion/casilla/manifest.webmanifest', '/operacion/casilla/icono.svg',
  '/operacion/casilla/icono-192.png',
  '/operacion/comun.js', '/operacion/estilo.css'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys().then((ks) => Promise.all(ks.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (e.request.method !== 'GET' || u.origin !== location.origin || !SHELL.includes(u.pathname)) return;
  e.respondWith(fetch(e.request).then((r) => {
    if (r.ok) { const copia = r.clone(); caches.open(CACHE).then((c) => c.put(e.request, copia)); }
    return r;
  }).catch(() => caches.match(e.request, { ignoreSearch: true })));
});
