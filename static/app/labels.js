/* Many small text-only map labels drawn by one loop: not clickable, not Tab stops.
 *
 * parent : the layer the labels go into.
 * rows   : [lat, lon, html (text already escaped), class name, [width, height],
 *           [anchor x, anchor y]], one a label.
 */
function cmTextLabels(parent, rows) {
  rows.forEach(function (l) {
    L.marker([l[0], l[1]], {
      icon: L.divIcon({html: l[2], className: l[3], iconSize: l[4], iconAnchor: l[5]}),
      interactive: false,
      keyboard: false
    }).addTo(parent);
  });
}
