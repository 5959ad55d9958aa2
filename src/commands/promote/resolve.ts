// rec promote resolve: prints the checkpoint directory an alias points at, for scripts and serve.
import {Args} from '@oclif/core'

import {resolveAlias, type ResolvedAlias} from '../../lib/registry/index.js'
import {RecCommand} from '../_cli/rec-command.js'
import {registryFlag} from './_shared/flags.js'

export default class PromoteResolve extends RecCommand {
  static override summary = "Print the checkpoint path of an alias."

  static override description = 'Prints the absolute checkpoint directory on stdout after re-hashing it; a checkpoint whose files changed since registration is refused (exit 2).'

  static override examples = [
    '<%= config.bin %> promote resolve production --registry registry',
    'CKPT="$(<%= config.bin %> promote resolve production -r registry)" && ls "$CKPT"',
    '<%= config.bin %> promote resolve staging -r registry --json',
  ]

  static override args = {
    alias: Args.string({description: 'Alias to resolve.', required: true}),
  }

  static override flags = {registry: registryFlag}

  async run(): Promise<ResolvedAlias> {
    const {args, flags} = await this.parse(PromoteResolve)
    const resolved = await resolveAlias(flags.registry, args.alias)
    this.log(resolved.path)
    return resolved
  }
}
