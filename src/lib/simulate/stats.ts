// Per-user metrics of simulated sessions, pooled rates per arm and persona, and paired B - A differences with bootstrap intervals over users.
import {pairedBootstrap} from '../metrics/bootstrap.js'
import type {StepRecord} from './step.js'

export const METRICS = ['ctr', 'ctr_late', 'like_rate', 'long_dwell_rate', 'skip_rate', 'hide_rate', 'unsafe_rate', 'mean_interest', 'regret', 'ild'] as const
export type Metric = (typeof METRICS)[number]
/** Metrics where B above A is B worse. */
export const LOWER_IS_BETTER: ReadonlySet<Metric> = new Set(['skip_rate', 'hide_rate', 'unsafe_rate', 'regret'])

/** One user's session on one server. */
export interface UserRun {
  key: string
  persona: string
  arm: string
  steps: StepRecord[]
}

type Sums = Omit<StepRecord, 'arm'>

function sum(steps: StepRecord[]): Sums {
  const s: Sums = {impressions: 0, clicks: 0, likes: 0, longDwells: 0, skips: 0, hides: 0, unsafe: 0, interest: 0, regret: 0, ild: 0, unknown: 0}
  for (const r of steps) for (const key of Object.keys(s) as (keyof Sums)[]) s[key] += r[key]
  return s
}

const rate = (n: number, d: number) => (d > 0 ? n / d : 0)

/** The metrics of a set of steps, rates pooled over their impressions; ctr_late is the CTR of the last half of each session's steps. */
function metricsOf(steps: StepRecord[], late: StepRecord[]): Record<Metric, number> {
  const s = sum(steps)
  const l = sum(late)
  return {
    ctr: rate(s.clicks, s.impressions),
    ctr_late: rate(l.clicks, l.impressions),
    like_rate: rate(s.likes, s.impressions),
    long_dwell_rate: rate(s.longDwells, s.impressions),
    skip_rate: rate(s.skips, s.impressions),
    hide_rate: rate(s.hides, s.impressions),
    unsafe_rate: rate(s.unsafe, s.impressions),
    mean_interest: rate(s.interest, s.impressions),
    regret: rate(s.regret, steps.length),
    ild: rate(s.ild, steps.length),
  }
}

const lateHalf = (steps: StepRecord[]) => steps.slice(Math.floor(steps.length / 2))

export function userMetrics(run: UserRun): Record<Metric, number> {
  return metricsOf(run.steps, lateHalf(run.steps))
}

/** One arm x persona cell of the report ("all" pools the personas). */
export interface GroupStats {
  arm: string
  persona: string
  users: number
  steps: number
  impressions: number
  unsafe_shown: number
  metrics: Record<Metric, number>
  /** CTR of step s (pooled over the group's users), s = 0 .. steps-1: the adaptation curve. */
  ctr_by_step: number[]
}

export function groupStats(arm: string, persona: string, runs: UserRun[]): GroupStats {
  const all = runs.flatMap((r) => r.steps)
  const depth = Math.max(0, ...runs.map((r) => r.steps.length))
  const ctrByStep = Array.from({length: depth}, (_, s) => {
    const at = sum(runs.flatMap((r) => (r.steps[s] ? [r.steps[s]] : [])))
    return rate(at.clicks, at.impressions)
  })
  const totals = sum(all)
  return {arm, persona, users: runs.length, steps: all.length, impressions: totals.impressions, unsafe_shown: totals.unsafe, metrics: metricsOf(all, runs.flatMap((r) => lateHalf(r.steps))), ctr_by_step: ctrByStep}
}

export interface PairedDiff {
  metric: Metric
  /** Means over users of the per-user metric. */
  mean_a: number
  mean_b: number
  delta: number
  ci: [number, number]
  p_value: number
  /** better / worse: the interval excludes 0 in B's favour / against it; else none. */
  verdict: 'better' | 'worse' | 'none'
}

/** B - A for every metric over the users both arms ran (paired by user key), bootstrap 95% percentile intervals (1,000 resamples, seeded). */
export function pairedDiffs(a: UserRun[], b: UserRun[], seed: number, resamples = 1000): PairedDiff[] {
  const byKey = new Map(b.filter((r) => r.steps.length > 0).map((r) => [r.key, r]))
  const pairs = a.filter((r) => r.steps.length > 0 && byKey.has(r.key)).map((r) => [userMetrics(r), userMetrics(byKey.get(r.key)!)] as const)
  if (pairs.length === 0) return []
  return METRICS.map((metric, m) => {
    const result = pairedBootstrap(
      pairs.map(([x]) => x[metric]),
      pairs.map(([, y]) => y[metric]),
      {seed: seed + m, resamples},
    )
    const sign = LOWER_IS_BETTER.has(metric) ? -1 : 1
    return {metric, mean_a: result.meanA, mean_b: result.meanB, delta: result.delta, ci: [result.ciLow, result.ciHigh], p_value: result.pValue, verdict: verdictOf(sign, result.ciLow, result.ciHigh)}
  })
}

/** B better when the whole interval lies on B's good side of 0, worse when on its bad side. */
function verdictOf(sign: number, low: number, high: number): PairedDiff['verdict'] {
  if (sign * low > 0 && sign * high > 0) return 'better'
  if (sign * low < 0 && sign * high < 0) return 'worse'
  return 'none'
}
