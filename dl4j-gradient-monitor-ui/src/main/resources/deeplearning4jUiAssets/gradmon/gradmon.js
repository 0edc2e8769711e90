/*
 * Gradient monitor page. Plain JS, canvas charts drawn here, no network besides the page's own JSON endpoints.
 * Live mode (served at /gradmon): polls /gradmon/sessions and /gradmon/data/:session/:worker every 2 s.
 * Report mode (a self-contained HTML file): reads the JSON embedded in <script id="gradmon-data">.
 * Every string that comes from the model or the alerts is written with textContent (or canvas fillText), never as HTML.
 */
(function () {
  'use strict';

  var POLL_MS = 2000;
  // Maps and Sets, never plain objects, for anything looked up by a name that comes from the data ('__proto__')
  var SEVERITY_COLORS = new Map([['INFO', '#63c2de'], ['WARNING', '#ffc107'], ['CRITICAL', '#f86c6b']]);
  var VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  var MODEL_KNOWN = new Set(['score', 'globalGradientNorm']);
  var SEVERITY_RANK = new Map([['INFO', 0], ['WARNING', 1], ['CRITICAL', 2]]);

  function rank(severity) { return SEVERITY_RANK.get(severity) || 0; }

  var embedded = document.getElementById('gradmon-data');
  var report = embedded ? JSON.parse(embedded.textContent) : null;
  var state = { sessions: [], session: null, worker: null, data: null };
  // ?session=<id>&worker=<id> opens that series (a link a log line or the tour can print)
  var params = new URLSearchParams(window.location.search);
  if (params.get('session')) { state.session = params.get('session'); }
  if (params.get('worker')) { state.worker = params.get('worker'); }

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function finite(v) { return typeof v === 'number' && isFinite(v); }

  function fmt(v) {
    if (!finite(v)) { return '\u2013'; }
    if (v === 0) { return '0'; }
    var a = Math.abs(v);
    if (a >= 1e4 || a < 1e-2) { return v.toExponential(2); }
    return String(Number(v.toPrecision(4)));
  }

  function layerColor(i, n) {
    var t = n <= 1 ? 0 : i / (n - 1);
    return 'hsl(' + Math.round(265 - 265 * t) + ', 72%, ' + (t > 0.35 && t < 0.65 ? 38 : 48) + '%)';
  }

  function viridis(t) {
    t = Math.max(0, Math.min(1, t));
    var x = t * (VIRIDIS.length - 1), i = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - i;
    var a = VIRIDIS[i], b = VIRIDIS[i + 1];
    return 'rgb(' + Math.round(a[0] + (b[0] - a[0]) * f) + ',' + Math.round(a[1] + (b[1] - a[1]) * f) + ','
        + Math.round(a[2] + (b[2] - a[2]) * f) + ')';
  }

  function setup(canvas) {
    var dpr = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || 600, h = canvas.clientHeight || 300;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    var g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = '11px -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
    return { g: g, w: w, h: h };
  }

  function noData(c, canvas, text) {
    c.g.fillStyle = '#73818f';
    c.g.textAlign = 'center';
    c.g.fillText(text, c.w / 2, c.h / 2);
    canvas.setAttribute('data-points', '0');
  }

  function niceTicks(lo, hi, n) {
    if (hi <= lo) { return [lo]; }
    var step = Math.pow(10, Math.floor(Math.log10((hi - lo) / n)));
    var err = (hi - lo) / n / step;
    step *= err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1;
    var ticks = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) { ticks.push(v); }
    return ticks;
  }

  /* series: [{name, color, values, width, dash}]; opts: {log, ref, xs} */
  function lineChart(canvas, xs, series, opts) {
    var c = setup(canvas), g = c.g;
    var log = !!opts.log;
    var ymin = Infinity, ymax = -Infinity, count = 0;
    series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (finite(v) && (!log || v > 0)) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
      });
    });
    if (!xs.length || ymin === Infinity) { noData(c, canvas, opts.empty || 'No data yet'); return; }
    if (opts.ref !== undefined && (!log || opts.ref > 0)) { ymin = Math.min(ymin, opts.ref); ymax = Math.max(ymax, opts.ref); }
    var tr = log ? function (v) { return Math.log10(v); } : function (v) { return v; };
    var lo = tr(ymin), hi = tr(ymax);
    if (hi - lo < 1e-12) { lo -= log ? 0.5 : Math.max(1e-9, Math.abs(lo) * 0.1); hi += log ? 0.5 : Math.max(1e-9, Math.abs(hi) * 0.1); }
    var pad = (hi - lo) * 0.05; lo -= pad; hi += pad;
    var L = 64, R = 12, T = 10, B = 26, pw = c.w - L - R, ph = c.h - T - B;
    var xmin = xs[0], xmax = xs[xs.length - 1];
    if (xmax === xmin) { xmax = xmin + 1; }
    function X(x) { return L + (x - xmin) / (xmax - xmin) * pw; }
    function Y(v) { return T + (1 - (tr(v) - lo) / (hi - lo)) * ph; }

    g.strokeStyle = '#e4e7ea'; g.fillStyle = '#73818f'; g.lineWidth = 1; g.textAlign = 'right'; g.textBaseline = 'middle';
    var yt;
    if (log) {
      yt = [];
      var d0 = Math.ceil(lo), d1 = Math.floor(hi), stride = Math.max(1, Math.ceil((d1 - d0 + 1) / 8));
      for (var d = d0; d <= d1; d += stride) { yt.push(Math.pow(10, d)); }
      if (!yt.length) { yt.push(Math.pow(10, (lo + hi) / 2)); }
    } else {
      yt = niceTicks(lo, hi, 5);
    }
    yt.forEach(function (v) {
      var y = Y(v);
      g.beginPath(); g.moveTo(L, y); g.lineTo(L + pw, y); g.stroke();
      g.fillText(log ? '1e' + Math.round(Math.log10(v)) : fmt(v), L - 6, y);
    });
    g.textAlign = 'center'; g.textBaseline = 'top';
    niceTicks(xmin, xmax, 6).forEach(function (x) {
      if (x < xmin || x > xmax) { return; }
      g.beginPath(); g.moveTo(X(x), T); g.lineTo(X(x), T + ph); g.stroke();
      g.fillText(String(Math.round(x)), X(x), T + ph + 6);
    });
    g.strokeStyle = '#c8ced3'; g.strokeRect(L, T, pw, ph);

    if (opts.ref !== undefined) {
      g.save(); g.setLineDash([6, 4]); g.strokeStyle = '#23282c'; g.lineWidth = 1;
      g.beginPath(); g.moveTo(L, Y(opts.ref)); g.lineTo(L + pw, Y(opts.ref)); g.stroke(); g.restore();
    }
    var drawn = 0;
    series.forEach(function (s) {
      g.save();
      g.strokeStyle = s.color; g.lineWidth = s.width || 1.6; g.lineJoin = 'round';
      if (s.dash) { g.setLineDash(s.dash); }
      g.beginPath();
      var pen = false, any = false;
      for (var i = 0; i < xs.length; i++) {
        var v = s.values[i];
        if (!finite(v) || (log && v <= 0)) { pen = false; continue; }
        if (pen) { g.lineTo(X(xs[i]), Y(v)); } else { g.moveTo(X(xs[i]), Y(v)); pen = true; }
        count++; any = true;
      }
      g.stroke();
      if (any && xs.length === 1) { g.fillStyle = s.color; g.fillRect(X(xs[0]) - 2, Y(s.values[0]) - 2, 4, 4); }
      if (any) { drawn++; }
      g.restore();
    });
    if (opts.legend) {
      var lx = L + 10;
      g.textAlign = 'left'; g.textBaseline = 'middle';
      series.forEach(function (s) {
        g.fillStyle = '#fff'; g.fillRect(lx - 4, T + 6, g.measureText(s.name).width + 30, 16);
        g.strokeStyle = s.color; g.lineWidth = 2; g.setLineDash(s.dash || []);
        g.beginPath(); g.moveTo(lx, T + 14); g.lineTo(lx + 18, T + 14); g.stroke(); g.setLineDash([]);
        g.fillStyle = '#23282c'; g.fillText(s.name, lx + 22, T + 14);
        lx += g.measureText(s.name).width + 40;
      });
    }
    canvas.setAttribute('data-points', String(count));
    canvas.setAttribute('data-series', String(drawn));
  }

  /*
   * text, or its longest prefix plus an ellipsis that fits in maxWidth pixels: a binary search on the prefix length,
   * so about log2(length) measurements (a 16,000-char name: 15), not one per character removed.
   */
  function fitLabel(g, text, maxWidth) {
    if (g.measureText(text).width <= maxWidth) { return text; }
    var lo = 0, hi = text.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (g.measureText(prefix(text, mid) + '\u2026').width <= maxWidth) { lo = mid; } else { hi = mid - 1; }
    }
    return prefix(text, lo) + '\u2026';
  }

  /* the first n chars, one fewer rather than half a surrogate pair */
  function prefix(text, n) {
    var c = n > 0 ? text.charCodeAt(n - 1) : 0;
    return text.slice(0, c >= 0xD800 && c <= 0xDBFF ? n - 1 : n);
  }

  function heatmap(canvas, xs, layers, matrix) {
    var c = setup(canvas), g = c.g;
    var lo = Infinity, hi = -Infinity;
    matrix.forEach(function (row) { row.forEach(function (v) { if (finite(v) && v > 0) { var l = Math.log10(v); lo = Math.min(lo, l); hi = Math.max(hi, l); } }); });
    if (!xs.length || lo === Infinity) { noData(c, canvas, 'No data yet'); canvas.setAttribute('data-cells', '0'); return; }
    if (hi - lo < 1e-9) { hi = lo + 1; }
    var labelW = 0;
    layers.forEach(function (l) { labelW = Math.max(labelW, g.measureText(l.name).width); });
    var L = Math.min(170, Math.max(40, labelW + 12)), R = 78, T = 6, B = 26, pw = c.w - L - R, ph = c.h - T - B;
    var n = layers.length, cw = pw / xs.length, rh = ph / n, cells = 0;
    for (var l = 0; l < n; l++) {
      for (var i = 0; i < xs.length; i++) {
        var v = matrix[l][i];
        if (finite(v) && v > 0) { g.fillStyle = viridis((Math.log10(v) - lo) / (hi - lo)); cells++; }
        else if (v === 0) { g.fillStyle = VIRIDIS_ZERO; }
        else { g.fillStyle = '#d0d4d8'; }
        g.fillRect(L + i * cw, T + l * rh, Math.ceil(cw) + 0.5, Math.ceil(rh) + 0.5);
      }
    }
    g.fillStyle = '#23282c'; g.textAlign = 'right'; g.textBaseline = 'middle';
    var every = Math.max(1, Math.ceil(12 / rh));
    for (l = 0; l < n; l += every) {
      g.fillText(fitLabel(g, layers[l].name, L - 10), L - 6, T + (l + 0.5) * rh);
    }
    g.fillStyle = '#73818f'; g.textAlign = 'center'; g.textBaseline = 'top';
    var xmin = xs[0], xmax = xs[xs.length - 1];
    niceTicks(xmin, xmax, 6).forEach(function (x) {
      if (x < xmin || x > xmax || xmax === xmin) { return; }
      g.fillText(String(Math.round(x)), L + (x - xmin) / (xmax - xmin) * (pw - cw) + cw / 2, T + ph + 6);
    });
    /* colour bar */
    var bx = L + pw + 14, bw = 14;
    for (var k = 0; k < ph; k++) { g.fillStyle = viridis(1 - k / ph); g.fillRect(bx, T + k, bw, 1.5); }
    g.strokeStyle = '#c8ced3'; g.strokeRect(bx, T, bw, ph);
    g.fillStyle = '#23282c'; g.textAlign = 'left'; g.textBaseline = 'middle';
    var d0 = Math.ceil(lo), d1 = Math.floor(hi), stride = Math.max(1, Math.ceil((d1 - d0 + 1) / 8));
    for (var dec = d0; dec <= d1; dec += stride) {
      var ty = T + (1 - (dec - lo) / (hi - lo)) * ph;
      g.fillRect(bx + bw, ty - 0.5, 4, 1);
      g.fillText('1e' + dec, bx + bw + 7, ty);
    }
    canvas.setAttribute('data-cells', String(cells));
    canvas.setAttribute('data-points', String(cells));
  }
  var VIRIDIS_ZERO = '#2a0033';

  function timeline(canvas, xs, alerts) {
    var c = setup(canvas), g = c.g;
    var L = 64, R = 12, y = c.h / 2;
    if (!alerts.length) { noData(c, canvas, 'No alerts'); canvas.setAttribute('data-marks', '0'); return; }
    var xmin = xs.length ? xs[0] : 0, xmax = xs.length ? xs[xs.length - 1] : 1;
    alerts.forEach(function (a) { xmin = Math.min(xmin, a.iteration); xmax = Math.max(xmax, a.iteration); });
    if (xmax === xmin) { xmax = xmin + 1; }
    var pw = c.w - L - R;
    g.strokeStyle = '#c8ced3'; g.beginPath(); g.moveTo(L, y); g.lineTo(L + pw, y); g.stroke();
    g.fillStyle = '#73818f'; g.textAlign = 'right'; g.textBaseline = 'middle'; g.fillText('iteration', L - 6, y);
    g.textAlign = 'center'; g.textBaseline = 'top';
    niceTicks(xmin, xmax, 6).forEach(function (x) { if (x >= xmin && x <= xmax) { g.fillText(String(Math.round(x)), L + (x - xmin) / (xmax - xmin) * pw, y + 16); } });
    /* one lane per severity (critical on top), the more serious drawn last */
    alerts.slice().sort(function (a, b) { return rank(a.severity) - rank(b.severity); })
      .forEach(function (a) {
        var x = L + (a.iteration - xmin) / (xmax - xmin) * pw;
        g.fillStyle = SEVERITY_COLORS.get(a.severity) || '#73818f';
        g.beginPath(); g.arc(x, y + (1 - rank(a.severity)) * 9, 4, 0, 2 * Math.PI); g.fill();
      });
    canvas.setAttribute('data-marks', String(alerts.length));
  }

  function renderLegend(layers) {
    var legend = $('gm-legend');
    clear(legend);
    layers.forEach(function (l, i) {
      var item = el('span', 'gm-legend-item');
      var sw = el('span', 'gm-swatch');
      sw.style.background = layerColor(i, layers.length);
      item.appendChild(sw);
      item.appendChild(el('span', null, l.name));
      item.title = l.name + (l.type ? ' (' + l.type + ')' : '') + (l.dl4jHandling ? '\n' + l.dl4jHandling : '');
      legend.appendChild(item);
    });
  }

  function stat(parent, label, value, cls) {
    var box = el('div', 'gm-stat' + (cls ? ' ' + cls : ''));
    box.appendChild(el('div', 'gm-stat-value', value));
    box.appendChild(el('div', 'gm-stat-label', label));
    parent.appendChild(box);
  }

  function last(arr) {
    if (!arr) { return undefined; }
    for (var i = arr.length - 1; i >= 0; i--) { if (finite(arr[i])) { return arr[i]; } }
    return undefined;
  }

  function renderSummary(d) {
    var s = $('gm-summary');
    clear(s);
    var its = d.iterations;
    var pre = d.pretrained && d.pretrained.length ? d.pretrained[d.pretrained.length - 1] : null;
    stat(s, pre !== null ? 'Latest pretraining step of layer ' + pre : 'Latest iteration',
        its.length ? its[its.length - 1] : '\u2013');
    stat(s, 'Snapshots', d.totalPoints + (d.shownPoints < d.totalPoints ? ' (' + d.shownPoints + ' shown)' : ''));
    stat(s, 'Layers', d.layers.length);
    stat(s, 'Score', fmt(last(d.model.score)));
    stat(s, 'Global gradient norm', fmt(last(d.model.globalGradientNorm)));
    var crit = d.alerts.some(function (a) { return a.severity === 'CRITICAL'; });
    stat(s, 'Alerts', d.alertTotal, d.alertTotal ? (crit ? 'gm-crit' : 'gm-warn') : null);
  }

  var MAX_ALERT_ROWS = 200;

  /* [{type, count, severity (the worst seen)}], most severe first. */
  function alertTypeCounts(alerts) {
    var by = new Map();
    alerts.forEach(function (a) {
      var t = by.get(a.type);
      if (!t) { t = { type: a.type, count: 0, severity: a.severity }; by.set(a.type, t); }
      t.count++;
      if (rank(a.severity) > rank(t.severity)) { t.severity = a.severity; }
    });
    return Array.from(by.values()).sort(function (a, b) {
      return rank(b.severity) - rank(a.severity) || b.count - a.count;
    });
  }

  function renderAlerts(d) {
    var tbody = $('gm-alerts').tBodies[0];
    clear(tbody);
    $('gm-alert-count').textContent = String(d.alertTotal);
    var types = $('gm-alert-types');
    clear(types);
    alertTypeCounts(d.alerts).forEach(function (t) {
      var b = el('span', 'gm-badge gm-sev-' + t.severity, t.type + ' \u00d7 ' + t.count);
      b.setAttribute('data-type', t.type);
      types.appendChild(b);
    });
    var list = d.alerts.slice().reverse().slice(0, MAX_ALERT_ROWS);
    $('gm-alert-note').textContent = d.alertTotal > list.length
        ? 'Newest ' + list.length + ' of ' + d.alertTotal + ' alerts.' : '';
    list.forEach(function (a) {
      var tr = el('tr', 'gm-alert');
      tr.setAttribute('data-type', a.type);
      tr.appendChild(el('td', 'gm-num', a.iteration));
      var sev = el('td');
      sev.appendChild(el('span', 'gm-badge gm-sev-' + a.severity, a.severity));
      tr.appendChild(sev);
      tr.appendChild(el('td', null, a.type));
      tr.appendChild(el('td', null, (a.layer || '(model)') + (a.param ? ' / ' + a.param : '')));
      tr.appendChild(el('td', 'gm-num', fmt(a.value) + ' / ' + fmt(a.threshold)));
      var msg = el('td');
      msg.appendChild(el('div', 'gm-message', a.message));
      if (a.hint) { msg.appendChild(el('div', 'gm-hint', a.hint)); }
      tr.appendChild(msg);
      tbody.appendChild(tr);
    });
    if (!list.length) {
      var row = el('tr');
      var td = el('td', 'gm-muted', 'No alerts: the default detectors found nothing wrong so far.');
      td.colSpan = 6;
      row.appendChild(td);
      tbody.appendChild(row);
    }
  }

  function renderLayers(d) {
    var tbody = $('gm-layers').tBodies[0];
    clear(tbody);
    d.layers.forEach(function (l, i) {
      var tr = el('tr', 'gm-layer');
      if (l.dl4jHandling) { tr.title = l.dl4jHandling; }
      var idx = el('td');
      var sw = el('span', 'gm-swatch');
      sw.style.background = layerColor(i, d.layers.length);
      idx.appendChild(sw);
      idx.appendChild(document.createTextNode(' ' + i));
      tr.appendChild(idx);
      tr.appendChild(el('td', 'gm-layer-name', l.name));
      tr.appendChild(el('td', null, l.type));
      tr.appendChild(el('td', 'gm-num', fmt(last(d.gradientNorm[i]))));
      tr.appendChild(el('td', 'gm-num', fmt(last(d.updateRatio[i]))));
      tr.appendChild(el('td', 'gm-num', fmt(last(d.paramNorm[i]))));
      tbody.appendChild(tr);
      (d.moved || []).filter(function (m) { return m.layer === l.name; }).forEach(function (m) {
        tbody.appendChild(movedRow(m));
      });
    });
  }

  /* 33500000 -> '33.5M': a parameter count at a glance. */
  function count(n) {
    var units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][0]) { return String(Number((n / units[i][0]).toPrecision(3))) + units[i][1]; }
    }
    return String(n);
  }

  /* The layers a layer filter left out of the latest snapshot: why the table lists fewer layers than the model has. */
  function renderUnwatched(d) {
    var line = $('gm-unwatched');
    var u = d.unwatched;
    line.hidden = !u;
    if (!u) {
      line.textContent = '';
      line.removeAttribute('data-layer-count');
      line.removeAttribute('data-gradient-norm');
      return;
    }
    var bad = u.nanCount + u.infCount;
    var norm = u.gradientNorm !== null ? fmt(u.gradientNorm) : u.nanCount ? 'NaN' : u.infCount ? 'Inf' : '\u2013';
    line.setAttribute('data-filter', u.filter);
    line.setAttribute('data-layer-count', String(u.layerCount));
    line.setAttribute('data-param-count', String(u.paramCount));
    line.setAttribute('data-gradient-norm', u.gradientNorm === null ? 'NaN' : String(u.gradientNorm));
    line.setAttribute('data-non-finite', String(bad));
    line.className = 'gm-muted gm-unwatched' + (bad ? ' gm-unwatched-bad' : '');
    line.title = 'GradientMonitor.builder().layers(...) / excludeLayers(...): these layers get no per-layer statistics'
        + ' or detectors; their gradient still counts in the global norm, NaN/Inf checks and step skipping';
    line.textContent = 'Layer filter: ' + u.filter + ' \u2014 ' + u.layerCount
        + ' layer' + (u.layerCount === 1 ? '' : 's') + ' (' + count(u.paramCount) + ' parameters) not shown;'
        + ' their gradient norm ' + norm + ', NaN/Inf ' + bad;
  }

  /* A parameter array DL4J moves itself (CenterLossOutputLayer's centers, BatchNormalization's running statistics):
     its values and the step DL4J applied, never a gradient. */
  function movedRow(m) {
    var tr = el('tr', 'gm-moved');
    tr.setAttribute('data-layer', m.layer);
    tr.setAttribute('data-param', m.param);
    tr.setAttribute('data-update-norm', m.updateNorm === null ? 'NaN' : String(m.updateNorm));
    tr.setAttribute('data-param-norm', m.paramNorm === null ? 'NaN' : String(m.paramNorm));
    tr.title = 'Moved by DL4J itself, not by a gradient and an updater: no gradient statistics, no detectors, no clipping';
    tr.appendChild(el('td'));
    tr.appendChild(el('td', 'gm-layer-name', m.layer + ' / ' + m.param));
    tr.appendChild(el('td', 'gm-muted', 'moved by DL4J, no gradient \u00b7 update norm ' + fmt(m.updateNorm)));
    tr.appendChild(el('td', 'gm-num', '\u2013'));
    tr.appendChild(el('td', 'gm-num', fmt(m.updateRatio)));
    tr.appendChild(el('td', 'gm-num', fmt(m.paramNorm)));
    return tr;
  }

  /* The layers pretrained in the shown steps, in order of first appearance. */
  function pretrainedLayers(d) {
    var seen = [];
    (d.pretrained || []).forEach(function (p) { if (p !== null && seen.indexOf(p) < 0) { seen.push(p); } });
    return seen;
  }

  function layerSeries(d, field) {
    return d.layers.map(function (l, i) {
      return { name: l.name, color: layerColor(i, d.layers.length), values: d[field][i] || [] };
    });
  }

  var rendered = null;

  /* Redraws only when something changed (or force, on resize): rows the user is reading stay put between polls. */
  function render(force) {
    var d = state.data;
    if (!d || !d.layers) { return; }
    var key = d.session + '\u0000' + d.worker + '\u0000' + d.lastTimestamp + '\u0000' + d.totalPoints;
    if (!force && key === rendered) { return; }
    rendered = key;
    renderSummary(d);
    renderLegend(d.layers);
    lineChart($('gm-norms'), d.iterations, layerSeries(d, 'gradientNorm'), { log: true });
    heatmap($('gm-heatmap'), d.iterations, d.layers, d.gradientNorm);
    lineChart($('gm-ratios'), d.iterations, layerSeries(d, 'updateRatio'), { log: true, ref: 1e-3 });
    lineChart($('gm-score'), d.iterations, [
      { name: 'score', color: '#20a8d8', values: d.model.score || [], width: 2 },
      { name: 'global gradient norm', color: '#f86c6b', values: d.model.globalGradientNorm || [], width: 2, dash: [5, 3] }
    ], { log: true, legend: true });
    var clipKeys = Object.keys(d.model).filter(function (k) { return !MODEL_KNOWN.has(k); });
    var clip = $('gm-clip');
    if (clipKeys.length) {
      clip.style.display = '';
      $('gm-clip-none').textContent = clipKeys.map(function (k) {
        return k === 'clipScale' ? 'clipScale: global gradient norm after clipping / before (1 = untouched)'
          : k === 'stepSkipped' ? 'stepSkipped: 1 when a poisoned step was undone' : k;
      }).join(' \u00b7 ');
      lineChart(clip, d.iterations, clipKeys.map(function (k, i) {
        return { name: k, color: ['#4dbd74', '#f8cb00', '#6f42c1', '#f86c6b'][i % 4], values: d.model[k], width: 2 };
      }), { log: false, legend: true });
    } else {
      clip.style.display = 'none';
      clip.setAttribute('data-points', '0');
      $('gm-clip-none').textContent = 'No clipping or skipped-step fields in these records (they appear when the monitor clips or skips steps).';
    }
    timeline($('gm-timeline'), d.iterations, d.alerts);
    renderAlerts(d);
    renderLayers(d);
    renderUnwatched(d);
    var status = $('gm-status');
    status.className = 'gm-status ' + (d.alertTotal ? 'gm-bad' : 'gm-ok');
    var worst = alertTypeCounts(d.alerts)[0];
    status.textContent = d.alertTotal
        ? d.alertTotal + ' alert(s); most serious: ' + worst.type + ' (' + worst.severity + '), e.g. '
          + d.alerts.filter(function (a) { return a.type === worst.type; }).pop().message
        : 'Gradients look healthy: no alerts.';
    var pretrained = pretrainedLayers(d);
    var note = $('gm-pretraining');
    note.hidden = !pretrained.length;
    note.setAttribute('data-layers', pretrained.join(','));
    note.textContent = pretrained.length ? 'Layer-wise pretraining (net.pretrain): these steps trained layer '
        + pretrained.join(', ') + ' on its own, with its own loss and iteration count.' : '';
    $('gm-footer').textContent = (report ? 'Report' : 'Live, refreshed every 2 s') + ' \u00b7 session ' + d.session
        + ' \u00b7 worker ' + d.worker + ' \u00b7 ' + d.totalPoints + ' snapshots'
        + (d.layersOmitted ? ' \u00b7 ' + d.layersOmitted + ' more layers not shown (first 512 kept)' : '')
        + (d.recordsSkipped ? ' \u00b7 ' + d.recordsSkipped + ' damaged records skipped' : '');
    document.body.setAttribute('data-iterations', String(d.iterations.length));
    document.body.setAttribute('data-state', 'ready');
  }

  function fillSelect(select, values, labels, selected) {
    var current = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (current.join('\u0000') !== values.join('\u0000')) {
      clear(select);
      values.forEach(function (v, i) {
        var o = el('option', null, labels ? labels[i] : v);
        o.value = v;
        select.appendChild(o);
      });
    }
    select.value = selected;
  }

  function chooseSessions(sessions) {
    sessions = sessions.slice().sort(function (a, b) { return (b.started || 0) - (a.started || 0); });
    state.sessions = sessions;
    if (!sessions.length) { return false; }
    var s = sessions.filter(function (x) { return x.id === state.session; })[0] || sessions[0];
    state.session = s.id;
    if (s.workers.indexOf(state.worker) < 0) { state.worker = s.workers[0]; }
    fillSelect($('gm-session'), sessions.map(function (x) { return x.id; }), sessions.map(function (x) {
      return x.id + (x.started ? ' (' + new Date(x.started).toLocaleString() + ')' : '');
    }), state.session);
    fillSelect($('gm-worker'), s.workers, null, state.worker);
    return true;
  }

  function showEmpty(text) {
    $('gm-status').className = 'gm-status';
    $('gm-status').textContent = text;
    document.body.setAttribute('data-state', 'empty');
  }

  /* ---- live mode ---- */
  var timer = null;

  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  /* A failing attached storage (e.g. a closed file) is named; the others are still shown. */
  function showStorageErrors(errors) {
    var box = $('gm-storage-errors');
    box.hidden = !errors.length;
    box.textContent = errors.map(function (e) { return 'Cannot read ' + e.storage + ': ' + e.error; }).join(' \u00b7 ');
  }

  function poll() {
    if (timer) { clearTimeout(timer); timer = null; }
    getJson('/gradmon/sessions').then(function (s) {
      showStorageErrors(s.storageErrors || []);
      if (!chooseSessions(s.sessions)) {
        showEmpty('No GradientMonitor records yet. Attach a StatsStorage that a GradientStatsSink writes to.');
        return null;
      }
      return getJson('/gradmon/data/' + encodeURIComponent(state.session) + '/' + encodeURIComponent(state.worker));
    }).then(function (d) {
      if (d && d.error) { showEmpty(d.error); } else if (d) { state.data = d; render(); }
    }).catch(function (e) {
      $('gm-status').className = 'gm-status gm-bad';
      $('gm-status').textContent = 'Cannot reach the UI server: ' + e.message + ' (retrying)';
    }).then(function () { timer = setTimeout(poll, POLL_MS); });
  }

  /* ---- report mode ---- */
  function showReport() {
    document.body.classList.add('gm-report');
    if (!chooseSessions(report.sessions)) { showEmpty('The recording holds no GradientMonitor records.'); return; }
    var s = report.sessions.filter(function (x) { return x.id === state.session; })[0];
    state.data = s.data[state.worker];
    render();
  }

  function refresh() { if (report) { showReport(); } else { poll(); } }

  $('gm-session').addEventListener('change', function (e) { state.session = e.target.value; state.worker = null; refresh(); });
  $('gm-worker').addEventListener('change', function (e) { state.worker = e.target.value; refresh(); });
  var resizePending = false;
  window.addEventListener('resize', function () {
    if (resizePending) { return; }
    resizePending = true;
    requestAnimationFrame(function () { resizePending = false; render(true); });
  });
  // for tests and the browser console: the page's pure helpers
  window.gradmon = { fitLabel: fitLabel, alertTypeCounts: alertTypeCounts };
  refresh();
}());
