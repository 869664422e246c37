/* The offline map's own tools: search by address or APN, and the list of places.
 *
 * map  : the map.
 * data : {index: [[apn, address, lat, lon], ...] (the parcels in the page),
 *         places: [[name, capacity text, lat, lon], ...],
 *         words: {search, find, not_found, places, people}}.
 *
 * Everything runs in the page: nothing typed is sent anywhere. Text is set with
 * textContent, never as HTML.
 */
function cmOfflineTools(map, data) {
  function squash(text) { return String(text || '').toUpperCase().replace(/[^0-9A-Z]/g, ''); }
  function words(text) {
    return String(text || '').toUpperCase().replace(/[^0-9A-Z ]/g, ' ').replace(/\s+/g, ' ').trim();
  }
  var marker = null;
  function show(lat, lon) {
    map.setView([lat, lon], Math.max(map.getZoom(), 18));
    if (marker) { map.removeLayer(marker); }
    marker = L.circleMarker([lat, lon], {radius: 12, color: '#CC79A7', weight: 4, fill: false})
      .addTo(map);
  }
  function find(query) {
    var q = words(query), digits = squash(query).replace(/[^0-9]/g, '');
    if (!q) { return []; }
    var found = [];
    for (var i = 0; i < data.index.length && found.length < 6; i++) {
      var row = data.index[i];
      var apn = squash(row[0]).replace(/[^0-9]/g, '');
      var address = words(row[1]);
      if ((digits.length >= 6 && apn.indexOf(digits) === 0) || (address && address.indexOf(q) === 0)) {
        found.push(row);
      }
    }
    return found;
  }
  var ctl = L.control({position: 'topleft'});
  ctl.onAdd = function () {
    var box = L.DomUtil.create('div', 'cm-offline leaflet-bar');
    var form = L.DomUtil.create('form', 'cm-offline-search', box);
    var input = L.DomUtil.create('input', '', form);
    input.type = 'search';
    input.placeholder = data.words.search;
    input.setAttribute('aria-label', data.words.search);
    var go = L.DomUtil.create('button', '', form);
    go.type = 'submit';
    go.textContent = data.words.find;
    var results = L.DomUtil.create('div', 'cm-offline-results', box);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      results.textContent = '';
      var found = find(input.value);
      if (!found.length) {
        L.DomUtil.create('div', '', results).textContent = data.words.not_found;
        return;
      }
      found.forEach(function (row) {
        var b = L.DomUtil.create('button', 'cm-offline-hit', results);
        b.type = 'button';
        b.textContent = (row[1] || '') + ' · APN ' + row[0];
        b.addEventListener('click', function () { show(row[2], row[3]); });
      });
      if (found.length === 1) { show(found[0][2], found[0][3]); }
    });
    var list = L.DomUtil.create('details', 'cm-offline-places', box);
    L.DomUtil.create('summary', '', list).textContent =
      data.words.places + ' (' + data.places.length + ')';
    var note = L.DomUtil.create('div', 'cm-offline-note', list);
    note.textContent = data.words.people;
    data.places.forEach(function (row) {
      var b = L.DomUtil.create('button', 'cm-offline-hit', list);
      b.type = 'button';
      b.textContent = row[0] + ': ' + row[1];
      b.addEventListener('click', function () { show(row[2], row[3]); });
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  ctl.addTo(map);
}
