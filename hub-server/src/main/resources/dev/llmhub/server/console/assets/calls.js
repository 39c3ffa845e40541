// Calls: the newest calls first, filtered and searched on the server, with a live tail (server-sent
// events) that puts new calls on top as they are recorded.
import { h, replace, badge } from './dom.js';
import { get, query } from './api.js';
import * as fmt from './format.js';

const FILTERS = ['q', 'status', 'model', 'user', 'key', 'destination', 'outcome', 'from', 'to'];
const OUTCOMES = ['delivered', 'pending', 'retrying', 'failed', 'not_sent'];
const MAX_ROWS = 1000;

let source = null;

function filtersFromUrl() {
  const p = new URLSearchParams(location.search);
  const f = {};
  for (const k of FILTERS) f[k] = p.get(k) || '';
  return f;
}

function destinationCell(destinations) {
  return h('td', { class: 'destinations' }, Object.entries(destinations || {}).map(([name, state]) =>
    h('span', { class: 'dest', title: name + ': ' + state.replace('_', ' ') }, h('span', { class: 'dest-name' }, name),
      badge(state))));
}

function row(c) {
  const link = '/ui/calls/' + encodeURIComponent(c.id) + '?offset=' + c.offset;
  return h('tr', { 'data-id': c.id, class: c.status === 'failure' ? 'failed' : null },
    h('td', { class: 'time' }, h('a', { href: link, title: c.id }, fmt.time(c.time))),
    h('td', {}, badge(c.status)),
    h('td', {}, c.model),
    h('td', {}, c.deployment ?? '–'),
    h('td', {}, c.user ?? '–'),
    h('td', { class: 'key' }, c.key ?? '–'),
    h('td', { class: 'num' }, fmt.count(c.prompt_tokens) + ' / ' + fmt.count(c.completion_tokens)),
    h('td', { class: 'num' }, fmt.cost(c.cost)),
    h('td', { class: 'num' }, fmt.ms(c.latency_ms)),
    h('td', { class: 'num' }, fmt.ms(c.ttft_ms)),
    destinationCell(c.destinations));
}

function select(name, value, options, label) {
  return h('select', { name, id: 'f-' + name, 'aria-label': label },
    h('option', { value: '' }, label),
    options.map((o) => h('option', { value: o, selected: o === value }, o.replace('_', ' '))));
}

function input(name, value, placeholder, type = 'text') {
  return h('input', { name, id: 'f-' + name, type, value, placeholder, 'aria-label': placeholder });
}

export async function render(main) {
  const f = filtersFromUrl();
  let names = [];
  try {
    names = (await get('/ui/api/destinations')).destinations.map((d) => d.name);
  } catch (e) {
    // the list still works without the destination choice
  }
  const live = h('input', { type: 'checkbox', id: 'live', checked: !f.to });
  const form = h('form', { class: 'filters', id: 'filters' },
    input('q', f.q, 'search: call id, trace id, user, metadata or name=value'),
    select('status', f.status, ['success', 'failure'], 'any status'),
    input('model', f.model, 'model'),
    input('user', f.user, 'user'),
    input('key', f.key, 'key alias or hash'),
    select('destination', f.destination, names, 'any destination'),
    select('outcome', f.outcome, OUTCOMES, 'any outcome'),
    h('label', {}, 'from ', input('from', fmt.toLocal(f.from), 'from', 'datetime-local')),
    h('label', {}, 'to ', input('to', fmt.toLocal(f.to), 'to', 'datetime-local')),
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'button', class: 'quiet', onclick: () => { location.assign('/ui/calls'); } }, 'Clear'),
    h('label', { class: 'live' }, live, ' live'));
  const status = h('p', { class: 'muted', id: 'calls-status', 'aria-live': 'polite' }, 'Loading…');
  const tbody = h('tbody', { id: 'calls-body' });
  const more = h('button', { type: 'button', id: 'older', class: 'quiet' }, 'Older calls');
  more.hidden = true;
  const list = h('table', { id: 'calls', class: 'calls' },
    h('thead', {}, h('tr', {}, ['Time', 'Status', 'Model', 'Deployment', 'User', 'Key', 'Tokens in / out', 'Cost',
      'Latency', 'TTFT', 'Destinations'].map((c) => h('th', {}, c)))),
    tbody);
  replace(main, h('h1', {}, 'Calls'), form, status, list, more);

  const current = () => {
    const data = new FormData(form);
    const v = {};
    for (const k of FILTERS) v[k] = (data.get(k) || '').toString().trim();
    v.from = fmt.toInstant(v.from);
    v.to = fmt.toInstant(v.to);
    return v;
  };

  let next = null;
  let shown = 0;
  let complete = true;
  let since = '';

  async function load(before) {
    const filters = current();
    const page = await get('/ui/api/calls' + query({ ...filters, before }));
    if (!before) {
      replace(tbody);
      shown = 0;
    }
    for (const c of page.calls) {
      tbody.appendChild(row(c));
      shown++;
    }
    next = page.next_before;
    more.hidden = next === null;
    complete = page.complete;
    since = page.journal.oldest_time ? ' The journal holds calls since ' + fmt.time(page.journal.oldest_time) + '.' : '';
    describe();
    return page;
  }

  function describe() {
    status.textContent = (shown === 0 ? 'No calls match.' : shown + ' call(s) shown, newest first.')
      + (complete ? '' : ' The search paused after 2 s; "Older calls" goes on.') + since;
  }

  function tail(after) {
    if (source) source.close();
    source = null;
    live.dataset.connected = 'no';
    const filters = current();
    if (!live.checked || filters.to) return;
    source = new EventSource('/ui/api/calls/stream' + query({ ...filters, after }));
    // marks the tail as connected (for people: the checkbox's tooltip; for the browser tests: an attribute)
    source.addEventListener('open', () => { live.dataset.connected = 'yes'; live.title = 'connected'; });
    source.addEventListener('error', () => { live.dataset.connected = 'no'; live.title = 'reconnecting…'; });
    source.addEventListener('call', (event) => {
      const c = JSON.parse(event.data);
      if (tbody.querySelector('tr[data-id="' + CSS.escape(c.id) + '"]')) return;
      const tr = row(c);
      tr.classList.add('new');
      tbody.insertBefore(tr, tbody.firstChild);
      shown++;
      while (tbody.rows.length > MAX_ROWS) {
        tbody.deleteRow(tbody.rows.length - 1);
        shown--;
      }
      describe();
    });
  }

  async function search() {
    const filters = current();
    history.replaceState(null, '', '/ui/calls' + query(filters));
    const page = await load(null);
    tail(page.newest_offset);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search().catch((e) => { status.textContent = 'Search failed: ' + e.message; });
  });
  live.addEventListener('change', () => search().catch((e) => { status.textContent = e.message; }));
  more.addEventListener('click', () => load(next).catch((e) => { status.textContent = e.message; }));
  await search();
}
