// Knobs that set one declared component's param without restating the pipeline (a bench sweep, a test, an experiment arm).
import {RecError} from '../errors.js'
import {type MixerConfig, MixerConfigSchema} from './config.js'

export interface MixerOverrides {
  'quota-k'?: number
  /** Source id -> quota (0 = off); each must be a declared source. */
  quotas?: Record<string, number>
  /** The Mmr selector's lambda (1 = Mmr is left out). */
  'mmr-lambda'?: number
  /** The Exploration selector's rate (0 = Exploration is left out). */
  'exploration-rate'?: number
}

/** knob -> the selector and param it sets */
const PARAMS = {'mmr-lambda': ['Mmr', 'lambda'], 'exploration-rate': ['Exploration', 'rate']} as const

/** `config` with the overrides given, validated again; a knob whose component is not declared is an error, never ignored. */
export function applyOverrides(config: MixerConfig, overrides: MixerOverrides): MixerConfig {
  const next = structuredClone(config)
  if (overrides['quota-k'] !== undefined) next['quota-k'] = overrides['quota-k']
  for (const [id, quota] of Object.entries(overrides.quotas ?? {})) {
    const source = next.sources.find((s) => s.id === id)
    if (!source) throw new RecError('INVALID_ARGUMENT', `a quota is set for source ${id}, which the mixer config does not declare`, {hint: `declared: ${next.sources.map((s) => s.id).join(', ')}`})
    source.quota = quota
  }
  for (const [knob, [id, param]] of Object.entries(PARAMS) as [keyof typeof PARAMS, (typeof PARAMS)[keyof typeof PARAMS]][]) {
    const value = overrides[knob]
    if (value === undefined) continue
    const selector = next.selectors.find((s) => s.id === id)
    if (!selector) throw new RecError('INVALID_ARGUMENT', `${knob} sets the ${param} of the ${id} selector, which the mixer config does not declare`, {hint: `add {id: ${id}} to selectors`})
    selector.params[param] = value
  }
  const parsed = MixerConfigSchema.safeParse(next)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new RecError('INVALID_ARGUMENT', `mixer override: config key "${issue.path.join('.')}": ${issue.message}`)
  }
  return parsed.data
}
