/* The published static site (civicmap publish): the parcels from the PMTiles archive,
 * coloured per parcel id from the chosen policy version's categories (feature-state), a
 * search by APN (any spelling), address or landmark, and the words in three languages.
 * Everything it reads sits beside it; it asks no other site for anything.
 */
import * as maplibregl from './vendor/maplibre-gl/maplibre-gl.mjs';
import {SiteSearch} from './site_search.js';

const COLORS = {city_lot_garage: '#D55E00', city_other: '#0072B2', review: '#F0E442',
  not_covered: '#BBBBBB'};
const body = document.body;
const layers = JSON.parse(body.dataset.layers);
const place = body.dataset.place;
const $ = (id) => document.getElementById(id);
const getJSON = (path) => fetch(path).then((r) => r.json());
const [cats, words, zone, places, proposal] = await Promise.all([
  getJSON('data/categories.json'), getJSON('data/words.json'), getJSON('data/zone.geojson'),
  getJSON('data/places.geojson'), getJSON('data/proposal.json'),
]);
// The search reads its manifest on the first search and then only the shards a query needs,
// so a visitor who only looks at the map downloads none of it.
let search = null;
function searcher() {
  if (search === null) {
    search = getJSON('data/search/index.json').then(
      (manifest) => new SiteSearch(manifest, (name) => getJSON('data/search/' + name)),
      (error) => { search = null; throw error; });  // a failed download is asked again
  }
  return search;
}
let lang = 'en';
let version = (cats.versions.find((v) => v.default) || cats.versions[0]).id;
let answered = null;

function word(name, values) {
  let text = (words[lang] && words[lang][name]) || words.en[name] || name;
  for (const [k, v] of Object.entries(values || {})) { text = text.split('{' + k + '}').join(v); }
  return text.replace(/\*\*/g, '');
}

function categoryOf(row) { return cats.categories[Number(cats.codes[version][row])]; }

function showWords() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-word]')) {
    el.textContent = word(el.dataset.word, {place: place});
  }
  document.title = word('site.title', {place: place});
  $('search').placeholder = word('site.search_help');
  $('search').setAttribute('aria-label', word('site.search_help'));
  const proposalBox = $('proposal');
  proposalBox.textContent = '';
  for (const part of proposal) {
    const p = document.createElement('p');
    const b = document.createElement('strong');
    b.textContent = part['title_' + lang] || part.title;
    p.append(b, ' ', part['text_' + lang] || part.text);
    proposalBox.append(p);
  }
  const legend = $('legend');
  legend.textContent = '';
  for (const c of cats.categories) {
    const row = document.createElement('div');
    const swatch = document.createElement('i');
    swatch.style.background = COLORS[c];
    row.append(swatch, word('category.' + c));
    legend.append(row);
  }
  showAnswer();
}

function showAnswer() {
  const box = $('answer');
  if (answered === null) { box.textContent = ''; return; }
  if (answered.row === undefined) { box.textContent = answered.text; return; }
  box.textContent = answered.apn + ' · ' + answered.address + ' · ' +
    word('category.' + categoryOf(answered.row));
}

async function find(query) {
  const q = query.trim();
  if (!q) { return null; }
  const hit = await (await searcher()).find(q);
  if (hit === null) { return {text: word('site.not_found', {query: q})}; }
  return hit.landmark === undefined ? hit : {text: hit.landmark, lon: hit.lon, lat: hit.lat};
}

const protocol = new pmtiles.Protocol();
maplibregl.addProtocol('pmtiles', protocol.tile);
const tilesUrl = new URL(body.dataset.tiles, location.href).href;
const archive = new pmtiles.PMTiles(tilesUrl);
protocol.add(archive);
const header = await archive.getHeader();
const fill = ['match', ['coalesce', ['feature-state', 'cat'], 3],
  0, COLORS[cats.categories[0]], 1, COLORS[cats.categories[1]], 2, COLORS[cats.categories[2]],
  COLORS.not_covered];
const map = new maplibregl.Map({
  container: 'map',
  attributionControl: false,
  center: [(header.minLon + header.maxLon) / 2, (header.minLat + header.maxLat) / 2],
  zoom: header.minZoom + 2,
  style: {
    version: 8,
    sources: {
      parcels: {type: 'vector', url: 'pmtiles://' + tilesUrl},
      zone: {type: 'geojson', data: zone},
      places: {type: 'geojson', data: places},
    },
    layers: [
      {id: 'background', type: 'background', paint: {'background-color': '#f4f3ef'}},
      {id: 'others', type: 'fill', source: 'parcels', 'source-layer': layers.other,
        paint: {'fill-color': COLORS.not_covered, 'fill-opacity': 0.5}},
      {id: 'others-edges', type: 'line', source: 'parcels', 'source-layer': layers.other,
        minzoom: 14, paint: {'line-color': '#888', 'line-width': 0.5}},
      {id: 'city', type: 'fill', source: 'parcels', 'source-layer': layers.city,
        paint: {'fill-color': fill, 'fill-opacity': 0.85}},
      // a parcel smaller than a pixel at county zoom still shows as a dot of its colour
      {id: 'city-edges', type: 'line', source: 'parcels', 'source-layer': layers.city,
        paint: {'line-color': fill,
          'line-width': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 14, 1]}},
      {id: 'zone', type: 'line', source: 'zone',
        paint: {'line-color': '#009E73', 'line-width': 3, 'line-dasharray': [2, 1]}},
      {id: 'places', type: 'line', source: 'places',
        paint: {'line-color': '#009E73', 'line-width': 2}},
    ],
  },
});
map.addControl(new maplibregl.NavigationControl({showCompass: false}));

// Only the parcels some version covers or sends to review change colour between versions.
const flagged = [];
for (let row = 0; row < cats.codes[version].length; row++) {
  if (Object.values(cats.codes).some((c) => c[row] !== '3')) { flagged.push(row); }
}
function paintVersion() {
  // feature-state by parcel id: the city layer's features carry their row as id
  const codes = cats.codes[version];
  for (const row of flagged) {
    map.setFeatureState({source: 'parcels', sourceLayer: layers.city, id: row},
      {cat: Number(codes[row])});
  }
}

const versionBox = $('version');
for (const v of cats.versions) {
  const option = document.createElement('option');
  option.value = v.id;
  option.textContent = v.title;
  versionBox.append(option);
}
versionBox.value = version;
versionBox.addEventListener('change', () => { version = versionBox.value; paintVersion(); showAnswer(); });
$('lang').addEventListener('change', () => { lang = $('lang').value; showWords(); });
$('search-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  answered = await find($('search').value);
  showAnswer();
  if (answered && answered.lon !== undefined) {
    map.jumpTo({center: [answered.lon, answered.lat], zoom: Math.max(16, header.minZoom)});
  }
});
map.on('load', () => { paintVersion(); body.dataset.ready = 'yes'; });
showWords();
