/* While a drawing tool is active, clicks draw and never select parcels.
 *
 * Leaflet.draw fires draw:drawstart and draw:drawstop on the map. In between, the map's
 * box carries the class cm-drawing (its stylesheet lets clicks pass through parcels and
 * through every control but the drawing toolbar), and a click that would reach the map
 * or a parcel is stopped before Leaflet sees it, so the app is not told of a click. The
 * drawing tool's own markers (its vertices and the pointer it follows) still get clicks.
 */
function cmDrawingGuard(map) {
  var box = map.getContainer();
  var drawing = false;
  map.on("draw:drawstart", function () { drawing = true; box.classList.add("cm-drawing"); });
  map.on("draw:drawstop", function () {
    drawing = false;
    box.classList.remove("cm-drawing");
  });
  function ours(target) {
    return target && target.closest &&
      (target.closest(".leaflet-marker-icon") || target.closest(".leaflet-draw"));
  }
  box.addEventListener("click", function (event) {
    if (drawing && !ours(event.target)) {
      event.stopPropagation();
    }
  }, true);
}
