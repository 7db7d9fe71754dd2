// valores.js — the keyboard-first form of an acta's figures, shared by
// captura, verificación (the verifier's own values) and cotejo (a
// correction). Tab or Enter moves to the next field (Enter on the last one
// sends), I writes Ilegible, S writes Sin dato, digits write the figure; the
// running sum of the votes is shown against TOTAL_VOTOS_ASENTADO as written
// on the acta. It checks only that every field is filled: the server decides.
import { el, nombreCampo, esVoto } from './comun.js';

export const ILEGIBLE = 'Ilegible', SIN_DATO = 'Sin dato';

export function formularioValores(raiz, campos, { inicial, alEnviar, prefijo = 'v' } = {}) {
  const entradas = [];
  const total = el('p', { class: 'total', 'aria-live': 'polite' });
  const rejilla = el('div', { class: 'campos' });
  campos.forEach((c, i) => {
    if (!c.aplica) return;
    const id = `${prefijo}-${i}`;
    const inp = el('input', { id, name: c.nombre, inputmode: 'numeric', autocomplete: 'off', 'data-i': i,
      'aria-describedby': prefijo + '-ayuda' });
    const v = inicial ? inicial[i] : undefined;
    if (v !== undefined && v !== null && v !== '-') poner(inp, String(v));
    rejilla.append(el('div', { class: 'par' }, el('label', { for: id }, nombreCampo(c.nombre)), inp));
    entradas.push(inp);
  });
  const ayuda = el('p', { class: 'tenue', id: prefijo + '-ayuda' },
    el('kbd', {}, 'Tab'), ' o ', el('kbd', {}, 'Enter'), ': siguiente campo · ',
    el('kbd', {}, 'I'), ': Ilegible · ', el('kbd', {}, 'S'), ': Sin dato · ',
    el('kbd', {}, 'Enter'), ' en el último campo: enviar');
  // Many fields: two columns, filled top to bottom (the order of the acta).
  if (entradas.length > 12) {
    rejilla.classList.add('dos');
    rejilla.style.gridTemplateRows = `repeat(${Math.ceil(entradas.length / 2)}, auto)`;
  }
  raiz.replaceChildren(ayuda, rejilla, total);

  function poner(inp, v) {
    inp.value = v;
    inp.classList.toggle('especial', v === ILEGIBLE || v === SIN_DATO);
  }
  function siguiente(inp) {
    const k = entradas.indexOf(inp);
    if (k + 1 < entradas.length) { entradas[k + 1].focus(); entradas[k + 1].select(); return; }
    if (alEnviar) alEnviar();
  }
  function sumar() {
    let suma = 0, asentado = null;
    for (const inp of entradas) {
      const n = /^\d+$/.test(inp.value) ? Number(inp.value) : 0;
      if (inp.name === 'TOTAL_VOTOS_ASENTADO') asentado = /^\d+$/.test(inp.value) ? n : null;
      else if (esVoto(inp.name)) suma += n;
    }
    total.replaceChildren(`Suma de votos: ${suma}`, ' · ', `Total asentado en el acta: ${asentado ?? '—'}`,
      asentado === null ? '' : suma === asentado ? ' · coinciden' : ` · difieren por ${Math.abs(suma - asentado)}`);
    total.className = 'total' + (asentado === null ? '' : suma === asentado ? ' ok' : ' mal');
  }
  for (const inp of entradas) {
    inp.addEventListener('keydown', (e) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      const k = e.key;
      if (k === 'Enter') { e.preventDefault(); siguiente(inp); return; }
      if (k === 'i' || k === 'I') { e.preventDefault(); poner(inp, ILEGIBLE); sumar(); siguiente(inp); return; }
      if (k === 's' || k === 'S') { e.preventDefault(); poner(inp, SIN_DATO); sumar(); siguiente(inp); return; }
      if (k.length === 1 && !/\d/.test(k)) { e.preventDefault(); return; }
      if (/\d/.test(k) && inp.classList.contains('especial')) poner(inp, '');
      if ((k === 'Backspace' || k === 'Delete') && inp.classList.contains('especial')) { e.preventDefault(); poner(inp, ''); sumar(); }
    });
    inp.addEventListener('input', () => { inp.value = inp.value.replace(/\D/g, '').slice(0, 6); sumar(); });
    inp.addEventListener('focus', () => inp.select());
  }
  sumar();
  return {
    // Values in field order for the API ("-" where the column does not run), or
    // {falta: input} when a field is empty.
    valores() {
      const out = campos.map(() => '-');
      for (const inp of entradas) {
        const v = inp.value;
        if (v === '') return { falta: inp };
        out[Number(inp.dataset.i)] = v === ILEGIBLE || v === SIN_DATO ? v : Number(v);
      }
      return { valores: out };
    },
    enfocar() { if (entradas[0]) { entradas[0].focus(); entradas[0].select(); } },
    entradas,
  };
}
