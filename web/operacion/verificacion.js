// verificacion.js — the verifier's page: the next acta of the verificación
// queue, its image beside every capture of the round with the fields that
// differ highlighted. Por verificar: accept, send the capture back, or
// reject the image (illegible: it must be scanned again). Discrepancia:
// choose one capture, or type the values read on the image.
import { $, el, api, aviso, encabezado, claveUnica, nombreCampo, ESTADOS } from './comun.js';
import { visor } from './visor.js';
import { colaDeTrabajo } from './trabajo.js';
import { formularioValores } from './valores.js';

encabezado('Verificación', ['verificacion']);
const v = visor($('#visor'));
const estado = $('#estado');
let actual = null;

function tabla(acta) {
  const caps = acta.capturas || [];
  $('#comparacion thead').replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'Campo'),
    caps.map((c) => el('th', { scope: 'col', class: 'num' }, `Captura ${c.n}`, el('br'), el('span', { class: 'tenue' }, c.usuario.nombre || '')))));
  let diferentes = 0;
  $('#comparacion tbody').replaceChildren(...acta.campos.map((c, i) => {
    if (!c.aplica) return null;
    const vals = caps.map((k) => k.valores[i]);
    const difiere = vals.some((x) => String(x) !== String(vals[0]));
    if (difiere) diferentes++;
    return el('tr', { class: difiere ? 'difiere' : '' }, el('th', { scope: 'row' }, nombreCampo(c.nombre)),
      vals.map((x) => el('td', { class: 'num' }, String(x))));
  }).filter(Boolean));
  return diferentes;
}

function boton(texto, clase, fn, tecla) {
  const b = el('button', { type: 'button', class: clase, 'aria-keyshortcuts': tecla || false }, texto);
  b.addEventListener('click', fn);
  return b;
}

async function decidir(cuerpo, hecho) {
  $$acciones(true);
  try {
    const r = await api('POST', `/api/v1/elecciones/${actual.eleccion}/actas/${actual.clave}/verificacion`,
      { json: cuerpo, headers: { 'Idempotency-Key': claveUnica('ver') } });
    const clave = actual.clave;
    await siguiente();
    aviso(estado, `${clave}: ${hecho} (${ESTADOS[r.body.acta.estado] || r.body.acta.estado}).`, 'ok');
  } catch (e) {
    $$acciones(false);
    aviso(estado, e.message, 'mal');
  }
}
function $$acciones(off) { for (const b of $('#acciones').querySelectorAll('button')) b.disabled = off; }

const siguiente = colaDeTrabajo({
  fase: 'verificacion', titulo: 'Verificación', vacio: 'No hay actas por verificar ahora.', estado,
  limpiar() {
    actual = null;
    $('#acciones').replaceChildren();
    $('#comparacion thead').replaceChildren();
    $('#comparacion tbody').replaceChildren();
    $('#f-propios').hidden = true;
    v.limpiar();
  },
  async mostrar({ eleccion, clave, acta }) {
    actual = { eleccion, clave, acta };
    const dif = tabla(acta);
    $('#datos').textContent = `CATD ${acta.catd} · ${ESTADOS[acta.estado]} · ${dif ? dif + ' campo(s) con diferencias' : 'las capturas coinciden'}`;
    const acc = [];
    if (acta.estado === 'POR_VERIFICAR') {
      acc.push(boton('Aceptar: los datos coinciden con la imagen', '', () => decidir({ resultado: 'acepta' }, 'verificada'), 'A'));
    } else {
      for (const c of acta.capturas) acc.push(boton(`Elegir captura ${c.n}`, '', () => decidir({ resultado: 'resuelve', elegida: c.n }, `se eligió la captura ${c.n}`)));
      acc.push(boton('Capturar los valores de la imagen', 'secundario', () => propios(acta)));
    }
    acc.push(boton('Rechazar la captura', 'secundario', () => decidir({ resultado: 'rechaza_captura' }, 'captura rechazada: se capturará de nuevo')));
    acc.push(boton('Rechazar la imagen (ilegible)', 'peligro', () => decidir({ resultado: 'rechaza_imagen' }, 'imagen rechazada: debe digitalizarse de nuevo')));
    $('#acciones').replaceChildren(...acc);
    acc[0].focus();
    await v.mostrar(eleccion, clave, acta.imagen);
  },
});

let formPropios = null;
function propios(acta) {
  $('#f-propios').hidden = false;
  formPropios = formularioValores($('#propios'), acta.campos, { prefijo: 'p', alEnviar: enviarPropios });
  formPropios.enfocar();
}
function enviarPropios() {
  const r = formPropios.valores();
  if (r.falta) { aviso(estado, 'Falta un campo.', 'mal'); r.falta.focus(); return; }
  decidir({ resultado: 'resuelve', valores: r.valores }, 'resuelta con los valores del verificador');
}
$('#f-propios').addEventListener('submit', (e) => { e.preventDefault(); enviarPropios(); });
$('#cancelar-propios').addEventListener('click', () => { $('#f-propios').hidden = true; });
document.addEventListener('keydown', (e) => {
  if ((e.key === 'a' || e.key === 'A') && e.target.tagName !== 'INPUT' && actual && actual.acta.estado === 'POR_VERIFICAR') {
    e.preventDefault();
    decidir({ resultado: 'acepta' }, 'verificada');
  }
});
siguiente();
