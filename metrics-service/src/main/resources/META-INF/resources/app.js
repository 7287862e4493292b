'use strict';
// The live page: pick a sweep, see its batch sizes side by side while they train.
// Plain script over uPlot (from its webjar): no build step. Data flow: subscribe to the sweep's stream, and once
// its first event says the subscription is in place, read the series; later stream events append points.
(function () {
  const API = '/api/v1/sweeps';
  const X_LABEL = {step: 'step', samples: 'samples seen', seconds: 'seconds'};
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#bcbd22', '#7f7f7f'];
  // kind/field: where a stream point carries the value ({step, samples, seconds, <field>}; docs/design.md section 9)
  const CHARTS = [
    {key: 'loss', el: 'chart-loss', title: 'Training loss (thin: every iteration, thick: EMA)', y: 'loss',
      metrics: [{metric: 'train_loss', kind: 'iterations', field: 'loss', raw: true},
        {metric: 'train_loss_ema', kind: 'iterations', field: 'lossEma'}]},
    {key: 'accuracy', el: 'chart-accuracy', title: 'Validation accuracy', y: 'accuracy', dots: true,
      metrics: [{metric: 'val_accuracy', kind: 'validations', field: 'valAccuracy'}]},
    {key: 'variance', el: 'chart-variance', title: 'Gradient variance (spread of micro-batch gradients)',
      y: 'variance', log: true, metrics: [{metric: 'gradient_variance', kind: 'noise', field: 'gradientVariance'}]},
    {key: 'noise', el: 'chart-noise', title: 'Gradient noise scale B_simple (smoothed)', y: 'B_simple',
      metrics: [{metric: 'noise_scale', kind: 'noise', field: 'noiseScale'}]},
  ];

  const state = {
    sweepId: null, x: 'step', runs: [], data: {}, charts: {}, source: null,
    loading: false, pending: [], drawQueued: false, loads: 0,
  };
  window.batchscope = state;

  const $ = (id) => document.getElementById(id);

  function setReady(ready) {
    document.body.dataset.ready = ready ? 'true' : 'false';
    document.body.dataset.x = state.x;
    document.body.dataset.sweep = state.sweepId || '';
    document.body.dataset.loads = String(state.loads);
  }

  async function getJson(url) {
    const response = await fetch(url, {headers: {Accept: 'application/json'}});
    if (!response.ok) {
      throw new Error(url + ': HTTP ' + response.status);
    }
    return response.json();
  }

  // ---- sweep list ------------------------------------------------------------------------------------------------
  async function refreshSweeps() {
    let sweeps;
    try {
      sweeps = await getJson(API);
    } catch (e) {
      $('connection').textContent = 'metrics service unreachable';
      return;
    }
    const select = $('sweep');
    const current = state.sweepId || new URLSearchParams(location.search).get('sweep');
    select.innerHTML = '';
    if (sweeps.length === 0) {
      select.add(new Option('(no sweeps yet)', ''));
    }
    for (const s of sweeps) {
      const label = (s.name ? s.name + ' · ' : '') + s.sweepId + ' (' + s.runs + ' runs; B = '
          + s.batchSizes.join(', ') + ')';
      select.add(new Option(label, s.sweepId));
    }
    if (current && sweeps.some((s) => s.sweepId === current)) {
      select.value = current;
    } else if (!state.sweepId && sweeps.length > 0) {
      select.value = sweeps[0].sweepId;
    }
    if (!state.sweepId && select.value) {
      choose(select.value);
    }
  }

  function choose(sweepId) {
    if (state.source) {
      state.source.close();
      state.source = null;
    }
    state.sweepId = sweepId;
    state.runs = [];
    setReady(false);
    if (!sweepId) {
      return;
    }
    history.replaceState(null, '', '?sweep=' + encodeURIComponent(sweepId));
    connect();
  }

  // ---- stream ----------------------------------------------------------------------------------------------------
  function connect() {
    const source = new EventSource(API + '/' + encodeURIComponent(state.sweepId) + '/stream');
    state.source = source;
    let subscribed = false;
    $('connection').textContent = 'connecting…';
    source.onmessage = (message) => {
      if (source !== state.source) {
        return;
      }
      const update = JSON.parse(message.data);
      if (update.type === 'heartbeat') {
        if (!subscribed) {
          subscribed = true;
          $('connection').textContent = 'live';
          reload();
        }
        return;
      }
      if (state.loading) {
        state.pending.push(update);
      } else {
        applyUpdate(update);
      }
    };
    source.onerror = () => {
      if (source === state.source) {
        subscribed = false;
        $('connection').textContent = 'reconnecting…';
      }
    };
  }

  function applyUpdate(update) {
    for (const run of update.runs) {
      const known = state.runs.find((r) => r.runId === run.runId);
      if (run.reset || !known) {
        reload();
        return;
      }
      known.state = run.state;
      for (const chart of CHARTS) {
        chart.metrics.forEach((m, mi) => {
          const series = state.data[chart.key][mi][run.runId];
          for (const p of run[m.kind]) {
            const x = p[state.x];
            const y = p[m.field];
            if (y === null || y === undefined || (series.xs.length > 0 && x < series.xs[series.xs.length - 1])
                || (series.xs.length > 0 && x === series.xs[series.xs.length - 1] && state.x !== 'seconds')) {
              continue;
            }
            series.xs.push(x);
            series.ys.push(chart.log && y <= 0 ? null : y);
          }
        });
      }
    }
    queueDraw();
  }

  // ---- full read -------------------------------------------------------------------------------------------------
  async function reload() {
    if (state.loading) {
      state.reloadAgain = true;
      return;
    }
    state.loading = true;
    state.pending = [];
    setReady(false);
    const sweepId = state.sweepId;
    const x = state.x;
    try {
      const requests = [];
      for (const chart of CHARTS) {
        for (const m of chart.metrics) {
          requests.push(getJson(API + '/' + encodeURIComponent(sweepId) + '/series?metric=' + m.metric
              + '&x=' + x + '&points=2000'));
        }
      }
      const responses = await Promise.all(requests);
      if (sweepId !== state.sweepId || x !== state.x) {
        return;
      }
      state.runs = responses[0].series.map((s) => ({
        runId: s.runId, batchSize: s.batchSize, seed: s.seed, learningRate: s.learningRate, state: s.state,
      }));
      assignColors(state.runs);
      let k = 0;
      state.data = {};
      for (const chart of CHARTS) {
        state.data[chart.key] = chart.metrics.map(() => ({}));
        for (let mi = 0; mi < chart.metrics.length; mi++) {
          for (const s of responses[k].series) {
            state.data[chart.key][mi][s.runId] = {
              xs: s.points.map((p) => p[0]),
              ys: s.points.map((p) => (chart.log && p[1] <= 0 ? null : p[1])),
            };
          }
          k++;
        }
      }
      state.loading = false;
      for (const update of state.pending) {
        applyUpdate(update);
      }
      state.pending = [];
      drawAll(true);
      state.loads++;
      setReady(true);
      refreshSummary();
    } catch (e) {
      $('connection').textContent = 'could not read the sweep: ' + e.message;
    } finally {
      state.loading = false;
      if (state.reloadAgain) {
        state.reloadAgain = false;
        reload();
      }
    }
  }

  function assignColors(runs) {
    const sizes = [...new Set(runs.map((r) => r.batchSize))].sort((a, b) => a - b);
    const seeds = new Set(runs.map((r) => r.seed));
    for (const r of runs) {
      r.color = PALETTE[sizes.indexOf(r.batchSize) % PALETTE.length];
      r.label = 'B=' + (r.batchSize === null ? '?' : r.batchSize) + (seeds.size > 1 ? ' · seed ' + r.seed : '');
    }
  }

  // ---- charts ----------------------------------------------------------------------------------------------------
  function queueDraw() {
    if (state.drawQueued) {
      return;
    }
    state.drawQueued = true;
    requestAnimationFrame(() => {
      state.drawQueued = false;
      drawAll(false);
    });
  }

  function drawAll(rebuild) {
    for (const chart of CHARTS) {
      const tables = [];
      const series = [{label: X_LABEL[state.x]}];
      for (const run of state.runs) {
        chart.metrics.forEach((m, mi) => {
          const d = state.data[chart.key][mi][run.runId];
          tables.push([d.xs, d.ys]);
          series.push({
            label: run.label + (chart.metrics.length > 1 ? (m.raw ? ' raw' : ' EMA') : ''),
            stroke: m.raw ? run.color + '59' : run.color,
            width: m.raw ? 1 : 2,
            spanGaps: true,
            points: {show: !!chart.dots, size: 5, fill: run.color},
          });
        });
      }
      const data = tables.length > 0 ? uPlot.join(tables) : [[]];
      const existing = state.charts[chart.key];
      if (existing && !rebuild && existing.series.length === series.length) {
        existing.setData(data);
        continue;
      }
      if (existing) {
        existing.destroy();
      }
      const el = $(chart.el);
      el.innerHTML = '';
      state.charts[chart.key] = new uPlot({
        title: chart.title,
        width: Math.max(320, el.parentElement.clientWidth - 12),
        height: 280,
        scales: {x: {time: false}, y: chart.log ? {distr: 3} : {}},
        axes: [{label: X_LABEL[state.x]}, {label: chart.y, size: 70}],
        series: series,
        legend: {show: true},
      }, data, el);
    }
  }

  // ---- summary ---------------------------------------------------------------------------------------------------
  const fmt = (v, digits) => (v === null || v === undefined ? '–'
      : (Math.abs(v) >= 1000 || Number.isInteger(v) ? Math.round(v).toLocaleString('en')
          : Number(v).toPrecision(digits || 3)));

  /**
   * The prediction one short run gives (McCandlish et al. 2018): the noise scale B_simple, read at the lowest smoothed
   * loss any run has reached so far, is the critical batch size to expect. The same sentence as `batchscope sweep show`.
   */
  function prediction(runs) {
    const measured = (runs || []).filter((r) => r.noiseScale !== null && r.noiseScale !== undefined
        && r.emaLoss !== null && r.emaLoss !== undefined);
    if (measured.length === 0) {
      return '';
    }
    const furthest = measured.reduce((a, b) => (b.emaLoss < a.emaLoss ? b : a));
    const x = fmt(furthest.noiseScale);
    return 'B_simple at loss ' + fmt(furthest.emaLoss, 4) + ' ≈ ' + x + ': expect a critical batch size near ' + x
      + ' (' + furthest.runId + ')';
  }

  async function refreshSummary() {
    if (!state.sweepId) {
      return;
    }
    let summary;
    try {
      summary = await getJson(API + '/' + encodeURIComponent(state.sweepId) + '/summary');
    } catch (e) {
      return;
    }
    $('recommendation').textContent = summary.recommendation;
    $('prediction').textContent = prediction(summary.runs);
    const body = $('batch-sizes').querySelector('tbody');
    body.innerHTML = '';
    for (const row of summary.batchSizes) {
      const run = state.runs.find((r) => r.batchSize === row.batchSize);
      const tr = document.createElement('tr');
      // to-target columns are at the batch size's best learning rate (docs/design.md section 7)
      const cells = [row.batchSize, row.runs, fmt(row.finalLoss), fmt(row.bestLoss), fmt(row.finalValAccuracy),
        fmt(row.bestLearningRate, 4), fmt(row.stepsToTarget), fmt(row.samplesToTarget), fmt(row.noiseScaleAtTarget),
        fmt(row.noiseScale), fmt(row.lossVolatility), fmt(row.generalizationGap)];
      cells.forEach((value, i) => {
        const td = document.createElement('td');
        if (i === 0 && run) {
          const swatch = document.createElement('span');
          swatch.className = 'swatch';
          swatch.style.background = run.color;
          td.appendChild(swatch);
        }
        td.appendChild(document.createTextNode(String(value)));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    }
  }

  // ---- controls --------------------------------------------------------------------------------------------------
  $('sweep').addEventListener('change', (e) => choose(e.target.value));
  for (const input of document.querySelectorAll('input[name="x"]')) {
    input.addEventListener('change', (e) => {
      state.x = e.target.value;
      if (state.sweepId) {
        reload();
      }
    });
  }
  window.addEventListener('resize', () => drawAll(true));
  setInterval(refreshSweeps, 10000);
  setInterval(refreshSummary, 5000);
  refreshSweeps();
})();
