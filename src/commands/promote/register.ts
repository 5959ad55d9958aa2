// rec promote register: records a checkpoint directory in a registry as the next version.
import {Args} from '@oclif/core'

import {type RegisterResult, registerCheckpoint} from '../../lib/registry/index.js'
import {RecCommand} from '../_cli/rec-command.js'
import {registryFlag} from './_shared/flags.js'
import {formatMetricsShort} from './_shared/format.js'

export default class PromoteRegister extends RecCommand {
  static override summary = 'Register a checkpoint directory as a new registry version.'

  static override description = `Records the checkpoint's absolute path, kind, arch, val metrics, created_at and a sha256 over all of its files, and gives it the next version number (1, 2, 3 ...). Registering the same content again returns the existing version. The registry directory is created if needed; concurrent registers are serialised by registry.lock.`

  static override examples = [
    '<%= config.bin %> promote register runs/ckpt-retrieval --registry registry',
    '<%= config.bin %> promote register runs/ckpt-ranking -r registry --json',
  ]

  static override args = {
    checkpoint: Args.string({description: 'Checkpoint directory (manifest.json, weights.safetensors, vocab/).', required: true}),
  }

  static override flags = {registry: registryFlag}

  async run(): Promise<RegisterResult> {
    const {args, flags} = await this.parse(PromoteRegister)
    const result = await registerCheckpoint(flags.registry, args.checkpoint)
    const {entry} = result
    this.say(
      result.created
        ? `registered ${entry.path} as version ${entry.version} (${entry.kind} ${entry.arch}, ${entry.files} files, ${entry.hash.slice(0, 19)}) ${formatMetricsShort(entry.metrics)}`.trimEnd()
        : `already registered as version ${entry.version} (same content as ${entry.path})`,
    )
    return result
  }
}
