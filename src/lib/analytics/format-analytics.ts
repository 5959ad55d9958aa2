// Human lines for `rec analytics`: one for all feeds, one per experiment arm.
import type {ExperimentStats} from './experiment-stats.js'
import type {RateFigures} from './rates.js'
import type {AnalyticsReport} from './run-analytics.js'

const pct = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(2)}%`)
const range = (ci: [number, number] | null) => (ci === null ? '' : ` [${pct(ci[0])}, ${pct(ci[1])}]`)

function rateLine(r: RateFigures): string {
  return `impressions ${r.impressions} | clicks ${r.clicks} | ctr ${pct(r.ctr)}${range(r.ctr_ci)} | conversions ${r.conversions} | conversion ${pct(r.conversion_rate)}${range(r.conversion_ci)}`
}

function experimentLines(e: ExperimentStats): string[] {
  return e.arms.map((arm) => {
    const vs = arm.vs_control
    const diff = (name: string, d: {diff: number; p_value: number} | null) => (d ? ` | ${name} ${d.diff >= 0 ? '+' : ''}${(100 * d.diff).toFixed(2)} pp p=${d.p_value.toPrecision(3)}` : '')
    const against = vs ? `${diff('ctr vs control', vs.ctr)}${diff('conversion vs control', vs.conversion)}` : ' | control'
    return `${e.experiment}/${arm.arm}: ${rateLine(arm)}${against}`
  })
}

export function formatAnalytics(report: AnalyticsReport): string[] {
  const g = report.global
  const span = g.window.days === null ? `up to ${g.window.until}` : `last ${g.window.days} days to ${g.window.until}`
  return [`all feeds (${span}): ${rateLine(g)}`, ...report.experiments.flatMap(experimentLines)]
}
