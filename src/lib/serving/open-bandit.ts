// The strategy bandit a server runs: its arms from the mixer config (or every available strategy), its state from the store.
import {RecError} from '../errors.js'
import {AUTO, type MixerConfig} from '../mixer/config.js'
import type {Store} from '../store/types.js'
import type {ServingEngine} from './serving-engine.js'
import {StrategyBandit} from './strategy-bandit.js'

/**
 * The configured arms (bandit.arms), each of which must be available on `engine`; without a list, every available
 * strategy. Undefined when there is nothing to choose among and strategy auto is not the default (a server
 * without strategies answers strategy=auto with 400); auto as the default with no arm is an error at start.
 */
export async function openBandit(config: MixerConfig, engine: ServingEngine, seed: number, store: Store | undefined, onError: (error: unknown) => void): Promise<StrategyBandit | undefined> {
  const {pipelines, unavailable} = engine.strategies
  const declared = config.bandit.arms
  const missing = declared.filter((arm) => unavailable.has(arm))
  if (missing.length > 0) {
    throw new RecError('INVALID_ARGUMENT', `bandit.arms: ${missing.map((arm) => `${arm} is unavailable (${unavailable.get(arm)})`).join('; ')}`, {hint: 'load the model it needs (e.g. --content) or leave it out of bandit.arms'})
  }
  const arms = declared.length > 0 ? declared : [...pipelines.keys()]
  if (arms.length === 0) {
    if (config.strategy === AUTO) throw new RecError('INVALID_ARGUMENT', 'strategy auto needs at least one available strategy for the bandit to choose')
    return undefined
  }
  return StrategyBandit.open(arms, config.bandit, seed, store, onError)
}
