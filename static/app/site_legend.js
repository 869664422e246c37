/* The published site's legend: each category with its swatch drawn as the map draws it
 * (fill pattern and outline, site_style.js) and its second cue in words, then the zone, the
 * places to assemble and the selected parcel.
 */

import {OTHER_EDGE, PLACE, SELECTED, ZONE, patterns} from './site_style.js';
import {make} from './site_words.js';

function swatch(image, stroke, width, dash) {
  const canvas = document.createElement('canvas');
  canvas.width = 28;
  canvas.height = 18;
  canvas.setAttribute('aria-hidden', 'true');
  const g = canvas.getContext('2d');
  if (image) {
    const pixels = new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
    for (let x = 0; x < canvas.width; x += image.width / 2) {
      for (let y = 0; y < canvas.height; y += image.height / 2) {
        g.putImageData(pixels, x, y, 0, 0, image.width / 2, image.height / 2);
      }
    }
  }
  g.strokeStyle = stroke;
  g.lineWidth = width;
  g.setLineDash(dash || []);
  g.strokeRect(width / 2, width / 2, canvas.width - width, canvas.height - width);
  return canvas;
}

export function showLegend(list, site, words) {
  list.textContent = '';
  const images = patterns(site.styles);
  site.styles.forEach((style, k) => {
    const stroke = k === 3 ? OTHER_EDGE : style.stroke;
    const dash = style.dash ? style.dash.split(' ').map(Number) : null;
    const item = make('li');
    item.append(swatch(images[k].image, stroke, Math.max(1, style.weight), dash),
      make('span', `${words.text('category.' + style.key)} (${words.text('site.cue.' + style.key)})`));
    list.append(item);
  });
  const extra = [
    [swatch(null, ZONE, 3, [6, 3]), 'legend.zone_public'],
    [swatch(null, PLACE, 3.5, null), 'legend.places'],
    [swatch(null, SELECTED, 4, null), 'site.legend_selected'],
  ];
  for (const [canvas, key] of extra) {
    const item = make('li');
    item.append(canvas, make('span', words.text(key)));
    list.append(item);
  }
}
