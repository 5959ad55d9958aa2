// Epsilon-greedy: with probability epsilon a uniformly random arm, else the arm of the best mean reward (untried arms first).
import type {Rng} from '../random/rng.js'
import {type ArmStats, meanReward} from './arm-stats.js'
import {argmaxAll, type BanditPolicy} from './policy.js'

/**
 * epsilon_t = epsilon / (1 + t / decayPulls) after t pulls in all (decayPulls 0: constant). A constant
 * epsilon keeps exploring at that rate for ever, so its regret grows linearly (epsilon x the mean gap per
 * pull); decaying as 1/t makes it grow like log t. An untried arm counts as the best (its mean is +Infinity), so each arm is pulled once before the means
 * decide. Ties for the best are broken uniformly; the probability of the chosen arm is exact:
 * epsilon / K, plus (1 - epsilon) / |ties| when it is one of the best.
 */
export function epsilonGreedy(epsilon0: number, decayPulls = 0): BanditPolicy {
  return {
    algorithm: 'epsilon-greedy',
    choose(arms: readonly ArmStats[], rng: Rng) {
      const k = arms.length
      const t = arms.reduce((n, s) => n + s.pulls, 0)
      const epsilon = decayPulls > 0 ? epsilon0 / (1 + t / decayPulls) : epsilon0
      const best = argmaxAll(arms.map((s) => (s.pulls === 0 ? Infinity : meanReward(s))))
      // two draws every time, whichever branch: the stream stays aligned across states
      const explore = rng.next() < epsilon
      const pick = rng.next()
      const arm = explore ? Math.min(k - 1, Math.floor(pick * k)) : best[Math.min(best.length - 1, Math.floor(pick * best.length))]
      const probability = epsilon / k + (best.includes(arm) ? (1 - epsilon) / best.length : 0)
      return {arm, probability}
    },
  }
}
