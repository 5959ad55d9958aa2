// rec promote set: points an alias at an explicit version.
import {Args, Flags} from '@oclif/core'

import {RecError} from '../../lib/errors.js'
import {type MoveResult, setAlias} from '../../lib/registry/index.js'
import {RecCommand} from '../_cli/rec-command.js'
import {guardFlags, registryFlag, versionArg} from './_shared/flags.js'
import {describeMove} from './_shared/format.js'

export default class PromoteSet extends RecCommand {
  static override summary = 'Point an alias at a version.'

  static override description = `Re-hashes the version's checkpoint and refuses it if its files changed. Moving "production" (or "<name>-production") is guarded: it is refused, with the reason on one line and exit 2, when the new version is worse on the alias's metric than the current one by more than --max-regression, unless --force. The metric is --metric if given, else the one the alias was last promoted by.`

  static override examples = [
    '<%= config.bin %> promote set staging 4 --registry registry',
    '<%= config.bin %> promote set production 4 -r registry --metric val.ndcg@10',
    '<%= config.bin %> promote set production 3 -r registry --max-regression 0.005 --regression absolute',
    '<%= config.bin %> promote set production 2 -r registry --force --json',
  ]

  static override args = {
    alias: Args.string({description: 'Alias name (production, staging, ...).', required: true}),
    version: versionArg({required: true}),
  }

  static override flags = {
    registry: registryFlag,
    metric: Flags.string({description: 'Metric the guardrail compares (remembered on the alias), e.g. val.ndcg@10.'}),
    ...guardFlags,
    'lower-is-better': Flags.boolean({description: 'The --metric is loss-like (smaller is better).', default: false}),
  }

  async run(): Promise<MoveResult> {
    const {args, flags} = await this.parse(PromoteSet)
    // Checked here, not with oclif's dependsOn, whose message starts with a line that says nothing.
    if (flags['lower-is-better'] && !flags.metric) throw new RecError('INVALID_ARGUMENT', '--lower-is-better needs --metric NAME')
    const result = await setAlias(flags.registry, args.alias, args.version, {
      metric: flags.metric ? {name: flags.metric, lowerIsBetter: flags['lower-is-better']} : undefined,
      maxRegression: flags['max-regression'],
      mode: flags.regression,
      force: flags.force,
    })
    this.say(describeMove(result))
    return result
  }
}
