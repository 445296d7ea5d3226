// Charts on Observe's pages: Chart.js (served from the jar as /observe/chart.umd.min.js,
// loaded by index.html before the modules) with the page's theme. Every chart is a canvas
// with a text label for screen readers, and its numbers also stand in a table beside it, so
// nothing is only in the picture. Tests read a chart's numbers with Chart.getChart(canvas).

import { h } from './dom.js';

/** The value of a CSS custom property of the page (the theme's colours live there). */
export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The colour of a run status, as its badge has it. */
export function statusColor(status) {
  return cssVar(`--s-${status}`) || cssVar('--muted');
}

/**
 * Draws a chart on a new canvas inside holder and returns the Chart. config is Chart.js's;
 * the theme's text and grid colours, the page's font and no animation (live charts are
 * redrawn every few seconds) are filled in. label: what the chart shows, for screen readers.
 */
export function drawChart(holder, label, config) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  holder.replaceChildren(canvas);
  const text = cssVar('--text');
  const muted = cssVar('--muted');
  const line = cssVar('--line');
  const Chart = window.Chart;
  Chart.defaults.color = muted;
  Chart.defaults.borderColor = line;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const options = config.options ?? {};
  return new Chart(canvas, {
    ...config,
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      ...options,
      plugins: {
        ...options.plugins,
        legend: { labels: { color: text, boxWidth: 12 }, ...options.plugins?.legend },
        tooltip: { ...options.plugins?.tooltip },
      },
    },
  });
}

/**
 * Replaces a chart's data in place (keeps its canvas, so the page does not flicker on a
 * live refresh): labels and, per dataset index, the data arrays.
 */
export function updateChart(chart, labels, datasets) {
  chart.data.labels = labels;
  datasets.forEach((ds, i) => {
    if (chart.data.datasets[i]) Object.assign(chart.data.datasets[i], ds);
    else chart.data.datasets.push(ds);
  });
  chart.data.datasets.length = datasets.length;
  chart.update('none');
}

/** The same numbers as a small table (for keyboards, screen readers and copying). */
export function dataTable(caption, columns, rows) {
  return h('table', { class: 'chart-data' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map(r => h('tr', {}, r.map(cell => h('td', {}, cell))))));
}
