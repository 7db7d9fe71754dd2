// visor.js — the acta image beside a form: zoom in/out, fit to width and
// rotate by 90°, with buttons and keys (+, −, 0, R when the image has the
// focus, so the form's keys stay the form's). Shows one image at a time.
import { el, urlImagen } from './comun.js';

export function visor(raiz) {
  let escala = 1, giro = 0, url = null;
  const img = el('img', { alt: 'Imagen del acta', tabindex: '0', hidden: true });
  const vacio = el('p', { class: 'vacio' }, 'Sin imagen.');
  const nivel = el('span', { 'aria-live': 'polite' }, '100 %');
  const aplicar = () => {
    img.style.transform = `rotate(${giro}deg)`;
    img.style.width = img.naturalWidth ? `${Math.round(img.naturalWidth * escala)}px` : '';
    nivel.textContent = `${Math.round(escala * 100)} %`;
  };
  const ajustar = () => {
    const ancho = lienzo.clientWidth - 32;
    const nat = giro % 180 === 0 ? img.naturalWidth : img.naturalHeight;
    escala = nat ? Math.min(2, ancho / nat) : 1;
    aplicar();
  };
  const boton = (texto, etiqueta, fn) => el('button', { type: 'button', 'aria-label': etiqueta, title: etiqueta, onclick: fn }, texto);
  const lienzo = el('div', { class: 'lienzo' }, vacio, img);
  raiz.classList.add('visor');
  raiz.replaceChildren(
    el('div', { class: 'controles', role: 'toolbar', 'aria-label': 'Imagen del acta' },
      boton('−', 'Alejar', () => { escala = Math.max(0.1, escala / 1.25); aplicar(); }),
      boton('+', 'Acercar', () => { escala = Math.min(6, escala * 1.25); aplicar(); }),
      boton('Ajustar', 'Ajustar al ancho', ajustar),
      boton('⟳', 'Girar 90 grados', () => { giro = (giro + 90) % 360; aplicar(); }),
      nivel),
    lienzo);
  img.addEventListener('keydown', (e) => {
    if (e.key === '+') { escala = Math.min(6, escala * 1.25); aplicar(); } else if (e.key === '-') { escala = Math.max(0.1, escala / 1.25); aplicar(); } else if (e.key === '0') ajustar(); else if (e.key === 'r' || e.key === 'R') { giro = (giro + 90) % 360; aplicar(); } else return;
    e.preventDefault();
  });
  img.addEventListener('load', ajustar);
  return {
    async mostrar(eleccion, clave, sha) {
      if (url) URL.revokeObjectURL(url);
      url = null;
      giro = 0;
      if (!sha) { img.hidden = true; vacio.hidden = false; vacio.textContent = 'Esta acta no tiene imagen activa.'; return; }
      url = await urlImagen(eleccion, clave, sha);
      img.src = url;
      img.hidden = false;
      vacio.hidden = true;
    },
    limpiar() { img.hidden = true; vacio.hidden = false; vacio.textContent = 'Sin imagen.'; },
    get giro() { return giro; },
    get escala() { return escala; },
  };
}
