/* A printable sheet of a parcel's card or a place's handout, made in the page: the map as
 * drawn (centred on it), the legend, a scale bar, the facts and the reasons, the data's
 * source and date, the policy version, and the permalink as text and as a QR code. The
 * browser's print dialog prints it alone (site.css, @media print).
 */

import qrcode from './vendor/qrcode-generator/qrcode.mjs';
import {make} from './site_words.js';
import {showLegend} from './site_legend.js';
import {sourceLine} from './site_cards.js';

const SVG = 'http://www.w3.org/2000/svg';
const SHEET_MAP_PX = 380;  // the map's width on the sheet
const NICE_METRES = [5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000];

// The QR code of a text as an SVG element (built cell by cell: no markup from a string).
export function qrSvg(text, label) {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  const n = code.getModuleCount();
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `-2 -2 ${n + 4} ${n + 4}`);
  svg.setAttribute('width', '132');
  svg.setAttribute('height', '132');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const back = document.createElementNS(SVG, 'rect');
  for (const [k, v] of [['x', -2], ['y', -2], ['width', n + 4], ['height', n + 4], ['fill', '#fff']]) {
    back.setAttribute(k, String(v));
  }
  svg.append(back);
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) { if (code.isDark(r, c)) { d += `M${c} ${r}h1v1h-1z`; } }
  }
  const cells = document.createElementNS(SVG, 'path');
  cells.setAttribute('d', d);
  cells.setAttribute('fill', '#000');
  svg.append(cells);
  return svg;
}

// The map's picture centred on a point, taken right after it draws (the drawing buffer is
// not kept after); the map's view is put back.
function mapPicture(map, point) {
  const before = {center: map.getCenter(), zoom: map.getZoom(), padding: map.getPadding()};
  if (point) { map.jumpTo({center: [point.lon, point.lat], zoom: Math.max(map.getZoom(), 17), padding: {top: 0, bottom: 0, left: 0, right: 0}}); }
  return new Promise((resolve) => {
    map.once('idle', () => {
      map.once('render', () => {
        const shot = {url: map.getCanvas().toDataURL('image/png'), zoom: map.getZoom(),
          lat: map.getCenter().lat, width: map.getCanvas().clientWidth};
        map.jumpTo(before);
        resolve(shot);
      });
      map.triggerRepaint();
    });
    map.triggerRepaint();
  });
}

// A scale bar about a quarter of the picture wide, in metres (shot: the picture's zoom,
// latitude and width on screen; shown: its width on the sheet).
function scaleBar(shot, shown, words) {
  const onScreen = 40075016.686 * Math.cos(shot.lat * Math.PI / 180) / (512 * 2 ** shot.zoom);
  const metresPerPx = onScreen * shot.width / shown;
  const span = shown * metresPerPx;
  const length = NICE_METRES.filter((m) => m <= span / 4).pop() || NICE_METRES[0];
  const bar = make('div', null, 'scale');
  const line = make('span', null, 'scale-line');
  line.style.width = (length / metresPerPx).toFixed(0) + 'px';
  bar.append(make('span', words.text('site.sheet_scale') + ': '), line, make('span', ` ${length.toLocaleString('en-US')} m`));
  return bar;
}

function factTable(rows) {
  const table = make('table');
  for (const [label, value] of rows) {
    const tr = make('tr');
    tr.append(make('th', label), make('td', value));
    table.append(tr);
  }
  return table;
}

/* Print a sheet of what is at point ({lon, lat}): {title, verdict, facts: [[label, value]],
 * reasons: [...], link, version}; site is data/site.json. */
export async function printSheet(map, point, sheet, words, site) {
  const box = document.getElementById('sheet');
  box.textContent = '';
  if (site.source.illustrative) { box.append(make('p', words.text('map.illustrative'), 'notice')); }
  box.append(make('h1', sheet.title), make('p', sheet.verdict, 'verdict'));
  const picture = make('img');
  picture.alt = words.plain('sheet.map_label');
  const shot = await mapPicture(map, point);
  picture.src = shot.url;
  picture.width = SHEET_MAP_PX;
  const figure = make('div', null, 'sheet-map');
  const legend = make('ul', null, 'legend');
  showLegend(legend, site, words);
  figure.append(picture, scaleBar(shot, SHEET_MAP_PX, words), legend);
  const row = make('div', null, 'sheet-row');
  row.append(figure, factTable(sheet.facts));
  box.append(row, make('h2', words.text('card.why')));
  const reasons = make('ul');
  for (const reason of sheet.reasons) { reasons.append(make('li', reason)); }
  box.append(reasons);
  const foot = make('div', null, 'sheet-row');
  const notes = make('div', null, 'small');
  notes.append(make('p', `${words.text('sheet.link')}: ${sheet.link}`));
  notes.append(make('p', sourceLine(site, words)));
  if (sheet.version) { notes.append(make('p', sheet.version)); }
  if (site.provenance) {
    notes.append(make('p', words.text('sheet.generated',
      {when: site.provenance.generated_at, version: site.provenance.app_version})));
  }
  notes.append(make('p', words.text('sheet.footer')));
  foot.append(qrSvg(sheet.link, words.plain('site.qr')), notes);
  box.append(foot);
  document.body.classList.add('printing');
  window.addEventListener('afterprint', () => document.body.classList.remove('printing'), {once: true});
  window.print();
}
