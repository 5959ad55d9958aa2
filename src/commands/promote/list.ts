// rec promote list: the registry's versions with kind, metrics and aliases as a compact table.
import {Flags} from '@oclif/core'

import {listRegistry, type RegistryListing} from '../../lib/registry/index.js'
import {RecCommand} from '../_cli/rec-command.js'
import {registryFlag} from './_shared/flags.js'
import {formatEvents, formatMetrics, formatTable} from './_shared/format.js'

export default class PromoteList extends RecCommand {
  static override summary = 'List registered versions with kind, metrics and aliases.'

  static override description = 'Prints one row per version on stdout (no content check; resolve does that), then each alias\'s recorded rollbacks (when, from, to, why) on stderr. Alias history and the rollbacks\' figures are in the --json output.'

  static override examples = [
    '<%= config.bin %> promote list --registry registry',
    '<%= config.bin %> promote list -r registry --metric val.ndcg@10 --metric val.recall@50',
    '<%= config.bin %> promote list -r registry --json',
  ]

  static override flags = {
    registry: registryFlag,
    metric: Flags.string({description: 'Show only this metric (repeatable); default all.', multiple: true}),
  }

  async run(): Promise<RegistryListing> {
    const {flags} = await this.parse(PromoteList)
    const listing = await listRegistry(flags.registry)
    const rows = listing.versions.map((v) => [
      String(v.version),
      v.kind,
      v.arch,
      v.aliases.join(',') || '-',
      v.registeredAt.slice(0, 19).replace('T', ' '),
      formatMetrics(v.metrics, flags.metric) || '-',
    ])
    this.log(formatTable(['VERSION', 'KIND', 'ARCH', 'ALIASES', 'REGISTERED', 'METRICS'], rows))
    if (listing.versions.length === 0) this.say('no versions registered')
    for (const line of formatEvents(listing)) this.say(line)
    return listing
  }
}
