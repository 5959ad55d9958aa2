// A replay of the bandit's feeds: which strategy each chosen feed pulled, and the reward its attributed interactions earned.
import {type ArmStats, clipReward} from './arm-stats.js'

/** The fields of a stored impression the replay reads (store/types.ts Impression). */
export interface ChosenSlot {
  requestId: string
  strategy?: string
  /** Set only on feeds the bandit chose (strategy=auto). */
  strategyProbability?: number
}

/** The fields of a stored interaction the replay reads: its event and the feed it was attributed to. */
export interface AttributedEvent {
  event: string
  requestId?: string
}

/** An event's reward: its weight clipped to [0, 1]; undefined for an event the weights do not name (it earns nothing). */
export function eventReward(weights: Readonly<Record<string, number | undefined>>, event: string): number | undefined {
  const weight = weights[event]
  return weight === undefined ? undefined : clipReward(weight)
}

/**
 * Each arm's pulls (feeds the bandit chose for it, counted once however many slots they had) and summed reward
 * (each feed's largest event weight among its attributed interactions, clipped to [0, 1]; none: 0), in the order
 * the arms were first pulled. Feeds served by a forced or default strategy are off-policy and count nothing.
 */
export function replayFeedRewards(impressions: Iterable<ChosenSlot>, interactions: Iterable<AttributedEvent>, weights: Readonly<Record<string, number | undefined>>): ArmStats[] {
  const feedArm = new Map<string, string>()
  for (const r of impressions) if (r.strategyProbability !== undefined && r.strategy && !feedArm.has(r.requestId)) feedArm.set(r.requestId, r.strategy)
  const reward = new Map<string, number>()
  for (const r of interactions) {
    const earned = eventReward(weights, r.event)
    if (r.requestId === undefined || earned === undefined || !feedArm.has(r.requestId)) continue
    reward.set(r.requestId, Math.max(reward.get(r.requestId) ?? 0, earned))
  }
  const arms = new Map<string, ArmStats>()
  for (const [requestId, arm] of feedArm) {
    const stats = arms.get(arm) ?? {arm, pulls: 0, rewardSum: 0}
    stats.pulls++
    stats.rewardSum += reward.get(requestId) ?? 0
    arms.set(arm, stats)
  }
  return [...arms.values()]
}
