/* The published static site (civicmap publish): the parcels from the PMTiles archive, each
 * policy version's category baked into the tiles; a parcel's answer card on a tap, a search
 * (an APN in any spelling, an address, a landmark) or a link; the places to assemble; the
 * words in the reader's language. The page's state is in its URL. Everything it reads sits
 * in the site's folder; it asks no other site for anything.
 */
import * as maplibregl from './vendor/maplibre-gl/maplibre-gl.mjs';
import {SiteSearch} from './search_index.js';
import {CardStore} from './site_cards.js';
import {readLink, writeLink} from './site_link.js';
import {mapStyle, paintVersion, patterns, shownLayers} from './site_style.js';
import {hideCard, showCard, showMessage} from './site_card_view.js';
import {placeFacts, placeMarkers, placeName, placeRules, showPlaceCard, showPlaces} from './site_places.js';
import {printSheet} from './site_print.js';
import {Words, applyWords, make, put} from './site_words.js';
import {showLegend} from './site_legend.js';
import {keepOffline, tilesProtocol} from './site_offline.js';
import {ChangesSection} from './site_changes.js';

const body = document.body;
const $ = (id) => document.getElementById(id);
const ROOT = new URL(body.dataset.root || './', location.href);
const at = (path) => new URL(path, ROOT).href;
const getJSON = (path) => fetch(at(path)).then((r) => {
  if (!r.ok) { throw new Error(`${path}: ${r.status}`); }
  return r.json();
});
const wordFiles = new Map();
const wordsOf = (lang) => {
  if (!wordFiles.has(lang)) { wordFiles.set(lang, getJSON(`data/words-${lang}.json`).then((f) => new Words(f))); }
  return wordFiles.get(lang);
};

const link = readLink(location.href);
const EMBED = body.dataset.embed === 'yes' || link.embed;  // embed.html: the map and the card
if (EMBED) { body.classList.add('embed'); }
const [site, zone, outlines] = await Promise.all(
  [getJSON('data/site.json'), getJSON('data/zone.geojson'), getJSON('data/places.geojson')]);
const state = {
  lang: link.lang || body.dataset.lang,
  version: (site.versions.find((v) => v.id === link.v) || site.versions.find((v) => v.default) || site.versions[0]).id,
  p: '',
  place: null,
  view: null,
  embed: EMBED,
};
let words = await wordsOf(state.lang);
const pages = Object.fromEntries(Object.entries(site.languages).map(([code, l]) => [code, l.page]));
const cards = new CardStore((path) => getJSON('data/cards/' + path));
let places = null;
const placesReady = getJSON('data/places.json').then((data) => { places = data; return data; });
const searches = new Map();
// The manifest on the first search, then only the shards a query needs. `base` is the
// county's index (data/search/) or the area's kept for offline use (data/area/search/).
function searcher(base = 'data/search/') {
  if (!searches.has(base)) {
    searches.set(base, getJSON(base + 'index.json').then(
      (manifest) => new SiteSearch(manifest, (name) => getJSON(base + name)),
      (error) => { searches.delete(base); throw error; }));
  }
  return searches.get(base);
}
const versionOf = (id) => site.versions.find((v) => v.id === id);
// What changed since the previous fetch (a history was published): its list is read when
// the section is opened, and a row opens its parcel's card on the first screen, as a search.
function openChanged(row, point) {
  window.scrollTo({top: 0});
  return openParcel(row, point);
}
const changes = site.changes && $('changes-fold')
  ? new ChangesSection(site, () => getJSON(site.changes.file), openChanged)
  : null;

const defaultVersion = (site.versions.find((v) => v.default) || {}).id;
const linkOf = (changes) => writeLink(ROOT, pages, {...state, v: state.version, defaultVersion, ...changes});
// The link to share: the full site, even from inside an embedded map.
function currentLink() { return linkOf({embed: false}); }
const escapeAttribute = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
function keepLink() {
  history.replaceState(null, '', linkOf({}));
  const src = linkOf({embed: true, view: null});
  $('embed-code').value = `<iframe src="${escapeAttribute(src)}" title="${escapeAttribute(words.plain('site.embed_title'))}" ` +
    'width="100%" height="520" style="border:0" loading="lazy"></iframe>';
}

