// Cradle dashboard: draws the charts from /dashboard/data.json with Chart.js (served by the
// gateway, so it works offline) and refreshes the figures every 30 seconds. No inline script:
// the page's Content-Security-Policy allows scripts from 'self' only.
(function () {
  'use strict';
  // Okabe–Ito: distinguishable with the common colour-vision deficiencies.
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999', '#7F3C8D', '#11A579', '#3969AC', '#F2B701', '#E73F74'];
  var NAMED = { high: '#D55E00', medium: '#E69F00', low: '#56B4E9', delivered: '#009E73', pending: '#E69F00', parked: '#D55E00', withdrawn: '#999999',
    ingest_to_flag: '#0072B2', flag_to_delivered: '#CC79A7', covered: '#009E73', late: '#D55E00', awaiting: '#BBBBBB' };
  var charts = {};

  function colour(key, i) { return NAMED[key] || PALETTE[i % PALETTE.length]; }

  function datasets(spec) {
    return spec.series.map(function (s, i) {
      return { label: s.label, data: s.data.slice(), backgroundColor: colour(s.key, i), borderWidth: 0, cradleKey: s.key };
    });
  }

  function barOptions(o) {
    return {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: o.horizontal ? 'y' : 'x',
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } }, tooltip: { mode: 'index', intersect: false } },
      scales: {
        x: { stacked: !!o.stacked, grid: { display: !!o.horizontal }, ticks: o.horizontal ? { precision: 0 } : { autoSkip: true, maxRotation: 0 } },
        y: { stacked: !!o.stacked, beginAtZero: true, ticks: o.horizontal ? {} : { precision: o.seconds ? undefined : 0 },
          title: o.seconds ? { display: true, text: 'seconds' } : { display: false } },
      },
    };
  }

  var BUILD = {
    'chart-volume': function (d) { return { type: 'bar', data: { labels: d.charts.volume.labels, datasets: datasets(d.charts.volume) }, options: barOptions({ stacked: true }) }; },
    'chart-alerts-over-time': function (d) { return { type: 'bar', data: { labels: d.charts.alertsOverTime.labels, datasets: datasets(d.charts.alertsOverTime) }, options: barOptions({ stacked: true }) }; },
    'chart-active-alerts': function (d) { return { type: 'bar', data: { labels: d.charts.activeAlerts.labels, datasets: datasets(d.charts.activeAlerts) }, options: barOptions({ stacked: true, horizontal: true }) }; },
    'chart-deliveries': function (d) { return { type: 'bar', data: { labels: d.charts.deliveries.labels, datasets: datasets(d.charts.deliveries) }, options: barOptions({ stacked: true, horizontal: true }) }; },
    'chart-latency': function (d) { return { type: 'bar', data: { labels: d.charts.latency.labels, datasets: datasets(d.charts.latency) }, options: barOptions({ seconds: true }) }; },
    'chart-coverage': function (d) {
      var spec = d.charts.coverage;
      return { type: 'doughnut', data: { labels: spec.labels, datasets: [{ label: spec.series[0].label, data: spec.series[0].data.slice(),
        backgroundColor: spec.keys.map(function (k, i) { return colour(k, i); }), borderWidth: 1 }] },
        options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } } };
    },
  };

  function seconds(s) {
    if (s === null) return '–';
    if (s < 1) return Math.round(s * 1000) + ' ms';
    if (s < 10) return s.toFixed(1) + ' s';
    if (s < 120) return Math.round(s) + ' s';
    if (s < 7200) return (s / 60).toFixed(1) + ' min';
    if (s < 172800) return (s / 3600).toFixed(1) + ' h';
    return (s / 86400).toFixed(1) + ' days';
  }

  function setFigure(name, text) {
    var el = document.querySelector('[data-figure="' + name + '"]');
    if (el) el.textContent = text;
  }

  function updateFigures(d) {
    var t = d.tiles;
    setFigure('active-alerts', String(t.activeAlerts));
    setFigure('high-priority-alerts', String(t.highPriorityAlerts));
    setFigure('alerts-unrouted', String(t.alertsUnrouted));
    setFigure('messages-today', String(t.messagesToday));
    setFigure('rejected', String(t.rejected));
    setFigure('failed', String(t.failed));
    setFigure('parked', String(t.parked));
    setFigure('reviews-open', String(t.reviewsOpen));
    setFigure('coverage-percent', t.coveragePercent === null ? '–' : t.coveragePercent + '%');
    setFigure('ingest-to-flag-p50', seconds(t.ingestToFlagMedianSeconds));
    setFigure('flag-to-delivered-p50', seconds(t.flagToDeliveredMedianSeconds));
    setFigure('coverage-covered', String(d.coverage.covered));
    setFigure('coverage-late', String(d.coverage.late));
    setFigure('coverage-awaiting', String(d.coverage.awaiting));
    var at = document.querySelector('[data-figure="generated-at"]');
    if (at) { at.setAttribute('datetime', d.generatedAt); at.textContent = d.generatedAt.replace('T', ' ').slice(0, 19) + ' UTC'; }
  }

  function draw(d) {
    Object.keys(BUILD).forEach(function (id) {
      var canvas = document.getElementById(id);
      if (!canvas) return;
      var config = BUILD[id](d);
      if (charts[id]) {
        charts[id].data.labels = config.data.labels;
        charts[id].data.datasets = config.data.datasets;
        charts[id].update();
      } else {
        charts[id] = new window.Chart(canvas, config);
      }
    });
  }

  function load() {
    return fetch('/dashboard/data.json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 401) { window.location.assign('/dashboard/login?next=%2Fdashboard'); throw new Error('signed out'); }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (d) {
        draw(d);
        updateFigures(d);
        document.body.setAttribute('data-charts-ready', d.generatedAt);
        document.body.removeAttribute('data-load-error');
      })
      .catch(function (err) { document.body.setAttribute('data-load-error', String(err && err.message)); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!window.Chart) { document.body.setAttribute('data-load-error', 'Chart.js did not load'); return; }
    load();
    setInterval(load, 30000);
  });
})();
