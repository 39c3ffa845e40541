// One call: timings, usage, cost, attempts, error, metadata, where its record went per destination, and
// the redacted request and response, loaded only when opened and shown as text.
import { h, replace, badge, facts, table } from './dom.js';
import { get, query } from './api.js';
import * as fmt from './format.js';

function section(title, ...content) {
  return h('section', {}, h('h2', {}, title), content);
}

function deliveries(list) {
  if (list.length === 0) return h('p', { class: 'muted' }, 'No destination is enabled.');
  return table(['Destination', 'State', 'When', 'Why / details', 'Lane'], list.map((d) =>
    h('tr', { 'data-id': d.name, 'data-state': d.state },
      h('td', {}, d.name),
      h('td', {}, badge(d.state)),
      h('td', {}, d.time ? fmt.time(d.time) : '–'),
      h('td', { class: 'reason' }, d.reason ?? ''),
      h('td', {}, d.lane_state + (d.lag_records ? ' · ' + fmt.count(d.lag_records) + ' behind' : '')))),
  { id: 'deliveries' });
}

function messages(list) {
  return (list || []).map((m) => h('div', { class: 'message' },
    h('div', { class: 'role' }, String(m.role ?? '')),
    h('pre', { class: 'content' }, typeof m.content === 'string' ? m.content : fmt.json(m.content))));
}

/** A part loaded when its <details> is first opened. */
function lazy(title, id, path, show) {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const details = h('details', { id }, h('summary', {}, title), body);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      replace(body, show(await get(path)));
    } catch (e) {
      loaded = false;
      replace(body, h('p', { class: 'error' }, e.message));
    }
  });
  return details;
}

export async function render(main, id) {
  const offset = new URLSearchParams(location.search).get('offset');
  const base = '/ui/api/calls/' + encodeURIComponent(id);
  const hint = query({ offset });
  const page = await get(base + hint);
  const c = page.call;
  const r = page.record;
  const attempts = r.attempts || [];
  replace(main,
    h('p', {}, h('a', { href: '/ui/calls' }, '← Calls')),
    h('h1', {}, 'Call ', h('code', { id: 'call-id' }, c.id), ' ', badge(c.status)),
    section('Summary', facts([
      ['Model', c.model + (r.response_model ? ' → ' + r.response_model : '')],
      ['Model group', r.model_group],
      ['Deployment', c.deployment],
      ['Provider', r.provider],
      ['Type', c.call_type + (c.stream ? ' (streamed)' : '')],
      ['User', c.user],
      ['Key', c.key],
      ['Client', (r.client_ip ?? '–') + (r.user_agent ? ' · ' + r.user_agent : '')],
      ['Trace', r.trace_id],
    ])),
    section('Timings', facts([
      ['Started', fmt.time(r.start_time)],
      ['First token', r.first_token_time ? fmt.time(r.first_token_time) + ' (' + fmt.ms(c.ttft_ms) + ')' : null],
      ['Ended', fmt.time(r.end_time)],
      ['Latency', fmt.ms(c.latency_ms)],
      ['Upstream', fmt.ms(r.upstream_latency_ms)],
      ['Proxy overhead', fmt.ms(r.overhead_ms)],
    ])),
    section('Usage and cost', facts([
      ['Prompt tokens', fmt.count(r.usage.prompt_tokens)],
      ['Completion tokens', fmt.count(r.usage.completion_tokens)],
      ['Total tokens', fmt.count(r.usage.total_tokens) + ' (' + r.usage.source + ')'],
      ['Cost', r.cost ? fmt.cost(r.cost.total) + ' ' + r.cost.currency + ' (' + r.cost.source.replace('_', ' ') + ')' : null],
    ])),
    r.error ? section('Error', facts([
      ['Type', r.error.type], ['Message', r.error.message], ['Status', r.error.status], ['Code', r.error.code]])) : null,
    attempts.length ? section('Attempts', table(['Deployment', 'Provider', 'Status', 'Latency', 'Error'],
      attempts.map((a) => h('tr', {}, h('td', {}, a.deployment), h('td', {}, a.provider), h('td', {}, badge(a.status)),
        h('td', {}, fmt.ms(a.latency_ms)), h('td', {}, a.error ? a.error.message : ''))))) : null,
    section('Destinations', deliveries(page.destinations)),
    section('Metadata', h('pre', { id: 'metadata' }, fmt.json(r.metadata))),
    section('Request and response',
      lazy('Request (messages, parameters, headers)', 'request', base + '/request' + hint, (q) => [
        h('h3', {}, 'Messages'), messages(q.messages),
        h('h3', {}, 'Parameters'), h('pre', {}, fmt.json(q.request_params)),
        h('h3', {}, 'Headers'), h('pre', {}, fmt.json(q.headers)),
      ]),
      lazy('Response', 'response', base + '/response' + hint, (q) => q.response
        ? [messages((q.response.choices || []).map((ch) => ch.message || { role: 'text', content: ch.text ?? '' })),
          h('h3', {}, 'As recorded'), h('pre', {}, fmt.json(q.response))]
        : h('p', { class: 'muted' }, 'No response (the call failed).'))));
}