// ------------------------------------------------------------------ the map
// The map fills what the bar leaves of the first screen (the bar's height changes with its
// words and the screen's width).
const bar = $('bar');
new ResizeObserver(() => {
  document.documentElement.style.setProperty('--bar', bar.offsetHeight + 'px');
  if (map) { map.resize(); }
}).observe(bar);
const tilesUrl = at(site.tiles);
function offlineNotice(key) {
  const box = $('offline');
  box.hidden = !key;
  if (key) { put(box, words.text(key, {landmark: site.landmark.name})); }
}
maplibregl.addProtocol('pmtiles', tilesProtocol(pmtiles, site, tilesUrl, at(site.area_tiles),
  () => offlineNotice('site.offline_tiles')));
window.addEventListener('offline', () => offlineNotice('site.offline_now'));
window.addEventListener('online', () => offlineNotice(null));
const [west, south, east, north] = site.bounds;
// Offline with no view in the link, the map opens on the area it keeps.
const start = link.view || (navigator.onLine ? null : {lon: site.landmark.lon, lat: site.landmark.lat, zoom: 15});
let map = null;
try {
  map = new maplibregl.Map({
    container: 'map',
    attributionControl: false,
    bounds: start ? undefined : [[west, south], [east, north]],
    center: start ? [start.lon, start.lat] : undefined,
    zoom: start ? start.zoom : undefined,
    maxZoom: 19,
    style: mapStyle(site, tilesUrl, versionOf(state.version).property, zone, outlines),
    locale: {'NavigationControl.ZoomIn': words.plain('site.zoom_in'),
      'NavigationControl.ZoomOut': words.plain('site.zoom_out')},
  });
} catch (error) {
  $('map-error').hidden = false;
  put($('map-error'), words.text('map.tiles_failed'));
}
if (map) {
  for (const {name, image} of patterns(site.styles)) { map.addImage(name, image, {pixelRatio: 2}); }
  map.addControl(new maplibregl.NavigationControl({showCompass: false}), 'top-right');
  map.addControl(new maplibregl.ScaleControl({unit: 'metric'}), 'bottom-left');
  map.on('moveend', () => {
    const c = map.getCenter();
    state.view = {zoom: map.getZoom(), lat: c.lat, lon: c.lng};
    keepLink();
  });
  map.on('click', (event) => {
    const {x, y} = event.point;
    const near = [[x - 12, y - 12], [x + 12, y + 12]];  // a 24 px target even for a dot
    const hit = map.queryRenderedFeatures(near, {layers: [...shownLayers(versionOf(state.version).property), 'others-fill']});
    const feature = hit.find((f) => f.id !== undefined && f.id !== null);
    if (feature) { openParcel(Number(feature.id), {lon: event.lngLat.lng, lat: event.lngLat.lat}, true, false); }
  });
  map.on('mousemove', (event) => {
    const hit = map.queryRenderedFeatures(event.point, {layers: [shownLayers(versionOf(state.version).property)[0], 'others-fill']});
    map.getCanvas().style.cursor = hit.length ? 'pointer' : '';
  });
}

let selected = null;
function select(row) {
  if (!map) { return; }
  for (const layer of [site.layers.city, site.layers.other]) {
    if (selected !== null) { map.setFeatureState({source: 'parcels', sourceLayer: layer, id: selected}, {selected: false}); }
    if (row !== null) { map.setFeatureState({source: 'parcels', sourceLayer: layer, id: row}, {selected: true}); }
  }
  selected = row;
}

// Centre a point in the part of the map the card leaves free.
function reveal(lon, lat, zoom) {
  if (!map) { return; }
  const card = $('card');
  const wide = window.matchMedia('(min-width: 760px)').matches;
  const size = card.hidden ? 0 : (wide ? card.offsetWidth : card.offsetHeight);
  const padding = wide ? {top: 0, bottom: 0, left: 0, right: size} : {top: 0, bottom: size, left: 0, right: 0};
  map.easeTo({center: [lon, lat], zoom: Math.max(zoom || map.getZoom(), 16), padding: padding, duration: 0});
}

