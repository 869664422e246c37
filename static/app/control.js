/* A Leaflet control holding fixed HTML (the legend, the data line).
 *
 * map     : the map.
 * options : {position: a Leaflet corner, css_class: the div's class,
 *            html: the content, its data already escaped}.
 *
 * A folded legend (a <details> element) starts closed unless the map is wide, and folds
 * whenever a popup opens, so it never covers the answer.
 */
function cmHtmlControl(map, options) {
  var ctl = L.control({position: options.position});
  ctl.onAdd = function () {
    var div = L.DomUtil.create('div', options.css_class);
    div.innerHTML = options.html;
    var fold = div.querySelector('details');
    if (fold && window.innerWidth < 900) { fold.removeAttribute('open'); }
    if (fold) { map.on('popupopen', function () { fold.removeAttribute('open'); }); }
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  ctl.addTo(map);
}
