/* The section "changed since the previous fetch" (civicmap publish --history): the parcels
 * whose owner, land use or shape changed, that were added, removed, split or merged between
 * the history's two newest fetches, with each version's verdict before and after, as
 * publish wrote them. The list's file is read only when the section is
 * opened; the order (the version's flips first) and the flips were decided at publish time:
 * nothing here decides anything. Text reaches the page through textContent only.
 */
import {make, put} from './site_words.js';

const PAGE = 50;  // rows shown at a time
const $ = (id) => document.getElementById(id);

export class ChangesSection {
  /* site: data/site.json (its `changes` and `verdicts`); load(): a promise of the list's
   * file; open(row, point): opens a parcel's card. */
  constructor(site, load, open) {
    this.summary = site.changes;
    this.verdicts = site.verdicts;
    this.load = load;
    this.open = open;
    this.data = null;
    this.shown = PAGE;
    this.words = null;
    this.version = null;
    this.failed = false;
    this.reading = false;
    const fold = $('changes-fold');
    fold.addEventListener('toggle', () => { if (fold.open) { this.read(); } });
    $('changes-more').addEventListener('click', () => {
      this.shown += PAGE;
      this.rows();
    });
  }

  // Read the list once (again after a failure), then show its rows.
  async read() {
    if (this.data || this.reading) { return; }
    this.reading = true;
    this.failed = false;
    put($('changes-list'), '');
    $('changes-list').append(make('li', this.words.text('site.loading')));
    try {
      this.data = await this.load();
    } catch (error) {
      this.failed = true;
    }
    this.reading = false;
    this.rows();
  }

  // The heading and the intro now, the rows once the file is read (words, version: now).
  show(words, version) {
    this.words = words;
    this.version = version;
    const s = this.summary;
    put($('changes-heading'), words.text('site.changes_header', {before: s.before, after: s.after}));
    const key = s.parcels ? 'changes.intro' : 'changes.none';
    put($('changes-intro'), words.text(key, {parcels: s.parcels.toLocaleString('en-US'),
      flipped: (s.flips[version] || 0).toLocaleString('en-US'), before: s.before, after: s.after}));
    if (this.data || this.failed) { this.rows(); }
    else if ($('changes-fold').open) { this.read(); }  // opened before the page was ready
  }

  rows() {
    const list = $('changes-list');
    list.textContent = '';
    const more = $('changes-more');
    more.hidden = true;
    if (this.failed) {
      list.append(make('li', this.words.text('site.changes_failed')));
      return;
    }
    const order = this.data.order[this.version] || [];
    const flipped = new Set(this.data.flipped[this.version] || []);
    for (const i of order.slice(0, this.shown)) { list.append(this.row(i, flipped.has(i))); }
    if (order.length > this.shown) {
      more.hidden = false;
      put(more, this.words.text('site.changes_more', {count: Math.min(PAGE, order.length - this.shown)}));
    }
  }

  row(i, flipped) {
    const d = this.data;
    const words = this.words;
    const item = make('li', null, flipped ? 'change flipped' : 'change');
    const name = `${d.address[i] || words.text('card.no_address')} · APN ${d.apn[i]}`;
    if (d.row[i] === null) {
      item.append(make('strong', name));  // gone from the data: no card to open
    } else {
      const open = make('button', name, 'change-parcel');
      open.type = 'button';
      open.addEventListener('click', () => this.open(d.row[i], {lon: d.lon[i], lat: d.lat[i]}));
      item.append(open);
    }
    item.append(make('span', words.text('site.changes_what', {changes: this.what(i)}), 'change-what'));
    const [before, after] = d.verdicts[this.version][i];
    const verdict = make('span', words.text('site.changes_verdict',
      {before: this.verdict(before), after: this.verdict(after)}), 'change-verdict');
    if (flipped) { verdict.append(' ', make('strong', words.text('changes.flipped'), 'flip')); }
    item.append(verdict);
    return item;
  }

  // The kinds of change in the reader's words, with the land uses and the related APNs.
  what(i) {
    const d = this.data;
    const words = this.words;
    return d.change[i].map((k) => {
      const kind = this.summary.kinds[k];
      const change = words.text('change.' + kind);
      if (kind === 'land_use') {
        const [before, after] = d.land_use[i];
        return words.text('site.changes_values', {change: change, before: before, after: after});
      }
      if ((kind === 'split' || kind === 'merged') && d.related[i].length) {
        return words.text('site.changes_from', {change: change, apns: d.related[i].join(', ')});
      }
      return change;
    }).join(', ');
  }

  verdict(code) {
    if (code === null || code === undefined) { return this.words.text('site.changes_absent'); }
    const codes = Array.isArray(code) ? code : [code];
    return codes.map((c) => this.words.text('verdict.' + this.verdicts[c])).join(' / ');
  }
}
