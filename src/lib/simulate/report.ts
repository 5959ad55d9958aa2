// The simulation report: protocol, per arm and persona stats, paired B - A differences; and its one-screen text form.
import type {Persona} from './personas.js'
import type {SimulateOptions} from './run.js'
import {groupStats, type GroupStats, LOWER_IS_BETTER, METRICS, type PairedDiff, pairedDiffs, type UserRun} from './stats.js'
import {STEP_MS} from './step.js'

export const REPORT_FORMAT = 'rec-simulation/1'

export interface SimulationReport {
  format: typeof REPORT_FORMAT
  /** True when the run was interrupted (Ctrl-C): the figures cover the steps that ran. */
  partial: boolean
  protocol: {
    world: string
    mode: 'base-url' | 'a-b'
    servers: {name: string; base_url: string; spec?: string}[]
    personas: {name: string; description: string}[]
    sessions_per_persona: number
    steps_per_session: number
    k: number
    concurrency: number
    seed: number
    text: string[]
  }
  /** One per arm and persona, and per arm for persona "all". */
  groups: GroupStats[]
  /** A/B runs: B - A per persona and for "all", paired by user. */
  comparison?: {a: string; b: string; by_persona: Record<string, PairedDiff[]>}
  /** Wall time of the steps (after the world and users are loaded); feed_steps counts one per user per step per server. */
  timing: {seconds: number; feed_steps: number; feed_steps_per_second: number}
}

function protocolText(options: SimulateOptions, mode: 'base-url' | 'a-b'): string[] {
  return [
    `Users: ${options.sessionsPerPersona} per persona, each a distinct user of the world ${options.world} (drawn with seed ${options.seed}) seen through the persona; the persona changes the shared response model's coefficients or the user's true interests (config/personas.yaml).`,
    `Steps: ${options.stepsPerSession} per user: GET /v1/recommendations (k ${options.k}), the user's response to each shown item drawn from the response model of src/lib/dataset/synthetic/behaviour.ts on truth (interest in the item's true topic, quality, safety, recency, in-network), POST /v1/interactions with request_id, position and dwell_ms. Simulated time moves ${STEP_MS / 1000} s per step; nothing the server reads comes from truth.`,
    mode === 'a-b'
      ? 'A/B: the same users with the same response seeds meet A and B, step by step side by side; each server keeps its own state.'
      : 'One server: users are reported by the arm tag of their first feed (an experiment splits them by hash; arms are not paired).',
    'Rates are per impression (pooled); ctr_late is the CTR of the last half of each session; regret = expected examined-and-attracted slots of an oracle feed (every item by true attraction at the start, top k) minus those of the served feed, per feed; ild = share of slot pairs of different true topic; mean_interest = the user\'s true interest in the shown items\' topics.',
    `Differences: B - A of the per-user metric, mean over users, 95% percentile interval of 1,000 paired bootstrap resamples over users (seed ${options.seed}).`,
  ]
}

export function buildReport(input: {options: SimulateOptions; personas: Persona[]; runs: UserRun[][]; partial: boolean; seconds: number; feedSteps: number}): SimulationReport {
  const {options, personas, runs} = input
  const mode = options.targets.length === 2 ? 'a-b' : 'base-url'
  // one server: regroup by each user's first arm tag
  const byArm = new Map<string, UserRun[]>()
  if (mode === 'a-b') options.targets.forEach((t, i) => byArm.set(t.name, runs[i]))
  else for (const run of runs[0]) if (run.steps.length > 0) byArm.set(run.steps[0].arm, [...(byArm.get(run.steps[0].arm) ?? []), run])
  const groups: GroupStats[] = []
  for (const [arm, list] of byArm) {
    for (const persona of personas) groups.push(groupStats(arm, persona.name, list.filter((r) => r.persona === persona.name && r.steps.length > 0)))
    groups.push(groupStats(arm, 'all', list.filter((r) => r.steps.length > 0)))
  }
  let comparison: SimulationReport['comparison']
  if (mode === 'a-b') {
    const [a, b] = runs
    const by_persona: Record<string, PairedDiff[]> = {}
    for (const persona of personas) by_persona[persona.name] = pairedDiffs(a.filter((r) => r.persona === persona.name), b.filter((r) => r.persona === persona.name), options.seed)
    by_persona.all = pairedDiffs(a, b, options.seed)
    comparison = {a: options.targets[0].name, b: options.targets[1].name, by_persona}
  }
  const round = (v: number) => Math.round(v * 100) / 100
  return {
    format: REPORT_FORMAT,
    partial: input.partial,
    protocol: {
      world: options.world,
      mode,
      servers: options.targets.map((t) => ({name: t.name, base_url: t.baseUrl, ...(t.spec !== undefined ? {spec: t.spec} : {})})),
      personas: personas.map((p) => ({name: p.name, description: p.description})),
      sessions_per_persona: options.sessionsPerPersona,
      steps_per_session: options.stepsPerSession,
      k: options.k,
      concurrency: options.concurrency,
      seed: options.seed,
      text: protocolText(options, mode),
    },
    groups,
    ...(comparison ? {comparison} : {}),
    timing: {seconds: round(input.seconds), feed_steps: input.feedSteps, feed_steps_per_second: round(input.feedSteps / Math.max(input.seconds, 1e-9))},
  }
}

const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(4))

/** A few lines for stderr: per arm over all personas, then B - A over all users with intervals. */
export function formatReport(report: SimulationReport): string[] {
  const shown = ['ctr', 'ctr_late', 'like_rate', 'skip_rate', 'hide_rate', 'unsafe_rate', 'mean_interest', 'regret', 'ild'] as const
  const lines = [`${report.partial ? 'PARTIAL (interrupted): ' : ''}${report.timing.feed_steps} feed steps in ${report.timing.seconds} s (${report.timing.feed_steps_per_second}/s)`]
  for (const g of report.groups.filter((g) => g.persona === 'all')) {
    lines.push(`${g.arm}: users ${g.users} impressions ${g.impressions} unsafe_shown ${g.unsafe_shown} ` + shown.map((m) => `${m} ${fmt(g.metrics[m])}`).join(' '))
  }
  const all = report.comparison?.by_persona.all
  if (all && report.comparison) {
    lines.push(`${report.comparison.b} - ${report.comparison.a} over users (95% bootstrap interval):`)
    for (const d of all) lines.push(`  ${d.metric.padEnd(15)} ${d.delta >= 0 ? '+' : ''}${fmt(d.delta)} [${fmt(d.ci[0])}, ${fmt(d.ci[1])}]${d.verdict === 'none' ? '' : `  B ${d.verdict}`}`)
  }
  return lines
}

/** --fail-if-worse METRIC[:margin]: B is worse when the whole interval lies beyond `margin` on A's side of 0. */
export function isWorse(report: SimulationReport, metric: string, margin: number): boolean {
  const d = report.comparison?.by_persona.all.find((x) => x.metric === metric)
  if (!d) return false
  return LOWER_IS_BETTER.has(d.metric) ? d.ci[0] > margin : d.ci[1] < -margin
}

export const KNOWN_METRICS: readonly string[] = METRICS
