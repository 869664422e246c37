/* The places to assemble on the published site (data/places.json, written by
 * publish with the app's own words for them): a numbered list under the map,
 * numbered markers on it, and a place's card in the answer sheet with its printable
 * handout. The zone is explained above the list.
 */

import {make, put} from './site_words.js';

const $ = (id) => document.getElementById(id);

// The facts of one place, as (label, value) rows in the reader's language.
export function placeFacts(place, words, landmark) {
  const w = place.words[words.lang] || place.words.en;
  return [
    [words.text('places.area'), `${place.area_m2} m² (${place.area_ft2} ft²)`],
    [words.text('places.loose'), w.loose],
    [words.text('places.dense'), w.dense],
    [words.text('places.packed'), w.packed],
    [words.text('places.basis'), w.basis],
    [words.text('card.distance', {landmark: landmark}), `${place.distance_m} m`],
    [words.text('card.in_zone'), words.text(place.in_zone ? 'card.yes' : 'card.no')],
  ];
}

export function placeRules(place, words) {
  const w = place.words[words.lang] || place.words.en;
  if (!w.rules.length) { return [words.text('places.no_rules')]; }
  return w.rules.map(([title, citation, summary]) => `${title} (${citation}): ${summary}`);
}

export function placeName(place, words) {
  return (place.words[words.lang] || place.words.en).name;
}

function factList(rows) {
  const list = make('dl', null, 'place-facts');
  for (const [label, value] of rows) { list.append(make('dt', label), make('dd', value)); }
  return list;
}

function placeBody(place, words, landmark) {
  const body = document.createDocumentFragment();
  body.append(factList(placeFacts(place, words, landmark)));
  body.append(make('p', words.text('places.rules'), 'why'));
  const rules = make('ul', null, 'reasons');
  for (const rule of placeRules(place, words)) { rules.append(make('li', rule)); }
  body.append(rules);
  return body;
}

/* The list under the map. onShow(place) shows one on the map, onPrint(place) its handout. */
export function showPlaces(data, words, landmark, onShow, onPrint) {
  put($('zone-about'), data.zone[words.lang] || data.zone.en);
  put($('places-intro'), words.text('site.places_intro', {within: data.within_m, landmark: landmark}));
  const list = $('places-list');
  list.textContent = '';
  for (const place of data.places) {
    const item = make('li');
    item.id = 'place-' + place.id;
    item.append(make('h3', placeName(place, words)), placeBody(place, words, landmark));
    const actions = make('div', null, 'actions');
    for (const [key, handler] of [['site.place_show', onShow], ['plan.handout', onPrint]]) {
      const b = make('button', words.text(key));
      b.type = 'button';
      b.addEventListener('click', () => handler(place));
      actions.append(b);
    }
    item.append(actions);
    list.append(item);
  }
}

// A place's card in the answer sheet.
export function showPlaceCard(place, words, landmark, onPrint) {
  $('card-heading').textContent = `${place.id + 1}. ${placeName(place, words)}`;
  const body = $('card-body');
  body.textContent = '';
  body.append(make('p', words.text('places.sheet_heading'), 'verdict'));
  body.append(placeBody(place, words, landmark));
  const print = make('button', words.text('plan.handout'));
  print.type = 'button';
  print.addEventListener('click', () => onPrint(place));
  const actions = make('div', null, 'actions');
  actions.append(print);
  body.append(actions);
  $('card').hidden = false;
  delete $('card').dataset.row;
  $('status').textContent = $('card-heading').textContent;
}

/* Numbered markers of the places on the map (buttons a keyboard reaches too). */
export function placeMarkers(maplibregl, map, data, words, onOpen) {
  const markers = [];
  for (const place of data.places) {
    if (place.kind === 'block_face') { continue; }
    const b = make('button', String(place.id + 1), 'place-marker');
    b.type = 'button';
    b.setAttribute('aria-label', words.plain('site.place_number', {number: place.id + 1}) + ': ' +
      placeName(place, words));
    b.addEventListener('click', (event) => { event.stopPropagation(); onOpen(place); });
    markers.push(new maplibregl.Marker({element: b}).setLngLat([place.lon, place.lat]).addTo(map));
  }
  return markers;
}
