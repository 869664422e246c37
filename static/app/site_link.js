/* The published site's state in its URL: the language's page (es/, hmn/, or the root for
 * English), ?p=<APN in any spelling> (the parcel whose card is open), ?v=<policy version>
 * (when not the default), ?place=<number> (a place to assemble) and the view in the hash
 * (#zoom/lat/lon, as MapLibre writes it). ?lang=es|hmn|en is read too. No page here: the
 * unit tests run it in Node.
 */

export const LANGS = ['en', 'es', 'hmn'];

export function readLink(href) {
  const url = new URL(href);
  const q = url.searchParams;
  const lang = (q.get('lang') || '').trim().toLowerCase();
  let view = null;
  const parts = url.hash.replace(/^#/, '').split('/').map(Number);
  if (parts.length === 3 && parts.every(Number.isFinite)) {
    view = {zoom: parts[0], lat: parts[1], lon: parts[2]};
  }
  return {
    p: (q.get('p') || '').trim(),
    v: (q.get('v') || '').trim(),
    lang: LANGS.includes(lang) ? lang : '',
    place: q.has('place') ? Number(q.get('place')) : null,
    embed: q.get('embed') === '1',
    view: view,
  };
}

// The link of a state: root is the site's folder URL, pages each language's page under it.
export function writeLink(root, pages, state) {
  const url = new URL(pages[state.lang] || '', root);
  if (state.embed) { url.pathname = new URL(state.embedPage || 'embed.html', root).pathname; }
  if (state.p) { url.searchParams.set('p', state.p); }
  if (state.place !== null && state.place !== undefined) { url.searchParams.set('place', String(state.place)); }
  if (state.v && state.v !== state.defaultVersion) { url.searchParams.set('v', state.v); }
  if (state.embed) { url.searchParams.set('lang', state.lang); }
  if (state.view) {
    const {zoom, lat, lon} = state.view;
    url.hash = `${zoom.toFixed(2)}/${lat.toFixed(5)}/${lon.toFixed(5)}`;
  }
  return url.href;
}
