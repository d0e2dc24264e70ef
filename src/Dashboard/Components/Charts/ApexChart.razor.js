// Our thin wrapper around apexcharts (loaded globally from lib/apexcharts). Options arrive as JSON from C#.
// apexcharts writes legend entries and tooltips with innerHTML, so every text that can reach those sinks goes through
// escapeHtml here; axis labels and titles are SVG text and are left as they are.

const escapeHtml = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function formatNumber(value, format, digits) {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return '';
  if (Math.abs(value) < 1e-9) value = 0;
  switch (format) {
    case 'int': return Math.round(value).toLocaleString('en-US');
    case 'percent': return (value * 100).toFixed(1) + '%';
    case 'compact': return Math.abs(value) >= 1000
      ? value.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 })
      : Number(value.toPrecision(3)).toString();
    case 'decimal': return Number(value.toPrecision(digits ?? 3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
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

export function create(element, json) {
  const chart = new ApexCharts(element, prepare(json));
  chart.render();
  return chart;
}

export function update(chart, json) {
  chart.updateOptions(prepare(json), true, false, false);
}

export function destroy(chart) {
  chart?.destroy();
}
