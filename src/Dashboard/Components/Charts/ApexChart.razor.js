import { downloadUrl } from '../../js/download.js';

// Our thin wrapper around apexcharts (loaded globally from lib/apexcharts). Options arrive as JSON from C#.
// apexcharts writes legend entries and tooltips with innerHTML, so every text that can reach those sinks goes through
// escapeHtml here; axis labels and titles are SVG text and are left as they are.

const escapeHtml = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// Numbers in the page's culture (the server sets <html lang> from the browser's): de-DE writes 1.234,5.
const locale = () => document.documentElement.lang || undefined;

function formatNumber(value, format, digits) {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return '';
  if (Math.abs(value) < 1e-9) value = 0;
  switch (format) {
    case 'int': return Math.round(value).toLocaleString(locale());
    case 'percent': return value.toLocaleString(locale(), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    case 'compact': return Math.abs(value) >= 1000
      ? value.toLocaleString(locale(), { notation: 'compact', maximumFractionDigits: 1 })
      : Number(value.toPrecision(3)).toLocaleString(locale(), { maximumFractionDigits: 6 });
    case 'decimal': return Number(value.toPrecision(digits ?? 3)).toLocaleString(locale(), { maximumFractionDigits: 6 });
    default: return String(value);
  }
}

function prepare(json) {
  const options = JSON.parse(json);
  const format = options.format ?? {};
  delete options.format;
  const fx = (v) => formatNumber(v, format.x, format.digits);
  const fy = (v) => formatNumber(v, format.y, format.digits);

  options.legend = { ...(options.legend ?? {}), formatter: (name) => escapeHtml(name) };
  const tooltip = options.tooltip ?? {};
  options.tooltip = {
    ...tooltip,
    x: { formatter: (v) => escapeHtml(format.x ? fx(v) : v) },
    y: { formatter: (v) => escapeHtml(fy(v)), title: { formatter: (name) => escapeHtml(name) + ':' } },
    z: { formatter: (v) => escapeHtml(v), title: '' },
  };
  options.xaxis = { ...(options.xaxis ?? {}), tooltip: { enabled: false } };
  if (format.x) {
    options.xaxis.labels = { ...(options.xaxis.labels ?? {}), formatter: (v) => fx(typeof v === 'string' && v !== '' && !isNaN(v) ? Number(v) : v) };
  }
  if (format.y) {
    options.yaxis = { ...(options.yaxis ?? {}), labels: { ...((options.yaxis ?? {}).labels ?? {}), formatter: (v) => fy(v) } };
  }
  if (options.dataLabels?.enabled && format.dataLabels) {
    options.dataLabels.formatter = (v) => formatNumber(v, format.dataLabels, format.digits);
  }
  return options;
}

// Everything but the annotations, to tell an annotation-only change (the "chosen k" marker) from one that needs a redraw.
function withoutAnnotations(json) {
  const raw = JSON.parse(json);
  const annotations = raw.annotations ?? {};
  delete raw.annotations;
  return { key: JSON.stringify(raw), annotations };
}

// Charts in view are drawn at once; charts out of view when they come near it or when the browser is idle (within 1.5 s), so that
// a change of k redraws what the user sees first and everything is drawn soon after. Every host stays observed, so whether it is
// in view is known when an update arrives.
const pending = new Map();
const inView = new WeakSet();
const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback : (callback) => setTimeout(callback, 200);

function runPending(host) {
  const draw = pending.get(host);
  if (!draw) return;
  pending.delete(host);
  draw();
}

const observer = typeof IntersectionObserver === 'function'
  ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          inView.add(entry.target);
          runPending(entry.target);
        } else {
          inView.delete(entry.target);
        }
      }
    }, { rootMargin: '200px 0px' })
  : null;

function whenVisible(host, draw, first) {
  if (!observer) { draw(); return; }
  if (first) observer.observe(host);
  if (inView.has(host)) {
    pending.delete(host);
    draw();
    return;
  }

  const waiting = pending.has(host);
  pending.set(host, draw);
  if (!waiting) idle(() => runPending(host), { timeout: 1500 });
}

// A handle for C#: the apexcharts instance is made when the element is in view, and updates before that replace the options.
export function create(element, json) {
  const handle = { element, chart: null, json, key: null, destroyed: false };
  whenVisible(element, () => draw(handle), true);
  return handle;
}

function draw(handle) {
  if (handle.destroyed || !handle.element.isConnected) return;
  const json = handle.json;
  const { key, annotations } = withoutAnnotations(json);
  if (!handle.chart) {
    handle.chart = new ApexCharts(handle.element, prepare(json));
    handle.rendered = handle.chart.render();
  } else if (key === handle.key) {
    const chart = handle.chart;
    chart.clearAnnotations();
    for (const a of annotations.xaxis ?? []) chart.addXaxisAnnotation(a, false);
    for (const a of annotations.yaxis ?? []) chart.addYaxisAnnotation(a, false);
    for (const a of annotations.points ?? []) chart.addPointAnnotation(a, false);
  } else {
    handle.chart.updateOptions(prepare(json), true, false, false);
  }
  handle.key = key;
}

// Updates and destroys that arrive after the element left the page (a fast navigation) are ignored: apexcharts would throw
// "Element not found" drawing into it.
export function update(handle, json) {
  if (!handle || handle.destroyed || !handle.element.isConnected) return;
  handle.json = json;
  whenVisible(handle.element, () => draw(handle), false);
}

export function destroy(handle) {
  if (!handle) return;
  handle.destroyed = true;
  pending.delete(handle.element);
  observer?.unobserve(handle.element);
  try {
    handle.chart?.destroy();
  } catch {
    // Already torn down with its element.
  }
  handle.chart = null;
}

// The chart as an image: PNG (the chart's own size, white background) or SVG, saved under fileName. A chart not drawn yet (out of
// view) is drawn first. Returns the image's width and height in pixels, for the caller to report.
export async function downloadImage(handle, kind, fileName) {
  if (!handle || handle.destroyed || !handle.element.isConnected) return null;
  if (!handle.chart) {
    pending.delete(handle.element);
    draw(handle);
  }
  await handle.rendered;
  const chart = handle.chart;
  const width = Math.round(chart.w.globals.svgWidth);
  const height = Math.round(chart.w.globals.svgHeight);
  if (kind === 'png') {
    const { imgURI } = await chart.dataURI({ scale: 1 });
    downloadUrl(fileName, imgURI);
  } else {
    const svg = await chart.getSvgString(1);
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml;charset=utf-8' }));
    downloadUrl(fileName, url);
  }
  return [width, height];
}


// Puts text on the clipboard; false when the browser refuses (no permission, not a secure context).
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
