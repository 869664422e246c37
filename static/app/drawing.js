/* While a drawing tool is active, clicks draw and never select parcels.
 *
 * Leaflet.draw fires draw:drawstart and draw:drawstop on the map. In between, the map's
 * box carries the class cm-drawing (its stylesheet lets clicks pass through parcels and
 * through every control but the drawing toolbar), and a click that would reach the map
 * or a parcel is stopped before Leaflet sees it, so the app is not told of a click (the
 * tool adds a vertex on mouse-up, not on click). The shape's own vertices (a click on the
 * first one closes it) and the toolbar still get clicks; the click that follows the
 * closing mouse-up is stopped too.
 */
function cmDrawingGuard(map) {
  var box = map.getContainer();
  var drawing = false;
  map.on("draw:drawstart", function () { drawing = true; box.classList.add("cm-drawing"); });
  map.on("draw:drawstop", function () {
    box.classList.remove("cm-drawing");
    // the click that follows the closing mouse-up lands on the map (its target, the
    // drawing's pointer, is gone): still stop it
    window.setTimeout(function () { drawing = false; }, 400);
  });
  function ours(target) {
    return target && target.closest &&
      (target.closest(".leaflet-editing-icon") || target.closest(".leaflet-draw"));
  }
  box.addEventListener("click", function (event) {
    if (drawing && !ours(event.target)) {
      event.stopPropagation();
    }
  }, true);
}
