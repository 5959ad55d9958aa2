// The experiment guardrail: a treatment arm whose CTR or conversion falls too far below the control's is rolled back and rerouted.
import {type ConversionSpec, DEFAULT_CONVERSION} from '../analytics/conversion.js'
import {type ArmStats, type ExperimentStats, experimentStats} from '../analytics/experiment-stats.js'
import {loadSlots} from '../analytics/load-slots.js'
import type {Slot} from '../analytics/attribute.js'
import {statsWindow} from '../analytics/window.js'
import {isRecError, RecError} from '../errors.js'
import {readRegistry} from '../registry/read-registry.js'
import {rollbackAlias} from '../registry/rollback.js'
import type {Reroute, Store} from '../store/types.js'

/** An experiment's `guardrail:` block, keys as the YAML spells them. */
export interface GuardrailSpec {
  /** Both arms need at least this many impressions in the window before the guardrail may act. */
  'min-impressions': number
  /** Act when treatment CTR < control CTR x (1 - this). */
  'ctr-drop-ratio': number
  /** Act when treatment conversion rate < control conversion rate x (1 - this). */
  'conversion-drop-ratio': number
  /** The window: impressions of the last days x 24 h. */
  days: number
}

/** A registry alias (followed, so a rollback moves what the arm serves) or a pinned version number. */
export type ModelRef = string | number

export interface GuardedArm {
  name: string
  retrieval?: ModelRef
  ranking?: ModelRef
}

/** What the guardrail needs of an experiment (the experiments config's Experiment is one): the first arm is the control. */
export interface GuardedExperiment {
  id: string
  arms: readonly GuardedArm[]
  guardrail?: GuardrailSpec
}

export interface ArmFigures {
  arm: string
  impressions: number
  clicks: number
  ctr: number | null
  conversions: number
  conversion_rate: number | null
}

/** The numbers a verdict rests on; recorded with a rollback in the registry. */
export interface GuardrailFigures {
  window: ExperimentStats['window']
  control: ArmFigures
  treatment: ArmFigures
  /** control x (1 - ratio): the treatment acts below these; null when the control has no rate. */
  thresholds: {'min-impressions': number; ctr: number | null; conversion: number | null}
  /** Pooled two-proportion z-test p-values of treatment against control (informative: the guardrail acts on the ratios). */
  p_values: {ctr: number | null; conversion: number | null}
}

export type VerdictStatus = 'no-guardrail' | 'below-min-impressions' | 'within' | 'dropped' | 'already-rerouted'

export interface ModelOutcome {
  kind: 'retrieval' | 'ranking'
  ref: ModelRef
  /** rolled-back; version (pinned: nothing to roll back); already-rolled-back (by this guardrail, not moved since); shared-with-control; failed. */
  outcome: 'rolled-back' | 'version' | 'already-rolled-back' | 'shared-with-control' | 'failed'
  from?: number
  to?: number
  message?: string
}

export interface GuardrailVerdict {
  experiment: string
  /** The treatment arm judged. */
  arm: string
  control: string
  action: 'none' | 'rollback'
  status: VerdictStatus
  /** In words, with the figures: why it acts or does not. */
  reason: string
  figures: GuardrailFigures | null
  /** What enforceGuardrails did for a rollback: each model of the arm, and the reroute saved. */
  applied?: {models: ModelOutcome[]; reroute: Reroute}
}

const f4 = (x: number | null) => (x === null ? '-' : x.toFixed(4))
// absorbs float noise in control x (1 - ratio), so a drop of exactly the ratio does not act
const EPS = 1e-12

function armFigures(a: ArmStats): ArmFigures {
  return {arm: a.arm, impressions: a.impressions, clicks: a.clicks, ctr: a.ctr, conversions: a.conversions, conversion_rate: a.conversion_rate}
}

/**
 * One verdict per treatment arm (every arm after the first, the control) of `stats` (experimentStats
 * with the experiment's arms in order; absent for an experiment without a guardrail). Pure. It acts (rollback) only when both arms have at least
 * min-impressions and the treatment's CTR < control CTR x (1 - ctr-drop-ratio), or its conversion rate
 * (conversions per clicked impression, when both have clicks) < control's x (1 - conversion-drop-ratio).
 */
