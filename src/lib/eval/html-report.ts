// report.html: one self-contained page (inline CSS and SVG, no scripts, no external assets) that opens offline.
import {fmt} from './format-table.js'
import {HISTOGRAM_BINS} from './popularity-histogram.js'
import {focusK} from './protocol-line.js'
import {summarizeReport} from './report-summary.js'
import type {EvalReport} from './report-schema.js'
import {escapeHtml as esc, groupedBarChart, lineChart} from './svg-charts.js'

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1180px;color:#222;padding:0 16px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd}
.protocol{background:#f4f6fb;padding:8px 12px;border-left:4px solid #4269d0;font-family:ui-monospace,monospace;font-size:12px}
.warning{background:#fff4e0;border-left:4px solid #efb118;padding:6px 12px;margin:6px 0}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:12px}.note{color:#666;font-size:12px}
th[colspan]{text-align:center}.summary{font-size:15px;margin:4px 0}.pos{color:#1a7f37}.neg{color:#c62828}`

export function renderReportHtml(report: EvalReport): string {
  const {protocol} = report
  const title = `rec eval: ${report.dataset.name}, ${protocol.split} split`
  return [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(title)}</h1>`,
    ...summarizeReport(report).map((line) => `<p class="summary">${esc(line)}</p>`),
    `<p class="protocol">${esc(protocol.line)}</p>`,
    `<p class="note">dataset ${esc(report.dataset.path)} (fingerprint ${esc(report.dataset.fingerprint)}); seed ${protocol.seed}; ${report.timings.totalSeconds.toFixed(1)} s</p>`,
    ...report.warnings.map((w) => `<div class="warning">${esc(w)}</div>`),
    `<h2>Charts</h2><div class="charts">${charts(report).join('')}</div>`,
    `<h2>Metrics</h2>${metricsTable(report)}`,
    report.ranker ? `<h2>Ranker</h2>${rankerSection(report)}` : '',
    report.comparison ? `<h2>Comparison</h2>${comparisonTable(report)}` : '',
    `<h2>Segments</h2>${segmentsTable(report)}<p class="note">users: ${esc(report.segments.definitions.userActivity)}<br>targets: ${esc(report.segments.definitions.targetPopularity)}</p>`,
    `<h2>Models</h2>${modelsTable(report)}`,
    '</body></html>\n',
  ].join('\n')
}

function charts(report: EvalReport): string[] {
  const {ks, kind} = report.protocol
  const k = focusK(ks)
  const head = kind === 'full' ? 'recall' : 'sampled_hitrate'
  const series = (value: (key: string) => (number | null)[]) => report.models.map((m) => ({name: m.label, values: value(m.key)}))
  const out = [
    lineChart({id: 'recall-curve', title: `${head}@K`, labels: ks.map((x) => `K=${x}`), yLabel: head, series: series((key) => ks.map((x) => report.metrics[key][`${head}@${x}`] ?? null))}),
  ]
  const groups = ['userActivity', 'targetPopularity'] as const
  const first = report.segments.models[report.models[0].key]
  const labels = groups.flatMap((g) => first[g].map((s) => `${s.name} (${s.users})`))
  out.push(
    groupedBarChart({
      id: 'segments',
      title: `${head}@${k} by segment (users)`,
      labels,
      yLabel: `${head}@${k}`,
      series: series((key) => groups.flatMap((g) => report.segments.models[key][g].map((s) => s.metrics[`${head}@${k}`] ?? null))),
    }),
  )
  const withBias = report.models.filter((m) => report.popularityBias[m.key])
  if (withBias.length > 0) {
    const step = 100 / HISTOGRAM_BINS
    out.push(
      groupedBarChart({
        id: 'popularity-bias',
        title: `recommended items by popularity percentile (top ${report.popularityBias[withBias[0].key].k})`,
        labels: Array.from({length: HISTOGRAM_BINS}, (_, i) => `${i * step}-${(i + 1) * step}`),
        yLabel: 'share of items', // rotated along the 200 px plot: the longer label ran past the top
        series: withBias.map((m) => ({name: m.label, values: report.popularityBias[m.key].bins})),
      }),
    )
  }
  return out
}

function table(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

/** Metric families as rows; per K one column per model. */
function metricsTable(report: EvalReport): string {
  const {ks} = report.protocol
  const names = [...new Set(report.models.flatMap((m) => Object.keys(report.metrics[m.key])))]
  const families = [...new Set(names.filter((n) => n.includes('@')).map((n) => n.slice(0, n.lastIndexOf('@'))))]
  const single = names.filter((n) => !n.includes('@'))
  const models = report.models
  const head =
    `<tr><th></th>${ks.map((k) => `<th colspan="${models.length}">@${k}</th>`).join('')}</tr>` +
    `<tr><th>metric</th>${ks.map(() => models.map((m) => `<th>${esc(m.label)}</th>`).join('')).join('')}</tr>`
  const rows = families.map((f) => `<tr><td>${esc(f)}</td>${ks.map((k) => models.map((m) => `<td>${fmt(report.metrics[m.key][`${f}@${k}`])}</td>`).join('')).join('')}</tr>`)
  const extra = single.map((n) => `<tr><td>${esc(n)}</td><td colspan="${ks.length * models.length}">${models.map((m) => `${esc(m.label)} ${fmt(report.metrics[m.key][n])}`).join('; ')}</td></tr>`)
  const note = `<p class="note">popularity: mean popularity percentile (0-100) of recommended items; novelty: mean self-information (bits); diversity: intra-list diversity over ${esc(report.protocol.diversityFeature ?? 'no categorical item feature')}; coverage: share of the catalogue recommended to anyone</p>`
  return `<table><thead>${head}</thead><tbody>${[...rows, ...extra].join('')}</tbody></table>${note}`
}

function comparisonTable(report: EvalReport): string {
  const c = report.comparison!
  const label = (key: string) => esc(report.models.find((m) => m.key === key)?.label ?? key)
  const rows = Object.entries(c.metrics).map(([name, m]) => {
    const cls = m.ciLow > 0 ? 'pos' : m.ciHigh < 0 ? 'neg' : ''
    return [esc(name), fmt(m.meanA), fmt(m.meanB), `<span class="${cls}">${fmt(m.delta)}</span>`, `[${fmt(m.ciLow)}, ${fmt(m.ciHigh)}]`, m.pValue.toFixed(3)]
  })
  const note = `<p class="note">delta = B - A per user, paired bootstrap over ${report.protocol.usersEvaluated} users, ${c.resamples} resamples, seed ${c.seed}</p>`
  return table(['metric', label(c.a), label(c.b), 'delta (B - A)', `${Math.round(c.confidence * 100)}% CI`, 'p'], rows) + note
}

/** The stage rows against their parents (ceiling, paired deltas), then the ranker's heads on the labelled pairs. */
function rankerSection(report: EvalReport): string {
  const ranker = report.ranker!
  const {heads} = ranker
  const staged = report.models.filter((m) => m.stage)
  const deltaNames = [...new Set(staged.flatMap((m) => Object.keys(m.stage!.delta)))]
  const stageRows = staged.map((m) => {
    const stage = m.stage!
    const cells = deltaNames.map((name) => {
      const d = stage.delta[name]
      if (!d) return '-'
      const cls = d.ciLow > 0 ? 'pos' : d.ciHigh < 0 ? 'neg' : ''
      return `<span class="${cls}">${fmt(d.delta)}</span> [${fmt(d.ciLow)}, ${fmt(d.ciHigh)}] p ${d.pValue.toFixed(3)}`
    })
    return [esc(m.label), stage.candidates ? `${stage.candidates.depth} (mean ${stage.candidates.meanPerUser.toFixed(1)})` : '-', stage.candidateRecall === null ? '-' : fmt(stage.candidateRecall), ...cells]
  })
  const headRows = Object.entries(heads.metrics).map(([name, m]) => [esc(name), String(m.examples), fmt(m.baseRate), fmt(m.auc), fmt(m.prAuc), fmt(m.logloss), fmt(m.rce), fmt(m.ece)])
  const fusion = Object.entries(ranker.fusion).map(([h, w]) => `${esc(h)} ${w.toFixed(3)}`).join(', ')
  return [
    `<p class="note">${esc(ranker.id)} (${esc(ranker.arch)}); fusion ${fusion}; request time: ${esc(ranker.requestTime)}; cross statistics from ${ranker.statsSplits.join('+')}${ranker.retrievalScore ? `; retrieval_score from ${esc(ranker.retrievalScore)}` : ''}</p>`,
    table(['stage', 'candidates', 'candidate recall (ceiling)', ...deltaNames.map((n) => `${esc(n)} vs parent`)], stageRows),
    `<table data-table="ranker-heads"><caption>heads on ${heads.examples} labelled ${heads.split} pairs</caption><thead><tr>${['head', 'examples', 'base rate', 'AUC', 'PR-AUC', 'logloss', 'RCE', 'ECE'].map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${headRows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
    `<p class="note">${esc(heads.labelling)}${heads.skipped.length ? `; no metric (one class only): ${esc(heads.skipped.join(', '))}` : ''}. RCE: 100 x (1 - logloss / logloss of the base rate); ECE over 10 probability bins.</p>`,
  ].join('')
}

function segmentsTable(report: EvalReport): string {
  const names = Object.keys(report.segments.models[report.models[0].key].userActivity.find((s) => s.users > 0)?.metrics ?? {})
  const rows: string[][] = []
  for (const group of ['userActivity', 'targetPopularity'] as const) {
    for (const m of report.models) {
      for (const s of report.segments.models[m.key][group]) rows.push([esc(`${s.name} ${group === 'userActivity' ? 'users' : 'targets'}`), esc(m.label), String(s.users), ...names.map((n) => fmt(s.metrics[n]))])
    }
  }
  return table(['segment', 'model', 'users', ...names.map(esc)], rows)
}

function modelsTable(report: EvalReport): string {
  const rows = report.models.map((m) => {
    const details = [m.arch, m.neighbours && `${m.neighbours.chosen} neighbours${m.neighbours.tunedOn ? ` (tuned on val ${m.neighbours.metric})` : ' (fixed)'}`, m.seed !== undefined && `seed ${m.seed}`, m.parent && `stage after ${m.parent}`]
    const t = report.timings.models[m.key]
    return [esc(m.label), esc(m.id), m.kind, esc(details.filter(Boolean).join('; ')), `${t.buildSeconds.toFixed(2)} s`, `${t.rankSeconds.toFixed(2)} s`]
  })
  return table(['model', 'id', 'kind', 'details', 'build', 'rank + score'], rows)
}
