/* The parcels' colours for the current settings, sent after each change (no geometry).
 *
 * group : the feature group this script came in (or the map itself).
 * codes : {stamp: what was painted, categories: [category index of each list of rows],
 *          rows: [[parcel ids (rows), ...], ...] (every other parcel is "not covered"),
 *          counts: {category key: the legend's count text}}
 *
 * The tiles layer (parcel_tiles.js) paints them as feature-state as soon as it has loaded.
 */
function cmPaintTiles(group, codes) {
  function paint(map) {
    var tiles = map._cmTiles || (map._cmTiles = {map: map, painted: []});
    tiles.codes = codes;  // kept for the tiles layer to paint once it has loaded
    var legend = map.getContainer().querySelectorAll('.cm-count[data-cat]');
    for (var i = 0; i < legend.length; i++) {
      legend[i].textContent = codes.counts[legend[i].dataset.cat] || '';
    }
    if (tiles.apply) { tiles.apply(tiles); }
  }
  if (group instanceof L.Map) { paint(group); return; }
  if (group._map) { paint(group._map); }
  group.on('add', function () { paint(group._map); });
}
