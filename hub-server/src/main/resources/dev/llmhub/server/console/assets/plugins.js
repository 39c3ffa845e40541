// Plugins and config: installed zips, load errors, reload; the running config (redacted) and the last reload.
import { h, replace, badge, facts, table } from './dom.js';
import { get, post } from './api.js';
import * as fmt from './format.js';

export async function render(main) {
  const note = h('p', { id: 'action-result', role: 'status', 'aria-live': 'polite' });
  const pluginsBox = h('div', { id: 'plugins' });
  const configBox = h('div', { id: 'config' });
  const say = (text, error) => {
    note.textContent = text;
    note.className = error ? 'error' : 'ok';
  };
  async function refresh() {
    const [p, c] = await Promise.all([get('/ui/api/plugins'), get('/ui/api/config')]);
    replace(pluginsBox,
      h('p', { class: 'muted' }, 'Plugins directory: ' + p.plugins_dir),
      table(['Plugin', 'Version', 'File', 'State', 'Names', 'Error'], p.plugins.map((x) =>
        h('tr', { 'data-id': x.id },
          h('td', {}, x.id), h('td', {}, x.version), h('td', {}, x.file), h('td', {}, badge(x.state)),
          h('td', {}, (x.names || []).join(', ')), h('td', { class: 'reason' }, x.error ?? '')))),
      p.lanes.filter((l) => l.error).map((l) => h('p', { class: 'error' }, l.name + ': ' + l.error)));
    const r = c.last_reload;
    replace(configBox,
      h('h3', {}, 'Last reload'),
      facts([
        ['When', fmt.time(r.time) + ' (' + r.trigger + ')'],
        ['Result', r.applied ? 'applied' : 'refused, the running config stays'],
        ['Error', r.error],
        ['Changes', r.changes.length ? r.changes.join('; ') : 'none'],
        ['Warnings', r.warnings.length ? r.warnings.join('; ') : 'none'],
      ]),
      h('h3', {}, 'Running config (secrets redacted)'),
      h('pre', { id: 'running-config' }, fmt.json(c.config)));
  }
  const reloadPlugins = h('button', { type: 'button', id: 'reload-plugins', onclick: async () => {
    try {
      const r = await post('/ui/api/plugins/reload');
      say('plugins reloaded: loaded ' + r.loaded.length + ', replaced ' + r.replaced.length + ', unloaded '
        + r.unloaded.length + ', failed ' + r.failed.length);
    } catch (e) {
      say(e.message, true);
    }
    await refresh();
  } }, 'Reload plugins');
  const reloadConfig = h('button', { type: 'button', id: 'reload-config', onclick: async () => {
    try {
      const r = await post('/ui/api/config/reload');
      say('config reloaded: ' + (r.changes.length ? r.changes.join('; ') : 'nothing changed'));
    } catch (e) {
      say(e.message, true);
    }
    await refresh();
  } }, 'Reload config');
  replace(main, h('h1', {}, 'Plugins and config'), note,
    h('section', {}, h('h2', {}, 'Plugins ', reloadPlugins), pluginsBox),
    h('section', {}, h('h2', {}, 'Config ', reloadConfig), configBox));
  await refresh();
}
