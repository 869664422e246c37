/* How the published site's map looks. Each policy version's category is a property of the
 * city layer's features (c0, c1...: baked in by `civicmap publish`), so the map styles with
 * a `match` on a version's property; every version's layers are in the style, and a switch
 * changes which of them is opaque (the tiles are laid out once).
 * Feature-state is kept for the selected parcel.
 *
 * Colour is never the only cue, and every category stands out 3:1 or more against the
 * background: city lots and garages are filled vermillion with a thick dark outline, other
 * city property blue with white dots, "needs review" yellow with dark stripes and a dashed
 * dark outline (a yellow fill alone is 1.2:1 on this background), other parcels light grey
 * with a grey outline.
 */

export const BACKGROUND = '#f6f5f1';
export const OTHER_FILL = '#dcdcd7';
export const OTHER_EDGE = '#767676';
export const ZONE = '#007d5a';
export const PLACE = '#332288';
export const SELECTED = '#000000';
export const SELECTED_CORE = '#ffffff';
const REVIEW = 2;
const NOT_COVERED = 3;
const PATTERN = 16;  // pixels a side of a fill pattern (drawn at twice the CSS pixel)

function hex(colour) {
  const v = colour.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(v.slice(i, i + 2), 16));
}

// The fill pattern of each category, as RGBA pixels (map.addImage takes them as they are).
export function patterns(styles) {
  const marks = [
    () => false,
    (x, y) => (x % 8 >= 2 && x % 8 < 5) && (y % 8 >= 2 && y % 8 < 5),  // dots
    (x, y) => ((x + y) % 8) < 3,  // stripes
    () => false,
  ];
  return styles.map((style, k) => {
    const base = k === NOT_COVERED ? hex(OTHER_FILL) : hex(style.fill);
    const mark = k === REVIEW ? hex(style.stroke) : [255, 255, 255];
    const data = new Uint8Array(PATTERN * PATTERN * 4);
    for (let y = 0; y < PATTERN; y++) {
      for (let x = 0; x < PATTERN; x++) {
        const colour = marks[k](x, y) ? mark : base;
        data.set([...colour, 255], (y * PATTERN + x) * 4);
      }
    }
    return {name: 'cm-' + k, image: {width: PATTERN, height: PATTERN, data: data}};
  });
}

function byCategory(prop, values) {
  const out = ['match', ['get', prop]];
  values.slice(0, -1).forEach((v, k) => out.push(k, v));
  out.push(values[values.length - 1]);
  return out;
}

// The paint and filters of the city layers for one version's property.
function versionLayers(prop, styles) {
  const strokes = styles.map((s, k) => (k === NOT_COVERED ? OTHER_EDGE : s.stroke));
  const widths = (zoom) => styles.map((s, k) => {
    if (k === NOT_COVERED) { return zoom < 14 ? 0 : 0.6; }
    return zoom < 13 ? s.weight + 1.5 : s.weight;
  });
  const width = ['interpolate', ['linear'], ['zoom'],
    8, byCategory(prop, widths(8)), 13, byCategory(prop, widths(13)), 14, byCategory(prop, widths(14))];
  const review = styles[REVIEW];
  return [
    {base: 'city-fill', type: 'fill', paint: {'fill-pattern': byCategory(prop, styles.map((s, k) => 'cm-' + k))}},
    {base: 'city-edge', type: 'line', filter: ['!=', ['get', prop], REVIEW],
      paint: {'line-color': byCategory(prop, strokes), 'line-width': width}},
    {base: 'city-review-edge', type: 'line', filter: ['==', ['get', prop], REVIEW],
      paint: {'line-color': review.stroke, 'line-width': 2.5, 'line-dasharray': [2, 1.2]}},
    // below street zoom a parcel is a few pixels: a dot of its colour inside its outline
    {base: 'city-core', type: 'line', maxzoom: 13, filter: ['!=', ['get', prop], NOT_COVERED],
      paint: {'line-color': byCategory(prop, styles.map((s) => s.fill)),
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 13, 0.5]}},
  ];
}

const OPACITY = {fill: 'fill-opacity', line: 'line-opacity'};
const layerId = (base, prop) => base + '@' + prop;

// Every version's city layers, only the chosen one's opaque: the tiles are laid out once
// for all versions, and a switch is an opacity change (no tile laid out again).
function cityLayers(site, shown) {
  return site.versions.flatMap((version) => versionLayers(version.property, site.styles).map((layer) => {
    const {base, ...rest} = layer;
    const opacity = OPACITY[layer.type];
    return {...rest, id: layerId(base, version.property), source: 'parcels',
      'source-layer': site.layers.city,
      paint: {...layer.paint, [opacity]: version.property === shown ? 1 : 0,
        [opacity + '-transition']: {duration: 0, delay: 0}}};
  }));
}

// The ids of the city layers drawn for a version (for a tap's or a pointer's query).
export function shownLayers(prop) {
  return ['city-fill', 'city-edge', 'city-review-edge', 'city-core'].map((base) => layerId(base, prop));
}

// Switch the map to another version: the chosen version's layers opaque, the rest not.
export function paintVersion(map, prop, site) {
  for (const version of site.versions) {
    for (const layer of versionLayers(version.property, site.styles)) {
      map.setPaintProperty(layerId(layer.base, version.property), OPACITY[layer.type],
        version.property === prop ? 1 : 0);
    }
  }
}

const selected = (on, off) => ['case', ['boolean', ['feature-state', 'selected'], false], on, off];

export function mapStyle(site, tilesUrl, prop, zone, outlines) {
  const {city, other} = site.layers;
  const selection = (id, layer) => [
    {id: id + '-casing', type: 'line', source: 'parcels', 'source-layer': layer,
      paint: {'line-color': SELECTED, 'line-width': selected(7, 0), 'line-opacity': selected(1, 0)}},
    {id: id, type: 'line', source: 'parcels', 'source-layer': layer,
      paint: {'line-color': SELECTED_CORE, 'line-width': selected(2.5, 0), 'line-opacity': selected(1, 0)}},
  ];
  return {
    version: 8,
    sources: {
      parcels: {type: 'vector', url: 'pmtiles://' + tilesUrl},
      zone: {type: 'geojson', data: zone},
      places: {type: 'geojson', data: outlines},
    },
    layers: [
      {id: 'background', type: 'background', paint: {'background-color': BACKGROUND}},
      {id: 'others-fill', type: 'fill', source: 'parcels', 'source-layer': other,
        paint: {'fill-color': OTHER_FILL}},
      {id: 'others-edge', type: 'line', source: 'parcels', 'source-layer': other, minzoom: 14,
        paint: {'line-color': OTHER_EDGE, 'line-width': 0.6}},
      {id: 'zone-fill', type: 'fill', source: 'zone', paint: {'fill-color': ZONE, 'fill-opacity': 0.12}},
      ...cityLayers(site, prop),
      {id: 'places-edge', type: 'line', source: 'places',
        paint: {'line-color': PLACE, 'line-width': 3.5}},
      {id: 'zone-edge', type: 'line', source: 'zone',
        paint: {'line-color': ZONE, 'line-width': 3, 'line-dasharray': [2, 1]}},
      ...selection('selected-city', city),
      ...selection('selected-other', other),
    ],
  };
}
