/* The published site's search (site.js imports it): an APN in any spelling, an address or a
 * landmark, answered from the shards of data/search/ (publish writes them and
 * computes the same keys). A search downloads the manifest once and then only the shard or
 * two its key can be in. No page here: the unit tests run it in Node.
 */

// The shards a partial address with a house number ("1201 i") reads at most.
export const MOST_SHARDS_SCANNED = 6;
const NUMBER_WIDTH = 8;

export const apnKey = (text) => String(text).toLowerCase().replace(/[^0-9a-z]/g, '');

// (house number, street) as publish's search index folds them.
export function addressParts(text, streetTypes) {
  const folded = String(text).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const words = folded.split(',')[0].replace(/[^0-9a-z]+/g, ' ').split(' ').filter(Boolean);
  const last = words.length - 1;
  if (last > 0 && Object.hasOwn(streetTypes, words[last])) { words[last] = streetTypes[words[last]]; }
  if (last > 0 && /^[0-9]+[a-z]?$/.test(words[0])) {
    return {number: words[0], street: words.slice(1).join(' ')};
  }
  return {number: '', street: words.join(' ')};
}

// The street, a tab, the house number padded to 8 (so a street's numbers sort as numbers).
export function addressKey(parts) {
  return parts.street ? parts.street + '\t' + parts.number.padStart(NUMBER_WIDTH, '0') : '';
}

// The shard a key is in: the last whose lower bound is not above it (-1 with no shards).
export function shardOf(bounds, key) {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (bounds[mid] <= key) { low = mid + 1; } else { high = mid; }
  }
  return low - 1;
}

// Digits and no word of letters alone: "006 0602 005" is an APN, "1201 I St" an address.
export function looksLikeApn(query) {
  const words = String(query).toLowerCase().split(/[^0-9a-z]+/).filter(Boolean);
  return /[0-9]/.test(apnKey(query)) && !words.some((w) => /^[a-z]+$/.test(w));
}

export class SiteSearch {
  /* manifest: data/search/index.json; load(path): a promise of the JSON at
   * data/search/<path>. */
  constructor(manifest, load) {
    this.manifest = manifest;
    this.load = load;
    this.shards = new Map();
  }

  keyOf(kind, address) {
    return kind === 'apn' ? apnKey(address) : addressKey(addressParts(address, this.manifest.street_types));
  }

  async shard(kind, position) {
    const name = kind + '-' + position;
    if (!this.shards.has(name)) {
      this.shards.set(name, this.load(this.manifest.folder + '/' + name + '.json').then((s) => {
        s.keys = s[kind].map((text) => this.keyOf(kind, text));
        return s;
      }, (error) => { this.shards.delete(name); throw error; }));  // asked again next time
    }
    return this.shards.get(name);
  }

  /* The first record in key order whose key starts with prefix and passes accept(key),
   * reading the shards from the one prefix is in, at most `most` of them. */
  async first(kind, prefix, accept = () => true, most = 2) {
    const bounds = this.manifest[kind].bounds;
    const start = Math.max(shardOf(bounds, prefix), 0);
    for (let i = start; i < bounds.length && i < start + most; i++) {
      if (i > start && !bounds[i].startsWith(prefix)) { return null; }
      const s = await this.shard(kind, i);
      for (let j = 0; j < s.keys.length; j++) {
        const key = s.keys[j];
        if (key < prefix) { continue; }
        if (!key.startsWith(prefix)) { return null; }
        if (accept(key)) {
          return {key: key, row: s.row[j], apn: s.apn[j], address: s.address[j], lon: s.lon[j],
            lat: s.lat[j]};
        }
      }
    }
    return null;
  }

  // The APN itself, else (6 letters or digits or more, one a digit) the first that starts so.
  async byApn(query) {
    const key = apnKey(query);
    if (!key) { return null; }
    const hit = await this.first('apn', key);
    if (hit && (hit.key === key || (key.length >= 6 && /[0-9]/.test(key)))) { return hit; }
    return null;
  }

  /* The address itself, else its number on the first street that starts with its street;
   * a street alone: its first parcel (that street before the longer names it begins). */
  async byAddress(query) {
    const parts = addressParts(query, this.manifest.street_types);
    if (!parts.street) { return null; }
    if (!parts.number) { return this.first('address', parts.street); }
    const whole = addressKey(parts);
    const hit = await this.first('address', whole);
    if (hit && hit.key === whole) { return hit; }
    const number = whole.slice(whole.lastIndexOf('\t'));
    return this.first('address', parts.street, (key) => key.endsWith(number), MOST_SHARDS_SCANNED);
  }

  byLandmark(query) {
    const q = query.toLowerCase();
    const mark = this.manifest.landmarks.find((m) => m.name.toLowerCase().includes(q));
    return mark ? {landmark: mark.name, lon: mark.lon, lat: mark.lat} : null;
  }

  /* A parcel's record ({row, apn, address, lon, lat}), a landmark ({landmark, lon, lat}) or
   * null. An APN-like query is tried as an APN first, anything else as an address. */
  async find(query) {
    const q = String(query).trim();
    if (!q) { return null; }
    const steps = looksLikeApn(q)
      ? [() => this.byApn(q), () => this.byAddress(q), () => this.byLandmark(q)]
      : [() => this.byAddress(q), () => this.byLandmark(q), () => this.byApn(q)];
    for (const step of steps) {
      const hit = await step();
      if (hit) { return hit; }
    }
    return null;
  }
}
