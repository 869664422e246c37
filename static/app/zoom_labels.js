/* Hide street and landmark labels below a zoom, where they would pile up.
 *
 * map  : the map.
 * zoom : labels show at this zoom and above (below it the map's container has the
 *        class cm-lowzoom, which map.css uses).
 */
function cmHideLabelsBelowZoom(map, zoom) {
  function mark() {
    map.getContainer().classList.toggle('cm-lowzoom', map.getZoom() < zoom);
  }
  map.on('zoomend', mark);
  mark();
}
