/* Every parcel of a large dataset, drawn in the browser from its PMTiles archive.
 *
 * MapLibre GL draws the archive inside the Leaflet map (the maplibre-gl-leaflet layer), so
 * panning and zooming never wait for the server. Parcels are coloured per parcel id (the
 * feature id is the parcel's row) from the categories the policy core computed for the
 * current settings: cmPaintTiles sets them as feature-state, so a changed setting repaints
 * without rebuilding tiles or sending geometry again.
 *
 * map     : the Leaflet map.
 * options : {vendor: where the vendored files are served, tiles: the archive's URL,
 *            layers: {city, other} (the archive's layer names),
 *            fills: [fill colour of each category index], strokes: [outline colour],
 *            notCovered: the index of the "not covered" category,
 *            showOthers: whether parcels the proposal does not cover are drawn,
 *            othersFrom: the (MapLibre) zoom from which the other layer's parcels are drawn,
 *            words: {verdicts: [verdict words of each category], why} (plain text)}
 */
function cmLoadScript(src) {
  return new Promise(function (resolve, reject) {
    var script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = function () { reject(new Error('could not load ' + src)); };
    document.head.appendChild(script);
  });
}

// MapLibre is an ES module; the Leaflet layer and the PMTiles reader look for globals.
function cmLoadMaplibre(vendor) {
  if (!window.cmMaplibreReady) {
    window.cmMaplibreReady = import(vendor + '/maplibre-gl/maplibre-gl.mjs').then(function (m) {
      window.maplibregl = m;
      return Promise.all([
        cmLoadScript(vendor + '/maplibre-gl-leaflet/leaflet-maplibre-gl.js'),
        cmLoadScript(vendor + '/pmtiles/pmtiles.js')
      ]);
    }).then(function () {
      var protocol = new pmtiles.Protocol();
      window.maplibregl.addProtocol('pmtiles', protocol.tile);
      return window.maplibregl;
    });
  }
  return window.cmMaplibreReady;
}

// The colour of each category index, as a MapLibre expression on the feature-state.
function cmByCategory(cat, colours, fallback) {
  var expression = ['match', cat];
  for (var i = 0; i < colours.length; i++) { expression.push(i, colours[i]); }
  expression.push(fallback);
  return expression;
}

function cmTileStyle(options) {
  var url = 'pmtiles://' + new URL(options.tiles, location.href).href;
  var nc = options.notCovered;
  var cat = ['coalesce', ['feature-state', 'cat'], nc];
  var fill = cmByCategory(cat, options.fills, options.fills[nc]);
  var stroke = cmByCategory(cat, options.strokes, options.strokes[nc]);
  var shown = options.showOthers ? 0.35 : 0;
  var opacity = ['case', ['==', cat, nc], shown, 0.8];
  // below street zoom a city parcel smaller than a few pixels still shows: its outline,
  // drawn wide, is a marker of its colour
  var outline = ['interpolate', ['linear'], ['zoom'], 8, 1.5, 13, 1.5, 15, 1.2];
  return {
    version: 8,
    sources: {parcels: {type: 'vector', url: url}},
    layers: [
      {id: 'cm-others', type: 'fill', source: 'parcels', 'source-layer': options.layers.other,
        minzoom: options.othersFrom, layout: {visibility: options.showOthers ? 'visible' : 'none'},
        paint: {'fill-color': fill, 'fill-opacity': opacity}},
      {id: 'cm-others-edges', type: 'line', source: 'parcels', 'source-layer': options.layers.other,
        minzoom: 15, layout: {visibility: options.showOthers ? 'visible' : 'none'},
        paint: {'line-color': stroke, 'line-width': 0.6}},
      {id: 'cm-city', type: 'fill', source: 'parcels', 'source-layer': options.layers.city,
        paint: {'fill-color': fill, 'fill-opacity': opacity}},
      {id: 'cm-city-edges', type: 'line', source: 'parcels', 'source-layer': options.layers.city,
        paint: {'line-color': ['step', ['zoom'], fill, 15, stroke], 'line-width': outline,
          'line-opacity': ['case', ['==', cat, nc], options.showOthers ? 0.6 : 0, 1]}}
    ]
  };
}

