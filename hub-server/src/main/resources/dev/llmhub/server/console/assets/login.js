// The login form: the master key is sent once; the answer sets an HttpOnly session cookie.
const form = document.getElementById('login');
const error = document.getElementById('login-error');

function next() {
  const n = new URLSearchParams(location.search).get('next');
  return n && n.startsWith('/ui/') && !n.startsWith('//') ? n : '/ui/calls';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const key = document.getElementById('key').value;
  try {
    const res = await fetch('/ui/api/login', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ key }),
    });
    if (res.ok) {
      location.assign(next());
      return;
    }
    const body = await res.json().catch(() => null);
    error.textContent = body && body.error ? body.error.message : 'login failed (' + res.status + ')';
  } catch (e) {
    error.textContent = 'login failed: ' + e.message;
  }
});
