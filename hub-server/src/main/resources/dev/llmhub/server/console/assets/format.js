// Numbers and times as people read them.

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function ms(v) {
  if (v === null || v === undefined) return '–';
  return v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
}

export function cost(v) {
  if (v === null || v === undefined) return '–';
  return '$' + (v >= 0.01 ? v.toFixed(4) : v.toPrecision(3));
}

export function count(v) {
  if (v === null || v === undefined) return '–';
  return Number(v).toLocaleString('en-US');
}

export function bytes(v) {
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KiB`;
  if (v < 1024 * 1024 * 1024) return `${(v / 1024 / 1024).toFixed(1)} MiB`;
  return `${(v / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function seconds(v) {
  if (!v) return '0 s';
  if (v < 120) return `${v.toFixed(1)} s`;
  if (v < 7200) return `${(v / 60).toFixed(1)} min`;
  return `${(v / 3600).toFixed(1)} h`;
}

/** A datetime-local input's value as an ISO instant, or '' */
export function toInstant(local) {
  if (!local) return '';
  const d = new Date(local);
  return isNaN(d.getTime()) ? '' : d.toISOString();
}

/** An ISO instant as a datetime-local input's value, or '' */
export function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** JSON as indented text (shown with textContent, never parsed as markup). */
export function json(v) {
  return JSON.stringify(v, null, 2);
}
