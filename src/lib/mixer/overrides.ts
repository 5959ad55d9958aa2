// Knobs that set one declared component's param without restating the pipeline (a bench sweep, a test, an experiment arm).
import {z} from 'zod'

import {RecError} from '../errors.js'
import {type MixerConfig, MixerConfigSchema} from './config.js'

/**
 * The knobs as a zod shape (an experiment arm spreads it into its own object). Types only: the ranges are
 * the components' own, checked when applyOverrides parses the result with MixerConfigSchema.
 */
export const MIXER_OVERRIDES_SHAPE = {
  'quota-k': z.number().int().optional(),
  /** Source id -> quota (0 = off); each must be a declared source. */
  quotas: z.record(z.string(), z.number().int()).optional(),
  /** The Mmr selector's lambda (1 = Mmr is left out). */
  'mmr-lambda': z.number().optional(),
  /** The Exploration selector's rate (0 = Exploration is left out). */
  'exploration-rate': z.number().optional(),
  /** The AuthorCap selector's max items per author. */
  'author-cap': z.number().int().optional(),
  /** The TopicCap selector's max items per topic. */
  'topic-cap': z.number().int().optional(),
  /** The NetworkBalance selector's largest in-network share. */
  'max-in-network': z.number().optional(),
}

export type MixerOverrides = {[K in keyof typeof MIXER_OVERRIDES_SHAPE]?: z.infer<(typeof MIXER_OVERRIDES_SHAPE)[K]>}

/** The knobs' names, as an error lists them. */
export const MIXER_OVERRIDE_KEYS = Object.keys(MIXER_OVERRIDES_SHAPE) as (keyof MixerOverrides)[]

/** knob -> the selector and param it sets */
const PARAMS = {
  'mmr-lambda': ['Mmr', 'lambda'],
  'exploration-rate': ['Exploration', 'rate'],
  'author-cap': ['AuthorCap', 'max'],
  'topic-cap': ['TopicCap', 'max'],
  'max-in-network': ['NetworkBalance', 'max-in-network'],
} as const

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
