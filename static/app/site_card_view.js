/* The answer card on the page: a sheet over the bottom of the map on a phone, a panel
 * beside it on a wider screen (site.css). It shows a card model (site_cards.js) with
 * textContent only, and offers the link (copy, the phone's share sheet) and a printable
 * sheet. The heading takes the focus and the status line announces the answer.
 */

import {make, put} from './site_words.js';

const $ = (id) => document.getElementById(id);

function button(text, onClick) {
  const b = make('button', text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/* Show a card: model from cardModel(); actions {link(): URL text, print(), full: the full
 * site's link (in an embedded map) or null}; words. */
export function showCard(model, words, actions) {
  const box = $('card');
  const body = $('card-body');
  $('card-heading').textContent = model.heading;
  body.textContent = '';
  const verdict = make('p', null, 'verdict verdict-' + model.verdict.replace(' ', '-'));
  const swatch = make('span', null, 'swatch swatch-' + model.category);
  swatch.setAttribute('aria-hidden', 'true');
  verdict.append(swatch, make('strong', model.verdictText));
  body.append(verdict);
  if (model.changed) { body.append(make('p', model.changed, 'changed')); }  // since the last fetch
  body.append(make('p', model.means));
  if (model.review) { body.append(make('p', model.review, 'review')); }
  const why = make('ul', null, 'reasons');
  for (const reason of model.reasons) { why.append(make('li', reason)); }
  body.append(make('p', words.text('card.why'), 'why'), why);
  body.append(make('p', model.facts, 'facts'));
  if (model.district) { body.append(make('p', model.district, 'facts')); }
  body.append(make('p', model.source + ' · ' + model.version, 'facts'));
  if (model.record) {
    const a = make('a', words.text('card.record'));
    a.href = model.record;
    a.rel = 'noopener noreferrer';
    a.title = words.plain('card.record_help');
    const record = make('p', null, 'record');
    record.append(a);
    body.append(record);
  }
  body.append(cardActions(words, actions));
  box.hidden = false;
  box.dataset.row = String(model.row);
  $('status').textContent = model.heading + '. ' + model.verdictText;
}

function cardActions(words, actions) {
  const row = make('div', null, 'actions');
  const said = make('span', null, 'said');
  said.setAttribute('role', 'status');
  row.append(button(words.text('site.copy_link'), async () => {
    try {
      await navigator.clipboard.writeText(actions.link());
      put(said, words.text('site.copied'));
    } catch (error) {
      put(said, words.text('site.copy_failed'));
    }
  }));
  if (navigator.share) {
    row.append(button(words.text('site.share'), () => {
      navigator.share({title: document.title, url: actions.link()}).catch(() => {});
    }));
  }
  row.append(button(words.text('card.sheet'), actions.print));
  if (actions.full) {
    const full = make('a', words.text('site.full_map'));
    full.href = actions.full();
    full.target = '_blank';
    full.rel = 'noopener';
    row.append(full);
  }
  row.append(said);
  return row;
}

// A card that says something instead of a parcel (loading, not found, an error).
export function showMessage(heading, text) {
  const box = $('card');
  $('card-heading').textContent = heading;
  $('card-body').textContent = '';
  if (text) { $('card-body').append(make('p', text)); }
  box.hidden = false;
  delete box.dataset.row;
  $('status').textContent = [heading, text].filter(Boolean).join('. ');
}

export function hideCard() {
  const box = $('card');
  box.hidden = true;
  delete box.dataset.row;
}
