/* The published site's service worker (sw.js at the site's root; `civicmap publish` writes
 * BUILD above this line). It keeps, whole, every file offline.json lists: the pages, the
 * scripts and libraries, the data the page starts with, the cards' and the search's
 * manifests, and the extracts of the area around the landmark (its map tiles as one small
 * archive, its cards, its search). The Cache API cannot store a partial (206) answer, so a
 * range request is answered by slicing a kept whole file; the county's own archive is read
 * from the network by ranges and never kept. Pages and data come from the network first
 * (a republished site shows at once) and from the cache when there is none; the files in
 * assets/<digest>/ never change, so the cache answers them first. Card and search shards
 * the reader opened are kept too.
 */
/* global BUILD */
const CACHE = 'civicmap-' + BUILD;
const RANGE = /^bytes=(\d*)-(\d*)$/;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const listing = await (await fetch('offline.json', {cache: 'no-store'})).json();
    const cache = await caches.open(CACHE);
    await cache.addAll(listing.files.map((name) => new Request(name, {cache: 'no-store'})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('civicmap-') && key !== CACHE) { await caches.delete(key); }
    }
    await self.clients.claim();
  })());
});

// A part of a kept whole file, as the server would have answered the range.
async function slice(whole, range) {
  const body = await whole.arrayBuffer();
  const size = body.byteLength;
  const found = RANGE.exec(range.trim());
  let start = 0;
  let end = size - 1;
  if (found && found[1]) {
    start = Number(found[1]);
    end = found[2] ? Math.min(Number(found[2]), size - 1) : size - 1;
  } else if (found && found[2]) {
    start = Math.max(0, size - Number(found[2]));
  }
  if (!found || start > end) {
    return new Response(null, {status: 416, headers: {'Content-Range': `bytes */${size}`}});
  }
  return new Response(body.slice(start, end + 1), {
    status: 206,
    headers: {
      'Content-Range': `bytes ${start}-${end}/${size}`,
      'Content-Length': String(end - start + 1),
      'Content-Type': whole.headers.get('Content-Type') || 'application/octet-stream',
    },
  });
}

async function ranged(request) {
  const whole = await caches.match(request.url, {ignoreSearch: true});
  if (whole) { return slice(whole, request.headers.get('range')); }
  return fetch(request);  // the county's archive: the network's 206, never kept
}

const immutable = (url) => url.pathname.includes('/assets/');
const keepable = (url) => url.pathname.includes('/data/') || immutable(url);

async function answer(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  const navigation = request.mode === 'navigate';
  // assets are asked for with a version in the query too (MapLibre's worker: ?v=...)
  const loose = {ignoreSearch: navigation || immutable(url)};
  if (immutable(url)) {
    const kept = await cache.match(request, loose);
    if (kept) { return kept; }
  }
  try {
    const response = await fetch(request);
    if (response.status === 200 && keepable(url)) { cache.put(request, response.clone()); }
    return response;
  } catch (error) {
    const kept = await cache.match(request, loose);
    if (kept) { return kept; }
    if (navigation) {
      const page = await cache.match(new URL('./', url).href, {ignoreSearch: true});
      if (page) { return page; }
    }
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) { return; }
  event.respondWith(request.headers.has('range') ? ranged(request) : answer(request));
});
