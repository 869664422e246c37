// Runs static/app/site_cards.js in Node on a published folder (tests/unit/test_site_cards.py).
// stdin: {"cards": URL of site_cards.js, "words": URL of site_words.js, "site": the folder,
//         "asks": [{"row", "version", "lang"}]}
// stdout: [card model, ...] in the order asked, and what each read, as {"model", "loaded"}
import {readFileSync} from 'node:fs';
import {join} from 'node:path';

const input = JSON.parse(readFileSync(0, 'utf-8'));
const {CardStore} = await import(input.cards);
const {Words} = await import(input.words);
const read = (path) => JSON.parse(readFileSync(join(input.site, 'data', path), 'utf-8'));
const site = read('site.json');
const out = [];
for (const ask of input.asks) {
  const loaded = [];
  const store = new CardStore(async (path) => { loaded.push(path); return read(join('cards', path)); });
  const words = new Words(read(`words-${ask.lang}.json`));
  out.push({model: await store.card(ask.row, ask.version, words, site), loaded: loaded});
}
process.stdout.write(JSON.stringify(out));