export function evaluateGuardrail(experiment: GuardedExperiment, stats: ExperimentStats | undefined): GuardrailVerdict[] {
  const control = experiment.arms[0]?.name
  const spec = experiment.guardrail
  if (spec && !stats) throw new RecError('INVALID_ARGUMENT', `experiment ${experiment.id} has a guardrail: evaluating it needs its stats`)
  const byArm = new Map((stats?.arms ?? []).map((a) => [a.arm, a]))
  return experiment.arms.slice(1).map(({name}) => {
    const base = {experiment: experiment.id, arm: name, control, action: 'none' as const}
    if (!spec || !stats) return {...base, status: 'no-guardrail', reason: 'no guardrail configured for this experiment', figures: null}
    const c = byArm.get(control)
    const t = byArm.get(name)
    if (!c || !t) throw new RecError('MISMATCH', `stats of experiment ${stats.experiment} lack arm ${c ? name : control}`, {hint: 'compute them with experimentStats and the experiment\'s arms'})
    const ctrThreshold = c.ctr === null ? null : c.ctr * (1 - spec['ctr-drop-ratio'])
    const conversionThreshold = c.conversion_rate === null ? null : c.conversion_rate * (1 - spec['conversion-drop-ratio'])
    const figures: GuardrailFigures = {
      window: stats.window,
      control: armFigures(c),
      treatment: armFigures(t),
      thresholds: {'min-impressions': spec['min-impressions'], ctr: ctrThreshold, conversion: conversionThreshold},
      p_values: {ctr: t.vs_control?.ctr?.p_value ?? null, conversion: t.vs_control?.conversion?.p_value ?? null},
    }
    const min = spec['min-impressions']
    if (c.impressions < min || t.impressions < min) {
      const reason = `below min-impressions: ${control} has ${c.impressions} and ${name} ${t.impressions} impressions in the last ${spec.days} days; the guardrail acts only when both have at least ${min}`
      return {...base, status: 'below-min-impressions', reason, figures}
    }
    const ctrLine = `ctr ${f4(t.ctr)} ${ctrThreshold === null ? 'vs' : t.ctr! < ctrThreshold - EPS ? '<' : '>='} ${f4(ctrThreshold)} (control ${f4(c.ctr)} x (1 - ${spec['ctr-drop-ratio']}))`
    const canConvert = conversionThreshold !== null && t.conversion_rate !== null
    const conversionLine = canConvert
      ? `conversion ${f4(t.conversion_rate)} ${t.conversion_rate! < conversionThreshold - EPS ? '<' : '>='} ${f4(conversionThreshold)} (control ${f4(c.conversion_rate)} x (1 - ${spec['conversion-drop-ratio']}))`
      : 'conversion not compared (an arm has no clicks)'
    const dropped: string[] = []
    if (ctrThreshold !== null && t.ctr! < ctrThreshold - EPS) dropped.push(ctrLine)
    if (canConvert && t.conversion_rate! < conversionThreshold - EPS) dropped.push(conversionLine)
    if (dropped.length === 0) return {...base, status: 'within', reason: `within the guardrail: ${ctrLine}; ${conversionLine}`, figures}
    return {...base, action: 'rollback', status: 'dropped', reason: `guardrail ${experiment.id}/${name}: ${dropped.join('; ')}`, figures}
  })
}

/** The verdict of an arm a reroute already serves the control: no action, whatever the figures say. */
export function reroutedVerdict(verdict: GuardrailVerdict, reroute: Reroute): GuardrailVerdict {
  return {...verdict, action: 'none', status: 'already-rerouted', reason: `already rerouted to ${reroute.toArm} at ${new Date(reroute.at).toISOString()} (${reroute.reason})`}
}

export interface EnforceOptions {
  store: Store
  /** Registry directory of the arms' aliases; required when a treatment arm names one. */
  registry?: string
  experiments: readonly GuardedExperiment[]
  /** The evaluation time (ms): the window ends here and reroutes are stamped with it. */
  now: number
  conversion?: ConversionSpec
  lockTimeoutMs?: number
}

export interface GuardrailRun {
  verdicts: GuardrailVerdict[]
  /** For rec_guardrail_evaluations_total (arms compared, below min-impressions included) and rec_guardrail_rollbacks_total. */
  counts: {evaluations: number; rollbacks: number}
}

/**
 * Evaluates every experiment with a guardrail and applies each rollback verdict: every alias the
 * treatment arm names is rolled back (`promote rollback`, with the reason and figures recorded in the
 * registry; versions are pinned and have nothing to roll back; an alias the control also names is left
 * alone), then the arm's users are routed to the control (store.saveReroute, read by the router from
 * the next request). Idempotent: an arm with a reroute is not evaluated again, and an alias whose last
 * event is this guardrail's rollback and has not moved since is not rolled back twice (so a run that
 * died between the two steps completes on the next). A failed alias rollback is reported and the
 * reroute still made.
 */
