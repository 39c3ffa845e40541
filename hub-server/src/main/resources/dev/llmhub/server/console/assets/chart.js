// A destination's last hour as a small SVG: bars for records delivered per minute, a line for the mean
// export latency. Plain SVG built with DOM calls: two series of 60 points do not need a chart library.
const NS = 'http://www.w3.org/2000/svg';
const W = 360;
const H = 90;
const PAD = 14;

function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * @param {Array} minutes [{start, exported, failed, mean_export_ms, ...}] oldest first
 * @returns {SVGElement}
 */
export function timelineChart(minutes) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' });
  const maxRecords = Math.max(1, ...minutes.map((m) => m.exported + m.failed));
  const maxMs = Math.max(1, ...minutes.map((m) => m.mean_export_ms));
  const total = minutes.reduce((s, m) => s + m.exported, 0);
  svg.appendChild(el('title', {}, `last hour: ${total} record(s) delivered; peak ${maxRecords}/min; `
    + `slowest mean export ${maxMs.toFixed(1)} ms`));
  const step = (W - 2) / minutes.length;
  const plot = H - PAD;
  minutes.forEach((m, i) => {
    const x = 1 + i * step;
    const ok = (m.exported / maxRecords) * (plot - 4);
    const bad = (m.failed / maxRecords) * (plot - 4);
    if (ok > 0) svg.appendChild(el('rect', { x, y: plot - ok, width: Math.max(1, step - 1), height: ok, class: 'bar' }));
    if (bad > 0) {
      svg.appendChild(el('rect', { x, y: plot - ok - bad, width: Math.max(1, step - 1), height: bad, class: 'bar-failed' }));
    }
  });
  // latency only where there were exports: a dot per minute, joined while minutes follow each other
  let run = [];
  const flush = () => {
    if (run.length > 1) svg.appendChild(el('polyline', { points: run.join(' '), class: 'latency' }));
    run = [];
  };
  minutes.forEach((m, i) => {
    if (m.exports === 0) {
      flush();
      return;
    }
    const x = (1 + i * step + step / 2).toFixed(1);
    const y = (plot - (m.mean_export_ms / maxMs) * (plot - 4)).toFixed(1);
    run.push(`${x},${y}`);
    svg.appendChild(el('circle', { cx: x, cy: y, r: 1.8, class: 'latency-dot' }));
  });
  flush();
  svg.appendChild(el('line', { x1: 0, y1: plot, x2: W, y2: plot, class: 'axis' }));
  svg.appendChild(el('text', { x: 2, y: H - 2, class: 'label' }, '-60 min'));
  svg.appendChild(el('text', { x: W - 2, y: H - 2, class: 'label end' }, 'now'));
  svg.appendChild(el('text', { x: W / 2, y: H - 2, class: 'label middle' },
    `bars: records/min (max ${maxRecords}) · line: mean export (max ${maxMs.toFixed(1)} ms)`));
  return svg;
}
