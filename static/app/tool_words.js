/* The drawing and measuring tools in the reader's language.
 *
 * Leaflet.draw reads its words from L.drawLocal when a toolbar is built, so they are set
 * before the drawing control is added. leaflet-measure has its English built in: its words
 * are swapped wherever they appear in the map (its control and its popups), as they appear.
 */
function cmToolWords(map, draw, measure) {
  function merge(into, from) {
    Object.keys(from).forEach(function (key) {
      if (from[key] && typeof from[key] === "object") {
        into[key] = into[key] || {};
        merge(into[key], from[key]);
      } else {
        into[key] = from[key];
      }
    });
  }
  if (window.L && L.drawLocal) {
    merge(L.drawLocal, draw);
  }
  function wanted(text) {  // the reader's words, or null when they are the same already
    var own = Object.prototype.hasOwnProperty.call(measure, text) ? measure[text] : null;
    return own !== null && own !== text ? own : null;
  }
  function swapText(node) {  // a change made here is seen again: it must not repeat
    var text = node.nodeValue.trim();
    var own = wanted(text);
    if (own !== null) {
      node.nodeValue = node.nodeValue.replace(text, own);
    }
  }
  function swap(root) {
    if (root.nodeType === 3) {
      swapText(root);
      return;
    }
    if (root.nodeType !== 1) {
      return;
    }
    var title = root.getAttribute("title");
    var own = title ? wanted(title) : null;
    if (own !== null) {
      root.setAttribute("title", own);
    }
    root.childNodes.forEach(swap);
  }
  var box = map.getContainer();
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(swap);
      if (change.type === "characterData") {
        swapText(change.target);
      }
    });
  }).observe(box, {childList: true, subtree: true, characterData: true});
  swap(box);
}
