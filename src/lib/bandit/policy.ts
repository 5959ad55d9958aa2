// The bandit policy contract: from the arms' stats and a seeded rng, the arm to pull and the probability the policy gave it.
import type {Rng} from '../random/rng.js'
import type {ArmStats} from './arm-stats.js'

export interface BanditChoice {
  /** Index into the arms passed to choose. */
  arm: number
  /** Probability that this policy, in this state, picks this arm (exact for epsilon-greedy, estimated for Thompson). */
  probability: number
}

/** Pure: no I/O, no clock; every random draw comes from `rng`, so a seed and the same calls give the same choices. */
export interface BanditPolicy {
  readonly algorithm: 'epsilon-greedy' | 'thompson'
  choose(arms: readonly ArmStats[], rng: Rng): BanditChoice
}

/** Indices of the largest values (ties kept: callers break them at random). */
export function argmaxAll(values: ArrayLike<number>): number[] {
  let best = -Infinity
  let out: number[] = []
  for (let i = 0; i < values.length; i++) {
    if (values[i] > best) {
      best = values[i]
      out = [i]
    } else if (values[i] === best) out.push(i)
  }
  return out
}
