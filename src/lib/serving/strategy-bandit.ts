// The bandit of strategy=auto inside rec serve: chooses a strategy per request, counts pulls and attributed rewards online, keeps them in the store.
import {addToArm, type ArmStats, armsInOrder, summarizeArms, type ArmSummary} from '../bandit/arm-stats.js'
import {eventReward} from '../bandit/feed-rewards.js'
import {policyOf} from '../bandit/from-config.js'
import type {BanditPolicy} from '../bandit/policy.js'
import type {BanditConfig} from '../mixer/config.js'
import {Rng} from '../random/rng.js'
import type {Impression, Store, StoredInteraction} from '../store/types.js'

/** The bandit's name in the store (Store.banditArms): one per server, over strategies. */
export const STRATEGY_BANDIT = 'strategy'

/** How often pending counts go to the store (and the stored state, with other replicas' counts, is read back). */
const FLUSH_MS = 1000
/** Feeds whose credited reward is remembered, newest kept: a second click on a feed adds only what the first did not. */
const CREDITED_LIMIT = 100_000

export interface BanditSummary {
  bandit: string
  algorithm: BanditPolicy['algorithm']
  arms: ArmSummary[]
  /** Total pulls and reward over the arms. */
  pulls: number
  store?: string
}

/**
 * One per server, on the HTTP thread: choices are sequential, so a seed and the same request sequence give the
 * same choices. A pull is counted when the chosen feed is served, a reward when an interaction is attributed to
 * an impression of a feed the bandit chose (Impression.strategyProbability set): the feed's reward is the largest
 * event weight among its interactions (like 1 > click 0.5), so a like after a click adds 0.5. Counts change the
 * in-memory stats at once and reach the store every second (increments: replicas add up) and at close; a kill -9
 * loses at most the last second, which `rec bandit update` recomputes from impressions and interactions.
 */
export class StrategyBandit {
  private stats: ArmStats[]
  private pending = new Map<string, {pulls: number; reward: number}>()
  private readonly credited = new Map<string, number>()
  private readonly policy: BanditPolicy
  private readonly rng: Rng
  private timer?: NodeJS.Timeout
  private flushing: Promise<void> = Promise.resolve()

  private constructor(
    readonly arms: readonly string[],
    private readonly config: BanditConfig,
    seed: number,
    private readonly store: Store | undefined,
    stored: ArmStats[],
    private readonly onError: (error: unknown) => void,
  ) {
    this.policy = policyOf(config)
    this.rng = new Rng(seed)
    this.stats = armsInOrder(arms, stored)
  }

  /** The bandit over `arms`, starting from the state stored under STRATEGY_BANDIT (zeros without a store). */
  static async open(arms: readonly string[], config: BanditConfig, seed: number, store: Store | undefined, onError: (error: unknown) => void): Promise<StrategyBandit> {
    const stored = store ? await store.banditArms(STRATEGY_BANDIT) : []
    const bandit = new StrategyBandit(arms, config, seed, store, stored, onError)
    if (store) {
      bandit.timer = setInterval(() => void bandit.flush(), FLUSH_MS)
      bandit.timer.unref()
    }
    return bandit
  }

  get algorithm(): BanditPolicy['algorithm'] {
    return this.policy.algorithm
  }

  choose(): {strategy: string; probability: number} {
    const {arm, probability} = this.policy.choose(this.stats, this.rng)
    return {strategy: this.arms[arm], probability: Math.round(probability * 1e6) / 1e6}
  }

  /** The feed `requestId` chosen by this bandit was served by `arm`. */
  pulled(arm: string, requestId: string): void {
    this.add(arm, 1, 0)
    if (this.credited.size >= CREDITED_LIMIT) this.credited.delete(this.credited.keys().next().value!)
    this.credited.set(requestId, 0)
  }

  /** Rewards of stored interactions (`impressions` parallel to `batch`: what attribution found). */
  credit(batch: readonly StoredInteraction[], impressions: readonly (Impression | undefined)[]): void {
    batch.forEach((r, i) => {
      const shown = impressions[i]
      if (!shown || shown.strategyProbability === undefined || !shown.strategy || !this.arms.includes(shown.strategy)) return
      const reward = eventReward(this.config.rewards, r.event)
      if (reward === undefined) return
      const before = this.credited.get(shown.requestId) ?? 0
      if (reward <= before) return
      this.credited.set(shown.requestId, reward)
      this.add(shown.strategy, 0, reward - before)
    })
  }

  summary(): BanditSummary {
    return {bandit: STRATEGY_BANDIT, algorithm: this.policy.algorithm, arms: summarizeArms(this.stats), pulls: this.stats.reduce((n, s) => n + s.pulls, 0), ...(this.store ? {store: this.store.description} : {})}
  }

  /** Writes pending counts, then reads the stored state back (other replicas' counts included); one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.store || this.pending.size === 0) return
      const deltas = [...this.pending].map(([arm, d]) => ({arm, pulls: d.pulls, rewardSum: d.reward}))
      this.pending = new Map()
      try {
        await this.store.addBanditCounts(STRATEGY_BANDIT, deltas)
        const stored = armsInOrder(this.arms, await this.store.banditArms(STRATEGY_BANDIT))
        // counts made while the store was written stay on top of what it returned
        this.stats = [...this.pending].reduce((stats, [arm, d]) => addToArm(stats, arm, d.pulls, d.reward), stored)
      } catch (error) {
        // kept for the next flush: a store that is down for a while loses no count
        for (const d of deltas) {
          const held = this.pending.get(d.arm) ?? {pulls: 0, reward: 0}
          this.pending.set(d.arm, {pulls: held.pulls + d.pulls, reward: held.reward + d.rewardSum})
        }
        this.onError(error)
      }
    })
    return this.flushing
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.flush()
  }

  private add(arm: string, pulls: number, reward: number): void {
    this.stats = addToArm(this.stats, arm, pulls, reward)
    const d = this.pending.get(arm) ?? {pulls: 0, reward: 0}
    this.pending.set(arm, {pulls: d.pulls + pulls, reward: d.reward + reward})
  }
}
