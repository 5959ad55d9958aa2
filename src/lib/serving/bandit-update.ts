// `rec bandit update`: the strategy bandit's counts recomputed from the store's recent impressions and attributed interactions.
import {type ArmSummary, summarizeArms} from '../bandit/arm-stats.js'
import {replayFeedRewards} from '../bandit/feed-rewards.js'
import {loadConfig} from '../config/load-config.js'
import {RecError} from '../errors.js'
import {MixerConfigSchema} from '../mixer/config.js'
import {openStore, type StoreLocation} from '../store/open-store.js'
import {STRATEGY_BANDIT} from './strategy-bandit.js'

export interface BanditUpdateOptions extends StoreLocation {
  /** Replay the bandit's feeds of the last `hours` before `now`. */
  hours: number
  /** The mixer config whose bandit.rewards weigh the events (default: its defaults). */
  config?: string
  /** The window's end (ms); default the current time. */
  now?: number
}

export interface BanditUpdateResult {
  store: string
  bandit: string
  window: {since: number; until: number}
  /** Feeds the bandit chose in the window, and interactions attributed to them. */
  feeds: number
  before: ArmSummary[]
  after: ArmSummary[]
}

/**
 * Replaces the stored arms with the replay of the window (idempotent: running it twice gives the same state),
 * so that rewards the online path missed (a restart lost its memory of a feed's credited reward, a kill -9
 * its last second of counts) are counted, and older feeds drop out. Interactions are read from the window's
 * start on with no upper bound, since a feed's clicks come after it. A running server keeps adding to these
 * counts from its next flush, but its in-memory stats follow the store only after its own next flush.
 */
export async function updateBandit(options: BanditUpdateOptions): Promise<BanditUpdateResult> {
  if (!(Number.isFinite(options.hours) && options.hours > 0)) throw new RecError('INVALID_ARGUMENT', `--hours must be a positive number, got ${options.hours}`)
  const config = await loadConfig(MixerConfigSchema, options.config, {})
  const store = await openStore(options, {mustExist: true})
  try {
    const until = options.now ?? Date.now()
    const since = until - options.hours * 3_600_000
    const impressions = await store.impressions({since, until})
    const interactions = await store.interactions({since})
    const before = await store.banditArms(STRATEGY_BANDIT)
    const after = replayFeedRewards(impressions, interactions, config.bandit.rewards)
    await store.replaceBanditArms(STRATEGY_BANDIT, after)
    return {store: store.description, bandit: STRATEGY_BANDIT, window: {since, until}, feeds: after.reduce((n, a) => n + a.pulls, 0), before: summarizeArms(before), after: summarizeArms(after)}
  } finally {
    await store.close()
  }
}
