import {Flags} from '@oclif/core'

import {type BanditUpdateResult, updateBandit} from '../../lib/serving/bandit-update.js'
import {RecCommand} from '../_cli/rec-command.js'
import {serverStoreFlags} from '../_cli/store-flags.js'
import {parseNumber} from '../_cli/flag-values.js'
import {nowFlag} from '../_cli/stats-flags.js'

export default class BanditUpdate extends RecCommand {
  static override summary = "Recompute the strategy bandit's counts from the store's recent impressions and attributed interactions."
  static override description = [
    'Replays the feeds the bandit of strategy=auto chose in the last --hours (impressions with a strategy probability) and the interactions attributed to them: each arm gets one pull per feed and the feed\'s reward, the largest bandit.rewards weight among its events (like 1, click 0.5, none 0). The result replaces the stored counts, so running it twice gives the same state; rec serve reads them at its next flush or start.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> bandit update --state state/ --hours 24',
    '<%= config.bin %> bandit update --store postgres://rec@db.internal/rec --hours 168 --json',
    '<%= config.bin %> bandit update --state state/ --hours 24 --config config/mixer.yaml --now 2024-06-10T12:00:00Z',
  ]

  static override flags = {
    ...serverStoreFlags,
    hours: Flags.custom<number>({description: 'Replay the feeds of the last this many hours.', helpValue: '<hours>', parse: async (text) => parseNumber(text, {integer: false, exclusiveMinimum: 0}), default: 24})(),
    config: Flags.file({char: 'c', description: 'Mixer config whose bandit.rewards weigh the events (default: the built-in weights).', exists: true}),
    now: nowFlag,
  }

  async run(): Promise<BanditUpdateResult> {
    const {flags} = await this.parse(BanditUpdate)
    const result = await updateBandit(flags)
    this.say(`${result.store}: ${result.feeds} bandit feeds in the last ${flags.hours} h`)
    for (const arm of result.after) this.say(`  ${arm.arm.padEnd(12)} pulls ${String(arm.pulls).padStart(6)}  mean reward ${arm.mean_reward.toFixed(4)}  95% [${arm.interval[0].toFixed(4)}, ${arm.interval[1].toFixed(4)}]`)
    return result
  }
}
