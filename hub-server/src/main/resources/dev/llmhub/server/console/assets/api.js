// The console's JSON API (/ui/api, same origin). Changes carry the session's CSRF token.

let csrf;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function answer(res) {
  if (res.status === 401) {
    location.assign('/ui/login?next=' + encodeURIComponent(location.pathname + location.search));
    throw new ApiError(401, 'not logged in');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const message = body && body.error ? body.error.message : res.status + ' ' + res.statusText;
    throw new ApiError(res.status, message);
  }
  return body;
}

export async function get(path) {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return answer(res);
}

async function csrfToken() {
  if (csrf === undefined) {
    csrf = (await get('/ui/api/session')).csrf_token;
  }
  return csrf;
}

export async function post(path) {
  const token = await csrfToken();
  const headers = { Accept: 'application/json' };
  if (token) headers['X-LLMHub-CSRF'] = token;
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers });
  return answer(res);
}

/** @returns a query string from an object, without empty values */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
