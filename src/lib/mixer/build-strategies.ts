// Builds every named strategy of the mixer config as its own pipeline: the home pipeline with the strategy's sources, scorer and selectors.
import {RecError} from '../errors.js'
import {buildContextOf, buildHomePipeline, type PipelineParts} from './build-pipeline.js'
import {AUTO, type MixerConfig} from './config.js'
import type {Pipeline} from './types.js'

export interface Strategies {
  /** Strategy name -> its pipeline; a strategy without overrides shares the home pipeline object. */
  pipelines: Map<string, Pipeline>
  /** Strategies whose models are not loaded (no --content for Content), with the reason: ?strategy= refuses them, the bandit leaves them out. */
  unavailable: Map<string, string>
  /** The pipeline of a request that names no strategy: the default strategy's, or with strategy auto the home pipeline (what top-N lists are computed by). */
  home: Pipeline
  /** The name `home` serves as: the default strategy, or with auto the first strategy without overrides (undefined when none). */
  homeStrategy?: string
}

/**
 * One pipeline per strategy on one model load, all sharing one build context (so one content profile per request
 * serves both the Content source and the Blend scorer). A strategy is unavailable, not an error, when its data is
 * absent: every source it declares is left out, or none of its scorers is available. The default strategy being
 * unavailable is an error at start, since every request without ?strategy= would fail.
 */
export function buildStrategies(config: MixerConfig, parts: PipelineParts): Strategies {
  const context = buildContextOf(parts)
  const base = buildHomePipeline(config, parts, context)
  const pipelines = new Map<string, Pipeline>()
  const unavailable = new Map<string, string>()
  for (const [name, overrides] of Object.entries(config.strategies)) {
    const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
    if (Object.keys(given).length === 0) {
      pipelines.set(name, base)
      continue
    }
    let pipeline: Pipeline
    try {
      pipeline = buildHomePipeline({...config, ...given}, parts, context, name)
    } catch (error) {
      if (!(error instanceof RecError && error.code === 'INVALID_ARGUMENT' && error.message.startsWith('no declared scorer'))) throw error
      unavailable.set(name, error.message)
      continue
    }
    if (pipeline.sources.length === 0) unavailable.set(name, `no source: ${pipeline.skipped.map((s) => `${s.id} (${s.reason})`).join(', ')}`)
    else pipelines.set(name, pipeline)
  }
  if (config.strategy !== AUTO && unavailable.has(config.strategy)) {
    throw new RecError('INVALID_ARGUMENT', `the default strategy ${config.strategy} is unavailable: ${unavailable.get(config.strategy)}`, {hint: 'load the model it needs (e.g. --content) or set strategy in the mixer config'})
  }
  const home = config.strategy === AUTO ? base : pipelines.get(config.strategy)!
  const homeStrategy = config.strategy === AUTO ? [...pipelines].find(([, p]) => p === base)?.[0] : config.strategy
  return {pipelines, unavailable, home, homeStrategy}
}