export async function enforceGuardrails(options: EnforceOptions): Promise<GuardrailRun> {
  const {store, experiments, now} = options
  const conversion = options.conversion ?? DEFAULT_CONVERSION
  for (const e of experiments) {
    if (e.arms.length === 0) throw new RecError('INVALID_ARGUMENT', `experiment ${e.id} has no arms`)
    if (!e.guardrail || options.registry) continue
    const named = e.arms.slice(1).flatMap((arm) => [arm.retrieval, arm.ranking].filter((ref) => typeof ref === 'string'))
    if (named.length > 0) throw new RecError('INVALID_ARGUMENT', `experiment ${e.id}: its treatment arms name alias "${named[0]}", which a guardrail rollback needs the registry for`, {hint: 'pass --registry DIR'})
  }
  const rerouted = new Map((await store.reroutes()).map((r) => [`${r.experiment}\u0000${r.fromArm}`, r]))
  const loaded = new Map<number, Slot[]>()
  const verdicts: GuardrailVerdict[] = []
  const counts = {evaluations: 0, rollbacks: 0}
  for (const experiment of experiments) {
    let stats: ExperimentStats | undefined
    if (experiment.guardrail) {
      const window = statsWindow({days: experiment.guardrail.days, now})
      let slots = loaded.get(experiment.guardrail.days)
      if (!slots) loaded.set(experiment.guardrail.days, (slots = (await loadSlots(store, window, conversion)).slots))
      stats = experimentStats(slots, {experiment: experiment.id, arms: experiment.arms.map((a) => a.name), window, conversion})
    }
    for (const verdict of evaluateGuardrail(experiment, stats)) {
      const reroute = rerouted.get(`${experiment.id}\u0000${verdict.arm}`)
      if (reroute) {
        verdicts.push(reroutedVerdict(verdict, reroute))
        continue
      }
      if (verdict.status !== 'no-guardrail') counts.evaluations++
      if (verdict.action === 'rollback') {
        counts.rollbacks++
        verdicts.push({...verdict, applied: await applyRollback(experiment, verdict, options)})
      } else {
        verdicts.push(verdict)
      }
    }
  }
  return {verdicts, counts}
}

async function applyRollback(experiment: GuardedExperiment, verdict: GuardrailVerdict, options: EnforceOptions): Promise<{models: ModelOutcome[]; reroute: Reroute}> {
  const arm = experiment.arms.find((a) => a.name === verdict.arm)!
  const control = experiment.arms[0]
  const details = {source: 'guardrail', experiment: experiment.id, arm: verdict.arm, ...verdict.figures}
  const models: ModelOutcome[] = []
  for (const kind of ['retrieval', 'ranking'] as const) {
    const ref = arm[kind]
    if (ref === undefined) continue
    if (typeof ref === 'number') {
      models.push({kind, ref, outcome: 'version', message: 'a pinned version: nothing to roll back, the reroute stops serving it'})
      continue
    }
    if (control.retrieval === ref || control.ranking === ref) {
      models.push({kind, ref, outcome: 'shared-with-control', message: `the control arm serves alias ${ref} too: rolling it back would change the control`})
      continue
    }
    models.push(await rollbackOnce(options.registry!, ref, kind, verdict, details, options.lockTimeoutMs))
  }
  const reroute: Reroute = {experiment: experiment.id, fromArm: verdict.arm, toArm: verdict.control, reason: verdict.reason, at: options.now}
  await options.store.saveReroute(reroute)
  return {models, reroute}
}

/** Rolls `alias` back unless its last event is this guardrail's rollback for the same arm and it has not moved since. */
async function rollbackOnce(registry: string, alias: string, kind: 'retrieval' | 'ranking', verdict: GuardrailVerdict, details: Record<string, unknown>, lockTimeoutMs?: number): Promise<ModelOutcome> {
  try {
    const {aliases} = await readRegistry(registry)
    const state = Object.hasOwn(aliases, alias) ? aliases[alias] : undefined
    const last = state?.events?.at(-1)
    const mine = last?.details?.source === 'guardrail' && last.details.experiment === verdict.experiment && last.details.arm === verdict.arm
    if (state && last && mine && state.version === last.to && state.updatedAt === last.at) {
      return {kind, ref: alias, outcome: 'already-rolled-back', from: last.from, to: last.to, message: `rolled back by this guardrail at ${last.at}`}
    }
    const result = await rollbackAlias(registry, alias, {reason: verdict.reason, details, lockTimeoutMs})
    return {kind, ref: alias, outcome: 'rolled-back', from: result.from, to: result.version}
  } catch (error) {
    if (!isRecError(error)) throw error
    return {kind, ref: alias, outcome: 'failed', message: error.hint ? `${error.message} (${error.hint})` : error.message}
  }
}
