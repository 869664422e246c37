// Runs static/app/search_index.js in Node (tests/unit/test_site_search.py, bench/search_figures.py).
// stdin: {"module": URL of search_index.js, "site": the published folder or null,
//         "queries": [...], "texts": [...]}
// stdout: {"found": [{"hit", "loaded"}] for each query (a fresh search each, so "loaded" is
//          what one search downloads), "keys": [{"apn", "parts"}] for each text}
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

const input = JSON.parse(readFileSync(0, 'utf-8'));
const search = await import(input.module);
const read = (path) => JSON.parse(readFileSync(join(input.site, 'data', 'search', path), 'utf-8'));
const manifest = input.site ? read('index.json') : null;
const found = [];
for (const query of input.queries || []) {
  const loaded = [];
  const finder = new search.SiteSearch(manifest, async (path) => { loaded.push(path); return read(path); });
  const hit = await finder.find(query);
  found.push({hit: hit, loaded: loaded});
}
const types = manifest ? manifest.street_types : input.street_types;
const keys = (input.texts || []).map((text) => {
  const parts = search.addressParts(text, types);
  return {apn: search.apnKey(text), parts: parts, address: search.addressKey(parts),
    apn_like: search.looksLikeApn(text)};
});
process.stdout.write(JSON.stringify({found: found, keys: keys}));
