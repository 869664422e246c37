/* The published site's words in one language (data/words-<lang>.json, written by
 * publish from the catalogs and the profile). Values fill {name} fields as the
 * catalogs' Python side does; a catalog's **bold** becomes <strong>. Text reaches the page
 * through textContent only.
 */

export function fill(text, values) {
  if (!values) { return text; }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export class Words {
  constructor(file) {
    this.file = file;
    this.lang = file.lang;
  }

  // A key's text with its values filled in (the key itself when the catalog lacks it).
  text(key, values) { return fill(this.file.words[key] || key, values); }

  // The same text without its bold markers (for attributes and the document's title).
  plain(key, values) { return this.text(key, values).replace(/\*\*/g, ''); }

  version(id) { return this.file.versions.find((v) => v.id === id) || {id: id, title: id, status: '', note: ''}; }
}

// Put a text with **bold** parts into an element (its old content replaced).
export function put(element, text) {
  element.textContent = '';
  String(text).split('**').forEach((part, i) => {
    if (!part) { return; }
    if (i % 2) {
      const bold = document.createElement('strong');
      bold.textContent = part;
      element.append(bold);
    } else {
      element.append(part);
    }
  });
  return element;
}

// A new element holding a text (bold parts kept).
export function make(tag, text, className) {
  const element = document.createElement(tag);
  if (className) { element.className = className; }
  if (text !== undefined && text !== null) { put(element, text); }
  return element;
}

// Every [data-word] element's text and every [data-word-label] element's label.
export function applyWords(root, words, values) {
  for (const element of root.querySelectorAll('[data-word]')) {
    put(element, words.text(element.dataset.word, values));
  }
  for (const element of root.querySelectorAll('[data-word-label]')) {
    element.setAttribute('aria-label', words.plain(element.dataset.wordLabel, values));
  }
}
