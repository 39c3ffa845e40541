// Destinations: per lane its state, lag, counters, last hour, last error; pause, resume, replay.
import { h, replace, badge, facts } from './dom.js';
import { get, post, query } from './api.js';
import { timelineChart } from './chart.js';
import * as fmt from './format.js';

const REFRESH_MS = 5000;

function lane(d, refresh, say) {
  const act = async (what, path) => {
    try {
      await post(path);
      await refresh();
      say(what);
    } catch (e) {
      say(e.message, true);
    }
  };
  const base = '/ui/api/destinations/' + encodeURIComponent(d.name);
  const from = h('input', { type: 'datetime-local', step: 1, name: 'from', 'aria-label': 'replay from' });
  const replay = h('form', { class: 'replay' },
    h('label', {}, 'Replay from ', from),
    h('button', { type: 'submit' }, 'Replay'));
  replay.addEventListener('submit', (event) => {
    event.preventDefault();
    const at = fmt.toInstant(from.value);
    if (!at) {
      say('choose a time to replay from', true);
      return;
    }
    act(`${d.name}: replaying from ${fmt.time(at)}`, base + '/replay' + query({ from: at }));
  });
  const paused = d.state === 'paused';
  return h('article', { class: 'lane', 'data-id': d.name },
    h('header', {}, h('h2', {}, d.name), badge(d.state),
      h('span', { class: 'muted' }, d.kind + ' · ' + (d.plugin ? d.plugin + ' ' + d.plugin_version : 'no plugin')
        + ' · receives ' + d.records)),
    h('div', { class: 'lane-body' },
      facts([
        ['Lag', fmt.count(d.lag.records) + ' record(s), ' + fmt.bytes(d.lag.bytes) + ', oldest ' + fmt.seconds(d.lag.oldest_age_seconds)],
        ['Cursor', 'read ' + d.cursor.position + ' · committed ' + d.cursor.committed],
        ['Exported', fmt.count(d.counters.exported)],
        ['Retried', fmt.count(d.counters.retried)],
        ['Failed', fmt.count(d.counters.failed)],
        ['Dropped', fmt.count(d.counters.dropped)],
        ['Last error', d.last_error ? fmt.time(d.last_error.time) + ' · ' + d.last_error.message : null],
        d.error ? ['Plugin', d.error] : null,
      ].filter(Boolean)),
      d.timeline ? timelineChart(d.timeline) : null),
    h('footer', {},
      h('button', { type: 'button', class: 'pause',
        onclick: () => act(d.name + (paused ? ': resumed' : ': paused'), base + (paused ? '/resume' : '/pause')) },
      paused ? 'Resume' : 'Pause'),
      replay));
}

export async function render(main) {
  const note = h('p', { id: 'action-result', role: 'status', 'aria-live': 'polite' });
  const list = h('div', { id: 'lanes' });
  const journal = h('div', {});
  replace(main, h('h1', {}, 'Destinations'), journal, note, list);
  const say = (text, error) => {
    note.textContent = text;
    note.className = error ? 'error' : 'ok';
  };
  let editing = false;
  list.addEventListener('focusin', () => { editing = true; });
  list.addEventListener('focusout', () => { editing = false; });
  async function refresh() {
    const v = await get('/ui/api/destinations');
    const j = v.journal;
    replace(journal, facts([
      ['Journal', j.kind + ' · durability ' + j.durability + ' · ' + fmt.bytes(j.size_bytes) + ' in ' + j.segments
        + ' segment(s) · ' + v.data_dir],
      ['Offsets', j.oldest_offset + ' … ' + j.head_offset + (j.oldest_time ? ' (since ' + fmt.time(j.oldest_time) + ')' : '')],
    ]));
    if (v.destinations.length === 0) {
      replace(list, h('p', { class: 'muted' }, 'No destination is enabled: name some in litellm_settings.callbacks.'));
    } else {
      replace(list, v.destinations.map((d) => lane(d, refresh, say)));
    }
  }
  await refresh();
  setInterval(() => { if (!editing && !document.hidden) refresh().catch(() => {}); }, REFRESH_MS);
}