// ------------------------------------------------------------------ cards
let shown = null;  // {kind: 'parcel', row, lon, lat} or {kind: 'place', place}
async function openParcel(row, point, focus = true, move = true) {
  const known = shown && shown.kind === 'parcel' && shown.row === row ? shown.point : null;
  point = point || known;
  shown = {kind: 'parcel', row: row, point: point};
  select(row);
  showMessage(words.text('site.loading'), '');
  let model;
  try {
    model = await cards.card(row, state.version, words, site);
  } catch (error) {
    const offline = error.offline || !navigator.onLine;
    showMessage(words.text(offline ? 'site.offline_card' : 'site.load_failed'), '');
    return;
  }
  if (!shown || shown.row !== row) { return; }
  state.p = model.apn;
  state.place = null;
  showCard(model, words, {link: currentLink, print: () => printParcel(model, point), full: EMBED ? currentLink : null});
  keepLink();
  if (point && move) { reveal(point.lon, point.lat, 16); }
  if (focus) { $('card-heading').focus(); }
}

function printParcel(model, point) {
  printSheet(map, point, {
    title: model.address || 'APN ' + model.apn,
    verdict: model.verdictText,
    facts: [['APN', model.apn], [words.text('card.address'), model.address || words.text('card.no_address')]],
    reasons: [model.facts, ...(model.district ? [model.district] : []), ...model.reasons],
    link: currentLink(),
    version: model.version,
  }, words, site);
}

function openPlace(place, focus = true) {
  shown = {kind: 'place', place: place};
  select(null);
  state.p = '';
  state.place = place.id;
  showPlaceCard(place, words, site.landmark.name, printPlace);
  keepLink();
  reveal(place.lon, place.lat, 16);
  if (focus) { $('card-heading').focus(); }
}

function printPlace(place) {
  if (!shown || shown.place !== place) { openPlace(place, false); }  // its link, its card
  printSheet(map, place, {
    title: placeName(place, words),
    verdict: words.text(place.kind === 'parcel' ? 'places.sheet_heading' : 'places.street_sheet_heading'),
    facts: placeFacts(place, words, site.landmark.name),
    reasons: [words.text('places.capacity_method'), ...placeRules(place, words)],
    link: currentLink(),
    version: words.text('site.version_line', {title: words.version(state.version).title}),
  }, words, site);
}

function closeCard() {
  shown = null;
  select(null);
  hideCard();
  state.p = '';
  state.place = null;
  keepLink();
  $('search').focus();
}

async function find(query, focus = true) {
  const q = query.trim();
  if (!q) { return; }
  let hit;
  let offline = false;
  try {
    hit = await (await searcher()).find(q);
  } catch (error) {  // no connection: the area's index, kept for offline use
    offline = true;
    try {
      hit = await (await searcher('data/area/search/')).find(q);
    } catch (again) {
      showMessage(words.text('site.load_failed'), '');
      return;
    }
  }
  if (hit === null) {
    shown = null;
    select(null);
    if (offline) {  // it may be outside the area kept for offline use
      showMessage(words.text('site.offline_card'), words.text('site.offline_now', {landmark: site.landmark.name}));
    } else {
      showMessage(words.text('site.not_found', {query: q}), words.text('site.search_help'));
    }
    return;
  }
  if (hit.landmark !== undefined) {
    shown = null;
    select(null);
    showMessage(words.text('site.landmark_found', {name: hit.landmark}), '');
    reveal(hit.lon, hit.lat, 16);
    return;
  }
  await openParcel(hit.row, {lon: hit.lon, lat: hit.lat}, focus);
}

// ------------------------------------------------------------------ words and versions
function showVersions() {
  const box = $('version');
  box.textContent = '';
  const about = $('versions-about');
  about.textContent = '';
  for (const v of site.versions) {
    const text = words.version(v.id);
    const option = make('option', text.title);
    option.value = v.id;
    box.append(option);
    const item = make('li');
    item.append(make('strong', `${text.title} (${text.status})`), ' ', text.note);
    about.append(item);
  }
  box.value = state.version;
}

