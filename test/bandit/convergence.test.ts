// Both bandits on a simulated environment with known Bernoulli reward rates: they find the best arm, regret grows sublinearly, seeds fix every choice.
import {describe, expect, it} from 'vitest'

import {addToArm, type ArmStats, summarizeArms} from '../../src/lib/bandit/arm-stats.js'
import {epsilonGreedy} from '../../src/lib/bandit/epsilon-greedy.js'
import type {BanditPolicy} from '../../src/lib/bandit/policy.js'
import {thompson} from '../../src/lib/bandit/thompson.js'
import {Rng} from '../../src/lib/random/rng.js'

const RATES = [0.2, 0.35, 0.5, 0.3, 0.1] // arm 2 is the best
const BEST = Math.max(...RATES)
const STEPS = 4000

/** Runs `policy` for STEPS pulls; the environment draws rewards from its own seeded stream. */
function simulate(policy: BanditPolicy, seed: number) {
  const rng = new Rng(seed)
  const env = new Rng(seed + 1_000_003)
  let arms: ArmStats[] = RATES.map((_, i) => ({arm: `a${i}`, pulls: 0, rewardSum: 0}))
  const choices: number[] = []
  const probabilities: number[] = []
  const regret: number[] = [] // pseudo-regret of each pull: best rate - the pulled arm's rate
  for (let t = 0; t < STEPS; t++) {
    const {arm, probability} = policy.choose(arms, rng)
    const reward = env.next() < RATES[arm] ? 1 : 0
    arms = addToArm(arms, `a${arm}`, 1, reward)
    choices.push(arm)
    probabilities.push(probability)
    regret.push(BEST - RATES[arm])
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0)
  return {
    arms,
    choices,
    probabilities,
    firstHalf: sum(regret.slice(0, STEPS / 2)),
    secondHalf: sum(regret.slice(STEPS / 2)),
    bestShareLastQuarter: choices.slice((3 * STEPS) / 4).filter((a) => a === 2).length / (STEPS / 4),
  }
}

const POLICIES: [string, () => BanditPolicy][] = [
  ['epsilon-greedy (epsilon 0.2, decaying over 200 pulls)', () => epsilonGreedy(0.2, 200)],
  ['Thompson sampling', () => thompson(50)],
]

describe.each(POLICIES)('%s', (_name, make) => {
  it('converges to the best arm on known Bernoulli rates, with regret over the second half well under the first half, on 3 seeds', () => {
    for (const seed of [1, 2, 3]) {
      const run = simulate(make(), seed)
      expect(run.bestShareLastQuarter, `seed ${seed}`).toBeGreaterThan(0.85)
      // sublinear: a linear regret would make the halves equal; these bandits spend most of theirs learning
      expect(run.secondHalf, `seed ${seed}: ${run.firstHalf} then ${run.secondHalf}`).toBeLessThan(0.6 * run.firstHalf)
      const best = summarizeArms(run.arms)[2]
      expect(best.interval[0]).toBeLessThanOrEqual(0.5)
      expect(best.interval[1]).toBeGreaterThanOrEqual(0.5)
    }
  })

  it('makes the same choices with the same seed, and other ones with another', () => {
    const a = simulate(make(), 7)
    const b = simulate(make(), 7)
    expect(b.choices).toEqual(a.choices)
    expect(b.probabilities).toEqual(a.probabilities)
    expect(simulate(make(), 8).choices).not.toEqual(a.choices)
  })

  it('gives each choice a probability in (0, 1]', () => {
    const run = simulate(make(), 4)
    for (const p of run.probabilities) {
      expect(p).toBeGreaterThan(0)
      expect(p).toBeLessThanOrEqual(1)
    }
  })
})

describe('epsilon-greedy', () => {
  it('tries every arm once first, and states the exact probability of its choice', () => {
    const policy = epsilonGreedy(0.1)
    const rng = new Rng(3)
    const arms: ArmStats[] = [{arm: 'a', pulls: 10, rewardSum: 9}, {arm: 'b', pulls: 0, rewardSum: 0}, {arm: 'c', pulls: 10, rewardSum: 1}]
    const counts = [0, 0, 0]
    for (let i = 0; i < 2000; i++) {
      const choice = policy.choose(arms, rng)
      counts[choice.arm]++
      expect(choice.probability).toBeCloseTo(choice.arm === 1 ? 0.1 / 3 + 0.9 : 0.1 / 3, 12)
    }
    expect(counts[1] / 2000).toBeGreaterThan(0.9)
  })
})
