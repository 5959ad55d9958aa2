// Inline SVG charts for the HTML report: a line chart and a grouped bar chart, no scripts, no external assets.

export interface Series {
  name: string
  /** One value per x label or group; null leaves a gap. */
  values: (number | null)[]
}

export interface ChartSpec {
  /** data-chart attribute, e.g. "recall-curve". */
  id: string
  title: string
  labels: string[]
  series: Series[]
  yLabel: string
  /** Label every n-th x category only (e.g. 30 dates), the others keep their value tooltips; default every one. */
  tickEvery?: number
}

const WIDTH = 560
const HEIGHT = 300
// the right margin holds half of the last x label, centred on the plot's edge ("K=100" is ~32 px at 11 px)
const MARGIN = {top: 36, right: 28, bottom: 64, left: 56}
const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5']

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/** Lines with markers over evenly spaced categories (e.g. K = 10, 20, 50, 100). */
export function lineChart(spec: ChartSpec): string {
  const frame = chartFrame(spec)
  const step = frame.plotWidth / Math.max(1, spec.labels.length - 1)
  const x = (i: number) => MARGIN.left + (spec.labels.length === 1 ? frame.plotWidth / 2 : i * step)
  const body = spec.series.map((s, si) => {
    const colour = PALETTE[si % PALETTE.length]
    const points = s.values.flatMap((v, i) => (v === null ? [] : [`${x(i).toFixed(1)},${frame.y(v).toFixed(1)}`]))
    const dots = s.values.map((v, i) => (v === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${frame.y(v).toFixed(1)}" r="3.5" fill="${colour}"><title>${escapeHtml(`${s.name} ${spec.labels[i]}: ${v.toFixed(4)}`)}</title></circle>`))
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>${dots.join('')}`
  })
  const every = Math.max(1, Math.floor(spec.tickEvery ?? 1))
  const ticks = spec.labels.map((label, i) => (i % every === 0 ? `<text x="${x(i).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>` : ''))
  return frame.wrap(body.join('') + ticks.join(''))
}

/** One group of bars per label, one bar per series inside each group. */
export function groupedBarChart(spec: ChartSpec): string {
  const frame = chartFrame(spec)
  const groupWidth = frame.plotWidth / Math.max(1, spec.labels.length)
  const barWidth = (groupWidth * 0.8) / Math.max(1, spec.series.length)
  const bars = spec.series.flatMap((s, si) =>
    s.values.map((v, gi) => {
      if (v === null) return ''
      const left = MARGIN.left + gi * groupWidth + groupWidth * 0.1 + si * barWidth
      const top = frame.y(v)
      return `<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, barWidth - 1).toFixed(1)}" height="${(frame.y(0) - top).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeHtml(`${s.name} ${spec.labels[gi]}: ${v.toFixed(4)}`)}</title></rect>`
    }),
  )
  const ticks = spec.labels.map((label, gi) => `<text x="${(MARGIN.left + (gi + 0.5) * groupWidth).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`)
  return frame.wrap(bars.join('') + ticks.join(''))
}

/** Axes, y grid with 5 ticks from 0 to a rounded maximum, title and legend; `wrap` closes the <svg>. */
function chartFrame(spec: ChartSpec): {plotWidth: number; y: (v: number) => number; wrap: (body: string) => string} {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const max = niceMax(Math.max(0, ...spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null))))
  const y = (v: number) => MARGIN.top + plotHeight * (1 - v / max)
  const grid = [0, 1, 2, 3, 4, 5].map((t) => {
    const v = (max * t) / 5
    return `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/><text x="${MARGIN.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatTick(v)}</text>`
  })
  const legend = spec.series.map((s, i) => {
    const left = MARGIN.left + (i % 3) * 170
    const top = HEIGHT - 28 + Math.floor(i / 3) * 14
    return `<rect x="${left}" y="${top - 9}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${left + 14}" y="${top}">${escapeHtml(truncate(s.name, 26))}</text>`
  })
  const open =
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(spec.title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">` +
    `<title>${escapeHtml(spec.title)}</title><text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold">${escapeHtml(spec.title)}</text>` +
    `<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`
  return {plotWidth, y, wrap: (body) => open + grid.join('') + body + legend.join('') + '</svg>'}
}

/** 1, 2 or 5 times a power of ten at or above `v` (1 for an all-zero chart). */
function niceMax(v: number): number {
  if (!(v > 0)) return 1
  const power = 10 ** Math.floor(Math.log10(v))
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= v)!
}

function formatTick(v: number): string {
  return v === 0 ? '0' : v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toPrecision(2)
}

function truncate(text: string, n: number): string {
  return text.length <= n ? text : text.slice(0, n - 1) + '…'
}
