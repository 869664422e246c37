/* The searched parcels' outline, above everything else (no popup: the card beside the map
 * answers). A feature group the map component removes again before the next one is added.
 */
function cmSelection(map, shapes, style) {
  const group = L.featureGroup();
  L.geoJSON(shapes, {style: () => style, interactive: false}).addTo(group);
  map.addLayer(group);
  window.feature_group = window.feature_group || [];
  window.feature_group.push(group);
  return group;
}
