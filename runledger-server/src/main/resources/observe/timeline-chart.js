// The run timeline as a chart: the model's bars as floating bars on a time axis (ms since
// the run's first event), the ledger's events as marks on them. A bar chosen (a click on
// the chart, or its button in the table under it) shows its events below the chart. A new
// event or a tick redraws the same chart in place; open bars grow every second until none is.

import { ApiError, api, paths } from './api.js';
import { cssVar, dataTable, drawChart, statusColor, updateChart } from './charts.js';
import { absolute, badge, duration, errorBox, fill, h } from './dom.js';
import { runHref, signOut } from './routes.js';
import { eventItem } from './run-view.js';
import { barOfSeq, timelineModel } from './timeline-model.js';

const ROW_PX = 28;
const AXES_PX = 56;
const TICK_MS = 1000;
const CHILD_EVENTS = 200; // a child's events shown in the panel: its first page

/** "+1.5 s" after the run's first event. */
export function offsetText(ms) {
  return ms <= 0 ? '0' : `+${duration(ms)}`;
}

/**
 * The timeline section of a run page: {el, addEvent(event), setChildren(items), stop()}.
 * selected: the id of the bar to show first (from the URL); onSelect(id) is told each
 * choice, to keep it in the URL.
 */
export function runTimeline({ scope, signal, selected = null, onSelect = () => {} }) {
  const holder = h('div', { class: 'gantt-chart' });
  const panel = h('div', { id: 'bar-events', class: 'bar-events', hidden: true });
  const table = h('div', { id: 'gantt-bars', class: 'gantt-bars' });
  const el = h('section', { id: 'run-timeline', class: 'card', hidden: true },
    h('h2', {}, 'Timeline chart'), holder, panel, table);
  const events = [];
  let children = [];
  let model = null;
  let chart = null;
  let frame = 0;
  let timer = 0;
  let stopped = false;
  let drawnTable = '';
  let drawnPanel = '';
  let childPanel = null; // the child whose events the panel shows: {runId, items | error}

  function addEvent(event) {
    events.push(event);
    schedule();
  }

  function setChildren(items) {
    children = items;
    schedule();
  }

  // Events arrive in bursts (a ledger read, a busy stream): one redraw per frame at most.
  function schedule() {
    if (stopped || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
  }

  function render() {
    if (stopped) return;
    model = timelineModel({ events, children, now: Date.now() });
    el.hidden = model.rows.length === 0;
    if (el.hidden) return;
    drawChartOf(model);
    drawTable(model);
    drawPanel(model);
    if (model.open && !timer) timer = setInterval(() => document.hidden || render(), TICK_MS);
    if (!model.open && timer) {
      clearInterval(timer);
      timer = 0;
    }
  }

  function drawChartOf(m) {
    holder.style.height = `${m.rows.length * ROW_PX + AXES_PX}px`;
    const labels = m.rows.map(r => r.label);
    const byId = new Map(m.rows.map(r => [r.id, r.label]));
    const label = id => byId.get(id);
    const datasets = [{
      type: 'bar',
      label: 'Bars',
      data: m.bars.map(b => ({
        x: [b.start - m.origin, b.end - m.origin], y: label(b.row), id: b.id, kind: b.kind, status: b.status,
        open: b.open, endType: b.endType, events: b.seqs.length,
      })),
      // the run's own bar, under all the others, in its status's light shade
      backgroundColor: m.bars.map(b => (b.kind === 'run' ? cssVar(`--s-${b.status}-bg`) : '') || statusColor(b.status)),
      borderColor: cssVar('--text'),
      borderWidth: m.bars.map(b => (b.id === selected ? 2 : 0)),
      borderSkipped: false,
      minBarLength: 4,
      barPercentage: 0.9,
      categoryPercentage: 0.8,
      order: 1,
    }, {
      type: 'scatter',
      label: 'Events',
      data: m.marks.map(k => ({ x: k.at - m.origin, y: label(k.row), seq: k.seq, type: k.type })),
      backgroundColor: cssVar('--card'),
      borderColor: cssVar('--text'),
      borderWidth: 1.5,
      pointRadius: 3.5,
      pointHoverRadius: 5,
      order: 0,
    }];
    const max = Math.max(m.end - m.origin, 1);
    if (chart) {
      chart.options.scales.x.max = max;
      updateChart(chart, labels, datasets);
    } else {
      chart = drawChart(holder, 'The run’s attempts, steps, waits and children on a time axis, its events as marks',
        config(labels, datasets, max));
    }
    chart.canvas.dataset.origin = String(m.origin);
  }

  function config(labels, datasets, max) {
    return {
      type: 'bar',
      data: { labels, datasets },
      options: {
        indexAxis: 'y',
        scales: {
          x: {
            type: 'linear', min: 0, max, position: 'top',
            ticks: { callback: value => offsetText(value), maxRotation: 0 },
          },
          y: {
            type: 'category',
            grid: { display: false },
            ticks: {
              autoSkip: false,
              callback(value) {
                const text = this.getLabelForValue(value);
                const room = this.chart.width < 500 ? 16 : 32;
                return text.length > room ? `${text.slice(0, room - 1)}…` : text;
              },
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: () => '', label: tooltip } },
        },
        onClick: (event, _elements, c) => {
          const hit = barAt(c, event);
          if (hit) choose(hit);
        },
        onHover: (event, _elements, c) => {
          c.canvas.style.cursor = barAt(c, event) ? 'pointer' : 'default';
        },
      },
    };
  }

  // A click on a bar chooses it; one on a mark chooses the bar its event belongs to.
  function barAt(c, event) {
    const hits = c.getElementsAtEventForMode(event, 'point', { intersect: true }, false);
    const bar = hits.find(e => e.datasetIndex === 0);
    if (bar) return model.bars[bar.index]?.id;
    const mark = hits.find(e => e.datasetIndex === 1);
    return mark ? barOfSeq(model, model.marks[mark.index].seq)?.id : null;
  }

  function tooltip(ctx) {
    const raw = ctx.raw;
    if (ctx.datasetIndex === 1) return `#${raw.seq} ${raw.type} at ${offsetText(raw.x)}`;
    const [from, to] = raw.x;
    return `${ctx.label}: ${raw.status}, ${offsetText(from)} → ${raw.open ? 'now' : offsetText(to)}`
      + ` (${duration(to - from)})`;
  }

  function choose(id) {
    selected = id;
    onSelect(id);
    render();
  }

  // Redrawn only when what it says changed (not on every tick), so focus stays on its buttons.
  function drawTable(m) {
    const rows = m.bars.map(b => [b.id, b.label, b.status, b.start - m.origin, b.open ? null : b.end - m.origin,
      b.seqs.length, b.id === selected]);
    const text = JSON.stringify(rows);
    if (text === drawnTable) return;
    drawnTable = text;
    const focused = table.contains(document.activeElement) ? document.activeElement.dataset.bar : null;
    fill(table, dataTable('The timeline’s bars: choose one to see its events',
      ['Bar', 'Outcome', 'Start', 'End', 'Duration', 'Events'],
      m.bars.map(b => [
        h('button', {
          type: 'button', class: 'link', dataset: { bar: b.id }, 'aria-pressed': String(b.id === selected),
          onclick: () => {
            choose(b.id);
            panel.querySelector('h3')?.focus();
          },
        }, b.label),
        b.open ? [badge(b.status), h('span', { class: 'muted small' }, ' so far')] : badge(b.status),
        offsetText(b.start - m.origin),
        b.open ? 'now' : offsetText(b.end - m.origin),
        b.open ? '' : duration(b.end - b.start),
        b.kind === 'child' ? '' : String(b.seqs.length),
      ])));
    if (focused) table.querySelector(`button[data-bar="${CSS.escape(focused)}"]`)?.focus();
  }

  function drawPanel(m) {
    const bar = m.bars.find(b => b.id === selected);
    if (!bar) {
      panel.hidden = true;
      drawnPanel = '';
      return;
    }
    const text = JSON.stringify([bar.id, bar.status, bar.open, bar.seqs, childPanel?.runId === bar.childRunId
      && childPanel?.items?.length]);
    if (text === drawnPanel) return;
    drawnPanel = text;
    panel.hidden = false;
    panel.dataset.bar = bar.id;
    const bySeq = new Map(events.map(e => [e.seq, e]));
    const when = `${absolute(new Date(bar.start).toISOString())} → ${bar.open ? 'now'
      : `${absolute(new Date(bar.end).toISOString())} (${duration(bar.end - bar.start)})`}`;
    const head = h('div', { class: 'section-head' },
      h('h3', { tabindex: '-1' }, bar.label, ' ', badge(bar.status)),
      h('span', { class: 'muted small' }, when));
    if (bar.kind === 'child') {
      fill(panel, head, h('p', {}, h('a', { href: runHref(scope, bar.childRunId), class: 'mono' }, bar.childRunId)),
        childEvents(bar.childRunId));
      return;
    }
    fill(panel, head,
      h('p', { class: 'muted small' }, bar.kind === 'run' ? 'The run’s events outside its attempts:'
        : `Its ${bar.seqs.length} event${bar.seqs.length === 1 ? '' : 's'}:`),
      h('ol', { class: 'timeline', id: 'bar-events-list' },
        bar.seqs.map(seq => bySeq.get(seq)).filter(Boolean).map(eventItem)));
  }

  // A child's events are in its own ledger: read when its bar is chosen.
  function childEvents(runId) {
    if (childPanel?.runId !== runId) {
      childPanel = { runId };
      api(paths.events(scope, runId), { query: { limit: CHILD_EVENTS }, signal })
        .then(page => {
          if (childPanel?.runId === runId) childPanel.items = page.items;
        })
        .catch(e => {
          if (e.name === 'AbortError') return;
          if (e instanceof ApiError && e.status === 401) signOut('Your key is no longer accepted; sign in again.');
          if (childPanel?.runId === runId) childPanel.error = e;
        })
        .finally(() => {
          drawnPanel = '';
          schedule();
        });
    }
    if (childPanel.error) return errorBox(childPanel.error, 'Could not load the child’s events');
    if (!childPanel.items) return h('p', { class: 'muted small' }, 'Loading…');
    return h('ol', { class: 'timeline', id: 'bar-events-list' }, childPanel.items.map(eventItem));
  }

  function stop() {
    stopped = true;
    cancelAnimationFrame(frame);
    clearInterval(timer);
    chart?.destroy();
  }

  return { el, addEvent, setChildren, stop };
}
