/* The published site's answer cards, from the shards of data/cards/ (written by publish).
 * The policy core decided every parcel under every version at publish time and the
 * catalogs' sentences were written then, in each language: this only looks the pieces up
 * and fills the catalog's templates. Nothing here decides a verdict. No page here: the unit
 * tests run it in Node against `civicmap check`.
 */

const ZONE_WORDS = ['card.no', 'card.yes', 'card.borders_zone'];

export class CardStore {
  /* load(path): a promise of the JSON at data/cards/<path>. */
  constructor(load) {
    this.load = load;
    this.manifest = null;
    this.files = new Map();
  }

  file(path) {
    if (!this.files.has(path)) {
      this.files.set(path, this.load(path).catch((error) => {
        this.files.delete(path);  // asked again next time
        throw error;
      }));
    }
    return this.files.get(path);
  }

  async start() {
    if (this.manifest === null) { this.manifest = await this.file('index.json'); }
    return this.manifest;
  }

  async shard(row) {
    const manifest = await this.start();
    const position = Math.floor(row / manifest.rows);
    return this.file(`${manifest.folder}/cards-${position}.json`);
  }

  async sentences(lang) {
    const manifest = await this.start();
    return this.file(`${manifest.folder}/words-${lang}.json`);
  }

  /* The card of parcel `row` under `version`: words (a Words), site (data/site.json). When
   * its shard cannot be read (no connection), the cards kept for offline use answer; a
   * parcel not among them throws an error whose `offline` is true. */
  async card(row, version, words, site) {
    const [manifest, sentences] = await Promise.all([this.start(), this.sentences(words.lang)]);
    let shard;
    let j;
    try {
      shard = await this.shard(row);
      j = row - shard.first;
    } catch (error) {
      const area = manifest.area ? await this.file(`${manifest.folder}/${manifest.area}`).catch(() => null) : null;
      j = area ? area.rows.indexOf(row) : -1;
      if (j < 0) { throw Object.assign(new Error('not available offline'), {offline: true}); }
      shard = area;
    }
    return cardModel(manifest, shard, j, row, version, sentences, words, site);
  }
}

// The owner as the app's card names it: a private owner's name is kept private.
function ownerText(name, words) {
  if (name === null) { return words.text('card.name_hidden'); }
  return name || words.text('card.blank');
}

// What a card says of a parcel that changed since the previous fetch (null when it did
// not): `bits` its kinds of change (as publish wrote them), `summary` site.json's changes.
export function changedLine(bits, summary, words) {
  if (!bits || !summary) { return null; }
  const kinds = summary.kinds.filter((kind, i) => bits & (1 << i));
  return words.text('card.changed', {date: summary.before,
    changes: kinds.map((kind) => words.text('change.' + kind)).join(', ')});
}

function distanceText(metres) {
  return metres === null || metres === undefined ? '?' : Math.round(metres).toLocaleString('en-US');
}

/* Everything one card says, as text: heading, verdict, what it means, the reasons (the
 * sentences `civicmap check --lang` prints), the facts, the data, the district, the
 * county's record, what changed since the previous fetch and the version. */
/** The data's name and as-of date, and what that date is (the layer's last edit, the day
 * it was fetched, the file's or the sample's date) where the publisher recorded it. */
export function sourceLine(site, words) {
  const values = {name: site.source.name, date: site.source.date};
  const basis = site.provenance ? site.provenance.data_date_basis : '';
  if (!basis) { return words.text('card.source', values); }
  return words.text('card.as_of', {...values, basis: words.text('asof.basis.' + basis)});
}

export function cardModel(manifest, shard, j, row, version, sentences, words, site) {
  const combo = manifest.combos[version][shard.versions[version][j]];
  const [verdictIndex, categoryIndex, ownerTemplate, siteReason, clause, named] = combo;
  const verdict = site.verdicts[verdictIndex];
  const category = site.categories[categoryIndex];
  const name = shard.owner[j];
  const [head, tail] = sentences.owner[ownerTemplate];
  const slot = named ? (name === null ? words.text('owner_class.private') : name) : '';
  const ownerClass = manifest.classes[shard.class[j]];
  const apn = shard.apn[j];
  const address = shard.address[j];
  const model = {
    row: row,
    apn: apn,
    address: address,
    heading: `${address || words.text('card.no_address')} · APN ${apn}`,
    verdict: verdict,
    verdictText: words.text('verdict.' + verdict),
    category: category,
    categoryText: words.text('category.' + category),
    means: words.text('card.means.' + verdict.replace(' ', '_')),
    review: verdict === 'needs review' ? words.text('card.review_hint') : null,
    reasons: [head + slot + tail, sentences.site[siteReason], sentences.clause[clause]],
    facts: words.text('card.facts', {
      owner: ownerText(name, words),
      owner_class: words.text('owner_class.' + ownerClass),
      land_use: sentences.use[shard.use[j]],
      zone: words.text(ZONE_WORDS[shard.zone[j]]),
      distance: distanceText(shard.distance[j]),
      landmark: manifest.landmark,
    }),
    source: sourceLine(site, words),
    district: null,
    record: shard.record ? shard.record[j] : null,
    changed: shard.changed ? changedLine(shard.changed[j], site.changes, words) : null,
    version: words.text('site.version_line', {title: words.version(version).title}),
  };
  if (manifest.districts && shard.district) {
    const label = manifest.districts[shard.district[j]];
    model.district = words.text('card.district', {district: label || words.text('card.no_district')});
  }
  return model;
}
