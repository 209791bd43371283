// The status page: polls /api/status and redraws. Chart.js comes from its Maven Central webjar.
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function lineChart(id, logarithmic) {
  return new Chart(document.getElementById(id), {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      scales: {
        x: { type: 'linear', ticks: { callback: v => new Date(v).toLocaleTimeString() } },
        // a log axis with no data yet would span nothing sensible: hint at a range lags live in
        y: logarithmic ? { type: 'logarithmic', suggestedMin: 0.1, suggestedMax: 10 } : { type: 'linear', beginAtZero: true }
      },
      plugins: { legend: { position: 'bottom' } }
    }
  });
}

const freshnessChart = lineChart('freshness', true);
const throughputChart = lineChart('throughput', false);

const MIN_SPAN_MS = 60_000;
const MAX_SPAN_MS = 10 * 60_000;

// The time axis always ends at the server's now and reaches back over the data there is (one minute at least, the
// ten minutes the server keeps at most): left to itself, Chart.js spans 0..1 on an empty chart, which the tick labels
// turned into a reversed axis of days since 1970.
function setSeries(chart, series, now) {
  const entries = Object.entries(series);
  const oldest = Math.min(now, ...entries.flatMap(([, points]) => points.map(([t]) => t)));
  const span = Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, now - oldest));
  chart.options.scales.x.min = now - span;
  chart.options.scales.x.max = now;
  chart.data.datasets = entries.map(([name, points], i) => ({
    label: name,
    data: points.map(([t, v]) => ({ x: t, y: v })),
    borderColor: COLORS[i % COLORS.length],
    pointRadius: 0,
    borderWidth: 2
  }));
  chart.update('none');
  // what was drawn, for the browser test (and for a person's dev tools)
  const canvas = chart.canvas;
  canvas.dataset.xMin = String(chart.scales.x.min);
  canvas.dataset.xMax = String(chart.scales.x.max);
  canvas.dataset.series = String(entries.length);
  canvas.dataset.points = String(entries.reduce((n, [, points]) => n + points.length, 0));
}

function fillTable(id, rows) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren(...rows.map(cells => {
    const tr = document.createElement('tr');
    cells.forEach(c => { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); });
    return tr;
  }));
}

function fmt(v, digits) {
  return typeof v === 'number' ? v.toFixed(digits) : (v ?? '');
}

async function refresh() {
  try {
    const status = await (await fetch('/api/status')).json();
    document.getElementById('clock').textContent = new Date(status.now).toLocaleString();
    const p99 = Object.fromEntries(Object.entries(status.freshness).filter(([k]) => k.endsWith(':p99')));
    setSeries(freshnessChart, p99, status.now);
    const busy = Object.fromEntries(Object.entries(status.throughput).filter(([k]) => !k.endsWith('.dlq')));
    setSeries(throughputChart, busy, status.now);
    fillTable('totals', Object.entries(status.totals).filter(([k, v]) => !k.endsWith('.dlq') || v > 0));
    fillTable('cycles', status.training.map(c => [c.cycle, c.finished ? new Date(c.finished).toLocaleTimeString() : '',
      fmt(c.loss, 3), fmt(c.recallAt10, 3), c.outcome, c.version ?? '']));
    const trainer = status.trainer ?? {};
    document.getElementById('trainer-state').textContent = Object.keys(trainer).length === 0 ? ''
      : Object.entries(trainer).map(([k, v]) => k + ': ' + v).join(' | ');
    document.getElementById('trainer-state').className = trainer['failures in a row'] ? 'alarm' : 'muted';
    const serving = document.getElementById('serving');
    const entries = Object.entries(status.serving);
    serving.replaceChildren(...(entries.length ? entries : [['model', 'not loaded']]).flatMap(([k, v]) => {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = typeof v === 'number' ? fmt(v, Number.isInteger(v) ? 0 : 1) : v;
      return [dt, dd];
    }));
    if (Object.values(status.totals).some(v => v > 0)) {
      document.body.dataset.ready = 'true';
    }
  } catch (e) {
    document.getElementById('clock').textContent = 'platform not answering';
  }
}

document.getElementById('ask').addEventListener('submit', async event => {
  event.preventDefault();
  const user = document.getElementById('user').value.trim();
  const answer = document.getElementById('answer');
  const response = await fetch('/api/recommend?user=' + encodeURIComponent(user));
  const body = await response.json();
  if (!response.ok) {
    answer.textContent = body.error;
    return;
  }
  const list = items => '<ol>' + items.map(i => `<li>${escapeHtml(i.title ?? i.videoId)} <span class="muted">${escapeHtml(i.videoId)}</span></li>`).join('') + '</ol>';
  answer.innerHTML = `<p>Recently watched:</p>${list(body.history)}<p>Recommended by model version ${escapeHtml(String(body.modelVersion))} (${escapeHtml(body.source)}):</p>${list(body.items)}`;
});

document.getElementById('cycle-now').addEventListener('click', async () => {
  const note = document.getElementById('cycle-request');
  const response = await fetch('/api/trainer/cycle', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}'
  });
  const body = await response.json();
  note.textContent = !response.ok ? body.error : body.merged
    ? 'already requested (' + body.requestId.slice(0, 8) + '): one cycle answers both'
    : 'requested (' + body.requestId.slice(0, 8) + '): it starts when the running cycle ends';
});

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

refresh();
setInterval(refresh, 2000);
