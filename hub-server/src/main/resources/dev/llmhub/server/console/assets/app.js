// The console's entry point: picks the page from the path and renders it into <main>.
import { h, replace } from './dom.js';
import { post } from './api.js';
import * as calls from './calls.js';
import * as call from './call.js';
import * as destinations from './destinations.js';
import * as plugins from './plugins.js';

function route(path) {
  const m = path.match(/^\/ui\/calls\/([^/]+)$/);
  if (m) return { page: call, nav: 'calls', arg: decodeURIComponent(m[1]) };
  if (path === '/ui/destinations') return { page: destinations, nav: 'destinations' };
  if (path === '/ui/plugins') return { page: plugins, nav: 'plugins' };
  return { page: calls, nav: 'calls' };
}

async function start() {
  const main = document.getElementById('main');
  const r = route(location.pathname);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.getAttribute('data-nav') === r.nav) a.classList.add('current');
  }
  document.getElementById('logout').addEventListener('click', async () => {
    try {
      await post('/ui/api/logout');
    } finally {
      location.assign('/ui/login');
    }
  });
  try {
    await r.page.render(main, r.arg);
  } catch (e) {
    replace(main, h('p', { class: 'error', role: 'alert' }, 'Could not load this page: ' + e.message));
  }
}

start();
