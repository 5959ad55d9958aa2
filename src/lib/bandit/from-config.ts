// The policy a bandit config names: epsilon-greedy (with its schedule) or Thompson sampling.
import {epsilonGreedy} from './epsilon-greedy.js'
import type {BanditPolicy} from './policy.js'
import {thompson} from './thompson.js'

export interface BanditPolicyConfig {
  algorithm: 'epsilon-greedy' | 'thompson'
  epsilon: number
  'epsilon-decay-pulls': number
  /** Thompson only: rounds of draws that estimate the chosen arm's probability. */
  'probability-samples': number
}

export function policyOf(config: BanditPolicyConfig): BanditPolicy {
  return config.algorithm === 'thompson' ? thompson(config['probability-samples']) : epsilonGreedy(config.epsilon, config['epsilon-decay-pulls'])
}
