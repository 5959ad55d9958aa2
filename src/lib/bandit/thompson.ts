// Thompson sampling for Beta-Bernoulli rewards: draw each arm's mean from its Beta posterior, pull the largest draw.
import type {Rng} from '../random/rng.js'
import type {ArmStats} from './arm-stats.js'
import {argmaxAll, type BanditPolicy} from './policy.js'

/** A draw from Beta(a, b) as X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = rng.gamma(a)
  const y = rng.gamma(b)
  return x / (x + y)
}

/** Beta(1 + rewards, 1 + pulls - rewards): a uniform prior updated by rewards in [0, 1] (fractional ones too). */
function posterior(s: ArmStats): [number, number] {
  const reward = Math.min(Math.max(s.rewardSum, 0), s.pulls)
  return [1 + reward, 1 + s.pulls - reward]
}

/**
 * The chosen arm's probability is estimated from `samples` further rounds of draws (the share of rounds it
 * wins, the chosen round included): K x (samples + 1) Beta draws per choice, ~40 us for 5 arms at 100.
 */
export function thompson(samples = 100): BanditPolicy {
  return {
    algorithm: 'thompson',
    choose(arms: readonly ArmStats[], rng: Rng) {
      const params = arms.map(posterior)
      const round = () => {
        const draws = params.map(([a, b]) => sampleBeta(rng, a, b))
        const best = argmaxAll(draws)
        return best.length === 1 ? best[0] : best[Math.min(best.length - 1, Math.floor(rng.next() * best.length))]
      }
      const arm = round()
      let wins = 1
      for (let s = 0; s < samples; s++) if (round() === arm) wins++
      return {arm, probability: wins / (samples + 1)}
    },
  }
}
