// cola.js — PREP Casilla's offline queue: every confirmed photo is written to
// IndexedDB (bytes, SHA-256, its Idempotency-Key) before anything is sent, so
// a closed app or a lost signal loses nothing; sent photos stay as a record
// (without their bytes) of what the server acknowledged. No network here.
const DB = 'prep-casilla', STORE = 'fotos';

function abrir() {
  return new Promise((res, rej) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
}

async function tx(modo, fn) {
  const db = await abrir();
  return new Promise((res, rej) => {
    const t = db.transaction(STORE, modo);
    const out = fn(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); res(out && 'result' in out ? out.result : undefined); };
    t.onerror = () => { db.close(); rej(t.error); };
  });
}

export const guardar = (item) => tx('readwrite', (s) => s.put(item));
export const todas = () => tx('readonly', (s) => s.getAll());
