/* Keep the page from jumping when the map takes keyboard focus on a click.
 *
 * Leaflet focuses the map on mouse-down (for keyboard panning); the browser then scrolls
 * the page to show the whole map, and the click lands elsewhere. Focus without scrolling.
 */
function cmKeepPageStill(map) {
  var box = map.getContainer();
  box.focus = function () { HTMLElement.prototype.focus.call(box, {preventScroll: true}); };
}
