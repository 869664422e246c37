/* The published site with no connection: the map's tiles come from the county's archive,
 * and when it cannot be read, from the extract of the area around the landmark that the
 * service worker (sw.js) keeps; a tile in neither says so on the map. The worker is
 * registered once the map has drawn, so it never competes with the opening view.
 */

/* A MapLibre protocol for pmtiles://<url> sources: the county's archive first, the area's
 * extract when it fails. site is data/site.json; onMissing() is called when a tile is in
 * neither (offline, outside the area). */
export function tilesProtocol(pmtiles, site, main, area, onMissing) {
  const archives = [new pmtiles.PMTiles(main), new pmtiles.PMTiles(area)];
  let down = false;  // the county's archive failed: ask the extract first until back online
  window.addEventListener('online', () => { down = false; });
  async function tile(z, x, y, signal) {
    const order = down ? [archives[1], archives[0]] : archives;
    let failed = 0;
    for (const archive of order) {
      try {
        const found = await archive.getZxy(z, x, y, signal);
        if (found && found.data) { return new Uint8Array(found.data); }
        if (archive === archives[0]) { return new Uint8Array(0); }  // the county has none there
      } catch (error) {
        if (signal && signal.aborted) { throw error; }
        failed += 1;
        if (archive === archives[0]) { down = true; }
      }
    }
    if (failed) { onMissing(); }
    return new Uint8Array(0);
  }
  return async (params, abort) => {
    const url = params.url.replace(/^pmtiles:\/\//, '');
    const parts = /\/(\d+)\/(\d+)\/(\d+)$/.exec(url);
    if (!parts) {  // the source's description: no request needed
      const [west, south, east, north] = site.bounds;
      return {data: {tilejson: '3.0.0', tiles: [params.url + '/{z}/{x}/{y}'],
        minzoom: site.zooms[0], maxzoom: site.zooms[1], bounds: [west, south, east, north],
        vector_layers: [{id: site.layers.city, fields: {}}, {id: site.layers.other, fields: {}}]}};
    }
    const signal = abort ? abort.signal : undefined;
    return {data: await tile(Number(parts[1]), Number(parts[2]), Number(parts[3]), signal)};
  };
}

// Keep the site for offline use; body[data-offline] says "ready" once every file is kept and
// the worker, activated, answers this page.
export function keepOffline(workerUrl, scope) {
  if (!('serviceWorker' in navigator)) { return; }
  const container = navigator.serviceWorker;
  const controlled = () => (container.controller ? Promise.resolve() : new Promise((done) => {
    container.addEventListener('controllerchange', done, {once: true});
  }));
  const activated = (worker) => (worker.state === 'activated' ? Promise.resolve() : new Promise((done) => {
    worker.addEventListener('statechange', () => { if (worker.state === 'activated') { done(); } });
  }));
  container.register(workerUrl, {scope: scope})
    .then(() => container.ready)
    .then((registration) => Promise.all([activated(registration.active), controlled()]))
    .then(() => { document.body.dataset.offline = 'ready'; }, () => { document.body.dataset.offline = 'no'; });
}
