/* On a narrow map, the drawing and measuring tools fold behind one button.
 *
 * map     : the map.
 * options : {width: below this page width (px) the tools fold, label: the button's name}.
 *
 * Seven buttons down the left of a phone's map cover what a popup says; folded, the stack
 * is zoom, "where am I?" and this button, which shows or hides the tools.
 */
function cmFoldTools(map, options) {
  function fold() {
    var box = map.getContainer();
    var page = window.innerWidth;
    try { page = window.top.innerWidth; } catch (e) { /* a frame of another site */ }
    if (page >= options.width) { return; }
    if (!box.querySelector('.leaflet-draw, .leaflet-control-measure')) { return; }
    L.DomUtil.addClass(box, 'cm-tools-folded');
    var ctl = L.control({position: 'topleft'});
    ctl.onAdd = function () {
      var bar = L.DomUtil.create('div', 'leaflet-bar cm-tools-toggle');
      var a = L.DomUtil.create('a', '', bar);
      a.href = '#';
      a.setAttribute('role', 'button');
      a.setAttribute('aria-label', options.label);
      a.setAttribute('aria-expanded', 'false');
      a.title = options.label;
      a.innerHTML = '&#9998;';
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.on(a, 'click', function (e) {
        L.DomEvent.preventDefault(e);
        var open = !L.DomUtil.hasClass(box, 'cm-tools-open');
        if (open) { L.DomUtil.addClass(box, 'cm-tools-open'); }
        else { L.DomUtil.removeClass(box, 'cm-tools-open'); }
        a.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      return bar;
    };
    ctl.addTo(map);
  }
  setTimeout(fold, 0);  // after the tools' own scripts have added them
}
