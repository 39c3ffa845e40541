// Building the page from data without ever parsing data as HTML: every value becomes a text node
// (or an attribute from a short allow-list), so message content, metadata and error messages -
// hostile input - can only ever show as text. The page's Content-Security-Policy also enforces
// Trusted Types: the HTML-writing properties throw if anything tries.

const ATTRIBUTES = new Set(['class', 'href', 'title', 'type', 'name', 'value', 'placeholder', 'id', 'for',
  'colspan', 'role', 'min', 'max', 'step', 'selected', 'checked', 'disabled', 'open', 'aria-label',
  'aria-live', 'data-state', 'data-id', 'data-nav', 'autocomplete']);

/**
 * Creates an element.
 * @param {string} tag
 * @param {object} props attributes (allow-listed), and on<event> functions
 * @param {...any} children strings, numbers, nodes, arrays; null and undefined are skipped
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (ATTRIBUTES.has(k)) {
      if (k === 'href' && !safeHref(String(v))) throw new Error('refusing link ' + v);
      el.setAttribute(k, v === true ? '' : String(v));
    } else {
      throw new Error('attribute not allowed: ' + k);
    }
  }
  append(el, children);
  return el;
}

/** Only this console's own pages are linked. */
function safeHref(v) {
  return v.startsWith('/ui/') && !v.startsWith('//');
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function replace(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
}

/** A small state badge: delivered, pending, retrying, failed, not_sent, active, paused… */
export function badge(state) {
  return h('span', { class: 'badge', 'data-state': state }, state.replace('_', ' '));
}

/** A definition list from [label, value] pairs; null values are shown as a dash. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '–')]));
}

/** A table from column labels and rows of cells. */
export function table(columns, rows, props = {}) {
  return h('table', props,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, rows));
}
