/* Parcels as one Leaflet GeoJSON layer, styled in the browser by their category.
 *
 * parent  : the layer group the parcels go into.
 * options : {styles: [Leaflet path style of each category index],
 *            highlight: the style of a hovered parcel,
 *            words: {no_address, why, verdicts: [verdict words of each category]}}
 *            (every word already HTML-escaped).
 * rows    : [category index, address, APN, full card or "", multi flag, coordinates], one a
 *           parcel (texts already HTML-escaped by the map's Python side, which writes them).
 *
 * The tooltip and the light popup are put together here from the escaped texts, so the
 * page does not repeat the card's markup for every parcel. Returns the GeoJSON layer.
 */
// Popups pan clear of the tool buttons on the left and the layers button on the right; on a
// phone also clear of the answer sheet that opens over the lower part of the map.
// The page's width (the map sits in a same-origin frame in the app; alone offline).
var CM_NARROW = (function () {
  try { return window.top.innerWidth < 640; } catch (e) { return window.innerWidth < 640; }
})();
var POPUP = {
  maxWidth: CM_NARROW ? 240 : 300,
  autoPanPaddingTopLeft: [60, 115],
  autoPanPaddingBottomRight: [60, CM_NARROW ? Math.round(window.innerHeight * 0.55) : 20]
};

// While a popup is open, tooltips are closed and hidden so none lies over its text.
function cmQuietTooltips(map) {
  if (!map || map._cmQuiet) { return; }
  map._cmQuiet = true;
  var box = map.getContainer();
  if (CM_NARROW) { L.DomUtil.addClass(box, 'cm-narrow'); }
  map.on('popupopen', function () {
    L.DomUtil.addClass(box, 'cm-popup-open');
    map.eachLayer(function (l) { if (l.closeTooltip) { l.closeTooltip(); } });
  });
  map.on('popupclose', function () { L.DomUtil.removeClass(box, 'cm-popup-open'); });
}

function cmParcelLayer(parent, options, rows) {
  var words = options.words;

  function bind(feature, shape) {
    var p = feature.properties, verdict = words.verdicts[p.c];
    var head = p.a ? p.a : ('APN ' + p.n);
    shape.bindTooltip(head + ' \u00b7 ' + verdict, {sticky: false});
    shape.bindPopup(p.p ? p.p : '<div class="cm-card"><div class="cm-verdict">' + verdict +
      '</div><div><b>' + (p.a || words.no_address) + '</b></div><div>APN ' + p.n +
      '</div><div class="cm-why cm-pointer">' + words.why + '</div></div>', POPUP);
    shape.on('add', function () {  // shapes are not Tab stops; the table view lists them
      var el = shape.getElement && shape.getElement();
      if (el) { el.setAttribute('tabindex', '-1'); }
    });
  }

  var layer = L.geoJson(null, {
    style: function (feature) { return options.styles[feature.properties.c]; },
    onEachFeature: function (feature, shape) {
      bind(feature, shape);
      shape.on({
        mouseover: function () { shape.setStyle(options.highlight); },
        mouseout: function () { layer.resetStyle(shape); }
      });
    }
  });
  layer.addData(rows.map(function (r) {
    return {
      type: 'Feature',
      properties: {c: r[0], a: r[1], n: r[2], p: r[3]},
      geometry: {type: r[4] ? 'MultiPolygon' : 'Polygon', coordinates: r[5]}
    };
  }));
  layer.addTo(parent);
  cmQuietTooltips(parent._map || (parent instanceof L.Map ? parent : window.map));
  parent.on && parent.on('add', function () { cmQuietTooltips(parent._map); });
  return layer;
}
