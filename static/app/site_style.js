/* How the published site's map looks. Each policy version's category is a property of the
 * city layer's features (c0, c1...: baked in by `civicmap publish`), so the map styles with
 * a `match` on the chosen version's property and a version switch is a style change.
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

// The paint and filters that depend on the chosen version's property.
export function versionLayers(prop, styles) {
  const strokes = styles.map((s, k) => (k === NOT_COVERED ? OTHER_EDGE : s.stroke));
  const widths = (zoom) => styles.map((s, k) => {
    if (k === NOT_COVERED) { return zoom < 14 ? 0 : 0.6; }
    return zoom < 13 ? s.weight + 1.5 : s.weight;
  });
  const width = ['interpolate', ['linear'], ['zoom'],
    8, byCategory(prop, widths(8)), 13, byCategory(prop, widths(13)), 14, byCategory(prop, widths(14))];
  return {
    'city-fill': {paint: {'fill-pattern': byCategory(prop, styles.map((s, k) => 'cm-' + k))}},
    'city-edge': {filter: ['!=', ['get', prop], REVIEW],
      paint: {'line-color': byCategory(prop, strokes), 'line-width': width}},
    'city-review-edge': {filter: ['==', ['get', prop], REVIEW], paint: {}},
    'city-core': {filter: ['!=', ['get', prop], NOT_COVERED],
      paint: {'line-color': byCategory(prop, styles.map((s) => s.fill))}},
  };
}

// Switch the map to another version's property: paint and filters only, no data.
export function paintVersion(map, prop, styles) {
  for (const [id, change] of Object.entries(versionLayers(prop, styles))) {
    if (change.filter) { map.setFilter(id, change.filter); }
    for (const [name, value] of Object.entries(change.paint)) { map.setPaintProperty(id, name, value); }
  }
}

const selected = (on, off) => ['case', ['boolean', ['feature-state', 'selected'], false], on, off];

export function mapStyle(site, tilesUrl, prop, zone, outlines) {
  const {city, other} = site.layers;
  const v = versionLayers(prop, site.styles);
  const review = site.styles[REVIEW];
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
      {id: 'city-fill', type: 'fill', source: 'parcels', 'source-layer': city, paint: v['city-fill'].paint},
      {id: 'city-edge', type: 'line', source: 'parcels', 'source-layer': city,
        filter: v['city-edge'].filter, paint: v['city-edge'].paint},
      {id: 'city-review-edge', type: 'line', source: 'parcels', 'source-layer': city,
        filter: v['city-review-edge'].filter,
        paint: {'line-color': review.stroke, 'line-width': 2.5, 'line-dasharray': [2, 1.2]}},
      // below street zoom a parcel is a few pixels: a dot of its colour inside its outline
      {id: 'city-core', type: 'line', source: 'parcels', 'source-layer': city, maxzoom: 13,
        filter: v['city-core'].filter,
        paint: {...v['city-core'].paint, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2, 13, 0.5]}},
      {id: 'places-edge', type: 'line', source: 'places',
        paint: {'line-color': PLACE, 'line-width': 3.5}},
      {id: 'zone-edge', type: 'line', source: 'zone',
        paint: {'line-color': ZONE, 'line-width': 3, 'line-dasharray': [2, 1]}},
      ...selection('selected-city', city),
      ...selection('selected-other', other),
    ],
  };
}