// A popup from the tile's own attributes: the APN and the verdict of its category.
function cmTilePopup(tiles, latlng) {
  var gl = tiles.gl;
  var point = gl.project([latlng.lng, latlng.lat]);
  var found = gl.queryRenderedFeatures([point.x, point.y], {layers: ['cm-city', 'cm-others']});
  if (!found.length) { return; }
  var feature = found[0];
  var state = gl.getFeatureState({source: 'parcels', sourceLayer: feature.sourceLayer,
    id: feature.id});
  var category = state.cat === undefined ? tiles.options.notCovered : state.cat;
  var card = document.createElement('div');
  card.className = 'cm-card';
  var verdict = document.createElement('div');
  verdict.className = 'cm-verdict';
  verdict.textContent = tiles.options.words.verdicts[category];
  var apn = document.createElement('div');
  apn.textContent = 'APN ' + (feature.properties.apn || '');
  var why = document.createElement('div');
  why.className = 'cm-why cm-pointer';
  why.textContent = tiles.options.words.why;
  card.append(verdict, apn, why);
  L.popup(typeof POPUP === 'undefined' ? {} : POPUP).setLatLng(latlng).setContent(card)
    .openOn(tiles.map);
}

function cmApplyPaint(tiles) {
  var gl = tiles.gl, codes = tiles.codes;
  if (!gl || !codes) { return; }
  var started = performance.now();
  var layers = [tiles.options.layers.city, tiles.options.layers.other];
  for (var i = 0; i < tiles.painted.length; i++) {
    for (var j = 0; j < layers.length; j++) {
      gl.removeFeatureState({source: 'parcels', sourceLayer: layers[j], id: tiles.painted[i]});
    }
  }
  var painted = [];
  for (var c = 0; c < codes.rows.length; c++) {
    var rows = codes.rows[c];
    for (var k = 0; k < rows.length; k++) {
      for (var m = 0; m < layers.length; m++) {
        gl.setFeatureState({source: 'parcels', sourceLayer: layers[m], id: rows[k]},
          {cat: codes.categories[c]});
      }
      painted.push(rows[k]);
    }
  }
  tiles.painted = painted;
  var box = tiles.map.getContainer();
  box.dataset.cmPaint = codes.stamp;
  gl.once('idle', function () {  // drawn: how long the browser took, from the colours' arrival
    box.dataset.cmPaintMs = (performance.now() - started).toFixed(1);
    box.dataset.cmPainted = codes.stamp;
  });
  gl.triggerRepaint();
}

function cmParcelTiles(map, options) {
  var tiles = {map: map, options: options, gl: null, codes: map._cmTiles && map._cmTiles.codes,
    painted: [], apply: cmApplyPaint};
  map._cmTiles = tiles;
  window.cmTiles = tiles;  // the page's one tiles layer, for the browser tests and benchmark
  var box = map.getContainer();
  box.dataset.cmTiles = 'loading';
  // when each step ended, in ms since the page's own start (for the benchmark's breakdown)
  var mark = function (name) { box.dataset[name] = Math.round(performance.now()); };
  mark('cmAtStart');
  cmLoadMaplibre(options.vendor).then(function () {
    mark('cmAtLibrary');
    var layer = L.maplibreGL({style: cmTileStyle(options), interactive: false});
    layer.addTo(map);
    tiles.gl = layer.getMaplibreMap();
    tiles.gl.on('load', function () {
      mark('cmAtStyle');
      cmApplyPaint(tiles);
      tiles.gl.once('idle', function () { mark('cmAtDrawn'); box.dataset.cmTiles = 'drawn'; });
    });
    map.on('click', function (e) { cmTilePopup(tiles, e.latlng); });
  }).catch(function (err) {
    box.dataset.cmTiles = 'failed';
    var note = L.DomUtil.create('div', 'cm-tiles-failed', box);
    note.setAttribute('role', 'status');
    note.textContent = options.words.failed;
    if (window.console) { console.error(err); }
  });
}
