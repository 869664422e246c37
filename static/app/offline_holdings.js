/* What an offline map holds, and a list of its covered and needs-review parcels to search.
 *
 * map     : the map.
 * options : {position: a Leaflet corner, summary: what the file holds (plain text),
 *            title: the list's heading, placeholder: the search box's hint,
 *            none: what an empty result says, rows: [[apn, address, verdict, lat, lon], ...]}.
 *
 * Every text is set with textContent (never parsed as HTML). A search matches the APN in
 * any spelling (dashes and spaces ignored) or any part of the address; choosing a row
 * moves the map to the parcel.
 */
function cmHoldings(map, options) {
  var SHOWN = 50;
  function key(text) { return String(text).toLowerCase().replace(/[^0-9a-z]/g, ''); }
  var rows = options.rows.map(function (r) {
    return {row: r, apn: key(r[0]), address: String(r[1]).toLowerCase()};
  });
  var ctl = L.control({position: options.position});
  ctl.onAdd = function () {
    var div = L.DomUtil.create('div', 'cm-holdings');
    var fold = L.DomUtil.create('details', '', div);
    var head = L.DomUtil.create('summary', '', fold);
    head.textContent = options.title;
    var note = L.DomUtil.create('p', 'cm-holdings-note', fold);
    note.textContent = options.summary;
    var box = L.DomUtil.create('input', 'cm-holdings-search', fold);
    box.type = 'search';
    box.placeholder = options.placeholder;
    box.setAttribute('aria-label', options.placeholder);
    var list = L.DomUtil.create('ul', 'cm-holdings-list', fold);
    function show() {
      var query = box.value.trim();
      var byApn = key(query), byText = query.toLowerCase();
      var found = rows.filter(function (r) {
        return !query || (byApn && r.apn.indexOf(byApn) >= 0) || r.address.indexOf(byText) >= 0;
      });
      list.textContent = '';
      found.slice(0, SHOWN).forEach(function (r) {
        var item = L.DomUtil.create('li', '', list);
        var link = L.DomUtil.create('button', 'cm-holdings-row', item);
        link.type = 'button';
        link.textContent = r.row[0] + ' · ' + r.row[1] + ' · ' + r.row[2];
        link.addEventListener('click', function () {
          if (r.row[3] !== null) { map.setView([r.row[3], r.row[4]], 18); }
        });
      });
      if (!found.length) { L.DomUtil.create('li', '', list).textContent = options.none; }
      if (found.length > SHOWN) {
        L.DomUtil.create('li', 'cm-holdings-more', list).textContent = '… ' + (found.length - SHOWN);
      }
    }
    box.addEventListener('input', show);
    show();
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  ctl.addTo(map);
}
