// analytics.html: one self-contained page (inline CSS and SVG, no scripts, no external assets) with per-day CTR charts per arm.
import {escapeHtml as esc, lineChart} from '../eval/svg-charts.js'
import type {AnalyticsReport} from './run-analytics.js'
import type {ArmStats, ExperimentStats} from './experiment-stats.js'
import type {ShareRow} from './global-stats.js'
import type {DiffFigures} from './rates.js'

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:14px;margin:16px 0 4px}
.protocol{background:#f4f6fb;padding:8px 12px;border-left:4px solid #4269d0;font-size:12px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:12px}.note{color:#666;font-size:12px}
.pos{color:#1a7f37}.neg{color:#c62828}.shares{display:flex;flex-wrap:wrap;gap:24px}`

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(2)}%`)
const ci = (range: [number, number] | null) => (range === null ? '' : ` <span class="note">[${pct(range[0])}, ${pct(range[1])}]</span>`)
const pp = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} pp`

function table(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

/** A date label every ~8th day at most, so that 30 dates fit a 560 px chart. */
const tickEvery = (days: number) => Math.max(1, Math.ceil(days / 8))

function diffCell(d: DiffFigures | null): string {
  if (!d) return '-'
  const cls = d.p_value < 0.05 ? (d.diff > 0 ? 'pos' : 'neg') : ''
  return `<span class="${cls}">${pp(d.diff)}</span> <span class="note">[${pp(d.ci[0])}, ${pp(d.ci[1])}] p=${d.p_value < 1e-4 ? d.p_value.toExponential(1) : d.p_value.toFixed(4)}</span>`
}

function armRow(arm: ArmStats, control: string): string[] {
  return [
    esc(arm.arm) + (arm.arm === control ? ' <span class="note">(control)</span>' : ''),
    String(arm.impressions),
    String(arm.clicks),
    pct(arm.ctr) + ci(arm.ctr_ci),
    String(arm.conversions),
    pct(arm.conversion_rate) + ci(arm.conversion_ci),
    diffCell(arm.vs_control?.ctr ?? null),
    diffCell(arm.vs_control?.conversion ?? null),
  ]
}

function experimentSection(e: ExperimentStats): string {
  const labels = e.daily.map((d) => d.date.slice(5))
  const series = (value: 'ctr' | 'conversion_rate') => e.arms.map((arm, i) => ({name: arm.arm, values: e.daily.map((d) => d.arms[i][value])}))
  const charts = [
    lineChart({id: `ctr-${e.experiment}`, title: `${e.experiment}: CTR per day by arm`, labels, yLabel: 'CTR', series: series('ctr'), tickEvery: tickEvery(labels.length)}),
    lineChart({id: `conversion-${e.experiment}`, title: `${e.experiment}: conversion per day by arm`, labels, yLabel: 'conversions per click', series: series('conversion_rate'), tickEvery: tickEvery(labels.length)}),
  ]
  return [
    `<h2>Experiment ${esc(e.experiment)}</h2>`,
    table(['arm', 'impressions', 'clicks', 'CTR [95%]', 'conversions', 'conversion [95%]', 'CTR vs control', 'conversion vs control'], e.arms.map((arm) => armRow(arm, e.control))),
    `<p class="note">Intervals: Wilson 95% per arm; against the control the difference with its unpooled 95% interval and the pooled two-proportion z-test p-value (coloured where p &lt; 0.05).</p>`,
    `<div class="charts">${charts.join('')}</div>`,
  ].join('\n')
}

function shareTable(title: string, rows: ShareRow[]): string {
  return `<div><h3>${esc(title)}</h3>${table(['', 'impressions', 'share'], rows.map((r) => [esc(r.name), String(r.impressions), pct(r.share)]))}</div>`
}

export function renderAnalyticsHtml(report: AnalyticsReport): string {
  const g = report.global
  const title = `rec analytics: ${report.store}`
  const span = g.window.days === null ? `everything up to ${g.window.until}` : `${g.window.days} days: ${g.window.since} to ${g.window.until}`
  const labels = g.daily.map((d) => d.date.slice(5))
  return [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    `<p class="protocol">${esc(span)}. An impression is a (request, item) slot; a click, an impression with an attributed click; CTR = clicked impressions / impressions; conversion = clicked impressions followed by ${esc(g.conversion.events.join(' or '))} on the item by the same user within ${g.conversion.window_hours} h / clicked impressions. Days are UTC days of the impression.</p>`,
    `<h2>All feeds</h2>`,
    table(['impressions', 'clicks', 'CTR [95%]', 'conversions', 'conversion [95%]'], [[String(g.impressions), String(g.clicks), pct(g.ctr) + ci(g.ctr_ci), String(g.conversions), pct(g.conversion_rate) + ci(g.conversion_ci)]]),
    `<div class="charts">${lineChart({id: 'daily-ctr', title: 'CTR per day', labels, yLabel: 'CTR', series: [{name: 'all feeds', values: g.daily.map((d) => d.ctr)}], tickEvery: tickEvery(labels.length)})}</div>`,
    ...report.experiments.map(experimentSection),
    report.experiments.length === 0 ? '<p class="note">No impression in the window carries an experiment.</p>' : '',
    `<h2>Shares of impressions</h2><div class="shares">${shareTable('by source', g.share.source)}${shareTable('by arm', g.share.arm)}${shareTable('by strategy', g.share.strategy)}</div>`,
    `<h2>Top items</h2>`,
    table(['item', 'impressions', 'clicks', 'CTR'], g.top_items.map((r) => [esc(r.item_id), String(r.impressions), String(r.clicks), pct(r.ctr)])),
    `<h2>Per day</h2>`,
    table(['day (UTC)', 'impressions', 'clicks', 'CTR', 'conversions', 'conversion'], g.daily.map((d) => [d.date, String(d.impressions), String(d.clicks), pct(d.ctr), String(d.conversions), pct(d.conversion_rate)])),
    '</body></html>\n',
  ].join('\n')
}