function showAbout() {
  const proposal = $('proposal');
  proposal.textContent = '';
  for (const part of words.file.proposal) {
    const p = make('p');
    p.append(make('strong', part.title), ' ', part.text);
    proposal.append(p);
  }
  const data = site.source;
  put($('data-about'), words.text('map.data', {name: data.name, date: data.date}) +
    (data.illustrative ? ' ' + words.text('aboutdata.illustrative') : ''));
  const who = site.operator;
  put($('operator'), who.name || who.contact
    ? words.text('operator.named', {operator: who.name || words.text('operator.unnamed'),
      contact: who.contact || words.text('operator.no_contact')})
    : words.text('operator.none'));
}

function showReview() {
  const review = words.file.review;
  $('review').hidden = review.unreviewed === 0;
  put($('review-text'), words.text('site.unreviewed', {count: review.unreviewed, total: review.total}));
}

function showWords() {
  document.documentElement.lang = words.lang;
  applyWords(document, words, {place: site.place});
  document.title = words.plain('site.title', {place: site.place});
  $('search').placeholder = words.plain('site.search_help');
  $('lang').value = words.lang;
  if (map) {
    const zoomIn = document.querySelector('.maplibregl-ctrl-zoom-in');
    const zoomOut = document.querySelector('.maplibregl-ctrl-zoom-out');
    for (const [b, key] of [[zoomIn, 'site.zoom_in'], [zoomOut, 'site.zoom_out']]) {
      if (b) { b.title = words.plain(key); b.setAttribute('aria-label', words.plain(key)); }
    }
  }
  showVersions();
  showAbout();
  showReview();
  showLegend($('legend-rows'), site, words);
  if (changes) { changes.show(words, state.version); }
  if (places) { showPlaceList(); }
}

let markers = [];
function showPlaceList() {
  showPlaces(places, words, site.landmark.name, (place) => openPlace(place), printPlace);
  if (map) {
    for (const m of markers) { m.remove(); }
    markers = placeMarkers(maplibregl, map, places, words, (place) => openPlace(place));
  }
}

async function refreshCard() {
  if (!shown) { return; }
  if (shown.kind === 'parcel') { await openParcel(shown.row, null, false, false); }
  else { openPlace(shown.place, false); }
}

$('lang').addEventListener('change', async () => {
  state.lang = $('lang').value;
  words = await wordsOf(state.lang);
  showWords();
  keepLink();
  await refreshCard();
});
$('version').addEventListener('change', async () => {
  state.version = $('version').value;
  if (map) { paintVersion(map, versionOf(state.version).property, site); }
  if (changes) { changes.show(words, state.version); }
  keepLink();
  if (shown && shown.kind === 'parcel') { await openParcel(shown.row, null, false, false); }
});
$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  find($('search').value);
});
$('card-close').addEventListener('click', closeCard);
$('embed-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('embed-code').value);
    put($('embed-said'), words.text('site.copied'));
  } catch (error) {
    $('embed-code').select();
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !$('card').hidden) { closeCard(); }
});
// The legend is open on a wide screen, folded on a phone.
$('legend').open = window.matchMedia('(min-width: 760px)').matches;

showWords();
placesReady.then(showPlaceList, () => {});
if (map) {
  window.cmMap = map;  // for the browser tests and the console
  map.on('load', () => { body.dataset.ready = 'yes'; });
  map.once('idle', () => { if (!EMBED) { keepOffline(at('sw.js'), ROOT.pathname); } });
} else {
  body.dataset.ready = 'yes';
}
if (!navigator.onLine) { offlineNotice('site.offline_now'); }
if (link.p) {
  $('search').value = link.p;
  find(link.p, false);
} else if (link.place !== null) {
  placesReady.then((data) => {
    const place = data.places.find((p) => p.id === link.place);
    if (place) { openPlace(place, false); }
  });
}
keepLink();
