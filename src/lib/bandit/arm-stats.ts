// Each bandit arm's counts (pulls, summed reward) and what they say: the mean reward and its 95% interval.
import {type Interval, wilsonOfRate} from '../metrics/proportions.js'

/** One arm's sufficient statistics: every policy here decides from these alone. */
export interface ArmStats {
  arm: string
  /** Feeds served by this arm while the bandit chose. */
  pulls: number
  /** Sum of their rewards, each in [0, 1]. */
  rewardSum: number
}

export interface ArmSummary {
  arm: string
  pulls: number
  mean_reward: number
  /** 95% interval of the mean reward (Wilson, conservative for rewards in [0, 1]); [0, 1] before any pull. */
  interval: [number, number]
}

/** A reward in [0, 1]: the Beta posterior of Thompson sampling needs it, and epsilon-greedy's means stay comparable. */
export function clipReward(reward: number): number {
  return Number.isFinite(reward) ? Math.min(1, Math.max(0, reward)) : 0
}

export function meanReward(stats: ArmStats): number {
  return stats.pulls > 0 ? stats.rewardSum / stats.pulls : 0
}

/** The arms as /admin/bandit and `rec bandit update` report them, means and bounds to 6 decimals. */
export function summarizeArms(arms: readonly ArmStats[]): ArmSummary[] {
  const round = (x: number) => Math.round(x * 1e6) / 1e6
  return arms.map((s) => {
    const interval: Interval = wilsonOfRate(Math.min(s.rewardSum, s.pulls), s.pulls)
    return {arm: s.arm, pulls: s.pulls, mean_reward: round(meanReward(s)), interval: [round(interval.low), round(interval.high)]}
  })
}

/** `arms` with `pulls` and `reward` added to `arm` (a new array; an arm not in it is appended). */
export function addToArm(arms: readonly ArmStats[], arm: string, pulls: number, reward: number): ArmStats[] {
  const out = arms.map((s) => (s.arm === arm ? {arm, pulls: s.pulls + pulls, rewardSum: s.rewardSum + reward} : s))
  if (!arms.some((s) => s.arm === arm)) out.push({arm, pulls, rewardSum: reward})
  return out
}

/** The stats of `names` in that order, zeros for an arm never pulled (stored state may hold arms no longer configured). */
export function armsInOrder(names: readonly string[], stored: readonly ArmStats[]): ArmStats[] {
  return names.map((arm) => stored.find((s) => s.arm === arm) ?? {arm, pulls: 0, rewardSum: 0})
}
