// report.html of rec simulate: one self-contained page (inline CSS and SVG, no scripts, no external assets).
import {escapeHtml as esc, groupedBarChart, lineChart} from '../eval/svg-charts.js'
import type {SimulationReport} from './report.js'
import {LOWER_IS_BETTER, METRICS, type PairedDiff} from './stats.js'

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
.protocol{background:#f4f6fb;padding:8px 12px;border-left:4px solid #4269d0;font-size:12px}
table{border-collapse:collapse;margin:8px 0;font-size:12px}.wide{overflow-x:auto}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}.charts{display:flex;flex-wrap:wrap;gap:12px}.note{color:#666;font-size:12px}
.better{color:#1a7f37}.worse{color:#c62828}.partial{background:#fff3cd;padding:8px 12px}`

const num = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(4))

function table(header: string[], rows: string[][], attrs = ''): string {
  return `<table${attrs}><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

function diffRow(persona: string, d: PairedDiff): string[] {
  const sign = d.delta >= 0 ? '+' : ''
  return [esc(persona), esc(d.metric), num(d.mean_a), num(d.mean_b), `<span class="${d.verdict}">${sign}${num(d.delta)}</span>`, `[${num(d.ci[0])}, ${num(d.ci[1])}]`, d.verdict === 'none' ? '-' : `<span class="${d.verdict}">B ${d.verdict}</span>`]
}

export function renderSimulationHtml(report: SimulationReport): string {
  const arms = [...new Set(report.groups.map((g) => g.arm))]
  const personas = [...new Set(report.groups.map((g) => g.persona))]
  const overall = report.groups.filter((g) => g.persona === 'all')
  const depth = Math.max(0, ...overall.map((g) => g.ctr_by_step.length))
  const charts = [
    lineChart({id: 'adaptation', title: 'Adaptation: CTR by step (all personas)', labels: Array.from({length: depth}, (_, s) => String(s + 1)), yLabel: 'CTR', series: overall.map((g) => ({name: g.arm, values: g.ctr_by_step})), tickEvery: Math.max(1, Math.ceil(depth / 12))}),
    groupedBarChart({id: 'ctr-by-persona', title: 'CTR by persona', labels: personas, yLabel: 'CTR', series: arms.map((arm) => ({name: arm, values: personas.map((p) => report.groups.find((g) => g.arm === arm && g.persona === p)?.metrics.ctr ?? null)}))}),
    groupedBarChart({id: 'interest-by-persona', title: 'Mean true interest of shown items', labels: personas, yLabel: 'interest', series: arms.map((arm) => ({name: arm, values: personas.map((p) => report.groups.find((g) => g.arm === arm && g.persona === p)?.metrics.mean_interest ?? null)}))}),
  ]
  const groupRows = report.groups.map((g) => [esc(g.arm), esc(g.persona), String(g.users), String(g.impressions), String(g.unsafe_shown), ...METRICS.map((m) => num(g.metrics[m]))])
  const comparison = report.comparison
  const diffs = comparison
    ? [
        `<h2>${esc(comparison.b)} − ${esc(comparison.a)}, paired by user</h2>`,
        table(['persona', 'metric', 'A', 'B', 'B − A', '95% interval', 'verdict'], Object.entries(comparison.by_persona).flatMap(([persona, list]) => list.map((d) => diffRow(persona, d))), ' data-table="diffs"'),
        `<p class="note">Lower is better for ${[...LOWER_IS_BETTER].join(', ')}; a verdict is given where the whole interval lies on one side of 0.</p>`,
      ].join('\n')
    : ''
  const servers = report.protocol.servers.map((s) => `<li>${esc(s.name)}: ${esc(s.base_url)}${s.spec ? ` <code>rec serve ${esc(s.spec)}</code>` : ''}</li>`).join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rec simulate report</title><style>${STYLE}</style></head>
<body>
<h1>rec simulate: ${esc(report.protocol.world)}</h1>
${report.partial ? '<p class="partial">Interrupted: the figures cover the steps that ran.</p>' : ''}
<div class="protocol" data-section="protocol"><strong>Protocol.</strong><ul>${report.protocol.text.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>
<p>Servers:</p><ul>${servers}</ul><p>Personas:</p><ul>${report.protocol.personas.map((p) => `<li><strong>${esc(p.name)}</strong>: ${esc(p.description)}</li>`).join('')}</ul></div>
<h2>By arm and persona</h2>
<div class="wide">${table(['arm', 'persona', 'users', 'impressions', 'unsafe shown', ...METRICS], groupRows, ' data-table="groups"')}</div>
${diffs}
<h2>Charts</h2>
<div class="charts">${charts.join('')}</div>
<p class="note">${report.timing.feed_steps} feed steps in ${report.timing.seconds} s.</p>
</body></html>
`
}
