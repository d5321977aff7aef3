// Small DOM helpers. Text always goes in as text nodes, never parsed as markup, so nothing the API returns can become HTML.

/** An element: h('button', {type: 'button', onclick: f}, 'Save'). Attributes starting with "on" add listeners. */
export function h(tag, attributes = {}, ...children) {
  const svg = ['svg', 'path', 'polyline', 'line', 'text', 'rect', 'g', 'title'].includes(tag);
  const element = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let counter = 0;

/** A labelled control with a place for its error message, linked by aria-describedby. */
export function field(label, control, { hint, name } = {}) {
  const id = control.id || `f${++counter}`;
  control.id = id;
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  const hintNode = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  control.setAttribute('aria-describedby', [hintNode && hintNode.id, error.id].filter(Boolean).join(' '));
  const wrapper = h('div', { class: 'field', dataset: { field: name ?? control.name } },
    h('label', { for: id }, label), control, hintNode, error);
  return wrapper;
}

/** Shows problems next to the fields they name (data-field), the rest in the form's general error box. */
export function showProblems(form, problems, fallback) {
  clearProblems(form);
  const general = form.querySelector('.form-error');
  const unplaced = [];
  for (const { place, text } of problems) {
    const name = place.replace(/^body\//, '').split('/')[0];
    const wrapper = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
    if (!wrapper || !place.startsWith('body/')) {
      unplaced.push(text);
      continue;
    }
    const error = wrapper.querySelector('.field-error');
    error.hidden = false;
    error.append(h('span', {}, text));
    wrapper.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
  }
  if (problems.length === 0 && fallback) unplaced.push(fallback);
  if (unplaced.length) {
    general.hidden = false;
    general.replaceChildren(...unplaced.map(text => h('p', {}, text)));
  }
  const first = form.querySelector('[aria-invalid="true"]') ?? (unplaced.length ? general : null);
  first?.focus();
}

export function clearProblems(form) {
  form.querySelectorAll('.field-error').forEach(e => { e.hidden = true; e.replaceChildren(); });
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  const general = form.querySelector('.form-error');
  if (general) { general.hidden = true; general.replaceChildren(); }
}

/** A general error box for a form: focusable, announced. */
export function formError() {
  return h('div', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
}

/** A table with a caption, or an honest empty state when there are no rows. */
export function table(caption, headings, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-scroll' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headings.map(text => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(cell => h('td', {}, cell)))))));
}

/** Previous/next links for a page of `total` items. */
export function pager(page, go) {
  const { total, limit, offset } = page;
  const last = Math.min(offset + limit, total);
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('span', {}, total ? `${offset + 1}–${last} of ${total}` : '0 of 0'),
    h('button', { type: 'button', disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)) }, 'Previous'),
    h('button', { type: 'button', disabled: last >= total, onclick: () => go(offset + limit) }, 'Next'));
}

/** A failure of a whole view: what went wrong, said plainly. */
export function failure(error) {
  const detail = error?.status === 401 ? 'The credentials were refused (401): sign out and sign in again.'
    : error?.status === 0 ? error.message
    : `${error?.message ?? error} ${error?.status ? `(HTTP ${error.status})` : ''}`;
  return h('div', { class: 'notice error', role: 'alert' }, h('p', {}, detail));
}

/** Announces a short message to screen readers and shows it in the status line. */
let quiet;
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = text;
  clearTimeout(quiet);
  quiet = setTimeout(() => { status.textContent = ''; }, 6000);
}

/** A date as the reader's local time, with the exact value in a <time> element. */
export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return h('time', { datetime: value }, date.toLocaleString());
}

/** A link within the console (hash routes, so the server never sees where you are). */
export function link(route, text, attributes = {}) {
  return h('a', { href: `#${route}`, ...attributes }, text);
}

/** A <select> named `name` offering `options`, `value` selected; `labels` shows some options under another text. */
export function select(name, options, value, labels = {}) {
  return h('select', { name }, options.map(option =>
    h('option', { value: option, selected: String(option) === String(value ?? '') }, labels[option] ?? option)));
}
