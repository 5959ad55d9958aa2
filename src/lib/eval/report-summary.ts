// The report's headline in plain words: which model wins on the focus metrics, by how much, with the interval.
import {fmt} from './format-table.js'
import {focusK} from './protocol-line.js'
import type {EvalReport} from './report-schema.js'

/**
 * With a paired comparison: B against A on the headline metric and NDCG at the focus K, each with its
 * bootstrap interval, and "no clear difference" when the interval spans 0. Without one: the models
 * ranked by the headline metric. Sentences, no markup.
 */
export function summarizeReport(report: EvalReport): string[] {
  const {ks, kind, split} = report.protocol
  const k = focusK(ks)
  const head = kind === 'full' ? 'recall' : 'sampled_hitrate'
  const names = [`${head}@${k}`, ...(kind === 'full' ? [`ndcg@${k}`] : [])]
  const label = (key: string) => report.models.find((m) => m.key === key)?.label ?? key
  const c = report.comparison
  if (c) {
    const level = `${Math.round(c.confidence * 100)}% CI`
    return names.flatMap((name) => {
      const m = c.metrics[name]
      if (!m) return []
      const [a, b] = [label(c.a), label(c.b)]
      const interval = `${level} [${fmt(m.ciLow)}, ${fmt(m.ciHigh)}]`
      if (m.ciLow > 0) return [`${b} beats ${a} on ${name} by ${fmt(m.delta)} (${fmt(m.meanB)} against ${fmt(m.meanA)}; ${interval}).`]
      if (m.ciHigh < 0) return [`${b} trails ${a} on ${name} by ${fmt(-m.delta)} (${fmt(m.meanB)} against ${fmt(m.meanA)}; ${interval}).`]
      return [`No clear difference between ${b} and ${a} on ${name}: ${fmt(m.delta)} (${interval} includes 0).`]
    })
  }
  const name = names[0]
  const ranked = report.models
    .map((m) => ({label: m.label, value: report.metrics[m.key][name]}))
    .filter((m): m is {label: string; value: number} => typeof m.value === 'number')
    .sort((x, y) => y.value - x.value)
  if (ranked.length === 0) return []
  const [best, ...rest] = ranked
  const others = rest.length > 0 ? `, ahead of ${rest.map((m) => `${m.label} (${fmt(m.value)})`).join(', ')}` : ''
  return [`On the ${split} split, ${best.label} has the highest ${name}: ${fmt(best.value)}${others}. Run with --compare for paired intervals.`]
}
