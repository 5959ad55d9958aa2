// rec promote rollback: moves an alias back to the version it pointed at before its last move.
import {Args, Flags} from '@oclif/core'

import {rollbackAlias, type RollbackResult} from '../../lib/registry/index.js'
import {RecCommand} from '../_cli/rec-command.js'
import {registryFlag} from './_shared/flags.js'

export default class PromoteRollback extends RecCommand {
  static override summary = "Move an alias back to its previous version."

  static override description = `Each alias keeps the list of versions it pointed at. A rollback moves it to the last of them and drops the version it leaves, so two rollbacks in a row walk back two moves (v1 -> v2 -> v3, rollback: v2, rollback: v1). No guardrail applies; the checkpoint's content hash is still checked. The rollback is recorded in the alias's events (when, from, to, and --reason), listed by rec promote list.`

  static override examples = [
    '<%= config.bin %> promote rollback production --registry registry',
    '<%= config.bin %> promote rollback staging -r registry --json',
    '<%= config.bin %> promote rollback production -r registry --reason "CTR dropped 20% in experiment home"',
  ]

  static override args = {
    alias: Args.string({description: 'Alias to roll back.', required: true}),
  }

  static override flags = {
    registry: registryFlag,
    reason: Flags.string({description: 'Why, recorded with the rollback in the registry.'}),
  }

  async run(): Promise<RollbackResult> {
    const {args, flags} = await this.parse(PromoteRollback)
    const result = await rollbackAlias(flags.registry, args.alias, {reason: flags.reason})
    const left = result.history.length === 0 ? 'no earlier versions left' : `earlier: ${result.history.join(', ')}`
    this.say(`${result.alias}: version ${result.from} -> ${result.version} (${result.entry.path}); ${left}`)
    return result
  }
}
