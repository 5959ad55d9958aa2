// rec promote best: points an alias at the registered version of a kind with the best metric.
import {Flags} from '@oclif/core'

import {type MoveResult, promoteBest} from '../../lib/registry/index.js'
import {RecCommand} from '../_cli/rec-command.js'
import {guardFlags, registryFlag} from './_shared/flags.js'
import {describeMove, formatMetrics} from './_shared/format.js'

export default class PromoteBest extends RecCommand {
  static override summary = 'Point an alias at the best registered version of a kind by a metric.'

  static override description = `Picks the version of --kind with the highest --metric (lowest with --lower-is-better; the earliest on a tie), re-hashes its checkpoint, and moves the alias there. The metric is remembered on the alias for the guardrail of later "set" commands. Moving "production" (or "<name>-production") to a version worse than the current one by more than --max-regression is refused unless --force.`

  static override examples = [
    '<%= config.bin %> promote best --kind retrieval --metric val.ndcg@10 --alias production --registry registry',
    '<%= config.bin %> promote best --kind ranking --metric val.logloss --lower-is-better --alias ranking-production -r registry',
    '<%= config.bin %> promote best --kind retrieval --metric val.recall@50 --alias staging -r registry --json',
  ]

  static override flags = {
    registry: registryFlag,
    kind: Flags.option({options: ['retrieval', 'ranking', 'content'] as const, description: 'Checkpoint kind to choose among.', required: true})(),
    metric: Flags.string({description: 'Flat metric key from the checkpoint manifest, e.g. val.ndcg@10.', required: true}),
    alias: Flags.string({description: 'Alias to move.', default: 'production'}),
    ...guardFlags,
  }

  async run(): Promise<MoveResult> {
    const {flags} = await this.parse(PromoteBest)
    const result = await promoteBest(flags.registry, flags.alias, {
      kind: flags.kind,
      metric: flags.metric,
      lowerIsBetter: flags['lower-is-better'],
      maxRegression: flags['max-regression'],
      mode: flags.regression,
      force: flags.force,
    })
    this.say(`${describeMove(result)} ${formatMetrics(result.entry.metrics, [flags.metric])}`)
    return result
  }
}
